// Output schemas of runs and plans (sim/io/plan_report): the run report and the plan name
// the same hardware for the same candidate, in JSON and CSV, and carry a schema header.
// Built from hand-made reports: nothing is simulated.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sim/io/plan_report.hpp"

namespace {

hw::Scenario scenario() {
  hw::Scenario s;
  s.name = "schemas";
  s.file = "schemas.yaml";
  s.sites.push_back(hw::Site{"store", 3, {}, {}, {}});
  s.streams.emplace_back();
  return s;
}

hw::CandidateSpec edge(const std::string& hw_id, const std::string& accelerator = "") {
  hw::CandidateSpec c;
  c.family = hw::Family::edge;
  c.edge_hardware = hw_id;
  c.edge_accelerator = accelerator;
  c.units_per_site = 2;
  return c;
}

hw::CandidateSpec gpu(const std::string& hw_id) {
  hw::CandidateSpec c;
  c.family = hw::Family::gpu;
  c.gpu_hardware = hw_id;
  c.servers = 4;
  return c;
}

hw::CandidateSpec hybrid(const std::string& e, const std::string& g, const std::string& accelerator = "") {
  hw::CandidateSpec c = edge(e, accelerator);
  c.family = hw::Family::hybrid;
  c.gpu_hardware = g;
  c.servers = 1;
  c.edge_stages = 2;
  return c;
}

hw::CandidateReport report(const hw::CandidateSpec& spec, bool feasible) {
  hw::CandidateReport r;
  r.candidate.spec = spec;
  r.candidate.label = hw::candidate_label(spec);
  r.feasible = feasible;
  r.reason = feasible ? "" : "too slow";
  hw::StreamResult st;
  st.id = "footfall";
  st.completed = 100;
  st.p50_s = {0.010, 0.009, 0.011};
  st.p95_s = {0.020, 0.019, 0.021};
  st.p99_s = {0.030, 0.028, 0.032};
  st.slo_latency_s = 0.05;
  st.slo_met = feasible;
  r.run.streams.push_back(st);
  r.cost.currency = "USD";
  r.cost.tco = 1000;
  return r;
}

struct Fixture {
  hw::Scenario s = scenario();
  std::vector<hw::CandidateSpec> specs{edge("raspberry-pi-5"), edge("raspberry-pi-5", "hailo-8"), gpu("l4x4-server"),
                                       hybrid("jetson-orin-nano-super", "l4x4-server"),
                                       hybrid("raspberry-pi-5", "nvidia-l4", "hailo-8")};
  std::vector<std::string> expected{"raspberry-pi-5", "raspberry-pi-5+hailo-8", "l4x4-server",
                                    "jetson-orin-nano-super+l4x4-server", "raspberry-pi-5+hailo-8+nvidia-l4"};
  std::vector<hw::CandidateReport> reports;
  hw::Plan plan;

  Fixture() {
    for (std::size_t i = 0; i < specs.size(); ++i) reports.push_back(report(specs[i], i != 2));
    for (const auto& r : reports) {
      hw::SizedCandidate x;
      x.report = r;
      plan.candidates.push_back(x);
    }
    plan.ranking = {3, 0, 1, 4};
    plan.winner = 3;  // the hybrid
    plan.runner_up = 0;
    plan.why = "cheapest";
  }
};

std::size_t column(const hw::Table& t, const std::string& name) {
  const auto it = std::find(t.header.begin(), t.header.end(), name);
  REQUIRE_MESSAGE(it != t.header.end(), name);
  return static_cast<std::size_t>(it - t.header.begin());
}

}  // namespace

TEST_CASE("plan_report: hardware_name is the edge unit, the server, or both for a hybrid") {
  Fixture f;
  for (std::size_t i = 0; i < f.specs.size(); ++i) CHECK(hw::hardware_name(f.specs[i]) == f.expected[i]);
}

TEST_CASE("plan_report: run JSON, plan JSON and both CSVs name the same hardware for the same candidate") {
  Fixture f;
  const auto run = hw::run_report_json(f.s, f.reports, "flow model");
  const auto plan = hw::plan_json(f.s, f.plan, "flow model", 1.5);
  const hw::Table run_csv = hw::run_table(f.s, f.reports, hw::TableStyle::csv);
  const hw::Table plan_csv = hw::plan_table(f.s, f.plan, hw::TableStyle::csv);
  REQUIRE(run["candidates"].size() == f.specs.size());
  REQUIRE(plan["candidates"].size() == f.specs.size());
  REQUIRE(run_csv.rows.size() == f.specs.size());
  REQUIRE(plan_csv.rows.size() == f.specs.size());
  const std::size_t run_hw = column(run_csv, "hardware"), plan_hw = column(plan_csv, "hardware");
  const std::size_t run_edge = column(run_csv, "edge_hardware"), plan_edge = column(plan_csv, "edge_hardware");
  for (std::size_t i = 0; i < f.specs.size(); ++i) {
    INFO("candidate " << f.reports[i].candidate.label);
    CHECK(run["candidates"][i]["hardware"] == f.expected[i]);
    CHECK(plan["candidates"][i]["hardware"] == f.expected[i]);
    CHECK(run_csv.rows[i][run_hw] == f.expected[i]);
    CHECK(plan_csv.rows[i][plan_hw] == f.expected[i]);
    CHECK(run_csv.rows[i][run_edge] == plan_csv.rows[i][plan_edge]);
    // The profile ids stay apart in JSON: the edge id as written, the accelerator alone.
    CHECK(run["candidates"][i]["edge_hardware"] == f.specs[i].edge_hardware);
    CHECK(run["candidates"][i]["edge_accelerator"] == f.specs[i].edge_accelerator);
    CHECK(run["candidates"][i]["gpu_hardware"] == f.specs[i].gpu_hardware);
  }
  CHECK(plan["recommendation"]["hardware"] == "jetson-orin-nano-super+l4x4-server");
  CHECK(plan["recommendation"]["units"] == 3 * 2 + 1);
}

TEST_CASE("plan_report: a plan candidate is the run candidate plus the planner's fields") {
  Fixture f;
  const auto run = hw::run_report_json(f.s, f.reports, "flow model");
  const auto plan = hw::plan_json(f.s, f.plan, "flow model", 1.5);
  for (std::size_t i = 0; i < f.specs.size(); ++i) {
    const auto& a = run["candidates"][i];
    const auto& b = plan["candidates"][i];
    for (const auto& [key, value] : a.items()) {
      INFO("candidate " << i << ", field " << key);
      REQUIRE(b.contains(key));
      CHECK(b[key] == value);
    }
    for (const char* k : {"fix", "screened_out", "pareto", "recommended", "analytic_bound", "probes"}) {
      CHECK_MESSAGE(!a.contains(k), k);
      CHECK_MESSAGE(b.contains(k), k);
    }
  }
  CHECK(run["candidates"][3]["edge_stages"] == 2);
  CHECK(!run["candidates"][0].contains("edge_stages"));
  CHECK(run["candidates"][2]["units"] == 4);
}

TEST_CASE("plan_report: both documents carry their schema name and version") {
  Fixture f;
  const auto run = hw::run_report_json(f.s, f.reports, "flow model");
  const auto plan = hw::plan_json(f.s, f.plan, "flow model", 1.5);
  CHECK(run["schema"] == "hwplan-run-report");
  CHECK(run["version"] == hw::kRunReportVersion);
  CHECK(plan["schema"] == "hwplan-recommendation");
  CHECK(plan["version"] == hw::kRecommendationVersion);
  CHECK(hw::kRunReportVersion >= 1);
  CHECK(hw::kRecommendationVersion >= 1);
  for (const auto* d : {&run, &plan}) {
    for (const char* k : {"scenario", "file", "seed", "currency", "network_model", "candidates"}) CHECK_MESSAGE(d->contains(k), k);
    CHECK((*d)["network_model"] == "flow model");
  }
}

TEST_CASE("plan_report: the plan CSV extends the run CSV and leaves a screened-out candidate unpriced") {
  Fixture f;
  f.plan.candidates[2].screened_out = true;
  const hw::Table run_csv = hw::run_table(f.s, f.reports, hw::TableStyle::csv);
  const hw::Table plan_csv = hw::plan_table(f.s, f.plan, hw::TableStyle::csv);
  REQUIRE(plan_csv.header.size() > run_csv.header.size());
  CHECK(std::equal(run_csv.header.begin(), run_csv.header.end(), plan_csv.header.begin()));
  for (const auto& row : plan_csv.rows) CHECK(row.size() == plan_csv.header.size());
  CHECK(plan_csv.rows[2][column(plan_csv, "tco_usd")].empty());
  CHECK(plan_csv.rows[2][column(plan_csv, "units")].empty());
  CHECK(plan_csv.rows[2][column(plan_csv, "hardware")] == "l4x4-server");
  CHECK(plan_csv.rows[0][column(plan_csv, "tco_usd")] == "1000");
  CHECK(plan_csv.rows[3][column(plan_csv, "recommended")] == "true");
  CHECK(plan_csv.rows[3][column(plan_csv, "edge_stages")] == "2");
  const auto plan = hw::plan_json(f.s, f.plan, "flow model", 1.5);
  CHECK(plan["candidates"][2]["units"].is_null());
  CHECK(plan["candidates"][2]["tco"].is_null());
}

TEST_CASE("plan_report: the tables for people show every candidate") {
  Fixture f;
  const std::string run = hw::run_text(f.s, f.reports, "flow model");
  const std::string plan = hw::plan_text(f.s, f.plan, "flow model", 1.5);
  for (const auto& r : f.reports) {
    CHECK(run.find(r.candidate.label) != std::string::npos);
    CHECK(plan.find(r.candidate.label) != std::string::npos);
  }
  CHECK(plan.find("RECOMMENDED") != std::string::npos);
  CHECK(plan.find("rejected [1]") != std::string::npos);
  CHECK(plan.find("[1] gpu l4x4-server x4: too slow") != std::string::npos);
  CHECK(run.find("network: flow model") != std::string::npos);
}

TEST_CASE("plan_report: rent or buy says when owning never pays, and batch-only scenarios have no tier caps to meet") {
  Fixture f;
  auto& c = f.plan.candidates[3].report.cost;  // the winner
  c.dc_choice = "rent on demand";
  c.dc_own_per_year = 58000;
  c.dc_on_demand_per_year = 5300;
  c.dc_busy_share = 0.08;
  // Break-even 48.3%: an ordinary threshold.
  c.break_even_utilisation = 0.483;
  std::string text = hw::plan_text(f.s, f.plan, "flow model", 1.5);
  CHECK(text.find("owning pays above 48.3% utilisation") != std::string::npos);
  // Break-even 110%: owning a device busy all year still costs more than renting it.
  c.break_even_utilisation = 1.10;
  text = hw::plan_text(f.s, f.plan, "flow model", 1.5);
  CHECK(text.find("owning never pays (it would take 110% utilisation)") != std::string::npos);
  CHECK(text.find("owning pays above 110") == std::string::npos);
  // With streams the tier caps are shown; without streams they do not apply.
  CHECK(text.find("(cap 80%)") != std::string::npos);
  f.s.streams.clear();
  text = hw::plan_text(f.s, f.plan, "flow model", 1.5);
  CHECK(text.find("(cap 80%)") == std::string::npos);
  CHECK(text.find("batch jobs only: the tier caps of design.max_utilisation apply to streams") != std::string::npos);
}

TEST_CASE("plan_report: an LLM stream's TTFT, TPOT and tokens/s reach the text and the JSON") {
  Fixture f;
  hw::LlmServing spec;
  spec.ttft = hw::Slo{99, hw::Seconds(2), 0.01};
  spec.tpot = hw::Slo{99, hw::Seconds(0.2), 0.01};
  spec.token_budget = 4096;
  f.s.streams[0].llm = spec;
  hw::LlmResult l;
  l.ttft_p50_s = 0.061;
  l.ttft_p99_s = 0.166;
  l.tpot_p50_s = 0.0151;
  l.tpot_p99_s = 0.016;
  l.ttft_met = true;
  l.tpot_met = false;
  l.output_tokens_per_s = 3675;
  l.output_tokens_per_s_per_unit = 3675;
  l.replicas = 4;
  l.gpus_per_replica = 2;
  l.stepping_share = 0.95;
  l.compute_share = 0.23;
  // Priced on the offered tokens (3600/s: requests offered x mean output tokens,
  // sim/plan/evaluate.hpp offered_load), not on the 3675/s the window measured.
  auto offered = [](hw::CandidateReport& r) {
    r.cost_inputs.output_tokens_per_s = 3600;
    r.cost.cost_per_million_output_tokens = r.cost.tco / (3600.0 * 3 * 365 * 86400) * 1e6;
  };
  for (auto& r : f.reports) {
    r.run.streams[0].llm = l;
    offered(r);
  }
  for (auto& c : f.plan.candidates) {
    c.report.run.streams[0].llm = l;
    offered(c.report);
  }
  const std::string run = hw::run_text(f.s, f.reports, "flow model");
  // Every time in ms, as the tables give TTFT (it read "TTFT p50 0.061 s, p99 0.166 s (target p99 2 s").
  CHECK(run.find("footfall: TTFT p50 61 ms, p99 166 ms (target p99 2000 ms: met); TPOT p50 15.1 ms, p99 16 ms (target p99 200 ms: "
                 "missed); 3675 output tokens/s measured in the simulated window (3675 per server, 4 replica(s) of 2 device(s), continuous "
                 "batching, 4096 tokens/iteration)") !=
        std::string::npos);
  CHECK(run.find("  replicas stepping 95% of the time (the tier's power follows this share), using 23% of their arithmetic while "
                 "stepping\n") != std::string::npos);
  // The recommendation repeats the winner's line.
  const std::string plan = hw::plan_text(f.s, f.plan, "flow model", 1.5);
  CHECK(plan.find("  llm: " + f.reports[3].candidate.label + ": footfall: TTFT p50 61 ms") != std::string::npos);
  const auto j = hw::run_report_json(f.s, f.reports, "flow model");
  const auto& c = j.at("candidates").at(0).at("llm").at("footfall");
  CHECK(c.at("ttft_p99_s").get<double>() == doctest::Approx(0.166));
  CHECK(c.at("tpot_met").get<bool>() == false);
  CHECK(c.at("output_tokens_per_s_per_server").get<double>() == doctest::Approx(3675));
  CHECK(j.at("candidates").at(0).at("run").at("streams").at(0).at("llm").at("replicas").get<int>() == 4);
  // Per token: TCO 1000 over the offered 3600 tokens/s x 3 years of 365 d (94,608,000 s) =
  // 3.4059e11 tokens: 1000 / 3.4059e11 x 1e6 = 0.00294 per million (the measured 3675/s
  // gave 0.00288 over 348 billion).
  INFO(run);
  CHECK(run.find("0.00294 USD per million output tokens (TCO 1k over the 341 billion output tokens offered in 3 years, 3600/s offered)") !=
        std::string::npos);
  // The CSV carries the LLM figures, and the recommend CSV the rank (the winner first).
  const hw::Table csv = hw::plan_table(f.s, f.plan, hw::TableStyle::csv);
  const auto& w = csv.rows[3];
  CHECK(w[column(csv, "llm_ttft_p99_ms")] == "166");
  CHECK(w[column(csv, "llm_tpot_p99_ms")] == "16");
  CHECK(w[column(csv, "llm_output_tokens_per_s")] == "3675");
  CHECK(w[column(csv, "rank")] == std::to_string(std::find(f.plan.ranking.begin(), f.plan.ranking.end(), std::size_t{3}) - f.plan.ranking.begin() + 1));
  CHECK(csv.rows[2][column(csv, "rank")].empty());  // rejected: no rank
}

TEST_CASE("plan_report: the loop's training line gives its costs with the currency and a small share as it is") {
  Fixture f;
  f.s.costs.currency = "EUR";
  hw::TrainingPlan t;
  t.work.samples = 1e6;
  t.work.epochs = 50;
  t.work.flops_per_sample = 93.2e9;
  t.work.flops = 4.66e18;
  t.work.interval_s = 7 * 86400;
  t.work.deadline_s = 2 * 86400;
  hw::TrainingOption o;
  o.hardware = "hgx-b200-8";
  o.units = 1;
  o.devices = 8;
  o.train_s = 0.0249 * 3600;
  o.own_per_year = 171000;
  o.rent_per_year = 5.2;
  o.rent_source = "scenario costs.gpu_hour";
  o.break_even_utilisation = 1.10;
  // 0.0249 h x 52 runs a year / 8760 h = 1.48e-4 of the year: 0.015%, not "0.0%".
  o.utilisation = 0.0249 * 52 / 8760;
  o.rent = true;
  t.chosen = o;
  f.plan.candidates[3].report.training = t;
  const std::string text = hw::plan_text(f.s, f.plan, "flow model", 1.5);
  // 0.0249 h = 89.6 s: in minutes, the largest unit it reaches (it read "0.0249 h").
  CHECK(text.find("in 1.49 min, rented: 5 EUR/y (own 171k EUR/y, rent 5 EUR/y, price from the scenario costs.gpu_hour;") !=
        std::string::npos);
  CHECK(text.find("the loop uses 0.015%)") != std::string::npos);
  // 40% a year reads as a whole percentage.
  f.plan.candidates[3].report.training->chosen->utilisation = 0.4;
  CHECK(hw::plan_text(f.s, f.plan, "flow model", 1.5).find("the loop uses 40%)") != std::string::npos);
}

TEST_CASE("plan_report: units counts every unit bought, spares included, in the JSON and the CSV") {
  Fixture f;
  // The winning hybrid: 2 edge units at each of 3 stores and 1 server, with N+1 at every
  // store and in the data centre: 3 x (2 + 1) + (1 + 1) = 11 units bought and priced.
  for (auto* r : {&f.plan.candidates[3].report, &f.reports[3]}) {
    r->availability.site_spares = 1;
    r->availability.dc_spares = 1;
  }
  const auto plan = hw::plan_json(f.s, f.plan, "flow model", 1.5);
  const auto run = hw::run_report_json(f.s, f.reports, "flow model");
  CHECK(plan["recommendation"]["units"] == 11);
  CHECK(plan["candidates"][3]["units"] == 11);
  CHECK(run["candidates"][3]["units"] == 11);
  // The sized figures stay apart from the spares.
  CHECK(plan["candidates"][3]["units_per_site"] == 2);
  CHECK(plan["candidates"][3]["servers"] == 1);
  const hw::Table csv = hw::plan_table(f.s, f.plan, hw::TableStyle::csv);
  CHECK(csv.rows[3][column(csv, "units")] == "11");
  CHECK(csv.rows[3][column(csv, "units_per_site")] == "2");
  CHECK(csv.rows[3][column(csv, "site_spares")] == "1");
  CHECK(csv.rows[3][column(csv, "dc_spares")] == "1");
  // Without spares the count is the sized one: 3 x 2 edge units.
  CHECK(plan["candidates"][0]["units"] == 6);
  // `hwplan run` names the spares its capex includes; a candidate without spares gets no note.
  const std::string text = hw::run_text(f.s, f.reports, "flow model");
  CHECK(text.find("note: " + f.reports[3].candidate.label +
                  ": capex includes N+k spares, bought and standing by at idle power: 1 spare unit per site (design.spares.site) "
                  "and 1 spare server (design.spares.dc) (11 units bought in all)") != std::string::npos);
  CHECK(text.find("note: " + f.reports[0].candidate.label + ": capex includes") == std::string::npos);
}

TEST_CASE("plan_report: costs never computed are null in the JSON and empty in the CSV") {
  Fixture f;
  f.plan.candidates[0].report.cost.cost_per_million = 12.5;
  f.plan.candidates[2].screened_out = true;
  f.plan.candidates[2].report.cost.currency.clear();  // never priced: as price_deployment never ran
  auto plan = hw::plan_json(f.s, f.plan, "flow model", 1.5);
  const auto& cost = plan["candidates"][2]["cost"];
  for (const char* k : {"capex", "capex_per_year", "energy_per_year", "opex_per_year", "tco", "cost_per_million", "rent_per_year"}) {
    INFO(k);
    CHECK(cost[k].is_null());
  }
  CHECK(cost["currency"] == "USD");
  CHECK(plan["candidates"][2]["total_power_w"].is_null());
  // A priced candidate keeps its figures.
  CHECK(plan["candidates"][0]["cost"]["tco"] == 1000.0);
  CHECK(plan["candidates"][0]["cost"]["cost_per_million"].is_number());
  hw::Table csv = hw::plan_table(f.s, f.plan, hw::TableStyle::csv);
  CHECK(csv.rows[2][column(csv, "capex_usd")].empty());
  CHECK(csv.rows[2][column(csv, "cost_per_million_usd")].empty());
  // Streams that offer nothing (every rate 0): nothing to divide by, so no figure, not a 0.00
  // that sorts as the cheapest.
  f.plan.candidates[0].report.cost.cost_per_million = 0;
  plan = hw::plan_json(f.s, f.plan, "flow model", 1.5);
  CHECK(plan["candidates"][0]["cost"]["cost_per_million"].is_null());
  CHECK(plan["candidates"][0]["cost"]["tco"] == 1000.0);
  csv = hw::plan_table(f.s, f.plan, hw::TableStyle::csv);
  CHECK(csv.rows[0][column(csv, "cost_per_million_usd")].empty());
  // Batch jobs alone make no inferences: no cost per million anywhere, not a 0.
  f.s.streams.clear();
  plan = hw::plan_json(f.s, f.plan, "flow model", 1.5);
  const auto run = hw::run_report_json(f.s, f.reports, "flow model");
  for (std::size_t i = 0; i < f.specs.size(); ++i) {
    CHECK(plan["candidates"][i]["cost"]["cost_per_million"].is_null());
    CHECK(run["candidates"][i]["cost"]["cost_per_million"].is_null());
  }
  CHECK(plan["candidates"][0]["cost"]["tco"] == 1000.0);
  csv = hw::plan_table(f.s, f.plan, hw::TableStyle::csv);
  CHECK(csv.rows[0][column(csv, "cost_per_million_usd")].empty());
}

TEST_CASE("plan_report: a rented data centre's line names the spares only of the owned figure") {
  Fixture f;
  auto& r = f.plan.candidates[3].report;  // the winner, one server needed
  r.candidate.input.dc.units = 1;
  r.cost_inputs.dc_units = 2;  // owning prices 1 + the design's spare
  r.availability.dc_spares = 0;  // rented: no spare bought
  r.cost.dc_choice = "rent on demand";
  r.cost.dc_own_per_year = 58000;
  r.cost.dc_on_demand_per_year = 5300;
  r.cost.break_even_utilisation = 0.5;
  const std::string text = hw::plan_text(f.s, f.plan, "flow model", 1.5);
  CHECK(text.find("rent on demand (own 58k/y with 1 spare server;") != std::string::npos);
  // The units read as bought: no "+1 srv" for the rented tier.
  CHECK(text.find("2/site, 1 srv") != std::string::npos);
  CHECK(text.find("1+1 srv") == std::string::npos);
}

TEST_CASE("plan_report: the loop's cycle gives each time in the unit it reaches, not 0.000415 h for 1.5 s") {
  Fixture f;
  hw::TrainingPlan t;
  t.work.samples = 6.9e10;
  t.work.epochs = 50;
  t.work.flops_per_sample = 93.2e9;
  t.work.flops = 4.66e18;
  t.work.interval_s = 7 * 86400;
  t.work.deadline_s = 2 * 86400;
  t.work.upload_s = 2.5 * 3600;
  t.work.push_s = 1.5;
  hw::TrainingOption o;
  o.hardware = "hgx-b200-8";
  o.units = 1;
  o.devices = 8;
  o.train_s = 20 * 3600;
  t.chosen = o;
  t.cycle_s = t.work.upload_s + o.train_s + t.work.push_s;  // 81001.5 s = 22.5 h
  f.plan.candidates[3].report.training = t;
  const std::string text = hw::plan_text(f.s, f.plan, "flow model", 1.5);
  CHECK(text.find("training per run: 69 billion samples x 50 epochs x 93.2 GFLOP per sample = 4.66 EFLOP, every 7 d") != std::string::npos);
  CHECK(text.find("cycle: upload 2.5 h + training 20 h + push to every unit 1.5 s = 22.5 h against the 2 d deadline (7 d interval)") !=
        std::string::npos);
  CHECK(text.find("e+") == std::string::npos);
}

TEST_CASE("plan_report: people tables print no exponent: a 20 s SLO is 20000 ms, a cost per million 1240") {
  Fixture f;
  for (auto& c : f.plan.candidates) {
    c.report.run.streams[0].slo_latency_s = 20;
    c.report.run.streams[0].slo_percentile = 99;
    c.report.cost.cost_per_million = 1240.4;
    c.report.cost.tco = 2.5e9;  // 2500M, not 2.5e+03M
  }
  const hw::Table t = hw::plan_table(f.s, f.plan, hw::TableStyle::people);
  const auto& w = t.rows[0];  // the winner
  CHECK(w[column(t, "SLO ms")] == "20000");  // was "2e+04"
  CHECK(w[column(t, "USD/M inf")] == "1240");  // was "1.24e+03"
  CHECK(w[column(t, "TCO USD")] == "2500M");
  const std::string text = hw::plan_text(f.s, f.plan, "flow model", 1.5);
  CHECK(text.find("e+") == std::string::npos);
}

TEST_CASE("plan_report: run's table for batch jobs alone shows makespan and deadline, and says how long each run simulated") {
  Fixture f;
  f.s.streams.clear();
  f.s.batch_jobs.emplace_back();
  for (auto& r : f.reports) {
    r.run.streams.clear();
    r.run.ok = true;
    hw::BatchJobResult j;
    j.id = "final";
    j.kind = "rendering";
    j.devices = 40;
    j.upload_s = 4.44 * 3600;
    j.compute_s = 2783.0 * 3600;
    j.makespan_s = 2787.5 * 3600;  // 116.1 d
    j.deadline_s = 2880.0 * 3600;  // 120 d
    j.deadline_met = true;
    r.run.jobs.push_back(j);
    r.run.simulated_time_s = j.makespan_s;
    r.run.stop_reason = "batch jobs only: ran until the last job finished at 1.003e+07 s simulated";
    r.total_power_w = 13635;
  }
  const hw::Table t = hw::run_table(f.s, f.reports, hw::TableStyle::people);
  CHECK(std::find(t.header.begin(), t.header.end(), "p99 ms") == t.header.end());  // no column of "-"
  CHECK(t.rows[0][column(t, "makespan h")] == "2788");
  CHECK(t.rows[0][column(t, "deadline h")] == "2880");
  CHECK(t.rows[0][column(t, "power W")] == "13635");
  const std::string run = hw::run_text(f.s, f.reports, "flow model");
  CHECK(run.find("makespan 116 d (upload 4.44 h, compute 116 d), deadline 120 d met") != std::string::npos);
  CHECK(run.find("batch jobs only: ran until the last job finished, 116 d simulated") != std::string::npos);
  CHECK(run.find("e+") == std::string::npos);
  CHECK(run.find("latency: worst stream") == std::string::npos);
}

TEST_CASE("plan_report: a screened-out candidate's size and availability were never computed: null in the JSON, empty in the CSV") {
  Fixture f;
  auto& x = f.plan.candidates[3];  // the hybrid: 2 units per store and 1 server as sized
  x.screened_out = true;
  x.report.feasible = false;
  f.plan.winner.reset();
  f.plan.runner_up.reset();
  f.plan.ranking = {0, 1, 4};
  const auto plan = hw::plan_json(f.s, f.plan, "flow model", 1.5);
  const auto& c = plan["candidates"][3];
  // Was 2, 1 and an availability of 1.0 (100%) for a deployment never sized.
  CHECK(c["units_per_site"].is_null());
  CHECK(c["servers"].is_null());
  for (const char* key : {"site", "dc", "deployment", "site_with_one_spare", "site_spares", "dc_spares", "site_single_point_of_failure"}) {
    INFO(key);
    CHECK(c["availability"][key].is_null());
  }
  const hw::Table csv = hw::plan_table(f.s, f.plan, hw::TableStyle::csv);
  CHECK(csv.rows[3][column(csv, "units_per_site")].empty());
  CHECK(csv.rows[3][column(csv, "servers")].empty());
  // A sized candidate keeps its figures.
  CHECK(plan["candidates"][0]["availability"]["site"].is_number());
  CHECK(plan["candidates"][0]["units_per_site"].is_number());
}

TEST_CASE("plan_report: an availability shows its first digit that is not a 9 and one more, no trailing zeros, capped") {
  // 1 - a = 1.145%: the first non-9 is the units digit (98.8|55), one more: 98.9%.
  CHECK(hw::availability_text(0.98855) == "98.9%");
  // 99.9|041: first non-9 at the 2nd decimal, shown to the 3rd (was 99.9041%).
  CHECK(hw::availability_text(0.999041) == "99.904%");
  // 99.99|2: to the 4th decimal, its trailing zero dropped (was 99.99200%).
  CHECK(hw::availability_text(0.9999200) == "99.992%");
  // 99.9999|08: to the 6th decimal (was 99.9999080%).
  CHECK(hw::availability_text(0.99999908) == "99.999908%");
  // Past six decimals of nines the MTBF estimates give no more digits (was 99.999999360%).
  CHECK(hw::availability_text(0.9999999936) == ">99.999999%");
  // Never rounded up to 100% while it can fail; 100% only when it cannot.
  CHECK(hw::availability_text(0.999496) == "99.95%");  // 99.949|6 rounded at its 3rd decimal
  CHECK(hw::availability_text(0.9999995) == "99.99995%");
  CHECK(hw::availability_text(0.99) == "99%");
  CHECK(hw::availability_text(1.0) == "100%");
  // Every one below 1 reads below 100%, with no trailing zero after its point.
  for (double a : {0.5, 0.9, 0.95, 0.99, 0.9995, 0.99999, 0.999999, 0.9999991, 0.99999999}) {
    INFO(a);
    const std::string t = hw::availability_text(a);
    CHECK(t.back() == '%');
    CHECK(t.find("100") == std::string::npos);
    if (t.find('.') != std::string::npos) CHECK(t[t.size() - 2] != '0');
  }
}

TEST_CASE("plan_report: with an LLM stream the busy line says busy is the arithmetic used, not the time stepping") {
  // Before: "busy: ... data centre 24% (cap 80%)" beside "replicas stepping 100% of the time",
  // the headroom left unreadable.
  Fixture f;
  const std::string marker = "LLM replicas: busy = share of arithmetic used (stepping share x arithmetic while stepping); the caps bound it";
  CHECK(hw::plan_text(f.s, f.plan, "flow model", 1.5).find(marker) == std::string::npos);  // no LLM stream: as before
  hw::LlmResult l;
  l.stepping_share = 1.0;
  l.compute_share = 0.24;
  for (auto& c : f.plan.candidates) {
    c.report.run.streams[0].llm = l;
    c.report.run.dc.utilisation = 0.24;
  }
  const std::string text = hw::plan_text(f.s, f.plan, "flow model", 1.5);
  const auto at = text.find("busy: edge");
  REQUIRE(at != std::string::npos);
  const std::string line = text.substr(at, text.find('\n', at) - at);
  CHECK(line.find("data centre 24% (cap 80%)") != std::string::npos);
  CHECK(line.find(marker) != std::string::npos);
}

TEST_CASE("plan_report: recommend's people table calls the cost per million of an LLM scenario per request, the CSV column unchanged") {
  // Before: "USD/M inf" 397 beside the text's "1.11 USD per million output tokens".
  Fixture f;
  for (auto& c : f.plan.candidates) c.report.cost.cost_per_million = 397;
  hw::Table t = hw::plan_table(f.s, f.plan, hw::TableStyle::people);
  CHECK(t.rows[0][column(t, "USD/M inf")] == "397");  // no LLM stream: inferences, as before
  f.s.streams[0].llm = hw::LlmServing{};
  t = hw::plan_table(f.s, f.plan, hw::TableStyle::people);
  CHECK(std::find(t.header.begin(), t.header.end(), "USD/M inf") == t.header.end());
  CHECK(t.rows[0][column(t, "USD/M req")] == "397");
  const hw::Table csv = hw::plan_table(f.s, f.plan, hw::TableStyle::csv);
  CHECK(csv.rows[0][column(csv, "cost_per_million_usd")].rfind("397", 0) == 0);
}

TEST_CASE("plan_report: run's people table prices no deployment for a candidate that cannot run, the CSV keeping its capex") {
  // Before: a Jetson that cannot hold a 69.3 GB model showed capex 15992 and TCO 35192.
  Fixture f;
  auto& r = f.reports[2];
  r.candidate.infeasible = "stream chat stage serve: needs 69.3 GB but has 64 GB per accelerator";
  r.run.streams.clear();
  r.cost.capex = 15992;
  r.cost.opex_per_year = 6400;
  r.cost.tco = 35192;
  const hw::Table t = hw::run_table(f.s, f.reports, hw::TableStyle::people);
  CHECK(t.rows[2][column(t, "capex USD")] == "-");
  CHECK(t.rows[2][column(t, "opex/y USD")] == "-");
  CHECK(t.rows[2][column(t, "TCO USD")] == "-");
  CHECK(t.rows[0][column(t, "TCO USD")] == "1000");  // a candidate that ran: priced, as before
  // The CSV keeps the size's price; everything priced on power and traffic is empty (below).
  const hw::Table csv = hw::run_table(f.s, f.reports, hw::TableStyle::csv);
  CHECK(csv.rows[2][column(csv, "capex_usd")] == "15992");
}

TEST_CASE("plan_report: a candidate never simulated prices nothing on power or traffic nobody measured, in the CSV and the JSON") {
  // Before: film-rendering's l4x4-server (the scene does not fit) had avg_power_w empty but
  // energy_per_year 0.00, tco 1700000.00, dc_rent_or_buy buy; retail-footfall's gpu row (data
  // residency) priced 158310.72 of forbidden bandwidth, and its JSON total_power_w was 300.
  Fixture f;
  for (auto& x : f.reports) x.cost.dc_choice = "buy", x.cost.break_even_utilisation = 0.1464, x.cost.dc_busy_share = 1, x.cost.cost_per_million = 2;
  auto& r = f.reports[2];
  r.candidate.infeasible = "data residency forbids sending raw frames off site";
  r.run.streams.clear();
  r.cost.capex = 65000;
  r.cost.energy_per_year = 578.16;
  r.cost.bandwidth_per_year = 158310.72;
  r.cost.opex_per_year = 160000;
  r.cost.tco = 1700000;
  r.cost.cost_per_million = 3.5;
  r.total_power_w = 300;
  const hw::Table csv = hw::run_table(f.s, f.reports, hw::TableStyle::csv);
  CHECK(csv.rows[2][column(csv, "capex_usd")] == "65000");
  for (const char* k : {"avg_power_w", "energy_per_year_usd", "bandwidth_per_year_usd", "maintenance_per_year_usd", "opex_per_year_usd",
                        "tco_usd", "cost_per_million_usd", "dc_rent_or_buy", "break_even_utilisation", "rent_per_year_usd",
                        "training_per_year_usd"}) {
    INFO(std::string(k));
    CHECK(csv.rows[2][column(csv, k)].empty());
    CHECK_FALSE(csv.rows[0][column(csv, k)].empty());  // a candidate that ran keeps them
  }
  const auto run = hw::run_report_json(f.s, f.reports, "flow model");
  const auto& c = run["candidates"][2];
  CHECK(c["cost"]["capex"] == 65000.0);
  for (const char* k : {"energy_per_year", "bandwidth_per_year", "opex_per_year", "tco", "cost_per_million", "rent_or_buy"}) {
    INFO(k);
    CHECK(c["cost"][k].is_null());
  }
  CHECK(c["tco"].is_null());
  CHECK(c["total_power_w"].is_null());
  CHECK(run["candidates"][0]["cost"]["rent_or_buy"]["choice"] == "buy");
  CHECK(run["candidates"][0]["total_power_w"].is_number());
  // recommend's documents agree.
  f.plan.candidates[2].report = r;
  const auto plan = hw::plan_json(f.s, f.plan, "flow model", 1.5);
  CHECK(plan["candidates"][2]["tco"].is_null());
  CHECK(plan["candidates"][2]["cost"]["capex"] == 65000.0);
  const hw::Table pcsv = hw::plan_table(f.s, f.plan, hw::TableStyle::csv);
  CHECK(pcsv.rows[2][column(pcsv, "tco_usd")].empty());
  CHECK(pcsv.rows[2][column(pcsv, "capex_usd")] == "65000");
}

TEST_CASE("plan_report: a worst stream that completed no request has null latency in the JSON, as empty cells in the CSV") {
  // Before: run --format json wrote p50/p99 0.0 and p99_ci_s [0, 0] for an overloaded Pi.
  Fixture f;
  auto& st = f.reports[0].run.streams[0];
  st.completed = 0;
  st.p50_s = {0, 0, 0};
  st.p95_s = {0, 0, 0};
  st.p99_s = {0, 0, 0};
  const auto run = hw::run_report_json(f.s, f.reports, "flow model");
  for (const char* k : {"p50_latency_s", "p95_latency_s", "p99_latency_s", "p99_ci_s"}) {
    INFO(k);
    CHECK(run["candidates"][0].contains(k));
    CHECK(run["candidates"][0][k].is_null());
    CHECK(run["candidates"][1][k].is_number() != (std::string(k) == "p99_ci_s"));  // a stream that completed some: figures
  }
  CHECK(run["candidates"][1]["p99_ci_s"].size() == 2);
  const hw::Table csv = hw::run_table(f.s, f.reports, hw::TableStyle::csv);
  CHECK(csv.rows[0][column(csv, "p99_latency_ms")].empty());
  CHECK(csv.rows[1][column(csv, "p99_latency_ms")] == "30");
}

TEST_CASE("plan_report: CSV figures are full precision in plain decimals, never a false 0 nor an exponent") {
  // Before: cost_per_million 0.038201702 was 0.0382, below 0.00005 it was 0.0000, and ms
  // figures read 5.24136e-05.
  CHECK(hw::csv_number(0.038201702) == "0.038201702");
  CHECK(hw::csv_number(0.0000524136) == "0.0000524136");
  CHECK(hw::csv_number(0.00003) == "0.00003");
  CHECK(hw::csv_number(1700000) == "1700000");
  CHECK(hw::csv_number(542266.64) == "542266.64");
  CHECK(hw::csv_number(-0.0) == "0");
  CHECK(hw::csv_number(0.1 + 0.2) == "0.30000000000000004");  // what the JSON writes: reads back the same double
  Fixture f;
  f.reports[0].cost.cost_per_million = 0.00003;
  f.reports[1].cost.cost_per_million = 0.038201702;
  f.reports[0].run.streams[0].p99_s = {5.24136e-08, 5e-08, 5.5e-08};
  const hw::Table csv = hw::run_table(f.s, f.reports, hw::TableStyle::csv);
  CHECK(csv.rows[0][column(csv, "cost_per_million_usd")] == "0.00003");
  CHECK(csv.rows[1][column(csv, "cost_per_million_usd")] == "0.038201702");
  CHECK(std::stod(csv.rows[0][column(csv, "p99_latency_ms")]) == doctest::Approx(5.24136e-05).epsilon(1e-12));
  CHECK(csv.rows[0][column(csv, "p99_latency_ms")].find('e') == std::string::npos);
}
