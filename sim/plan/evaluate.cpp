#include "sim/plan/evaluate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

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

bool slo_confident(const StreamResult& st) {
  if (!measured(st)) return true;  // nothing to judge (see judge())
  if (!st.slo_met) return false;
  const double p = st.slo_percentile;
  const bool reported = std::abs(p - 50) < 1e-9 || std::abs(p - 90) < 1e-9 || std::abs(p - 95) < 1e-9 ||
                        std::abs(p - 99) < 1e-9 || std::abs(p - 99.9) < 1e-9;
  // Other percentiles have no interval of their own in the result: the point check stands.
  return !reported || slo_estimate(st).ci_high <= st.slo_latency_s;
}

double network_floor_s(const SimInput& in, const StreamExec& s) {
  const SiteExec& site = in.sites[static_cast<std::size_t>(s.site)];
  double one_way = site.access.latency.si();
  const bool reaches_dc = std::any_of(s.stages.begin(), s.stages.end(), [](const StageExec& x) { return x.tier == Tier::dc; });
  if (reaches_dc) one_way += site.backhaul.latency.si() + in.dc_fabric_latency.si();
  return s.return_result ? 2.0 * one_way : one_way;
}

namespace {

std::string ms(double s) { return fmt::format("{:.3g} ms", s * 1e3); }

// "edge tier offered 130 items/s against 100 items/s capacity" (links in bit rates).
std::string overload_text(const Overload& o) {
  auto rate = [&](double v) {
    if (o.unit == "bit/s") return format_bitrate(BitsPerSecond(v));
    return v >= 1e4 ? fmt::format("{:.0f} {}", v, o.unit) : fmt::format("{:.4g} {}", v, o.unit);
  };
  return fmt::format("{} offered {} against {} capacity", o.where, rate(o.offered), rate(o.capacity));
}

void judge(const Scenario& sc, CandidateReport& r) {
  const auto& in = r.candidate.input;
  if (r.candidate.infeasible) {
    r.reason = *r.candidate.infeasible;
    return;
  }
  if (!r.run.ok) {
    r.reason = "simulation failed: " + r.run.error;
    return;
  }
  // Latency SLOs, stream by stream; explain with the network floor where it binds.
  for (std::size_t i = 0; i < r.run.streams.size(); ++i) {
    const auto& st = r.run.streams[i];
    if (!measured(st)) {
      // A rare stream can see no request at the simulated site in the measured window: there
      // is nothing to judge, which is not a miss. Say so instead.
      r.candidate.notes.push_back(fmt::format("{}: no request was measured in this run, so its latency is not judged; "
                                              "a longer duration would measure it",
                                              st.id));
      continue;
    }
    if (st.slo_met) continue;
    const auto& ex = in.streams[i];
    // A run stopped for overload: its backlog could only grow, and the figures say why.
    if (r.run.overload) {
      r.reason = fmt::format("{}: overloaded: {}", ex.id, overload_text(*r.run.overload));
      return;
    }
    const double floor = network_floor_s(in, ex);
    const bool dc = std::any_of(ex.stages.begin(), ex.stages.end(), [](const StageExec& x) { return x.tier == Tier::dc; });
    if (floor >= st.slo_latency_s) {
      r.reason = fmt::format("{}: {} round trip {} alone exceeds the {} p{:g} target", ex.id,
                             dc ? "network (access + WAN)" : "access network", ms(floor), ms(st.slo_latency_s), st.slo_percentile);
    } else if (st.unfinished > 0) {
      r.reason = fmt::format("{}: overloaded, {} requests still queued when the run stopped (utilisation edge {:.0f}%, DC {:.0f}%)",
                             ex.id, st.unfinished, r.run.edge.utilisation * 100, r.run.dc.utilisation * 100);
    } else {
      r.reason = fmt::format("{}: p{:g} latency {} exceeds the {} target ({:.3g}% of requests late, {:.3g}% allowed)", ex.id,
                             st.slo_percentile, ms(slo_estimate(st).value), ms(st.slo_latency_s), st.slo_violation_rate * 100,
                             ex.slo.max_violation * 100);
      if (st.dropped > 0) r.reason += fmt::format("; {} requests dropped at full queues", st.dropped);
      // Name a busy link: queueing on the network, not on compute, is then what binds.
      for (const auto& l : r.run.links) {
        if (l.peak_utilisation >= 0.5) {
          r.reason += fmt::format("; link {} peaks at {:.0f}% of its bandwidth", l.name, l.peak_utilisation * 100);
          break;
        }
      }
    }
    return;
  }
  if (r.run.overload) {  // no stream measured a miss before the stop: still overloaded
    r.reason = "overloaded: " + overload_text(*r.run.overload);
    return;
  }
  // Met on the point estimate, but the 95% confidence interval must clear the target too.
  for (std::size_t i = 0; i < r.run.streams.size(); ++i) {
    const auto& st = r.run.streams[i];
    if (slo_confident(st)) continue;
    const Estimate e = slo_estimate(st);
    r.reason = fmt::format("{}: p{:g} latency {} meets the {} target, but its 95% confidence interval reaches {}: not met with confidence",
                           st.id, st.slo_percentile, ms(e.value), ms(st.slo_latency_s), ms(e.ci_high));
    return;
  }
  for (const auto& j : r.run.jobs) {
    if (j.deadline_met) continue;
    r.reason = fmt::format("{} job {}: makespan {:.3g} h on {} devices (upload {:.3g} h) misses the {:.3g} h deadline", j.kind, j.id,
                           j.makespan_s / 3600, j.devices, j.upload_s / 3600, j.deadline_s / 3600);
    return;
  }
  const auto& k = sc.constraints;
  if (k.site_power_budget && in.edge.units > 0) {
    const double site_max = in.edge.units * in.edge.power_max.si();
    if (site_max > k.site_power_budget->si()) {
      r.reason = fmt::format("{} edge units x {} W = {} W per site exceed the {} W site power budget", in.edge.units,
                             in.edge.power_max.si(), site_max, k.site_power_budget->si());
      return;
    }
  }
  if (k.rack_power && in.dc.units > 0 && in.dc.power_max.si() > k.rack_power->si()) {
    r.reason = fmt::format("one {} server draws up to {} but a rack allows {}", in.dc.hardware,
                           format_power(in.dc.power_max), format_power(*k.rack_power));
    return;
  }
  if (k.backhaul_cap) {
    double sites = 0;
    for (const auto& s : in.sites) sites += s.count;
    const double per_site_bps = r.run.backhaul_bytes_per_day * 8.0 / 86400.0 / std::max(1.0, sites);
    if (per_site_bps > k.backhaul_cap->si()) {
      r.reason = fmt::format("backhaul use {} per site exceeds the {} cap", format_bitrate(BitsPerSecond(per_site_bps)),
                             format_bitrate(*k.backhaul_cap));
      return;
    }
  }
  r.feasible = true;
}

}  // namespace

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
  }
  double host_w = 0;
  if (in.dc.units > 0) {
    const auto& p = cat.profile(in.dc.hardware);
    ci.dc_units = in.dc.units;
    ci.dc_unit_price = p.price.amount;
    if (p.klass == HardwareClass::accelerator) {  // a card or module alone: add its host's share
      ci.dc_unit_price += kHostPricePerAcceleratorUsd * std::max(1, p.accelerators);
      host_w = kHostPowerPerAcceleratorW * std::max(1, p.accelerators) * in.dc.units;
    }
  }
  ci.edge_power_w = r.run.edge.avg_power_w;
  ci.dc_power_w = r.run.dc.avg_power_w + (r.run.ok && (!r.run.streams.empty() || !r.run.jobs.empty()) ? host_w : 0.0);
  ci.backhaul_bytes_per_day = r.run.backhaul_bytes_per_day;
  for (const auto& st : r.run.streams) ci.inferences_per_s += st.throughput_per_s;
  if (s.retraining) {
    const Retraining& t = *s.retraining;
    ci.retraining_runs_per_year = kSecondsPerYear / t.interval.si();
    ci.retraining_gpu_hours = t.gpu_hours;
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
      ci.sample_upload_bytes_per_day += st.arrival.rate.si() * st.sources * sites * st.payload.si() * 86400.0 * t.upload_fraction;
    }
  }
  return ci;
}

ResolvedCandidate resolve_for_simulation(const Scenario& s, const Catalogue& cat, const CandidateSpec& spec) {
  ResolvedCandidate c = resolve_candidate(s, cat, spec);
  for (auto& ex : c.input.streams) {
    if (ex.arrival.kind == ArrivalKind::trace && ex.arrival.time_scale != 1.0) {
      for (auto& t : ex.trace_times) t /= ex.arrival.time_scale;
    }
  }
  return c;
}

std::vector<CandidateReport> evaluate_mixed(const std::vector<const Scenario*>& scenarios, const Catalogue& cat,
                                            const std::vector<CandidateSpec>& specs, Runner& runner) {
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
  auto results = runner.run(inputs);
  for (std::size_t i = 0; i < results.size(); ++i) reports[which[i]].run = std::move(results[i]);

  for (std::size_t i = 0; i < reports.size(); ++i) {
    auto& r = reports[i];
    const Scenario& s = *scenarios[i];
    r.cost_inputs = cost_inputs(s, cat, r);
    r.cost = price_deployment(s.costs, r.cost_inputs);
    r.total_power_w = r.cost_inputs.edge_power_w + r.cost_inputs.dc_power_w * s.costs.pue;
    double worst = -1;
    for (std::size_t k = 0; k < r.run.streams.size(); ++k) {
      const auto& st = r.run.streams[k];
      const double ratio = st.p99_s.value / std::max(1e-12, st.slo_latency_s);
      if (ratio > worst) {
        worst = ratio;
        r.worst_stream = k;
      }
    }
    judge(s, r);
  }
  return reports;
}

std::vector<CandidateReport> evaluate_candidates(const Scenario& s, const Catalogue& cat,
                                                 const std::vector<CandidateSpec>& specs, Runner& runner) {
  return evaluate_mixed(std::vector<const Scenario*>(specs.size(), &s), cat, specs, runner);
}

Table candidates_table(const Scenario& s, const std::vector<CandidateReport>& reports, bool for_people) {
  std::string cur = s.costs.currency;
  std::transform(cur.begin(), cur.end(), cur.begin(), [](unsigned char c) { return std::tolower(c); });
  Table t;
  auto num = [](double v, int digits = 4) { return fmt::format("{:.{}g}", v, digits); };
  if (for_people) {
    t.header = {"candidate", "p50 ms", "p95 ms", "p99 ms", "SLO", "items/s", "util", "power W", "kWh/day",
                "backhaul GB/day", fmt::format("capex {}", s.costs.currency), fmt::format("opex/y {}", s.costs.currency),
                fmt::format("TCO {}", s.costs.currency), "verdict"};
  } else {
    t.header = {"family", "hardware", "edge_hardware", "gpu_hardware", "units_per_site", "servers", "stream",
                "p50_latency_ms", "p95_latency_ms", "p99_latency_ms", "p99_ci_low_ms", "p99_ci_high_ms",
                "slo_target_ms", "slo_violation_rate", "slo_met", "throughput_per_s", "edge_utilisation",
                "dc_utilisation", "avg_power_w", "energy_kwh_per_day", "backhaul_gb_per_day",
                "capex_" + cur, "opex_per_year_" + cur, "tco_" + cur, "cost_per_million_" + cur, "feasible",
                "reason", "scaling_note"};
  }
  for (const auto& r : reports) {
    const auto& c = r.candidate.spec;
    const bool has_run = !r.run.streams.empty();
    // A stream with no completed request has no latency to show.
    const StreamResult* st = has_run && r.run.streams[r.worst_stream].completed > 0 ? &r.run.streams[r.worst_stream] : nullptr;
    const double kwh_day = r.total_power_w * 86400.0 / kJoulesPerKwh;
    std::string util = has_run ? (r.run.dc.units_total > 0 && r.run.edge.units_total > 0
                                      ? fmt::format("{:.0f}%/{:.0f}%", r.run.edge.utilisation * 100, r.run.dc.utilisation * 100)
                                      : fmt::format("{:.0f}%", std::max(r.run.edge.utilisation, r.run.dc.utilisation) * 100))
                               : "";
    double tput = 0;
    for (const auto& x : r.run.streams) tput += x.throughput_per_s;
    if (for_people) {
      t.rows.push_back({r.candidate.label, st ? num(st->p50_s.value * 1e3, 3) : "-", st ? num(st->p95_s.value * 1e3, 3) : "-",
                        st ? fmt::format("{:.3g} ±{}", st->p99_s.value * 1e3,
                                         st->p99_s.half_width() * 1e3 < 0.005 ? std::string("<0.01")
                                                                              : fmt::format("{:.2g}", st->p99_s.half_width() * 1e3))
                           : "-",
                        st ? (st->slo_met ? "met" : "missed") : "-", has_run ? num(tput, 4) : "-", util,
                        has_run ? num(r.total_power_w, 4) : "-", has_run ? num(kwh_day, 3) : "-",
                        has_run ? num(r.run.backhaul_bytes_per_day / 1e9, 3) : "-", fmt::format("{:.0f}", r.cost.capex),
                        fmt::format("{:.0f}", r.cost.opex_per_year), fmt::format("{:.0f}", r.cost.tco),
                        r.feasible ? "feasible" : r.reason});
      continue;
    }
    auto ms3 = [&](double v) { return st ? fmt::format("{:.6g}", v * 1e3) : ""; };
    t.rows.push_back({to_string(c.family), c.family == Family::gpu ? c.gpu_hardware : c.edge_hardware, c.edge_hardware,
                      c.gpu_hardware, c.family == Family::gpu ? "0" : std::to_string(c.units_per_site),
                      c.family == Family::edge ? "0" : std::to_string(c.servers), st ? st->id : "",
                      ms3(st ? st->p50_s.value : 0), ms3(st ? st->p95_s.value : 0), ms3(st ? st->p99_s.value : 0),
                      ms3(st ? st->p99_s.ci_low : 0), ms3(st ? st->p99_s.ci_high : 0), ms3(st ? st->slo_latency_s : 0),
                      st ? fmt::format("{:.6g}", st->slo_violation_rate) : "", st ? (st->slo_met ? "true" : "false") : "",
                      fmt::format("{:.6g}", tput), fmt::format("{:.4g}", r.run.edge.utilisation),
                      fmt::format("{:.4g}", r.run.dc.utilisation), fmt::format("{:.6g}", r.total_power_w),
                      fmt::format("{:.6g}", kwh_day), fmt::format("{:.6g}", r.run.backhaul_bytes_per_day / 1e9),
                      fmt::format("{:.2f}", r.cost.capex), fmt::format("{:.2f}", r.cost.opex_per_year),
                      fmt::format("{:.2f}", r.cost.tco), fmt::format("{:.4f}", r.cost.cost_per_million),
                      r.feasible ? "true" : "false", r.reason, r.run.scaling_note});
  }
  return t;
}

}  // namespace hw
