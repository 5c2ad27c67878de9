// Work split over the accelerators of a multi-GPU server, and what the split costs in
// communication over the server's interconnect (NVLink/NVSwitch, Infinity Fabric, PCIe).
// Pure functions, no SimGrid; see docs/model.md, "Multi-GPU servers".
//
//   all-reduce of S bytes over k accelerators (ring):  AR(S, k) = L + 2 (k-1)/k * S / B
//
// B = the profile's interconnect bandwidth per accelerator and direction, L = the time of one
// small all-reduce on the server (its latency term, measured by nccl-tests at a few bytes).
// Past one server (k > accelerators) the ring also crosses the servers' NICs: B is then
// min(interconnect, scale_out). Limits: one ring (no tree or NVLink-SHARP in-switch
// reduction), no overlap of communication with compute.
//
// Data parallel (batch jobs: training): each of `steps` steps all-reduces the gradients,
//   t(n) = T1 / n + steps * AR(G, n),  speed-up(n) = T1 / t(n),  efficiency = speed-up / n
// T1 = the whole job on one accelerator, G = parameters x bytes per value at the job's precision.
//
// Tensor parallel over k (a served model): each accelerator holds W/k of the weights and does
// F/k of the work; every layer all-reduces the b items' hidden activations twice (after the
// attention and after the MLP, Megatron-LM style):
//   t_tp(b) = overhead + K*launch + max(b F / (k peak eff_c(b)), (W + b A) / (k BW eff_m))
//             + 2 layers AR(b * hidden * 2 B, k)
// Pipeline parallel over k: k stages of layers/k each; a batch of b is cut into m = min(b, k)
// micro-batches that follow each other through the stages, so the pipeline fills and drains:
//   t_pp(b) = overhead + (m + k - 1) * t_stage(b/m) + (k-1) * (L + (b/m) hidden 2 B / B)
// t_stage = roofline of one stage (F/k, W/k, A/k per item); the bubble is the (k-1)/(m+k-1)
// share of the stage slots that are idle. Both keep b * memory_per_item / k of KV cache per
// accelerator next to W/k of weights.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/hardware/perf_model.hpp"
#include "sim/workload/scenario.hpp"

namespace hw {

// Time of one all-reduce of `bytes` over k accelerators of this server type; 0 for k = 1;
// nothing if the bandwidth it needs is unknown (no interconnect, or k > accelerators and no
// scale_out).
std::optional<Seconds> allreduce_time(const HardwareProfile& hw, Bytes bytes, int k);

struct DataParallel {
  int devices = 1;
  double speedup = 1.0;
  double efficiency = 1.0;      // speedup / devices
  Seconds communication;        // all-reduce time over the whole job
};
// A job split over n accelerators by data parallelism (see above). Nothing if the all-reduce
// time is unknown, or steps or gradient bytes are not positive.
std::optional<DataParallel> data_parallel(const HardwareProfile& hw, int devices, Seconds single_device, double steps,
                                          Bytes gradient);

// The per-doubling efficiency e for which n e^log2(n) = n * efficiency (the batch-job speed-up
// form the engine applies): e = efficiency^(1/log2 n); 1 for n = 1.
double per_doubling_efficiency(int devices, double efficiency);

// A batch job's scaling on `devices` accelerators of this profile: the job's own
// `scaling_efficiency` if the scenario gives it (an override), else computed by
// data_parallel() from `parameters` and `steps` (gradients at the job's precision), else the
// default 0.9 per doubling. `per_doubling` is what the engine's n e^log2(n) takes.
// The default 0.9 is an estimate, not a measured or published figure: 0.729 of linear on 8
// GPUs, 0.59 on 32. It lies below the 0.98-0.99 per doubling of NVIDIA's published
// data-parallel BERT-large scaling on NVLink servers (NVIDIA/DeepLearningExamples BERT README:
// DGX-1 8x V100 0.956 over 8 GPUs, DGX-2 16x V100 0.921 over 16; tests/unit/test_parallel.cpp)
// to leave room for what those runs did not have: PCIe-only servers, jobs spanning servers,
// smaller per-GPU batches. A job that gives `parameters` and `steps` gets a computed figure.
struct JobScaling {
  double per_doubling = 0.9;
  double efficiency = 1.0;   // speed-up / devices
  bool computed = false;
  std::string note;          // how it was obtained, for the report
};
JobScaling job_scaling(const HardwareProfile& hw, const BatchJob& job, int devices, Seconds single_device);

enum class SplitKind { none, tensor, pipeline };
std::string to_string(SplitKind k);

struct ModelSplit {
  SplitKind kind = SplitKind::none;
  int gpus = 1;  // accelerators that serve one copy of the model
  friend bool operator==(const ModelSplit&, const ModelSplit&) = default;
};
std::string describe(const ModelSplit& s);  // "tensor parallel over 8 GPUs", "one GPU per copy"

// The split variants of perf_model's batch_time, max_batch_fitting and fit_problem (they
// are those functions for SplitKind::none).
Seconds split_batch_time(const HardwareProfile& hw, const WorkloadModel& m, Precision p, int batch, const ModelSplit& s);
int split_max_batch(const HardwareProfile& hw, const WorkloadModel& m, Precision p, int limit, const ModelSplit& s);
std::optional<std::string> split_fit_problem(const HardwareProfile& hw, const WorkloadModel& m,
                                             std::optional<Precision> requested, const ModelSplit& s);

// One stage a server tier must serve.
struct SplitNeed {
  const WorkloadModel* model = nullptr;
  std::optional<Precision> precision;
};

// How many accelerators serve one copy of the models, and how (k divides the server's
// accelerators; splits need a known interconnect, tensor parallelism the model's layers and
// hidden size). The model with the most weight bytes decides. Rule, in order:
//   1. memory: the split must fit batch 1 (weights / k + one item's KV cache);
//   2. latency: if `latency_bound` is given, splits whose batch-1 time exceeds it are left
//      out (unless none meets it: then the fastest batch-1 split);
//   3. cost: the highest throughput per accelerator at the largest batch that fits (up to
//      max_batch), ties to the fewer accelerators, then tensor before pipeline.
// Nothing when no split fits (the caller reports fit_problem of the unsplit model).
std::optional<ModelSplit> choose_split(const HardwareProfile& hw, const std::vector<SplitNeed>& stages, int max_batch,
                                       std::optional<Seconds> latency_bound = std::nullopt);

}  // namespace hw
