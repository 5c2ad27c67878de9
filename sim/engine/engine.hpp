// The discrete-event engine: replays a resolved SimInput on SimGrid and measures it.
// This folder is the only place that includes SimGrid. One engine per process:
// call simulate() at most once per process; run it in a child through a Runner.
//
// Two builds of the same engine (sim/engine/CMakeLists.txt):
// - hwplan_engine, a static library linked into tests and benchmarks: simulate() runs here;
// - the module hwplan-engine.so (module.cpp), which the hwplan binary loads on first use
//   through hwplan_engine_loader (loader.cpp), so that a hwplan process that simulates
//   nothing (a command that only reads files, the process that drives the 'simulate
//   --serve' children of a sweep, whose cache's build id comes from a 'simulate --build-id'
//   child, or of `run --runner process`) starts without SimGrid and ns-3: they are 24 of
//   the 28 ms a hwplan process took to start (bench/results.md). `recommend` loads it
//   in-process whatever its runner: its result cache's key (simulator_build_id) hashes
//   the module it loaded.
//   Before dlopen the loader checks the file's ELF extents: a truncated module is an
//   EngineLoadError naming it, not a SIGBUS on the first page past its end.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "sim/run/runner.hpp"
#include "sim/run/types.hpp"

namespace hw {

// Runs the simulation. Never throws for simulated failures (they are data in the result);
// throws std::logic_error if called twice in one process.
RunResult simulate(const SimInput& input);

// Runs each input in its own forked child (a ForkRunner over simulate), `jobs` at a time
// (0 = all cores). For tests and benchmarks; the planner takes a Runner instead.
std::vector<RunResult> simulate_forked(const std::vector<SimInput>& inputs, int jobs);

// The network model and factors the engine configures, for reports and docs (a constant:
// it loads nothing).
const char* network_model_description();

// Loads the engine now, if it is not yet (the loader's build; nothing to do in the static
// one). A runner that forks children calls it before the first fork, so that no child has
// to load SimGrid again. Throws EngineLoadError naming the file and the reason.
void load_engine();

// Identity of the code that simulates in this process: a hash of the running executable,
// of the engine module (the loader's build) and of the SimGrid library the engine loaded.
// Loads the engine first. `hwplan simulate --build-id` prints it, so that a process that
// simulates through another binary (ProcessRunner) keys its cache by that binary.
std::string simulator_build_id();

// The engine module cannot be loaded (missing, from another build, a library it needs is
// missing): an installation problem, said with the file and what to do.
class EngineLoadError : public SimulatorUnusable {
 public:
  using SimulatorUnusable::SimulatorUnusable;
};

}  // namespace hw
