// Planner and report fixes from the review of `hwplan recommend` on the bundled scenarios
// (session 13): a module's own interconnect inside the server it is bought in, the power of a
// rented data centre, the loop's upload as backhaul traffic, the sensitivity entries, the
// batch job's binding bound, whole-server GPU counts, a site's spare units.
// Each expected figure is worked by hand in its comment.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "sim/io/loaders.hpp"
#include "sim/io/plan_report.hpp"
#include "sim/plan/deployment.hpp"
#include "sim/plan/loop.hpp"
#include "sim/plan/evaluate.hpp"
#include "sim/plan/planner.hpp"
#include "sim/run/runner.hpp"

using namespace hw;

namespace {

const std::string kSrc = HWPLAN_SOURCE_DIR;

Catalogue catalogue() { return load_catalogue(kSrc + "/hardware_profiles", kSrc + "/scenarios/models"); }

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string all_notes(const ResolvedCandidate& rc) {
  std::string all;
  for (const auto& n : rc.notes) all += n + "\n";
  return all;
}

// Answers at once: every batch job computes for `compute_s` (its makespan too, deadline met),
// the data-centre tier drawing `dc_w` on average while it runs; streams are not answered.
class JobsRunner final : public Runner {
 public:
  JobsRunner(double compute_s, double dc_w) : compute_s_(compute_s), dc_w_(dc_w) {}
  std::vector<RunResult> run(const std::vector<SimInput>& inputs, const OnResult& = {}, const OnProgress& = {}) override {
    std::vector<RunResult> out;
    for (const auto& in : inputs) {
      RunResult r;
      r.ok = true;
      r.dc.units_total = in.dc.units;
      r.dc.avg_power_w = in.dc.units > 0 ? dc_w_ : 0.0;
      for (const auto& j : in.jobs) {
        BatchJobResult b;
        b.id = j.id;
        b.kind = j.kind;
        b.devices = j.devices;
        b.compute_s = compute_s_;
        b.makespan_s = compute_s_;
        b.deadline_s = j.deadline_s;
        b.deadline_met = true;
        r.jobs.push_back(b);
      }
      out.push_back(r);
    }
    return out;
  }
  void cancel() noexcept override {}
  [[nodiscard]] bool cancelled() const noexcept override { return false; }
  [[nodiscard]] int slots() const override { return 1; }

 private:
  double compute_s_, dc_w_;
};

}  // namespace

TEST_CASE("power: a rented data centre's electricity is in the rent, not in the power paid for") {
  const Catalogue cat = catalogue();
  const Scenario s = load_scenario(kSrc + "/scenarios/film-rendering.yaml", cat);
  CandidateSpec c;
  c.family = Family::gpu;
  c.gpu_hardware = "nvidia-l40s";
  c.servers = 40;
  // One render over the 3-year horizon (1/3 run a year) computing 0.3 y: busy share of the
  // year = 0.3 / 3 = 0.1. The tier draws 10 kW while it runs.
  const double year = 365.0 * 86400.0;
  JobsRunner jobs(0.3 * year, 10000);
  const auto rented = evaluate_candidates(s, cat, {c}, jobs)[0];
  REQUIRE(rented.cost.dc_choice == "rent on demand");
  // GPU-central, rented: nothing paid for is drawn (was 10 kW x 0.1 + idle x 0.9, x 1.5,
  // an owned server idling all year), and the energy cost is 0 to match.
  CHECK(rented.total_power_w == 0);
  CHECK(rented.cost.energy_per_year == 0);
  // What the rented GPUs draw while rented, over the year: 10 kW x 0.1 x PUE 1.5 = 1.5 kW.
  CHECK(rented.rented_power_w == doctest::Approx(1500));
  // Owned (no rented price anywhere): the power paid for is the busy draw for 0.1 of the
  // year and the idle draw the rest, with PUE, and it prices the energy:
  // energy per year = total power x 8760 h x 0.12 USD/kWh.
  Catalogue bare = cat;
  for (auto& [id, p] : bare.profiles) p.gpu_hour_on_demand.per_si = 0;
  Scenario own = s;
  own.costs.gpu_hour.per_si = 0;
  const auto owned = evaluate_candidates(own, bare, {c}, jobs)[0];
  REQUIRE(owned.cost.dc_choice.empty());
  CHECK(owned.rented_power_w == 0);
  const double idle_w = owned.candidate.input.dc.units * owned.candidate.input.dc.power_idle.si();
  CHECK(owned.total_power_w == doctest::Approx((10000 * 0.1 + idle_w * 0.9) * 1.5));
  CHECK(owned.total_power_w * 8760 / 1000 * 0.12 == doctest::Approx(owned.cost.energy_per_year));
}

TEST_CASE("parallel: a module bought in a server of 8 scales over the profile's own interconnect") {
  const Catalogue cat = catalogue();
  const Scenario s = load_scenario(kSrc + "/scenarios/llm-finetune.yaml", cat);
  CandidateSpec c;
  c.family = Family::gpu;
  c.gpu_hardware = "amd-mi300x";
  c.servers = 8;  // accelerators, packaged into one server of 8 (the profile's server block)
  const ResolvedCandidate rc = resolve_candidate(s, cat, c);
  REQUIRE(rc.input.jobs.size() == 2);
  const std::string notes = all_notes(rc);
  // llama2-7b-full-finetune: gradients 6.738e9 x 2 B = 13.476 GB per step, 477 steps.
  // AR(8) = 10 us + 2 x 7/8 x 13.476e9 / 448e9 = 0.05265 s; x 477 = 25.1 s.
  // T1 = 80.9e18 / (1307e12 x 0.5) = 123,795 s (compute-bound: 36000 TB / (5300 GB/s x 0.8) = 8,491 s)
  // t(8) = 123,795 / 8 + 25.1 = 15,499.5 s; efficiency = 15,474.4 / 15,499.5 = 99.84%
  CHECK(has(notes, "over infinity-fabric (448 GB/s per GPU): 8 GPUs at 99.8% inter-GPU efficiency (computed)"));
  CHECK_FALSE(has(notes, "interconnect is unknown"));
  CHECK(std::pow(rc.input.jobs[0].scaling_efficiency, 3) == doctest::Approx(0.9984).epsilon(2e-4));
  // The 70B LoRA job gives its own scaling_efficiency: kept, and said so.
  CHECK(has(notes, "llama2-70b-lora-finetune: 8 devices at 72.9% parallel efficiency (scaling_efficiency 0.9 per doubling)"));
}

TEST_CASE("parallel: without a computed figure the note says which input is missing") {
  const Catalogue cat = catalogue();
  const Scenario s = load_scenario(kSrc + "/scenarios/llm-finetune.yaml", cat);
  // Two servers of 8 MI300X: the ring crosses servers, and the profile gives no scale_out.
  CandidateSpec c;
  c.family = Family::gpu;
  c.gpu_hardware = "amd-mi300x";
  c.servers = 16;
  const std::string two = all_notes(resolve_candidate(s, cat, c));
  CHECK(has(two, "the default, since 16 devices span 2 servers of 8 and amd-mi300x gives no scale_out bandwidth between servers"));
  // An H100 PCIe card: its profile gives no interconnect at all (its NVLink bridge joins two
  // cards, not a server of 8).
  c.gpu_hardware = "nvidia-h100-pcie";
  c.servers = 8;
  const std::string pcie = all_notes(resolve_candidate(s, cat, c));
  CHECK(has(pcie, "the default, since nvidia-h100-pcie gives no interconnect bandwidth"));
  // The H100 SXM module did too, until its profile gained the HGX server's NVLink 4 (450 GB/s
  // per GPU and direction): a server of 8 of them now computes it, as hgx-h100-8 does.
  c.gpu_hardware = "nvidia-h100-sxm";
  const std::string sxm = all_notes(resolve_candidate(s, cat, c));
  CHECK(has(sxm, "over nvlink4 (450 GB/s per GPU): 8 GPUs at"));
  CHECK_FALSE(has(sxm, "gives no interconnect bandwidth"));
  // An 8-GPU server profile (hgx-b200-8) computes it over NVLink 5, as hgx-h100-8 does.
  c.gpu_hardware = "hgx-b200-8";
  c.servers = 1;
  CHECK(has(all_notes(resolve_candidate(s, cat, c)), "over nvlink5 (900 GB/s per GPU): 8 GPUs at"));
}

TEST_CASE("loop: the hard-case upload is backhaul traffic, at the design's link share, priced as bandwidth") {
  const Catalogue cat = catalogue();
  const Scenario s = load_scenario(kSrc + "/scenarios/adas-train-infer-iterate.yaml", cat);
  // Upload of one run from one car: 6 cameras x 30/s x 1% x 25 KB x 7 d = 27.216 GB, over the
  // 5G backhaul (50 Mbps, 18 ms) at 70% (design.max_utilisation.link; was 100%):
  // 0.018 + 27.216e9 x 8 / 35e6 = 6,220.8 s (was 4,354.6 s at 50 Mbps).
  const auto w = training_workload(s, cat, 1);
  REQUIRE(w);
  CHECK(w->upload_bytes_per_site == doctest::Approx(27.216e9));
  CHECK(w->upload_s == doctest::Approx(0.018 + 27.216e9 * 8 / 35e6).epsilon(1e-6));
  CHECK(w->upload_site == "vehicle");
  CHECK(w->link_share == doctest::Approx(0.7));
  // The loop edge deployment, one Orin NX per car: per day, samples 20 cars x 6 x 30/s x 25 KB
  // x 1% x 86400 s = 77.76 GB, and the 37 MB model to 20 units once a week = 105.7 MB.
  CandidateSpec c;
  c.family = Family::edge;
  c.edge_hardware = "jetson-orin-nx-16gb";
  c.units_per_site = 1;
  const double per_day = 77.76e9 + 37e6 * 20 / 7.0;
  const auto bytes = loop_bytes_per_day(s, resolve_candidate(s, cat, c));
  REQUIRE(bytes.count("vehicle") == 1);
  CHECK(bytes.at("vehicle") == doctest::Approx(per_day));
  // Evaluated: on the backhaul link and in backhaul_bytes_per_day (was 0), priced in bandwidth
  // at 0.05 USD/GB: 77.866 GB x 365 x 0.05 = 1,421.1 USD/y (was folded into retraining).
  JobsRunner run(0, 0);
  const auto r = evaluate_candidates(s, cat, {c}, run)[0];
  CHECK(r.run.backhaul_bytes_per_day == doctest::Approx(per_day));
  const auto link = std::find_if(r.run.links.begin(), r.run.links.end(), [](const LinkResult& l) { return l.name == "backhaul:vehicle"; });
  REQUIRE(link != r.run.links.end());
  CHECK(link->bytes_per_day == doctest::Approx(per_day));
  CHECK(r.cost.bandwidth_per_year == doctest::Approx(per_day * 365 * 0.05e-9));
  REQUIRE(r.training);
  REQUIRE(r.training->chosen);
  CHECK(r.cost.retraining_per_year == doctest::Approx(r.training->chosen->per_year()));
}

TEST_CASE("sensitivity: a loop winner is hybrid with its kind. nothing feasible carries the reason and no price") {
  const Catalogue cat = catalogue();
  const Scenario s = load_scenario(kSrc + "/scenarios/adas-train-infer-iterate.yaml", cat);
  Plan plan;
  SensitivityCase same;
  same.name = "electricity price x2";
  same.winner = "loop edge jetson-orin-nx-16gb";
  same.family = Family::edge;  // an edge fleet retrained in the data centre: the loop
  same.winner_tco = 31806.8;
  SensitivityCase none;
  none.name = "load x2";
  none.changes = true;
  none.why_none = "loop edge jetson-orin-nx-16gb x2/site: perception: p99 latency 61 ms exceeds the 50 ms target";
  plan.sensitivity = {same, none};
  const auto j = plan_json(s, plan, "flow model", 0);
  const auto& a = j["sensitivity"][0];
  CHECK(a["family"] == "hybrid");  // was "edge", while recommendation.family read "hybrid"
  CHECK(a["hybrid_kind"] == "train-infer-loop");
  CHECK(a["winner_tco"] == doctest::Approx(31806.8));
  CHECK(a["why_none"].is_null());
  const auto& b = j["sensitivity"][1];
  CHECK(b["winner_tco"].is_null());  // was 0.0, which reads as a price
  CHECK(b["winner"].is_null());
  CHECK(b["family"].is_null());
  CHECK(b["why_none"] == none.why_none);
  CHECK(has(plan_text(s, plan, "flow model", 0), "load x2:               nothing feasible; closest loop edge jetson-orin-nx-16gb x2/site: perception"));
}

TEST_CASE("sensitivity: a case's winner keeps its own hybrid kind (an unsplit hybrid beside batch jobs)") {
  const Catalogue cat = catalogue();
  const Scenario s = load_scenario(kSrc + "/tests/data/planner/streams-and-job.yaml", cat);
  Plan plan;
  SensitivityCase c;
  c.name = "load x2";
  c.winner = "hybrid jetson-orin-nano-super x1/site + 1 server x 1 nvidia-l4";
  c.family = Family::hybrid;
  c.hybrid_kind = "edge-inference-dc-jobs";  // what the planner records from the winner's spec
  c.winner_tco = 1000;
  plan.sensitivity = {c};
  const auto j = plan_json(s, plan, "flow model", 0);
  CHECK(j["sensitivity"][0]["hybrid_kind"] == "edge-inference-dc-jobs");  // was the family's "split-pipeline"
}

TEST_CASE("why: a batch job says which roofline bound sets its time") {
  const Catalogue cat = catalogue();
  const Scenario s = load_scenario(kSrc + "/scenarios/scientific-batch.yaml", cat);
  CandidateReport r;
  r.candidate.spec.family = Family::gpu;
  r.candidate.spec.gpu_hardware = "nvidia-l40s";
  // md-campaign, 1e20 FLOP and 2.5e18 B at FP32 on one L40S:
  // compute 1e20 / (91.6e12 x 0.508) = 2.149e6 s; memory 2.5e18 / (864e9 x 0.8) = 3.617e6 s:
  // memory-bound, 3.617 / 2.149 = 1.68x (the scenario's comment said compute-bound).
  CHECK(job_bound_text(s, cat, r, "md-campaign") ==
        " (memory-bandwidth-bound on nvidia-l40s: its bytes take 1.68x as long as its FLOPs)");
  // On an H100 (HBM, 3.35 TB/s) the same job is compute-bound.
  r.candidate.spec.gpu_hardware = "hgx-h100-8";
  CHECK(has(job_bound_text(s, cat, r, "md-campaign"), " (compute-bound on hgx-h100-8: its FLOPs take "));
  CHECK(job_bound_text(s, cat, r, "no-such-job").empty());
}

TEST_CASE("gpus per server: a whole-server profile gives its accelerators, in the JSON and the CSV") {
  const Catalogue cat = catalogue();
  const Scenario s = load_scenario(kSrc + "/scenarios/scientific-batch.yaml", cat);
  CandidateSpec c;
  c.family = Family::gpu;
  c.gpu_hardware = "hgx-h100-8";  // class gpu_server, accelerators 8
  c.servers = 1;
  CandidateReport r;
  r.candidate = resolve_candidate(s, cat, c);
  CHECK(r.candidate.gpus_per_server == 8);
  const auto j = run_report_json(s, {r}, "flow model");
  CHECK(j["candidates"][0]["gpus_per_server"] == 8);  // was absent
  const Table t = run_table(s, {r}, TableStyle::csv);
  const auto col = std::find(t.header.begin(), t.header.end(), "gpus_per_server") - t.header.begin();
  REQUIRE(static_cast<std::size_t>(col) < t.header.size());
  CHECK(t.rows[0][static_cast<std::size_t>(col)] == "8");  // was empty
  // Edge only: no data centre, no figure.
  CandidateSpec e;
  e.family = Family::edge;
  e.edge_hardware = "jetson-agx-orin-64gb";
  e.units_per_site = 1;
  CHECK(resolve_candidate(s, cat, e).gpus_per_server == 0);
}

TEST_CASE("redundancy: with several units per site one failure leaves (n-1)/n of the sized capacity") {
  const Catalogue cat = catalogue();
  const Scenario s = load_scenario(kSrc + "/scenarios/city-cctv.yaml", cat);
  CandidateReport r;
  r.candidate.input.edge.units = 3;
  r.availability.site_single_point = true;
  r.availability.site = 0.99712;  // 1.05 d down a year
  r.availability.site_one_spare = 0.99999;
  r.availability.sites = 1;
  std::string all;
  for (const auto& line : redundancy_lines(s, r)) all += line + "\n";
  // 2 of 3 units left: 67% of the capacity the targets need (was "takes its site down").
  CHECK(has(all, "one failed unit leaves its site 2 of 3 units, 67% of the capacity its targets need (counted as down)"));
  r.candidate.input.edge.units = 1;
  all.clear();
  for (const auto& line : redundancy_lines(s, r)) all += line + "\n";
  CHECK(has(all, "so one failed unit takes its site down (about"));
}

TEST_CASE("rent: a job run once over the horizon is one rental, not a yearly cash flow") {
  const Catalogue cat = catalogue();
  const Scenario film = load_scenario(kSrc + "/scenarios/film-rendering.yaml", cat);
  CandidateReport r;
  r.cost.dc_choice = "rent on demand";
  r.cost.rent_per_year = 82000;
  BatchJobResult j;
  j.compute_s = 116.0 * 86400;
  r.run.jobs.push_back(j);
  // 82k USD/y x 3 years = 246k USD, for the 116 d the job computes.
  const std::string once = one_off_rental_text(film, r);
  CHECK(has(once, "one rental of 246"));
  CHECK(has(once, "for the 116 d its jobs compute, run once in the 3-year horizon"));
  CHECK(has(rent_or_buy_text(r, &film), once));
  CHECK_FALSE(has(rent_or_buy_text(r), "one rental"));  // without the scenario, as before
  // A job run every 7 d (llm-finetune): per year is its cash flow; nothing added.
  const Scenario weekly = load_scenario(kSrc + "/scenarios/llm-finetune.yaml", cat);
  CHECK(one_off_rental_text(weekly, r).empty());
}
