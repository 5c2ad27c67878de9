// The engine's shortcuts against the general mechanism they replace, on the same input and
// seed: results must not change.
// - Without batch jobs a service is a sleep and energy is P_idle*T + (P_max-P_idle)*busy/cores;
//   EngineOptions::energy_plugin makes services SimGrid executions measured by its energy plugin.
// - Above a number of transfers in flight, sends are kept and reaped by the sender instead
//   of detached; EngineOptions::keep_sends_above moves that threshold. (An actor holding kept sends
//   waits with a SimGrid sleep, otherwise on a kernel timer.)
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "closed_forms.hpp"
#include "sim/engine/engine.hpp"
#include "sim/io/loaders.hpp"
#include "sim/plan/deployment.hpp"

using namespace hw;

namespace {

RunResult run_with(SimInput in, void (*set)(EngineOptions&)) {
  if (set) set(in.engine);
  auto r = simulate_forked({in}, 1);
  REQUIRE(r.size() == 1);
  REQUIRE_MESSAGE(r[0].ok, r[0].error);
  return r[0];
}

// A data-centre tier behind a 2 ms / 1 Gbps backhaul: `rate` requests/s of 2 KB from one
// site to `servers` servers of `slots` accelerators with dynamic batching, results of 1 KB back.
SimInput networked(double rate, int servers, int slots, int max_batch) {
  SimInput in = validation::pure_queue(rate, 0, 1, ServiceDistribution::exponential, 3.0, 0.5, 5);
  in.sites[0].access = LinkSpec{"custom", Seconds(0.5e-3), BitsPerSecond(10e9)};
  in.sites[0].backhaul = LinkSpec{"custom", Seconds(2e-3), BitsPerSecond(1e9)};
  in.dc_fabric_latency = Seconds(50e-6);
  in.edge.units = 0;
  in.dc.hardware = "gpu-server";
  in.dc.units = servers;
  in.dc.slots = slots;
  in.dc.max_batch = max_batch;
  in.dc.max_wait = Seconds(2e-3);
  in.dc.power_idle = Watts(150);
  in.dc.power_max = Watts(900);
  StreamExec& st = in.streams[0];
  st.payload = Bytes(2e3);
  st.result = Bytes(1e3);
  st.return_result = true;
  st.slo.latency = Seconds(0.05);
  StageExec& stage = st.stages[0];
  stage.tier = Tier::dc;
  stage.service_s.clear();
  for (int b = 1; b <= max_batch; ++b) stage.service_s.push_back(1e-3 + 0.2e-3 * b);  // per batch of b
  stage.variability.distribution = ServiceDistribution::lognormal;
  stage.variability.cv = 0.3;
  return in;
}

void same_latencies(const StreamResult& a, const StreamResult& b) {
  CHECK(a.completed == b.completed);
  CHECK(a.unfinished == b.unfinished);
  CHECK(a.p50_s.value == b.p50_s.value);
  CHECK(a.p99_s.value == b.p99_s.value);
  CHECK(a.p999_s.value == b.p999_s.value);
  // Events at the same instant may be handled in another order: sums can differ in the last bits.
  CHECK(a.mean_s.value == doctest::Approx(b.mean_s.value).epsilon(1e-12));
}

}  // namespace

TEST_CASE("energy from busy time equals SimGrid's energy plugin, one slot and several with batching") {
  for (int slots : {1, 4}) {
    CAPTURE(slots);
    SimInput in = slots == 1 ? validation::pure_queue(600, 1e-3, 1, ServiceDistribution::exponential, 20.0, 2.0, 3)
                             : networked(3000, 2, slots, 8);
    if (slots == 1) {
      in.edge.power_idle = Watts(12);
      in.edge.power_max = Watts(47);
    }
    const RunResult analytic = run_with(in, nullptr);
    const RunResult plugin = run_with(in, [](EngineOptions& e) { e.energy_plugin = true; });
    const TierResult& ta = slots == 1 ? analytic.edge : analytic.dc;
    const TierResult& tp = slots == 1 ? plugin.edge : plugin.dc;
    INFO("utilisation " << ta.utilisation << " power " << ta.avg_power_w << " vs " << tp.avg_power_w);
    CHECK(ta.utilisation > 0.1);
    CHECK(ta.utilisation == doctest::Approx(tp.utilisation).epsilon(1e-12));
    CHECK(ta.avg_power_w == doctest::Approx(tp.avg_power_w).epsilon(1e-9));
    CHECK(ta.energy_j_per_day == doctest::Approx(tp.energy_j_per_day).epsilon(1e-9));
    CHECK(ta.mean_queue_length == doctest::Approx(tp.mean_queue_length).epsilon(1e-12));
    same_latencies(analytic.streams[0], plugin.streams[0]);
  }
}

TEST_CASE("sends kept and reaped by the sender give the results of detached sends") {
  // ~20,000 requests/s over a few ms each way: about 100 transfers in flight, above the
  // default 64. Data-centre servers with batching (receiver actor), then one edge unit with
  // one slot (its worker receives straight from its mailbox).
  SimInput edge = validation::pure_queue(20000, 40e-6, 1, ServiceDistribution::exponential, 3.0, 0.5, 9);
  edge.sites[0].access = LinkSpec{"custom", Seconds(2e-3), BitsPerSecond(1e9)};
  edge.streams[0].payload = Bytes(2e3);
  edge.streams[0].result = Bytes(100);
  edge.streams[0].return_result = true;
  for (const SimInput& in : {networked(20000, 4, 4, 16), edge}) {
    const bool dc = in.dc.units > 0;
    CAPTURE(dc);
    const RunResult kept = run_with(in, [](EngineOptions& e) { e.keep_sends_above = 0; });               // every send kept
    const RunResult mixed = run_with(in, nullptr);          // the default
    const RunResult detached = run_with(in, [](EngineOptions& e) { e.keep_sends_above = 1000000000; });  // none kept
    REQUIRE(detached.streams[0].completed > 40000);
    same_latencies(kept.streams[0], detached.streams[0]);
    same_latencies(mixed.streams[0], detached.streams[0]);
    const TierResult& tk = dc ? kept.dc : kept.edge;
    const TierResult& td = dc ? detached.dc : detached.edge;
    CHECK(tk.utilisation == doctest::Approx(td.utilisation).epsilon(1e-12));
    // An actor with kept sends in flight sleeps; without, a kernel timer wakes it: service ends
    // can differ in the last bit, and the queue-length integral a little more.
    CHECK(tk.mean_queue_length == doctest::Approx(td.mean_queue_length).epsilon(1e-9));
    CHECK(tk.max_queue_length == td.max_queue_length);
    CHECK(kept.backhaul_bytes_per_day == doctest::Approx(detached.backhaul_bytes_per_day).epsilon(1e-12));
  }
}

TEST_CASE("a video stream's decode time is added to every latency and changes nothing else") {
  // The decode of an item's frame (StreamExec::decode_s) delays every item by the same 4 ms
  // before its first stage. With decoders that never queue (decode_busy_s far below the gap
  // between arrivals at a set) that is a constant shift of all arrivals, so queueing, batching
  // and service are those of the run without it and the mean latency is exactly 4 ms more.
  const SimInput plain = networked(3000, 2, 4, 8);
  SimInput video = plain;
  video.streams[0].decode_s = 4e-3;
  video.streams[0].decode_busy_s = 1e-9;
  const RunResult a = run_with(plain, nullptr);
  const RunResult b = run_with(video, nullptr);
  REQUIRE(a.streams[0].completed > 5000);  // 3000 /s over the measured window
  CHECK(b.streams[0].completed == a.streams[0].completed);
  CHECK(b.streams[0].mean_s.value == doctest::Approx(a.streams[0].mean_s.value + 4e-3).epsilon(1e-9));
  // Percentiles come from a log-binned histogram (bounded relative error): +4 ms within a bin.
  CHECK(b.streams[0].p99_s.value == doctest::Approx(a.streams[0].p99_s.value + 4e-3).epsilon(0.05));
  CHECK(b.streams[0].p99_s.value > a.streams[0].p99_s.value);
  CHECK(b.dc.utilisation == doctest::Approx(a.dc.utilisation).epsilon(1e-12));
  CHECK(b.dc.mean_queue_length == doctest::Approx(a.dc.mean_queue_length).epsilon(1e-12));
}

TEST_CASE("a video stream's items wait for the decoders as queueing theory says, on every path into a unit") {
  // Poisson items at 100 /s to one slot (one set of decoders). The decoders work beside the
  // inference slot: the same items complete, and the mean latency grows by each item's own
  // frame (decode_s) plus its mean wait for the decoders. Three ways into a unit: handed over
  // with no network (edge, direct), received by the worker from its mailbox (one slot, no
  // batching), and through the receiver actor (batching).
  //  - every frame analysed (decode_busy_s = decode_s = 6 ms): an M/D/1 queue at rho = 0.6,
  //    mean wait rho S / (2 (1 - rho)) = 0.6 x 6 ms / 0.8 = 4.5 ms (Pollaczek-Khinchine);
  //  - one frame in 3.5 analysed (own frame 2 ms, 7 ms of decoder work per item): the 5 ms of
  //    frames not analysed are a steady flow f = 100 x 5 ms = 0.5 of the decoders' time, and
  //    the analysed frames an M/D/1 queue on the rest: mean backlog met by an arrival
  //    lambda S^2 / (2 (1 - f - lambda S)) = 100 x (2 ms)^2 / (2 x 0.3) = 0.667 ms. Folding the
  //    7 ms into each item instead (before 2026-12) gave 100 x 7^2 / (2 x 0.3) = 8.2 ms.
  struct Case {
    double own, busy, wait;
  };
  const double lambda = 100;
  const std::vector<Case> cases{{6e-3, 6e-3, 0.6 * 6e-3 / (2 * 0.4)},
                                {2e-3, 7e-3, lambda * 2e-3 * 2e-3 / (2 * (1 - 0.5 - lambda * 2e-3))}};
  std::vector<std::pair<const char*, SimInput>> paths;
  paths.emplace_back("direct", validation::pure_queue(lambda, 1e-3, 1, ServiceDistribution::deterministic, 1500, 10, 7));
  paths.emplace_back("mailbox", networked(lambda, 1, 1, 1));
  paths.emplace_back("receiver", networked(lambda, 1, 1, 8));
  for (auto& [name, plain] : paths) {
    CAPTURE(name);
    plain.duration = Seconds(1500);
    plain.warmup = Seconds(10);
    const RunResult a = run_with(plain, nullptr);
    REQUIRE(a.streams[0].completed > 100000);
    for (const Case& c : cases) {
      CAPTURE(c.busy);
      SimInput video = plain;
      video.streams[0].decode_s = c.own;
      video.streams[0].decode_busy_s = c.busy;
      const RunResult b = run_with(video, nullptr);
      CHECK(b.streams[0].completed == a.streams[0].completed);
      // The same arrivals and services in both runs: the difference is the decoders' alone.
      const double added = b.streams[0].mean_s.value - a.streams[0].mean_s.value - c.own;
      CHECK(added == doctest::Approx(c.wait).epsilon(0.04));
      // The tier is as busy as the busier of its cores (~0.1-0.12 here) and its decoders,
      // lambda x decode_busy_s of their time (0.6, 0.7): what the design's cap reads.
      const TierResult& tier = plain.edge.units > 0 ? b.edge : b.dc;
      CHECK(tier.utilisation == doctest::Approx(lambda * c.busy).epsilon(0.03));
    }
    // Decoders asked for more than they have (0.2 + 100 x 10 ms = 1.2 of their time): the
    // backlog grows without bound, whatever the slot does.
    SimInput over = plain;
    over.duration = Seconds(60);
    over.streams[0].decode_s = 2e-3;
    over.streams[0].decode_busy_s = 12e-3;
    const RunResult c = run_with(over, nullptr);
    CHECK(c.streams[0].mean_s.value > 1.0);  // ~0.2 s more backlog per simulated second
  }
}

// Review 21: an LLM stream and a pipeline stream on the same edge units are simulated apart
// (the LLM replicas in llm_serving, the speech-to-text on SimGrid): neither sees the other's
// work. The tier's utilisation, which the design cap reads, must then add the LLM replicas'
// stepping share to the other stream's busy share (a Jetson Thor stepping ~97% of the time
// beside a speech-to-text stage ~55% busy read 59% against an 80% cap), and the run says the
// latencies are each as if alone. The LLM alone keeps its compute share.
TEST_CASE("engine: an LLM stream sharing edge units with a pipeline stream books both on the units") {
  const Catalogue cat = load_catalogue(std::string(HWPLAN_SOURCE_DIR) + "/hardware_profiles",
                                       std::string(HWPLAN_SOURCE_DIR) + "/scenarios/models");
  const std::string asr = R"(
  - id: transcribe
    site: centre
    sources: 300
    arrival: {process: poisson, rate: 0.0267 /s}
    payload: 4 KB
    result: 600 B
    pipeline:
      - {id: asr, model: bert-large, precision: fp16}
    slo: {percentile: 99, latency: 5 s}
)";
  const std::string llm = R"(
  - id: summarise
    site: centre
    sources: 300
    arrival: {process: poisson, rate: 0.00267 /s}
    payload: 4 KB
    result: 100 B
    llm:
      model: llama2-7b
      precision: int8
      prompt_tokens: {distribution: lognormal, mean: 1000, cv: 0.5, max: 4000}
      output_tokens: {distribution: uniform, min: 100, max: 250}
    slo:
      ttft: {percentile: 99, latency: 5 s}
      tpot: {percentile: 99, latency: 100 ms}
)";
  auto input = [&](const std::string& streams, const std::string& name) {
    const std::string text = "name: cc\nseed: 11\nduration: 60 s\nwarmup: 10 s\nsites:\n"
                             "  - {id: centre, count: 12, access: {type: wired}, backhaul: {type: wan, latency: 10 ms, bandwidth: 1 Gbps}}\n"
                             "streams:" + streams +
                             "costs: {currency: USD, horizon: 4 y}\ncandidates:\n  - {family: edge, hardware: jetson-agx-thor, units_per_site: 1}\n";
    const std::string path = (std::filesystem::temp_directory_path() / (std::to_string(::getpid()) + "-" + name + ".yaml")).string();
    std::ofstream(path) << text;
    const Scenario s = load_scenario(path, cat);
    std::remove(path.c_str());
    const ResolvedCandidate rc = resolve_candidate(s, cat, s.candidates.at(0));
    REQUIRE_FALSE(rc.infeasible);
    SimInput in = rc.input;
    // The speech-to-text stand-in (bundled bert-large) at the reviewers' ~55% busy share.
    if (in.streams.front().id == "transcribe") {
      in.streams.front().arrival.rate = PerSecond(0.55 / (300 * in.streams.front().stages.at(0).service_s.at(0)));
    }
    return in;
  };
  const auto runs = simulate_forked({input(asr, "asr"), input(asr + llm, "both"), input(llm, "llm")}, 1);
  REQUIRE(runs.size() == 3);
  for (const auto& r : runs) REQUIRE_MESSAGE(r.ok, r.error);
  const RunResult &alone = runs[0], &both = runs[1], &llm_only = runs[2];
  REQUIRE(both.streams.size() == 2);
  REQUIRE(both.streams[1].llm);
  const double stepping = both.streams[1].llm->stepping_share;
  CHECK(stepping > 0.5);
  CHECK(alone.edge.utilisation == doctest::Approx(0.55).epsilon(0.1));
  // The pipeline stream's SimGrid run is the same with or without the LLM beside it: the
  // units are booked at the sum of both shares, at most 100%.
  CHECK(both.edge.utilisation == doctest::Approx(std::min(1.0, alone.edge.utilisation + stepping)).epsilon(0.02));
  CHECK(both.edge.utilisation > 0.8);  // past the default cap: the planner rejects or grows it
  CHECK(both.scaling_note.find("LLM stream summarise shares the edge units with stream(s) transcribe but was simulated apart") !=
        std::string::npos);
  // Alone, the LLM tier still reads its compute share (continuous batching absorbs more).
  REQUIRE(llm_only.streams.at(0).llm);
  const LlmResult& l = *llm_only.streams[0].llm;
  CHECK(llm_only.edge.utilisation == doctest::Approx(l.compute_share * l.stepping_share).epsilon(0.01));
  CHECK(llm_only.scaling_note.find("simulated apart") == std::string::npos);
}
