#include "sim/plan/loop.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "sim/core/text.hpp"
#include "sim/core/units.hpp"
#include "sim/hardware/perf_model.hpp"
#include "sim/io/trace.hpp"
#include "sim/plan/bounds.hpp"
#include "sim/plan/deployment.hpp"

namespace hw {

namespace {

constexpr double kHoursPerYear = 8760.0;

double sites_of(const Scenario& s, const std::string& id) {
  double n = 0;
  for (const auto& site : s.sites) {
    if (site.id == id) n += site.count;
  }
  return n;
}

}  // namespace

double mean_items_per_s(const Arrival& a, int sources, const std::vector<double>& replayed_trace, double window_s) {
  if (a.kind == ArrivalKind::trace) {
    if (window_s <= 0) return 0.0;
    const auto n = std::count_if(replayed_trace.begin(), replayed_trace.end(), [&](double x) { return x < window_s; });
    return static_cast<double>(n) / window_s;
  }
  double per_site = a.rate.si() * sources;
  if (a.kind == ArrivalKind::diurnal && !a.hourly.empty()) {
    double sum = 0;  // the day's mean multiplier
    for (double m : a.hourly) sum += m;
    per_site *= sum / static_cast<double>(a.hourly.size());
  }
  return per_site;
}

std::optional<TrainingWorkload> training_workload(const Scenario& s, const Catalogue& cat, int units_per_site, const SimInput* in) {
  if (!s.retraining) return std::nullopt;
  const Retraining& t = *s.retraining;
  TrainingWorkload w;
  w.interval_s = t.interval.si();
  w.deadline_s = t.deadline.si() > 0 ? t.deadline.si() : t.interval.si();
  w.precision = t.precision;
  w.epochs = t.epochs;
  w.derived = t.epochs > 0;
  // Samples uploaded over one interval (raw items kept as training samples), and per site:
  // the items each stream offers (mean_items_per_s, as offered_load), summed over the streams
  // of a site; the site that uploads most sets the upload.
  const double window = in ? in->duration.si() : s.duration.si();
  double uploaded = 0;
  double flops_weighted = 0;  // sum over streams of samples x FLOP per sample
  std::map<std::string, double> bytes_per_site;  // one run's samples, one site of each kind
  for (std::size_t i = 0; i < s.streams.size(); ++i) {
    const Stream& st = s.streams[i];
    // The stream as the engine replays it: the candidate's, else a trace read here.
    StreamExec own;
    const StreamExec* ex = in && i < in->streams.size() ? &in->streams[i] : nullptr;
    if (!ex) {
      own.arrival = st.arrival;
      own.payload = st.payload;
      if (st.arrival.kind == ArrivalKind::trace) {
        Trace tr = load_trace(st.arrival.trace_file);
        own.trace_times = std::move(tr.times_s);
        own.trace_sizes = std::move(tr.sizes_bytes);
        if (st.arrival.time_scale != 1.0) {
          for (auto& x : own.trace_times) x /= st.arrival.time_scale;
        }
      }
      ex = &own;
    }
    const double per_site = mean_items_per_s(st.arrival, st.sources, ex->trace_times, window) * t.upload_fraction * t.interval.si();
    const double n = per_site * sites_of(s, st.site);
    uploaded += n;
    bytes_per_site[st.site] += per_site * mean_payload(*ex);  // a trace's own sizes where it gives them
    double reach = 1.0, f = 0;
    for (const auto& stage : st.pipeline) {
      reach *= stage.fraction;
      f += 3.0 * cat.model(stage.model).flops_per_item.si() * reach;
    }
    flops_weighted += std::max(n, 1e-300) * f;
  }
  for (const auto& [site, bytes] : bytes_per_site) w.upload_bytes_per_site = std::max(w.upload_bytes_per_site, bytes);
  w.samples = t.samples > 0 ? t.samples : uploaded;
  w.flops_per_sample = uploaded > 0 ? flops_weighted / uploaded : 0.0;
  if (uploaded <= 0) {  // no uploads: weigh the streams equally
    double f = 0;
    for (const auto& st : s.streams) {
      double reach = 1.0;
      for (const auto& stage : st.pipeline) {
        reach *= stage.fraction;
        f += 3.0 * cat.model(stage.model).flops_per_item.si() * reach;
      }
    }
    w.flops_per_sample = s.streams.empty() ? 0.0 : f / static_cast<double>(s.streams.size());
  }
  w.flops = w.flops_per_sample * w.samples * w.epochs;
  // Upload and push over the slowest backhaul of a site that streams come from, at the share
  // of it the design lets any traffic take (design.max_utilisation.link): the loop's bytes are
  // backhaul traffic like the streams', not a link of their own.
  double bw = std::numeric_limits<double>::infinity(), lat = 0;
  for (const auto& st : s.streams) {
    for (const auto& site : s.sites) {
      if (site.id == st.site && site.backhaul.bandwidth.si() < bw) {
        bw = site.backhaul.bandwidth.si();
        lat = site.backhaul.latency.si();
        w.upload_site = site.id;
      }
    }
  }
  if (std::isfinite(bw) && bw > 0) {
    w.link_bandwidth_bps = bw;
    w.link_share = std::clamp(s.design.max_link_utilisation, 1e-6, 1.0);
    const double rate = bw * w.link_share;
    w.upload_s = w.upload_bytes_per_site > 0 ? lat + w.upload_bytes_per_site * 8.0 / rate : 0.0;
    w.push_s = t.model_size.si() > 0 ? lat + t.model_size.si() * std::max(1, units_per_site) * 8.0 / rate : 0.0;
  }
  return w;
}

TrainingPlan plan_training(const Scenario& s, const Catalogue& cat, int units_per_site, const SimInput* in) {
  TrainingPlan plan;
  auto w = training_workload(s, cat, units_per_site, in);
  if (!w) return plan;
  plan.work = *w;
  plan.runs_per_year = kSecondsPerYear / w->interval_s;
  if (!w->derived || w->flops <= 0) return plan;
  const Costs& c = s.costs;
  const double amort_years = c.amortisation.si() / kSecondsPerYear;
  const double budget = w->deadline_s - w->upload_s - w->push_s;
  double best_any = std::numeric_limits<double>::infinity();
  std::string best_any_hw;
  for (const auto& [id, p] : cat.profiles) {
    if (p.klass != HardwareClass::gpu_server && p.klass != HardwareClass::accelerator) continue;
    if (datacenter_use_problem(s, p)) continue;  // its licence keeps it out of the data centre
    if (price_problem(p)) continue;              // no price: training on it cannot be costed
    const auto one = job_single_device_time(p, Flops(w->flops), Bytes(0), w->precision);
    if (!one) continue;
    const int per_unit = std::max(1, p.accelerators);
    const double single = one->total.si();
    std::optional<int> units;
    for (int u = 1; u <= 512; ++u) {
      const double t = single / job_speedup(u * per_unit, s.retraining->scaling_efficiency);
      if (t < best_any) {
        best_any = t;
        best_any_hw = id;
      }
      if (t <= budget) {
        units = u;
        break;
      }
    }
    if (!units) continue;
    TrainingOption o;
    o.hardware = id;
    o.units = *units;
    o.devices = *units * per_unit;
    // Owned: the unit price, the energy of the busy hours at full power and of the rest at
    // idle, with PUE, and upkeep. A card or module alone is bought in servers with a host
    // (sim/plan/deployment: package_accelerators), so units are then those servers.
    double price = p.price.amount, busy_w = p.power_max.si(), idle_w = p.power_idle.si();
    if (p.klass == HardwareClass::accelerator) {
      const ServerPackaging k = package_accelerators(p, o.devices, &c);
      o.units = k.servers;
      o.gpus_per_server = k.gpus_per_server;
      o.devices = k.servers * k.gpus_per_server;
      price = k.unit_price;
      busy_w = k.unit_max_w;
      idle_w = k.unit_idle_w;
    }
    o.train_s = single / job_speedup(o.devices, s.retraining->scaling_efficiency);
    const double busy_s = std::min(kSecondsPerYear, o.train_s * plan.runs_per_year);
    const double energy_j = o.units * (busy_w * busy_s + idle_w * (kSecondsPerYear - busy_s)) * c.pue;
    o.own_per_year = o.units * price / (amort_years > 0 ? amort_years : 1.0) + energy_j * c.electricity.per_si +
                     o.units * c.maintenance_per_unit.per_si * kSecondsPerYear;
    o.utilisation = busy_s / kSecondsPerYear;
    plan.options.push_back(o);
  }
  // Rented: the GPU-hours of the runs at the on-demand price per GPU-hour, the profile's own.
  // The scenario's costs.gpu_hour (one generic price, e.g. an A100's) is used only when no
  // profile that meets the deadline has a rented price of its own: at an A100 price the
  // fastest GPUs (a B200 server) would otherwise look cheapest to rent.
  const bool any_own = std::any_of(plan.options.begin(), plan.options.end(),
                                   [&](const TrainingOption& o) { return cat.profile(o.hardware).gpu_hour_on_demand.per_si > 0; });
  for (auto& o : plan.options) {
    double rate = cat.profile(o.hardware).gpu_hour_on_demand.per_si;  // per GPU-second
    o.rent_source = rate > 0 ? "profile" : "";
    if (rate <= 0 && !any_own && c.gpu_hour.per_si > 0) {
      rate = c.gpu_hour.per_si;
      o.rent_source = kScenarioRentSource;
    }
    if (rate > 0) {
      o.rent_per_year = o.devices * o.utilisation * kSecondsPerYear * rate;
      o.break_even_utilisation = o.own_per_year / (o.devices * kSecondsPerYear * rate);
      o.rent = o.rent_per_year < o.own_per_year;
    }
  }
  std::sort(plan.options.begin(), plan.options.end(), [](const TrainingOption& a, const TrainingOption& b) {
    return a.per_year() < b.per_year() || (a.per_year() == b.per_year() && a.hardware < b.hardware);
  });
  if (!plan.options.empty()) {
    plan.chosen = plan.options.front();
    plan.cycle_s = w->upload_s + plan.chosen->train_s + w->push_s;
  } else if (budget <= 0) {
    plan.why_not = fmt::format("uploading one run's samples ({}) and pushing the model ({}) leave no time before the {} deadline",
                               format_long_time(Seconds(w->upload_s)), format_long_time(Seconds(w->push_s)),
                               format_long_time(Seconds(w->deadline_s)));
  } else {
    plan.why_not = fmt::format("no data-centre hardware trains {} EFLOP within {} (the fastest, {}, needs {} at 512 units)",
                               sig3(w->flops / 1e18), format_long_time(Seconds(budget)), best_any_hw,
                               format_long_time(Seconds(best_any)));
  }
  return plan;
}

std::string deployment_label(const Scenario& s, Family f) {
  if (f == Family::edge && s.retraining) return "hybrid: train in the data centre, infer at the edge";
  if (f == Family::hybrid) return s.retraining ? "hybrid: split pipeline, retrained in the data centre" : "hybrid: split pipeline";
  return family_label(f);
}

std::string family_json(const Scenario& s, Family f) {
  if (f == Family::edge && s.retraining) return "hybrid";
  return to_string(f);
}

std::string hybrid_kind(const Scenario& s, Family f) {
  if (f == Family::edge && s.retraining) return "train-infer-loop";
  if (f == Family::hybrid) return "split-pipeline";
  return "";
}

namespace {
// A hybrid whose edge stages hold every stream's whole pipeline: nothing is split.
bool splits_nothing(const Scenario& s, const CandidateSpec& c) {
  if (c.family != Family::hybrid || s.streams.empty() || s.batch_jobs.empty()) return false;
  for (const auto& st : s.streams) {
    if (st.pipeline.size() > static_cast<std::size_t>(std::max(0, c.edge_stages))) return false;
  }
  return true;
}
}  // namespace

std::string deployment_label(const Scenario& s, const CandidateSpec& c) {
  if (splits_nothing(s, c)) return "hybrid: infer at the edge, batch jobs in the data centre";
  return deployment_label(s, c.family);
}

std::string hybrid_kind(const Scenario& s, const CandidateSpec& c) {
  if (splits_nothing(s, c)) return "edge-inference-dc-jobs";
  return hybrid_kind(s, c.family);
}

}  // namespace hw
