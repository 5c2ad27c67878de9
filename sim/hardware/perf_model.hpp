// Device performance model: time of one batch of a model on a device (roofline with
// efficiency factors), precision choice, and memory fit. Pure functions, no SimGrid.
//
//   t(b) = overhead + max( b*F / (peak_p * eff_c(b)),  (W + b*A) / (BW * eff_m) )
//   eff_c(b) = eff_c * b / (b + h)        (h = half_efficiency_batch; h = 0 -> eff_c)
//
// F = FLOPs per item, W = weight bytes at precision p (read once per batch), A =
// activation bytes per item at p, peak_p = dense peak of one accelerator at p, BW = its
// memory bandwidth. Small batches of big models are memory-bound (LLM decode); large
// batches are compute-bound. Limits: no cache model, no overlap of batches, a stage
// runs on one accelerator.
#pragma once

#include <optional>
#include <string>

#include "sim/hardware/profile.hpp"
#include "sim/workload/model.hpp"

namespace hw {

struct BatchTiming {
  Seconds total;        // overhead + max(compute, memory)
  Seconds compute;      // b*F / (peak * eff_c(b))
  Seconds memory;       // (W + b*A) / (BW * eff_m)
  bool memory_bound = false;
};

// Precision the stage will run at on this device: the requested one if the device
// has compute for it, else the fastest precision the model allows and the device has.
std::optional<Precision> choose_precision(const HardwareProfile& hw, const WorkloadModel& m,
                                          std::optional<Precision> requested);

double compute_efficiency(const HardwareProfile& hw, int batch);

BatchTiming batch_time(const HardwareProfile& hw, const WorkloadModel& m, Precision p, int batch);

// Bytes resident on one accelerator for a batch: weights + batch * per-item memory.
Bytes resident_bytes(const WorkloadModel& m, Precision p, int batch);

// Why the model cannot run on the device at any batch size, or nothing if it can.
std::optional<std::string> fit_problem(const HardwareProfile& hw, const WorkloadModel& m,
                                       std::optional<Precision> requested);

// Largest batch (<= limit) whose resident bytes fit one accelerator's memory; 0 if none.
int max_batch_fitting(const HardwareProfile& hw, const WorkloadModel& m, Precision p, int limit);

// ---- Batch jobs (training, rendering, scientific runs): a whole job on one accelerator.

// Precision a job runs at: the requested one if the device has compute for it, else the
// next wider one it has (int8 -> fp16 -> fp32): a job never runs narrower than asked.
std::optional<Precision> job_precision(const HardwareProfile& hw, Precision requested);

struct JobTiming {
  Seconds total;        // max(compute, memory)
  Seconds compute;      // F / (peak_p * eff_c)
  Seconds memory;       // bytes / (BW * eff_m)
  bool memory_bound = false;
  Precision precision = Precision::fp16;  // the precision it runs at (see job_precision)
};

// Time of a whole job on one accelerator (roofline with the same efficiency factors as
// batch_time): max(F / (peak_p * eff_c), bytes / (BW * eff_m)). eff_c is the profile's
// large-batch compute efficiency (a job's kernels are large, so half_batch does not apply)
// and the per-batch overhead is left out (negligible over a job). Nothing if the device
// has no compute at the job's precision or a wider one.
std::optional<JobTiming> job_single_device_time(const HardwareProfile& hw, Flops total_flops, Bytes total_bytes,
                                                Precision requested);

// Speed-up of a job on n devices: n * eff^log2(n) (eff = parallel efficiency per doubling).
double job_speedup(int devices, double scaling_efficiency);

}  // namespace hw
