// Runs simulations in child processes (SimGrid allows one engine per process), several
// at a time, and collects their results. A child that crashes gives a failed RunResult,
// never a lost batch.
#pragma once

#include <functional>
#include <vector>

#include "sim/engine/types.hpp"

namespace hw {

// Runs each input in its own forked child, at most `jobs` at once (0 = all cores).
// `progress(done, total)` is called in the parent as results arrive.
std::vector<RunResult> simulate_isolated(const std::vector<SimInput>& inputs, int jobs,
                                         const std::function<void(std::size_t, std::size_t)>& progress = {});

}  // namespace hw
