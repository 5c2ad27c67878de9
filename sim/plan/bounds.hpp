// Analytic bounds: what no fleet size can beat and the smallest fleet worth simulating.
// Pure functions of a scenario and a candidate; nothing here simulates.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/io/loaders.hpp"
#include "sim/plan/explain.hpp"
#include "sim/run/types.hpp"

namespace hw {

// The fixed latency of a stream's path, which no fleet size can beat: link latencies,
// transfers of the smallest item and batch-1 service times (the mean is a floor only for a
// deterministic service or at the 95th percentile and above), both ways when results
// return. Only the stages that more than `late_share` of the items reach count (an SLO
// lets that share be late); a negative share counts every stage.
struct LatencyFloor {
  double total_s = 0;        // propagation + transfers + service on that path
  double propagation_s = 0;  // the link latencies alone
  bool via_dc = false;       // the path crosses the backhaul to the data centre
};
LatencyFloor latency_floor(const SimInput& in, const StreamExec& ex, double late_share);
// The share of a stream's items its SLO lets be late: the smaller of 1 - percentile/100 and
// slo.max_violation (the late_share latency_floor takes for the SLO's own path).
double allowed_late_share(const StreamExec& ex);

// The smallest token count k with P(X <= k) >= q (q in (0, 1)) of a length distribution as
// the engine draws it (sim/engine/llm_serving.cpp: lognormal clamped to [min, max], rounded,
// at least 1; uniform over the whole numbers of [min, max]; empirical: one of the values).
double length_quantile(const LengthDistribution& d, double q);

// What no fleet size can beat for an LLM serving stream. More units add replicas; none makes
// one request's prefill or one decode step faster, so
//   TTFT >= up + prefill(q) + down, prefill(q) = sum over the chunks of q prompt tokens of
//           token_budget (the last one shorter) of iteration_time(chunk, context 0, pairs 0)
//   TPOT >= iteration_time(1 token, context 0, pairs 0)   (the weights read once per step)
// with q the prompt length at the quantile the SLO lets be late (1 - max_violation) and
// iteration_time the formula of sim/hardware/llm_cost.hpp (every term grows with context
// and pairs, and other requests sharing the iteration only add tokens). up/down: the
// propagation of the links each way (transfers left out: still a floor).
struct LlmFloor {
  double prompt_tokens = 0;  // q
  double ttft_s = 0;
  double tpot_s = 0;
};
LlmFloor llm_latency_floor(const LlmExec& e, double up_s, double down_s);

// Items per second reaching each stage of a stream, per site, as the engine will offer
// them over the simulated window.
std::vector<double> stage_rates(const SimInput& in, const StreamExec& ex);

// Mean bytes of a source item (a trace's own sizes where it gives them), and the bytes that
// reach stage k (the source item at 0, else stage k-1's output), as the engine sends them.
double mean_payload(const StreamExec& ex);
double stage_input_bytes(const StreamExec& ex, std::size_t k);

struct AnalyticBound {
  int units_per_site = 0;  // smallest count with edge utilisation < 1 (0: no edge tier)
  int servers = 0;         // smallest count with DC utilisation < 1 (0: no DC tier)
  double edge_load = 0;    // busy slots needed per site (worst site kind)
  double dc_load = 0;      // busy slots needed in the data centre
  double floor_s = 0;      // latency no fleet size can beat, worst stream relative to its SLO
  double floor_ratio = 0;  // floor_s / that stream's SLO bound
  double backhaul_bytes_per_s = 0;  // offered bytes over the backhaul, both directions, all sites (OfferedLoad)
  double dc_job_device_s_per_year = 0;  // batch jobs in the data centre: sum of single-device time x runs a year (a floor on rented device-seconds)
  std::optional<Reason> why_not;      // set when no size can work: the reason as data
  std::vector<Reason> binding;        // every screen that fails, why_not first
  std::optional<std::string> reason;  // its sentence
  std::string fix;                    // what would make it feasible
};

AnalyticBound analytic_bound(const Scenario& s, const Catalogue& cat, const CandidateSpec& spec);

// A TCO no size of this candidate can undercut: the analytic fleet at idle power, with the
// analytic backhaul traffic (every cost term grows with units, power and bytes); where the
// data-centre tier may be rented (dc_rent_price), the cheaper of owning and renting it.
double tco_lower_bound(const Scenario& s, const Catalogue& cat, const CandidateSpec& spec, const AnalyticBound& b);

}  // namespace hw
