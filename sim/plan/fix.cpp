#include "sim/plan/fix.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

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
    case ReasonKind::deadline_missed:  // figure: the makespan measured
    case ReasonKind::upload_too_slow:  // figure: the upload alone (the re-plan asks for more when compute follows)
      return {W::job_deadline, r.subject, past(r.figure)};
    case ReasonKind::too_few_requests:
    {
      // A run long enough for the requests the percentile needs: the arrivals' own figure
      // (context from evaluate), or, when fewer completed than arrived (a run stopped early,
      // requests still in flight), this run's duration scaled by needed / completed.
      if (r.at("needed_duration_s") <= 0) return {};
      const double scaled = r.figure > 0 ? s.duration.si() * r.bound / r.figure : 0.0;
      return {W::duration, "", past(std::max(r.at("needed_duration_s"), scaled))};
    }
    case ReasonKind::slo_not_confident:
      // A longer run (evaluate: confident_duration); never a target.
      if (r.at("needed_duration_s") <= 0) return {};
      return {W::duration, "", past(r.at("needed_duration_s"))};
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

double confident_duration(double est_s, double ci_high_s, double bound_s, double duration_s, double warmup_s) {
  const double window = std::max(0.0, duration_s - warmup_s);
  double k = 16;
  if (bound_s > est_s) k = std::clamp(std::pow((ci_high_s - est_s) / (bound_s - est_s), 2.0), 2.0, 16.0);
  return warmup_s + window * k;
}

FixChange looser_target(const std::string& stream, double estimate_s) {
  return {FixChange::What::slo_latency, stream, past(estimate_s)};
}

FixChange more_bandwidth(const std::string& link, const std::string& site, double bps) {
  return {link == "access" ? FixChange::What::access_bandwidth : FixChange::What::backhaul_bandwidth, site, past(bps)};
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
    case W::duration: return fmt::format("duration = {}", format_long_time(Seconds(f.value)));
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
    case W::duration: x.duration = Seconds(std::max(x.duration.si(), f.value)); break;
  }
  return x;
}

bool answers(const FixChange& f, const Reason& r) {
  if (r.subject != f.subject) return false;
  switch (f.what) {
    case FixChange::What::slo_latency:
      return r.kind == ReasonKind::latency_floor || r.kind == ReasonKind::network_round_trip || r.kind == ReasonKind::slo_missed ||
             r.kind == ReasonKind::slo_not_confident;
    case FixChange::What::job_deadline:
      return r.kind == ReasonKind::deadline_missed || r.kind == ReasonKind::upload_too_slow || r.kind == ReasonKind::deadline_unreachable;
    default: return false;
  }
}

bool unanswerable(const Reason& r) {
  switch (r.kind) {
    case ReasonKind::cannot_run:
    case ReasonKind::simulation_failed:
    case ReasonKind::training_deadline:
      return true;
    case ReasonKind::latency_floor: return r.detail == "ttft" || r.detail == "tpot";
    case ReasonKind::site_conditions: return r.detail != "power";
    case ReasonKind::too_few_requests: return r.at("needed_duration_s") <= 0;
    default: return false;
  }
}

bool merge(std::vector<FixChange>& into, const std::vector<FixChange>& more) {
  bool grew = false;
  for (const auto& m : more) {
    if (m.what == FixChange::What::none) continue;
    auto it = std::find_if(into.begin(), into.end(), [&](const FixChange& f) { return f.what == m.what && f.subject == m.subject; });
    if (it == into.end()) {
      into.push_back(m);
      grew = true;
    } else if (m.value > it->value) {
      it->value = m.value;
      grew = true;
    }
  }
  return grew;
}

namespace {

// What an unanswerable reason is about, for its fix's label: "the temperature at site farm".
std::string cause_label(const Reason& r) {
  if (r.kind == ReasonKind::site_conditions) {
    const std::string what = r.detail == "ingress" ? "ingress rating" : r.detail.rfind("ports.", 0) == 0 ? r.detail.substr(6) + " ports" : r.detail;
    return fmt::format("the {} at site {}", what, r.subject);
  }
  return r.subject.empty() ? std::string("the hardware") : r.subject;
}

}  // namespace

FixSet fix_set(const FixChange& first, const std::vector<Reason>& binding, const Scenario& s) {
  FixSet out;
  merge(out.changes, {first});
  std::vector<std::pair<std::string, std::string>> fixes;  // (cause, fix), each fix once
  for (const auto& r : binding) {
    if (unanswerable(r)) {
      if (!out.unanswerable) out.unanswerable = r;
      if (!r.fix.empty() && std::none_of(fixes.begin(), fixes.end(), [&](const auto& f) { return f.second == r.fix; })) {
        fixes.emplace_back(cause_label(r), r.fix);
      }
      continue;
    }
    // Reasons without a change of their own (a missed SLO, a busy tier, a queue that grew)
    // are the sizing search's to cure, or the first change's (a looser target).
    merge(out.changes, {fix_change(r, s)});
  }
  // One fix as it is; several, each named with its cause, in the order of the reasons (a
  // list of causes followed by the first one's fix read as the last cause's answer).
  if (fixes.size() == 1) out.unanswerable_fix = fixes.front().second;
  for (std::size_t i = 0; fixes.size() > 1 && i < fixes.size(); ++i) {
    out.unanswerable_fix += fmt::format("{}for {}: {}", i == 0 ? "" : "; ", fixes[i].first, fixes[i].second);
  }
  return out;
}

std::string describe(const std::vector<FixChange>& f) {
  std::string out;
  const FixChange* run = nullptr;  // a longer simulation: how to measure the fix, not part of it
  for (const auto& c : f) {
    if (c.what == FixChange::What::none) continue;
    if (c.what == FixChange::What::duration) {
      run = &c;
      continue;
    }
    if (!out.empty()) out += " and ";
    out += describe(c);
  }
  if (!run) return out;
  const std::string setting = fmt::format("{}, a simulation setting, not a change to the deployment", describe(*run));
  if (out.empty()) return fmt::format("a longer simulation to measure it ({})", setting);
  return fmt::format("{}, measured over a longer simulation ({})", out, setting);
}

Scenario with_fixes(const Scenario& s, const std::vector<FixChange>& f) {
  Scenario x = s;
  for (const auto& c : f) x = with_fix(x, c);
  return x;
}

}  // namespace hw
