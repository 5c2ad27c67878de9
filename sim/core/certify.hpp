// How many samples a percentile needs before it can certify an SLO.
#pragma once

#include <algorithm>
#include <cmath>

namespace hw {

// The fewest samples whose p-th percentile (0-100) is a sample of its own rather than the
// largest one: at least one sample must lie above it, n >= 1 / (1 - p/100) (p99: 100; p95: 20;
// p50: 2; p99.9: 1000). Fewer completed requests cannot certify an SLO at that percentile: the
// planner's verdict (sim/plan, min_requests_for) and the engine's precision stop both ask this.
inline double min_samples_for_percentile(double percentile) {
  return std::ceil(1.0 / std::max(1e-9, 1.0 - percentile / 100.0) - 1e-9);
}

}  // namespace hw
