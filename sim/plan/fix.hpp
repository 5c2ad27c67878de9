// Advice that holds: the fix a rejection suggests, as a change to the scenario that can be
// applied and re-planned (the planner re-sizes the candidate with it before printing it).
// Only fixes that change the scenario are re-checkable; advice to use other hardware is not.
#pragma once

#include <string>

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
  };
  What what = What::none;
  std::string subject;  // the stream, job or site id it changes ("" for scenario-wide)
  double value = 0;     // SI
};

// The change a reason's fix asks for, 10% past the figure where the fix says "above" (the
// figure itself would be on the edge: 'a p99 target above 40.9 ms' is tried as 45 ms).
// A saturated link is asked to carry its traffic at most design.max_utilisation.link busy.
FixChange fix_change(const Reason& r, const Scenario& s);
// A looser latency target for `stream`, 10% past the estimate it must clear.
FixChange looser_target(const std::string& stream, double estimate_s);
// The change as the scenario key and value, e.g. "streams[perception].slo.latency = 45 ms".
std::string describe(const FixChange& f);
// The scenario with the change applied.
Scenario with_fix(const Scenario& s, const FixChange& f);

}  // namespace hw
