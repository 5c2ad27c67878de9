#include "sim/plan/search.hpp"
#include "sim/core/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace hw {
namespace {

std::string ms(double s) { return sig3(s * 1e3) + " ms"; }

int& dim(CandidateSpec& c) { return c.family == Family::edge ? c.units_per_site : c.servers; }

int grow(int n, bool overloaded) {
  int next = std::max(n + 1, static_cast<int>(std::ceil(n * 1.5)));
  if (overloaded) next = std::max(next, 2 * n);
  return next;
}

}  // namespace

SizeSearch::SizeSearch(const CandidateSpec& start, const AnalyticBound& bound, double edge_slots, double dc_slots, int too_big,
                       SearchLimits limits)
    : spec_(start), bound_(bound), edge_slots_(edge_slots), dc_slots_(dc_slots), limits_(limits), too_big_(too_big) {
  if (spec_.family != Family::gpu) spec_.units_per_site = std::max(1, bound.units_per_site);
  if (spec_.family != Family::edge) spec_.servers = std::max(1, bound.servers);
  if (spec_.family != Family::hybrid) lo_fail_ = dim(spec_) - 1;
}

// Utilisation of the busiest site's edge units and of the data centre: the larger of what
// the run measured (averaged over simulated units) and the analytic load over capacity
// (which sees the busiest site kind, where an average over kinds would not).
double SizeSearch::edge_util(const ProbeOutcome& o) const {
  const double n = std::max(1, spec_.units_per_site) * edge_slots_;
  return std::max(o.edge_util, bound_.edge_load / n);
}
double SizeSearch::dc_util(const ProbeOutcome& o) const {
  const double n = std::max(1, spec_.servers) * dc_slots_;
  return std::max(o.dc_util, bound_.dc_load / n);
}

void SizeSearch::set_latency_fix(double percentile, double estimate_s, std::string why) {
  fix_percentile_ = percentile;
  fix_why_ = std::move(why);
  fix_latency_s_ = estimate_s;
  fix_ = fix_at(estimate_s);
}

std::string SizeSearch::fix_at(double estimate_s, const std::string& instead) const {
  if (fix_latency_s_ <= 0) return fix_;
  return fmt::format("a p{:g} target above {} ({}), or {}", fix_percentile_, ms(estimate_s), fix_why_, instead);
}

bool SizeSearch::observe(const ProbeOutcome& o) {
  ++probes_;
  if (!o.ran) {
    done_ = true;
    fix_ = "different hardware";
    return false;
  }
  const bool out_of_probes = probes_ >= limits_.max_probes;
  if (!o.feasible && !o.slo_failure && o.too_few_requests) {
    // No size certifies it: stop, and let the reason's own fix (a longer duration) stand,
    // rather than take this size for a constraint's limit.
    done_ = true;
    fix_ = kRelaxFix;
    return false;
  }
  return spec_.family == Family::hybrid ? observe_hybrid(o, out_of_probes) : observe_one_tier(o, out_of_probes);
}

bool SizeSearch::observe_one_tier(const ProbeOutcome& o, bool out_of_probes) {
  int& n = dim(spec_);
  const int cap = std::min(spec_.family == Family::edge ? limits_.max_units_per_site : limits_.max_servers, too_big_ - 1);
  auto next_between = [&] {  // bisection inside the bracket, or done
    const int hi = hi_pass_ > 0 ? hi_pass_ : too_big_;
    if (lo_fail_ + 1 >= hi || out_of_probes) return false;
    n = (lo_fail_ + hi) / 2;
    return true;
  };
  if (o.feasible) {
    hi_pass_ = n;
    if (!next_between()) done_ = true;
    return true;
  }
  if (!o.slo_failure) {
    // A constraint more units cannot lift (e.g. the site power budget): this size is too
    // big; look between the last size that was too small and this one.
    too_big_ = std::min(too_big_, n);
    if (!next_between()) {
      done_ = true;
      // Read after "would need": a noun phrase.
      fix_ = lo_fail_ > 0 ? fmt::format("more than {} {}, but a constraint allows at most {}", lo_fail_,
                                        spec_.family == Family::edge ? "units per site" : "servers", too_big_ - 1)
                          : kRelaxFix;
    }
    return false;
  }
  const double u = spec_.family == Family::edge ? edge_util(o) : dc_util(o);
  // A target met on the point estimate, its interval reaching past it: more units shorten a
  // tail made of rare long waits (a request behind another stream's long job), so grow while
  // each step still shortens the interval's upper end by 2%; when one does not, the tail is
  // the run's length (too few requests above the percentile), and the fix is a longer run
  // (the reason's own advice, kRelaxFix), never a tighter or looser target.
  if (o.ci_miss() && hi_pass_ == 0 && !o.overloaded && !o.deadline_failure) {
    if (prev_ci_ > 0 && o.slo_ci_high_s >= 0.98 * prev_ci_) {
      done_ = true;
      stopped_on_ci_ = true;
      fix_ = kRelaxFix;
      return false;
    }
    prev_ci_ = o.slo_ci_high_s;
  } else if (u < 0.2 && !o.overloaded && !o.deadline_failure && !o.ci_miss() && !o.waiting() &&
             o.slo_estimate_s > o.slo_bound_s) {
    // Latency from service and network, not queueing (the estimate within 1.5x the path's
    // floor): more units do not shorten it.
    done_ = true;
    set_latency_fix(o.slo_percentile, o.slo_estimate_s, fmt::format("at {:.0f}% utilisation more units do not shorten it", u * 100));
    return false;
  }
  // Growth cannot help: the last growth step cut the utilisation by at least a tenth but
  // the latency by less than 2% (queueing was not what made it late: a busy link, a fixed
  // path), and both probes miss the target by more than 2% (noise). Then no size will meet
  // it: stop instead of growing to the cap. (A fit of p = a + b u / (1 - u) through the two
  // probes was tried and rejected: with several slots queueing falls faster than that, and
  // it stopped a candidate that 3 units per site made feasible.)
  if (hi_pass_ == 0 && o.slo_bound_s > 0 && !o.overloaded && !o.deadline_failure && !o.ci_miss()) {
    const double floor = std::min(prev_p_, o.slo_estimate_s);
    if (prev_fail_ && u <= 0.9 * prev_u_ && o.slo_estimate_s >= 0.98 * prev_p_ && floor > 1.02 * o.slo_bound_s) {
      done_ = true;
      set_latency_fix(o.slo_percentile, floor,
                      fmt::format("more units do not shorten it: {} at {:.0f}% and {} at {:.0f}% utilisation", ms(prev_p_), prev_u_ * 100,
                                  ms(o.slo_estimate_s), u * 100));
      return false;
    }
    prev_fail_ = true;
    prev_u_ = u;
    prev_p_ = o.slo_estimate_s;
  }
  lo_fail_ = n;
  if (hi_pass_ > 0 || too_big_ < (1 << 30)) {
    if (next_between()) return false;
    if (hi_pass_ > 0) {
      done_ = true;
      return false;
    }
  }
  if (n >= cap || out_of_probes) {
    done_ = true;
    fix_ = out_of_probes ? fmt::format("more probes than the {} allowed", limits_.max_probes)
           : n >= too_big_ - 1
               ? fmt::format("more than {} units per site, but the site power budget allows at most {}", n, too_big_ - 1)
               : fmt::format("more than {} {} (the search cap)", n, spec_.family == Family::edge ? "units per site" : "servers");
    return false;
  }
  n = std::min(cap, grow(n, o.overloaded));
  return false;
}

bool SizeSearch::observe_hybrid(const ProbeOutcome& o, bool out_of_probes) {
  auto settled = [&] { return shrink_tier_ == 0 ? lo_e_ + 1 >= hi_e_ : lo_g_ + 1 >= hi_g_; };
  if (shrink_tier_ >= 0) {
    int& lo = shrink_tier_ == 0 ? lo_e_ : lo_g_;
    int& hi = shrink_tier_ == 0 ? hi_e_ : hi_g_;
    const int probed = shrink_tier_ == 0 ? spec_.units_per_site : spec_.servers;
    const bool improved = o.feasible;
    if (o.feasible) {
      hi = probed;
    } else {
      lo = probed;
    }
    while (shrink_tier_ <= 1 && settled()) ++shrink_tier_;
    if (shrink_tier_ > 1 || out_of_probes) {
      done_ = true;
      return improved;
    }
    spec_.units_per_site = hi_e_;
    spec_.servers = hi_g_;
    if (shrink_tier_ == 0) spec_.units_per_site = (lo_e_ + hi_e_) / 2;
    else spec_.servers = (lo_g_ + hi_g_) / 2;
    return improved;
  }
  if (o.feasible) {
    hi_e_ = spec_.units_per_site;
    hi_g_ = spec_.servers;
    lo_e_ = std::max(0, bound_.units_per_site - 1);
    lo_g_ = std::max(0, bound_.servers - 1);
    shrink_tier_ = 0;
    while (shrink_tier_ <= 1 && settled()) ++shrink_tier_;
    if (shrink_tier_ > 1 || out_of_probes) {
      done_ = true;
      return true;
    }
    if (shrink_tier_ == 0) spec_.units_per_site = (lo_e_ + hi_e_) / 2;
    else spec_.servers = (lo_g_ + hi_g_) / 2;
    return true;
  }
  if (!o.slo_failure) {
    done_ = true;
    fix_ = kRelaxFix;
    return false;
  }
  const double ue = edge_util(o), ud = dc_util(o);
  if (std::max(ue, ud) < 0.2 && !o.overloaded && !o.deadline_failure && !o.ci_miss() && !o.waiting() &&
      o.slo_estimate_s > o.slo_bound_s) {
    done_ = true;
    set_latency_fix(o.slo_percentile, o.slo_estimate_s, "utilisation is low: more units do not shorten it");
    return false;
  }
  const bool grow_edge = ue >= ud && !o.deadline_failure;  // batch jobs run in the data centre
  int& n = grow_edge ? spec_.units_per_site : spec_.servers;
  const int cap = grow_edge ? limits_.max_units_per_site : limits_.max_servers;
  if (n >= cap || out_of_probes) {
    done_ = true;
    fix_ = out_of_probes ? fmt::format("more probes than the {} allowed", limits_.max_probes)
                         : fmt::format("a larger fleet than the search cap ({} units per site, {} servers)", limits_.max_units_per_site,
                                       limits_.max_servers);
    return false;
  }
  n = std::min(cap, grow(n, o.overloaded));
  return false;
}

}  // namespace hw
