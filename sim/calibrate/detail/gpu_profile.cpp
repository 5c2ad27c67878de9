// The GPU profile of the CUDA path (detail/gpu.hpp), built from fitted models: no CUDA here,
// so the same code is compiled, and unit-tested, in every build.
#include <fmt/format.h>

#include "sim/calibrate/detail/gpu.hpp"

namespace hw::calib::detail {

HardwareProfile gpu_profile(const HardwareProfile& host, const GpuFacts& dev, const FittedModel& f32,
                            const FittedModel& f16, std::optional<double> power_max_w, HardwareProfile* rows) {
  HardwareProfile g;
  g.id = host.id + "-gpu";
  g.name = fmt::format("{} (calibrated on {})", dev.name,
                       host.calibration.count("host") ? host.calibration.at("host") : host.id);
  g.klass = HardwareClass::accelerator;
  g.form_factor = "GPU";
  g.memory_capacity = Bytes(dev.memory_bytes);
  apply_factors(g, f32.factors);
  // One compute efficiency per profile: fp16's peak is set so that peak16 * eff_c = P16.
  g.peak[Precision::fp16] = FlopsPerSecond(f16.params.compute_flops_per_s / f32.factors.efficiency_compute);
  const bool unresolved = overhead_unresolved_s(f32.params.overhead_s);
  if (unresolved) g.overhead = Seconds(0.0);
  if (rows) {
    *rows = g;  // the fit's own factors: h in GEMM rows, t0 per call as overhead
  }
  // Per item, as the catalogue's GPU profiles (docs/model.md): no half_batch, a launch cost
  // per kernel. A half_batch in rows read as images made the CPU profile ~50x too slow on
  // ResNet-50 at batch 1 (docs/calibration.md, Limits); the same held here.
  g.half_efficiency_batch = 0.0;
  if (!unresolved) g.launch = Seconds(f32.params.overhead_s);

  const std::string when = host.calibration.count("date") ? host.calibration.at("date") : "";
  g.sources["compute"] = fmt::format(
      "hwplan calibrate on {}: fp32 = best cuBLAS SGEMM rate (no TF32); fp16 = cuBLAS "
      "GEMM fp16 in/out, fp32 accumulation, fitted asymptote / efficiency.compute",
      when);
  g.sources["memory"] = fmt::format(
      "hwplan calibrate on {}: bandwidth = cudaMemcpy device to device ({} MiB, read + "
      "write counted); capacity = cudaMemGetInfo total",
      when, dev.copy_mib);
  g.sources["efficiency"] = fmt::format(
      "hwplan calibrate on {}: roofline fitted to {} SGEMM kernels: compute = fitted large-batch rate / best "
      "SGEMM rate, memory = fitted streaming bandwidth / copy bandwidth; half_batch 0 (the profile prices a "
      "model's item; the fit's h is {:.3g} GEMM rows, HGEMM's {:.3g}, calibration.gpu_fit); launch = fitted "
      "cost per cuBLAS call (one per kernel of a model){}",
      when, f32.fit_kernels, f32.params.half_batch, f16.params.half_batch,
      unresolved ? ": unresolved (at the fit's lower bound), left at the default (none)" : "");
  record_overhead(g, unresolved, fmt::format("hwplan calibrate on {}: fitted fixed cost per cuBLAS call", when),
                  fmt::format("overhead unresolved: the fitted cost per cuBLAS call is at the fit's lower bound "
                              "(0.1 ns); overhead and efficiency.launch keep the default (none)"));
  if (power_max_w) {
    g.power_max = Watts(*power_max_w);
    g.power_idle = Watts(0.15 * *power_max_w);
    g.sources["power"] = fmt::format(
        "max: given on the command line (hwplan calibrate --gpu-power-max '{:g} W'); idle: estimate, 15 % of max; "
        "replace with a measured idle",
        *power_max_w);
  } else {
    // Not this card's figure: this build reads no NVML, and CUDA's device properties carry
    // no power limit. 300 W is the board power of a typical data-centre PCIe card.
    const double tdp = 300.0;
    g.power_max = Watts(tdp);
    g.power_idle = Watts(0.15 * tdp);
    g.sources["power"] = fmt::format(
        "estimate: not measured and not this card's figure (this build reads no NVML): 300 W, the board power of "
        "a typical data-centre PCIe card, idle 15 %; give the board power of {} from its datasheet with "
        "hwplan calibrate --gpu-power-max, and replace idle with a measured figure",
        dev.name);
  }
  g.calibration = host.calibration;
  g.calibration["gpu"] = dev.name;
  g.calibration["cuda_runtime"] = dev.cuda_runtime;
  g.calibration["cublas"] = dev.cublas;
  g.calibration["kernels"] = dev.kernels;
  g.calibration["gpu_fit"] = fmt::format(
      "fp32: P = {:.4g} GFLOP/s, B = {:.4g} GB/s, h = {:.3g} rows, t0 = {:.3g} us over {} kernels; fp16: P = {:.4g} "
      "GFLOP/s, h = {:.3g} rows over {} kernels",
      f32.params.compute_flops_per_s / 1e9, f32.params.bandwidth_bytes_per_s / 1e9, f32.params.half_batch,
      f32.params.overhead_s * 1e6, f32.fit_kernels, f16.params.compute_flops_per_s / 1e9, f16.params.half_batch,
      f16.fit_kernels);
  if (rows) {
    rows->sources = g.sources;
    rows->power_max = g.power_max;
    rows->power_idle = g.power_idle;
    rows->calibration = g.calibration;
  }
  return g;
}

void record_overhead(HardwareProfile& p, bool unresolved, const std::string& fitted,
                     const std::string& unresolved_note) {
  if (!unresolved) {
    p.sources["overhead"] = fitted;
    return;
  }
  p.overhead = Seconds(0.0);
  p.sources.erase("overhead");
  std::string& eff = p.sources["efficiency"];
  eff += eff.empty() ? unresolved_note : "; " + unresolved_note;
}

}  // namespace hw::calib::detail
