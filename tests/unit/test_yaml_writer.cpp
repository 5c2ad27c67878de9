// The YAML writer (sim/io/yaml_writer): whatever the loaders read, the writer writes back so
// that loading it again gives the same struct, field for field and bit for bit.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "model_compare.hpp"
#include "sim/core/errors.hpp"
#include "sim/io/loaders.hpp"
#include "sim/io/yaml_writer.hpp"

namespace fs = std::filesystem;
using namespace hw;

namespace {

const Catalogue& catalogue() {
  static const Catalogue c =
      load_catalogue(HWPLAN_SOURCE_DIR "/hardware_profiles", HWPLAN_SOURCE_DIR "/scenarios/models");
  return c;
}

std::vector<std::string> yaml_files_in(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string folder_of(const std::string& file) { return fs::path(file).parent_path().string(); }

// Writes, reads back under the same name and folder, and says what differs.
Scenario reread(const Scenario& s, const std::string& base_dir) {
  return load_scenario_text(scenario_yaml(s, base_dir), base_dir, catalogue(), s.file);
}
HardwareProfile reread(const HardwareProfile& p) { return load_profile_text(profile_yaml(p), p.file); }

void check_scenario_round_trip(const Scenario& s, const std::string& base_dir) {
  const std::string text = scenario_yaml(s, base_dir);
  INFO("written:\n" << text);
  const Scenario t = load_scenario_text(text, base_dir, catalogue(), s.file);
  const auto diff = hwtest::differences(s, t);
  CHECK_MESSAGE(diff.lines().empty(), s.file << " changed on the round trip:\n" << diff.text());
  CHECK_MESSAGE(s == t, s.file << " differs after the round trip (operator==)");
  CHECK(scenario_yaml(t, base_dir) == text);  // writing is stable
}

void check_profile_round_trip(const HardwareProfile& p) {
  const std::string text = profile_yaml(p);
  INFO("written:\n" << text);
  const HardwareProfile q = load_profile_text(text, p.file);
  const auto diff = hwtest::differences(p, q);
  CHECK_MESSAGE(diff.lines().empty(), p.file << " changed on the round trip:\n" << diff.text());
  CHECK_MESSAGE(p == q, p.file << " differs after the round trip (operator==)");
  CHECK(profile_yaml(q) == text);
}

double parsed(const std::string& text, UnitKind kind) { return parse_quantity(text, kind).si; }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Every optional part of the scenario format at once; trace paths are relative to
// tests/data (the base folder the tests pass).
const char* const kFullScenario = R"(name: "Everything: all keys"
description: |
  First line.
  Second line, with a # and a colon: here.
seed: 4611686018427387904
duration: 90 s
warmup: 1.5 s
precision: 0.5 %
dc_fabric_latency: 80 us
sites:
  - id: shop
    count: 3
    access: {type: wifi6, latency: 4 ms}
    backhaul: {latency: 12.5 ms, bandwidth: 25 MB/s}
  - id: hub.2
    access: {type: 5g}
streams:
  - id: cams
    site: shop
    sources: 7
    arrival: {process: periodic, rate: 900 /min, jitter: 3 ms}
    payload: 512 KiB
    result: 64 B
    return_result: no
    raw_data_local: true
    pipeline:
      - {id: det, model: yolov8n, precision: bf16, output: 2 KB, variability: {distribution: lognormal, cv: 0.35}}
      - {model: resnet50, fraction: 12.5 %, variability: {distribution: exponential}}
      - {id: "odd, id: #1", model: mobilenet-v2, fraction: 0.3333}
    slo: {percentile: 99.9, latency: 80 ms}
  - id: bursts
    site: hub.2
    arrival: {process: bursty, rate: 2 /s, on: 3 s, off: 7 s}
    payload: 1.5 MB
    pipeline: [{model: llama2-7b:decode}]
    slo: {latency: 2 s, max_violation: 0.025}
  - id: day
    site: shop
    arrival:
      process: diurnal
      rate: 1 /h
      hourly: [0, 0, 0, 0, 0, 0.5, 1, 1.5, 2, 2, 2, 2, 2, 2, 2, 2, 1.75, 1.5, 1, 1, 0.5, 0.25, 0.1, 0.05]
      start_hour: 6
    payload: 1 GiB
    pipeline: [{model: resnet50}]
    slo: {percentile: 95, latency: 1 min}
  - id: replay
    site: shop
    arrival: {process: trace, file: traces/times.csv}
    payload: 100 KB
    pipeline: [{model: yolov8s, precision: fp32}]
    slo: {latency: 100 ms}
  - id: poisson
    site: hub.2
    arrival: {process: poisson, rate: 0.1 /s}
    payload: 10 KB
    pipeline: [{model: bert-large}]
    slo: {latency: 500 ms}
batch_jobs:
  - id: train
    kind: training
    total_flops: 4.2e19 FLOP
    total_bytes: 3 TB
    dataset: 50 GB
    precision: int8
    min_devices: 4
    scaling_efficiency: 0.85
    deadline: 2 d
  - id: render
    kind: rendering
    total_flops: 1 EFLOP
    deadline: 0 s
costs:
  currency: EUR
  horizon: 5 y
  amortisation: 4 y
  electricity: 0.2 EUR/kWh
  pue: 1.25
  bandwidth: 0.01 EUR/GB
  maintenance_per_unit: 120 EUR/y
  site_visit: 250.5 EUR
  visits_per_site_per_year: 2
  gpu_hour: 2.21 EUR/h
retraining:
  interval: 7 d
  upload_fraction: 2 %
  gpu_hours: 12.5
  model_size: 25 MB
constraints:
  data_residency: yes
  site_power_budget: 150 W
  backhaul_cap: 80 Mbps
  rack_power: 12 kW
candidates:
  - {family: edge, hardware: jetson-orin-nano-super, accelerator: hailo-8, units_per_site: 2, queue_capacity: 50}
  - {family: gpu, hardware: nvidia-l4, servers: 3, units_per_site: 5, batching: {max_batch: 16, max_wait: 2.5 ms}}
  - {family: hybrid, edge: raspberry-pi-5, accelerator: coral-usb, gpu: l4x4-server, edge_stages: 2, servers: 2, batching: {max_batch: 4}}
  - {family: edge, hardware: epyc-9654-2s, servers: 9}
)";

Scenario full_scenario() {
  return load_scenario_text(kFullScenario, HWPLAN_TEST_DATA, catalogue(), HWPLAN_TEST_DATA "/full.yaml");
}

}  // namespace

TEST_CASE("yaml writer: every bundled scenario (and every test scenario) round-trips exactly") {
  std::vector<std::string> files = yaml_files_in(HWPLAN_SOURCE_DIR "/scenarios");
  const auto bundled = files.size();
  CHECK(bundled >= 11);  // the loop cannot pass by finding nothing
  for (const auto& f : yaml_files_in(HWPLAN_TEST_DATA "/planner")) files.push_back(f);
  files.push_back(HWPLAN_TEST_DATA "/good/scenario.yaml");
  for (const auto& f : files) {
    CAPTURE(f);
    const Scenario s = load_scenario(f, catalogue());
    check_scenario_round_trip(s, folder_of(f));
    CHECK(scenario_yaml(s) == scenario_yaml(s, folder_of(f)));  // default base: the file's folder
  }
}

TEST_CASE("yaml writer: every bundled hardware profile round-trips exactly") {
  const auto files = yaml_files_in(HWPLAN_SOURCE_DIR "/hardware_profiles");
  CHECK(files.size() >= 19);
  for (const auto& f : files) {
    CAPTURE(f);
    check_profile_round_trip(load_profile(f));
  }
  check_profile_round_trip(load_profile(HWPLAN_TEST_DATA "/good/test_device.yaml"));
}

TEST_CASE("yaml writer: a scenario with every optional key round-trips exactly") {
  const Scenario s = full_scenario();
  // The text really set what it meant to (a sample; the round trip covers the rest).
  REQUIRE(s.streams.size() == 5);
  CHECK(s.streams[0].pipeline[0].variability.distribution == ServiceDistribution::lognormal);
  CHECK(s.streams[3].arrival.kind == ArrivalKind::trace);
  CHECK(s.streams[3].arrival.trace_file == fs::path(HWPLAN_TEST_DATA "/traces/times.csv").lexically_normal().string());
  REQUIRE(s.retraining.has_value());
  CHECK(s.costs.currency == "EUR");
  CHECK(s.candidates[1].units_per_site == 5);  // read for a gpu candidate too, so kept
  check_scenario_round_trip(s, HWPLAN_TEST_DATA);

  const std::string text = scenario_yaml(s, HWPLAN_TEST_DATA);
  CHECK(contains(text, "file: traces/times.csv"));
  CHECK(contains(text, "payload: 512 KiB"));
  CHECK(contains(text, "rate: 15 /s"));  // 900 /min, in the writer's own unit choice
  CHECK(contains(text, "interval: 7 d"));
  CHECK(contains(text, "start_hour: 6"));  // was dropped: a GUI save or a sweep's variant key lost it
  CHECK(contains(text, "gpu_hour: 2.21 EUR/h"));
  CHECK(contains(text, "bandwidth: 200 Mbps"));  // 25 MB/s as a bitrate
}

TEST_CASE("yaml writer: awkward figures are kept to the last bit") {
  Scenario s = full_scenario();
  s.duration = Seconds(1.0 / 3.0 * 100);
  s.warmup = Seconds(0.1 + 0.2);
  s.dc_fabric_latency = Seconds(std::nextafter(50e-6, 1.0));
  s.precision = 1.0 / 7.0;
  s.sites[0].backhaul.bandwidth = BitsPerSecond(123456789.123456789);
  s.sites[0].access.latency = Seconds(std::nextafter(0.004, 0.0));  // one ulp off the preset override
  auto& x = s.streams[0];
  x.arrival.rate = PerSecond(0.1 + 0.2);
  x.arrival.jitter = Seconds(1e-3 / 3);
  x.payload = Bytes(123456.789);
  x.result = Bytes(1e-300);
  x.pipeline[0].output = Bytes(std::nextafter(2000.0, 0.0));
  x.pipeline[1].fraction = 0.1 + 0.2;
  x.pipeline[2].fraction = std::nextafter(1.0, 0.0);
  x.pipeline[0].variability.cv = 1.0 / 3.0;
  x.slo.percentile = 99.99;
  x.slo.latency = Seconds(M_PI / 100);
  x.slo.max_violation = 1e-7;
  s.streams[2].arrival.hourly[5] = 1.0 / 3.0;
  s.streams[2].arrival.hourly[6] = 999999.999999999;  // near the largest multiplier, 1e6 (the loader refuses more)
  s.batch_jobs[0].total_flops = Flops(6.02214076e23);
  s.batch_jobs[0].deadline = Seconds(86400.0 * 2 + 1e-9);
  s.costs.electricity.per_si = 0.1234567 / kJoulesPerKwh;
  s.costs.bandwidth.per_si = 1e-11 / 3;
  s.costs.maintenance_per_unit.per_si = 99.99 / kSecondsPerYear;
  s.costs.site_visit.amount = 0.1 + 0.2;
  s.costs.pue = 1.0 + 1.0 / 3.0;
  s.costs.horizon = Seconds(kSecondsPerYear * 2.5);
  s.retraining->upload_fraction = 2.0 / 3.0;
  s.constraints.site_power_budget = Watts(0.0015);
  s.constraints.rack_power.reset();
  s.candidates[1].batching.max_wait = Seconds(7e-7);
  check_scenario_round_trip(s, HWPLAN_TEST_DATA);
}

TEST_CASE("yaml writer: quantities are exact and in readable units") {
  CHECK(quantity_text(0.005, UnitKind::time) == "5 ms");
  CHECK(quantity_text(40, UnitKind::time) == "40 s");
  CHECK(quantity_text(90, UnitKind::time) == "90 s");
  CHECK(quantity_text(120, UnitKind::time) == "2 min");
  CHECK(quantity_text(90 * 60, UnitKind::time) == "1.5 h");
  CHECK(quantity_text(3 * kSecondsPerYear, UnitKind::time) == "3 y");
  CHECK(quantity_text(0, UnitKind::time) == "0 s");
  CHECK(quantity_text(150e3, UnitKind::data) == "150 KB");
  CHECK(quantity_text(524288, UnitKind::data) == "512 KiB");
  CHECK(quantity_text(13.5e9, UnitKind::data) == "13.5 GB");
  CHECK(quantity_text(100e6, UnitKind::bitrate) == "100 Mbps");
  CHECK(quantity_text(102e9, UnitKind::byterate) == "102 GB/s");
  CHECK(quantity_text(28.6e9, UnitKind::flops) == "28.6 GFLOP");
  CHECK(quantity_text(30.3e12, UnitKind::flop_rate) == "30.3 TFLOP/s");
  CHECK(quantity_text(10.2e3, UnitKind::power) == "10.2 kW");
  CHECK(quantity_text(0.5, UnitKind::power) == "500 mW");
  CHECK(quantity_text(15, UnitKind::rate) == "15 /s");
  CHECK(quantity_text(1.0 / 60, UnitKind::rate) == "1 /min");
  CHECK(quantity_text(0.01, UnitKind::fraction) == "1 %");
  CHECK(quantity_text(0.1, UnitKind::fraction) == "10 %");
  CHECK(quantity_text(0.125, UnitKind::fraction) == "12.5 %");
  CHECK(quantity_text(1.0 / 3, UnitKind::fraction) == "0.3333333333333333");
  CHECK(quantity_text(249, UnitKind::money, "USD") == "249 USD");
  CHECK(quantity_text(0.12 / kJoulesPerKwh, UnitKind::energy_price, "USD") == "0.12 USD/kWh");
  CHECK(quantity_text(0.05 / 1e9, UnitKind::data_price, "USD") == "0.05 USD/GB");
  CHECK(quantity_text(100 / kSecondsPerYear, UnitKind::time_price, "EUR") == "100 EUR/y");
  CHECK(quantity_text(2.21 / 3600, UnitKind::time_price, "USD") == "2.21 USD/h");
  CHECK(number_text(0.1) == "0.1");
  CHECK(number_text(1e-5) == "1e-05");

  // Random figures over 30 orders of magnitude, every kind: parse(write(v)) == v exactly.
  std::mt19937_64 rng(12345);
  std::uniform_real_distribution<double> mantissa(1.0, 10.0);
  std::uniform_int_distribution<int> exponent(-15, 15);
  const UnitKind kinds[] = {UnitKind::time,     UnitKind::data,  UnitKind::bitrate, UnitKind::byterate,
                            UnitKind::flops,    UnitKind::flop_rate, UnitKind::power, UnitKind::energy,
                            UnitKind::rate};
  const UnitKind prices[] = {UnitKind::energy_price, UnitKind::data_price, UnitKind::time_price};
  int checked = 0;
  for (int i = 0; i < 3000; ++i) {
    const double v = mantissa(rng) * std::pow(10.0, exponent(rng));
    for (auto kind : kinds) {
      const std::string t = quantity_text(v, kind);
      if (parsed(t, kind) != v) FAIL_CHECK("inexact: " << t << " for " << number_text(v));
      ++checked;
    }
    for (auto kind : prices) {
      const std::string t = quantity_text(v, kind, "USD");
      if (parsed(t, kind) != v) FAIL_CHECK("inexact: " << t << " for " << number_text(v));
    }
    const double f = mantissa(rng) / 10.0 * std::pow(10.0, -std::abs(exponent(rng)) / 3);
    const std::string t = quantity_text(f, UnitKind::fraction);
    if (parsed(t, UnitKind::fraction) != f) FAIL_CHECK("inexact fraction: " << t << " for " << number_text(f));
  }
  CHECK(checked == 3000 * 9);
}

TEST_CASE("yaml writer: a changed field does not compare equal, the comparison names it, the writer keeps it") {
  const Scenario s = load_scenario(HWPLAN_SOURCE_DIR "/scenarios/factory-vision.yaml", catalogue());
  const std::string base = folder_of(s.file);
  Scenario changed = s;
  changed.streams[0].pipeline[1].fraction = 0.2;
  CHECK_FALSE(s == changed);
  const auto diff = hwtest::differences(s, changed);
  REQUIRE(diff.lines().size() == 1);
  CHECK(contains(diff.lines()[0], "streams[0].pipeline[1].fraction: 0.1 vs 0.2"));
  const Scenario back = reread(changed, base);
  CHECK(back == changed);
  CHECK_FALSE(back == s);

  // One ulp is a change, and survives writing.
  Scenario ulp = s;
  ulp.sites[0].backhaul.latency = Seconds(std::nextafter(ulp.sites[0].backhaul.latency.si(), 1.0));
  CHECK_FALSE(s == ulp);
  CHECK(contains(hwtest::differences(s, ulp).text(), "sites[0].backhaul.latency"));
  CHECK(reread(ulp, base) == ulp);

  // Fields that are not leaves: a list entry, an optional, a candidate.
  Scenario more = s;
  more.candidates.pop_back();
  more.constraints.rack_power = Watts(5000);
  CHECK_FALSE(s == more);
  const std::string text = hwtest::differences(s, more).text();
  CHECK(contains(text, "candidates: 3 entries vs 2"));
  CHECK(contains(text, "constraints.rack_power: none vs 5000"));
  CHECK(reread(more, base) == more);

  const HardwareProfile p = load_profile(HWPLAN_SOURCE_DIR "/hardware_profiles/nvidia-l4.yaml");
  HardwareProfile q = p;
  q.sources["power"] += " (checked)";
  q.peak[Precision::int8] = FlopsPerSecond(q.peak.at(Precision::int8).si() * 2);
  CHECK_FALSE(p == q);
  const std::string ptext = hwtest::differences(p, q).text();
  CHECK(contains(ptext, "sources.power: '"));
  CHECK(contains(ptext, " (checked)'\n"));
  CHECK(contains(ptext, "compute.int8: 242000000000000 vs 484000000000000"));
  CHECK(reread(q) == q);
  CHECK_FALSE(reread(q) == p);
}

TEST_CASE("yaml writer: defaults are left out, so a minimal file stays minimal") {
  const std::string minimal = R"(name: Minimal
sites:
  - id: a
streams:
  - id: s
    site: a
    arrival: {process: poisson, rate: 5 /s}
    payload: 1 KB
    pipeline: [{model: resnet50}]
    slo: {latency: 50 ms}
)";
  const Scenario s = load_scenario_text(minimal, ".", catalogue(), "minimal.yaml");
  const std::string text = scenario_yaml(s, ".");
  INFO(text);
  // If the writer's idea of a default differed from the loader's, the key would appear.
  for (const char* k : {"description:", "precision:", "dc_fabric_latency:", "return_result:", "raw_data_local:",
                        "fraction:", "variability:", "jitter:", "batch_jobs:", "retraining:", "constraints:",
                        "candidates:", "gpu_hour:", "id: resnet50"}) {
    CHECK_MESSAGE(!contains(text, k), k);
  }
  CHECK(contains(text, "access: {type: wired}"));
  CHECK(contains(text, "backhaul: {type: wan}"));
  check_scenario_round_trip(s, ".");

  const std::string profile = R"(id: tiny
name: Tiny
class: edge
compute: {fp32: 1 TFLOP/s}
memory: {bandwidth: 10 GB/s}
power: {idle: 1 W, max: 5 W}
sources: {compute: a, memory: b, power: c}
)";
  const HardwareProfile p = load_profile_text(profile, "tiny.yaml");
  const std::string ptext = profile_yaml(p);
  INFO(ptext);
  for (const char* k : {"efficiency:", "overhead:", "price:", "price_year:", "capacity:", "modes:", "interfaces:",
                        "environment:", "form_factor:", "calibration:"}) {
    CHECK_MESSAGE(!contains(ptext, k), k);
  }
  check_profile_round_trip(p);
}

TEST_CASE("yaml writer: a figure group that needs a source is written with or without one") {
  HardwareProfile p = load_profile_text(R"(id: tiny
name: Tiny
class: edge
compute: {fp32: 1 TFLOP/s}
memory: {bandwidth: 10 GB/s}
power: {idle: 1 W, max: 5 W}
sources: {compute: a, memory: b, power: c}
)", "tiny.yaml");
  // An efficiency source alone brings the group, at its default values.
  p.sources["efficiency"] = "estimate";
  CHECK(contains(profile_yaml(p), "efficiency:"));
  check_profile_round_trip(p);
  // An edited figure without a source is written; loading it says what is missing.
  p.sources.erase("efficiency");
  p.overhead = Seconds(1e-3);
  const std::string text = profile_yaml(p);
  CHECK(contains(text, "overhead: 1 ms"));
  try {
    load_profile_text(text, "tiny.yaml");
    FAIL("a figure without a source loaded");
  } catch (const InputError& e) {
    CHECK(contains(e.what(), "no source for 'overhead'"));
  }
}

TEST_CASE("yaml writer: free text survives quotes, colons, null words, line breaks and non-ASCII") {
  HardwareProfile p = load_profile(HWPLAN_TEST_DATA "/good/test_device.yaml");
  p.name = "~";
  p.form_factor = "card: 2-slot # full height";
  p.environment = "line one\nline two\n";
  p.interfaces = {"", "null", "PCIe 4.0 x16, half length", "  leading", "trailing ", "[bracket]", "yes", "123"};
  p.sources["compute"] = "say \"hi\"\twith a tab";
  p.sources["memory"] = "1.5 µs → fine";
  p.sources["power"] = "two\nlines, no end";
  // A key that needs quoting (under calibration: a source must name a key of the profile).
  p.calibration["key: with colon"] = "'quoted'";
  p.calibration["date"] = "2025-01-01T00:00:00Z";
  p.calibration["empty"] = "";
  check_profile_round_trip(p);

  Scenario s = full_scenario();
  s.name = "null";
  s.description = "\nstarts with a blank line\n";
  s.streams[0].pipeline[0].id = "{flow} [chars], and: more";
  check_scenario_round_trip(s, HWPLAN_TEST_DATA);
  s.description = "no newline at the end\nof two lines";
  check_scenario_round_trip(s, HWPLAN_TEST_DATA);
}

TEST_CASE("yaml writer: trace files are written relative to the base folder") {
  const Scenario s = full_scenario();
  const std::string good = HWPLAN_TEST_DATA "/good";
  const std::string text = scenario_yaml(s, good);
  CHECK(contains(text, "file: ../traces/times.csv"));
  const Scenario back = load_scenario_text(text, good, catalogue(), s.file);
  CHECK(back.streams[3].arrival.trace_file == s.streams[3].arrival.trace_file);
  CHECK(back == s);
}

TEST_CASE("load_scenario_text: relative traces use base_dir. errors name the display name, line and column") {
  const Scenario s = full_scenario();
  CHECK(s.file == HWPLAN_TEST_DATA "/full.yaml");
  try {
    load_scenario_text(kFullScenario, HWPLAN_TEST_DATA "/good", catalogue(), "edited.yaml");
    FAIL("the trace was found from the wrong folder");
  } catch (const InputError& e) {
    CHECK(contains(e.what(), "edited.yaml:49:37"));  // the full scenario's trace line (after start_hour: 6)
    CHECK(contains(e.what(), "'streams[3].arrival.file'"));
    CHECK(contains(e.what(), "trace file not found"));
  }
  const std::string bad = "name: x\nsites:\n  - id: a\nstreams:\n  - id: s\n    site: a\n"
                          "    arrival: {process: poisson, rate: 5}\n";
  try {
    load_scenario_text(bad, ".", catalogue());
    FAIL("a rate without a unit loaded");
  } catch (const InputError& e) {
    const std::string m = e.what();
    CHECK(contains(m, "<text>:7:39"));
    CHECK(contains(m, "'streams[0].arrival.rate'"));
    CHECK(contains(m, "value '5'"));
    CHECK(contains(m, "like '5/s'"));
  }
  try {
    load_scenario_text("name: a: b\n", ".", catalogue(), "mine.yaml");
    FAIL("a syntax error loaded");
  } catch (const InputError& e) {
    CHECK(contains(e.what(), "mine.yaml:1:"));
    CHECK(contains(e.what(), "YAML syntax error"));
  }
  CHECK_THROWS_AS(load_scenario_text("", ".", catalogue()), InputError);
}

TEST_CASE("load_profile_text: the id is compared with a .yaml display name, not with other names") {
  const std::string text = R"(id: tiny
name: Tiny
class: edge
compute: {fp32: 1 TFLOP/s}
memory: {bandwidth: 10 GB}
power: {idle: 1 W, max: 5 W}
sources: {compute: a, memory: b, power: c}
)";
  try {
    load_profile_text(text, "tiny.yaml");
    FAIL("a data size for a bandwidth loaded");
  } catch (const InputError& e) {
    CHECK(contains(e.what(), "tiny.yaml:5:"));
    CHECK(contains(e.what(), "'memory.bandwidth'"));
  }
  std::string ok = text;
  ok.replace(ok.find("10 GB"), 5, "10 GB/s");
  CHECK(load_profile_text(ok).id == "tiny");
  CHECK(load_profile_text(ok).file == "<text>");
  CHECK(load_profile_text(ok, "hardware_profiles/tiny.yaml").id == "tiny");
  CHECK_THROWS_WITH_AS(load_profile_text(ok, "hardware_profiles/other.yaml"),
                       doctest::Contains("the id must match the file name"), InputError);
}

TEST_CASE("scenario_changes: each changed value with its path, old and new. items added or removed named once. nothing for the same") {
  const std::string path = HWPLAN_SOURCE_DIR "/scenarios/factory-vision.yaml";
  const Scenario a = load_scenario(path, catalogue());
  CHECK(scenario_changes(a, a).empty());
  CHECK(scenario_changes(a, load_scenario(path, catalogue())).empty());  // loaded twice: the same
  Scenario b = a;
  b.streams[0].slo.latency = Seconds(0.054);
  b.costs.electricity.per_si = 0.2 / kJoulesPerKwh;
  b.candidates.pop_back();  // the hybrid
  const auto has = [](const std::vector<std::string>& v, const std::string& line) { return std::find(v.begin(), v.end(), line) != v.end(); };
  const auto changes = scenario_changes(a, b);
  CAPTURE(changes);
  CHECK(changes.size() == 3);
  CHECK(has(changes, "streams[inspection].slo.latency: 40 ms -> 54 ms"));
  CHECK(has(changes, "costs.electricity: 0.12 USD/kWh -> 0.2 USD/kWh"));
  CHECK(has(changes, "candidates[2]: removed"));
  // The other way round: the same values swapped, the candidate added.
  const auto back = scenario_changes(b, a);
  CAPTURE(back);
  CHECK(back.size() == 3);
  CHECK(has(back, "streams[inspection].slo.latency: 54 ms -> 40 ms"));
  CHECK(has(back, "candidates[2]: added"));
}
