// The pure part of calibrate: kernel descriptions, the roofline fit on synthetic
// measurements with known answers, statistics, and the mapping onto profile fields.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "sim/calibrate/fit.hpp"
#include "sim/hardware/perf_model.hpp"

using namespace hw::calib;

namespace {

// A machine with known rates: 200 GFLOP/s, 12 GB/s, half efficiency at 20 rows, 5 us per call.
RooflineParams truth() {
  RooflineParams p;
  p.compute_flops_per_s = 200e9;
  p.bandwidth_bytes_per_s = 12e9;
  p.half_batch = 20.0;
  p.overhead_s = 5e-6;
  return p;
}

// The shapes calibrate uses: squares (compute-bound), skinny (memory-bound at the small
// end), and a convolution-like two-stage kernel.
std::vector<std::vector<Stage>> shapes() {
  std::vector<std::vector<Stage>> out;
  for (int n : {64, 256, 1024, 2048}) out.push_back({gemm_stage(n, n, n, 4)});
  for (int m : {1, 4, 16, 64, 256}) out.push_back({gemm_stage(m, 4096, 4096, 4)});
  out.push_back({stream_stage(4.0 * (64 * 56 * 56 + 576 * 3136)), gemm_stage(64, 3136, 576, 4)});
  return out;
}

std::vector<Observation> measure(const RooflineParams& p, double noise) {
  std::vector<Observation> obs;
  int i = 0;
  for (const auto& st : shapes()) {
    // Deterministic "noise": alternating +noise, -noise, 0.
    const double f = 1.0 + noise * ((i % 3) - 1);
    obs.push_back({st, predict_time(p, st) * f});
    ++i;
  }
  return obs;
}

}  // namespace

TEST_CASE("gemm_stage: the smaller of m and n is the batch, the other operand the weights") {
  Stage s = gemm_stage(8, 4096, 1024, 4);
  CHECK(s.items == 8);
  CHECK(s.flops == doctest::Approx(2.0 * 8 * 4096 * 1024));
  CHECK(s.weight_bytes == doctest::Approx(1024.0 * 4096 * 4));
  CHECK(s.item_bytes == doctest::Approx((1024.0 + 4096) * 4));
  Stage t = gemm_stage(4096, 8, 1024, 8);
  CHECK(t.items == 8);
  CHECK(t.weight_bytes == doctest::Approx(1024.0 * 4096 * 8));
}

TEST_CASE("stage_time: roofline with overhead, half-batch efficiency and a memory floor") {
  RooflineParams p = truth();
  Stage compute_bound = gemm_stage(1024, 1024, 1024, 4);
  CHECK(stage_time(p, compute_bound) ==
        doctest::Approx(5e-6 + 2.0 * 1024 * 1024 * 1024 * (1 + 20.0 / 1024) / 200e9));
  Stage memory_bound = gemm_stage(1, 4096, 4096, 4);
  CHECK(stage_time(p, memory_bound) ==
        doctest::Approx(5e-6 + (4096.0 * 4096 * 4 + 8192.0 * 4) / 12e9));
  CHECK(stage_time(p, stream_stage(12e9)) == doctest::Approx(1.0 + 5e-6));
}

TEST_CASE("stage_time is perf_model's batch_time for the profile built from the fit") {
  RooflineParams p = truth();
  ProfileFactors f = profile_factors(p, 250e9, 30e9);
  hw::HardwareProfile hwp;
  hwp.peak[hw::Precision::fp32] = hw::FlopsPerSecond(f.peak_flops_per_s);
  hwp.memory_bandwidth = hw::BytesPerSecond(f.bandwidth_bytes_per_s);
  hwp.efficiency_compute = f.efficiency_compute;
  hwp.efficiency_memory = f.efficiency_memory;
  hwp.half_efficiency_batch = f.half_batch;
  hwp.overhead = hw::Seconds(f.overhead_s);
  for (const auto& st : shapes()) {
    for (const Stage& s : st) {
      hw::WorkloadModel m;
      m.flops_per_item = hw::Flops(s.flops / s.items);
      m.weights = hw::Bytes(s.weight_bytes);
      m.bytes_per_item = hw::Bytes(s.item_bytes);
      m.precision = hw::Precision::fp32;
      const double t =
          hw::batch_time(hwp, m, hw::Precision::fp32, static_cast<int>(s.items)).total.si();
      CHECK(t == doctest::Approx(stage_time(p, s)).epsilon(1e-12));
    }
  }
}

TEST_CASE("fit_roofline recovers known parameters from exact measurements") {
  FitResult r = fit_roofline(measure(truth(), 0.0));
  CHECK(r.params.compute_flops_per_s == doctest::Approx(200e9).epsilon(0.005));
  CHECK(r.params.bandwidth_bytes_per_s == doctest::Approx(12e9).epsilon(0.005));
  CHECK(r.params.half_batch == doctest::Approx(20.0).epsilon(0.02));
  CHECK(r.params.overhead_s == doctest::Approx(5e-6).epsilon(0.05));
  CHECK(r.rms_log_error < 1e-3);
}

TEST_CASE("fit_roofline stays close under +-4 % measurement noise") {
  FitResult r = fit_roofline(measure(truth(), 0.04));
  CHECK(r.params.compute_flops_per_s == doctest::Approx(200e9).epsilon(0.08));
  CHECK(r.params.bandwidth_bytes_per_s == doctest::Approx(12e9).epsilon(0.08));
  CHECK(r.params.half_batch == doctest::Approx(20.0).epsilon(0.35));
  CHECK(r.rms_log_error < 0.04);
  // And predicts the shapes it did not see within a few per cent.
  for (int n : {512, 1536}) {
    const std::vector<Stage> st{gemm_stage(n, n, n, 4)};
    CHECK(predict_time(r.params, st) == doctest::Approx(predict_time(truth(), st)).epsilon(0.06));
  }
}

TEST_CASE("fit_roofline holds fixed parameters and fits the rest") {
  RooflineParams p = truth();
  p.overhead_s = 2e-5;
  FitOptions fixed;
  fixed.overhead_s = 2e-5;
  fixed.bandwidth_bytes_per_s = 12e9;
  FitResult r = fit_roofline(measure(p, 0.0), fixed);
  CHECK(r.params.overhead_s == 2e-5);
  CHECK(r.params.bandwidth_bytes_per_s == 12e9);
  CHECK(r.params.compute_flops_per_s == doctest::Approx(200e9).epsilon(0.005));
  CHECK(r.params.half_batch == doctest::Approx(20.0).epsilon(0.02));
}

TEST_CASE("fit_roofline keeps B under the given ceiling") {
  // Linear-in-b skinny times with no memory floor: unbounded, B would run away.
  RooflineParams p = truth();
  p.bandwidth_bytes_per_s = 1e15;
  FitOptions o;
  o.max_bandwidth_bytes_per_s = 30e9;
  std::vector<Observation> obs;
  for (const auto& m : measure(p, 0.0)) {
    if (m.stages.size() == 1) obs.push_back(m);  // GEMMs only: no pure memory stage
  }
  FitResult r = fit_roofline(obs, o);
  CHECK(r.params.bandwidth_bytes_per_s <= 30e9);
  CHECK(r.params.compute_flops_per_s == doctest::Approx(200e9).epsilon(0.01));
  CHECK(r.params.half_batch == doctest::Approx(20.0).epsilon(0.05));
  CHECK(r.rms_log_error < 0.01);
}

TEST_CASE("fit_roofline: zero overhead and zero half-batch come out near zero") {
  RooflineParams p = truth();
  p.overhead_s = 0.0;
  p.half_batch = 0.0;
  FitResult r = fit_roofline(measure(p, 0.0));
  CHECK(r.params.compute_flops_per_s == doctest::Approx(200e9).epsilon(0.005));
  CHECK(r.params.half_batch < 0.05);
  CHECK(r.params.overhead_s < 1e-7);
}

TEST_CASE("profile_factors: references are the peaks, fitted rates set the efficiencies") {
  RooflineParams p = truth();
  ProfileFactors f = profile_factors(p, 250e9, 30e9);
  CHECK(f.peak_flops_per_s == 250e9);
  CHECK(f.efficiency_compute == doctest::Approx(0.8));
  CHECK(f.bandwidth_bytes_per_s == 30e9);
  CHECK(f.efficiency_memory == doctest::Approx(0.4));
  CHECK(f.half_batch == 20.0);
  CHECK(f.overhead_s == 5e-6);
  // A fitted asymptote above every measured rate raises the peak instead of eff > 1.
  ProfileFactors g = profile_factors(p, 150e9, 10e9);
  CHECK(g.peak_flops_per_s == 200e9);
  CHECK(g.efficiency_compute == 1.0);
  CHECK(g.bandwidth_bytes_per_s == 12e9);
  CHECK(g.efficiency_memory == 1.0);
}

TEST_CASE("summarize: median, deciles by interpolation, spread") {
  SampleStats s = summarize({4.0, 1.0, 3.0, 2.0});
  CHECK(s.count == 4);
  CHECK(s.median == doctest::Approx(2.5));
  CHECK(s.min == 1.0);
  CHECK(s.max == 4.0);
  CHECK(s.p10 == doctest::Approx(1.3));
  CHECK(s.p90 == doctest::Approx(3.7));
  CHECK(s.spread() == doctest::Approx(2.4 / 2.5));
  CHECK(summarize({7.0}).median == 7.0);
  CHECK(summarize({}).count == 0);
}

TEST_CASE("summarize_rounds: the best round's median is the measurement") {
  // Round 2 was disturbed (everything 50 % slower); round 3 has one outlier.
  RoundStats r = summarize_rounds({{1.00, 1.02, 0.99}, {1.5, 1.52, 1.49}, {1.01, 5.0, 1.00}});
  CHECK(r.best_round == doctest::Approx(1.00));
  CHECK(r.round_spread == doctest::Approx(0.5));
  CHECK(r.all.count == 9);
  CHECK(r.all.median == doctest::Approx(1.02));
  CHECK(summarize_rounds({{}, {2.0}}).best_round == 2.0);
}

TEST_CASE("quiet_cycle_times: each kernel's median over the same quietest cycles") {
  // A 1 ms and a 200 ms kernel over six cycles; cycles 1 and 5 were disturbed (both ~2x);
  // in cycle 3 the short kernel found a quiet moment (0.9 ms) while the long one did not.
  // Medians over all cycles: short (1.05 + 1.1) / 2 = 1.075, long (210 + 380) / 2 = 295.
  // Load index = mean of time / median: c0 (1.0/1.075 + 200/295) / 2 = 0.804, c1 1.608,
  // c2 0.868, c3 (0.837 + 1.288) / 2 = 1.063, c4 0.836, c5 1.735. The quietest third is 2
  // cycles, raised to min_cycles = 3: c0, c4, c2 -> short median of {1.0, 1.05, 1.1} =
  // 1.05, long median of {200, 205, 210} = 205. (Per-kernel minima would pair the short
  // kernel's 0.9 from the disturbed cycle 3 with the long kernel's 200.)
  const std::vector<std::vector<double>> cycles = {{1.0, 200}, {2.0, 400}, {1.1, 210},
                                                   {0.9, 380}, {1.05, 205}, {2.2, 420}};
  const QuietCycles q = quiet_cycle_times(cycles, 1.0 / 3.0, 3);
  CHECK(q.chosen == std::vector<int>{0, 4, 2});
  REQUIRE(q.seconds.size() == 2);
  CHECK(q.seconds[0] == doctest::Approx(1.05));
  CHECK(q.seconds[1] == doctest::Approx(205));
  // A fifth of six cycles rounds up to 2 (min 1): c0 and c4.
  const QuietCycles two = quiet_cycle_times(cycles, 0.2, 1);
  CHECK(two.chosen == std::vector<int>{0, 4});
  CHECK(two.seconds[0] == doctest::Approx(1.025));
  CHECK(two.seconds[1] == doctest::Approx(202.5));
  // Asking for more cycles than there are takes all of them.
  CHECK(quiet_cycle_times(cycles, 1.0, 10).chosen.size() == 6);
  CHECK(quiet_cycle_times({}, 0.5, 3).seconds.empty());
}

TEST_CASE("relative_error and median_abs") {
  CHECK(relative_error(1.1, 1.0) == doctest::Approx(0.1));
  CHECK(relative_error(0.8, 1.0) == doctest::Approx(-0.2));
  CHECK(median_abs({-0.3, 0.1, 0.2}) == doctest::Approx(0.2));
}

TEST_CASE("rapl_joules handles the counter wrapping") {
  CHECK(rapl_joules(1'000'000, 3'500'000, 10'000'000) == doctest::Approx(2.5));
  CHECK(rapl_joules(9'000'000, 1'000'000, 10'000'000) == doctest::Approx(2.0));
}

TEST_CASE("sanitize_id makes a profile id of a host name") {
  CHECK(sanitize_id("Edge-Box_01.local") == "edge-box-01-local");
  CHECK(sanitize_id("--WEIRD  name--") == "weird-name");
  CHECK(sanitize_id("") == "localhost");
  CHECK(sanitize_id("***") == "localhost");
}

TEST_CASE("overhead_unresolved_s: a fitted overhead at the fit's 0.1 ns floor is unresolved") {
  // The review's runs fitted t0 = 1e-10 s (0.09999999999999996 ns) every time: the floor.
  CHECK(hw::calib::overhead_unresolved_s(0.09999999999999996e-9));
  CHECK(hw::calib::overhead_unresolved_s(1.5e-10));
  CHECK_FALSE(hw::calib::overhead_unresolved_s(1.2e-6));  // 1.2 us: a real per-call cost
}
