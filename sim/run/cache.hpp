// A cache of simulation results on disk, keyed by a hash of the canonical JSON of the
// fully resolved SimInput (engine options included), of the code that simulates (the
// hwplan executable, its engine module and SimGrid library) and of the entry format's
// version: any change of input, engine settings, code or format is a miss, so a cached
// result is always the one this binary would compute for this input. Entries are written
// atomically, one file per result, as soon as a result is put. An entry is
// {"schema": "hwplan-cache-entry", "version": 2, "key": KEY, "result": RunResult}; it is
// used only when it is a regular file (read without blocking: a FIFO or device at its path
// is never opened for a blocking read), of this schema and version, holds its own file's
// key (a file copied under another key's name is the other input's), and its result passes
// run_result_problem against the input. Anything else is a miss: the result is recomputed
// and the entry overwritten.
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

// Called once per cache folder and process, the first time an entry there is not used
// because it is not a valid result for its input (see above), with the folder, the entry's
// path and why. Default: none. The CLI prints a warning.
using CacheEntryWarning = void (*)(const std::string& dir, const std::string& entry, const std::string& why);
void set_cache_entry_warning(CacheEntryWarning warn);

// Why `r` cannot be the result of a successful simulation of `in` ("" when it can): a failed
// run, another label, another number (or ids) of streams or batch jobs than the input has,
// a figure that is negative or not a number (a latency may be +inf: an LLM request that never
// got its first token; rates, times, power, energy, traffic must be finite), a share outside
// 0..1 (SLO violations, a tier's utilisation), latency bins whose edges do not match their
// counts. Not a proof that `r` is right: what a hand-edited entry can break without breaking
// the JSON, checked so that such an entry is recomputed, never reported.
std::string run_result_problem(const SimInput& in, const RunResult& r);

class ResultCache {
 public:
  // dir empty: default_cache_dir(). build_id: of the code that simulates (simulator_build_id()
  // in sim/engine/engine.hpp, or ProcessRunner::build_id()): part of every key.
  // Throws std::runtime_error naming the folder when it cannot be created or written.
  ResultCache(std::string dir, std::string build_id);

  // Hash of the canonical JSON of the input (sim/run/json.hpp) and of the binary.
  [[nodiscard]] std::string key(const SimInput& in) const;
  // The entry of this input, or nullopt (a miss) when there is none or it is not valid (see
  // above: counted by rejected() too, and said once by set_cache_entry_warning). Never blocks.
  [[nodiscard]] std::optional<RunResult> get(const SimInput& in);
  // Stores successful results only (a failed run must be retried next time), and only those
  // that run_result_problem accepts (get would refuse them). A write that
  // fails is counted (write_errors) and reported once (set_cache_write_warning), never thrown.
  void put(const SimInput& in, const RunResult& r);

  [[nodiscard]] const std::string& dir() const { return dir_; }
  [[nodiscard]] std::size_t hits() const { return hits_; }
  [[nodiscard]] std::size_t misses() const { return misses_; }
  [[nodiscard]] std::size_t write_errors() const { return write_errors_; }
  [[nodiscard]] std::size_t rejected() const { return rejected_; }  // entries found but not valid
  [[nodiscard]] const std::string& build_id() const { return build_id_; }

 private:
  std::string dir_;
  std::string build_id_;  // hash of the running executable
  std::size_t hits_ = 0, misses_ = 0, write_errors_ = 0, rejected_ = 0;
};

}  // namespace hw
