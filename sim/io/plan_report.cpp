#include "sim/io/plan_report.hpp"
#include "sim/core/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cctype>
#include <cmath>

#include "sim/core/errors.hpp"
#include "sim/hardware/perf_model.hpp"
#include "sim/plan/deployment.hpp"
#include "sim/plan/loop.hpp"
#include "sim/plan/result_json.hpp"

namespace hw {

std::string shown_name(std::string_view name) { return printable(name, kShownNameChars); }

std::string terminal_lines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at <= text.size();) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    out += printable(text.substr(at, end - at), std::string::npos);
    if (end == text.size()) break;
    out += '\n';
    at = end + 1;
  }
  return out;
}

// A simulation that was started and did not finish (a crash, the event budget): whatever it
// had measured is a fragment, shown nowhere as a figure.
bool run_failed(const CandidateReport& r) { return !r.run.ok && !r.run.error.empty(); }

bool simulated(const CandidateReport& r) { return (!r.run.streams.empty() || !r.run.jobs.empty()) && !run_failed(r); }

const StreamResult* worst_completed(const CandidateReport& r) {
  if (r.run.streams.empty() || run_failed(r)) return nullptr;
  const StreamResult& st = r.run.streams[r.worst_stream];
  return st.completed > 0 ? &st : nullptr;
}

std::string hardware_name(const CandidateSpec& c) {
  switch (c.family) {
    case Family::edge: return edge_unit_name(c);
    case Family::gpu: return c.gpu_hardware;
    case Family::hybrid: return edge_unit_name(c) + "+" + c.gpu_hardware;
  }
  return "";
}

int total_units(const Scenario& s, const CandidateSpec& c) {
  double sites = 0;
  for (const auto& x : s.sites) sites += x.count;
  int n = 0;
  if (c.family != Family::gpu) n += static_cast<int>(c.units_per_site * sites);
  if (c.family != Family::edge) n += c.servers;
  return n;
}

int units_bought(const Scenario& s, const CandidateReport& r) {
  CandidateSpec c = r.candidate.spec;
  c.units_per_site += r.availability.site_spares;
  c.servers += r.availability.dc_spares;
  // The edge batch jobs' units beyond the streams' at their one site (TierSpec::job_units).
  return total_units(s, c) + job_site_extra(r.candidate.input.edge);
}

namespace {

// The fix as printed: a fix the planner re-checked and found not to hold is not printed as
// a fix (fix_tried says what was tried).
std::string shown_fix(const SizedCandidate& x) { return x.fix_holds && !*x.fix_holds ? std::string() : x.fix; }

// A reason as data: kind, subject, figure against bound (SI, in unit), fix, further figures.
nlohmann::json reason_json(const Reason& r) {
  nlohmann::json ctx = nlohmann::json::object();
  for (const auto& [k, v] : r.context) ctx[k] = v;
  return {{"kind", to_string(r.kind)}, {"subject", r.subject}, {"figure", r.figure}, {"bound", r.bound}, {"unit", r.unit},
          {"fix", r.fix},           {"detail", r.detail},   {"context", ctx},       {"text", describe(r)}};
}

// ---- JSON ----

// The train-infer-iterate loop: the training workload, the hardware sized for it (owned or
// rented) and the cycle against the interval.
nlohmann::json loop_json(const TrainingPlan& t) {
  const auto& w = t.work;
  nlohmann::json j = {{"samples", w.samples},         {"epochs", w.epochs},         {"flops_per_sample", w.flops_per_sample},
                      {"flops", w.flops},             {"interval_s", w.interval_s}, {"deadline_s", w.deadline_s},
                      {"upload_s", w.upload_s},       {"push_s", w.push_s},         {"runs_per_year", t.runs_per_year},
                      {"cycle_s", t.cycle_s},         {"why_not", t.why_not}};
  if (t.chosen) {
    const auto& o = *t.chosen;
    j["training"] = {{"hardware", o.hardware},
                     {"units", o.units},
                     {"gpus_per_server", o.gpus_per_server},
                     {"devices", o.devices},
                     {"train_s", o.train_s},
                     {"mode", o.rent ? "rent" : "buy"},
                     {"own_per_year", o.own_per_year},
                     {"rent_per_year", o.rent_per_year},
                     {"rent_price", o.rent_source},
                     {"break_even_utilisation", o.break_even_utilisation},
                     {"utilisation", o.utilisation}};
  } else {
    j["training"] = nullptr;
  }
  return j;
}

// Costs never computed are null, not 0 (the CSV leaves them empty): every figure when
// `capex_too` (a candidate screened out, never sized), else all but capex (a candidate never
// simulated, or whose run did not finish: no measured power and traffic to price).
void null_costs(nlohmann::json& cost, bool capex_too) {
  for (auto& [key, value] : cost.items()) {
    if (!value.is_number() || (!capex_too && (key == "capex" || key == "capex_per_year"))) continue;
    value = nullptr;
  }
  cost["rent_or_buy"] = nullptr;  // its choice and figures rest on the measured busy share
}

// The candidate object both documents share (see the header).
nlohmann::json candidate_json(const Scenario& s, const CandidateReport& r) {
  const auto& c = r.candidate.spec;
  nlohmann::json j;
  j["label"] = r.candidate.label;
  j["family"] = family_json(s, c.family);
  j["hybrid_kind"] = hybrid_kind(s, c);
  j["deployment"] = deployment_label(s, c);
  j["hardware"] = hardware_name(c);
  j["edge_hardware"] = c.edge_hardware;
  j["edge_accelerator"] = c.edge_accelerator;
  j["gpu_hardware"] = c.gpu_hardware;
  j["units"] = units_bought(s, r);  // spares included: every unit bought (or rented) and priced
  j["units_per_site"] = c.family == Family::gpu ? 0 : c.units_per_site;
  j["servers"] = c.family == Family::edge ? 0 : c.servers;
  // GPUs in each data-centre server: a card or module alone packaged into servers, or a
  // whole-server profile's accelerators; absent without a data-centre tier.
  if (r.candidate.gpus_per_server > 0) j["gpus_per_server"] = r.candidate.gpus_per_server;
  if (c.family == Family::hybrid) j["edge_stages"] = c.edge_stages;
  j["feasible"] = r.feasible;
  j["reason"] = r.reason;
  j["why_not"] = r.why_not ? reason_json(*r.why_not) : nlohmann::json(nullptr);
  j["binding"] = nlohmann::json::array();  // every binding reason, why_not first
  for (const auto& b : r.binding) j["binding"].push_back(reason_json(b));
  j["notes"] = r.candidate.notes;
  j["availability"] = {{"site", r.availability.site},          {"dc", r.availability.dc},
                       {"deployment", r.availability.deployment}, {"site_spares", r.availability.site_spares},
                       {"dc_spares", r.availability.dc_spares}, {"estimated", r.availability.estimated},
                       // N+0 at the sites: one failed unit takes its site down; what N+1 would give
                       {"site_single_point_of_failure", r.availability.site_single_point},
                       {"site_with_one_spare", r.availability.site_one_spare}};
  // The worst stream's latency, as the CSV's: null (never 0) when no stream was simulated,
  // the run did not finish, or the worst stream completed no request (an overloaded tier).
  if (const StreamResult* st = worst_completed(r)) {
    j["p50_latency_s"] = st->p50_s.value;
    j["p95_latency_s"] = st->p95_s.value;
    j["p99_latency_s"] = st->p99_s.value;
    j["p99_ci_s"] = {st->p99_s.ci_low, st->p99_s.ci_high};
  } else {
    for (const char* k : {"p50_latency_s", "p95_latency_s", "p99_latency_s", "p99_ci_s"}) j[k] = nullptr;
  }
  // LLM serving streams: what users measure (the full figures are in run.streams[].llm).
  for (const auto& st : r.run.streams) {
    if (!st.llm) continue;
    const LlmResult& l = *st.llm;
    j["llm"][st.id] = {{"ttft_p50_s", l.ttft_p50_s},
                       {"ttft_p99_s", l.ttft_p99_s},
                       {"tpot_p50_s", l.tpot_p50_s},
                       {"tpot_p99_s", l.tpot_p99_s},
                       {"ttft_met", l.ttft_met},
                       {"tpot_met", l.tpot_met},
                       {"output_tokens_per_s", l.output_tokens_per_s},
                       {"output_tokens_per_s_per_server", l.output_tokens_per_s_per_unit},
                       {"output_tokens_per_s_per_replica", l.output_tokens_per_s_per_replica},
                       {"replicas", l.replicas},
                       {"gpus_per_replica", l.gpus_per_replica}};
  }
  if (!r.run.streams.empty() || !r.run.jobs.empty()) j["run"] = to_json(r.run);
  j["cost"] = to_json(r.cost);
  j["tco"] = r.cost.tco;
  j["total_power_w"] = r.total_power_w;
  j["rented_power_w"] = r.rented_power_w;
  // A cost per million only with something offered to divide by (batch jobs make no
  // inferences; streams whose rates are all 0 none either): null, not a 0 that reads as a
  // figure (the CSV leaves it empty).
  if (!(r.cost.cost_per_million > 0)) j["cost"]["cost_per_million"] = nullptr;
  // Priced on a fragment of a run, or on no run at all (a candidate that cannot run: the
  // scene does not fit, data residency; run.error or reason says why): no figure rests on
  // power or traffic nobody measured. Capex, the size's price, stays.
  if (!simulated(r)) {
    j["tco"] = nullptr;
    j["total_power_w"] = nullptr;
    j["rented_power_w"] = nullptr;
    null_costs(j["cost"], false);
  }
  j["loop"] = r.training ? loop_json(*r.training) : nlohmann::json(nullptr);
  return j;
}

nlohmann::json document_head(const char* schema, int version, const Scenario& s, const std::string& network_model) {
  nlohmann::json j;
  j["schema"] = schema;
  j["version"] = version;
  j["scenario"] = s.name;
  j["file"] = s.file;
  j["seed"] = s.seed;
  j["currency"] = s.costs.currency;
  j["network_model"] = network_model;
  return j;
}

}  // namespace

nlohmann::json run_report_json(const Scenario& s, const std::vector<CandidateReport>& reports, const std::string& network_model) {
  nlohmann::json j = document_head(kRunReportSchema, kRunReportVersion, s, network_model);
  j["candidates"] = nlohmann::json::array();
  for (const auto& r : reports) j["candidates"].push_back(candidate_json(s, r));
  return j;
}

nlohmann::json plan_json(const Scenario& s, const Plan& plan, const std::string& network_model, double wall_s) {
  nlohmann::json j = document_head(kRecommendationSchema, kRecommendationVersion, s, network_model);
  if (plan.winner) {
    const auto& r = plan.candidates[*plan.winner].report;
    j["recommendation"] = {{"family", family_json(s, r.candidate.spec.family)},
                           {"hybrid_kind", hybrid_kind(s, r.candidate.spec)},
                           {"deployment", deployment_label(s, r.candidate.spec)},
                           {"hardware", hardware_name(r.candidate.spec)},
                           {"label", r.candidate.label},
                           {"units", units_bought(s, r)},
                           {"tco", r.cost.tco},
                           {"why", plan.why},
                           {"margin", plan.margin}};
    if (plan.runner_up) j["recommendation"]["runner_up"] = plan.candidates[*plan.runner_up].report.candidate.label;
  } else {
    j["recommendation"] = nullptr;
    j["why"] = plan.why;
    if (plan.closest) j["closest"] = plan.candidates[*plan.closest].report.candidate.label;
  }
  j["rejected"] = plan.rejected;
  j["rejected_families"] = nlohmann::json::array();
  for (const auto& f : plan.rejected_families) {
    const auto& x = plan.candidates[f.closest];
    j["rejected_families"].push_back({{"family", family_json(s, f.family)},
                                      {"closest", x.report.candidate.label},
                                      {"why_not", x.report.why_not ? reason_json(*x.report.why_not) : nlohmann::json(nullptr)},
                                      {"fix", shown_fix(x)},
                                      {"fix_holds", x.fix_holds ? nlohmann::json(*x.fix_holds) : nlohmann::json(nullptr)},
                                      {"fix_tried", x.fix_tried}});
  }
  j["candidates"] = nlohmann::json::array();
  for (std::size_t i = 0; i < plan.candidates.size(); ++i) {
    const auto& x = plan.candidates[i];
    nlohmann::json c = candidate_json(s, x.report);
    if (x.screened_out) {  // never sized or priced
      // Neither sized nor spared: its size and availability were never computed (the CSV
      // leaves the same cells empty).
      c["units_per_site"] = nullptr;
      c["servers"] = nullptr;
      for (auto& [key, value] : c["availability"].items()) value = nullptr;
      c["units"] = nullptr;
      c["tco"] = nullptr;
      c["total_power_w"] = nullptr;
      c["rented_power_w"] = nullptr;
      null_costs(c["cost"], true);
      c["cost"]["currency"] = s.costs.currency;
    }
    c["fix"] = shown_fix(x);
    c["fix_holds"] = x.fix_holds ? nlohmann::json(*x.fix_holds) : nlohmann::json(nullptr);
    c["fix_tried"] = x.fix_tried;
    c["screened_out"] = x.screened_out;
    c["pareto"] = x.pareto;
    c["recommended"] = plan.winner && *plan.winner == i;
    c["analytic_bound"] = {{"units_per_site", x.bound.units_per_site},
                           {"servers", x.bound.servers},
                           {"edge_load_slots", x.bound.edge_load},
                           {"dc_load_slots", x.bound.dc_load},
                           {"latency_floor_s", x.bound.floor_s}};
    c["probes"] = nlohmann::json::array();
    for (const auto& p : x.probes) {
      c["probes"].push_back({{"units_per_site", p.units_per_site}, {"servers", p.servers}, {"feasible", p.feasible}, {"p99_s", p.p99_s}});
    }
    j["candidates"].push_back(std::move(c));
  }
  j["pareto"] = nlohmann::json::array();
  for (std::size_t i : plan.ranking) {
    if (plan.candidates[i].pareto) j["pareto"].push_back(plan.candidates[i].report.candidate.label);
  }
  j["sensitivity"] = nlohmann::json::array();
  for (const auto& c : plan.sensitivity) {
    // As the recommendation's: a loop winner is "hybrid" with its hybrid_kind. Nothing
    // feasible: winner, family, hybrid_kind and winner_tco null (no price to read), why_none
    // the closest candidate's binding reason.
    const bool none = c.winner.empty();
    auto or_null = [&](const std::string& v) { return none ? nlohmann::json(nullptr) : nlohmann::json(v); };
    j["sensitivity"].push_back({{"case", c.name},
                                {"winner", or_null(c.winner)},
                                {"family", or_null(family_json(s, c.family))},
                                {"hybrid_kind", or_null(c.hybrid_kind.empty() ? hybrid_kind(s, c.family) : c.hybrid_kind)},
                                {"changes", c.changes},
                                {"winner_tco", none ? nlohmann::json(nullptr) : nlohmann::json(c.winner_tco)},
                                {"why_none", none ? nlohmann::json(c.why_none) : nlohmann::json(nullptr)}});
  }
  j["crossover"] = plan.crossover;
  j["price_crossovers"] = plan.price_crossovers;
  j["crossover_load"] = plan.crossover_load ? nlohmann::json(*plan.crossover_load) : nlohmann::json(nullptr);
  j["stats"] = {{"probes", plan.probes}, {"simulations", plan.simulations}, {"cache_hits", plan.cache_hits}, {"pruned", plan.pruned}, {"wall_s", wall_s}};
  return j;
}

// ---- tables ----

namespace {

// A confidence interval's half-width in ms, two figures at most and never in exponent form:
// "<0.01", "0.15", "1.5", "97", "2900".
std::string half_width_text(double ms) {
  if (ms < 0.005) return "<0.01";
  if (ms >= 10) return fmt::format("{:.0f}", ms);
  return fmt::format("{:.2g}", ms);
}

// A share of the time as a percentage that shows a small one: "42%", "3.5%", "0.093%"
// (not "0.0%"), "0%" only for none.
std::string share_text(double fraction) {
  const double p = fraction * 100;
  if (p <= 0) return "0%";
  if (p >= 10) return fmt::format("{:.0f}%", p);
  if (p >= 1) return fmt::format("{:.1f}%", p);
  return fmt::format("{:.2g}%", p);
}

// The batch job that finished last, with its deadline (0 = none): the run's makespan.
struct LastJob {
  double makespan_s = 0, deadline_s = 0;
};
LastJob last_job(const CandidateReport& r) {
  LastJob l;
  for (const auto& j : r.run.jobs) {
    if (j.makespan_s > l.makespan_s) l = {j.makespan_s, j.deadline_s};
  }
  return l;
}

Table run_table_for_people(const Scenario& s, const std::vector<CandidateReport>& reports) {
  Table t;
  // As recommend's table: latency columns for streams, makespan and deadline for batch jobs.
  const bool jobs = !s.batch_jobs.empty(), streams = !s.streams.empty() || s.batch_jobs.empty();
  t.header = {"candidate"};
  if (streams) t.header.insert(t.header.end(), {"p50 ms", "p95 ms", "p99 ms", "SLO"});
  if (jobs) t.header.insert(t.header.end(), {"makespan h", "deadline h"});
  if (streams) t.header.push_back("items/s");
  t.header.insert(t.header.end(), {"util", "power W", "kWh/day", "backhaul GB/day", fmt::format("capex {}", s.costs.currency),
                                   fmt::format("opex/y {}", s.costs.currency), fmt::format("TCO {}", s.costs.currency), "verdict"});
  for (const auto& r : reports) {
    const bool has_run = simulated(r);
    // capex is the size's price; opex and TCO need the run's power. A candidate that cannot run
    // at all (the model does not fit, data residency) is no deployment: no cost shown (the CSV
    // and JSON keep its capex only).
    const bool cannot_run = r.candidate.infeasible.has_value();
    const bool priced = has_run;
    const StreamResult* st = worst_completed(r);  // a stream with no completed request has no latency to show
    const double kwh_day = r.total_power_w * 86400.0 / kJoulesPerKwh;
    const std::string util = has_run ? (r.run.dc.units_total > 0 && r.run.edge.units_total > 0
                                            ? share_text(r.run.edge.utilisation) + "/" + share_text(r.run.dc.utilisation)
                                            : share_text(std::max(r.run.edge.utilisation, r.run.dc.utilisation)))
                                     : "-";
    double tput = 0;
    for (const auto& x : r.run.streams) tput += x.throughput_per_s;
    std::vector<std::string> row{r.candidate.label};
    if (streams) {
      row.insert(row.end(), {st ? sig3(st->p50_s.value * 1e3) : "-", st ? sig3(st->p95_s.value * 1e3) : "-",
                             st ? fmt::format("{} ±{}", sig3(st->p99_s.value * 1e3), half_width_text(st->p99_s.half_width() * 1e3)) : "-",
                             st ? (st->slo_met ? "met" : "missed") : "-"});
    }
    if (jobs) {
      const LastJob l = last_job(r);
      const bool ran = !r.run.jobs.empty() && !run_failed(r);
      row.push_back(ran ? sig(l.makespan_s / 3600, 4) : "-");
      row.push_back(ran && l.deadline_s > 0 ? sig(l.deadline_s / 3600, 4) : "-");
    }
    if (streams) row.push_back(has_run && !r.run.streams.empty() ? sig3(tput) : "-");
    row.insert(row.end(), {util, has_run ? sig3(r.total_power_w) : "-", has_run ? sig3(kwh_day) : "-",
                           has_run ? sig3(r.run.backhaul_bytes_per_day / 1e9) : "-", cannot_run ? "-" : fmt::format("{:.0f}", r.cost.capex),
                           priced ? fmt::format("{:.0f}", r.cost.opex_per_year) : "-", priced ? fmt::format("{:.0f}", r.cost.tco) : "-",
                           r.feasible ? "feasible" : r.reason});
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace

std::string csv_number(double v) {
  if (v == 0) return "0";  // -0 too
  if (!std::isfinite(v)) return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf");
  // The shortest digits that read back as the same double (what the JSON writes), in plain
  // decimal notation: 0.038201702, 0.0000524136, 1700000, never 5.24136e-05 nor a rounded 0.
  // Past 1e16 or below 1e-9 (no such figure is expected) the exponent form is shorter: 1e+20.
  if (std::abs(v) >= 1e16 || std::abs(v) < 1e-9) return fmt::format("{}", v);
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  if (res.ec != std::errc()) return fmt::format("{}", v);
  return std::string(buf, res.ptr);
}

namespace {

Table run_table_csv(const Scenario& s, const std::vector<CandidateReport>& reports) {
  std::string cur = s.costs.currency;
  std::transform(cur.begin(), cur.end(), cur.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  Table t;
  t.header = {"family", "hardware", "edge_hardware", "gpu_hardware", "units_per_site", "servers", "stream",
              "p50_latency_ms", "p95_latency_ms", "p99_latency_ms", "p99_ci_low_ms", "p99_ci_high_ms",
              "slo_target_ms", "slo_violation_rate", "slo_met", "throughput_per_s", "edge_utilisation",
              "dc_utilisation", "avg_power_w", "energy_kwh_per_day", "backhaul_gb_per_day",
              "capex_" + cur, "opex_per_year_" + cur, "tco_" + cur, "cost_per_million_" + cur, "feasible",
              "reason", "scaling_note", "hybrid_kind", "energy_per_year_" + cur, "bandwidth_per_year_" + cur,
              "maintenance_per_year_" + cur, "retraining_per_year_" + cur, "rent_per_year_" + cur, "dc_rent_or_buy",
              "break_even_utilisation", "makespan_h", "deadline_h", "gpus_per_server", "llm_ttft_p99_ms", "llm_tpot_p99_ms",
              "llm_output_tokens_per_s", "rented_power_w", "training_per_year_" + cur};
  for (const auto& r : reports) {
    const auto& c = r.candidate.spec;
    const StreamResult* st = worst_completed(r);
    const double kwh_day = r.total_power_w * 86400.0 / kJoulesPerKwh;
    double tput = 0;
    for (const auto& x : r.run.streams) tput += x.throughput_per_s;
    auto ms = [&](double v) { return st ? csv_number(v * 1e3) : ""; };
    double mk = 0, dl = 0;
    for (const auto& j : r.run.jobs) {
      if (j.makespan_s > mk) {
        mk = j.makespan_s;
        dl = j.deadline_s;
      }
    }
    const auto& k = r.cost;
    // Measured figures only for a candidate that ran; a cost per million inferences only
    // with streams (batch jobs make none): empty, not a zero that reads as a measurement.
    // A candidate never simulated (it cannot run: the scene does not fit, data residency) or
    // whose simulation did not finish measured nothing, and opex, TCO, the yearly costs, rent
    // or buy and the cost per million rest on its power and traffic: empty too (capex, the
    // size's price, stays), as null in the JSON.
    const bool ran = simulated(r);
    auto measured = [&](std::string v) { return ran ? v : std::string(); };
    auto priced = measured;
    // An LLM stream's own figures (the worst stream's when it is one, else the first LLM
    // stream's); a time never reached (unfinished requests) is empty.
    const LlmResult* llm = st && st->llm ? &*st->llm : nullptr;
    for (const auto& x : r.run.streams) {
      if (!llm && x.llm) llm = &*x.llm;
    }
    auto finite_ms = [](double v) { return std::isfinite(v) ? csv_number(v * 1e3) : std::string(); };
    t.rows.push_back({family_json(s, c.family), hardware_name(c), edge_unit_name(c), c.gpu_hardware,
                      c.family == Family::gpu ? "0" : std::to_string(c.units_per_site),
                      c.family == Family::edge ? "0" : std::to_string(c.servers), st ? st->id : "",
                      ms(st ? st->p50_s.value : 0), ms(st ? st->p95_s.value : 0), ms(st ? st->p99_s.value : 0),
                      ms(st ? st->p99_s.ci_low : 0), ms(st ? st->p99_s.ci_high : 0), ms(st ? st->slo_latency_s : 0),
                      st ? csv_number(st->slo_violation_rate) : "", st ? (st->slo_met ? "true" : "false") : "",
                      measured(csv_number(tput)), measured(csv_number(r.run.edge.utilisation)),
                      measured(csv_number(r.run.dc.utilisation)), measured(csv_number(r.total_power_w)),
                      measured(csv_number(kwh_day)), measured(csv_number(r.run.backhaul_bytes_per_day / 1e9)),
                      csv_number(r.cost.capex), priced(csv_number(r.cost.opex_per_year)),
                      priced(csv_number(r.cost.tco)),
                      !(r.cost.cost_per_million > 0) ? std::string() : priced(csv_number(r.cost.cost_per_million)),
                      r.feasible ? "true" : "false", r.reason, r.run.scaling_note, hybrid_kind(s, c),
                      priced(csv_number(k.energy_per_year)), priced(csv_number(k.bandwidth_per_year)),
                      priced(csv_number(k.maintenance_per_year)), priced(csv_number(k.retraining_per_year)),
                      priced(csv_number(k.rent_per_year)), priced(k.dc_choice),
                      k.dc_choice.empty() ? "" : priced(csv_number(k.break_even_utilisation)),
                      r.run.jobs.empty() || !ran ? "" : csv_number(mk / 3600), dl > 0 ? csv_number(dl / 3600) : "",
                      r.candidate.gpus_per_server > 0 ? std::to_string(r.candidate.gpus_per_server) : "", llm && ran ? finite_ms(llm->ttft_p99_s) : "",
                      llm && ran ? finite_ms(llm->tpot_p99_s) : "", llm && ran ? csv_number(llm->output_tokens_per_s) : "",
                      measured(csv_number(r.rented_power_w)), priced(csv_number(k.training_per_year))});
  }
  return t;
}

Table plan_table_csv(const Scenario& s, const Plan& plan) {
  std::vector<CandidateReport> reports;
  reports.reserve(plan.candidates.size());
  for (const auto& x : plan.candidates) reports.push_back(x.report);
  Table t = run_table_csv(s, reports);
  for (const char* h : {"units", "p50_ci_low_ms", "p50_ci_high_ms", "p95_ci_low_ms", "p95_ci_high_ms", "edge_stages", "probes",
                        "pareto", "recommended", "fix", "site_spares", "dc_spares", "rank"}) {
    t.header.emplace_back(h);
  }
  // Never sized or priced: no figures rather than zeros.
  std::vector<std::size_t> unpriced;
  for (std::size_t k = 0; k < t.header.size(); ++k) {
    const std::string& h = t.header[k];
    if (h.rfind("capex_", 0) == 0 || h.rfind("opex_", 0) == 0 || h.rfind("tco_", 0) == 0 || h.rfind("cost_per_million_", 0) == 0 ||
        h.rfind("energy_per_year_", 0) == 0 || h.rfind("bandwidth_per_year_", 0) == 0 || h.rfind("maintenance_per_year_", 0) == 0 ||
        h.rfind("retraining_per_year_", 0) == 0 || h.rfind("rent_per_year_", 0) == 0 || h == "dc_rent_or_buy" ||
        h.rfind("training_per_year_", 0) == 0 ||
        h == "break_even_utilisation" ||
        h == "units_per_site" || h == "servers" || h == "avg_power_w" || h == "energy_kwh_per_day" || h == "backhaul_gb_per_day" ||
        h == "rented_power_w" ||
        h == "throughput_per_s" || h == "edge_utilisation" || h == "dc_utilisation") {
      unpriced.push_back(k);
    }
  }
  for (std::size_t i = 0; i < plan.candidates.size(); ++i) {
    const auto& x = plan.candidates[i];
    const auto& r = x.report;
    const StreamResult* st = worst_completed(r);
    auto ms = [&](double sec) { return st ? csv_number(sec * 1e3) : std::string(); };
    auto& row = t.rows[i];
    if (x.screened_out) {
      for (std::size_t k : unpriced) row[k].clear();
    }
    row.push_back(x.screened_out ? "" : std::to_string(units_bought(s, r)));  // spares included, as in the JSON
    row.push_back(ms(st ? st->p50_s.ci_low : 0));
    row.push_back(ms(st ? st->p50_s.ci_high : 0));
    row.push_back(ms(st ? st->p95_s.ci_low : 0));
    row.push_back(ms(st ? st->p95_s.ci_high : 0));
    row.push_back(r.candidate.spec.family == Family::hybrid ? std::to_string(r.candidate.spec.edge_stages) : "");
    row.push_back(std::to_string(x.probes.size()));
    row.push_back(x.pareto ? "true" : "false");
    row.push_back(plan.winner && *plan.winner == i ? "true" : "false");
    row.push_back(shown_fix(x));
    // Spares bought beside the sized units (priced in capex, standing by at idle power).
    const auto& c = r.candidate.spec;
    const bool site_tier = c.family != Family::gpu, dc_tier = c.family != Family::edge;
    row.push_back(x.screened_out || !site_tier ? "" : std::to_string(r.availability.site_spares));
    row.push_back(x.screened_out || !dc_tier ? "" : std::to_string(r.availability.dc_spares));
    // 1 for the recommended deployment, then by TCO among the feasible; empty when rejected.
    const auto at = std::find(plan.ranking.begin(), plan.ranking.end(), i);
    row.push_back(at == plan.ranking.end() ? "" : std::to_string(at - plan.ranking.begin() + 1));
  }
  return t;
}

}  // namespace

std::string binding_text(const SizedCandidate& x) {
  std::string text = x.report.reason;
  for (std::size_t k = 1; k < x.report.binding.size(); ++k) text += (k == 1 ? "; also: " : "; ") + describe(x.report.binding[k]);
  return text;
}

std::string fix_text(const SizedCandidate& x) {
  if (x.fix_holds && *x.fix_holds) return fmt::format("would need {}; {}", x.fix, x.fix_tried);
  if (x.fix_holds) return fmt::format("no fix found that holds: {}", x.fix_tried);
  if (!x.fix.empty()) return fmt::format("would need {}", x.fix);
  return "";
}

namespace {

// The edge batch jobs' units beyond the streams' at their one site (TierSpec::job_units), after
// units_text: " +52 at eu-airport (jobs)"; empty when there are none.
std::string job_units_text(const SimInput& in) {
  const int extra = job_site_extra(in.edge);
  if (extra == 0 || in.sites.empty()) return "";
  return fmt::format(" +{} at {} (jobs)", extra, in.sites.front().id);
}

std::string short_money(double v) {
  if (std::abs(v) >= 1e6) return sig3(v / 1e6) + "M";
  if (std::abs(v) >= 1e3) return sig3(v / 1e3) + "k";
  return fmt::format("{:.0f}", v);
}

// Ranked: feasible cheapest first, then the rejected in enumeration order.
std::vector<std::size_t> people_order(const Plan& plan) {
  std::vector<std::size_t> order = plan.ranking;
  for (std::size_t i = 0; i < plan.candidates.size(); ++i) {
    if (!plan.candidates[i].report.feasible) order.push_back(i);
  }
  return order;
}

// The rejected candidates' footnotes, numbered in people_order.
std::vector<std::string> rejection_notes(const Plan& plan) {
  std::vector<std::string> reasons;
  for (std::size_t i : people_order(plan)) {
    const auto& x = plan.candidates[i];
    if (x.report.feasible) continue;
    // Every binding reason, the first first; then the fix, as re-checked by the planner.
    const std::string fix = fix_text(x);
    reasons.push_back(fmt::format("[{}] {}: {}{}", reasons.size() + 1, x.report.candidate.label, binding_text(x),
                                  fix.empty() ? std::string() : " (" + fix + ")"));
  }
  return reasons;
}

Table plan_table_for_people(const Scenario& s, const Plan& plan) {
  const std::string& cur = s.costs.currency;
  Table t;
  const bool jobs = !s.batch_jobs.empty(), streams = !s.streams.empty();
  t.header = {"", "candidate", "units"};
  if (streams) t.header.insert(t.header.end(), {"latency ms", "SLO ms"});
  if (jobs) t.header.insert(t.header.end(), {"makespan h", "deadline h"});
  // The cost per million counts requests: with an LLM stream "inf" would read as tokens, the
  // unit of the text's cost per million output tokens.
  const bool llm = has_llm_stream(s);
  t.header.insert(t.header.end(),
                  {"TCO " + cur, "capex", "energy/y", "bw/y", "maint/y", "retrain/y", "rent/y", cur + (llm ? "/M req" : "/M inf"), "verdict"});
  int rank = 0, rejected = 0;
  for (std::size_t i : people_order(plan)) {
    const auto& x = plan.candidates[i];
    const auto& r = x.report;
    const StreamResult* st = worst_completed(r);
    const std::string verdict = r.feasible ? (plan.winner && *plan.winner == i ? "RECOMMENDED" : (x.pareto ? "feasible, Pareto" : "feasible"))
                                           : fmt::format("rejected [{}]", ++rejected);
    const bool ran = !r.run.streams.empty() || !r.run.jobs.empty();
    std::vector<std::string> row{r.feasible ? std::to_string(++rank) : "-", r.candidate.label,
                                 x.screened_out ? "-" : units_text(r)};
    if (streams) {
      // The estimate at the SLO's percentile, with its 95% CI half-width.
      const Estimate e = st ? slo_estimate(*st) : Estimate{};
      row.push_back(st ? fmt::format("p{:g} {} ±{}", st->slo_percentile, sig_beside(e.value * 1e3, st->slo_latency_s * 1e3, 3),
                                     half_width_text(e.half_width() * 1e3))
                       : "-");
      row.push_back(st ? sig(st->slo_latency_s * 1e3, 4) : "-");
    }
    if (jobs) {
      const LastJob l = last_job(r);
      row.push_back(r.run.jobs.empty() ? "-" : sig_beside(l.makespan_s / 3600, l.deadline_s / 3600, 4));
      row.push_back(r.run.jobs.empty() || l.deadline_s <= 0 ? "-" : sig(l.deadline_s / 3600, 4));
    }
    row.push_back(ran ? short_money(r.cost.tco) : "-");
    for (double v : {r.cost.capex, r.cost.energy_per_year, r.cost.bandwidth_per_year, r.cost.maintenance_per_year, r.cost.retraining_per_year,
                     r.cost.rent_per_year}) {
      row.push_back(ran && !x.screened_out ? short_money(v) : "-");
    }
    row.push_back(r.feasible && r.cost.cost_per_million > 0 ? sig3(r.cost.cost_per_million) : "-");
    row.push_back(verdict);
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace

Table run_table(const Scenario& s, const std::vector<CandidateReport>& reports, TableStyle style) {
  return style == TableStyle::people ? run_table_for_people(s, reports) : run_table_csv(s, reports);
}

Table plan_table(const Scenario& s, const Plan& plan, TableStyle style) {
  return style == TableStyle::people ? plan_table_for_people(s, plan) : plan_table_csv(s, plan);
}

// ---- text for people ----

// One line per LLM serving stream of a candidate: TTFT and TPOT at p50/p99 against their
// targets, and the tokens generated per second.
std::string llm_lines(const Scenario& s, const CandidateReport& r, const std::string& indent) {
  std::string out;
  for (std::size_t i = 0; i < r.run.streams.size(); ++i) {
    const auto& st = r.run.streams[i];
    if (!st.llm) continue;
    const LlmResult& l = *st.llm;
    const Stream* spec = i < s.streams.size() ? &s.streams[i] : nullptr;
    const bool known = spec != nullptr && spec->llm.has_value();
    // Every time in ms, as the tables show them. A request that never got its first (or last)
    // token has no time: say so, not "inf".
    auto secs = [](double v) { return std::isfinite(v) ? sig3(v * 1e3) + " ms" : std::string("never (unserved requests)"); };
    auto msecs = [](double v) { return std::isfinite(v) ? sig3(v * 1e3) + " ms" : std::string("never (unfinished requests)"); };
    // The tier that serves it, as the engine counts its per-unit rate (sim/engine/llm_serving.cpp):
    // a data-centre server when its first stage runs there, else an edge box ("per unit").
    const auto& in = r.candidate.input.streams;
    const bool dc = i < in.size() ? !in[i].stages.empty() && in[i].stages.front().tier == Tier::dc
                                  : r.candidate.spec.family == Family::gpu;
    out += fmt::format("{}llm: {}: {}: TTFT p50 {}, p99 {}{}; TPOT p50 {}, p99 {}{}; {} output tokens/s measured in the simulated window "
                       "({} per {}, {} replica(s) of {} device(s){}){}\n",
                       indent, r.candidate.label, st.id, secs(l.ttft_p50_s), secs(l.ttft_p99_s),
                       known ? fmt::format(" (target p{:g} {} ms: {})", spec->llm->ttft.percentile, sig3(spec->llm->ttft.latency.si() * 1e3),
                                           l.ttft_met ? "met" : "missed")
                             : "",
                       msecs(l.tpot_p50_s), msecs(l.tpot_p99_s),
                       known ? fmt::format(" (target p{:g} {} ms: {})", spec->llm->tpot.percentile, sig3(spec->llm->tpot.latency.si() * 1e3),
                                           l.tpot_met ? "met" : "missed")
                             : "",
                       sig3(l.output_tokens_per_s), sig3(l.output_tokens_per_s_per_unit), dc ? "server" : "unit", l.replicas, l.gpus_per_replica,
                       // Batched continuously, whatever fixed batch the candidate's label carries.
                       known ? fmt::format(", continuous batching, {} tokens/iteration", spec->llm->token_budget) : "",
                       l.unfinished + l.rejected > 0 ? fmt::format("; {} unfinished, {} refused", l.unfinished, l.rejected) : "");
    // Power follows the time an iteration is in flight; utilisation the arithmetic used
    // (sim/run/types.hpp, LlmResult): a decode-bound replica steps all the time at low arithmetic.
    if (l.stepping_share > 0) {
      out += fmt::format("{}  replicas stepping {}% of the time (the tier's power follows this share), using {}% of their "
                         "arithmetic while stepping\n",
                         indent, sig3(l.stepping_share * 100), sig3(l.compute_share * 100));
    }
    // What serving costs per token: the TCO over every output token the scenario offers over
    // the horizon (requests/s x mean output tokens, not the tokens/s measured in the window:
    // sim/plan/evaluate.hpp offered_load); the table's cost per million counts requests. Only
    // when this stream is the deployment's only work: the TCO is not split per stream, and
    // other streams or batch jobs on the same units would be charged to its tokens.
    const double tokens = r.cost_inputs.output_tokens_per_s * s.costs.horizon.si();
    const std::size_t streams = std::max(r.run.streams.size(), s.streams.size());
    const bool alone = streams == 1 && r.run.jobs.empty() && s.batch_jobs.empty();
    if (alone && tokens > 0 && r.cost.tco > 0) {
      out += fmt::format("{}  {} {} per million output tokens (TCO {} over the {} output tokens offered in {} years, {}/s offered)\n",
                         indent, sig3(r.cost.cost_per_million_output_tokens), s.costs.currency, short_money(r.cost.tco), format_count(tokens),
                         sig3(s.costs.horizon.si() / kSecondsPerYear), sig3(r.cost_inputs.output_tokens_per_s));
    } else if (!alone && tokens > 0 && r.cost.tco > 0) {
      const std::size_t jobs = std::max(r.run.jobs.size(), s.batch_jobs.size());
      const std::string others = streams > 1 && jobs > 0 ? fmt::format("{} streams and {} batch job(s)", streams, jobs)
                                 : streams > 1            ? fmt::format("{} streams", streams)
                                                          : fmt::format("this stream and {} batch job(s)", jobs);
      out += fmt::format("{}  no cost per million output tokens: {} share this deployment and its TCO ({} {}) is not split per stream\n",
                         indent, others, short_money(r.cost.tco), s.costs.currency);
    }
  }
  return out;
}

std::string units_text(const CandidateReport& r) {
  return units_text(r.candidate.spec, r.availability.site_spares, r.availability.dc_spares) + job_units_text(r.candidate.input);
}

// Units as sized, with the spares bought beside them: "2+1/site", "1+1 srv".
std::string units_text(const CandidateSpec& c, int site_spares, int dc_spares) {
  const std::string site = site_spares > 0 ? fmt::format("{}+{}/site", c.units_per_site, site_spares) : fmt::format("{}/site", c.units_per_site);
  const std::string dc = dc_spares > 0 ? fmt::format("{}+{} srv", c.servers, dc_spares) : fmt::format("{} srv", c.servers);
  switch (c.family) {
    case Family::edge: return site;
    case Family::gpu: return dc;
    case Family::hybrid: return site + ", " + dc;
  }
  return "";
}

std::string run_text(const Scenario& s, const std::vector<CandidateReport>& reports, const std::string& network_model) {
  std::string out = fmt::format("{}\n", shown_name(s.name));
  out += to_text(run_table(s, reports, TableStyle::people));
  auto t = [](double sec) { return format_time(Seconds(sec)); };
  for (const auto& r : reports) {
    for (const auto& j : r.run.jobs) {
      out += fmt::format("job: {}: {} {} on {} device{}: makespan {} (upload {}, compute {}){}\n", r.candidate.label, j.kind, j.id,
                         j.devices, j.devices == 1 ? "" : "s", t(j.makespan_s), t(j.upload_s), t(j.compute_s),
                         j.deadline_s > 0 ? fmt::format(", deadline {} {}", t(j.deadline_s), j.deadline_met ? "met" : "MISSED") : "");
    }
    out += llm_lines(s, r, "");
    // The label gives the sized units; capex (and idle power) also covers the design's spares.
    const Availability& a = r.availability;
    if (a.site_spares > 0 || a.dc_spares > 0) {
      std::vector<std::string> spares;
      if (a.site_spares > 0) spares.push_back(fmt::format("{} spare unit{} per site (design.spares.site)", a.site_spares, a.site_spares == 1 ? "" : "s"));
      if (a.dc_spares > 0) spares.push_back(fmt::format("{} spare server{} (design.spares.dc)", a.dc_spares, a.dc_spares == 1 ? "" : "s"));
      out += fmt::format("note: {}: capex includes N+k spares, bought and standing by at idle power: {} ({} units bought in all)\n",
                         r.candidate.label, fmt::join(spares, " and "), units_bought(s, r));
    }
    for (const auto& n : r.candidate.notes) out += fmt::format("note: {}: {}\n", r.candidate.label, n);
    if (!r.run.scaling_note.empty()) out += fmt::format("note: {}: {}\n", r.candidate.label, r.run.scaling_note);
    // (A simulation that did not finish stopped for the reason its row gives, not this one.)
    // A run of batch jobs alone lasts as long as they do: say how long in a unit that reads.
    if (!r.run.stop_reason.empty() && !run_failed(r)) {
      out += fmt::format("note: {}: {}\n", r.candidate.label,
                         r.run.streams.empty() && !r.run.jobs.empty()
                             ? fmt::format("batch jobs only: ran until the last job finished, {} simulated", t(r.run.simulated_time_s))
                             : r.run.stop_reason);
    }
  }
  if (!s.streams.empty()) out += "latency: worst stream per candidate, p99 with its 95% confidence interval; ";
  if (!s.batch_jobs.empty()) out += "makespan and deadline: the batch job that finished last; ";
  out += fmt::format("network: {}\n", network_model);
  return terminal_lines(out);
}

namespace {

}  // namespace

// An availability as a percentage to the first digit that is not a 9, and one more, at least
// one decimal, trailing zeros dropped: 98.9%, 99.904%, 99.992%, 99.999908%. Never a rounded
// 100% for a deployment that can still fail (rounding one digit past the first non-9 cannot
// carry into it). The figures come from MTBF estimates: when the first non-9 is past the 6th
// decimal it reads ">99.999999%" rather than claim more digits (the JSON keeps the number).
std::string availability_text(double a) {
  constexpr int kMaxDecimals = 6;
  const double down_pct = (1 - a) * 100;
  if (!(down_pct > 0)) return "100%";
  // The first non-9 decimal of 100 - down is the first significant decimal of down.
  const int first = static_cast<int>(std::floor(-std::log10(down_pct))) + 1;
  if (first > kMaxDecimals) return fmt::format(">{:.{}f}%", 100 - std::pow(10.0, -kMaxDecimals), kMaxDecimals);
  const int decimals = std::max(1, first + 1);
  std::string out = fmt::format("{:.{}f}", a * 100, decimals);
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out + "%";
}

namespace {

// "owning pays above 35.0% utilisation", or, when even a device busy all year is cheaper
// rented, that owning never pays (a break-even above 100%).
std::string break_even_text(double utilisation) {
  if (utilisation <= 1.0) return fmt::format("owning pays above {:.1f}% utilisation", utilisation * 100);
  return fmt::format("owning never pays (it would take {:.0f}% utilisation)", utilisation * 100);
}

}  // namespace

std::string rent_or_buy_text(const CandidateReport& r, const Scenario* s) {
  const auto& c = r.cost;
  if (c.dc_choice.empty()) return "";
  // Owning buys the design's spare servers too (N+k: in the own figure whatever is chosen);
  // renting pays for the GPUs in use only.
  const int spares = r.candidate.input.dc.units > 0 ? r.cost_inputs.dc_units - r.candidate.input.dc.units : 0;
  const std::string once = s ? one_off_rental_text(*s, r) : std::string();
  return fmt::format("{} (own {}/y{}; rent on demand {}/y at {} of the year{}){}; {}", c.dc_choice, short_money(c.dc_own_per_year),
                     spares > 0 ? fmt::format(" with {} spare server{}", spares, spares == 1 ? "" : "s") : "",
                     short_money(c.dc_on_demand_per_year), share_text(c.dc_busy_share),
                     c.dc_reserved_per_year > 0 ? fmt::format("; reserved {}/y", short_money(c.dc_reserved_per_year)) : "",
                     once.empty() ? "" : ": " + once, break_even_text(c.break_even_utilisation));
}

std::vector<std::string> redundancy_lines(const Scenario& s, const CandidateReport& r) {
  std::vector<std::string> lines;
  const Availability& a = r.availability;
  const Design& d = s.design;
  if (s.streams.empty()) {
    // The tier caps guard request queues; batch jobs are meant to keep every device busy.
    lines.push_back(fmt::format("busy: edge {}, data centre {} (batch jobs only: the tier caps of design.max_utilisation apply to "
                       "streams); links at most {:.0f}%",
                       share_text(r.run.edge.utilisation), share_text(r.run.dc.utilisation), d.max_link_utilisation * 100));
  } else {
    // An LLM replica's busy share is the arithmetic it uses (time stepping x compute share,
    // docs/model.md, LLM serving), not the time it steps: say so beside the "stepping 100%".
    const bool llm = std::any_of(r.run.streams.begin(), r.run.streams.end(), [](const StreamResult& x) { return x.llm.has_value(); });
    lines.push_back(fmt::format("busy: edge {} (cap {:.0f}%), data centre {} (cap {:.0f}%); links at most {:.0f}% (design.max_utilisation){}",
                       share_text(r.run.edge.utilisation), d.max_edge_utilisation * 100, share_text(r.run.dc.utilisation),
                       d.max_dc_utilisation * 100, d.max_link_utilisation * 100,
                       llm ? "; LLM replicas: busy = share of arithmetic used (stepping share x arithmetic while stepping); the caps bound it, "
                             "not the stepping time"
                           : ""));
  }
  std::string avail;
  if (r.candidate.input.edge.units > 0) {
    avail += fmt::format("each site N+{} ({} unit(s) needed, each up {} of the time): {}; ", a.site_spares, r.candidate.input.edge.units,
                         availability_text(a.edge_unit), availability_text(a.site));
  }
  if (r.candidate.input.dc.units > 0) {
    avail += fmt::format("data centre N+{} ({} server(s) needed, each up {}): {}; ", a.dc_spares, r.candidate.input.dc.units,
                         availability_text(a.dc_unit), availability_text(a.dc));
  }
  lines.push_back(fmt::format("availability: {}{} served at once: {}{}", avail, a.sites == 1 ? std::string("the one site") : fmt::format("all {} sites", a.sites),
                     availability_text(a.deployment),
                     a.estimated ? " (MTBF and repair times partly estimates: see docs/input-format.md, Design)" : ""));
  if (a.site_single_point && r.candidate.input.edge.units > 0) {
    // One failed box takes its site down: say so, with what one spare per site would give.
    const double hours_per_year = kSecondsPerYear / 3600;  // the 365-day year of every cost figure
    const auto& ci = r.cost_inputs;
    // Downtime in the unit that reads: hours, minutes, seconds a year.
    auto downtime = [](double hours) { return format_time(Seconds(hours * 3600)); };
    // With one unit a failure stops the site; with n, the n - 1 left carry (n-1)/n of the
    // sized capacity, short of what the targets need (the fleet is the smallest that meets
    // them), so the site is counted as down, not out of service.
    const int n = r.candidate.input.edge.units;
    const std::string effect =
        n <= 1 ? std::string("one failed unit takes its site down")
               : fmt::format("one failed unit leaves its site {} of {} units, {:.0f}% of the capacity its targets need (counted as down)",
                             n - 1, n, 100.0 * (n - 1) / n);
    lines.push_back(fmt::format("single point of failure: each site runs N+0, so {} (about {} a year "
                       "per site); N+1 (design.spares.site: 1) would keep a site up {} of the time (about {} down a "
                       "year) for {} {} more capex ({} unit(s) at {} {})",
                       effect, downtime((1 - a.site) * hours_per_year), availability_text(a.site_one_spare),
                       downtime((1 - a.site_one_spare) * hours_per_year),
                       short_money(ci.edge_unit_price * ci.sites_with_edge), s.costs.currency, ci.sites_with_edge,
                       short_money(ci.edge_unit_price), s.costs.currency));
  }
  return lines;
}

std::vector<std::string> loop_lines(const Scenario& s, const TrainingPlan& plan) {
  std::vector<std::string> lines;
  const auto& w = plan.work;
  auto t = [](double sec) { return format_time(Seconds(sec)); };
  lines.push_back(fmt::format("training per run: {} samples x {} epochs x {} GFLOP per sample = {} EFLOP, every {}",
                     format_count(w.samples), sig3(w.epochs), sig3(w.flops_per_sample / 1e9), sig3(w.flops / 1e18), t(w.interval_s)));
  if (plan.chosen) {
    const auto& o = *plan.chosen;
    const std::string unit = o.gpus_per_server > 0 ? fmt::format("{} server{} x {} {}", o.units, o.units == 1 ? "" : "s", o.gpus_per_server, o.hardware)
                                                   : fmt::format("{} x {}", o.units, o.hardware);
    const std::string& money = s.costs.currency;
    // The loop's scaling is the retraining block's constant: it gives no gradient size or
    // steps, so no all-reduce over the interconnect can be computed (unlike a batch job's).
    const std::string scaling =
        o.devices > 1 && s.retraining ? fmt::format(" at {:.1f}% parallel efficiency (retraining.scaling_efficiency {} per doubling: the loop gives no "
                                    "gradient size or steps to compute it from the interconnect)",
                                    100 * job_speedup(o.devices, s.retraining->scaling_efficiency) / o.devices,
                                    sig3(s.retraining->scaling_efficiency))
                      : std::string();
    lines.push_back(fmt::format("trained on {} ({} GPUs{}) in {}, {}: {} {}/y (own {} {}/y, rent {}{}; {}, the loop uses {})",
                       unit, o.devices, scaling, t(o.train_s), o.rent ? "rented" : "owned", short_money(o.per_year()), money,
                       short_money(o.own_per_year), money, o.rent_per_year > 0 ? short_money(o.rent_per_year) + " " + money + "/y" : "-",
                       o.rent_source.empty() ? ", no rented price known" : ", price from the " + o.rent_source,
                       break_even_text(o.break_even_utilisation), share_text(o.utilisation)));
    // The link the samples take: the site's declared backhaul, at the design's link share.
    const std::string link =
        w.link_bandwidth_bps > 0
            ? fmt::format(" ({} over the {} backhaul at {} of its {}, design.max_utilisation.link; the scenario declares no other "
                          "link for the samples, so they are priced there at costs.bandwidth)",
                          format_data(Bytes(w.upload_bytes_per_site)), w.upload_site, share_text(w.link_share),
                          format_bitrate(BitsPerSecond(w.link_bandwidth_bps)))
            : std::string();
    lines.push_back(fmt::format("cycle: upload {}{} + training {} + push to every unit {} = {} against the {} deadline ({} interval)",
                       t(w.upload_s), link, t(o.train_s), t(w.push_s), t(plan.cycle_s), t(w.deadline_s), t(w.interval_s)));
  } else {
    lines.push_back(fmt::format("no training hardware meets the deadline: {}", plan.why_not));
  }
  return lines;
}

std::string plan_text(const Scenario& s, const Plan& plan, const std::string& network_model, double wall_s) {
  const std::string& cur = s.costs.currency;
  std::string out = fmt::format("{}\n\n{}", shown_name(s.name), to_text(plan_table(s, plan, TableStyle::people)));
  const std::vector<std::string> reasons = rejection_notes(plan);
  if (!reasons.empty()) out += fmt::format("\nRejected\n  {}\n", fmt::join(reasons, "\n  "));
  out += fmt::format("\n{}\n", plan.winner ? "Recommendation" : "No recommendation");
  out += fmt::format("  {}\n", plan.why);
  if (plan.winner) {
    const CandidateReport& w = plan.candidates[*plan.winner].report;
    const std::string llm = llm_lines(s, w, "  ");
    if (!llm.empty()) out += llm;
    // Where the winner runs otherwise than the scenario asks (a precision its hardware lacks,
    // a batch limited by memory, a card bought inside servers, a longer run): said beside the
    // recommendation as `run` says it, not only in the JSON's notes.
    for (const auto& n : w.candidate.notes) out += fmt::format("  note: {}\n", n);
  }
  // Rent or buy, for every feasible candidate with a data-centre tier and a rented price.
  std::vector<std::string> rent_lines;
  for (std::size_t i : plan.ranking) {
    const std::string line = rent_or_buy_text(plan.candidates[i].report, &s);
    if (!line.empty()) rent_lines.push_back(fmt::format("{}: {}", plan.candidates[i].report.candidate.label, line));
  }
  if (!rent_lines.empty()) out += fmt::format("\nRent or buy (data centre, {} per year)\n  {}\n", cur, fmt::join(rent_lines, "\n  "));
  // Headroom and redundancy of the winner: the design's caps, N+k and availability.
  if (plan.winner) {
    const auto& r = plan.candidates[*plan.winner].report;
    out += fmt::format("\nHeadroom and redundancy ({})\n", r.candidate.label);
    for (const auto& line : redundancy_lines(s, r)) out += fmt::format("  {}\n", line);
  }
  // The train-infer-iterate loop: the same for every candidate.
  for (const auto& x : plan.candidates) {
    if (!x.report.training) continue;
    out += "\nTrain-infer-iterate loop (retraining in the data centre, the same for every candidate)\n";
    for (const auto& line : loop_lines(s, *x.report.training)) out += fmt::format("  {}\n", line);
    break;
  }
  if (plan.winner) {
    std::vector<std::string> front;
    for (std::size_t i : plan.ranking) {
      if (plan.candidates[i].pareto) front.push_back(plan.candidates[i].report.candidate.label);
    }
    out += fmt::format("\nPareto front (TCO vs latency or makespan against target): {}\n", fmt::join(front, "; "));
  }
  if (!plan.sensitivity.empty()) {
    out += "\nSensitivity\n";
    for (const auto& c : plan.sensitivity) {
      out += fmt::format("  {:<22} {}\n", c.name + ":",
                         c.winner.empty() ? (c.why_none.empty() ? std::string("nothing feasible") : "nothing feasible; closest " + c.why_none)
                                          : fmt::format("{} {} (TCO {} {})", c.changes ? "winner becomes" : "unchanged,", c.winner,
                                                        short_money(c.winner_tco), cur));
    }
    out += fmt::format("  crossover: {}\n", plan.crossover);
    for (const auto& line : plan.price_crossovers) out += fmt::format("  {}\n", line);
  }
  const double rate = plan.probes > 0 ? 100.0 * static_cast<double>(plan.cache_hits) / static_cast<double>(plan.probes) : 0.0;
  out += fmt::format("\n{} probe(s): {} simulated, {} from the cache ({:.0f}% hit rate){}; {:.1f} s\n", plan.probes, plan.simulations,
                     plan.cache_hits, rate,
                     plan.pruned > 0 ? fmt::format("; {} sensitivity sizing(s) skipped, their cost floor already above the winner", plan.pruned)
                                     : "",
                     wall_s);
  out += fmt::format("latency: worst stream per candidate, at its SLO percentile, with the 95% confidence interval; network: {}\n",
                     network_model);
  return terminal_lines(out);
}

}  // namespace hw
