#include "sim/io/trace.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/core/errors.hpp"
#include "sim/io/loaders.hpp"

namespace hw {
namespace {
constexpr double kLargestSize = 1e24;  // bytes, as for any data quantity (sim/core/units.cpp)
bool parse_number(const std::string& s, double& v) {
  try {
    std::size_t pos = 0;
    v = std::stod(s, &pos);
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\r' || s[pos] == '\t')) ++pos;
    return pos == s.size() && std::isfinite(v);
  } catch (const std::exception&) {
    return false;
  }
}
}  // namespace

Trace load_trace(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(Location{path, 0, 0}, "", "", "trace file cannot be opened");
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(path, ec);
  if (!ec && bytes > input_limits().file_bytes) {
    throw InputError(Location{path, 0, 0}, "", "",
                     fmt::format("the trace has {} bytes, above the limit of {}; raise it with --limit file-size=N", bytes,
                                 input_limits().file_bytes));
  }
  Trace t;
  std::string line;
  int lineno = 0;
  int columns = -1;
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    double v = 0;
    // A header is a first line that does not start like a number ("time_s,size_bytes").
    const char c0 = cells[0].empty() ? ' ' : cells[0].front();
    const bool numeric_start = (c0 >= '0' && c0 <= '9') || c0 == '-' || c0 == '+' || c0 == '.';
    if (t.times_s.empty() && columns < 0 && !numeric_start) {
      columns = 0;  // a header line
      continue;
    }
    if (cells.size() > 2) {
      throw InputError(Location{path, lineno, 1}, "", line, "expected 'time_s' or 'time_s,size_bytes'");
    }
    if (!parse_number(cells[0], v) || v < 0) {
      throw InputError(Location{path, lineno, 1}, "time_s", cells[0], "expected a non-negative number of seconds");
    }
    if (!t.times_s.empty() && v < t.times_s.back()) {
      throw InputError(Location{path, lineno, 1}, "time_s", cells[0],
                       fmt::format("time goes backwards (previous line had {})", t.times_s.back()));
    }
    t.times_s.push_back(v);
    if (cells.size() == 2) {
      double size = 0;
      if (!parse_number(cells[1], size) || size < 0 || size > kLargestSize) {
        throw InputError(Location{path, lineno, static_cast<int>(cells[0].size()) + 2}, "size_bytes", cells[1],
                         "expected a non-negative number of bytes, at most 1e24");
      }
      t.sizes_bytes.resize(t.times_s.size() - 1, 0.0);
      t.sizes_bytes.push_back(size);
    }
  }
  if (t.times_s.empty()) throw InputError(Location{path, 0, 0}, "", "", "trace file has no timestamps");
  if (!t.sizes_bytes.empty()) t.sizes_bytes.resize(t.times_s.size(), 0.0);
  return t;
}

}  // namespace hw
