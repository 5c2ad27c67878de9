// A diurnal stream's start hour (review of 2026-12-03, agri-drones.yaml): hour 0 began at
// simulated time 0, so a run shorter than an hour only saw hourly[0]; with hourly[0] = 0 a 30 s
// run measured nothing and was told "a longer simulation (duration = 3.4 s)". Now the clock maps
// to hour (start_hour + t / 3600) mod 24, start_hour by default the busiest hour.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/engine/arrivals.hpp"
#include "sim/engine/overload.hpp"
#include "sim/io/loaders.hpp"
#include "sim/run/json.hpp"

using namespace hw;

namespace {

// agri-drones.yaml's profile: dark at night, 1 from 07:00 to 16:59.
const std::vector<double> kDrones{0, 0, 0, 0, 0, 0.2, 0.6, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.8, 0.4, 0, 0, 0, 0, 0};

// A profile whose hours all differ: hour h has multiplier 0.5 + h / 10 ... but the busiest, 3.
std::vector<double> distinct() {
  std::vector<double> h;
  for (int i = 0; i < 24; ++i) h.push_back(0.5 + i / 10.0);
  h[9] = 3.0;
  return h;
}

StreamExec diurnal_stream(std::vector<double> hourly, std::optional<int> start, double rate, int sources) {
  StreamExec s;
  s.id = "s";
  s.sources = sources;
  s.arrival.kind = ArrivalKind::diurnal;
  s.arrival.rate = PerSecond(rate);
  s.arrival.hourly = std::move(hourly);
  s.arrival.start_hour = start;
  return s;
}

// Arrivals of the generator in [from, to).
double count(const StreamExec& s, double from, double to, std::uint64_t seed) {
  auto gen = make_arrivals(s, seed);
  ArrivalEvent ev;
  double n = 0;
  while (gen->next(ev) && ev.time < to) n += ev.time >= from ? 1 : 0;
  return n;
}

const Catalogue& catalogue() {
  static const Catalogue c = load_catalogue(HWPLAN_SOURCE_DIR "/hardware_profiles", HWPLAN_SOURCE_DIR "/scenarios/models");
  return c;
}

std::string slurp(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  REQUIRE(f);
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
  std::fclose(f);
  return out;
}

// tests/data/good/scenario.yaml with its periodic arrival (lines 15-17) made diurnal; `extra`
// is a line after `hourly` (line 18).
std::string diurnal_scenario(const std::string& extra) {
  std::string text = slurp(HWPLAN_TEST_DATA "/good/scenario.yaml");
  const std::string from = "      process: periodic\n      rate: 15 /s\n      jitter: 2 ms";
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  std::string hours = "0";
  for (int i = 1; i < 24; ++i) hours += i == 12 ? ", 2" : ", 1";
  return text.replace(at, from.size(), "      process: diurnal\n      rate: 15 /s\n      hourly: [" + hours + "]" + (extra.empty() ? "" : "\n" + extra));
}

std::string scenario_error(const std::string& text) {
  try {
    load_scenario_text(text, HWPLAN_TEST_DATA "/good", catalogue(), "s.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("diurnal: the start hour is the busiest (first of equals) unless given, and the hour lookup wraps") {
  CHECK(busiest_hour(kDrones) == 7);
  CHECK(busiest_hour(distinct()) == 9);
  CHECK(busiest_hour({}) == 0);
  Arrival a;
  a.kind = ArrivalKind::diurnal;
  a.hourly = kDrones;
  CHECK(diurnal_start_hour(a) == 7);
  a.start_hour = 0;
  CHECK(diurnal_start_hour(a) == 0);
  CHECK(hour_of_day(0, 7) == 7);
  CHECK(hour_of_day(3599.9, 7) == 7);
  CHECK(hour_of_day(3600, 7) == 8);
  CHECK(hour_of_day(17 * 3600.0, 7) == 0);          // 7 + 17 = 24 -> hour 0
  CHECK(hour_of_day(10 * 86400.0 + 1, 23) == 23);   // whole days later, the same hour
  CHECK(hour_of_day(-5, 3) == 3);
  CHECK(hour_of_day(NAN, 3) == 3);
  CHECK(hour_of_day(INFINITY, 3) == 3);
  CHECK(hour_of_day(0, 25) == 1);  // out of range: mod 24
  a.start_hour = 18;
  CHECK(hourly_multiplier(a, 0) == 0.4);
  CHECK(hourly_multiplier(a, 3600) == 0.0);
  a.kind = ArrivalKind::poisson;
  CHECK(hourly_multiplier(a, 0) == 1.0);
}

TEST_CASE("diurnal: the generator's arrivals in each hour follow hourly[(start_hour + hour) mod 24]") {
  // 20 /s x 5 sources = 100 /s at multiplier 1; an hour at multiplier m has 360000 m arrivals on
  // average, a Poisson count with standard deviation sqrt(360000 m) <= 1040: 5 of them is the bound.
  const std::vector<double> h = distinct();
  for (std::optional<int> start : {std::optional<int>{}, std::optional<int>{0}, std::optional<int>{5}, std::optional<int>{23}}) {
    const StreamExec s = diurnal_stream(h, start, 20, 5);
    const int first = start ? *start : 9;
    for (int hour = 0; hour < 2; ++hour) {
      const double expected = 100 * 3600 * h[static_cast<std::size_t>((first + hour) % 24)];
      const double n = count(s, hour * 3600.0, (hour + 1) * 3600.0, 42 + static_cast<std::uint64_t>(hour));
      CAPTURE(first);
      CAPTURE(hour);
      CHECK(std::abs(n - expected) < 5 * std::sqrt(expected));
    }
  }
}

TEST_CASE("diurnal: the window's rate is the hours it covers from the start hour. the day's is the 24-hour mean") {
  StreamExec s = diurnal_stream(kDrones, std::nullopt, 5, 3);  // agri-drones: 3 drones at 5 /s
  CHECK(stream_rate(s, 30) == doctest::Approx(15));              // 30 s at 07:00: multiplier 1
  CHECK(stream_day_rate(s, 30) == doctest::Approx(15 * 12.0 / 24));  // the multipliers sum to 12
  s.arrival.start_hour = 0;
  CHECK(stream_rate(s, 30) == 0.0);
  s.arrival.start_hour = 16;  // 1 for an hour, then 0.8: over 1.5 h, (3600 + 0.8 x 1800) / 5400
  CHECK(stream_rate(s, 5400) == doctest::Approx(15 * (3600 + 0.8 * 1800) / 5400));
}

TEST_CASE("diurnal: the time by which a stream has offered n items walks its hours from the start hour") {
  Arrival a;
  a.kind = ArrivalKind::diurnal;
  a.hourly = kDrones;
  // Busiest hour first: 15 /s, 100 items after a 3 s warm-up take 6.67 s more.
  CHECK(time_to_offer(a, 15, 3, 100) == doctest::Approx(3 + 100.0 / 15));
  // From midnight: nothing until 05:00, then 15 x 0.2 = 3 /s.
  a.start_hour = 0;
  CHECK(time_to_offer(a, 15, 3, 100) == doctest::Approx(5 * 3600 + 100.0 / 3));
  // More than a day's worth (15 x 3600 x 12 = 648000 a day): whole days, then the hours.
  CHECK(time_to_offer(a, 15, 0, 648000 + 100) == doctest::Approx(86400 + 5 * 3600 + 100.0 / 3));
  a.hourly.assign(24, 0.0);
  CHECK(std::isinf(time_to_offer(a, 15, 3, 100)));
  a.kind = ArrivalKind::poisson;
  CHECK(time_to_offer(a, 15, 3, 150) == doctest::Approx(13));
  CHECK(std::isinf(time_to_offer(a, 0, 3, 150)));
}

TEST_CASE("diurnal: per-day figures scale from the window's hours to the day's mean, and only for diurnal streams") {
  SimInput in;
  in.duration = Seconds(30);
  SiteExec site;
  site.id = "farm";
  site.count = 120;
  site.simulated = 1;
  in.sites.push_back(site);
  in.edge.units = 1;
  in.edge.slots = 1;
  in.edge.max_batch = 1;
  StreamExec s = diurnal_stream(kDrones, std::nullopt, 5, 3);
  s.site = 0;
  s.payload = Bytes(120e3);
  s.result = Bytes(500);
  StageExec st;
  st.id = "detect";
  st.tier = Tier::dc;
  st.service_s = {0.01};
  s.stages = {st};
  in.streams.push_back(s);
  // The window (07:00) at multiplier 1, the day's mean 12/24.
  CHECK(tier_day_scale(in, Tier::dc, 30) == doctest::Approx(12.0 / 24));
  CHECK(link_day_scale(in, 0, true, 30) == doctest::Approx(12.0 / 24));
  CHECK(link_day_scale(in, 0, false, 30) == doctest::Approx(12.0 / 24));
  // A rotated profile has the same day (per day, the reviewer's agri-gpu200 and a profile near
  // its rotation read 18782 and 7605 GB/day: the hour 0 each started in, x 24 h).
  std::vector<double> rotated(kDrones.begin() + 5, kDrones.end());
  rotated.insert(rotated.end(), kDrones.begin(), kDrones.begin() + 5);
  in.streams[0].arrival.hourly = rotated;
  CHECK(link_day_scale(in, 0, true, 30) == doctest::Approx(12.0 / 24));
  // A window at 05:00 (0.2) is scaled up to the day; one at a dark hour offered nothing: nothing to scale.
  in.streams[0].arrival.hourly = kDrones;
  in.streams[0].arrival.start_hour = 5;
  CHECK(link_day_scale(in, 0, true, 30) == doctest::Approx(12.0 / 24 / 0.2));
  in.streams[0].arrival.start_hour = 0;
  CHECK(tier_day_scale(in, Tier::dc, 30) == 1.0);
  CHECK(link_day_scale(in, 0, true, 30) == 1.0);
  // Poisson: the window is the day.
  in.streams[0].arrival.kind = ArrivalKind::poisson;
  CHECK(tier_day_scale(in, Tier::dc, 30) == 1.0);
  CHECK(link_day_scale(in, 0, true, 30) == 1.0);
}

TEST_CASE("diurnal: start_hour goes through the SimInput JSON, and changes the canonical text (the cache key)") {
  SimInput in;
  StreamExec s = diurnal_stream(distinct(), 7, 1, 1);
  in.streams.push_back(s);
  const SimInput back = sim_input_from_json(nlohmann::json::parse(to_json(in).dump()));
  REQUIRE(back.streams.size() == 1);
  REQUIRE(back.streams[0].arrival.start_hour);
  CHECK(*back.streams[0].arrival.start_hour == 7);
  CHECK(to_json(in).at("streams").at(0).at("arrival").at("start_hour") == 7);
  SimInput unset = in;
  unset.streams[0].arrival.start_hour.reset();
  CHECK_FALSE(sim_input_from_json(to_json(unset)).streams[0].arrival.start_hour);
  SimInput other = in;
  other.streams[0].arrival.start_hour = 8;
  CHECK(canonical_json(other) != canonical_json(in));
  CHECK(canonical_json(unset) != canonical_json(in));
  CHECK(to_json(in).at("version") == kSimInputSchema);
}

TEST_CASE("diurnal: the loader reads start_hour (0-23, whole), defaults it to none, and names a bad one") {
  const Scenario none = load_scenario_text(diurnal_scenario(""), HWPLAN_TEST_DATA "/good", catalogue(), "s.yaml");
  CHECK_FALSE(none.streams.at(0).arrival.start_hour);
  CHECK(diurnal_start_hour(none.streams.at(0).arrival) == 12);
  const Scenario six = load_scenario_text(diurnal_scenario("      start_hour: 6"), HWPLAN_TEST_DATA "/good", catalogue(), "s.yaml");
  REQUIRE(six.streams.at(0).arrival.start_hour);
  CHECK(*six.streams.at(0).arrival.start_hour == 6);
  CHECK(scenario_error(diurnal_scenario("      start_hour: 0")).empty());
  CHECK(scenario_error(diurnal_scenario("      start_hour: 23")).empty());
  // "      start_hour: " is 18 characters: the value is at column 19 of line 18.
  for (const std::string bad : {"24", "-1", "2.5", "6 h", "noon"}) {
    const std::string msg = scenario_error(diurnal_scenario("      start_hour: " + bad));
    CAPTURE(msg);
    CHECK(has(msg, "s.yaml:18:19: key 'streams[0].arrival.start_hour', value '" + bad + "'"));
    CHECK(has(msg, "expected a whole number between 0 and 23"));
  }
  // Only a diurnal profile has hours.
  std::string text = slurp(HWPLAN_TEST_DATA "/good/scenario.yaml");
  const auto at = text.find("      jitter: 2 ms");
  REQUIRE(at != std::string::npos);
  const std::string msg = scenario_error(text.replace(at, 18, "      jitter: 2 ms\n      start_hour: 6"));
  CAPTURE(msg);
  CHECK(has(msg, "unknown key 'start_hour'"));
}
