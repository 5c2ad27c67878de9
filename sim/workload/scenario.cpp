#include "sim/workload/scenario.hpp"

#include <algorithm>
#include <cmath>

namespace hw {

std::string to_string(Family f) {
  switch (f) {
    case Family::edge: return "edge";
    case Family::gpu: return "gpu";
    case Family::hybrid: return "hybrid";
  }
  return "?";
}

int busiest_hour(const std::vector<double>& hourly) {
  if (hourly.empty()) return 0;
  return static_cast<int>(std::max_element(hourly.begin(), hourly.end()) - hourly.begin());  // the first of equals
}

int diurnal_start_hour(const Arrival& a) { return a.start_hour ? *a.start_hour : busiest_hour(a.hourly); }

std::size_t hour_of_day(double t, int start) {
  const double hours = t > 0 && std::isfinite(t) ? std::floor(t / 3600.0) : 0.0;  // nan, inf -> 0
  const double h = std::fmod(hours + static_cast<double>(((start % 24) + 24) % 24), 24.0);
  return std::min<std::size_t>(23, static_cast<std::size_t>(h));
}

double hourly_multiplier(const Arrival& a, double t) {
  if (a.kind != ArrivalKind::diurnal || a.hourly.empty()) return 1.0;
  return a.hourly[hour_of_day(t, diurnal_start_hour(a)) % a.hourly.size()];
}

double time_to_offer(const Arrival& a, double rate, double from, double count) {
  if (count <= 0) return from;
  if (!(rate > 0)) return INFINITY;
  if (a.kind != ArrivalKind::diurnal || a.hourly.empty()) return from + count / rate;
  double day = 0;  // items a whole day offers
  for (double m : a.hourly) day += m * rate * 3600.0;
  if (!(day > 0)) return INFINITY;
  double t = std::max(0.0, from), left = count;
  for (int pass = 0; pass < 2; ++pass) {
    // Hour by hour for up to a day; then whole days at once, and the last day hour by hour.
    for (int k = 0; k < 25; ++k) {
      if (left <= 0) return t;
      const double end = (std::floor(t / 3600.0) + 1) * 3600.0;
      const double per_s = hourly_multiplier(a, t) * rate;
      if (per_s * (end - t) >= left) return t + left / per_s;
      left -= per_s * (end - t);
      t = end;
    }
    const double days = std::floor(left / day);
    t += days * 86400.0;
    left -= days * day;
  }
  return t;  // not reached: the last day covers what is left
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
