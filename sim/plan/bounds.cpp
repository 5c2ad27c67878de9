#include "sim/plan/bounds.hpp"
#include "sim/core/text.hpp"
#include "sim/core/units.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/cost/tco.hpp"
#include "sim/hardware/llm_cost.hpp"
#include "sim/hardware/perf_model.hpp"
#include "sim/plan/deployment.hpp"
#include "sim/plan/design.hpp"
#include "sim/plan/evaluate.hpp"
#include "sim/plan/site_fit.hpp"

namespace hw {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string ms(double s) { return sig3(s * 1e3) + " ms"; }

// Items per second reaching each stage of a stream, per site, as the engine will offer
// them over the simulated window: a trace replays its own timestamps once per site (its
// `sources` are not used); a diurnal profile is averaged over the hours the run covers.
// Every screen that fails is kept (b.binding); the first one is the binding reason.
void set_reason(AnalyticBound& b, Reason r) {
  b.binding.push_back(r);
  if (b.reason) return;
  b.reason = describe(r);
  b.fix = r.fix;
  b.why_not = std::move(r);
}

}  // namespace

std::vector<double> stage_rates(const SimInput& in, const StreamExec& ex) {
  const double window = std::max(1e-9, in.duration.si());
  double rate = ex.arrival.rate.si() * ex.sources;
  if (ex.arrival.kind == ArrivalKind::trace) {
    std::size_t n = 0;
    for (double t : ex.trace_times) n += t / ex.arrival.time_scale < window ? 1 : 0;
    rate = static_cast<double>(n) / window;
  } else if (ex.arrival.kind == ArrivalKind::diurnal && !ex.arrival.hourly.empty()) {
    double acc = 0;
    for (double t0 = 0; t0 < window; t0 += 3600.0) {
      const double len = std::min(3600.0, window - t0);
      acc += len * hourly_multiplier(ex.arrival, t0);
    }
    rate *= acc / window;
  }
  std::vector<double> r;
  double x = rate;
  for (const auto& st : ex.stages) {
    x *= st.fraction;
    r.push_back(x);
  }
  return r;
}

// Mean bytes of a source item: a trace's own sizes where it gives them.
double mean_payload(const StreamExec& ex) {
  if (ex.arrival.kind != ArrivalKind::trace || ex.trace_sizes.empty()) return ex.payload.si();
  double sum = 0;
  for (double b : ex.trace_sizes) sum += b > 0 ? b : ex.payload.si();
  return sum / static_cast<double>(ex.trace_sizes.size());
}

double best_per_item(const std::vector<double>& service_s) {
  double best = kInf;
  for (std::size_t b = 1; b <= service_s.size(); ++b) best = std::min(best, service_s[b - 1] / static_cast<double>(b));
  return best == kInf ? 0.0 : best;
}

double stage_input_bytes(const StreamExec& ex, std::size_t k) { return k == 0 ? mean_payload(ex) : ex.stages[k - 1].output.si(); }


double length_quantile(const LengthDistribution& d, double q) {
  q = std::clamp(q, 1e-12, 1.0 - 1e-12);
  double v = d.mean;
  switch (d.shape) {
    case LengthShape::fixed: break;
    case LengthShape::uniform: {
      const double lo = std::round(d.min), n = std::round(d.max) - lo + 1;
      v = lo + std::max(0.0, std::ceil(q * n - 1e-9) - 1);
      break;
    }
    case LengthShape::lognormal: {
      if (d.cv <= 0) break;
      // z_q of the standard normal by bisection on Phi(z) = erfc(-z / sqrt 2) / 2.
      double lo = -40, hi = 40;
      for (int i = 0; i < 200; ++i) {
        const double mid = (lo + hi) / 2;
        (0.5 * std::erfc(-mid / std::sqrt(2.0)) < q ? lo : hi) = mid;
      }
      const double s2 = std::log1p(d.cv * d.cv);
      v = std::exp(std::log(d.mean) - s2 / 2 + (lo + hi) / 2 * std::sqrt(s2));
      v = std::max(v, d.min);
      if (d.max > 0) v = std::min(v, d.max);
      break;
    }
    case LengthShape::empirical: {
      if (d.values.empty()) break;
      std::vector<double> x = d.values;
      std::sort(x.begin(), x.end());
      const auto n = static_cast<double>(x.size());
      v = x[static_cast<std::size_t>(std::clamp(std::ceil(q * n - 1e-9) - 1, 0.0, n - 1))];
      break;
    }
  }
  return std::max(1.0, std::round(v));
}

LlmFloor llm_latency_floor(const LlmExec& e, double up_s, double down_s) {
  LlmFloor f;
  f.prompt_tokens = length_quantile(e.prompt_tokens, 1.0 - e.ttft.max_violation);
  const double budget = std::max(1, e.token_budget);
  double prefill = 0;
  for (double left = f.prompt_tokens; left > 0; left -= budget) prefill += llm_iteration_time(e.cost, std::min(left, budget), 0, 0);
  f.ttft_s = up_s + prefill + down_s;
  f.tpot_s = llm_iteration_time(e.cost, 1, 0, 0);
  return f;
}

double allowed_late_share(const StreamExec& ex) { return std::min(1.0 - ex.slo.percentile / 100.0, ex.slo.max_violation); }

LatencyFloor latency_floor(const SimInput& in, const StreamExec& ex, double late_share) {
  const SiteExec& se = in.sites[static_cast<std::size_t>(ex.site)];
  double smallest = ex.payload.si();
  if (ex.arrival.kind == ArrivalKind::trace && !ex.trace_sizes.empty()) {
    smallest = kInf;
    for (double sz : ex.trace_sizes) smallest = std::min(smallest, sz > 0 ? sz : ex.payload.si());
  }
  LatencyFloor f;
  // A video frame's own decode comes before its first stage (StreamExec::decode_s).
  double share = 1.0, t = se.access.latency.si() + smallest * 8.0 / se.access.bandwidth.si() + ex.decode_s;
  double prop = se.access.latency.si();
  double last_out = 0;
  for (std::size_t k = 0; k < ex.stages.size(); ++k) {
    share *= ex.stages[k].fraction;
    if (share <= late_share) break;
    if (ex.stages[k].tier == Tier::dc && !f.via_dc) {
      t += se.backhaul.latency.si() + (k == 0 ? smallest : stage_input_bytes(ex, k)) * 8.0 / se.backhaul.bandwidth.si() +
           in.dc_fabric_latency.si();
      prop += se.backhaul.latency.si() + in.dc_fabric_latency.si();
      f.via_dc = true;
    }
    // A random service time (mean 1 factor) can be shorter than its mean; only at the 95th
    // percentile and above is the mean still a floor (true for exponential and for
    // lognormal with CV up to 3; P(factor < 1) <= 0.78 there).
    const bool deterministic = ex.stages[k].variability.distribution == ServiceDistribution::deterministic;
    if (deterministic || ex.slo.percentile >= 95.0) t += ex.stages[k].service_s.front();
    last_out = ex.stages[k].output.si();
  }
  if (ex.return_result) {
    const double bytes = ex.result.si() > 0 ? ex.result.si() : last_out;
    t += se.access.latency.si() + bytes * 8.0 / se.access.bandwidth.si();
    prop *= 2;  // the same links back
    if (f.via_dc) t += se.backhaul.latency.si() + bytes * 8.0 / se.backhaul.bandwidth.si() + in.dc_fabric_latency.si();
  }
  f.total_s = t;
  f.propagation_s = prop;
  return f;
}

AnalyticBound analytic_bound(const Scenario& s, const Catalogue& cat, const CandidateSpec& spec_in) {
  AnalyticBound b;
  // Batch jobs need at least min_devices accelerators in the tier that runs them. A card
  // or module alone is sized in accelerators (packaged into servers afterwards).
  CandidateSpec spec = unpackaged(spec_in);
  const bool jobs_at_edge = spec.family == Family::edge;
  const std::string& job_hw = jobs_at_edge ? spec.edge_hardware : spec.gpu_hardware;
  const int job_slots = job_hw.empty() ? 1 : std::max(1, cat.profile(job_hw).accelerators);
  int job_units = 0;
  for (const auto& j : s.batch_jobs) job_units = std::max(job_units, (j.min_devices + job_slots - 1) / job_slots);
  // An edge job's units are bought at its one site only (resolve_candidate: TierSpec::job_units),
  // not at every site: units_per_site stays the streams'.
  if (job_units > 0 && !jobs_at_edge) spec.servers = std::max(spec.servers, job_units);
  // Hardware its licence keeps out of data centres: not a matter of size, and the fix is
  // other hardware (or the scenario's explicit override).
  if (!spec.gpu_hardware.empty() && spec.family != Family::edge) {
    if (auto why = datacenter_use_problem(s, cat.profile(spec.gpu_hardware))) {
      set_reason(b, Reason{ReasonKind::cannot_run, spec.gpu_hardware, 0, 0, "",
                           "data-centre hardware (or constraints.ignore_datacenter_use: true where the licence allows it)", *why,
                           {}});
      return b;
    }
  }
  ResolvedCandidate rc = resolve_candidate(s, cat, spec);
  if (rc.infeasible) {
    set_reason(b, Reason{ReasonKind::cannot_run, "", 0, 0, "",
                         rc.infeasible_fix.value_or("different hardware: this one cannot run it at any size"), *rc.infeasible, {}});
    return b;
  }
  // Site conditions: hardware that cannot live at a site is screened out, whatever its size.
  const SiteFit fit = site_fit(s, cat, spec);
  for (const auto& r : fit.excluded) set_reason(b, r);
  const SimInput& in = rc.input;
  // Requests served in parallel per sizing unit of the data centre: a server's GPUs, or one
  // accelerator when the unit is a card or module alone.
  const int dc_slots = spec.gpu_hardware.empty() ? 1 : std::max(1, cat.profile(spec.gpu_hardware).accelerators);
  const bool has_edge = in.edge.units > 0, has_dc = in.dc.units > 0;
  std::vector<double> edge_load(in.sites.size(), 0.0), backhaul_bps(in.sites.size(), 0.0), access_bps(in.sites.size(), 0.0);
  std::vector<double> edge_decode(in.sites.size(), 0.0);  // decoder-seconds per second, per site
  double dc_decode = 0;
  double worst_floor_ratio = 0;
  for (const auto& ex : in.streams) {
    const auto rates = stage_rates(in, ex);
    const auto site = static_cast<std::size_t>(ex.site);
    const SiteExec& se = in.sites[site];
    access_bps[site] += rates.empty() ? 0.0 : rates[0] / std::max(1e-300, ex.stages[0].fraction) * mean_payload(ex) * 8.0;
    bool crossed = false;
    for (std::size_t k = 0; k < ex.stages.size(); ++k) {
      const auto& g = ex.stages[k];
      // A video stream's decoders (one set per slot) work beside the cores: a slot's load is the
      // larger of its inference and its decoding, each of which must stay below the cap.
      const double decode = k == 0 ? rates[0] / std::max(1e-300, g.fraction) * ex.decode_busy_s : 0.0;
      if (g.tier == Tier::edge) {
        edge_load[site] += rates[k] * g.service_s.front();
        edge_decode[site] += decode;
      } else {
        b.dc_load += rates[k] * se.count * best_per_item(g.service_s);
        dc_decode += decode * se.count;
        if (!crossed) backhaul_bps[site] += rates[k] * stage_input_bytes(ex, k) * 8.0;
        crossed = true;
      }
    }
    if (ex.llm) {
      // LLM serving: a replica's prefill and decode step bound TTFT and TPOT at any size.
      const bool dc = ex.stages.front().tier == Tier::dc;
      const double one_way = se.access.latency.si() + (dc ? se.backhaul.latency.si() + in.dc_fabric_latency.si() : 0.0);
      const LlmFloor lf = llm_latency_floor(*ex.llm, one_way, one_way);
      auto screen = [&](const char* what, double t, const Slo& slo) {
        const double ratio = t / slo.latency.si();
        if (ratio > worst_floor_ratio) {
          worst_floor_ratio = ratio;
          b.floor_s = t;
          b.floor_ratio = ratio;
        }
        if (t < slo.latency.si()) return;
        set_reason(b, Reason{ReasonKind::latency_floor, ex.id, t, slo.latency.si(), "s",
                             "faster hardware (more units add replicas; none serves one request faster)", what,
                             {{"percentile", slo.percentile}, {"via_dc", dc ? 1 : 0}, {"prompt_tokens", lf.prompt_tokens}}});
      };
      screen("ttft", lf.ttft_s, ex.llm->ttft);
      screen("tpot", lf.tpot_s, ex.llm->tpot);
    }
    // Latency floor: the path taken by more items than the SLO lets be late.
    const double allowed = allowed_late_share(ex);
    const LatencyFloor lf = latency_floor(in, ex, allowed);
    const double t = lf.total_s;
    const bool via_dc = lf.via_dc;
    const double ratio = t / ex.slo.latency.si();
    if (ratio > worst_floor_ratio) {
      worst_floor_ratio = ratio;
      b.floor_s = t;
      b.floor_ratio = ratio;
    }
    if (t >= ex.slo.latency.si()) {
      set_reason(b, Reason{ReasonKind::latency_floor, ex.id, t, ex.slo.latency.si(), "s",
                           fmt::format("a p{:g} target above {}{}", ex.slo.percentile, ms(t),
                                       via_dc ? ", or a closer data centre" : ", or faster hardware"),
                           "", {{"percentile", ex.slo.percentile}, {"via_dc", via_dc ? 1 : 0}}});
    }
  }
  // The bytes priced: the offered ones, as cost_inputs prices them (sim/plan/evaluate.cpp), so
  // that the bound's bandwidth is the candidate's own at any size.
  if (std::any_of(in.streams.begin(), in.streams.end(),
                  [](const StreamExec& ex) { return ex.arrival.kind == ArrivalKind::trace && ex.arrival.time_scale != 1.0; })) {
    SimInput replayed = in;
    scale_trace_times(replayed);
    b.backhaul_bytes_per_s = offered_load(s, replayed).backhaul_bytes_per_s;
  } else {
    b.backhaul_bytes_per_s = offered_load(s, in).backhaul_bytes_per_s;
  }
  b.dc_load = std::max(b.dc_load, dc_decode);
  if (has_edge) {
    double worst = 0;
    for (std::size_t i = 0; i < edge_load.size(); ++i) worst = std::max({worst, edge_load[i], edge_decode[i]});
    b.edge_load = worst;
    // Enough units to stay below 100% busy and below the design's headroom cap.
    b.units_per_site = std::max(static_cast<int>(std::floor(worst / in.edge.slots)) + 1,
                                static_cast<int>(std::ceil(worst / (in.edge.slots * s.design.max_edge_utilisation) - 1e-9)));
  }
  // Sensor ports: a unit takes at most as many sensors as it has ports of their kind.
  if (has_edge) b.units_per_site = std::max(b.units_per_site, fit.min_units);
  if (has_dc) {
    b.servers = std::max(static_cast<int>(std::floor(b.dc_load / dc_slots)) + 1,
                         static_cast<int>(std::ceil(b.dc_load / (dc_slots * s.design.max_dc_utilisation) - 1e-9)));
  }
  // Batch jobs: the fewest units whose devices finish each job by its deadline, counting the
  // dataset upload at the full backhaul rate (a floor: streams may share the link).
  const double horizon_years = s.costs.horizon.si() / kSecondsPerYear;
  for (std::size_t ji = 0; ji < in.jobs.size(); ++ji) {
    const BatchJobExec& j = in.jobs[ji];
    const int slots = j.tier == Tier::edge ? in.edge.slots : dc_slots;
    // Device-seconds a year no fleet can go below: n devices finish in at best single / n
    // (job_speedup(n, e) <= n), and every device of the tier stays rented meanwhile.
    if (j.tier == Tier::dc && ji < s.batch_jobs.size()) {
      const BatchJob& job = s.batch_jobs[ji];
      const double runs = job.every.si() > 0 ? kSecondsPerYear / job.every.si() : 1.0 / std::max(1e-9, horizon_years);
      b.dc_job_device_s_per_year += j.single_device_s * runs;
    }
    const SiteExec& se = in.sites.empty() ? SiteExec{} : in.sites[static_cast<std::size_t>(j.upload_site)];
    const double upload = j.dataset.si() > 0 ? se.backhaul.latency.si() + j.dataset.si() * 8.0 / se.backhaul.bandwidth.si() : 0.0;
    int units = std::max(1, job_units);
    const int cap = kMaxEdgeJobUnits;
    auto makespan = [&](int u) { return upload + j.single_device_s / job_speedup(u * slots, j.scaling_efficiency); };
    while (j.deadline_s > 0 && makespan(units) > j.deadline_s && units < cap) ++units;
    if (j.deadline_s > 0 && makespan(units) > j.deadline_s && !b.reason) {
      double best = kInf;
      for (int u = 1; u <= cap; u *= 2) best = std::min(best, makespan(u));
      if (upload >= j.deadline_s) {
        set_reason(b, Reason{ReasonKind::upload_too_slow, j.id, upload, j.deadline_s, "s", "a faster backhaul, or shipping the data", j.kind,
                             {{"dataset_bytes", j.dataset.si()}, {"backhaul_bps", se.backhaul.bandwidth.si()}}});
      } else {
        set_reason(b, Reason{ReasonKind::deadline_unreachable, j.id, best, j.deadline_s, "s",
                             fmt::format("a deadline of at least {}", format_long_time(Seconds(best))), j.kind, {{"units", cap}}});
      }
      b.floor_ratio = best / j.deadline_s;
    }
    // An edge job's units are its site's alone (TierSpec::job_units), not every site's.
    if (j.tier != Tier::edge) b.servers = std::max(b.servers, units);
  }
  // Headroom: a link may be at most design.max_utilisation.link busy on average; more units
  // never lift it, so it screens the candidate out before any simulation.
  const double link_cap = s.design.max_link_utilisation;
  auto headroom = [&](const std::string& what, const SiteExec& se, double sent, double bw) {
    set_reason(b, Reason{ReasonKind::link_headroom, fmt::format("{} link of site {}", what, se.id), sent / bw, link_cap, "",
                         fmt::format("a {} of at least {} (or design.max_utilisation.link above {:.0f}%)", what,
                                     format_bitrate(BitsPerSecond(sent / link_cap)), 100 * sent / bw),
                         what, {{"bps", sent}, {"bandwidth_bps", bw}}});
  };
  for (std::size_t i = 0; i < in.sites.size(); ++i) {
    const SiteExec& se = in.sites[i];
    if (access_bps[i] >= se.access.bandwidth.si()) {
      set_reason(b, Reason{ReasonKind::access_saturated, se.id, access_bps[i], se.access.bandwidth.si(), "bit/s",
                           fmt::format("an access link faster than {}", format_bitrate(BitsPerSecond(access_bps[i] / link_cap))), "", {}});
    } else if (backhaul_bps[i] >= se.backhaul.bandwidth.si()) {
      set_reason(b, Reason{ReasonKind::backhaul_saturated, se.id, backhaul_bps[i], se.backhaul.bandwidth.si(), "bit/s",
                           fmt::format("a backhaul faster than {}", format_bitrate(BitsPerSecond(backhaul_bps[i] / link_cap))), "", {}});
    } else if (access_bps[i] > link_cap * se.access.bandwidth.si()) {
      headroom("access", se, access_bps[i], se.access.bandwidth.si());
    } else if (backhaul_bps[i] > link_cap * se.backhaul.bandwidth.si()) {
      headroom("backhaul", se, backhaul_bps[i], se.backhaul.bandwidth.si());
    } else if (s.constraints.backhaul_cap && backhaul_bps[i] > s.constraints.backhaul_cap->si()) {
      set_reason(b, Reason{ReasonKind::backhaul_cap, se.id, backhaul_bps[i], s.constraints.backhaul_cap->si(), "bit/s",
                           fmt::format("a backhaul cap of at least {}", format_bitrate(BitsPerSecond(backhaul_bps[i]))), "", {}});
    }
  }
  if (has_edge && s.constraints.site_power_budget) {
    const double need = b.units_per_site * in.edge.power_max.si();
    if (need > s.constraints.site_power_budget->si()) {
      set_reason(b, Reason{ReasonKind::site_power, in.edge.hardware, need, s.constraints.site_power_budget->si(), "W",
                           fmt::format("a site power budget of at least {}", format_power(Watts(need))), "",
                           {{"units", b.units_per_site}}});
    }
  }
  if (has_edge) {
    // Power and ports at the size the load needs (after the exclusions named above).
    const auto at = site_conditions_at(s, cat, spec, b.units_per_site);
    for (std::size_t i = fit.excluded.size(); i < at.size(); ++i) set_reason(b, at[i]);
  }
  if (has_dc && s.constraints.rack_power && in.dc.power_max.si() > s.constraints.rack_power->si()) {
    set_reason(b, Reason{ReasonKind::rack_power, in.dc.hardware, in.dc.power_max.si(), s.constraints.rack_power->si(), "W",
                         fmt::format("racks of at least {}", format_power(in.dc.power_max)), "", {}});
  }
  return b;
}

double tco_lower_bound(const Scenario& s, const Catalogue& cat, const CandidateSpec& spec, const AnalyticBound& b) {
  double sites = 0;
  for (const auto& x : s.sites) sites += x.count;
  CostInputs ci;
  if (spec.family != Family::gpu && !spec.edge_hardware.empty()) {
    const auto& p = cat.profile(spec.edge_hardware);
    ci.edge_units = static_cast<int>(std::max(1, b.units_per_site) * sites);
    ci.edge_unit_price = p.price.amount;
    ci.sites_with_edge = static_cast<int>(sites);
    ci.edge_power_w = ci.edge_units * p.power_idle.si();
    if (!spec.edge_accelerator.empty()) {
      const auto& a = cat.profile(spec.edge_accelerator);
      ci.edge_unit_price += a.price.amount;
      ci.edge_power_w += ci.edge_units * a.power_idle.si();
    }
  }
  if (spec.family != Family::edge && !spec.gpu_hardware.empty()) {
    const auto& p = cat.profile(spec.gpu_hardware);
    ci.dc_units = std::max(1, b.servers);
    ci.dc_unit_price = p.price.amount;
    ci.dc_power_w = ci.dc_units * p.power_idle.si();
    if (p.klass == HardwareClass::accelerator) {
      // b.servers counts accelerators: the cheapest buyable servers holding them (their price
      // never falls as the count grows, so this stays a floor).
      const ServerPackaging k = package_accelerators(p, ci.dc_units, &s.costs);
      ci.dc_units = k.servers;
      ci.dc_unit_price = k.unit_price;
      ci.dc_power_w = k.servers * k.unit_idle_w;
    }
    // Rent or buy, as cost_inputs (sim/plan/evaluate.cpp) offers it: price_deployment takes the
    // cheaper, so the floor is the cheaper of the owned floor and the rented floor. The rented
    // floor: the fewest devices (b.servers accelerators, or servers x their GPUs), kept all year
    // when the data centre serves streams; when it runs batch jobs alone (whatever the sites
    // run), rented for the jobs' compute only, at least their single-device time per run
    // (dc_job_device_s_per_year).
    if (p.klass == HardwareClass::gpu_server || p.klass == HardwareClass::accelerator) {
      const RentPrice rent = dc_rent_price(s, cat, spec.gpu_hardware);
      ci.dc_devices = p.klass == HardwareClass::accelerator ? std::max(1, b.servers) : std::max(1, b.servers) * std::max(1, p.accelerators);
      ci.gpu_hour_on_demand = rent.on_demand;
      ci.gpu_hour_reserved = rent.reserved;
      if (!dc_serves_streams(s, spec)) ci.dc_busy_share = std::clamp(b.dc_job_device_s_per_year / (ci.dc_devices * kSecondsPerYear), 0.0, 1.0);
    }
  }
  ci.backhaul_bytes_per_day = b.backhaul_bytes_per_s * 86400.0;
  return price_deployment(s.costs, ci).tco;
}

}  // namespace hw
