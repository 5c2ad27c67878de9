#include "sim/hardware/perf_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace hw {

std::optional<Precision> choose_precision(const HardwareProfile& hw, const WorkloadModel& m,
                                          std::optional<Precision> requested) {
  Precision want = requested.value_or(m.precision);
  if (hw.peak.contains(want)) return want;
  std::optional<Precision> best;
  double best_peak = 0.0;
  for (Precision p : m.precisions) {
    auto it = hw.peak.find(p);
    if (it != hw.peak.end() && it->second.si() > best_peak) {
      best_peak = it->second.si();
      best = p;
    }
  }
  return best;
}

double compute_efficiency(const HardwareProfile& hw, int batch) {
  const double b = std::max(1, batch);
  if (hw.half_efficiency_batch <= 0.0) return hw.efficiency_compute;
  return hw.efficiency_compute * b / (b + hw.half_efficiency_batch);
}

BatchTiming batch_time(const HardwareProfile& hw, const WorkloadModel& m, Precision p, int batch) {
  const double b = std::max(1, batch);
  const double peak = hw.peak.at(p).si();
  BatchTiming t;
  // compute time: b*F / (peak_p * eff_c(b))
  t.compute = Seconds(b * m.flops_per_item.si() / (peak * compute_efficiency(hw, batch)));
  // memory time: (W + b*A) / (BW * eff_m)
  t.memory = Seconds((m.weights_at(p).si() + b * m.bytes_per_item_at(p).si()) /
                     (hw.memory_bandwidth.si() * hw.efficiency_memory));
  t.memory_bound = t.memory > t.compute;
  t.total = hw.overhead + std::max(t.compute, t.memory);
  return t;
}

Bytes resident_bytes(const WorkloadModel& m, Precision p, int batch) {
  return m.weights_at(p) + m.memory_per_item_at(p) * static_cast<double>(std::max(1, batch));
}

std::optional<std::string> fit_problem(const HardwareProfile& hw, const WorkloadModel& m,
                                       std::optional<Precision> requested) {
  auto p = choose_precision(hw, m, requested);
  if (!p) {
    std::string have;
    for (const auto& [prec, _] : hw.peak) have += (have.empty() ? "" : ", ") + to_string(prec);
    return fmt::format("{} has no compute at any precision {} runs at (device has: {})", hw.id,
                       m.id, have.empty() ? "none" : have);
  }
  Bytes need = resident_bytes(m, *p, 1);
  if (hw.memory_capacity.si() > 0 && need > hw.memory_capacity) {
    return fmt::format("{} needs {} at {} for batch 1 but {} has {} per accelerator", m.id,
                       format_data(need), to_string(*p), hw.id, format_data(hw.memory_capacity));
  }
  return std::nullopt;
}

int max_batch_fitting(const HardwareProfile& hw, const WorkloadModel& m, Precision p, int limit) {
  if (hw.memory_capacity.si() <= 0) return limit;
  const double free = hw.memory_capacity.si() - m.weights_at(p).si();
  if (free < 0) return 0;
  const double per = m.memory_per_item_at(p).si();
  if (per <= 0) return limit;
  return static_cast<int>(std::min<double>(limit, std::floor(free / per)));
}

std::optional<Precision> job_precision(const HardwareProfile& hw, Precision requested) {
  // Widening order: int8 -> fp16 -> fp32.
  static constexpr Precision kWider[] = {Precision::int8, Precision::fp16, Precision::fp32};
  bool reached = false;
  for (Precision p : kWider) {
    if (p == requested) reached = true;
    if (reached && hw.peak.contains(p)) return p;
  }
  return std::nullopt;
}

std::optional<JobTiming> job_single_device_time(const HardwareProfile& hw, Flops total_flops, Bytes total_bytes,
                                                Precision requested) {
  auto p = job_precision(hw, requested);
  if (!p) return std::nullopt;
  JobTiming t;
  t.precision = *p;
  // compute time: F / (peak_p * eff_c)
  t.compute = Seconds(total_flops.si() / (hw.peak.at(*p).si() * hw.efficiency_compute));
  // memory time: bytes / (BW * eff_m); a profile without bandwidth has no memory bound
  t.memory = hw.memory_bandwidth.si() > 0 ? Seconds(total_bytes.si() / (hw.memory_bandwidth.si() * hw.efficiency_memory))
                                          : Seconds(0);
  t.memory_bound = t.memory > t.compute;
  t.total = std::max(t.compute, t.memory);
  return t;
}

double job_speedup(int devices, double scaling_efficiency) {
  const double n = std::max(1, devices);
  return n * std::pow(scaling_efficiency, std::log2(n));
}

}  // namespace hw
