// The train-infer-iterate loop's sample uploads follow the items a stream offers, as the
// offered load counts them (mean_items_per_s, sim/plan/loop.hpp): a diurnal profile at its
// day's mean, a trace by its arrivals in the window, not the raw rate (a diurnal stream at
// 15/s x 0.5 uploaded as 15/s; a trace, whose rate is 0, uploaded nothing). And one site's
// upload is the sum over its streams. Each expected figure is worked by hand in its comment.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <string>

#include "sim/cost/tco.hpp"
#include "sim/io/loaders.hpp"
#include "sim/plan/deployment.hpp"
#include "sim/plan/evaluate.hpp"
#include "sim/plan/loop.hpp"

using namespace hw;

namespace {

const std::string kSrc = HWPLAN_SOURCE_DIR;

Catalogue catalogue() { return load_catalogue(kSrc + "/hardware_profiles", kSrc + "/scenarios/models"); }

// factory-vision (12 plants x 8 cameras, 150 KB frames, retraining every 30 d keeping 0.1%,
// 37 MB model, a 40 s window), its samples derived (not the 200000 given), the stream's
// arrivals replaced by the caller.
Scenario factory(const Catalogue& cat) {
  Scenario s = load_scenario(kSrc + "/scenarios/factory-vision.yaml", cat);
  REQUIRE(s.retraining);
  s.retraining->samples = 0;
  REQUIRE(s.streams.size() == 1);
  REQUIRE(s.duration.si() == doctest::Approx(40));
  return s;
}

CandidateSpec edge_spec() {
  CandidateSpec c;
  c.family = Family::edge;
  c.edge_hardware = "jetson-orin-nano-super";
  c.units_per_site = 1;
  return c;
}

// Per plant: 8 cameras x 7.5/s = 60 items/s; 0.1% kept: 0.06 samples/s.
//   one run (30 d = 2,592,000 s): 155,520 samples, x 150 KB = 23.328 GB per plant;
//                                  x 12 plants = 1,866,240 samples
//   per day: 0.06 x 150 KB x 86,400 s x 12 plants = 9.3312 GB of samples
//            + the 37 MB model to 12 units every 30 d = 14.8 MB
constexpr double kSamplesPerRun = 60 * 0.001 * 2592000.0 * 12;
constexpr double kUploadPerPlant = 60 * 0.001 * 2592000.0 * 150e3;
constexpr double kSampleBytesPerDay = 60 * 0.001 * 150e3 * 86400.0 * 12;
constexpr double kPushBytesPerDay = 37e6 * 12 / 30.0;

struct Loop {
  TrainingWorkload work;
  TrainingWorkload work_without_input;  // from the scenario alone (a trace read from its file)
  double loop_bytes_per_day = 0;
  double sample_upload_bytes_per_day = 0;
  double offered_per_s = 0;
  double bandwidth_per_year = 0;
};

Loop loop_of(const Scenario& s, const Catalogue& cat) {
  CandidateReport r;
  r.candidate = resolve_for_simulation(s, cat, edge_spec());
  REQUIRE_FALSE(r.candidate.infeasible);
  Loop out;
  const auto w = training_workload(s, cat, 1, &r.candidate.input);
  REQUIRE(w);
  out.work = *w;
  const auto w0 = training_workload(s, cat, 1);
  REQUIRE(w0);
  out.work_without_input = *w0;
  const auto bytes = loop_bytes_per_day(s, r.candidate);
  REQUIRE(bytes.count("plant") == 1);
  out.loop_bytes_per_day = bytes.at("plant");
  const CostInputs ci = cost_inputs(s, cat, r);
  out.sample_upload_bytes_per_day = ci.sample_upload_bytes_per_day;
  out.offered_per_s = ci.inferences_per_s;
  out.bandwidth_per_year = price_deployment(s.costs, ci).bandwidth_per_year;
  return out;
}

void check_same(const Loop& got, const Loop& want) {
  CHECK(got.work.samples == doctest::Approx(want.work.samples));
  CHECK(got.work.upload_bytes_per_site == doctest::Approx(want.work.upload_bytes_per_site));
  CHECK(got.work.upload_s == doctest::Approx(want.work.upload_s));
  CHECK(got.work_without_input.samples == doctest::Approx(want.work.samples));
  CHECK(got.work_without_input.upload_bytes_per_site == doctest::Approx(want.work.upload_bytes_per_site));
  CHECK(got.loop_bytes_per_day == doctest::Approx(want.loop_bytes_per_day));
  CHECK(got.sample_upload_bytes_per_day == doctest::Approx(want.sample_upload_bytes_per_day));
  CHECK(got.offered_per_s == doctest::Approx(want.offered_per_s));
  CHECK(got.bandwidth_per_year == doctest::Approx(want.bandwidth_per_year));
}

// A trace whose timestamps, divided by time_scale 2, fall every 1/60 s: 2,400 in the 40 s
// window (k = 0..2399) and 100 after it (not counted, as offered_load does): 60 items/s per
// plant, replayed once per plant. `size`: a second column of item sizes, bytes (0: none).
std::string write_trace(const std::string& name, double size) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream f(path);
  f << std::setprecision(17);
  for (int k = 0; k < 2500; ++k) {
    f << k / 30.0;
    if (size > 0) f << "," << size;
    f << "\n";
  }
  return path.string();
}

void use_trace(Scenario& s, const std::string& path) {
  Arrival a;
  a.kind = ArrivalKind::trace;
  a.trace_file = path;
  a.time_scale = 2.0;
  s.streams[0].arrival = a;
}

}  // namespace

TEST_CASE("loop: a diurnal and a trace stream upload the samples of the equivalent Poisson stream") {
  const Catalogue cat = catalogue();
  Scenario poisson = factory(cat);
  poisson.streams[0].arrival = Arrival{};
  poisson.streams[0].arrival.kind = ArrivalKind::poisson;
  poisson.streams[0].arrival.rate = PerSecond(7.5);
  const Loop p = loop_of(poisson, cat);
  // By hand (above), the reference the other two must match.
  CHECK(p.work.samples == doctest::Approx(kSamplesPerRun));
  CHECK(p.work.upload_bytes_per_site == doctest::Approx(kUploadPerPlant));
  CHECK(p.sample_upload_bytes_per_day == doctest::Approx(kSampleBytesPerDay));
  CHECK(p.loop_bytes_per_day == doctest::Approx(kSampleBytesPerDay + kPushBytesPerDay));
  CHECK(p.offered_per_s == doctest::Approx(720));
  // (9.3312 GB x 365 + 365/30 runs x 37 MB x 12 units) x 0.05 USD/GB = 170.29 + 0.27 USD
  CHECK(p.bandwidth_per_year == doctest::Approx((kSampleBytesPerDay * 365 + 365 / 30.0 * 37e6 * 12) * 0.05e-9));
  CHECK(p.bandwidth_per_year == doctest::Approx(170.56).epsilon(1e-3));

  SUBCASE("diurnal: 15/s at half rate every hour") {
    Scenario d = factory(cat);
    d.streams[0].arrival = Arrival{};
    d.streams[0].arrival.kind = ArrivalKind::diurnal;
    d.streams[0].arrival.rate = PerSecond(15);
    d.streams[0].arrival.hourly.assign(24, 0.5);
    check_same(loop_of(d, cat), p);  // before: 2x the samples, 340.86 USD/y of bandwidth
  }
  SUBCASE("trace: 60 arrivals per second per plant in the window") {
    Scenario t = factory(cat);
    use_trace(t, write_trace("hwplan-loop-rates-trace.csv", 0));
    check_same(loop_of(t, cat), p);  // before: no samples at all
  }
  SUBCASE("trace with sizes: its own item sizes, 300 KB, double the bytes, not the samples") {
    Scenario t = factory(cat);
    use_trace(t, write_trace("hwplan-loop-rates-trace-sized.csv", 300e3));
    const Loop got = loop_of(t, cat);
    CHECK(got.work.samples == doctest::Approx(kSamplesPerRun));
    CHECK(got.work.upload_bytes_per_site == doctest::Approx(2 * kUploadPerPlant));
    CHECK(got.work_without_input.upload_bytes_per_site == doctest::Approx(2 * kUploadPerPlant));
    CHECK(got.sample_upload_bytes_per_day == doctest::Approx(2 * kSampleBytesPerDay));
    CHECK(got.loop_bytes_per_day == doctest::Approx(2 * kSampleBytesPerDay + kPushBytesPerDay));
  }
}

TEST_CASE("loop: two uploading streams at one site add up, streams at different sites do not") {
  const Catalogue cat = catalogue();
  Scenario s = factory(cat);
  s.streams[0].arrival = Arrival{};
  s.streams[0].arrival.kind = ArrivalKind::poisson;
  s.streams[0].arrival.rate = PerSecond(7.5);
  const auto one = training_workload(s, cat, 1);
  REQUIRE(one);
  CHECK(one->upload_bytes_per_site == doctest::Approx(kUploadPerPlant));

  // A second camera line at every plant, the same: one run uploads 2 x 23.328 GB per plant,
  // so the upload takes twice as long over the same backhaul (less its latency).
  Scenario two = s;
  two.streams.push_back(s.streams[0]);
  two.streams[1].id = "inspection-2";
  const auto w2 = training_workload(two, cat, 1);
  REQUIRE(w2);
  CHECK(w2->upload_bytes_per_site == doctest::Approx(2 * kUploadPerPlant));  // before: the max, 1x
  CHECK(w2->samples == doctest::Approx(2 * kSamplesPerRun));
  const double lat = s.sites[0].backhaul.latency.si();
  CHECK(w2->upload_s - lat == doctest::Approx(2 * (one->upload_s - lat)));

  // The same second stream at a site of another kind (one warehouse, same backhaul): each site
  // uploads its own 23.328 GB; the largest is one plant's, not the sum over sites.
  Scenario apart = two;
  Site other = s.sites[0];
  other.id = "warehouse";
  other.count = 1;
  apart.sites.push_back(other);
  apart.streams[1].site = "warehouse";
  const auto wa = training_workload(apart, cat, 1);
  REQUIRE(wa);
  CHECK(wa->upload_bytes_per_site == doctest::Approx(kUploadPerPlant));
  CHECK(wa->samples == doctest::Approx(kSamplesPerRun * 13 / 12));  // 12 plants + 1 warehouse
}
