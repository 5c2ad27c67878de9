// Timing harness for calibrate: warm-up, repetitions, and rounds that visit every kernel
// in turn, so a disturbance from another process spreads over all kernels instead of
// spoiling one. Times are wall-clock (steady_clock) seconds per call.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace hw::calib::detail {

struct TimedKernel {
  std::string name;
  std::function<void()> run;  // one call of the kernel
};

struct TimingPlan {
  int rounds = 3;               // visits per kernel
  double visit_budget_s = 0.1;  // timed seconds per visit (at least min_samples calls)
  int min_samples = 2;          // per visit
  int max_samples = 200;        // per visit
  double min_sample_s = 2e-4;   // calls shorter than this are timed in batches
};

// `on_visit(round, index)` is called before each visit (for progress reports).
// Returns, per kernel and per round, the timed samples (seconds per call).
std::vector<std::vector<std::vector<double>>> time_kernels(
    const std::vector<TimedKernel>& kernels, const TimingPlan& plan,
    const std::function<void(int round, std::size_t index)>& on_visit);

// Interleaved cycles: after one warm-up call of each kernel, `cycles` passes over all
// kernels, each kernel timed once per pass over a stretch of continuous work as long as
// the longest kernel's call (at least `min_sample_s`): shorter kernels in a batch of
// calls, after one untimed call that brings their data back into the caches. Equal
// stretches matter on a shared machine: a process that has just woken gets the core
// sooner than one that has run for 200 ms, so a 2 ms kernel timed alone comes out
// faster, relative to a 200 ms network, than it runs inside the network. The pass starts
// one kernel later each cycle, so no kernel always follows the same one. Returns
// cycles[c][k], seconds per call. `on_visit(c, k)` is called before each kernel's stretch
// (for progress, and for a stop request: it may throw; a stretch is ~0.2 s, a cycle of six
// was 1-2 s, which is how long Ctrl-C took when it was checked once per cycle).
std::vector<std::vector<double>> time_interleaved(const std::vector<TimedKernel>& kernels, int cycles,
                                                  double min_sample_s,
                                                  const std::function<void(int cycle, std::size_t index)>& on_visit);

double now_s();  // steady clock, seconds

}  // namespace hw::calib::detail
