// Writing profiles: a calibrated profile from scratch, and a catalogue profile with a
// calibration's efficiency factors applied.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>

#include "sim/calibrate/calibrate.hpp"
#include "sim/io/detail/yaml_reader.hpp"

namespace hw::calib {
namespace {

// Four significant digits, never in exponent form (the unit parser wants plain numbers).
std::string num(double v) {
  if (v == 0.0 || !std::isfinite(v)) return "0";
  const int digits = static_cast<int>(std::floor(std::log10(std::abs(v))));
  const int decimals = std::clamp(3 - digits, 0, 12);
  std::string s = fmt::format("{:.{}f}", v, decimals);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

std::string flop_rate(double v) {
  return v >= 1e12 ? num(v / 1e12) + " TFLOP/s" : num(v / 1e9) + " GFLOP/s";
}
std::string byte_rate(double v) {
  return v >= 1e12 ? num(v / 1e12) + " TB/s" : num(v / 1e9) + " GB/s";
}
std::string data(double v) {
  return v >= 1e12 ? num(v / 1e12) + " TB" : num(v / 1e9) + " GB";
}
std::string power(double v) {
  return num(v) + " W";
}
std::string duration(double s) {
  if (s < 1e-9) return "0 s";
  if (s >= 1e-3) return num(s * 1e3) + " ms";
  if (s >= 1e-6) return num(s * 1e6) + " us";
  return num(s * 1e9) + " ns";
}
std::string fraction(double v) {
  return fmt::format("{:.4f}", std::clamp(v, 0.001, 1.0));
}
std::string half_batch(double h) {
  return h < 0.01 ? "0" : num(h);
}

void emit_map(YAML::Emitter& out, const std::string& key,
              const std::map<std::string, std::string>& m) {
  if (m.empty()) return;
  out << YAML::Key << key << YAML::Value << YAML::BeginMap;
  for (const auto& [k, v] : m) out << YAML::Key << k << YAML::Value << YAML::DoubleQuoted << v;
  out << YAML::EndMap;
}

}  // namespace

std::string profile_yaml(const HardwareProfile& p) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "id" << YAML::Value << p.id;
  out << YAML::Key << "name" << YAML::Value << p.name;
  out << YAML::Key << "class" << YAML::Value << to_string(p.klass);
  if (!p.form_factor.empty()) out << YAML::Key << "form_factor" << YAML::Value << p.form_factor;
  out << YAML::Key << "accelerators" << YAML::Value << p.accelerators;
  out << YAML::Key << "compute" << YAML::Value << YAML::BeginMap;
  for (const auto& [prec, v] : p.peak)
    out << YAML::Key << to_string(prec) << YAML::Value << flop_rate(v.si());
  out << YAML::EndMap;
  out << YAML::Key << "memory" << YAML::Value << YAML::BeginMap;
  if (p.memory_capacity.si() > 0)
    out << YAML::Key << "capacity" << YAML::Value << data(p.memory_capacity.si());
  out << YAML::Key << "bandwidth" << YAML::Value << byte_rate(p.memory_bandwidth.si());
  out << YAML::EndMap;
  out << YAML::Key << "efficiency" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "compute" << YAML::Value << fraction(p.efficiency_compute);
  out << YAML::Key << "memory" << YAML::Value << fraction(p.efficiency_memory);
  out << YAML::Key << "half_batch" << YAML::Value << half_batch(p.half_efficiency_batch);
  out << YAML::EndMap;
  out << YAML::Key << "overhead" << YAML::Value << duration(p.overhead.si());
  out << YAML::Key << "power" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "idle" << YAML::Value << power(p.power_idle.si());
  out << YAML::Key << "max" << YAML::Value << power(p.power_max.si());
  if (!p.power_modes.empty()) {
    out << YAML::Key << "modes" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const auto& m : p.power_modes) out << power(m.si());
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
  if (p.price.amount > 0) {
    out << YAML::Key << "price" << YAML::Value
        << fmt::format("{} {}", num(p.price.amount), p.price.currency);
    if (p.price_year) out << YAML::Key << "price_year" << YAML::Value << p.price_year;
  }
  if (!p.interfaces.empty()) {
    out << YAML::Key << "interfaces" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const auto& i : p.interfaces) out << i;
    out << YAML::EndSeq;
  }
  if (!p.environment.empty()) out << YAML::Key << "environment" << YAML::Value << p.environment;
  emit_map(out, "sources", p.sources);
  emit_map(out, "calibration", p.calibration);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

std::string apply_calibration_yaml(const std::string& catalogue_file,
                                   const HardwareProfile& calibrated, const std::string& new_id) {
  YAML::Node root = detail::load_yaml_file(catalogue_file);
  if (!root.IsMap()) {
    throw InputError(Location{catalogue_file, 1, 1}, "", "",
                     "a hardware profile must be a YAML mapping");
  }
  auto old_text = [&](const char* group, const char* key) -> std::string {
    YAML::Node g = root[group];
    if (key == nullptr) return g && g.IsScalar() ? g.Scalar() : "unset";
    return g && g.IsMap() && g[key] && g[key].IsScalar() ? g[key].Scalar() : "unset";
  };
  auto info = [&](const char* key, const std::string& fallback) {
    auto it = calibrated.calibration.find(key);
    return it == calibrated.calibration.end() ? fallback : it->second;
  };
  const std::string machine =
      fmt::format("{} on host {}", info("cpu_model", "unknown CPU"), info("host", calibrated.id));
  const std::string date = info("date", "unknown date");
  const std::string was =
      fmt::format("compute {}, memory {}, half_batch {}", old_text("efficiency", "compute"),
                  old_text("efficiency", "memory"), old_text("efficiency", "half_batch"));
  const std::string was_overhead = old_text("overhead", nullptr);

  const std::string old_id = root["id"] && root["id"].IsScalar() ? root["id"].Scalar() : "?";
  root["id"] = new_id;
  if (root["name"] && root["name"].IsScalar())
    root["name"] = root["name"].Scalar() + " (calibrated efficiency)";

  YAML::Node eff(YAML::NodeType::Map);
  eff["compute"] = fraction(calibrated.efficiency_compute);
  eff["memory"] = fraction(calibrated.efficiency_memory);
  eff["half_batch"] = half_batch(calibrated.half_efficiency_batch);
  root["efficiency"] = eff;
  root["overhead"] = duration(calibrated.overhead.si());

  YAML::Node sources = root["sources"];
  if (!sources || !sources.IsMap()) sources = YAML::Node(YAML::NodeType::Map);
  auto old_source = [&](const char* key) {
    return sources[key] && sources[key].IsScalar()
               ? fmt::format(" (source then: {})", sources[key].Scalar())
               : std::string();
  };
  const std::string eff_source = fmt::format(
      "hwplan calibrate of {} ({}), profile '{}': factors relative to that machine's best measured "
      "SGEMM rate and STREAM triad bandwidth, applied to this profile's peak figures; was {}{}",
      machine, date, calibrated.id, was, old_source("efficiency"));
  const std::string overhead_source =
      fmt::format("hwplan calibrate of {} ({}): fitted per-call overhead; was {}{}", machine, date,
                  was_overhead, old_source("overhead"));
  sources["efficiency"] = eff_source;
  sources["overhead"] = overhead_source;
  root["sources"] = sources;

  YAML::Node cal = root["calibration"];
  if (!cal || !cal.IsMap()) cal = YAML::Node(YAML::NodeType::Map);
  cal["applied_from"] = calibrated.id;
  cal["original_profile"] = old_id;
  cal["applied_fields"] = "efficiency.compute, efficiency.memory, efficiency.half_batch, overhead";
  for (const char* key : {"date", "host", "cpu_model", "blas", "mode"}) {
    if (calibrated.calibration.contains(key))
      cal[std::string(key)] = calibrated.calibration.at(key);
  }
  root["calibration"] = cal;

  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

}  // namespace hw::calib
