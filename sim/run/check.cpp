#include "sim/run/check.hpp"

#include <fmt/format.h>

#include <cmath>
#include <string>

#include "sim/core/units.hpp"

namespace hw {
namespace {

[[noreturn]] void bad(const std::string& path, const std::string& problem) { throw JsonFieldError(path, problem); }

std::string num(double v) { return fmt::format("{:g}", v); }

void finite_at_least(const std::string& path, double v, double lo) {
  if (!std::isfinite(v) || v < lo) bad(path, fmt::format("{}: expected a finite number >= {}", num(v), num(lo)));
}
void finite_above(const std::string& path, double v, double lo) {
  if (!std::isfinite(v) || v <= lo) bad(path, fmt::format("{}: expected a finite number > {}", num(v), num(lo)));
}
// The loaders' largest magnitude of each kind (sim/core/units.cpp magnitude_problem): a time
// of 1e308 s or a rate of 1e308 /s is finite, yet every figure computed from it is inf.
void within_bound(const std::string& path, double v, UnitKind kind) {
  if (auto problem = magnitude_problem(v, kind)) bad(path, fmt::format("{}: {}", num(v), *problem));
}
void int_at_least(const std::string& path, long long v, long long lo) {
  if (v < lo) bad(path, fmt::format("{}: expected an integer >= {}", v, lo));
}
void index_below(const std::string& path, int v, std::size_t n, const char* what) {
  if (v < 0 || static_cast<std::size_t>(v) >= n) {
    bad(path, fmt::format("{}: expected the index of one of the {} {} (0 to {})", v, n, what, n == 0 ? 0 : n - 1));
  }
}

void check_link(const std::string& path, const LinkSpec& l) {
  finite_at_least(path + ".latency_s", l.latency.si(), 0);
  within_bound(path + ".latency_s", l.latency.si(), UnitKind::time);
  finite_above(path + ".bandwidth_bps", l.bandwidth.si(), 0);
  within_bound(path + ".bandwidth_bps", l.bandwidth.si(), UnitKind::bitrate);
}

void check_tier(const std::string& path, const TierSpec& t) {
  int_at_least(path + ".units", t.units, 0);
  int_at_least(path + ".slots", t.slots, 1);
  int_at_least(path + ".max_batch", t.max_batch, 1);
  finite_at_least(path + ".max_wait_s", t.max_wait.si(), 0);
  int_at_least(path + ".queue_capacity", t.queue_capacity, 0);
  int_at_least(path + ".job_units", t.job_units, 0);
  finite_at_least(path + ".power_idle_w", t.power_idle.si(), 0);
  finite_at_least(path + ".power_max_w", t.power_max.si(), 0);
}

void check_slo(const std::string& path, const Slo& s) {
  if (!std::isfinite(s.percentile) || s.percentile <= 0 || s.percentile >= 100) {
    bad(path + ".percentile", fmt::format("{}: expected a percentile strictly between 0 and 100", num(s.percentile)));
  }
  finite_at_least(path + ".latency_s", s.latency.si(), 0);
  if (!std::isfinite(s.max_violation) || s.max_violation < 0 || s.max_violation > 1) {
    bad(path + ".max_violation", fmt::format("{}: expected a fraction from 0 to 1", num(s.max_violation)));
  }
}

void check_lengths(const std::string& path, const LengthDistribution& d) {
  finite_at_least(path + ".mean", d.mean, 1);
  finite_at_least(path + ".cv", d.cv, 0);
  finite_at_least(path + ".min", d.min, 1);
  finite_at_least(path + ".max", d.max, 0);
  if (d.shape == LengthShape::empirical && d.values.empty()) bad(path + ".values", "empty: an empirical distribution needs at least one length");
  for (std::size_t i = 0; i < d.values.size(); ++i) finite_at_least(fmt::format("{}.values[{}]", path, i), d.values[i], 1);
}

void check_arrival(const std::string& path, const Arrival& a) {
  if (a.kind == ArrivalKind::trace) {
    finite_above(path + ".time_scale", a.time_scale, 0);
    return;
  }
  finite_above(path + ".rate_per_s", a.rate.si(), 0);
  within_bound(path + ".rate_per_s", a.rate.si(), UnitKind::rate);
  finite_at_least(path + ".jitter_s", a.jitter.si(), 0);
  within_bound(path + ".jitter_s", a.jitter.si(), UnitKind::time);
  if (a.kind == ArrivalKind::bursty) {
    finite_above(path + ".on_time_s", a.on_time.si(), 0);
    finite_above(path + ".off_time_s", a.off_time.si(), 0);
    finite_above(path + ".burst_factor", a.burst_factor, 0);
  }
  if (a.kind == ArrivalKind::diurnal) {
    if (a.hourly.size() != 24) bad(path + ".hourly", fmt::format("{} values: expected 24 hourly multipliers", a.hourly.size()));
    for (std::size_t h = 0; h < a.hourly.size(); ++h) finite_at_least(fmt::format("{}.hourly[{}]", path, h), a.hourly[h], 0);
    if (a.start_hour && (*a.start_hour < 0 || *a.start_hour > 23)) bad(path + ".start_hour", fmt::format("{}: expected an hour of the day, 0 to 23", *a.start_hour));
  }
}

void check_stream(const std::string& path, const StreamExec& st, const SimInput& in) {
  index_below(path + ".site", st.site, in.sites.size(), "sites");
  int_at_least(path + ".sources", st.sources, 1);
  if (st.arrival.kind == ArrivalKind::trace && st.trace_times.empty()) bad(path + ".trace_times", "empty: a trace stream needs at least one arrival time");
  check_arrival(path + ".arrival", st.arrival);
  for (std::size_t i = 0; i < st.trace_times.size(); ++i) finite_at_least(fmt::format("{}.trace_times[{}]", path, i), st.trace_times[i], 0);
  for (std::size_t i = 0; i < st.trace_sizes.size(); ++i) finite_at_least(fmt::format("{}.trace_sizes[{}]", path, i), st.trace_sizes[i], 0);
  finite_at_least(path + ".payload_bytes", st.payload.si(), 0);
  finite_at_least(path + ".result_bytes", st.result.si(), 0);
  finite_at_least(path + ".decode_s", st.decode_s, 0);
  finite_at_least(path + ".decode_busy_s", st.decode_busy_s, 0);
  check_slo(path + ".slo", st.slo);
  if (st.stages.empty()) bad(path + ".stages", "empty: expected at least one stage");
  for (std::size_t k = 0; k < st.stages.size(); ++k) {
    const StageExec& sg = st.stages[k];
    const std::string sp = fmt::format("{}.stages[{}]", path, k);
    const TierSpec& tier = sg.tier == Tier::dc ? in.dc : in.edge;
    const char* tier_name = sg.tier == Tier::dc ? "dc" : "edge";
    if (tier.units < 1) {
      bad(sp + ".tier", fmt::format("'{}': that tier has {} units ({}.units); expected a tier with at least one unit", tier_name,
                                    tier.units, tier_name));
    }
    finite_at_least(sp + ".output_bytes", sg.output.si(), 0);
    if (!std::isfinite(sg.fraction) || sg.fraction < 0 || sg.fraction > 1) {
      bad(sp + ".fraction", fmt::format("{}: expected a fraction from 0 to 1", num(sg.fraction)));
    }
    finite_at_least(sp + ".variability.cv", sg.variability.cv, 0);
    if (st.llm) continue;  // an LLM stream's stage is timed by its iteration cost, not service_s
    if (sg.service_s.size() < static_cast<std::size_t>(tier.max_batch)) {
      bad(sp + ".service_s", fmt::format("{} values: expected one time per batch size 1 to {} ({}.max_batch)", sg.service_s.size(),
                                         tier.max_batch, tier_name));
    }
    for (std::size_t b = 0; b < sg.service_s.size(); ++b) finite_at_least(fmt::format("{}.service_s[{}]", sp, b), sg.service_s[b], 0);
  }
  if (st.llm) {
    const LlmExec& e = *st.llm;
    const std::string lp = path + ".llm";
    check_lengths(lp + ".prompt_tokens", e.prompt_tokens);
    check_lengths(lp + ".output_tokens", e.output_tokens);
    int_at_least(lp + ".replicas_per_unit", e.replicas_per_unit, 1);
    int_at_least(lp + ".gpus_per_replica", e.gpus_per_replica, 1);
    finite_above(lp + ".kv_capacity_tokens", e.kv_capacity_tokens, 0);
    int_at_least(lp + ".token_budget", e.token_budget, 1);
    int_at_least(lp + ".max_sequences", e.max_sequences, 1);
    const LlmIterationCost& c = e.cost;
    for (const auto& [name, v] : {std::pair{"fixed_s", c.fixed_s}, {"compute_per_token_s", c.compute_per_token_s},
                                  {"compute_half_tokens", c.compute_half_tokens}, {"attention_per_pair_s", c.attention_per_pair_s},
                                  {"weights_s", c.weights_s}, {"kv_per_token_s", c.kv_per_token_s}, {"comm_per_token_s", c.comm_per_token_s}}) {
      finite_at_least(fmt::format("{}.cost.{}", lp, name), v, 0);
    }
    check_slo(lp + ".ttft", e.ttft);
    check_slo(lp + ".tpot", e.tpot);
  }
}

}  // namespace

// Every path is the document's own JSON keys ("duration_s", "sites[0].backhaul.bandwidth_bps"),
// as `hwplan simulate` quotes it: not the scenario's YAML names. A unit test walks each into
// the JSON.
void check_sim_input(const SimInput& in) {
  finite_above("duration_s", in.duration.si(), 0);
  within_bound("duration_s", in.duration.si(), UnitKind::time);
  finite_at_least("warmup_s", in.warmup.si(), 0);
  within_bound("warmup_s", in.warmup.si(), UnitKind::time);
  if (in.warmup.si() >= in.duration.si()) {
    bad("warmup_s", fmt::format("{}: expected less than duration_s ({})", num(in.warmup.si()), num(in.duration.si())));
  }
  finite_at_least("dc_fabric_latency_s", in.dc_fabric_latency.si(), 0);
  int_at_least("batch_means", in.batch_means, 2);
  finite_at_least("target_precision", in.target_precision, 0);
  if (in.engine.event_budget < 1) bad("engine.event_budget", "0: expected an integer >= 1");
  check_tier("edge", in.edge);
  check_tier("dc", in.dc);
  for (std::size_t i = 0; i < in.sites.size(); ++i) {
    const SiteExec& s = in.sites[i];
    const std::string p = fmt::format("sites[{}]", i);
    int_at_least(p + ".count", s.count, 1);
    int_at_least(p + ".simulated", s.simulated, 1);
    if (s.simulated > s.count) bad(p + ".simulated", fmt::format("{}: expected at most the site count ({})", s.simulated, s.count));
    check_link(p + ".access", s.access);
    check_link(p + ".backhaul", s.backhaul);
  }
  for (std::size_t i = 0; i < in.streams.size(); ++i) check_stream(fmt::format("streams[{}]", i), in.streams[i], in);
  for (std::size_t i = 0; i < in.jobs.size(); ++i) {
    const BatchJobExec& j = in.jobs[i];
    const std::string p = fmt::format("jobs[{}]", i);
    const TierSpec& tier = j.tier == Tier::dc ? in.dc : in.edge;
    if (tier.units < 1) bad(p + ".tier", fmt::format("'{}': that tier has no units; expected a tier with at least one unit", j.tier == Tier::dc ? "dc" : "edge"));
    int_at_least(p + ".devices", j.devices, 1);
    finite_at_least(p + ".single_device_s", j.single_device_s, 0);
    if (!std::isfinite(j.scaling_efficiency) || j.scaling_efficiency <= 0 || j.scaling_efficiency > 1) {
      bad(p + ".scaling_efficiency", fmt::format("{}: expected a number in (0, 1]", num(j.scaling_efficiency)));
    }
    finite_at_least(p + ".dataset_bytes", j.dataset.si(), 0);
    if (j.tier == Tier::edge || j.dataset.si() > 0) index_below(p + ".upload_site", j.upload_site, in.sites.size(), "sites");
    finite_at_least(p + ".deadline_s", j.deadline_s, 0);
  }
  // Units for batch jobs at one site are an edge matter: the data centre runs its jobs on its servers.
  if (in.dc.job_units != 0) bad("dc.job_units", fmt::format("{}: expected 0 (job_units is for the edge tier)", in.dc.job_units));
}

}  // namespace hw
