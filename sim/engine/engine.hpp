// The discrete-event engine: replays a resolved SimInput on SimGrid and measures it.
// This folder is the only place that includes SimGrid. One engine per process:
// call simulate() at most once per process (the planner forks a child per run).
#pragma once

#include "sim/engine/types.hpp"

namespace hw {

// Runs the simulation. Never throws for simulated failures (they are data in the result);
// throws std::logic_error if called twice in one process.
RunResult simulate(const SimInput& input);

// The network model and factors the engine configures, for reports and docs.
const char* network_model_description();

}  // namespace hw
