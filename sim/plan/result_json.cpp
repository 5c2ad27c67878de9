#include "sim/plan/result_json.hpp"

namespace hw {

nlohmann::json to_json(const Estimate& e) { return {{"value", e.value}, {"ci_low", e.ci_low}, {"ci_high", e.ci_high}}; }

namespace {
Estimate estimate_from(const nlohmann::json& j) {
  return Estimate{j.at("value").get<double>(), j.at("ci_low").get<double>(), j.at("ci_high").get<double>()};
}
nlohmann::json tier_json(const TierResult& t) {
  return {{"hardware", t.hardware}, {"units_total", t.units_total}, {"utilisation", t.utilisation},
          {"avg_power_w", t.avg_power_w}, {"energy_j_per_day", t.energy_j_per_day},
          {"mean_queue_length", t.mean_queue_length}, {"max_queue_length", t.max_queue_length}};
}
TierResult tier_from(const nlohmann::json& j) {
  TierResult t;
  t.hardware = j.at("hardware").get<std::string>();
  t.units_total = j.at("units_total").get<int>();
  t.utilisation = j.at("utilisation").get<double>();
  t.avg_power_w = j.at("avg_power_w").get<double>();
  t.energy_j_per_day = j.at("energy_j_per_day").get<double>();
  t.mean_queue_length = j.value("mean_queue_length", 0.0);
  t.max_queue_length = j.value("max_queue_length", 0.0);
  return t;
}
}  // namespace

nlohmann::json to_json(const RunResult& r) {
  nlohmann::json j;
  j["label"] = r.label;
  j["ok"] = r.ok;
  j["error"] = r.error;
  j["simulated_time_s"] = r.simulated_time_s;
  j["wall_time_s"] = r.wall_time_s;
  j["events"] = r.events;
  j["streams"] = nlohmann::json::array();
  for (const auto& s : r.streams) {
    j["streams"].push_back({{"id", s.id},
                            {"completed", s.completed},
                            {"unfinished", s.unfinished},
                            {"dropped", s.dropped},
                            {"throughput_per_s", s.throughput_per_s},
                            {"mean_s", to_json(s.mean_s)},
                            {"p50_s", to_json(s.p50_s)},
                            {"p90_s", to_json(s.p90_s)},
                            {"p95_s", to_json(s.p95_s)},
                            {"p99_s", to_json(s.p99_s)},
                            {"p999_s", to_json(s.p999_s)},
                            {"slo_percentile", s.slo_percentile},
                            {"slo_latency_s", s.slo_latency_s},
                            {"slo_violation_rate", s.slo_violation_rate},
                            {"slo_met", s.slo_met}});
  }
  j["jobs"] = nlohmann::json::array();
  for (const auto& x : r.jobs) {
    j["jobs"].push_back({{"id", x.id},
                         {"kind", x.kind},
                         {"devices", x.devices},
                         {"upload_s", x.upload_s},
                         {"compute_s", x.compute_s},
                         {"makespan_s", x.makespan_s},
                         {"deadline_s", x.deadline_s},
                         {"deadline_met", x.deadline_met},
                         {"energy_j", x.energy_j}});
  }
  j["edge"] = tier_json(r.edge);
  j["dc"] = tier_json(r.dc);
  j["backhaul_bytes_per_day"] = r.backhaul_bytes_per_day;
  j["backhaul_peak_utilisation"] = r.backhaul_peak_utilisation;
  j["links"] = nlohmann::json::array();
  for (const auto& l : r.links) {
    j["links"].push_back({{"name", l.name}, {"bytes_per_day", l.bytes_per_day}, {"peak_utilisation", l.peak_utilisation}});
  }
  j["scaling_note"] = r.scaling_note;
  j["stop_reason"] = r.stop_reason;
  return j;
}

RunResult run_result_from_json(const nlohmann::json& j) {
  RunResult r;
  r.label = j.at("label").get<std::string>();
  r.ok = j.at("ok").get<bool>();
  r.error = j.at("error").get<std::string>();
  r.simulated_time_s = j.at("simulated_time_s").get<double>();
  r.wall_time_s = j.at("wall_time_s").get<double>();
  r.events = j.at("events").get<std::uint64_t>();
  for (const auto& s : j.at("streams")) {
    StreamResult x;
    x.id = s.at("id").get<std::string>();
    x.completed = s.at("completed").get<std::uint64_t>();
    x.unfinished = s.at("unfinished").get<std::uint64_t>();
    x.dropped = s.at("dropped").get<std::uint64_t>();
    x.throughput_per_s = s.at("throughput_per_s").get<double>();
    x.mean_s = estimate_from(s.at("mean_s"));
    x.p50_s = estimate_from(s.at("p50_s"));
    x.p90_s = estimate_from(s.at("p90_s"));
    x.p95_s = estimate_from(s.at("p95_s"));
    x.p99_s = estimate_from(s.at("p99_s"));
    x.p999_s = estimate_from(s.at("p999_s"));
    x.slo_percentile = s.at("slo_percentile").get<double>();
    x.slo_latency_s = s.at("slo_latency_s").get<double>();
    x.slo_violation_rate = s.at("slo_violation_rate").get<double>();
    x.slo_met = s.at("slo_met").get<bool>();
    r.streams.push_back(x);
  }
  for (const auto& x : j.value("jobs", nlohmann::json::array())) {
    BatchJobResult b;
    b.id = x.at("id").get<std::string>();
    b.kind = x.at("kind").get<std::string>();
    b.devices = x.at("devices").get<int>();
    b.upload_s = x.at("upload_s").get<double>();
    b.compute_s = x.at("compute_s").get<double>();
    b.makespan_s = x.at("makespan_s").get<double>();
    b.deadline_s = x.at("deadline_s").get<double>();
    b.deadline_met = x.at("deadline_met").get<bool>();
    b.energy_j = x.at("energy_j").get<double>();
    r.jobs.push_back(b);
  }
  r.edge = tier_from(j.at("edge"));
  r.dc = tier_from(j.at("dc"));
  r.backhaul_bytes_per_day = j.at("backhaul_bytes_per_day").get<double>();
  r.backhaul_peak_utilisation = j.at("backhaul_peak_utilisation").get<double>();
  for (const auto& l : j.value("links", nlohmann::json::array())) {
    r.links.push_back(LinkResult{l.at("name").get<std::string>(), l.at("bytes_per_day").get<double>(),
                                 l.at("peak_utilisation").get<double>()});
  }
  r.scaling_note = j.at("scaling_note").get<std::string>();
  r.stop_reason = j.at("stop_reason").get<std::string>();
  return r;
}

nlohmann::json to_json(const CostBreakdown& c) {
  return {{"currency", c.currency},
          {"capex", c.capex},
          {"capex_per_year", c.capex_per_year},
          {"energy_per_year", c.energy_per_year},
          {"bandwidth_per_year", c.bandwidth_per_year},
          {"maintenance_per_year", c.maintenance_per_year},
          {"retraining_per_year", c.retraining_per_year},
          {"opex_per_year", c.opex_per_year},
          {"tco", c.tco},
          {"cost_per_million", c.cost_per_million}};
}

}  // namespace hw
