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
// profile (for id, date and provenance).
std::optional<HardwareProfile> calibrate_gpu(
    const HardwareProfile& host, bool quick, std::vector<KernelResult>& kernels,
    std::vector<FittedModel>& models, std::vector<std::string>& notes,
    const std::function<void(const std::string&, bool)>& progress);

// Shared with calibrate.cpp: a kernel's time as perf_model prices it on `hw` (one
// batch_time per stage, all stages at fp32 peak), and copying fitted factors into a profile.
double predict_on(const HardwareProfile& hw, const std::vector<Stage>& stages);
void apply_factors(HardwareProfile& p, const ProfileFactors& f);

}  // namespace hw::calib::detail
