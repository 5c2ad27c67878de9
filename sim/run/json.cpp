#include "sim/run/json.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <type_traits>
#include <utility>

namespace hw {
namespace {

using nlohmann::json;

// ---- the field lists: one per struct, used by the writer, the reader and the counter ----

template <class V> void fields(V& v, EngineOptions& x) {
  v("context_factory", x.context_factory);
  v("simgrid_cfg", x.simgrid_cfg);
  v("energy_plugin", x.energy_plugin);
  v("keep_sends_above", x.keep_sends_above);
  v("stop_on_overload", x.stop_on_overload);
  v("event_budget", x.event_budget);
}
template <class V> void fields(V& v, LinkSpec& x) {
  v("type", x.type);
  v("latency_s", x.latency);
  v("bandwidth_bps", x.bandwidth);
}
template <class V> void fields(V& v, Arrival& x) {
  v("kind", x.kind);
  v("rate_per_s", x.rate);
  v("jitter_s", x.jitter);
  v("on_time_s", x.on_time);
  v("off_time_s", x.off_time);
  v("burst_factor", x.burst_factor);
  v("hourly", x.hourly);
  v("start_hour", x.start_hour);
  v("trace_file", x.trace_file);
  v("time_scale", x.time_scale);
}
template <class V> void fields(V& v, Variability& x) {
  v("distribution", x.distribution);
  v("cv", x.cv);
}
template <class V> void fields(V& v, Slo& x) {
  v("percentile", x.percentile);
  v("latency_s", x.latency);
  v("max_violation", x.max_violation);
}
template <class V> void fields(V& v, TierSpec& x) {
  v("hardware", x.hardware);
  v("units", x.units);
  v("slots", x.slots);
  v("power_idle_w", x.power_idle);
  v("power_max_w", x.power_max);
  v("max_batch", x.max_batch);
  v("max_wait_s", x.max_wait);
  v("queue_capacity", x.queue_capacity);
  v("job_units", x.job_units);
}
template <class V> void fields(V& v, StageExec& x) {
  v("id", x.id);
  v("tier", x.tier);
  v("service_s", x.service_s);
  v("output_bytes", x.output);
  v("fraction", x.fraction);
  v("variability", x.variability);
}
template <class V> void fields(V& v, LengthDistribution& x) {
  v("shape", x.shape);
  v("mean", x.mean);
  v("cv", x.cv);
  v("min", x.min);
  v("max", x.max);
  v("values", x.values);
}
template <class V> void fields(V& v, LlmIterationCost& x) {
  v("fixed_s", x.fixed_s);
  v("compute_per_token_s", x.compute_per_token_s);
  v("compute_half_tokens", x.compute_half_tokens);
  v("attention_per_pair_s", x.attention_per_pair_s);
  v("weights_s", x.weights_s);
  v("kv_per_token_s", x.kv_per_token_s);
  v("comm_per_token_s", x.comm_per_token_s);
}
template <class V> void fields(V& v, LlmExec& x) {
  v("prompt_tokens", x.prompt_tokens);
  v("output_tokens", x.output_tokens);
  v("replicas_per_unit", x.replicas_per_unit);
  v("gpus_per_replica", x.gpus_per_replica);
  v("kv_capacity_tokens", x.kv_capacity_tokens);
  v("token_budget", x.token_budget);
  v("max_sequences", x.max_sequences);
  v("cost", x.cost);
  v("ttft", x.ttft);
  v("tpot", x.tpot);
}
template <class V> void fields(V& v, StreamExec& x) {
  v("id", x.id);
  v("site", x.site);
  v("sources", x.sources);
  v("arrival", x.arrival);
  v("payload_bytes", x.payload);
  v("result_bytes", x.result);
  v("return_result", x.return_result);
  v("stages", x.stages);
  v("slo", x.slo);
  v("trace_times", x.trace_times);
  v("trace_sizes", x.trace_sizes);
  v("llm", x.llm);
  v("decode_s", x.decode_s);
  v("decode_busy_s", x.decode_busy_s);
}
template <class V> void fields(V& v, BatchJobExec& x) {
  v("id", x.id);
  v("kind", x.kind);
  v("tier", x.tier);
  v("devices", x.devices);
  v("single_device_s", x.single_device_s);
  v("scaling_efficiency", x.scaling_efficiency);
  v("dataset_bytes", x.dataset);
  v("upload_site", x.upload_site);
  v("deadline_s", x.deadline_s);
}
template <class V> void fields(V& v, SiteExec& x) {
  v("id", x.id);
  v("count", x.count);
  v("simulated", x.simulated);
  v("access", x.access);
  v("backhaul", x.backhaul);
}
template <class V> void fields(V& v, SimInput& x) {
  v("label", x.label);
  v("seed", x.seed);
  v("duration_s", x.duration);
  v("warmup_s", x.warmup);
  v("dc_fabric_latency_s", x.dc_fabric_latency);
  v("sites", x.sites);
  v("streams", x.streams);
  v("jobs", x.jobs);
  v("edge", x.edge);
  v("dc", x.dc);
  v("batch_means", x.batch_means);
  v("target_precision", x.target_precision);
  v("engine", x.engine);
}

template <class V> void fields(V& v, Estimate& x) {
  v("value", x.value);
  v("ci_low", x.ci_low);
  v("ci_high", x.ci_high);
}
template <class V> void fields(V& v, LlmResult& x) {
  v("requests", x.requests);
  v("unfinished", x.unfinished);
  v("rejected", x.rejected);
  v("ttft_p50_s", x.ttft_p50_s);
  v("ttft_p99_s", x.ttft_p99_s);
  v("tpot_p50_s", x.tpot_p50_s);
  v("tpot_p99_s", x.tpot_p99_s);
  v("e2e_p50_s", x.e2e_p50_s);
  v("e2e_p99_s", x.e2e_p99_s);
  v("ttft_at_slo_s", x.ttft_at_slo_s);
  v("ttft_violation_rate", x.ttft_violation_rate);
  v("ttft_met", x.ttft_met);
  v("tpot_at_slo_s", x.tpot_at_slo_s);
  v("tpot_violation_rate", x.tpot_violation_rate);
  v("tpot_met", x.tpot_met);
  v("output_tokens_per_s", x.output_tokens_per_s);
  v("prompt_tokens_per_s", x.prompt_tokens_per_s);
  v("output_tokens_per_s_per_replica", x.output_tokens_per_s_per_replica);
  v("output_tokens_per_s_per_unit", x.output_tokens_per_s_per_unit);
  v("replicas", x.replicas);
  v("gpus_per_replica", x.gpus_per_replica);
  v("kv_capacity_tokens", x.kv_capacity_tokens);
  v("mean_running", x.mean_running);
  v("stepping_share", x.stepping_share);
  v("compute_share", x.compute_share);
}
template <class V> void fields(V& v, StreamResult& x) {
  v("id", x.id);
  v("completed", x.completed);
  v("unfinished", x.unfinished);
  v("dropped", x.dropped);
  v("throughput_per_s", x.throughput_per_s);
  v("mean_s", x.mean_s);
  v("p50_s", x.p50_s);
  v("p90_s", x.p90_s);
  v("p95_s", x.p95_s);
  v("p99_s", x.p99_s);
  v("p999_s", x.p999_s);
  v("slo_percentile", x.slo_percentile);
  v("slo_latency_s", x.slo_latency_s);
  v("slo_violation_rate", x.slo_violation_rate);
  v("slo_met", x.slo_met);
  v("latency_edges_s", x.latency_edges_s);
  v("latency_counts", x.latency_counts);
  v("llm", x.llm);
}
template <class V> void fields(V& v, BatchJobResult& x) {
  v("id", x.id);
  v("kind", x.kind);
  v("devices", x.devices);
  v("upload_s", x.upload_s);
  v("compute_s", x.compute_s);
  v("makespan_s", x.makespan_s);
  v("deadline_s", x.deadline_s);
  v("deadline_met", x.deadline_met);
  v("energy_j", x.energy_j);
}
template <class V> void fields(V& v, TierResult& x) {
  v("hardware", x.hardware);
  v("units_total", x.units_total);
  v("utilisation", x.utilisation);
  v("avg_power_w", x.avg_power_w);
  v("energy_j_per_day", x.energy_j_per_day);
  v("mean_queue_length", x.mean_queue_length);
  v("max_queue_length", x.max_queue_length);
}
template <class V> void fields(V& v, LinkResult& x) {
  v("name", x.name);
  v("bytes_per_day", x.bytes_per_day);
  v("peak_utilisation", x.peak_utilisation);
}
template <class V> void fields(V& v, Overload& x) {
  v("where", x.where);
  v("offered", x.offered);
  v("capacity", x.capacity);
  v("unit", x.unit);
  v("at_s", x.at_s);
}
template <class V> void fields(V& v, RunResult& x) {
  v("label", x.label);
  v("ok", x.ok);
  v("error", x.error);
  v("simulated_time_s", x.simulated_time_s);
  v("wall_time_s", x.wall_time_s);
  v("events", x.events);
  v("streams", x.streams);
  v("jobs", x.jobs);
  v("edge", x.edge);
  v("dc", x.dc);
  v("backhaul_bytes_per_day", x.backhaul_bytes_per_day);
  v("backhaul_peak_utilisation", x.backhaul_peak_utilisation);
  v("links", x.links);
  v("scaling_note", x.scaling_note);
  v("stop_reason", x.stop_reason);
  v("overload", x.overload);
}

// ---- enums ----

template <class E> struct EnumNames;
template <> struct EnumNames<ArrivalKind> {
  static constexpr std::pair<ArrivalKind, const char*> v[] = {{ArrivalKind::periodic, "periodic"},
                                                              {ArrivalKind::poisson, "poisson"},
                                                              {ArrivalKind::bursty, "bursty"},
                                                              {ArrivalKind::diurnal, "diurnal"},
                                                              {ArrivalKind::trace, "trace"}};
};
template <> struct EnumNames<ServiceDistribution> {
  static constexpr std::pair<ServiceDistribution, const char*> v[] = {{ServiceDistribution::deterministic, "deterministic"},
                                                                      {ServiceDistribution::exponential, "exponential"},
                                                                      {ServiceDistribution::lognormal, "lognormal"}};
};
template <> struct EnumNames<LengthShape> {
  static constexpr std::pair<LengthShape, const char*> v[] = {{LengthShape::fixed, "fixed"},
                                                              {LengthShape::uniform, "uniform"},
                                                              {LengthShape::lognormal, "lognormal"},
                                                              {LengthShape::empirical, "empirical"}};
};
template <> struct EnumNames<Tier> {
  static constexpr std::pair<Tier, const char*> v[] = {{Tier::edge, "edge"}, {Tier::dc, "dc"}};
};

template <class T> struct IsQuantity : std::false_type {};
template <class Tag> struct IsQuantity<Quantity<Tag>> : std::true_type {};
template <class T> struct IsVector : std::false_type {};
template <class T> struct IsVector<std::vector<T>> : std::true_type {};
template <class T> struct IsOptional : std::false_type {};
template <class T> struct IsOptional<std::optional<T>> : std::true_type {};

// ---- writer ----

json write_number(double d) {
  if (std::isfinite(d)) return d;
  return std::isnan(d) ? "nan" : (d > 0 ? "inf" : "-inf");  // JSON has no infinities
}

template <class T> json write(const T& x);

struct Writer {
  json& j;
  template <class T> void operator()(const char* k, T& x) { j[k] = write(x); }
};

template <class T> json write(const T& x) {
  if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::string>) {
    return x;
  } else if constexpr (std::is_enum_v<T>) {
    for (const auto& [e, name] : EnumNames<T>::v) {
      if (e == x) return name;
    }
    return static_cast<int>(x);
  } else if constexpr (std::is_integral_v<T>) {
    return x;
  } else if constexpr (std::is_floating_point_v<T>) {
    return write_number(x);
  } else if constexpr (IsQuantity<T>::value) {
    return write_number(x.si());
  } else if constexpr (IsVector<T>::value) {
    json a = json::array();
    for (const auto& e : x) a.push_back(write(e));
    return a;
  } else if constexpr (IsOptional<T>::value) {
    return x ? write(*x) : json(nullptr);
  } else {
    json o = json::object();
    Writer w{o};
    fields(w, const_cast<T&>(x));  // the writer only reads
    return o;
  }
}

// ---- reader ----

[[noreturn]] void fail(const std::string& path, const std::string& what) { throw JsonFieldError(path, what); }

std::string type_name(const json& j) { return j.type_name(); }

double read_number(const json& j, const std::string& path) {
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) {
    const auto& s = j.get_ref<const std::string&>();
    if (s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-inf") return -std::numeric_limits<double>::infinity();
    if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
  }
  fail(path, fmt::format("expected a number, got {} {}", type_name(j), j.dump()));
}

template <class T> void read(const json& j, T& x, const std::string& path);

struct Reader {
  const json& j;
  const std::string& path;
  std::size_t seen = 0;
  template <class T> void operator()(const char* k, T& x) {
    const std::string p = path.empty() ? std::string(k) : path + "." + k;
    auto it = j.find(k);
    if (it == j.end()) fail(p, "missing field");
    ++seen;
    read(*it, x, p);
  }
};

template <class T> void read(const json& j, T& x, const std::string& path) {
  if constexpr (std::is_same_v<T, bool>) {
    if (!j.is_boolean()) fail(path, fmt::format("expected true or false, got {}", j.dump()));
    x = j.get<bool>();
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!j.is_string()) fail(path, fmt::format("expected a string, got {}", j.dump()));
    x = j.get<std::string>();
  } else if constexpr (std::is_enum_v<T>) {
    if (j.is_string()) {
      for (const auto& [e, name] : EnumNames<T>::v) {
        if (j.get_ref<const std::string&>() == name) {
          x = e;
          return;
        }
      }
    }
    std::string names;
    for (const auto& [e, name] : EnumNames<T>::v) names += fmt::format("{}{}", names.empty() ? "" : ", ", name);
    fail(path, fmt::format("expected one of {}, got {}", names, j.dump()));
  } else if constexpr (std::is_integral_v<T>) {
    const bool whole = j.is_number_integer() || j.is_number_unsigned();
    if (!whole) fail(path, fmt::format("expected a whole number, got {}", j.dump()));
    if constexpr (std::is_unsigned_v<T>) {
      if (j.is_number_integer() && j.get<std::int64_t>() < 0) fail(path, fmt::format("expected a number >= 0, got {}", j.dump()));
      x = j.get<T>();
    } else {
      if (j.is_number_unsigned() && j.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) {
        fail(path, fmt::format("number {} out of range", j.dump()));
      }
      const auto v = j.get<std::int64_t>();
      if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()) fail(path, fmt::format("number {} out of range", j.dump()));
      x = static_cast<T>(v);
    }
  } else if constexpr (std::is_floating_point_v<T>) {
    x = read_number(j, path);
  } else if constexpr (IsQuantity<T>::value) {
    x = T(read_number(j, path));
  } else if constexpr (IsVector<T>::value) {
    if (!j.is_array()) fail(path, fmt::format("expected an array, got {}", type_name(j)));
    x.clear();
    x.resize(j.size());
    for (std::size_t i = 0; i < j.size(); ++i) read(j[i], x[i], fmt::format("{}[{}]", path, i));
  } else if constexpr (IsOptional<T>::value) {
    if (j.is_null()) {
      x.reset();
    } else {
      x.emplace();
      read(j, *x, path);
    }
  } else {
    if (!j.is_object()) fail(path, fmt::format("expected an object, got {}", type_name(j)));
    Reader r{j, path};
    fields(r, x);
    if (r.seen != j.size()) {
      // Name the first field the list does not know.
      for (auto it = j.begin(); it != j.end(); ++it) {
        bool known = false;
        auto probe = [&](const char* k, auto&) { known = known || it.key() == k; };
        fields(probe, x);
        if (!known) fail(path.empty() ? it.key() : path + "." + it.key(), "unknown field");
      }
    }
  }
}

// ---- documents with a schema header ----

template <class T> json document(const T& x, const char* schema, int version) {
  json j = write(x);
  j["schema"] = schema;
  j["version"] = version;
  return j;
}

template <class T> T from_document(const json& j, const char* schema, int version) {
  if (!j.is_object()) fail("", fmt::format("expected a JSON object ({}), got {}", schema, type_name(j)));
  auto s = j.find("schema");
  if (s == j.end() || !s->is_string() || s->get<std::string>() != schema) {
    fail("schema", fmt::format("expected \"{}\", got {}", schema, s == j.end() ? "nothing" : s->dump()));
  }
  auto v = j.find("version");
  if (v == j.end() || !v->is_number_integer() || v->get<int>() != version) {
    fail("version", fmt::format("this hwplan reads version {} of {}, got {}", version, schema, v == j.end() ? "nothing" : v->dump()));
  }
  json body = j;
  body.erase("schema");
  body.erase("version");
  T x{};
  read(body, x, "");
  return x;
}

// ---- counting struct members by aggregate initialisation ----

struct AnyMember {
  template <class T> [[noreturn]] operator T() const { std::abort(); }  // only used in unevaluated context
};
template <class T, class... A> constexpr std::size_t member_count() {
  if constexpr (requires { T{A{}..., AnyMember{}}; }) {
    return member_count<T, A..., AnyMember>();
  } else {
    return sizeof...(A);
  }
}
template <class T> FieldCount count_of(const char* name) {
  std::size_t listed = 0;
  T x{};
  auto counter = [&](const char*, auto&) { ++listed; };
  fields(counter, x);
  return FieldCount{name, listed, member_count<T>()};
}

}  // namespace

json to_json(const SimInput& in) { return document(in, "hwplan-siminput", kSimInputSchema); }
SimInput sim_input_from_json(const json& j) { return from_document<SimInput>(j, "hwplan-siminput", kSimInputSchema); }
json to_json(const RunResult& r) { return document(r, "hwplan-runresult", kRunResultSchema); }
RunResult run_result_from_json(const json& j) { return from_document<RunResult>(j, "hwplan-runresult", kRunResultSchema); }
json to_json(const EngineOptions& o) { return write(o); }
EngineOptions engine_options_from_json(const json& j) {
  EngineOptions o;
  read(j, o, "engine");
  return o;
}
json to_json(const Estimate& e) { return write(e); }

std::string canonical_json(const SimInput& in) { return to_json(in).dump(); }

std::vector<FieldCount> contract_field_counts() {
  return {count_of<EngineOptions>("EngineOptions"), count_of<LinkSpec>("LinkSpec"),   count_of<Arrival>("Arrival"),
          count_of<Variability>("Variability"),     count_of<Slo>("Slo"),             count_of<TierSpec>("TierSpec"),
          count_of<StageExec>("StageExec"),         count_of<StreamExec>("StreamExec"), count_of<BatchJobExec>("BatchJobExec"),
          count_of<SiteExec>("SiteExec"),           count_of<LengthDistribution>("LengthDistribution"),
          count_of<LlmIterationCost>("LlmIterationCost"), count_of<LlmExec>("LlmExec"), count_of<LlmResult>("LlmResult"),           count_of<SimInput>("SimInput"),   count_of<Estimate>("Estimate"),
          count_of<StreamResult>("StreamResult"),   count_of<BatchJobResult>("BatchJobResult"),
          count_of<TierResult>("TierResult"),       count_of<LinkResult>("LinkResult"), count_of<Overload>("Overload"),
          count_of<RunResult>("RunResult")};
}

}  // namespace hw
