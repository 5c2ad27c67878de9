// Evaluating candidates: resolve, simulate through a Runner, price, and judge feasibility
// with the binding reason in plain words.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sim/cost/tco.hpp"
#include "sim/run/types.hpp"
#include "sim/plan/deployment.hpp"
#include "sim/plan/design.hpp"
#include "sim/plan/explain.hpp"
#include "sim/plan/loop.hpp"

namespace hw {

struct CandidateReport {
  ResolvedCandidate candidate;
  RunResult run;
  CostBreakdown cost;
  bool feasible = false;
  std::optional<Reason> why_not;  // the binding reason as data when infeasible
  std::string reason;           // its sentence (describe(*why_not)); empty when feasible
  std::vector<Reason> binding;  // every binding reason, why_not first (empty when feasible)
  std::size_t worst_stream = 0; // stream with the highest p99 / SLO bound
  // The power paid for, averaged over the year: edge + an owned data centre (with PUE). A
  // rented data-centre tier is out of it: its electricity is in the rent.
  double total_power_w = 0;
  // A rented data-centre tier's draw during the rented hours, averaged over the year, with
  // PUE (paid by the provider, in the rent; 0 when the data centre is owned or absent).
  double rented_power_w = 0;
  CostInputs cost_inputs;       // what the cost was computed from (for re-pricing)
  // The train-infer-iterate loop's training, sized and priced (scenarios whose retraining
  // gives `epochs`); its cost is in cost.retraining_per_year.
  std::optional<TrainingPlan> training;
  // Headroom and redundancy (the scenario's design block): availability per site, of the
  // data centre and of the whole deployment, with the N+k spares priced in cost.
  Availability availability;
  bool headroom_failure = false;  // a tier busier than the design allows (more units cure it)
};

class Runner;
struct RunnerProgress;

// The estimate at the stream's SLO percentile (p50/p90/p95/p99/p99.9; p99 otherwise).
Estimate slo_estimate(const StreamResult& st);
// Whether any request of the stream was created in the measured window.
bool measured(const StreamResult& st);
// The fewest completed requests that certify a p-th percentile: ceil(1 / (1 - p/100)).
double min_requests_for(double percentile);
// SLO met, and met with confidence: the upper end of the 95% CI of the SLO percentile is
// within the bound.
bool slo_confident(const StreamResult& st);

// The SimInput exactly as evaluate_* hands it to the runner (trace times scaled to the load).
ResolvedCandidate resolve_for_simulation(const Scenario& s, const Catalogue& cat, const CandidateSpec& spec);

// Resolves each spec, simulates the runnable ones as one batch on the runner (progress and
// cancellation are the runner's), prices and judges them.
std::vector<CandidateReport> evaluate_candidates(const Scenario& s, const Catalogue& cat, const std::vector<CandidateSpec>& specs,
                                                 Runner& runner);

// The same, each spec with its own scenario (e.g. the scenario at another load), all
// simulations in one batch.
std::vector<CandidateReport> evaluate_mixed(const std::vector<const Scenario*>& scenarios, const Catalogue& cat,
                                            const std::vector<CandidateSpec>& specs, Runner& runner,
                                            const std::function<void(const RunnerProgress&)>& progress = {});

// What a scenario offers per second, all represented sites: per stream, sources x the sites of
// its kind x the mean arrival rate per source (periodic, Poisson, bursty: the rate given;
// diurnal: the rate x the mean of its 24 hourly multipliers; a trace: its arrivals before the
// duration over the duration, timestamps as `in` holds them (scaled by time_scale), once per
// site). Output tokens: each LLM stream's requests x the mean of its output_tokens. `in` is
// the candidate's SimInput (its streams in the scenario's order, for the traces).
// Backhaul bytes (both directions, all sites), from the same offered rates: an item crosses
// to the data centre at its first data-centre stage (that stage's input: the payload, or the
// previous stage's output) in the share the filtering stages before it keep (the product of
// their fractions), and its result (when returned) comes back from there; an LLM stream served
// in the data centre sends its payload and gets a result per output token (mean). These are
// the bytes the engine counts (sim/engine: SiteInst::backhaul_*, run_llm_stream), in
// expectation; the run's backhaul_bytes_per_day is a sample of them over its short window.
struct OfferedLoad {
  double requests_per_s = 0;
  double output_tokens_per_s = 0;
  double backhaul_bytes_per_s = 0;
};
OfferedLoad offered_load(const Scenario& s, const SimInput& in);

// A SimInput's trace timestamps as the engine replays them (divided by time_scale, as
// resolve_for_simulation leaves them).
void scale_trace_times(SimInput& in);

// Data-centre hardware the planner lists when a scenario names no candidates: GPU servers,
// and cards and modules bought inside host servers (package_accelerators): one with a
// `server:` block, or with at least 1 GB of its own memory (a PCIe card in a host of 1, 2, 4
// or 8). M.2 and USB modules without memory of their own go into edge hosts only.
bool listed_for_datacentre(const HardwareProfile& p);

// The price per GPU-second a data-centre profile of class gpu_server or accelerator is
// rented at, and its source. Its own gpu_hour (source "profile"); else the scenario's
// costs.gpu_hour (source "scenario"), one generic price, only when no data-centre part the
// scenario compares (its candidates' GPU hardware; without candidates, every GPU server and
// card of the catalogue the planner enumerates) that is no dearer to buy (purchase price per
// GPU, as the profiles state it; every priced part when this one's price is unknown) rents for
// more on a price of its own; else none (source "", `priced` names those parts): the part is
// not offered to rent, since the generic (A100-class) price would rent a newer GPU below an
// older one priced beside it. As the loop's training (sim/plan/loop.cpp), which uses the
// generic price only when no part has a price of its own, a part is never rented below what
// the priced parts imply. The same rule wherever a candidate is priced.
struct RentPrice {
  double on_demand = 0;  // per GPU-second; 0 = not offered to rent
  double reserved = 0;   // per GPU-second; 0 = none
  std::string source;    // "profile", "scenario" or ""
  std::vector<std::string> priced;  // when withheld: the compared parts no dearer to buy that rent for more, "id (X CUR/GPU-hour)"
};
RentPrice dc_rent_price(const Scenario& s, const Catalogue& cat, const std::string& hardware);

// Cost inputs of a report (units, power, bytes, rates), priced by sim/cost. The rates are the
// offered load (offered_load), not the run's measured throughput.
CostInputs cost_inputs(const Scenario& s, const Catalogue& cat, const CandidateReport& r);

// The train-infer-iterate loop's backhaul traffic, bytes per day per site id (all sites of
// that kind): the samples uploaded (upload_fraction of the raw payloads of streams whose first
// stage runs on site) and the model pushed to every edge unit after each run. Empty without
// `retraining`. evaluate_* adds it to the run's backhaul links (computed, not simulated).
std::map<std::string, double> loop_bytes_per_day(const Scenario& s, const ResolvedCandidate& c);

}  // namespace hw
