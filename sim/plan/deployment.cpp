#include "sim/plan/deployment.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "sim/cost/tco.hpp"
#include "sim/hardware/llm_cost.hpp"
#include "sim/hardware/parallel.hpp"
#include "sim/hardware/perf_model.hpp"
#include "sim/hardware/media.hpp"
#include "sim/io/trace.hpp"
#include "sim/plan/loop.hpp"
#include "sim/plan/design.hpp"

namespace hw {

std::string family_label(Family f) {
  switch (f) {
    case Family::edge: return "edge-only";
    case Family::gpu: return "GPU-central";
    case Family::hybrid: return "hybrid";
  }
  return "?";
}

namespace {

// Batching and queue bounds tell candidates of the same hardware apart.
std::string batching_suffix(const CandidateSpec& c) {
  std::string out;
  if (c.batching.max_batch > 1) out += fmt::format(" batch {}/{}", c.batching.max_batch, format_time(c.batching.max_wait));
  if (c.queue_capacity > 0) out += fmt::format(" queue {}", c.queue_capacity);
  return out;
}

}  // namespace

std::string edge_unit_name(const CandidateSpec& c) {
  return c.edge_accelerator.empty() ? c.edge_hardware : c.edge_hardware + "+" + c.edge_accelerator;
}

std::string candidate_label(const CandidateSpec& c) {
  const std::string e = edge_unit_name(c);
  // Packaged cards or modules read as what is bought: "2 servers x 4 nvidia-h200-sxm".
  const std::string dc = c.gpus_per_server > 0 ? fmt::format("{} server{} x {} {}", c.servers, c.servers == 1 ? "" : "s", c.gpus_per_server, c.gpu_hardware)
                                               : fmt::format("{} x{}", c.gpu_hardware, c.servers);
  switch (c.family) {
    case Family::edge:
      return fmt::format("edge {} x{}/site{}", e, c.units_per_site, c.queue_capacity > 0 ? fmt::format(" queue {}", c.queue_capacity) : "");
    case Family::gpu: return fmt::format("gpu {}{}", dc, batching_suffix(c));
    case Family::hybrid: return fmt::format("hybrid {} x{}/site + {}{}", e, c.units_per_site, dc, batching_suffix(c));
  }
  return "?";
}

std::string candidate_label(const CandidateSpec& c, const Scenario& s) {
  const bool all_llm = !s.streams.empty() && std::all_of(s.streams.begin(), s.streams.end(), [](const Stream& st) { return st.llm.has_value(); });
  if (!all_llm || c.family == Family::edge) return candidate_label(c);
  CandidateSpec plain = c;
  plain.batching.max_batch = 1;  // no fixed-batching suffix
  return fmt::format("{} continuous batching, {} tokens/iter", candidate_label(plain), s.streams.front().llm->token_budget);
}

std::vector<int> server_gpu_counts(const HardwareProfile& p) {
  if (!p.server_gpus.empty()) return p.server_gpus;
  return {1, 2, 4, 8};
}

ServerPackaging package_servers(const HardwareProfile& p, int servers, int gpus_per_server) {
  ServerPackaging k;
  k.servers = servers;
  k.gpus_per_server = gpus_per_server;
  const bool given = !p.server_gpus.empty();
  k.host_price = given ? p.host_price.amount : kHostPricePerAcceleratorUsd * gpus_per_server;
  k.host_power_w = given ? p.host_power.si() : kHostPowerPerAcceleratorW * gpus_per_server;
  // unit price = g x accelerator + host; the host draws its power whatever the load.
  k.unit_price = gpus_per_server * p.price.amount + k.host_price;
  k.unit_idle_w = gpus_per_server * p.power_idle.si() + k.host_power_w;
  k.unit_max_w = gpus_per_server * p.power_max.si() + k.host_power_w;
  return k;
}

namespace {

// package_accelerators with the data centre's N+k spare servers (design.spares.dc, dc_spares)
// in the cost: each packing buys `spares` more servers of its own size (sim/plan/evaluate.cpp
// cost_inputs prices in.dc.units + dc_spares(s, spec) servers, the spares standing by at idle power),
// so m x g servers cost (m + spares) x the terms of one. 8 H200 modules with one spare: 1 x 8
// + a spare 1 x 8 buys 16 modules, 2 x 4 + a spare 1 x 4 buys 12.
ServerPackaging cheapest_packaging(const HardwareProfile& p, int accelerators, const Costs* costs, int spares) {
  const int n = std::max(1, accelerators);
  const int k_spare = std::max(0, spares);
  auto cost = [&](const ServerPackaging& k) {
    const double bought = k.servers + k_spare;
    if (!costs) return bought * k.unit_price;
    const double h = costs->horizon.si();
    const double a = costs->amortisation.si() > 0 ? costs->amortisation.si() : kSecondsPerYear;
    return bought * (k.unit_price * h / a + costs->maintenance_per_unit.per_si * h +
                     k.unit_idle_w * costs->pue * costs->electricity.per_si * h);
  };
  ServerPackaging best;
  double best_cost = 0;
  for (int g : server_gpu_counts(p)) {
    const int m = (n + g - 1) / g;
    ServerPackaging k = package_servers(p, m, g);
    const double c = cost(k);
    if (best.servers == 0 || c < best_cost - 1e-9 || (c <= best_cost + 1e-9 && m < best.servers)) {
      best = k;
      best_cost = c;
    }
  }
  return best;
}

}  // namespace

ServerPackaging package_accelerators(const HardwareProfile& p, int accelerators, const Costs* costs) {
  return cheapest_packaging(p, accelerators, costs, 0);
}

CandidateSpec unpackaged(const CandidateSpec& c) {
  CandidateSpec x = c;
  if (x.gpus_per_server > 0) {
    x.servers *= x.gpus_per_server;
    x.gpus_per_server = 0;
  }
  return x;
}

namespace {

TierSpec make_tier(const HardwareProfile& p, int units, const Batching& b) {
  TierSpec t;
  t.hardware = p.id;
  t.units = units;
  t.slots = std::max(1, p.accelerators);
  t.power_idle = p.power_idle;
  t.power_max = p.power_max;
  t.max_batch = std::max(1, b.max_batch);
  t.max_wait = b.max_wait;
  return t;
}

}  // namespace

std::optional<std::string> datacenter_use_problem(const Scenario& s, const HardwareProfile& p) {
  if (p.datacenter_use || s.constraints.ignore_datacenter_use) return std::nullopt;
  // The source (a licence clause, quoted at length in the profile) is named, not repeated.
  return fmt::format("{} is not licensed for data-centre deployment (its profile: datacenter_use: false, with the licence in "
                     "sources.datacenter_use)",
                     p.id);
}

std::optional<std::string> price_problem(const HardwareProfile& p) {
  if (p.priced) return std::nullopt;
  return fmt::format("{} has no price in its profile ({}), so its cost cannot be computed", p.id, p.file.empty() ? "no file" : p.file);
}

ResolvedCandidate resolve_candidate(const Scenario& s, const Catalogue& cat, const CandidateSpec& c_in) {
  ResolvedCandidate rc;
  CandidateSpec c = c_in;
  // A card or module alone in the data centre is bought in servers: `servers` counts the
  // accelerators asked for until packaged (the cheapest buyable servers holding them).
  std::optional<ServerPackaging> pack;
  if (c.family != Family::edge && !c.gpu_hardware.empty() && cat.profile(c.gpu_hardware).klass == HardwareClass::accelerator) {
    const HardwareProfile& g = cat.profile(c.gpu_hardware);
    const auto counts = server_gpu_counts(g);
    if (c.gpus_per_server > 0 && std::find(counts.begin(), counts.end(), c.gpus_per_server) != counts.end()) {
      pack = package_servers(g, c.servers, c.gpus_per_server);
    } else {
      // The spare servers are bought in the size chosen: the packing prices them too.
      pack = cheapest_packaging(g, c.gpus_per_server > 0 ? c.servers * c.gpus_per_server : c.servers, &s.costs, dc_spares(s, c));
    }
    c.servers = pack->servers;
    c.gpus_per_server = pack->gpus_per_server;
  } else {
    c.gpus_per_server = 0;
  }
  rc.spec = c;
  rc.label = candidate_label(c, s);
  // An edge fleet retrained in the data centre is the train-infer-iterate loop, the hybrid of
  // the problem statement: say so wherever the label is shown (table, CSV, reasons).
  if (c.family == Family::edge && s.retraining) rc.label = "loop " + rc.label;
  SimInput& in = rc.input;
  in.label = rc.label;
  in.seed = s.seed;
  in.duration = s.duration;
  in.warmup = s.warmup;
  in.dc_fabric_latency = s.dc_fabric_latency;
  in.target_precision = s.precision;

  const HardwareProfile* edge = c.edge_hardware.empty() ? nullptr : &cat.profile(c.edge_hardware);
  const HardwareProfile* gpu = c.gpu_hardware.empty() ? nullptr : &cat.profile(c.gpu_hardware);
  // Edge units serve one item at a time (no scenario key batches them); the candidate's
  // batching policy applies to the data-centre tier.
  if (edge) in.edge = make_tier(*edge, c.units_per_site, Batching{1, Seconds(0)});
  // An edge unit may carry an accelerator (an M.2/USB NPU): stages it can run go there,
  // the others stay on the host; the unit draws the power of both.
  const HardwareProfile* edge_acc = c.edge_accelerator.empty() || !edge ? nullptr : &cat.profile(c.edge_accelerator);
  if (edge_acc) {
    in.edge.power_idle = Watts(in.edge.power_idle.si() + edge_acc->power_idle.si());
    in.edge.power_max = Watts(in.edge.power_max.si() + edge_acc->power_max.si());
  }
  if (gpu) in.dc = make_tier(*gpu, c.servers, c.batching);
  if (gpu && gpu->klass != HardwareClass::cpu_server) rc.gpus_per_server = pack ? pack->gpus_per_server : std::max(1, gpu->accelerators);
  if (gpu && !rc.infeasible) rc.infeasible = datacenter_use_problem(s, *gpu);
  for (const HardwareProfile* p : {edge, edge_acc, gpu}) {
    if (p && !rc.infeasible) {
      if (auto why = price_problem(*p)) {
        rc.infeasible = std::move(why);
        rc.infeasible_fix = kPriceFix;
      }
    }
  }
  // hwplan converts no currency (docs/model.md, Cost): a profile priced in another currency
  // than the scenario's costs is added as the scenario's currency. Say so, once per candidate,
  // for every price of its profiles the cost uses (purchase; a data-centre part's rented
  // GPU-hour). The host share of a card alone says it in its own note below.
  {
    std::vector<std::string> other;
    for (const HardwareProfile* p : {edge, edge_acc, gpu}) {
      if (!p || !p->priced) continue;
      if (p->price.amount > 0 && p->price.currency != s.costs.currency) {
        other.push_back(fmt::format("{}'s price {:.0f} {}", p->id, p->price.amount, p->price.currency));
      }
      if (p != gpu) continue;
      for (const Price* h : {&p->gpu_hour_on_demand, &p->gpu_hour_reserved}) {
        if (h->per_si > 0 && h->currency != s.costs.currency) {
          other.push_back(fmt::format("{}'s {} gpu_hour {:.3g} {}/GPU-hour", p->id, h == &p->gpu_hour_on_demand ? "on-demand" : "reserved",
                                      h->per_si * 3600.0, h->currency));
        }
      }
    }
    if (!other.empty()) {
      rc.notes.push_back(fmt::format("{}: counted as {} unconverted: hwplan converts no currency", fmt::join(other, ", "), s.costs.currency));
    }
  }
  if (gpu && pack) {
    // Each simulated unit is one server: its accelerators serve in parallel, and it draws
    // their power plus its host's.
    in.dc.slots = pack->gpus_per_server;
    in.dc.power_idle = Watts(pack->unit_idle_w);
    in.dc.power_max = Watts(pack->unit_max_w);
    const auto counts = server_gpu_counts(*gpu);
    // The host estimate is a USD figure (sim/cost/tco.hpp); a profile's host_price is in its
    // own currency. Neither is converted: the scenario's costs add them as its currency.
    const std::string host_cur = gpu->server_gpus.empty() ? std::string("USD") : gpu->host_price.currency;
    const std::string unconverted =
        host_cur == s.costs.currency ? ""
                                     : fmt::format(", counted as {:.0f} {} unconverted: hwplan converts no currency", pack->host_price,
                                                   s.costs.currency);
    rc.notes.push_back(fmt::format("{} is a card or module alone: bought as {} server(s) of {} (servers hold {}), each with a host of "
                                   "{:.0f} {} and {:.0f} W ({}{})",
                                   gpu->id, pack->servers, pack->gpus_per_server, fmt::join(counts, ", "), pack->host_price, host_cur,
                                   pack->host_power_w,
                                   gpu->server_gpus.empty() ? "estimates: see docs/model.md, Cost" : "the profile's server block",
                                   unconverted));
  }
  in.edge.queue_capacity = c.queue_capacity;
  in.dc.queue_capacity = c.queue_capacity;

  // How many GPUs of a data-centre server serve one copy of the models, and how
  // (sim/hardware/parallel.hpp, choose_split: memory fit first, then latency, then throughput
  // per GPU). Each copy is one slot of the server.
  ModelSplit dc_split;
  if (gpu != nullptr && gpu->accelerators > 1) {
    std::vector<SplitNeed> needs;
    std::optional<Seconds> bound;
    for (const auto& st : s.streams) {
      for (std::size_t k = 0; k < st.pipeline.size(); ++k) {
        if (c.family == Family::edge || (c.family == Family::hybrid && static_cast<int>(k) < c.edge_stages)) continue;
        needs.push_back({&cat.model(st.pipeline[k].model), st.pipeline[k].precision});
        if (!bound || st.slo.latency.si() < bound->si()) bound = st.slo.latency;
      }
    }
    if (auto sp = choose_split(*gpu, needs, in.dc.max_batch, bound)) dc_split = *sp;
    if (dc_split.gpus > 1) {
      in.dc.slots = std::max(1, gpu->accelerators / dc_split.gpus);
      rc.notes.push_back(fmt::format("{}: each copy of the model runs {} ({} per server)", gpu->id, describe(dc_split), in.dc.slots));
    }
  }

  const bool dc_present = gpu != nullptr;
  // Sites that no stream comes from, and that no batch job uploads from (jobs upload from the
  // first site), send nothing: they go into the simulation as one group of identical idle
  // sites, one of them instantiated, so that their units' idle power is still counted (scaled
  // by the group's count) while a scenario with thousands of idle sites costs the engine one
  // site instead of a platform of thousands (docs/hostile-inputs.md, H08).
  std::vector<int> site_index(s.sites.size(), 0);
  int idle_group = -1;
  for (std::size_t i = 0; i < s.sites.size(); ++i) {
    const Site& site = s.sites[i];
    const bool busy = std::any_of(s.streams.begin(), s.streams.end(), [&](const Stream& st) { return st.site == site.id; }) ||
                      (i == 0 && !s.batch_jobs.empty());
    if (!busy && idle_group >= 0) {
      in.sites[static_cast<std::size_t>(idle_group)].count += site.count;
      site_index[i] = idle_group;
      continue;
    }
    SiteExec se;
    se.id = site.id;
    se.count = site.count;
    // Sites are independent when nothing is shared: simulate one and scale.
    se.simulated = dc_present && busy ? site.count : 1;
    se.access = site.access;
    se.backhaul = site.backhaul;
    site_index[i] = static_cast<int>(in.sites.size());
    if (!busy) idle_group = site_index[i];
    in.sites.push_back(se);
  }

  bool edge_on_acc = false, edge_on_host = false;  // where the edge tier's stages run
  struct DecoderShare {
    std::size_t note;  // the decoder note in rc.notes it completes
    Tier tier;
    double busy_s_per_s;  // decoder-seconds per second the stream asks of one unit (edge) or the tier (dc)
  };
  std::vector<DecoderShare> decoder_shares;
  for (const auto& st : s.streams) {
    StreamExec ex;
    ex.id = st.id;
    for (std::size_t i = 0; i < s.sites.size(); ++i) {
      if (s.sites[i].id == st.site) ex.site = site_index[i];
    }
    ex.sources = st.sources;
    ex.arrival = st.arrival;
    ex.payload = st.payload;
    ex.result = st.result;
    ex.return_result = st.return_result;
    ex.slo = st.slo;
    if (st.arrival.kind == ArrivalKind::trace) {
      Trace t = load_trace(st.arrival.trace_file);
      ex.trace_times = std::move(t.times_s);
      ex.trace_sizes = std::move(t.sizes_bytes);
    }
    for (std::size_t k = 0; k < st.pipeline.size(); ++k) {
      const Stage& stage = st.pipeline[k];
      Tier tier = Tier::edge;
      if (c.family == Family::gpu) tier = Tier::dc;
      if (c.family == Family::hybrid) tier = static_cast<int>(k) < c.edge_stages ? Tier::edge : Tier::dc;
      const WorkloadModel& model = cat.model(stage.model);
      // The accelerator takes a stage when it has the stage's precision and the model fits;
      // a stage is never moved to a narrower precision just to use it.
      const bool on_acc = tier == Tier::edge && edge_acc != nullptr && !fit_problem(*edge_acc, model, stage.precision) &&
                          edge_acc->peak.contains(stage.precision.value_or(model.precision));
      if (tier == Tier::edge) (on_acc ? edge_on_acc : edge_on_host) = true;
      if (tier == Tier::edge && edge_acc != nullptr) {
        rc.notes.push_back(on_acc ? fmt::format("stage {} runs on the {} accelerator", stage.id, edge_acc->id)
                                  : fmt::format("stage {} stays on the {} host: {} cannot run {}{}", stage.id, edge->id,
                                                edge_acc->id, model.id,
                                                " at " + to_string(stage.precision.value_or(model.precision))));
      }
      const HardwareProfile& hw = on_acc ? *edge_acc : tier == Tier::edge ? *edge : *gpu;
      const TierSpec& ts = tier == Tier::edge ? in.edge : in.dc;
      const WorkloadModel& m = cat.model(stage.model);
      StageExec se;
      se.id = stage.id;
      se.tier = tier;
      se.output = stage.output;
      se.fraction = stage.fraction;
      se.variability = stage.variability;
      const ModelSplit split = tier == Tier::dc && !on_acc ? dc_split : ModelSplit{};
      if (auto problem = split_fit_problem(hw, m, stage.precision, split)) {
        if (!rc.infeasible) rc.infeasible = fmt::format("stream {} stage {}: {}", st.id, stage.id, *problem);
        se.service_s = {0.0};
      } else {
        Precision p = *choose_precision(hw, m, stage.precision);
        if (p != stage.precision.value_or(m.precision)) {
          rc.notes.push_back(fmt::format("{} runs {} at {} ({} lacks {})", hw.id, m.id, to_string(p), hw.id,
                                         to_string(stage.precision.value_or(m.precision))));
        }
        int max_b = split_max_batch(hw, m, p, ts.max_batch, split);
        if (max_b < ts.max_batch) {
          rc.notes.push_back(fmt::format("{}: batch limited to {} by memory", hw.id, max_b));
        }
        for (int b = 1; b <= std::max(1, max_b); ++b) se.service_s.push_back(split_batch_time(hw, m, p, b, split).si());
      }
      // Video decoded before the first stage, on the decoders beside the cores (sim/hardware/media.hpp):
      // the engine queues their work and adds each frame's own decode and its wait to its latency.
      // A copy of the model split over k GPUs has the decoders of k GPUs.
      if (k == 0 && st.video && !rc.infeasible) {
        // Items per second per source: the mean (a diurnal day's, a trace's count over the
        // duration as replayed: its `rate` is 0).
        std::vector<double> replayed;
        if (st.arrival.kind == ArrivalKind::trace) {
          for (double t : ex.trace_times) replayed.push_back(t / st.arrival.time_scale);
        }
        const double per_source =
            mean_items_per_s(st.arrival, st.sources, replayed, s.duration.si()) / std::max(1, st.sources);
        const auto d = decode_load(hw, *st.video, PerSecond(per_source));
        if (d) {
          ex.decode_busy_s = d->busy_per_item_s / std::max(1, split.gpus);
          ex.decode_s = d->frame_s;  // each frame's own decode, before the first stage: in its latency
          // How busy this stream keeps the decoders at this size (the results' utilisation is the
          // busier of the cores and the decoders, all streams together): said once the tier's
          // slots are final (below: an edge unit's may become its accelerator's).
          const double items = per_source * st.sources * (tier == Tier::dc ? in.sites[static_cast<std::size_t>(ex.site)].count : 1);
          if (items > 0 && ts.units > 0) decoder_shares.push_back({rc.notes.size(), tier, items * ex.decode_busy_s});
          rc.notes.push_back(d->note);
        } else if (per_source <= 0) {
          rc.notes.push_back(fmt::format("stream {} offers no items in the run: decoding not modelled", st.id));
        } else {
          rc.notes.push_back(fmt::format("{} has no {} decoder figure: decoding of stream {} not modelled", hw.id, st.video->codec, st.id));
        }
      }
      ex.stages.push_back(se);
    }
    // An LLM serving stream: what one iteration of a replica costs and the KV cache it holds
    // (sim/hardware/llm_cost.hpp); the engine batches its requests continuously.
    if (st.llm && !ex.stages.empty() && (ex.stages.front().tier == Tier::dc ? gpu : edge) != nullptr) {
      const bool dc_tier = ex.stages.front().tier == Tier::dc;
      const WorkloadModel& m = cat.model(st.pipeline.front().model);
      // On an edge unit with an accelerator, the stream is served where its stage runs: on the
      // accelerator when it has the precision and the model fits (the rule of the stages
      // above), one replica per accelerator; else on the host, one per host slot.
      const std::optional<Precision> want = st.llm->precision ? st.llm->precision : st.pipeline.front().precision;
      const bool on_acc = !dc_tier && edge_acc != nullptr && !fit_problem(*edge_acc, m, want) &&
                          edge_acc->peak.contains(want.value_or(m.precision));
      const HardwareProfile& hw = dc_tier ? *gpu : on_acc ? *edge_acc : *edge;
      if (!dc_tier) (on_acc ? edge_on_acc : edge_on_host) = true;
      const ModelSplit split = dc_tier ? dc_split : ModelSplit{};
      LlmExec le;
      le.prompt_tokens = st.llm->prompt_tokens;
      le.output_tokens = st.llm->output_tokens;
      le.replicas_per_unit = dc_tier ? in.dc.slots : on_acc ? std::max(1, edge_acc->accelerators) : in.edge.slots;
      if (!dc_tier && edge_acc != nullptr) {
        rc.notes.push_back(fmt::format("LLM stream {}: {} replica(s) per unit on the {} {}", st.id, le.replicas_per_unit,
                                       on_acc ? edge_acc->id : edge->id, on_acc ? "accelerator" : "host"));
      }
      le.gpus_per_replica = split.gpus;
      le.token_budget = st.llm->token_budget;
      le.max_sequences = st.llm->max_sequences;
      le.ttft = st.llm->ttft;
      le.tpot = st.llm->tpot;
      if (auto p = choose_precision(hw, m, st.llm->precision)) {
        if (auto cost = llm_iteration_cost(hw, m, *p, split)) le.cost = *cost;
        le.kv_capacity_tokens = llm_kv_capacity_tokens(hw, m, *p, split);
        if (le.kv_capacity_tokens < 1 && !rc.infeasible) {
          rc.infeasible = fmt::format("stream {}: {} leaves no room for a KV cache next to the {} of weights ({}, {:.0f}% kept for "
                                      "activations)",
                                      st.id, hw.id, format_data(m.weights_at(*p)), describe(split), kLlmMemoryReserve * 100);
        }
      }
      ex.llm = le;
    }
    // Data residency: raw payloads may not leave the site, and neither may what a stage
    // makes of them (crops, frames, features): every stage that runs in the data centre
    // after one on site receives data derived from the raw payload. Only results returned
    // to the sources stay allowed (they go the other way).
    if ((s.constraints.data_residency || st.raw_data_local) && !rc.infeasible) {
      // The rule to lift, where the rules allow it: the scenario's, the stream's, or both.
      std::string lift;
      if (s.constraints.data_residency) lift = "constraints.data_residency: false";
      if (st.raw_data_local) lift += fmt::format("{}streams[{}].raw_data_local: false", lift.empty() ? "" : " and ", st.id);
      for (std::size_t k = 0; k < ex.stages.size(); ++k) {
        if (ex.stages[k].tier != Tier::dc || (k > 0 && ex.stages[k - 1].tier == Tier::dc)) continue;
        if (k == 0) {
          rc.infeasible = fmt::format("stream {}: data residency forbids sending raw {} payloads to the data centre", st.id,
                                      format_data(st.payload));
        } else {
          rc.infeasible = fmt::format("stream {}: data residency forbids sending the output of stage {} ({} per item, derived from "
                                      "the raw payload) to stage {} in the data centre",
                                      st.id, ex.stages[k - 1].id, format_data(ex.stages[k - 1].output), ex.stages[k].id);
        }
        // Other hardware cannot help: the data may not go where this placement sends it.
        rc.infeasible_fix = fmt::format("every stage of stream {} on site (edge), or {} where the rules allow it", st.id, lift);
        break;
      }
      // The retraining loop's samples are raw payloads too: a stream whose first stage runs on
      // site would upload retraining.upload_fraction of them to the data centre for training.
      if (!rc.infeasible && s.retraining && s.retraining->upload_fraction > 0 && !ex.stages.empty() &&
          ex.stages.front().tier != Tier::dc) {
        rc.infeasible = fmt::format("stream {}: data residency forbids the retraining loop's upload of {:g}% of its raw {} payloads "
                                    "to the data centre (retraining.upload_fraction)",
                                    st.id, s.retraining->upload_fraction * 100, format_data(st.payload));
        rc.infeasible_fix = fmt::format("retraining.upload_fraction: 0 (samples gathered in the data centre by other means), or {} "
                                        "where the rules allow it",
                                        lift);
      }
    }
    in.streams.push_back(std::move(ex));
  }
  // Stages on an edge accelerator run on its accelerators, not on the host's sockets: a unit's
  // slots are the accelerator's when every edge stage runs there (an EPYC 2S host with one L4
  // simulated two slots for the one L4). Batch jobs at the edge stay on the host's.
  const int host_slots = in.edge.slots;
  if (edge_acc != nullptr && edge_on_acc && std::max(1, edge_acc->accelerators) != in.edge.slots) {
    if (!edge_on_host) {
      rc.notes.push_back(fmt::format("{} slot(s) per unit, the {} accelerator's (every edge stage runs on it; the {} host has {})",
                                     std::max(1, edge_acc->accelerators), edge_acc->id, edge->id, in.edge.slots));
      in.edge.slots = std::max(1, edge_acc->accelerators);
    } else {
      rc.notes.push_back(fmt::format("stages on the {} host and on the {} accelerator share the host's {} slot(s) per unit (not modelled apart)",
                                     edge->id, edge_acc->id, in.edge.slots));
    }
  }
  for (const auto& d : decoder_shares) {
    const TierSpec& ts = d.tier == Tier::edge ? in.edge : in.dc;
    const double sets = static_cast<double>(std::max(1, ts.units)) * std::max(1, ts.slots);
    rc.notes[d.note] += fmt::format("; at this size this stream keeps the decoders {:.0f}% busy", 100 * d.busy_s_per_s / sets);
  }

  // Batch jobs: in the data centre on every accelerator of every server (GPU-central and
  // hybrid), or on the accelerators of one site's edge units (edge-only). The dataset is
  // uploaded from the first site over its backhaul; an edge job's data is already on site.
  // An edge job runs on the fewest units of that one site that give it its min_devices and
  // finish it by its deadline (the engine's makespan: single-device time / job_speedup),
  // that site's stream units among them; only that site has them (TierSpec::job_units):
  // every other site keeps the units its streams need.
  int edge_job_units = 0;  // the most units an edge job needs at its site
  for (const auto& job : s.batch_jobs) {
    BatchJobExec ex;
    ex.id = job.id;
    ex.kind = job.kind;
    ex.tier = c.family == Family::edge ? Tier::edge : Tier::dc;
    const TierSpec& ts = ex.tier == Tier::edge ? in.edge : in.dc;
    const HardwareProfile* hw = ex.tier == Tier::edge ? edge : gpu;
    // A card or module alone is bought in servers of pack->gpus_per_server: its interconnect
    // (the profile's figure for that server's platform) joins the GPUs of one server, so the
    // job's all-reduce is computed over a server of that size, not over a lone module.
    HardwareProfile server_view;
    if (hw != nullptr && ex.tier == Tier::dc && pack) {
      server_view = *hw;
      server_view.accelerators = pack->gpus_per_server;
      hw = &server_view;
    }
    int at_site = ts.units;  // edge: the job site's units the job runs on
    if (ex.tier == Tier::edge) at_site = std::max(at_site, (job.min_devices + std::max(1, host_slots) - 1) / std::max(1, host_slots));
    ex.devices = ex.tier == Tier::edge ? at_site * host_slots : ts.units * ts.slots;
    ex.scaling_efficiency = job.scaling_efficiency;
    ex.dataset = ex.tier == Tier::dc ? job.dataset : Bytes(0);
    ex.upload_site = 0;
    ex.deadline_s = job.deadline.si();
    // Data residency (the scenario's rule: no data leaves any site): a job in the data centre
    // would upload its dataset from the first site, as the streams' raw payloads may not go.
    if (s.constraints.data_residency && ex.dataset.si() > 0 && !rc.infeasible && !s.sites.empty()) {
      rc.infeasible = fmt::format("{} job {}: data residency forbids uploading its {} dataset from site {} to the data centre", job.kind,
                                  job.id, format_data(job.dataset), s.sites.front().id);
      rc.infeasible_fix = fmt::format("an edge-only deployment (the job runs on one site's units, its data on site), "
                                      "batch_jobs[{}].dataset: 0 B where the data is already in the data centre, or "
                                      "constraints.data_residency: false where the rules allow it",
                                      job.id);
    }
    if (hw == nullptr) {  // cannot happen for a checked candidate; keep the message plain anyway
      if (!rc.infeasible) rc.infeasible = fmt::format("{} job {}: the candidate has no hardware to run it", job.kind, job.id);
      in.jobs.push_back(ex);
      continue;
    }
    if (ex.devices < job.min_devices && !rc.infeasible) {
      rc.infeasible = fmt::format("{} job {} needs {} devices, {} x {}{} has {}", job.kind, job.id, job.min_devices, ts.units,
                                  hw->id, ex.tier == Tier::edge ? " per site" : "", ex.devices);
    }
    // A rendering job in benchmark samples: the device's measured speed where it has one, and the scene must fit (sim/hardware/media.hpp).
    const RenderEstimate rend = render_estimate(*hw, job);
    if (!rend.note.empty()) rc.notes.push_back(rend.note);
    if (rend.problem && !rc.infeasible) rc.infeasible = *rend.problem;
    // At the edge, grown unit by unit until the deadline is met (the scaling recomputed at
    // each size), at most kMaxEdgeJobUnits; the bound (analytic_bound) says when none meets it.
    auto size_edge_job = [&](Seconds single) {
      JobScaling js = job_scaling(*hw, job, ex.devices, single);
      if (ex.tier != Tier::edge || ex.deadline_s <= 0 || !(single.si() > 0)) return js;
      while (single.si() / job_speedup(ex.devices, js.per_doubling) > ex.deadline_s && at_site < kMaxEdgeJobUnits) {
        ++at_site;
        ex.devices = at_site * host_slots;
        js = job_scaling(*hw, job, ex.devices, single);
      }
      return js;
    };
    if (rend.measured) {
      ex.single_device_s = rend.single_device.si();
      const JobScaling js = size_edge_job(rend.single_device);
      ex.scaling_efficiency = js.per_doubling;
      if (ex.devices > 1) rc.notes.push_back(js.note);
    } else if (auto t = job_single_device_time(*hw, job.total_flops, job.total_bytes, job.precision)) {
      ex.single_device_s = t->total.si();
      // Scaling over the devices from the gradient all-reduce (sim/hardware/parallel.hpp).
      const JobScaling js = size_edge_job(t->total);
      ex.scaling_efficiency = js.per_doubling;
      if (ex.devices > 1) rc.notes.push_back(js.note);
      if (t->precision != job.precision) {
        rc.notes.push_back(fmt::format("{} job {} runs at {} ({} lacks {})", job.kind, job.id, to_string(t->precision), hw->id,
                                       to_string(job.precision)));
      }
    } else if (!rc.infeasible) {
      rc.infeasible = fmt::format("{} job {}: {} has no compute at {} or a wider precision", job.kind, job.id, hw->id,
                                  to_string(job.precision));
    }
    if (ex.tier == Tier::edge) edge_job_units = std::max(edge_job_units, at_site);
    in.jobs.push_back(ex);
  }
  if (edge_job_units > in.edge.units && !s.sites.empty()) {
    in.edge.job_units = edge_job_units;
    const int extra = edge_job_units - in.edge.units;
    rc.label += fmt::format(" + {} at {} for batch jobs", extra, s.sites.front().id);
    in.label = rc.label;
    rc.notes.push_back(fmt::format("batch jobs run at site {} (the first: their data is there) on {} {} unit(s): its {} that serve the streams "
                                   "and {} more that only the jobs use, bought at that one site; the other sites keep {}",
                                   s.sites.front().id, edge_job_units, edge_unit_name(c), in.edge.units, extra, in.edge.units));
  }
  // A note is said once: two streams running the same model on the same hardware would
  // otherwise repeat its precision fallback (or batch limit) word for word.
  std::vector<std::string> once;
  for (auto& n : rc.notes) {
    if (std::find(once.begin(), once.end(), n) == once.end()) once.push_back(std::move(n));
  }
  rc.notes = std::move(once);
  return rc;
}

}  // namespace hw
