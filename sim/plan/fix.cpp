#include "sim/plan/fix.hpp"

#include <fmt/format.h>

#include <cmath>

namespace hw {
namespace {

// 10% past a figure, rounded up to 2 significant digits (45 ms, not 44.99 ms).
double past(double v) {
  const double x = v * 1.1;
  if (x <= 0) return x;
  const double step = std::pow(10.0, std::floor(std::log10(x)) - 1);
  return std::ceil(x / step - 1e-9) * step;
}

}  // namespace

FixChange fix_change(const Reason& r, const Scenario& s) {
  using W = FixChange::What;
  switch (r.kind) {
    case ReasonKind::latency_floor:
      // An LLM stream's floor is a replica's own speed: its targets are ttft/tpot, not
      // slo.latency, and the prose names the fix (faster hardware).
      if (r.detail == "ttft" || r.detail == "tpot") return {};
      return {W::slo_latency, r.subject, past(r.figure)};
    case ReasonKind::network_round_trip:
      return {W::slo_latency, r.subject, past(r.figure)};
    case ReasonKind::deadline_unreachable:
      return {W::job_deadline, r.subject, past(r.figure)};
    case ReasonKind::access_saturated:
      return {W::access_bandwidth, r.subject, past(r.figure / s.design.max_link_utilisation)};
    case ReasonKind::backhaul_saturated:
      return {W::backhaul_bandwidth, r.subject, past(r.figure / s.design.max_link_utilisation)};
    case ReasonKind::link_headroom: {
      // subject "access link of site X"; the link must carry bps at most at the cap.
      const std::string site = r.subject.substr(r.subject.rfind(' ') + 1);
      const double need = r.at("bps") / std::max(1e-9, r.bound);
      return {r.detail == "access" ? W::access_bandwidth : W::backhaul_bandwidth, site, past(need)};
    }
    case ReasonKind::site_power:
      return {W::site_power_budget, "", past(r.figure)};
    case ReasonKind::rack_power:
      return {W::rack_power, "", past(r.figure)};
    case ReasonKind::backhaul_cap:
      return {W::backhaul_cap, "", past(r.figure)};
    case ReasonKind::site_conditions:
      if (r.detail == "power") return {W::site_power, r.subject, past(r.figure)};
      return {};
    default:
      return {};
  }
}

FixChange looser_target(const std::string& stream, double estimate_s) {
  return {FixChange::What::slo_latency, stream, past(estimate_s)};
}

std::string describe(const FixChange& f) {
  using W = FixChange::What;
  switch (f.what) {
    case W::none: return "";
    case W::slo_latency: return fmt::format("streams[{}].slo.latency = {}", f.subject, format_time(Seconds(f.value)));
    case W::job_deadline: return fmt::format("batch_jobs[{}].deadline = {}", f.subject, format_time(Seconds(f.value)));
    case W::access_bandwidth: return fmt::format("sites[{}].access.bandwidth = {}", f.subject, format_bitrate(BitsPerSecond(f.value)));
    case W::backhaul_bandwidth: return fmt::format("sites[{}].backhaul.bandwidth = {}", f.subject, format_bitrate(BitsPerSecond(f.value)));
    case W::site_power_budget: return fmt::format("constraints.site_power_budget = {}", format_power(Watts(f.value)));
    case W::site_power: return fmt::format("sites[{}].conditions.power = {}", f.subject, format_power(Watts(f.value)));
    case W::rack_power: return fmt::format("constraints.rack_power = {}", format_power(Watts(f.value)));
    case W::backhaul_cap: return fmt::format("constraints.backhaul_cap = {}", format_bitrate(BitsPerSecond(f.value)));
  }
  return "";
}

Scenario with_fix(const Scenario& s, const FixChange& f) {
  using W = FixChange::What;
  Scenario x = s;
  switch (f.what) {
    case W::none: break;
    case W::slo_latency:
      for (auto& st : x.streams) {
        if (st.id == f.subject || f.subject.empty()) st.slo.latency = Seconds(std::max(st.slo.latency.si(), f.value));
      }
      break;
    case W::job_deadline:
      for (auto& j : x.batch_jobs) {
        if (j.id == f.subject) j.deadline = Seconds(std::max(j.deadline.si(), f.value));
      }
      break;
    case W::access_bandwidth:
    case W::backhaul_bandwidth:
      for (auto& site : x.sites) {
        if (site.id != f.subject) continue;
        auto& l = f.what == W::access_bandwidth ? site.access : site.backhaul;
        l.bandwidth = BitsPerSecond(std::max(l.bandwidth.si(), f.value));
      }
      break;
    case W::site_power_budget: x.constraints.site_power_budget = Watts(f.value); break;
    case W::site_power:
      for (auto& site : x.sites) {
        if (site.id == f.subject) site.conditions.power = Watts(f.value);
      }
      break;
    case W::rack_power: x.constraints.rack_power = Watts(f.value); break;
    case W::backhaul_cap: x.constraints.backhaul_cap = BitsPerSecond(f.value); break;
  }
  return x;
}

}  // namespace hw
