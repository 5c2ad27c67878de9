// LLM serving (sim/hardware/llm_cost, sim/engine/llm_serving): KV-cache size and capacity,
// the iteration time, and continuous batching stepped by hand. Synthetic devices and models
// with round numbers; every expected value worked by hand in the comments.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "sim/engine/llm_serving.hpp"
#include "sim/hardware/llm_cost.hpp"

namespace {

// 8 GPUs of 80 GB, 1000 TFLOP/s fp16 at 50% efficiency, 1 TB/s at 100%, NVLink 450 GB/s with
// 10 us per small all-reduce; no overhead, no launch time.
hw::HardwareProfile server() {
  hw::HardwareProfile p;
  p.id = "srv";
  p.accelerators = 8;
  p.peak[hw::Precision::fp16] = hw::FlopsPerSecond(1000e12);
  p.memory_bandwidth = hw::BytesPerSecond(1e12);
  p.memory_capacity = hw::Bytes(80e9);
  p.efficiency_compute = 0.5;
  p.efficiency_memory = 1.0;
  p.interconnect = "nvlink4";
  p.interconnect_bandwidth = hw::BytesPerSecond(450e9);
  p.interconnect_latency = hw::Seconds(10e-6);
  return p;
}

// 100 GB of fp16 weights (50 G parameters), 10 layers of width 1000, 2 KV heads of width 50.
hw::WorkloadModel model() {
  hw::WorkloadModel m;
  m.id = "m";
  m.weights = hw::Bytes(100e9);
  m.precision = hw::Precision::fp16;
  m.precisions = {hw::Precision::fp16, hw::Precision::int8};
  m.layers = 10;
  m.hidden = 1000;
  m.kv_heads = 2;
  m.head_dim = 50;
  return m;
}

// A replica whose iteration of T tokens takes max(1 ms x T, 10 ms): compute-bound above 10 tokens.
hw::LlmExec toy(double kv_capacity, int budget = 2048) {
  hw::LlmExec e;
  e.kv_capacity_tokens = kv_capacity;
  e.token_budget = budget;
  e.max_sequences = 256;
  e.cost.compute_per_token_s = 1e-3;
  e.cost.weights_s = 10e-3;
  return e;
}

hw::LlmServeOptions until(double stop) { return {true, stop, 0.0, stop}; }

// One site "s" with one unit on `tier` and one LLM stream "chat": `rate` requests/s of 100
// prompt and `output` answer tokens (fixed lengths), TTFT p99 <= 2 s, TPOT p99 <= 0.2 s,
// replicas of `e`. Callers set the seed, the warm-up and the duration.
hw::SimInput chat_input(const hw::LlmExec& e, hw::ArrivalKind kind, double rate, double output, hw::Tier tier = hw::Tier::edge) {
  hw::SimInput in;
  hw::SiteExec site;
  site.id = "s";
  in.sites.push_back(site);
  (tier == hw::Tier::dc ? in.dc : in.edge).units = 1;
  hw::StreamExec st;
  st.id = "chat";
  st.arrival.kind = kind;
  st.arrival.rate = hw::PerSecond(rate);
  hw::StageExec serve;
  serve.tier = tier;
  st.stages.push_back(serve);
  hw::LlmExec x = e;
  x.prompt_tokens = {hw::LengthShape::fixed, 100, 0, 100, 100, {}};
  x.output_tokens = {hw::LengthShape::fixed, output, 0, output, output, {}};
  x.ttft = hw::Slo{99, hw::Seconds(2), 0.01};
  x.tpot = hw::Slo{99, hw::Seconds(0.2), 0.01};
  st.llm = x;
  in.streams.push_back(st);
  return in;
}

}  // namespace

TEST_CASE("llm: KV bytes per token are layers x kv_heads x head_dim x 2 x bytes") {
  hw::WorkloadModel llama;
  llama.layers = 80;
  llama.kv_heads = 8;
  llama.head_dim = 128;
  // Llama-2-70B: 80 x 8 x 128 x 2 x 2 B = 327,680 B (320 KiB) at fp16; half at 8 bits.
  CHECK(llama.kv_bytes_per_token(hw::Precision::fp16).si() == doctest::Approx(327680));
  CHECK(llama.kv_bytes_per_token(hw::Precision::int8).si() == doctest::Approx(163840));
  // The toy model: 10 x 2 x 50 x 2 x 2 B = 4000 B.
  CHECK(model().kv_bytes_per_token(hw::Precision::fp16).si() == doctest::Approx(4000));
}

TEST_CASE("llm: KV capacity is k x memory x 0.9 - weights, over the bytes per token") {
  const auto hw = server();
  const auto m = model();
  // One GPU: 80 GB x 0.9 = 72 GB < 100 GB of weights: no room (negative).
  CHECK(hw::llm_kv_capacity_tokens(hw, m, hw::Precision::fp16, {}) < 0);
  // Tensor parallel over 2: 2 x 80 GB x 0.9 - 100 GB = 44 GB -> 44e9 / 4000 B = 11,000,000 tokens.
  CHECK(hw::llm_kv_capacity_tokens(hw, m, hw::Precision::fp16, {hw::SplitKind::tensor, 2}) == doctest::Approx(11e6));
  // At 8 bits over 1: 72 GB - 50 GB = 22 GB over 2000 B per token = 11,000,000 tokens.
  hw::HardwareProfile h8 = hw;
  h8.peak[hw::Precision::int8] = hw::FlopsPerSecond(2000e12);
  CHECK(hw::llm_kv_capacity_tokens(h8, m, hw::Precision::int8, {}) == doctest::Approx(11e6));
}

TEST_CASE("llm: iteration time from the device model, tensor parallel over 2") {
  const auto c = hw::llm_iteration_cost(server(), model(), hw::Precision::fp16, {hw::SplitKind::tensor, 2});
  REQUIRE(c);
  // 50e9 parameters; the replica's compute is 2 x 1000 TFLOP/s x 0.5 = 1e15 FLOP/s:
  //   per token 2 x 50e9 / 1e15 = 1e-4 s; per attention pair 4 x 10 x 1000 / 1e15 = 4e-11 s.
  CHECK(c->compute_per_token_s == doctest::Approx(1e-4));
  CHECK(c->attention_per_pair_s == doctest::Approx(4e-11));
  // Memory 2 x 1 TB/s: weights 100e9 / 2e12 = 0.05 s; KV 4000 B / 2e12 = 2e-9 s per context token.
  CHECK(c->weights_s == doctest::Approx(0.05));
  CHECK(c->kv_per_token_s == doctest::Approx(2e-9));
  // All-reduces: 2 per layer x 10 layers, each 10 us + 2 (1/2) x 2000 B / 450 GB/s per token:
  //   fixed 20 x 10 us = 2e-4 s; per token 20 x 4.444e-9 = 8.889e-8 s.
  CHECK(c->fixed_s == doctest::Approx(2e-4));
  CHECK(c->comm_per_token_s == doctest::Approx(20 * 2000.0 / 450e9));
  // 100 decode tokens over 10,000 context tokens (10,000 pairs): memory-bound,
  //   2e-4 + 100 x 8.889e-8 + max(1e-4 x 100 + 4e-11 x 1e4, 0.05 + 2e-9 x 1e4)
  //   = 2e-4 + 8.889e-6 + 0.05002 = 0.050228889 s.
  CHECK(hw::llm_iteration_time(*c, 100, 1e4, 1e4) == doctest::Approx(0.050228889).epsilon(1e-6));
  // A 2048-token prompt chunk from scratch (2048 x 2049 / 2 = 2,098,176 pairs): compute-bound,
  //   2e-4 + 2048 x 8.889e-8 + 1e-4 x 2048 + 4e-11 x 2,098,176 = 2e-4 + 1.8204e-4 + 0.2048 + 8.3927e-5 = 0.20526597 s.
  CHECK(hw::llm_iteration_time(*c, 2048, 0, 2098176) == doctest::Approx(0.20526597).epsilon(1e-6));
}

TEST_CASE("llm: one request stepped by hand: first token with the prompt, then one per iteration") {
  // Prompt 20: one iteration of 20 tokens = 20 ms -> first token at 0.02 s. Output 3: two
  // decode iterations of 1 token = 10 ms each -> 0.03 and 0.04 s. TPOT = (0.04 - 0.02) / 2 = 10 ms.
  const auto st = hw::serve_llm(toy(1000), 1, {{0.0, 20, 3}}, until(10));
  REQUIRE(st.outcomes.size() == 1);
  CHECK(st.outcomes[0].first_token_s == doctest::Approx(0.02));
  CHECK(st.outcomes[0].finish_s == doctest::Approx(0.04));
  CHECK(st.output_tokens == 3);
  CHECK(st.prompt_tokens == 20);
  CHECK(st.iterations == 3);
}

TEST_CASE("llm: the token budget chunks a prompt") {
  // Budget 8, prompt 20: chunks of 8, 8, 4 tokens, each 10 ms (below the 10-token knee) ->
  // first token at 0.03 s; then one decode iteration -> 0.04 s.
  const auto st = hw::serve_llm(toy(1000, 8), 1, {{0.0, 20, 2}}, until(10));
  CHECK(st.outcomes[0].first_token_s == doctest::Approx(0.03));
  CHECK(st.outcomes[0].finish_s == doctest::Approx(0.04));
}

TEST_CASE("llm: the KV cache limits how many sequences run at once") {
  // Two requests of 20 + 10 tokens (30 each) at t = 0.
  // Room for 100 tokens: both admitted; one iteration of 40 prompt tokens = 40 ms: both first tokens at 0.04 s.
  auto both = hw::serve_llm(toy(100), 1, {{0.0, 20, 10}, {0.0, 20, 10}}, until(10));
  CHECK(both.outcomes[0].first_token_s == doctest::Approx(0.04));
  CHECK(both.outcomes[1].first_token_s == doctest::Approx(0.04));
  // Room for 50: the second waits for the first: 20 ms prefill + 9 decode steps of 10 ms ->
  // finish at 0.11 s; then the second's prompt (20 ms) -> first token at 0.13 s.
  auto one = hw::serve_llm(toy(50), 1, {{0.0, 20, 10}, {0.0, 20, 10}}, until(10));
  CHECK(one.outcomes[0].finish_s == doctest::Approx(0.11));
  CHECK(one.outcomes[1].first_token_s == doctest::Approx(0.13));
  // Room for 25: a request of 30 tokens can never run; it is refused.
  auto none = hw::serve_llm(toy(25), 1, {{0.0, 20, 10}}, until(10));
  CHECK(none.outcomes[0].rejected);
  CHECK(none.outcomes[0].first_token_s < 0);
}

TEST_CASE("llm: continuous batching beats static batching on time to first token under load") {
  // 400 requests of 100 prompt + 100 output tokens, Poisson at 3/s on one replica whose
  // iteration takes max(1 ms x T, 10 ms). Continuously batched, a request costs ~200 ms of
  // compute (200 tokens x 1 ms): capacity ~5/s, 60% busy; a newcomer waits at most one
  // iteration, then its 100-token prompt (~0.1 s). Statically batched, a batch of N takes
  // 100 N ms of prompts plus 99 decode steps of max(N, 10) ms (N = 8: 1.79 s for 8 requests,
  // 4.5/s), and a newcomer waits for the running batch to end (up to ~1.8 s) and for the
  // prompts of its own batch: the static p99 TTFT must be well above the continuous one.
  std::mt19937_64 rng(11);
  std::exponential_distribution<double> gap(3.0);
  std::vector<hw::LlmRequest> reqs;
  double t = 0;
  for (int i = 0; i < 400; ++i) reqs.push_back({t += gap(rng), 100, 100});
  auto ttft_p99 = [&](bool continuous) {
    const auto st = hw::serve_llm(toy(1e6), 1, reqs, {continuous, 1e4, 0.0, 1e4});
    std::vector<double> v;
    for (std::size_t i = 0; i < reqs.size(); ++i) {
      REQUIRE(st.outcomes[i].finish_s > 0);  // everything is served in the end
      v.push_back(st.outcomes[i].first_token_s - reqs[i].arrival_s);
    }
    return hw::percentile_of(v, 99);
  };
  const double cont = ttft_p99(true), stat = ttft_p99(false);
  INFO("continuous p99 TTFT " << cont << " s, static " << stat << " s");
  CHECK(cont < 0.5);
  CHECK(stat > 2 * cont);
}

TEST_CASE("llm: token lengths follow their distribution") {
  std::mt19937_64 rng(5);
  hw::LengthDistribution fixed{hw::LengthShape::fixed, 128, 0, 128, 128, {}};
  CHECK(hw::draw_tokens(fixed, rng) == 128);
  hw::LengthDistribution uni{hw::LengthShape::uniform, 15, 0, 10, 20, {}};
  hw::LengthDistribution emp{hw::LengthShape::empirical, 0, 0, 1, 0, {3, 7}};
  hw::LengthDistribution logn{hw::LengthShape::lognormal, 200, 1.0, 1, 0, {}};
  double sum = 0;
  for (int i = 0; i < 20000; ++i) {
    const int u = hw::draw_tokens(uni, rng);
    CHECK((u >= 10 && u <= 20));
    const int e = hw::draw_tokens(emp, rng);
    CHECK((e == 3 || e == 7));
    sum += hw::draw_tokens(logn, rng);
  }
  // Lognormal with mean 200 and cv 1: the sample mean of 20,000 draws has a standard error
  // of 200 / sqrt(20000) = 1.4 tokens; within 3% (6 tokens, > 4 standard errors).
  CHECK(sum / 20000 == doctest::Approx(200).epsilon(0.03));
  // Nearest rank: of 1..100, p50 is 50 and p99 is 99.
  std::vector<double> v;
  for (int i = 100; i >= 1; --i) v.push_back(i);
  CHECK(hw::percentile_of(v, 50) == 50);
  CHECK(hw::percentile_of(v, 99) == 99);
}

TEST_CASE("llm: a stream's TTFT percentiles carry a batch-means interval, not a point") {
  // One site, one edge unit with one replica of the toy cost (max(1 ms x T, 10 ms) per
  // iteration), Poisson at 3/s of 100 + 100 tokens (60% busy: see the test above), 400 s
  // measured after 10 s of warm-up, in the default 10 batches. Random arrivals give each
  // batch a different p99, so the 95% interval must have width and hold the estimate; the
  // point estimate is the p99 over every measured request (the batches' spread does not move it).
  hw::SimInput in = chat_input(toy(1e6), hw::ArrivalKind::poisson, 3.0, 100);
  in.seed = 7;
  in.warmup = hw::Seconds(10);
  in.duration = hw::Seconds(410);
  double busy = 0;
  std::uint64_t requests = 0;
  const hw::StreamResult r = hw::run_llm_stream(in, 0, busy, requests);
  INFO("p99 " << r.p99_s.value << " [" << r.p99_s.ci_low << ", " << r.p99_s.ci_high << "], " << r.completed << " completed");
  CHECK(r.completed > 1000);
  CHECK(r.p99_s.value == doctest::Approx(r.llm->ttft_p99_s));
  CHECK(r.p99_s.ci_low < r.p99_s.value);
  CHECK(r.p99_s.ci_high > r.p99_s.value);
  CHECK(r.p50_s.ci_high > r.p50_s.ci_low);
  CHECK(r.mean_s.ci_high > r.mean_s.ci_low);
}

TEST_CASE("llm: busy time is the time stepping. the compute share of it is kept apart") {
  // The request stepped by hand above: iterations of 20 ms (20 prompt tokens: compute 20 ms,
  // share 1), then 10 ms and 10 ms (one decode token: compute 1 ms of a 10 ms memory-bound
  // step, share 0.1). Stepping: 0.02 + 0.01 + 0.01 = 0.04 s, all of it inside the window; the
  // compute-weighted time 0.02 + 0.001 + 0.001 = 0.022 s is what used to be called busy.
  const auto st = hw::serve_llm(toy(1000), 1, {{0.0, 20, 3}}, until(10));
  CHECK(st.busy_s == doctest::Approx(0.04));
  CHECK(st.compute_s == doctest::Approx(0.022));
  // A window that starts at 0.03 s holds only the last step: 10 ms stepping, 1 ms compute.
  const auto late = hw::serve_llm(toy(1000), 1, {{0.0, 20, 3}}, {true, 10, 0.03, 10});
  CHECK(late.busy_s == doctest::Approx(0.01));
  CHECK(late.compute_s == doctest::Approx(0.001));
}

TEST_CASE("llm: a precision run says per LLM stream whether it can be certified") {
  hw::StreamResult sr;
  sr.id = "chat";
  sr.slo_percentile = 99;
  sr.completed = 9;
  sr.p99_s = hw::Estimate{1.0, 0.96, 1.04};  // half-width 0.04 s: 4% of 1 s
  // mine.yaml's chat stream: 9 completed, a p99 needs 1 / (1 - 0.99) = 100.
  CHECK(hw::llm_precision_note(sr, 0.05, 30) ==
        "LLM stream chat (served apart, over the whole 30 s): not certified, 9 completed requests, 100 are needed to certify its TTFT "
        "p99; a longer duration gives more");
  sr.completed = 200;
  CHECK(hw::llm_precision_note(sr, 0.05, 30) ==
        "LLM stream chat (served apart, over the whole 30 s): its TTFT p99 CI half-width 4% is within the 5% target (200 completed "
        "requests)");
  CHECK(hw::llm_precision_note(sr, 0.02, 30) ==
        "LLM stream chat (served apart, over the whole 30 s): not certified, its TTFT p99 CI half-width 4% is above the 2% target");
  // A p95 target reads the p95 estimate, and needs 20.
  sr.slo_percentile = 95;
  sr.completed = 19;
  CHECK(hw::llm_precision_note(sr, 0.05, 30).find("19 completed requests, 20 are needed to certify its TTFT p95") != std::string::npos);
}

namespace {

// One LLM stream on one edge unit: `rate` requests/s, periodic, of 100 prompt and 200 output
// tokens, measured over [1 s, 11 s]; replicas of `e`.
hw::StreamResult periodic_stream(const hw::LlmExec& e, double rate, double& busy) {
  hw::SimInput in = chat_input(e, hw::ArrivalKind::periodic, rate, 200);
  in.seed = 5;
  in.warmup = hw::Seconds(1);
  in.duration = hw::Seconds(11);
  std::uint64_t requests = 0;
  return hw::run_llm_stream(in, 0, busy, requests);
}

// A replica whose decode step reads its weights in `step` seconds; 10 us of compute per token.
hw::LlmExec stepping_every(double step) {
  hw::LlmExec e = toy(1e6);
  e.cost.compute_per_token_s = 1e-5;
  e.cost.weights_s = step;
  return e;
}

}  // namespace

TEST_CASE("llm: a server that keeps up reports the offered output tokens per second, however fast it steps") {
  // 10 requests/s of 200 output tokens: 2000 output tokens/s arrive. Both replicas keep up: a
  // step of T tokens takes max(10 us x T, step), and 10/s x 300 tokens x 10 us = 3% of the time
  // is compute. The fast one answers in ~200 x 5 ms = 1 s, the slow one in ~200 x 20 ms = 4 s:
  // both start empty, and the slow one is still ramping up (fewer requests in flight than it
  // will hold) for ~4 s, past the 1 s warm-up. Counted from the warm-up, the slow one reported
  // 1770 tokens/s (the ramp's missing ~2300 tokens over 10 s); measured once both are in
  // steady state, both report what arrives, to within one step's tokens at the window's edges.
  double busy_fast = 0, busy_slow = 0;
  const auto fast = periodic_stream(stepping_every(5e-3), 10, busy_fast);
  const auto slow = periodic_stream(stepping_every(20e-3), 10, busy_slow);
  REQUIRE(fast.llm);
  REQUIRE(slow.llm);
  CHECK(fast.slo_met);
  CHECK(slow.slo_met);
  CHECK(fast.llm->tpot_p50_s == doctest::Approx(5e-3).epsilon(0.05));
  CHECK(slow.llm->tpot_p50_s == doctest::Approx(20e-3).epsilon(0.05));
  CHECK(fast.llm->output_tokens_per_s == doctest::Approx(2000).epsilon(0.01));
  CHECK(slow.llm->output_tokens_per_s == doctest::Approx(2000).epsilon(0.01));
  // Prompt tokens likewise: 10/s x 100.
  CHECK(slow.llm->prompt_tokens_per_s == doctest::Approx(1000).epsilon(0.01));
  // The busy share is measured over the same window (energy per token divides the one by the
  // other): in steady state the slow replica always has a request in flight, so it always steps.
  CHECK(busy_slow == doctest::Approx(1.0).epsilon(0.001));
}

TEST_CASE("llm: an overloaded server reports what it delivers, less than what arrives") {
  // 1 ms of compute per token: a step of T tokens takes at least T ms, so the replica does at
  // most 1000 tokens/s of prompt and answer together, while 10/s x (100 + 200) = 3000 arrive.
  // Its requests pile up and the measured ones never all finish: no steady state, and what it
  // reports is what it generated over the measured window, stepping all the time.
  double busy = 0;
  const auto r = periodic_stream(toy(1e6), 10, busy);
  REQUIRE(r.llm);
  CHECK_FALSE(r.slo_met);
  CHECK(r.llm->unfinished > 0);
  CHECK(r.llm->output_tokens_per_s > 0);
  CHECK(r.llm->output_tokens_per_s + r.llm->prompt_tokens_per_s <= 1000 * 1.01);
  CHECK(busy == doctest::Approx(1.0).epsilon(0.001));
}

TEST_CASE("llm: the measured window slides past the ramp-up, whole, and never past the stop") {
  // One replica of the toy (a step of T tokens: max(1 ms x T, 10 ms)); one request of 25
  // prompt + 3 output tokens every second from 0 s: its tokens come at +25, +35 and +45 ms, so
  // each stays 45 ms. The window [2 s, 4 s] would start at the first arrival plus the longest
  // stay, 0 + 0.045 s: earlier than 2 s, so it stays at [2 s, 4 s].
  std::vector<hw::LlmRequest> reqs;
  for (int i = 0; i < 20; ++i) reqs.push_back({static_cast<double>(i), 25, 3});
  const auto st = hw::serve_llm(toy(1000), 1, reqs, {true, 20, 2, 4});
  CHECK(st.measured_from == doctest::Approx(2));
  CHECK(st.measured_to == doctest::Approx(4));
  CHECK(st.output_tokens == 6);  // the requests arriving at 2 s and 3 s
  // Asked for [0 s, 2 s]: it starts at 0.045 s, rounded up to whole bins of 2 s / 1000 = 2 ms:
  // [0.046 s, 2.046 s] holds the tokens of the requests of 1 s and 2 s, not those of 0 s.
  const auto early = hw::serve_llm(toy(1000), 1, reqs, {true, 20, 0, 2});
  CHECK(early.measured_from == doctest::Approx(0.046));
  CHECK(early.measured_to == doctest::Approx(2.046));
  CHECK(early.output_tokens == 6);
  CHECK(early.prompt_tokens == 50);
  // Stepping 25 + 10 + 10 ms for each of the two requests inside.
  CHECK(early.busy_s == doctest::Approx(0.09));
  // A stop 2 s after the window's end, with arrivals up to it: the window cannot slide past it.
  std::vector<hw::LlmRequest> slow_ones;
  for (int i = 0; i <= 12; ++i) slow_ones.push_back({static_cast<double>(i), 20, 500});  // stays 20 ms + 499 x 10 ms = 5.01 s
  const auto capped = hw::serve_llm(toy(1e6), 1, slow_ones, {true, 12, 0, 10});
  CHECK(capped.measured_from == doctest::Approx(2));
  CHECK(capped.measured_to == doctest::Approx(12));
}

TEST_CASE("llm: the measured window ends no later than the arrivals do") {
  // A replica stepping every 5 ms (10 us of compute per token: never more): 10 requests/s of
  // 100 prompt + 200 output tokens stay ~200 x 5 ms = 1 s each, emitting 10 x 200 = 2000
  // tokens/s in steady state; one more, of 2000 output tokens at 1 s, stays ~10 s, emitting 200
  // tokens/s until ~11 s. The window asked for is [1 s, 20 s], the stop 60 s.
  auto requests_until = [](double end) {
    std::vector<hw::LlmRequest> r{{1.0, 100, 2000}};
    for (int i = 0; i < static_cast<int>(std::lround(end * 10)); ++i) r.push_back({i / 10.0, 100, 200});
    std::stable_sort(r.begin(), r.end(), [](const auto& a, const auto& b) { return a.arrival_s < b.arrival_s; });
    return r;
  };
  // Arrivals (a trace) that end with the window, at 19.9 s: after them the replica drains. The
  // window cannot slide past the ramp (the first arrival, 0 s, + the long stay, 10 s) without
  // taking in the drain, so it stays at [1 s, 20 s]: 19 s x 2000 from the short ones + 10 s x
  // 200 from the long one, 2105 tokens/s. Slid to [10 s, 29 s] it read ~1150 tokens/s.
  const auto trace = hw::serve_llm(stepping_every(5e-3), 1, requests_until(20), {true, 60, 1, 20});
  CHECK(trace.measured_from == doctest::Approx(1));
  CHECK(trace.measured_to == doctest::Approx(20));
  CHECK(trace.output_tokens / 19 == doctest::Approx((19 * 2000.0 + 10 * 200.0) / 19).epsilon(0.01));
  // Arrivals until 25 s: the window slides, but ends at the last arrival (24.9 s) at the latest,
  // within one bin (19 s / 1000).
  const auto mid = hw::serve_llm(stepping_every(5e-3), 1, requests_until(25), {true, 60, 1, 20});
  CHECK(mid.measured_to <= 24.9);
  CHECK(mid.measured_to > 24.9 - 0.019);
  // Arrivals up to the stop (Poisson, periodic): the window slides past the long stay, to
  // [~10 s, ~29 s], and reads the 2000 tokens/s of the short ones (+ the long one's last
  // ~1 s x 200 tokens over the 19 s).
  const auto open = hw::serve_llm(stepping_every(5e-3), 1, requests_until(60), {true, 60, 1, 20});
  CHECK(open.measured_from > 10);
  CHECK(open.measured_from < 10.1);
  CHECK(open.output_tokens / 19 == doctest::Approx((19 * 2000.0 + 200) / 19).epsilon(0.01));
}

TEST_CASE("llm: a long answer unfinished at the stop does not make a server that keeps up overloaded") {
  // A replica stepping every 20 ms: 10 requests/s of 100 + 200 tokens from 0 s to the stop
  // (33 s) stay ~200 x 20 ms = 4 s: 2000 output tokens/s once ~40 are in flight, from ~4 s on.
  // One more at 2 s wants 5000 tokens (100 s): still decoding at the stop, one token per
  // step, 50 tokens/s. The window asked for is [1 s, 11 s]: it slides to start past the ramp
  // (the first arrival + the longest finished stay, ~4 s) and reads 2000 + 50 tokens/s.
  // Counting the unfinished answer as an overload kept the window at [1 s, 11 s], ramp and
  // all: ~1770 + 50.
  std::vector<hw::LlmRequest> reqs;
  for (int i = 0; i < 330; ++i) reqs.push_back({i / 10.0, 100, 200});
  reqs.insert(reqs.begin() + 21, hw::LlmRequest{2.0, 100, 5000});
  const auto st = hw::serve_llm(stepping_every(20e-3), 1, reqs, {true, 33, 1, 11});
  CHECK(st.outcomes[21].first_token_s >= 0);
  CHECK(st.outcomes[21].finish_s < 0);
  CHECK(st.measured_from > 4);
  CHECK(st.measured_from < 4.1);
  CHECK(st.output_tokens / 10 == doctest::Approx(2050).epsilon(0.01));
}

TEST_CASE("llm: a replica whose queue grows keeps the window where it was asked") {
  // The toy replica does at most 1000 tokens/s (1 ms per token); 2 requests/s of 100 prompt +
  // 200 output tokens, each needing all of a small KV cache (300 tokens), so one runs at a
  // time: 100 ms of prefill + 199 x 10 ms = 2.09 s each, 0.48 a second against 2 arriving.
  // Request k starts at k x 2.09 s: those of the window [1 s, 11 s] (k = 2..21) from 15 on
  // still wait for their first token at the stop (33 s), though the first ones finished. No
  // steady state: the window stays at [1 s, 11 s], and the replica reports what it delivered
  // there, 200 tokens per 2.09 s.
  std::vector<hw::LlmRequest> reqs;
  for (int i = 0; i < 66; ++i) reqs.push_back({i / 2.0, 100, 200});
  const auto st = hw::serve_llm(toy(300), 1, reqs, {true, 33, 1, 11});
  CHECK(st.outcomes[2].finish_s >= 0);
  CHECK(st.outcomes[21].first_token_s < 0);
  CHECK(st.measured_from == doctest::Approx(1));
  CHECK(st.measured_to == doctest::Approx(11));
  CHECK(st.output_tokens / 10 == doctest::Approx(200 / 2.09).epsilon(0.05));
}

TEST_CASE("llm: a replica whose batch grows keeps the window where it was asked") {
  // The toy replica with room for everything: 5 requests/s of 100 prompt + 200 output tokens
  // all get in at once, and a step of T tokens takes T ms (10 ms at least), so it does at most
  // 1000 tokens/s against 5 x 300 = 1500 arriving: the batch grows, each step is slower than
  // the last, and the requests of the window [1 s, 11 s] all get their first token but decode
  // ever slower, so that some of them are unfinished at the stop (33 s) though at the pace of
  // those that finished (their slowest TPOT) they would have been done. No steady state: the
  // window stays. (Taken for long answers, the unfinished ones let it slide to [~23 s, 33 s].)
  std::vector<hw::LlmRequest> reqs;
  for (int i = 0; i < 165; ++i) reqs.push_back({i / 5.0, 100, 200});
  const auto st = hw::serve_llm(toy(1e6), 1, reqs, {true, 33, 1, 11});
  int finished = 0, unfinished = 0, waiting = 0;
  for (std::size_t i = 5; i < 55; ++i) {  // arriving at 1 s to 10.8 s
    finished += st.outcomes[i].finish_s >= 0;
    unfinished += st.outcomes[i].finish_s < 0;
    waiting += st.outcomes[i].first_token_s < 0;
  }
  CHECK(finished > 0);
  CHECK(unfinished > 0);
  CHECK(waiting == 0);
  CHECK(st.measured_from == doctest::Approx(1));
  CHECK(st.measured_to == doctest::Approx(11));
  // At most its capacity: 1000 tokens/s of prompt and answer together.
  CHECK((st.output_tokens + st.prompt_tokens) / 10 <= 1000 * 1.01);
}

TEST_CASE("llm: a stream served in the data centre puts its bytes on the site's backhaul, one served on site does not") {
  // 4 sites at 10 requests/s each (periodic, 1 source) for 10 s; every request sends 2000 B
  // and gets 200 tokens back at 100 B each: 2000 + 20000 B per request, 220 kB/s per site.
  auto input = [](hw::Tier tier) {
    hw::SimInput in = chat_input(toy(1e6), hw::ArrivalKind::periodic, 10, 200, tier);
    in.seed = 5;
    in.warmup = hw::Seconds(1);
    in.duration = hw::Seconds(10);
    hw::SiteExec& site = in.sites[0];
    site.id = "office";
    site.count = 4;
    site.access.bandwidth = hw::BitsPerSecond(1e9);
    site.backhaul.bandwidth = hw::BitsPerSecond(10e6);
    (tier == hw::Tier::dc ? in.dc : in.edge).units = 4;
    in.streams[0].payload = hw::Bytes(2000);
    in.streams[0].result = hw::Bytes(100);
    return in;
  };
  const double per_day = 4 * 10 * 22000.0 * 86400.0;  // 4 sites x 10/s x 22 kB
  double busy = 0;
  std::uint64_t requests = 0;
  hw::RunResult dc;
  const hw::StreamResult a = hw::run_llm_stream(input(hw::Tier::dc), 0, busy, requests, &dc);
  CHECK(dc.backhaul_bytes_per_day == doctest::Approx(per_day));
  REQUIRE(dc.links.size() == 2);
  CHECK(dc.links[0].name == "access:office");
  CHECK(dc.links[1].name == "backhaul:office");
  CHECK(dc.links[0].bytes_per_day == doctest::Approx(per_day));
  CHECK(dc.links[1].bytes_per_day == doctest::Approx(per_day));
  // The busier direction (down, 200 kB/s = 1.6 Mbit/s) over 10 Mbit/s; the run's backhaul
  // peak is both directions (1.76 Mbit/s) over the bandwidth.
  CHECK(dc.links[1].peak_utilisation == doctest::Approx(0.16));
  CHECK(dc.links[0].peak_utilisation == doctest::Approx(1.6e-3));
  CHECK(dc.backhaul_peak_utilisation == doctest::Approx(0.176));
  // Counting the bytes leaves the stream's figures as they were.
  const hw::StreamResult b = hw::run_llm_stream(input(hw::Tier::dc), 0, busy, requests, nullptr);
  CHECK(a.completed == b.completed);
  CHECK(a.p99_s.value == b.p99_s.value);
  REQUIRE(a.llm);
  REQUIRE(b.llm);
  CHECK(a.llm->output_tokens_per_s == b.llm->output_tokens_per_s);
  // Served on site: the access link only (one site simulated, scaled to its 4).
  hw::RunResult edge;
  hw::run_llm_stream(input(hw::Tier::edge), 0, busy, requests, &edge);
  CHECK(edge.backhaul_bytes_per_day == 0.0);
  REQUIRE(edge.links.size() == 2);
  CHECK(edge.links[0].bytes_per_day == doctest::Approx(per_day));
  CHECK(edge.links[1].bytes_per_day == 0.0);
  CHECK(edge.backhaul_peak_utilisation == 0.0);
  // return_result: false sends no tokens back: only the 2000 B prompts travel (they were
  // billed for the answers too), and the time to first token has no trip back.
  hw::SimInput noret = input(hw::Tier::dc);
  noret.streams[0].return_result = false;
  hw::RunResult quiet;
  const hw::StreamResult q = hw::run_llm_stream(noret, 0, busy, requests, &quiet);
  CHECK(quiet.backhaul_bytes_per_day == doctest::Approx(4 * 10 * 2000.0 * 86400.0));
  REQUIRE(q.llm);
  CHECK(q.llm->ttft_p50_s < a.llm->ttft_p50_s);
}
