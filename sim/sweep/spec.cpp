#include "sim/sweep/spec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <stdexcept>

#include "sim/core/text.hpp"
#include "sim/io/detail/yaml_reader.hpp"
#include "sim/io/yaml_writer.hpp"
#include "sim/run/cache.hpp"

namespace fs = std::filesystem;

namespace hw::sweep {
namespace {

using detail::fail;
using detail::location_of;
using detail::MapReader;

constexpr const char* kKeyVersion = "hwplan-sweep-variant 1";

std::string value_problem(const PathSchema& s, const std::string& problem) {
  // The unit parser says what it expects already ("...; expected a number with a unit, ...",
  // or "'15' has no unit; write it with one, like '15 ms' (units: ns, ...)"): once is enough.
  if (problem.find("(expected") != std::string::npos || problem.find("; expected") != std::string::npos ||
      problem.find("(units: ") != std::string::npos) {
    return problem;
  }
  return fmt::format("{} (expected {})", problem, s.expected());
}

ResolvedPath resolve_at(const SweepSpec& spec, const YAML::Node& key_node, const std::string& key, const std::string& path) {
  try {
    return resolve_path(spec.base, path);
  } catch (const std::invalid_argument& e) {
    throw InputError(location_of(spec.file, key_node), key, path, e.what());
  }
}

void check_at(const SweepSpec& spec, const Catalogue& cat, const std::string& currency, const PathSchema& s, const YAML::Node& n,
              const std::string& key) {
  if (!n.IsScalar()) fail(spec.file, n, key, "expected one value, " + s.expected());
  if (auto problem = check_value(s, n.Scalar(), cat, currency)) fail(spec.file, n, key, value_problem(s, *problem));
}

// An axis's values as the sweep file gives them, for an error's value: "[nvidia-l4,
// nvidia-l40s]", "{from: 40 ms, to: 40 ms, steps: 3}".
std::string axis_text(const Axis& a) {
  if (a.range) {
    return fmt::format("{{from: {}, to: {}, steps: {}{}}}", format_like(a.schema(), a.range->from, a.range->like), format_like(a.schema(), a.range->to, a.range->like), a.range->steps,
                       a.range->log ? ", scale: log" : "");
  }
  std::string s;
  for (const auto& v : a.values) s += (s.empty() ? "" : ", ") + v;
  return "[" + s + "]";
}

Axis read_axis(const SweepSpec& spec, const Catalogue& cat, const std::string& currency, const YAML::Node& key_node,
               const YAML::Node& value_node) {
  Axis a;
  a.path = key_node.Scalar();
  a.where = location_of(spec.file, key_node);
  const std::string key = "axes." + a.path;
  a.resolved = resolve_at(spec, key_node, key, a.path);
  const PathSchema& s = *a.resolved.schema;
  if (value_node.IsSequence()) {
    if (value_node.size() == 0) fail(spec.file, value_node, key, "the axis has no values; give at least one");
    for (std::size_t i = 0; i < value_node.size(); ++i) {
      const std::string k = fmt::format("{}[{}]", key, i);
      check_at(spec, cat, currency, s, value_node[i], k);
      a.values.push_back(value_node[i].Scalar());
      a.value_at.push_back(location_of(spec.file, value_node[i]));
    }
    return a;
  }
  if (!value_node.IsMap()) {
    fail(spec.file, value_node, key,
         "expected a list of values ([100, 1000]) or a range ({from: 100, to: 1000, steps: 5, scale: log}); a single value for "
         "every variant goes under 'set:'");
  }
  if (!s.numeric()) fail(spec.file, value_node, key, fmt::format("a range needs a numeric value; '{}' takes {}", a.path, s.expected()));
  MapReader r(value_node, spec.file, key);
  Range g;
  const YAML::Node from_node = r.node("from"), to_node = r.node("to");
  check_at(spec, cat, currency, s, from_node, r.path("from"));
  check_at(spec, cat, currency, s, to_node, r.path("to"));
  g.like = r.str("from");
  g.from = numeric_value(s, g.like);
  g.to = numeric_value(s, r.str("to"));
  g.steps = static_cast<int>(r.integer("steps", 1, 100000));
  // `steps` counts the values, both ends included: one value cannot hold two different ends
  // (it would silently drop 'to'). {from: X, to: X, steps: 1} is one value, and stays valid.
  if (g.steps == 1 && g.from != g.to) {
    fail(spec.file, r.node("steps"), r.path("steps"),
         "a range of 1 step holds 'from' only and would drop 'to'; 'steps' counts the values, both ends included: give at "
         "least 2 (or a list of one value)");
  }
  g.log = r.choice_or("scale", {"linear", "log"}, "linear") == "log";
  r.finish();
  if (g.log && (g.from <= 0 || g.to <= 0)) {  // at the end at fault, with its text ('0 ms')
    const bool at_from = g.from <= 0;
    fail(spec.file, at_from ? from_node : to_node, r.path(at_from ? "from" : "to"),
         fmt::format("a log scale needs 'from' and 'to' above zero; give '{}' a value above zero or use 'scale: linear'",
                     at_from ? "from" : "to"));
  }
  // A boundary map runs from the lower value to the higher, whichever way the range is
  // written: its changes then read "A up to the last value below, then B from the first
  // value above" in rising order (a falling lattice would name them the wrong way round).
  if (spec.mode == Mode::boundary && g.from > g.to) std::swap(g.from, g.to);
  a.range = g;
  a.value_at.clear();
  for (int i = 0; i < g.steps; ++i) {
    const std::string v = a.value_at_t(g.steps == 1 ? 0.0 : static_cast<double>(i) / (g.steps - 1));
    if (!a.values.empty() && a.values.back() == v) continue;  // integer rounding made two steps equal
    if (auto problem = check_value(s, v, cat, currency)) fail(spec.file, value_node, key, value_problem(s, *problem + " (a value of the range)"));
    a.values.push_back(v);
    a.value_at.push_back(location_of(spec.file, value_node));
  }
  return a;
}

// The loader's key path as segments: "streams[0].arrival.jitter" -> streams, 0, arrival, jitter.
std::vector<std::string> key_segments(const std::string& key) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : key) {
    if (c == '.' || c == '[' || c == ']') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// An error in the base scenario with `set` applied, whose line:column is in text the program
// wrote (no file the user has), placed again: at the sweep file's `set:` value when the value
// at fault came from there, else at the base scenario's own line for that key (the nearest
// enclosing one it has), naming what `set:` changed.
InputError placed_set_error(const SweepSpec& spec, const InputError& e) {
  const std::vector<std::string> at = key_segments(e.key());
  std::string changes;
  for (const auto& o : spec.set) {
    if (positional_segments(spec.base, o.resolved.segments) == at) {
      return InputError(o.where, "set." + o.path, o.value, e.problem());
    }
    changes += fmt::format("{}{}: {} ({}:{}:{})", changes.empty() ? "" : ", ", o.path, o.value, o.where.file, o.where.line, o.where.column);
  }
  // The deepest node of the key the base file has (a clone would lose the positions; const
  // lookups never add keys to the base).
  Location where = location_of(spec.scenario, spec.base);
  std::function<void(const YAML::Node&, std::size_t)> walk = [&](const YAML::Node& n, std::size_t i) {
    if (i == at.size()) return;
    const std::string& seg = at[i];
    if (n.IsSequence() && !seg.empty() && seg.find_first_not_of("0123456789") == std::string::npos && std::stoul(seg) < n.size()) {
      const YAML::Node next = n[std::stoul(seg)];
      where = location_of(spec.scenario, next);
      walk(next, i + 1);
    } else if (n.IsMap()) {
      const YAML::Node next = n[seg];
      if (!next.IsDefined()) return;
      where = location_of(spec.scenario, next);
      walk(next, i + 1);
    }
  };
  walk(spec.base, 0);
  return InputError(where, e.key(), e.value(), fmt::format("{} (with the sweep's 'set:' applied: {})", e.problem(), changes));
}

// A variant's load error placed in the sweep file (see ResolvedVariant::placed).
InputError placed_variant_error(const SweepSpec& spec, const Variant& v, const InputError& e) {
  const std::vector<std::string> at = key_segments(e.key());
  for (std::size_t k = 0; k < spec.axes.size() && k < v.values.size(); ++k) {
    const Axis& a = spec.axes[k];
    if (positional_segments(spec.base, a.resolved.segments) != at) continue;
    const auto it = std::find(a.values.begin(), a.values.end(), v.values[k]);
    if (a.range || it == a.values.end()) return InputError(a.value_at.front(), "axes." + a.path, v.values[k], e.problem());
    const auto i = static_cast<std::size_t>(it - a.values.begin());
    return InputError(a.value_at[i], fmt::format("axes.{}[{}]", a.path, i), v.values[k], e.problem());
  }
  Location where = spec.axes.empty() ? Location{spec.file, 0, 0} : spec.axes.front().where;
  if (!spec.axes.empty() && !v.values.empty()) {
    const Axis& a = spec.axes.front();
    const auto it = std::find(a.values.begin(), a.values.end(), v.values.front());
    where = it == a.values.end() || a.range ? a.value_at.front() : a.value_at[static_cast<std::size_t>(it - a.values.begin())];
  }
  return InputError(where, "axes", describe_values(spec, v.values),
                    fmt::format("this combination of values does not load: key '{}', value '{}' in the scenario: {}", e.key(), e.value(),
                                e.problem()));
}

}  // namespace

std::string to_string(Action a) { return a == Action::run ? "run" : "recommend"; }

double Range::at(double t) const {
  if (log) return from * std::pow(to / from, t);
  return from + (to - from) * t;
}

std::string Axis::value_at_t(double t) const {
  return format_like(schema(), range ? range->at(t) : 0.0, range ? range->like : std::string());
}

std::vector<std::string> SweepSpec::axis_paths() const {
  std::vector<std::string> p;
  for (const auto& a : axes) p.push_back(a.path);
  return p;
}

SweepSpec load_sweep(const std::string& path, const Catalogue& cat, std::size_t max_variants) {
  SweepSpec spec;
  spec.file = path;
  const YAML::Node root = detail::load_yaml_file(path);
  MapReader r(root, path, "");
  // Unknown keys first, at their own line with a suggestion: a misspelt required key
  // ('axse:') was reported as the required one missing, at line 1, with no hint.
  r.expect_only({"name", "scenario", "run", "mode", "combine", "sensitivity", "max_depth", "set", "axes", "tolerance"});
  spec.name = r.str_or("name", fs::path(path).stem().string());
  {
    fs::path sc = r.str("scenario");
    if (sc.is_relative()) sc = fs::path(path).parent_path() / sc;
    spec.scenario = sc.lexically_normal().string();
    std::error_code ec;
    if (fs::is_directory(spec.scenario, ec)) {
      fail(path, r.node("scenario"), "scenario", fmt::format("{} is a directory; expected a scenario YAML file", spec.scenario));
    }
    if (!fs::is_regular_file(spec.scenario, ec)) fail(path, r.node("scenario"), "scenario", "scenario file not found: " + spec.scenario);
    // A sweep file as the base (itself, or a cycle s2 -> s3 -> s2): said at this line, not as
    // the scenario's own errors ("unknown key 'scenario'") at line 1 of the other file.
    FileKind kind = FileKind::unknown;
    try {
      kind = detect_kind(spec.scenario);
    } catch (const std::exception&) {  // not YAML, not a mapping: load_scenario below says so in its own file
    }
    if (kind == FileKind::sweep) {
      fail(path, r.node("scenario"), "scenario",
           fmt::format("{} is a sweep file, not a scenario; 'scenario:' names the scenario YAML the sweep varies", spec.scenario));
    }
    spec.base_dir = fs::path(spec.scenario).parent_path().string();
    if (spec.base_dir.empty()) spec.base_dir = ".";
  }
  spec.base = detail::load_yaml_file(spec.scenario);
  // The base scenario itself must be valid: its own errors name its own file.
  (void)load_scenario(spec.scenario, cat);
  std::string currency = "USD";
  if (spec.base.IsMap() && spec.base["costs"].IsMap() && spec.base["costs"]["currency"].IsScalar()) {
    currency = spec.base["costs"]["currency"].Scalar();
  }
  spec.action = r.choice_or("run", {"run", "recommend"}, "recommend") == "run" ? Action::run : Action::recommend;
  spec.mode = r.choice_or("mode", {"grid", "boundary"}, "grid") == "boundary" ? Mode::boundary : Mode::grid;
  spec.zip = r.choice_or("combine", {"grid", "zip"}, "grid") == "zip";
  spec.sensitivity = r.boolean_or("sensitivity", false);
  spec.max_depth = static_cast<int>(r.integer_or("max_depth", 0, 12, 6));
  if (r.has("set")) {
    const YAML::Node set = r.node("set");
    if (!set.IsMap()) fail(path, set, "set", "expected a mapping of 'path: value' lines");
    MapReader check_dups(set, path, "set");  // rejects a path given twice
    for (const auto& kv : set) {
      Override o;
      o.path = kv.first.Scalar();
      o.where = location_of(path, kv.second);
      o.resolved = resolve_at(spec, kv.first, "set." + o.path, o.path);
      check_at(spec, cat, currency, *o.resolved.schema, kv.second, "set." + o.path);
      o.value = kv.second.Scalar();
      spec.set.push_back(o);
    }
  }
  r.allow("set");
  {
    const YAML::Node axes = r.node("axes");
    if (!axes.IsMap()) fail(path, axes, "axes", "expected a mapping of 'path: values' lines, like 'sites.plant.count: [1, 10, 100]'");
    if (axes.size() == 0) {
      fail(path, axes, "axes", "the mapping is empty; expected at least one 'path: values' line, like 'sites.plant.count: [1, 10, 100]'");
    }
    MapReader check_dups(axes, path, "axes");
    for (const auto& kv : axes) {
      Axis a = read_axis(spec, cat, currency, kv.first, kv.second);
      for (const auto& b : spec.axes) {
        if (b.resolved.segments == a.resolved.segments) {
          throw InputError(a.where, "axes." + a.path, a.path, fmt::format("the axis '{}' is given twice", b.path));
        }
      }
      for (const auto& o : spec.set) {
        if (o.resolved.segments == a.resolved.segments) {
          throw InputError(a.where, "axes." + a.path, a.path, "this path is also under 'set:'; keep one");
        }
      }
      spec.axes.push_back(std::move(a));
    }
  }
  if (spec.zip) {
    for (const auto& a : spec.axes) {
      if (a.values.size() != spec.axes.front().values.size()) {
        const Axis& first = spec.axes.front();
        throw InputError(a.where, "axes." + a.path, axis_text(a),
                         fmt::format("'combine: zip' takes the i-th value of every axis together, so it needs axes of equal length: "
                                     "'{}' has {} value(s), '{}' (line {}) has {}; give both the same number of values, or use "
                                     "'combine: grid' for every combination",
                                     a.path, a.values.size(), first.path, first.where.line, first.values.size()));
      }
    }
  }
  if (spec.mode == Mode::boundary) {
    if (spec.axes.size() != 2) {
      fail(path, r.node("axes"), "axes", fmt::format("'mode: boundary' maps two numeric axes; this sweep has {}", spec.axes.size()));
    }
    if (spec.action != Action::recommend) fail(path, r.node("run"), "run", "'mode: boundary' needs 'run: recommend'");
    if (spec.zip) fail(path, r.node("combine"), "combine", "'mode: boundary' refines a grid; drop 'combine: zip'");
    for (auto& a : spec.axes) {
      if (!a.range && !a.schema().numeric()) {
        throw InputError(a.where, "axes." + a.path, axis_text(a),
                         fmt::format("'mode: boundary' maps two numeric axes, and this axis is a list of non-numeric values ({}), "
                                     "which have no order to bisect; use 'mode: grid' for it, or fix it under 'set:' and map two numeric "
                                     "ranges like {{from: 2 ms, to: 40 ms, steps: 5}}",
                                     a.schema().expected()));
      }
      if (!a.range) {
        throw InputError(a.where, "axes." + a.path, axis_text(a),
                         "'mode: boundary' bisects between the values of a range, and this axis is a list; write it as a range, like "
                         "{from: 2, to: 10, steps: 5}");
      }
      if (a.range->steps < 2) {
        throw InputError(a.where, "axes." + a.path, axis_text(a),
                         "'mode: boundary' needs a range of at least 2 steps on each axis, like {from: 2 ms, to: 40 ms, steps: 5}");
      }
      if (a.values.size() < 2) {
        throw InputError(a.value_at.front(), "axes." + a.path, axis_text(a),
                         fmt::format("'mode: boundary' needs a range of at least 2 distinct values on each axis; this one gives only "
                                     "'{}'{}: make 'from' and 'to' differ",
                                     a.values.front(), a.schema().kind == ValueKind::integer ? " (whole numbers, rounded)" : ""));
      }
    }
    std::optional<YAML::Node> tol;
    if (r.has("tolerance")) {
      tol = r.node("tolerance");
      if (!tol->IsMap()) fail(path, *tol, "tolerance", "expected a mapping of 'axis path: tolerance' lines");
      MapReader check_dups(*tol, path, "tolerance");
      for (const auto& kv : *tol) {
        const std::string p = kv.first.Scalar();
        auto it = std::find_if(spec.axes.begin(), spec.axes.end(), [&](const Axis& a) { return a.path == p; });
        if (it == spec.axes.end()) {
          std::vector<std::string> names;
          for (const auto& a : spec.axes) names.push_back(a.path);
          std::string hint;
          if (auto near = did_you_mean(p, names)) hint = fmt::format("; did you mean '{}'?", *near);
          std::string list;
          for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
          fail(path, kv.first, "tolerance." + p,
               fmt::format("not an axis of this sweep{} (axes: {}); give one tolerance per axis path", hint, list));
        }
        check_at(spec, cat, currency, it->schema(), kv.second, "tolerance." + p);
        it->tolerance = numeric_value(it->schema(), kv.second.Scalar());
        if (it->tolerance <= 0) fail(path, kv.second, "tolerance." + p, "the tolerance must be above zero");
      }
    }
    for (auto& a : spec.axes) {
      if (a.tolerance > 0) continue;
      a.tolerance = std::abs(a.range->to - a.range->from) / (a.range->steps - 1) / 8.0;  // 3 bisections
      // A count is located to a whole number: never finer than 1 (which a tolerance given
      // in the file could not be either).
      if (a.schema().kind == ValueKind::integer) a.tolerance = std::max(1.0, std::floor(a.tolerance));
    }
  } else {
    if (r.has("tolerance")) fail(path, r.node("tolerance"), "tolerance", "'tolerance' applies to 'mode: boundary' only");
  }
  r.allow("tolerance");
  r.finish();
  if (!spec.zip) {
    double n = 1;
    for (const auto& a : spec.axes) n *= static_cast<double>(a.values.size());
    if (n > static_cast<double>(max_variants)) {
      // Every variant is loaded and checked before the first simulation (a few ms each: about
      // 4 ms measured on a 2-core machine), and all of them are held in memory.
      // In the unit it reaches ("48 ms", "6.7 min", "2.3 h"): a small grid over a small cap read "about 0 min".
      const std::string checking = format_time(Seconds(n * kCheckSecondsPerVariant));
      fail(path, r.node("axes"), "axes",
           fmt::format("the grid has {:.0f} variants, above the cap of {}{}: each is loaded and checked before the first simulation "
                       "(about {} ms each, an estimate), so checking alone would take about {}; use fewer values{}",
                       n, max_variants, max_variants == kDefaultMaxVariants ? " (the default)" : "", kCheckSecondsPerVariant * 1000, checking,
                       n <= static_cast<double>(kMaxVariantsLimit)
                           ? fmt::format(", or raise the cap with --max-variants {:.0f}", n)
                           : fmt::format(" (--max-variants raises the cap to at most {})", kMaxVariantsLimit)));
    }
  }
  // The base with `set` applied must load: the variants all start from it.
  const std::string text = variant_yaml(spec, {});
  try {
    spec.base_scenario = load_scenario_text(text, spec.base_dir, cat, spec.scenario + " (with the sweep's 'set')");
  } catch (const InputError& e) {
    throw placed_set_error(spec, e);
  }
  return spec;
}

std::vector<Variant> expand(const SweepSpec& spec) {
  std::vector<Variant> out;
  if (spec.axes.empty()) return out;
  if (spec.zip) {
    for (std::size_t i = 0; i < spec.axes.front().values.size(); ++i) {
      Variant v;
      v.index = i;
      for (const auto& a : spec.axes) v.values.push_back(a.values[i]);
      out.push_back(std::move(v));
    }
    return out;
  }
  std::vector<std::size_t> at(spec.axes.size(), 0);
  while (true) {
    Variant v;
    v.index = out.size();
    for (std::size_t k = 0; k < spec.axes.size(); ++k) v.values.push_back(spec.axes[k].values[at[k]]);
    out.push_back(std::move(v));
    // Odometer: the last axis turns fastest.
    std::size_t k = spec.axes.size();
    while (k > 0) {
      --k;
      if (++at[k] < spec.axes[k].values.size()) break;
      at[k] = 0;
      if (k == 0) return out;
    }
  }
}

namespace {
YAML::Node variant_tree(const SweepSpec& spec, const std::vector<std::string>& values) {
  YAML::Node tree = YAML::Clone(spec.base);
  for (const auto& o : spec.set) set_path(tree, o.resolved.segments, o.value);
  for (std::size_t k = 0; k < values.size() && k < spec.axes.size(); ++k) set_path(tree, spec.axes[k].resolved.segments, values[k]);
  return tree;
}
}  // namespace

std::string variant_yaml(const SweepSpec& spec, const std::vector<std::string>& values) {
  YAML::Emitter e;
  e << variant_tree(spec, values);
  return std::string(e.c_str()) + "\n";
}

ResolvedVariant resolve_variant(const SweepSpec& spec, const Catalogue& cat, const Variant& v) {
  ResolvedVariant r;
  r.variant = v;
  const std::string header = fmt::format("{}\n{}\nsensitivity={}\n", kKeyVersion, to_string(spec.action), spec.sensitivity);
  try {
    // The edited tree is loaded as it is: writing it out and reading it back (what a user's
    // file would go through) gives the same scenario, at twice the cost of checking a variant.
    Scenario s = load_scenario_tree(variant_tree(spec, v.values), spec.base_dir, cat, spec.scenario);
    r.key = hash128(header + scenario_yaml(s, spec.base_dir));
    r.scenario = std::move(s);
  } catch (const InputError& e) {
    // A bad combination of values: the error not at a position in the edited tree, which
    // is no file the user has, but at the sweep file's axis value that caused it.
    r.placed = placed_variant_error(spec, v, e);
    const Location& at = r.placed->where();
    const std::string others = spec.axes.size() > 1 ? fmt::format(" (the variant: {})", describe_values(spec, v.values)) : "";
    if (r.placed->key() != "axes") {
      // Each part repeats user text: escaped and bounded as an error on the terminal is, since
      // the row's reason goes to a CSV cell and to the summary.
      r.error = fmt::format("the variant's scenario does not load: key '{}', value '{}' ({}:{}:{}): {}{}", printable(r.placed->key(), 160),
                            printable(r.placed->value()), printable(at.file, 300), at.line, at.column, printable(e.problem(), 1000), others);
    } else {
      r.error = fmt::format("the variant's scenario does not load with {}: key '{}', value '{}': {}", describe_values(spec, v.values),
                            printable(e.key(), 160), printable(e.value()), printable(e.problem(), 1000));
    }
    r.key = hash128(header + "unresolved\n" + variant_yaml(spec, v.values));
  }
  return r;
}

std::string describe_values(const SweepSpec& spec, const std::vector<std::string>& values) {
  std::string s;
  for (std::size_t k = 0; k < values.size() && k < spec.axes.size(); ++k) {
    s += fmt::format("{}{}={}", k ? ", " : "", printable(spec.axes[k].path, 160), printable(values[k]));
  }
  return s;
}

}  // namespace hw::sweep
