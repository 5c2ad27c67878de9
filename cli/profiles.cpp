// hwplan profiles list|show: browse the hardware catalogue.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>
#include <set>
#include <yaml-cpp/yaml.h>

#include "cli/common.hpp"
#include "sim/io/plan_report.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/text.hpp"
#include "sim/io/report.hpp"
#include "sim/io/user_catalogue.hpp"

namespace hw::cli {
namespace {

// `marked`: the text table's cell, where a bf16 peak (priced as fp16 work) says the file gave
// it as bf16 ("14.7 (bf16)"); a CSV cell holds the number alone (half_precision says which).
std::string tflops(const HardwareProfile& p, Precision pr, bool marked = false) {
  auto it = p.peak.find(pr);
  if (it == p.peak.end()) return "";
  const std::string mark = marked && pr == Precision::fp16 && p.sixteen_bit != "fp16" ? " (" + p.sixteen_bit + ")" : "";
  return hw::sig(it->second.si() / 1e12, 4) + mark;
}

// The precision the file gave the 16-bit peak in ("fp16" or "bf16"; hwplan prices both as
// fp16 work), "" without a 16-bit peak.
std::string half_precision(const HardwareProfile& p) { return p.peak.contains(Precision::fp16) ? p.sixteen_bit : std::string(); }

// The JSON's numbers as the profile's file writes them: a figure times its unit's factor
// carries round-off ('10 us' is 9.999999999999999e-06 s, '0.1 ms' 0.00010000000000000002 s),
// which the JSON's shortest round-trip printing shows. 15 significant digits, all a double
// holds for sure, give back the written decimal (1e-05); no file figure needs more.
void tidy_numbers(nlohmann::json& j) {
  if (j.is_number_float()) {
    const double v = j.get<double>();
    if (std::isfinite(v)) j = std::strtod(fmt::format("{:.15g}", v).c_str(), nullptr);
  } else if (j.is_structured()) {
    for (auto& e : j) tidy_numbers(e);
  }
}

nlohmann::json profile_json(const HardwareProfile& p, const std::string& origin) {
  nlohmann::json j;
  j["id"] = p.id;
  j["name"] = p.name;
  j["class"] = to_string(p.klass);
  j["form_factor"] = p.form_factor;
  j["accelerators"] = p.accelerators;
  for (const auto& [pr, v] : p.peak) j["peak_flops_per_s"][to_string(pr)] = v.si();
  // peak_flops_per_s.fp16 is the 16-bit peak hwplan uses: the file may give it as bf16.
  const std::string half = half_precision(p);
  j["half_precision"] = half.empty() ? nlohmann::json(nullptr) : nlohmann::json(half);
  // No capacity given (coral-usb, hailo-8: weights stream from the host or stay on chip) is no
  // limit, as in the table: null, not 0 bytes.
  j["memory_bytes"] = p.memory_capacity.si() > 0 ? nlohmann::json(p.memory_capacity.si()) : nlohmann::json(nullptr);
  j["memory_bandwidth_bytes_per_s"] = p.memory_bandwidth.si();
  // memory.on_chip and its bandwidth (null when the device is fed from its own memory)
  j["on_chip_bytes"] = p.on_chip_memory.si() > 0 ? nlohmann::json(p.on_chip_memory.si()) : nlohmann::json(nullptr);
  j["on_chip_bandwidth_bytes_per_s"] = p.on_chip_bandwidth.si() > 0 ? nlohmann::json(p.on_chip_bandwidth.si()) : nlohmann::json(nullptr);
  j["efficiency"] = {{"compute", p.efficiency_compute}, {"memory", p.efficiency_memory}, {"half_batch", p.half_efficiency_batch},
                     {"launch_s", p.launch.si()}};
  j["overhead_s"] = p.overhead.si();
  j["power_idle_w"] = p.power_idle.si();
  j["power_max_w"] = p.power_max.si();
  // Every group the table prints (other_groups) is here too, in SI units; a group the
  // profile does not give is left out, as in the table (power modes: always, maybe empty).
  j["power_modes_w"] = nlohmann::json::array();
  for (const auto& m : p.power_modes) j["power_modes_w"].push_back(m.si());
  // No price given (a calibrated profile without --price): null, not an amount of 0.
  j["price"] = p.priced ? nlohmann::json{{"amount", p.price.amount}, {"currency", p.price.currency}, {"year", p.price_year}}
                        : nlohmann::json(nullptr);
  if (p.gpu_hour_on_demand.per_si > 0 || p.gpu_hour_reserved.per_si > 0) {
    auto& g = j["gpu_hour"];  // per accelerator, renting the same device class in a cloud
    if (p.gpu_hour_on_demand.per_si > 0) g["on_demand_per_hour"] = {{"amount", p.gpu_hour_on_demand.per_si * 3600}, {"currency", p.gpu_hour_on_demand.currency}};
    if (p.gpu_hour_reserved.per_si > 0) g["reserved_per_hour"] = {{"amount", p.gpu_hour_reserved.per_si * 3600}, {"currency", p.gpu_hour_reserved.currency}};
  }
  if (!p.server_gpus.empty()) {
    j["server"] = {{"gpus", p.server_gpus},
                   {"host_price", {{"amount", p.host_price.amount}, {"currency", p.host_price.currency}}},
                   {"host_power_w", p.host_power.si()}};
  }
  if (p.interconnect_bandwidth.si() > 0) {
    j["interconnect"] = {{"kind", p.interconnect},
                         {"bandwidth_bytes_per_s", p.interconnect_bandwidth.si()},
                         {"latency_s", p.interconnect_latency.si()},
                         {"scale_out_bytes_per_s", p.scale_out_bandwidth.si()}};
  }
  if (!p.decode_1080p30.empty()) j["decode_1080p30_streams"] = p.decode_1080p30;  // per codec, per accelerator
  if (p.render_speed.si() > 0) j["render"] = {{"samples_per_s", p.render_speed.si()}, {"benchmark", p.render_benchmark}};
  if (!p.operating.empty()) {
    auto& o = j["operating"];
    o["temperature_c"] = {{"min", p.operating.min_c ? nlohmann::json(*p.operating.min_c) : nlohmann::json(nullptr)},
                          {"max", p.operating.max_c ? nlohmann::json(*p.operating.max_c) : nlohmann::json(nullptr)}};
    o["ingress"] = p.operating.ingress ? nlohmann::json(to_string(*p.operating.ingress)) : nlohmann::json(nullptr);
    o["ports"] = p.operating.ports;
  }
  if (p.mtbf.si() > 0) j["reliability"] = {{"mtbf_s", p.mtbf.si()}, {"repair_s", p.repair_time.si()}};
  j["datacenter_use"] = p.datacenter_use;
  j["interfaces"] = p.interfaces;
  j["environment"] = p.environment;
  j["sources"] = p.sources;
  if (!p.calibration.empty()) j["calibration"] = p.calibration;
  j["file"] = p.file;
  j["origin"] = origin;
  tidy_numbers(j);
  return j;
}

// A memory capacity of 0 is none given: no limit (the loader's meaning), not 0 B.
std::string memory_gb(const HardwareProfile& p, bool text) {
  if (p.memory_capacity.si() <= 0) return text ? "no limit" : "";
  return hw::sig(p.memory_capacity.si() / 1e9, 4);
}

// The groups of the profile's file that have a source but no line of their own above
// (gpu_hour, interconnect, server, decode, render, ...), as one-line YAML from the file.
std::vector<std::pair<std::string, std::string>> other_groups(const HardwareProfile& p) {
  static const std::set<std::string> shown{"compute", "memory", "efficiency", "overhead", "power", "price", "class"};
  std::vector<std::pair<std::string, std::string>> out;
  YAML::Node root;
  try {
    root = YAML::LoadFile(p.file);
  } catch (const YAML::Exception&) {
    return out;  // loaded a moment ago; a file changed since is left out
  }
  for (const auto& [k, _] : p.sources) {
    if (shown.contains(k) || !root[k]) continue;
    YAML::Emitter e;
    e.SetMapFormat(YAML::Flow);
    e.SetSeqFormat(YAML::Flow);
    e << root[k];
    out.emplace_back(k, e.c_str());
  }
  return out;
}

Table list_table(const Catalogue& cat, const std::vector<const HardwareProfile*>& ps, bool text = false) {
  Table t;
  t.header = {"id",         "class",     "accelerators", "fp32_tflops", "fp16_tflops", "int8_tops", "fp8_tflops",
              "fp4_tflops", "memory_gb", "mem_bw_gbs",   "idle_w",      "max_w",       "price",     "currency", "origin"};
  // The precision of fp16_tflops, beside it (the table marks the fp16 cell instead).
  if (!text) t.header.insert(t.header.begin() + 5, "half_precision");
  for (const auto* p : ps) {
    t.rows.push_back({p->id, to_string(p->klass), std::to_string(p->accelerators),
                      tflops(*p, Precision::fp32), tflops(*p, Precision::fp16, text), tflops(*p, Precision::int8),
                      tflops(*p, Precision::fp8), tflops(*p, Precision::fp4), memory_gb(*p, text), hw::sig(p->memory_bandwidth.si() / 1e9, 4),
                      fmt::format("{:.6g}", p->power_idle.si()), fmt::format("{:.6g}", p->power_max.si()),
                      // No price given: "none" in the text table, empty cells in CSV (not 0.00 USD).
                      p->priced ? fmt::format("{:.2f}", p->price.amount) : std::string(text ? "none" : ""),
                      p->priced ? p->price.currency : std::string(), profile_origin(cat, *p)});
    if (!text) t.rows.back().insert(t.rows.back().begin() + 5, half_precision(*p));
  }
  return t;
}

}  // namespace

struct ProfilesOptions {
  std::string klass;
  std::string format = "table";
  std::string id;
  CatalogueOptions catalogue;
};

int run_profiles_list(const ProfilesOptions& o) {
  Catalogue cat = load_default_catalogue(o.catalogue);
  std::vector<const HardwareProfile*> ps;
  for (const auto& [id, p] : cat.profiles) {
    if (o.klass.empty() || to_string(p.klass) == o.klass) ps.push_back(&p);
  }
  if (o.format == "json") {
    nlohmann::json j = nlohmann::json::array();
    for (const auto* p : ps) j.push_back(profile_json(*p, profile_origin(cat, *p)));
    fmt::print("{}\n", j.dump(2));
  } else if (o.format == "csv") {
    fmt::print("{}", to_csv(list_table(cat, ps)));
  } else {
    fmt::print("{}", to_text(list_table(cat, ps, true)));
    const auto users = static_cast<std::size_t>(
        std::count_if(ps.begin(), ps.end(), [&](const HardwareProfile* p) { return profile_origin(cat, *p) == "user"; }));
    fmt::print("{} profiles: {} bundled in {}, {} user in {}\n", ps.size(), ps.size() - users, cat.profiles_dir, users,
               cat.user_profiles_dir.empty() ? "(no user catalogue)" : cat.user_profiles_dir);
  }
  return kOk;
}

int run_profiles_show(const ProfilesOptions& o) {
  Catalogue cat = load_default_catalogue(o.catalogue);
  auto it = cat.profiles.find(o.id);
  if (it == cat.profiles.end()) {
    std::vector<std::string> ids;
    for (const auto& [id, _] : cat.profiles) ids.push_back(id);
    auto near = did_you_mean(o.id, ids);
    if (auto why = cat.left_out_message(o.id); !why.empty()) throw UsageError(why);
    throw UsageError(fmt::format("no hardware profile '{}'{}; 'hwplan profiles list' shows them all", printable(o.id),
                                 near ? fmt::format(" (did you mean '{}'?)", *near) : ""));
  }
  const auto& p = it->second;
  if (o.format == "json") {
    fmt::print("{}\n", profile_json(p, profile_origin(cat, p)).dump(2));
    return kOk;
  }
  fmt::print("{} ({})\n  class        {}\n  form factor  {}\n  accelerators {}\n", shown_name(p.name), shown_name(p.id), to_string(p.klass),
             shown_name(p.form_factor), p.accelerators);
  for (const auto& [pr, v] : p.peak) {
    // What the file declares: 'bf16: 14.7 TFLOP/s' is shown as bf16, and said to serve fp16 work.
    const bool other_name = pr == Precision::fp16 && p.sixteen_bit != "fp16";
    fmt::print("  peak {:<7} {} {} per accelerator{}\n", other_name ? p.sixteen_bit : to_string(pr), hw::sig(v.si() / 1e12, 4),
               pr == Precision::int8 ? "TOP/s" : "TFLOP/s", other_name ? " (used for fp16 work)" : "");
  }
  fmt::print("  memory       {} at {} GB/s per accelerator\n",
             p.memory_capacity.si() > 0 ? format_data(p.memory_capacity) : std::string("no limit given"),
             hw::sig(p.memory_bandwidth.si() / 1e9, 4));
  if (p.on_chip_memory.si() > 0) {
    fmt::print("  on-chip      {} for weights and activations (memory.on_chip){}; the bandwidth above is the host link\n",
               format_data(p.on_chip_memory),
               p.on_chip_bandwidth.si() > 0 ? fmt::format(", moved at {} GB/s", hw::sig(p.on_chip_bandwidth.si() / 1e9, 4)) : std::string());
  }
  fmt::print("  efficiency   compute {:.3g}, memory {:.2f}, half-efficiency batch {}, launch {} per kernel\n", p.efficiency_compute,
             p.efficiency_memory, hw::sig3(p.half_efficiency_batch), format_time(p.launch));
  fmt::print("  overhead     {}\n", format_time(p.overhead));
  fmt::print("  power        idle {}, max {}", format_power(p.power_idle), format_power(p.power_max));
  std::string modes;
  for (const auto& m : p.power_modes) modes += (modes.empty() ? "" : ", ") + format_power(m);
  fmt::print("{}\n", modes.empty() ? "" : ", modes " + modes);
  if (!p.priced) {
    fmt::print("  price        none given (recommend rejects the candidates that use it: their cost is unknown)\n");
  } else if (p.price_year > 0) {
    fmt::print("  price        {:.2f} {} ({})\n", p.price.amount, p.price.currency, p.price_year);
  } else {
    fmt::print("  price        {:.2f} {}\n", p.price.amount, p.price.currency);
  }
  for (const auto& [k, v] : other_groups(p)) fmt::print("  {:<12} {}\n", k, v);
  if (!p.interfaces.empty()) {
    std::string s;
    for (const auto& i : p.interfaces) s += (s.empty() ? "" : ", ") + i;
    fmt::print("  interfaces   {}\n", s);
  }
  if (!p.environment.empty()) fmt::print("  environment  {}\n", p.environment);
  fmt::print("  sources:\n");
  for (const auto& [k, v] : p.sources) fmt::print("    {:<11} {}\n", k, v);
  for (const auto& [k, v] : p.calibration) fmt::print("    calibration.{:<11} {}\n", k, v);
  fmt::print("  file         {} ({})\n", p.file, profile_origin(cat, p));
  return kOk;
}

void setup_profiles(CLI::App& app, Dispatch& d) {
  auto o = std::make_shared<ProfilesOptions>();
  auto* sub = app.add_subcommand("profiles", "Browse the hardware catalogue");
  sub->require_subcommand(1);
  auto* list = sub->add_subcommand("list", "List hardware profiles");
  list->add_option("--class", o->klass, "Only this class")
      ->check(CLI::IsMember({"edge", "accelerator", "gpu_server", "cpu_server"}));
  add_format_option(*list, o->format);
  add_catalogue_option(*list, o->catalogue);
  list->footer(
      "Lists the bundled catalogue and the user catalogue: $HWPLAN_USER_PROFILES, else $XDG_DATA_HOME/hwplan/hardware_profiles\n"
      "(~/.local/share/hwplan/hardware_profiles), where hwplan-gui and 'hwplan calibrate --add' put profiles; the origin\n"
      "column says which (bundled, user). Every command reads both unless --no-user-profiles.\n"
      "Example:\n  hwplan profiles list --class gpu_server --format csv");
  list->callback([o, &d] { d.action = [o] { return run_profiles_list(*o); }; });
  auto* show = sub->add_subcommand("show", "Show one profile with its sources");
  show->add_option("id", o->id, "Profile id")->required();
  show->add_option("--format", o->format, "Output format")->check(CLI::IsMember({"table", "json"}));
  add_catalogue_option(*show, o->catalogue);
  show->footer("Example:\n  hwplan profiles show nvidia-l4");
  show->callback([o, &d] { d.action = [o] { return run_profiles_show(*o); }; });
}

}  // namespace hw::cli
