// `hwplan calibrate`: time real kernels on this machine, fit the roofline of
// sim/hardware/perf_model.hpp to them, and turn the fit into a hardware profile.
//
// Kernels (sim/calibrate/kernels.hpp): OpenBLAS SGEMM and DGEMM over square and skinny
// shapes on all cores and on one, a STREAM triad, 3x3 convolutions (im2col + SGEMM) and
// a small CNN. Some kernels fit the model, some are held out and only predicted; the
// report gives the prediction error of each. See docs/calibration.md.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/calibrate/fit.hpp"
#include "sim/hardware/profile.hpp"

namespace hw::calib {

struct CalibrateOptions {
  std::string id;                      // profile id; default: the host name, sanitised
  bool quick = false;                  // fewer shapes and rounds: under a minute on 2 cores
  std::optional<HardwareClass> klass;  // default: guessed from the CPU (edge or cpu_server)
  // The GPU profile's power.max in W (--gpu-power-max): the board power from the card's
  // datasheet; without it a labelled 300 W estimate (no NVML in this build).
  std::optional<double> gpu_power_max_w;
  // Progress for a person watching. `detail` messages come once per kernel visit (for a
  // status line that overwrites itself); the others mark phases.
  std::function<void(const std::string& message, bool detail)> progress;
  // Called between kernel calls and every 50 ms of the power measurement; may throw to stop
  // the run (hwplan calibrate throws on SIGINT/SIGTERM). progress is called less often.
  std::function<void()> check_stop;
};

enum class Role { fit, held_out, reference };
std::string to_string(Role r);  // "fit", "held-out", "reference"

struct KernelResult {
  std::string name;    // "sgemm 64x4096x4096 2t" (m x n x k, threads)
  std::string family;  // sgemm, dgemm, triad, conv, cnn, cublas-sgemm, cublas-hgemm, cuda-copy
  int threads = 1;
  Role role = Role::fit;
  std::string model;          // fitted model that predicts it: "profile", "fp64", "1-thread", "gpu"
  double flops = 0.0;         // work per call
  double bytes = 0.0;         // roofline bytes per call
  double measured_s = 0.0;    // seconds per call: the best round's median, or for the per-image
                              // kernels the median over the quietest interleaved cycles (fit and errors use it)
  SampleStats time;           // every sample, pooled over rounds
  double round_spread = 0.0;  // (slowest - fastest round median) / fastest: disturbance
  double predicted_s = 0.0;
  double error = 0.0;  // (predicted - measured_s) / measured_s
};

struct FittedModel {
  std::string name;  // as KernelResult::model
  RooflineParams params;
  ProfileFactors factors;
  double rms_log_error = 0.0;
  int fit_kernels = 0;
};

// Held-out errors, split by who predicts the rows. The headline is the written CPU profile's:
// its held-out rows are those of models "profile" (GEMM, convolution: the profile's figures
// with the fit's efficiency, row-based half_batch and t0) and "image" (the networks, priced
// as 'hwplan predict' prices them on the profile as written). The other models (fp64, 1-thread,
// the GPU's) are fitted separately and written nowhere but in calibration's provenance, so
// their rows say nothing about the profile: they get a median of their own each.
struct ModelHeldOut {
  std::string model;              // as KernelResult::model
  double median_abs_error = 0.0;  // over its held-out rows
  int kernels = 0;                // its held-out rows
};
struct HeldOutSummary {
  double profile_median_abs_error = 0.0;  // over the written profile's held-out rows (0 when none)
  int profile_kernels = 0;
  std::vector<ModelHeldOut> others;  // one per other model with held-out rows, in order of first row
};
// Whether the written CPU profile predicts this row (model "profile" or "image").
bool predicted_by_profile(const KernelResult& k);
HeldOutSummary held_out_summary(const std::vector<KernelResult>& kernels);

struct CalibrationResult {
  HardwareProfile profile;                     // this machine (CPU, all cores)
  std::optional<HardwareProfile> gpu_profile;  // first CUDA device, when built with CUDA
  std::vector<KernelResult> kernels;
  std::vector<FittedModel> models;
  // Held-out errors (held_out_summary): profile_median_abs_error, over the rows the written
  // profile predicts, is the headline, the profile's calibration.held_out_median_abs_error and
  // the > 15 % warning; the other models' medians are printed apart.
  HeldOutSummary held_out;
  double wall_s = 0.0;
  std::vector<std::string> notes;  // what the reader must know: estimates, noise, skips
};

CalibrationResult run_calibration(const CalibrateOptions& opts);

// Whether this build has the CUDA path (-DHWPLAN_CALIBRATE_CUDA=ON with a toolkit): it then
// writes ID-gpu.yaml next to the profile when it finds a device, and the command checks that
// file before the benchmark like the others.
bool gpu_path_built();

// A calibrated profile as YAML that load_profile accepts: the measured figures rounded to
// four significant digits (efficiency factors to four decimals, clamped to 0.001-1), then
// written by sim/io's hw::profile_yaml with their units, sources and calibration maps.
std::string profile_yaml(const HardwareProfile& p);

// The catalogue profile in `catalogue_file` with efficiency (compute, memory,
// half_batch) taken from `calibrated`, and efficiency.launch too when both are of the same
// class and the calibration resolved it; `overhead` (per-batch host work, not measured) is
// kept. The change is recorded under sources.efficiency and calibration (applied_from,
// applied_fields, date, machine), renamed to
// `new_id` (the loader wants id = file name; a new id lets it sit beside the original).
// Other keys keep their text; comments are lost.
std::string apply_calibration_yaml(const std::string& catalogue_file,
                                   const HardwareProfile& calibrated, const std::string& new_id);

}  // namespace hw::calib
