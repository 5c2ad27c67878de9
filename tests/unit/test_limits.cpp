// Hostile inputs (issue 15): limits with clear errors and no non-finite figure from input.
// Each case loads a bundled scenario edited in one place and checks the InputError's text:
// the key, the limit and how to raise it (--limit NAME=N).
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <string>

#include "sim/core/errors.hpp"
#include "sim/core/units.hpp"
#include "sim/io/loaders.hpp"
#include "sim/io/trace.hpp"

namespace {

const hw::Catalogue& catalogue() {
  static const hw::Catalogue c = hw::load_catalogue(HWPLAN_SOURCE_DIR "/hardware_profiles", HWPLAN_SOURCE_DIR "/scenarios/models");
  return c;
}

std::string factory() {
  std::ifstream in(HWPLAN_SOURCE_DIR "/scenarios/factory-vision.yaml");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string edited(const std::string& from, const std::string& to) {
  std::string s = factory();
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

// The loader's error for a scenario text ("" when it loads).
std::string error_of(const std::string& text) {
  try {
    hw::load_scenario_text(text, HWPLAN_SOURCE_DIR "/scenarios", catalogue(), "s.yaml");
  } catch (const hw::InputError& e) {
    return e.what();
  }
  return "";
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Restores the default limits after a test that changes them.
struct DefaultLimits {
  ~DefaultLimits() { hw::input_limits() = hw::InputLimits{}; }
};

}  // namespace

TEST_CASE("limits: the bundled scenario loads with the default limits") { CHECK(error_of(factory()).empty()); }

TEST_CASE("limits: figures too large to compute with are refused with the key and the bound") {
  const std::string rate = error_of(edited("rate: 15 /s, jitter: 2 ms", "rate: 1e308 /s"));
  CHECK(has(rate, "streams[0].arrival.rate"));
  CHECK(has(rate, "too large: at most 1e9 /s"));
  CHECK(has(error_of(edited("payload: 150 KB", "payload: 1e308 B")), "too large"));
  CHECK(has(error_of(edited("duration: 40 s", "duration: 1e308 s")), "too large"));
  CHECK(has(error_of(edited("rate: 15 /s", "rate: inf /s")), "streams[0].arrival.rate"));
  // Floors for what the planner divides by.
  CHECK(has(error_of(edited("bandwidth: 200 Mbps", "bandwidth: 1e-300 bps")), "at least 1 bit/s"));
  CHECK(has(error_of(edited("rate: 15 /s, jitter: 2 ms", "rate: 1e-300 /s")), "at least 1e-6 /s"));
  // The unit parser itself refuses an overflow to infinity.
  CHECK_THROWS_AS(hw::parse_quantity("1e308 Tbps", hw::UnitKind::bitrate), hw::UnitError);
  CHECK(hw::magnitude_problem(1e300, hw::UnitKind::rate).has_value());
  CHECK_FALSE(hw::magnitude_problem(30, hw::UnitKind::rate).has_value());
}

TEST_CASE("limits: a duration past the limit names it and how to raise it. raised, it loads") {
  DefaultLimits restore;
  const std::string text = edited("duration: 40 s", "duration: 30 d");
  const std::string e = error_of(text);
  CHECK(has(e, "s.yaml:12:11"));
  CHECK(has(e, "above the limit of 7 d"));  // 604800 s, as docs/input-format.md gives it
  CHECK(has(e, "--limit duration=N"));
  hw::set_input_limit("duration=31 d");
  CHECK(error_of(text).empty());
}

TEST_CASE("limits: a duration just past the limit is not shown as equal to it") {
  DefaultLimits restore;
  // 604801 s rounds to "7 d", the limit's own text: both are given in seconds then.
  const std::string e = error_of(edited("duration: 40 s", "duration: 604801 s"));
  CHECK(has(e, "a simulated duration of 604801 s is above the limit of 604800 s (7 d)"));
}

TEST_CASE("limits: represented sites, sources and list lengths") {
  DefaultLimits restore;
  CHECK(has(error_of(edited("count: 12", "count: 1000000")), "--limit sites=N"));
  CHECK(has(error_of(edited("sources: 8", "sources: 10000000")), "--limit sources=N"));
  std::string many = factory();
  for (int i = 0; i < 3; ++i) many += "  - {family: edge, hardware: jetson-orin-nano-super}\n";
  hw::set_input_limit("candidates=5");
  CHECK(has(error_of(many), "6 entries is above the limit of 5 candidates"));
  hw::set_input_limit("candidates=6");
  CHECK(error_of(many).empty());
}

TEST_CASE("limits: file size and YAML node count are checked before the file is loaded") {
  DefaultLimits restore;
  hw::set_input_limit("file-size=1000");
  CHECK(has(error_of(factory()), "larger than the limit of 1000 bytes"));
  hw::input_limits() = hw::InputLimits{};
  hw::set_input_limit("yaml-nodes=50");
  const std::string e = error_of(factory());
  CHECK(has(e, "more than 50 YAML nodes"));
  CHECK(has(e, "--limit yaml-nodes=N"));
}

TEST_CASE("limits: --limit assignments are checked") {
  DefaultLimits restore;
  CHECK_THROWS_WITH_AS(hw::set_input_limit("bogus=1"), doctest::Contains("unknown limit 'bogus'"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(hw::set_input_limit("sites=abc"), doctest::Contains("expected a whole number"), std::invalid_argument);
  CHECK_THROWS_AS(hw::set_input_limit("sites"), std::invalid_argument);
  CHECK_THROWS_AS(hw::set_input_limit("duration=5"), std::invalid_argument);  // a time needs its unit
  hw::set_input_limit("file-size=16 MB");
  CHECK(hw::input_limits().file_bytes == 16000000);
  CHECK(hw::describe_input_limits().size() == 9);
  // A unitless number is bytes in any plain form: the docs' "1e12" (was: "has no unit").
  hw::set_input_limit("file-size=1e12");
  CHECK(hw::input_limits().file_bytes == 1'000'000'000'000ULL);
  hw::set_input_limit("file-size=2.5e6");
  CHECK(hw::input_limits().file_bytes == 2'500'000ULL);
  CHECK_THROWS_WITH_AS(hw::set_input_limit("file-size=1.5"), doctest::Contains("expected a whole number of bytes"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(hw::set_input_limit("file-size=1e13"), doctest::Contains("expected at most 1 TB"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(hw::set_input_limit("file-size=1e999"), doctest::Contains("expected at most 1 TB"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(hw::set_input_limit("file-size=-5"), doctest::Contains("expected at least 1 B"), std::invalid_argument);
  for (const std::string small : {"file-size=1e-400", "file-size=-1e400", "file-size=-inf", "file-size=0"}) {
    INFO(small);
    CHECK_THROWS_WITH_AS(hw::set_input_limit(small), doctest::Contains("expected at least 1 B"), std::invalid_argument);
  }
  CHECK_THROWS_WITH_AS(hw::set_input_limit("file-size=inf"), doctest::Contains("expected at most 1 TB"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(hw::set_input_limit("file-size=nan"), doctest::Contains("not a number"), std::invalid_argument);
  CHECK(hw::input_limits().file_bytes == 2'500'000ULL);  // unchanged by the refusals
  hw::set_input_limit("file-size= 5000 ");  // spaces around a plain number (a quoted shell word)
  CHECK(hw::input_limits().file_bytes == 5000ULL);
}

TEST_CASE("limits: a trace payload size too large to compute with is refused at its line") {
  const std::string path = "hostile-trace.csv";
  std::ofstream(path) << "0.1,1e308\n";
  try {
    hw::load_trace(path);
    FAIL("a size of 1e308 bytes loaded");
  } catch (const hw::InputError& e) {
    CHECK(has(e.what(), "hostile-trace.csv:1:"));
    CHECK(has(e.what(), "at most 1e24"));
  }
  std::remove(path.c_str());
}

TEST_CASE("limits: duplicate stream ids are refused (a set, not a quadratic scan)") {
  std::string s = factory();
  const std::string stream = "  - id: inspection\n";
  const std::string copy = "  - id: inspection\n    site: plant\n    arrival: {process: poisson, rate: 1 /s}\n    payload: 1 KB\n"
                           "    pipeline: [{model: yolov8s}]\n    slo: {latency: 1 s}\n";
  s.replace(s.find(stream), stream.size(), copy + stream);
  CHECK(has(error_of(s), "duplicate stream id 'inspection'"));
}

TEST_CASE("limits: a whole-number limit states its upper bound. a duration without a unit is told one") {
  DefaultLimits restore;
  // Was "expected a whole number >= 1" for a number above what a limit holds.
  CHECK_THROWS_WITH_AS(hw::set_input_limit("sites=18446744073709551615"),
                       doctest::Contains("expected a whole number >= 1 (at most 9223372036854775807)"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(hw::set_input_limit("duration=5"), doctest::Contains("like '5 s'"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(hw::set_input_limit("duration=1e400 y"), doctest::Contains("'1e400' is out of range"), std::invalid_argument);
  // The horizon of a scenario: years, not milliseconds.
  const std::string horizon = error_of(edited("horizon: 3 y", "horizon: 3"));
  CHECK(has(horizon, "costs.horizon"));
  CHECK(has(horizon, "like '3 y'"));
}

TEST_CASE("review 14: an unknown hardware id lists the first 24 known ids and says how many more, and where") {
  const std::size_t profiles = catalogue().profiles.size();
  REQUIRE(profiles > 24);  // the bundled catalogue is longer than the list
  const std::string e = error_of(edited("hardware: jetson-orin-nano-super", "hardware: jetson-orin-nano"));
  CHECK(has(e, "unknown hardware profile 'jetson-orin-nano'"));
  // The rest were left out without a word.
  CHECK(has(e, fmt::format(" and {} more (hwplan profiles list))", profiles - 24)));
}
