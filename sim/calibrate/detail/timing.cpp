#include "sim/calibrate/detail/timing.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace hw::calib::detail {

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

namespace {
double time_calls(const std::function<void()>& run, int calls) {
  const double t0 = now_s();
  for (int i = 0; i < calls; ++i) run();
  return (now_s() - t0) / calls;
}
}  // namespace

std::vector<std::vector<std::vector<double>>> time_kernels(
    const std::vector<TimedKernel>& kernels, const TimingPlan& plan,
    const std::function<void(int, std::size_t)>& on_visit) {
  std::vector<std::vector<std::vector<double>>> samples(
      kernels.size(), std::vector<std::vector<double>>(static_cast<std::size_t>(plan.rounds)));
  for (int round = 0; round < plan.rounds; ++round) {
    for (std::size_t i = 0; i < kernels.size(); ++i) {
      if (on_visit) on_visit(round, i);
      const auto& run = kernels[i].run;
      // Warm-up: brings code, data and OpenBLAS threads in; a second call for short
      // kernels, whose first call after another kernel is dominated by cold caches.
      double estimate = time_calls(run, 1);
      if (estimate < 0.05) estimate = std::min(estimate, time_calls(run, 1));
      const int batch =
          std::max(1, static_cast<int>(std::ceil(plan.min_sample_s / std::max(estimate, 1e-9))));
      const double start = now_s();
      int taken = 0;
      while (taken < plan.min_samples ||
             (taken < plan.max_samples && now_s() - start < plan.visit_budget_s)) {
        samples[i][static_cast<std::size_t>(round)].push_back(time_calls(run, batch));
        ++taken;
      }
    }
  }
  return samples;
}

std::vector<std::vector<double>> time_interleaved(const std::vector<TimedKernel>& kernels, int cycles,
                                                  double min_sample_s,
                                                  const std::function<void(int, std::size_t)>& on_visit) {
  const std::size_t n = kernels.size();
  std::vector<double> estimate(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) estimate[i] = time_calls(kernels[i].run, 1);
  const double longest = n > 0 ? *std::max_element(estimate.begin(), estimate.end()) : 0.0;
  const double sample_s = std::max(min_sample_s, 0.8 * longest);
  std::vector<std::vector<double>> out(static_cast<std::size_t>(std::max(0, cycles)),
                                       std::vector<double>(n, 0.0));
  for (int c = 0; c < cycles; ++c) {
    for (std::size_t j = 0; j < n; ++j) {
      const std::size_t i = (j + static_cast<std::size_t>(c)) % n;
      if (on_visit) on_visit(c, i);
      const auto& run = kernels[i].run;
      double t = 0.0;
      if (estimate[i] < 0.5 * sample_s) {
        run();  // untimed: the previous kernel evicted this one's data
        const int batch = std::max(1, static_cast<int>(std::ceil(sample_s / std::max(estimate[i], 1e-9))));
        t = time_calls(run, batch);
      } else {
        t = time_calls(run, 1);
      }
      out[static_cast<std::size_t>(c)][i] = t;
    }
  }
  return out;
}

}  // namespace hw::calib::detail
