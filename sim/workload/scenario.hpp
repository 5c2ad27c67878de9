// A scenario: sites, streams, batch jobs, costs, constraints and the candidate
// deployments to compare. Parsed once by sim/io into these immutable structs.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/units.hpp"
#include "sim/hardware/profile.hpp"

namespace hw {

struct LinkSpec {
  std::string type;         // wired, wifi6, lte, 5g, wan, custom
  Seconds latency;          // one-way
  BitsPerSecond bandwidth;
  friend bool operator==(const LinkSpec&, const LinkSpec&) = default;
};

// What a site offers the edge units installed there (`conditions:`): the ambient range they
// must survive, the ingress rating they need, the power available for them, and the sensor
// ports (by kind) that must be wired straight into them. Unset = no requirement.
struct SiteConditions {
  std::optional<double> min_c, max_c;       // ambient, degrees Celsius
  std::optional<IngressRating> ingress;
  std::optional<Watts> power;               // for all edge units of one site
  std::map<std::string, int> ports;         // ports needed at one site, by kind
  [[nodiscard]] bool empty() const { return !min_c && !max_c && !ingress && !power && ports.empty(); }
  friend bool operator==(const SiteConditions&, const SiteConditions&) = default;
};

struct Site {
  std::string id;
  int count = 1;            // identical sites of this kind
  LinkSpec access;          // sources -> on-site edge unit / site gateway
  LinkSpec backhaul;        // site gateway -> data centre (aggregation + WAN)
  SiteConditions conditions;
  friend bool operator==(const Site&, const Site&) = default;
};

enum class ArrivalKind { periodic, poisson, bursty, diurnal, trace };
std::string to_string(ArrivalKind k);

struct Arrival {
  ArrivalKind kind = ArrivalKind::poisson;
  PerSecond rate;                       // per source (mean rate for bursty/diurnal)
  Seconds jitter;                       // periodic: uniform jitter +- jitter
  Seconds on_time, off_time;            // bursty on/off: mean sojourns
  double burst_factor = 1.0;            // bursty: rate while on = rate * factor
  std::vector<double> hourly;           // diurnal: 24 multipliers
  std::optional<int> start_hour;        // diurnal: the hour of day simulated time 0 falls in (0-23);
                                        // none: the busiest hour (diurnal_start_hour)
  std::string trace_file;               // trace: resolved path
  double time_scale = 1.0;              // trace: timestamps are divided by this (load multiplier)
  friend bool operator==(const Arrival&, const Arrival&) = default;
};

// Diurnal profiles. The first index of the largest multiplier (0 for an empty list): the hour a
// run starts in when the scenario does not say, so that a run shorter than a day measures the
// busiest hour, the one a deployment has to be sized for.
int busiest_hour(const std::vector<double>& hourly);
// The hour of day simulated time 0 falls in: `start_hour` where given, else busiest_hour.
int diurnal_start_hour(const Arrival& a);
// The one hour lookup: the index into a 24-entry `hourly` of simulated time t for a profile
// whose time 0 falls in hour `start` (start + floor(t / 3600), mod 24; t < 0 or not a number
// counts as 0, a start outside 0-23 is taken mod 24).
std::size_t hour_of_day(double t, int start);
// A diurnal stream's multiplier at simulated time t (hourly[hour_of_day(t, start)]); 1 for any
// other process or an empty profile.
double hourly_multiplier(const Arrival& a, double t);
// The simulated time by which a stream whose rate at multiplier 1 is `rate` (items/s, all its
// sources together) has offered `count` items since time `from`, on average: from + count /
// rate, a diurnal profile's hours walked from its start hour. Infinity when it never does (a
// rate of 0, an all-zero profile).
double time_to_offer(const Arrival& a, double rate, double from, double count);

// Service time = model time x a random factor with mean 1.
enum class ServiceDistribution { deterministic, exponential, lognormal };
struct Variability {
  ServiceDistribution distribution = ServiceDistribution::deterministic;
  double cv = 0.0;  // coefficient of variation (exponential: 1)
  friend bool operator==(const Variability&, const Variability&) = default;
};

struct Stage {
  std::string id;
  std::string model;                    // workload model id
  std::optional<Precision> precision;   // default: the model's
  Bytes output;                         // bytes handed to the next stage (default: model output)
  double fraction = 1.0;                // share of the previous stage's items that reach this stage
  Variability variability;              // service-time variability around the model's time
  friend bool operator==(const Stage&, const Stage&) = default;
};

struct Slo {
  double percentile = 99.0;             // p in (0, 100)
  Seconds latency;                      // bound at that percentile
  double max_violation = 0.01;          // allowed fraction of requests above the bound
  friend bool operator==(const Slo&, const Slo&) = default;
};

// What a video source sends (the `video:` key of a stream): decoding it bounds how many
// sources one device takes (sim/hardware/media.hpp).
struct Video {
  std::string codec;                    // h264, h265, av1, jpeg
  int width = 1920, height = 1080;      // pixels per frame
  PerSecond fps;                        // frames each source sends and must be decoded; 0 = the arrival rate
  friend bool operator==(const Video&, const Video&) = default;
};

// A token count drawn once per request (an LLM prompt or answer length), in tokens:
//   fixed      every request has `mean` tokens;
//   uniform    a whole number in [min, max], each equally likely;
//   lognormal  mean `mean`, coefficient of variation `cv` (ln X ~ N(mu, s^2), s^2 = ln(1 + cv^2),
//              mu = ln(mean) - s^2/2), rounded, then kept within [min, max] (max 0 = no bound);
//   empirical  one of `values`, each equally likely (a trace of lengths).
enum class LengthShape { fixed, uniform, lognormal, empirical };
std::string to_string(LengthShape s);
struct LengthDistribution {
  LengthShape shape = LengthShape::fixed;
  double mean = 1;
  double cv = 0;
  double min = 1;
  double max = 0;
  std::vector<double> values;
  friend bool operator==(const LengthDistribution&, const LengthDistribution&) = default;
};
double mean_of(const LengthDistribution& d);  // expected tokens (clamping ignored for lognormal)

// An LLM serving stream (the `llm:` block): each request is a prompt of `prompt_tokens` that
// a replica reads (prefill) and an answer of `output_tokens` it generates one token per
// iteration (decode), served with continuous batching (sim/engine/llm_serving.hpp). Users
// measure it by the time to the first token (TTFT) and the time per output token after it
// (TPOT); both have a percentile target.
struct LlmServing {
  std::string model;                     // model id as written ("llama2-70b"); the stream's one stage runs its decode phase
  std::optional<Precision> precision;
  LengthDistribution prompt_tokens, output_tokens;
  int token_budget = 2048;               // tokens one iteration may process (decode tokens + prefill chunks)
  int max_sequences = 256;               // sequences a replica runs at once (besides the KV-cache limit)
  Slo ttft, tpot;
  friend bool operator==(const LlmServing&, const LlmServing&) = default;
};

struct Stream {
  std::string id;
  std::string site;                     // site id
  int sources = 1;                      // per site
  Arrival arrival;
  Bytes payload;                        // raw item sent by a source
  Bytes result;                         // result returned to the source
  bool return_result = true;
  std::vector<Stage> pipeline;
  Slo slo;
  bool raw_data_local = false;          // data residency for this stream
  std::optional<Video> video;           // decoded before the first stage (absent: no decode modelled)
  // An LLM serving stream: `pipeline` then holds one stage (id "serve") on the model's decode
  // phase, and `slo` is the TTFT target (what the generic checks and bounds read).
  std::optional<LlmServing> llm;
  friend bool operator==(const Stream&, const Stream&) = default;
};

struct BatchJob {
  std::string id;
  std::string kind;                     // training, rendering, scientific
  Flops total_flops;
  Bytes total_bytes;                    // bytes moved from memory over the job
  Bytes dataset;                        // bytes uploaded to the data centre
  Precision precision = Precision::fp16;
  int min_devices = 1;
  double scaling_efficiency = 0.9;  // estimate, per doubling of devices (0.729 on 8): below NVIDIA's published 0.98-0.99 for data-parallel BERT-large on NVLink servers (sim/hardware/parallel.hpp); room for PCIe servers and jobs across servers
  Seconds deadline;
  Seconds every;                        // the job runs once per `every` (0: once over the horizon)
  // Data-parallel scaling from communication (sim/hardware/parallel.hpp): each of `steps`
  // steps all-reduces the gradients of `parameters` values at `precision`. Used when both
  // are given and `scaling_efficiency` is not (the key then overrides the computed figure).
  double parameters = 0.0;
  double steps = 0.0;
  bool scaling_efficiency_given = false;
  // A rendering job in benchmark units (sim/hardware/media.hpp): its work in samples of the
  // benchmark the profiles' `render` speeds come from, and the scene memory that must fit one
  // accelerator. 0 = not given (the roofline on total_flops/total_bytes is used).
  double render_samples = 0.0;
  Bytes scene_memory;
  friend bool operator==(const BatchJob&, const BatchJob&) = default;
};

struct Costs {
  std::string currency = "USD";
  Seconds horizon = Seconds(3 * kSecondsPerYear);
  Seconds amortisation = Seconds(3 * kSecondsPerYear);
  // Defaults for a scenario that gives no price (docs/input-format.md, Costs); each from
  // reference/network_and_costs.md, and a default the user should override:
  // electricity: US commercial 0.12-0.13 USD/kWh ("recalled" there, not checked against a source).
  Price electricity{0.12 / kJoulesPerKwh, "USD"};
  // pue: industry average about 1.5-1.6 ("recalled" there); applied to data-centre power only.
  double pue = 1.5;
  // bandwidth: AWS internet egress, the 0.09 USD/GB tier that covers the first 10 TB a month
  // ("found", AWS 2026 guide; first 100 GB free, then 0.085 / 0.07 / 0.05 USD/GB as volume
  // grows past 10 / 50 / 150 TB a month). Was 0.05, the cheapest tier (above 150 TB/month).
  Price bandwidth{0.09 / 1e9, "USD"};
  Price maintenance_per_unit{0.0, "USD"};  // per second (from "x USD/y")
  Money site_visit{0.0, "USD"};
  double visits_per_site_per_year = 0.0;
  Price gpu_hour{0.0, "USD"};              // per second
  friend bool operator==(const Costs&, const Costs&) = default;
};

// The train-infer-iterate loop: samples uploaded from the sites, periodic retraining on
// data-centre GPUs, and the new model pushed to every edge unit.
struct Retraining {
  Seconds interval;                        // one retraining run per interval
  double upload_fraction = 0.0;            // share of raw payload bytes uploaded as samples
  double gpu_hours = 0.0;                  // hand GPU-hours per run, priced at costs.gpu_hour (only without `epochs`)
  Bytes model_size;                        // pushed to every edge unit after each run
  // The training workload derived from the models (sim/plan/loop.hpp); used when epochs > 0.
  double epochs = 0.0;                     // passes over the samples per run
  double samples = 0.0;                    // samples per run (0: those uploaded over one interval)
  Seconds deadline;                        // upload + training + push must fit (0: the interval)
  Precision precision = Precision::fp16;   // training precision
  double scaling_efficiency = 0.9;         // kept per doubling of GPUs; the same estimate as batch jobs'
  friend bool operator==(const Retraining&, const Retraining&) = default;
};

struct Constraints {
  bool data_residency = false;             // raw payloads may not leave any site
  // Hardware whose profile says `datacenter_use: false` may go in the data centre anyway
  // (the scenario's owner has the rights, or its "data centre" is not one under the licence).
  bool ignore_datacenter_use = false;
  std::optional<Watts> site_power_budget;
  std::optional<BitsPerSecond> backhaul_cap;
  std::optional<Watts> rack_power;
  friend bool operator==(const Constraints&, const Constraints&) = default;
};

// Headroom and redundancy an architect designs in (the `design:` block). Defaults are a
// cautious architect's rules of thumb, not measurements (docs/input-format.md, "Design"):
// tiers at most 80% busy (queueing delay grows as 1/(1 - utilisation): at 80% an M/M/1 wait
// is 4 service times), links at most 70% busy (a common network-planning headroom, so bursts
// and retransmissions fit), N+1 in a data centre that serves requests (one server failing
// there takes every site down at once) and no spare at a site unless asked for (one box
// failing takes one site down: the report flags it, with what N+1 would give and cost).
struct Design {
  double max_edge_utilisation = 0.8;
  double max_dc_utilisation = 0.8;
  double max_link_utilisation = 0.7;
  int site_spares = 0;  // N+k: spare units per site
  // N+k: spare servers in the data centre; absent: 1 when the scenario has streams, 0 for
  // batch jobs alone (a failed server delays a job, the deadline is its margin). Read it
  // through dc_spares(const Scenario&) in sim/plan/design.hpp.
  std::optional<int> dc_spares;
  friend bool operator==(const Design&, const Design&) = default;
};

enum class Family { edge, gpu, hybrid };
std::string to_string(Family f);

struct Batching {
  int max_batch = 1;
  Seconds max_wait;
  friend bool operator==(const Batching&, const Batching&) = default;
};

struct CandidateSpec {
  Family family = Family::edge;
  std::string edge_hardware;               // edge and hybrid
  std::string gpu_hardware;                // gpu and hybrid
  int units_per_site = 1;
  int servers = 1;
  Batching batching;
  int edge_stages = 1;                     // hybrid: stages run at the edge
  int queue_capacity = 0;                  // waiting requests per unit before drops (0 = unbounded)
  std::string edge_accelerator;            // optional card/module in each edge unit (class accelerator)
  // A data-centre card or module alone (class accelerator): 0 while `servers` counts the
  // accelerators asked for; once packaged into buyable servers (sim/plan/deployment),
  // the accelerators in each of the `servers` servers.
  int gpus_per_server = 0;
  friend bool operator==(const CandidateSpec&, const CandidateSpec&) = default;
};

struct Scenario {
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  Seconds duration = Seconds(60);
  Seconds warmup = Seconds(5);
  double precision = 0.02;   // stop when the SLO percentile's 95% CI is within +-2%; 0 = full duration
  std::vector<Site> sites;
  std::vector<Stream> streams;
  std::vector<BatchJob> batch_jobs;
  Costs costs;
  Constraints constraints;
  std::optional<Retraining> retraining;
  std::vector<CandidateSpec> candidates;
  Seconds dc_fabric_latency = Seconds(50e-6);
  Design design;
  std::string file;

  // Every field, `file` included (compare a re-read scenario under the same name).
  friend bool operator==(const Scenario&, const Scenario&) = default;
};

// Whether any stream is LLM serving (its answers counted in tokens: a cost "per million"
// is then per request, not per inference).
bool has_llm_stream(const Scenario& s);

}  // namespace hw
