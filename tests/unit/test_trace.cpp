// Arrival traces (sim/io/trace): CSV of timestamps with an optional size column.
// The trace files are in tests/data/traces/ (see tests/data/README.md).
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/io/loaders.hpp"
#include "sim/io/trace.hpp"

namespace {

std::string trace_path(const std::string& name) { return std::string(HWPLAN_TEST_DATA) + "/traces/" + name; }

// The InputError message load_trace gives for a file; "" if it loads.
std::string trace_error(const std::string& name) {
  try {
    hw::load_trace(trace_path(name));
  } catch (const hw::InputError& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// A trace written by the test into a folder of its own, removed with it.
struct TempTrace {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("hwplan-trace-test-" + std::to_string(::getpid()));
  std::string path;
  explicit TempTrace(const std::string& text) {
    std::filesystem::create_directories(dir);
    path = (dir / "t.csv").string();
    std::ofstream(path, std::ios::binary) << text;
  }
  ~TempTrace() { std::filesystem::remove_all(dir); }
  [[nodiscard]] std::string error() const {
    try {
      hw::load_trace(path);
    } catch (const hw::InputError& e) {
      return e.what();
    }
    return "";
  }
};

struct DefaultLimits {
  ~DefaultLimits() { hw::input_limits() = hw::InputLimits{}; }
};

}  // namespace

TEST_CASE("trace: a file of timestamps loads, equal times allowed, no sizes") {
  auto t = hw::load_trace(trace_path("times.csv"));
  CHECK(t.times_s == std::vector<double>{0.0, 0.5, 0.5, 1.25});
  CHECK(t.sizes_bytes.empty());
}

TEST_CASE("trace: a header line, CRLF ends, comments and blank lines are skipped") {
  auto t = hw::load_trace(trace_path("header_sizes.csv"));
  CHECK(t.times_s == std::vector<double>{0.0, 0.1, 0.25});
}

TEST_CASE("trace: the second column gives the payload sizes") {
  auto t = hw::load_trace(trace_path("header_sizes.csv"));
  CHECK(t.sizes_bytes == std::vector<double>{1500, 200, 64000});
}

TEST_CASE("trace: a bad number names the file, the line and the value") {
  const std::string msg = trace_error("bad_number.csv");
  CHECK(contains(msg, "bad_number.csv:4:1"));
  CHECK(contains(msg, "'0.2x'"));
  CHECK(contains(msg, "non-negative number of seconds"));
}

TEST_CASE("trace: time going backwards names the file and the line") {
  const std::string msg = trace_error("backwards.csv");
  CHECK(contains(msg, "backwards.csv:3:1"));
  CHECK(contains(msg, "time goes backwards"));
  CHECK(contains(msg, "0.3"));  // the previous time
}

TEST_CASE("trace: a negative size names the file, the line and the column") {
  const std::string msg = trace_error("negative_size.csv");
  CHECK(contains(msg, "negative_size.csv:3:5"));  // "0.1,-5": the size starts at column 5
  CHECK(contains(msg, "size_bytes"));
  CHECK(contains(msg, "'-5'"));
}

TEST_CASE("trace: a negative time is rejected") {
  const std::string msg = trace_error("negative_time.csv");
  CHECK(contains(msg, "negative_time.csv:1:1"));
  CHECK(contains(msg, "'-1.0'"));
}

TEST_CASE("trace: three columns are rejected with the expected form") {
  const std::string msg = trace_error("three_columns.csv");
  CHECK(contains(msg, "three_columns.csv:2:1"));
  CHECK(contains(msg, "time_s,size_bytes"));
}

TEST_CASE("trace: an empty file names the file and says it has no timestamps") {
  const std::string msg = trace_error("empty.csv");
  CHECK(contains(msg, "empty.csv"));
  CHECK(contains(msg, "no timestamps"));
}

TEST_CASE("trace: a header with no data has no timestamps") {
  CHECK(contains(trace_error("header_only.csv"), "no timestamps"));
}

TEST_CASE("trace: a missing file is an InputError naming it") {
  const std::string msg = trace_error("no_such_trace.csv");
  CHECK(contains(msg, "no_such_trace.csv"));
  CHECK(contains(msg, "cannot be opened"));
}

// Bug: a first line that starts like a number but is malformed ("0.5s") is silently
// taken for a header, so the first arrival is dropped and the trace loads as {1.0, 1.5}.
// A header should be a line that does not start with a number (trace.cpp, load_trace).
TEST_CASE("trace: a malformed first timestamp is an error, not a header") {
  const std::string msg = trace_error("first_line_typo.csv");
  CHECK(contains(msg, "first_line_typo.csv:1:1"));
  CHECK(contains(msg, "'0.5s'"));
}

TEST_CASE("trace: a timestamp out of a number's range says so, too large or too small") {
  // Both were "expected a non-negative number of seconds", as if they were not numbers.
  {
    const TempTrace t("0\n1e400\n");
    const std::string msg = t.error();
    CHECK(contains(msg, "t.csv:2:1"));
    CHECK(contains(msg, "the number '1e400' is out of range"));
  }
  {
    const TempTrace t("0\n1e-400\n");
    const std::string msg = t.error();
    CHECK(contains(msg, "t.csv:2:1"));
    CHECK(contains(msg, "the number '1e-400' is too small to represent"));
  }
  {
    const TempTrace t("0,1e-400\n");
    const std::string msg = t.error();
    CHECK(contains(msg, "t.csv:1:3"));
    CHECK(contains(msg, "too small to represent"));
    CHECK(contains(msg, "bytes"));
  }
  // Small numbers a double holds still load, and words are still not numbers.
  CHECK(TempTrace("1e-300\n").error().empty());
  CHECK(contains(TempTrace("1e4OO\n").error(), "expected a non-negative number of seconds"));
}

TEST_CASE("trace: more timestamps than the trace-rows limit are refused at the first one past it") {
  DefaultLimits restore;
  hw::set_input_limit("trace-rows=5");
  CHECK(TempTrace("# five\n0\n0\n0\n0\n0\n").error().empty());
  const std::string msg = TempTrace("0\n0\n0\n0\n0\n0\n").error();
  CHECK(contains(msg, "t.csv:6:1"));
  CHECK(contains(msg, "more than 5 timestamps"));
  CHECK(contains(msg, "--limit trace-rows=N"));
  // The default refuses the 7.8 MB trace of 3.9 million "0" rows (under the 8 MB file-size
  // limit) that took 5.9 GB to simulate, every row a request at t = 0, at row 1,000,001.
  hw::input_limits() = hw::InputLimits{};
  std::string burst;
  for (int i = 0; i < 3'900'000; ++i) burst += "0\n";
  REQUIRE(burst.size() < hw::input_limits().file_bytes);
  const std::string big = TempTrace(burst).error();
  CHECK(contains(big, "t.csv:1000001:1"));
  CHECK(contains(big, "more than 1000000 timestamps"));
}
