// The train-infer-iterate loop as a deployment of its own: the data centre trains the
// models on the samples the sites upload, the edge runs them, and each new model is pushed
// to every unit. Pure arithmetic on the scenario and the catalogue; nothing here simulates.
//
//   samples per run   = retraining.samples, else the samples uploaded over one interval:
//                       sum over streams of
//                       items per second x sites x upload_fraction x interval
//                       (items per second of one site: mean_items_per_s, the offered load's)
//   FLOP per sample   = sum over the pipeline's stages of 3 x the model's FLOP per item x
//                       the share of items that reach the stage (forward + backward = 3x forward)
//   FLOP per run      = FLOP per sample x samples x epochs
//   training time     = FLOP per run / (one device's roofline time) / speed-up(n devices)
//                       (the batch-job model: job_single_device_time, job_speedup)
//   cycle             = upload of one run's samples from a site over its backhaul (the sum
//                       over the streams of that site; the site that uploads most)
//                       + training + push of the model to every unit of a site, both at
//                       design.max_utilisation.link of the backhaul's bandwidth (the headroom
//                       any traffic keeps; the scenario declares no other link for them)
//
// The training hardware is sized like a batch job: for every data-centre profile of the
// catalogue, the fewest servers (or cards) that finish within the deadline; each is priced
// owned (capex over the amortisation period, energy with PUE for the busy hours and idle
// power otherwise, maintenance) and rented (GPU-hours at the profile's on-demand price; the
// scenario's costs.gpu_hour only when no profile that meets the deadline has a rented price
// of its own, and then flagged); the cheapest is taken.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/cost/tco.hpp"
#include "sim/io/loaders.hpp"
#include "sim/run/types.hpp"

namespace hw {

// Mean items per second one stream offers at one site of its kind, all its sources together:
// one helper for the offered load (offered_load), the loop's sample bytes (cost_inputs,
// loop_bytes_per_day) and the loop's samples and upload (training_workload), so that all agree.
//   periodic, Poisson, bursty: rate x sources (the mean rate as given)
//   diurnal:                   rate x sources x the day's mean hourly multiplier
//   trace:                     its arrivals before window_s / window_s (replayed once per
//                              site: `sources` unused); replayed_trace holds its timestamps
//                              as the engine replays them (divided by time_scale:
//                              scale_trace_times), empty: none, 0
// The planner's bounds (sim/plan/bounds.cpp stage_rates) average a diurnal profile over the
// hours the simulated window covers instead: they bound that window, not a year.
double mean_items_per_s(const Arrival& a, int sources, const std::vector<double>& replayed_trace, double window_s);

struct TrainingWorkload {
  double samples = 0;           // per run
  double epochs = 0;
  double flops_per_sample = 0;  // forward + backward over the pipeline
  double flops = 0;             // per run
  Precision precision = Precision::fp16;
  double interval_s = 0;
  double deadline_s = 0;        // upload + training + push must fit
  double upload_bytes_per_site = 0;  // samples of one run, one site: all its streams' (the site kind that uploads most)
  double upload_s = 0;               // over that site's backhaul, at link_share of its bandwidth
  double push_s = 0;                 // model to every unit of the site, over its backhaul, the same
  std::string upload_site;           // the site whose backhaul sets upload_s and push_s
  double link_bandwidth_bps = 0;     // that backhaul's bandwidth
  double link_share = 1.0;           // the share of it used: design.max_utilisation.link
  bool derived = false;         // from models and samples (false: the hand gpu_hours figure)
};

// The workload of one retraining run; nothing without `retraining:`. units_per_site sizes the
// model push (every unit of a site receives the model over the site's backhaul). `in`: the
// candidate's resolved input (resolve_for_simulation), whose window and replayed traces give a
// trace stream's rate as offered_load counts it; without it a trace is read from its file and
// counted over the scenario's duration.
std::optional<TrainingWorkload> training_workload(const Scenario& s, const Catalogue& cat, int units_per_site,
                                                  const SimInput* in = nullptr);

// One way to run the training: hardware, size, owned or rented, and what it costs a year.
// The rented price's source when the scenario's costs.gpu_hour stands in for a profile
// without one (read after "price from the").
inline constexpr const char* kScenarioRentSource =
    "scenario costs.gpu_hour, a generic price: no profile that meets the deadline has a rented price of its own";

struct TrainingOption {
  std::string hardware;
  int units = 0;                  // servers (a gpu_server, or servers of packaged cards/modules)
  int devices = 0;                // GPUs in all
  int gpus_per_server = 0;        // cards/modules alone: GPUs in each server (0: a gpu_server profile)
  double train_s = 0;             // training time of one run
  double own_per_year = 0;        // capex/amortisation + energy (PUE) + maintenance
  double rent_per_year = 0;       // on-demand GPU-hours (0 when no price is known)
  std::string rent_source;        // "profile" or kScenarioRentSource ("" when none)
  double break_even_utilisation = 0;  // own_per_year / (devices x 8760 h x on-demand rate)
  double utilisation = 0;         // busy GPU-hours / (devices x 8760 h)
  bool rent = false;              // renting is cheaper
  [[nodiscard]] double per_year() const { return rent ? rent_per_year : own_per_year; }
};

struct TrainingPlan {
  TrainingWorkload work;
  std::optional<TrainingOption> chosen;   // cheapest that meets the deadline
  std::vector<TrainingOption> options;    // every hardware that meets it, cheapest first
  double runs_per_year = 0;
  double cycle_s = 0;                     // upload + training + push with the chosen option
  std::string why_not;                    // when nothing meets the deadline: why, with figures
};

TrainingPlan plan_training(const Scenario& s, const Catalogue& cat, int units_per_site, const SimInput* in = nullptr);

// The label of a deployment family in words, with the loop: an edge deployment of a scenario
// with retraining is "hybrid: train in the data centre, infer at the edge".
std::string deployment_label(const Scenario& s, Family f);
// JSON: "edge" | "gpu" | "hybrid", and for hybrids "train-infer-loop" or "split-pipeline"
// ("" for the others).
std::string family_json(const Scenario& s, Family f);
std::string hybrid_kind(const Scenario& s, Family f);
// One candidate's: a hybrid that keeps every stream's whole pipeline at the edge (it exists
// for the batch jobs it runs in the data centre) is "edge-inference-dc-jobs", "hybrid: infer
// at the edge, batch jobs in the data centre"; otherwise the family's.
std::string deployment_label(const Scenario& s, const CandidateSpec& c);
std::string hybrid_kind(const Scenario& s, const CandidateSpec& c);

}  // namespace hw
