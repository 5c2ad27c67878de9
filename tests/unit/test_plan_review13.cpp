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
  // An H100 SXM module: its profile gives no interconnect at all.
  c.gpu_hardware = "nvidia-h100-sxm";
  c.servers = 8;
  const std::string h100 = all_notes(resolve_candidate(s, cat, c));
  CHECK(has(h100, "the default, since nvidia-h100-sxm gives no interconnect bandwidth"));
  // An 8-GPU server profile (hgx-b200-8) computes it over NVLink 5, as hgx-h100-8 does.
  c.gpu_hardware = "hgx-b200-8";
  c.servers = 1;
  CHECK(has(all_notes(resolve_candidate(s, cat, c)), "over nvlink5 (900 GB/s per GPU): 8 GPUs at"));
}
