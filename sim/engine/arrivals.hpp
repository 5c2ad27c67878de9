// Arrival generators: the merged arrival times of all sources of one stream at one site.
// Pure (no SimGrid), seeded and deterministic.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "sim/run/types.hpp"

namespace hw {

struct ArrivalEvent {
  double time = 0.0;
  double bytes = 0.0;  // 0 = the stream's payload
};

class ArrivalGenerator {
 public:
  virtual ~ArrivalGenerator() = default;
  // Next arrival; time is non-decreasing. Returns false when the source is exhausted.
  virtual bool next(ArrivalEvent& ev) = 0;
};

std::unique_ptr<ArrivalGenerator> make_arrivals(const StreamExec& s, std::uint64_t seed);

}  // namespace hw
