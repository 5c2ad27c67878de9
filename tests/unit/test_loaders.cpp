// YAML loaders (sim/io/loaders): a catalogue of bad inputs, one mistake per file, in
// tests/data/bad/ (listed in tests/data/README.md). Every message must name the file,
// line:column, the key path, the bad value and the expected form.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/io/loaders.hpp"

namespace fs = std::filesystem;

namespace {

const hw::Catalogue& catalogue() {
  static const hw::Catalogue c = hw::load_catalogue(HWPLAN_SOURCE_DIR "/hardware_profiles",
                                                    HWPLAN_SOURCE_DIR "/scenarios/models");
  return c;
}

std::string data(const std::string& rel) { return std::string(HWPLAN_TEST_DATA) + "/" + rel; }

enum class Loader { scenario, profile, models };

void load_with(Loader l, const std::string& path) {
  switch (l) {
    case Loader::scenario: hw::load_scenario(path, catalogue()); break;
    case Loader::profile: hw::load_profile(path); break;
    case Loader::models: hw::load_models(path); break;
  }
}

// The InputError message for a file; "" if it loads.
std::string error_of(Loader l, const std::string& path) {
  try {
    load_with(l, path);
  } catch (const hw::InputError& e) {
    return e.what();
  }
  return "";
}

bool has(const std::string& msg, const std::string& part) { return msg.find(part) != std::string::npos; }

struct BadCase {
  const char* file;                    // under tests/data/bad/
  Loader loader;                       // the loader the file is meant for
  std::vector<std::string> expected;   // substrings of the message, in any order
};

// clang-format off
const std::vector<BadCase> kBadCases = {
  // ---- scenarios
  {"bare_number.yaml", Loader::scenario,
   {"bare_number.yaml:24:16", "'streams[0].slo.latency'", "value '40'", "no unit", "'40 ms'"}},
  {"key_typo.yaml", Loader::scenario,
   {"key_typo.yaml:9:7", "'sites[0].backhaul.latncy'", "unknown key 'latncy'", "did you mean 'latency'?",
    "known keys here: bandwidth, latency, type"}},
  {"unknown_unit.yaml", Loader::scenario,
   {"unknown_unit.yaml:10:18", "'sites[0].backhaul.bandwidth'", "value '200 Mbs'", "unknown unit 'Mbs'",
    "did you mean 'Mbps'?", "like '1.5 Gbps'"}},
  {"unit_case.yaml", Loader::scenario,
   {"unit_case.yaml:17:15", "'streams[0].arrival.jitter'", "value '2 Ms'", "did you mean 'ms'?", "case-sensitive",
    "like '5 ms'"}},
  {"list_for_scalar.yaml", Loader::scenario,
   {"list_for_scalar.yaml:18:14", "'streams[0].payload'", "value '<a list>'", "expected a number with a unit",
    "like '200 KB'"}},
  {"missing_key.yaml", Loader::scenario,
   {"missing_key.yaml:12:5", "'streams[0].payload'", "required key 'payload' is missing"}},
  {"required_key_typo.yaml", Loader::scenario,  // the typo's own line, not the mapping's first (2:1)
   {"required_key_typo.yaml:5:1", "'site'", "unknown key 'site'", "did you mean 'sites'?",
    "required key 'sites' is missing"}},
  {"required_key_swap.yaml", Loader::scenario,  // two letters swapped: was "required key 'sites' is missing" at 5:1
   {"required_key_swap.yaml:5:1", "'siets'", "unknown key 'siets'", "did you mean 'sites'?",
    "required key 'sites' is missing"}},
  {"optional_key_swap.yaml", Loader::scenario,  // was "unknown key 'csots' (known keys here: ...)", no suggestion
   {"optional_key_swap.yaml:26:1", "'csots'", "unknown key 'csots'", "did you mean 'costs'?", "known keys here:"}},
  {"wrong_key_for_required.yaml", Loader::scenario,  // was "required key 'name' is missing" at 2:1
   {"wrong_key_for_required.yaml:2:1", "'title'", "unknown key 'title'", "known keys here: batch_jobs, candidates"}},
  {"hardware_id_swap.yaml", Loader::scenario,  // was "unknown hardware profile" with no suggestion
   {"hardware_id_swap.yaml:32:15", "'candidates[0].hardware'", "value 'jetosn-orin-nano-super'",
    "did you mean 'jetson-orin-nano-super'?"}},
  {"required_key_typo_prefix.yaml", Loader::scenario,
   {"required_key_typo_prefix.yaml:18:5", "'streams[0].payload_size'", "unknown key 'payload_size'",
    "did you mean 'payload'?"}},
  {"edge_stages_past_pipeline.yaml", Loader::scenario,  // was accepted: 5 stages at the edge of a 2-stage pipeline
   {"edge_stages_past_pipeline.yaml:24:81", "'candidates[0].edge_stages'", "value '5'", "expected 1 to 2",
    "the longest pipeline (stream 'counting') has 2 stage(s)"}},
  {"empty_pipeline.yaml", Loader::scenario,  // a list, but an empty one: said so
   {"empty_pipeline.yaml:19:15", "'streams[0].pipeline'", "value '[]'", "the list is empty", "with at least one entry"}},
  {"streams_key_typo.yaml", Loader::scenario,
   {"streams_key_typo.yaml:11:1", "'stream'", "unknown key 'stream'", "did you mean 'streams'?",
    "at least one stream or one batch job"}},
  {"llm_with_pipeline.yaml", Loader::scenario,
   {"llm_with_pipeline.yaml:18:7", "'streams[0].pipeline'", "has no pipeline", "remove 'pipeline' or 'llm'"}},
  {"llm_slo_one_target.yaml", Loader::scenario,
   {"llm_slo_one_target.yaml:18:7", "'streams[0].slo'", "two targets", "tpot: {percentile: 99, latency: 200 ms}"}},
  {"llm_uniform_max_below_min.yaml", Loader::scenario,
   {"llm_uniform_max_below_min.yaml:15:61", "'streams[0].llm.prompt_tokens.max'", "value '100'", "expected max >= min (500 tokens)"}},
  {"llm_model_without_shape.yaml", Loader::scenario,
   {"llm_model_without_shape.yaml:14:14", "'streams[0].llm.model'", "value 'yolov8n'", "lacks the shape LLM serving needs",
    "kv_heads, head_dim"}},
  {"llm_empirical_fraction.yaml", Loader::scenario,
   {"llm_empirical_fraction.yaml:15:62", "'streams[0].llm.prompt_tokens.values[1]'", "value '80.5'", "whole number of tokens"}},
  {"negative_rate.yaml", Loader::scenario,
   {"negative_rate.yaml:16:13", "'streams[0].arrival.rate'", "value '-15 /s'", "must not be negative; expected a number with a unit, like '30 /s' (units: /s, /min, /h, /d, Hz, fps)"}},
  {"percent_over_100.yaml", Loader::scenario,
   {"percent_over_100.yaml:25:22", "'streams[0].slo.max_violation'", "value '150 %'", "between 0 % and 100 %"}},
  {"max_violation_bare_one.yaml", Loader::scenario,  // was accepted as 100 %: every request may miss, the SLO checked nothing
   {"max_violation_bare_one.yaml:25:22", "'streams[0].slo.max_violation'", "value '1'", "reads as 100 %", "the SLO would check nothing",
    "write '1 %' if a percentage was meant"}},
  {"max_violation_100_percent.yaml", Loader::scenario,
   {"max_violation_100_percent.yaml:25:22", "'streams[0].slo.max_violation'", "value '100 %'", "every request could miss",
    "expected below 100 %"}},
  {"fraction_bare.yaml", Loader::scenario,
   {"fraction_bare.yaml:22:19", "'streams[0].pipeline[1].fraction'", "value '10'", "not a fraction between 0 and 1",
    "'10 %'"}},
  {"first_stage_fraction.yaml", Loader::scenario,
   {"first_stage_fraction.yaml:21:19", "'streams[0].pipeline[0].fraction'", "value '50 %'", "first stage sees every item"}},
  {"unknown_hardware.yaml", Loader::scenario,
   {"unknown_hardware.yaml:32:15", "'candidates[0].hardware'", "value 'jetson-orin-nano-supr'",
    "unknown hardware profile", "did you mean 'jetson-orin-nano-super'?", "known: amd-kria-kv260, amd-mi300x"}},
  {"unknown_model.yaml", Loader::scenario,
   {"unknown_model.yaml:21:16", "'streams[0].pipeline[1].model'", "value 'resnet-50'", "unknown model",
    "did you mean 'resnet50'?"}},
  {"unknown_site.yaml", Loader::scenario,
   {"unknown_site.yaml:13:11", "'streams[0].site'", "value 'plants'", "unknown site", "did you mean 'plant'?",
    "(known: plant)"}},
  {"syntax_error.yaml", Loader::scenario,
   {"syntax_error.yaml:2:16", "YAML syntax error", "illegal map value"}},
  {"empty.yaml", Loader::scenario,
   {"empty.yaml:1:1", "the file is empty", "expected a YAML mapping"}},
  {"comments_only.yaml", Loader::scenario,
   {"comments_only.yaml:1:1", "the file is empty"}},
  {"top_level_list.yaml", Loader::scenario,
   {"top_level_list.yaml:2:1", "'<top>'", "value '<a list>'", "expected a mapping"}},
  {"warmup_too_long.yaml", Loader::scenario,
   {"warmup_too_long.yaml:4:9", "'warmup'", "value '40 s'", "warm-up must be shorter than the duration"}},
  {"accelerator_not_accelerator.yaml", Loader::scenario,
   {"accelerator_not_accelerator.yaml:33:18", "'candidates[0].accelerator'", "value 'jetson-orin-nano-super'", "class edge",
    "expected accelerator"}},
  {"wrong_class.yaml", Loader::scenario,
   {"wrong_class.yaml:32:15", "'candidates[0].hardware'", "value 'nvidia-l4'", "class accelerator",
    "expected edge or cpu_server"}},
  {"bad_family.yaml", Loader::scenario,
   {"bad_family.yaml:31:13", "'candidates[0].family'", "value 'gpus'", "expected one of: edge, gpu, hybrid",
    "did you mean 'gpu'?"}},
  {"currency_mismatch.yaml", Loader::scenario,
   {"currency_mismatch.yaml:28:16", "'costs.electricity'", "value '0.12 EUR/kWh'",
    "currency EUR differs from the scenario's currency USD"}},
  {"money_no_currency.yaml", Loader::scenario,
   {"money_no_currency.yaml:29:15", "'costs.site_visit'", "value '300'", "no currency", "'300 USD'"}},
  {"no_sites.yaml", Loader::scenario,
   {"no_sites.yaml:6:3", "'sites'", "value '<a mapping>'", "expected a list of sites"}},
  // ---- profiles (the id matches the file name)
  {"profile_no_source.yaml", Loader::profile,
   {"profile_no_source.yaml:8:3", "'memory'", "no source for 'memory'", "sources: {memory:"}},
  {"profile_power_inverted.yaml", Loader::profile,
   {"profile_power_inverted.yaml:12:8", "'power.max'", "value '4 W'", "at least the idle power (5 W)"}},
  {"profile_bare_bandwidth.yaml", Loader::profile,
   {"profile_bare_bandwidth.yaml:9:14", "'memory.bandwidth'", "value '100'", "no unit", "'100 GB/s'"}},
  {"profile_interconnect_no_source.yaml", Loader::profile,
   {"profile_interconnect_no_source.yaml:11:15", "'interconnect'", "no source for 'interconnect'", "sources: {interconnect:"}},
  {"profile_bad_class.yaml", Loader::profile,
   {"profile_bad_class.yaml:4:8", "'class'", "value 'gpu-server'",
    "expected one of: edge, accelerator, gpu_server, cpu_server", "did you mean 'gpu_server'?"}},
  {"profile_id_mismatch.yaml", Loader::profile,
   {"profile_id_mismatch.yaml:2:5", "'id'", "value 'profile-id-mismatch'", "must match the file name",
    "expected 'profile_id_mismatch'"}},
  {"profile_efficiency_over_1.yaml", Loader::profile,
   {"profile_efficiency_over_1.yaml:14:12", "'efficiency.compute'", "value '1.5'", "a number between 0.001 and 1"}},
  {"profile_no_compute.yaml", Loader::profile,
   {"profile_no_compute.yaml:5:10", "'compute'", "at least one of fp32, fp16, int8"}},
  {"profile_negative_price.yaml", Loader::profile,
   {"profile_negative_price.yaml:15:8", "'price'", "value '-5 USD'", "a price of at least 0"}},
  {"profile_price_too_large.yaml", Loader::profile,
   {"profile_price_too_large.yaml:15:8", "'price'", "value '1e300 USD'", "too large"}},
  {"profile_hex_number.yaml", Loader::profile,
   {"profile_hex_number.yaml:14:12", "'efficiency.compute'", "value '0x0.8p0'", "a number between 0.001 and 1"}},
  // ---- rendering and video decoding (sim/hardware/media.hpp)
  {"profile_render_no_source.yaml", Loader::profile,
   {"profile_render_no_source.yaml:11:9", "'render'", "no source for 'render'", "sources: {render:"}},
  {"profile_render_bare_speed.yaml", Loader::profile,
   {"profile_render_bare_speed.yaml:11:17", "'render.speed'", "value '10885'", "no unit"}},
  {"profile_decode_bad_codec.yaml", Loader::profile,
   {"profile_decode_bad_codec.yaml:11:10", "'decode.h.265'", "unknown key 'h.265'", "known keys here: av1, h264, h265, jpeg"}},
  {"video_bad_codec.yaml", Loader::scenario,
   {"video_bad_codec.yaml:19:20", "'streams[0].video.codec'", "value 'h.264'", "expected one of: h264, h265, av1, jpeg"}},
  {"video_bad_resolution.yaml", Loader::scenario,
   {"video_bad_resolution.yaml:19:38", "'streams[0].video.resolution'", "value '1920x'", "expected WIDTHxHEIGHT", "'1920x1080'"}},
  // ---- models
  {"model_no_flops_source.yaml", Loader::models,
   {"model_no_flops_source.yaml:11:3", "key 'sources': no source for the FLOP figures", "sources: {flops:"}},
  {"model_no_sources_key.yaml", Loader::models,
   {"model_no_sources_key.yaml:2:1", "key 'sources': no source for the FLOP figures", "sources: {flops:"}},
  {"profile_no_sources_key.yaml", Loader::profile,
   {"profile_no_sources_key.yaml:6:3", "key 'compute': no source for 'compute'", "sources: {compute:"}},
  {"model_bad_precision.yaml", Loader::models,
   {"model_bad_precision.yaml:8:20", "'precisions', value 'fp6'", "'fp6' is not a precision", "fp32, fp16, bf16, int8, fp8 or fp4"}},
  {"model_flop_rate.yaml", Loader::models,
   {"model_flop_rate.yaml:4:17", "'flops_per_item'", "value '8.7 GFLOP/s'", "unknown unit 'GFLOP/s'",
    "did you mean 'GFLOP'?", "like '28.6 GFLOP'"}},
};
// clang-format on

std::vector<std::string> yaml_files_in(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".yaml") out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

// ------------------------------------------------------------------ baselines

// Each bad file is one edit away from a good one; the good ones must load.
TEST_CASE("loaders: the good baseline scenario loads") {
  auto s = hw::load_scenario(data("good/scenario.yaml"), catalogue());
  CHECK(s.name == "Bad input");
  CHECK(s.duration.si() == doctest::Approx(40.0));
  REQUIRE(s.streams.size() == 1);
  CHECK(s.streams[0].slo.latency.si() == doctest::Approx(0.040));
  CHECK(s.streams[0].pipeline.size() == 2);
  CHECK(s.streams[0].pipeline[1].fraction == doctest::Approx(0.10));
  CHECK(s.costs.electricity.per_si == doctest::Approx(0.12 / 3.6e6));
  REQUIRE(s.candidates.size() == 1);
  CHECK(s.candidates[0].edge_hardware == "jetson-orin-nano-super");
}

TEST_CASE("loaders: the good baseline profile loads") {
  auto p = hw::load_profile(data("good/test_device.yaml"));
  CHECK(p.id == "test_device");
  CHECK(p.peak.at(hw::Precision::fp16).si() == doctest::Approx(10e12));
  CHECK(p.memory_bandwidth.si() == doctest::Approx(100e9));
  CHECK(p.power_max.si() == doctest::Approx(20.0));
  CHECK(p.price.amount == doctest::Approx(500.0));
}

TEST_CASE("loaders: the good baseline model loads") {
  auto ms = hw::load_models(data("good/test_model.yaml"));
  REQUIRE(ms.size() == 1);
  CHECK(ms[0].id == "test-model");
  CHECK(ms[0].flops_per_item.si() == doctest::Approx(8.7e9));
  CHECK(ms[0].weights.si() == doctest::Approx(6.4e6));
}

// ------------------------------------------------------------------ the bad catalogue

TEST_CASE("loaders: each bad file gives an InputError naming file, line:column, key, value and fix") {
  for (const auto& c : kBadCases) {
    CAPTURE(c.file);
    const std::string msg = error_of(c.loader, data(std::string("bad/") + c.file));
    CAPTURE(msg);
    CHECK_FALSE(msg.empty());
    for (const auto& part : c.expected) {
      CAPTURE(part);
      CHECK(has(msg, part));
    }
  }
}

TEST_CASE("loaders: the bad-file table covers every file in tests/data/bad") {
  std::set<std::string> listed;
  for (const auto& c : kBadCases) listed.insert(c.file);
  const auto files = yaml_files_in(data("bad"));
  CHECK(files.size() >= 15);
  for (const auto& f : files) {
    CAPTURE(f);
    CHECK(listed.contains(f));
  }
  CHECK(listed.size() == files.size());
}

TEST_CASE("loaders: InputError exposes the location, key and value separately") {
  try {
    hw::load_scenario(data("bad/negative_rate.yaml"), catalogue());
    FAIL("no InputError");
  } catch (const hw::InputError& e) {
    CHECK(e.where().line == 16);
    CHECK(e.where().column == 13);
    CHECK(e.key() == "streams[0].arrival.rate");
    CHECK(e.value() == "-15 /s");
    CHECK(e.problem() == "must not be negative; expected a number with a unit, like '30 /s' (units: /s, /min, /h, /d, Hz, fps)");
  }
}

// ------------------------------------------------------------------ nothing crashes

TEST_CASE("loaders: every bad file throws only InputError from all three loaders") {
  for (const auto& f : yaml_files_in(data("bad"))) {
    CAPTURE(f);
    const std::string path = data("bad/" + f);
    CHECK_THROWS_AS(hw::load_scenario(path, catalogue()), hw::InputError);
    CHECK_THROWS_AS(hw::load_profile(path), hw::InputError);
    CHECK_THROWS_AS(hw::load_models(path), hw::InputError);
  }
}

TEST_CASE("loaders: hostile inputs (binary, deep nesting, tabs, folders, missing files) give InputError") {
  const fs::path dir = fs::temp_directory_path() / ("hwplan_test_loaders_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "folder.yaml");
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  };
  std::vector<std::string> paths{
      write("binary.yaml", std::string("\x00\x01\x02\xff\xfe garbage", 13)),
      write("deep.yaml", "a: " + std::string(5000, '[') + std::string(5000, ']') + "\n"),
      write("unclosed.yaml", std::string(20000, '[') + "\n"),
      write("tab.yaml", "name: x\n\tsites: []\n"),
      write("scalar.yaml", "just some words\n"),
      write("nested_lists.yaml", "id: [a, b]\nname: {x: 1}\nclass: [edge]\nsites: [[1]]\nweights: {}\n"),
      write("complex_key.yaml", "? [a, b]\n: c\n"),
      write("null_key.yaml", "~: 3\n"),
      write("huge_numbers.yaml", "name: x\nseed: 99999999999999999999999\nsites: [{id: a, count: 1e999}]\n"),
      (dir / "folder.yaml").string(),
      (dir / "missing.yaml").string(),
  };
  for (const auto& p : paths) {
    CAPTURE(p);
    CHECK_THROWS_AS(hw::load_scenario(p, catalogue()), hw::InputError);
    CHECK_THROWS_AS(hw::load_profile(p), hw::InputError);
    CHECK_THROWS_AS(hw::load_models(p), hw::InputError);
  }
  fs::remove_all(dir);
}

TEST_CASE("loaders: a missing file says 'file not found'") {
  const std::string msg = error_of(Loader::scenario, data("bad/does_not_exist.yaml"));
  CAPTURE(msg);
  CHECK(has(msg, "does_not_exist.yaml"));
  CHECK(has(msg, "file not found"));
}

// ------------------------------------------------------------------ detect_kind

TEST_CASE("loaders: detect_kind tells profiles, models and scenarios apart") {
  CHECK(hw::detect_kind(data("good/test_device.yaml")) == hw::FileKind::profile);
  CHECK(hw::detect_kind(data("good/test_model.yaml")) == hw::FileKind::model);
  CHECK(hw::detect_kind(data("good/scenario.yaml")) == hw::FileKind::scenario);
  // Not a mapping at all: an InputError that says so, as for text that is not YAML (review 14:
  // validate said "no key tells what it is" of a list).
  CHECK_THROWS_WITH_AS(hw::detect_kind(data("bad/top_level_list.yaml")), doctest::Contains("got a list"), hw::InputError);
}

// ------------------------------------------------------------------ bugs: bad input accepted
// Each file in tests/data/bad_but_accepted/ holds a mistake the loaders let through today.
// Each of these inputs was once accepted by mistake (tests/data/bad_but_accepted/); now rejected.

// Bug: arrival on/off sojourns are not checked (loaders.cpp, read_arrival): 'on: 0 s'
// loads, burst_factor = (on + off) / on is infinite and the generator draws from
// exponential_distribution(1 / 0).
TEST_CASE("loaders: a bursty on-period of 0 s is rejected") {
  const std::string msg = error_of(Loader::scenario, data("bad_but_accepted/bursty_zero_on.yaml"));
  CAPTURE(msg);
  CHECK_FALSE(msg.empty());
  CHECK(has(msg, "bursty_zero_on.yaml:17:11"));
  CHECK(has(msg, "'streams[0].arrival.on'"));
  CHECK(has(msg, "value '0 s'"));
}

// Bug: sizes are not checked for sign (loaders.cpp, load_scenario): 'payload: -150 KB'
// loads as -1.5e5 bytes (the engine then computes a negative transfer time).
TEST_CASE("loaders: a negative payload is rejected") {
  const std::string msg = error_of(Loader::scenario, data("bad_but_accepted/negative_payload.yaml"));
  CAPTURE(msg);
  CHECK_FALSE(msg.empty());
  CHECK(has(msg, "negative_payload.yaml:18:14"));
  CHECK(has(msg, "'streams[0].payload'"));
  CHECK(has(msg, "value '-150 KB'"));
}

// Bug: a key given twice is silently accepted and the first value wins (yaml-cpp keeps
// both; MapReader::finish only checks that each key is known): here 'duration: 1 s' on
// line 5 is ignored and the run lasts 40 s.
TEST_CASE("loaders: a key given twice is rejected") {
  const std::string msg = error_of(Loader::scenario, data("bad_but_accepted/duplicate_key.yaml"));
  CAPTURE(msg);
  CHECK_FALSE(msg.empty());
  CHECK(has(msg, "duplicate_key.yaml:5:1"));
  CHECK(has(msg, "duration"));
}

// Bug: stream ids are not checked for duplicates (sites are): two streams named
// 'inspection' load, and their results cannot be told apart.
TEST_CASE("loaders: two streams with the same id are rejected") {
  const std::string msg = error_of(Loader::scenario, data("bad_but_accepted/duplicate_stream_id.yaml"));
  CAPTURE(msg);
  CHECK_FALSE(msg.empty());
  CHECK(has(msg, "duplicate_stream_id.yaml:26:9"));
  CHECK(has(msg, "'streams[1].id'"));
  CHECK(has(msg, "inspection"));
}

// Bug: profile powers are not checked for sign (loaders.cpp, load_profile): 'idle: -5 W' loads.
TEST_CASE("loaders: a negative idle power is rejected") {
  const std::string msg = error_of(Loader::profile, data("bad_but_accepted/profile_negative_power.yaml"));
  CAPTURE(msg);
  CHECK_FALSE(msg.empty());
  CHECK(has(msg, "profile_negative_power.yaml:11:9"));
  CHECK(has(msg, "'power.idle'"));
}

// Bug: model figures are not checked for sign (loaders.cpp, read_model_figures):
// 'flops_per_item: -8.7 GFLOP' loads.
TEST_CASE("loaders: a negative FLOP count is rejected") {
  const std::string msg = error_of(Loader::models, data("bad_but_accepted/model_negative_flops.yaml"));
  CAPTURE(msg);
  CHECK_FALSE(msg.empty());
  CHECK(has(msg, "model_negative_flops.yaml:4:17"));
  CHECK(has(msg, "'flops_per_item'"));
}
