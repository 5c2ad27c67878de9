// Built when the CUDA path is not: see detail/gpu.hpp.
#include "sim/calibrate/detail/gpu.hpp"

namespace hw::calib {
bool gpu_path_built() { return false; }
}  // namespace hw::calib

namespace hw::calib::detail {

std::optional<HardwareProfile> calibrate_gpu(const HardwareProfile&, bool, std::optional<double>,
                                             std::vector<KernelResult>&, std::vector<FittedModel>&,
                                             std::vector<std::string>& notes,
                                             const std::function<void(const std::string&, bool)>&) {
  notes.emplace_back(
      "GPU path not built: configure with -DHWPLAN_CALIBRATE_CUDA=ON on a machine with a CUDA "
      "toolkit to time cuBLAS SGEMM/HGEMM and device memory");
  return std::nullopt;
}

}  // namespace hw::calib::detail
