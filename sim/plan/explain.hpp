// Why a candidate is not feasible, as data: a kind, what it concerns, the figure against
// the limit it breaks, and the fix. A GUI or a sweep reads these fields; the sentences the
// CLI prints (and the CSV's `reason` column) are generated from them by describe().
#pragma once

#include <map>
#include <optional>
#include <string>

namespace hw {

enum class ReasonKind {
  cannot_run,          // the candidate cannot run at all (no memory fit, data residency): detail says why
  simulation_failed,   // the simulation itself failed: detail is its error
  latency_floor,       // network and service time alone exceed the SLO (analytic screen)
  network_round_trip,  // the links' latency alone exceeds the SLO (measured run)
  overloaded,          // requests still queued when the run stopped
  overload_stopped,    // the engine stopped the run: arrivals above a tier's or link's capacity (figure offered, bound capacity, detail where)
  slo_missed,          // the SLO percentile is above its target
  slo_not_confident,   // met on the point estimate, but the 95% CI reaches above the target
  deadline_missed,     // a batch job finished after its deadline (measured run)
  upload_too_slow,     // a batch job's dataset upload alone passes its deadline (analytic)
  deadline_unreachable,// no fleet size finishes a batch job in time (analytic)
  access_saturated,    // sources send more than their access link carries
  backhaul_saturated,  // traffic to the data centre exceeds the backhaul
  backhaul_cap,        // backhaul use exceeds the scenario's cap
  site_power,          // edge units draw more than the site power budget
  rack_power,          // one server draws more than a rack allows
  too_few_requests,    // fewer requests completed than the SLO percentile needs (figure completed, bound needed)
  training_deadline,   // no data-centre hardware retrains the loop's models within its deadline: detail says why
  link_headroom,       // a link busier than design.max_utilisation.link allows (figure utilisation, bound the cap, subject the link)
  tier_headroom,       // a tier busier than design.max_utilisation allows (figure utilisation, bound the cap, subject the tier)
  site_conditions,     // edge hardware that cannot live at a site: subject the site, detail the condition
                       // (temperature, ingress, power, ports.KIND), figure/bound the unit's and the site's figures
};
std::string to_string(ReasonKind k);

struct Reason {
  ReasonKind kind = ReasonKind::cannot_run;
  std::string subject;  // the stream, batch job, site or hardware it concerns
  double figure = 0;    // what the candidate needs or achieves, in `unit`
  double bound = 0;     // the target or limit it breaks, in `unit`
  std::string unit;     // "s", "bit/s", "W" (SI)
  std::string fix;      // what would make it feasible ("" when none is known)
  std::string detail;   // free text some kinds carry (resolver message, job kind, busy link)
  // Further figures some kinds carry, by name (SI): percentile, late_share, allowed_share,
  // queued, dropped, edge_utilisation, dc_utilisation, link_peak, link_cap (the design's
  // max_utilisation.link), devices, upload_s, units, unit_power_w, via_dc; found_on_recheck (1: not measured on the candidate as shown but
  // found when its fix was re-checked, with the fix's other changes applied: the reason a
  // change of the fix to a target answers).
  std::map<std::string, double> context;
  // With found_on_recheck: the changes the re-check that found it applied, in words
  // ("sites[vehicle].backhaul.bandwidth = 57 Mbps"): its figures are that run's, not the
  // candidate's as written, and the sentence says so before them.
  std::string rechecked_with = {};

  [[nodiscard]] double at(const std::string& key, double otherwise = 0) const {
    auto it = context.find(key);
    return it == context.end() ? otherwise : it->second;
  }
};

// The sentence for people (and the CSV's reason column).
std::string describe(const Reason& r);

}  // namespace hw
