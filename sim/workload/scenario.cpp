#include "sim/workload/scenario.hpp"

namespace hw {

std::string to_string(Family f) {
  switch (f) {
    case Family::edge: return "edge";
    case Family::gpu: return "gpu";
    case Family::hybrid: return "hybrid";
  }
  return "?";
}

std::string to_string(ArrivalKind k) {
  switch (k) {
    case ArrivalKind::periodic: return "periodic";
    case ArrivalKind::poisson: return "poisson";
    case ArrivalKind::bursty: return "bursty";
    case ArrivalKind::diurnal: return "diurnal";
    case ArrivalKind::trace: return "trace";
  }
  return "?";
}

}  // namespace hw
