// The planner in-process: analytic bounds against hand-computed numbers, sizing finds the
// smallest passing fleet, the recommendation and its reasons. Simulations run in forked
// children as in the CLI.
#include <doctest/doctest.h>

#include <algorithm>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "sim/hardware/perf_model.hpp"
#include "sim/io/loaders.hpp"
#include "sim/engine/engine.hpp"
#include "sim/core/text.hpp"
#include "sim/cost/tco.hpp"
#include "sim/plan/deployment.hpp"
#include "sim/plan/evaluate.hpp"
#include "sim/plan/fix.hpp"
#include "sim/plan/planner.hpp"
#include "sim/run/runner.hpp"

namespace {

hw::Plan plan_forked(const hw::Scenario& s, const hw::Catalogue& cat, const hw::PlanOptions& o) {
  hw::ForkRunner runner(&hw::simulate, 2);
  return hw::make_plan(s, cat, runner, o);
}

const std::string kSrc = HWPLAN_SOURCE_DIR;

hw::Catalogue catalogue() { return hw::load_catalogue(kSrc + "/hardware_profiles", kSrc + "/scenarios/models"); }

hw::CandidateSpec spec(hw::Family f, const std::string& edge, const std::string& gpu) {
  hw::CandidateSpec c;
  c.family = f;
  c.edge_hardware = edge;
  c.gpu_hardware = gpu;
  return c;
}

const hw::SizedCandidate* find(const hw::Plan& p, hw::Family f, const std::string& hwid) {
  for (const auto& c : p.candidates) {
    const auto& s = c.report.candidate.spec;
    if (s.family == f && (s.edge_hardware == hwid || s.gpu_hardware == hwid)) return &c;
  }
  return nullptr;
}

// A ForkRunner that sets every input's EngineOptions::stop_on_overload first.
class OverloadOption final : public hw::Runner {
 public:
  explicit OverloadOption(bool stop) : stop_(stop) {}
  std::vector<hw::RunResult> run(const std::vector<hw::SimInput>& inputs, const OnResult& on_result = {},
                                 const OnProgress& on_progress = {}) override {
    auto in = inputs;
    for (auto& x : in) x.engine.stop_on_overload = stop_;
    return fork_.run(in, on_result, on_progress);
  }
  void cancel() noexcept override { fork_.cancel(); }
  [[nodiscard]] bool cancelled() const noexcept override { return fork_.cancelled(); }
  [[nodiscard]] int slots() const override { return fork_.slots(); }

 private:
  bool stop_;
  hw::ForkRunner fork_{&hw::simulate, 2};
};

}  // namespace

TEST_CASE("planner: the analytic lower bound is the smallest fleet with utilisation below 1") {
  const auto cat = catalogue();
  const auto s = hw::load_scenario(kSrc + "/tests/data/planner/queue-sizing.yaml", cat);
  hw::CandidateSpec c = spec(hw::Family::edge, "raspberry-pi-5", "");
  const auto rc = hw::resolve_candidate(s, cat, c);
  REQUIRE_FALSE(rc.infeasible);
  // 12 sources x 4 /s per shop, each item one batch-1 service time.
  const double load = 12 * 4.0 * rc.input.streams[0].stages[0].service_s[0];
  const auto b = hw::analytic_bound(s, cat, c);
  CHECK(b.edge_load == doctest::Approx(load));
  // Below 100% busy and below the design's 80% edge cap (design.max_utilisation.edge):
  // max(floor(load / slots) + 1, ceil(load / (slots x 0.8))).
  CHECK(b.units_per_site == std::max(static_cast<int>(std::floor(load / rc.input.edge.slots)) + 1,
                                     static_cast<int>(std::ceil(load / (rc.input.edge.slots * 0.8) - 1e-9))));
  CHECK(b.units_per_site > 1);  // the scenario is built so one unit is overloaded
  CHECK_FALSE(b.reason);
}

TEST_CASE("planner: a WAN round trip longer than the SLO rejects GPU-central without simulating, with the numbers") {
  const auto cat = catalogue();
  const auto s = hw::load_scenario(kSrc + "/tests/data/planner/impossible.yaml", cat);
  hw::CandidateSpec g = spec(hw::Family::gpu, "", "l4x4-server");
  const auto b = hw::analytic_bound(s, cat, g);
  REQUIRE(b.reason);
  // 20 ms each way on the WAN alone exceeds the 2 ms target.
  CHECK(b.floor_s > 0.040);
  CHECK(b.reason->find("2 ms") != std::string::npos);
  CHECK(b.fix.find("closer data centre") != std::string::npos);
  hw::PlanOptions o;
  o.sensitivity = false;
  const auto plan = plan_forked(s, cat, o);
  CHECK_FALSE(plan.winner);
  REQUIRE(plan.closest);
  // Both are screened out without simulating; only the re-check of their fixes simulates.
  CHECK(std::all_of(plan.candidates.begin(), plan.candidates.end(), [](const auto& x) { return x.screened_out; }));
  // The closest is the one whose floor is nearest the target: the GPU path (about 47 ms) beats
  // the Raspberry Pi's ResNet-50 time.
  CHECK(plan.candidates[*plan.closest].report.candidate.spec.family == hw::Family::gpu);
  // Its fix was re-checked: a looser target alone (10% past the 45.7 ms floor: 51 ms) did not
  // hold, because at 4 requests/s a 10 s run completes too few requests to certify a p99 (it
  // was printed as 'no fix found' before the re-check merged fixes of another kind); with a
  // run long enough for them as well, it holds, and the answer says both.
  REQUIRE(plan.candidates[*plan.closest].fix_holds);
  CHECK(*plan.candidates[*plan.closest].fix_holds);
  CHECK(plan.why.find("It becomes feasible with streams[frames].slo.latency = 51 ms, measured over a longer simulation (duration = ") != std::string::npos);
}

TEST_CASE("planner: sizing returns the smallest fleet that passes, and the cheapest feasible candidate wins") {
  const auto cat = catalogue();
  const auto s = hw::load_scenario(kSrc + "/tests/data/planner/queue-sizing.yaml", cat);
  hw::PlanOptions o;
  o.sensitivity = false;
  const auto plan = plan_forked(s, cat, o);
  REQUIRE(plan.winner);
  for (const auto& c : plan.candidates) {
    INFO(c.report.candidate.label);
    if (!c.report.feasible) continue;
    const auto& spec = c.report.candidate.spec;
    if (spec.family == hw::Family::hybrid) continue;
    const int n = spec.family == hw::Family::edge ? spec.units_per_site : spec.servers;
    const int lb = spec.family == hw::Family::edge ? c.bound.units_per_site : c.bound.servers;
    CHECK(n >= lb);
    if (n > lb) {
      // Smallest: one fewer was simulated and failed.
      bool smaller_failed = false;
      for (const auto& p : c.probes) {
        const int m = spec.family == hw::Family::edge ? p.units_per_site : p.servers;
        if (m == n - 1 && !p.feasible) smaller_failed = true;
      }
      CHECK(smaller_failed);
    }
    for (const auto& st : c.report.run.streams) CHECK(st.slo_met);
  }
  // The winner is the cheapest feasible one.
  const double w = plan.candidates[*plan.winner].report.cost.tco;
  for (std::size_t i : plan.ranking) CHECK(plan.candidates[i].report.cost.tco >= w);
  // The Raspberry Pi needs more than its utilisation bound: the SLO, not just throughput, sizes it.
  const auto* pi = find(plan, hw::Family::edge, "raspberry-pi-5");
  REQUIRE(pi != nullptr);
  CHECK(pi->probes.size() >= 2);
}

TEST_CASE("planner: load scaling multiplies arrival rates") {
  const auto cat = catalogue();
  const auto s = hw::load_scenario(kSrc + "/tests/data/planner/queue-sizing.yaml", cat);
  const auto x = hw::scale_load(s, 2.0);
  CHECK(x.streams[0].arrival.rate.si() == doctest::Approx(2 * s.streams[0].arrival.rate.si()));
  hw::CandidateSpec c = spec(hw::Family::edge, "raspberry-pi-5", "");
  CHECK(hw::analytic_bound(x, cat, c).edge_load == doctest::Approx(2 * hw::analytic_bound(s, cat, c).edge_load));
  // Above x1 the duration stays; below, the measured window holds as many requests as at x1:
  // at x0.5 it is twice as long (duration - warmup doubles; the warm-up stays).
  CHECK(x.duration.si() == s.duration.si());
  const auto h = hw::scale_load(s, 0.5);
  CHECK(h.streams[0].arrival.rate.si() == doctest::Approx(0.5 * s.streams[0].arrival.rate.si()));
  CHECK(h.warmup.si() == s.warmup.si());
  CHECK(h.duration.si() - h.warmup.si() == doctest::Approx(2 * (s.duration.si() - s.warmup.si())));
}

TEST_CASE("planner: load scaling multiplies every figure that sets a batch job's work") {
  const auto cat = catalogue();
  auto s = hw::load_scenario(kSrc + "/scenarios/film-rendering.yaml", cat);
  REQUIRE(s.batch_jobs.size() == 1);
  s.batch_jobs[0].steps = 1000;       // as a data-parallel training job would give
  s.batch_jobs[0].parameters = 7e9;
  const auto& j = s.batch_jobs[0];
  const auto x = hw::scale_load(s, 2.0).batch_jobs[0];
  // Work x2: the render samples (6.9e10 -> 1.38e11, what a render time is computed from),
  // the steps (their all-reduces), FLOP, bytes and dataset; the scene and the model stay.
  CHECK(x.render_samples == doctest::Approx(2 * j.render_samples));
  CHECK(x.steps == doctest::Approx(2000));
  CHECK(x.total_flops.si() == doctest::Approx(2 * j.total_flops.si()));
  CHECK(x.total_bytes.si() == doctest::Approx(2 * j.total_bytes.si()));
  CHECK(x.dataset.si() == doctest::Approx(2 * j.dataset.si()));
  CHECK(x.scene_memory.si() == j.scene_memory.si());
  CHECK(x.parameters == j.parameters);
  CHECK(hw::scale_load(s, 0.5).batch_jobs[0].render_samples == doctest::Approx(0.5 * j.render_samples));
}

TEST_CASE("planner: film rendering's load sensitivity prices twice the frames above the scenario's, half below") {
  // The render job's work is its benchmark samples: before they scaled with the load, x0.5,
  // x1 and x2 were all 246k USD (39 L40S either way); doubling render.samples by hand gives
  // 79 L40S and 497k.
  const auto cat = catalogue();
  const auto s = hw::load_scenario(kSrc + "/scenarios/film-rendering.yaml", cat);
  hw::PlanOptions o;
  const auto plan = plan_forked(s, cat, o);
  REQUIRE(plan.winner);
  const double tco = plan.candidates[*plan.winner].report.cost.tco;
  const hw::SensitivityCase *x2 = nullptr, *half = nullptr;
  for (const auto& c : plan.sensitivity) {
    if (c.name == "load x2") x2 = &c;
    if (c.name == "load x0.5") half = &c;
  }
  REQUIRE(x2 != nullptr);
  REQUIRE(half != nullptr);
  REQUIRE_FALSE(x2->winner.empty());
  REQUIRE_FALSE(half->winner.empty());
  // Twice the samples need about twice the devices before the same deadline: well above x1
  // (more than 1.5x), half of them well below (less than 0.75x).
  CHECK(x2->winner_tco > 1.5 * tco);
  CHECK(half->winner_tco < 0.75 * tco);
}

TEST_CASE("planner: a rejected candidate is shown at its closest probe, and every target its fix changes has its reason") {
  // ADAS's split hybrid misses the 50 ms p99 at every size (50.9, 51.1 and 51.6 ms at 1, 2
  // and 3 units per site when the review ran it): it is shown at the probe closest to the
  // target, and the looser target it needs quotes that probe's figure. Its GPU-central is
  // screened out for a busy backhaul and never simulated; the re-plan with a faster link then
  // misses the latency target, so its fix also loosens the target: that reason is listed too.
  const auto cat = catalogue();
  const auto s = hw::load_scenario(kSrc + "/scenarios/adas-train-infer-iterate.yaml", cat);
  hw::PlanOptions o;
  o.sensitivity = false;
  const auto plan = plan_forked(s, cat, o);
  int shown = 0, answered = 0;
  for (const auto& c : plan.candidates) {
    INFO(c.report.candidate.label);
    if (c.report.feasible) continue;
    if (!c.screened_out && !c.report.run.streams.empty() && c.probes.size() > 1) {
      const auto& st = c.report.run.streams[c.report.worst_stream];
      const double ratio = std::max(1.0, st.p99_s.value / st.slo_latency_s);
      for (const auto& p : c.probes) {
        if (p.slo_s > 0) CHECK(ratio <= std::max(1.0, p.p99_s / p.slo_s) + 1e-12);
      }
      if (c.fix.find("target above") != std::string::npos) CHECK(c.fix.find(hw::sig3(st.p99_s.value * 1e3) + " ms") != std::string::npos);
      ++shown;
    }
    for (const auto& f : c.fix_changes) {
      if (f.what != hw::FixChange::What::slo_latency && f.what != hw::FixChange::What::job_deadline) continue;
      INFO(hw::describe(f));
      CHECK(std::any_of(c.report.binding.begin(), c.report.binding.end(), [&](const hw::Reason& r) { return hw::answers(f, r); }));
      ++answered;
    }
  }
  CHECK(shown >= 1);     // the split hybrid
  CHECK(answered >= 2);  // the hybrid's target and GPU-central's
  const auto* g = find(plan, hw::Family::gpu, "l4x4-server");
  REQUIRE(g != nullptr);
  if (g->screened_out) {
    const bool found = std::any_of(g->report.binding.begin(), g->report.binding.end(),
                                   [](const hw::Reason& r) { return r.at("found_on_recheck") != 0; });
    const bool target = std::any_of(g->fix_changes.begin(), g->fix_changes.end(),
                                    [](const hw::FixChange& f) { return f.what == hw::FixChange::What::slo_latency; });
    CHECK(found == target);
  }
}

TEST_CASE("planner: batch jobs get the fewest servers that finish before the deadline") {
  const auto cat = catalogue();
  const auto s = hw::load_scenario(kSrc + "/tests/data/planner/training.yaml", cat);
  hw::PlanOptions o;
  o.sensitivity = false;
  const auto plan = plan_forked(s, cat, o);
  REQUIRE(plan.winner);
  int checked = 0;
  for (const auto& c : plan.candidates) {
    INFO(c.report.candidate.label);
    if (!c.report.feasible || c.report.candidate.spec.family != hw::Family::gpu) continue;
    const auto& in = c.report.candidate.input;
    REQUIRE(in.jobs.size() == 1);
    REQUIRE(c.report.run.jobs.size() == 1);
    const auto& job = in.jobs[0];
    const auto& res = c.report.run.jobs[0];
    CHECK(res.deadline_met);
    CHECK(res.makespan_s <= job.deadline_s);
    // One server fewer would miss the deadline, or fall below the job's minimum devices.
    const int n = in.dc.units;
    if (n > 1 && (n - 1) * in.dc.slots >= s.batch_jobs[0].min_devices) {
      const double upload = 0.010 + s.batch_jobs[0].dataset.si() * 8.0 / 1e9;
      CHECK(upload + job.single_device_s / hw::job_speedup((n - 1) * in.dc.slots, job.scaling_efficiency) > job.deadline_s);
    }
    ++checked;
  }
  CHECK(checked >= 1);
  CHECK(plan.why.find("deadline") != std::string::npos);
}

TEST_CASE("planner: sensitivity finds the load at which the winner flips") {
  const auto cat = catalogue();
  const auto s = hw::load_scenario(kSrc + "/tests/data/planner/crossover.yaml", cat);
  hw::PlanOptions o;
  const auto plan = plan_forked(s, cat, o);
  REQUIRE(plan.winner);
  CHECK(plan.candidates[*plan.winner].report.candidate.spec.family == hw::Family::edge);
  REQUIRE(plan.sensitivity.size() == 4);
  const hw::SensitivityCase* x2 = nullptr;
  const hw::SensitivityCase* half = nullptr;
  for (const auto& c : plan.sensitivity) {
    if (c.name == "load x2") x2 = &c;
    if (c.name == "load x0.5") half = &c;
  }
  REQUIRE(x2 != nullptr);
  REQUIRE(half != nullptr);
  CHECK(x2->changes);
  CHECK(x2->family == hw::Family::gpu);
  CHECK_FALSE(half->changes);
  REQUIRE(plan.crossover_load);
  CHECK(*plan.crossover_load > 1.0);
  CHECK(*plan.crossover_load < 2.0);
  // Check the bracket independently: just above the crossover the GPU server is cheaper.
  const double above = *plan.crossover_load * 1.1;
  const auto scaled = hw::scale_load(s, above);
  hw::PlanOptions q = o;
  q.sensitivity = false;
  const auto at = plan_forked(scaled, cat, q);
  REQUIRE(at.winner);
  CHECK(at.candidates[*at.winner].report.candidate.spec.family == hw::Family::gpu);
}

TEST_CASE("planner: price crossovers are exact: just past the multiplier the other candidate is cheaper") {
  const auto cat = catalogue();
  const auto s = hw::load_scenario(kSrc + "/tests/data/planner/crossover.yaml", cat);
  hw::PlanOptions o;
  o.sensitivity = true;
  const auto plan = plan_forked(s, cat, o);
  REQUIRE(plan.winner);
  REQUIRE_FALSE(plan.price_flips.empty());
  for (const auto& f : plan.price_flips) {
    INFO(f.price << " x" << f.multiplier);
    auto at = [&](double m) {
      hw::Costs k = s.costs;
      if (f.price == "electricity price") k.electricity.per_si *= m;
      else k.bandwidth.per_si *= m;
      const double w = hw::price_deployment(k, plan.candidates[*plan.winner].report.cost_inputs).tco;
      const double x = hw::price_deployment(k, plan.candidates[f.candidate].report.cost_inputs).tco;
      return x - w;  // < 0: the other candidate is cheaper
    };
    const bool rising = f.multiplier > 1;
    CHECK(at(rising ? f.multiplier * 1.01 : f.multiplier * 0.99) < 0);
    CHECK(at(rising ? f.multiplier * 0.99 : f.multiplier * 1.01) > 0);
  }
}

TEST_CASE("planner: an edge unit with an accelerator runs the stages the accelerator can, the rest on the host") {
  const auto cat = catalogue();
  auto s = hw::load_scenario(kSrc + "/scenarios/factory-vision.yaml", cat);
  // Make the second stage ask for fp16, which the INT8-only Hailo-8 cannot run.
  s.streams[0].pipeline[1].precision = hw::Precision::fp16;
  hw::CandidateSpec c = spec(hw::Family::edge, "raspberry-pi-5", "");
  c.edge_accelerator = "hailo-8";
  const auto rc = hw::resolve_candidate(s, cat, c);
  REQUIRE_FALSE(rc.infeasible);
  const auto& pi = cat.profile("raspberry-pi-5");
  const auto& hailo = cat.profile("hailo-8");
  const auto& st = rc.input.streams[0].stages;
  const auto detect = hw::batch_time(hailo, cat.model("yolov8s"), hw::Precision::int8, 1).total.si();
  CHECK(st[0].service_s[0] == doctest::Approx(detect));
  const auto p_host = *hw::choose_precision(pi, cat.model("resnet50"), hw::Precision::fp16);
  const auto classify = hw::batch_time(pi, cat.model("resnet50"), p_host, 1).total.si();
  CHECK(st[1].service_s[0] == doctest::Approx(classify));
  CHECK(rc.input.edge.power_max.si() == doctest::Approx(pi.power_max.si() + hailo.power_max.si()));
  CHECK(rc.label.find("raspberry-pi-5+hailo-8") != std::string::npos);
  bool host_note = false;
  for (const auto& n : rc.notes) host_note = host_note || n.find("stays on the raspberry-pi-5 host") != std::string::npos;
  CHECK(host_note);
  hw::CandidateReport r;
  r.candidate = rc;
  const auto ci = hw::cost_inputs(s, cat, r);
  CHECK(ci.edge_unit_price == doctest::Approx(pi.price.amount + hailo.price.amount));
}

TEST_CASE("planner: a site power budget bounds the search from above without skipping the size that fits") {
  const auto cat = catalogue();
  const auto s = hw::load_scenario(kSrc + "/tests/data/planner/power-budget.yaml", cat);
  hw::PlanOptions o;
  o.sensitivity = false;
  const auto plan = plan_forked(s, cat, o);
  REQUIRE(plan.winner);
  const auto& w = plan.candidates[*plan.winner].report;
  const double unit_w = cat.profile("raspberry-pi-5").power_max.si();
  // Within the budget, and every probe stayed within it.
  CHECK(w.candidate.spec.units_per_site * unit_w <= s.constraints.site_power_budget->si());
  for (const auto& p : plan.candidates[*plan.winner].probes) CHECK(p.units_per_site * unit_w <= s.constraints.site_power_budget->si());
}

TEST_CASE("planner: the busiest site kind drives sizing, not the average over kinds") {
  const auto cat = catalogue();
  const auto s = hw::load_scenario(kSrc + "/tests/data/planner/site-kinds.yaml", cat);
  hw::PlanOptions o;
  o.sensitivity = false;
  const auto plan = plan_forked(s, cat, o);
  REQUIRE(plan.winner);
  // One unit is ~76% busy at the big site with exponential service: a 700 ms p99 needs more.
  CHECK(plan.candidates[*plan.winner].report.candidate.spec.units_per_site >= 2);
}

TEST_CASE("evaluate: an overloaded candidate stopped early is judged by its overload figures. without the stop, as before") {
  const auto cat = catalogue();
  const auto s = hw::load_scenario(kSrc + "/tests/data/planner/queue-sizing.yaml", cat);
  hw::CandidateSpec c = spec(hw::Family::edge, "raspberry-pi-5", "");
  c.units_per_site = 1;  // below the analytic bound: one unit is offered more than it serves
  OverloadOption stop(true), run_on(false);
  const auto stopped = hw::evaluate_candidates(s, cat, {c}, stop);
  REQUIRE(stopped.size() == 1);
  const auto& r = stopped[0];
  INFO("reason: " << r.reason << "; stop: " << r.run.stop_reason);
  REQUIRE(r.run.overload);
  CHECK_FALSE(r.feasible);
  CHECK(r.run.overload->where == "edge tier");
  CHECK(r.run.overload->offered > r.run.overload->capacity);
  CHECK(r.run.simulated_time_s < 20.0);  // 30 s duration, stopped early
  CHECK(r.reason.rfind("frames: overloaded: edge tier offered ", 0) == 0);
  CHECK(r.reason.find("items/s capacity") != std::string::npos);
  const auto full = hw::evaluate_candidates(s, cat, {c}, run_on);
  REQUIRE(full.size() == 1);
  INFO("reason without the stop: " << full[0].reason);
  CHECK_FALSE(full[0].run.overload);
  CHECK_FALSE(full[0].feasible);
  CHECK(full[0].run.simulated_time_s >= 30.0);
  CHECK(full[0].reason.find("requests still queued when the run stopped") != std::string::npos);
}

TEST_CASE("planner: a reason found at a fix's re-check is labelled with that run's changes (ADAS GPU-central)") {
  // GPU-central is screened out for its 72%-busy 50 Mbps backhaul and never simulated as
  // written; the re-check with a faster backhaul misses the latency target. That miss is
  // listed, with the changes of the run that measured it, before its figures.
  const auto cat = catalogue();
  const auto s = hw::load_scenario(kSrc + "/scenarios/adas-train-infer-iterate.yaml", cat);
  hw::PlanOptions o;
  o.sensitivity = false;
  const auto plan = plan_forked(s, cat, o);
  const auto* g = find(plan, hw::Family::gpu, "l4x4-server");
  REQUIRE(g != nullptr);
  REQUIRE_FALSE(g->report.feasible);
  int found = 0;
  for (const auto& r : g->report.binding) {
    const std::string text = hw::describe(r);
    INFO(text);
    if (r.at("found_on_recheck") == 0) {
      CHECK(r.rechecked_with.empty());
      CHECK(text.find("re-checked") == std::string::npos);
      continue;
    }
    ++found;
    CHECK(r.rechecked_with.find("sites[vehicle].backhaul.bandwidth") != std::string::npos);
    CHECK(text.rfind("found when the fix was re-checked with " + r.rechecked_with + ": ", 0) == 0);
    if (r.kind == hw::ReasonKind::slo_missed && !r.detail.empty() && r.at("link_peak") <= s.design.max_link_utilisation) {
      CHECK(text.find("within the") != std::string::npos);
      CHECK(text.find("above the") == std::string::npos);
    }
  }
  const bool target = std::any_of(g->fix_changes.begin(), g->fix_changes.end(),
                                  [](const hw::FixChange& f) { return f.what == hw::FixChange::What::slo_latency; });
  CHECK(found == (target && g->screened_out ? 1 : 0));
}

TEST_CASE("evaluate: an LLM stream is priced per million of its offered load, and its bytes cross the backhaul (chat, H200)") {
  // 8 offices x 25 conversations x 0.059 /s = 11.8 requests/s offered, x 338 mean output tokens
  // = 3988.4 tokens/s. Priced on what a 60 s window happened to complete, the cost per million
  // moved +-4% with the seed while the TCO did not; on the offered load it is the TCO over
  // 11.8/s x 3 years whatever the seed. The traffic: 11.8/s x 2 KB up and ~3988 tokens/s x
  // 100 B down, ~36.5 GB/day, all over the offices' backhaul (served in the data centre).
  const auto cat = catalogue();
  auto s = hw::load_scenario(kSrc + "/scenarios/llm-chat-serving.yaml", cat);
  const auto h200 = std::find_if(s.candidates.begin(), s.candidates.end(), [](const hw::CandidateSpec& c) { return c.gpu_hardware == "nvidia-h200-sxm"; });
  REQUIRE(h200 != s.candidates.end());
  const double horizon = s.costs.horizon.si();
  const double per_day = (11.8 * 2000.0 + 11.8 * 338.0 * 100.0) * 86400.0;
  std::vector<double> per_million;
  for (std::uint64_t seed : {3, 7}) {
    s.seed = seed;
    hw::ForkRunner runner(&hw::simulate, 1);
    const auto reports = hw::evaluate_candidates(s, cat, {*h200}, runner);
    REQUIRE(reports.size() == 1);
    const auto& r = reports[0];
    REQUIRE(r.run.ok);
    INFO("seed " << seed);
    CHECK(r.cost.cost_per_million == doctest::Approx(r.cost.tco / (11.8 * horizon) * 1e6).epsilon(1e-9));
    CHECK(r.cost.cost_per_million_output_tokens == doctest::Approx(r.cost.tco / (11.8 * 338.0 * horizon) * 1e6).epsilon(1e-9));
    per_million.push_back(r.cost.cost_per_million);
    // The measured throughput stays what the window completed (a sample around 11.8/s).
    REQUIRE(r.run.streams.size() == 1);
    CHECK(r.run.streams[0].throughput_per_s == doctest::Approx(11.8).epsilon(0.1));
    // Bytes per day: a sample of the offered ~36.5 GB/day on the run and its backhaul link;
    // the bandwidth cost (0.05 USD/GB) is priced on the offered bytes themselves, 666.1 USD/year
    // whatever the seed (sim/plan/evaluate.hpp OfferedLoad).
    CHECK(r.run.backhaul_bytes_per_day == doctest::Approx(per_day).epsilon(0.12));
    const auto link = std::find_if(r.run.links.begin(), r.run.links.end(), [](const hw::LinkResult& l) { return l.name == "backhaul:office"; });
    REQUIRE(link != r.run.links.end());
    CHECK(link->bytes_per_day == doctest::Approx(r.run.backhaul_bytes_per_day));
    CHECK(link->peak_utilisation > 0.0);
    CHECK(r.cost.bandwidth_per_year == doctest::Approx(per_day * 365.0 * 0.05 / 1e9).epsilon(1e-9));
  }
  // Nothing in the TCO is a sample of the window any more (the bytes were, moving it by a few
  // USD a year): the cost per million is the same whatever the seed.
  CHECK(per_million[0] == doctest::Approx(per_million[1]).epsilon(1e-12));
}

TEST_CASE("planner: the bandwidth priced (offered bytes) is what a long simulated run measures, within its sampling error") {
  // iot-predictive-maintenance's Orin Nano + EPYC hybrid: the flagged 10% of diagnosis records
  // (51.2 KB) cross to the classifier and 256 B come back; protection never leaves the plant
  // (dropped here: it only slows the run). 30 sensors x 6/min = 3 records/s at the simulated
  // plant; over 20 000 s, n = 60 000 records, each forwarded with p = 0.1: the crossings are
  // binomial, sd = sqrt(n p (1 - p)) = 73.5 of 6000 (1.2%). The run's bytes per day are a
  // sample of the offered 13.337 GB/day (3 x 51 456 B/s over the 10 plants) within 4 sd.
  const auto cat = catalogue();
  auto s = hw::load_scenario(kSrc + "/scenarios/iot-predictive-maintenance.yaml", cat);
  s.streams.erase(std::remove_if(s.streams.begin(), s.streams.end(), [](const hw::Stream& st) { return st.id == "protection"; }),
                  s.streams.end());
  s.duration = hw::Seconds(20003.0);
  const auto spec = std::find_if(s.candidates.begin(), s.candidates.end(), [](const hw::CandidateSpec& c) {
    return c.family == hw::Family::hybrid && c.edge_hardware == "jetson-orin-nano-super";
  });
  REQUIRE(spec != s.candidates.end());
  hw::ForkRunner runner(&hw::simulate, 1);
  const auto reports = hw::evaluate_candidates(s, cat, {*spec}, runner);
  REQUIRE(reports.size() == 1);
  const auto& r = reports[0];
  REQUIRE(r.run.ok);
  const double offered = 3 * (51200.0 + 256.0) * 86400.0;
  CHECK(r.cost_inputs.backhaul_bytes_per_day == doctest::Approx(offered));
  const double n = 3.0 * 20000.0, p = 0.1;
  const double tolerance = 4 * std::sqrt(n * p * (1 - p)) / (n * p);
  INFO("measured " << r.run.backhaul_bytes_per_day << " B/day, offered " << offered);
  CHECK(std::abs(r.run.backhaul_bytes_per_day / offered - 1) <= tolerance);
}

TEST_CASE("evaluate: constraints.backhaul_cap judges the offered bytes, the same at every seed") {
  // The same hybrid: 3 x 51 456 B/s offered over the 10 plants, 123.5 kbit/s per plant. The
  // window's sample of it moves with the seed (binomial crossings); before, a cap just above
  // the offered figure rejected the candidate at some seeds and not at others, and the
  // rejection's figure was the sample's.
  const auto cat = catalogue();
  auto s = hw::load_scenario(kSrc + "/scenarios/iot-predictive-maintenance.yaml", cat);
  const auto spec = std::find_if(s.candidates.begin(), s.candidates.end(), [](const hw::CandidateSpec& c) {
    return c.family == hw::Family::hybrid && c.edge_hardware == "jetson-orin-nano-super";
  });
  REQUIRE(spec != s.candidates.end());
  double plants = 0;
  for (const auto& site : s.sites) plants += site.count;
  REQUIRE(plants == 10);
  const double per_plant_bps = 3 * (51200.0 + 256.0) * 8.0 / plants;
  auto cap_reasons = [&](double cap, std::uint64_t seed) {
    auto x = s;
    x.seed = seed;
    x.constraints.backhaul_cap = hw::BitsPerSecond(cap);
    hw::ForkRunner runner(&hw::simulate, 1);
    const auto reports = hw::evaluate_candidates(x, cat, {*spec}, runner);
    REQUIRE(reports.size() == 1);
    REQUIRE(reports[0].run.ok);
    std::vector<hw::Reason> out;
    for (const auto& r : reports[0].binding) {
      if (r.kind == hw::ReasonKind::backhaul_cap) out.push_back(r);
    }
    return out;
  };
  for (std::uint64_t seed : {11u, 12u, 13u}) {
    CAPTURE(seed);
    CHECK(cap_reasons(per_plant_bps * 1.001, seed).empty());
    const auto below = cap_reasons(per_plant_bps * 0.999, seed);
    REQUIRE(below.size() == 1);
    CHECK(below[0].figure == doctest::Approx(per_plant_bps).epsilon(1e-9));
  }
}

TEST_CASE("evaluate: a batch job beside streams adds its own energy once per run, where it runs, not with every site") {
  // The same scenario with and without its daily job. The job's power above idle, spread
  // over the year (compute time x runs per year), is the whole difference in the tier that
  // runs it. Before, the edge-only job's site was scaled to all 50 stores and its full-load
  // window taken as the whole year's power: the difference was ~50 units x 10 W.
  const auto cat = catalogue();
  const auto with_job = hw::load_scenario(kSrc + "/tests/data/planner/streams-and-job.yaml", cat);
  auto without = with_job;
  without.batch_jobs.clear();
  for (const auto& c : {spec(hw::Family::edge, "jetson-orin-nano-super", ""), spec(hw::Family::hybrid, "jetson-orin-nano-super", "nvidia-l4")}) {
    hw::CandidateSpec cs = c;
    cs.units_per_site = 1;
    if (cs.family == hw::Family::hybrid) {
      cs.servers = 1;
      cs.edge_stages = 1;
    }
    CAPTURE(static_cast<int>(cs.family));
    hw::ForkRunner runner(&hw::simulate, 2);
    const auto a = hw::evaluate_candidates(with_job, cat, {cs}, runner);
    const auto b = hw::evaluate_candidates(without, cat, {cs}, runner);
    REQUIRE(a.size() == 1);
    REQUIRE(b.size() == 1);
    REQUIRE(a[0].run.ok);
    REQUIRE(b[0].run.ok);
    REQUIRE(a[0].run.jobs.size() == 1);
    const auto& in = a[0].candidate.input;
    const bool dc = in.jobs[0].tier == hw::Tier::dc;
    CHECK(dc == (cs.family == hw::Family::hybrid));
    const hw::TierSpec& ts = dc ? in.dc : in.edge;
    const double expected = (ts.power_max.si() - ts.power_idle.si()) / ts.slots * a[0].run.jobs[0].devices * a[0].run.jobs[0].compute_s * 365.0 /
                            (365.0 * 86400.0);
    const auto& ca = a[0].cost_inputs;
    const auto& cb = b[0].cost_inputs;
    const double job_tier = dc ? ca.dc_power_w - cb.dc_power_w : ca.edge_power_w - cb.edge_power_w;
    const double other_tier = dc ? ca.edge_power_w - cb.edge_power_w : ca.dc_power_w - cb.dc_power_w;
    CHECK(expected > 0);
    // The streams' services share cores with the job's executions in the window: a little
    // more busy time, within a few percent of the tier's power.
    INFO("job tier: " << job_tier << " W added, expected " << expected << " W; other tier " << other_tier << " W");
    CHECK(std::abs(job_tier - expected) <= 0.03 * (dc ? cb.dc_power_w : cb.edge_power_w));
    CHECK(std::abs(other_tier) <= 0.03 * std::max(1.0, dc ? cb.edge_power_w : cb.dc_power_w));
  }
}

namespace {
// factory-vision with one slow camera per plant (1 frame/s, sent and inspected): a simulated plant completes
// about 35 requests in the 40 s run (5 s warm-up), too few for a p99 (100 are needed), while
// the data centre, fed by all 12 plants, completes about 420.
hw::Scenario one_slow_camera_per_plant(const hw::Catalogue& cat) {
  auto s = hw::load_scenario(kSrc + "/scenarios/factory-vision.yaml", cat);
  REQUIRE(s.streams.size() == 1);
  s.streams[0].sources = 1;
  s.streams[0].arrival.rate = hw::PerSecond(1.0);
  REQUIRE(s.streams[0].video.has_value());
  s.streams[0].video->fps = hw::PerSecond(1.0);  // the camera sends the frames inspected
  return s;
}
}  // namespace

TEST_CASE("planner: a candidate whose own run is too short to certify its p99 is judged on a longer run, said so") {
  // Before: the edge loop was rejected for too few requests ("re-checked: feasible with a
  // longer simulation"), though the run's length is the planner's to choose, and a dearer
  // candidate won (or none, where residency left only the edge).
  const auto cat = catalogue();
  auto s = one_slow_camera_per_plant(cat);
  s.candidates.erase(std::remove_if(s.candidates.begin(), s.candidates.end(),
                                    [](const hw::CandidateSpec& c) { return c.family != hw::Family::edge; }),
                     s.candidates.end());
  REQUIRE(s.candidates.size() == 1);
  hw::PlanOptions o;
  o.sensitivity = false;
  const auto plan = plan_forked(s, cat, o);
  REQUIRE(plan.winner.has_value());
  const auto& w = plan.candidates[*plan.winner];
  CHECK(w.report.feasible);
  CHECK(w.longer_run_s >= 5 + 100 / 1.0);  // warm-up + 100 requests at 1 /s
  CHECK(w.report.run.streams.at(0).completed >= 100);
  CHECK(w.longer_run.find("simulated for") == 0);
  CHECK(w.longer_run.find("not enough requests") != std::string::npos);
  CHECK(std::find(w.report.candidate.notes.begin(), w.report.candidate.notes.end(), w.longer_run) != w.report.candidate.notes.end());
  CHECK(plan.why.find("Its figures are from a longer run: simulated for") != std::string::npos);
}

TEST_CASE("planner: the load sensitivity judges a candidate on a longer run too, not 'nothing feasible' for too few requests") {
  // Before: the winner above, 0.4% busy, was re-sized at x0.5 and x2 on the scenario's 40 s
  // alone and rejected for too few requests: "load x2: nothing feasible" and "from x1.04 no
  // candidate is feasible".
  const auto cat = catalogue();
  auto s = one_slow_camera_per_plant(cat);
  s.candidates.erase(std::remove_if(s.candidates.begin(), s.candidates.end(),
                                    [](const hw::CandidateSpec& c) { return c.family != hw::Family::edge; }),
                     s.candidates.end());
  const auto plan = plan_forked(s, cat, hw::PlanOptions{});
  REQUIRE(plan.winner.has_value());
  int load_cases = 0;
  for (const auto& c : plan.sensitivity) {
    if (c.name.rfind("load", 0) != 0) continue;
    ++load_cases;
    INFO(c.name << ": " << c.why_none);
    CHECK(c.winner_tco > 0);
    CHECK(c.why_none.find("not enough requests") == std::string::npos);
  }
  CHECK(load_cases >= 2);
  INFO(plan.crossover);
  CHECK(plan.crossover.find("no candidate is feasible") == std::string::npos);
}

TEST_CASE("deployment: data residency forbids the retraining loop's upload of raw samples from the sites") {
  // Before: the edge loop passed residency while uploading 0.1% of its raw frames to the data
  // centre for training (counted in its backhaul, priced, but not judged).
  const auto cat = catalogue();
  auto s = hw::load_scenario(kSrc + "/scenarios/factory-vision.yaml", cat);
  s.constraints.data_residency = true;
  REQUIRE(s.retraining.has_value());
  const auto edge = std::find_if(s.candidates.begin(), s.candidates.end(), [](const hw::CandidateSpec& c) { return c.family == hw::Family::edge; });
  REQUIRE(edge != s.candidates.end());
  const auto rc = hw::resolve_candidate(s, cat, *edge);
  REQUIRE(rc.infeasible.has_value());
  CHECK(rc.infeasible->find("data residency forbids the retraining loop's upload of 0.1% of its raw 150 KB payloads") != std::string::npos);
  REQUIRE(rc.infeasible_fix.has_value());
  CHECK(rc.infeasible_fix->find("retraining.upload_fraction: 0") == 0);
  // Without uploads, the loop keeps its data on site: allowed.
  s.retraining->upload_fraction = 0;
  CHECK_FALSE(hw::resolve_candidate(s, cat, *edge).infeasible.has_value());
}

TEST_CASE("planner: with a bandwidth price of 0, the price crossover is given as a price, not 'no price change'") {
  // x2 of 0 is 0: before, the line said no price change makes another candidate cheaper. TCO
  // is linear in the price, so the crossover is where the winner's line meets the first
  // candidate whose TCO grows slower: recomputed here from the plan's own costs.
  const auto cat = catalogue();
  auto s = one_slow_camera_per_plant(cat);
  s.costs.bandwidth.per_si = 0;
  s.streams[0].slo.latency = hw::Seconds(0.2);  // room for the round trip to the data centre
  s.candidates.erase(std::remove_if(s.candidates.begin(), s.candidates.end(),
                                    [](const hw::CandidateSpec& c) { return c.family == hw::Family::edge; }),
                     s.candidates.end());
  const auto plan = plan_forked(s, cat, hw::PlanOptions{});
  REQUIRE(plan.winner.has_value());
  std::string line;
  for (const auto& l : plan.price_crossovers) {
    if (l.rfind("bandwidth price:", 0) == 0) line = l;
  }
  INFO(line);
  REQUIRE(line.rfind("bandwidth price: 0 in the scenario; ", 0) == 0);
  // The GPU-central winner sends every frame (150 KB x 12 plants /s) over the WAN, the hybrid
  // only the 10% of crops (20 KB) it forwards: the hybrid wins above some price.
  const auto& w = plan.candidates[*plan.winner];
  CHECK(w.report.candidate.spec.family == hw::Family::gpu);
  CHECK(line.find(" hybrid jetson-orin-nano-super") != std::string::npos);
  const auto above = line.find("above ");
  REQUIRE(above != std::string::npos);
  const double price = std::stod(line.substr(above + 6));
  const auto* e = find(plan, hw::Family::hybrid, "jetson-orin-nano-super");
  REQUIRE(e != nullptr);
  REQUIRE(e->report.feasible);
  // At that price (per GB) the two TCOs meet: each priced again with its own cost inputs.
  hw::Costs at = s.costs;
  at.bandwidth.per_si = price * 1e-9;
  const double tw = hw::price_deployment(at, w.report.cost_inputs).tco, te = hw::price_deployment(at, e->report.cost_inputs).tco;
  CHECK(tw == doctest::Approx(te).epsilon(0.01));
  CHECK(tw > w.report.cost.tco);  // and the price moved the winner's TCO
}

TEST_CASE("planner: a stream late behind a busy link is offered more bandwidth before a looser target (agri GPU-central)") {
  // The reviewers' agri2.yaml (/tmp/rev-newuser2), GPU-central alone: 120 farms, 3 drones at
  // 5 frames/s by day, 120 KB frames over a 20 Mbps LTE backhaul, p99 150 ms. Screened out
  // for the 72%-busy backhaul; the re-check at 23 Mbps (70%) missed 150 ms at 660 ms with the
  // link 71% busy, and the advice was "backhaul 26 Mbps and slo.latency = 730 ms", a target
  // 5x looser, while the reviewers measured 60 Mbps alone meeting 150 ms (agri-gpu60.yaml).
  const auto cat = catalogue();
  const std::string yaml = R"(name: agri gpu
seed: 5
duration: 30 s
warmup: 3 s
sites:
  - {id: farm, count: 120, access: {type: wifi6}, backhaul: {type: lte}}
streams:
  - id: weeds
    site: farm
    sources: 3
    arrival:
      process: diurnal
      rate: 5 /s
      hourly: [1,1,1,1,1,1,1,1,1,0.8,0.4,0,0,0,0,0,0,0,0,0,0,0.2,0.6,1]
    payload: 120 KB
    result: 500 B
    pipeline:
      - {id: detect, model: yolov8s, precision: int8, output: 30 KB}
      - {id: species, model: resnet50, precision: int8, fraction: 20 %}
    slo: {percentile: 99, latency: 150 ms, max_violation: 1 %}
costs: {currency: USD, horizon: 3 y, electricity: 0.15 USD/kWh, bandwidth: 2 USD/GB, gpu_hour: 2.21 USD/h}
candidates:
  - {family: gpu, hardware: nvidia-l4, batching: {max_batch: 8, max_wait: 5 ms}}
)";
  const std::string path = (std::filesystem::temp_directory_path() / (std::to_string(::getpid()) + "-agri-gpu.yaml")).string();
  std::ofstream(path) << yaml;
  const auto s = hw::load_scenario(path, cat);
  std::remove(path.c_str());
  hw::PlanOptions o;
  o.sensitivity = false;
  const auto plan = plan_forked(s, cat, o);
  const auto* g = find(plan, hw::Family::gpu, "nvidia-l4");
  REQUIRE(g != nullptr);
  REQUIRE_FALSE(g->report.feasible);
  INFO(g->fix, " / ", g->fix_tried);
  // Bandwidth alone, re-checked: no looser target.
  REQUIRE(g->fix_holds);
  CHECK(*g->fix_holds);
  CHECK_FALSE(std::any_of(g->fix_changes.begin(), g->fix_changes.end(),
                          [](const hw::FixChange& f) { return f.what == hw::FixChange::What::slo_latency; }));
  const auto bw = std::find_if(g->fix_changes.begin(), g->fix_changes.end(),
                               [](const hw::FixChange& f) { return f.what == hw::FixChange::What::backhaul_bandwidth; });
  REQUIRE(bw != g->fix_changes.end());
  CHECK(bw->subject == "farm");
  // Within 1.5x of the 60 Mbps measured to suffice (the M/M/1 estimate overstates, never
  // understates, and the fix figure is 10% past it).
  CHECK(bw->value > 26e6);
  CHECK(bw->value <= 90e6);
}

// A diurnal stream's start hour (review of 2026-12-03, agri-drones.yaml): hour 0 began at
// simulated time 0, so a 30 s run of a profile dark at midnight measured nothing, the planner
// suggested "a longer simulation (duration = 3.4 s)" (rate x sources, the multiplier ignored)
// and recommended nothing.
TEST_CASE("engine: a diurnal stream's arrivals in its first hours follow hourly[start_hour], hourly[start_hour + 1]") {
  const auto cat = catalogue();
  auto s = hw::load_scenario(kSrc + "/tests/data/planner/diurnal-dark-night.yaml", cat);
  s.sites[0].count = 1;
  s.streams[0].sources = 1;
  s.streams[0].arrival.rate = hw::PerSecond(1);
  const auto rc = hw::resolve_candidate(s, cat, s.candidates.at(0));
  REQUIRE_FALSE(rc.infeasible);
  const std::vector<double>& hourly = s.streams[0].arrival.hourly;
  struct Case {
    std::optional<int> start;
    double hours;
  };
  const std::vector<Case> cases{{std::nullopt, 1}, {5, 1}, {17, 1}, {16, 2}, {0, 1}};
  std::vector<hw::SimInput> inputs;
  for (const auto& c : cases) {
    hw::SimInput in = rc.input;
    in.streams.at(0).arrival.start_hour = c.start;
    in.duration = hw::Seconds(3600 * c.hours);
    in.warmup = hw::Seconds(0);
    in.target_precision = 0;
    inputs.push_back(in);
  }
  hw::ForkRunner runner(&hw::simulate, 2);
  const auto results = runner.run(inputs);
  REQUIRE(results.size() == cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const int first = cases[i].start ? *cases[i].start : 7;  // unset: the busiest hour, 07:00
    double expected = 0;
    for (int h = 0; h < cases[i].hours; ++h) expected += 3600 * hourly[static_cast<std::size_t>((first + h) % 24)];
    REQUIRE(results[i].ok);
    const auto& st = results[i].streams.at(0);
    const double created = static_cast<double>(st.completed + st.unfinished + st.dropped);
    INFO("start hour " << first << ", " << cases[i].hours << " h: " << created << " requests, expected " << expected);
    // A Poisson count: within 5 standard deviations (sqrt of the mean) of rate x 3600 x multiplier.
    CHECK(std::abs(created - expected) <= 5 * std::sqrt(std::max(expected, 1.0)));
  }
}

TEST_CASE("planner: a short run of a diurnal stream dark at midnight is sized at its busiest hour") {
  const auto cat = catalogue();
  const auto s = hw::load_scenario(kSrc + "/tests/data/planner/diurnal-dark-night.yaml", cat);
  REQUIRE_FALSE(s.streams[0].arrival.start_hour);
  // The bound sees the peak: 15 /s per farm at multiplier 1 (was 0: hour 0).
  const auto b = hw::analytic_bound(s, cat, s.candidates.at(0));
  CHECK(b.dc_load > 0);
  hw::PlanOptions o;
  o.sensitivity = false;
  const auto plan = plan_forked(s, cat, o);
  REQUIRE(plan.winner);
  const auto& w = plan.candidates[*plan.winner].report;
  CHECK(w.feasible);
  const auto& st = w.run.streams.at(0);
  CHECK(st.completed >= 100);
  // All 10 farms x 3 drones x 5 /s at the busiest hour's multiplier 1: 150 /s (Poisson: a few %).
  CHECK(st.throughput_per_s == doctest::Approx(150).epsilon(0.05));
  // Per day at the day's mean (the multipliers sum to 12: half of the peak), not the window's:
  // the GPU server's power is its idle draw plus half the window's above it. The bytes per day
  // (an L4 in the data centre: every payload crosses the backhaul) are near half the peak's,
  // 150 /s x 86400 s x (120 KB + 500 B) / 2 = 780.8 GB.
  CHECK(w.run.backhaul_bytes_per_day / 1e9 == doctest::Approx(150 * 86400 * 120.5e3 / 2 / 1e9).epsilon(0.06));
}

TEST_CASE("evaluate: a diurnal run that starts at a dark hour is told a duration that reaches the light, never a shorter one") {
  const auto cat = catalogue();
  auto s = hw::load_scenario(kSrc + "/tests/data/planner/diurnal-dark-night.yaml", cat);
  s.streams[0].arrival.start_hour = 0;  // midnight, as every diurnal run started before
  hw::PlanOptions o;
  o.sensitivity = false;
  const auto plan = plan_forked(s, cat, o);
  REQUIRE(plan.candidates.size() == 1);
  const auto& r = plan.candidates[0].report;
  // Nothing until 05:00, then 0.2 x 15 /s per farm: 5 h and more (was 3 s + 100 / 150 /s = 3.7 s).
  // Either the candidate is rejected for too few requests with that duration as the fix, or the
  // planner's longer run (its expected requests now weigh the hours from the start hour) went
  // that far itself and judged it on what it measured there.
  const auto few = std::find_if(r.binding.begin(), r.binding.end(), [](const hw::Reason& x) { return x.kind == hw::ReasonKind::too_few_requests; });
  if (few != r.binding.end()) {
    CHECK_FALSE(plan.winner);
    CHECK(few->at("needed_duration_s") >= 5 * 3600);
    CHECK(few->at("needed_duration_s") > s.duration.si());
  } else {
    CHECK(r.run.simulated_time_s >= 5 * 3600);
    CHECK(r.run.streams.at(0).completed >= 100);
  }
}
