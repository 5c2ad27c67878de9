// A cache of simulation results on disk, keyed by a hash of the canonical JSON of the
// fully resolved SimInput (engine options included) and of the code that simulates (the
// hwplan executable, its engine module and SimGrid library): any change of input, engine settings or code is a miss, so a cached
// result is always the one this binary would compute for this input. Entries are written
// atomically, one file per result, as soon as a result is put.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/run/types.hpp"

namespace hw {

// 128-bit FNV-1a hash of a text, as 32 hex digits.
std::string hash128(const std::string& s);

// The path of the first file mapped into this process whose path contains `name_part`
// (/proc/self/maps), or "" when none is.
std::string mapped_file(std::string_view name_part);

// A hash of the contents of these files, in order ("" entries skipped): the identity of
// the code that simulates (sim/engine/engine.hpp, simulator_build_id).
std::string files_hash(const std::vector<std::string>& paths);

// The default cache folder: $XDG_CACHE_HOME/hwplan/runs, else ~/.cache/hwplan/runs.
std::string default_cache_dir();

// Called once per cache folder and process, the first time an entry cannot be written
// (a full disk, say), with the folder and the system's reason; after that this process
// stores nothing more there (results are still returned; only later runs lose time).
// Default: none (nothing is said). The CLI prints a warning.
using CacheWriteWarning = void (*)(const std::string& dir, const std::string& reason);
void set_cache_write_warning(CacheWriteWarning warn);

class ResultCache {
 public:
  // dir empty: default_cache_dir(). build_id: of the code that simulates (simulator_build_id()
  // in sim/engine/engine.hpp, or ProcessRunner::build_id()): part of every key.
  // Throws std::runtime_error naming the folder when it cannot be created or written.
  ResultCache(std::string dir, std::string build_id);

  // Hash of the canonical JSON of the input (sim/run/json.hpp) and of the binary.
  [[nodiscard]] std::string key(const SimInput& in) const;
  [[nodiscard]] std::optional<RunResult> get(const SimInput& in);
  // Stores successful results only (a failed run must be retried next time). A write that
  // fails is counted (write_errors) and reported once (set_cache_write_warning), never thrown.
  void put(const SimInput& in, const RunResult& r);

  [[nodiscard]] const std::string& dir() const { return dir_; }
  [[nodiscard]] std::size_t hits() const { return hits_; }
  [[nodiscard]] std::size_t misses() const { return misses_; }
  [[nodiscard]] std::size_t write_errors() const { return write_errors_; }
  [[nodiscard]] const std::string& build_id() const { return build_id_; }

 private:
  std::string dir_;
  std::string build_id_;  // hash of the running executable
  std::size_t hits_ = 0, misses_ = 0, write_errors_ = 0;
};

}  // namespace hw
