#include "sim/run/cache.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <cerrno>
#include <cstring>
#include <unistd.h>

#include <mutex>
#include <set>
#include <utility>

#include "sim/core/files.hpp"
#include "sim/run/json.hpp"

namespace fs = std::filesystem;

namespace hw {
namespace {

// Folders whose cache could not be written, process-wide: a sweep opens one ResultCache per
// variant, and each must neither warn again nor try again.
std::mutex g_unwritable_mu;
std::set<std::string> g_unwritable;
CacheWriteWarning g_warning = nullptr;

// FNV-1a, 64 bit, from two different offset bases: 128 bits of key are plenty for a cache.
// Both in one pass (two independent chains of multiplies: the build id hashes ~10 MB).
std::pair<std::uint64_t, std::uint64_t> fnv1a_twice(const std::string& s, std::uint64_t h1, std::uint64_t h2) {
  for (unsigned char c : s) {
    h1 ^= c;
    h2 ^= c;
    h1 *= 0x100000001b3ULL;
    h2 *= 0x100000001b3ULL;
  }
  return {h1, h2};
}

std::string read_all(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

std::string hash128(const std::string& s) {
  const auto [a, b] = fnv1a_twice(s, 0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL);
  return fmt::format("{:016x}{:016x}", a, b);
}

std::string default_cache_dir() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return (fs::path(x) / "hwplan" / "runs").string();
  if (const char* h = std::getenv("HOME"); h && *h) return (fs::path(h) / ".cache" / "hwplan" / "runs").string();
  return ".hwplan-cache";
}

std::string mapped_file(std::string_view name_part) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    const auto at = line.find('/');
    if (at != std::string::npos && line.find(name_part, at) != std::string::npos) return line.substr(at);
  }
  return "";
}

std::string files_hash(const std::vector<std::string>& paths) {
  std::string all;
  for (const auto& p : paths) {
    if (!p.empty()) all += read_all(p);
  }
  return hash128(all);
}

ResultCache::ResultCache(std::string dir, std::string build_id) : dir_(std::move(dir)), build_id_(std::move(build_id)) {
  if (dir_.empty()) dir_ = default_cache_dir();
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot create the cache folder {}: {}", dir_, ec.message()));
  if (::access(dir_.c_str(), W_OK | X_OK) != 0) {
    throw std::runtime_error(fmt::format("cannot write to the cache folder {}: {}", dir_, std::strerror(errno)));
  }
}

std::string ResultCache::key(const SimInput& in) const { return hash128(build_id_ + "\n" + canonical_json(in)); }

std::optional<RunResult> ResultCache::get(const SimInput& in) {
  const fs::path p = fs::path(dir_) / (key(in) + ".json");
  std::error_code ec;
  if (!fs::exists(p, ec)) {
    ++misses_;
    return std::nullopt;
  }
  try {
    RunResult r = run_result_from_json(nlohmann::json::parse(read_all(p.string())));
    ++hits_;
    return r;
  } catch (const std::exception&) {
    ++misses_;  // a damaged entry is recomputed and overwritten
    return std::nullopt;
  }
}

void set_cache_write_warning(CacheWriteWarning warn) {
  std::lock_guard lock(g_unwritable_mu);
  g_warning = warn;
}

void ResultCache::put(const SimInput& in, const RunResult& r) {
  if (!r.ok) return;
  {
    std::lock_guard lock(g_unwritable_mu);
    if (g_unwritable.count(dir_) != 0) {
      ++write_errors_;
      return;
    }
  }
  try {
    write_file_atomic((fs::path(dir_) / (key(in) + ".json")).string(), to_json(r).dump());
  } catch (const std::exception& e) {
    // A cache that cannot be written only costs time; the result itself is kept. The writer
    // has removed its temporary file; the folder is not tried again by this process.
    ++write_errors_;
    const auto* fe = dynamic_cast<const FileWriteError*>(&e);
    std::lock_guard lock(g_unwritable_mu);
    if (g_unwritable.insert(dir_).second && g_warning) g_warning(dir_, fe ? fe->reason() : std::string(e.what()));
  }
}

}  // namespace hw
