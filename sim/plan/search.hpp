// The sizing search of one candidate as a state machine: given the outcome of probing the
// current size, the next size to probe, or done. Pure: it never simulates, so its logic is
// tested on made-up outcomes (tests/unit/test_size_search.cpp).
//
// One tier (edge-only: units per site; GPU-central: servers): start at the analytic bound,
// grow by half (doubling when overloaded) until a size passes, then bisect between the
// largest failing and the smallest passing size; it stops growing as soon as a growth step
// that cut the utilisation left the latency where it was, still above the target (see
// observe_one_tier). A constraint that more units cannot lift
// (site power budget) bounds the bracket from above. Hybrids grow the busier tier until the
// targets are met, then shrink each tier in turn by bisection.
#pragma once

#include <optional>
#include <string>

#include "sim/plan/bounds.hpp"
#include "sim/workload/scenario.hpp"

namespace hw {

// The search's advice when a constraint more units cannot lift stopped it and it has no
// figure of its own: the planner then prints the binding reason's own fix instead.
inline constexpr const char* kRelaxFix = "relaxing the constraint named in the reason";

// What a probe showed, as the search needs it.
struct ProbeOutcome {
  bool ran = true;               // false: the candidate cannot run at all (no fit, residency)
  bool feasible = false;         // every target and constraint met
  bool slo_failure = false;      // a latency target or job deadline missed (more units can cure it)
  bool deadline_failure = false; // a batch job's deadline missed
  bool overloaded = false;       // requests left unfinished, or a tier above 98% busy
  double edge_util = 0, dc_util = 0;  // measured utilisation of each tier
  double slo_percentile = 99;    // the worst stream's SLO percentile and its estimate, for the advice
  double slo_estimate_s = 0;
  double slo_bound_s = 0;        // that stream's target (0: unknown: the growth bound below is off)
  // The upper end of that estimate's 95% confidence interval (0: unknown), and the latency
  // no size beats on that stream's path (links, transfers, batch-1 service; 0: unknown).
  double slo_ci_high_s = 0;
  double slo_floor_s = 0;
  // Too few requests completed to certify an SLO percentile: a verdict on the run's length
  // that no size changes (the same requests arrive at any size); a longer duration does.
  bool too_few_requests = false;
  // The target is met on the point estimate but not with confidence (the interval reaches
  // past it): a verdict on the run's length or on a rare long wait, never on the target.
  [[nodiscard]] bool ci_miss() const {
    return slo_bound_s > 0 && slo_estimate_s <= slo_bound_s && slo_ci_high_s > slo_bound_s;
  }
  // The estimate is well above what the path alone takes (1.5x its floor): the latency is
  // waiting, e.g. behind another stream's long jobs on the same unit (head-of-line
  // blocking), which more units shorten even at low utilisation.
  [[nodiscard]] bool waiting() const { return slo_floor_s > 0 && slo_estimate_s > 1.5 * slo_floor_s; }
};

struct SearchLimits {
  int max_units_per_site = 64;
  int max_servers = 512;
  int max_probes = 12;
};

class SizeSearch {
 public:
  // `start`: the candidate at the analytic bound (its units_per_site / servers are set from
  // `bound`). edge_slots, dc_slots: requests each unit serves in parallel. too_big: the
  // smallest size (1-D) known to break a constraint more units cannot lift (e.g. the site
  // power budget), 1 << 30 when none.
  SizeSearch(const CandidateSpec& start, const AnalyticBound& bound, double edge_slots, double dc_slots, int too_big,
             SearchLimits limits);

  [[nodiscard]] bool done() const { return done_; }
  // The size to probe now (meaningful while !done()).
  [[nodiscard]] const CandidateSpec& next() const { return spec_; }
  // Feeds the outcome of probing next(). Returns true when that probe passed and is the
  // smallest passing size so far (the caller keeps its report).
  bool observe(const ProbeOutcome& o);
  [[nodiscard]] int probes() const { return probes_; }
  // When no size passed: what would make the candidate feasible.
  [[nodiscard]] const std::string& fix() const { return fix_; }
  // True when the search stopped on a target met on the point estimate but not with
  // confidence, with growth no longer shortening the interval: the fix is a longer run
  // (the reason's own), never a target.
  [[nodiscard]] bool stopped_on_confidence() const { return stopped_on_ci_; }
  // When the fix is a looser latency target (more units do not shorten the latency): the
  // estimate it must clear, in seconds; 0 otherwise.
  [[nodiscard]] double fix_latency_s() const { return fix_latency_s_; }
  // fix() with another estimate to clear, when the fix is a looser latency target (the
  // planner shows a rejected candidate at its closest probe, and the advice quotes that
  // probe's figure); fix() unchanged otherwise.
  // `instead`: the alternative to a looser target ("faster hardware", or the link that
  // holds the items when its share of the latency dominates).
  [[nodiscard]] std::string fix_at(double estimate_s, const std::string& instead = "faster hardware") const;

 private:
  [[nodiscard]] double edge_util(const ProbeOutcome& o) const;
  [[nodiscard]] double dc_util(const ProbeOutcome& o) const;
  bool observe_one_tier(const ProbeOutcome& o, bool out_of_probes);
  bool observe_hybrid(const ProbeOutcome& o, bool out_of_probes);

  CandidateSpec spec_;
  AnalyticBound bound_;
  double edge_slots_ = 1, dc_slots_ = 1;
  SearchLimits limits_;
  int lo_fail_ = 0;          // 1-D: largest size known to fail for being too small
  int hi_pass_ = 0;          // 1-D: smallest size known to pass (0: none)
  int too_big_ = 1 << 30;    // 1-D: smallest size known to break a constraint
  int shrink_tier_ = -1;     // hybrid: -1 still growing; 0 shrinking the edge; 1 the data centre
  int lo_e_ = 0, hi_e_ = 0, lo_g_ = 0, hi_g_ = 0;
  int probes_ = 0;
  // 1-D: the previous failing probe's utilisation and latency, for the growth bound.
  bool prev_fail_ = false;
  double prev_u_ = 0, prev_p_ = 0;
  // 1-D: the previous probe's confidence miss: the upper end of its interval (0: none).
  double prev_ci_ = 0;
  bool stopped_on_ci_ = false;
  bool done_ = false;
  // Sets a looser-latency fix: "a p99 target above <estimate> (<why>), or faster hardware".
  void set_latency_fix(double percentile, double estimate_s, std::string why);

  std::string fix_;
  double fix_latency_s_ = 0;
  double fix_percentile_ = 99;
  std::string fix_why_;
};

}  // namespace hw
