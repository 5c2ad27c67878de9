// The discrete-event engine: replays a resolved SimInput on SimGrid and measures it.
// This folder is the only place that includes SimGrid. One engine per process:
// call simulate() at most once per process; run it in a child through a Runner.
#pragma once

#include <vector>

#include "sim/run/types.hpp"

namespace hw {

// Runs the simulation. Never throws for simulated failures (they are data in the result);
// throws std::logic_error if called twice in one process.
RunResult simulate(const SimInput& input);

// Runs each input in its own forked child (a ForkRunner over simulate), `jobs` at a time
// (0 = all cores). For tests and benchmarks; the planner takes a Runner instead.
std::vector<RunResult> simulate_forked(const std::vector<SimInput>& inputs, int jobs);

// The network model and factors the engine configures, for reports and docs.
const char* network_model_description();

}  // namespace hw
