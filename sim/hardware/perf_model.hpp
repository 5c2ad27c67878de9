// Device performance model: time of one batch of a model on a device (roofline with
// efficiency factors), precision choice, and memory fit. Pure functions, no SimGrid.
//
//   t(b) = overhead + K*launch + max( b*F / (peak_p * eff_c(b)),  (W + b*A) / (BW * eff_m) )
//   eff_c(b) = eff_c * b / (b + h)        (h = half_efficiency_batch; h = 0 -> eff_c)
//
// K = kernels (fused layers) the model launches per pass, launch = the device's fixed time
// per kernel: a deep model's batch-1 latency is mostly K*launch (BERT-large, ~170 kernels).
//
// F = FLOPs per item, W = weight bytes at precision p (read once per batch), A =
// activation bytes per item at p, peak_p = dense peak of one accelerator at p, BW = its
// memory bandwidth. Small batches of big models are memory-bound (LLM decode); large
// batches are compute-bound. Limits: no cache model, no overlap of batches, a stage
// runs on one accelerator.
//
// A dataflow accelerator (a profile with memory.on_chip = S, e.g. Hailo-8, Coral Edge TPU)
// keeps the model on chip and BW is its host link (PCIe, USB). The chip holds one item's
// live activations M (memory_per_item) and as many weights as fit beside them; the rest,
// Ws = max(0, W - (S - M)), streams over the link once per batch. Then
//   memory = max( (Ws + b*(in + out)) / (BW * eff_m),  b*A / (BW_chip * eff_m) )
// in/out = the item's input_size and output_size; BW_chip = memory.on_chip_bandwidth (the
// second term is left out without it). If M > S, nothing stays on chip: Ws = W, and b*A
// crosses the link too.
#pragma once

#include <optional>
#include <string>

#include "sim/hardware/profile.hpp"
#include "sim/workload/model.hpp"

namespace hw {

struct BatchTiming {
  Seconds total;        // overhead + fixed + max(compute, memory)
  Seconds fixed;        // kernels * launch
  Seconds compute;      // b*F / (peak * eff_c(b))
  Seconds memory;       // (W + b*A) / (BW * eff_m); on a dataflow device, see above
  bool memory_bound = false;
};

// Precision the stage will run at on this device: the requested one if the device
// has compute for it, else the fastest precision the model allows and the device has.
std::optional<Precision> choose_precision(const HardwareProfile& hw, const WorkloadModel& m,
                                          std::optional<Precision> requested);

double compute_efficiency(const HardwareProfile& hw, int batch);

// Dataflow devices (hw.on_chip_memory > 0): whether one item's live activations fit on chip,
// and the weight bytes that do not fit beside them and stream over the host link per batch
// (0 on a device without on-chip memory).
bool activations_on_chip(const HardwareProfile& hw, const WorkloadModel& m, Precision p);
Bytes streamed_weights(const HardwareProfile& hw, const WorkloadModel& m, Precision p);

BatchTiming batch_time(const HardwareProfile& hw, const WorkloadModel& m, Precision p, int batch);

// Bytes resident on one accelerator for a batch: weights + batch * per-item memory.
Bytes resident_bytes(const WorkloadModel& m, Precision p, int batch);

// Why the model cannot run on the device at any batch size, or nothing if it can.
std::optional<std::string> fit_problem(const HardwareProfile& hw, const WorkloadModel& m,
                                       std::optional<Precision> requested);

// Largest batch (<= limit) whose resident bytes fit one accelerator's memory; 0 if none.
int max_batch_fitting(const HardwareProfile& hw, const WorkloadModel& m, Precision p, int limit);

// ---- Throughput a real server gets (docs/model.md, "Offline and server throughput")

// The batch at which the device saturates: the smallest b whose throughput b / t(b) reaches
// `fraction` of the throughput at `max_batch` (itself capped by what fits in memory).
// Throughput b / t(b) rises with b towards min(peak*eff_c / F, BW*eff_m / A), so the
// device gains less than 1 - fraction past this batch. 0 if not even batch 1 fits.
int saturation_batch(const HardwareProfile& hw, const WorkloadModel& m, Precision p, int max_batch,
                     double fraction = 0.97);

// Items/s of one accelerator running back-to-back batches of b.
double batch_throughput(const HardwareProfile& hw, const WorkloadModel& m, Precision p, int batch);

// Poisson arrivals served by dynamic batching on one accelerator under a bound on the 99th
// percentile latency. The accelerator runs back to back, each batch taking what queued
// during the previous one: at rate lambda the mean batch b satisfies b = lambda t(b). A
// request waits for the running batch and then runs in its own; the Poisson count in its
// batch reaches b + z sqrt(b) at the 99th percentile (z = 2.326, normal approximation), so
//   p99 latency ~ t(b) + t(b + z sqrt(b)) <= bound,   throughput = b / t(b)
// Returns the best admissible b and its throughput (items/s; 0 if even b = 1 misses it).
struct ServerPoint {
  double throughput_per_s = 0.0;
  int batch = 0;
};
ServerPoint server_throughput(const HardwareProfile& hw, const WorkloadModel& m, Precision p, Seconds p99_bound,
                              int max_batch);

// ---- Batch jobs (training, rendering, scientific runs): a whole job on one accelerator.

// Precision a job runs at: the requested one if the device has compute for it, else the
// next wider one it has (fp4 -> fp8 -> fp16 -> fp32, int8 -> fp16 -> fp32): a job never
// runs narrower than asked.
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
