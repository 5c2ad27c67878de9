// The hwplan binary's build of the engine: simulate() and the rest of engine.hpp forward
// to the module hwplan-engine.so (module.cpp), loaded with dlopen on first use. Looked for
// next to the executable (a build tree: bin/) and in LIBDIR/hwplan beside the executable's
// PREFIX/bin (an installed hwplan). This file includes no SimGrid; the module does.
#include <dlfcn.h>
#include <elf.h>
#include <fmt/format.h>
#include <link.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <filesystem>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

#include "sim/engine/engine.hpp"
#include "sim/engine/module_api.hpp"
#include "sim/run/cache.hpp"
#include "sim/run/runner.hpp"

namespace fs = std::filesystem;

namespace hw {
namespace {

constexpr const char* kModuleFile = "hwplan-engine.so";

struct Loaded {
  std::mutex mu;
  const EngineModuleApi* api = nullptr;
  std::string path;
};

Loaded& loaded() {
  static Loaded l;
  return l;
}

constexpr const char* kReinstall = "reinstall hwplan (or rebuild it: cmake --build)";

// The machine this binary is built for, as an ELF header names it (0: not checked).
constexpr unsigned kThisMachine =
#if defined(__x86_64__)
    EM_X86_64;
#elif defined(__aarch64__)
    EM_AARCH64;
#elif defined(__powerpc64__)
    EM_PPC64;
#elif defined(__riscv)
    EM_RISCV;
#else
    0;
#endif

// Whether [offset, offset + size) lies within a file of file_size bytes (no overflow).
bool within(std::uint64_t offset, std::uint64_t size, std::uint64_t file_size) {
  return offset <= file_size && size <= file_size - offset;
}

// Before dlopen: a module cut short (a copy or download that stopped, a full disk) maps
// pages past its end, and the first touch of one kills this process with SIGBUS. Its ELF
// header, program headers, loaded segments and section header table must lie within the
// file; a file that is no shared object for this machine is said as such. Throws
// EngineLoadError naming the file.
void check_module_file(const fs::path& p) {
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(p, ec);
  if (ec) throw EngineLoadError(fmt::format("cannot load the simulation engine {}: {}; {}", p.string(), ec.message(), kReinstall));
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    throw EngineLoadError(fmt::format("cannot load the simulation engine {}: cannot open it: {}; {}", p.string(), std::strerror(errno), kReinstall));
  }
  auto damaged = [&](const std::string& why) {
    return EngineLoadError(fmt::format("the simulation engine {} is damaged or truncated: {} (the file has {} bytes); {}", p.string(), why, size, kReinstall));
  };
  auto read_at = [&](std::uint64_t offset, void* to, std::size_t n) {
    in.clear();
    in.seekg(static_cast<std::streamoff>(offset));
    return static_cast<bool>(in.read(static_cast<char*>(to), static_cast<std::streamsize>(n)));
  };
  unsigned char ident[EI_NIDENT] = {};
  const std::size_t got = in.read(reinterpret_cast<char*>(ident), EI_NIDENT) ? EI_NIDENT : static_cast<std::size_t>(in.gcount());
  if (got < SELFMAG || std::memcmp(ident, ELFMAG, SELFMAG) != 0) {
    throw EngineLoadError(fmt::format("cannot load the simulation engine {}: not a shared library (no ELF header); {}", p.string(), kReinstall));
  }
  ElfW(Ehdr) eh{};
  if (size < sizeof eh || !read_at(0, &eh, sizeof eh)) throw damaged(fmt::format("its ELF header needs {} bytes", sizeof eh));
  constexpr unsigned char kClass = sizeof(void*) == 8 ? ELFCLASS64 : ELFCLASS32;
  constexpr unsigned char kData = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB;
  if (eh.e_ident[EI_CLASS] != kClass || eh.e_ident[EI_DATA] != kData || (kThisMachine != 0 && eh.e_machine != kThisMachine)) {
    throw EngineLoadError(fmt::format("cannot load the simulation engine {}: a library for another kind of machine (ELF class {}, machine {}; this "
                                      "hwplan is class {}, machine {}); {}",
                                      p.string(), eh.e_ident[EI_CLASS], eh.e_machine, kClass, kThisMachine, kReinstall));
  }
  if (eh.e_type != ET_DYN) {
    throw EngineLoadError(fmt::format("cannot load the simulation engine {}: an ELF file but no shared library (type {}); {}", p.string(), eh.e_type, kReinstall));
  }
  if (eh.e_phnum == 0 || eh.e_phentsize != sizeof(ElfW(Phdr))) throw damaged("its ELF header has no valid program header table");
  const std::uint64_t ph_bytes = std::uint64_t{eh.e_phnum} * sizeof(ElfW(Phdr));
  if (!within(eh.e_phoff, ph_bytes, size)) {
    throw damaged(fmt::format("its program headers (bytes {} to {}) lie past its end", eh.e_phoff, eh.e_phoff + ph_bytes));
  }
  std::vector<ElfW(Phdr)> ph(eh.e_phnum);
  if (!read_at(eh.e_phoff, ph.data(), static_cast<std::size_t>(ph_bytes))) throw damaged("its program headers cannot be read");
  for (std::size_t i = 0; i < ph.size(); ++i) {
    if (ph[i].p_type != PT_LOAD) continue;
    if (!within(ph[i].p_offset, ph[i].p_filesz, size)) {
      throw damaged(fmt::format("its loadable segment {} (bytes {} to {}) lies past its end", i, ph[i].p_offset,
                                static_cast<std::uint64_t>(ph[i].p_offset) + ph[i].p_filesz));
    }
  }
  if (eh.e_shoff != 0) {
    const std::uint64_t sh_bytes = std::uint64_t{eh.e_shnum} * eh.e_shentsize;
    if (!within(eh.e_shoff, sh_bytes, size)) {
      throw damaged(fmt::format("its section header table (bytes {} to {}) lies past its end", eh.e_shoff, eh.e_shoff + sh_bytes));
    }
  }
}

// Where the module may be, in the order tried.
std::vector<fs::path> candidates() {
  const fs::path bin = fs::path(self_exe()).parent_path();
  return {bin / kModuleFile, bin.parent_path() / HWPLAN_INSTALL_LIBDIR / "hwplan" / kModuleFile};
}

const EngineModuleApi& engine() {
  Loaded& l = loaded();
  std::lock_guard<std::mutex> lock(l.mu);
  if (l.api) return *l.api;
  const auto paths = candidates();
  std::error_code ec;
  for (const auto& p : paths) {
    if (!fs::exists(p, ec)) continue;
    check_module_file(p);
    // RTLD_LOCAL: the module's SimGrid, ns-3 and its copies of hwplan's own code stay out
    // of this process's symbol lookup; RTLD_NOW: a missing library fails here, not mid-run.
    errno = 0;
    void* h = ::dlopen(p.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      const int err = errno;
      const char* what = ::dlerror();
      const std::string why = what ? what : "unknown reason";
      // Under a memory limit (ulimit -v) the libraries cannot be mapped: the limit's fault.
      if (err == ENOMEM || why.find("failed to map segment") != std::string::npos || why.find("Cannot allocate memory") != std::string::npos) {
        throw EngineLoadError(fmt::format("cannot load the simulation engine {}: out of memory ({}); raise the memory limit (ulimit -v)",
                                          p.string(), why));
      }
      throw EngineLoadError(fmt::format("cannot load the simulation engine {}: {}; {}", p.string(), why, kReinstall));
    }
    using Entry = const EngineModuleApi* (*)();
    auto entry = reinterpret_cast<Entry>(::dlsym(h, kEngineModuleEntry));
    const EngineModuleApi* api = entry ? entry() : nullptr;
    if (!api || api->abi != kEngineModuleAbi || !api->version || std::string(api->version) != HWPLAN_VERSION ||
        api->sim_input_size != sizeof(SimInput) || api->run_result_size != sizeof(RunResult) || !api->simulate || !api->set_progress_sink ||
        !api->simgrid_library) {
      ::dlclose(h);
      throw EngineLoadError(fmt::format("the simulation engine {} is from another build of hwplan (this one is {}, the engine {}); {}", p.string(),
                                        HWPLAN_VERSION, api && api->version ? api->version : "unknown", kReinstall));
    }
    l.api = api;
    l.path = p.string();
    return *l.api;
  }
  std::string tried;
  for (const auto& p : paths) tried += (tried.empty() ? "" : ", ") + p.string();
  throw EngineLoadError(fmt::format("cannot find the simulation engine {} (looked in: {}); {}", kModuleFile, tried, kReinstall));
}

}  // namespace

void load_engine() { (void)engine(); }

RunResult simulate(const SimInput& input) {
  const EngineModuleApi& api = engine();
  // The module's own copy of the sink: the caller's (a ForkRunner child's) passed on.
  api.set_progress_sink(g_sim_progress_sink.load());
  return api.simulate(input);
}

std::string simulator_build_id() {
  const EngineModuleApi& api = engine();
  std::string module;
  {
    std::lock_guard<std::mutex> lock(loaded().mu);
    module = loaded().path;
  }
  return files_hash({"/proc/self/exe", module, api.simgrid_library()});
}

}  // namespace hw
