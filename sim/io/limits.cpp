// InputLimits: the process-wide limits on what one input may ask for (sim/io/loaders.hpp).
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "sim/core/units.hpp"
#include "sim/io/loaders.hpp"

namespace hw {

InputLimits& input_limits() {
  static InputLimits limits;
  return limits;
}

namespace {

struct LimitDef {
  const char* name;
  const char* meaning;
};
constexpr LimitDef kLimits[] = {
    {"file-size", "bytes in one YAML or trace file (a number of bytes, or with a unit: '16 MB')"},
    {"yaml-nodes", "scalars, lists and mappings in one YAML file"},
    {"duration", "a scenario's simulated duration (with a unit: '30 d')"},
    {"sites", "represented sites of a scenario: the sum of every site's count"},
    {"sources", "sources of a scenario: every stream's sources times its site's count"},
    {"streams", "streams of a scenario"},
    {"candidates", "entries of a scenario's candidate list"},
    {"batch-jobs", "batch jobs of a scenario"},
    {"trace-rows", "timestamps in one trace file, each a request (a burst of them at one time is all in memory at once)"},
};

constexpr double kMostFileBytes = 1e12;

long whole(const std::string& name, const std::string& text) {
  long v = 0;
  const auto* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || p != end || v < 1) {
    throw std::invalid_argument(fmt::format("--limit {}={}: expected a whole number >= 1 (at most {})", name, text,
                                            std::numeric_limits<long>::max()));
  }
  return v;
}

}  // namespace

void set_input_limit(const std::string& assignment) {
  const auto eq = assignment.find('=');
  std::string names;
  for (const auto& d : kLimits) names += (names.empty() ? "" : ", ") + std::string(d.name);
  if (eq == std::string::npos) {
    throw std::invalid_argument(fmt::format("--limit {}: expected NAME=VALUE with NAME one of {}", assignment, names));
  }
  const std::string name = assignment.substr(0, eq);
  const std::string value = assignment.substr(eq + 1);
  InputLimits& l = input_limits();
  try {
    if (name == "file-size") {
      // A number without a unit is bytes, in any plain form ("8000000", "1e12"); with a
      // unit it is a data size ("16 MB").
      const auto first = value.find_first_not_of(" \t");
      const std::string text = first == std::string::npos ? std::string() : value.substr(first, value.find_last_not_of(" \t") - first + 1);
      double bytes = 0;
      const char* end = text.data() + text.size();
      const auto [p, ec] = std::from_chars(text.data(), end, bytes);
      const bool plain = !text.empty() && p == end && ec != std::errc::invalid_argument;
      if (plain) {
        if (ec == std::errc::result_out_of_range) {
          // Out of a double's range: too large unless the exponent is negative (too small) or
          // the number is.
          const auto e = text.find_first_of("eE");
          const bool tiny = e != std::string::npos && e + 1 < text.size() && text[e + 1] == '-';
          bytes = text[0] == '-' || tiny ? 0.0 : kMostFileBytes * 2;
        } else if (std::isnan(bytes)) {
          throw std::invalid_argument(fmt::format("--limit {}={}: not a number; expected a whole number of bytes, or a size with a unit ('16 MB')", name, value));
        } else if (std::isinf(bytes)) {
          bytes = bytes < 0 ? 0.0 : kMostFileBytes * 2;
        } else if (bytes != std::floor(bytes)) {
          throw std::invalid_argument(fmt::format("--limit {}={}: expected a whole number of bytes, or a size with a unit ('16 MB')", name, value));
        }
      } else {
        bytes = parse_data(value).si();
      }
      if (bytes < 1) throw std::invalid_argument(fmt::format("--limit {}={}: expected at least 1 B", name, value));
      // A file is read into memory whole: more than 1 TB is no limit (and a double above
      // 2^64 has no uint64 value at all).
      if (bytes > kMostFileBytes) {
        throw std::invalid_argument(
            fmt::format("--limit {}={}: expected at most 1 TB (1000000000000 bytes); a YAML or trace file is read into memory whole",
                        name, value));
      }
      l.file_bytes = static_cast<std::uint64_t>(bytes);
    } else if (name == "yaml-nodes") {
      l.yaml_nodes = static_cast<std::uint64_t>(whole(name, value));
    } else if (name == "duration") {
      const double s = parse_quantity(value, UnitKind::time, "duration").si;
      if (s <= 0) throw std::invalid_argument(fmt::format("--limit {}={}: expected a positive time", name, value));
      l.duration_s = s;
    } else if (name == "sites") {
      l.sites = whole(name, value);
    } else if (name == "sources") {
      l.sources = whole(name, value);
    } else if (name == "streams") {
      l.streams = whole(name, value);
    } else if (name == "candidates") {
      l.candidates = whole(name, value);
    } else if (name == "batch-jobs") {
      l.batch_jobs = whole(name, value);
    } else if (name == "trace-rows") {
      l.trace_rows = whole(name, value);
    } else {
      throw std::invalid_argument(fmt::format("--limit {}: unknown limit '{}'; known: {}", assignment, name, names));
    }
  } catch (const UnitError& e) {
    throw std::invalid_argument(fmt::format("--limit {}={}: {}", name, value, e.what()));
  }
}

std::vector<std::string> describe_input_limits() {
  const InputLimits& l = input_limits();
  std::vector<std::string> out;
  for (const auto& d : kLimits) {
    const std::string n = d.name;
    std::string v;
    if (n == "file-size") v = std::to_string(l.file_bytes);
    if (n == "yaml-nodes") v = std::to_string(l.yaml_nodes);
    if (n == "duration") v = format_time(Seconds(l.duration_s));
    if (n == "sites") v = std::to_string(l.sites);
    if (n == "sources") v = std::to_string(l.sources);
    if (n == "streams") v = std::to_string(l.streams);
    if (n == "candidates") v = std::to_string(l.candidates);
    if (n == "batch-jobs") v = std::to_string(l.batch_jobs);
    if (n == "trace-rows") v = std::to_string(l.trace_rows);
    out.push_back(fmt::format("{}={} ({})", n, v, d.meaning));
  }
  return out;
}

}  // namespace hw
