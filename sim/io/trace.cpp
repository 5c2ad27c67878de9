#include "sim/io/trace.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/core/errors.hpp"
#include "sim/io/detail/yaml_reader.hpp"
#include "sim/io/loaders.hpp"

namespace fs = std::filesystem;

namespace hw {
namespace {
constexpr double kLargestSize = 1e24;  // bytes, as for any data quantity (sim/core/units.cpp)
// Spaces and tabs around a cell are not part of it.
std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}
// A plain decimal number (no hexadecimal, inf or nan: docs/input-format.md, trace CSV).
bool parse_number(const std::string& s, double& v) {
  const auto x = detail::plain_number(trimmed(s));
  if (x) v = *x;
  return x.has_value();
}
// What is wrong with a cell written as a plain number that no double holds ("1e400", and
// "1e-400", which is not 0 but is too small to represent), in the loader's words for the
// same fault (sim/core/units.cpp); nothing for any other cell.
std::optional<std::string> range_problem(const std::string& cell, const char* expected) {
  const std::string text = trimmed(cell);
  if (text.empty() || text.find_first_not_of("0123456789+-.eE") != std::string::npos) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || errno != ERANGE) return std::nullopt;
  if (std::isinf(v)) {
    return fmt::format("the number '{}' is out of range (a number from about 1e-308 to 1e308 is expected); expected {}", text, expected);
  }
  return fmt::format("the number '{}' is too small to represent (a number from about 1e-308 to 1e308, or 0, is expected); expected {}",
                     text, expected);
}
}  // namespace

Trace load_trace(const std::string& path) {
  std::error_code ec;
  // A named pipe or a device could block or never end: only a regular file is a trace.
  if (fs::is_directory(path, ec)) throw InputError(Location{path, 0, 0}, "", "", "is a directory; expected a trace CSV file");
  if (fs::exists(path, ec) && !fs::is_regular_file(path, ec)) {
    throw InputError(Location{path, 0, 0}, "", "", "is not a regular file (a pipe or a device); expected a trace CSV file");
  }
  errno = 0;
  std::ifstream in(path);
  if (!in) {
    const int err = errno;  // the open(2) that failed (permission denied, too many open files)
    throw InputError(Location{path, 0, 0}, "", "",
                     err != 0 ? fmt::format("trace file cannot be opened: {}", std::strerror(err)) : std::string("trace file cannot be opened"));
  }
  const auto bytes = fs::file_size(path, ec);
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
    if (trimmed(line).empty() || line[0] == '#') continue;
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    double v = 0;
    // A header is a first line that does not start like a number ("time_s,size_bytes");
    // spaces before the number do not make a header.
    const std::string first = trimmed(cells[0]);
    const char c0 = first.empty() ? ' ' : first.front();
    const bool numeric_start = (c0 >= '0' && c0 <= '9') || c0 == '-' || c0 == '+' || c0 == '.';
    if (t.times_s.empty() && columns < 0 && !numeric_start) {
      columns = 0;  // a header line
      continue;
    }
    if (cells.size() > 2) {
      throw InputError(Location{path, lineno, 1}, "", line, "expected 'time_s' or 'time_s,size_bytes'");
    }
    if (t.times_s.size() >= static_cast<std::size_t>(input_limits().trace_rows)) {
      // Each timestamp becomes a request, and requests at the same time are all held at once
      // (a transfer each, about 1.5 KB): 3.9 million rows of "0" in a 7.8 MB file took 5.9 GB.
      throw InputError(Location{path, lineno, 1}, "", "",
                       fmt::format("the trace has more than {} timestamps, the limit (each is a request, and requests "
                                   "at the same time are all in memory at once); raise it with --limit trace-rows=N",
                                   input_limits().trace_rows));
    }
    if (auto why = range_problem(cells[0], "a non-negative number of seconds")) {
      throw InputError(Location{path, lineno, 1}, "time_s", cells[0], *why);
    }
    if (!parse_number(cells[0], v) || v < 0) {
      throw InputError(Location{path, lineno, 1}, "time_s", cells[0], "expected a non-negative number of seconds, written plainly (like 0.25 or 1e3)");
    }
    if (!t.times_s.empty() && v < t.times_s.back()) {
      throw InputError(Location{path, lineno, 1}, "time_s", cells[0],
                       fmt::format("time goes backwards (previous line had {})", t.times_s.back()));
    }
    t.times_s.push_back(v);
    if (cells.size() == 2) {
      double size = 0;
      if (auto why = range_problem(cells[1], "a non-negative number of bytes, at most 1e24")) {
        throw InputError(Location{path, lineno, static_cast<int>(cells[0].size()) + 2}, "size_bytes", cells[1], *why);
      }
      if (!parse_number(cells[1], size) || size < 0 || size > kLargestSize) {
        throw InputError(Location{path, lineno, static_cast<int>(cells[0].size()) + 2}, "size_bytes", cells[1],
                         "expected a non-negative number of bytes, at most 1e24, written plainly (like 1500)");
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
