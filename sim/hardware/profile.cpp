#include "sim/hardware/profile.hpp"

namespace hw {

std::string to_string(HardwareClass c) {
  switch (c) {
    case HardwareClass::edge: return "edge";
    case HardwareClass::accelerator: return "accelerator";
    case HardwareClass::gpu_server: return "gpu_server";
    case HardwareClass::cpu_server: return "cpu_server";
  }
  return "?";
}

std::string to_string(Precision p) {
  switch (p) {
    case Precision::fp32: return "fp32";
    case Precision::fp16: return "fp16";
    case Precision::int8: return "int8";
    case Precision::fp8: return "fp8";
    case Precision::fp4: return "fp4";
  }
  return "?";
}

std::optional<HardwareClass> hardware_class_from(std::string_view s) {
  if (s == "edge") return HardwareClass::edge;
  if (s == "accelerator") return HardwareClass::accelerator;
  if (s == "gpu_server") return HardwareClass::gpu_server;
  if (s == "cpu_server") return HardwareClass::cpu_server;
  return std::nullopt;
}

std::optional<Precision> precision_from(std::string_view s) {
  if (s == "fp32") return Precision::fp32;
  if (s == "fp16" || s == "bf16") return Precision::fp16;
  if (s == "int8") return Precision::int8;
  if (s == "fp8") return Precision::fp8;
  if (s == "fp4") return Precision::fp4;
  return std::nullopt;
}

double bytes_per_element(Precision p) {
  switch (p) {
    case Precision::fp32: return 4.0;
    case Precision::fp16: return 2.0;
    case Precision::int8: return 1.0;
    case Precision::fp8: return 1.0;
    case Precision::fp4: return 0.5;
  }
  return 4.0;
}

}  // namespace hw
