// Strict reading of YAML maps: every key is known, every value is checked, and every
// error names file, line, column, key, bad value and expected form.
#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/core/units.hpp"

namespace hw::detail {

Location location_of(const std::string& file, const YAML::Node& n);
std::string scalar_text(const YAML::Node& n);

// A plain decimal number: the whole text is digits, a sign, a point and an exponent (`0.5`,
// `1e-3`), finite; no hexadecimal, `inf` or `nan`, which std::stod would take.
std::optional<double> plain_number(const std::string& text);

[[noreturn]] void fail(const std::string& file, const YAML::Node& n, const std::string& key,
                       const std::string& problem);

// Loads a YAML file; a syntax error becomes an InputError with its position.
YAML::Node load_yaml_file(const std::string& path);
// Reads a whole file (or a pipe) up to InputLimits::file_bytes; InputError past it.
std::string read_limited(const std::string& path);
// Parses YAML text, refusing more than InputLimits::yaml_nodes nodes; errors name
// `display_name` as the file.
YAML::Node load_yaml_text(const std::string& text, const std::string& display_name);

class MapReader {
 public:
  MapReader(const YAML::Node& node, std::string file, std::string path);

  [[nodiscard]] bool has(const std::string& key) const;
  YAML::Node node(const std::string& key);  // required
  [[nodiscard]] const YAML::Node& self() const { return node_; }
  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] std::string path(const std::string& key) const;

  std::string str(const std::string& key);
  std::string str_or(const std::string& key, const std::string& fallback);
  double quantity(const std::string& key, UnitKind kind);
  double quantity_or(const std::string& key, UnitKind kind, double fallback);
  ParsedQuantity priced(const std::string& key, UnitKind kind);
  double number(const std::string& key, double lo, double hi);
  double number_or(const std::string& key, double lo, double hi, double fallback);
  long integer(const std::string& key, long lo, long hi);
  long integer_or(const std::string& key, long lo, long hi, long fallback);
  bool boolean_or(const std::string& key, bool fallback);
  // One of a fixed set of words.
  std::string choice(const std::string& key, const std::vector<std::string>& allowed);
  std::string choice_or(const std::string& key, const std::vector<std::string>& allowed,
                        const std::string& fallback);
  std::vector<std::string> string_list_or(const std::string& key);
  std::map<std::string, std::string> string_map_or(const std::string& key);

  // Parse a scalar with a checked conversion at an arbitrary node.
  double quantity_at(const YAML::Node& n, const std::string& key, UnitKind kind) const;

  // Declares every key this mapping may have and rejects an unknown one at once, at its own
  // line with a suggestion, before any value is read: a wrong key (`title:` for `name:`)
  // is then named as itself rather than as the required key missing. finish() later checks
  // that no key outside the list was read (a key the loader reads must be declared here).
  void expect_only(const std::vector<std::string>& keys);
  // Reject keys not read so far; call after reading all known keys.
  void finish(const std::vector<std::string>& also_allowed = {});
  void allow(const std::string& key) { used_.insert(key); }
  // When `key` is absent and a key the mapping does not allow (neither read, allow()ed nor
  // declared by expect_only) is close to it (a typo), throws the
  // unknown-key error at that key's line, with did-you-mean and `why` the key is needed
  // (default: "the required key '<key>' is missing"); otherwise returns.
  void reject_misspelling_of(const std::string& key, const std::string& why = "") const;

 private:
  YAML::Node get_(const std::string& key);
  YAML::Node node_;
  std::string file_;
  std::string path_;
  std::set<std::string> used_;
  std::set<std::string> declared_;  // expect_only's keys; empty when not declared
};

}  // namespace hw::detail
