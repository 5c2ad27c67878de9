// The CUDA path of calibrate: cuBLAS SGEMM/HGEMM and device-to-device copies on the first
// GPU, fitted like the CPU kernels into an `accelerator` profile. Built only with
// -DHWPLAN_CALIBRATE_CUDA=ON and a CUDA toolkit (detail/gpu_cuda.cpp); otherwise
// detail/gpu_none.cpp says so in the notes and returns nothing.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/calibrate/calibrate.hpp"

namespace hw::calib::detail {

// Appends the GPU kernels and models to `kernels` and `models`; `host` is the CPU
// profile (for id, date and provenance); `power_max_w`: see gpu_profile.
std::optional<HardwareProfile> calibrate_gpu(
    const HardwareProfile& host, bool quick, std::optional<double> power_max_w, std::vector<KernelResult>& kernels,
    std::vector<FittedModel>& models, std::vector<std::string>& notes,
    const std::function<void(const std::string&, bool)>& progress);

// What the CUDA path learns about the device, for gpu_profile (kept free of CUDA types so
// that the profile logic builds and is tested everywhere).
struct GpuFacts {
  std::string name;                 // cudaDeviceProp::name
  double memory_bytes = 0.0;        // cudaMemGetInfo total
  std::size_t copy_mib = 0;         // size of the device-to-device copy timed
  std::string cuda_runtime, cublas; // versions
  std::string kernels;              // the kernel names, "; "-separated
};

// The `accelerator` profile ID-gpu.yaml from the fitted SGEMM (`f32`) and fp16 GEMM (`f16`)
// models, priced per item like the catalogue's GPU profiles: half_batch 0 and the fitted
// cost per cuBLAS call t0 as efficiency.launch (one per kernel of a model) and overhead; the
// row-based h stays in sources.efficiency and calibration.gpu_fit (a half_batch in GEMM
// rows, read as images, priced a CNN at batch 1 tens of times too slow, as it did on the
// CPU before issue 13). power.max is `power_max_w` (hwplan calibrate --gpu-power-max) when
// given, else a 300 W estimate that says it is not the card's figure; idle is 15 % of max
// (estimate). `rows` (if not null) gets the same profile with the fit's row-based factors,
// on which the report prices the GEMM kernels.
HardwareProfile gpu_profile(const HardwareProfile& host, const GpuFacts& dev, const FittedModel& f32,
                            const FittedModel& f16, std::optional<double> power_max_w,
                            HardwareProfile* rows = nullptr);

// Shared with calibrate.cpp: a kernel's time as perf_model prices it on `hw` (one
// batch_time per stage, all stages at fp32 peak), and copying fitted factors into a profile.
double predict_on(const HardwareProfile& hw, const std::vector<Stage>& stages);
void apply_factors(HardwareProfile& p, const ProfileFactors& f);
// The source of the fitted per-call cost (CPU and GPU paths). Resolved: sources.overhead is
// `fitted`. Unresolved: the profile keeps the default overhead (0 s), so no 'overhead' key is
// written, and no sources.overhead either (a source names a group of the file,
// docs/input-format.md); `unresolved_note` goes to sources.efficiency, whose launch is left
// at the default for the same reason. (It used to write 'overhead: 0 s' with the note.)
void record_overhead(HardwareProfile& p, bool unresolved, const std::string& fitted,
                     const std::string& unresolved_note);

}  // namespace hw::calib::detail
