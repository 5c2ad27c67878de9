// Output schemas of runs and plans: every JSON document, CSV file and table for people that
// `hwplan run` and `hwplan recommend` print or write is made here and nowhere else, so the
// two commands cannot drift apart (a field means the same in both).
//
// The files sit in the io folder but the target, hwplan_report, sits above sim/plan (it
// reads CandidateReport and Plan): core <- models <- io, run <- plan <- report <- cli.
// No SimGrid: what only the engine knows (its network model) comes in as an argument.
//
// ---- "hardware" ----
// hardware_name(spec) is the one definition of the `hardware` field and column everywhere:
//   edge   : the edge unit, "+accelerator" when it carries one   "raspberry-pi-5+hailo-8"
//   gpu    : the data-centre profile id                          "nvidia-l4"
//   hybrid : edge unit "+" data-centre profile                   "jetson-orin-nano-super+l4x4-server"
//
// ---- JSON: a candidate (the same object in both documents) ----
//   label             the candidate's label ("edge raspberry-pi-5+hailo-8 x1/site")
//   family            "edge" | "gpu" | "hybrid"; an edge candidate of a scenario with
//                     `retraining:` is "hybrid" (the train-infer-iterate loop)
//   hybrid_kind       "train-infer-loop" | "split-pipeline" ("" for edge and gpu)
//   deployment        the family in words ("hybrid: train in the data centre, infer at the edge")
//   hardware          hardware_name(), above
//   edge_hardware     edge profile id as written, without the accelerator ("" for gpu)
//   edge_accelerator  accelerator profile id in each edge unit ("" when none)
//   gpu_hardware      data-centre profile id ("" for edge)
//   units             every unit bought (or rented) and priced: edge units over all sites
//                     plus servers, the design's N+k spares and an edge batch job's units
//                     beyond the streams' at its site included (units_bought(); the
//                     sized figures are units_per_site and servers, the spares
//                     availability.site_spares and availability.dc_spares)
//   units_per_site    edge units per site (0 for gpu)
//   servers           data-centre units (0 for edge)
//   gpus_per_server   GPUs in each data-centre server (a packaged card or module's count, a
//                     whole-server profile's accelerators); absent without a data centre
//   edge_stages       hybrid only: stages that run at the edge
//   feasible, reason  verdict; reason is the binding reason in words ("" when feasible)
//   why_not           the same as data (null when feasible): {kind (sim/plan/explain.hpp),
//                     subject, figure, bound, unit (SI), fix, detail, context {name: figure},
//                     text}
//   binding           [why_not, ...]: every binding reason found (the first is why_not), [] when feasible
//   notes             [string]: precision fallbacks, batch limits, unmeasured streams
//   p50_latency_s, p95_latency_s, p99_latency_s, p99_ci_s ([low, high])
//                     worst stream (highest p99 / SLO); all four null (never 0) when no
//                     stream was simulated (the scenario has none, the candidate could not
//                     run), the run did not finish, or the worst stream completed no
//                     request (an overloaded tier): as the CSV's empty latency cells
//   llm               present only with an LLM serving stream: {stream id: {ttft_p50_s,
//                     ttft_p99_s, tpot_p50_s, tpot_p99_s (time to first token and per output
//                     token, s), ttft_met, tpot_met (targets met), output_tokens_per_s (all
//                     replicas), output_tokens_per_s_per_server, output_tokens_per_s_per_replica,
//                     replicas, gpus_per_replica}}; the full figures are run.streams[].llm
//   run               the RunResult document (sim/run/json.hpp), when something was simulated
//   cost              CostBreakdown: capex, yearly costs by kind (energy, bandwidth,
//                     maintenance, retraining with its training part, rent), tco,
//                     cost_per_million, currency, rent_or_buy (null, or {choice, own_per_year,
//                     on_demand_per_year, reserved_per_year, break_even_utilisation, busy_share}).
//                     A figure never computed is null, never 0: cost_per_million without
//                     streams; every figure of a screened-out candidate; all but capex and
//                     capex_per_year (rent_or_buy included) when the candidate was never
//                     simulated (it cannot run: the scene does not fit, data residency) or
//                     its run did not finish: they rest on power and traffic nobody measured
//   loop              null, or the loop's training (sim/plan/loop.hpp): {samples, epochs,
//                     flops_per_sample, flops, interval_s, deadline_s, upload_s, push_s,
//                     runs_per_year, cycle_s, why_not, training: {hardware, units, devices,
//                     train_s, mode "buy"|"rent", own_per_year, rent_per_year, rent_price,
//                     break_even_utilisation, utilisation} or null}
//   tco               total cost of ownership over the horizon, in `currency`
//   total_power_w     the power paid for, averaged over the year: edge + an owned data
//                     centre (with PUE); a rented data centre's electricity is in the rent
//   rented_power_w    a rented data centre's draw during the rented hours, averaged over the
//                     year, with PUE (0 when owned or absent): for an energy account, not paid
//                     (tco, total_power_w and rented_power_w are null like the cost figures
//                     when never simulated or the run did not finish)
//
// ---- JSON: `hwplan run --format json` ----
//   {"schema": "hwplan-run-report", "version": 5, scenario, file, seed, currency,
//    network_model, candidates: [candidate, in the scenario's order]}
//
// ---- JSON: `hwplan recommend --format json` ----
//   {"schema": "hwplan-recommendation", "version": 5, scenario, file, seed, currency,
//    network_model,
//    recommendation: {family, hybrid_kind, deployment, hardware, label, units, tco, why,
//                     margin, runner_up?} or null,
//    why, closest   (only when recommendation is null: why nothing, and the closest label),
//    rejected       [string]: one line per family without a feasible candidate,
//    rejected_families [{family, closest (label), why_not (as above), fix, fix_holds, fix_tried}]: the same as data,
//    candidates     [candidate + {fix, fix_holds, fix_tried, screened_out, pareto, recommended,
//                    analytic_bound: {units_per_site, servers, edge_load_slots, dc_load_slots,
//                    latency_floor_s}, probes: [{units_per_site, servers, feasible, p99_s}]}],
//                   in enumeration order; a screened-out candidate has units, tco,
//                   total_power_w and every cost figure null,
//    pareto         [label], cheapest first,
//    sensitivity    [{case, winner, family, hybrid_kind, changes, winner_tco, why_none}]: family
//                   and hybrid_kind as the recommendation's; when no candidate is feasible in
//                   that case winner, family, hybrid_kind and winner_tco are null and why_none
//                   is the closest candidate's binding reason ("label: reason"; null otherwise),
//    crossover, price_crossovers, crossover_load (number or null),
//    stats          {probes, simulations, cache_hits, pruned, wall_s}}
//   fix: what would make a rejected candidate feasible; the planner re-plans it with the fix
//   applied when the fix is a change to the scenario: fix_holds true (feasible with it,
//   fix_tried names the change and the size), false (not feasible: fix is then "" and
//   fix_tried says what was tried and why it failed), null (not re-checkable: other hardware,
//   more probes; fix_tried then names the binding reason no scenario change answers, or is
//   ""). A candidate with several binding reasons is re-planned with one change per reason,
//   all applied together (fix_tried lists them, joined by "and").
//
// Version numbers are bumped whenever a field is added, removed or changes meaning.
//
// ---- CSV ----
// RFC 4180 (sim/io/report.hpp), one row per candidate, units in column names, currency
// lower-cased in column names (capex_usd), every number as csv_number() writes it (the
// JSON's digits, plain decimals):
//   run (`hwplan run`):  family, hardware, edge_hardware, gpu_hardware, units_per_site,
//     servers, stream, p50_latency_ms, p95_latency_ms, p99_latency_ms, p99_ci_low_ms,
//     p99_ci_high_ms, slo_target_ms, slo_violation_rate, slo_met, throughput_per_s,
//     edge_utilisation, dc_utilisation, avg_power_w, energy_kwh_per_day, backhaul_gb_per_day,
//     capex_<cur>, opex_per_year_<cur>, tco_<cur>, cost_per_million_<cur>, feasible, reason,
//     scaling_note, hybrid_kind, energy_per_year_<cur>, bandwidth_per_year_<cur>,
//     maintenance_per_year_<cur>, retraining_per_year_<cur>, rent_per_year_<cur>,
//     dc_rent_or_buy, break_even_utilisation, makespan_h, deadline_h (longest job),
//     gpus_per_server (GPUs in each data-centre server: cards or modules packed into servers,
//     or a whole-server profile's accelerators; empty without a data-centre tier),
//     llm_ttft_p99_ms, llm_tpot_p99_ms, llm_output_tokens_per_s (the worst stream's when it
//     is an LLM stream, else the first LLM stream's; empty without one, or when never reached),
//     rented_power_w (as the JSON's; avg_power_w and energy_kwh_per_day are the power paid
//     for: edge + an owned data centre with PUE, so energy_kwh_per_day x 365 x the electricity
//     price = energy_per_year_<cur>), training_per_year_<cur> (the loop's training, owned or
//     rented: the JSON's cost.training_per_year; equal to retraining_per_year_<cur>, whose
//     sample uploads and model pushes are priced in bandwidth_per_year_<cur> and counted in
//     backhaul_gb_per_day)
//   recommend: the run columns, then units (every unit bought, N+k spares included, as in
//     the JSON), p50_ci_low_ms, p50_ci_high_ms, p95_ci_low_ms,
//     p95_ci_high_ms, edge_stages, probes, pareto, recommended, fix, site_spares, dc_spares, rank
//     (spares bought beside the sized units: per site, in the data centre; empty for a tier
//     the candidate does not use), rank (1 = recommended, then by TCO; empty when rejected); a screened-out candidate has empty sizes, utilisations,
//     power, traffic, costs and spares.
//   A candidate that never ran (or whose run did not finish) has empty measured columns
//   (throughput, utilisations, power, energy, traffic) and empty priced columns (opex, TCO,
//   cost per million, the yearly costs, dc_rent_or_buy, break_even_utilisation): capex
//   stays; cost_per_million_<cur> is empty in a scenario without streams.
//   In both, `hardware` is hardware_name() and `edge_hardware` is the edge unit
//   (edge_unit_name(): "+accelerator" when it carries one); latency columns are the worst
//   stream's and empty when it completed no request.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sim/io/report.hpp"
#include "sim/plan/evaluate.hpp"
#include "sim/plan/planner.hpp"

namespace hw {

inline constexpr const char* kRunReportSchema = "hwplan-run-report";
// 2: hybrid_kind, deployment, loop, cost breakdown and rent or buy; 3: units counts the
// N+k spares, costs never computed are null; 5: the latency keys are always present, null
// when the worst stream completed no request (4 wrote 0), and a candidate never simulated or
// whose run failed has null costs, TCO and power (capex kept)
inline constexpr int kRunReportVersion = 5;
inline constexpr const char* kRecommendationSchema = "hwplan-recommendation";
inline constexpr int kRecommendationVersion = 5;  // as kRunReportVersion

// ---- user text on a terminal ----
// A name or id from an input file (a scenario's or sweep's name, a model phase, a stage id)
// as the text outputs show it: through printable() (sim/core/errors.hpp), as error messages
// quote user text: an escape sequence, a BEL, a newline, a tab or U+202E reads as \x1b,
// \x07, \x0a, \x09, \u202E, on one line; cut to kShownNameChars characters with "...".
// The JSON and CSV keep the name as written.
inline constexpr std::size_t kShownNameChars = 300;
std::string shown_name(std::string_view name);
// Text for a terminal, line by line through printable() uncut, its newlines kept: what
// run_text and plan_text return, so that an id an input gave raw (a stage or job id, quoted
// in a note) cannot move the cursor or reorder the text either.
std::string terminal_lines(std::string_view text);

// Units as sized, with the spares bought beside them: "2/site", "2+1/site", "1+1 srv", a
// hybrid "1/site, 1+1 srv" (the tables for people and the desktop app).
std::string units_text(const CandidateSpec& c, int site_spares = 0, int dc_spares = 0);
// A priced candidate's units: units_text with its spares, then the edge batch jobs' units beyond
// the streams' at their one site, " +52 at eu-airport (jobs)" (TierSpec::job_units).
std::string units_text(const CandidateReport& r);

// The `hardware` of a candidate in every output (see above).
std::string hardware_name(const CandidateSpec& c);
// Every unit the spec sizes: edge units over all sites plus data-centre servers.
int total_units(const Scenario& s, const CandidateSpec& c);
// The same with the design's spares: every unit bought (sites' spares at every site; none in
// a rented data centre), the `units` of every JSON document and CSV file.
int units_bought(const Scenario& s, const CandidateReport& r);

// A simulation that was started and did not finish (a crash, the event budget): what it had
// measured is a fragment, shown nowhere as a figure (capex, the size's price, still is).
bool run_failed(const CandidateReport& r);
// A candidate that was simulated and whose simulation finished: the one whose measured
// figures (power, traffic, throughput) and the costs that rest on them are shown.
bool simulated(const CandidateReport& r);
// A number as every CSV column writes it: the shortest digits that read back as the same
// double (as the JSON writes it), in plain decimal notation ("0.038201702", "0.0000524136",
// "1700000", "0"), never rounded to a false 0; exponent form ("1e+20") only past 1e16 or
// below 1e-9.
std::string csv_number(double v);
// The worst stream of a report when its run finished and the stream completed at least one
// request: the one whose latency the tables show; null otherwise.
const StreamResult* worst_completed(const CandidateReport& r);

// `hwplan run`: the candidates as simulated, in the scenario's order. network_model is
// the engine's description of its network model (network_model_description()).
nlohmann::json run_report_json(const Scenario& s, const std::vector<CandidateReport>& reports, const std::string& network_model);

// `hwplan recommend`: the plan; wall_s is how long it took.
nlohmann::json plan_json(const Scenario& s, const Plan& plan, const std::string& network_model, double wall_s);

enum class TableStyle {
  csv,     // the columns above, full precision (csv_number), for files
  people,  // short columns and rounded figures, for a terminal
};

// csv: one row per candidate in the scenario's order. people: the same rows with
// latency, utilisation, power, traffic, costs and the verdict; a candidate that cannot run
// at all (ResolvedCandidate::infeasible) shows "-" for capex, opex and TCO (the CSV and JSON
// keep its capex only).
Table run_table(const Scenario& s, const std::vector<CandidateReport>& reports, TableStyle style);
// csv: one row per candidate in enumeration order. people: ranked (feasible cheapest
// first, then the rejected), with units, latency at the SLO percentile, TCO and verdict; the
// cost per million is headed "<currency>/M inf", or "/M req" when a stream is LLM serving.
Table plan_table(const Scenario& s, const Plan& plan, TableStyle style);

// What `hwplan run` prints for people: the scenario name, run_table(people), one line per
// batch job and per note, and what the latency and network figures mean.
std::string run_text(const Scenario& s, const std::vector<CandidateReport>& reports, const std::string& network_model);
// What `hwplan recommend` prints for people: plan_table(people), rejected candidates with
// their reasons, the recommendation and why, the Pareto front, sensitivity and statistics.
std::string plan_text(const Scenario& s, const Plan& plan, const std::string& network_model, double wall_s);

// ---- parts of plan_text, shared with the desktop app ----
// A rejected candidate's binding reasons in words: its reason, then "; also: " and the others.
std::string binding_text(const SizedCandidate& x);
// Its fix as the planner re-checked it: "would need X; re-checked: feasible with ...",
// "no fix found that holds: ...", "would need X" (not re-checkable), or "" (no fix).
std::string fix_text(const SizedCandidate& x);
// Rent or buy of a candidate's data-centre tier, in money per year: "rent on demand (own
// 11.7k/y; rent on demand 748/y at 1.9% of the year); owning pays above 30.2% utilisation";
// "" when it has no data-centre tier or no rented price is known.
// With the scenario, a rented tier whose batch jobs run once over the horizon also says it is
// one rental ("one rental of 246k USD for the 116 d its jobs compute, ..."): per year is then
// the rental spread over the horizon, not a yearly cash flow.
std::string rent_or_buy_text(const CandidateReport& r, const Scenario* s = nullptr);

// Each LLM serving stream of a candidate, one line each (each line starts with `indent` and
// ends with a newline): TTFT and TPOT at p50 and p99 against their targets, output tokens per
// second; then, with one LLM stream, the cost per million output tokens. "" without one.
std::string llm_lines(const Scenario& s, const CandidateReport& r, const std::string& indent);
// Headroom and redundancy of a candidate, one line each: "busy: ..." (tier and link use
// against design.max_utilisation; with an LLM stream it says that busy is the arithmetic
// used, not the time stepping), "availability: ..." (N+k per tier and the deployment's),
// and, when one failed unit takes a site down, "single point of failure: ..." with what
// N+1 would give and cost.
std::vector<std::string> redundancy_lines(const Scenario& s, const CandidateReport& r);
// An availability (0..1) as a percentage to its first non-9 digit and one more, trailing
// zeros dropped: "98.9%", "99.904%", "99.999908%"; ">99.999999%" past six nines of decimals.
std::string availability_text(double a);
// The train-infer-iterate loop, one line each: the training per run, the hardware it is
// trained on (rented or owned, and why), and the cycle against its deadline; or why no
// training hardware meets the deadline.
std::vector<std::string> loop_lines(const Scenario& s, const TrainingPlan& t);

}  // namespace hw
