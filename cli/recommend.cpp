// hwplan recommend SCENARIO: size every candidate deployment, price it over its life, and
// recommend one, saying why.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "cli/common.hpp"
#include "sim/core/errors.hpp"
#include "sim/engine/engine.hpp"
#include "sim/run/cache.hpp"
#include "sim/plan/planner.hpp"
#include "sim/plan/result_json.hpp"

namespace fs = std::filesystem;

namespace hw::cli {

struct RecommendOptions {
  std::string scenario;
  std::optional<std::uint64_t> seed;
  std::string format = "table";
  std::string out;
  RunnerOptions runner;
  bool no_cache = false;
  std::string cache_dir;
  bool no_sensitivity = false;
  CatalogueOptions catalogue;
};

namespace {

double sites_total(const Scenario& s) {
  double n = 0;
  for (const auto& x : s.sites) n += x.count;
  return n;
}

int total_units(const Scenario& s, const CandidateSpec& c) {
  int n = 0;
  if (c.family != Family::gpu) n += static_cast<int>(c.units_per_site * sites_total(s));
  if (c.family != Family::edge) n += c.servers;
  return n;
}

std::string hardware_of(const CandidateSpec& c) {
  const std::string e = edge_unit_name(c);
  switch (c.family) {
    case Family::edge: return e;
    case Family::gpu: return c.gpu_hardware;
    case Family::hybrid: return e + "+" + c.gpu_hardware;
  }
  return "";
}

std::string units_text(const CandidateSpec& c) {
  switch (c.family) {
    case Family::edge: return fmt::format("{}/site", c.units_per_site);
    case Family::gpu: return fmt::format("{} srv", c.servers);
    case Family::hybrid: return fmt::format("{}/site+{} srv", c.units_per_site, c.servers);
  }
  return "";
}

std::string short_money(double v) {
  if (std::abs(v) >= 1e6) return fmt::format("{:.3g}M", v / 1e6);
  if (std::abs(v) >= 1e3) return fmt::format("{:.3g}k", v / 1e3);
  return fmt::format("{:.0f}", v);
}

nlohmann::json candidate_json(const Scenario& s, const Plan& plan, std::size_t i) {
  const auto& x = plan.candidates[i];
  const auto& r = x.report;
  const auto& c = r.candidate.spec;
  nlohmann::json j;
  j["label"] = r.candidate.label;
  j["family"] = to_string(c.family);
  j["hardware"] = hardware_of(c);
  j["edge_hardware"] = c.edge_hardware;
  j["edge_accelerator"] = c.edge_accelerator;
  j["gpu_hardware"] = c.gpu_hardware;
  j["units"] = x.screened_out ? nlohmann::json(nullptr) : nlohmann::json(total_units(s, c));
  j["units_per_site"] = c.family == Family::gpu ? 0 : c.units_per_site;
  j["servers"] = c.family == Family::edge ? 0 : c.servers;
  if (c.family == Family::hybrid) j["edge_stages"] = c.edge_stages;
  j["feasible"] = r.feasible;
  j["reason"] = r.reason;
  j["fix"] = x.fix;
  j["screened_out"] = x.screened_out;
  j["pareto"] = x.pareto;
  j["recommended"] = plan.winner && *plan.winner == i;
  j["analytic_bound"] = {{"units_per_site", x.bound.units_per_site},
                         {"servers", x.bound.servers},
                         {"edge_load_slots", x.bound.edge_load},
                         {"dc_load_slots", x.bound.dc_load},
                         {"latency_floor_s", x.bound.floor_s}};
  j["probes"] = nlohmann::json::array();
  for (const auto& p : x.probes) {
    j["probes"].push_back({{"units_per_site", p.units_per_site}, {"servers", p.servers}, {"feasible", p.feasible}, {"p99_s", p.p99_s}});
  }
  j["notes"] = r.candidate.notes;
  if (!r.run.streams.empty()) {
    const auto& st = r.run.streams[r.worst_stream];
    j["p50_latency_s"] = st.p50_s.value;
    j["p95_latency_s"] = st.p95_s.value;
    j["p99_latency_s"] = st.p99_s.value;
    j["p99_ci_s"] = {st.p99_s.ci_low, st.p99_s.ci_high};
  } else {
    j["p99_latency_s"] = nullptr;
  }
  if (!r.run.streams.empty() || !r.run.jobs.empty()) j["run"] = to_json(r.run);
  j["tco"] = x.screened_out ? nlohmann::json(nullptr) : nlohmann::json(r.cost.tco);
  j["cost"] = to_json(r.cost);
  j["total_power_w"] = r.total_power_w;
  return j;
}

nlohmann::json plan_json(const Scenario& s, const Plan& plan, double wall_s) {
  nlohmann::json j;
  j["scenario"] = s.name;
  j["file"] = s.file;
  j["seed"] = s.seed;
  j["currency"] = s.costs.currency;
  j["network_model"] = network_model_description();
  if (plan.winner) {
    const auto& r = plan.candidates[*plan.winner].report;
    j["recommendation"] = {{"family", to_string(r.candidate.spec.family)},
                           {"hardware", hardware_of(r.candidate.spec)},
                           {"label", r.candidate.label},
                           {"units", total_units(s, r.candidate.spec)},
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
  j["candidates"] = nlohmann::json::array();
  for (std::size_t i = 0; i < plan.candidates.size(); ++i) j["candidates"].push_back(candidate_json(s, plan, i));
  j["pareto"] = nlohmann::json::array();
  for (std::size_t i : plan.ranking) {
    if (plan.candidates[i].pareto) j["pareto"].push_back(plan.candidates[i].report.candidate.label);
  }
  j["sensitivity"] = nlohmann::json::array();
  for (const auto& c : plan.sensitivity) {
    j["sensitivity"].push_back({{"case", c.name}, {"winner", c.winner}, {"family", c.winner.empty() ? "" : to_string(c.family)},
                                {"changes", c.changes}, {"winner_tco", c.winner_tco}});
  }
  j["crossover"] = plan.crossover;
  j["price_crossovers"] = plan.price_crossovers;
  j["crossover_load"] = plan.crossover_load ? nlohmann::json(*plan.crossover_load) : nlohmann::json(nullptr);
  j["stats"] = {{"probes", plan.probes}, {"simulations", plan.simulations}, {"cache_hits", plan.cache_hits}, {"pruned", plan.pruned}, {"wall_s", wall_s}};
  return j;
}

Table plan_csv(const Scenario& s, const Plan& plan) {
  std::vector<CandidateReport> reports;
  for (const auto& x : plan.candidates) reports.push_back(x.report);
  Table t = candidates_table(s, reports, false);
  for (const char* h : {"units", "p50_ci_low_ms", "p50_ci_high_ms", "p95_ci_low_ms", "p95_ci_high_ms", "edge_stages", "probes",
                        "pareto", "recommended", "fix"}) {
    t.header.emplace_back(h);
  }
  for (std::size_t i = 0; i < plan.candidates.size(); ++i) {
    const auto& x = plan.candidates[i];
    const auto& r = x.report;
    const bool run = !r.run.streams.empty();
    const StreamResult* st = run && r.run.streams[r.worst_stream].completed > 0 ? &r.run.streams[r.worst_stream] : nullptr;
    auto v = [&](double sec) { return st ? fmt::format("{:.6g}", sec * 1e3) : std::string(); };
    auto& row = t.rows[i];
    auto col = [&](const char* name) -> std::string& {
      const auto it = std::find(t.header.begin(), t.header.end(), name);
      return row[static_cast<std::size_t>(it - t.header.begin())];
    };
    col("hardware") = hardware_of(r.candidate.spec);
    col("edge_hardware") = edge_unit_name(r.candidate.spec);
    if (x.screened_out) {  // never sized or priced: no figures rather than zeros
      for (const auto& h : t.header) {
        if (h.rfind("capex_", 0) == 0 || h.rfind("opex_", 0) == 0 || h.rfind("tco_", 0) == 0 || h.rfind("cost_per_million_", 0) == 0 ||
            h == "units_per_site" || h == "servers" || h == "avg_power_w" || h == "energy_kwh_per_day" || h == "backhaul_gb_per_day" ||
            h == "throughput_per_s" || h == "edge_utilisation" || h == "dc_utilisation") {
          col(h.c_str()) = "";
        }
      }
    }
    row.push_back(x.screened_out ? "" : std::to_string(total_units(s, r.candidate.spec)));
    row.push_back(v(st ? st->p50_s.ci_low : 0));
    row.push_back(v(st ? st->p50_s.ci_high : 0));
    row.push_back(v(st ? st->p95_s.ci_low : 0));
    row.push_back(v(st ? st->p95_s.ci_high : 0));
    row.push_back(r.candidate.spec.family == Family::hybrid ? std::to_string(r.candidate.spec.edge_stages) : "");
    row.push_back(std::to_string(x.probes.size()));
    row.push_back(x.pareto ? "true" : "false");
    row.push_back(plan.winner && *plan.winner == i ? "true" : "false");
    row.push_back(x.fix);
  }
  return t;
}

void print_table(const Scenario& s, const Plan& plan, double wall_s) {
  const std::string& cur = s.costs.currency;
  Table t;
  const bool jobs = !s.batch_jobs.empty(), streams = !s.streams.empty();
  t.header = {"", "candidate", "units"};
  if (streams) t.header.insert(t.header.end(), {"latency ms", "SLO ms"});
  if (jobs) t.header.insert(t.header.end(), {"makespan h", "deadline h"});
  t.header.insert(t.header.end(), {"TCO " + cur, cur + "/M inf", "verdict"});
  std::vector<std::size_t> order = plan.ranking;
  for (std::size_t i = 0; i < plan.candidates.size(); ++i) {
    if (!plan.candidates[i].report.feasible) order.push_back(i);
  }
  int rank = 0;
  std::vector<std::string> reasons;
  for (std::size_t i : order) {
    const auto& x = plan.candidates[i];
    const auto& r = x.report;
    const bool run = !r.run.streams.empty();
    const StreamResult* st = run && r.run.streams[r.worst_stream].completed > 0 ? &r.run.streams[r.worst_stream] : nullptr;
    std::string verdict;
    if (r.feasible) {
      verdict = plan.winner && *plan.winner == i ? "RECOMMENDED" : (x.pareto ? "feasible, Pareto" : "feasible");
    } else {
      reasons.push_back(fmt::format("[{}] {}: {}{}", reasons.size() + 1, r.candidate.label, r.reason,
                                    x.fix.empty() ? "" : fmt::format(" (would need {})", x.fix)));
      verdict = fmt::format("rejected [{}]", reasons.size());
    }
    const bool ran = run || !r.run.jobs.empty();
    std::vector<std::string> row{r.feasible ? std::to_string(++rank) : "-", r.candidate.label,
                                 x.screened_out ? "-" : units_text(r.candidate.spec)};
    if (streams) {
      // The estimate at the SLO's percentile, with its 95% CI half-width.
      const Estimate e = st ? slo_estimate(*st) : Estimate{};
      row.push_back(st ? fmt::format("p{:g} {:.3g} ±{}", st->slo_percentile, e.value * 1e3,
                                     e.half_width() * 1e3 < 0.005 ? std::string("<0.01") : fmt::format("{:.2g}", e.half_width() * 1e3))
                       : "-");
      row.push_back(st ? fmt::format("{:.4g}", st->slo_latency_s * 1e3) : "-");
    }
    if (jobs) {
      double mk = 0, dl = 0;
      for (const auto& j : r.run.jobs) {
        if (j.makespan_s > mk) {
          mk = j.makespan_s;
          dl = j.deadline_s;
        }
      }
      row.push_back(r.run.jobs.empty() ? "-" : fmt::format("{:.4g}", mk / 3600));
      row.push_back(r.run.jobs.empty() || dl <= 0 ? "-" : fmt::format("{:.4g}", dl / 3600));
    }
    row.push_back(ran ? short_money(r.cost.tco) : "-");
    row.push_back(r.feasible && r.cost.cost_per_million > 0 ? fmt::format("{:.3g}", r.cost.cost_per_million) : "-");
    row.push_back(verdict);
    t.rows.push_back(std::move(row));
  }
  fmt::print("{}\n\n{}", s.name, to_text(t));
  if (!reasons.empty()) fmt::print("\nRejected\n  {}\n", fmt::join(reasons, "\n  "));
  fmt::print("\n{}\n", plan.winner ? "Recommendation" : "No recommendation");
  fmt::print("  {}\n", plan.why);
  if (plan.winner) {
    std::vector<std::string> front;
    for (std::size_t i : plan.ranking) {
      if (plan.candidates[i].pareto) front.push_back(plan.candidates[i].report.candidate.label);
    }
    fmt::print("\nPareto front (TCO vs latency or makespan against target): {}\n", fmt::join(front, "; "));
  }
  if (!plan.sensitivity.empty()) {
    fmt::print("\nSensitivity\n");
    for (const auto& c : plan.sensitivity) {
      fmt::print("  {:<22} {}\n", c.name + ":",
                 c.winner.empty() ? "nothing feasible"
                                  : fmt::format("{} {} (TCO {} {})", c.changes ? "winner becomes" : "unchanged,", c.winner,
                                                short_money(c.winner_tco), cur));
    }
    fmt::print("  crossover: {}\n", plan.crossover);
    for (const auto& line : plan.price_crossovers) fmt::print("  {}\n", line);
  }
  const double rate = plan.probes > 0 ? 100.0 * static_cast<double>(plan.cache_hits) / static_cast<double>(plan.probes) : 0.0;
  fmt::print("\n{} probe(s): {} simulated, {} from the cache ({:.0f}% hit rate){}; {:.1f} s\n", plan.probes, plan.simulations,
             plan.cache_hits, rate,
             plan.pruned > 0 ? fmt::format("; {} sensitivity sizing(s) skipped, their cost floor already above the winner", plan.pruned) : "",
             wall_s);
  fmt::print("latency: worst stream per candidate, at its SLO percentile, with the 95% confidence interval; network: {}\n",
             network_model_description());
}

}  // namespace

int run_recommend(const RecommendOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  Catalogue cat = load_default_catalogue(o.catalogue);
  Scenario s = load_scenario(o.scenario, cat);
  if (o.seed) s.seed = *o.seed;
  auto runner = make_runner(o.runner);
  std::optional<ResultCache> cache;
  std::optional<CachingRunner> caching;
  if (!o.no_cache) {
    try {
      cache.emplace(o.cache_dir);
    } catch (const std::runtime_error& e) {
      throw UsageError(fmt::format("--cache-dir: {} (or pass --no-cache)", e.what()));
    }
    caching.emplace(*runner, *cache);
  }
  Runner& r = caching ? static_cast<Runner&>(*caching) : *runner;
  PlanOptions po;
  po.sensitivity = !o.no_sensitivity;
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  std::string last_step;
  po.progress = [&](const PlanProgress& p) {
    const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const std::string step = fmt::format("{}: round {}, {} simulation(s)", p.phase, p.round, p.sims_total);
    if (step != last_step) {
      if (tty && !last_step.empty()) fmt::print(stderr, "\n");
      last_step = step;
      fmt::print(stderr, fmt::runtime(tty ? "  [{:5.1f} s] {}" : "  [{:5.1f} s] {}\n"), t, step);
    } else if (tty) {
      fmt::print(stderr, "\r  [{:5.1f} s] {}: {}/{} done, {} running", t, step, p.sims_done, p.sims_total, p.running);
    }
  };
  fmt::print(stderr, "planning '{}' ({} candidate choice(s), seed {})\n", s.name, enumerate_candidates(s, cat).size(), s.seed);
  Plan plan;
  int signal_exit = 0;
  std::string signal_name;
  {
    CancelOnSignals guard(r);
    plan = make_plan(s, cat, r, po);
    signal_exit = guard.signal() ? guard.exit_code() : 0;
    signal_name = guard.name();
  }
  if (tty && !last_step.empty()) fmt::print(stderr, "\n");
  if (plan.cancelled) {
    fmt::print(stderr,
               "interrupted ({}): no recommendation. {} simulation(s) finished and {}; running ones were stopped. "
               "Run the same command again to resume.\n",
               signal_exit ? signal_name : "cancelled", plan.simulations,
               cache ? fmt::format("are kept in the cache {}", cache->dir()) : std::string("are lost (--no-cache)"));
    return signal_exit ? signal_exit : kInternal;
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  std::string out = o.out;
  if (out.empty()) out = (fs::path("reports") / (fs::path(o.scenario).stem().string() + "-recommendation.csv")).string();
  const std::string csv = to_csv(plan_csv(s, plan));
  if (o.format == "json") {
    fmt::print("{}\n", plan_json(s, plan, wall).dump(2));
  } else if (o.format == "csv") {
    fmt::print("{}", csv);
  } else {
    print_table(s, plan, wall);
  }
  write_file_atomic(out, csv);
  std::fflush(stdout);
  fmt::print(stderr, "wrote {}\n", out);
  return plan.winner ? kOk : kInfeasible;
}

void setup_recommend(CLI::App& app, Dispatch& d) {
  auto o = std::make_shared<RecommendOptions>();
  auto* sub = app.add_subcommand("recommend", "Size every candidate deployment, price it over its life, and recommend one");
  sub->add_option("scenario", o->scenario, "Scenario YAML file")->required()->check(CLI::ExistingFile);
  sub->add_option("--seed", o->seed, "Random seed (default: the scenario's)");
  add_format_option(*sub, o->format);
  sub->add_option("--out", o->out, "CSV report path (default: reports/<scenario>-recommendation.csv)");
  add_runner_options(*sub, o->runner);
  sub->add_flag("--no-cache", o->no_cache, "Do not read or write the result cache");
  sub->add_option("--cache-dir", o->cache_dir, "Result cache folder (default: $XDG_CACHE_HOME/hwplan/runs or ~/.cache/hwplan/runs)");
  sub->add_flag("--no-sensitivity", o->no_sensitivity, "Skip the load and price sensitivity analysis");
  add_catalogue_option(*sub, o->catalogue);
  sub->footer("Example:\n  hwplan recommend scenarios/factory-vision.yaml --format json --out reports/factory.csv\n"
              "Exit 0 with a recommendation, 3 when no candidate is feasible, 2 on bad input, 1 on an internal error.");
  sub->callback([o, &d] { d.action = [o] { return run_recommend(*o); }; });
}

}  // namespace hw::cli
