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
