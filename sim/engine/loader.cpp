// The hwplan binary's build of the engine: simulate() and the rest of engine.hpp forward
// to the module hwplan-engine.so (module.cpp), loaded with dlopen on first use. Looked for
// next to the executable (a build tree: bin/) and in LIBDIR/hwplan beside the executable's
// PREFIX/bin (an installed hwplan). This file includes no SimGrid; the module does.
#include <dlfcn.h>
#include <fmt/format.h>

#include <cerrno>
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
      throw EngineLoadError(fmt::format("cannot load the simulation engine {}: {}; reinstall hwplan (or rebuild it: cmake --build)", p.string(), why));
    }
    using Entry = const EngineModuleApi* (*)();
    auto entry = reinterpret_cast<Entry>(::dlsym(h, kEngineModuleEntry));
    const EngineModuleApi* api = entry ? entry() : nullptr;
    if (!api || api->abi != kEngineModuleAbi || !api->version || std::string(api->version) != HWPLAN_VERSION ||
        api->sim_input_size != sizeof(SimInput) || api->run_result_size != sizeof(RunResult) || !api->simulate || !api->set_progress_sink ||
        !api->simgrid_library) {
      ::dlclose(h);
      throw EngineLoadError(fmt::format("the simulation engine {} is from another build of hwplan (this one is {}, the engine {}); reinstall "
                                        "hwplan (or rebuild it: cmake --build)",
                                        p.string(), HWPLAN_VERSION, api && api->version ? api->version : "unknown"));
    }
    l.api = api;
    l.path = p.string();
    return *l.api;
  }
  std::string tried;
  for (const auto& p : paths) tried += (tried.empty() ? "" : ", ") + p.string();
  throw EngineLoadError(
      fmt::format("cannot find the simulation engine {} (looked in: {}); reinstall hwplan (or rebuild it: cmake --build)", kModuleFile, tried));
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
