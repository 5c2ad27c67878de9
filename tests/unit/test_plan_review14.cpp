// Planner fixes from the review of `hwplan recommend` on the bundled scenarios (session 14):
// a longer run worded as a simulation setting, load scaling of video streams, seconds in
// reasons from one second up. Each expected figure is worked by hand in its comment.
#include <doctest/doctest.h>

#include <string>

#include "sim/io/loaders.hpp"
#include "sim/plan/deployment.hpp"
#include "sim/plan/explain.hpp"
#include "sim/plan/fix.hpp"
#include "sim/plan/planner.hpp"

using namespace hw;

namespace {

const std::string kSrc = HWPLAN_SOURCE_DIR;

Catalogue catalogue() { return load_catalogue(kSrc + "/hardware_profiles", kSrc + "/scenarios/models"); }

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("fix: a longer simulation is how the fix is measured, not a change to the deployment") {
  using W = FixChange::What;
  const FixChange target{W::slo_latency, "frames", 0.014};
  const FixChange run{W::duration, "", 310.2};  // 5.17 min
  // Was "streams[frames].slo.latency = 14 ms and duration = 5.17 min", as if both were fixes.
  const std::string both = describe(std::vector<FixChange>{target, run});
  CHECK(both == "streams[frames].slo.latency = 14 ms, measured over a longer simulation (duration = 5.17 min, a simulation setting, "
                "not a change to the deployment)");
  CHECK_FALSE(has(both, " and duration"));
  // The order the changes were merged in does not matter.
  CHECK(describe(std::vector<FixChange>{run, target}) == both);
  // Alone: only the run changes.
  CHECK(describe(std::vector<FixChange>{run}) ==
        "a longer simulation to measure it (duration = 5.17 min, a simulation setting, not a change to the deployment)");
  // Without a duration, as before.
  const FixChange link{W::backhaul_bandwidth, "plant", 230e6};
  CHECK(describe(std::vector<FixChange>{target, link}) == "streams[frames].slo.latency = 14 ms and sites[plant].backhaul.bandwidth = 230 Mbps");
  // The single change keeps its key = value form (what --set and the YAML take).
  CHECK(describe(run) == "duration = 5.17 min");
}

TEST_CASE("load: doubling a video stream's load is doubling its cameras: the decode time per item stays") {
  const Catalogue cat = catalogue();
  const Scenario s = load_scenario(kSrc + "/scenarios/factory-vision.yaml", cat);
  REQUIRE(s.streams.size() == 1);
  REQUIRE(s.streams[0].video);
  CandidateSpec e;
  e.family = Family::edge;
  e.edge_hardware = "jetson-orin-nano-super";
  e.units_per_site = 1;
  for (double k : {2.0, 0.5}) {
    INFO("load x" << k);
    const Scenario scaled = scale_load(s, k);
    Scenario cameras = s;  // 8 cameras x k, each at its own 15 frames/s
    cameras.streams[0].sources = static_cast<int>(s.streams[0].sources * k);
    const ResolvedCandidate a = resolve_candidate(scaled, cat, e);
    const ResolvedCandidate b = resolve_candidate(cameras, cat, e);
    REQUIRE(a.input.streams.size() == 1);
    REQUIRE(b.input.streams.size() == 1);
    const auto& sa = a.input.streams[0];
    const auto& sb = b.input.streams[0];
    // The same items per second per site: 8 x 15 x k.
    CHECK(sa.arrival.rate.si() * sa.sources == doctest::Approx(sb.arrival.rate.si() * sb.sources));
    // The same decode per frame and per item: a 1920x1200 JPEG on the Orin Nano's NVJPG is
    // 3.86 ms; at x2 it read 1.93 ms per item (the 15 frames/s spread over 30 items/s).
    CHECK(sa.decode_s == doctest::Approx(sb.decode_s));
    REQUIRE(sa.stages.size() == sb.stages.size());
    REQUIRE(sa.stages[0].service_s.size() == sb.stages[0].service_s.size());
    for (std::size_t i = 0; i < sa.stages[0].service_s.size(); ++i) {
      INFO("batch " << i + 1);
      CHECK(sa.stages[0].service_s[i] == doctest::Approx(sb.stages[0].service_s[i]));
    }
    std::string na, nb;
    for (const auto& n : a.notes) na += n + "\n";
    for (const auto& n : b.notes) nb += n + "\n";
    CHECK(has(na, "3.86 ms of decoder time per item"));
    CHECK(has(nb, "3.86 ms of decoder time per item"));
  }
  // A stream without a video block is scaled as before: its rate alone.
  Scenario plain = s;
  plain.streams[0].video.reset();
  CHECK(scale_load(plain, 2).streams[0].arrival.rate.si() == doctest::Approx(30));
  CHECK_FALSE(scale_load(plain, 2).streams[0].video);
}

TEST_CASE("explain: a time from one second up reads in seconds, to three significant figures") {
  Reason r;
  r.kind = ReasonKind::latency_floor;
  r.subject = "chat";
  r.detail = "ttft";
  r.figure = 10.448;
  r.bound = 2.0;
  r.unit = "s";
  r.context = {{"prompt_tokens", 1116}, {"percentile", 99}};
  const std::string text = describe(r);
  // Was "takes 10448 ms against the 2000 ms p99 time-to-first-token target".
  CHECK(has(text, "takes 10.4 s against the 2 s p99 time-to-first-token target"));
  // Below a second, milliseconds as before.
  r.figure = 0.2002;
  r.bound = 0.2;
  r.detail = "tpot";
  CHECK(has(describe(r), "takes 200.2 ms against the 200 ms p99"));
}
