// Planner fixes from the review of `hwplan recommend` on the bundled scenarios (session 12):
// confidence misses and head-of-line blocking in the sizing search, fix re-checks too long to
// run, the loop's rented training price, the backhaul named as the floor, server packing on
// the cost over the horizon, JSON nulls, the rent basis in the "why", currency in the notes.
// Each expected figure is worked by hand in its comment.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "sim/io/loaders.hpp"
#include "sim/plan/deployment.hpp"
#include "sim/plan/fix.hpp"
#include "sim/plan/loop.hpp"
#include "sim/plan/planner.hpp"
#include "sim/plan/result_json.hpp"
#include "sim/plan/search.hpp"
#include "sim/run/runner.hpp"

using namespace hw;

namespace {

const std::string kSrc = HWPLAN_SOURCE_DIR;

Catalogue catalogue() { return load_catalogue(kSrc + "/hardware_profiles", kSrc + "/scenarios/models"); }

CandidateSpec edge_spec() {
  CandidateSpec c;
  c.family = Family::edge;
  c.edge_hardware = "edge-box";
  return c;
}

AnalyticBound bound1() {
  AnalyticBound b;
  b.units_per_site = 1;
  return b;
}

// A probe of a 10 ms p99 target on one tier: utilisation u, estimate p, interval upper end
// ci, the path's floor 3 ms.
ProbeOutcome probe(double u, double p, double ci, double floor = 0.003) {
  ProbeOutcome o;
  o.slo_bound_s = 0.010;
  o.slo_estimate_s = p;
  o.slo_ci_high_s = ci;
  o.slo_floor_s = floor;
  o.feasible = p <= 0.010 && ci <= 0.010;
  o.slo_failure = !o.feasible;
  o.edge_util = u;
  return o;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The rest of the Runner interface for the test runners below, which answer at once.
class InstantRunner : public Runner {
 public:
  void cancel() noexcept override {}
  [[nodiscard]] bool cancelled() const noexcept override { return false; }
  [[nodiscard]] int slots() const override { return 1; }
};

// Answers every run the same way: each stream with `completed` requests (none: nothing can
// be certified), or, for runs longer than `fail_above_s`, the event budget's error.
class Canned final : public InstantRunner {
 public:
  Canned(int completed, double fail_above_s) : completed_(completed), fail_above_s_(fail_above_s) {}
  std::vector<RunResult> run(const std::vector<SimInput>& inputs, const OnResult& = {}, const OnProgress& = {}) override {
    std::vector<RunResult> out;
    for (const auto& in : inputs) {
      ++runs;
      RunResult r;
      if (in.duration.si() > fail_above_s_) {
        r.ok = false;
        r.error = std::string(kEventBudgetExceeded) + ": 2000000 requests created by 3 d simulated of a 3.7 d run";
        out.push_back(r);
        continue;
      }
      r.ok = true;
      r.edge.utilisation = in.edge.units > 0 ? 0.1 : 0;
      for (const auto& ex : in.streams) {
        StreamResult st;
        st.id = ex.id;
        st.completed = completed_;
        st.slo_percentile = ex.slo.percentile;
        st.slo_latency_s = ex.slo.latency.si();
        st.slo_met = true;
        r.streams.push_back(st);
      }
      out.push_back(r);
    }
    return out;
  }
  int runs = 0;

 private:
  int completed_;
  double fail_above_s_;
};

}  // namespace

TEST_CASE("search: a target met on its estimate but not with confidence grows the fleet, never offers a target") {
  // hol.yaml as the review saw it: 1 unit p99 145.7 ms (a window behind a 135 ms ResNet-50),
  // 2 units at 13%: p99 4.35 ms meets 10 ms, its interval reaches 24 ms. The old search
  // stopped at 2 (below 20% utilisation) and offered "a p99 target above 4.35 ms".
  SizeSearch s(edge_spec(), bound1(), 1, 1, 1 << 30, {});
  CHECK(s.next().units_per_site == 1);
  s.observe(probe(0.26, 0.1457, 0.16));
  CHECK(s.next().units_per_site == 2);  // grow(1) = 2
  s.observe(probe(0.13, 0.00435, 0.024));
  REQUIRE_FALSE(s.done());
  CHECK(s.next().units_per_site == 3);  // the interval is the miss: grow
  s.observe(probe(0.09, 0.0040, 0.015));  // 15 < 0.98 x 24: still shortening
  REQUIRE_FALSE(s.done());
  CHECK(s.next().units_per_site == 5);  // grow(3) = max(4, ceil(4.5)) = 5
  CHECK(s.observe(probe(0.05, 0.0038, 0.008)));  // passes
  CHECK(s.next().units_per_site == 4);  // bisect between 3 (fails) and 5 (passes)
  CHECK(s.fix_latency_s() == 0);
}

TEST_CASE("search: when growth stops shortening the interval, the fix is a longer run") {
  SizeSearch s(edge_spec(), bound1(), 1, 1, 1 << 30, {});
  s.observe(probe(0.13, 0.0044, 0.024));
  REQUIRE_FALSE(s.done());
  // 23.6 ms >= 0.98 x 24 = 23.52 ms: the interval did not shorten by 2%.
  s.observe(probe(0.09, 0.0043, 0.0236));
  CHECK(s.done());
  CHECK(s.stopped_on_confidence());
  CHECK(s.fix() == kRelaxFix);  // the planner prints the reason's own fix: a longer run
  CHECK(s.fix_latency_s() == 0);
}

TEST_CASE("search: low utilisation stops at once only when the latency is the path's, not waiting") {
  // iot GPU-central: 46.5 ms at 3% against a 35 ms target; the path's floor 32.8 ms:
  // 46.5 < 1.5 x 32.8 = 49.2: not waiting, more units do not help: a looser target.
  ProbeOutcome o = probe(0.03, 0.0465, 0.048, 0.0328);
  o.slo_bound_s = 0.035;
  SizeSearch a(edge_spec(), bound1(), 1, 1, 1 << 30, {});
  a.observe(o);
  CHECK(a.done());
  CHECK(a.fix_latency_s() == doctest::Approx(0.0465));
  // The same miss with a 10 ms floor: 46.5 > 15 ms, waiting (head-of-line): grow.
  o.slo_floor_s = 0.010;
  SizeSearch b(edge_spec(), bound1(), 1, 1, 1 << 30, {});
  b.observe(o);
  CHECK_FALSE(b.done());
  CHECK(b.next().units_per_site == 2);
}

TEST_CASE("fix: a confidence miss asks for a longer run, scaled by the interval, never for a target") {
  // est 4.35 ms, interval to 24 ms, target 10 ms, 40 s with 3 s warm-up:
  // ((24 - 4.35) / (10 - 4.35))^2 = (19.65 / 5.65)^2 = 12.096; 37 s x 12.096 = 447.5 s; + 3 s.
  CHECK(confident_duration(0.00435, 0.024, 0.010, 40, 3) == doctest::Approx(450.54).epsilon(1e-3));
  // Barely past: (5.5 / 5)^2 = 1.21, at least 2x: 9 s x 2 + 1 s = 19 s.
  CHECK(confident_duration(0.005, 0.0105, 0.010, 10, 1) == doctest::Approx(19.0));
  // Far past: (100 / 1)^2, at most 16x: 9 s x 16 + 1 s = 145 s.
  CHECK(confident_duration(0.009, 0.109, 0.010, 10, 1) == doctest::Approx(145.0));
  Reason r{ReasonKind::slo_not_confident, "protection", 0.024, 0.010, "s", "", "", {{"estimate_s", 0.00435}, {"needed_duration_s", 450.54}}};
  const Scenario s;
  const FixChange f = fix_change(r, s);
  CHECK(f.what == FixChange::What::duration);
  // 10% past 450.54 = 495.6, rounded up to 2 significant digits: 500 s.
  CHECK(f.value == doctest::Approx(500.0));
}

TEST_CASE("re-check: a fix whose run would be far longer than the scenario's is reported, not run") {
  const Catalogue cat = catalogue();
  Scenario s = load_scenario(kSrc + "/tests/data/planner/rare.yaml", cat);
  // A second, busy stream at the shop: 100 /s. The sizing run: 10 s x (100 + 0.001) /s = 1000
  // requests. The fix is a duration: doorbell needs 100 requests at 0.001 /s = 100 000 s + 1 s
  // warm-up, 10% past: 110 000 s, in which the busy stream creates 11 million requests:
  // over 1 million and over 20 x 1000: not run.
  Stream busy = s.streams[0];
  busy.id = "busy";
  busy.arrival.rate = PerSecond(100);
  s.streams.push_back(busy);
  Canned runner(0, 1e9);  // no request completes: too few requests to certify
  PlanOptions o;
  o.sensitivity = false;
  const Plan p = make_plan(s, cat, runner, o);
  REQUIRE(p.candidates.size() == 1);
  const auto& c = p.candidates[0];
  CHECK_FALSE(c.fix_holds.has_value());
  CHECK(has(c.fix_tried, "not re-checked"));
  CHECK(has(c.fix_tried, "duration = "));
  CHECK(has(c.fix_tried, "20x"));
  CHECK_FALSE(c.fix.empty());  // the advice stands
  CHECK(has(p.why, "not re-checked"));
  // One probe (the sizing stops on too few requests); no re-check run.
  CHECK(runner.runs == 1);
}

TEST_CASE("re-check: a fix re-check stopped by the event budget keeps the plan, marked not re-checked") {
  const Catalogue cat = catalogue();
  const Scenario s = load_scenario(kSrc + "/tests/data/planner/rare.yaml", cat);
  // The fix (duration 110 000 s, 110 doorbell requests) is cheap by the estimate, so it runs;
  // the runner fails every run longer than 100 s with the event budget's error.
  Canned runner(0, 100);
  PlanOptions o;
  o.sensitivity = false;
  Plan p;
  CHECK_NOTHROW(p = make_plan(s, cat, runner, o));
  REQUIRE(p.candidates.size() == 1);
  const auto& c = p.candidates[0];
  CHECK_FALSE(c.fix_holds.has_value());
  CHECK(has(c.fix_tried, "not re-checked: the run with a longer simulation to measure it (duration = "));
  CHECK(has(c.fix_tried, kEventBudgetExceeded));
  CHECK(runner.runs == 2);  // the sizing probe and the re-check's one
}

TEST_CASE("loop: the scenario's generic GPU-hour price is not lent to profiles without one while others have their own") {
  const Catalogue cat = catalogue();
  const Scenario s = load_scenario(kSrc + "/scenarios/factory-vision.yaml", cat);
  const TrainingPlan tp = plan_training(s, cat, 1);
  REQUIRE(tp.chosen);
  bool own = false;
  for (const auto& o : tp.options) {
    const bool priced = cat.profile(o.hardware).gpu_hour_on_demand.per_si > 0;
    own = own || priced;
    // A profile without a rented price of its own (hgx-b200-8, L40S...) is owned only.
    if (!priced) {
      CHECK(o.rent_per_year == 0);
      CHECK_FALSE(o.rent);
      CHECK(o.rent_source.empty());
    }
  }
  REQUIRE(own);  // the catalogue's A100 and H100 profiles carry one
  CHECK(tp.chosen->rent_source != kScenarioRentSource);
  // With no profile priced for rent, the scenario's price stands in, and says so.
  Catalogue bare = cat;
  for (auto& [id, p] : bare.profiles) p.gpu_hour_on_demand.per_si = 0;
  const TrainingPlan tb = plan_training(s, bare, 1);
  REQUIRE_FALSE(tb.options.empty());
  for (const auto& o : tb.options) {
    CHECK(o.rent_source == kScenarioRentSource);
    // rent = GPUs x busy share x 8760 h x 2.21 USD/h (factory-vision's costs.gpu_hour)
    CHECK(o.rent_per_year == doctest::Approx(o.devices * o.utilisation * 8760.0 * 2.21).epsilon(1e-6));
  }
}

TEST_CASE("packing: servers are chosen on the cost over the horizon, maintenance included") {
  const Catalogue cat = catalogue();
  const HardwareProfile& l40s = cat.profile("nvidia-l40s");
  REQUIRE(l40s.server_gpus.empty());  // 1, 2, 4 or 8 with the 7.1k USD per GPU host estimate
  // Purchase alone, 39 GPUs: 39 x (8750 + 7100) = 618 150 against 40 GPUs in 2, 4 or 8-GPU
  // servers, 40 x 15 850 = 634 000: 39 x 1.
  const ServerPackaging by_price = package_accelerators(l40s, 39);
  CHECK(by_price.gpus_per_server == 1);
  CHECK(by_price.servers == 39);
  // film-rendering's costs (3 y horizon = amortisation, 500 USD/y maintenance per server):
  // 39 x 1: 618 150 + 39 x 1500 = 676 650 (+ 39 GPUs' idle energy);
  // 5 x 8: 634 000 + 5 x 1500 = 641 500 (+ 40 GPUs' idle energy, ~1k USD more): 5 x 8.
  const Scenario film = load_scenario(kSrc + "/scenarios/film-rendering.yaml", cat);
  const ServerPackaging by_cost = package_accelerators(l40s, 39, &film.costs);
  CHECK(by_cost.gpus_per_server == 8);
  CHECK(by_cost.servers == 5);
}

TEST_CASE("json: no reserved price is null, not 0") {
  CostBreakdown c;
  c.dc_choice = "buy";
  c.dc_on_demand_per_year = 1000;
  CHECK(to_json(c)["rent_or_buy"]["reserved_per_year"].is_null());
  c.dc_reserved_per_year = 800;
  CHECK(to_json(c)["rent_or_buy"]["reserved_per_year"].get<double>() == 800);
}

TEST_CASE("why: a cost that rests on rent names the price per GPU-hour and its source") {
  const Catalogue cat = catalogue();
  Scenario s;
  s.costs.currency = "USD";
  CandidateReport r;
  r.candidate.input.dc.hardware = "amd-mi300x";
  r.cost.dc_choice = "rent on demand";
  r.cost.rent_per_year = 24000;
  r.cost_inputs.gpu_hour_on_demand = 1.71 / 3600.0;
  const std::string w = rent_basis(s, cat, r);
  CHECK(has(w, "rented on demand at 1.71 USD/GPU-hour"));
  CHECK(has(w, "the profile's gpu_hour, found: TensorWave MI300X from 1.71 USD/h"));
  CHECK(has(w, "24k USD/year"));
  // A profile without its own price, at the scenario's: said to be the scenario's.
  r.candidate.input.dc.hardware = "nvidia-l40s";
  r.cost_inputs.gpu_hour_on_demand = 2.21 / 3600.0;
  CHECK(has(rent_basis(s, cat, r), "2.21 USD/GPU-hour (the scenario's costs.gpu_hour, a generic price"));
  r.cost.dc_choice = "buy";
  CHECK(rent_basis(s, cat, r).empty());
}

TEST_CASE("currency: the host estimate is a USD figure, counted unconverted in another currency, and says so") {
  const Catalogue cat = catalogue();
  Scenario s = load_scenario(kSrc + "/scenarios/film-rendering.yaml", cat);
  CandidateSpec c;
  c.family = Family::gpu;
  c.gpu_hardware = "nvidia-l40s";
  c.servers = 1;  // one L40S: 1 server of 1, host 7100 USD
  auto note_of = [&](const Scenario& x) {
    std::string all;
    for (const auto& n : resolve_candidate(x, cat, c).notes) all += n + "\n";
    return all;
  };
  CHECK(has(note_of(s), "a host of 7100 USD"));
  CHECK_FALSE(has(note_of(s), "unconverted"));
  s.costs.currency = "EUR";
  const std::string eur = note_of(s);
  CHECK(has(eur, "a host of 7100 USD"));
  CHECK(has(eur, "counted as 7100 EUR unconverted"));
}

namespace {

// Answers every run with 1000 completed requests, p99 4 ms, the interval's upper end
// shrinking with the units per site: 30 ms at 1, 20 ms at 2, 8 ms from 3 on (10 ms target).
class Shrinking final : public InstantRunner {
 public:
  std::vector<RunResult> run(const std::vector<SimInput>& inputs, const OnResult& = {}, const OnProgress& = {}) override {
    std::vector<RunResult> out;
    for (const auto& in : inputs) {
      RunResult r;
      r.ok = true;
      r.edge.utilisation = 0.1;
      const double hi = in.edge.units >= 3 ? 0.008 : in.edge.units == 2 ? 0.020 : 0.030;
      for (const auto& ex : in.streams) {
        StreamResult st;
        st.id = ex.id;
        st.completed = 1000;
        st.slo_percentile = ex.slo.percentile;
        st.slo_latency_s = ex.slo.latency.si();
        st.slo_met = true;
        st.p99_s = Estimate{0.004, 0.003, hi};
        r.streams.push_back(st);
      }
      out.push_back(r);
    }
    return out;
  }
};

}  // namespace

TEST_CASE("plan: a confidence miss at low utilisation grows to the size that certifies it, and the why says the size below missed only on confidence") {
  const Catalogue cat = catalogue();
  Scenario s = load_scenario(kSrc + "/tests/data/planner/rare.yaml", cat);
  s.streams[0].slo.latency = Seconds(0.010);
  Shrinking runner;
  PlanOptions o;
  o.sensitivity = false;
  const Plan p = make_plan(s, cat, runner, o);
  REQUIRE(p.winner);
  // 1 unit: 30 ms, 2: 20 ms (shorter by a third: grow), 3: 8 ms passes; bisection between 2
  // and 3 has nothing left: 3 units per site.
  CHECK(p.candidates[*p.winner].report.candidate.spec.units_per_site == 3);
  // The size below (2) missed only on confidence: a run of about
  // 1 s + 9 s x ((20 - 4) / (10 - 4))^2 = 1 + 9 x 7.11 = 65 s may certify it.
  CHECK(has(p.why, "One unit per site fewer (2) met every target on its estimate but not with 95% confidence in this 10 s run"));
  CHECK(has(p.why, "may certify it"));
}

namespace {

// iot GPU-central as the review measured it: protection's p99 46.5 ms (interval 45-48 ms)
// at 3% utilisation whatever the size; diagnosis 100 ms. Met when under the stream's target.
class FlatLatency final : public InstantRunner {
 public:
  std::vector<RunResult> run(const std::vector<SimInput>& inputs, const OnResult& = {}, const OnProgress& = {}) override {
    std::vector<RunResult> out;
    for (const auto& in : inputs) {
      RunResult r;
      r.ok = true;
      r.dc.utilisation = in.dc.units > 0 ? 0.03 : 0;
      r.edge.utilisation = in.edge.units > 0 ? 0.03 : 0;
      for (const auto& ex : in.streams) {
        StreamResult st;
        st.id = ex.id;
        st.completed = 10000;
        st.slo_percentile = ex.slo.percentile;
        st.slo_latency_s = ex.slo.latency.si();
        st.p99_s = ex.id == "protection" ? Estimate{0.0465, 0.045, 0.048} : Estimate{0.1, 0.09, 0.11};
        st.slo_met = st.p99_s.ci_high <= st.slo_latency_s || st.p99_s.value <= st.slo_latency_s;
        r.streams.push_back(st);
      }
      out.push_back(r);
    }
    return out;
  }
};

}  // namespace

TEST_CASE("fix: a latency the shared backhaul holds names the link, not faster hardware") {
  const Catalogue cat = catalogue();
  Scenario s = load_scenario(kSrc + "/scenarios/iot-predictive-maintenance.yaml", cat);
  // A 40 ms protection target, so that GPU-central is simulated rather than screened out
  // (its path floor, ~31 ms, is under it).
  for (auto& st : s.streams) {
    if (st.id == "protection") st.slo.latency = Seconds(0.040);
  }
  CandidateSpec g;
  g.family = Family::gpu;
  g.gpu_hardware = "l4x4-server";
  s.candidates = {g};
  FlatLatency runner;
  PlanOptions o;
  o.sensitivity = false;
  const Plan p = make_plan(s, cat, runner, o);
  REQUIRE(p.candidates.size() == 1);
  const auto& c = p.candidates[0];
  REQUIRE_FALSE(c.report.feasible);
  // 46.5 ms at 3%: under 1.5 x the ~31 ms floor, so more units do not help. The wait over the
  // floor (~15 ms) is more than a tenth of one diagnosis record's transfer, 51.2 KB x 8 /
  // 100 Mbps = 4.1 ms, and the records are 12x protection's 4.2 KB windows: the link.
  // The target re-checked (10% past 46.5 ms: 52 ms), then the search's other advice.
  CHECK(has(c.fix, "streams[protection].slo.latency = 52 ms, or "));
  CHECK(has(c.fix, "more backhaul bandwidth at site plant (its 4.2 KB items share the link with diagnosis's 51.2 KB items, 4.1 ms each at 100 Mbps"));
  CHECK_FALSE(has(c.fix, "faster hardware"));
}

namespace {

// Every run passes (p99 50 ms against rare.yaml's 200 ms, 10 000 requests, half busy) except
// one whose stream arrives faster than 0.0015 /s: rare.yaml's 0.001 /s at load x2 (0.002 /s)
// stops on the event budget, as a review's x2 sizing did.
class FailsAtDoubleLoad final : public InstantRunner {
 public:
  std::vector<RunResult> run(const std::vector<SimInput>& inputs, const OnResult& = {}, const OnProgress& = {}) override {
    std::vector<RunResult> out;
    for (const auto& in : inputs) {
      RunResult r;
      const bool high = std::any_of(in.streams.begin(), in.streams.end(), [](const auto& ex) { return ex.arrival.rate.si() > 0.0015; });
      if (high) {
        r.ok = false;
        r.error = std::string(kEventBudgetExceeded) + ": 100000000 requests created by 5 s simulated of a 10 s run";
        out.push_back(r);
        continue;
      }
      r.ok = true;
      r.edge.utilisation = in.edge.units > 0 ? 0.5 : 0;
      for (const auto& ex : in.streams) {
        StreamResult st;
        st.id = ex.id;
        st.completed = 10000;
        st.slo_percentile = ex.slo.percentile;
        st.slo_latency_s = ex.slo.latency.si();
        st.p99_s = Estimate{0.05, 0.045, 0.055};
        st.slo_met = true;
        r.streams.push_back(st);
      }
      out.push_back(r);
    }
    return out;
  }
};

}  // namespace

TEST_CASE("sensitivity: a sizing at load x2 that stops keeps the plan. the load lines say they were not computed") {
  const Catalogue cat = catalogue();
  const Scenario s = load_scenario(kSrc + "/tests/data/planner/rare.yaml", cat);
  FailsAtDoubleLoad runner;
  PlanOptions o;  // sensitivity on
  Plan p;
  CHECK_NOTHROW(p = make_plan(s, cat, runner, o));
  REQUIRE(p.winner);
  CHECK(has(p.crossover, "load sensitivity not computed"));
  CHECK(has(p.crossover, kEventBudgetExceeded));
  CHECK_FALSE(p.crossover_load.has_value());
  bool electricity = false;
  for (const auto& x : p.sensitivity) {
    CHECK(x.name.rfind("load", 0) != 0);  // no load line from a sizing that did not finish
    electricity = electricity || x.name == "electricity price x2";
  }
  CHECK(electricity);  // the price lines need no simulation and stay
}
