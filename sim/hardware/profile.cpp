#include "sim/hardware/profile.hpp"

#include <algorithm>

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

std::string to_string(IngressRating r) {
  auto digit = [](int d) { return d < 0 ? std::string("X") : std::to_string(d); };
  return "IP" + digit(r.solids) + digit(r.water);
}

std::optional<IngressRating> ingress_from(std::string_view s) {
  if (s.size() != 4 || (s.substr(0, 2) != "IP" && s.substr(0, 2) != "ip")) return std::nullopt;
  auto digit = [](char c, int max) -> std::optional<int> {
    if (c == 'X' || c == 'x') return -1;
    if (c < '0' || c > '0' + max) return std::nullopt;
    return c - '0';
  };
  const auto solids = digit(s[2], 6), water = digit(s[3], 9);
  if (!solids || !water) return std::nullopt;
  return IngressRating{*solids, *water};
}

bool ingress_covers(IngressRating unit, IngressRating need) {
  return std::max(0, unit.solids) >= std::max(0, need.solids) && std::max(0, unit.water) >= std::max(0, need.water);
}

}  // namespace hw
