// The planner: enumerate candidate deployments, size each to the smallest fleet that
// meets every target (analytic lower bound, then simulation probes), price them over
// their life, rank them, and explain the choice: binding reasons, Pareto front and
// sensitivity of the winner to load and prices.
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/plan/bounds.hpp"
#include "sim/plan/evaluate.hpp"
#include "sim/plan/fix.hpp"

namespace hw {

class Runner;

// Where a plan stands, as numbers: sent whenever a simulation starts or ends.
struct PlanProgress {
  std::string phase;               // "sizing", "sizing at load x0.5, x2", ...
  std::string candidate;           // the candidate probed, when a round probes only one
  std::size_t candidates = 0;      // candidates probed in this round
  int round = 0;                   // probe round k of at most max_rounds
  int max_rounds = 0;
  std::size_t sims_done = 0, sims_total = 0, running = 0;  // this round's batch
  std::size_t simulations = 0;     // simulated so far in this plan (not from the cache)
  std::size_t cache_hits = 0;      // taken from the cache so far
  std::vector<double> progress;    // each running simulation's fraction of its simulated time done (RunnerProgress::progress)
};

struct PlanOptions {
  bool sensitivity = true;
  int max_units_per_site = 64;     // search caps
  int max_servers = 512;
  int max_probes = 12;             // simulations per candidate
  std::function<void(const PlanProgress&)> progress;
};

// A simulation crashed, was killed, or returned no result: the plan cannot be trusted, so
// make_plan throws this instead of calling the candidate infeasible.
class SimulationFailed : public std::runtime_error {
 public:
  SimulationFailed(std::string candidate, std::string cause);
  [[nodiscard]] const std::string& candidate() const { return candidate_; }
  [[nodiscard]] const std::string& cause() const { return cause_; }

 private:
  std::string candidate_, cause_;
};

// One simulation of one size of a candidate.
struct Probe {
  int units_per_site = 0;
  int servers = 0;
  bool feasible = false;
  double p99_s = 0;
  double slo_s = 0;
  // Failed only for a target met on its estimate but not with confidence (every binding
  // reason slo_not_confident): the duration that might certify it (0 otherwise).
  double confidence_only_duration_s = 0;
};

struct SizedCandidate {
  CandidateReport report;  // at the chosen size (or the last probe when none passed)
  AnalyticBound bound;
  std::vector<Probe> probes;
  bool screened_out = false;  // rejected by the analytic screen, never simulated
  std::string fix;            // what would make it feasible (when it is not); "" when re-checked and it does not hold
  // The fix as a change to the scenario, re-checked by re-planning the candidate with it
  // (what: none when the advice is not a scenario change, e.g. other hardware).
  FixChange fix_change;
  // Every change re-checked together (fix_change is the first): one per binding reason that
  // a scenario change answers, grown by the re-plans (sim/plan/fix.hpp, fix_set).
  std::vector<FixChange> fix_changes;
  std::optional<bool> fix_holds;  // set once re-checked: feasible with the change, or not
  std::string fix_tried;          // re-checked: the change tried and what came of it
  // Set when a simulation of this candidate stopped without a result that the plan can do
  // without (a fix re-check over the event budget): why. The candidate keeps its sizing.
  std::string not_run;
  bool pareto = false;
  double closeness = 0;       // worst p99 / SLO (or floor / SLO): 1 means on target
  // Judged on a run longer than the scenario's duration (its own completed too few requests to
  // certify a percentile, and a longer run, the planner's to choose, certified it): that
  // duration in seconds, and why, in words (also one of report.candidate.notes). 0 and "" otherwise.
  double longer_run_s = 0;
  std::string longer_run;
};

struct SensitivityCase {
  std::string name;        // "load x2", "electricity price x2", ...
  std::string winner;      // label of the winner in that case ("" when none feasible)
  Family family = Family::edge;
  std::string hybrid_kind; // the winner's (hybrid_kind(scenario, spec)); "" when none (then the family's is written)
  bool changes = false;    // different family or hardware than the base winner
  double winner_tco = 0;   // 0 when none is feasible (the JSON writes null)
  std::string why_none;    // none feasible: the closest candidate's binding reason, "label: reason"
};

struct Plan {
  std::vector<SizedCandidate> candidates;   // in enumeration order
  std::vector<std::size_t> ranking;         // feasible candidates, cheapest first
  std::optional<std::size_t> winner, runner_up;
  double margin = 0;                        // (runner-up TCO - winner TCO) / winner TCO
  std::string why;                          // the explanation, plain words with numbers
  // Families without a feasible candidate, as data: the family and its closest candidate
  // (whose report.why_not is the binding reason and whose fix says what would help).
  struct FamilyRejection {
    Family family = Family::edge;
    std::size_t closest = 0;
  };
  std::vector<FamilyRejection> rejected_families;
  std::vector<std::string> rejected;        // the same, one sentence per family
  std::optional<std::size_t> closest;       // when nothing is feasible: what came closest
  std::vector<SensitivityCase> sensitivity;
  std::vector<std::string> price_crossovers;  // per price: the multiplier at which the winner changes
  // The same as numbers: price name, multiplier, candidate index that wins beyond it.
  struct PriceFlip {
    std::string price;
    double multiplier = 0;
    std::size_t candidate = 0;
  };
  std::vector<PriceFlip> price_flips;
  std::optional<double> crossover_load;     // load multiplier at which the winner changes
  std::string crossover;                    // the crossover in words
  std::size_t simulations = 0;              // probes run (not from the cache)
  std::size_t cache_hits = 0;
  std::size_t probes = 0;                   // probes asked for, cached or not
  std::size_t pruned = 0;                   // sensitivity sizings skipped: their cost floor already lost
  // The runner was cancelled: the plan stopped between probes and holds only what it had
  // (no winner may be drawn from it).
  bool cancelled = false;
};

// Candidate hardware per family: the scenario's candidates when it lists some (their
// sizes are ignored: the planner sizes them), else every catalogue profile of the
// right class and every edge x GPU pair for hybrids.
std::vector<CandidateSpec> enumerate_candidates(const Scenario& s, const Catalogue& cat);

// The scenario with every stream's load multiplied by k (rates x k; trace times / k; a video
// stream's fps x k, so that its frames to decode grow with its items, as k times the cameras
// would send, and the decode time per item stays); below
// x1 the measured window (duration - warmup) is stretched by 1/k, so that it holds as many
// requests as at x1. Every batch job's work x k: total FLOP and bytes, dataset, a rendering
// job's benchmark samples and a training job's steps.
Scenario scale_load(const Scenario& s, double k);

// The requests a simulation of `in` creates, estimated from the arrivals: sum over streams
// of rate x sources x simulated sites x duration, a diurnal stream's hours weighted by its
// hourly multipliers from its start hour (as time_to_offer walks them; trace replays and
// batch jobs count 0).
double expected_requests(const SimInput& in);
// A fix re-check is not run when its run would create more than this many times the
// requests of the scenario's own run at that candidate, and more than kRecheckMinRequests:
// an engineering limit, so that advice never costs more than ~20 sizings (a 1 /d stream
// whose p99 needs a 3.7 d run is reported as not re-checked, not simulated for 30 minutes).
inline constexpr double kRecheckMaxGrowth = 20;
inline constexpr double kRecheckMinRequests = 1e6;

// When a candidate's cost rests on a rented price (its data-centre tier rented, or the
// loop's training rented): "the data centre rented on demand at 1.71 USD/GPU-hour (the
// profile's gpu_hour, found: ...), 24k USD/year"; "" when nothing is rented.
std::string rent_basis(const Scenario& s, const Catalogue& cat, const CandidateReport& r);
// A data-centre tier rented on demand for batch jobs that run once over the horizon (no
// `every`, no streams): "one rental of 246k USD for the 116 d its jobs compute, run once in the
// 3-year horizon: the /year figures spread it"; "" otherwise (a recurring job's per year is its
// cash flow).
std::string one_off_rental_text(const Scenario& s, const CandidateReport& r);

// Sizes, prices, ranks and explains; every simulation goes through `runner` (which may
// cache). Returns with `cancelled` set when the runner is cancelled; throws
// SimulationFailed when a simulation fails.
// Which roofline bound sets batch job `id`'s time on the report's hardware, for the why:
// " (memory-bandwidth-bound on nvidia-l40s: its bytes take 1.68x as long as its FLOPs)", or
// "compute-bound ..."; empty for a job timed from a rendering benchmark, or none found.
std::string job_bound_text(const Scenario& s, const Catalogue& cat, const CandidateReport& r, const std::string& id);

// A batch job's timing, for the why: "training job ft done in 4.33 h on 8 devices" when it
// ran from the start; a job that waited for devices others held (makespan past its upload
// and compute) says when it finished and what the time was: "finished at 14.4 h on 8
// devices (10.1 h computing, after 4.32 h queued)", with "a 32 s upload and" before the
// queue when it had one.
std::string job_timing_text(const BatchJobResult& j);

// A sentence for the why when the planner lists no hybrid because every stream's pipeline
// has one stage (nothing to split); "" otherwise, or when the scenario lists its candidates.
std::string untried_hybrid_note(const Scenario& s);

Plan make_plan(const Scenario& s, const Catalogue& cat, Runner& runner, const PlanOptions& o = {});

}  // namespace hw
