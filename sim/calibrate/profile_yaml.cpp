// Writing profiles: a calibrated profile (through sim/io's profile writer, the only one),
// and a catalogue profile with a calibration's efficiency factors applied.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "sim/calibrate/calibrate.hpp"
#include "sim/core/units.hpp"
#include "sim/io/detail/yaml_reader.hpp"
#include "sim/io/yaml_writer.hpp"

namespace hw::calib {
namespace {

// Measured figures keep four significant digits: more would claim a precision the timings
// do not have. The writer then prints the rounded value exactly ("212.3 GFLOP/s"), once it
// is rounded in the unit it is written in (sig4_as_written).
double decimal(const std::string& text) {
  double v = 0.0;
  std::from_chars(text.data(), text.data() + text.size(), v);  // no locale, unlike stod
  return v;
}
double sig4(double v) {
  if (v == 0.0 || !std::isfinite(v)) return 0.0;
  return decimal(fmt::format("{:.3e}", v));
}
// Efficiency factors: four decimals, inside the loader's range 0.001-1.
double fraction(double v) { return decimal(fmt::format("{:.4f}", std::clamp(v, 0.001, 1.0))); }
double half_batch(double h) { return h < 0.01 ? 0.0 : sig4(h); }

// A quantity rounded to four digits in the unit the writer prints it in. Rounding in SI units
// is not enough: 1.573e-6 s is not the double that "1.573 us" reads as (1.573 x 1e-6), so the
// writer, which prints what reads back exactly, wrote "1.5730000000000002 us". The value
// returned is what the four-digit text in that unit reads as, which the writer prints as it.
double sig4_as_written(double si, UnitKind kind) {
  double v = sig4(si);
  // The writer may pick another unit for the new value ("6188 ns" rounded, then written
  // "6.188000000000001 us"): round again in that one, a few times at most.
  for (int round = 0; round < 4 && v != 0.0; ++round) {
    const std::string text = quantity_text(v, kind);  // "1.5730000000000002 us"
    const auto space = text.find(' ');
    const std::string number = text.substr(0, space);
    const double four_digits = sig4(decimal(number));
    if (number_text(four_digits) == number) return v;  // already reads as its four digits
    const std::string unit = space == std::string::npos ? std::string() : text.substr(space);
    try {
      v = parse_quantity(number_text(four_digits) + unit, kind).si;  // "1.573 us"
    } catch (const UnitError&) {
      return v;
    }
  }
  return v;
}
double duration(double s) { return s < 1e-9 ? 0.0 : sig4_as_written(s, UnitKind::time); }

HardwareProfile rounded(const HardwareProfile& p) {
  HardwareProfile r = p;
  for (auto& [prec, peak] : r.peak) peak = FlopsPerSecond(sig4_as_written(peak.si(), UnitKind::flop_rate));
  r.memory_capacity = Bytes(sig4_as_written(p.memory_capacity.si(), UnitKind::data));
  r.memory_bandwidth = BytesPerSecond(sig4_as_written(p.memory_bandwidth.si(), UnitKind::byterate));
  r.efficiency_compute = fraction(p.efficiency_compute);
  r.efficiency_memory = fraction(p.efficiency_memory);
  r.half_efficiency_batch = half_batch(p.half_efficiency_batch);
  r.overhead = Seconds(duration(p.overhead.si()));
  r.launch = Seconds(duration(p.launch.si()));  // was written unrounded (1.2006481852149056 us)
  r.power_idle = Watts(sig4_as_written(p.power_idle.si(), UnitKind::power));
  r.power_max = Watts(sig4_as_written(p.power_max.si(), UnitKind::power));
  for (auto& m : r.power_modes) m = Watts(sig4_as_written(m.si(), UnitKind::power));
  r.price.amount = sig4(p.price.amount);
  return r;
}

}  // namespace

std::string profile_yaml(const HardwareProfile& p) { return hw::profile_yaml(rounded(p)); }

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

  // What calibrate measures: the efficiency factors, and t0, the fixed cost per BLAS call.
  // `overhead` is the profile's per-batch host work (pre/post-processing, 2 ms on
  // raspberry-pi-5): calibrate does not measure it, so it keeps the catalogue's figure and
  // source (it used to be replaced by t0, one BLAS call, ~1 us). t0 is the per-kernel cost of
  // this machine's software stack: it becomes efficiency.launch, as in the calibrated profile
  // itself, when the catalogue profile is of the same class (the same kind of device); a
  // profile of another class (a GPU's launch for a CPU's BLAS call) keeps its launch.
  const std::string was_launch = old_text("efficiency", "launch");
  std::string target_class;
  if (root["class"] && root["class"].IsScalar()) target_class = root["class"].Scalar();
  const bool unresolved = calibrated.calibration.contains("overhead_fit") &&
                          calibrated.calibration.at("overhead_fit") == "unresolved";
  const bool same_class = target_class == to_string(calibrated.klass);
  const bool set_launch = same_class && !unresolved && calibrated.launch.si() > 0;
  YAML::Node eff = root["efficiency"];
  if (!eff || !eff.IsMap()) eff = YAML::Node(YAML::NodeType::Map);
  eff["compute"] = number_text(fraction(calibrated.efficiency_compute));
  eff["memory"] = number_text(fraction(calibrated.efficiency_memory));
  eff["half_batch"] = number_text(half_batch(calibrated.half_efficiency_batch));
  if (set_launch) eff["launch"] = quantity_text(duration(calibrated.launch.si()), UnitKind::time);
  root["efficiency"] = eff;

  YAML::Node sources = root["sources"];
  if (!sources || !sources.IsMap()) sources = YAML::Node(YAML::NodeType::Map);
  auto old_source = [&](const char* key) {
    return sources[key] && sources[key].IsScalar()
               ? fmt::format(" (source then: {})", sources[key].Scalar())
               : std::string();
  };
  const std::string launch_note =
      set_launch ? fmt::format("; launch = fitted cost per BLAS call, was {}", was_launch)
      : unresolved ? std::string("; launch kept: the calibration did not resolve the per-call cost")
                   : fmt::format("; launch kept: the profile is class {}, the calibrated machine {}",
                                 target_class.empty() ? "unset" : target_class, to_string(calibrated.klass));
  const std::string eff_source = fmt::format(
      "hwplan calibrate of {} ({}), profile '{}': factors relative to that machine's best measured "
      "SGEMM rate and STREAM triad bandwidth, applied to this profile's peak figures; was {}{}{}",
      machine, date, calibrated.id, was, launch_note, old_source("efficiency"));
  sources["efficiency"] = eff_source;
  root["sources"] = sources;

  YAML::Node cal = root["calibration"];
  if (!cal || !cal.IsMap()) cal = YAML::Node(YAML::NodeType::Map);
  cal["applied_from"] = calibrated.id;
  cal["original_profile"] = old_id;
  cal["applied_fields"] = fmt::format(
      "efficiency.compute, efficiency.memory, efficiency.half_batch{} (overhead, the per-batch host work, is not "
      "measured by calibrate: kept{})",
      set_launch ? ", efficiency.launch" : "", was_overhead == "unset" ? ", unset" : " at " + was_overhead);
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
