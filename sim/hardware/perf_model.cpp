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

bool activations_on_chip(const HardwareProfile& hw, const WorkloadModel& m, Precision p) {
  return hw.on_chip_memory.si() > 0 && m.memory_per_item_at(p) <= hw.on_chip_memory;
}

Bytes streamed_weights(const HardwareProfile& hw, const WorkloadModel& m, Precision p) {
  if (hw.on_chip_memory.si() <= 0) return Bytes(0);
  // the chip keeps one item's live activations first, then as many weights as fit
  const double room = activations_on_chip(hw, m, p) ? hw.on_chip_memory.si() - m.memory_per_item_at(p).si() : 0.0;
  return Bytes(std::max(0.0, m.weights_at(p).si() - room));
}

BatchTiming batch_time(const HardwareProfile& hw, const WorkloadModel& m, Precision p, int batch) {
  const double b = std::max(1, batch);
  const double peak = hw.peak.at(p).si();
  BatchTiming t;
  // compute time: b*F / (peak_p * eff_c(b))
  t.compute = Seconds(b * m.flops_per_item.si() / (peak * compute_efficiency(hw, batch)));
  if (hw.on_chip_memory.si() > 0) {
    // dataflow device: only the input and output of each item and the streamed weights
    // cross the host link (BW); activations stay on chip, bound by the on-chip bandwidth
    const double item_io = m.input_size.si() + m.output_size.si();
    const bool acts_on_chip = activations_on_chip(hw, m, p);
    const double link = streamed_weights(hw, m, p).si() + b * item_io + (acts_on_chip ? 0.0 : b * m.bytes_per_item_at(p).si());
    t.memory = Seconds(link / (hw.memory_bandwidth.si() * hw.efficiency_memory));
    if (acts_on_chip && hw.on_chip_bandwidth.si() > 0) {
      t.memory = std::max(t.memory, Seconds(b * m.bytes_per_item_at(p).si() / (hw.on_chip_bandwidth.si() * hw.efficiency_memory)));
    }
  } else {
    // memory time: (W + b*A) / (BW * eff_m)
    t.memory = Seconds((m.weights_at(p).si() + b * m.bytes_per_item_at(p).si()) /
                       (hw.memory_bandwidth.si() * hw.efficiency_memory));
  }
  t.memory_bound = t.memory > t.compute;
  // fixed per pass: kernels * launch
  t.fixed = hw.launch * static_cast<double>(std::max(0, m.kernels));
  t.total = hw.overhead + t.fixed + std::max(t.compute, t.memory);
  return t;
}

double batch_throughput(const HardwareProfile& hw, const WorkloadModel& m, Precision p, int batch) {
  const int b = std::max(1, batch);
  return b / batch_time(hw, m, p, b).total.si();
}

int saturation_batch(const HardwareProfile& hw, const WorkloadModel& m, Precision p, int max_batch, double fraction) {
  const int top = max_batch_fitting(hw, m, p, std::max(1, max_batch));
  if (top < 1) return 0;
  const double best = batch_throughput(hw, m, p, top);
  // throughput is non-decreasing in b: bisect for the first b reaching fraction * best
  int lo = 1, hi = top;
  while (lo < hi) {
    const int mid = lo + (hi - lo) / 2;
    if (batch_throughput(hw, m, p, mid) >= fraction * best) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

ServerPoint server_throughput(const HardwareProfile& hw, const WorkloadModel& m, Precision p, Seconds p99_bound,
                              int max_batch) {
  constexpr double z = 2.326;  // standard normal 99th percentile
  ServerPoint best;
  const int top = max_batch_fitting(hw, m, p, std::max(1, max_batch));
  for (int b = 1; b <= top; ++b) {
    const double t = batch_time(hw, m, p, b).total.si();
    const int b99 = static_cast<int>(std::ceil(b + z * std::sqrt(static_cast<double>(b))));
    // p99 latency ~ t(b) + t(b + z sqrt(b)); both grow with b, so stop at the first miss
    if (t + batch_time(hw, m, p, b99).total.si() > p99_bound.si()) break;
    const double lambda = b / t;
    if (lambda > best.throughput_per_s) best = {lambda, b};
  }
  return best;
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
  // Widening: fp4 -> fp8 -> fp16 -> fp32; int8 -> fp16 -> fp32.
  auto wider = [](Precision p) -> std::optional<Precision> {
    switch (p) {
      case Precision::fp4: return Precision::fp8;
      case Precision::fp8: return Precision::fp16;
      case Precision::int8: return Precision::fp16;
      case Precision::fp16: return Precision::fp32;
      case Precision::fp32: return std::nullopt;
    }
    return std::nullopt;
  };
  for (std::optional<Precision> p = requested; p; p = wider(*p)) {
    if (hw.peak.contains(*p)) return p;
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
