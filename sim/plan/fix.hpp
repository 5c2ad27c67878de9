// Advice that holds: the fix a rejection suggests, as a change to the scenario that can be
// applied and re-planned (the planner re-sizes the candidate with it before printing it).
// Only fixes that change the scenario are re-checkable; advice to use other hardware is not.
//
// A candidate rejected for several reasons needs them all answered at once: fix_set() turns
// every binding reason into its change (one per scenario key, the larger value kept), and
// names the first reason no scenario change answers (other hardware, a site the unit cannot
// live at), for which the honest advice is that reason's own fix, not a re-plan.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/plan/explain.hpp"
#include "sim/workload/scenario.hpp"

namespace hw {

struct FixChange {
  enum class What {
    none,               // nothing in the scenario to change (other hardware, more probes)
    slo_latency,        // streams[subject].slo.latency = value (s)
    job_deadline,       // batch_jobs[subject].deadline = value (s)
    access_bandwidth,   // sites[subject].access.bandwidth = value (bit/s)
    backhaul_bandwidth, // sites[subject].backhaul.bandwidth = value (bit/s)
    site_power_budget,  // constraints.site_power_budget = value (W)
    site_power,         // sites[subject].conditions.power = value (W)
    rack_power,         // constraints.rack_power = value (W)
    backhaul_cap,       // constraints.backhaul_cap = value (bit/s)
    duration,           // duration = value (s): a run long enough to certify the percentile
  };
  What what = What::none;
  std::string subject;  // the stream, job or site id it changes ("" for scenario-wide)
  double value = 0;     // SI
};

// The change a reason's fix asks for, 10% past the figure where the fix says "above" (the
// figure itself would be on the edge: 'a p99 target above 40.9 ms' is tried as 45 ms).
// A saturated link is asked to carry its traffic at most design.max_utilisation.link busy.
FixChange fix_change(const Reason& r, const Scenario& s);
// The duration whose run would certify a percentile met on its point estimate `est_s` but
// not with confidence (its 95% interval reaching `ci_high_s` past the target `bound_s`): the
// interval's half-width shrinks about as 1/sqrt(requests), so the measured window
// (duration - warmup) grows by ((ci_high - est) / (bound - est))^2, at least 2x and at most
// 16x (an estimate: the interval of a high percentile from few samples above it is coarse).
// E.g. est 4.35 ms, ci_high 24 ms, bound 10 ms, 40 s with 10 s warmup:
// ((24 - 4.35) / (10 - 4.35))^2 = 12.1, window 30 s x 12.1 = 363 s, duration 373 s.
double confident_duration(double est_s, double ci_high_s, double bound_s, double duration_s, double warmup_s);
// A looser latency target for `stream`, 10% past the estimate it must clear.
FixChange looser_target(const std::string& stream, double estimate_s);
// A site's access or backhaul link (`link` "access" or "backhaul") of `bps`, rounded as
// every fix's figure is (10% past, 2 significant digits).
FixChange more_bandwidth(const std::string& link, const std::string& site, double bps);
// The change as the scenario key and value, e.g. "streams[perception].slo.latency = 45 ms".
std::string describe(const FixChange& f);
// The scenario with the change applied.
Scenario with_fix(const Scenario& s, const FixChange& f);

// Whether the change is a target (a stream's latency, a job's deadline) and the reason is a
// miss of that same target: the reason a looser target answers.
bool answers(const FixChange& f, const Reason& r);

// Reasons that no change to the scenario's figures answers: the hardware cannot run the
// stage or live at the site, an LLM replica is too slow for its time-to-first-token or
// per-token target, no training hardware meets the loop's deadline, no request can ever
// complete, or the simulation itself failed.
bool unanswerable(const Reason& r);

struct FixSet {
  std::vector<FixChange> changes;      // applied together
  std::optional<Reason> unanswerable;  // the first binding reason no scenario change answers
  // The fixes of every unanswerable reason: one as it is; several each after its cause
  // ("for the temperature at site farm: ...; for the ingress rating at site farm: ..."),
  // in the reasons' order. Empty when none has a fix.
  std::string unanswerable_fix;
};
// `first`: the candidate's own change (a search's looser target read from its estimate, or
// its first reason's); every binding reason adds its own.
FixSet fix_set(const FixChange& first, const std::vector<Reason>& binding, const Scenario& s);
// Adds `more` to `into`: a change to a key (what, subject) already there keeps the larger
// value. True when a change was added or grew.
bool merge(std::vector<FixChange>& into, const std::vector<FixChange>& more);
// "A and B". A longer run is how the fix is measured, not a change to the deployment, and is
// worded so: "A, measured over a longer simulation (duration = 5.17 min, a simulation
// setting, not a change to the deployment)"; alone, "a longer simulation to measure it (...)".
std::string describe(const std::vector<FixChange>& f);
Scenario with_fixes(const Scenario& s, const std::vector<FixChange>& f);

}  // namespace hw
