// The run contract: what a simulation takes (SimInput, with its EngineOptions) and what it
// returns (RunResult). Plain value types, no SimGrid: the planner builds a fully resolved
// SimInput (service times already computed by the pure performance model), hands it to a
// Runner, which simulates it in another process, and reads a RunResult back. Every field
// travels as JSON (sim/run/json.hpp); the cache key is the hash of that JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/stats.hpp"
#include "sim/core/units.hpp"
#include "sim/hardware/llm_cost.hpp"
#include "sim/workload/scenario.hpp"

namespace hw {

enum class Tier { edge, dc };

// A fleet of identical units in one tier (per site for the edge, in total for the DC).
struct TierSpec {
  std::string hardware;      // profile id
  int units = 0;             // per site (edge) or servers (dc); 0 = tier unused
  int slots = 1;             // requests served in parallel per unit (accelerators x replicas)
  Watts power_idle, power_max;  // per unit
  int max_batch = 1;
  Seconds max_wait;
  int queue_capacity = 0;    // requests waiting per unit (not in service); 0 = unbounded.
                             // A request arriving over the network at a full queue is dropped.
  // Edge only: the units of the one site instance edge batch jobs run on (the first instance of
  // their upload_site), that site's `units` among them: it has max(units, job_units) units, the
  // first `units` serving its streams and all of them the jobs; every other site has `units`.
  // 0 = none beyond `units` (the data centre: always 0).
  int job_units = 0;
};

// The units the edge job site has beyond every site's `units` (0 when job_units is not above it).
inline int job_site_extra(const TierSpec& t) { return t.job_units > t.units ? t.job_units - t.units : 0; }

struct StageExec {
  std::string id;
  Tier tier = Tier::edge;
  std::vector<double> service_s;  // service_s[b-1] = time of a batch of b items, b = 1..max
  Bytes output;                   // handed to the next stage (or the result if last)
  double fraction = 1.0;          // share of the previous stage's items that reach this one
  Variability variability;        // random factor with mean 1 on each batch's service time
};

// An LLM serving stream as the engine runs it (sim/engine/llm_serving.hpp): continuous
// batching on `replicas_per_unit` model copies per unit of the stream's tier.
struct LlmExec {
  LengthDistribution prompt_tokens, output_tokens;
  int replicas_per_unit = 1;        // model copies per unit (server or edge box)
  int gpus_per_replica = 1;
  double kv_capacity_tokens = 0;    // tokens of KV cache one replica holds
  int token_budget = 2048;
  int max_sequences = 256;
  LlmIterationCost cost;
  Slo ttft, tpot;
};

struct StreamExec {
  std::string id;
  int site = 0;                   // index into SimInput::sites
  int sources = 1;                // per site
  Arrival arrival;
  Bytes payload;
  Bytes result;
  bool return_result = true;
  std::vector<StageExec> stages;
  Slo slo;
  // For trace arrivals: timestamps (s) and sizes (bytes, 0 = payload), pre-loaded.
  std::vector<double> trace_times;
  std::vector<double> trace_sizes;
  std::optional<LlmExec> llm;     // an LLM serving stream: served by continuous batching, not `stages`
  // A video stream: time to decode one item's frame before its first stage starts
  // (sim/hardware/media.hpp, DecodeLoad::frame_s), 0 = no decoding modelled. The engine adds it
  // to every item's latency.
  double decode_s = 0;
  // A video stream: the decoders' time per item reaching the first stage, every frame of the
  // source counted (DecodeLoad::busy_per_item_s; 0 = none). The decoders are a resource of their
  // own beside the cores (one set per slot of the unit that runs the first stage): the engine
  // queues this work on them, first come first served, and adds each item's wait there to its
  // latency; the first stage's service_s is the inference alone.
  double decode_busy_s = 0;
};

// A batch job (training, rendering, a scientific run): its dataset is uploaded from a site
// over that site's backhaul, then it runs on `devices` accelerators of one tier.
struct BatchJobExec {
  std::string id, kind;
  Tier tier = Tier::dc;            // where it runs
  int devices = 1;                 // accelerators used
  double single_device_s = 0;      // whole job on one device: roofline max(flops/peak_eff, bytes/bw_eff) at the job's precision (pure perf model)
  double scaling_efficiency = 0.9; // parallel efficiency per doubling of devices: speedup(n) = n * eff^log2(n)
  Bytes dataset;                   // uploaded from site `upload_site` over its backhaul before compute starts (0 = none)
  int upload_site = 0;             // index into SimInput::sites
  double deadline_s = 0;           // 0 = no deadline
};

struct SiteExec {
  std::string id;
  int count = 1;                  // identical sites represented
  int simulated = 1;              // how many of them the engine instantiates
  LinkSpec access, backhaul;
};

// How the engine runs, as opposed to what it simulates. These used to be environment
// variables; now they are data, so the cache key and the child process see them.
struct EngineOptions {
  std::string context_factory;          // SimGrid contexts/factory ("" = SimGrid's default)
  std::vector<std::string> simgrid_cfg; // extra SimGrid settings "name:value", for experiments
  bool energy_plugin = false;           // force SimGrid executions + energy plugin even without batch jobs
  std::uint64_t keep_sends_above = 64;  // transfers in flight above which sends are kept, not detached
  // Stop a run whose backlog is certain to grow (a tier or link offered more than it can
  // serve): the result says so, with the figures (RunResult::overload).
  bool stop_on_overload = true;
  // The most requests one simulation may create (its event budget). A run that reaches it
  // stops at once and fails with an error that starts with kEventBudgetExceeded: a run
  // too large for the budget never runs on for hours. 0 = no budget.
  std::uint64_t event_budget = 100'000'000;
};

// The start of the error of a run stopped by EngineOptions::event_budget.
inline constexpr const char* kEventBudgetExceeded = "event budget exceeded";

// That error as a user of the command line reads it: the budget named by its option
// ("--max-events 1000", not the engine's field name) and how to raise it. Any other text
// is returned as it is.
inline std::string event_budget_for_people(std::string error) {
  const auto replace = [&error](const std::string& from, const std::string& to) {
    if (auto at = error.find(from); at != std::string::npos) error.replace(at, from.size(), to);
  };
  replace("(EngineOptions.event_budget = ", "(--max-events ");
  replace("raise the budget", "raise it with --max-events N (0 for none)");
  return error;
}

struct SimInput {
  std::string label;              // e.g. "edge jetson-orin-nano-super x1/site"
  std::uint64_t seed = 1;
  Seconds duration, warmup;
  Seconds dc_fabric_latency;
  std::vector<SiteExec> sites;
  std::vector<StreamExec> streams;
  std::vector<BatchJobExec> jobs;  // run to completion, however long they take
  TierSpec edge, dc;
  int batch_means = 10;           // batches for confidence intervals (fixed-length runs)
  // Stop early once the 95% CI half-width of every stream's SLO percentile is within this
  // fraction of its estimate (checked from 10 batches on, 40 batches over the duration);
  // 0 runs the whole duration. The duration is then the cap.
  double target_precision = 0.0;
  EngineOptions engine;
};

// What users of an LLM serving stream measure, over the requests created after warm-up:
// time to first token (request sent -> first token back, network included), time per
// output token after the first ((finish - first token) / (output tokens - 1), requests of
// one token left out), end to end; and the tokens generated per second.
struct LlmResult {
  std::uint64_t requests = 0;       // measured requests finished
  std::uint64_t unfinished = 0;     // measured requests still running or waiting at the end (above both SLOs)
  std::uint64_t rejected = 0;       // measured requests longer than a replica's KV cache (never served)
  double ttft_p50_s = 0, ttft_p99_s = 0;
  double tpot_p50_s = 0, tpot_p99_s = 0;
  double e2e_p50_s = 0, e2e_p99_s = 0;
  double ttft_at_slo_s = 0;         // TTFT at the SLO percentile
  double ttft_violation_rate = 0;   // share above the TTFT bound (unfinished and rejected count)
  bool ttft_met = false;
  double tpot_at_slo_s = 0;
  double tpot_violation_rate = 0;
  bool tpot_met = false;
  double output_tokens_per_s = 0;   // generated over the measured window, all represented replicas
  double prompt_tokens_per_s = 0;   // prefilled over the measured window
  double output_tokens_per_s_per_replica = 0;
  double output_tokens_per_s_per_unit = 0;   // per server (or edge box)
  int replicas = 0;                 // represented replicas
  int gpus_per_replica = 1;
  double kv_capacity_tokens = 0;    // per replica
  double mean_running = 0;          // sequences per iteration, averaged over iterations
  // stepping_share: the share of the measured window a replica has an iteration in flight,
  // averaged over the replicas (what the tier's power is taken from); compute_share: the part
  // of that stepping time the roofline's compute term accounts for (a memory-bound decode step
  // keeps the GPU stepping with most of its arithmetic idle). The tier's utilisation is
  // stepping_share x compute_share, the share of the replicas' arithmetic capacity used.
  double stepping_share = 0;
  double compute_share = 0;
};

struct StreamResult {
  std::string id;
  std::uint64_t completed = 0;    // requests measured (created after warm-up)
  std::uint64_t unfinished = 0;   // created after warm-up but not done when the run stopped
  std::uint64_t dropped = 0;      // created after warm-up, refused by a full queue (count as SLO violations)
  double throughput_per_s = 0;    // completed per second, all represented sites
  Estimate mean_s, p50_s, p90_s, p95_s, p99_s, p999_s;
  double slo_percentile = 99;
  double slo_latency_s = 0;
  double slo_violation_rate = 0;  // fraction above the SLO bound (unfinished and dropped count as above)
  bool slo_met = false;
  // Latency distribution of the completed requests: log-spaced bins, ten per decade on one
  // fixed grid (edges 10^(k/10) s, so that runs and candidates line up), from the bin of the
  // fastest request to that of the slowest. Bin i holds latency_counts[i] requests with a
  // latency in [latency_edges_s[i], latency_edges_s[i+1]) (to the measuring histogram's
  // 0.5% resolution); the counts add up to `completed`. Both empty when none completed.
  std::vector<double> latency_edges_s;
  std::vector<std::uint64_t> latency_counts;
  // An LLM serving stream: its TTFT/TPOT figures. The latency fields above are then the time
  // to first token's (point estimates, no histogram), slo_percentile / slo_latency_s its
  // target, and slo_met / slo_violation_rate combine both targets (met only if both are).
  std::optional<LlmResult> llm;
};

struct BatchJobResult {
  std::string id, kind;
  int devices = 0;
  double upload_s = 0;            // dataset upload, from t = 0 (0 without a dataset)
  double compute_s = 0;           // from the start of its compute to its end
  double makespan_s = 0;          // from t = 0 to the end of its compute
  double deadline_s = 0;          // 0 = none
  bool deadline_met = false;      // makespan <= deadline (always true without a deadline)
  double energy_j = 0;            // devices' share of the units' maximum power x compute time
};

struct TierResult {
  std::string hardware;
  int units_total = 0;            // represented units (scaled to all sites)
  double utilisation = 0;         // busy slot-time / available slot-time (LLM replicas: their compute share, see LlmResult)
  double avg_power_w = 0;         // all represented units (before PUE)
  double energy_j_per_day = 0;    // all represented units (before PUE)
  // Requests waiting (not in service) per unit: time-average over the measured window,
  // averaged over the units, and the largest seen at any unit.
  double mean_queue_length = 0, max_queue_length = 0;
};

// Traffic on one kind of link, all represented sites together.
struct LinkResult {
  std::string name;               // "access:<site id>", "backhaul:<site id>"
  double bytes_per_day = 0;       // both directions, all sites of that kind
  double peak_utilisation = 0;    // busiest site's busier direction: average bits/s / bandwidth
};

// A run stopped early because its backlog could only grow: arrivals above what a tier can
// serve or a link can carry, with the queue (or the flows in flight) rising window after
// window. The run is then infeasible by construction; these are the figures that say why.
struct Overload {
  std::string where;     // "edge tier", "dc tier", "access:<site>", "backhaul:<site>"
  double offered = 0;    // measured arrivals into it, in `unit`
  double capacity = 0;   // what it can serve, in `unit`
  std::string unit;      // "items/s" for a tier, "bit/s" for a link
  double at_s = 0;       // simulated time of the stop
};

struct RunResult {
  std::string label;
  bool ok = true;                 // false: the simulation itself failed (error says why)
  std::string error;
  double simulated_time_s = 0;
  double wall_time_s = 0;
  std::uint64_t events = 0;       // requests simulated
  std::vector<StreamResult> streams;
  std::vector<BatchJobResult> jobs;
  TierResult edge, dc;
  double backhaul_bytes_per_day = 0;  // all represented sites
  double backhaul_peak_utilisation = 0;
  std::vector<LinkResult> links;  // per site kind: access, then backhaul (streams' traffic only)
  std::string scaling_note;       // e.g. "simulated 1 of 40 identical sites, scaled"
  std::string stop_reason;        // why the run ended: precision reached, the time cap, or overload
  std::optional<Overload> overload;  // set when the run was stopped for a growing backlog
};

}  // namespace hw
