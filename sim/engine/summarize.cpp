#include "sim/engine/summarize.hpp"
#include "sim/core/units.hpp"
#include "sim/engine/overload.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

namespace hw {

namespace {

// A stream's counts over the batches that count.
struct StreamTotals {
  LogHistogram all;
  std::uint64_t created = 0, done = 0, above_slo = 0, dropped = 0;
};

StreamTotals totals(const StreamCounts& sc, std::size_t counted) {
  StreamTotals t;
  for (std::size_t b = 0; b < counted; ++b) {
    t.created += sc.created[b];
    t.done += sc.latency[b].count();
    t.above_slo += sc.above_slo[b];
    t.dropped += sc.dropped[b];
    t.all.merge(sc.latency[b]);
  }
  return t;
}

// The completed requests' latencies in log-spaced bins of ten per decade (edges 10^(k/10) s),
// from the bin of the fastest request to that of the slowest, read from the fine histogram
// through its counts above each edge. The first and last bins take what lies beyond their
// outer edge at the fine histogram's resolution, so the counts add up to all requests.
void latency_bins(const LogHistogram& all, std::vector<double>& edges, std::vector<std::uint64_t>& counts) {
  edges.clear();
  counts.clear();
  const std::uint64_t n = all.count();
  if (n == 0) return;
  auto grid = [](double x) { return static_cast<int>(std::floor(10.0 * std::log10(x) + 1e-9)); };
  auto edge = [](int k) { return std::pow(10.0, k / 10.0); };
  const double fastest = std::max(all.quantile(0.0), 1e-12), slowest = std::max(all.max(), fastest);
  const int k0 = grid(fastest), k1 = std::max(grid(slowest) + 1, k0 + 1);
  auto above = [&](int k) { return static_cast<std::uint64_t>(std::llround(all.fraction_above(edge(k)) * static_cast<double>(n))); };
  std::uint64_t left = n;  // requests at or above the current bin's lower edge
  for (int k = k0; k < k1; ++k) {
    edges.push_back(edge(k));
    const std::uint64_t beyond = k + 1 < k1 ? std::min(left, above(k + 1)) : 0;
    counts.push_back(left - beyond);
    left = beyond;
  }
  edges.push_back(edge(k1));
}

StreamResult stream_result(const SimInput& in, const Collected& c, std::size_t i, double window) {
  const StreamExec& st = in.streams[i];
  const StreamCounts& sc = c.streams[i];
  const std::size_t counted = c.counted_batches;
  const StreamTotals t = totals(sc, counted);
  StreamResult sr;
  sr.id = st.id;
  sr.completed = t.done;
  sr.dropped = t.dropped;
  sr.unfinished = t.created - t.done - t.dropped;
  const int site_count = in.sites[static_cast<std::size_t>(st.site)].count;
  const int simulated = in.sites[static_cast<std::size_t>(st.site)].simulated;
  sr.throughput_per_s = static_cast<double>(t.done) / window * site_count / simulated;
  // Point estimates over all counted requests; 95% intervals from the per-batch statistics.
  auto est = [&](double q) {
    std::vector<double> per;
    for (std::size_t b = 0; b < counted; ++b) {
      if (sc.latency[b].count()) per.push_back(sc.latency[b].quantile(q));
    }
    // The histogram reports a value to within its bins' relative error, so no interval is
    // narrower than that: a nearly deterministic stream (every batch's p99 in the same bin)
    // gets +-0.25% of its value, not a zero width that claims more than was measured.
    Estimate e = batch_means(t.all.quantile(q), per);
    const double res = e.value * t.all.rel_error();
    e.ci_low = std::min(e.ci_low, e.value - res);
    e.ci_high = std::max(e.ci_high, e.value + res);
    return nonnegative(e);  // a latency: an interval never starts below zero
  };
  std::vector<double> means;
  for (std::size_t b = 0; b < counted; ++b) {
    if (sc.latency[b].count()) means.push_back(sc.latency[b].mean());
  }
  sr.mean_s = nonnegative(batch_means(t.all.mean(), means));
  sr.p50_s = est(0.50);
  sr.p90_s = est(0.90);
  sr.p95_s = est(0.95);
  sr.p99_s = est(0.99);
  sr.p999_s = est(0.999);
  sr.slo_percentile = st.slo.percentile;
  sr.slo_latency_s = st.slo.latency.si();
  // Unfinished and dropped requests count as above the bound.
  const double created = static_cast<double>(t.created);
  sr.slo_violation_rate = created > 0 ? static_cast<double>(t.above_slo + sr.unfinished + sr.dropped) / created : 0.0;
  // The SLO holds when the target percentile is within the bound and violations are allowed.
  const double pq = t.all.quantile(st.slo.percentile / 100.0);
  sr.slo_met = created > 0 && sr.unfinished == 0 && pq <= st.slo.latency.si() &&
               sr.slo_violation_rate <= st.slo.max_violation + 1e-12;
  latency_bins(t.all, sr.latency_edges_s, sr.latency_counts);
  return sr;
}

// The end of the window that rates (utilisation, power, traffic per day) are taken over: when
// the streams stopped creating requests, never after the measurement's end; without one set,
// that end.
double rate_window(const Collected& c) { return c.arrival_end > 0 ? std::min(c.arrival_end, c.end_time) : c.end_time; }

// Utilisation, power and queue lengths of one tier, scaled from the simulated units to all
// represented ones (edge: all sites; the data centre is simulated whole). `job_busy` is
// batch-job device time inside the measured window.
TierResult tier_result(const SimInput& in, const Collected& c, Tier tier, const TierSpec& spec, double job_busy, double window) {
  TierResult tr;
  tr.hardware = spec.hardware;
  // Batch jobs beside streams: the tier's utilisation and power are the streams' (the jobs'
  // own figures are in RunResult::jobs, and the planner prices them per run). Jobs alone:
  // the tier's figures are the jobs' (the window is their run).
  const bool jobs_apart = !in.streams.empty() && !in.jobs.empty();
  if (jobs_apart) job_busy = 0;
  double busy = job_busy, slots = 0, queue = 0;
  std::size_t queue_max = 0;
  int units = 0;
  std::map<int, std::array<double, 5>> per_kind;  // site kind -> units, slots, busy, energy, decoder work
  double decoders = 0;
  // The edge job site's units beyond its stream units (kJobSiteUnit), beside streams: no stream
  // reaches them, so they count in the units and draw idle power (the jobs' power above idle is
  // priced per run by the planner), never in the utilisation or queues the streams' sizing reads.
  // Jobs alone: units like the others (the tier's figures are the jobs'), standing for themselves.
  int job_site_units = 0;
  for (const auto& u : c.units) {
    if (u.tier != tier) continue;
    if (u.site_kind == kJobSiteUnit && jobs_apart) {
      ++job_site_units;
      continue;
    }
    busy += u.busy_slot_s;
    decoders += u.decoder_s;
    slots += u.slots;
    ++units;
    auto& k = per_kind[u.site_kind];
    k[0] += 1;
    k[1] += u.slots;
    k[2] += u.busy_slot_s;
    k[3] += u.energy_j;
    k[4] += u.decoder_s;
    for (std::size_t b = 0; b < c.counted_batches && b < u.queue_area.size(); ++b) {
      queue += u.queue_area[b];
      queue_max = std::max(queue_max, u.queue_max[b]);
    }
  }
  if (units > 0 && window > 0 && !in.streams.empty()) {
    tr.mean_queue_length = queue / window / units;
    tr.max_queue_length = static_cast<double>(queue_max);
  }
  if (units == 0 || c.end_time <= 0) return tr;
  // Each simulated edge unit stands for count / simulated units of its own site kind (the
  // data centre is simulated whole). Sums are taken per kind, then scaled, so that one kind
  // of site gives exactly the figures of a single overall scale.
  double all_represented = 0, all_simulated = 0;
  for (const auto& s : in.sites) {
    all_represented += s.count;
    all_simulated += s.simulated;
  }
  auto kind_scale = [&](int kind) {
    if (tier != Tier::edge || kind == kJobSiteUnit) return 1.0;
    if (kind < 0 || static_cast<std::size_t>(kind) >= in.sites.size()) return all_represented / all_simulated;
    const SiteExec& s = in.sites[static_cast<std::size_t>(kind)];
    return static_cast<double>(s.count) / std::max(1, s.simulated);
  };
  // Rates over the arrival window: the busy time and energy of [0, end] are the work of the
  // requests created in [0, rate_end], the tail after it their drain. Dividing by end (as
  // before) lowered utilisation and power by the drain's share, which grows with the path's
  // latency (a WAN 40 ms instead of 2 ms away read as 2-3% less busy at the same load).
  // Power: the idle draw over the window plus the energy above idle, all of which that
  // work caused.
  const double rate_end = rate_window(c);
  const double idle_w = spec.power_idle.si();
  const double max_w = std::max(spec.power_max.si(), spec.power_idle.si());
  // A diurnal stream's window covers some of its hours (by default its busiest): the power is
  // the day's mean, the energy above idle scaled by the day's offered work over the window's
  // (tier_day_scale); utilisation stays the window's, the figure sizing judges.
  const double day = in.streams.empty() ? 1.0 : tier_day_scale(in, tier, rate_end);
  double units_total = 0, power = 0, slots_w = 0, busy_w = 0, decoders_w = 0;
  bool one_scale = true;
  const double first_scale = kind_scale(per_kind.begin()->first);
  for (const auto& [kind, k] : per_kind) {
    const double scale = kind_scale(kind);
    one_scale = one_scale && scale == first_scale;
    units_total += k[0] * scale;
    // At most every unit at its maximum: a backlog that drained after the window (an
    // overload the run did not stop for) holds more work than the window could serve.
    // With streams and batch jobs together, the tier's figures are the streams' alone: the
    // energy above idle from the services' busy time (the same formula the host energy
    // plugin applies, without the jobs' executions), as a job runs once per `every` (and on
    // one site only, for an edge job), not through every window the streams' rates stand for.
    const double above_idle = jobs_apart ? (max_w - idle_w) * k[2] * k[0] / std::max(1.0, k[1])
                                           : std::max(0.0, k[3] - k[0] * idle_w * c.end_time);
    const double window_w = std::min(k[0] * max_w, k[0] * idle_w + above_idle / rate_end);
    power += std::min(k[0] * max_w, k[0] * idle_w + (window_w - k[0] * idle_w) * day) * scale;
    slots_w += k[1] * scale;
    busy_w += k[2] * scale;
    decoders_w += k[4] * scale;
  }
  units_total += job_site_units;
  power += job_site_units * idle_w;
  tr.units_total = static_cast<int>(std::lround(units_total));
  // Batch-job device time is spread like the slots (its devices are the tier's units).
  tr.utilisation = std::min(1.0, one_scale ? busy / (slots * rate_end) : (busy_w + job_busy * slots_w / slots) / (slots_w * rate_end));
  // A video stream's decoders (one set per slot) work beside the cores: the tier is as busy as
  // the busier of the two, which the design's cap reads (the cores' alone would let a size whose
  // decoders are 89% busy pass an 80% cap). Energy stays the cores'.
  const double decoding = one_scale ? decoders / (slots * rate_end) : decoders_w / (slots_w * rate_end);
  tr.utilisation = std::max(tr.utilisation, std::min(1.0, decoding));
  tr.avg_power_w = power;
  tr.energy_j_per_day = tr.avg_power_w * 86400.0;
  return tr;
}

}  // namespace

std::string format_sim_time(double seconds) {
  return std::abs(seconds) < 1e4 ? fmt::format("{:.4g} s", seconds) : format_time(Seconds(seconds));
}

std::size_t run_batches(const SimInput& in) {
  return in.target_precision > 0 ? 40 : static_cast<std::size_t>(std::max(2, in.batch_means));
}

std::string format_half_width_percent(double fraction) {
  const double pct = fraction * 100;
  if (!std::isfinite(pct)) return "unbounded";
  if (pct < 0.01) return "under 0.01%";
  return pct >= 10 ? fmt::format("{:.0f}%", pct) : fmt::format("{:.2g}%", pct);
}

RunResult summarize(const SimInput& in, const Collected& c) {
  RunResult res;
  res.label = in.label;
  res.simulated_time_s = c.clock;
  res.events = c.requests;
  res.overload = c.overload;
  const double window = static_cast<double>(c.counted_batches) * c.batch_len;
  const double end = c.end_time;
  res.stop_reason = c.stop_reason;
  if (in.streams.empty()) {
    res.stop_reason = fmt::format("batch jobs only: ran until the last job finished at {} simulated", format_sim_time(c.clock));
  } else if (res.stop_reason.empty()) {
    // With no request measured yet the precision is not a number: say that instead.
    // With a batch of some stream that completed no request, the interval cannot be checked:
    // name the stream (a longer duration gives each batch more requests). A stream with too
    // few completed requests to certify its percentile kept the run going: name it too.
    std::uint64_t unchecked_done = 0, created = 0;
    for (std::size_t i = 0; i < in.streams.size() && i < c.streams.size(); ++i) {
      const StreamTotals t = totals(c.streams[i], c.counted_batches);
      if (in.streams[i].id == c.unchecked_stream) unchecked_done = t.done;
      created += t.created;
    }
    std::string last = std::isfinite(c.last_precision) ? fmt::format("last check {}", format_half_width_percent(c.last_precision))
                       : !c.unchecked_stream.empty() && unchecked_done > 0
                           ? fmt::format("never checked: stream {} had a batch with no completed request; a longer duration gives "
                                         "each batch more",
                                         c.unchecked_stream)
                           : std::string("no completed requests to check it on");
    if (c.short_stream && c.short_stream->done > 0) {
      last += fmt::format("; stream {} completed {} requests, {:.0f} are needed to certify its p{:g}", c.short_stream->id,
                          c.short_stream->done, c.short_stream->needed, c.short_stream->percentile);
    }
    res.stop_reason = in.target_precision > 0
                          ? fmt::format("time cap {} reached before the {:.2g}% precision target ({})", format_sim_time(in.duration.si()),
                                        in.target_precision * 100, last)
                          : fmt::format("fixed duration {}", format_sim_time(in.duration.si()));
    if (created == 0) {
      // Nothing to measure a latency on: the latency figures are absent, not zero; the tiers'
      // figures are the idle fleet's over the whole duration.
      res.stop_reason = fmt::format("no requests: no stream sent a request in the measured window (from {} to {}), so no latency "
                                    "was measured; power and energy are the idle fleet's over {}",
                                    format_sim_time(in.warmup.si()), format_sim_time(in.duration.si()), format_sim_time(end));
    }
  }
  for (std::size_t i = 0; i < in.streams.size(); ++i) res.streams.push_back(stream_result(in, c, i, window));
  // (Without jobs the clock may still pass the end by a service in progress, whose timer
  // fires after the streams ended: that is not worth a sentence.)
  if (c.clock > end && !in.streams.empty() && !in.jobs.empty()) {
    res.stop_reason += fmt::format("; batch jobs ran on to {} simulated", format_sim_time(c.clock));
  }
  // Batch jobs; their device-time inside the measured window counts towards utilisation.
  double job_busy_edge = 0, job_busy_dc = 0;
  for (std::size_t k = 0; k < in.jobs.size(); ++k) {
    const BatchJobExec& j = in.jobs[k];
    const JobTimes& js = c.jobs[k];
    BatchJobResult jr;
    jr.id = j.id;
    jr.kind = j.kind;
    jr.devices = j.devices;
    jr.upload_s = js.upload_end;
    jr.compute_s = js.compute_end - js.compute_start;
    jr.makespan_s = js.compute_end;
    jr.deadline_s = j.deadline_s;
    jr.deadline_met = j.deadline_s <= 0 || jr.makespan_s <= j.deadline_s;
    // Energy: each device draws its share of its unit's maximum power while the job computes.
    const TierSpec& ts = j.tier == Tier::dc ? in.dc : in.edge;
    jr.energy_j = ts.power_max.si() / std::max(1, ts.slots) * j.devices * jr.compute_s;
    const double in_window = std::max(0.0, std::min(js.compute_end, end) - js.compute_start);
    (j.tier == Tier::dc ? job_busy_dc : job_busy_edge) += in_window * j.devices;
    res.jobs.push_back(jr);
  }
  res.edge = tier_result(in, c, Tier::edge, in.edge, job_busy_edge, window);
  res.dc = tier_result(in, c, Tier::dc, in.dc, job_busy_dc, window);
  // Backhaul: all represented sites per day; peak = busiest simulated site, both directions
  // over one direction's bandwidth (the older meaning, kept).
  // Each simulated site stands for count / simulated sites of its kind.
  double represented = 0, simulated = 0, peak = 0;
  for (const auto& s : in.sites) {
    represented += s.count;
    simulated += s.simulated;
  }
  // Traffic per day over the arrival window, like the tiers' figures (see tier_result).
  const double rate_end = rate_window(c);
  std::map<int, double> bytes;  // per site kind
  for (const auto& si : c.sites) {
    bytes[si.kind] += si.backhaul_bytes;
    const double bw = in.sites[static_cast<std::size_t>(si.kind)].backhaul.bandwidth.si();
    peak = std::max(peak, si.backhaul_bytes * 8.0 / (bw * rate_end));
  }
  res.backhaul_bytes_per_day = 0.0;
  if (end > 0) {
    for (const auto& [kind, b] : bytes) {
      const SiteExec& se = in.sites[static_cast<std::size_t>(kind)];
      res.backhaul_bytes_per_day += b / rate_end * 86400.0 * se.count / std::max(1, se.simulated) * link_day_scale(in, kind, true, rate_end);
    }
  }
  res.backhaul_peak_utilisation = peak;
  // Per site kind: access and backhaul traffic scaled to all its sites; peak = busiest
  // simulated site's busier direction.
  if (end > 0) {
    for (std::size_t kind = 0; kind < in.sites.size(); ++kind) {
      const SiteExec& se = in.sites[kind];
      LinkResult access{"access:" + se.id}, backhaul{"backhaul:" + se.id};
      for (const auto& si : c.sites) {
        if (si.kind != static_cast<int>(kind)) continue;
        access.bytes_per_day += si.access_up + si.access_down;
        backhaul.bytes_per_day += si.backhaul_up + si.backhaul_down;
        access.peak_utilisation = std::max(access.peak_utilisation, std::max(si.access_up, si.access_down) * 8.0 / (se.access.bandwidth.si() * rate_end));
        backhaul.peak_utilisation = std::max(backhaul.peak_utilisation, std::max(si.backhaul_up, si.backhaul_down) * 8.0 / (se.backhaul.bandwidth.si() * rate_end));
      }
      // Per day at a diurnal stream's mean over the day, not its window's hours (link_day_scale);
      // the peaks stay the window's.
      const double scale = 86400.0 / rate_end * se.count / std::max(1, se.simulated);
      access.bytes_per_day *= scale * link_day_scale(in, static_cast<int>(kind), false, rate_end);
      backhaul.bytes_per_day *= scale * link_day_scale(in, static_cast<int>(kind), true, rate_end);
      res.links.push_back(access);
      res.links.push_back(backhaul);
    }
  }
  if (simulated < represented) {
    res.scaling_note = in.sites.size() == 1
                           ? fmt::format("simulated {:.0f} of {:.0f} identical sites and scaled", simulated, represented)
                           : fmt::format("simulated {:.0f} of {:.0f} sites ({} kinds, each scaled to its own count)", simulated, represented,
                                         in.sites.size());
  }
  return res;
}

}  // namespace hw
