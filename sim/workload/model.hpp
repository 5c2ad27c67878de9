// A workload model: what one item (an image, a token, a sample) costs a device.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sim/core/units.hpp"
#include "sim/hardware/profile.hpp"

namespace hw {

struct WorkloadModel {
  std::string id;      // "yolov8n", or "llama2-7b:decode" for a phase of a model
  std::string name;
  std::string task;    // free text: detection, classification, llm, ...
  Flops flops_per_item;          // same count at every precision
  Bytes bytes_per_item;          // activation traffic per item, at `precision`
  Bytes weights;                 // weight bytes at `precision`, read once per batch
  Precision precision = Precision::fp16;      // precision the byte figures are given at
  std::vector<Precision> precisions;          // precisions the model may run at
  Bytes memory_per_item;         // resident per item in flight (activations, KV cache)
  Bytes input_size;              // typical input payload
  Bytes output_size;             // result size
  int kernels = 0;               // kernels (fused layers) launched per forward pass
  std::map<std::string, std::string> sources;
  std::string file;
  // Transformer shape, for splitting the model over several GPUs (sim/hardware/parallel.hpp):
  // tensor parallelism all-reduces `hidden` activations per item twice per layer. 0 = unknown
  // (the model then runs on one accelerator, or by pipeline stages when it does not fit).
  int layers = 0;
  int hidden = 0;
  // Attention shape, for the KV cache of an LLM serving stream: key/value heads (fewer than
  // the query heads with grouped-query attention) and the width of one head. 0 = unknown.
  int kv_heads = 0;
  int head_dim = 0;

  // KV-cache bytes one token keeps resident: a key and a value per layer and KV head,
  //   layers x kv_heads x head_dim x 2 x bytes per value (the cache held at precision p).
  // Llama-2-70B at fp16: 80 x 8 x 128 x 2 x 2 B = 327,680 B = 320 KiB. 0 if the shape is unknown.
  [[nodiscard]] Bytes kv_bytes_per_token(Precision p) const {
    return Bytes(static_cast<double>(layers) * kv_heads * head_dim * 2.0 * bytes_per_element(p));
  }

  // Weight and per-item bytes scaled to another precision.
  [[nodiscard]] Bytes weights_at(Precision p) const {
    return weights * (bytes_per_element(p) / bytes_per_element(precision));
  }
  [[nodiscard]] Bytes bytes_per_item_at(Precision p) const {
    return bytes_per_item * (bytes_per_element(p) / bytes_per_element(precision));
  }
  [[nodiscard]] Bytes memory_per_item_at(Precision p) const {
    return memory_per_item * (bytes_per_element(p) / bytes_per_element(precision));
  }
};

}  // namespace hw
