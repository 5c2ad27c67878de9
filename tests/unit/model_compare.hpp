// Field-by-field comparison of scenarios and profiles for tests: differences() lists every
// field that differs, by its path ("streams[0].pipeline[1].fraction: 0.1 vs 0.2"). The
// structs' own operator== (defaulted) is the authority; this helper only says where two
// values differ, so a test checks both (a field missing here still fails operator==).
#pragma once

#include <fmt/format.h>

#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "sim/hardware/profile.hpp"
#include "sim/workload/scenario.hpp"

namespace hwtest {

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_vector : std::false_type {};
template <class T>
struct is_vector<std::vector<T>> : std::true_type {};
template <class T>
struct is_map : std::false_type {};
template <class K, class V>
struct is_map<std::map<K, V>> : std::true_type {};

template <class T>
std::string show(const T& v) {
  if constexpr (std::is_same_v<T, std::string>) {
    return "'" + v + "'";
  } else if constexpr (std::is_same_v<T, bool>) {
    return v ? "true" : "false";
  } else if constexpr (std::is_enum_v<T>) {
    if constexpr (requires { hw::to_string(v); }) {
      return hw::to_string(v);
    } else {
      return fmt::format("#{}", static_cast<int>(v));
    }
  } else if constexpr (std::is_arithmetic_v<T>) {
    return fmt::format("{}", v);  // doubles in shortest exact form: a one-ulp change shows
  } else if constexpr (std::is_same_v<T, hw::Money>) {
    return fmt::format("{} {}", v.amount, v.currency);
  } else if constexpr (std::is_same_v<T, hw::Price>) {
    return fmt::format("{} {}/SI unit", v.per_si, v.currency);
  } else if constexpr (is_optional<T>::value) {
    return v ? show(*v) : std::string("none");
  } else if constexpr (is_vector<T>::value) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + show(x);
    return "[" + s + "]";
  } else if constexpr (is_map<T>::value) {
    std::string s;
    for (const auto& [k, x] : v) s += (s.empty() ? "" : ", ") + show(k) + ": " + show(x);
    return "{" + s + "}";
  } else {
    return fmt::format("{}", v.si());  // a quantity, in SI
  }
}

class Diff {
 public:
  template <class T>
  void field(const std::string& path, const T& a, const T& b) {
    if (!(a == b)) lines_.push_back(fmt::format("{}: {} vs {}", path, show(a), show(b)));
  }
  template <class T, class F>
  void list(const std::string& path, const std::vector<T>& a, const std::vector<T>& b, F each) {
    if (a.size() != b.size()) {
      lines_.push_back(fmt::format("{}: {} entries vs {}", path, a.size(), b.size()));
      return;
    }
    for (std::size_t i = 0; i < a.size(); ++i) each(fmt::format("{}[{}]", path, i), a[i], b[i]);
  }
  // Maps entry by entry: "sources.power: 'a' vs 'b'", "compute.int8: none vs 2e+14".
  template <class K, class V>
  void map(const std::string& path, const std::map<K, V>& a, const std::map<K, V>& b) {
    std::map<K, int> keys;
    for (const auto& [k, v] : a) keys[k] = 0;
    for (const auto& [k, v] : b) keys[k] = 0;
    for (const auto& [k, unused] : keys) {
      const auto x = a.find(k);
      const auto y = b.find(k);
      std::string name;
      if constexpr (std::is_same_v<K, std::string>) {
        name = k;  // unquoted in the path
      } else {
        name = show(k);
      }
      field(path + "." + name, x == a.end() ? std::optional<V>() : std::optional<V>(x->second),
            y == b.end() ? std::optional<V>() : std::optional<V>(y->second));
    }
  }
  [[nodiscard]] const std::vector<std::string>& lines() const { return lines_; }
  [[nodiscard]] std::string text() const {
    std::string s;
    for (const auto& l : lines_) s += l + "\n";
    return s;
  }

 private:
  std::vector<std::string> lines_;
};

inline void compare(Diff& d, const std::string& at, const hw::LinkSpec& a, const hw::LinkSpec& b) {
  d.field(at + ".type", a.type, b.type);
  d.field(at + ".latency", a.latency, b.latency);
  d.field(at + ".bandwidth", a.bandwidth, b.bandwidth);
}

inline void compare(Diff& d, const std::string& at, const hw::Arrival& a, const hw::Arrival& b) {
  d.field(at + ".kind", a.kind, b.kind);
  d.field(at + ".rate", a.rate, b.rate);
  d.field(at + ".jitter", a.jitter, b.jitter);
  d.field(at + ".on_time", a.on_time, b.on_time);
  d.field(at + ".off_time", a.off_time, b.off_time);
  d.field(at + ".burst_factor", a.burst_factor, b.burst_factor);
  d.field(at + ".hourly", a.hourly, b.hourly);
  d.field(at + ".trace_file", a.trace_file, b.trace_file);
  d.field(at + ".time_scale", a.time_scale, b.time_scale);
}

inline void compare(Diff& d, const std::string& at, const hw::Stage& a, const hw::Stage& b) {
  d.field(at + ".id", a.id, b.id);
  d.field(at + ".model", a.model, b.model);
  d.field(at + ".precision", a.precision, b.precision);
  d.field(at + ".output", a.output, b.output);
  d.field(at + ".fraction", a.fraction, b.fraction);
  d.field(at + ".variability.distribution", a.variability.distribution, b.variability.distribution);
  d.field(at + ".variability.cv", a.variability.cv, b.variability.cv);
}

inline void compare(Diff& d, const std::string& at, const hw::Stream& a, const hw::Stream& b) {
  d.field(at + ".id", a.id, b.id);
  d.field(at + ".site", a.site, b.site);
  d.field(at + ".sources", a.sources, b.sources);
  compare(d, at + ".arrival", a.arrival, b.arrival);
  d.field(at + ".payload", a.payload, b.payload);
  d.field(at + ".result", a.result, b.result);
  d.field(at + ".return_result", a.return_result, b.return_result);
  d.list(at + ".pipeline", a.pipeline, b.pipeline,
         [&](const std::string& p, const hw::Stage& x, const hw::Stage& y) { compare(d, p, x, y); });
  d.field(at + ".slo.percentile", a.slo.percentile, b.slo.percentile);
  d.field(at + ".slo.latency", a.slo.latency, b.slo.latency);
  d.field(at + ".slo.max_violation", a.slo.max_violation, b.slo.max_violation);
  d.field(at + ".raw_data_local", a.raw_data_local, b.raw_data_local);
}

inline void compare(Diff& d, const std::string& at, const hw::BatchJob& a, const hw::BatchJob& b) {
  d.field(at + ".id", a.id, b.id);
  d.field(at + ".kind", a.kind, b.kind);
  d.field(at + ".total_flops", a.total_flops, b.total_flops);
  d.field(at + ".total_bytes", a.total_bytes, b.total_bytes);
  d.field(at + ".dataset", a.dataset, b.dataset);
  d.field(at + ".precision", a.precision, b.precision);
  d.field(at + ".min_devices", a.min_devices, b.min_devices);
  d.field(at + ".scaling_efficiency", a.scaling_efficiency, b.scaling_efficiency);
  d.field(at + ".deadline", a.deadline, b.deadline);
}

inline void compare(Diff& d, const std::string& at, const hw::CandidateSpec& a, const hw::CandidateSpec& b) {
  d.field(at + ".family", a.family, b.family);
  d.field(at + ".edge_hardware", a.edge_hardware, b.edge_hardware);
  d.field(at + ".gpu_hardware", a.gpu_hardware, b.gpu_hardware);
  d.field(at + ".units_per_site", a.units_per_site, b.units_per_site);
  d.field(at + ".servers", a.servers, b.servers);
  d.field(at + ".batching.max_batch", a.batching.max_batch, b.batching.max_batch);
  d.field(at + ".batching.max_wait", a.batching.max_wait, b.batching.max_wait);
  d.field(at + ".edge_stages", a.edge_stages, b.edge_stages);
  d.field(at + ".queue_capacity", a.queue_capacity, b.queue_capacity);
  d.field(at + ".edge_accelerator", a.edge_accelerator, b.edge_accelerator);
}

// Every field that differs between two scenarios, by path; empty when they are equal.
inline Diff differences(const hw::Scenario& a, const hw::Scenario& b) {
  Diff d;
  d.field("name", a.name, b.name);
  d.field("description", a.description, b.description);
  d.field("seed", a.seed, b.seed);
  d.field("duration", a.duration, b.duration);
  d.field("warmup", a.warmup, b.warmup);
  d.field("precision", a.precision, b.precision);
  d.list("sites", a.sites, b.sites, [&](const std::string& p, const hw::Site& x, const hw::Site& y) {
    d.field(p + ".id", x.id, y.id);
    d.field(p + ".count", x.count, y.count);
    compare(d, p + ".access", x.access, y.access);
    compare(d, p + ".backhaul", x.backhaul, y.backhaul);
  });
  d.list("streams", a.streams, b.streams,
         [&](const std::string& p, const hw::Stream& x, const hw::Stream& y) { compare(d, p, x, y); });
  d.list("batch_jobs", a.batch_jobs, b.batch_jobs,
         [&](const std::string& p, const hw::BatchJob& x, const hw::BatchJob& y) { compare(d, p, x, y); });
  const auto& c = a.costs;
  const auto& k = b.costs;
  d.field("costs.currency", c.currency, k.currency);
  d.field("costs.horizon", c.horizon, k.horizon);
  d.field("costs.amortisation", c.amortisation, k.amortisation);
  d.field("costs.electricity", c.electricity, k.electricity);
  d.field("costs.pue", c.pue, k.pue);
  d.field("costs.bandwidth", c.bandwidth, k.bandwidth);
  d.field("costs.maintenance_per_unit", c.maintenance_per_unit, k.maintenance_per_unit);
  d.field("costs.site_visit", c.site_visit, k.site_visit);
  d.field("costs.visits_per_site_per_year", c.visits_per_site_per_year, k.visits_per_site_per_year);
  d.field("costs.gpu_hour", c.gpu_hour, k.gpu_hour);
  d.field("constraints.data_residency", a.constraints.data_residency, b.constraints.data_residency);
  d.field("constraints.site_power_budget", a.constraints.site_power_budget, b.constraints.site_power_budget);
  d.field("constraints.backhaul_cap", a.constraints.backhaul_cap, b.constraints.backhaul_cap);
  d.field("constraints.rack_power", a.constraints.rack_power, b.constraints.rack_power);
  if (a.retraining.has_value() != b.retraining.has_value()) {
    d.field("retraining", std::string(a.retraining ? "set" : "none"), std::string(b.retraining ? "set" : "none"));
  } else if (a.retraining) {
    d.field("retraining.interval", a.retraining->interval, b.retraining->interval);
    d.field("retraining.upload_fraction", a.retraining->upload_fraction, b.retraining->upload_fraction);
    d.field("retraining.gpu_hours", a.retraining->gpu_hours, b.retraining->gpu_hours);
    d.field("retraining.model_size", a.retraining->model_size, b.retraining->model_size);
  }
  d.list("candidates", a.candidates, b.candidates,
         [&](const std::string& p, const hw::CandidateSpec& x, const hw::CandidateSpec& y) { compare(d, p, x, y); });
  d.field("dc_fabric_latency", a.dc_fabric_latency, b.dc_fabric_latency);
  d.field("file", a.file, b.file);
  return d;
}

// Every field that differs between two profiles, by path; empty when they are equal.
inline Diff differences(const hw::HardwareProfile& a, const hw::HardwareProfile& b) {
  Diff d;
  d.field("id", a.id, b.id);
  d.field("name", a.name, b.name);
  d.field("class", a.klass, b.klass);
  d.field("form_factor", a.form_factor, b.form_factor);
  d.map("compute", a.peak, b.peak);
  d.field("memory.capacity", a.memory_capacity, b.memory_capacity);
  d.field("memory.bandwidth", a.memory_bandwidth, b.memory_bandwidth);
  d.field("accelerators", a.accelerators, b.accelerators);
  d.field("efficiency.compute", a.efficiency_compute, b.efficiency_compute);
  d.field("efficiency.memory", a.efficiency_memory, b.efficiency_memory);
  d.field("efficiency.half_batch", a.half_efficiency_batch, b.half_efficiency_batch);
  d.field("overhead", a.overhead, b.overhead);
  d.field("power.idle", a.power_idle, b.power_idle);
  d.field("power.max", a.power_max, b.power_max);
  d.field("power.modes", a.power_modes, b.power_modes);
  d.field("price", a.price, b.price);
  d.field("price_year", a.price_year, b.price_year);
  d.field("interfaces", a.interfaces, b.interfaces);
  d.field("environment", a.environment, b.environment);
  d.map("sources", a.sources, b.sources);
  d.map("calibration", a.calibration, b.calibration);
  d.field("file", a.file, b.file);
  return d;
}

}  // namespace hwtest
