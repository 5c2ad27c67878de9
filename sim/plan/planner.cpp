#include "sim/plan/planner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "sim/hardware/perf_model.hpp"
#include "sim/run/runner.hpp"

namespace hw {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// What the internal steps share: the options and the runner that simulates.
struct Ctx : PlanOptions {
  Runner* runner = nullptr;
};

// Thrown between probes once the runner was cancelled; make_plan returns what it has.
struct Cancelled {};

std::string ms(double s) { return fmt::format("{:.3g} ms", s * 1e3); }

std::string money(double v, const std::string& cur) {
  if (std::abs(v) >= 1e6) return fmt::format("{:.3g} M {}", v / 1e6, cur);
  if (std::abs(v) >= 1e3) return fmt::format("{:.3g} k {}", v / 1e3, cur);
  return fmt::format("{:.0f} {}", v, cur);
}

// Items per second reaching each stage of a stream, per site.
// Items per second reaching each stage of a stream, per site, as the engine will offer
// them over the simulated window: a trace replays its own timestamps once per site (its
// `sources` are not used); a diurnal profile is averaged over the hours the run covers.
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
      acc += len * ex.arrival.hourly[static_cast<std::size_t>(std::fmod(t0 / 3600.0, 24.0))];
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

bool same_choice(const CandidateSpec& a, const CandidateSpec& b) {
  return a.family == b.family && a.edge_hardware == b.edge_hardware && a.gpu_hardware == b.gpu_hardware &&
         a.edge_accelerator == b.edge_accelerator && a.queue_capacity == b.queue_capacity &&
         (a.family == Family::edge || (a.batching.max_batch == b.batching.max_batch && a.batching.max_wait.si() == b.batching.max_wait.si())) &&
         (a.family != Family::hybrid || a.edge_stages == b.edge_stages);
}

std::string choice_label(const CandidateSpec& c) {
  const std::string e = edge_unit_name(c);
  switch (c.family) {
    case Family::edge: return fmt::format("edge {}", e);
    case Family::gpu: return fmt::format("gpu {}", c.gpu_hardware);
    case Family::hybrid: return fmt::format("hybrid {} + {} ({} stage(s) at the edge)", e, c.gpu_hardware, c.edge_stages);
  }
  return "?";
}

double worst_ratio(const CandidateReport& r) {
  double w = 0;
  for (const auto& st : r.run.streams) w = std::max(w, slo_estimate(st).value / std::max(1e-12, st.slo_latency_s));
  for (const auto& j : r.run.jobs) {
    if (j.deadline_s > 0) w = std::max(w, j.makespan_s / j.deadline_s);
  }
  return w;
}

bool deadline_failure(const CandidateReport& r) {
  return std::any_of(r.run.jobs.begin(), r.run.jobs.end(), [](const BatchJobResult& j) { return !j.deadline_met; });
}

// Failures more units can cure: a missed latency target or job deadline.
bool slo_failure(const CandidateReport& r) {
  return deadline_failure(r) ||
         std::any_of(r.run.streams.begin(), r.run.streams.end(), [](const StreamResult& st) { return !slo_confident(st); });
}

}  // namespace

std::vector<CandidateSpec> enumerate_candidates(const Scenario& s, const Catalogue& cat) {
  std::vector<CandidateSpec> out;
  auto add = [&](CandidateSpec c) {
    c.units_per_site = 1;
    c.servers = 1;
    for (const auto& x : out) {
      if (same_choice(x, c)) return;
    }
    out.push_back(c);
  };
  if (!s.candidates.empty()) {
    for (const auto& c : s.candidates) add(c);
    return out;
  }
  double tightest = kInf;
  std::size_t max_stages = 1;
  for (const auto& st : s.streams) {
    tightest = std::min(tightest, st.slo.latency.si());
    max_stages = std::max(max_stages, st.pipeline.size());
  }
  // Default batching for the data centre when the scenario names no candidates: up to 8
  // items, waiting at most a tenth of the tightest SLO or 4 ms (an engineering default,
  // not a measured optimum).
  Batching batching{8, Seconds(std::min(4e-3, tightest == kInf ? 4e-3 : tightest / 10))};
  std::vector<std::string> edges, gpus;
  for (const auto& [id, p] : cat.profiles) {
    if (p.klass == HardwareClass::edge) edges.push_back(id);
    if (p.klass == HardwareClass::gpu_server) gpus.push_back(id);
  }
  auto spec = [](Family f, const std::string& e, const std::string& g, const Batching& b, int stages) {
    CandidateSpec c;
    c.family = f;
    c.edge_hardware = e;
    c.gpu_hardware = g;
    c.batching = b;
    c.edge_stages = stages;
    return c;
  };
  for (const auto& e : edges) add(spec(Family::edge, e, "", {}, 1));
  for (const auto& g : gpus) add(spec(Family::gpu, "", g, batching, 1));
  for (std::size_t k = 1; k < max_stages; ++k) {
    for (const auto& e : edges) {
      for (const auto& g : gpus) add(spec(Family::hybrid, e, g, batching, static_cast<int>(k)));
    }
  }
  return out;
}

Scenario scale_load(const Scenario& s, double k) {
  Scenario x = s;
  for (auto& st : x.streams) {
    st.arrival.rate = PerSecond(st.arrival.rate.si() * k);
    st.arrival.time_scale *= k;  // trace replay: timestamps are divided by it
  }
  // For batch jobs, load is the amount of work and data.
  for (auto& j : x.batch_jobs) {
    j.total_flops = Flops(j.total_flops.si() * k);
    j.total_bytes = Bytes(j.total_bytes.si() * k);
    j.dataset = Bytes(j.dataset.si() * k);
  }
  return x;
}

AnalyticBound analytic_bound(const Scenario& s, const Catalogue& cat, const CandidateSpec& spec_in) {
  AnalyticBound b;
  // Batch jobs need at least min_devices accelerators in the tier that runs them.
  CandidateSpec spec = spec_in;
  const bool jobs_at_edge = spec.family == Family::edge;
  const std::string& job_hw = jobs_at_edge ? spec.edge_hardware : spec.gpu_hardware;
  const int job_slots = job_hw.empty() ? 1 : std::max(1, cat.profile(job_hw).accelerators);
  int job_units = 0;
  for (const auto& j : s.batch_jobs) job_units = std::max(job_units, (j.min_devices + job_slots - 1) / job_slots);
  if (job_units > 0) {
    if (jobs_at_edge) spec.units_per_site = std::max(spec.units_per_site, job_units);
    else spec.servers = std::max(spec.servers, job_units);
  }
  ResolvedCandidate rc = resolve_candidate(s, cat, spec);
  if (rc.infeasible) {
    b.reason = *rc.infeasible;
    b.fix = "different hardware (the model or the data cannot go there)";
    return b;
  }
  const SimInput& in = rc.input;
  const bool has_edge = in.edge.units > 0, has_dc = in.dc.units > 0;
  std::vector<double> edge_load(in.sites.size(), 0.0), backhaul_bps(in.sites.size(), 0.0), access_bps(in.sites.size(), 0.0);
  double worst_floor_ratio = 0;
  for (const auto& ex : in.streams) {
    const auto rates = stage_rates(in, ex);
    const auto site = static_cast<std::size_t>(ex.site);
    const SiteExec& se = in.sites[site];
    access_bps[site] += rates.empty() ? 0.0 : rates[0] / std::max(1e-300, ex.stages[0].fraction) * mean_payload(ex) * 8.0;
    bool crossed = false;
    for (std::size_t k = 0; k < ex.stages.size(); ++k) {
      const auto& g = ex.stages[k];
      if (g.tier == Tier::edge) {
        edge_load[site] += rates[k] * g.service_s.front();
      } else {
        b.dc_load += rates[k] * se.count * best_per_item(g.service_s);
        if (!crossed) backhaul_bps[site] += rates[k] * stage_input_bytes(ex, k) * 8.0;
        crossed = true;
      }
    }
    // Latency floor: the path taken by more items than the SLO lets be late.
    const double allowed = std::min(1.0 - ex.slo.percentile / 100.0, ex.slo.max_violation);
    double smallest = ex.payload.si();
    if (ex.arrival.kind == ArrivalKind::trace && !ex.trace_sizes.empty()) {
      smallest = kInf;
      for (double sz : ex.trace_sizes) smallest = std::min(smallest, sz > 0 ? sz : ex.payload.si());
    }
    double share = 1.0, t = se.access.latency.si() + smallest * 8.0 / se.access.bandwidth.si();
    bool via_dc = false;
    double last_out = 0;
    for (std::size_t k = 0; k < ex.stages.size(); ++k) {
      share *= ex.stages[k].fraction;
      if (share <= allowed) break;
      if (ex.stages[k].tier == Tier::dc && !via_dc) {
        t += se.backhaul.latency.si() + (k == 0 ? smallest : stage_input_bytes(ex, k)) * 8.0 / se.backhaul.bandwidth.si() +
             in.dc_fabric_latency.si();
        via_dc = true;
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
      if (via_dc) t += se.backhaul.latency.si() + bytes * 8.0 / se.backhaul.bandwidth.si() + in.dc_fabric_latency.si();
    }
    const double ratio = t / ex.slo.latency.si();
    if (ratio > worst_floor_ratio) {
      worst_floor_ratio = ratio;
      b.floor_s = t;
      b.floor_ratio = ratio;
    }
    if (t >= ex.slo.latency.si() && !b.reason) {
      b.reason = fmt::format("{}: {}network and service time alone take {} against the {} p{:g} target", ex.id,
                             via_dc ? "the round trip to the data centre: " : "", ms(t), ms(ex.slo.latency.si()),
                             ex.slo.percentile);
      b.fix = fmt::format("a p{:g} target above {}{}", ex.slo.percentile, ms(t),
                          via_dc ? ", or a closer data centre" : ", or faster hardware");
    }
  }
  for (std::size_t i = 0; i < in.sites.size(); ++i) b.backhaul_bytes_per_s += backhaul_bps[i] / 8.0 * in.sites[i].count;
  if (has_edge) {
    double worst = 0;
    for (double l : edge_load) worst = std::max(worst, l);
    b.edge_load = worst;
    b.units_per_site = static_cast<int>(std::floor(worst / in.edge.slots)) + 1;
  }
  if (has_dc) b.servers = static_cast<int>(std::floor(b.dc_load / in.dc.slots)) + 1;
  // Batch jobs: the fewest units whose devices finish each job by its deadline, counting the
  // dataset upload at the full backhaul rate (a floor: streams may share the link).
  for (const auto& j : in.jobs) {
    const int slots = j.tier == Tier::edge ? in.edge.slots : in.dc.slots;
    const SiteExec& se = in.sites.empty() ? SiteExec{} : in.sites[static_cast<std::size_t>(j.upload_site)];
    const double upload = j.dataset.si() > 0 ? se.backhaul.latency.si() + j.dataset.si() * 8.0 / se.backhaul.bandwidth.si() : 0.0;
    int units = std::max(1, job_units);
    const int cap = 4096;
    auto makespan = [&](int u) { return upload + j.single_device_s / job_speedup(u * slots, j.scaling_efficiency); };
    while (j.deadline_s > 0 && makespan(units) > j.deadline_s && units < cap) ++units;
    if (j.deadline_s > 0 && makespan(units) > j.deadline_s && !b.reason) {
      double best = kInf;
      for (int u = 1; u <= cap; u *= 2) best = std::min(best, makespan(u));
      b.reason = upload >= j.deadline_s
                     ? fmt::format("{} job {}: uploading the {} dataset over a {} backhaul takes {:.3g} h, past the {:.3g} h deadline",
                                   j.kind, j.id, format_data(j.dataset), format_bitrate(se.backhaul.bandwidth), upload / 3600,
                                   j.deadline_s / 3600)
                     : fmt::format("{} job {}: even {} units finish after {:.3g} h, past the {:.3g} h deadline", j.kind, j.id, cap,
                                   best / 3600, j.deadline_s / 3600);
      b.fix = upload >= j.deadline_s ? "a faster backhaul, or shipping the data" : fmt::format("a deadline of at least {:.3g} h", best / 3600);
      b.floor_ratio = best / j.deadline_s;
    }
    if (j.tier == Tier::edge) b.units_per_site = std::max(b.units_per_site, units);
    else b.servers = std::max(b.servers, units);
  }
  for (std::size_t i = 0; i < in.sites.size() && !b.reason; ++i) {
    const SiteExec& se = in.sites[i];
    if (access_bps[i] >= se.access.bandwidth.si()) {
      b.reason = fmt::format("site {}: the sources send {} over a {} access link", se.id, format_bitrate(BitsPerSecond(access_bps[i])),
                             format_bitrate(se.access.bandwidth));
      b.fix = fmt::format("an access link faster than {}", format_bitrate(BitsPerSecond(access_bps[i])));
    } else if (backhaul_bps[i] >= se.backhaul.bandwidth.si()) {
      b.reason = fmt::format("site {}: {} must cross a {} backhaul (saturated)", se.id, format_bitrate(BitsPerSecond(backhaul_bps[i])),
                             format_bitrate(se.backhaul.bandwidth));
      b.fix = fmt::format("a backhaul faster than {}", format_bitrate(BitsPerSecond(backhaul_bps[i])));
    } else if (s.constraints.backhaul_cap && backhaul_bps[i] > s.constraints.backhaul_cap->si()) {
      b.reason = fmt::format("site {}: backhaul use {} exceeds the {} cap", se.id, format_bitrate(BitsPerSecond(backhaul_bps[i])),
                             format_bitrate(*s.constraints.backhaul_cap));
      b.fix = fmt::format("a backhaul cap of at least {}", format_bitrate(BitsPerSecond(backhaul_bps[i])));
    }
  }
  if (!b.reason && has_edge && s.constraints.site_power_budget) {
    const double need = b.units_per_site * in.edge.power_max.si();
    if (need > s.constraints.site_power_budget->si()) {
      b.reason = fmt::format("at least {} x {} per site are needed for the load, drawing up to {} against the {} site power budget",
                             b.units_per_site, in.edge.hardware, format_power(Watts(need)), format_power(*s.constraints.site_power_budget));
      b.fix = fmt::format("a site power budget of at least {}", format_power(Watts(need)));
    }
  }
  if (!b.reason && has_dc && s.constraints.rack_power && in.dc.power_max.si() > s.constraints.rack_power->si()) {
    b.reason = fmt::format("one {} draws up to {} but a rack allows {}", in.dc.hardware, format_power(in.dc.power_max),
                           format_power(*s.constraints.rack_power));
    b.fix = fmt::format("racks of at least {}", format_power(in.dc.power_max));
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
      ci.dc_unit_price += kHostPricePerAcceleratorUsd * std::max(1, p.accelerators);
      ci.dc_power_w += kHostPowerPerAcceleratorW * std::max(1, p.accelerators) * ci.dc_units;
    }
  }
  ci.backhaul_bytes_per_day = b.backhaul_bytes_per_s * 86400.0;
  return price_deployment(s.costs, ci).tco;
}

namespace {

struct Search {
  CandidateSpec spec;           // size being probed next
  int lo_fail = 0;              // 1-D: largest size known to fail for being too small
  int hi_pass = 0;              // 1-D: smallest size known to pass (0: none)
  int too_big = 1 << 30;        // 1-D: smallest size known to break a constraint (site power budget)
  // Hybrid, after the first passing probe: shrink one tier at a time by bisection.
  int shrink_tier = -1;         // -1: still growing; 0: shrinking the edge; 1: the data centre
  int lo_e = 0, hi_e = 0, lo_g = 0, hi_g = 0;
  double edge_slots = 1, dc_slots = 1;  // for the analytic utilisation
  bool done = false;
  std::optional<CandidateReport> best;  // smallest passing probe
  std::optional<CandidateReport> last;
  std::string fix;
  SizedCandidate out;
};

int& dim(CandidateSpec& c) { return c.family == Family::edge ? c.units_per_site : c.servers; }

double bottleneck_utilisation(const CandidateReport& r) { return std::max(r.run.edge.utilisation, r.run.dc.utilisation); }

bool overloaded(const CandidateReport& r) {
  return std::any_of(r.run.streams.begin(), r.run.streams.end(), [](const StreamResult& st) { return st.unfinished > 0; }) ||
         bottleneck_utilisation(r) > 0.98;
}

// Utilisation of the busiest site's edge units and of the data centre: the larger of what
// the run measured (averaged over simulated units) and the analytic load over capacity
// (which sees the busiest site kind, where an average over kinds would not).
double edge_util(const Search& x, const CandidateReport& r) {
  const double n = std::max(1, x.spec.units_per_site) * x.edge_slots;
  return std::max(r.run.edge.utilisation, x.out.bound.edge_load / n);
}
double dc_util(const Search& x, const CandidateReport& r) {
  const double n = std::max(1, x.spec.servers) * x.dc_slots;
  return std::max(r.run.dc.utilisation, x.out.bound.dc_load / n);
}

int grow(int n, const CandidateReport& r) {
  int next = std::max(n + 1, static_cast<int>(std::ceil(n * 1.5)));
  if (overloaded(r)) next = std::max(next, 2 * n);
  return next;
}

// Sizes every base spec by simulation, all candidates of a round in parallel.
// Each base spec is sized against its own scenario (the same one, or the scenario at
// another load for the sensitivity analysis).
std::vector<SizedCandidate> size_all(const std::vector<const Scenario*>& scen, const Catalogue& cat,
                                     const std::vector<CandidateSpec>& bases, const Ctx& o, const std::string& what,
                                     Plan& stats) {
  std::vector<Search> searches;
  for (std::size_t b = 0; b < bases.size(); ++b) {
    const Scenario& s = *scen[b];
    const CandidateSpec& base = bases[b];
    Search x;
    x.spec = base;
    x.out.bound = analytic_bound(s, cat, base);
    if (x.out.bound.reason) {
      x.done = true;
      x.out.screened_out = true;
      x.out.report.candidate = resolve_candidate(s, cat, base);
      x.out.report.reason = *x.out.bound.reason;
      x.out.report.cost_inputs = cost_inputs(s, cat, x.out.report);
      x.out.fix = x.out.bound.fix;
      // Screened out for latency: as close as its floor; for anything else, not close.
      x.out.closeness = x.out.bound.floor_ratio >= 1 ? x.out.bound.floor_ratio : kInf;
    } else {
      if (base.family != Family::gpu) x.spec.units_per_site = std::max(1, x.out.bound.units_per_site);
      if (base.family != Family::edge) x.spec.servers = std::max(1, x.out.bound.servers);
      if (base.family != Family::hybrid) x.lo_fail = dim(x.spec) - 1;
      if (base.family != Family::gpu && !base.edge_hardware.empty()) {
        const auto& p = cat.profile(base.edge_hardware);
        x.edge_slots = std::max(1, p.accelerators);
        double unit_w = p.power_max.si();
        if (!base.edge_accelerator.empty()) unit_w += cat.profile(base.edge_accelerator).power_max.si();
        // More units than the site power budget allows are never probed.
        if (s.constraints.site_power_budget && unit_w > 0 && base.family == Family::edge) {
          x.too_big = static_cast<int>(std::floor(s.constraints.site_power_budget->si() / unit_w)) + 1;
        }
      }
      if (base.family != Family::edge && !base.gpu_hardware.empty()) x.dc_slots = std::max(1, cat.profile(base.gpu_hardware).accelerators);
    }
    searches.push_back(std::move(x));
  }
  const int cap_edge = o.max_units_per_site, cap_dc = o.max_servers;
  for (int round = 1;; ++round) {
    std::vector<std::size_t> active;
    std::vector<CandidateSpec> specs;
    std::vector<const Scenario*> specs_scen;
    for (std::size_t i = 0; i < searches.size(); ++i) {
      if (!searches[i].done) {
        active.push_back(i);
        specs.push_back(searches[i].spec);
        specs_scen.push_back(scen[i]);
      }
    }
    if (active.empty()) break;
    std::vector<CandidateReport> reports;
    {
      // Resolve, simulate (the runner may take results from its cache), price and judge.
      PlanProgress pp;
      pp.phase = what;
      pp.round = round;
      pp.max_rounds = o.max_probes;
      pp.candidates = specs.size();
      if (specs.size() == 1) pp.candidate = candidate_label(specs[0]);
      RunnerProgress last;
      auto emit = [&](const RunnerProgress& p) {
        last = p;
        pp.sims_done = p.done;
        pp.sims_total = p.total;
        pp.running = p.running;
        pp.simulations = stats.simulations + (p.done - std::min(p.done, p.cached));
        pp.cache_hits = stats.cache_hits + p.cached;
        if (o.progress) o.progress(pp);
      };
      o.runner->set_progress(emit);
      reports = evaluate_mixed(specs_scen, cat, specs, *o.runner);
      o.runner->set_progress({});
      if (o.runner->cancelled()) {
        // Keep the count of what finished before the cancel (a caching runner has stored it).
        stats.cache_hits += last.cached;
        stats.simulations += last.done - std::min(last.done, last.cached + last.failed);
        throw Cancelled{};
      }
      for (const auto& r : reports) {
        if (!r.candidate.infeasible && !r.run.ok) throw SimulationFailed(r.candidate.label, r.run.error);
      }
      const std::size_t hits = last.cached;
      stats.cache_hits += hits;
      std::size_t simulated = 0;
      for (const auto& r : reports) simulated += r.candidate.infeasible ? 0 : 1;
      stats.probes += simulated;
      stats.simulations += simulated - std::min(simulated, hits);
    }
    for (std::size_t a = 0; a < active.size(); ++a) {
      Search& x = searches[active[a]];
      CandidateReport& r = reports[a];
      Probe p;
      p.units_per_site = x.spec.family == Family::gpu ? 0 : x.spec.units_per_site;
      p.servers = x.spec.family == Family::edge ? 0 : x.spec.servers;
      p.feasible = r.feasible;
      if (!r.run.streams.empty()) {
        p.p99_s = r.run.streams[r.worst_stream].p99_s.value;
        p.slo_s = r.run.streams[r.worst_stream].slo_latency_s;
      }
      x.out.probes.push_back(p);
      const bool cannot_run = r.candidate.infeasible.has_value() || !r.run.ok;
      x.last = r;
      if (cannot_run) {
        x.done = true;
        x.fix = "different hardware";
        continue;
      }
      const bool out_of_probes = static_cast<int>(x.out.probes.size()) >= o.max_probes;
      const std::string cap_text = out_of_probes ? fmt::format("more probes than the {} allowed", o.max_probes) : "";
      if (x.spec.family != Family::hybrid) {
        int& n = dim(x.spec);
        const int cap = std::min(x.spec.family == Family::edge ? cap_edge : cap_dc, x.too_big - 1);
        auto next_between = [&] {  // bisection inside the bracket, or done
          const int hi = x.hi_pass > 0 ? x.hi_pass : x.too_big;
          if (x.lo_fail + 1 >= hi || out_of_probes) return false;
          n = (x.lo_fail + hi) / 2;
          return true;
        };
        if (r.feasible) {
          x.hi_pass = n;
          x.best = r;
          if (!next_between()) x.done = true;
          continue;
        }
        if (!slo_failure(r)) {
          // A constraint more units cannot lift (e.g. the site power budget): this size is
          // too big; look between the last size that was too small and this one.
          x.too_big = std::min(x.too_big, n);
          if (!next_between()) {
            x.done = true;
            x.fix = x.lo_fail > 0 ? fmt::format("the targets need more than {} units but the constraint allows at most {}", x.lo_fail,
                                                x.too_big - 1)
                                  : "relaxing the constraint named in the reason";
          }
          continue;
        }
        const double u = x.spec.family == Family::edge ? edge_util(x, r) : dc_util(x, r);
        if (u < 0.2 && !overloaded(r) && !deadline_failure(r)) {  // latency from service and network, not queueing
          x.done = true;
          x.fix = fmt::format("a p{:g} target above {} (at {:.0f}% utilisation more units do not shorten it), or faster hardware",
                              r.run.streams[r.worst_stream].slo_percentile, ms(slo_estimate(r.run.streams[r.worst_stream]).value),
                              u * 100);
          continue;
        }
        x.lo_fail = n;
        if (x.hi_pass > 0 || x.too_big < (1 << 30)) {
          if (next_between()) continue;
          if (x.hi_pass > 0) {
            x.done = true;
            continue;
          }
        }
        if (n >= cap || out_of_probes) {
          x.done = true;
          x.fix = out_of_probes ? cap_text
                : n >= x.too_big - 1 ? fmt::format("the targets need more than {} units but the site power budget allows {}", n, x.too_big - 1)
                                     : fmt::format("more than {} {} (the search cap)", n, x.spec.family == Family::edge ? "units per site" : "servers");
          continue;
        }
        n = std::min(cap, grow(n, r));
        continue;
      }
      // Hybrid: grow the busier tier until the targets are met, then shrink each tier in
      // turn by bisection while they still are.
      if (x.shrink_tier >= 0) {
        int& lo = x.shrink_tier == 0 ? x.lo_e : x.lo_g;
        int& hi = x.shrink_tier == 0 ? x.hi_e : x.hi_g;
        const int probed = x.shrink_tier == 0 ? x.spec.units_per_site : x.spec.servers;
        if (r.feasible) {
          hi = probed;
          x.best = r;
        } else {
          lo = probed;
        }
        while (x.shrink_tier <= 1 && (x.shrink_tier == 0 ? x.lo_e + 1 >= x.hi_e : x.lo_g + 1 >= x.hi_g)) ++x.shrink_tier;
        if (x.shrink_tier > 1 || out_of_probes) {
          x.done = true;
          continue;
        }
        x.spec.units_per_site = x.hi_e;
        x.spec.servers = x.hi_g;
        if (x.shrink_tier == 0) x.spec.units_per_site = (x.lo_e + x.hi_e) / 2;
        else x.spec.servers = (x.lo_g + x.hi_g) / 2;
        continue;
      }
      if (r.feasible) {
        x.best = r;
        x.hi_e = x.spec.units_per_site;
        x.hi_g = x.spec.servers;
        x.lo_e = std::max(0, x.out.bound.units_per_site - 1);
        x.lo_g = std::max(0, x.out.bound.servers - 1);
        x.shrink_tier = 0;
        while (x.shrink_tier <= 1 && (x.shrink_tier == 0 ? x.lo_e + 1 >= x.hi_e : x.lo_g + 1 >= x.hi_g)) ++x.shrink_tier;
        if (x.shrink_tier > 1 || out_of_probes) {
          x.done = true;
          continue;
        }
        if (x.shrink_tier == 0) x.spec.units_per_site = (x.lo_e + x.hi_e) / 2;
        else x.spec.servers = (x.lo_g + x.hi_g) / 2;
        continue;
      }
      if (!slo_failure(r)) {
        x.done = true;
        x.fix = "relaxing the constraint named in the reason";
        continue;
      }
      const double ue = edge_util(x, r), ud = dc_util(x, r);
      if (std::max(ue, ud) < 0.2 && !overloaded(r) && !deadline_failure(r)) {
        x.done = true;
        x.fix = fmt::format("a p{:g} target above {} (utilisation is low: more units do not shorten it), or faster hardware",
                            r.run.streams[r.worst_stream].slo_percentile, ms(slo_estimate(r.run.streams[r.worst_stream]).value));
        continue;
      }
      const bool grow_edge = ue >= ud && !deadline_failure(r);  // batch jobs run in the data centre
      int& n = grow_edge ? x.spec.units_per_site : x.spec.servers;
      const int cap = grow_edge ? cap_edge : cap_dc;
      if (n >= cap || out_of_probes) {
        x.done = true;
        x.fix = out_of_probes ? cap_text : fmt::format("a larger fleet than the search cap ({} units per site, {} servers)", cap_edge, cap_dc);
        continue;
      }
      n = std::min(cap, grow(n, r));
    }
  }
  std::vector<SizedCandidate> out;
  for (auto& x : searches) {
    if (!x.out.screened_out) {
      x.out.report = x.best ? *x.best : *x.last;
      if (!x.best) x.out.fix = x.fix;
      const auto& run = x.out.report.run;
      x.out.closeness = run.streams.empty() && run.jobs.empty() ? kInf : worst_ratio(x.out.report);
    }
    out.push_back(std::move(x.out));
  }
  return out;
}

std::optional<std::size_t> cheapest(const std::vector<SizedCandidate>& c, const std::vector<CostBreakdown>& costs) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (!c[i].report.feasible) continue;
    if (!best || costs[i].tco < costs[*best].tco) best = i;
  }
  return best;
}

std::vector<CostBreakdown> reprice(const Costs& costs, const std::vector<SizedCandidate>& c) {
  std::vector<CostBreakdown> out;
  for (const auto& x : c) out.push_back(price_deployment(costs, x.report.cost_inputs));
  return out;
}

// One candidate per family: the cheapest feasible, else the one that came closest.
std::vector<CandidateSpec> family_representatives(const std::vector<SizedCandidate>& c) {
  std::vector<CandidateSpec> reps;
  for (Family f : {Family::edge, Family::gpu, Family::hybrid}) {
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < c.size(); ++i) {
      if (c[i].report.candidate.spec.family != f || c[i].screened_out) continue;
      auto better = [&](std::size_t a, std::size_t b) {
        const auto &ra = c[a].report, &rb = c[b].report;
        if (ra.feasible != rb.feasible) return ra.feasible;
        if (ra.feasible) return ra.cost.tco < rb.cost.tco;
        return c[a].closeness < c[b].closeness;
      };
      if (!best || better(i, *best)) best = i;
    }
    if (best) {
      reps.push_back(c[*best].report.candidate.spec);
      continue;
    }
    // Only screened-out candidates: a capacity screen (link, power) may lift at a lower
    // load; the screen runs again there, without simulating when it still holds.
    for (std::size_t i = 0; i < c.size(); ++i) {
      if (c[i].report.candidate.spec.family == f && c[i].bound.floor_ratio < 1) {
        reps.push_back(c[i].report.candidate.spec);
        break;
      }
    }
  }
  return reps;
}

struct LoadOutcome {
  std::optional<CandidateSpec> winner;
  double tco = 0;
};

// Re-sizes the representatives at each load multiplier, all loads in the same rounds. At
// each load the candidate with the lowest cost floor is sized first; another is sized only
// if its floor is below the cheapest feasible TCO found (it could not win otherwise).
std::vector<LoadOutcome> winners_at_loads(const Scenario& s, const Catalogue& cat, const std::vector<CandidateSpec>& reps,
                                          const Ctx& o, const std::vector<double>& loads, Plan& stats) {
  std::vector<Scenario> scaled;
  scaled.reserve(loads.size());
  for (double k : loads) scaled.push_back(scale_load(s, k));
  std::vector<std::string> names;
  for (double k : loads) names.push_back(fmt::format("x{:.3g}", k));
  const std::string what = fmt::format("sizing at load {}", fmt::join(names, ", "));
  std::vector<std::vector<double>> floor(loads.size(), std::vector<double>(reps.size(), 0.0));
  for (std::size_t l = 0; l < loads.size(); ++l) {
    for (std::size_t r = 0; r < reps.size(); ++r) {
      const AnalyticBound b = analytic_bound(scaled[l], cat, reps[r]);
      floor[l][r] = b.reason ? kInf : tco_lower_bound(scaled[l], cat, reps[r], b);
    }
  }
  std::vector<LoadOutcome> out(loads.size());
  std::vector<std::vector<bool>> done(loads.size(), std::vector<bool>(reps.size(), false));
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<const Scenario*> scen;
    std::vector<CandidateSpec> bases;
    std::vector<std::pair<std::size_t, std::size_t>> at;
    for (std::size_t l = 0; l < loads.size(); ++l) {
      std::size_t first = 0;
      for (std::size_t r = 1; r < reps.size(); ++r) {
        if (floor[l][r] < floor[l][first]) first = r;
      }
      for (std::size_t r = 0; r < reps.size(); ++r) {
        if (done[l][r]) continue;
        const bool take = pass == 0 ? r == first : floor[l][r] < (out[l].winner ? out[l].tco : kInf);
        if (!take) continue;
        scen.push_back(&scaled[l]);
        bases.push_back(reps[r]);
        at.emplace_back(l, r);
      }
    }
    if (pass == 1) {
      for (std::size_t l = 0; l < loads.size(); ++l) {
        for (std::size_t r = 0; r < reps.size(); ++r) {
          const bool taken = std::any_of(at.begin(), at.end(), [&](const auto& p) { return p.first == l && p.second == r; });
          if (!done[l][r] && !taken) ++stats.pruned;
        }
      }
    }
    if (bases.empty()) continue;
    auto sized = size_all(scen, cat, bases, o, what, stats);
    for (std::size_t i = 0; i < sized.size(); ++i) {
      const auto [l, r] = at[i];
      done[l][r] = true;
      if (!sized[i].report.feasible) continue;
      const double tco = sized[i].report.cost.tco;
      if (!out[l].winner || tco < out[l].tco) {
        out[l].winner = sized[i].report.candidate.spec;
        out[l].tco = tco;
      }
    }
  }
  return out;
}

}  // namespace

namespace {
void plan_into(Plan& plan, const Scenario& s, const Catalogue& cat, const Ctx& o);
}  // namespace

SimulationFailed::SimulationFailed(std::string candidate, std::string cause)
    : std::runtime_error(fmt::format("simulation of {} failed: {}", candidate, cause)),
      candidate_(std::move(candidate)),
      cause_(std::move(cause)) {}

Plan make_plan(const Scenario& s, const Catalogue& cat, Runner& runner, const PlanOptions& opt) {
  Plan plan;
  Ctx o;
  static_cast<PlanOptions&>(o) = opt;
  o.runner = &runner;
  try {
    plan_into(plan, s, cat, o);
  } catch (const Cancelled&) {
    plan.cancelled = true;
  }
  return plan;
}

namespace {

void plan_into(Plan& plan, const Scenario& s, const Catalogue& cat, const Ctx& o) {
  const auto bases = enumerate_candidates(s, cat);
  plan.candidates = size_all(std::vector<const Scenario*>(bases.size(), &s), cat, bases, o, "sizing", plan);
  auto& c = plan.candidates;
  const std::string& cur = s.costs.currency;

  for (std::size_t i = 0; i < c.size(); ++i) {
    if (c[i].report.feasible) plan.ranking.push_back(i);
  }
  std::sort(plan.ranking.begin(), plan.ranking.end(),
            [&](std::size_t a, std::size_t b) { return c[a].report.cost.tco < c[b].report.cost.tco; });
  // Pareto front of TCO against worst p99 / SLO among feasible candidates.
  for (std::size_t i : plan.ranking) {
    bool dominated = false;
    for (std::size_t j : plan.ranking) {
      if (i == j) continue;
      const double ti = c[i].report.cost.tco, tj = c[j].report.cost.tco;
      const double pi = c[i].closeness, pj = c[j].closeness;
      if (tj <= ti && pj <= pi && (tj < ti || pj < pi)) dominated = true;
    }
    c[i].pareto = !dominated;
  }

  // Binding reasons, family by family, for families with nothing feasible.
  for (Family f : {Family::edge, Family::gpu, Family::hybrid}) {
    bool any = false, feasible = false;
    std::optional<std::size_t> closest;
    for (std::size_t i = 0; i < c.size(); ++i) {
      if (c[i].report.candidate.spec.family != f) continue;
      any = true;
      feasible = feasible || c[i].report.feasible;
      if (!closest || c[i].closeness < c[*closest].closeness) closest = i;
    }
    if (any && !feasible) {
      const auto& r = c[*closest];
      plan.rejected.push_back(fmt::format("{}: no feasible deployment; closest {}: {}", family_label(f), r.report.candidate.label,
                                          r.report.reason));
    }
  }

  if (plan.ranking.empty()) {
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < c.size(); ++i) {
      if (!best || c[i].closeness < c[*best].closeness) best = i;
    }
    plan.closest = best;
    if (best) {
      const auto& r = c[*best];
      plan.why = fmt::format("No candidate meets every target. Closest: {} ({}). It would become feasible with {}.",
                             r.report.candidate.label, r.report.reason, r.fix.empty() ? "more capacity" : r.fix);
    } else {
      plan.why = "The scenario gives no candidate to size.";
    }
    return;
  }

  plan.winner = plan.ranking[0];
  const auto& w = c[*plan.winner].report;
  const double years = s.costs.horizon.si() / kSecondsPerYear;
  std::string target;
  if (!w.run.streams.empty()) {
    const auto& ws = w.run.streams[w.worst_stream];
    target = fmt::format("{} at p{:g} {} against a {} target", ws.id, ws.slo_percentile, ms(slo_estimate(ws).value), ms(ws.slo_latency_s));
  }
  for (const auto& j : w.run.jobs) {
    if (!target.empty()) target += "; ";
    target += fmt::format("{} job {} done in {:.3g} h on {} devices", j.kind, j.id, j.makespan_s / 3600, j.devices);
    if (j.deadline_s > 0) target += fmt::format(" against a {:.3g} h deadline", j.deadline_s / 3600);
  }
  std::string why = fmt::format(
      "{} ({}) is the cheapest of {} deployment(s) that meet every target: TCO {} over {:.3g} years "
      "(capex {}, opex {}/year), {}.",
      w.candidate.label, family_label(w.candidate.spec.family), plan.ranking.size(), money(w.cost.tco, cur), years,
      money(w.cost.capex, cur), money(w.cost.opex_per_year, cur), target);
  if (plan.ranking.size() > 1) {
    plan.runner_up = plan.ranking[1];
    const auto& r = c[*plan.runner_up].report;
    plan.margin = (r.cost.tco - w.cost.tco) / w.cost.tco;
    why += fmt::format(" Runner-up: {} at {} ({:.1f}% more).", r.candidate.label, money(r.cost.tco, cur), plan.margin * 100);
  }
  for (Family f : {Family::edge, Family::gpu, Family::hybrid}) {
    if (f == w.candidate.spec.family) continue;
    for (std::size_t i : plan.ranking) {
      if (c[i].report.candidate.spec.family != f) continue;
      if (plan.runner_up && i == *plan.runner_up) break;
      why += fmt::format(" Best {}: {} at {} ({:.1f}% more).", family_label(f), c[i].report.candidate.label,
                         money(c[i].report.cost.tco, cur), (c[i].report.cost.tco / w.cost.tco - 1) * 100);
      break;
    }
  }
  for (const auto& line : plan.rejected) why += " " + line + ".";
  plan.why = why;

  if (!o.sensitivity) return;
  const CandidateSpec winner_spec = w.candidate.spec;
  auto record = [&](const std::string& name, const std::optional<CandidateSpec>& spec, double tco) {
    SensitivityCase sc;
    sc.name = name;
    if (spec) {
      sc.winner = choice_label(*spec);
      sc.family = spec->family;
      sc.changes = !same_choice(*spec, winner_spec);
      sc.winner_tco = tco;
    } else {
      sc.changes = true;
    }
    plan.sensitivity.push_back(sc);
  };
  for (auto [name, which] : {std::pair{"electricity price x2", 0}, std::pair{"bandwidth price x2", 1}}) {
    Costs k = s.costs;
    if (which == 0) k.electricity.per_si *= 2;
    if (which == 1) k.bandwidth.per_si *= 2;
    auto costs = reprice(k, c);
    auto best = cheapest(c, costs);
    record(name, best ? std::optional(c[*best].report.candidate.spec) : std::nullopt, best ? costs[*best].tco : 0);
  }
  // Price crossovers, exact: TCO is linear in each price, TCO_i(m) = A_i + m B_i, so the
  // winner w loses to i where A_i + m B_i < A_w + m B_w.
  for (auto [name, which] : {std::pair{"electricity price", 0}, std::pair{"bandwidth price", 1}}) {
    Costs k2 = s.costs;
    if (which == 0) k2.electricity.per_si *= 2;
    if (which == 1) k2.bandwidth.per_si *= 2;
    const auto base = reprice(s.costs, c), twice = reprice(k2, c);
    const std::size_t wi = *plan.winner;
    const double bw = twice[wi].tco - base[wi].tco, aw = base[wi].tco - bw;
    double up = kInf, down = 0;
    std::size_t up_by = wi, down_by = wi;
    for (std::size_t i : plan.ranking) {
      if (i == wi) continue;
      const double bi = twice[i].tco - base[i].tco, ai = base[i].tco - bi;
      if (std::abs(bi - bw) < 1e-12) continue;
      const double m = (aw - ai) / (bi - bw);
      if (m <= 0) continue;
      if (bi < bw && m > 1 && m < up) {  // i gains as the price rises
        up = m;
        up_by = i;
      }
      if (bi > bw && m < 1 && m > down) {  // i gains as the price falls
        down = m;
        down_by = i;
      }
    }
    std::string line = fmt::format("{}:", name);
    if (up_by == wi && down_by == wi) {
      line += " no price change makes another feasible candidate cheaper";
    } else {
      if (down_by != wi) {
        line += fmt::format(" below x{:.3g} {} wins;", down, choice_label(c[down_by].report.candidate.spec));
        plan.price_flips.push_back({name, down, down_by});
      }
      if (up_by != wi) {
        line += fmt::format(" above x{:.3g} {} wins;", up, choice_label(c[up_by].report.candidate.spec));
        plan.price_flips.push_back({name, up, up_by});
      }
      line.pop_back();
    }
    plan.price_crossovers.push_back(line);
  }

  const auto reps = family_representatives(c);
  const auto both = winners_at_loads(s, cat, reps, o, {0.5, 2.0}, plan);
  const LoadOutcome half = both[0], twice = both[1];
  record("load x0.5", half.winner, half.tco);
  record("load x2", twice.winner, twice.tco);
  // Crossover: bisect the load between x1 and the side where the winner changes.
  auto changed = [&](const LoadOutcome& x) { return !x.winner || !same_choice(*x.winner, winner_spec); };
  std::optional<std::pair<double, double>> bracket;  // (same, changed)
  LoadOutcome at_changed;
  if (changed(twice)) {
    bracket = std::pair{1.0, 2.0};
    at_changed = twice;
  } else if (changed(half)) {
    bracket = std::pair{1.0, 0.5};
    at_changed = half;
  }
  if (bracket) {
    for (int it = 0; it < 4; ++it) {
      const double mid = std::sqrt(bracket->first * bracket->second);
      LoadOutcome x = winners_at_loads(s, cat, reps, o, {mid}, plan)[0];
      if (changed(x)) {
        bracket->second = mid;
        at_changed = x;
      } else {
        bracket->first = mid;
      }
    }
    plan.crossover_load = std::sqrt(bracket->first * bracket->second);
    plan.crossover = fmt::format("the winner changes between load x{:.3g} and x{:.3g}: {} becomes {}", std::min(bracket->first, bracket->second),
                                 std::max(bracket->first, bracket->second), choice_label(winner_spec),
                                 at_changed.winner ? choice_label(*at_changed.winner) : "nothing feasible");
  } else {
    plan.crossover = fmt::format("{} stays the winner from load x0.5 to x2", choice_label(winner_spec));
  }
}

}  // namespace

}  // namespace hw
