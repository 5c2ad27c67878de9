#include "sim/workload/scenario.hpp"

#include <algorithm>

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

std::string to_string(LengthShape s) {
  switch (s) {
    case LengthShape::fixed: return "fixed";
    case LengthShape::uniform: return "uniform";
    case LengthShape::lognormal: return "lognormal";
    case LengthShape::empirical: return "empirical";
  }
  return "?";
}

double mean_of(const LengthDistribution& d) {
  switch (d.shape) {
    case LengthShape::fixed:
    case LengthShape::lognormal: return d.mean;
    case LengthShape::uniform: return 0.5 * (d.min + d.max);
    case LengthShape::empirical: {
      double sum = 0;
      for (double v : d.values) sum += v;
      return d.values.empty() ? 0.0 : sum / static_cast<double>(d.values.size());
    }
  }
  return 0.0;
}

bool has_llm_stream(const Scenario& s) {
  return std::any_of(s.streams.begin(), s.streams.end(), [](const Stream& x) { return x.llm.has_value(); });
}

}  // namespace hw
