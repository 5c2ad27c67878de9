#include "sim/plan/evaluate.hpp"
#include "sim/core/certify.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <tuple>

#include "sim/plan/bounds.hpp"
#include "sim/plan/explain.hpp"
#include "sim/plan/fix.hpp"
#include "sim/plan/loop.hpp"
#include "sim/plan/site_fit.hpp"
#include "sim/run/runner.hpp"

namespace hw {

Estimate slo_estimate(const StreamResult& st) {
  const double p = st.slo_percentile;
  if (std::abs(p - 50) < 1e-9) return st.p50_s;
  if (std::abs(p - 90) < 1e-9) return st.p90_s;
  if (std::abs(p - 95) < 1e-9) return st.p95_s;
  if (std::abs(p - 99.9) < 1e-9) return st.p999_s;
  return st.p99_s;
}

bool measured(const StreamResult& st) { return st.completed + st.unfinished + st.dropped > 0; }

// The engine's precision stop asks the same (sim/core/certify.hpp).
double min_requests_for(double percentile) { return min_samples_for_percentile(percentile); }

bool slo_confident(const StreamResult& st) {
  if (!measured(st)) return true;  // nothing to judge (see judge())
  if (!st.slo_met) return false;
  const double p = st.slo_percentile;
  const bool reported = std::abs(p - 50) < 1e-9 || std::abs(p - 90) < 1e-9 || std::abs(p - 95) < 1e-9 ||
                        std::abs(p - 99) < 1e-9 || std::abs(p - 99.9) < 1e-9;
  // Other percentiles have no interval of their own in the result: the point check stands.
  return !reported || slo_estimate(st).ci_high <= st.slo_latency_s;
}

namespace {


// Every binding reason, as data, the first first (r.reason is its sentence): a candidate
// may break several targets and constraints at once, and an architect needs all of them.
std::vector<Reason> binding_reasons(const Scenario& sc, const Catalogue& cat, CandidateReport& r) {
  std::vector<Reason> out;
  const auto& in = r.candidate.input;
  if (r.candidate.infeasible) {
    return {Reason{ReasonKind::cannot_run, "", 0, 0, "", r.candidate.infeasible_fix.value_or("different hardware"), *r.candidate.infeasible, {}}};
  }
  if (!r.run.ok) return {Reason{ReasonKind::simulation_failed, r.candidate.label, 0, 0, "", "", r.run.error, {}}};
  // Site conditions at this size (hardware that cannot live there, power, sensor ports).
  if (in.edge.units > 0) {
    const auto at = site_conditions_at(sc, cat, r.candidate.spec, in.edge.units);
    out.insert(out.end(), at.begin(), at.end());
  }
  // Latency SLOs, stream by stream; explain with the network floor where it binds.
  bool overload_named = false;
  for (std::size_t i = 0; i < r.run.streams.size(); ++i) {
    const auto& st = r.run.streams[i];
    // Too few completed requests to estimate the SLO percentile (none at all, in the worst
    // case): nothing can be certified, so the candidate is not feasible. A run stopped for
    // overload, or with requests still queued, says more under the reasons below.
    const double need = min_requests_for(st.slo_percentile);
    if (static_cast<double>(st.completed) < need && st.unfinished == 0 && !r.run.overload) {
      const auto& ex = in.streams[i];
      double sources = 0;
      if (ex.site >= 0 && static_cast<std::size_t>(ex.site) < in.sites.size()) {
        sources = static_cast<double>(ex.sources) * in.sites[static_cast<std::size_t>(ex.site)].simulated;
      }
      const double rate = ex.arrival.rate.si() * sources;  // requests per simulated second
      Reason why{ReasonKind::too_few_requests, st.id, static_cast<double>(st.completed), need, "requests", "", "",
                 {{"percentile", st.slo_percentile}}};
      // The arrivals the window offers: a diurnal stream's from its start hour (time_to_offer),
      // not rate x sources. Never a duration the run already had: it offered enough on average
      // and completed fewer, so scale the measured part by what is missing (or double it).
      double needed_s = rate > 0 ? time_to_offer(ex.arrival, rate, in.warmup.si(), need) : INFINITY;
      const double ran_s = in.duration.si();
      if (std::isfinite(needed_s) && needed_s <= ran_s) {
        needed_s = st.completed > 0 ? in.warmup.si() + (ran_s - in.warmup.si()) * need / static_cast<double>(st.completed) : 2 * ran_s;
      }
      if (std::isfinite(needed_s)) {
        why.context["needed_duration_s"] = needed_s;
        why.fix = fmt::format("a duration of at least {}", format_long_time(Seconds(std::ceil(needed_s))));
      } else {
        why.fix = "a stream with a positive rate";
      }
      out.push_back(std::move(why));
      continue;
    }
    if (!measured(st) || st.slo_met) continue;
    const auto& ex = in.streams[i];
    // A run stopped for overload: its backlog could only grow, and the figures say why.
    if (r.run.overload) {  // one stop, named once (at the first stream that missed)
      const Overload& o = *r.run.overload;
      if (!overload_named) {
        out.push_back(Reason{ReasonKind::overload_stopped, ex.id, o.offered, o.capacity, o.unit, "more units, or faster hardware", o.where,
                             {{"at_s", o.at_s}}});
      }
      overload_named = true;
      continue;
    }
    const double floor = latency_floor(in, ex, -1).propagation_s;  // links only, every stage's path
    const bool dc = std::any_of(ex.stages.begin(), ex.stages.end(), [](const StageExec& x) { return x.tier == Tier::dc; });
    Reason why;
    why.subject = ex.id;
    why.unit = "s";
    why.bound = st.slo_latency_s;
    why.context["percentile"] = st.slo_percentile;
    if (floor >= st.slo_latency_s) {
      why.kind = ReasonKind::network_round_trip;
      why.figure = floor;
      why.context["via_dc"] = dc ? 1 : 0;
      why.fix = dc ? "a closer data centre, or a looser target" : "a looser target";
    } else if (st.unfinished > 0) {
      why.kind = ReasonKind::overloaded;
      why.figure = slo_estimate(st).value;
      why.context["queued"] = static_cast<double>(st.unfinished);
      why.context["edge_utilisation"] = r.run.edge.utilisation;
      why.context["dc_utilisation"] = r.run.dc.utilisation;
      why.fix = "more units";
    } else {
      why.kind = ReasonKind::slo_missed;
      why.figure = slo_estimate(st).value;
      why.context["late_share"] = st.slo_violation_rate;
      why.context["allowed_share"] = ex.slo.max_violation;
      why.context["dropped"] = static_cast<double>(st.dropped);
      // Name a busy link: queueing on the network, not on compute, is then what binds.
      for (const auto& l : r.run.links) {
        if (l.peak_utilisation >= 0.5) {
          why.detail = l.name;
          why.context["link_peak"] = l.peak_utilisation;
          why.context["link_cap"] = sc.design.max_link_utilisation;
          break;
        }
      }
      why.fix = "more units, or faster hardware";
    }
    out.push_back(std::move(why));
  }
  if (r.run.overload && !overload_named) {  // no stream measured a miss before the stop: still overloaded
    const Overload& o = *r.run.overload;
    out.push_back(Reason{ReasonKind::overload_stopped, "", o.offered, o.capacity, o.unit, "more units, or faster hardware", o.where,
                         {{"at_s", o.at_s}}});
  }
  // Met on the point estimate, but the 95% confidence interval must clear the target too.
  for (std::size_t i = 0; i < r.run.streams.size(); ++i) {
    const auto& st = r.run.streams[i];
    if (slo_confident(st) || !st.slo_met) continue;  // a miss is named above
    const Estimate e = slo_estimate(st);
    const double need = confident_duration(e.value, e.ci_high, st.slo_latency_s, sc.duration.si(), sc.warmup.si());
    out.push_back(Reason{ReasonKind::slo_not_confident, st.id, e.ci_high, st.slo_latency_s, "s",
                         fmt::format("a longer run (a duration of about {}), or more units", format_long_time(Seconds(std::ceil(need)))), "",
                         {{"percentile", st.slo_percentile}, {"estimate_s", e.value}, {"needed_duration_s", need}}});
  }
  for (const auto& j : r.run.jobs) {
    if (j.deadline_met) continue;
    out.push_back(Reason{ReasonKind::deadline_missed, j.id, j.makespan_s, j.deadline_s, "s", "more devices", j.kind,
                         {{"devices", j.devices}, {"upload_s", j.upload_s}}});
  }
  // The loop: every candidate must retrain within the deadline (no training hardware may).
  if (r.training && !r.training->chosen) {
    out.push_back(Reason{ReasonKind::training_deadline, "retraining", r.training->work.deadline_s, r.training->work.deadline_s, "s",
                         "a longer retraining deadline, fewer samples or epochs", r.training->why_not, {}});
  }
  // Headroom: each tier serving streams at most as busy as the design allows (more units
  // cure it). Batch jobs are meant to keep every device busy; their deadline is their margin.
  for (const auto& [tier, util, cap, key] :
       {std::tuple{"edge tier", in.edge.units > 0 ? r.run.edge.utilisation : 0.0, sc.design.max_edge_utilisation, "edge"},
        std::tuple{"data-centre tier", in.dc.units > 0 ? r.run.dc.utilisation : 0.0, sc.design.max_dc_utilisation, "dc"}}) {
    if (!sc.streams.empty() && util > cap) {
      // More units cure it; the search grows only when nothing it cannot cure binds first.
      if (out.empty()) r.headroom_failure = true;
      out.push_back(Reason{ReasonKind::tier_headroom, tier, util, cap, "", "more units", key, {}});
    }
  }
  // Links: the measured average of the busiest site's busier direction.
  for (const auto& l : r.run.links) {
    if (l.peak_utilisation <= sc.design.max_link_utilisation) continue;
    double bw = 0;
    const auto colon = l.name.find(':');
    const std::string kind = l.name.substr(0, colon), site = colon == std::string::npos ? "" : l.name.substr(colon + 1);
    for (const auto& se : in.sites) {
      if (se.id == site) bw = kind == "access" ? se.access.bandwidth.si() : se.backhaul.bandwidth.si();
    }
    out.push_back(Reason{ReasonKind::link_headroom, fmt::format("{} link of site {}", kind, site), l.peak_utilisation,
                         sc.design.max_link_utilisation, "",
                         fmt::format("a {} of at least {}", kind, format_bitrate(BitsPerSecond(l.peak_utilisation * bw / sc.design.max_link_utilisation))),
                         kind, {{"bps", l.peak_utilisation * bw}, {"bandwidth_bps", bw}}});
  }
  const auto& k = sc.constraints;
  if (k.site_power_budget && in.edge.units > 0) {
    // The busiest site: the edge batch jobs' site with its job units (TierSpec::job_units).
    const int site_units = std::max(in.edge.units, in.edge.job_units);
    const double site_max = site_units * in.edge.power_max.si();
    if (site_max > k.site_power_budget->si()) {
      out.push_back(Reason{ReasonKind::site_power, in.edge.hardware, site_max, k.site_power_budget->si(), "W", "a larger site power budget", "",
                           {{"units", site_units}, {"unit_power_w", in.edge.power_max.si()}, {"measured", 1}}});
    }
  }
  if (k.rack_power && in.dc.units > 0 && in.dc.power_max.si() > k.rack_power->si()) {
    out.push_back(Reason{ReasonKind::rack_power, in.dc.hardware, in.dc.power_max.si(), k.rack_power->si(), "W",
                         fmt::format("racks of at least {}", format_power(in.dc.power_max)), "", {{"measured", 1}}});
  }
  if (k.backhaul_cap) {
    double sites = 0;
    for (const auto& s : in.sites) sites += s.count;
    // The offered bytes (as priced: cost_inputs, computed before judge) and the loop's
    // computed ones, not the window's sample of the offered bytes: a sample near the cap
    // passed or failed with the seed.
    double bytes_per_day = r.cost_inputs.backhaul_bytes_per_day;
    for (const auto& [site, bytes] : loop_bytes_per_day(sc, r.candidate)) bytes_per_day += bytes;
    const double per_site_bps = bytes_per_day * 8.0 / 86400.0 / std::max(1.0, sites);
    if (per_site_bps > k.backhaul_cap->si()) {
      out.push_back(Reason{ReasonKind::backhaul_cap, "", per_site_bps, k.backhaul_cap->si(), "bit/s",
                           fmt::format("a backhaul cap of at least {}", format_bitrate(BitsPerSecond(per_site_bps))), "", {}});
    }
  }
  return out;
}

void judge(const Scenario& sc, const Catalogue& cat, CandidateReport& r) {
  r.binding = binding_reasons(sc, cat, r);
  r.why_not = r.binding.empty() ? std::nullopt : std::optional<Reason>(r.binding.front());
  r.feasible = !r.why_not.has_value();
  r.reason = r.why_not ? describe(*r.why_not) : "";
}

}  // namespace

OfferedLoad offered_load(const Scenario& s, const SimInput& in) {
  OfferedLoad o;
  const double window = in.duration.si();
  for (std::size_t i = 0; i < s.streams.size(); ++i) {
    const Stream& st = s.streams[i];
    double sites = 0;
    for (const auto& site : s.sites) {
      if (site.id == st.site) sites += site.count;
    }
    // The mean as given, the day's mean for a diurnal profile, a trace's arrivals in the window
    // (replayed once per site, timestamps scaled to the load): mean_items_per_s (sim/plan/loop).
    static const std::vector<double> kNoTrace;
    const double per_site = mean_items_per_s(st.arrival, st.sources, i < in.streams.size() ? in.streams[i].trace_times : kNoTrace, window);
    const double rate = per_site * sites;
    o.requests_per_s += rate;
    if (st.llm) o.output_tokens_per_s += rate * mean_of(st.llm->output_tokens);
    // Backhaul: from the first data-centre stage on (see OfferedLoad).
    if (i < in.streams.size()) {
      const StreamExec& ex = in.streams[i];
      double kept = 1;  // the first stage sees every item (the loader refuses a fraction there)
      for (std::size_t k = 0; k < ex.stages.size(); ++k) {
        if (k > 0) kept *= ex.stages[k].fraction;
        if (ex.stages[k].tier != Tier::dc) continue;
        double bytes = st.llm ? ex.payload.si() : stage_input_bytes(ex, k);
        if (ex.return_result) bytes += ex.result.si() * (st.llm ? mean_of(st.llm->output_tokens) : 1.0);
        o.backhaul_bytes_per_s += rate * kept * bytes;
        break;
      }
    }
  }
  return o;
}

void scale_trace_times(SimInput& in) {
  for (auto& ex : in.streams) {
    if (ex.arrival.kind == ArrivalKind::trace && ex.arrival.time_scale != 1.0) {
      for (auto& t : ex.trace_times) t /= ex.arrival.time_scale;
    }
  }
}

bool listed_for_datacentre(const HardwareProfile& p) {
  return p.klass == HardwareClass::gpu_server ||
         (p.klass == HardwareClass::accelerator && (!p.server_gpus.empty() || p.memory_capacity.si() >= 1e9));
}

RentPrice dc_rent_price(const Scenario& s, const Catalogue& cat, const std::string& hardware) {
  RentPrice out;
  const auto& p = cat.profile(hardware);
  out.reserved = p.gpu_hour_reserved.per_si;
  if (p.gpu_hour_on_demand.per_si > 0) {
    out.on_demand = p.gpu_hour_on_demand.per_si;
    out.source = "profile";
    return out;
  }
  if (s.costs.gpu_hour.per_si <= 0) return out;
  auto rentable = [](const HardwareProfile& x) { return x.klass == HardwareClass::gpu_server || x.klass == HardwareClass::accelerator; };
  std::vector<std::string> compared;
  if (!s.candidates.empty()) {
    for (const auto& c : s.candidates) {
      if (c.family == Family::edge || c.gpu_hardware.empty()) continue;
      const auto it = cat.profiles.find(c.gpu_hardware);
      if (it != cat.profiles.end() && rentable(it->second)) compared.push_back(c.gpu_hardware);
    }
  } else {
    for (const auto& [id, x] : cat.profiles) {
      if (listed_for_datacentre(x)) compared.push_back(id);
    }
  }
  std::sort(compared.begin(), compared.end());
  compared.erase(std::unique(compared.begin(), compared.end()), compared.end());
  // The relation: the purchase price per GPU, like with like: a server's price over its GPUs;
  // a card or module alone with its host share, in the servers of 8 it is bought in (or the
  // largest its `server:` block allows: package_accelerators). A part no dearer to buy that
  // rents for more than the generic price says the generic price is too low for this one; a
  // part of unknown price is compared with every priced part.
  auto per_gpu = [](const HardwareProfile& x) {
    if (x.price.amount <= 0) return 0.0;
    if (x.klass == HardwareClass::accelerator) {
      const ServerPackaging k = package_accelerators(x, 8);
      return k.unit_price / std::max(1, k.gpus_per_server);
    }
    return x.price.amount / std::max(1, x.accelerators);
  };
  const double mine = per_gpu(p);
  for (const auto& id : compared) {
    const auto& x = cat.profile(id);
    if (x.gpu_hour_on_demand.per_si > s.costs.gpu_hour.per_si && (mine <= 0 || per_gpu(x) <= mine)) {
      out.priced.push_back(fmt::format("{} ({:.3g} {}/GPU-hour)", id, x.gpu_hour_on_demand.per_si * 3600.0, s.costs.currency));
    }
  }
  if (out.priced.empty()) {
    out.on_demand = s.costs.gpu_hour.per_si;
    out.source = "scenario";
  }
  return out;
}

CostInputs cost_inputs(const Scenario& s, const Catalogue& cat, const CandidateReport& r) {
  double sites_total = 0;
  for (const auto& site : s.sites) sites_total += site.count;
  const auto& in = r.candidate.input;
  CostInputs ci;
  if (in.edge.units > 0) {
    ci.edge_units = static_cast<int>(in.edge.units * sites_total);
    ci.edge_unit_price = cat.profile(in.edge.hardware).price.amount;
    if (!r.candidate.spec.edge_accelerator.empty()) ci.edge_unit_price += cat.profile(r.candidate.spec.edge_accelerator).price.amount;
    ci.sites_with_edge = static_cast<int>(sites_total);
    ci.edge_units += s.design.site_spares * static_cast<int>(sites_total);  // N+k: spares bought, kept idle
    // The edge batch jobs' units beyond the streams' at their one site (TierSpec::job_units),
    // bought and maintained there alone; the run's edge power counts them idle.
    ci.edge_units += job_site_extra(in.edge);
  }
  const int spares = dc_spares(s, r.candidate.spec);
  if (in.dc.units > 0) {
    const auto& p = cat.profile(in.dc.hardware);
    ci.dc_units = in.dc.units + spares;
    ci.dc_unit_price = p.price.amount;
    int per_unit = std::max(1, p.accelerators);
    if (p.klass == HardwareClass::accelerator) {  // a card or module alone: bought as servers with a host
      // (the simulated tier already draws the host's power: see resolve_candidate)
      const ServerPackaging k = package_servers(p, in.dc.units, std::max(1, r.candidate.spec.gpus_per_server));
      ci.dc_unit_price = k.unit_price;
      per_unit = k.gpus_per_server;
    }
    // Rent or buy: the same device class rented by the GPU-hour (the profile's price, else
    // the scenario's costs.gpu_hour only when no part compared has a price of its own:
    // dc_rent_price). CPU servers are not rented by the GPU-hour.
    if (p.klass == HardwareClass::gpu_server || p.klass == HardwareClass::accelerator) {
      const RentPrice rent = dc_rent_price(s, cat, in.dc.hardware);
      ci.dc_devices = in.dc.units * per_unit;
      ci.gpu_hour_on_demand = rent.on_demand;
      ci.gpu_hour_reserved = rent.reserved;
    }
  }
  // Spares stand by at idle power.
  ci.edge_power_w = r.run.edge.avg_power_w + (in.edge.units > 0 ? s.design.site_spares * sites_total * in.edge.power_idle.si() : 0.0);
  ci.dc_power_w = r.run.dc.avg_power_w + (in.dc.units > 0 ? spares * in.dc.power_idle.si() : 0.0);
  // A batch job runs once per `every`, or once over the horizon.
  const double horizon_years = s.costs.horizon.si() / kSecondsPerYear;
  auto runs_per_year = [&](const BatchJob& job) {
    return job.every.si() > 0 ? kSecondsPerYear / job.every.si() : 1.0 / std::max(1e-9, horizon_years);
  };
  // Batch jobs alone: the fleet works only while its jobs run and idles otherwise; the
  // measured average is the busy power.
  if (s.streams.empty() && !r.run.jobs.empty() && r.run.ok) {
    double busy_s = 0;
    for (std::size_t j = 0; j < r.run.jobs.size() && j < s.batch_jobs.size(); ++j) busy_s += r.run.jobs[j].compute_s * runs_per_year(s.batch_jobs[j]);
    const double share = std::clamp(busy_s / kSecondsPerYear, 0.0, 1.0);
    ci.dc_busy_share = share;
    const double dc_idle = (in.dc.units + spares) * in.dc.power_idle.si();
    const double sites_total_units = (in.edge.units + s.design.site_spares) * sites_total + job_site_extra(in.edge);
    const double edge_idle = sites_total_units * in.edge.power_idle.si();
    ci.dc_power_w = ci.dc_power_w * share + (in.dc.units > 0 ? dc_idle * (1 - share) : 0.0);
    ci.edge_power_w = ci.edge_power_w * share + (in.edge.units > 0 ? edge_idle * (1 - share) : 0.0);
  } else if (!s.streams.empty() && !r.run.jobs.empty() && r.run.ok) {
    // Batch jobs beside streams: the tiers' measured power is the streams' (the engine leaves
    // the jobs out of it); each job adds its devices' power above idle for its compute time,
    // per run, at the one site or data centre it runs in.
    double dc_job_busy_s = 0;  // compute seconds per year of the jobs in the data centre
    for (std::size_t j = 0; j < r.run.jobs.size() && j < s.batch_jobs.size() && j < in.jobs.size(); ++j) {
      const double runs = runs_per_year(s.batch_jobs[j]);
      const TierSpec& ts = in.jobs[j].tier == Tier::dc ? in.dc : in.edge;
      const double above_idle_w = std::max(0.0, ts.power_max.si() - ts.power_idle.si()) / std::max(1, ts.slots) * r.run.jobs[j].devices;
      const double added_w = above_idle_w * std::min(kSecondsPerYear, r.run.jobs[j].compute_s * runs) / kSecondsPerYear;
      (in.jobs[j].tier == Tier::dc ? ci.dc_power_w : ci.edge_power_w) += added_w;
      if (in.jobs[j].tier == Tier::dc) {
        ci.dc_job_power_w += added_w;
        dc_job_busy_s += r.run.jobs[j].compute_s * runs;
      }
    }
    // A data centre that serves no stream (a hybrid whose stages all run on site) works only
    // while its jobs compute, as with batch jobs alone: rented, it is rented for that share
    // of the year, not all of it.
    if (in.dc.units > 0 && !dc_serves_streams(s, r.candidate.spec)) ci.dc_busy_share = std::clamp(dc_job_busy_s / kSecondsPerYear, 0.0, 1.0);
  }
  // Priced per million of what the scenario offers, not of what the run happened to complete
  // in its window (a sample that moves with the seed while the TCO does not); so are the
  // bytes over the backhaul: the offered ones, not the run's sample of them (which moves
  // with the seed, and with load that never crosses the WAN, through the filtering draws).
  const OfferedLoad offered = offered_load(s, r.candidate.input);
  ci.backhaul_bytes_per_day = offered.backhaul_bytes_per_s * 86400.0;
  ci.inferences_per_s = offered.requests_per_s;
  ci.output_tokens_per_s = offered.output_tokens_per_s;
  if (s.retraining) {
    const Retraining& t = *s.retraining;
    ci.retraining_runs_per_year = kSecondsPerYear / t.interval.si();
    if (t.epochs > 0) {  // derived from the models: the loop's training hardware, sized and priced
      const TrainingPlan tp = plan_training(s, cat, std::max(1, in.edge.units), &in);
      if (tp.chosen) ci.training_per_year = tp.chosen->per_year();
    } else {
      ci.retraining_gpu_hours = t.gpu_hours;
    }
    ci.model_push_bytes = t.model_size.si() * ci.edge_units;
    // Raw payloads that stay at the sites: the share kept as samples is uploaded. Streams
    // whose first stage runs in the data centre already send everything there.
    for (std::size_t i = 0; i < s.streams.size() && i < in.streams.size(); ++i) {
      const auto& st = s.streams[i];
      const auto& ex = in.streams[i];
      if (ex.stages.empty() || ex.stages.front().tier == Tier::dc) continue;
      double sites = 0;
      for (const auto& site : s.sites) {
        if (site.id == st.site) sites += site.count;
      }
      ci.sample_upload_bytes_per_day += mean_items_per_s(st.arrival, st.sources, ex.trace_times, in.duration.si()) * sites *
                                        mean_payload(ex) * 86400.0 * t.upload_fraction;
    }
  }
  return ci;
}

std::map<std::string, double> loop_bytes_per_day(const Scenario& s, const ResolvedCandidate& c) {
  std::map<std::string, double> out;
  if (!s.retraining) return out;
  const Retraining& t = *s.retraining;
  const auto& in = c.input;
  // Samples: the upload_fraction of the raw payloads of streams whose first stage runs on
  // site (a stream whose first stage is in the data centre already sends everything there).
  for (std::size_t i = 0; i < s.streams.size() && i < in.streams.size(); ++i) {
    const auto& st = s.streams[i];
    const auto& ex = in.streams[i];
    if (ex.stages.empty() || ex.stages.front().tier == Tier::dc) continue;
    for (const auto& site : s.sites) {
      if (site.id == st.site) {
        out[site.id] += mean_items_per_s(st.arrival, st.sources, ex.trace_times, in.duration.si()) * site.count * mean_payload(ex) *
                        86400.0 * t.upload_fraction;
      }
    }
  }
  // The model pushed to every edge unit (spares too) after each run.
  if (in.edge.units > 0 && t.interval.si() > 0 && t.model_size.si() > 0) {
    const double per_day = 86400.0 / t.interval.si();
    for (const auto& site : s.sites) {
      out[site.id] += t.model_size.si() * (in.edge.units + s.design.site_spares) * site.count * per_day;
    }
  }
  return out;
}

ResolvedCandidate resolve_for_simulation(const Scenario& s, const Catalogue& cat, const CandidateSpec& spec) {
  ResolvedCandidate c = resolve_candidate(s, cat, spec);
  scale_trace_times(c.input);
  return c;
}

std::vector<CandidateReport> evaluate_mixed(const std::vector<const Scenario*>& scenarios, const Catalogue& cat,
                                            const std::vector<CandidateSpec>& specs, Runner& runner, const Runner::OnProgress& progress) {
  std::vector<CandidateReport> reports;
  std::vector<SimInput> inputs;
  std::vector<std::size_t> which;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    CandidateReport r;
    r.candidate = resolve_for_simulation(*scenarios[i], cat, specs[i]);
    if (!r.candidate.infeasible) {
      which.push_back(reports.size());
      inputs.push_back(r.candidate.input);
    }
    reports.push_back(std::move(r));
  }
  auto results = runner.run(inputs, {}, progress);
  for (std::size_t i = 0; i < results.size(); ++i) reports[which[i]].run = std::move(results[i]);

  for (std::size_t i = 0; i < reports.size(); ++i) {
    auto& r = reports[i];
    const Scenario& s = *scenarios[i];
    r.cost_inputs = cost_inputs(s, cat, r);
    r.cost = price_deployment(s.costs, r.cost_inputs);
    // Which rented price stood beside the owned one (or why none did).
    if (r.cost_inputs.dc_devices > 0 && !r.candidate.input.dc.hardware.empty() && s.costs.gpu_hour.per_si > 0) {
      const std::string& hw = r.candidate.input.dc.hardware;
      const RentPrice rent = dc_rent_price(s, cat, hw);
      const double generic = s.costs.gpu_hour.per_si * 3600.0;
      if (rent.source == "scenario" && r.cost.dc_choice.rfind("rent", 0) == 0) {
        r.candidate.notes.push_back(fmt::format("{} has no gpu_hour of its own: rent priced at the scenario's costs.gpu_hour, {:.3g} {}/GPU-hour, "
                                                "a generic price (no data-centre part compared that is no dearer to buy rents for more)",
                                                hw, generic, s.costs.currency));
      } else if (rent.source.empty()) {
        std::string priced;
        for (const auto& x : rent.priced) priced += (priced.empty() ? "" : ", ") + x;
        r.candidate.notes.push_back(fmt::format("{} has no gpu_hour of its own: not offered to rent (bought), since the scenario's generic "
                                                "costs.gpu_hour, {:.3g} {}/GPU-hour, would rent it below parts compared that are no dearer to buy: {}",
                                                hw, generic, s.costs.currency, priced));
      }
    }
    // The loop's uploads and pushes are backhaul traffic (priced in bandwidth by
    // price_deployment): shown on each site's backhaul link and in backhaul_bytes_per_day,
    // and counted against constraints.backhaul_cap, though computed, not simulated.
    if (r.run.ok) {
      for (const auto& [site, bytes] : loop_bytes_per_day(s, r.candidate)) {
        const std::string name = "backhaul:" + site;
        auto link = std::find_if(r.run.links.begin(), r.run.links.end(), [&](const LinkResult& l) { return l.name == name; });
        if (link == r.run.links.end()) {
          r.run.links.push_back(LinkResult{name, 0.0, 0.0});
          link = std::prev(r.run.links.end());
        }
        link->bytes_per_day += bytes;
        r.run.backhaul_bytes_per_day += bytes;
      }
    }
    if (s.retraining && s.retraining->epochs > 0) r.training = plan_training(s, cat, std::max(1, r.candidate.input.edge.units), &r.candidate.input);
    // A rented data-centre tier buys no spare (the rent pays for the GPUs in use): none is
    // claimed, and none draws power.
    const bool rented = r.cost.dc_choice.rfind("rent", 0) == 0;
    r.availability = availability(s, cat, r.candidate, rented);
    // The power paid for: a rented data centre's electricity is the provider's, in the rent
    // (price_deployment drops its energy cost), so it leaves the total; what the rented GPUs
    // draw while rented (the busy share of the year; 1 when streams keep them up), averaged
    // over the year with PUE, is kept apart (with the jobs' power above idle, averaged over the
    // year, when they run beside streams). avg power x 8760 h x price = energy per year.
    if (rented) {
      r.total_power_w = r.cost_inputs.edge_power_w;
      r.rented_power_w = (r.run.dc.avg_power_w * r.cost_inputs.dc_busy_share + r.cost_inputs.dc_job_power_w) * s.costs.pue;
    } else {
      r.total_power_w = r.cost_inputs.edge_power_w + r.cost_inputs.dc_power_w * s.costs.pue;
    }
    double worst = -1;
    for (std::size_t k = 0; k < r.run.streams.size(); ++k) {
      const auto& st = r.run.streams[k];
      const double ratio = st.p99_s.value / std::max(1e-12, st.slo_latency_s);
      if (ratio > worst) {
        worst = ratio;
        r.worst_stream = k;
      }
    }
    judge(s, cat, r);
  }
  return reports;
}

std::vector<CandidateReport> evaluate_candidates(const Scenario& s, const Catalogue& cat,
                                                 const std::vector<CandidateSpec>& specs, Runner& runner) {
  return evaluate_mixed(std::vector<const Scenario*>(specs.size(), &s), cat, specs, runner);
}

}  // namespace hw
