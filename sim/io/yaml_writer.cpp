#include "sim/io/yaml_writer.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <vector>

#include "sim/network/links.hpp"

namespace fs = std::filesystem;

namespace hw {
namespace {

// ------------------------------------------------------------------ numbers and units

// Digits a reader has to take in, leading zeros aside: "94608000" has 8, "0.05" 1, "1e-05" 1.
// With `trailing_zeros` false, "10" has 1 (to prefer "10 %" to "0.1").
int significant_digits(std::string_view text, bool trailing_zeros = true) {
  text = text.substr(0, text.find_first_of("eE"));
  std::string digits;
  for (char c : text) {
    if (c >= '0' && c <= '9') digits += c;
  }
  const auto first = digits.find_first_not_of('0');
  if (first == std::string::npos) return 1;
  if (!trailing_zeros) return static_cast<int>(digits.find_last_not_of('0') - first + 1);
  return static_cast<int>(digits.size() - first);
}

struct Written {
  std::string text;
  int digits = 0;
};

// How a number and a unit symbol make one piece of text.
std::string compose(const std::string& number, std::string_view symbol, UnitKind kind,
                    std::string_view currency) {
  switch (kind) {
    case UnitKind::money: return fmt::format("{} {}", number, currency);
    case UnitKind::energy_price:
    case UnitKind::data_price:
    case UnitKind::time_price: return fmt::format("{} {}/{}", number, currency, symbol);
    default: break;
  }
  if (symbol.empty()) return number;  // a bare fraction
  return fmt::format("{} {}", number, symbol);
}

// What parse_quantity makes of `text`, or nothing when it rejects it.
std::optional<double> parsed(const std::string& text, UnitKind kind) {
  try {
    return parse_quantity(text, kind).si;
  } catch (const UnitError&) {
    return std::nullopt;
  }
}

// SI value of one of `symbol`, asked of the parser itself so that no factor is copied here.
std::optional<double> factor_of(std::string_view symbol, UnitKind kind) {
  return parsed(compose("1", symbol, kind, "USD"), kind);
}

// The shortest text in unit `symbol` that reads back as exactly `si`: the quotient
// si / factor, or one of its nearest neighbours when the product rounds differently.
std::optional<Written> exact_in(double si, std::string_view symbol, UnitKind kind,
                                std::string_view currency) {
  const auto factor = factor_of(symbol, kind);
  if (!factor || *factor == 0.0) return std::nullopt;
  const double x0 = si / *factor;
  if (!std::isfinite(x0)) return std::nullopt;
  std::optional<Written> best;
  double up = x0;
  double down = x0;
  for (int step = 0; step <= 4; ++step) {
    if (step > 0) {
      up = std::nextafter(up, HUGE_VAL);
      down = std::nextafter(down, -HUGE_VAL);
    }
    for (double x : {up, down}) {
      const std::string number = number_text(x);
      const std::string text = compose(number, symbol, kind, currency);
      const auto back = parsed(text, kind);
      if (!back || *back != si) continue;
      const int digits = significant_digits(number);
      if (!best || digits < best->digits) best = Written{text, digits};
      if (step == 0) break;  // up == down
    }
    // x0 itself reads back with at most 14 digits: no double within 4 ulps of it can be the
    // nearest to a decimal of fewer digits (two such decimals differ by at least 1e-14 of
    // their size, some 45 ulps), so the neighbours need not be tried.
    if (step == 0 && best && best->digits <= 14) return best;
  }
  return best;
}

// Units the writer uses, per kind. `primary` (ascending) gives the natural SI prefix;
// `secondary` units are used when they need fewer digits (512 KiB, 3 y, 1 /min).
struct UnitSet {
  std::vector<std::string_view> primary;
  std::vector<std::string_view> secondary;
};

const UnitSet& units_for(UnitKind kind) {
  static const UnitSet time{{"ns", "us", "ms", "s"}, {"min", "h", "d", "y"}};
  static const UnitSet data{{"B", "KB", "MB", "GB", "TB"}, {"KiB", "MiB", "GiB", "TiB"}};
  static const UnitSet bitrate{{"bps", "Kbps", "Mbps", "Gbps", "Tbps"}, {}};
  static const UnitSet byterate{{"B/s", "KB/s", "MB/s", "GB/s", "TB/s"}, {"GiB/s"}};
  static const UnitSet flops{{"FLOP", "KFLOP", "MFLOP", "GFLOP", "TFLOP", "PFLOP", "EFLOP"}, {}};
  static const UnitSet flop_rate{{"FLOP/s", "GFLOP/s", "TFLOP/s", "PFLOP/s"}, {}};
  static const UnitSet power{{"mW", "W", "kW", "MW"}, {}};
  static const UnitSet energy{{"J", "kJ", "MJ"}, {"Wh", "kWh", "MWh"}};
  static const UnitSet rate{{"/s"}, {"/min", "/h", "/d"}};
  // Prices: every unit is a candidate, fewest digits wins, ties go to the earlier one.
  static const UnitSet energy_price{{"kWh", "MWh", "Wh", "MJ", "kJ", "J"}, {}};
  static const UnitSet data_price{{"GB", "TB", "MB", "KB", "B", "GiB", "TiB", "MiB", "KiB"}, {}};
  static const UnitSet time_price{{"y", "h", "d", "min", "s"}, {}};
  static const UnitSet none{{""}, {}};
  switch (kind) {
    case UnitKind::time: return time;
    case UnitKind::data: return data;
    case UnitKind::bitrate: return bitrate;
    case UnitKind::byterate: return byterate;
    case UnitKind::flops: return flops;
    case UnitKind::flop_rate: return flop_rate;
    case UnitKind::power: return power;
    case UnitKind::energy: return energy;
    case UnitKind::rate: return rate;
    case UnitKind::energy_price: return energy_price;
    case UnitKind::data_price: return data_price;
    case UnitKind::time_price: return time_price;
    case UnitKind::fraction:
    case UnitKind::money: return none;
  }
  return none;
}

// Integer operations (int8 peaks) read better in OP than in FLOP.
const UnitSet kOpRate{{"FLOP/s", "GOP/s", "TOP/s", "POP/s"}, {}};

std::string text_with_units(double si, UnitKind kind, const UnitSet& set, std::string_view currency) {
  const bool price = kind == UnitKind::energy_price || kind == UnitKind::data_price ||
                     kind == UnitKind::time_price;
  if (price || kind == UnitKind::money) {
    std::optional<Written> best;
    for (auto symbol : set.primary) {
      auto w = exact_in(si, symbol, kind, currency);
      if (w && (!best || w->digits < best->digits)) best = w;
    }
    if (best) return best->text;
    return compose(number_text(si), set.primary.front(), kind, currency);
  }
  if (kind == UnitKind::fraction) {
    // "10 %" unless the bare fraction needs fewer significant digits.
    auto percent = exact_in(si, "%", kind, currency);
    auto bare = exact_in(si, "", kind, currency);
    const auto sig = [](const Written& w) { return significant_digits(w.text, false); };
    if (percent && (!bare || sig(*percent) <= sig(*bare))) return percent->text;
    if (bare) return bare->text;
    return number_text(si);  // out of range: the loader says so
  }
  if (si == 0.0 || !std::isfinite(si)) {
    // The base unit (factor 1) is the one whose factor is exactly 1.
    for (auto symbol : set.primary) {
      if (factor_of(symbol, kind) == 1.0) return compose(number_text(si), symbol, kind, currency);
    }
    return compose(number_text(si), set.primary.front(), kind, currency);
  }
  // The natural prefix: the largest primary unit with a number of at least 1 that reads
  // back exactly, else smaller ones, else the smallest unit.
  std::optional<Written> primary;
  for (auto it = set.primary.rbegin(); it != set.primary.rend() && !primary; ++it) {
    const auto f = factor_of(*it, kind);
    if (f && std::abs(si / *f) >= 1.0) primary = exact_in(si, *it, kind, currency);
  }
  for (auto symbol : set.primary) {
    if (primary) break;
    primary = exact_in(si, symbol, kind, currency);
  }
  std::optional<Written> secondary;
  for (auto symbol : set.secondary) {
    const auto f = factor_of(symbol, kind);
    if (!f || std::abs(si / *f) < 1.0) continue;
    auto w = exact_in(si, symbol, kind, currency);
    if (w && (!secondary || w->digits <= secondary->digits)) secondary = w;
  }
  if (secondary && (!primary || secondary->digits < primary->digits)) return secondary->text;
  if (primary) return primary->text;
  return compose(number_text(si), set.primary.front(), kind, currency);
}

// ------------------------------------------------------------------ YAML pieces

bool is_null_word(const std::string& s) {
  return s == "~" || s == "null" || s == "Null" || s == "NULL";
}

// Free text: plain when YAML reads it back unchanged, a literal block for text of whole
// lines (folded descriptions), double-quoted with escapes otherwise.
void text(YAML::Emitter& out, const std::string& s) {
  const bool control = std::any_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 && c != '\n';
  });
  if (s.empty() || is_null_word(s) || control) {
    out << YAML::DoubleQuoted << s;
    return;
  }
  if (s.find('\n') != std::string::npos) {
    bool lines_ok = s.back() == '\n' && (s.size() < 2 || s[s.size() - 2] != '\n');
    std::size_t start = 0;
    while (lines_ok && start < s.size()) {
      const std::size_t end = s.find('\n', start);
      const std::string_view line(s.data() + start, end - start);
      if (line.empty() ? start == 0 : (line.front() == ' ' || line.back() == ' ')) lines_ok = false;
      start = end + 1;
    }
    out << (lines_ok ? YAML::Literal : YAML::DoubleQuoted) << s;
    return;
  }
  out << s;
}

void key(YAML::Emitter& out, const std::string& k) { out << YAML::Key << k << YAML::Value; }

void text_entry(YAML::Emitter& out, const std::string& k, const std::string& v) {
  key(out, k);
  text(out, v);
}

void entry(YAML::Emitter& out, const std::string& k, const std::string& v) {
  key(out, k);
  out << v;
}

void quantity_entry(YAML::Emitter& out, const std::string& k, double si, UnitKind kind) {
  entry(out, k, quantity_text(si, kind));
}

void string_map(YAML::Emitter& out, const std::string& k, const std::map<std::string, std::string>& m) {
  if (m.empty()) return;
  key(out, k);
  out << YAML::BeginMap;
  for (const auto& [name, value] : m) {
    out << YAML::Key;
    text(out, name);
    out << YAML::Value << YAML::DoubleQuoted << value;
  }
  out << YAML::EndMap;
}

std::string finish(YAML::Emitter& out) {
  if (!out.good()) throw std::logic_error("YAML writer: " + out.GetLastError());
  return std::string(out.c_str()) + "\n";
}

// ------------------------------------------------------------------ scenario parts

void write_link(YAML::Emitter& out, const std::string& k, const LinkSpec& l) {
  key(out, k);
  out << YAML::Flow << YAML::BeginMap;
  entry(out, "type", l.type);
  const auto preset = link_preset(l.type);
  if (!preset || preset->latency != l.latency) quantity_entry(out, "latency", l.latency.si(), UnitKind::time);
  if (!preset || preset->bandwidth != l.bandwidth) {
    quantity_entry(out, "bandwidth", l.bandwidth.si(), UnitKind::bitrate);
  }
  out << YAML::EndMap;
}

// A profile's `operating` or a site's `conditions` (temperature, ingress, [power,] ports).
void write_environment(YAML::Emitter& out, const std::optional<double>& min_c, const std::optional<double>& max_c,
                       const std::optional<IngressRating>& ingress, const std::optional<Watts>& power,
                       const std::map<std::string, int>& ports) {
  out << YAML::BeginMap;
  if (min_c || max_c) {
    key(out, "temperature");
    out << YAML::Flow << YAML::BeginMap;
    if (min_c) entry(out, "min", fmt::format("{:g} C", *min_c));
    if (max_c) entry(out, "max", fmt::format("{:g} C", *max_c));
    out << YAML::EndMap;
  }
  if (ingress) entry(out, "ingress", to_string(*ingress));
  if (power) quantity_entry(out, "power", power->si(), UnitKind::power);
  if (!ports.empty()) {
    key(out, "ports");
    out << YAML::Flow << YAML::BeginMap;
    for (const auto& [kind, n] : ports) entry(out, kind, fmt::format("{}", n));
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
}

std::string trace_path(const std::string& trace_file, const std::string& base_dir) {
  std::error_code ec;
  const fs::path file = fs::absolute(trace_file, ec).lexically_normal();
  if (ec) return trace_file;
  const fs::path base = fs::absolute(base_dir.empty() ? fs::path(".") : fs::path(base_dir), ec).lexically_normal();
  if (ec) return file.generic_string();
  const fs::path rel = file.lexically_relative(base);
  return rel.empty() ? file.generic_string() : rel.generic_string();
}

void write_arrival(YAML::Emitter& out, const Arrival& a, const std::string& base_dir) {
  key(out, "arrival");
  out << (a.kind == ArrivalKind::diurnal ? YAML::Block : YAML::Flow) << YAML::BeginMap;
  entry(out, "process", to_string(a.kind));
  switch (a.kind) {
    case ArrivalKind::trace:
      text_entry(out, "file", trace_path(a.trace_file, base_dir));
      break;
    case ArrivalKind::periodic:
      quantity_entry(out, "rate", a.rate.si(), UnitKind::rate);
      if (a.jitter.si() != 0.0) quantity_entry(out, "jitter", a.jitter.si(), UnitKind::time);
      break;
    case ArrivalKind::poisson:
      quantity_entry(out, "rate", a.rate.si(), UnitKind::rate);
      break;
    case ArrivalKind::bursty:
      quantity_entry(out, "rate", a.rate.si(), UnitKind::rate);
      quantity_entry(out, "on", a.on_time.si(), UnitKind::time);
      quantity_entry(out, "off", a.off_time.si(), UnitKind::time);
      break;
    case ArrivalKind::diurnal:
      quantity_entry(out, "rate", a.rate.si(), UnitKind::rate);
      key(out, "hourly");
      out << YAML::Flow << YAML::BeginSeq;
      for (double h : a.hourly) out << number_text(h);
      out << YAML::EndSeq;
      if (a.start_hour) entry(out, "start_hour", std::to_string(*a.start_hour));  // unset: the busiest hour, left unset
      break;
  }
  out << YAML::EndMap;
}

void write_stage(YAML::Emitter& out, const Stage& st) {
  out << YAML::Flow << YAML::BeginMap;
  if (st.id != st.model) text_entry(out, "id", st.id);
  text_entry(out, "model", st.model);
  if (st.precision) entry(out, "precision", to_string(*st.precision));
  quantity_entry(out, "output", st.output.si(), UnitKind::data);
  if (st.fraction != 1.0) quantity_entry(out, "fraction", st.fraction, UnitKind::fraction);
  const auto& v = st.variability;
  if (v.distribution != ServiceDistribution::deterministic) {
    key(out, "variability");
    out << YAML::Flow << YAML::BeginMap;
    if (v.distribution == ServiceDistribution::exponential) {
      entry(out, "distribution", "exponential");
    } else {
      entry(out, "distribution", "lognormal");
      entry(out, "cv", number_text(v.cv));
    }
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
}

void write_length(YAML::Emitter& out, const std::string& k, const LengthDistribution& d) {
  key(out, k);
  out << YAML::Flow << YAML::BeginMap;
  entry(out, "distribution", to_string(d.shape));
  switch (d.shape) {
    case LengthShape::fixed: entry(out, "value", number_text(d.mean)); break;
    case LengthShape::uniform:
      entry(out, "min", number_text(d.min));
      entry(out, "max", number_text(d.max));
      break;
    case LengthShape::lognormal:
      entry(out, "mean", number_text(d.mean));
      entry(out, "cv", number_text(d.cv));
      if (d.min != 1) entry(out, "min", number_text(d.min));
      if (d.max != 0) entry(out, "max", number_text(d.max));
      break;
    case LengthShape::empirical:
      key(out, "values");
      out << YAML::Flow << YAML::BeginSeq;
      for (double v : d.values) out << number_text(v);
      out << YAML::EndSeq;
      break;
  }
  out << YAML::EndMap;
}

void write_slo_map(YAML::Emitter& out, const std::string& k, const Slo& slo) {
  key(out, k);
  out << YAML::Flow << YAML::BeginMap;
  entry(out, "percentile", number_text(slo.percentile));
  quantity_entry(out, "latency", slo.latency.si(), UnitKind::time);
  quantity_entry(out, "max_violation", slo.max_violation, UnitKind::fraction);
  out << YAML::EndMap;
}

void write_llm(YAML::Emitter& out, const LlmServing& l) {
  key(out, "llm");
  out << YAML::BeginMap;
  text_entry(out, "model", l.model);
  if (l.precision) entry(out, "precision", to_string(*l.precision));
  write_length(out, "prompt_tokens", l.prompt_tokens);
  write_length(out, "output_tokens", l.output_tokens);
  entry(out, "token_budget", fmt::format("{}", l.token_budget));
  entry(out, "max_sequences", fmt::format("{}", l.max_sequences));
  out << YAML::EndMap;
  key(out, "slo");
  out << YAML::BeginMap;
  write_slo_map(out, "ttft", l.ttft);
  write_slo_map(out, "tpot", l.tpot);
  out << YAML::EndMap;
}

void write_stream(YAML::Emitter& out, const Stream& x, const std::string& base_dir) {
  out << YAML::BeginMap;
  text_entry(out, "id", x.id);
  text_entry(out, "site", x.site);
  entry(out, "sources", fmt::format("{}", x.sources));
  write_arrival(out, x.arrival, base_dir);
  quantity_entry(out, "payload", x.payload.si(), UnitKind::data);
  quantity_entry(out, "result", x.result.si(), UnitKind::data);
  if (!x.return_result) entry(out, "return_result", "false");
  if (x.raw_data_local) entry(out, "raw_data_local", "true");
  if (x.video) {
    key(out, "video");
    out << YAML::Flow << YAML::BeginMap;
    entry(out, "codec", x.video->codec);
    entry(out, "resolution", fmt::format("{}x{}", x.video->width, x.video->height));
    if (x.video->fps.si() > 0) quantity_entry(out, "fps", x.video->fps.si(), UnitKind::rate);
    out << YAML::EndMap;
  }
  if (x.llm) {
    write_llm(out, *x.llm);
    out << YAML::EndMap;
    return;
  }
  key(out, "pipeline");
  out << YAML::BeginSeq;
  for (const auto& st : x.pipeline) write_stage(out, st);
  out << YAML::EndSeq;
  key(out, "slo");
  out << YAML::Flow << YAML::BeginMap;
  entry(out, "percentile", number_text(x.slo.percentile));
  quantity_entry(out, "latency", x.slo.latency.si(), UnitKind::time);
  quantity_entry(out, "max_violation", x.slo.max_violation, UnitKind::fraction);
  out << YAML::EndMap;
  out << YAML::EndMap;
}

void write_batch_job(YAML::Emitter& out, const BatchJob& j) {
  out << YAML::BeginMap;
  text_entry(out, "id", j.id);
  text_entry(out, "kind", j.kind);
  quantity_entry(out, "total_flops", j.total_flops.si(), UnitKind::flops);
  if (j.total_bytes.si() != 0.0) quantity_entry(out, "total_bytes", j.total_bytes.si(), UnitKind::data);
  if (j.dataset.si() != 0.0) quantity_entry(out, "dataset", j.dataset.si(), UnitKind::data);
  entry(out, "precision", to_string(j.precision));
  entry(out, "min_devices", fmt::format("{}", j.min_devices));
  if (j.scaling_efficiency_given) entry(out, "scaling_efficiency", number_text(j.scaling_efficiency));
  if (j.parameters != 0.0) entry(out, "parameters", number_text(j.parameters));
  if (j.steps != 0.0) entry(out, "steps", number_text(j.steps));
  quantity_entry(out, "deadline", j.deadline.si(), UnitKind::time);
  if (j.every.si() > 0) quantity_entry(out, "every", j.every.si(), UnitKind::time);
  if (j.render_samples > 0) {
    key(out, "render");
    out << YAML::Flow << YAML::BeginMap;
    entry(out, "samples", number_text(j.render_samples));
    if (j.scene_memory.si() != 0.0) quantity_entry(out, "scene_memory", j.scene_memory.si(), UnitKind::data);
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
}

void price_entry(YAML::Emitter& out, const std::string& k, const Price& p, UnitKind kind) {
  entry(out, k, quantity_text(p.per_si, kind, p.currency));
}

void write_costs(YAML::Emitter& out, const Costs& c) {
  key(out, "costs");
  out << YAML::BeginMap;
  text_entry(out, "currency", c.currency);
  quantity_entry(out, "horizon", c.horizon.si(), UnitKind::time);
  quantity_entry(out, "amortisation", c.amortisation.si(), UnitKind::time);
  price_entry(out, "electricity", c.electricity, UnitKind::energy_price);
  entry(out, "pue", number_text(c.pue));
  price_entry(out, "bandwidth", c.bandwidth, UnitKind::data_price);
  price_entry(out, "maintenance_per_unit", c.maintenance_per_unit, UnitKind::time_price);
  entry(out, "site_visit", quantity_text(c.site_visit.amount, UnitKind::money, c.site_visit.currency));
  entry(out, "visits_per_site_per_year", number_text(c.visits_per_site_per_year));
  if (c.gpu_hour.per_si != 0.0 || c.gpu_hour.currency != c.currency) {
    price_entry(out, "gpu_hour", c.gpu_hour, UnitKind::time_price);
  }
  out << YAML::EndMap;
}

void write_candidate(YAML::Emitter& out, const CandidateSpec& c) {
  out << YAML::BeginMap;
  entry(out, "family", to_string(c.family));
  // The loader reads these keys for every family; the ones that do not apply are written
  // only when they differ from the default.
  switch (c.family) {
    case Family::edge:
      text_entry(out, "hardware", c.edge_hardware);
      if (!c.edge_accelerator.empty()) text_entry(out, "accelerator", c.edge_accelerator);
      entry(out, "units_per_site", fmt::format("{}", c.units_per_site));
      if (c.servers != 1) entry(out, "servers", fmt::format("{}", c.servers));
      break;
    case Family::gpu:
      text_entry(out, "hardware", c.gpu_hardware);
      if (c.units_per_site != 1) entry(out, "units_per_site", fmt::format("{}", c.units_per_site));
      entry(out, "servers", fmt::format("{}", c.servers));
      break;
    case Family::hybrid:
      text_entry(out, "edge", c.edge_hardware);
      if (!c.edge_accelerator.empty()) text_entry(out, "accelerator", c.edge_accelerator);
      text_entry(out, "gpu", c.gpu_hardware);
      entry(out, "edge_stages", fmt::format("{}", c.edge_stages));
      entry(out, "units_per_site", fmt::format("{}", c.units_per_site));
      entry(out, "servers", fmt::format("{}", c.servers));
      break;
  }
  if (c.batching.max_batch != 1 || c.batching.max_wait.si() != 0.0) {
    key(out, "batching");
    out << YAML::Flow << YAML::BeginMap;
    entry(out, "max_batch", fmt::format("{}", c.batching.max_batch));
    quantity_entry(out, "max_wait", c.batching.max_wait.si(), UnitKind::time);
    out << YAML::EndMap;
  }
  if (c.queue_capacity != 0) entry(out, "queue_capacity", fmt::format("{}", c.queue_capacity));
  out << YAML::EndMap;
}

}  // namespace

std::string number_text(double v) { return fmt::format("{}", v); }

std::string quantity_text(double si, UnitKind kind, std::string_view currency) {
  return text_with_units(si, kind, units_for(kind), currency);
}

// ------------------------------------------------------------------ profile

std::string profile_yaml(const HardwareProfile& p) {
  const HardwareProfile defaults;
  YAML::Emitter out;
  out.SetIndent(2);
  out << YAML::BeginMap;
  text_entry(out, "id", p.id);
  text_entry(out, "name", p.name);
  entry(out, "class", to_string(p.klass));
  if (!p.form_factor.empty()) text_entry(out, "form_factor", p.form_factor);
  entry(out, "accelerators", fmt::format("{}", p.accelerators));

  key(out, "compute");
  out << YAML::BeginMap;
  for (const auto& [prec, peak] : p.peak) {
    const UnitSet& set = prec == Precision::int8 ? kOpRate : units_for(UnitKind::flop_rate);
    const std::string name = prec == Precision::fp16 ? p.sixteen_bit : to_string(prec);  // bf16 stays bf16
    entry(out, name, text_with_units(peak.si(), UnitKind::flop_rate, set, {}));
  }
  out << YAML::EndMap;

  key(out, "memory");
  out << YAML::BeginMap;
  if (p.memory_capacity.si() != 0.0) quantity_entry(out, "capacity", p.memory_capacity.si(), UnitKind::data);
  quantity_entry(out, "bandwidth", p.memory_bandwidth.si(), UnitKind::byterate);
  if (p.on_chip_memory.si() != 0.0) quantity_entry(out, "on_chip", p.on_chip_memory.si(), UnitKind::data);
  if (p.on_chip_bandwidth.si() != 0.0) quantity_entry(out, "on_chip_bandwidth", p.on_chip_bandwidth.si(), UnitKind::byterate);
  out << YAML::EndMap;

  // A group present in a file needs a source, so the optional groups are written only
  // when they carry information: a value other than the default, or a source.
  if (p.efficiency_compute != defaults.efficiency_compute ||
      p.efficiency_memory != defaults.efficiency_memory ||
      p.half_efficiency_batch != defaults.half_efficiency_batch || p.launch != defaults.launch ||
      p.sources.contains("efficiency")) {
    key(out, "efficiency");
    out << YAML::BeginMap;
    entry(out, "compute", number_text(p.efficiency_compute));
    entry(out, "memory", number_text(p.efficiency_memory));
    entry(out, "half_batch", number_text(p.half_efficiency_batch));
    if (p.launch != defaults.launch) quantity_entry(out, "launch", p.launch.si(), UnitKind::time);
    out << YAML::EndMap;
  }
  if (p.overhead != defaults.overhead || p.sources.contains("overhead")) {
    quantity_entry(out, "overhead", p.overhead.si(), UnitKind::time);
  }

  key(out, "power");
  out << YAML::BeginMap;
  quantity_entry(out, "idle", p.power_idle.si(), UnitKind::power);
  quantity_entry(out, "max", p.power_max.si(), UnitKind::power);
  if (!p.power_modes.empty()) {
    key(out, "modes");
    out << YAML::Flow << YAML::BeginSeq;
    for (const auto& m : p.power_modes) out << quantity_text(m.si(), UnitKind::power);
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;

  if (p.price != defaults.price || p.sources.contains("price")) {
    entry(out, "price", quantity_text(p.price.amount, UnitKind::money, p.price.currency));
  }
  if (p.price_year != 0) entry(out, "price_year", fmt::format("{}", p.price_year));
  if (p.gpu_hour_on_demand.per_si > 0 || p.gpu_hour_reserved.per_si > 0) {
    key(out, "gpu_hour");
    out << YAML::BeginMap;
    if (p.gpu_hour_on_demand.per_si > 0) price_entry(out, "on_demand", p.gpu_hour_on_demand, UnitKind::time_price);
    if (p.gpu_hour_reserved.per_si > 0) price_entry(out, "reserved", p.gpu_hour_reserved, UnitKind::time_price);
    out << YAML::EndMap;
  }
  if (p.interconnect_bandwidth.si() > 0) {
    key(out, "interconnect");
    out << YAML::BeginMap;
    text_entry(out, "kind", p.interconnect);
    quantity_entry(out, "bandwidth", p.interconnect_bandwidth.si(), UnitKind::byterate);
    if (p.interconnect_latency.si() != 0.0) quantity_entry(out, "latency", p.interconnect_latency.si(), UnitKind::time);
    if (p.scale_out_bandwidth.si() != 0.0) quantity_entry(out, "scale_out", p.scale_out_bandwidth.si(), UnitKind::byterate);
    out << YAML::EndMap;
  }
  if (!p.server_gpus.empty()) {
    key(out, "server");
    out << YAML::BeginMap;
    key(out, "gpus");
    out << YAML::Flow << YAML::BeginSeq;
    for (int g : p.server_gpus) out << g;
    out << YAML::EndSeq;
    entry(out, "host_price", quantity_text(p.host_price.amount, UnitKind::money, p.host_price.currency));
    quantity_entry(out, "host_power", p.host_power.si(), UnitKind::power);
    out << YAML::EndMap;
  }
  if (p.render_speed.si() > 0) {
    key(out, "render");
    out << YAML::BeginMap;
    quantity_entry(out, "speed", p.render_speed.si(), UnitKind::rate);
    if (!p.render_benchmark.empty()) text_entry(out, "benchmark", p.render_benchmark);
    out << YAML::EndMap;
  }
  if (!p.decode_1080p30.empty()) {
    key(out, "decode");
    out << YAML::BeginMap;
    for (const auto& [codec, n] : p.decode_1080p30) entry(out, codec, number_text(n));
    out << YAML::EndMap;
  }
  if (p.mtbf.si() > 0) {
    key(out, "reliability");
    out << YAML::BeginMap;
    quantity_entry(out, "mtbf", p.mtbf.si(), UnitKind::time);
    quantity_entry(out, "repair", p.repair_time.si(), UnitKind::time);
    out << YAML::EndMap;
  }
  if (!p.interfaces.empty()) {
    key(out, "interfaces");
    out << YAML::Flow << YAML::BeginSeq;
    for (const auto& i : p.interfaces) text(out, i);
    out << YAML::EndSeq;
  }
  if (!p.environment.empty()) text_entry(out, "environment", p.environment);
  if (!p.datacenter_use) entry(out, "datacenter_use", "false");
  if (!p.operating.empty()) {
    key(out, "operating");
    write_environment(out, p.operating.min_c, p.operating.max_c, p.operating.ingress, std::nullopt, p.operating.ports);
  }
  string_map(out, "sources", p.sources);
  string_map(out, "calibration", p.calibration);
  out << YAML::EndMap;
  return finish(out);
}

// ------------------------------------------------------------------ scenario

std::string scenario_yaml(const Scenario& s) {
  return scenario_yaml(s, fs::path(s.file).parent_path().string());
}

std::string scenario_yaml(const Scenario& s, const std::string& base_dir) {
  const Scenario defaults;
  YAML::Emitter out;
  out.SetIndent(2);
  out << YAML::BeginMap;
  text_entry(out, "name", s.name);
  if (!s.description.empty()) text_entry(out, "description", s.description);
  entry(out, "seed", fmt::format("{}", s.seed));
  quantity_entry(out, "duration", s.duration.si(), UnitKind::time);
  quantity_entry(out, "warmup", s.warmup.si(), UnitKind::time);
  if (s.precision != defaults.precision) quantity_entry(out, "precision", s.precision, UnitKind::fraction);
  if (s.dc_fabric_latency != defaults.dc_fabric_latency) {
    quantity_entry(out, "dc_fabric_latency", s.dc_fabric_latency.si(), UnitKind::time);
  }

  key(out, "sites");
  out << YAML::BeginSeq;
  for (const auto& site : s.sites) {
    out << YAML::BeginMap;
    text_entry(out, "id", site.id);
    entry(out, "count", fmt::format("{}", site.count));
    write_link(out, "access", site.access);
    write_link(out, "backhaul", site.backhaul);
    if (!site.conditions.empty()) {
      const SiteConditions& k = site.conditions;
      key(out, "conditions");
      write_environment(out, k.min_c, k.max_c, k.ingress, k.power, k.ports);
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;

  if (!s.streams.empty()) {
    key(out, "streams");
    out << YAML::BeginSeq;
    for (const auto& x : s.streams) write_stream(out, x, base_dir);
    out << YAML::EndSeq;
  }
  if (!s.batch_jobs.empty()) {
    key(out, "batch_jobs");
    out << YAML::BeginSeq;
    for (const auto& j : s.batch_jobs) write_batch_job(out, j);
    out << YAML::EndSeq;
  }

  write_costs(out, s.costs);

  if (s.retraining) {
    const auto& t = *s.retraining;
    key(out, "retraining");
    out << YAML::BeginMap;
    quantity_entry(out, "interval", t.interval.si(), UnitKind::time);
    quantity_entry(out, "upload_fraction", t.upload_fraction, UnitKind::fraction);
    if (t.gpu_hours != 0.0) entry(out, "gpu_hours", number_text(t.gpu_hours));
    quantity_entry(out, "model_size", t.model_size.si(), UnitKind::data);
    if (t.epochs != 0.0) entry(out, "epochs", number_text(t.epochs));
    if (t.samples != 0.0) entry(out, "samples", number_text(t.samples));
    if (t.deadline.si() > 0) quantity_entry(out, "deadline", t.deadline.si(), UnitKind::time);
    entry(out, "precision", to_string(t.precision));
    entry(out, "scaling_efficiency", number_text(t.scaling_efficiency));
    out << YAML::EndMap;
  }

  const auto& k = s.constraints;
  if (k.data_residency || k.site_power_budget || k.backhaul_cap || k.rack_power || k.ignore_datacenter_use) {
    key(out, "constraints");
    out << YAML::BeginMap;
    if (k.data_residency) entry(out, "data_residency", "true");
    if (k.ignore_datacenter_use) entry(out, "ignore_datacenter_use", "true");
    if (k.site_power_budget) quantity_entry(out, "site_power_budget", k.site_power_budget->si(), UnitKind::power);
    if (k.backhaul_cap) quantity_entry(out, "backhaul_cap", k.backhaul_cap->si(), UnitKind::bitrate);
    if (k.rack_power) quantity_entry(out, "rack_power", k.rack_power->si(), UnitKind::power);
    out << YAML::EndMap;
  }

  if (s.design != Design{}) {
    const Design dflt;
    const Design& g = s.design;
    key(out, "design");
    out << YAML::BeginMap;
    key(out, "max_utilisation");
    out << YAML::BeginMap;
    entry(out, "edge", number_text(g.max_edge_utilisation));
    entry(out, "dc", number_text(g.max_dc_utilisation));
    entry(out, "link", number_text(g.max_link_utilisation));
    out << YAML::EndMap;
    if (g.site_spares != dflt.site_spares || g.dc_spares != dflt.dc_spares) {
      key(out, "spares");
      out << YAML::BeginMap;
      entry(out, "site", fmt::format("{}", g.site_spares));
      if (g.dc_spares) entry(out, "dc", fmt::format("{}", *g.dc_spares));
      out << YAML::EndMap;
    }
    out << YAML::EndMap;
  }

  if (!s.candidates.empty()) {
    key(out, "candidates");
    out << YAML::BeginSeq;
    for (const auto& c : s.candidates) write_candidate(out, c);
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
  return finish(out);
}

namespace {

// Every scalar of a YAML tree as "path" -> its text, in document order; a sequence item by
// its `id` when it has one, else by its position; an empty map or list as one entry.
void flatten(const YAML::Node& n, const std::string& path, std::vector<std::pair<std::string, std::string>>& out) {
  if (n.IsMap() && n.size() > 0) {
    for (const auto& kv : n) flatten(kv.second, path.empty() ? kv.first.Scalar() : path + "." + kv.first.Scalar(), out);
  } else if (n.IsSequence() && n.size() > 0) {
    for (std::size_t i = 0; i < n.size(); ++i) {
      const YAML::Node item = n[i];
      const bool named = item.IsMap() && item["id"] && item["id"].IsScalar();
      flatten(item, fmt::format("{}[{}]", path, named ? item["id"].Scalar() : std::to_string(i)), out);
    }
  } else if (n.IsScalar()) {
    out.emplace_back(path, n.Scalar());
  } else {
    out.emplace_back(path, n.IsSequence() ? "[]" : n.IsMap() ? "{}" : "null");
  }
}

std::vector<std::pair<std::string, std::string>> leaves(const Scenario& s) {
  std::vector<std::pair<std::string, std::string>> out;
  flatten(YAML::Load(scenario_yaml(s)), "", out);
  return out;
}

// The item a path lies in ("streams[cam]" of "streams[cam].slo.latency"), "" at the top.
std::string item_of(const std::string& path) {
  const auto close = path.find(']');
  return close == std::string::npos ? std::string() : path.substr(0, close + 1);
}

}  // namespace

std::vector<std::string> scenario_changes(const Scenario& from, const Scenario& to) {
  const auto a = leaves(from), b = leaves(to);
  std::map<std::string, std::string> in_a(a.begin(), a.end()), in_b(b.begin(), b.end());
  std::set<std::string> items_a, items_b;
  for (const auto& [k, v] : a) items_a.insert(item_of(k));
  for (const auto& [k, v] : b) items_b.insert(item_of(k));
  std::vector<std::string> out;
  std::set<std::string> said;  // items added or removed whole: said once
  const auto whole = [&](const std::string& item, bool added) {
    if (said.insert(item).second) out.push_back(fmt::format("{}: {}", item, added ? "added" : "removed"));
  };
  for (const auto& [k, v] : a) {
    const std::string item = item_of(k);
    if (!item.empty() && !items_b.count(item)) {
      whole(item, false);
    } else if (const auto it = in_b.find(k); it == in_b.end()) {
      out.push_back(fmt::format("{}: {} -> removed", k, v));
    } else if (it->second != v) {
      out.push_back(fmt::format("{}: {} -> {}", k, v, it->second));
    }
  }
  for (const auto& [k, v] : b) {
    const std::string item = item_of(k);
    if (!item.empty() && !items_a.count(item)) {
      whole(item, true);
    } else if (!in_a.count(k)) {
      out.push_back(fmt::format("{}: added, {}", k, v));
    }
  }
  return out;
}

}  // namespace hw
