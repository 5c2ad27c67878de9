// A sweep file: a base scenario, axes of values at dotted paths into it, how the axes
// combine, and what runs per variant. Everything is checked when the file is loaded, before
// anything runs: unknown paths, values of the wrong unit or out of range, empty axes, zip
// axes of different lengths, each error with the sweep file's line and column.
//
//   name: City CCTV, cameras x WAN latency
//   scenario: ../city-cctv.yaml          # relative to this file
//   run: recommend                       # or run (default recommend)
//   mode: grid                           # or boundary (two numeric range axes)
//   combine: grid                        # or zip (grid mode: the cartesian product, or the i-th values together)
//   sensitivity: false                   # recommend's load and price sensitivity (default off: the CSV does not show it)
//   set: {duration: 10 s}                # fixed changes applied to every variant
//   axes:
//     sites.district.count: [100, 1000, 10000]                 # a list of values
//     sites.district.backhaul.latency: {from: 2 ms, to: 40 ms, steps: 5, scale: linear}   # or scale: log
//   tolerance: {sites.district.backhaul.latency: 1 ms}       # boundary mode: how closely to locate the boundary
//   max_depth: 6                         # boundary mode: at most this many bisections of a coarse cell edge
//
// Variants are made by editing the base scenario's YAML tree at the paths and loading the
// edited text with the scenario loader (relative trace paths resolve from the base
// scenario's folder). A variant's key is the hash of the loaded scenario written back as
// YAML (sim/io/yaml_writer), of what runs and of its options: two spellings of the same
// value ("1 Gbps", "1000 Mbps") are the same variant.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/io/loaders.hpp"
#include "sim/sweep/paths.hpp"
#include "sim/workload/scenario.hpp"

namespace hw::sweep {

enum class Action { run, recommend };
enum class Mode { grid, boundary };
std::string to_string(Action a);

struct Range {
  double from = 0, to = 0;  // SI
  int steps = 2;            // values, ends included
  bool log = false;
  std::string like;         // the `from` text: generated values are written in its unit
  // The value at t in [0, 1] (linear, or geometric when log), SI.
  [[nodiscard]] double at(double t) const;
};

struct Axis {
  std::string path;
  Location where;                    // the axis key in the sweep file
  ResolvedPath resolved;
  std::vector<std::string> values;   // as they go into the scenario ("15 ms")
  std::vector<Location> value_at;    // each value's position (the range's for generated ones)
  std::optional<Range> range;
  double tolerance = 0;              // boundary mode: SI, > 0
  [[nodiscard]] const PathSchema& schema() const { return *resolved.schema; }
  // A value of the range at t in [0, 1] as text (integers rounded).
  [[nodiscard]] std::string value_at_t(double t) const;
};

struct Override {
  std::string path;
  ResolvedPath resolved;
  std::string value;
  Location where;
};

struct SweepSpec {
  std::string file;          // the sweep file
  std::string name;
  std::string scenario;      // the base scenario's path (as resolved from the sweep file)
  std::string base_dir;      // its folder: where relative trace paths resolve
  YAML::Node base;           // its YAML tree (never modified)
  Scenario base_scenario;    // loaded, with the overrides of `set` applied
  Action action = Action::recommend;
  Mode mode = Mode::grid;
  bool zip = false;
  bool sensitivity = false;
  std::vector<Override> set;
  std::vector<Axis> axes;
  int max_depth = 6;
  [[nodiscard]] std::vector<std::string> axis_paths() const;
};

// The most variants a grid may have: every variant is loaded and checked (and held) before
// the first simulation, about kCheckSecondsPerVariant each (an estimate: 5,000 variants of
// factory-vision took about 20 s on a 2-core machine), so 100,000 take about 7 min and a
// million more than an hour. `hwplan sweep --max-variants N` raises the cap up to the limit.
constexpr std::size_t kDefaultMaxVariants = 100000;
constexpr std::size_t kMaxVariantsLimit = 1000000;
constexpr double kCheckSecondsPerVariant = 0.004;

// Loads and checks a sweep file (and its base scenario) against the catalogue. Throws
// InputError naming the sweep file, line, column, key, value and expected form; a grid of
// more than `max_variants` variants is refused.
SweepSpec load_sweep(const std::string& path, const Catalogue& cat, std::size_t max_variants = kDefaultMaxVariants);

struct Variant {
  std::size_t index = 0;             // 0-based, in expansion order
  std::vector<std::string> values;   // one per axis
};

// Grid: the cartesian product, first axis outermost; zip: the i-th value of every axis.
// Boundary mode: the coarse grid.
std::vector<Variant> expand(const SweepSpec& spec);

// A variant's scenario: the base tree with `set` and the variant's values applied, as YAML.
std::string variant_yaml(const SweepSpec& spec, const std::vector<std::string>& values);

struct ResolvedVariant {
  Variant variant;
  std::optional<Scenario> scenario;  // absent when the edited scenario does not load
  std::string error;                 // why it does not ("key 'warmup', value '30 s': ...")
  // The same, placed in the sweep file: at the axis value at fault when the loader's key is
  // an axis's path (key "axes.PATH[i]", that value, the reason), else at the first axis's
  // value of the variant (key "axes", the variant's values, the loader's key and reason).
  std::optional<InputError> placed;
  std::string key;                   // hash of the resolved variant (see above)
};

// Builds and loads one variant; a variant that does not load (a bad combination of values)
// is returned with its error, not thrown.
ResolvedVariant resolve_variant(const SweepSpec& spec, const Catalogue& cat, const Variant& v);

// "sites.district.count=1000, costs.electricity=0.2 USD/kWh"
std::string describe_values(const SweepSpec& spec, const std::vector<std::string>& values);

}  // namespace hw::sweep
