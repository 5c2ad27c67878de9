#include "sim/hardware/llm_cost.hpp"

#include <algorithm>

#include "sim/hardware/perf_model.hpp"

namespace hw {

std::optional<LlmIterationCost> llm_iteration_cost(const HardwareProfile& hw, const WorkloadModel& m, Precision p,
                                                   const ModelSplit& split) {
  if (!hw.peak.contains(p) || hw.memory_bandwidth.si() <= 0) return std::nullopt;
  const bool tensor = split.kind == SplitKind::tensor && split.gpus > 1;
  const bool pipeline = split.kind == SplitKind::pipeline && split.gpus > 1;
  const double k = tensor ? split.gpus : 1.0;  // a pipeline's stages run one after another
  const double weights = m.weights_at(p).si();
  const double parameters = weights / bytes_per_element(p);
  const double flops_s = k * hw.peak.at(p).si() * hw.efficiency_compute;
  const double bytes_s = k * hw.memory_bandwidth.si() * hw.efficiency_memory;
  LlmIterationCost c;
  c.fixed_s = hw.overhead.si() + hw.launch.si() * std::max(0, m.kernels);
  c.compute_per_token_s = 2.0 * parameters / flops_s;
  c.compute_half_tokens = hw.half_efficiency_batch;
  c.attention_per_pair_s = 4.0 * m.layers * static_cast<double>(m.hidden) / flops_s;
  c.weights_s = weights / bytes_s;
  c.kv_per_token_s = m.kv_bytes_per_token(p).si() / bytes_s;
  const double token_bytes = m.hidden * (p == Precision::fp32 ? 4.0 : 2.0);  // activations: 4 B at fp32, else 16 bits
  if (tensor) {
    // 2 L AR(T x token_bytes, k) = 2 L (L_ar + 2 (k-1)/k T token_bytes / B): split into the
    // latency term (per iteration) and the bandwidth term (per token).
    const double at0 = allreduce_time(hw, Bytes(0), split.gpus).value_or(Seconds(0)).si();
    const double at1 = allreduce_time(hw, Bytes(token_bytes), split.gpus).value_or(Seconds(0)).si();
    c.fixed_s += 2.0 * m.layers * at0;
    c.comm_per_token_s = 2.0 * m.layers * (at1 - at0);
  } else if (pipeline) {
    const double bw = hw.interconnect_bandwidth.si();
    c.fixed_s += (split.gpus - 1) * hw.interconnect_latency.si();
    c.comm_per_token_s = bw > 0 ? (split.gpus - 1) * token_bytes / bw : 0.0;
  }
  return c;
}

double llm_kv_capacity_tokens(const HardwareProfile& hw, const WorkloadModel& m, Precision p, const ModelSplit& split) {
  const double k = std::max(1, split.gpus);
  const double free = k * hw.memory_capacity.si() * (1.0 - kLlmMemoryReserve) - m.weights_at(p).si();
  const double per = m.kv_bytes_per_token(p).si();
  return per > 0 ? free / per : 0.0;
}

double llm_iteration_time(const LlmIterationCost& c, double tokens, double context_tokens, double attention_pairs) {
  const double compute = c.compute_per_token_s * (tokens + c.compute_half_tokens) + c.attention_per_pair_s * attention_pairs;
  const double memory = c.weights_s + c.kv_per_token_s * context_tokens;
  return c.fixed_s + c.comm_per_token_s * tokens + std::max(compute, memory);
}

}  // namespace hw
