#include "sim/plan/explain.hpp"
#include "sim/core/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "sim/core/units.hpp"
#include "sim/hardware/profile.hpp"
#include "sim/run/types.hpp"

namespace hw {
namespace {

// Three significant figures: "40.9 ms", and from one second up "10.4 s" (not "10448 ms").
std::string ms(double s) { return s >= 1 ? sig3(s) + " s" : sig3(s * 1e3) + " ms"; }
std::string bps(double v) { return format_bitrate(BitsPerSecond(v)); }
std::string watts(double v) { return format_power(Watts(v)); }
// A share above its cap, in percent: whole percent unless that rounds to the cap or below
// ("70% busy, above the 70%" for 70.09%), then as many decimals as show it above (70.1%).
std::string pct_above(double share, double cap) {
  for (int d = 0; d < 4; ++d) {
    const double scale = std::pow(10.0, d);
    if (std::round(share * 100 * scale) / scale > cap * 100) return fmt::format("{:.{}f}%", share * 100, d);
  }
  return fmt::format("{:.4f}%", share * 100);
}

std::string celsius(const Reason& r, const char* key) {
  return r.context.contains(key) ? fmt::format("{:g} C", r.at(key)) : std::string("any");
}

std::string ip(const Reason& r, const char* who) {
  IngressRating x{static_cast<int>(r.at(fmt::format("{}_solids", who), -1)), static_cast<int>(r.at(fmt::format("{}_water", who), -1))};
  return to_string(x);
}

std::string describe_site_condition(const Reason& r) {
  const bool stated = r.at("stated", 1) != 0;
  if (r.detail == "temperature") {
    const std::string site = fmt::format("{} to {}", celsius(r, "site_min_c"), celsius(r, "site_max_c"));
    if (!stated) return fmt::format("site {}: ambient {} (conditions.temperature), but the profile states no operating temperature", r.subject, site);
    return fmt::format("site {}: ambient {} (conditions.temperature), but the unit is rated {} to {}", r.subject, site,
                       celsius(r, "unit_min_c"), celsius(r, "unit_max_c"));
  }
  if (r.detail == "ingress") {
    if (!stated) return fmt::format("site {}: needs {} (conditions.ingress), but the profile states no ingress rating", r.subject, ip(r, "site"));
    return fmt::format("site {}: needs {} (conditions.ingress), but the unit is rated {}", r.subject, ip(r, "site"), ip(r, "unit"));
  }
  if (r.detail == "power") {
    if (r.context.contains("unit_power_w")) {
      return fmt::format("site {}: {} edge units x {} = {} exceed the {} the site offers (conditions.power)", r.subject,
                         static_cast<int>(r.at("units")), watts(r.at("unit_power_w")), watts(r.figure), watts(r.bound));
    }
    return fmt::format("site {}: one unit draws up to {}, above the {} the site offers (conditions.power)", r.subject, watts(r.figure),
                       watts(r.bound));
  }
  const std::string kind = r.detail.rfind("ports.", 0) == 0 ? r.detail.substr(6) : r.detail;
  if (!stated) return fmt::format("site {}: needs {:.0f} {} ports (conditions.ports), but the profile states no ports", r.subject, r.figure, kind);
  if (r.bound == 0) return fmt::format("site {}: needs {:.0f} {} ports (conditions.ports), but the unit has none", r.subject, r.figure, kind);
  return fmt::format("site {}: needs {:.0f} {} ports (conditions.ports), but {} units x {} give {:.0f}", r.subject, r.figure, kind,
                     static_cast<int>(r.at("units")), static_cast<int>(r.at("per_unit")), r.bound);
}

}  // namespace

std::string to_string(ReasonKind k) {
  switch (k) {
    case ReasonKind::cannot_run: return "cannot_run";
    case ReasonKind::simulation_failed: return "simulation_failed";
    case ReasonKind::latency_floor: return "latency_floor";
    case ReasonKind::network_round_trip: return "network_round_trip";
    case ReasonKind::overloaded: return "overloaded";
    case ReasonKind::overload_stopped: return "overload_stopped";
    case ReasonKind::slo_missed: return "slo_missed";
    case ReasonKind::slo_not_confident: return "slo_not_confident";
    case ReasonKind::deadline_missed: return "deadline_missed";
    case ReasonKind::upload_too_slow: return "upload_too_slow";
    case ReasonKind::deadline_unreachable: return "deadline_unreachable";
    case ReasonKind::access_saturated: return "access_saturated";
    case ReasonKind::backhaul_saturated: return "backhaul_saturated";
    case ReasonKind::backhaul_cap: return "backhaul_cap";
    case ReasonKind::site_power: return "site_power";
    case ReasonKind::rack_power: return "rack_power";
    case ReasonKind::too_few_requests: return "too_few_requests";
    case ReasonKind::training_deadline: return "training_deadline";
    case ReasonKind::link_headroom: return "link_headroom";
    case ReasonKind::tier_headroom: return "tier_headroom";
    case ReasonKind::site_conditions: return "site_conditions";
  }
  return "?";
}

namespace {
std::string describe_own(const Reason& r);
}  // namespace

std::string describe(const Reason& r) {
  std::string text = describe_own(r);
  if (r.at("found_on_recheck") == 0) return text;
  // Labelled before its figures, so that every one of them reads as the re-check's (a
  // suffix read as if only the last clause were).
  const std::string with = r.rechecked_with.empty() ? ", with its other changes applied" : " with " + r.rechecked_with;
  return fmt::format("found when the fix was re-checked{}: {}", with, text);
}

namespace {

// Two times compared in one sentence ("makespan X misses the Y deadline"), each as
// format_long_time writes it, with more digits, in the same unit, where that would print
// them alike though they differ (8.6134 h against 8.6111 h read "8.61 h ... the 8.61 h").
std::pair<std::string, std::string> distinct_times(double a, double b) {
  std::pair<std::string, std::string> out{format_long_time(Seconds(a)), format_long_time(Seconds(b))};
  if (out.first != out.second || a == b) return out;
  const bool hours = std::min(a, b) >= 3600 && std::max(a, b) < 1000 * 3600.0;
  const double scale = hours ? 3600.0 : 1.0;
  const char* unit = hours ? " h" : " s";
  for (int digits = 4; digits <= 15 && out.first == out.second; ++digits) {
    out = {fmt::format("{:.{}g}{}", a / scale, digits, unit), fmt::format("{:.{}g}{}", b / scale, digits, unit)};
  }
  return out;
}

std::string describe_own(const Reason& r) {
  const bool via_dc = r.at("via_dc") != 0;
  switch (r.kind) {
    case ReasonKind::cannot_run: return r.detail;
    case ReasonKind::simulation_failed:  // an event budget is a limit the user set: it stopped, it did not fail
      return (r.detail.find(kEventBudgetExceeded) != std::string::npos ? "simulation stopped: " : "simulation failed: ") +
             event_budget_for_people(r.detail);
    case ReasonKind::latency_floor:
      if (r.detail == "ttft") {
        return fmt::format("{}: the prefill of a {:.0f}-token prompt (its p{:g} length) on one replica, with the network, takes {} "
                           "against the {} p{:g} time-to-first-token target",
                           r.subject, r.at("prompt_tokens"), r.at("percentile"), ms(r.figure), ms(r.bound), r.at("percentile"));
      }
      if (r.detail == "tpot") {
        // 200.2 ms against 200 ms must not read "200 ms against 200 ms".
        const std::string fig = ms(r.figure) == ms(r.bound) ? fmt::format("{:.1f} ms", r.figure * 1e3) : ms(r.figure);
        return fmt::format("{}: one decode step of one sequence (the weights read once) takes {} against the {} p{:g} "
                           "time-per-output-token target",
                           r.subject, fig, ms(r.bound), r.at("percentile"));
      }
      return fmt::format("{}: {}network and service time alone take {} against the {} p{:g} target", r.subject,
                         via_dc ? "the round trip to the data centre: " : "", ms(r.figure), ms(r.bound), r.at("percentile"));
    case ReasonKind::network_round_trip:
      return fmt::format("{}: {} round trip {} alone exceeds the {} p{:g} target", r.subject,
                         via_dc ? "network (access + WAN)" : "access network", ms(r.figure), ms(r.bound), r.at("percentile"));
    case ReasonKind::overloaded:
      return fmt::format("{}: overloaded, {} requests still queued when the run stopped (utilisation edge {:.0f}%, DC {:.0f}%)", r.subject,
                         static_cast<std::uint64_t>(r.at("queued")), r.at("edge_utilisation") * 100, r.at("dc_utilisation") * 100);
    case ReasonKind::overload_stopped: {
      auto rate = [&](double v) {
        if (r.unit == "bit/s") return bps(v);
        return v >= 1e4 ? fmt::format("{:.0f} {}", v, r.unit) : fmt::format("{:.4g} {}", v, r.unit);
      };
      return fmt::format("{}overloaded: {} offered {} against {} capacity", r.subject.empty() ? "" : r.subject + ": ", r.detail,
                         rate(r.figure), rate(r.bound));
    }
    case ReasonKind::slo_missed: {
      std::string s = fmt::format("{}: p{:g} latency {} exceeds the {} target ({:.3g}% of requests late, {:.3g}% allowed)", r.subject,
                                  r.at("percentile"), ms(r.figure), ms(r.bound), r.at("late_share") * 100, r.at("allowed_share") * 100);
      if (r.at("dropped") > 0) s += fmt::format("; {} requests dropped at full queues", static_cast<std::uint64_t>(r.at("dropped")));
      if (!r.detail.empty()) {
        // The busiest link, named as where the requests may queue: not a failure of its own
        // while it stays within the design's cap (a link above it is a link_headroom reason).
        const double peak = r.at("link_peak"), cap = r.at("link_cap", -1);
        if (cap < 0) s += fmt::format("; link {} peaks at {:.0f}% of its bandwidth", r.detail, peak * 100);
        else if (peak <= cap) {
          s += fmt::format("; link {} peaks at {:.0f}% of its bandwidth, within the {:.0f}% the design allows (its queueing adds to the latency)",
                           r.detail, peak * 100, cap * 100);
        } else {
          s += fmt::format("; link {} peaks at {} of its bandwidth, above the {:.0f}% the design allows", r.detail, pct_above(peak, cap), cap * 100);
        }
      }
      return s;
    }
    case ReasonKind::slo_not_confident:
      return fmt::format("{}: p{:g} latency {} meets the {} target, but its 95% confidence interval reaches {}: not met with confidence",
                         r.subject, r.at("percentile"), ms(r.at("estimate_s")), ms(r.bound), ms(r.figure));
    case ReasonKind::deadline_missed: {
      const auto [makespan, deadline] = distinct_times(r.figure, r.bound);
      return fmt::format("{} job {}: makespan {} on {} device{} (upload {}) misses the {} deadline", r.detail, r.subject, makespan,
                         static_cast<int>(r.at("devices")), static_cast<int>(r.at("devices")) == 1 ? "" : "s",
                         format_long_time(Seconds(r.at("upload_s"))), deadline);
    }
    case ReasonKind::upload_too_slow:
      return fmt::format("{} job {}: uploading the {} dataset over a {} backhaul takes {}, past the {} deadline", r.detail,
                         r.subject, format_data(Bytes(r.at("dataset_bytes"))), bps(r.at("backhaul_bps")),
                         format_long_time(Seconds(r.figure)), format_long_time(Seconds(r.bound)));
    case ReasonKind::deadline_unreachable:
      return fmt::format("{} job {}: even {} units finish after {}, past the {} deadline", r.detail, r.subject,
                         static_cast<int>(r.at("units")), format_long_time(Seconds(r.figure)), format_long_time(Seconds(r.bound)));
    case ReasonKind::access_saturated:
      return fmt::format("site {}: the sources send {} over a {} access link", r.subject, bps(r.figure), bps(r.bound));
    case ReasonKind::backhaul_saturated:
      return fmt::format("site {}: {} must cross a {} backhaul (saturated)", r.subject, bps(r.figure), bps(r.bound));
    case ReasonKind::backhaul_cap:
      if (r.subject.empty()) return fmt::format("backhaul use {} per site exceeds the {} cap", bps(r.figure), bps(r.bound));
      return fmt::format("site {}: backhaul use {} exceeds the {} cap", r.subject, bps(r.figure), bps(r.bound));
    case ReasonKind::site_power:
      if (r.at("measured") != 0) {
        return fmt::format("{} edge units x {} W = {} W per site exceed the {} W site power budget", static_cast<int>(r.at("units")),
                           r.at("unit_power_w"), r.figure, r.bound);
      }
      return fmt::format("at least {} x {} per site are needed for the load, drawing up to {} against the {} site power budget",
                         static_cast<int>(r.at("units")), r.subject, watts(r.figure), watts(r.bound));
    case ReasonKind::rack_power:
      if (r.at("measured") != 0) return fmt::format("one {} server draws up to {} but a rack allows {}", r.subject, watts(r.figure), watts(r.bound));
      return fmt::format("one {} draws up to {} but a rack allows {}", r.subject, watts(r.figure), watts(r.bound));
    case ReasonKind::training_deadline: return "retraining: " + r.detail;
    case ReasonKind::link_headroom:
      return fmt::format("{}: {} on a {} link is {} busy, above the {:.0f}% the design allows (design.max_utilisation.link)", r.subject,
                         bps(r.at("bps")), bps(r.at("bandwidth_bps")), pct_above(r.figure, r.bound), r.bound * 100);
    case ReasonKind::tier_headroom:
      return fmt::format("the {} is {} busy, above the {:.0f}% the design allows (design.max_utilisation.{})", r.subject,
                         pct_above(r.figure, r.bound), r.bound * 100, r.detail);
    case ReasonKind::site_conditions: return describe_site_condition(r);
    case ReasonKind::too_few_requests:
      return fmt::format("{}: not enough requests to certify the SLO: {} completed in the measured window, at least {:.0f} are needed "
                         "to estimate a p{:g}",
                         r.subject, static_cast<std::uint64_t>(r.figure), r.bound, r.at("percentile"));
  }
  return "?";
}

}  // namespace

}  // namespace hw
