// A cache of simulation results on disk, keyed by a hash of the fully resolved SimInput
// and of the hwplan executable itself: any change of input or of code is a miss, so a
// cached result is always the one this binary would compute for this input.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "sim/engine/types.hpp"

namespace hw {

// Canonical text of a SimInput (every field that reaches the engine); the cache key
// hashes it. Exposed for tests.
std::string canonical_text(const SimInput& in);

class ResultCache {
 public:
  // dir empty: $XDG_CACHE_HOME/hwplan/runs, else ~/.cache/hwplan/runs.
  explicit ResultCache(std::string dir = {});

  [[nodiscard]] std::string key(const SimInput& in) const;
  [[nodiscard]] std::optional<RunResult> get(const SimInput& in);
  // Stores successful results only (a failed run must be retried next time).
  void put(const SimInput& in, const RunResult& r);

  [[nodiscard]] const std::string& dir() const { return dir_; }
  [[nodiscard]] std::size_t hits() const { return hits_; }
  [[nodiscard]] std::size_t misses() const { return misses_; }

 private:
  std::string dir_;
  std::string build_id_;  // hash of the running executable
  std::size_t hits_ = 0, misses_ = 0;
};

}  // namespace hw
