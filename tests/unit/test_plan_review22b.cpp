// Review 22 follow-ups (the reviewers' airport-ct.yaml): the currency notes of a candidate
// priced from catalogue items in another currency. Each expected figure
// is worked from the inputs in its comment.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/io/loaders.hpp"
#include "sim/plan/deployment.hpp"
#include "sim/run/types.hpp"

using namespace hw;

namespace {

const std::string kSrc = HWPLAN_SOURCE_DIR;

Catalogue catalogue() { return load_catalogue(kSrc + "/hardware_profiles", kSrc + "/scenarios/models"); }

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The reviewers' airport-ct.yaml (/tmp/rev-newuser2): 30 airports, a RetinaNet stream each,
// a nightly 2 EFLOP job (6 h deadline) with a 200 GB dataset; costs in EUR.
Scenario airport(const Catalogue& cat) {
  const std::string text = R"(name: airport
seed: 11
duration: 120 s
warmup: 10 s
sites:
  - {id: eu-airport, count: 12, access: {type: wired10g}, backhaul: {type: wan, bandwidth: 500 Mbps}}
  - {id: us-airport, count: 18, access: {type: wired10g}, backhaul: {type: wan, bandwidth: 1 Gbps}}
streams:
  - id: bags-eu
    site: eu-airport
    sources: 8
    arrival: {process: poisson, rate: 0.4 /s}
    payload: 2 MB
    result: 5 KB
    pipeline:
      - {id: threat, model: retinanet, precision: int8}
    slo: {percentile: 99, latency: 2 s}
  - id: bags-us
    site: us-airport
    sources: 8
    arrival: {process: poisson, rate: 0.4 /s}
    payload: 2 MB
    result: 5 KB
    pipeline:
      - {id: threat, model: retinanet, precision: int8}
    slo: {percentile: 99, latency: 2 s}
batch_jobs:
  - id: nightly-recon
    kind: scientific
    total_flops: 2 EFLOP
    total_bytes: 50000 TB
    dataset: 200 GB
    precision: fp32
    deadline: 6 h
    every: 1 d
costs:
  currency: EUR
  horizon: 5 y
  amortisation: 4 y
  electricity: 0.22 EUR/kWh
  pue: 1.3
  bandwidth: 0.02 EUR/GB
  maintenance_per_unit: 300 EUR/y
  gpu_hour: 2.00 EUR/h
)";
  const std::string path = (std::filesystem::temp_directory_path() / (std::to_string(::getpid()) + "-review22b-airport.yaml")).string();
  std::ofstream(path) << text;
  Scenario s = load_scenario(path, cat);
  std::remove(path.c_str());
  return s;
}

std::string notes_of(const ResolvedCandidate& rc) {
  std::string all;
  for (const auto& n : rc.notes) all += n + "\n";
  return all;
}

}  // namespace

TEST_CASE("a candidate priced from profiles in another currency than the scenario's says so, once") {
  const Catalogue cat = catalogue();
  const Scenario s = airport(cat);  // EUR
  CandidateSpec e;
  e.family = Family::edge;
  e.edge_hardware = "jetson-agx-thor";  // price: 5499 USD (its profile)
  const std::string edge = notes_of(resolve_candidate(s, cat, e));
  CHECK(has(edge, "jetson-agx-thor's price 5499 USD: counted as EUR unconverted"));
  // A data-centre server with a rented price of its own: hgx-h100-8, 317000 USD and
  // 4.25 USD/GPU-hour on demand (its profile); both named in one note.
  CandidateSpec g;
  g.family = Family::gpu;
  g.gpu_hardware = "hgx-h100-8";
  const std::string gpu = notes_of(resolve_candidate(s, cat, g));
  CHECK(has(gpu, "hgx-h100-8's price 317000 USD, hgx-h100-8's on-demand gpu_hour 4.25 USD/GPU-hour: counted as EUR unconverted"));
  // A scenario in the profiles' own currency: no note.
  Scenario usd = s;
  usd.costs.currency = "USD";
  CHECK_FALSE(has(notes_of(resolve_candidate(usd, cat, g)), "unconverted"));
}
