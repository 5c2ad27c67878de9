// LLM serving against published measurements (issue #14): the bundled profiles and the
// llama2-70b model (same shape as Llama-3.3-70B: 80 layers, d 8192, 8 KV heads of 128; its
// 70.6 G parameters against 69 G here, a 2% difference) run through sim/hardware/llm_cost and
// sim/engine/llm_serving, compared with
//  - tokens/s: TensorRT-LLM "Performance Overview" (docs/source/performance/perf-overview.md,
//    v1.0, commit 00f37686aa854010d68bcbd0f4ab000221541ca6, table "Llama 3.3 70B", FP8):
//    total output tokens/s of one replica fed at an infinite rate (trtllm-bench throughput,
//    every request of ISL/OSL tokens); H200 TP1 and H100 TP2. An 8-GPU server holds 8 such
//    H200 replicas or 4 H100 replicas: the per-server figure is the replica's x 8 or x 4, so
//    the error is the same.
//  - TTFT and inter-token latency: NVIDIA NIM for LLMs benchmarking, "Performance", Llama-3.3-
//    70b-instruct NIM 1.8.0, 2 x H100 80G, fp8, TP2, concurrency 1 (docs.nvidia.com/nim/
//    benchmarking/llm/1.0.0/performance): one request at a time.
// The errors are printed as a table (MESSAGE); the target, 25%, is asserted per row.
// Nothing here was fitted to these rows: the profiles' efficiency figures come from their
// own sources (MLPerf v5.0 ResNet-50 fit for the H200, carried to the H100).
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "sim/engine/llm_serving.hpp"
#include "sim/hardware/llm_cost.hpp"
#include "sim/io/loaders.hpp"

namespace {

const hw::Catalogue& catalogue() {
  static const hw::Catalogue c = hw::load_catalogue(HWPLAN_SOURCE_DIR "/hardware_profiles", HWPLAN_SOURCE_DIR "/scenarios/models");
  return c;
}

struct Replica {
  std::string profile;
  hw::ModelSplit split;
};

hw::LlmExec replica_exec(const Replica& r) {
  const auto& hwp = catalogue().profile(r.profile);
  const auto& m = catalogue().model("llama2-70b:decode");
  hw::LlmExec e;
  e.cost = *hw::llm_iteration_cost(hwp, m, hw::Precision::fp8, r.split);
  e.kv_capacity_tokens = hw::llm_kv_capacity_tokens(hwp, m, hw::Precision::fp8, r.split);
  e.token_budget = 8192;    // TensorRT-LLM's default max_num_tokens
  e.max_sequences = 2048;   // the benchmark's largest CUDA-graph batch sizes reach 8192: no cap below the KV cache
  e.gpus_per_replica = r.split.gpus;
  return e;
}

// Output tokens/s of one replica given `n` requests of isl/osl tokens at t = 0.
double offline_tokens_per_s(const Replica& r, int isl, int osl, int n) {
  std::vector<hw::LlmRequest> reqs(static_cast<std::size_t>(n), hw::LlmRequest{0.0, isl, osl});
  const auto st = hw::serve_llm(replica_exec(r), 1, reqs, {true, 1e9, 0.0, 1e9});
  double end = 0;
  for (const auto& o : st.outcomes) end = std::max(end, o.finish_s);
  return st.output_tokens / end;
}

struct Row {
  const char* what;
  Replica replica;
  int isl, osl;
  double published;  // output tokens/s of one replica
};

}  // namespace

TEST_CASE("llm published: offline output tokens/s against TensorRT-LLM's Llama 3.3 70B FP8 table") {
  const Replica h200{"nvidia-h200-sxm", {}};
  const Replica h100{"dgx-h100", {hw::SplitKind::tensor, 2}};
  const std::vector<Row> rows{
      {"H200 TP1 128/2048", h200, 128, 2048, 4336},  {"H200 TP1 500/2000", h200, 500, 2000, 3666},
      {"H200 TP1 1000/1000", h200, 1000, 1000, 2909}, {"H200 TP1 2048/2048", h200, 2048, 2048, 2003},
      {"H200 TP1 2048/128", h200, 2048, 128, 442},   {"H200 TP1 5000/500", h200, 5000, 500, 566},
      {"H100 TP2 128/2048", h100, 128, 2048, 6651},  {"H100 TP2 500/2000", h100, 500, 2000, 5222},
      {"H100 TP2 1000/1000", h100, 1000, 1000, 4205}, {"H100 TP2 2048/2048", h100, 2048, 2048, 3082},
      {"H100 TP2 2048/128", h100, 2048, 128, 762},   {"H100 TP2 5000/500", h100, 5000, 500, 898},
  };
  double sum = 0;
  std::string table = "\n| replica, ISL/OSL | predicted tok/s | published tok/s | error |\n|---|---|---|---|\n";
  for (const auto& r : rows) {
    // Enough requests for a steady state: the KV cache holds a few hundred sequences.
    const double got = offline_tokens_per_s(r.replica, r.isl, r.osl, 1500);
    const double err = got / r.published - 1;
    sum += std::abs(err);
    table += fmt::format("| {} | {:.0f} | {:.0f} | {:+.1f}% |\n", r.what, got, r.published, err * 100);
    INFO(r.what << ": predicted " << got << " tok/s, published " << r.published);
    CHECK(std::abs(err) <= 0.25);  // the target, per row
  }
  const double mape = sum / static_cast<double>(rows.size());
  table += fmt::format("mean |error| {:.1f}%\n", mape * 100);
  MESSAGE(table);
  CHECK(mape <= 0.25);
}

TEST_CASE("llm published: TTFT and inter-token latency at concurrency 1 against NIM's Llama-3.3-70B on 2 x H100") {
  const Replica h100{"dgx-h100", {hw::SplitKind::tensor, 2}};
  struct Lat {
    int isl, osl;
    double ttft_ms, itl_ms;
  };
  const std::vector<Lat> rows{{5000, 500, 406.77, 18.58}, {500, 2000, 47.77, 18.91}};
  std::string table = "\n| 2 x H100 TP2, ISL/OSL | TTFT ms (published) | error | ITL ms (published) | error |\n|---|---|---|---|---|\n";
  double worst = 0;
  for (const auto& r : rows) {
    const auto st = hw::serve_llm(replica_exec(h100), 1, {{0.0, r.isl, r.osl}}, {true, 1e9, 0.0, 1e9});
    const auto& o = st.outcomes.at(0);
    const double ttft = o.first_token_s * 1e3, itl = (o.finish_s - o.first_token_s) / (r.osl - 1) * 1e3;
    const double e1 = ttft / r.ttft_ms - 1, e2 = itl / r.itl_ms - 1;
    worst = std::max({worst, std::abs(e1), std::abs(e2)});
    CHECK(std::abs(e1) <= 0.25);
    CHECK(std::abs(e2) <= 0.25);
    table += fmt::format("| {}/{} | {:.1f} ({:.1f}) | {:+.1f}% | {:.2f} ({:.2f}) | {:+.1f}% |\n", r.isl, r.osl, ttft, r.ttft_ms, e1 * 100,
                         itl, r.itl_ms, e2 * 100);
  }
  MESSAGE(table);
  CHECK(worst > 0);  // a prediction was made
}

// AMD's own figures for the MI300X (issue #14: "AMD LLM throughput looks high"): AMD ROCm
// "Performance results" page (amd.com/en/developer/resources/rocm-hub/dev-ai/performance-results.html,
// vLLM throughput table, container rocm/vllm:rocm6.4.1_vllm_0.9.0.1_20250605, released June 18, 2025):
// Llama 3.1 70B (amd/Llama-3.1-70B-Instruct-FP8-KV), FP8, TP8 on one server of 8 x MI300X (192 GB,
// 750 W), requests fed at an infinite rate: 128/2048 (3200 prompts) 16581.5, 128/4096 (1500)
// 13667.3, 500/2000 (2000) 13367.1, 2048/2048 (1500) 8352.6 tokens/s. The page does not say
// whether prompt tokens are counted (vLLM's throughput benchmark prints both "total tokens/s" and
// "output tokens/s"), so both readings are compared. hwplan's planner splits no model over the
// amd-mi300x module (accelerators 1; its interconnect is the platform's, used by the TP8 test
// below), so it serves 70B FP8 (70 GB, fits 192 GB) as 8 TP1 replicas per server: the
// server's prompts split evenly over them.
TEST_CASE("llm published: MI300X server tokens/s against AMD's vLLM Llama 3.1 70B FP8 table (comparison recorded)") {
  const Replica mi300x{"amd-mi300x", {}};
  struct AmdRow {
    int isl, osl, prompts;
    double published;  // tokens/s of the 8-GPU server
  };
  const std::vector<AmdRow> rows{{128, 2048, 3200, 16581.5}, {128, 4096, 1500, 13667.3}, {500, 2000, 2000, 13367.1}, {2048, 2048, 1500, 8352.6}};
  std::string table =
      "\n| 8 x MI300X, ISL/OSL | predicted output tok/s | predicted total tok/s | AMD tok/s | error if AMD = output | error if AMD = total |\n"
      "|---|---|---|---|---|---|\n";
  double sum_out = 0, sum_tot = 0;
  for (const auto& r : rows) {
    const double out = 8 * offline_tokens_per_s(mi300x, r.isl, r.osl, r.prompts / 8);
    const double tot = out * (r.isl + r.osl) / r.osl;  // every request has isl prompt and osl output tokens
    const double e_out = out / r.published - 1, e_tot = tot / r.published - 1;
    sum_out += std::abs(e_out);
    sum_tot += std::abs(e_tot);
    table += fmt::format("| {}/{} | {:.0f} | {:.0f} | {:.1f} | {:+.1f}% | {:+.1f}% |\n", r.isl, r.osl, out, tot, r.published, e_out * 100,
                         e_tot * 100);
    CHECK(tot > out);
    // The recorded finding (docs/model.md, "LLM serving: AMD MI300X"): the estimated efficiencies
    // of the amd-mi300x profile put it above AMD's own figures, whichever reading is taken.
    CHECK(e_out > 0);
  }
  table += fmt::format("mean |error| {:.1f}% (AMD = output), {:.1f}% (AMD = total)\n", sum_out / rows.size() * 100, sum_tot / rows.size() * 100);
  MESSAGE(table);
}
// Intel Gaudi 3 against Intel's own published LLM throughput: "Model Performance Data for
// Intel Gaudi 3 AI Accelerators" (intel.com/content/www/us/en/developer/platform/gaudi/
// model-performance.html; Intel Gaudi software 1.18.0, PyTorch 2.4.0; HLS-Gaudi3, eight
// HL-325L OAM cards), table "Large Language Models (LLM) for Throughput with Intel Gaudi 3
// Accelerator", FP8: LLaMA 2 7b on 1 HPU and LLaMA 2 70b on 2 HPUs, each at one input/output
// length and the batch size Intel lists. Intel's figure is generated tokens per second of a
// static batch of that many requests (Optimum Habana text generation), so the replica here
// admits up to that batch and runs it to its end (static batching), given `batch` requests.
// Nothing was fitted to these rows: the Gaudi 3 profile's efficiencies are estimates (0.45 of
// the matrix peak, 0.8 of HBM). Measured 2026-12-01: 7B +41.7% (128/128), +17.4%, +9.5%,
// +13.4%; 70B TP2 +35.1%, +54.1%, +35.8%, +71.6%: five of eight rows miss the 25%.
// (70B 128/2048 at batch 512 needs 1.11 M tokens of KV cache; the model's two HPUs hold
// 0.99 M after its memory reserve, so it runs as two static batches.)
namespace {

struct GaudiRow {
  const char* model;
  int hpus, isl, osl, batch;
  double published;  // generated tokens/s of the whole batch
  const char* profile = "intel-gaudi3";
  bool continuous = false;  // static batches of `batch` (Intel), or continuous batching (vLLM)
  int requests = 0;         // requests given at t = 0; 0 = `batch`
  int token_budget = 8192;  // tokens per iteration (vLLM's max_num_batched_tokens)
};

const std::vector<GaudiRow>& gaudi_rows() {
  static const std::vector<GaudiRow> rows{
      {"llama2-7b:decode", 1, 128, 128, 1536, 19810},  {"llama2-7b:decode", 1, 128, 2048, 217, 6763},
      {"llama2-7b:decode", 1, 2048, 128, 153, 2029},   {"llama2-7b:decode", 1, 2048, 2048, 75, 2734},
      {"llama2-70b:decode", 2, 128, 128, 1750, 4433},  {"llama2-70b:decode", 2, 128, 2048, 512, 6026},
      {"llama2-70b:decode", 2, 2048, 128, 231, 498},   {"llama2-70b:decode", 2, 2048, 2048, 240, 2641},
  };
  return rows;
}

// A module profile (accelerators 1) as the server its `server` block buys, when the row runs
// over exactly that many modules: the interconnect between them is then the one of the
// platform (allreduce_time takes a split wider than `accelerators` to scale_out, which the
// modules do not have). Other profiles and other widths are returned as they are.
hw::HardwareProfile as_platform(hw::HardwareProfile p, int k) {
  if (k > p.accelerators && std::find(p.server_gpus.begin(), p.server_gpus.end(), k) != p.server_gpus.end()) p.accelerators = k;
  return p;
}

// Generated tokens/s of `r.batch` requests on profile hwp (batches as gaudi_tokens_per_s).
double served_tokens_per_s(const hw::HardwareProfile& hwp, const GaudiRow& r) {
  const auto& m = catalogue().model(r.model);
  hw::ModelSplit split;
  if (r.hpus > 1) split = {hw::SplitKind::tensor, r.hpus};
  const auto cost = hw::llm_iteration_cost(hwp, m, hw::Precision::fp8, split);
  if (!cost) return std::nan("");
  hw::LlmExec e;
  e.cost = *cost;
  e.kv_capacity_tokens = hw::llm_kv_capacity_tokens(hwp, m, hw::Precision::fp8, split);
  e.token_budget = r.token_budget;
  e.max_sequences = r.batch;
  e.gpus_per_replica = r.hpus;
  const int n = r.requests > 0 ? r.requests : r.batch;
  std::vector<hw::LlmRequest> reqs(static_cast<std::size_t>(n), hw::LlmRequest{0.0, r.isl, r.osl});
  const auto st = hw::serve_llm(e, 1, reqs, {r.continuous, 1e9, 0.0, 1e9});
  double end = 0;
  for (const auto& o : st.outcomes) end = std::max(end, o.finish_s);
  return st.output_tokens / end;
}

// Generated tokens/s of `r.batch` requests served in static batches of at most r.batch;
// NaN where the model has no LLM cost (a model without its KV shape).
double gaudi_tokens_per_s(const GaudiRow& r) { return served_tokens_per_s(as_platform(catalogue().profile(r.profile), r.hpus), r); }

}  // namespace

TEST_CASE("llm published: Intel Gaudi 3 LLaMA 2 7B / 70B FP8: every row gets a throughput, errors reported") {
  std::string table = "\n| Gaudi 3: model, HPUs, ISL/OSL, batch | predicted tok/s | published tok/s | error |\n|---|---|---|---|\n";
  double sum = 0;
  for (const auto& r : gaudi_rows()) {
    const double got = gaudi_tokens_per_s(r);
    INFO(std::string(r.model) << " " << r.isl << "/" << r.osl);
    // A finite, positive figure: before llama2-7b had kv_heads and head_dim its KV cache per
    // token was 0 and this came out NaN.
    CHECK(std::isfinite(got));
    CHECK(got > 0);
    const double err = got / r.published - 1;
    sum += std::abs(err);
    table += fmt::format("| {} x{} {}/{} b{} | {:.0f} | {:.0f} | {:+.1f}% |\n", r.model, r.hpus, r.isl, r.osl, r.batch, got, r.published,
                         err * 100);
  }
  table += fmt::format("mean |error| {:.1f}%\n", 100 * sum / static_cast<double>(gaudi_rows().size()));
  MESSAGE(table);
}

// The target, 25% per row, which the estimated Gaudi 3 efficiency does not meet
// (errors above): marked should_fail so that the misfit stays visible and a profile fitted
// to these rows later shows up as an unexpected pass, to be turned into a plain check.
TEST_CASE("llm published: Intel Gaudi 3 within the issue's 25% per row (known misfit)" * doctest::should_fail()) {
  for (const auto& r : gaudi_rows()) {
    const double err = gaudi_tokens_per_s(r) / r.published - 1;
    INFO(std::string(r.model) << " " << r.isl << "/" << r.osl << ": " << err * 100 << "%");
    CHECK(std::abs(err) <= 0.25);
  }
}

// AMD MI300X against AMD's own published vLLM throughput: "Performance results" for AMD
// Instinct GPUs (www.amd.com/en/developer/resources/rocm-hub/dev-ai/performance-results.html,
// the snapshot for container rocm/vllm:rocm7.0.0_vllm_0.11.1_20251103; read in the search
// corpus's copy of the page's /ja/ address, English text), "Results on AMD Instinct MI300X
// Platform", throughput table: Llama 3.1 70B FP8 (amd/Llama-3.1-70B-Instruct-FP8-KV), TP8 on
// 8x MI300X 750 W, a local client feeding requests at an infinite rate; input/output lengths,
// number of prompts (= max sequences) and tokens/s. llama2-70b has Llama 3.1 70B's shape (80
// layers, d 8192, 8 KV heads of 128; its vocabulary is smaller). The column is read as
// generated tokens/s; were it total tokens/s, the errors below would be larger still. Other
// snapshots of the page give 12.6 k to 16.6 k tokens/s for the first row (software versions).
// One TP8 replica with continuous batching, all prompts at t = 0, over the 8-module platform
// (as_platform): its all-reduces take the profile's Infinity Fabric figure. Nothing fitted: the
// MI300X efficiencies are estimates (0.5 of the FP8 peak, 0.8 of HBM). Measured 2026-12-01:
// +193% (128/2048), +219% (128/4096), +188% (500/2000), +152% (2048/2048): the model is ~3x too
// fast for vLLM on MI300X at TP8 (4-5x before the interconnect was in the profile and TP8's
// all-reduces cost nothing). Why the efficiency is not refitted: the test after the next one.
namespace {

const std::vector<GaudiRow>& mi300x_rows() {
  static const std::vector<GaudiRow> rows{
      {"llama2-70b:decode", 8, 128, 2048, 3200, 13279.6, "amd-mi300x", true, 3200},
      {"llama2-70b:decode", 8, 128, 4096, 1500, 11449.7, "amd-mi300x", true, 1500},
      {"llama2-70b:decode", 8, 500, 2000, 2000, 11347.4, "amd-mi300x", true, 2000},
      {"llama2-70b:decode", 8, 2048, 2048, 1500, 7651.7, "amd-mi300x", true, 1500},
  };
  return rows;
}

}  // namespace

TEST_CASE("llm published: AMD MI300X Llama 3.1 70B FP8 TP8 (vLLM): every row gets a throughput, errors reported") {
  std::string table = "\n| 8x MI300X TP8, ISL/OSL, prompts | predicted tok/s | published tok/s | error |\n|---|---|---|---|\n";
  for (const auto& r : mi300x_rows()) {
    const double got = gaudi_tokens_per_s(r);
    INFO(r.isl << "/" << r.osl);
    CHECK(std::isfinite(got));
    CHECK(got > 0);
    table += fmt::format("| {}/{} n{} | {:.0f} | {:.1f} | {:+.1f}% |\n", r.isl, r.osl, r.batch, got, r.published, (got / r.published - 1) * 100);
  }
  MESSAGE(table);
}

// The 25% per row, which the estimated MI300X efficiency misses by far (see above).
TEST_CASE("llm published: AMD MI300X within the issue's 25% per row (known misfit)" * doctest::should_fail()) {
  for (const auto& r : mi300x_rows()) {
    const double err = gaudi_tokens_per_s(r) / r.published - 1;
    INFO(r.isl << "/" << r.osl << ": " << err * 100 << "%");
    CHECK(std::abs(err) <= 0.25);
  }
}

// Could one device efficiency explain AMD's vLLM rows? The procedure a fit would use, run here
// so that its outcome is checked rather than asserted in prose (issue #13, "fitted to
// measurements", validated on rows not used in the fit):
//  fit:      efficiency.compute of amd-mi300x, by bisection, such that the geometric mean of
//            predicted / published over the four mi300x_rows() (vLLM 0.11.1, TP8 over the
//            platform's Infinity Fabric, 448 GB/s per GPU and direction) is 1;
//  held out: MLPerf Inference v5.1, closed, AMD 8xMI300X_2xEPYC_9575F, llama2-70b-99 Offline
//            27803.9 tokens/s (results/8xMI300X_2xEPYC_9575F/summary.html in
//            github.com/mlcommons/inference_results_v5.1, read in the mirror
//            github.com/ntuhpc/inference_results_v5.1 at commit 965182b0), run as AMD's harness
//            ran it (code/llama2-70b-99.9/harness_llm/models/llama2-70b/offline_mi300x.yaml:
//            tensor_parallel_size 1 on each of 8 GPUs, max_num_seqs 1792, max_num_batched_tokens
//            40960): 24576 / 8 = 3072 requests per GPU, 265 output tokens each (the run's
//            TOKENS_PER_SAMPLE). The OpenOrca prompts' mean length was not found in a source
//            here, so the prompt length is bracketed, 300 to 1000 tokens.
// Measured 2026-12-01: the fit gives efficiency.compute 0.110 (residuals -10%..+15% on its own
// rows; -21%..-3% on the page's earlier vLLM 0.9.0.1 snapshot, also held out) and then
// predicts MLPerf's offline figure 72% to 88% too low whatever the prompt length; the
// profile's 0.5 gives -44% (prompt 1000) .. +27% (300) there. The two AMD sources disagree
// by about 4x per GPU on the same device and model (vLLM defaults at TP8 against AMD's tuned
// TP1 MLPerf harness): the gap is in the serving software, which the profile's device
// efficiency does not describe, so the profile is not refitted (docs/model.md).
TEST_CASE("llm published: MI300X efficiency fitted to AMD's vLLM TP8 rows fails on MLPerf v5.1 (held out)") {
  auto profile_at = [](double eff) {
    hw::HardwareProfile p = catalogue().profile("amd-mi300x");
    p.efficiency_compute = eff;
    return p;
  };
  auto log_ratio = [&](double eff) {
    double s = 0;
    for (const auto& r : mi300x_rows()) s += std::log(served_tokens_per_s(as_platform(profile_at(eff), r.hpus), r) / r.published);
    return s / static_cast<double>(mi300x_rows().size());
  };
  REQUIRE(catalogue().profile("amd-mi300x").interconnect_bandwidth.si() > 0);  // TP8 pays its all-reduces
  double lo = 0.01, hi = catalogue().profile("amd-mi300x").efficiency_compute;
  REQUIRE(log_ratio(hi) > 0);  // the profile's own value over-predicts the rows
  REQUIRE(log_ratio(lo) < 0);
  for (int i = 0; i < 30; ++i) (log_ratio(0.5 * (lo + hi)) > 0 ? hi : lo) = 0.5 * (lo + hi);
  const double fitted = 0.5 * (lo + hi);
  std::string table = fmt::format("\nfitted efficiency.compute {:.3f}\n| row | published | predicted, profile | predicted, fitted |\n|---|---|---|---|\n", fitted);
  // The page's earlier snapshot (container rocm/vllm:rocm6.4.1_vllm_0.9.0.1_20250605; the
  // figures of the first MI300X test above), same rows and prompts: held out as well.
  const double june[] = {16581.5, 13667.3, 13367.1, 8352.6};
  std::size_t i = 0;
  for (const auto& r : mi300x_rows()) {
    const double before = gaudi_tokens_per_s(r), after = served_tokens_per_s(as_platform(profile_at(fitted), r.hpus), r);
    table += fmt::format("| vLLM 0.11.1 TP8 {}/{} (fit) | {:.0f} | {:.0f} ({:+.0f}%) | {:.0f} ({:+.0f}%) |\n", r.isl, r.osl, r.published, before,
                         (before / r.published - 1) * 100, after, (after / r.published - 1) * 100);
    const double j = june[i++];
    table += fmt::format("| vLLM 0.9.0.1 TP8 {}/{} (held out) | {:.0f} | {:.0f} ({:+.0f}%) | {:.0f} ({:+.0f}%) |\n", r.isl, r.osl, j, before,
                         (before / j - 1) * 100, after, (after / j - 1) * 100);
    CHECK(std::abs(after / r.published - 1) <= 0.25);  // the fit meets its own rows
    CHECK(std::abs(after / j - 1) <= 0.25);            // and carries over to the other vLLM snapshot
  }
  const double mlperf = 27803.9;
  for (const int isl : {300, 700, 1000}) {
    const GaudiRow row{"llama2-70b:decode", 1, isl, 265, 1792, mlperf / 8, "amd-mi300x", true, 3072, 40960};
    const double before = 8 * served_tokens_per_s(profile_at(catalogue().profile("amd-mi300x").efficiency_compute), row);
    const double after = 8 * served_tokens_per_s(profile_at(fitted), row);
    table += fmt::format("| MLPerf v5.1 Offline TP1 x 8, ISL {} (held out) | {:.0f} | {:.0f} ({:+.0f}%) | {:.0f} ({:+.0f}%) |\n", isl, mlperf,
                         before, (before / mlperf - 1) * 100, after, (after / mlperf - 1) * 100);
    INFO("MLPerf v5.1 offline, prompt " << isl << ": fitted predicts " << after);
    CHECK(after < 0.5 * mlperf);  // the finding: the fit does not carry over to the held-out rows
  }
  MESSAGE(table);
}
