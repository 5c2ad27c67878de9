// The CUDA path of calibrate (see detail/gpu.hpp): cuBLAS SGEMM and HGEMM (fp16 in and
// out, fp32 accumulation) over square and skinny shapes, and device-to-device copies for
// memory bandwidth, on device 0. Timed with CUDA events; fitted with the CPU's fitter.
#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/calibrate/detail/gpu.hpp"

namespace hw::calib {
bool gpu_path_built() { return true; }
}  // namespace hw::calib

namespace hw::calib::detail {
namespace {

void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess)
    throw std::runtime_error(fmt::format("{}: {}", what, cudaGetErrorString(e)));
}
void check(cublasStatus_t s, const char* what) {
  if (s != CUBLAS_STATUS_SUCCESS)
    throw std::runtime_error(fmt::format("{}: cuBLAS status {}", what, static_cast<int>(s)));
}

class DeviceBuffer {
 public:
  explicit DeviceBuffer(std::size_t bytes) {
    check(cudaMalloc(&p_, bytes), "cudaMalloc");
    // 0x3c bytes: 1.06 in fp16, 0.0115 in fp32; finite, not zero.
    check(cudaMemset(p_, 0x3c, bytes), "cudaMemset");
  }
  ~DeviceBuffer() { cudaFree(p_); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  [[nodiscard]] void* get() const { return p_; }

 private:
  void* p_ = nullptr;
};

class Events {
 public:
  Events() {
    check(cudaEventCreate(&start_), "cudaEventCreate");
    check(cudaEventCreate(&stop_), "cudaEventCreate");
  }
  ~Events() {
    cudaEventDestroy(start_);
    cudaEventDestroy(stop_);
  }
  Events(const Events&) = delete;
  Events& operator=(const Events&) = delete;

  // Seconds per call over `calls` back-to-back calls.
  double time(const std::function<void()>& run, int calls) {
    check(cudaEventRecord(start_), "cudaEventRecord");
    for (int i = 0; i < calls; ++i) run();
    check(cudaEventRecord(stop_), "cudaEventRecord");
    check(cudaEventSynchronize(stop_), "cudaEventSynchronize");
    float ms = 0;
    check(cudaEventElapsedTime(&ms, start_, stop_), "cudaEventElapsedTime");
    return ms * 1e-3 / calls;
  }

 private:
  cudaEvent_t start_{}, stop_{};
};

struct GpuSpec {
  KernelResult result;
  std::vector<Stage> stages;
  std::function<void()> run;
};

constexpr const char* kGpu32 = "gpu-fp32";
constexpr const char* kGpu16 = "gpu-fp16";

FittedModel fit_group(const std::string& name, const std::vector<GpuSpec>& specs,
                      const FitOptions& fixed) {
  FittedModel fm;
  fm.name = name;
  std::vector<Observation> obs;
  double best = 0.0, copy_bw = 0.0;
  for (const auto& s : specs) {
    if (s.result.family == "cuda-copy") copy_bw = s.result.bytes / s.result.measured_s;
    if (s.result.model != name) continue;
    if (s.result.role == Role::fit) obs.push_back({s.stages, s.result.measured_s});
    best = std::max(best, s.result.flops / s.result.measured_s);
  }
  fm.fit_kernels = static_cast<int>(obs.size());
  if (obs.empty()) return fm;
  FitOptions options = fixed;
  if (copy_bw > 0) options.max_bandwidth_bytes_per_s = copy_bw;
  FitResult r = fit_roofline(obs, options);
  fm.params = r.params;
  fm.rms_log_error = r.rms_log_error;
  fm.factors =
      profile_factors(r.params, best, copy_bw > 0 ? copy_bw : r.params.bandwidth_bytes_per_s);
  return fm;
}

std::optional<HardwareProfile> run_gpu(
    const HardwareProfile& host, bool quick, std::optional<double> power_max_w, std::vector<KernelResult>& kernels,
    std::vector<FittedModel>& models, std::vector<std::string>& notes,
    const std::function<void(const std::string&, bool)>& progress) {
  check(cudaSetDevice(0), "cudaSetDevice");
  cudaDeviceProp prop{};
  check(cudaGetDeviceProperties(&prop, 0), "cudaGetDeviceProperties");
  std::size_t free_bytes = 0, total_bytes = 0;
  check(cudaMemGetInfo(&free_bytes, &total_bytes), "cudaMemGetInfo");
  progress(fmt::format("calibrate: GPU 0 is {} ({:.0f} GB)", prop.name,
                       static_cast<double>(total_bytes) / 1e9),
           false);

  // Sizes: an 8192 square and 8192-wide skinny operands where memory allows, and copy
  // buffers far beyond the L2 cache.
  const bool big = free_bytes > (8ULL << 30);
  const int sq_max = big && !quick ? 8192 : 4096;
  const int wide = big ? 8192 : 4096;
  const std::size_t copy_bytes = (big && !quick ? 1024ULL : 256ULL) << 20;

  cublasHandle_t handle = nullptr;
  check(cublasCreate(&handle), "cublasCreate");
  struct HandleGuard {
    cublasHandle_t h;
    ~HandleGuard() { cublasDestroy(h); }
  } guard{handle};

  const std::size_t a_elems =
      static_cast<std::size_t>(std::max(sq_max, 1024)) * std::max(sq_max, wide);
  DeviceBuffer a32(a_elems * 4), b32(a_elems * 4), c32(a_elems * 4);
  DeviceBuffer a16(a_elems * 2), b16(a_elems * 2), c16(a_elems * 2);
  DeviceBuffer src(copy_bytes), dst(copy_bytes);

  std::vector<GpuSpec> specs;
  auto gemm_spec = [&](int m, int n, int k, bool half, Role role) {
    GpuSpec s;
    s.result.family = half ? "cublas-hgemm" : "cublas-sgemm";
    s.result.name = fmt::format("{} {}x{}x{}", s.result.family, m, n, k);
    s.result.role = role;
    s.result.model = half ? kGpu16 : kGpu32;
    s.stages = {gemm_stage(m, n, k, half ? 2 : 4)};
    s.result.flops = s.stages[0].flops;
    s.result.bytes = s.stages[0].weight_bytes + s.stages[0].items * s.stages[0].item_bytes;
    void* a = half ? a16.get() : a32.get();
    void* b = half ? b16.get() : b32.get();
    void* c = half ? c16.get() : c32.get();
    const cudaDataType t = half ? CUDA_R_16F : CUDA_R_32F;
    // Column-major C[m x n] = A[m x k] B[k x n]; fp32 accumulation in both precisions.
    s.run = [=] {
      const float alpha = 1.0f, beta = 0.0f;
      check(cublasGemmEx(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &alpha, a, t, m, b, t, k, &beta,
                         c, t, m, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT),
            "cublasGemmEx");
    };
    specs.push_back(std::move(s));
  };
  for (bool half : {false, true}) {
    for (int n : {1024, sq_max / 2, sq_max}) gemm_spec(n, n, n, half, Role::fit);
    gemm_spec(2048 + 1024, 2048 + 1024, 2048 + 1024, half, Role::held_out);
    for (int m : {1, 16, 256}) gemm_spec(m, wide, wide, half, Role::fit);
    for (int m : {4, 64, 1024}) gemm_spec(m, wide, wide, half, Role::held_out);
  }
  {
    GpuSpec s;
    s.result.family = "cuda-copy";
    s.result.name = fmt::format("cuda-copy {} MiB", copy_bytes >> 20);
    s.result.role = Role::reference;
    s.result.model = kGpu32;
    s.stages = {stream_stage(2.0 * static_cast<double>(copy_bytes))};  // read + write
    s.result.bytes = s.stages[0].weight_bytes;
    void* d = dst.get();
    const void* from = src.get();
    s.run = [=] {
      check(cudaMemcpyAsync(d, from, copy_bytes, cudaMemcpyDeviceToDevice), "cudaMemcpyAsync");
    };
    specs.push_back(std::move(s));
  }

  // Rounds over all kernels, as on the CPU; each sample batches calls up to >= 1 ms.
  Events ev;
  const int rounds = 3;
  const double budget = quick ? 0.03 : 0.15;
  std::vector<std::vector<std::vector<double>>> samples(specs.size(),
                                                        std::vector<std::vector<double>>(rounds));
  for (int round = 0; round < rounds; ++round) {
    for (std::size_t i = 0; i < specs.size(); ++i) {
      progress(fmt::format("GPU round {}/{}  kernel {:>2}/{}  {}", round + 1, rounds, i + 1,
                           specs.size(), specs[i].result.name),
               true);
      const double est = std::min(ev.time(specs[i].run, 1), ev.time(specs[i].run, 1));
      const int batch = std::max(1, static_cast<int>(std::ceil(1e-3 / std::max(est, 1e-9))));
      double spent = 0.0;
      for (int taken = 0; taken < 3 || (spent < budget && taken < 200); ++taken) {
        const double t = ev.time(specs[i].run, batch);
        samples[i][static_cast<std::size_t>(round)].push_back(t);
        spent += t * batch;
      }
    }
  }
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const RoundStats rs = summarize_rounds(samples[i]);
    specs[i].result.measured_s = rs.best_round;
    specs[i].result.time = rs.all;
    specs[i].result.round_spread = rs.round_spread;
  }

  FittedModel f32 = fit_group(kGpu32, specs, {});
  FitOptions fixed16;
  fixed16.bandwidth_bytes_per_s = f32.params.bandwidth_bytes_per_s;
  fixed16.overhead_s = f32.params.overhead_s;
  FittedModel f16 = fit_group(kGpu16, specs, fixed16);

  GpuFacts dev;
  dev.name = prop.name;
  dev.memory_bytes = static_cast<double>(total_bytes);
  dev.copy_mib = copy_bytes >> 20;
  int rt = 0, blas = 0;
  cudaRuntimeGetVersion(&rt);
  cublasGetVersion(handle, &blas);
  dev.cuda_runtime = std::to_string(rt);
  dev.cublas = std::to_string(blas);
  for (const auto& s : specs) dev.kernels += (dev.kernels.empty() ? "" : "; ") + s.result.name;
  // The written profile prices a model's item (half_batch 0, t0 as the launch cost per
  // kernel); the report prices the GEMM kernels on the fit's own row-based factors, as on
  // the CPU (docs/calibration.md).
  HardwareProfile rows;
  HardwareProfile g = gpu_profile(host, dev, f32, f16, power_max_w, &rows);

  HardwareProfile rows16 = rows;
  apply_factors(rows16, f16.factors);
  for (auto& s : specs) {
    KernelResult& k = s.result;
    const HardwareProfile& hwp = k.model == kGpu16 ? rows16 : rows;
    k.predicted_s =
        k.role == Role::reference ? k.bytes / hwp.memory_bandwidth.si() : predict_on(hwp, s.stages);
    k.error = relative_error(k.predicted_s, k.measured_s);
    kernels.push_back(k);
  }
  models.push_back(f32);
  models.push_back(f16);
  if (!power_max_w) {
    notes.push_back(fmt::format("GPU profile '{}': power is an estimate, not this card's figure (300 W; this build reads "
                                "no NVML): give the board power from the datasheet with --gpu-power-max",
                                g.id));
  }
  return g;
}

}  // namespace

std::optional<HardwareProfile> calibrate_gpu(
    const HardwareProfile& host, bool quick, std::optional<double> power_max_w, std::vector<KernelResult>& kernels,
    std::vector<FittedModel>& models, std::vector<std::string>& notes,
    const std::function<void(const std::string&, bool)>& progress) {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess || count == 0) {
    notes.emplace_back("GPU path built in, but no CUDA device is visible: GPU kernels skipped");
    return std::nullopt;
  }
  try {
    return run_gpu(host, quick, power_max_w, kernels, models, notes, progress);
  } catch (const std::exception& e) {
    notes.push_back(fmt::format("GPU path failed ({}): GPU kernels skipped", e.what()));
    return std::nullopt;
  }
}

}  // namespace hw::calib::detail
