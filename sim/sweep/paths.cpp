#include "sim/sweep/paths.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <utility>

#include "sim/core/text.hpp"
#include "sim/network/links.hpp"

namespace hw::sweep {
namespace {

PathSchema integer(std::string p, double lo, double hi) {
  PathSchema s;
  s.pattern = std::move(p);
  s.kind = ValueKind::integer;
  s.lo = lo;
  s.hi = hi;
  return s;
}
PathSchema number(std::string p, double lo, double hi) {
  PathSchema s = integer(std::move(p), lo, hi);
  s.kind = ValueKind::number;
  return s;
}
PathSchema quantity(std::string p, UnitKind u, bool positive = false) {
  PathSchema s;
  s.pattern = std::move(p);
  s.kind = ValueKind::quantity;
  s.unit = u;
  s.positive = positive;
  return s;
}
PathSchema of_kind(std::string p, ValueKind k, std::vector<std::string> choices = {}) {
  PathSchema s;
  s.pattern = std::move(p);
  s.kind = k;
  s.choices = std::move(choices);
  return s;
}

std::vector<PathSchema> make_schema() {
  // The loader's precisions (sim/io/loaders.cpp, kPrecisions).
  const std::vector<std::string> precisions{"fp32", "fp16", "bf16", "int8", "fp8", "fp4"};
  std::vector<std::string> link_types;
  for (const auto& p : link_presets()) link_types.push_back(p.type);
  link_types.emplace_back("custom");
  std::vector<PathSchema> v{
      of_kind("name", ValueKind::text),
      of_kind("description", ValueKind::text),
      integer("seed", 0, 4611686018427387904.0),  // 2^62: the loader's and --seed's range (sim/io/loaders.cpp)
      quantity("duration", UnitKind::time, true),
      quantity("warmup", UnitKind::time),
      quantity("dc_fabric_latency", UnitKind::time),
      quantity("precision", UnitKind::fraction),
      integer("sites.*.count", 1, 1000000),
  };
  for (const char* lengths : {"prompt_tokens", "output_tokens"}) {
    const std::string p = fmt::format("streams.*.llm.{}.", lengths);
    v.push_back(of_kind(p + "distribution", ValueKind::choice, {"fixed", "uniform", "lognormal", "empirical"}));
    for (const char* key : {"value", "min", "max"}) v.push_back(integer(p + key, 1, 10000000));
    v.push_back(number(p + "mean", 1, 10000000));
    v.push_back(number(p + "cv", 0, 20));
  }
  for (const char* target : {"ttft", "tpot"}) {
    const std::string p = fmt::format("streams.*.slo.{}.", target);
    v.push_back(number(p + "percentile", 1, 99.999));
    v.push_back(quantity(p + "latency", UnitKind::time, true));
    v.push_back(quantity(p + "max_violation", UnitKind::fraction));
  }
  for (const char* link : {"access", "backhaul"}) {
    v.push_back(of_kind(fmt::format("sites.*.{}.type", link), ValueKind::choice, link_types));
    v.push_back(quantity(fmt::format("sites.*.{}.latency", link), UnitKind::time));
    v.push_back(quantity(fmt::format("sites.*.{}.bandwidth", link), UnitKind::bitrate, true));
  }
  const std::vector<PathSchema> rest{
      of_kind("streams.*.site", ValueKind::text),
      integer("streams.*.sources", 1, 10000000),
      of_kind("streams.*.arrival.process", ValueKind::choice, {"periodic", "poisson", "bursty", "diurnal", "trace"}),
      quantity("streams.*.arrival.rate", UnitKind::rate, true),
      quantity("streams.*.arrival.jitter", UnitKind::time),
      quantity("streams.*.arrival.on", UnitKind::time, true),
      quantity("streams.*.arrival.off", UnitKind::time),
      of_kind("streams.*.arrival.file", ValueKind::text),
      quantity("streams.*.payload", UnitKind::data),
      quantity("streams.*.result", UnitKind::data),
      of_kind("streams.*.return_result", ValueKind::boolean),
      of_kind("streams.*.raw_data_local", ValueKind::boolean),
      of_kind("streams.*.pipeline.*.model", ValueKind::model),
      of_kind("streams.*.pipeline.*.precision", ValueKind::choice, precisions),
      quantity("streams.*.pipeline.*.output", UnitKind::data),
      quantity("streams.*.pipeline.*.fraction", UnitKind::fraction),
      of_kind("streams.*.pipeline.*.variability.distribution", ValueKind::choice, {"deterministic", "exponential", "lognormal"}),
      number("streams.*.pipeline.*.variability.cv", 0, 10),
      number("streams.*.slo.percentile", 1, 99.999),
      quantity("streams.*.slo.latency", UnitKind::time, true),
      quantity("streams.*.slo.max_violation", UnitKind::fraction),
      // A video stream (docs/input-format.md, streams[i].video).
      of_kind("streams.*.video.codec", ValueKind::choice, {"h264", "h265", "av1", "jpeg"}),
      of_kind("streams.*.video.resolution", ValueKind::text),
      quantity("streams.*.video.fps", UnitKind::rate, true),
      // An LLM serving stream (docs/input-format.md, LLM serving streams): its model, lengths,
      // batching limits and the two SLO targets.
      of_kind("streams.*.llm.model", ValueKind::model),
      of_kind("streams.*.llm.precision", ValueKind::choice, precisions),
      integer("streams.*.llm.token_budget", 1, 1000000),
      integer("streams.*.llm.max_sequences", 1, 100000),
      of_kind("batch_jobs.*.kind", ValueKind::choice, {"training", "rendering", "scientific", "inference"}),
      quantity("batch_jobs.*.total_flops", UnitKind::flops),
      quantity("batch_jobs.*.total_bytes", UnitKind::data),
      quantity("batch_jobs.*.dataset", UnitKind::data),
      of_kind("batch_jobs.*.precision", ValueKind::choice, precisions),
      integer("batch_jobs.*.min_devices", 1, 100000),
      number("batch_jobs.*.scaling_efficiency", 0.01, 1),
      quantity("batch_jobs.*.deadline", UnitKind::time),
      number("batch_jobs.*.parameters", 0, 1e15),
      number("batch_jobs.*.steps", 0, 1e12),
      number("batch_jobs.*.render.samples", 1, 1e18),
      quantity("batch_jobs.*.render.scene_memory", UnitKind::data),
      quantity("batch_jobs.*.every", UnitKind::time, true),
      quantity("costs.horizon", UnitKind::time),
      quantity("costs.amortisation", UnitKind::time),
      quantity("costs.electricity", UnitKind::energy_price),
      number("costs.pue", 1, 3),
      quantity("costs.bandwidth", UnitKind::data_price),
      quantity("costs.maintenance_per_unit", UnitKind::time_price),
      quantity("costs.site_visit", UnitKind::money),
      number("costs.visits_per_site_per_year", 0, 365),
      quantity("costs.gpu_hour", UnitKind::time_price),
      quantity("retraining.interval", UnitKind::time, true),
      quantity("retraining.upload_fraction", UnitKind::fraction),
      number("retraining.gpu_hours", 0, 1e9),
      quantity("retraining.model_size", UnitKind::data),
      number("retraining.epochs", 0, 1e6),
      number("retraining.samples", 0, 1e15),
      quantity("retraining.deadline", UnitKind::time, true),
      of_kind("retraining.precision", ValueKind::choice, precisions),
      number("retraining.scaling_efficiency", 0.01, 1),
      of_kind("constraints.data_residency", ValueKind::boolean),
      of_kind("constraints.ignore_datacenter_use", ValueKind::boolean),
      quantity("constraints.site_power_budget", UnitKind::power),
      quantity("constraints.backhaul_cap", UnitKind::bitrate),
      quantity("constraints.rack_power", UnitKind::power),
      // Headroom and redundancy (docs/input-format.md, Design); a share above 0 and at most
      // 100% is checked by the loader when the variant loads.
      quantity("design.max_utilisation.edge", UnitKind::fraction, true),
      quantity("design.max_utilisation.dc", UnitKind::fraction, true),
      quantity("design.max_utilisation.link", UnitKind::fraction, true),
      integer("design.spares.site", 0, 1000),
      integer("design.spares.dc", 0, 1000),
      // Site conditions: the power available to one site's edge units and the ingress rating
      // they must have (a temperature range is not a value a sweep changes).
      quantity("sites.*.conditions.power", UnitKind::power, true),
      of_kind("sites.*.conditions.ingress", ValueKind::text),
      of_kind("candidates.*.family", ValueKind::choice, {"edge", "gpu", "hybrid"}),
      of_kind("candidates.*.hardware", ValueKind::hardware),
      of_kind("candidates.*.accelerator", ValueKind::hardware),
      of_kind("candidates.*.edge", ValueKind::hardware),
      of_kind("candidates.*.gpu", ValueKind::hardware),
      integer("candidates.*.edge_stages", 1, 64),
      integer("candidates.*.units_per_site", 1, 100000),
      integer("candidates.*.servers", 1, 100000),
      integer("candidates.*.queue_capacity", 0, 10000000),
      integer("candidates.*.batching.max_batch", 1, 4096),
      quantity("candidates.*.batching.max_wait", UnitKind::time),
  };
  v.insert(v.end(), rest.begin(), rest.end());
  return v;
}

std::string join(const std::vector<std::string>& v, const std::string& sep, std::size_t max = 24) {
  std::string s;
  for (std::size_t i = 0; i < v.size() && i < max; ++i) s += (i ? sep : "") + v[i];
  if (v.size() > max) s += sep + "...";
  return s;
}

std::string join_path(const std::vector<std::string>& seg, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n && i < seg.size(); ++i) {
    // An id with a dot in brackets, as split_path reads it back ("sites[plant.1].count").
    s += seg[i].find('.') != std::string::npos ? "[" + seg[i] + "]" : (i ? "." : "") + seg[i];
  }
  return s;
}

bool is_index(const std::string& s) {
  return !s.empty() && s.size() < 9 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string scalar(const YAML::Node& n) { return n.IsDefined() && n.IsScalar() ? n.Scalar() : std::string(); }

// How a list element is named in a path: its id, else (a stage) its model, else its position.
std::string element_name(const YAML::Node& el, std::size_t i) {
  if (el.IsMap()) {
    if (auto id = scalar(el["id"]); !id.empty()) return id;
    if (auto m = scalar(el["model"]); !m.empty()) return m;
  }
  return std::to_string(i);
}

// The singular of a list key, for messages.
std::string singular(const std::string& key) {
  if (key == "sites") return "site";
  if (key == "streams") return "stream";
  if (key == "batch_jobs") return "batch job";
  if (key == "candidates") return "candidate";
  if (key == "pipeline") return "stage";
  return "element of '" + key + "'";
}

// Strict plain numbers: digits, sign, point, exponent; no inf, nan, hex or separators.
std::optional<double> plain_number(const std::string& t) {
  if (t.empty() || t.find_first_not_of("0123456789+-.eE") != std::string::npos) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  const auto b = s.find_last_not_of(" \t");
  return s.substr(a, b - a + 1);
}

std::string number_text(double v) {
  std::string s = fmt::format("{:.6g}", v);
  if (s.find('e') != std::string::npos && std::abs(v) >= 1 && std::abs(v) < 1e15) {
    s = fmt::format("{:.6f}", v);
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  return s;
}

// The unit text after the leading number of `text` ("2 ms" -> " ms"), and the number.
std::pair<double, std::string> split_number(const std::string& text) {
  const std::string t = trim(text);
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  return {v, std::string(end)};
}

}  // namespace

const std::vector<PathSchema>& scenario_schema() {
  static const std::vector<PathSchema> s = make_schema();
  return s;
}

std::string PathSchema::expected() const {
  switch (kind) {
    case ValueKind::integer: return fmt::format("a whole number from {:.0f} to {:.0f}", lo, hi);
    case ValueKind::number: return fmt::format("a plain number from {} to {}", number_text(lo), number_text(hi));
    case ValueKind::quantity: return (positive ? "a positive value: " : "") + expected_form(unit);
    case ValueKind::boolean: return "true or false";
    case ValueKind::choice: return "one of: " + join(choices, ", ");
    case ValueKind::hardware: return "a hardware profile id of the catalogue";
    case ValueKind::model: return "a workload model id of the catalogue";
    case ValueKind::text: return "text";
  }
  return "";
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> seg;
  std::string cur;
  bool closed = false;  // just after a bracketed segment: a '.', a '[' or the end must follow
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '[') {
      // `sites[plant.1].count`: an id that holds dots, whole between brackets.
      const auto end = path.find(']', i + 1);
      if (end == std::string::npos) throw std::invalid_argument(fmt::format("'{}' has a '[' without its ']'", path));
      if (!cur.empty()) seg.push_back(cur);
      cur.clear();
      seg.push_back(path.substr(i + 1, end - i - 1));
      i = end;
      closed = true;
      continue;
    }
    if (closed && c != '.') {
      throw std::invalid_argument(fmt::format("'{}': after ']' comes a '.' and the next key, a '[' or the end", path));
    }
    if (c == '.') {
      if (!closed) seg.push_back(cur);
      cur.clear();
      closed = false;
    } else {
      cur += c;
    }
  }
  if (!closed) seg.push_back(cur);
  return seg;
}

namespace {

// Words a user may write for a key, by the key they mean: `streams.transcribe.agents` is the
// stream's sources (the nearest path in letters, 'streams.*.site', is not what was meant).
// Only the last segment is looked up, and only a path the schema has is suggested.
const std::vector<std::pair<std::string, std::vector<std::string>>> kKeyWords{
    {"sources", {"agents", "cameras", "sensors", "devices", "clients", "users", "callers", "terminals"}},
    {"count", {"number", "instances", "copies", "stores", "sites"}},
    {"units_per_site", {"units", "boxes", "nodes"}},
};

std::optional<std::string> meant_path(const std::string& pattern, const std::vector<std::string>& known) {
  const std::size_t dot = pattern.rfind('.');
  const std::string parent = dot == std::string::npos ? std::string() : pattern.substr(0, dot + 1);
  const std::string last = dot == std::string::npos ? pattern : pattern.substr(dot + 1);
  for (const auto& [key, words] : kKeyWords) {
    if (std::none_of(words.begin(), words.end(), [&](const std::string& w) { return iequals(w, last); })) continue;
    if (std::find(known.begin(), known.end(), parent + key) != known.end()) return parent + key;
  }
  return std::nullopt;
}

}  // namespace

ResolvedPath resolve_path(const YAML::Node& root, const std::string& path) {
  ResolvedPath r;
  r.segments = split_path(path);
  for (const auto& s : r.segments) {
    if (s.empty()) throw std::invalid_argument(fmt::format("'{}' has an empty segment; write a dotted path like 'sites.plant.count'", path));
  }
  const YAML::Node top = root;
  YAML::Node cur = YAML::Clone(top);  // read-only walk; a clone keeps operator[] from touching the base
  std::string pattern;
  bool absent = false;  // walked past the end of what the base has
  for (std::size_t i = 0; i < r.segments.size(); ++i) {
    const std::string& seg = r.segments[i];
    const std::string here = join_path(r.segments, i);
    if (!absent && cur.IsSequence()) {
      std::optional<std::size_t> found;
      std::vector<std::string> names;
      for (std::size_t k = 0; k < cur.size(); ++k) {
        const std::string name = element_name(cur[k], k);
        names.push_back(name);
        if (!found && name == seg) found = k;
      }
      if (!found && is_index(seg) && std::stoul(seg) < cur.size()) found = std::stoul(seg);
      // An id that holds a dot, written dotted ('sites.plant.1.count' for the site 'plant.1'):
      // the dots split it; say how to write it.
      const std::string rest = join_path(std::vector<std::string>(r.segments.begin() + static_cast<std::ptrdiff_t>(i), r.segments.end()),
                                         r.segments.size() - i);
      for (const auto& name : names) {
        if (name.find('.') == std::string::npos || !rest.starts_with(name + ".")) continue;
        throw std::invalid_argument(fmt::format("the id '{}' holds a dot, which separates keys in a path: write it in brackets, '{}[{}]{}'",
                                                name, here, name, rest.substr(name.size())));
      }
      if (!found) {
        const std::string list = r.segments[i - 1];
        std::string hint;
        if (auto near = did_you_mean(seg, names)) hint = fmt::format("; did you mean '{}'?", *near);
        throw std::invalid_argument(fmt::format("no {} '{}' in the scenario's '{}'{} (there: {}; a list element is chosen by its id, or by "
                                                "its position from 0)",
                                                singular(list), seg, here, hint, join(names, ", ")));
      }
      pattern += (pattern.empty() ? "" : ".") + std::string("*");
      const YAML::Node next = cur[*found];
      cur.reset(next);
      continue;
    }
    pattern += (pattern.empty() ? "" : ".") + seg;
    if (!absent) {
      if (!cur.IsMap()) {
        throw std::invalid_argument(fmt::format("'{}' is a single value in the scenario; '{}' cannot go below it", here, path));
      }
      const YAML::Node next = cur[seg];
      if (next.IsDefined() && !next.IsNull()) {
        cur.reset(next);
      } else {
        absent = true;
      }
    }
  }
  for (const auto& s : scenario_schema()) {
    if (s.pattern == pattern) r.schema = &s;
  }
  r.pattern = pattern;
  if (!r.schema) {
    // Suggest a real path: the known pattern nearest to this one.
    std::vector<std::string> known;
    for (const auto& s : scenario_schema()) known.push_back(s.pattern);
    std::string hint;
    if (auto meant = meant_path(pattern, known)) {
      hint = fmt::format("; did you mean '{}'?", *meant);
    } else if (auto near = did_you_mean(pattern, known)) {
      hint = fmt::format("; did you mean '{}'?", *near);
    }
    bool container = false;
    for (const auto& k : known) container = container || k.rfind(pattern + ".", 0) == 0;
    if (container) {
      throw std::invalid_argument(fmt::format("'{}' holds several values; name one of them (like '{}.{}')", path, path,
                                              [&] {
                                                for (const auto& k : known) {
                                                  if (k.rfind(pattern + ".", 0) == 0) return k.substr(pattern.size() + 1);
                                                }
                                                return std::string();
                                              }()));
    }
    throw std::invalid_argument(fmt::format("'{}' is not a value a sweep can change{} (docs/sweeps.md, 'Paths', lists them; list elements by id, "
                                            "e.g. 'sites.<site id>.count')",
                                            path, hint));
  }
  if (!absent) {
    if (!cur.IsScalar()) throw std::invalid_argument(fmt::format("'{}' is not a single value in the scenario", path));
    r.current = cur.Scalar();
  }
  return r;
}

std::vector<std::string> positional_segments(const YAML::Node& root, const std::vector<std::string>& segments) {
  std::vector<std::string> out;
  YAML::Node cur = YAML::Clone(root);  // read-only walk, as in resolve_path
  for (const auto& seg : segments) {
    if (cur.IsSequence()) {
      std::optional<std::size_t> found;
      for (std::size_t k = 0; k < cur.size() && !found; ++k) {
        if (element_name(cur[k], k) == seg) found = k;
      }
      if (!found && is_index(seg) && std::stoul(seg) < cur.size()) found = std::stoul(seg);
      out.push_back(found ? std::to_string(*found) : seg);
      if (!found) break;
      const YAML::Node next = cur[*found];
      cur.reset(next);
      continue;
    }
    out.push_back(seg);
    if (!cur.IsMap()) break;
    const YAML::Node next = cur[seg];
    if (!next.IsDefined()) break;
    cur.reset(next);
  }
  for (std::size_t i = out.size(); i < segments.size(); ++i) out.push_back(segments[i]);
  return out;
}

void set_path(YAML::Node& root, const std::vector<std::string>& segments, const std::string& value) {
  // A map created on the way gets what the loader assumes when the map is absent: an absent
  // link is its preset, a link map without `type` is a custom link that needs every figure.
  static const std::vector<std::pair<std::string, std::pair<std::string, std::string>>> created{
      {"sites.*.access", {"type", "wired"}}, {"sites.*.backhaul", {"type", "wan"}}};
  YAML::Node cur = root;
  std::string pattern;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& seg = segments[i];
    const bool last = i + 1 == segments.size();
    pattern += (pattern.empty() ? "" : ".") + (cur.IsSequence() ? std::string("*") : seg);
    if (cur.IsSequence()) {
      std::optional<std::size_t> found;
      for (std::size_t k = 0; k < cur.size() && !found; ++k) {
        if (element_name(cur[k], k) == seg) found = k;
      }
      if (!found && is_index(seg) && std::stoul(seg) < cur.size()) found = std::stoul(seg);
      if (!found) throw std::invalid_argument(fmt::format("no list element '{}'", seg));
      YAML::Node next = cur[*found];
      cur.reset(next);
      continue;
    }
    if (last) {
      cur[seg] = value;
      return;
    }
    YAML::Node next = cur[seg];
    if (!next.IsDefined() || next.IsNull()) {
      YAML::Node fresh(YAML::NodeType::Map);
      for (const auto& [p, kv] : created) {
        if (p == pattern) fresh[kv.first] = kv.second;
      }
      cur[seg] = fresh;
      next.reset(cur[seg]);
    }
    cur.reset(next);
  }
}

std::optional<std::string> check_value(const PathSchema& s, const std::string& raw, const Catalogue& cat, const std::string& currency) {
  const std::string v = trim(raw);
  switch (s.kind) {
    case ValueKind::integer: {
      long x = 0;
      const char* b = v.data();
      const char* e = v.data() + v.size();
      if (!v.empty() && *b == '+') ++b;
      auto [p, ec] = std::from_chars(b, e, x);
      if (v.empty() || ec != std::errc() || p != e) {
        if (auto n = plain_number(v)) return fmt::format("'{}' is not a whole number", v);
        return fmt::format("'{}' is not a whole number (a count takes no unit)", v);
      }
      // Compared as whole numbers: a double would take 2^62 + 1 for 2^62.
      if (x < static_cast<long>(s.lo) || x > static_cast<long>(s.hi)) return fmt::format("{} is out of range", x);
      return std::nullopt;
    }
    case ValueKind::number: {
      auto n = plain_number(v);
      if (!n) return fmt::format("'{}' is not a plain number (this value takes no unit)", v);
      if (*n < s.lo || *n > s.hi) return fmt::format("{} is out of range", v);
      return std::nullopt;
    }
    case ValueKind::quantity: {
      ParsedQuantity q;
      try {
        q = parse_quantity(v, s.unit, s.pattern);  // a bare number is told the unit of that key (ms for a latency)
      } catch (const UnitError& e) {
        return std::string(e.what());
      }
      if (q.si < 0) return "must not be negative";
      if (s.positive && q.si <= 0) return "must be positive";
      if (!q.currency.empty() && q.currency != currency) {
        return fmt::format("currency {} differs from the scenario's currency {}", q.currency, currency);
      }
      return std::nullopt;
    }
    case ValueKind::boolean:
      if (v == "true" || v == "false" || v == "yes" || v == "no") return std::nullopt;
      return fmt::format("'{}' is not true or false", v);
    case ValueKind::choice: {
      if (std::find(s.choices.begin(), s.choices.end(), v) != s.choices.end()) return std::nullopt;
      std::string hint;
      if (auto near = did_you_mean(v, s.choices)) hint = fmt::format("; did you mean '{}'?", *near);
      return fmt::format("'{}' is not allowed here{}", v, hint);
    }
    case ValueKind::hardware:
    case ValueKind::model: {
      std::vector<std::string> known;
      bool found = false;
      if (s.kind == ValueKind::hardware) {
        for (const auto& [id, _] : cat.profiles) known.push_back(id);
        found = cat.profiles.contains(v);
      } else {
        for (const auto& [id, _] : cat.models) known.push_back(id);
        found = cat.models.contains(v);
      }
      if (found) return std::nullopt;
      std::string hint;
      if (auto near = did_you_mean(v, known)) hint = fmt::format("; did you mean '{}'?", *near);
      return fmt::format("unknown {} '{}'{} (known: {})", s.kind == ValueKind::hardware ? "hardware profile" : "model", v, hint,
                         join(known, ", "));
    }
    case ValueKind::text: return std::nullopt;
  }
  return std::nullopt;
}

double numeric_value(const PathSchema& s, const std::string& value) {
  const std::string v = trim(value);
  if (s.kind == ValueKind::quantity) return parse_quantity(v, s.unit).si;
  if (s.kind == ValueKind::integer || s.kind == ValueKind::number) return std::strtod(v.c_str(), nullptr);
  throw std::logic_error("numeric_value of a value that is not a number");
}

std::string format_like(const PathSchema& s, double si, const std::string& like) {
  if (s.kind == ValueKind::integer) return fmt::format("{}", std::llround(si));
  if (s.kind == ValueKind::number) return number_text(si);
  const std::string suffix = split_number(like).second;
  const double factor = parse_quantity("1" + suffix, s.unit).si;
  return number_text(si / factor) + suffix;
}

}  // namespace hw::sweep
