// What one continuous-batching iteration of an LLM serving replica costs, and how many tokens
// of KV cache the replica holds. Pure functions, no SimGrid; the engine steps the iterations
// (sim/engine/llm_serving.hpp). See docs/model.md, "LLM serving".
//
// A replica is one copy of the model over k accelerators (the split of parallel.hpp). One
// iteration processes T tokens (one decode token per running sequence plus prompt chunks)
// whose sequences hold C tokens of context and form P (query, context) attention pairs:
//
//   t = overhead + K launch + comm(T) + max(compute, memory)
//   compute = (2 N (T + h) + 4 L d P) / (k peak_p eff_c)     N = parameters, L = layers, d = hidden
//   memory  = (W + C kv) / (k BW eff_m)                       W = weight bytes at p, read once per iteration
//   kv      = L x kv_heads x head_dim x 2 x bytes(p)          (key and value per layer and KV head)
//   comm    = tensor parallel: 2 L AR(T d 2 B, k) (two all-reduces per layer, as in parallel.hpp)
//             pipeline: (k - 1) hand-overs of T d 2 B (and compute and memory are not divided by k:
//             the stages run one after another for one iteration; no micro-batching)
//
// eff_c(T) = eff_c T / (T + h) as in perf_model.hpp, hence the (T + h). N = W / bytes(p).
//
// KV capacity of a replica: k x memory x (1 - reserve) - W, over kv bytes per token; the
// reserve (10%) is for activations and the runtime: vLLM's default gpu_memory_utilization is
// 0.9 (vLLM engine arguments, docs.vllm.ai). Limits: activation traffic other than the KV
// cache is left out (prefill is compute-bound long before it matters), as are sampling,
// detokenisation and any overlap of communication with compute.
#pragma once

#include <optional>
#include <string>

#include "sim/hardware/parallel.hpp"

namespace hw {

// The coefficients of one iteration's time, the formula above in the form the engine applies:
//   t = fixed_s + comm_per_token_s T
//       + max(compute_per_token_s (T + compute_half_tokens) + attention_per_pair_s P,
//             weights_s + kv_per_token_s C)
struct LlmIterationCost {
  double fixed_s = 0;               // per-iteration overhead + the all-reduces' latency terms
  double compute_per_token_s = 0;   // 2 x parameters FLOPs per token, over the replica's peak x efficiency
  double compute_half_tokens = 0;   // the profile's half-efficiency batch, in tokens
  double attention_per_pair_s = 0;  // 4 x layers x hidden FLOPs per (query, context) pair
  double weights_s = 0;             // reading the weights once per iteration
  double kv_per_token_s = 0;        // reading one context token's KV cache
  double comm_per_token_s = 0;      // tensor-parallel all-reduce (bandwidth term) or pipeline hand-over per token
};

inline constexpr double kLlmMemoryReserve = 0.10;  // vLLM default gpu_memory_utilization 0.9

// The coefficients of the iteration time above for model m at precision p on a replica of
// `split` accelerators of hw. Nothing if hw has no compute at p.
std::optional<LlmIterationCost> llm_iteration_cost(const HardwareProfile& hw, const WorkloadModel& m, Precision p,
                                                   const ModelSplit& split);

// Tokens of KV cache one replica holds (0 or less: the weights alone do not fit).
double llm_kv_capacity_tokens(const HardwareProfile& hw, const WorkloadModel& m, Precision p, const ModelSplit& split);

// The time of one iteration from its coefficients (the formula above).
double llm_iteration_time(const LlmIterationCost& c, double tokens, double context_tokens, double attention_pairs);

}  // namespace hw
