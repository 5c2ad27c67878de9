#include "sim/io/loaders.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include "sim/core/text.hpp"
#include "sim/core/threads.hpp"
#include "sim/io/detail/yaml_reader.hpp"
#include "sim/network/links.hpp"

namespace fs = std::filesystem;

namespace hw {
namespace {

using detail::fail;
using detail::MapReader;

const std::vector<std::string> kPrecisions{"fp32", "fp16", "bf16", "int8", "fp8", "fp4"};

// Floors for the figures the planner divides by, so that no time or load it computes from
// the inputs is infinite (the largest values are bounded by the unit parser's magnitudes).
constexpr double kLeastPeak = 1.0;       // FLOP/s
constexpr double kLeastByterate = 1.0;   // B/s
constexpr double kLeastBitrate = 1.0;    // bit/s
constexpr double kLeastRate = 1e-6;      // per second
constexpr double kLeastOnTime = 1e-6;    // s

void check_id(const MapReader& r, const YAML::Node& n, const std::string& key, const std::string& id) {
  bool ok = !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
  if (!ok) fail(r.file(), n, key, "expected an id of lower-case letters, digits, '-', '_' or '.'");
}

// Every number carries a source: a 'sources' entry that is empty or blank ("" or " ") says
// nothing about where a figure comes from.
void check_sources_not_blank(const std::string& path, const YAML::Node& root) {
  if (!root.IsMap()) return;
  const YAML::Node sources = root["sources"];
  if (!sources.IsDefined() || !sources.IsMap()) return;  // absent: the loader names each figure without one
  for (const auto& kv : sources) {
    if (!kv.second.IsScalar()) continue;  // string_map_or has refused it
    const std::string& text = kv.second.Scalar();
    if (text.find_first_not_of(" \t\r\n") != std::string::npos) continue;
    fail(path, kv.second, "sources." + kv.first.Scalar(),
         "the source is empty; write where the figure comes from (say 'estimate' if it is one)");
  }
}

// A profile's source names a key of that profile (a group of figures such as 'compute' or
// 'gpu_hour', or another key the file gives, such as 'class'), or 'validation' (how the
// figures compare with published measurements; it names no group). A source for a group the
// file does not give, or for no key at all ('bogus', 'rental'), was accepted silently.
const std::vector<std::string> kProfileNonGroupSources{"validation"};
void check_profile_source_keys(const std::string& path, const YAML::Node& root) {
  const YAML::Node sources = root["sources"];
  if (!sources.IsDefined() || !sources.IsMap()) return;
  for (const auto& kv : sources) {
    const std::string name = kv.first.Scalar();
    if (std::find(kProfileNonGroupSources.begin(), kProfileNonGroupSources.end(), name) != kProfileNonGroupSources.end()) continue;
    if (name != "sources" && root[name].IsDefined()) continue;
    fail(path, kv.first, "sources." + name,
         fmt::format("'{}' names no key of this profile: a source belongs to a group the file gives (compute, memory, "
                     "power, price, efficiency, overhead, gpu_hour, ...) or is 'validation'; move the text to that "
                     "group's source, or remove it",
                     printable(name)));
  }
}

std::string unknown_id_message(const std::string& what, const std::string& id,
                               const std::vector<std::string>& known) {
  std::string hint;
  if (auto near = did_you_mean(id, known)) hint = fmt::format("; did you mean '{}'?", *near);
  // The first 24, then how many more and where to see them all (the rest were left out silently).
  constexpr std::size_t kListed = 24;
  std::string list;
  for (std::size_t i = 0; i < known.size() && i < kListed; ++i) list += (i ? ", " : "") + known[i];
  if (known.size() > kListed) {
    const std::string where = what == "hardware profile" ? " (hwplan profiles list)" : what == "model" ? " (hwplan models list)" : "";
    list += fmt::format(" and {} more{}", known.size() - kListed, where);
  }
  return fmt::format("unknown {} '{}'{} (known: {})", what, printable(id), hint, list);
}

// A model the catalogue lacks: the unknown-id message, then the folder that was searched and
// how to add one there ("unknown model 'whisper-large-v3' (known: ...)" said neither).
std::string unknown_model_message(const std::string& id, const std::vector<std::string>& model_ids, const Catalogue& cat) {
  const std::string where = cat.models_dir.empty() ? std::string("the catalogue's models folder") : cat.models_dir;
  return fmt::format("{}. Models are read from {}: add a model file there (docs/input-format.md, Workload model), or read "
                     "another catalogue with --catalogue DIR (or HWPLAN_DATA), a folder holding hardware_profiles/ and "
                     "scenarios/models/",
                     unknown_id_message("model", id, model_ids), where);
}

// An input past one of the InputLimits: exit 2, naming the limit and how to raise it.
[[noreturn]] void over_limit(const std::string& file, const YAML::Node& n, const std::string& key, const std::string& what,
                             const std::string& limit, const std::string& option) {
  fail(file, n, key, fmt::format("{} is above the limit of {}; raise it with --limit {}=N if this is meant", what, limit, option));
}

// A list may hold at most `limit` entries (checked before any entry is read).
void check_list_size(const std::string& file, const YAML::Node& list, const std::string& key, long limit, const std::string& option) {
  if (list.IsSequence() && list.size() > static_cast<std::size_t>(limit)) {
    over_limit(file, list, key, fmt::format("{} entries", list.size()), fmt::format("{} {}", limit, key), option);
  }
}

// `-20 C` (or `-20 °C`): a temperature in degrees Celsius, from -100 to 200.
// A list that needs at least one entry: a value that is not a list says what is expected,
// an empty list says that it is empty.
void require_items(const std::string& file, const YAML::Node& n, const std::string& key, const std::string& expected) {
  if (!n.IsSequence()) fail(file, n, key, "expected " + expected);
  if (n.size() == 0) fail(file, n, key, "the list is empty; expected " + expected + ", with at least one entry");
}

double read_celsius(MapReader& r, const std::string& key) {
  const std::string text = r.str(key);
  // A plain number (no hexadecimal, inf or nan), then the unit.
  const std::size_t used = std::min(text.find_first_not_of("0123456789+-.eE"), text.size());
  std::string unit = text.substr(used);
  while (!unit.empty() && unit.front() == ' ') unit.erase(unit.begin());
  const auto number = detail::plain_number(text.substr(0, used));
  const bool ok = number && (unit == "C" || unit == "\u00b0C" || unit == "degC");
  const double v = number.value_or(0.0);
  if (!ok) fail(r.file(), r.node(key), r.path(key), "expected a temperature in degrees Celsius, like '-20 C' or '55 C'");
  if (v < -100 || v > 200) fail(r.file(), r.node(key), r.path(key), "expected a temperature from -100 C to 200 C");
  return v;
}

// `temperature: {min: -20 C, max: 55 C}`: either bound may be left out; min <= max.
void read_temperature_range(MapReader& parent, std::optional<double>& min_c, std::optional<double>& max_c) {
  if (!parent.has("temperature")) {
    parent.allow("temperature");
    return;
  }
  MapReader t(parent.node("temperature"), parent.file(), parent.path("temperature"));
  if (t.has("min")) min_c = read_celsius(t, "min");
  if (t.has("max")) max_c = read_celsius(t, "max");
  t.allow("min");
  t.allow("max");
  t.finish();
  if (!min_c && !max_c) fail(parent.file(), parent.node("temperature"), parent.path("temperature"), "give 'min', 'max' or both, like {min: -20 C, max: 55 C}");
  if (min_c && max_c && *min_c > *max_c) fail(parent.file(), t.node("max"), t.path("max"), fmt::format("max must be at least min ({:g} C)", *min_c));
}

// `ingress: IP65`: an IEC 60529 rating, 'X' where a digit is not rated.
std::optional<IngressRating> read_ingress(MapReader& parent) {
  if (!parent.has("ingress")) {
    parent.allow("ingress");
    return std::nullopt;
  }
  auto r = ingress_from(parent.str("ingress"));
  if (!r) fail(parent.file(), parent.node("ingress"), parent.path("ingress"), "expected an IEC 60529 rating like 'IP65', 'IP20' or 'IPX4' (solids 0-6, water 0-9)");
  return r;
}

// `ports: {gige: 4, usb: 2}`: sensor ports by kind (an id), each a count from `lo`.
std::map<std::string, int> read_ports(MapReader& parent, long lo) {
  std::map<std::string, int> out;
  if (!parent.has("ports")) {
    parent.allow("ports");
    return out;
  }
  const YAML::Node n = parent.node("ports");
  if (!n.IsMap()) fail(parent.file(), n, parent.path("ports"), "expected a mapping of port kind to count, like {gige: 4, usb: 2}");
  MapReader m(n, parent.file(), parent.path("ports"));
  for (const auto& kv : n) {
    const std::string kind = kv.first.as<std::string>();
    check_id(m, kv.first, m.path(kind), kind);
    out[kind] = static_cast<int>(m.integer(kind, lo, 100000));
  }
  m.finish();
  return out;
}

}  // namespace

// ---------------------------------------------------------------- profiles

namespace {

bool names_yaml_file(const std::string& path) {
  const auto ext = fs::path(path).extension();
  return ext == ".yaml" || ext == ".yml";
}

// `server: {gpus: [4, 8], host_price: 57000 USD, host_power: 1.2 kW}`: how a card or
// module alone is bought (accelerator class only).
void read_server_packaging(MapReader& r, HardwareProfile& p, const std::string& path) {
  r.allow("server");
  if (!r.has("server")) return;
  if (p.klass != HardwareClass::accelerator) {
    fail(path, r.node("server"), "server",
         "only a card or module alone (class: accelerator) says how it is packaged into servers; a gpu_server profile is one "
         "server already (give its GPUs as 'accelerators')");
  }
  MapReader sv(r.node("server"), path, "server");
  auto gpus = sv.node("gpus");
  require_items(path, gpus, "server.gpus", "a list of GPU counts a server can hold, like [4, 8]");
  for (const auto& g : gpus) {
    long n = 0;
    try {
      n = std::stol(detail::scalar_text(g));
    } catch (const std::exception&) {
      n = 0;
    }
    if (n < 1 || n > 64 || std::to_string(n) != detail::scalar_text(g)) {
      fail(path, g, "server.gpus", "expected whole GPU counts from 1 to 64, like [1, 2, 4, 8]");
    }
    if (std::find(p.server_gpus.begin(), p.server_gpus.end(), static_cast<int>(n)) != p.server_gpus.end()) {
      fail(path, g, "server.gpus", "each count once");
    }
    p.server_gpus.push_back(static_cast<int>(n));
  }
  std::sort(p.server_gpus.begin(), p.server_gpus.end());
  try {
    p.host_price = parse_money(sv.str("host_price"));
  } catch (const UnitError& e) {
    fail(path, sv.node("host_price"), "server.host_price", e.what());
  }
  if (p.host_price.amount < 0) fail(path, sv.node("host_price"), "server.host_price", "expected a price of at least 0, like '57000 USD'");
  if (auto why = magnitude_problem(p.host_price.amount, UnitKind::money, p.host_price.currency)) fail(path, sv.node("host_price"), "server.host_price", *why);
  p.host_power = Watts(sv.quantity("host_power", UnitKind::power));
  sv.finish();
}

// `check_stem`: the id must equal the file name's stem.
HardwareProfile profile_from(const YAML::Node& root, const std::string& path, bool check_stem) {
  MapReader r(root, path, "");
  HardwareProfile p;
  p.file = path;
  p.id = r.str("id");
  check_id(r, root["id"], "id", p.id);
  const auto stem = fs::path(path).stem().string();
  if (check_stem && stem != p.id) {
    fail(path, root["id"], "id", fmt::format("the id must match the file name: expected '{}' (or rename the file to {}.yaml)", stem, p.id));
  }
  p.name = r.str("name");
  std::string cls = r.choice("class", {"edge", "accelerator", "gpu_server", "cpu_server"});
  p.klass = *hardware_class_from(cls);
  p.form_factor = r.str_or("form_factor", "");
  p.accelerators = static_cast<int>(r.integer_or("accelerators", 1, 1024, 1));

  {
    MapReader c(r.node("compute"), path, "compute");
    if (c.has("fp16") && c.has("bf16")) {
      fail(path, c.node("bf16"), "compute.bf16", "give fp16 or bf16, not both: hwplan treats them as one 16-bit precision");
    }
    for (const auto& prec : kPrecisions) {
      if (c.has(prec)) {
        double v = c.quantity(prec, UnitKind::flop_rate);
        if (v < kLeastPeak) fail(path, c.node(prec), "compute." + prec, "peak compute must be at least 1 FLOP/s");
        p.peak[*precision_from(prec)] = FlopsPerSecond(v);
        if (prec == "bf16") p.sixteen_bit = "bf16";  // what the file declares; priced as fp16
      }
      c.allow(prec);
    }
    c.finish();
    if (p.peak.empty()) fail(path, r.node("compute"), "compute", "give peak compute for at least one of fp32, fp16, int8, fp8, fp4");
  }
  {
    MapReader m(r.node("memory"), path, "memory");
    p.memory_capacity = Bytes(m.quantity_or("capacity", UnitKind::data, 0.0));
    p.memory_bandwidth = BytesPerSecond(m.quantity("bandwidth", UnitKind::byterate));
    if (p.memory_bandwidth.si() < kLeastByterate) fail(path, m.node("bandwidth"), "memory.bandwidth", "bandwidth must be at least 1 B/s");
    p.on_chip_memory = Bytes(m.quantity_or("on_chip", UnitKind::data, 0.0));
    if (m.has("on_chip") && p.on_chip_memory.si() <= 0) fail(path, m.node("on_chip"), "memory.on_chip", "on-chip memory must be more than 0 B");
    p.on_chip_bandwidth = BytesPerSecond(m.quantity_or("on_chip_bandwidth", UnitKind::byterate, 0.0));
    if (m.has("on_chip_bandwidth")) {
      if (!m.has("on_chip")) fail(path, m.node("on_chip_bandwidth"), "memory.on_chip_bandwidth", "give memory.on_chip (the SRAM the activations stay in) with its bandwidth");
      if (p.on_chip_bandwidth.si() < kLeastByterate) fail(path, m.node("on_chip_bandwidth"), "memory.on_chip_bandwidth", "bandwidth must be at least 1 B/s");
    }
    m.finish();
  }
  if (r.has("efficiency")) {
    MapReader e(r.node("efficiency"), path, "efficiency");
    p.efficiency_compute = e.number_or("compute", 0.001, 1.0, p.efficiency_compute);
    p.efficiency_memory = e.number_or("memory", 0.001, 1.0, p.efficiency_memory);
    p.half_efficiency_batch = e.number_or("half_batch", 0.0, 1e6, 0.0);
    p.launch = Seconds(e.quantity_or("launch", UnitKind::time, 0.0));
    if (p.launch.si() < 0 || p.launch.si() > 1.0) fail(path, e.node("launch"), "efficiency.launch", "expected a time per kernel from 0 to 1 s, like '6 us'");
    e.finish();
  }
  r.allow("efficiency");
  p.overhead = Seconds(r.quantity_or("overhead", UnitKind::time, 0.0));
  {
    MapReader w(r.node("power"), path, "power");
    p.power_idle = Watts(w.quantity("idle", UnitKind::power));
    p.power_max = Watts(w.quantity("max", UnitKind::power));
    if (p.power_max < p.power_idle) {
      fail(path, w.node("max"), "power.max", fmt::format("max power must be at least the idle power ({})", format_power(p.power_idle)));
    }
    if (w.has("modes")) {
      auto modes = w.node("modes");
      if (!modes.IsSequence()) fail(path, modes, "power.modes", "expected a list of powers like [7 W, 15 W]");
      for (const auto& m : modes) {
        p.power_modes.emplace_back(w.quantity_at(m, "power.modes", UnitKind::power));
        if (p.power_modes.back() > p.power_max) fail(path, m, "power.modes", "a power mode cannot exceed power.max");
      }
    }
    w.allow("modes");
    w.finish();
  }
  p.price = Money{0.0, "USD"};
  p.priced = r.has("price");
  if (r.has("price")) {
    try {
      p.price = parse_money(r.str("price"));
    } catch (const UnitError& e) {
      fail(path, r.node("price"), "price", e.what());
    }
    // Money is never negative and bounded like every figure (docs/input-format.md, Money).
    if (p.price.amount < 0) fail(path, r.node("price"), "price", "expected a price of at least 0, like '399 USD'");
    if (auto why = magnitude_problem(p.price.amount, UnitKind::money, p.price.currency)) fail(path, r.node("price"), "price", *why);
  }
  r.allow("price");
  // 0 is the default, "unknown"; a year given is a plausible one. One wording for every
  // refusal (2101, 1989, 2024.5): 2101 read "a whole number between 0 and 2100", 1989 this.
  if (r.has("price_year")) {
    long year = -1;
    try {
      year = r.integer("price_year", 0, 2100);
    } catch (const InputError&) {
      year = -1;  // not a whole number from 0 to 2100: refused below, in the words for a year
    }
    if (year != 0 && (year < 1990 || year > 2100)) {
      fail(path, r.node("price_year"), "price_year", "expected 0 (unknown) or a year from 1990 to 2100");
    }
    p.price_year = static_cast<int>(year);
  }
  r.allow("price_year");
  // Renting the device class, per GPU-hour: {on_demand: 4.25 USD/h, reserved: 2.5 USD/h}.
  if (r.has("gpu_hour")) {
    MapReader g(r.node("gpu_hour"), path, "gpu_hour");
    auto one = [&](const std::string& k) {
      if (!g.has(k)) {
        g.allow(k);
        return Price{0.0, p.price.currency};
      }
      auto q = g.priced(k, UnitKind::time_price);
      if (q.si <= 0) fail(path, g.node(k), g.path(k), "expected a positive price per GPU-hour, e.g. '4.25 USD/h'");
      return Price{q.si, q.currency};
    };
    p.gpu_hour_on_demand = one("on_demand");
    p.gpu_hour_reserved = one("reserved");
    g.finish();
  }
  r.allow("gpu_hour");
  // Between the server's accelerators: {kind: nvlink4, bandwidth: 450 GB/s, latency: 8 us, scale_out: 50 GB/s}.
  if (r.has("interconnect")) {
    MapReader ic(r.node("interconnect"), path, "interconnect");
    p.interconnect = ic.str("kind");
    p.interconnect_bandwidth = BytesPerSecond(ic.quantity("bandwidth", UnitKind::byterate));
    if (p.interconnect_bandwidth.si() < kLeastByterate) fail(path, ic.node("bandwidth"), "interconnect.bandwidth", "expected a bandwidth per accelerator and direction, like '450 GB/s'");
    p.interconnect_latency = Seconds(ic.quantity_or("latency", UnitKind::time, 0.0));
    if (p.interconnect_latency.si() < 0 || p.interconnect_latency.si() > 1.0) fail(path, ic.node("latency"), "interconnect.latency", "expected the time of one small all-reduce from 0 to 1 s, like '8 us'");
    p.scale_out_bandwidth = BytesPerSecond(ic.quantity_or("scale_out", UnitKind::byterate, 0.0));
    if (p.scale_out_bandwidth.si() < 0) fail(path, ic.node("scale_out"), "interconnect.scale_out", "expected a bandwidth per accelerator to other servers, like '50 GB/s'");
    ic.finish();
  }
  r.allow("interconnect");
  read_server_packaging(r, p, path);
  // reliability: {mtbf: 100000 h, repair: 48 h}, for availability (N+k).
  if (r.has("reliability")) {
    MapReader rel(r.node("reliability"), path, "reliability");
    p.mtbf = Seconds(rel.quantity("mtbf", UnitKind::time));
    if (p.mtbf.si() <= 0) fail(path, rel.node("mtbf"), "reliability.mtbf", "expected a positive time between failures, like '100000 h'");
    p.repair_time = Seconds(rel.quantity("repair", UnitKind::time));
    if (p.repair_time.si() < 0) fail(path, rel.node("repair"), "reliability.repair", "expected a repair time of at least 0, like '48 h'");
    rel.finish();
  }
  r.allow("reliability");
  // render: {speed: 10885 /min, benchmark: "..."}: a measured rendering speed (sim/hardware/media.hpp).
  if (r.has("render")) {
    MapReader rr(r.node("render"), path, "render");
    p.render_speed = PerSecond(rr.quantity("speed", UnitKind::rate));
    if (p.render_speed.si() < kLeastRate) {
      fail(path, rr.node("speed"), "render.speed", "expected the benchmark's samples per unit of time, above 0, like '10885 /min'");
    }
    p.render_benchmark = rr.str_or("benchmark", "");
    rr.finish();
  }
  r.allow("render");
  // decode: {h264: 18, h265: 44}: 1080p30 streams the accelerator's decoders sustain per codec.
  if (r.has("decode")) {
    MapReader dr(r.node("decode"), path, "decode");
    for (const std::string codec : {"h264", "h265", "av1", "jpeg"}) {
      if (dr.has(codec)) p.decode_1080p30[codec] = dr.number(codec, 0.01, 1e6);
    }
    dr.finish({"h264", "h265", "av1", "jpeg"});
    if (p.decode_1080p30.empty()) fail(path, r.node("decode"), "decode", "expected at least one codec: h264, h265, av1 or jpeg, like '{h264: 18}'");
  }
  r.allow("decode");
  p.interfaces = r.string_list_or("interfaces");
  p.environment = r.str_or("environment", "");
  p.datacenter_use = r.boolean_or("datacenter_use", true);
  // operating: {temperature: {min: -25 C, max: 80 C}, ingress: IP40, ports: {gige: 2, usb: 4}}
  if (r.has("operating")) {
    MapReader op(r.node("operating"), path, "operating");
    read_temperature_range(op, p.operating.min_c, p.operating.max_c);
    p.operating.ingress = read_ingress(op);
    p.operating.ports = read_ports(op, 0);
    op.finish();
    if (p.operating.empty()) fail(path, r.node("operating"), "operating", "give at least one of temperature, ingress, ports");
  }
  r.allow("operating");
  p.sources = r.string_map_or("sources");
  check_sources_not_blank(path, root);
  p.calibration = r.string_map_or("calibration");
  r.finish();

  // Every group of figures carries its source.
  for (const std::string group : {"compute", "memory", "power", "price", "efficiency", "overhead", "gpu_hour", "interconnect", "server",
                                  "reliability", "operating", "render", "decode", "datacenter_use"}) {
    if (r.has(group) && !p.sources.contains(group)) {
      // At the group's key; its value is the group's mapping, which says nothing more.
      throw InputError(detail::location_of(path, root[group]), group, "",
                       fmt::format("no source for '{}': add 'sources: {{{}: \"where the figure comes from (say 'estimate' if it is one)\"}}'", group, group));
    }
  }
  check_profile_source_keys(path, root);
  return p;
}

}  // namespace

HardwareProfile load_profile(const std::string& path) {
  return profile_from(detail::load_yaml_file(path), path, true);
}

HardwareProfile load_profile_text(const std::string& text, const std::string& display_name) {
  return profile_from(detail::load_yaml_text(text, display_name), display_name,
                      names_yaml_file(display_name));
}

// ---------------------------------------------------------------- models

namespace {
void read_model_figures(MapReader& r, WorkloadModel& m, bool required) {
  // Every figure key is allowed before any is read: a missing flops_per_item beside a given
  // bytes_per_item is said as missing, not as "unknown key 'bytes_per_item'; did you mean
  // 'flops_per_item'?" (MapReader::reject_misspelling_of skips the keys a mapping allows).
  for (const char* key : {"flops_per_item", "bytes_per_item", "memory_per_item", "input_size", "output_size"}) r.allow(key);
  auto q = [&](const std::string& key, Bytes& out) {
    if (required || r.has(key)) out = Bytes(r.quantity_or(key, UnitKind::data, out.si()));
    r.allow(key);
  };
  if (required || r.has("flops_per_item")) m.flops_per_item = Flops(r.quantity("flops_per_item", UnitKind::flops));
  r.allow("flops_per_item");
  q("bytes_per_item", m.bytes_per_item);
  q("memory_per_item", m.memory_per_item);
  q("input_size", m.input_size);
  q("output_size", m.output_size);
}
}  // namespace

std::string read_input_text(const std::string& path) {
  return detail::read_limited(path == "-" ? "/dev/stdin" : path);
}

std::string input_display_name(const std::string& path) { return path == "-" ? "<stdin>" : path; }

namespace {
std::vector<WorkloadModel> models_from(const YAML::Node& root, const std::string& path);
}  // namespace

std::vector<WorkloadModel> load_models(const std::string& path) { return models_from(detail::load_yaml_file(path), path); }

std::vector<WorkloadModel> load_models_text(const std::string& text, const std::string& display_name) {
  return models_from(detail::load_yaml_text(text, display_name), display_name);
}

namespace {
std::vector<WorkloadModel> models_from(const YAML::Node& root, const std::string& path) {
  MapReader r(root, path, "");
  WorkloadModel base;
  base.file = path;
  base.id = r.str("id");
  check_id(r, root["id"], "id", base.id);
  base.name = r.str("name");
  base.task = r.str_or("task", "");
  base.weights = Bytes(r.quantity("weights", UnitKind::data));
  base.precision = *precision_from(r.choice_or("precision", kPrecisions, "fp16"));
  const auto precision_names = r.string_list_or("precisions");
  const YAML::Node precisions_node = root["precisions"];
  for (std::size_t i = 0; i < precision_names.size(); ++i) {
    const std::string& s = precision_names[i];
    // The item's own node where the list is a list ("precisions: int8" is one scalar).
    const YAML::Node item = precisions_node.IsSequence() ? precisions_node[i] : precisions_node;
    auto pr = precision_from(s);
    if (!pr) fail(path, item, "precisions", fmt::format("'{}' is not a precision; expected fp32, fp16, bf16, int8, fp8 or fp4", printable(s)));
    if (std::find(base.precisions.begin(), base.precisions.end(), *pr) != base.precisions.end()) {
      fail(path, item, fmt::format("precisions[{}]", i), fmt::format("'{}' is listed twice in 'precisions'; keep one", printable(s)));
    }
    base.precisions.push_back(*pr);
  }
  if (base.precisions.empty()) base.precisions.push_back(base.precision);
  if (std::find(base.precisions.begin(), base.precisions.end(), base.precision) == base.precisions.end()) {
    std::string listed;
    for (const auto& n : precision_names) listed += (listed.empty() ? "" : ", ") + n;
    if (r.has("precision")) {
      fail(path, root["precision"], "precision",
           fmt::format("the model's precision must be one of its 'precisions' ({}); change it to one of them, or add '{}' "
                       "to 'precisions'",
                       listed, to_string(base.precision)));
    }
    // No 'precision' line: the default is the one missing from the list; point at the list.
    throw InputError(detail::location_of(path, precisions_node), "precisions", "[" + listed + "]",
                     fmt::format("the model has no 'precision' line, so its precision is the default, {}, which is not "
                                 "in 'precisions'; add a line 'precision: {}' (the one it runs at), or add {} to "
                                 "'precisions'",
                                 to_string(base.precision), precision_names.front(), to_string(base.precision)));
  }
  base.kernels = static_cast<int>(r.integer_or("kernels", 0, 100000, 0));
  base.layers = static_cast<int>(r.integer_or("layers", 0, 100000, 0));
  base.hidden = static_cast<int>(r.integer_or("hidden", 0, 10000000, 0));
  base.kv_heads = static_cast<int>(r.integer_or("kv_heads", 0, 100000, 0));
  base.head_dim = static_cast<int>(r.integer_or("head_dim", 0, 100000, 0));
  base.sources = r.string_map_or("sources");
  check_sources_not_blank(path, root);
  std::vector<WorkloadModel> out;
  if (r.has("phases")) {
    read_model_figures(r, base, false);
    auto phases = r.node("phases");
    if (!phases.IsMap()) fail(path, phases, "phases", "expected a mapping of phase name to figures");
    if (phases.size() == 0) fail(path, phases, "phases", "the mapping is empty; expected at least one 'phase name: figures' entry");
    MapReader check_duplicates(phases, path, "phases");  // two phases of one name would be two models of one id
    for (const auto& kv : phases) {
      WorkloadModel m = base;
      const std::string phase = kv.first.Scalar();
      m.id = base.id + ":" + phase;
      MapReader pr(kv.second, path, "phases." + phase);
      read_model_figures(pr, m, true);
      m.name = base.name + " (" + phase + ")";
      pr.finish();
      out.push_back(m);
    }
  } else {
    read_model_figures(r, base, true);
    out.push_back(base);
  }
  r.allow("phases");
  r.finish();
  if (!base.sources.contains("flops")) {
    const YAML::Node sources = root["sources"];  // at 'sources:' when it lacks flops, else at the file's first key
    throw InputError(detail::location_of(path, sources.IsDefined() ? sources : root), "sources", "",
                     "no source for the FLOP figures: add 'sources: {flops: \"...\"}'");
  }
  return out;
}
}  // namespace

// ---------------------------------------------------------------- catalogue

const HardwareProfile& Catalogue::profile(const std::string& id) const { return profiles.at(id); }

std::string Catalogue::left_out_message(const std::string& id) const {
  auto it = left_out.find(id);
  if (it == left_out.end()) return "";
  return fmt::format("hardware profile '{}' is in the user catalogue but was left out: {}", id, it->second);
}
const WorkloadModel& Catalogue::model(const std::string& id) const { return models.at(id); }

namespace {
std::vector<std::string> yaml_files(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw InputError(Location{dir, 0, 0}, "", "", "catalogue folder not found (use --catalogue DIR or set HWPLAN_DATA)");
  }
  // Not the throwing forms: a folder that cannot be read, or an entry whose link loops, is the
  // user's to fix and said so with the reason ("internal error", exit 1, before).
  fs::directory_iterator it(dir, ec);
  if (ec) throw InputError(Location{dir, 0, 0}, "", "", fmt::format("catalogue folder cannot be read: {}", ec.message()));
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) throw InputError(Location{dir, 0, 0}, "", "", fmt::format("catalogue folder cannot be read: {}", ec.message()));
    const auto& e = *it;
    if (e.path().extension() != ".yaml" && e.path().extension() != ".yml") continue;
    std::error_code fe;
    const bool regular = e.is_regular_file(fe);
    if (fe) throw InputError(Location{e.path().string(), 0, 0}, "", "", fmt::format("cannot be read: {}", fe.message()));
    if (regular) files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}
}  // namespace

namespace {

// load(files[i]) for every file, on up to four threads (parsing the bundled catalogue's 42
// files is most of a command's start-up). take(i) gives file i's result or throws its error,
// so a caller that takes them in order reports what a plain loop would have reported first.
template <class T>
class LoadedEach {
 public:
  template <class Load>
  LoadedEach(const std::vector<std::string>& files, Load load) : got_(files.size()), errors_(files.size()) {
    std::atomic<std::size_t> next{0};
    auto work = [&] {
      for (std::size_t i = next++; i < files.size(); i = next++) {
        try {
          got_[i].emplace(load(files[i]));
        } catch (...) {
          errors_[i] = std::current_exception();
        }
      }
    };
    const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
    run_on_threads(1 + std::min<std::size_t>({cores - 1, 3, files.size() / 8}), work);
  }
  T take(std::size_t i) {
    if (errors_[i]) std::rethrow_exception(errors_[i]);
    return std::move(*got_[i]);
  }

 private:
  std::vector<std::optional<T>> got_;
  std::vector<std::exception_ptr> errors_;
};

}  // namespace

namespace {
// Where a catalogue file's top-level 'id' key is (read again: only for the message of a
// duplicate id, which stops the load); line 1, column 1 if it cannot be found.
Location id_location(const std::string& file) {
  try {
    const YAML::Node root = detail::load_yaml_file(file);
    for (const auto& kv : root) {
      if (kv.first.IsScalar() && kv.first.Scalar() == "id") return detail::location_of(file, kv.first);
    }
  } catch (const std::exception&) {  // it loaded a moment ago; keep the fallback
  }
  return Location{file, 1, 1};
}
// "FILE (line L)", the other file of a duplicate id.
std::string where_id(const std::string& file) {
  const Location l = id_location(file);
  return fmt::format("{} (line {})", file, l.line);
}
}  // namespace

Catalogue load_catalogue(const std::string& profiles_dir, const std::string& models_dir) {
  Catalogue c;
  c.profiles_dir = profiles_dir;
  c.models_dir = models_dir;
  const auto profile_files = yaml_files(profiles_dir);
  LoadedEach<HardwareProfile> profiles(profile_files, [](const std::string& f) { return load_profile(f); });
  for (std::size_t k = 0; k < profile_files.size(); ++k) {
    const std::string& f = profile_files[k];
    auto p = profiles.take(k);
    if (c.profiles.contains(p.id)) {
      const std::string& other = c.profiles[p.id].file;
      throw InputError(id_location(f), "id", p.id,
                       fmt::format("duplicate profile id: {} has the same id; give each profile its own id", where_id(other)));
    }
    c.profiles.emplace(p.id, std::move(p));
  }
  const auto model_files = yaml_files(models_dir);
  LoadedEach<std::vector<WorkloadModel>> models(model_files, [](const std::string& f) { return load_models(f); });
  for (std::size_t k = 0; k < model_files.size(); ++k) {
    const std::string& f = model_files[k];
    for (auto& m : models.take(k)) {
      if (c.models.contains(m.id)) {
        const std::string& other = c.models[m.id].file;
        throw InputError(id_location(f), "id", m.id,
                         fmt::format("duplicate model id: {} has the same id; give each model its own id", where_id(other)));
      }
      c.models.emplace(m.id, std::move(m));
    }
  }
  return c;
}

// ---------------------------------------------------------------- scenario

namespace {

LinkSpec read_link(MapReader& parent, const std::string& key, const std::string& default_type) {
  const std::string file = parent.file();
  LinkSpec l;
  std::vector<std::string> types;
  for (const auto& p : link_presets()) types.push_back(p.type);
  types.emplace_back("custom");
  if (!parent.has(key)) {
    auto preset = *link_preset(default_type);
    parent.allow(key);
    return LinkSpec{preset.type, preset.latency, preset.bandwidth};
  }
  // `access: wired` (the type alone) said "expected a mapping ..., got a single value".
  if (const YAML::Node n = parent.node(key); n.IsScalar()) {
    const bool known = std::find(types.begin(), types.end(), n.Scalar()) != types.end();
    if (n.Scalar() == "custom") {
      fail(file, n, parent.path(key), fmt::format("a link is a mapping, and a custom one needs both: write '{}: {{latency: 20 ms, bandwidth: 100 Mbps}}'", key));
    }
    fail(file, n, parent.path(key),
         known ? fmt::format("a link is a mapping: write '{}: {{type: {}}}' (with 'latency' and 'bandwidth' to change the preset's)", key,
                             n.Scalar())
               : fmt::format("a link is a mapping, like '{}: {{type: {}}}' (types: {}; or 'latency' and 'bandwidth')", key, default_type,
                             fmt::join(types, ", ")));
  }
  MapReader r(parent.node(key), file, parent.path(key));
  l.type = r.choice_or("type", types, "custom");
  auto preset = link_preset(l.type);
  if (!preset && (!r.has("latency") || !r.has("bandwidth"))) {
    fail(file, r.self(), parent.path(key), "a custom link needs both 'latency' and 'bandwidth'");
  }
  l.latency = Seconds(r.quantity_or("latency", UnitKind::time, preset ? preset->latency.si() : 0.0));
  l.bandwidth = BitsPerSecond(r.quantity_or("bandwidth", UnitKind::bitrate, preset ? preset->bandwidth.si() : 0.0));
  if (l.bandwidth.si() < kLeastBitrate) fail(file, r.node("bandwidth"), r.path("bandwidth"), "bandwidth must be at least 1 bit/s");
  if (l.latency.si() < 0) fail(file, r.node("latency"), r.path("latency"), "latency cannot be negative");
  r.finish();
  return l;
}

Arrival read_arrival(MapReader& parent, const std::string& key, const std::string& base_dir) {
  const std::string file = parent.file();
  MapReader r(parent.node(key), file, parent.path(key));
  Arrival a;
  std::string kind = r.choice("process", {"periodic", "poisson", "bursty", "diurnal", "trace"});
  if (kind == "trace") {
    a.kind = ArrivalKind::trace;
    fs::path t = r.str("file");
    if (t.is_relative()) t = fs::path(base_dir) / t;
    a.trace_file = t.lexically_normal().string();
    std::error_code ec;
    if (fs::is_directory(a.trace_file, ec)) {
      fail(file, r.node("file"), r.path("file"), fmt::format("{} is a directory; expected a trace CSV file", a.trace_file));
    }
    if (!fs::exists(a.trace_file, ec)) fail(file, r.node("file"), r.path("file"), "trace file not found: " + a.trace_file);
    if (!fs::is_regular_file(a.trace_file, ec)) {
      fail(file, r.node("file"), r.path("file"), fmt::format("{} is not a regular file (a pipe or a device); expected a trace CSV file", a.trace_file));
    }
    r.finish();
    return a;
  }
  a.rate = PerSecond(r.quantity("rate", UnitKind::rate));
  if (a.rate.si() < kLeastRate) fail(file, r.node("rate"), r.path("rate"), "rate must be at least 1e-6 /s (about one a fortnight)");
  if (kind == "periodic") {
    a.kind = ArrivalKind::periodic;
    a.jitter = Seconds(r.quantity_or("jitter", UnitKind::time, 0.0));
    if (a.jitter.si() * a.rate.si() > 0.5) {  // the limit, at the rate given: "33.3 ms at 15 /s"
      fail(file, r.node("jitter"), r.path("jitter"),
           fmt::format("jitter must be at most half the period: {} at {}", format_time(Seconds(0.5 / a.rate.si())),
                       detail::scalar_text(r.node("rate"))));
    }
  } else if (kind == "poisson") {
    a.kind = ArrivalKind::poisson;
  } else if (kind == "bursty") {
    a.kind = ArrivalKind::bursty;
    a.on_time = Seconds(r.quantity("on", UnitKind::time));
    a.off_time = Seconds(r.quantity("off", UnitKind::time));
    if (a.on_time.si() < kLeastOnTime) fail(file, r.node("on"), r.path("on"), "the mean on-period must be at least 1 us");
    a.burst_factor = (a.on_time.si() + a.off_time.si()) / a.on_time.si();
  } else {
    a.kind = ArrivalKind::diurnal;
    auto h = r.node("hourly");
    if (!h.IsSequence() || h.size() != 24) fail(file, h, r.path("hourly"), "expected a list of 24 hourly multipliers");
    // Plain numbers from 0 to kMostHourly; the busiest hour's rate is bounded like any rate.
    constexpr double kMostHourly = 1e6;
    for (std::size_t i = 0; i < h.size(); ++i) {
      const auto x = detail::plain_number(detail::scalar_text(h[i]));
      if (!x || *x < 0 || *x > kMostHourly) {
        fail(file, h[i], r.path(fmt::format("hourly[{}]", i)), "expected a multiplier: a plain number from 0 to 1e6, like 0.5 or 2");
      }
      if (auto why = magnitude_problem(a.rate.si() * *x, UnitKind::rate)) {
        fail(file, h[i], r.path(fmt::format("hourly[{}]", i)),
             fmt::format("rate x this multiplier = {:g} /s: {}", a.rate.si() * *x, *why));
      }
      a.hourly.push_back(*x);
    }
    // The hour of day simulated time 0 falls in; unset, the busiest hour (diurnal_start_hour).
    if (r.has("start_hour")) a.start_hour = static_cast<int>(r.integer("start_hour", 0, 23));
    r.allow("start_hour");
  }
  r.finish();
  return a;
}

Slo read_slo(MapReader& parent, const std::string& key) {
  MapReader r(parent.node(key), parent.file(), parent.path(key));
  Slo s;
  s.percentile = r.number_or("percentile", 1.0, 99.999, 99.0);
  s.latency = Seconds(r.quantity("latency", UnitKind::time));
  if (s.latency.si() <= 0) fail(parent.file(), r.node("latency"), r.path("latency"), "the latency target must be positive");
  s.max_violation = r.quantity_or("max_violation", UnitKind::fraction, 1.0 - s.percentile / 100.0);
  if (s.max_violation >= 1.0) {
    // Every request allowed to miss: the SLO would check nothing. A bare `1` is almost
    // always a percentage without its sign (`max_violation: 1` for 1 %).
    const YAML::Node n = r.node("max_violation");
    const std::string text = detail::scalar_text(n);
    const std::string why = "every request could miss the latency target: the SLO would check nothing";
    if (detail::plain_number(text)) {
      fail(parent.file(), n, r.path("max_violation"),
           fmt::format("a bare 1 reads as 100 %: {}; write '{} %' if a percentage was meant (expected below 1, or below 100 %)", why, text));
    }
    fail(parent.file(), n, r.path("max_violation"), fmt::format("{}; expected below 100 %, e.g. '1 %'", why));
  }
  r.finish();
  return s;
}

Price read_price(MapReader& r, const std::string& key, UnitKind kind, Price fallback, const std::string& currency) {
  if (!r.has(key)) {
    r.allow(key);
    return fallback;
  }
  auto q = r.priced(key, kind);
  if (q.currency != currency) {
    fail(r.file(), r.node(key), r.path(key), fmt::format("currency {} differs from the scenario's currency {}", q.currency, currency));
  }
  return Price{q.si, q.currency};
}

// `prompt_tokens: {distribution: lognormal, mean: 161, cv: 1.2, max: 4096}` and the other
// shapes of LengthDistribution (sim/workload/scenario.hpp). Token counts are plain numbers.
LengthDistribution read_length(MapReader& parent, const std::string& key) {
  constexpr double kMostTokens = 10'000'000;
  MapReader r(parent.node(key), parent.file(), parent.path(key));
  LengthDistribution d;
  const auto shape = r.choice("distribution", {"fixed", "uniform", "lognormal", "empirical"});
  if (shape == "fixed") {
    d.shape = LengthShape::fixed;
    d.mean = static_cast<double>(r.integer("value", 1, static_cast<long>(kMostTokens)));
    d.min = d.mean;
    d.max = d.mean;
    r.finish();
  } else if (shape == "uniform") {
    d.shape = LengthShape::uniform;
    d.min = static_cast<double>(r.integer("min", 1, static_cast<long>(kMostTokens)));
    d.max = static_cast<double>(r.integer("max", 1, static_cast<long>(kMostTokens)));
    if (d.max < d.min) fail(r.file(), r.node("max"), r.path("max"), fmt::format("expected max >= min ({:g} tokens)", d.min));
    d.mean = 0.5 * (d.min + d.max);
    r.finish();
  } else if (shape == "lognormal") {
    d.shape = LengthShape::lognormal;
    d.mean = r.number("mean", 1.0, kMostTokens);
    d.cv = r.number("cv", 0.0, 20.0);
    d.min = static_cast<double>(r.integer_or("min", 1, static_cast<long>(kMostTokens), 1));
    d.max = static_cast<double>(r.integer_or("max", 1, static_cast<long>(kMostTokens), 0));
    if (r.has("max") && d.max < d.min) fail(r.file(), r.node("max"), r.path("max"), fmt::format("expected max >= min ({:g} tokens)", d.min));
    r.finish();
  } else {
    d.shape = LengthShape::empirical;
    auto vals = r.node("values");
    require_items(r.file(), vals, r.path("values"), "a list of token counts, like [120, 340, 87]");
    for (std::size_t i = 0; i < vals.size(); ++i) {
      const std::string t = detail::scalar_text(vals[i]);
      long n = 0;
      try {
        n = std::stol(t);
      } catch (const std::exception&) {
        n = 0;
      }
      if (n < 1 || n > static_cast<long>(kMostTokens) || std::to_string(n) != t) {
        fail(r.file(), vals[i], r.path(fmt::format("values[{}]", i)), "expected a whole number of tokens from 1 to 10000000");
      }
      d.values.push_back(static_cast<double>(n));
    }
    d.mean = mean_of(d);
    d.min = *std::min_element(d.values.begin(), d.values.end());
    d.max = *std::max_element(d.values.begin(), d.values.end());
    r.finish();
  }
  return d;
}

// The `llm:` block of a stream; `model_ids` for the unknown-model message.
LlmServing read_llm(MapReader& st, const Catalogue& cat, const std::vector<std::string>& model_ids, std::string& carrier) {
  MapReader r(st.node("llm"), st.file(), st.path("llm"));
  LlmServing l;
  l.model = r.str("model");
  // The model's decode phase carries the figures (a model without phases is its own carrier).
  carrier = cat.models.contains(l.model + ":decode") ? l.model + ":decode" : l.model;
  if (!cat.models.contains(carrier)) fail(r.file(), r.node("model"), r.path("model"), unknown_model_message(l.model, model_ids, cat));
  const WorkloadModel& m = cat.model(carrier);
  if (m.layers <= 0 || m.hidden <= 0 || m.kv_heads <= 0 || m.head_dim <= 0) {
    fail(r.file(), r.node("model"), r.path("model"),
         fmt::format("model '{}' lacks the shape LLM serving needs (layers, hidden, kv_heads, head_dim; it has {}, {}, {}, {}): add "
                     "them to {}",
                     l.model, m.layers, m.hidden, m.kv_heads, m.head_dim, m.file));
  }
  if (r.has("precision")) l.precision = precision_from(r.choice("precision", kPrecisions));
  r.allow("precision");
  l.prompt_tokens = read_length(r, "prompt_tokens");
  l.output_tokens = read_length(r, "output_tokens");
  l.token_budget = static_cast<int>(r.integer_or("token_budget", 1, 1'000'000, 2048));
  l.max_sequences = static_cast<int>(r.integer_or("max_sequences", 1, 100'000, 256));
  r.finish();
  return l;
}

Scenario scenario_from(const YAML::Node& root, const std::string& path, const std::string& base_dir,
                       const Catalogue& cat) {
  MapReader r(root, path, "");
  // Unknown top-level keys first, at their own line: `title:` for `name:` was reported as
  // "required key 'name' is missing" at 1:1.
  r.expect_only({"name", "description", "seed", "duration", "warmup", "dc_fabric_latency", "precision", "sites", "streams",
                 "batch_jobs", "costs", "retraining", "constraints", "design", "candidates"});
  Scenario s;
  s.file = path;
  s.name = r.str("name");
  s.description = r.str_or("description", "");
  s.seed = static_cast<std::uint64_t>(r.integer_or("seed", 0, 1L << 62, 1));  // the range of --seed (cli/common.hpp)
  s.duration = Seconds(r.quantity_or("duration", UnitKind::time, 60.0));
  s.warmup = Seconds(r.quantity_or("warmup", UnitKind::time, 5.0));
  if (s.duration.si() <= 0) fail(path, root["duration"], "duration", "duration must be positive");
  if (s.duration.si() > input_limits().duration_s) {
    // Both in seconds when the rounded forms would read the same ("7 d is above the limit of 7 d").
    const Seconds limit(input_limits().duration_s);
    const bool same = format_time(s.duration) == format_time(limit);
    over_limit(path, root["duration"], "duration",
               fmt::format("a simulated duration of {}", same ? fmt::format("{:.10g} s", s.duration.si()) : format_time(s.duration)),
               same ? fmt::format("{:.10g} s ({})", limit.si(), format_time(limit)) : format_time(limit), "duration");
  }
  if (s.warmup >= s.duration) {
    // Without a 'warmup' line the default is too long for the duration given: point there.
    if (r.has("warmup")) fail(path, root["warmup"], "warmup", "warm-up must be shorter than the duration");
    fail(path, root["duration"], "duration",
         fmt::format("the duration must be longer than the warm-up, {} by default: give a longer duration, or a shorter "
                     "'warmup: ...' line",
                     format_time(s.warmup)));
  }
  s.dc_fabric_latency = Seconds(r.quantity_or("dc_fabric_latency", UnitKind::time, 50e-6));
  s.precision = r.quantity_or("precision", UnitKind::fraction, 0.02);

  std::vector<std::string> profile_ids, model_ids;
  for (const auto& [id, _] : cat.profiles) profile_ids.push_back(id);
  for (const auto& [id, _] : cat.models) model_ids.push_back(id);

  // sites
  std::set<std::string> site_ids;
  {
    auto sites = r.node("sites");
    require_items(path, sites, "sites", "a list of sites");
    check_list_size(path, sites, "sites", input_limits().sites, "sites");
    long represented = 0;
    for (std::size_t i = 0; i < sites.size(); ++i) {
      MapReader sr(sites[i], path, fmt::format("sites[{}]", i));
      Site site;
      site.id = sr.str("id");
      check_id(sr, sites[i]["id"], sr.path("id"), site.id);
      if (!site_ids.insert(site.id).second) fail(path, sites[i]["id"], sr.path("id"), "duplicate site id");
      site.count = static_cast<int>(sr.integer_or("count", 1, 1000000, 1));
      represented += site.count;
      if (represented > input_limits().sites) {
        over_limit(path, sr.has("count") ? sr.node("count") : sites[i], sr.path("count"),
                   fmt::format("{} represented sites (the sum of the counts so far)", represented),
                   fmt::format("{} sites", input_limits().sites), "sites");
      }
      site.access = read_link(sr, "access", "wired");
      site.backhaul = read_link(sr, "backhaul", "wan");
      // conditions: {temperature: {min: -20 C, max: 55 C}, ingress: IP54, power: 60 W, ports: {gige: 4}}
      if (sr.has("conditions")) {
        MapReader c(sr.node("conditions"), path, sr.path("conditions"));
        SiteConditions& k = site.conditions;
        read_temperature_range(c, k.min_c, k.max_c);
        k.ingress = read_ingress(c);
        if (c.has("power")) {
          k.power = Watts(c.quantity("power", UnitKind::power));
          if (k.power->si() <= 0) fail(path, c.node("power"), c.path("power"), "expected the power available for the edge units of one site, above 0 W, like '60 W'");
        }
        c.allow("power");
        k.ports = read_ports(c, 1);
        c.finish();
        if (k.empty()) fail(path, sr.node("conditions"), sr.path("conditions"), "give at least one of temperature, ingress, power, ports");
      }
      sr.allow("conditions");
      sr.finish();
      s.sites.push_back(site);
    }
  }
  // streams
  if (r.has("streams")) {
    auto streams = r.node("streams");
    if (!streams.IsSequence()) fail(path, streams, "streams", "expected a list of streams");
    check_list_size(path, streams, "streams", input_limits().streams, "streams");
    long all_sources = 0;
    std::set<std::string> stream_ids;
    for (std::size_t i = 0; i < streams.size(); ++i) {
      MapReader st(streams[i], path, fmt::format("streams[{}]", i));
      Stream x;
      x.id = st.str("id");
      check_id(st, streams[i]["id"], st.path("id"), x.id);
      if (!stream_ids.insert(x.id).second) fail(path, streams[i]["id"], st.path("id"), fmt::format("duplicate stream id '{}'", printable(x.id)));
      x.site = st.str("site");
      if (!site_ids.contains(x.site)) {
        std::vector<std::string> known(site_ids.begin(), site_ids.end());
        fail(path, st.node("site"), st.path("site"), unknown_id_message("site", x.site, known));
      }
      x.sources = static_cast<int>(st.integer_or("sources", 1, 10000000, 1));
      for (const auto& site : s.sites) {
        if (site.id == x.site) all_sources += static_cast<long>(x.sources) * site.count;
      }
      if (all_sources > input_limits().sources) {
        over_limit(path, st.has("sources") ? st.node("sources") : streams[i], st.path("sources"),
                   fmt::format("{} sources (every stream's sources times its site's count, so far)", all_sources),
                   fmt::format("{} sources", input_limits().sources), "sources");
      }
      x.arrival = read_arrival(st, "arrival", base_dir);
      x.payload = Bytes(st.quantity("payload", UnitKind::data));
      x.result = Bytes(st.quantity_or("result", UnitKind::data, 1000.0));
      x.return_result = st.boolean_or("return_result", true);
      x.raw_data_local = st.boolean_or("raw_data_local", false);
      // video: {codec: h264, resolution: 1920x1080, fps: 15 /s}: decoded before the first stage.
      if (st.has("video")) {
        MapReader vr(st.node("video"), path, st.path("video"));
        Video v;
        v.codec = vr.choice("codec", {"h264", "h265", "av1", "jpeg"});
        const std::string res = vr.str_or("resolution", "1920x1080");
        const auto xpos = res.find('x');
        bool ok = xpos != std::string::npos && xpos > 0 && xpos + 1 < res.size() && res.size() <= 11 &&
                  std::all_of(res.begin(), res.end(), [](char c) { return (c >= '0' && c <= '9') || c == 'x'; });
        if (ok) {
          v.width = std::stoi(res.substr(0, xpos));
          v.height = std::stoi(res.substr(xpos + 1));
          ok = v.width >= 16 && v.width <= 16384 && v.height >= 16 && v.height <= 16384;
        }
        if (!ok) fail(path, vr.node("resolution"), vr.path("resolution"), "expected WIDTHxHEIGHT in pixels, 16 to 16384 each, like '1920x1080'");
        if (vr.has("fps")) {
          v.fps = PerSecond(vr.quantity("fps", UnitKind::rate));
          if (v.fps.si() < kLeastRate) fail(path, vr.node("fps"), vr.path("fps"), "expected the frames each source sends, at least 1e-6 /s (about one a fortnight), like '15 /s'");
        }
        vr.finish({"fps"});
        x.video = v;
      }
      st.allow("video");
      if (st.has("llm")) {
        if (st.has("pipeline")) {
          fail(path, st.node("pipeline"), st.path("pipeline"),
               "an LLM stream (with 'llm:') has no pipeline: its one stage is the model's; remove 'pipeline' or 'llm'");
        }
        std::string carrier;
        LlmServing l = read_llm(st, cat, model_ids, carrier);
        MapReader sr(st.node("slo"), path, st.path("slo"));
        if (!sr.has("ttft") || !sr.has("tpot")) {
          fail(path, st.node("slo"), st.path("slo"),
               "an LLM stream's SLO has two targets: slo: {ttft: {percentile: 99, latency: 2 s}, tpot: {percentile: 99, latency: 200 ms}}");
        }
        l.ttft = read_slo(sr, "ttft");
        l.tpot = read_slo(sr, "tpot");
        sr.finish();
        st.allow("slo");
        Stage stage;
        stage.id = "serve";
        stage.model = carrier;
        stage.precision = l.precision;
        stage.output = cat.model(carrier).output_size;
        x.pipeline.push_back(stage);
        x.slo = l.ttft;
        x.llm = std::move(l);
        st.finish();
        s.streams.push_back(x);
        continue;
      }
      auto pipe = st.node("pipeline");
      require_items(path, pipe, st.path("pipeline"), "a list of stages");
      for (std::size_t k = 0; k < pipe.size(); ++k) {
        MapReader sg(pipe[k], path, st.path(fmt::format("pipeline[{}]", k)));
        Stage stage;
        stage.model = sg.str("model");
        stage.id = sg.str_or("id", stage.model);
        if (!cat.models.contains(stage.model)) {
          fail(path, sg.node("model"), sg.path("model"), unknown_model_message(stage.model, model_ids, cat));
        }
        if (sg.has("precision")) stage.precision = precision_from(sg.choice("precision", kPrecisions));
        sg.allow("precision");
        stage.output = Bytes(sg.quantity_or("output", UnitKind::data, cat.model(stage.model).output_size.si()));
        stage.fraction = sg.quantity_or("fraction", UnitKind::fraction, 1.0);
        if (sg.has("variability")) {
          MapReader vr(sg.node("variability"), path, sg.path("variability"));
          auto d = vr.choice("distribution", {"deterministic", "exponential", "lognormal"});
          stage.variability.distribution = d == "exponential" ? ServiceDistribution::exponential
                                          : d == "lognormal"  ? ServiceDistribution::lognormal
                                                              : ServiceDistribution::deterministic;
          stage.variability.cv = d == "exponential" ? 1.0 : vr.number_or("cv", 0.0, 10.0, 0.0);
          if (d != "lognormal" && vr.has("cv")) {
            fail(path, vr.node("cv"), vr.path("cv"), "only a lognormal distribution takes a 'cv' (exponential has cv 1)");
          }
          vr.finish({"cv"});
        }
        sg.allow("variability");
        if (k == 0 && sg.has("fraction") && stage.fraction < 1.0) {
          fail(path, sg.node("fraction"), sg.path("fraction"), "the first stage sees every item; put 'fraction' on a later stage");
        }
        sg.finish();
        x.pipeline.push_back(stage);
      }
      x.slo = read_slo(st, "slo");
      st.allow("llm");  // absent here (an `llm` stream is read above): listed among the keys a stream takes
      st.finish();
      s.streams.push_back(x);
    }
  }
  r.allow("streams");
  // batch jobs
  if (r.has("batch_jobs")) {
    auto jobs = r.node("batch_jobs");
    if (!jobs.IsSequence()) fail(path, jobs, "batch_jobs", "expected a list of batch jobs");
    check_list_size(path, jobs, "batch_jobs", input_limits().batch_jobs, "batch-jobs");
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      MapReader jr(jobs[i], path, fmt::format("batch_jobs[{}]", i));
      BatchJob j;
      j.id = jr.str("id");
      j.kind = jr.choice("kind", {"training", "rendering", "scientific", "inference"});
      // render: {samples: 6.6e10, scene_memory: 40 GB}: work in benchmark samples (sim/hardware/media.hpp);
      // total_flops is then needed only by devices without a measured render speed.
      if (jr.has("render")) {
        MapReader rr(jr.node("render"), path, jr.path("render"));
        j.render_samples = rr.number("samples", 1.0, 1e18);
        j.scene_memory = Bytes(rr.quantity_or("scene_memory", UnitKind::data, 0.0));
        if (j.scene_memory.si() < 0) fail(path, rr.node("scene_memory"), rr.path("scene_memory"), "expected the scene's memory on one device, like '40 GB'");
        rr.finish();
      }
      jr.allow("render");
      j.total_flops = Flops(j.render_samples > 0 ? jr.quantity_or("total_flops", UnitKind::flops, 0.0) : jr.quantity("total_flops", UnitKind::flops));
      j.total_bytes = Bytes(jr.quantity_or("total_bytes", UnitKind::data, 0.0));
      j.dataset = Bytes(jr.quantity_or("dataset", UnitKind::data, 0.0));
      j.precision = *precision_from(jr.choice_or("precision", kPrecisions, "fp16"));
      j.min_devices = static_cast<int>(jr.integer_or("min_devices", 1, 100000, 1));
      j.scaling_efficiency = jr.number_or("scaling_efficiency", 0.01, 1.0, 0.9);
      j.scaling_efficiency_given = jr.has("scaling_efficiency");
      j.parameters = jr.number_or("parameters", 0.0, 1e15, 0.0);
      j.steps = jr.number_or("steps", 0.0, 1e12, 0.0);
      j.deadline = Seconds(jr.quantity("deadline", UnitKind::time));
      if (jr.has("every")) {
        j.every = Seconds(jr.quantity("every", UnitKind::time));
        if (j.every.si() <= 0) fail(path, jr.node("every"), jr.path("every"), "expected a positive period, e.g. '7 d'");
      }
      jr.finish({"every"});
      s.batch_jobs.push_back(j);
    }
  }
  r.allow("batch_jobs");
  if (s.streams.empty() && s.batch_jobs.empty()) {
    const std::string why = "a scenario needs at least one stream or one batch job";
    r.reject_misspelling_of("streams", why);  // `stream:` is a typo, not a scenario without streams
    r.reject_misspelling_of("batch_jobs", why);
    // At an empty list given (`streams: []`, `batch_jobs: []`), else at the top of the file.
    if (r.has("streams")) fail(path, r.node("streams"), "streams", why);
    if (r.has("batch_jobs")) fail(path, r.node("batch_jobs"), "batch_jobs", why);
    fail(path, root, "streams", why);
  }
  // costs
  if (r.has("costs")) {
    MapReader c(r.node("costs"), path, "costs");
    Costs& k = s.costs;
    k.currency = c.str_or("currency", "USD");
    // Checked at its own line: 'usd' was reported at the first price as "currency USD differs
    // from the scenario's currency usd".
    auto iso_code = [](const std::string& t) { return t.size() == 3 && std::all_of(t.begin(), t.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; }); };
    if (!iso_code(k.currency)) {
      std::string upper = k.currency;
      for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      fail(path, c.node("currency"), c.path("currency"),
           iso_code(upper) ? fmt::format("currency codes are upper case: write '{}'", upper)
                     : std::string("expected a three-letter ISO 4217 currency code, like 'USD' or 'EUR'"));
    }
    k.horizon = Seconds(c.quantity_or("horizon", UnitKind::time, k.horizon.si()));
    // A zero horizon prices nothing (TCO 0) and a zero amortisation divides by zero: refuse both.
    if (k.horizon.si() <= 0) fail(path, c.node("horizon"), c.path("horizon"), "expected a positive horizon, e.g. '3 y'");
    k.amortisation = Seconds(c.quantity_or("amortisation", UnitKind::time, k.horizon.si()));
    if (k.amortisation.si() <= 0) {
      fail(path, c.node("amortisation"), c.path("amortisation"), "expected a positive amortisation period, e.g. '3 y'");
    }
    k.electricity = read_price(c, "electricity", UnitKind::energy_price, Price{k.electricity.per_si, k.currency}, k.currency);
    k.pue = c.number_or("pue", 1.0, 3.0, k.pue);
    k.bandwidth = read_price(c, "bandwidth", UnitKind::data_price, Price{k.bandwidth.per_si, k.currency}, k.currency);
    k.maintenance_per_unit = read_price(c, "maintenance_per_unit", UnitKind::time_price, Price{0.0, k.currency}, k.currency);
    if (c.has("site_visit")) {
      auto q = c.priced("site_visit", UnitKind::money);
      k.site_visit = Money{q.si, q.currency};
    }
    c.allow("site_visit");
    k.visits_per_site_per_year = c.number_or("visits_per_site_per_year", 0.0, 365.0, 0.0);
    k.gpu_hour = read_price(c, "gpu_hour", UnitKind::time_price, Price{0.0, k.currency}, k.currency);
    c.finish();
  }
  r.allow("costs");
  if (r.has("retraining")) {
    MapReader c(r.node("retraining"), path, "retraining");
    Retraining t;
    t.interval = Seconds(c.quantity("interval", UnitKind::time));
    if (t.interval.si() <= 0) fail(path, c.node("interval"), c.path("interval"), "expected a positive interval, e.g. '7 d'");
    t.upload_fraction = c.quantity_or("upload_fraction", UnitKind::fraction, 0.0);
    t.gpu_hours = c.number_or("gpu_hours", 0.0, 1e9, 0.0);
    t.model_size = Bytes(c.quantity_or("model_size", UnitKind::data, 0.0));
    t.epochs = c.number_or("epochs", 0.0, 1e6, 0.0);
    t.samples = c.number_or("samples", 0.0, 1e15, 0.0);
    if (c.has("deadline")) {
      t.deadline = Seconds(c.quantity("deadline", UnitKind::time));
      if (t.deadline.si() <= 0) fail(path, c.node("deadline"), c.path("deadline"), "expected a positive deadline, e.g. '2 d'");
    }
    c.allow("deadline");
    t.precision = *precision_from(c.choice_or("precision", kPrecisions, "fp16"));
    t.scaling_efficiency = c.number_or("scaling_efficiency", 0.01, 1.0, 0.9);
    if (t.epochs > 0 && t.gpu_hours > 0) {
      fail(path, c.node("gpu_hours"), c.path("gpu_hours"),
           "give either 'epochs' (the training is derived from the models and samples) or a hand 'gpu_hours' figure, not both");
    }
    c.finish();
    s.retraining = t;
  }
  r.allow("retraining");
  // constraints
  if (r.has("constraints")) {
    MapReader c(r.node("constraints"), path, "constraints");
    auto& k = s.constraints;
    k.data_residency = c.boolean_or("data_residency", false);
    k.ignore_datacenter_use = c.boolean_or("ignore_datacenter_use", false);
    if (c.has("site_power_budget")) k.site_power_budget = Watts(c.quantity("site_power_budget", UnitKind::power));
    if (c.has("backhaul_cap")) k.backhaul_cap = BitsPerSecond(c.quantity("backhaul_cap", UnitKind::bitrate));
    if (c.has("rack_power")) k.rack_power = Watts(c.quantity("rack_power", UnitKind::power));
    c.finish({"site_power_budget", "backhaul_cap", "rack_power"});
  }
  r.allow("constraints");
  // design: headroom and redundancy
  if (r.has("design")) {
    MapReader d(r.node("design"), path, "design");
    auto& g = s.design;
    if (d.has("max_utilisation")) {
      MapReader u(d.node("max_utilisation"), path, "design.max_utilisation");
      auto one = [&](const std::string& k, double fallback) {
        const double v = u.quantity_or(k, UnitKind::fraction, fallback);
        if (v <= 0 || v > 1) fail(path, u.node(k), u.path(k), "expected a share above 0 and at most 100%, like '70 %'");
        return v;
      };
      g.max_edge_utilisation = one("edge", g.max_edge_utilisation);
      g.max_dc_utilisation = one("dc", g.max_dc_utilisation);
      g.max_link_utilisation = one("link", g.max_link_utilisation);
      u.finish();
    }
    d.allow("max_utilisation");
    if (d.has("spares")) {
      MapReader k(d.node("spares"), path, "design.spares");
      g.site_spares = static_cast<int>(k.integer_or("site", 0, 1000, 0));
      if (k.has("dc")) g.dc_spares = static_cast<int>(k.integer("dc", 0, 1000));
      k.finish();
    }
    d.allow("spares");
    d.finish();
  }
  r.allow("design");
  // candidates
  if (r.has("candidates")) {
    auto cands = r.node("candidates");
    if (!cands.IsSequence()) fail(path, cands, "candidates", "expected a list of candidate deployments");
    check_list_size(path, cands, "candidates", input_limits().candidates, "candidates");
    for (std::size_t i = 0; i < cands.size(); ++i) {
      MapReader cr(cands[i], path, fmt::format("candidates[{}]", i));
      CandidateSpec c;
      std::string fam = cr.choice("family", {"edge", "gpu", "hybrid"});
      c.family = fam == "edge" ? Family::edge : fam == "gpu" ? Family::gpu : Family::hybrid;
      auto check_hw = [&](const std::string& key, std::vector<HardwareClass> classes) {
        std::string id = cr.str(key);
        if (!cat.profiles.contains(id)) {
          if (auto why = cat.left_out_message(id); !why.empty()) fail(path, cr.node(key), cr.path(key), why + "; fix that file");
          fail(path, cr.node(key), cr.path(key), unknown_id_message("hardware profile", id, profile_ids));
        }
        auto k = cat.profile(id).klass;
        if (std::find(classes.begin(), classes.end(), k) == classes.end()) {
          std::string list;
          for (auto cl : classes) list += (list.empty() ? "" : " or ") + to_string(cl);
          fail(path, cr.node(key), cr.path(key), fmt::format("'{}' is class {}, expected {}", printable(id), to_string(k), list));
        }
        return id;
      };
      // A key of another family's form was accepted and ignored: `{family: gpu, gpu: nvidia-l4}`
      // said only that 'hardware' is missing, `{family: edge, hardware: x, edge_stages: 2}` ran
      // an edge candidate as if the split were there.
      for (const std::string key : {"hardware", "edge", "gpu", "edge_stages"}) {
        if (!cr.has(key)) continue;
        const bool hybrid_key = key != "hardware";
        if (hybrid_key == (c.family == Family::hybrid)) continue;
        fail(path, cr.node(key), cr.path(key),
             hybrid_key ? fmt::format("'{}' is for hybrid candidates (family: hybrid, with 'edge:' and 'gpu:'); a {} candidate names its "
                                      "hardware with 'hardware:'",
                                      key, fam)
                        : std::string("a hybrid candidate names its two parts with 'edge:' (the site's units) and 'gpu:' (the data "
                                      "centre's), not 'hardware:'"));
      }
      const std::vector<HardwareClass> edge_classes{HardwareClass::edge, HardwareClass::cpu_server};
      const std::vector<HardwareClass> gpu_classes{HardwareClass::gpu_server, HardwareClass::accelerator, HardwareClass::cpu_server};
      if (c.family == Family::edge) c.edge_hardware = check_hw("hardware", edge_classes);
      if (c.family == Family::gpu) c.gpu_hardware = check_hw("hardware", gpu_classes);
      if (c.family != Family::gpu && cr.has("accelerator")) c.edge_accelerator = check_hw("accelerator", {HardwareClass::accelerator});
      if (c.family == Family::gpu && cr.has("accelerator")) {
        fail(path, cr.node("accelerator"), cr.path("accelerator"),
             "a gpu candidate has no edge units to put an accelerator in: 'accelerator' is for edge and hybrid candidates "
             "(remove it, or give the data-centre hardware as 'hardware')");
      }
      if (c.family == Family::hybrid) {
        c.edge_hardware = check_hw("edge", edge_classes);
        c.gpu_hardware = check_hw("gpu", gpu_classes);
        c.edge_stages = static_cast<int>(cr.integer_or("edge_stages", 1, 64, 1));
        // A split after the last stage runs nothing in the data centre: at most the stages of
        // the longest pipeline (the candidate splits every stream at the same place).
        const Stream* longest = nullptr;
        for (const auto& st : s.streams) {
          if (longest == nullptr || st.pipeline.size() > longest->pipeline.size()) longest = &st;
        }
        if (cr.has("edge_stages") && longest != nullptr && c.edge_stages > static_cast<int>(longest->pipeline.size())) {
          fail(path, cr.node("edge_stages"), cr.path("edge_stages"),
               fmt::format("expected 1 to {}: the longest pipeline (stream '{}') has {} stage(s), and edge_stages counts the stages "
                           "that run at the edge",
                           longest->pipeline.size(), longest->id, longest->pipeline.size()));
        }
      }
      c.units_per_site = static_cast<int>(cr.integer_or("units_per_site", 1, 100000, 1));
      c.servers = static_cast<int>(cr.integer_or("servers", 1, 100000, 1));
      c.queue_capacity = static_cast<int>(cr.integer_or("queue_capacity", 0, 10000000, 0));
      if (cr.has("batching")) {
        MapReader br(cr.node("batching"), path, cr.path("batching"));
        c.batching.max_batch = static_cast<int>(br.integer_or("max_batch", 1, 4096, 1));
        c.batching.max_wait = Seconds(br.quantity_or("max_wait", UnitKind::time, 0.0));
        br.finish();
      }
      cr.allow("batching");
      cr.finish({"hardware", "edge", "gpu", "edge_stages", "accelerator"});
      s.candidates.push_back(c);
    }
  }
  r.allow("candidates");
  r.finish();
  return s;
}

}  // namespace

Scenario load_scenario(const std::string& path, const Catalogue& cat) {
  return scenario_from(detail::load_yaml_file(path), path, fs::path(path).parent_path().string(), cat);
}

Scenario load_scenario_text(const std::string& text, const std::string& base_dir, const Catalogue& cat,
                            const std::string& display_name) {
  return scenario_from(detail::load_yaml_text(text, display_name), display_name, base_dir, cat);
}

Scenario load_scenario_tree(const YAML::Node& root, const std::string& base_dir, const Catalogue& cat, const std::string& display_name) {
  return scenario_from(root, display_name, base_dir, cat);
}

namespace {
FileKind kind_of(const YAML::Node& root) {
  if (!root.IsMap()) return FileKind::unknown;
  if (root["class"]) return FileKind::profile;
  if (root["flops_per_item"] || root["phases"]) return FileKind::model;
  if (root["sites"] || root["streams"] || root["candidates"]) return FileKind::scenario;
  if (root["scenario"]) return FileKind::sweep;  // a sweep file names its base scenario
  return FileKind::unknown;
}
}  // namespace

namespace {
// Every hwplan file is a mapping at the top: a list or a lone value is said to be one, not
// "no key tells what it is".
const YAML::Node& top_mapping(const YAML::Node& root, const std::string& name) {
  if (!root.IsMap()) {
    fail(name, root, "<top>",
         fmt::format("expected a mapping of keys at the top of the file (a hwplan file is 'key: value' lines), got {}",
                     root.IsSequence() ? "a list" : "a single value"));
  }
  return root;
}
}  // namespace

FileKind detect_kind(const std::string& path) { return kind_of(top_mapping(detail::load_yaml_file(path), path)); }

FileKind detect_kind_text(const std::string& text, const std::string& display_name) {
  return kind_of(top_mapping(detail::load_yaml_text(text, display_name), display_name));
}

}  // namespace hw
