// The static build of the engine (tests, benchmarks): simulate() is engine.cpp's, here in
// this process; nothing to load.
#include "sim/engine/engine.hpp"
#include "sim/run/cache.hpp"
#include "sim/run/runner.hpp"

namespace hw {

void load_engine() {}

std::string simulator_build_id() { return files_hash({"/proc/self/exe", mapped_file("libsimgrid")}); }

std::vector<RunResult> simulate_forked(const std::vector<SimInput>& inputs, int jobs) {
  ForkRunner runner(&simulate, jobs);
  return runner.run(inputs);
}

}  // namespace hw
