// What a simulation costs to hand off: ForkRunner (fork, simulate, JSON back over a pipe)
// against ProcessRunner (fork + exec `hwplan simulate`, SimInput JSON in, RunResult JSON
// out), one slot each, on a short simulation. Overhead = wall time per simulation minus
// the engine's own wall_time_s (measured inside the child).
//
//   build/release/bin/hwplan_bench_runner [simulations] [hwplan binary]   (default 100, the built one)
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "../tests/validation/closed_forms.hpp"
#include "sim/engine/engine.hpp"
#include "sim/run/runner.hpp"

using namespace hw;

namespace {

void measure(const char* name, Runner& r, int n) {
  std::vector<SimInput> inputs;
  // An M/M/1 at utilisation 0.5 for 0.5 simulated seconds: a few hundred requests, so the
  // hand-off, not the simulation, dominates.
  for (int i = 0; i < n; ++i) {
    inputs.push_back(validation::pure_queue(500, 1e-3, 1, ServiceDistribution::exponential, 0.5, 0.05, static_cast<std::uint64_t>(i + 1)));
  }
  const auto t0 = std::chrono::steady_clock::now();
  const auto results = r.run(inputs);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double engine = 0;
  for (const auto& x : results) {
    if (!x.ok) {
      fmt::print(stderr, "{}: simulation failed: {}\n", name, x.error);
      std::exit(1);
    }
    engine += x.wall_time_s;
  }
  fmt::print("{:<14} {:>4} simulations  {:8.2f} ms each  engine {:6.2f} ms  overhead {:6.2f} ms per simulation\n", name, n,
             wall / n * 1e3, engine / n * 1e3, (wall - engine) / n * 1e3);
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 100;
  const std::string exe = argc > 2 ? argv[2] : HWPLAN_BIN;
  ForkRunner fork(&simulate, 1);
  ProcessRunner process(exe, 1);
  for (int round = 0; round < 2; ++round) {
    measure("ForkRunner", fork, n);
    measure("ProcessRunner", process, n);
  }
  return 0;
}
