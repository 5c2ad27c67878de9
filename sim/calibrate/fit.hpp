// Fitting the roofline of sim/hardware/perf_model.hpp to measured kernel times. Pure
// functions: no timing, no BLAS, no files; tested on synthetic measurements.
//
// A kernel is a sequence of stages; each stage is one call that the roofline prices as
//
//   t = t0 + max( F * (1 + h / b) / P,  (W + b * A) / B )
//
// with b items (GEMM rows of the streamed operand, see gemm_stage), F FLOPs in total,
// W bytes read once per call ("weights"), A bytes per item. This is perf_model's
// t(b) = overhead + max(b*F1 / (peak*eff_c(b)), (W + b*A) / (BW*eff_m)) with
// eff_c(b) = eff_c * b / (b + h), F = b*F1, P = peak*eff_c, B = BW*eff_m.
// The fit finds P, B, h, t0 minimising the squared log error over the observations.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hw::calib {

struct Stage {
  double items = 1.0;         // b >= 1 (whole numbers: perf_model takes an int batch)
  double flops = 0.0;         // F, whole stage
  double weight_bytes = 0.0;  // W, read once per call
  double item_bytes = 0.0;    // A, per item
};

// C[m x n] = A[m x k] * B[k x n] with elements of `element_bytes`. The smaller of m and n
// is the batch dimension (items); the other operand is the "weights", read once.
// Per item: one row of the streamed input and one row of the output.
Stage gemm_stage(double m, double n, double k, double element_bytes);
// A pass that only moves memory (copy, im2col, pooling): `bytes` in total, no FLOPs.
Stage stream_stage(double bytes);

struct RooflineParams {
  double compute_flops_per_s = 0.0;    // P = peak * eff_c, the large-batch asymptote
  double bandwidth_bytes_per_s = 0.0;  // B = BW * eff_m
  double half_batch = 0.0;             // h, items at which compute efficiency halves
  double overhead_s = 0.0;             // t0, per stage (per call)
};

double stage_time(const RooflineParams& p, const Stage& s);
double predict_time(const RooflineParams& p, const std::vector<Stage>& stages);

struct Observation {
  std::vector<Stage> stages;
  double seconds = 0.0;  // measured (median)
};

// Parameters to hold at a given value instead of fitting them, and a ceiling for B.
struct FitOptions {
  std::optional<double> compute_flops_per_s;
  std::optional<double> bandwidth_bytes_per_s;
  std::optional<double> half_batch;
  std::optional<double> overhead_s;
  // Upper bound for a fitted B: the STREAM bandwidth (a GEMM does not stream an operand
  // faster). Needed because for skinny GEMMs both F*(1 + h/b)/P and (W + b*A)/B grow
  // linearly in b, so a large h with an unbounded B can mimic the memory bound.
  std::optional<double> max_bandwidth_bytes_per_s;
};

struct FitResult {
  RooflineParams params;
  double rms_log_error = 0.0;  // sqrt(mean((ln t_pred - ln t_meas)^2)) over the observations
  int evaluations = 0;
};

// Least squares in log time (every kernel counts the same, whatever its duration), by
// Nelder-Mead over log-parameters with restarts. Needs at least one observation with
// FLOPs; without memory-bound observations B is only bounded from below and comes out
// near the value that makes the memory term just irrelevant.
FitResult fit_roofline(const std::vector<Observation>& obs, const FitOptions& fixed = {});

// Robust summary of repeated timings.
struct SampleStats {
  double median = 0.0;
  double p10 = 0.0;
  double p90 = 0.0;
  double min = 0.0;
  double max = 0.0;
  int count = 0;
  // (p90 - p10) / median: the relative spread of the middle 80 %.
  [[nodiscard]] double spread() const { return median > 0 ? (p90 - p10) / median : 0.0; }
};
SampleStats summarize(std::vector<double> samples);  // linear interpolation between ranks

// Samples taken in rounds (every kernel visited once per round): the lowest per-round
// median, as STREAM reports its best run. A round disturbed by another process is
// slower as a whole; the best round is the machine undisturbed, give or take the
// round-to-round noise (a per cent or two when quiet).
struct RoundStats {
  SampleStats all;            // every sample pooled
  double best_round = 0.0;    // lowest per-round median: the kernel's measured time
  double round_spread = 0.0;  // (highest - lowest per-round median) / lowest
};
RoundStats summarize_rounds(const std::vector<std::vector<double>>& rounds);

// Kernels timed in interleaved cycles (every kernel called once per cycle, one after the
// other, so a cycle spans a fraction of a second and the kernels in it share the machine's
// load). A cycle's load index is the mean over kernels of its time / that kernel's median
// over all cycles, so a long kernel counts no more than a short one. Each kernel's time is
// its median over the quietest cycles: the `fraction` of cycles with the lowest index (at
// least `min_cycles`, at most all). Choosing whole cycles, not each kernel's own best
// samples, keeps the kernels measured at the same moments: a short kernel finds a quiet
// millisecond more often than a 200 ms one does, and per-kernel minima would favour it.
// `cycles[c][k]` is kernel k's time in cycle c; every cycle has every kernel.
struct QuietCycles {
  std::vector<double> seconds;  // per kernel
  std::vector<int> chosen;      // cycle indices, quietest first
};
QuietCycles quiet_cycle_times(const std::vector<std::vector<double>>& cycles, double fraction,
                              int min_cycles);

// (predicted - measured) / measured.
double relative_error(double predicted, double measured);
// The fit bounds the per-call overhead below at 0.1 ns (fit_roofline): a fitted value within
// a factor 2 of that bound is not resolved by the kernels' times (every one is far longer).
inline constexpr double kOverheadFloorS = 1e-10;
bool overhead_unresolved_s(double overhead_s);
double median_abs(const std::vector<double>& values);

// The profile's fields from fitted rates and the machine's reference rates (the best
// measured SGEMM rate, the STREAM triad bandwidth). The profile's peak and bandwidth are
// the references (raised to the fitted rate if that is higher), and the efficiencies are
// fitted / reference, so peak * eff_c = P and BW * eff_m = B exactly.
struct ProfileFactors {
  double peak_flops_per_s = 0.0;
  double efficiency_compute = 1.0;
  double bandwidth_bytes_per_s = 0.0;
  double efficiency_memory = 1.0;
  double half_batch = 0.0;
  double overhead_s = 0.0;
};
ProfileFactors profile_factors(const RooflineParams& fitted, double reference_flops_per_s,
                               double reference_bandwidth_bytes_per_s);

// Joules between two RAPL energy_uj readings of a counter that wraps at max_range_uj.
double rapl_joules(std::uint64_t before_uj, std::uint64_t after_uj, std::uint64_t max_range_uj);

// Lower-case, [a-z0-9-] only, runs of anything else collapsed to one '-', no leading or
// trailing '-'; "localhost" if nothing is left. Profile ids come from host names.
std::string sanitize_id(const std::string& text);

}  // namespace hw::calib
