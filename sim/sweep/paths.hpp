// Dotted paths into a scenario's YAML tree, what each path holds, and edits at a path.
//
// A path names a value of the scenario file, one segment per level:
//   costs.electricity                     a key of a mapping
//   sites.district.count                  a list element chosen by its `id` ("district")
//   streams.cctv.pipeline.detect.model    stages too (by `id`, else by `model` when a stage has no id)
//   candidates.0.hardware                 a list element by its position (lists without ids)
// The schema below knows every value a scenario may hold and what it must be (an integer
// in a range, a number, a quantity of one unit kind, a choice, a hardware id, ...), so an
// axis value can be checked before anything runs, with the file, line and column of the
// value in the sweep file.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "sim/core/units.hpp"
#include "sim/io/loaders.hpp"

namespace hw::sweep {

enum class ValueKind {
  integer,   // a whole number in [lo, hi]
  number,    // a plain number in [lo, hi]
  quantity,  // a number with a unit of `unit` (fractions, money and prices included)
  boolean,   // true, false, yes, no
  choice,    // one of `choices`
  hardware,  // a hardware profile id of the catalogue
  model,     // a workload model id of the catalogue
  text,      // anything
};

struct PathSchema {
  std::string pattern;  // "sites.*.count": * stands for a list element
  ValueKind kind = ValueKind::text;
  UnitKind unit = UnitKind::time;  // for quantity
  double lo = 0, hi = 0;           // for integer and number
  bool positive = false;           // quantity: must be > 0 (else >= 0)
  std::vector<std::string> choices;
  [[nodiscard]] bool numeric() const {
    return kind == ValueKind::integer || kind == ValueKind::number || kind == ValueKind::quantity;
  }
  // What a value must look like, for error messages ("a whole number from 1 to 1000000",
  // "a time, like '5 ms'").
  [[nodiscard]] std::string expected() const;
};

// Every path pattern a sweep may change.
const std::vector<PathSchema>& scenario_schema();

// "sites.plant.count" -> {sites, plant, count}; a segment in brackets may hold dots:
// "sites[plant.1].count" -> {sites, plant.1, count}. std::invalid_argument for a '[' without
// its ']' or a ']' followed by anything but '.', '[' or the end.
std::vector<std::string> split_path(const std::string& path);

// Where a path leads in a scenario's YAML tree.
struct ResolvedPath {
  std::vector<std::string> segments;
  std::string pattern;        // the schema pattern it matched ("sites.*.count")
  const PathSchema* schema = nullptr;
  std::string current;        // the base scenario's value there ("" when absent)
};

// Resolves `path` in `root` (the base scenario). Throws std::invalid_argument with a
// sentence saying what is wrong ("no site 'intersection' in the scenario (sites:
// district)", "'costs.electrcity' is not a value of a scenario; did you mean
// 'costs.electricity'?"). The last key, and maps above it, may be absent in the base
// (they are created by set_path); list elements must exist.
ResolvedPath resolve_path(const YAML::Node& root, const std::string& path);

// Sets the scalar at `segments` in `root` (modified in place; clone first), creating
// absent maps on the way.
void set_path(YAML::Node& root, const std::vector<std::string>& segments, const std::string& value);

// `segments` with each list element named by its position ("streams.inspection.rate" ->
// streams, 0, rate), as the loader's key paths name them ("streams[0].rate"); an element
// not in `root` keeps its name.
std::vector<std::string> positional_segments(const YAML::Node& root, const std::vector<std::string>& segments);

// Checks one value against the schema: nothing when it is fine, else the problem in words
// ("'15' has no unit; write it with one, like '15 ms'"). `currency` is the scenario's
// currency, which money and prices must use.
std::optional<std::string> check_value(const PathSchema& schema, const std::string& value, const Catalogue& cat,
                                       const std::string& currency);

// The SI value of a numeric value that check_value accepted (integer and number: itself).
double numeric_value(const PathSchema& schema, const std::string& value);

// The value `si` written in the same unit as `like` ("2 ms" -> "11.5 ms"; "0.08 USD/kWh";
// an integer path rounds: "4200"). Six significant digits.
std::string format_like(const PathSchema& schema, double si, const std::string& like);

}  // namespace hw::sweep
