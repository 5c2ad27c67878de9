// Sweeps without simulation (sim/sweep): dotted paths into a scenario's YAML tree, the
// schema of values and their units, sweep-file errors with line and column, axis
// expansion, variant keys, boundary refinement on synthetic maps, the result file.
#include <doctest/doctest.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "sim/core/errors.hpp"
#include "sim/core/files.hpp"
#include "sim/io/loaders.hpp"
#include "sim/sweep/boundary.hpp"
#include "sim/sweep/execute.hpp"
#include "sim/sweep/paths.hpp"
#include "sim/sweep/results.hpp"
#include "sim/sweep/spec.hpp"

namespace fs = std::filesystem;
using namespace hw;
using namespace hw::sweep;

namespace {

const Catalogue& catalogue() {
  static const Catalogue c = load_catalogue(HWPLAN_SOURCE_DIR "/hardware_profiles", HWPLAN_SOURCE_DIR "/scenarios/models");
  return c;
}

// A scenario with two sites, a two-stage pipeline, a trace-driven stream and candidates.
const char* kScenario = R"(name: Sweep base
duration: 20 s
warmup: 2 s
sites:
  - id: plant
    count: 4
    backhaul: {type: wan, latency: 15 ms, bandwidth: 200 Mbps}
  - id: office
streams:
  - id: inspection
    site: plant
    arrival: {process: periodic, rate: 15 /s, jitter: 2 ms}
    payload: 150 KB
    pipeline:
      - model: yolov8s
      - {id: classify, model: resnet50, fraction: 10 %}
    slo: {latency: 40 ms, max_violation: 1 %}
  - id: replay
    site: office
    arrival: {process: trace, file: traces/t.csv}
    payload: 1 KB
    pipeline:
      - model: resnet50
    slo: {latency: 100 ms}
costs:
  currency: USD
  electricity: 0.12 USD/kWh
candidates:
  - {family: edge, hardware: jetson-orin-nano-super}
  - {family: gpu, hardware: l4x4-server}
)";

// A fresh folder holding the scenario (and its trace) and a sweep file with `body`.
struct Files {
  fs::path dir;
  explicit Files(const std::string& body, const std::string& name = "s.yaml") {
    dir = fs::temp_directory_path() / ("hwplan-sweep-test-" + std::to_string(::getpid()));
    fs::create_directories(dir / "traces");
    fs::create_directories(dir / "sweeps");
    std::ofstream(dir / "base.yaml") << kScenario;
    std::ofstream(dir / "traces" / "t.csv") << "0.0\n0.1\n0.2\n0.3\n";
    std::ofstream(dir / "sweeps" / name) << body;
  }
  [[nodiscard]] std::string sweep(const std::string& name = "s.yaml") const { return (dir / "sweeps" / name).string(); }
};

YAML::Node base_tree() { return YAML::Load(kScenario); }

// The InputError of loading a sweep whose file is "scenario: ../base.yaml\n" + body.
InputError sweep_error(const std::string& body) {
  Files f("scenario: ../base.yaml\n" + body);
  try {
    (void)load_sweep(f.sweep(), catalogue());
  } catch (const InputError& e) {
    return e;
  }
  FAIL("the sweep loaded");
  return InputError(Location{}, "", "", "");
}

}  // namespace

TEST_CASE("paths: list elements by id, by model for a stage without id, by position") {
  const YAML::Node root = base_tree();
  auto r = resolve_path(root, "sites.plant.count");
  CHECK(r.pattern == "sites.*.count");
  CHECK(r.current == "4");
  CHECK(r.schema->kind == ValueKind::integer);
  CHECK(resolve_path(root, "sites.1.backhaul.latency").pattern == "sites.*.backhaul.latency");
  CHECK(resolve_path(root, "streams.inspection.pipeline.yolov8s.model").current == "yolov8s");
  CHECK(resolve_path(root, "streams.inspection.pipeline.classify.fraction").current == "10 %");
  CHECK(resolve_path(root, "candidates.1.hardware").current == "l4x4-server");
  // Absent optional values (and maps above them) are allowed: set_path creates them.
  auto absent = resolve_path(root, "sites.office.backhaul.latency");
  CHECK(absent.current.empty());
  CHECK(absent.schema->unit == UnitKind::time);
  CHECK(resolve_path(root, "costs.gpu_hour").schema->unit == UnitKind::time_price);
}

TEST_CASE("paths: unknown elements and keys are named, with a suggestion") {
  const YAML::Node root = base_tree();
  auto message = [&](const std::string& p) {
    try {
      (void)resolve_path(root, p);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("resolved");
  };
  CHECK(message("sites.plnt.count").find("no site 'plnt'") != std::string::npos);
  CHECK(message("sites.plnt.count").find("did you mean 'plant'") != std::string::npos);
  CHECK(message("sites.7.count").find("no site '7'") != std::string::npos);
  CHECK(message("costs.electrcity").find("did you mean 'costs.electricity'") != std::string::npos);
  CHECK(message("sites.plant.backhaul").find("holds several values") != std::string::npos);
  CHECK(message("sites.plant.count.more").find("single value") != std::string::npos);
  CHECK(message("sites..count").find("empty segment") != std::string::npos);
  CHECK(message("costs.currency").find("not a value a sweep can change") != std::string::npos);
  // The list of changeable paths is in docs/sweeps.md (it was docs/input-format.md, which has none).
  CHECK(message("costs.currency").find("docs/sweeps.md, 'Paths'") != std::string::npos);
}

TEST_CASE("paths: set_path edits one value, creates absent maps, and leaves other nodes alone") {
  YAML::Node tree = YAML::Clone(base_tree());
  set_path(tree, split_path("sites.plant.backhaul.latency"), "5 ms");
  set_path(tree, split_path("sites.office.backhaul.latency"), "7 ms");
  set_path(tree, split_path("streams.inspection.pipeline.classify.fraction"), "20 %");
  set_path(tree, split_path("costs.pue"), "1.2");
  CHECK(tree["sites"][0]["backhaul"]["latency"].Scalar() == "5 ms");
  CHECK(tree["sites"][0]["backhaul"]["bandwidth"].Scalar() == "200 Mbps");
  CHECK(tree["sites"][1]["backhaul"]["latency"].Scalar() == "7 ms");
  CHECK(tree["streams"][0]["pipeline"][1]["fraction"].Scalar() == "20 %");
  CHECK(tree["streams"][0]["pipeline"][0]["model"].Scalar() == "yolov8s");
  CHECK(tree["costs"]["pue"].Scalar() == "1.2");
  CHECK(tree["costs"]["electricity"].Scalar() == "0.12 USD/kWh");
}

TEST_CASE("values: each is checked against the unit and range its path expects") {
  const auto& cat = catalogue();
  auto schema = [](const std::string& p) { return *resolve_path(base_tree(), p).schema; };
  const auto latency = schema("sites.plant.backhaul.latency");
  CHECK_FALSE(check_value(latency, "15 ms", cat, "USD"));
  CHECK(check_value(latency, "15", cat, "USD")->find("has no unit") != std::string::npos);
  // The unit that key takes: ms for a latency, years for a horizon (was the kind's example for every time).
  CHECK(check_value(latency, "15", cat, "USD")->find("'15 ms'") != std::string::npos);
  CHECK(check_value(schema("costs.horizon"), "3", cat, "USD")->find("'3 y'") != std::string::npos);
  CHECK(check_value(latency, "15 Mbps", cat, "USD"));
  CHECK(check_value(latency, "-1 ms", cat, "USD")->find("negative") != std::string::npos);
  const auto count = schema("sites.plant.count");
  CHECK_FALSE(check_value(count, "1000", cat, "USD"));
  CHECK(check_value(count, "0", cat, "USD")->find("out of range") != std::string::npos);
  CHECK(check_value(count, "2.5", cat, "USD")->find("whole number") != std::string::npos);
  CHECK(check_value(count, "10 units", cat, "USD"));
  // A seed takes the loader's range, 0 to 2^62, compared as whole numbers (2^62 + 1 as a double is 2^62).
  const auto seed = schema("seed");
  CHECK_FALSE(check_value(seed, "4611686018427387904", cat, "USD"));
  CHECK(check_value(seed, "4611686018427387905", cat, "USD")->find("out of range") != std::string::npos);
  CHECK(seed.expected() == "a whole number from 0 to 4611686018427387904");
  const auto price = schema("costs.electricity");
  CHECK_FALSE(check_value(price, "0.2 USD/kWh", cat, "USD"));
  CHECK(check_value(price, "0.2 EUR/kWh", cat, "USD")->find("currency EUR") != std::string::npos);
  CHECK(check_value(price, "0.2 USD/GB", cat, "USD"));
  const auto rate = schema("streams.inspection.arrival.rate");
  CHECK_FALSE(check_value(rate, "5 /s", cat, "USD"));
  CHECK(check_value(rate, "0 /s", cat, "USD")->find("positive") != std::string::npos);
  CHECK(check_value(schema("streams.inspection.pipeline.classify.fraction"), "150 %", cat, "USD"));
  CHECK(check_value(schema("costs.pue"), "4", cat, "USD")->find("out of range") != std::string::npos);
  CHECK(check_value(schema("costs.pue"), "1.5 x", cat, "USD"));
  CHECK_FALSE(check_value(schema("candidates.1.hardware"), "nvidia-h100-sxm", cat, "USD"));
  CHECK(check_value(schema("candidates.1.hardware"), "nvidia-h100-sx", cat, "USD")->find("did you mean 'nvidia-h100-sxm'") !=
        std::string::npos);
  CHECK(check_value(schema("sites.plant.backhaul.type"), "5G", cat, "USD")->find("did you mean '5g'") != std::string::npos);
  CHECK(check_value(schema("streams.inspection.return_result"), "True", cat, "USD"));
}

TEST_CASE("paths: LLM lengths and limits, TTFT/TPOT targets, video and render values of the bundled scenarios") {
  const auto& cat = catalogue();
  const YAML::Node chat = YAML::LoadFile(HWPLAN_SOURCE_DIR "/scenarios/llm-chat-serving.yaml");
  const YAML::Node cctv = YAML::LoadFile(HWPLAN_SOURCE_DIR "/scenarios/city-cctv.yaml");
  const YAML::Node film = YAML::LoadFile(HWPLAN_SOURCE_DIR "/scenarios/film-rendering.yaml");
  auto schema = [](const YAML::Node& root, const std::string& p) { return *resolve_path(root, p).schema; };
  // Lengths: whole token counts; the file's lognormal mean of 161 tokens is read back.
  auto mean = resolve_path(chat, "streams.chat.llm.prompt_tokens.mean");
  CHECK(mean.pattern == "streams.*.llm.prompt_tokens.mean");
  CHECK(mean.current == "161");
  CHECK_FALSE(check_value(*mean.schema, "2000", cat, "USD"));
  CHECK(check_value(*mean.schema, "0", cat, "USD")->find("out of range") != std::string::npos);
  const auto out_max = schema(chat, "streams.chat.llm.output_tokens.max");
  CHECK(check_value(out_max, "100.5", cat, "USD")->find("whole number") != std::string::npos);
  CHECK(check_value(schema(chat, "streams.chat.llm.output_tokens.distribution"), "normal", cat, "USD"));
  CHECK_FALSE(check_value(schema(chat, "streams.chat.llm.token_budget"), "8192", cat, "USD"));  // absent in the file: may be set
  CHECK(check_value(schema(chat, "streams.chat.llm.max_sequences"), "0", cat, "USD"));
  CHECK_FALSE(check_value(schema(chat, "streams.chat.llm.precision"), "fp8", cat, "USD"));
  // The two SLO targets of an LLM stream: times with units, as the file writes them.
  auto ttft = resolve_path(chat, "streams.chat.slo.ttft.latency");
  CHECK(ttft.current == "2 s");
  CHECK(numeric_value(*ttft.schema, "500 ms") == doctest::Approx(0.5));
  CHECK(check_value(*ttft.schema, "500", cat, "USD")->find("has no unit") != std::string::npos);
  CHECK(resolve_path(chat, "streams.chat.slo.tpot.latency").current == "200 ms");
  CHECK(check_value(schema(chat, "streams.chat.slo.tpot.percentile"), "100", cat, "USD")->find("out of range") != std::string::npos);
  // Video: the codec is a choice, fps a positive rate.
  CHECK(resolve_path(cctv, "streams.cctv.video.codec").current == "h264");
  CHECK(check_value(schema(cctv, "streams.cctv.video.codec"), "h266", cat, "USD"));
  CHECK_FALSE(check_value(schema(cctv, "streams.cctv.video.fps"), "25 /s", cat, "USD"));
  CHECK(check_value(schema(cctv, "streams.cctv.video.fps"), "0 /s", cat, "USD")->find("positive") != std::string::npos);
  CHECK(resolve_path(cctv, "streams.cctv.video.resolution").current == "1920x1080");
  // Render work and scene memory of a rendering job.
  const auto samples = resolve_path(film, "batch_jobs.feature-final-render.render.samples");
  CHECK_FALSE(samples.current.empty());
  CHECK_FALSE(check_value(*samples.schema, "1e11", cat, "USD"));
  CHECK(check_value(schema(film, "batch_jobs.feature-final-render.render.scene_memory"), "40", cat, "USD")->find("has no unit") !=
        std::string::npos);
  // A sweep that changes them loads: set_path writes the value where the loader reads it.
  YAML::Node edited = YAML::Clone(chat);
  set_path(edited, split_path("streams.chat.llm.prompt_tokens.mean"), "1000");
  set_path(edited, split_path("streams.chat.slo.ttft.latency"), "1 s");
  YAML::Emitter e;
  e << edited;
  const Scenario s = load_scenario_text(e.c_str(), HWPLAN_SOURCE_DIR "/scenarios", cat);
  REQUIRE(s.streams.at(0).llm.has_value());
  CHECK(s.streams.at(0).llm->prompt_tokens.mean == doctest::Approx(1000));
  CHECK(s.streams.at(0).llm->ttft.latency.si() == doctest::Approx(1.0));
}

TEST_CASE("values: generated values keep the unit text of the range's 'from'") {
  const auto latency = *resolve_path(base_tree(), "sites.plant.backhaul.latency").schema;
  CHECK(format_like(latency, 0.0115, "2 ms") == "11.5 ms");
  CHECK(format_like(latency, 0.0115, "2ms") == "11.5ms");
  CHECK(format_like(latency, 2.0, "0.5 s") == "2 s");
  const auto price = *resolve_path(base_tree(), "costs.electricity").schema;
  CHECK(format_like(price, numeric_value(price, "0.14 USD/kWh"), "0.08 USD/kWh") == "0.14 USD/kWh");
  const auto count = *resolve_path(base_tree(), "sites.plant.count").schema;
  CHECK(format_like(count, 4199.6, "100") == "4200");
  CHECK(numeric_value(count, "4200") == 4200);
  CHECK(numeric_value(latency, "15 ms") == doctest::Approx(0.015));
}

TEST_CASE("sweep file: errors name the sweep file, line, column, key, value and expected form") {
  auto e = sweep_error("axes:\n  sites.plant.backhaul.latency: [5 ms, 15]\n");
  CHECK(e.where().file.find("s.yaml") != std::string::npos);
  CHECK(e.where().line == 3);
  CHECK(e.where().column == 40);
  CHECK(e.key() == "axes.sites.plant.backhaul.latency[1]");
  CHECK(e.value() == "15");
  CHECK(e.problem().find("has no unit") != std::string::npos);

  e = sweep_error("axes:\n  sites.plnt.count: [1, 2]\n");
  CHECK(e.where().line == 3);
  CHECK(e.where().column == 3);
  CHECK(e.problem().find("did you mean 'plant'") != std::string::npos);

  e = sweep_error("axes:\n  sites.plant.count: []\n");
  CHECK(e.where().line == 3);
  CHECK(e.problem().find("no values") != std::string::npos);

  e = sweep_error("axes:\n  sites.plant.count: 5\n");
  CHECK(e.problem().find("a single value for every variant goes under 'set:'") != std::string::npos);

  e = sweep_error("axes:\n  sites.plant.backhaul.latency: {from: 2 ms, to: 40, steps: 3}\n");
  CHECK(e.key() == "axes.sites.plant.backhaul.latency.to");
  CHECK(e.value() == "40");

  e = sweep_error("axes:\n  candidates.0.hardware: {from: 1, to: 2, steps: 2}\n");
  CHECK(e.problem().find("a range needs a numeric value") != std::string::npos);

  e = sweep_error("combine: zip\naxes:\n  sites.plant.count: [1, 2]\n  costs.pue: [1.1, 1.2, 1.3]\n");
  CHECK(e.where().line == 5);
  CHECK(e.problem().find("equal length") != std::string::npos);

  e = sweep_error("mode: boundary\naxes:\n  sites.plant.count: {from: 1, to: 10, steps: 3}\n");
  CHECK(e.problem().find("two numeric axes") != std::string::npos);

  e = sweep_error("mode: boundary\naxes:\n  sites.plant.count: [1, 2]\n  costs.pue: {from: 1.1, to: 1.5, steps: 3}\n");
  CHECK(e.key() == "axes.sites.plant.count");
  CHECK(e.value() == "[1, 2]");
  CHECK(e.problem().find("this axis is a list; write it as a range") != std::string::npos);

  e = sweep_error("axes:\n  sites.plant.count: [1, 2]\nset: {sites.plant.count: 3}\n");
  CHECK(e.problem().find("also under 'set:'") != std::string::npos);

  e = sweep_error("axis:\n  sites.plant.count: [1, 2]\n");
  CHECK(e.key() == "axis");  // the typo, at its own line, rather than "required key 'axes' is missing"
  CHECK(e.where().line == 2);
  CHECK(e.problem().find("did you mean 'axes'?") != std::string::npos);

  // Two letters swapped in the required key: was "<file>:1:1: key 'axes': required key 'axes'
  // is missing", with no hint (did_you_mean counts a swap as two edits).
  e = sweep_error("axse:\n  sites.plant.count: [1, 2]\n");
  CHECK(e.key() == "axse");
  CHECK(e.where().line == 2);
  CHECK(e.where().column == 1);
  CHECK(e.problem().find("unknown key 'axse'; did you mean 'axes'?") != std::string::npos);

  // A key like nothing known, with the required key missing: the unknown key first, at its
  // own line, with the keys a sweep file has.
  e = sweep_error("dimensions:\n  sites.plant.count: [1, 2]\n");
  CHECK(e.key() == "dimensions");
  CHECK(e.where().line == 2);
  CHECK(e.problem().find("unknown key 'dimensions' (known keys here: ") != std::string::npos);
  CHECK(e.problem().find("axes") != std::string::npos);

  // The same swap in an optional key after the axes: the same suggestion.
  e = sweep_error("axes:\n  sites.plant.count: [1, 2]\nmdoe: grid\n");
  CHECK(e.key() == "mdoe");
  CHECK(e.where().line == 4);
  CHECK(e.problem().find("did you mean 'mode'?") != std::string::npos);

  e = sweep_error("run: simulate\naxes:\n  sites.plant.count: [1, 2]\n");
  CHECK(e.key() == "run");

  e = sweep_error("set: {duration: 10}\naxes:\n  sites.plant.count: [1, 2]\n");
  CHECK(e.key() == "set.duration");
  CHECK(e.where().line == 2);
}

TEST_CASE("sweep file: an error of the base with 'set:' applied points at the 'set:' value, or at the base's own line") {
  // jitter 40 ms is more than half of the 66.7 ms period (15 /s): the value came from `set:`,
  // at line 2 of the sweep file, column 42 (after "set: {", the 33-character path and ": ").
  auto e = sweep_error("set: {streams.inspection.arrival.jitter: 40 ms}\naxes:\n  sites.plant.count: [1, 2]\n");
  CHECK(e.where().file.find("s.yaml") != std::string::npos);
  CHECK(e.where().line == 2);
  CHECK(e.where().column == 42);
  CHECK(e.key() == "set.streams.inspection.arrival.jitter");
  CHECK(e.value() == "40 ms");
  CHECK(e.problem().find("jitter") != std::string::npos);

  // duration 1 s is fine alone, but the base's warmup (2 s, line 3, column 9 of base.yaml) is
  // then not shorter: the warmup's own position, with what `set:` changed.
  e = sweep_error("set: {duration: 1 s}\naxes:\n  sites.plant.count: [1, 2]\n");
  CHECK(e.where().file.find("base.yaml") != std::string::npos);
  CHECK(e.where().file.find("with the sweep") == std::string::npos);
  CHECK(e.where().line == 3);
  CHECK(e.where().column == 9);
  CHECK(e.key() == "warmup");
  CHECK(e.problem().find("warm-up must be shorter than the duration") != std::string::npos);
  CHECK(e.problem().find("with the sweep's 'set:' applied: duration: 1 s (") != std::string::npos);
  CHECK(e.problem().find("s.yaml:2:17)") != std::string::npos);  // "set: {duration: " is 16 characters
}

TEST_CASE("sweep file: an empty 'axes:' says it is empty. a folder for 'scenario:' says it is a folder") {
  auto e = sweep_error("axes: {}\n");
  CHECK(e.key() == "axes");
  CHECK(e.value() == "{}");
  CHECK(e.problem().find("the mapping is empty") != std::string::npos);
  CHECK(e.problem().find("expected a mapping") == std::string::npos);

  Files f("scenario: ..\naxes:\n  sites.plant.count: [1, 2]\n");  // the folder holding base.yaml
  std::string message;
  try {
    (void)load_sweep(f.sweep(), catalogue());
  } catch (const InputError& err) {
    message = err.what();
  }
  CHECK(message.find("s.yaml:1:11") != std::string::npos);
  CHECK(message.find("is a directory; expected a scenario YAML file") != std::string::npos);
  CHECK(message.find("not found") == std::string::npos);
}

TEST_CASE("expansion: grid is the cartesian product (last axis fastest), zip pairs values, ranges are generated") {
  Files f(
      "scenario: ../base.yaml\naxes:\n  sites.plant.count: {from: 10, to: 1000, steps: 3, scale: log}\n"
      "  sites.plant.backhaul.latency: {from: 2 ms, to: 40 ms, steps: 3}\n");
  const SweepSpec spec = load_sweep(f.sweep(), catalogue());
  CHECK(spec.axes[0].values == std::vector<std::string>{"10", "100", "1000"});
  CHECK(spec.axes[1].values == std::vector<std::string>{"2 ms", "21 ms", "40 ms"});
  const auto v = expand(spec);
  REQUIRE(v.size() == 9);
  CHECK(v[0].values == std::vector<std::string>{"10", "2 ms"});
  CHECK(v[1].values == std::vector<std::string>{"10", "21 ms"});
  CHECK(v[3].values == std::vector<std::string>{"100", "2 ms"});
  CHECK(v[8].index == 8);
  CHECK(spec.action == Action::recommend);

  Files z("scenario: ../base.yaml\ncombine: zip\nrun: run\naxes:\n  sites.plant.count: [1, 2, 3]\n  costs.pue: [1.1, 1.2, 1.3]\n");
  const auto zv = expand(load_sweep(z.sweep(), catalogue()));
  REQUIRE(zv.size() == 3);
  CHECK(zv[2].values == std::vector<std::string>{"3", "1.3"});

  // Integer rounding that makes two steps equal keeps one of them.
  Files r("scenario: ../base.yaml\naxes:\n  sites.plant.count: {from: 1, to: 3, steps: 5}\n");
  CHECK(load_sweep(r.sweep(), catalogue()).axes[0].values == std::vector<std::string>{"1", "2", "3"});
}

TEST_CASE("variants: edited text loads with traces resolved from the base's folder. keys follow the resolved scenario") {
  Files f(
      "scenario: ../base.yaml\nrun: run\nset: {duration: 10 s}\naxes:\n  sites.plant.backhaul.bandwidth: [1 Gbps, 1000 Mbps, 2 Gbps]\n"
      "  sites.office.backhaul.latency: [3 ms]\n");
  const SweepSpec spec = load_sweep(f.sweep(), catalogue());
  CHECK(spec.base_scenario.duration.si() == 10);
  const auto v = expand(spec);
  REQUIRE(v.size() == 3);
  const auto a = resolve_variant(spec, catalogue(), v[0]);
  const auto b = resolve_variant(spec, catalogue(), v[1]);
  const auto c = resolve_variant(spec, catalogue(), v[2]);
  REQUIRE(a.scenario);
  CHECK(a.scenario->sites[0].backhaul.bandwidth.si() == 1e9);
  CHECK(a.scenario->sites[1].backhaul.latency.si() == doctest::Approx(0.003));
  CHECK(a.scenario->duration.si() == 10);
  CHECK(fs::equivalent(a.scenario->streams[1].arrival.trace_file, f.dir / "traces" / "t.csv"));
  CHECK(a.key == b.key);  // "1 Gbps" and "1000 Mbps" are the same variant
  CHECK(a.key != c.key);
  CHECK(a.key.size() == 32);

  // What runs is part of the key.
  Files g(
      "scenario: ../base.yaml\nrun: recommend\nset: {duration: 10 s}\naxes:\n  sites.plant.backhaul.bandwidth: [1 Gbps]\n"
      "  sites.office.backhaul.latency: [3 ms]\n");
  const SweepSpec spec2 = load_sweep(g.sweep(), catalogue());
  CHECK(resolve_variant(spec2, catalogue(), expand(spec2)[0]).key != a.key);
}

TEST_CASE("variants: a bad combination is a variant with its reason, not an error of the sweep") {
  Files f("scenario: ../base.yaml\nrun: run\naxes:\n  warmup: [1 s, 30 s]\n");
  const SweepSpec spec = load_sweep(f.sweep(), catalogue());
  const auto v = expand(spec);
  const auto ok = resolve_variant(spec, catalogue(), v[0]);
  const auto bad = resolve_variant(spec, catalogue(), v[1]);
  CHECK(ok.scenario);
  CHECK(ok.error.empty());
  CHECK_FALSE(bad.scenario);
  CHECK(bad.error.find("warm-up must be shorter than the duration") != std::string::npos);
  CHECK(bad.error.find("30 s") != std::string::npos);
  CHECK_FALSE(bad.key.empty());
  CHECK(bad.key != ok.key);
}

TEST_CASE("boundary: refinement locates a straight boundary to one fine step and evaluates far fewer points than the fine grid") {
  // Label of point (x, y) on a 5 x 5 coarse grid refined 4 times: "a" below the line
  // x + 0.5 y = 37.3 (lattice units: the fine grid is 65 x 65), "b" above.
  Refinement ref(5, 4, 5, 4);
  auto truth = [](const LatticePoint& p) { return static_cast<double>(p.x) + 0.5 * static_cast<double>(p.y) < 37.3 ? "a" : "b"; };
  std::set<LatticePoint> asked;
  int rounds = 0;
  for (auto pts = ref.next_round(); !pts.empty(); pts = ref.next_round()) {
    ++rounds;
    for (const auto& p : pts) {
      CHECK(asked.insert(p).second);  // never asked twice
      CHECK(p.x >= 0);
      CHECK(p.x <= ref.fine_x());
      ref.record(p, truth(p));
    }
    REQUIRE(rounds < 20);
  }
  CHECK(ref.fine_grid_points() == 65 * 65);
  CHECK(ref.evaluated() < ref.fine_grid_points() / 4);
  const auto changes = ref.changes();
  int rows = 0;
  for (const auto& c : changes) {
    CHECK(c.to - c.from == 1);  // located to one fine step
    CHECK(c.below == "a");
    CHECK(c.above == "b");
    if (c.along_x) {
      ++rows;
      const double x_star = 37.3 - 0.5 * static_cast<double>(c.line);
      CHECK(static_cast<double>(c.from) < x_star);
      CHECK(static_cast<double>(c.to) > x_star);
    }
  }
  CHECK(rows == 5);  // every coarse row crosses the line (x* from 37.3 down to 5.3)
}

TEST_CASE("boundary: an answer that changes with x only is located on every coarse row and adds no rows") {
  // Three changes along x (at 9.5, 20.5 and 41.5 in lattice units of a 4 x 3 coarse grid
  // refined 4 times each way), none along y: only the coarse rows' edges are bisected.
  Refinement ref(4, 4, 3, 4);
  auto truth = [](const LatticePoint& p) { return p.x < 9.5 ? "a" : p.x < 20.5 ? "b" : p.x < 41.5 ? "c" : "d"; };
  for (auto pts = ref.next_round(); !pts.empty(); pts = ref.next_round()) {
    for (const auto& p : pts) {
      CHECK(p.y % ref.step_y() == 0);  // on a coarse row
      ref.record(p, truth(p));
    }
    REQUIRE(ref.rounds() < 30);
  }
  std::map<long, std::vector<long>> located;  // row -> the x of each change's first point above
  for (const auto& c : ref.changes()) {
    REQUIRE(c.along_x);
    CHECK(c.to - c.from == 1);
    located[c.line].push_back(c.to);
  }
  CHECK(located.size() == 3);
  for (const auto& [row, xs] : located) CHECK(xs == std::vector<long>{10, 21, 42});
  // Each row: 4 coarse points, then about log2(16) bisections per change.
  CHECK(ref.evaluated() <= 3 * (4 + 3 * 4));
}

TEST_CASE("boundary: a map with one answer needs only the coarse grid") {
  Refinement ref(4, 3, 3, 3);
  const auto first = ref.next_round();
  CHECK(first.size() == 12);
  for (const auto& p : first) ref.record(p, "same");
  CHECK(ref.next_round().empty());
  CHECK(ref.changes().empty());
  CHECK(ref.evaluated() == 12);
}

TEST_CASE("boundary: lattice depth from the tolerance") {
  CHECK(depth_for(0, 40, 5, false, 10, 6) == 0);   // coarse step 10
  CHECK(depth_for(0, 40, 5, false, 1.25, 6) == 3); // 10 / 8
  CHECK(depth_for(0, 40, 5, false, 1.2, 6) == 4);
  CHECK(depth_for(0, 40, 5, false, 1e-9, 6) == 6); // capped
  // Geometric: 1000 to 16000 in 5 values is x2 per step; the top step is 8000 wide.
  CHECK(depth_for(1000, 16000, 5, true, 8000, 6) == 0);
  CHECK(depth_for(1000, 16000, 5, true, 1000, 6) == 4);  // the top step of 64 is 16000 * (1 - 16^(-1/64)) = 679
  // The city map's cameras: 5 to 100 in 4 log steps, 64 fine steps each: the top one is
  // 100 * (1 - 20^(-1/192)) = 1.548 cameras, so a 1-camera tolerance needs depth 7 (0.777).
  CHECK(widest_step(5, 100, 4, true, 6) == doctest::Approx(1.548).epsilon(1e-3));
  CHECK(depth_for(5, 100, 4, true, 1, 6) == 6);  // capped: the sweep says so
  CHECK(depth_for(5, 100, 4, true, 1, 12) == 7);
  CHECK(widest_step(0, 40, 5, false, 3) == doctest::Approx(1.25));
}

TEST_CASE("result file: CSV rows in variant order, failed variants as a row with the reason, read back for --resume") {
  const fs::path dir = fs::temp_directory_path() / ("hwplan-sweep-results-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "r.csv").string();
  const std::vector<std::string> report{"family", "hardware", "reason", "recommended"};
  ResultFile file(path, Format::csv, {"sites.plant.count", "costs.pue"}, report, {});
  Outcome b;
  b.index = 1;
  b.values = {"10", "1.2"};
  b.key = "k1";
  b.rows = {{"edge", "jetson, \"nano\"", "", "false"}, {"gpu", "l4x4-server", "", "true"}};
  file.add(b);
  Outcome a;
  a.index = 0;
  a.values = {"1", "1.2"};
  a.key = "k0";
  a.status = Status::failed;
  a.error = "the simulation of x failed: killed by signal 9";
  file.add(a);
  const auto recs = parse_csv(read_file(path));
  REQUIRE(recs.size() == 4);
  CHECK(recs[0] == std::vector<std::string>{"sites.plant.count", "costs.pue", "variant", "family", "hardware", "reason", "recommended",
                                            "variant_status", "variant_error", "variant_key", "variant_rows"});
  CHECK(recs[1][2] == "1");
  CHECK(recs[1][10] == "1");  // a failed variant: its one row
  CHECK(recs[2][10] == "2");  // variant 1 (index 0) first, although it finished second
  CHECK(recs[1][5] == a.error);
  CHECK(recs[1][7] == "failed");
  CHECK(recs[2][4] == "jetson, \"nano\"");
  CHECK(recs[3][6] == "true");

  ResultFile again(path, Format::csv, {"sites.plant.count", "costs.pue"}, report, {});
  const auto back = again.load_existing();
  REQUIRE(back.size() == 2);
  CHECK(back[0].key == "k0");
  CHECK(back[0].status == Status::failed);
  CHECK(back[0].answer == "failed");
  CHECK(back[1].rows == b.rows);
  CHECK(back[1].values == b.values);
  CHECK(back[1].answer == "gpu l4x4-server");
  CHECK(back[1].resumed);
  CHECK(again.text() == read_file(path));  // nothing lost or changed by reading it back

  ResultFile other(path, Format::csv, {"sites.plant.count"}, report, {});
  CHECK_THROWS_AS(other.load_existing(), std::runtime_error);

  // A file cut after variant 2's first row (by hand: hwplan writes whole variants): variant 1
  // is kept, variant 2 is not (it runs again), and incomplete() says which and why.
  const std::string whole = read_file(path);
  std::size_t cut = 0;
  for (int line = 0; line < 3; ++line) cut = whole.find('\n', cut) + 1;
  { std::ofstream(path, std::ios::trunc) << whole.substr(0, cut); }
  ResultFile cutf(path, Format::csv, {"sites.plant.count", "costs.pue"}, report, {});
  const auto kept = cutf.load_existing();
  REQUIRE(kept.size() == 1);
  CHECK(kept[0].key == "k0");
  REQUIRE(cutf.incomplete().size() == 1);
  CHECK(cutf.incomplete()[0].index == 1);
  CHECK(cutf.incomplete()[0].rows == 1);
  CHECK(cutf.incomplete()[0].expected == 2);

  // An empty file keeps nothing; a file of an older version names the column that differs.
  { std::ofstream(path, std::ios::trunc) << ""; }
  ResultFile empty(path, Format::csv, {"sites.plant.count", "costs.pue"}, report, {});
  CHECK(empty.load_existing().empty());
  { std::ofstream(path, std::ios::trunc) << "sites.plant.count,costs.pue,variant,family,hardware,reason,recommended,variant_status,variant_error,variant_key\n"; }
  ResultFile older(path, Format::csv, {"sites.plant.count", "costs.pue"}, report, {});
  try {
    older.load_existing();
    FAIL("an older file's header was accepted");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()).find("it has 10 column(s), this sweep writes 11 (the next is 'variant_rows')") != std::string::npos);
  }
  fs::remove_all(dir);
}

TEST_CASE("result file: a failed variant's row says not feasible, no probe, not on the front, not recommended") {
  // Before: feasible, probes, pareto and recommended (documented never empty) were empty on a
  // failed variant's row, so a notebook's df[df.feasible] or probes.sum() broke on it.
  const fs::path dir = fs::temp_directory_path() / ("hwplan-sweep-failed-row-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "r.csv").string();
  const std::vector<std::string> report{"family", "hardware", "feasible", "reason", "probes", "pareto", "recommended", "tco_usd"};
  ResultFile file(path, Format::csv, {"streams.inspection.sources"}, report, {});
  Outcome a;
  a.index = 0;
  a.values = {"100000"};
  a.key = "k0";
  a.status = Status::failed;
  a.error = "over the event budget";
  file.add(a);
  const auto recs = parse_csv(read_file(path));
  REQUIRE(recs.size() == 2);
  const auto& row = recs[1];
  CHECK(row[1] == "1");  // variant
  CHECK(row[2].empty());  // family: no candidate to name (documented)
  CHECK(row[3].empty());  // hardware
  CHECK(row[4] == "false");
  CHECK(row[5] == a.error);
  CHECK(row[6] == "0");
  CHECK(row[7] == "false");
  CHECK(row[8] == "false");
  CHECK(row[9].empty());  // never priced
  CHECK(row[10] == "failed");
  // A run sweep's header has no probes, pareto or recommended: nothing added.
  ResultFile run_file((dir / "run.csv").string(), Format::csv, {"streams.inspection.sources"}, {"family", "feasible", "reason"}, {});
  run_file.add(a);
  const auto run_recs = parse_csv(read_file((dir / "run.csv").string()));
  REQUIRE(run_recs.size() == 2);
  CHECK(run_recs[1].size() == 9);
  CHECK(run_recs[1][3] == "false");
  fs::remove_all(dir);
}

TEST_CASE("result file: background writes give the file that writing after every add gives. flush() waits for it, the end writes what is pending, a failure is thrown") {
  const fs::path dir = fs::temp_directory_path() / ("hwplan-sweep-bg-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "r.csv").string();
  const std::vector<std::string> report{"family", "hardware", "reason", "recommended"};
  auto outcome = [](std::size_t i) {
    Outcome o;
    o.index = i;
    o.values = {std::to_string(i + 1)};
    o.key = "k" + std::to_string(i);
    o.rows = {{"edge", "jetson", "", i % 2 ? "true" : "false"}};
    return o;
  };
  std::string expected;
  {
    ResultFile sync(path, Format::csv, {"sites.plant.count"}, report, {});
    for (std::size_t i = 0; i < 50; ++i) sync.add(outcome(i));
    expected = read_file(path);
  }
  fs::remove(path);
  {
    ResultFile bg(path, Format::csv, {"sites.plant.count"}, report, {});
    bg.write_in_background();
    for (std::size_t i = 0; i < 50; ++i) bg.add(outcome(i));  // a burst: far faster than one rewrite per kRewriteEvery
    bg.flush();
    CHECK(read_file(path) == expected);
    CHECK(bg.text() == expected);
    for (std::size_t i = 50; i < 60; ++i) bg.add(outcome(i));
  }  // destroyed without flush(): the pending rewrite still happens
  CHECK(parse_csv(read_file(path)).size() == 61);
  for (const auto& e : fs::directory_iterator(dir)) CHECK(e.path().filename() == "r.csv");  // no temporary file left

  // The folder gone: the writer's failure comes back from flush(), naming the file.
  const std::string lost = (dir / "gone" / "r.csv").string();
  fs::create_directories(dir / "gone");
  ResultFile bad(lost, Format::csv, {"sites.plant.count"}, report, {});
  bad.write_in_background();
  fs::remove_all(dir / "gone");
  { std::ofstream(dir / "gone") << "a file where the folder was"; }
  bad.add(outcome(0));
  try {
    bad.flush();
    FAIL("a rewrite into a missing folder did not fail");
  } catch (const FileWriteError& e) {
    CHECK(std::string(e.what()).find(lost) != std::string::npos);
  }
  fs::remove_all(dir);
}

TEST_CASE("result file: a JSON sweep whose name or values are not UTF-8 is written with U+FFFD in their place, not a crash") {
  // Before: nlohmann's dump threw type_error.316 in the writer thread and the process aborted.
  const fs::path dir = fs::temp_directory_path() / ("hwplan-sweep-utf8-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "r.json").string();
  {
    ResultFile f(path, Format::json, {"sites.plant.count"}, {"family", "hardware", "reason", "recommended"}, {{"sweep", "caf\xe9 sweep"}});
    f.write_in_background();
    Outcome o;
    o.index = 0;
    o.values = {"1\xff"};
    o.key = "k0";
    o.rows = {{"edge", "jetson", "", "true"}};
    f.add(o);
    CHECK_NOTHROW(f.flush());
  }
  const auto doc = nlohmann::json::parse(read_file(path));
  CHECK(doc.at("sweep").get<std::string>() == "caf\xef\xbf\xbd sweep");
  CHECK(doc.at("variants").at(0).at("values").at("sites.plant.count").get<std::string>() == "1\xef\xbf\xbd");
  fs::remove_all(dir);
}

TEST_CASE("answers read back from a CSV are the words a fresh variant gives: the loop is 'loop edge X', none reads 'nothing feasible'") {
  const std::vector<std::string> h{"family", "hardware", "hybrid_kind", "recommended"};
  // The train-infer-iterate loop: family hybrid in the CSV, as recommend labels it in words.
  CHECK(answer_from_rows(h, {{"hybrid", "jetson-orin-nano-super", "train-infer-loop", "true"}}, Status::ok) ==
        "loop edge jetson-orin-nano-super");
  CHECK(answer_words("hybrid", "train-infer-loop", "jetson-orin-nano-super") == "loop edge jetson-orin-nano-super");
  CHECK(answer_from_rows(h, {{"hybrid", "a+b", "split-pipeline", "true"}}, Status::ok) == "hybrid a+b");
  CHECK(answer_from_rows(h, {{"gpu", "l4x4-server", "", "false"}}, Status::infeasible) == "none");
  CHECK(shown_answer("none") == "nothing feasible");
  CHECK(shown_answer("gpu l4x4-server") == "gpu l4x4-server");
}

TEST_CASE("result file: JSON round trip") {
  const fs::path dir = fs::temp_directory_path() / ("hwplan-sweep-json-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "r.json").string();
  ResultFile file(path, Format::json, {"costs.pue"}, {"family"}, {{"sweep", "t"}});
  Outcome o;
  o.index = 2;
  o.values = {"1.3"};
  o.key = "kk";
  o.status = Status::infeasible;
  o.error = "nothing";
  o.report = {{"schema", "hwplan-recommendation"}};
  file.add(o);
  const auto doc = nlohmann::json::parse(read_file(path));
  CHECK(doc["schema"] == "hwplan-sweep");
  CHECK(doc["sweep"] == "t");
  CHECK(doc["variants"][0]["variant"] == 3);
  CHECK(doc["variants"][0]["values"]["costs.pue"] == "1.3");
  ResultFile again(path, Format::json, {"costs.pue"}, {"family"}, {{"sweep", "t"}});
  const auto back = again.load_existing();
  REQUIRE(back.size() == 1);
  CHECK(back[0].status == Status::infeasible);
  CHECK(back[0].answer == "none");
  CHECK(back[0].report["schema"] == "hwplan-recommendation");
  fs::remove_all(dir);
}

TEST_CASE("result file: JSON leaves out every run's engine wall_time_s and keeps the rest of the report") {
  const fs::path dir = fs::temp_directory_path() / ("hwplan-sweep-wall-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "r.json").string();
  ResultFile file(path, Format::json, {"costs.pue"}, {"family"}, {{"sweep", "t"}});
  Outcome o;
  o.values = {"1.3"};
  o.key = "kk";
  // A run report's shape: candidates[i].run.wall_time_s beside the simulated figures.
  o.report = {{"schema", "hwplan-run-report"},
              {"candidates", {{{"label", "a"}, {"run", {{"wall_time_s", 0.0368}, {"simulated_time_s", 9.29}, {"events", 279}}}},
                              {{"label", "b"}, {"run", {{"wall_time_s", 0.0699}, {"simulated_time_s", 9.19}, {"events", 3300}}}}}}};
  file.add(o);
  const std::string text = read_file(path);
  CHECK(text.find("wall_time_s") == std::string::npos);
  const auto doc = nlohmann::json::parse(text);
  const auto& c = doc["variants"][0]["report"]["candidates"];
  REQUIRE(c.size() == 2);
  CHECK(c[0]["run"]["simulated_time_s"] == 9.29);
  CHECK(c[1]["run"]["events"] == 3300);
  CHECK(c[1]["label"] == "b");
  fs::remove_all(dir);
}

TEST_CASE("result file: place() renumbers a kept variant and moves the one holding its number. nothing is dropped") {
  const fs::path dir = fs::temp_directory_path() / ("hwplan-sweep-place-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (const Format f : {Format::csv, Format::json}) {
    const std::string path = (dir / (f == Format::csv ? "p.csv" : "p.json")).string();
    {
      ResultFile file(path, f, {"costs.pue"}, {"family", "recommended"}, {});
      for (std::size_t i = 0; i < 2; ++i) {
        Outcome o;
        o.index = i;
        o.values = {i == 0 ? "1.1" : "1.3"};
        o.key = i == 0 ? "a" : "b";
        o.rows = {{"edge", "true"}};
        o.report = nlohmann::json{{"schema", "hwplan-run-report"}};  // a sweep's JSON has a report for every variant not failed (--resume checks it is not empty)
        file.add(o);
      }
    }
    ResultFile again(path, f, {"costs.pue"}, {"family", "recommended"}, {});
    REQUIRE(again.load_existing().size() == 2);
    // A refined axis [1.1, 1.2, 1.3]: b becomes variant 3 (index 2); a new variant takes index 1.
    CHECK(again.place("b", 2, {"1.3"}));
    CHECK_FALSE(again.place("a", 0, {"1.1"}));  // already so
    CHECK_FALSE(again.place("zz", 0, {"1"}));   // not in the file
    // a moves from 0 to the free 1; then c is added at 0, which a left.
    CHECK(again.place("a", 1, {"1.1"}));
    Outcome c;
    c.index = 0;
    c.values = {"1.0"};
    c.key = "c";
    c.rows = {{"gpu", "true"}};
    again.add(c);
    CHECK(again.variants() == 3);
    const std::string text = again.text();
    if (f == Format::csv) {
      const auto recs = parse_csv(text);
      REQUIRE(recs.size() == 4);
      CHECK(recs[1][0] == "1.0");
      CHECK(recs[1][1] == "1");
      CHECK(recs[2][0] == "1.1");
      CHECK(recs[2][1] == "2");
      CHECK(recs[3][0] == "1.3");
      CHECK(recs[3][1] == "3");
    } else {
      const auto doc = nlohmann::json::parse(text);
      REQUIRE(doc["variants"].size() == 3);
      CHECK(doc["variants"][1]["key"] == "a");
      CHECK(doc["variants"][1]["variant"] == 2);
      CHECK(doc["variants"][2]["key"] == "b");
      CHECK(doc["variants"][2]["variant"] == 3);
      CHECK(doc["variants"][2]["values"]["costs.pue"] == "1.3");
    }
    // add() at a number a kept variant holds moves that one after the last.
    Outcome d;
    d.index = 1;
    d.values = {"1.05"};
    d.key = "d";
    d.rows = {{"edge", "false"}};
    again.add(d);
    CHECK(again.variants() == 4);
    CHECK(again.text().find("1.1") != std::string::npos);  // a is still there (now variant 4)
  }
  fs::remove_all(dir);
}

TEST_CASE("csv parser: quotes, doubled quotes, line breaks inside quotes, CRLF") {
  const auto r = parse_csv("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",\r\n");
  REQUIRE(r.size() == 3);
  CHECK(r[1] == std::vector<std::string>{"x, y", "say \"hi\""});
  CHECK(r[2] == std::vector<std::string>{"two\nlines", ""});
  CHECK_THROWS(parse_csv("a,\"open\n"));
}

namespace {

// A runner that answers at once, except that a batch holding input "x" waits until released.
class GateRunner final : public hw::Runner {
 public:
  std::vector<hw::RunResult> run(const std::vector<hw::SimInput>& inputs, const OnResult& on_result = {},
                                 const OnProgress& = {}) override {
    std::unique_lock<std::mutex> lock(mu_);
    bool gated = false;
    for (const auto& in : inputs) {
      seen_.push_back(in.label);
      gated = gated || in.label == "x";
    }
    cv_.notify_all();
    if (gated) cv_.wait(lock, [&] { return open_; });
    std::vector<hw::RunResult> out;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      hw::RunResult r;
      r.label = inputs[i].label;
      r.ok = true;
      r.wall_time_s = static_cast<double>(seen_.size());
      out.push_back(r);
      if (on_result) on_result(i, r);
    }
    return out;
  }
  void cancel() noexcept override {}
  [[nodiscard]] bool cancelled() const noexcept override { return false; }
  [[nodiscard]] int slots() const override { return 2; }
  void wait_seen(const std::string& label) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return std::find(seen_.begin(), seen_.end(), label) != seen_.end(); });
  }
  void open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  [[nodiscard]] std::size_t count(const std::string& label) {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<std::size_t>(std::count(seen_.begin(), seen_.end(), label));
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> seen_;
  bool open_ = false;
};

hw::SimInput input(const std::string& label) {
  hw::SimInput in;
  in.label = label;
  return in;
}

}  // namespace

TEST_CASE("in-flight runner: a simulation asked for by two threads at once, or twice in a batch, runs once") {
  GateRunner gate;
  InFlightRunner shared(gate);
  std::vector<hw::RunResult> a, b;
  std::thread first([&] { a = shared.run({input("x")}); });
  gate.wait_seen("x");  // the first thread's "x" is in flight (held at the gate)
  std::size_t delivered_b = 0;
  std::thread second([&] { b = shared.run({input("y"), input("x")}, [&](std::size_t, const hw::RunResult&) { ++delivered_b; }); });
  gate.wait_seen("y");  // the second thread has looked "x" up (found in flight) and submitted only "y"
  gate.open();
  first.join();
  second.join();
  CHECK(gate.count("x") == 1);
  CHECK(gate.count("y") == 1);
  REQUIRE(b.size() == 2);
  CHECK(b[0].label == "y");
  CHECK(b[1].label == "x");
  CHECK(b[1].wall_time_s == a.at(0).wall_time_s);  // the first thread's very result
  CHECK(delivered_b == 2);
  CHECK(shared.shared() == 1);

  // Twice in one batch: simulated once, delivered to both positions.
  const auto twice = shared.run({input("z"), input("z")});
  CHECK(gate.count("z") == 1);
  REQUIRE(twice.size() == 2);
  CHECK(twice[1].label == "z");
  CHECK(twice[0].wall_time_s == twice[1].wall_time_s);
}

TEST_CASE("docs/sweeps.md lists exactly the values a sweep can change") {
  std::ifstream f(HWPLAN_SOURCE_DIR "/docs/sweeps.md");
  REQUIRE(f.good());
  std::string line;
  bool in = false, seen = false;
  std::set<std::string> documented;
  while (std::getline(f, line)) {
    if (line.find("<!-- sweep-paths") != std::string::npos) {
      in = seen = true;
      continue;
    }
    if (!in) continue;
    if (line.empty() || line.rfind("- ", 0) != 0) break;  // the list ends at the first line that is not an item
    for (std::size_t a = line.find('`'); a != std::string::npos; a = line.find('`', a + 1)) {
      const std::size_t b = line.find('`', a + 1);
      if (b == std::string::npos) break;
      documented.insert(line.substr(a + 1, b - a - 1));
      a = b;
    }
  }
  REQUIRE(seen);
  std::set<std::string> accepted;
  for (const auto& s : hw::sweep::scenario_schema()) accepted.insert(s.pattern);
  for (const auto& p : accepted) CHECK_MESSAGE(documented.contains(p), "sweepable but not in docs/sweeps.md: ", p);
  for (const auto& p : documented) CHECK_MESSAGE(accepted.contains(p), "in docs/sweeps.md but not sweepable: ", p);
}

TEST_CASE("docs/sweeps.md's example sweep file loads as written") {
  std::ifstream f(HWPLAN_SOURCE_DIR "/docs/sweeps.md");
  REQUIRE(f.good());
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string doc = ss.str();
  const std::string open = "## The sweep file\n\n```yaml\n";
  const auto a = doc.find(open);
  REQUIRE(a != std::string::npos);
  const auto b = doc.find("```", a + open.size());
  REQUIRE(b != std::string::npos);
  std::string example = doc.substr(a + open.size(), b - a - open.size());
  // Its base scenario is named relative to scenarios/sweeps/; here from a scratch folder.
  const std::string rel = "../city-cctv.yaml";
  const auto at = example.find(rel);
  REQUIRE(at != std::string::npos);
  example.replace(at, rel.size(), HWPLAN_SOURCE_DIR "/scenarios/city-cctv.yaml");
  const fs::path dir = fs::temp_directory_path() / ("hwplan-sweep-doc-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "example.yaml") << example;
  const SweepSpec spec = load_sweep((dir / "example.yaml").string(), catalogue());
  CHECK(spec.axes.size() == 2);
  CHECK(expand(spec).size() == 15);  // 3 camera counts x 5 latencies
  fs::remove_all(dir);
}

// ---- review fixes (s12) ----

TEST_CASE("boundary: a falling range is mapped from its lower value to its higher. a grid keeps the order written") {
  // Written 8 -> 2 (counts) and 1.5 -> 1.1: the lattice runs 2 -> 8 and 1.1 -> 1.5, so that a
  // change "A up to X, then B from Y" has X < Y (the review saw "up to 3, then ... from 2").
  Files f("scenario: ../base.yaml\nmode: boundary\naxes:\n  sites.plant.count: {from: 8, to: 2, steps: 2}\n"
          "  costs.pue: {from: 1.5, to: 1.1, steps: 3}\n");
  const SweepSpec spec = load_sweep(f.sweep(), catalogue());
  REQUIRE(spec.axes[0].range);
  CHECK(spec.axes[0].range->from == 2);
  CHECK(spec.axes[0].range->to == 8);
  CHECK(spec.axes[0].values == std::vector<std::string>{"2", "8"});
  CHECK(spec.axes[0].value_at_t(0.0) == "2");
  CHECK(spec.axes[0].value_at_t(1.0) == "8");
  CHECK(spec.axes[1].values == std::vector<std::string>{"1.1", "1.3", "1.5"});
  Files g("scenario: ../base.yaml\naxes:\n  sites.plant.count: {from: 8, to: 2, steps: 2}\n", "g.yaml");
  CHECK(load_sweep(g.sweep("g.yaml"), catalogue()).axes[0].values == std::vector<std::string>{"8", "2"});
}

TEST_CASE("boundary: an axis whose range gives one value is refused before anything runs") {
  auto e = sweep_error("mode: boundary\naxes:\n  sites.plant.count: {from: 2, to: 10, steps: 3}\n"
                       "  sites.plant.backhaul.latency: {from: 40 ms, to: 40 ms, steps: 3}\n");
  CHECK(e.where().line == 5);
  CHECK(e.where().column == 33);  // the range's '{'
  CHECK(e.key() == "axes.sites.plant.backhaul.latency");
  CHECK(e.value() == "{from: 40 ms, to: 40 ms, steps: 3}");
  CHECK(e.problem().find("at least 2 distinct values") != std::string::npos);
}

TEST_CASE("boundary: a non-numeric axis says it is a list of non-numeric values") {
  auto e = sweep_error("mode: boundary\naxes:\n  sites.plant.count: {from: 2, to: 10, steps: 3}\n"
                       "  candidates.0.hardware: [jetson-orin-nano-super, l4x4-server]\n");
  CHECK(e.where().line == 5);
  CHECK(e.key() == "axes.candidates.0.hardware");
  CHECK(e.value() == "[jetson-orin-nano-super, l4x4-server]");
  CHECK(e.problem().find("a list of non-numeric values") != std::string::npos);
  CHECK(e.problem().find("maps two numeric axes") != std::string::npos);
}

TEST_CASE("zip: unequal axes name both axes and both lengths, with the axis's values") {
  auto e = sweep_error("combine: zip\naxes:\n  sites.plant.count: [1, 2]\n  costs.pue: [1.1, 1.2, 1.3]\n");
  CHECK(e.where().line == 5);
  CHECK(e.key() == "axes.costs.pue");
  CHECK(e.value() == "[1.1, 1.2, 1.3]");
  CHECK(e.problem().find("'costs.pue' has 3 value(s), 'sites.plant.count' (line 4) has 2") != std::string::npos);
}

TEST_CASE("a range of 1 step with different ends is refused at its steps (it would drop 'to')") {
  auto e = sweep_error("axes:\n  costs.electricity: {from: 0.1 USD/kWh, to: 0.5 USD/kWh, steps: 1}\n");
  CHECK(e.key() == "axes.costs.electricity.steps");
  CHECK(e.value() == "1");
  CHECK(e.where().line == 3);
  CHECK(e.where().column == 66);
  CHECK(e.problem().find("at least 2") != std::string::npos);
  // Equal ends: one value, as written.
  Files f("scenario: ../base.yaml\naxes:\n  costs.electricity: {from: 0.2 USD/kWh, to: 0.2 USD/kWh, steps: 1}\n");
  const SweepSpec spec = load_sweep(f.sweep(), catalogue());
  REQUIRE(spec.axes[0].values.size() == 1);
  CHECK(spec.axes[0].values[0] == "0.2 USD/kWh");
  // Two steps keep both ends.
  Files g("scenario: ../base.yaml\naxes:\n  costs.electricity: {from: 0.1 USD/kWh, to: 0.5 USD/kWh, steps: 2}\n", "g.yaml");
  CHECK(load_sweep(g.sweep("g.yaml"), catalogue()).axes[0].values == std::vector<std::string>{"0.1 USD/kWh", "0.5 USD/kWh"});
}

TEST_CASE("boundary: a tolerance for a path that is no axis says the nearest axis and lists the axes") {
  auto e = sweep_error("mode: boundary\naxes:\n  sites.plant.count: {from: 2, to: 10, steps: 3}\n"
                       "  costs.pue: {from: 1.1, to: 1.5, steps: 3}\ntolerance: {sites.plant.cont: 1}\n");
  CHECK(e.key() == "tolerance.sites.plant.cont");
  CHECK(e.where().line == 6);
  CHECK(e.problem().find("did you mean 'sites.plant.count'?") != std::string::npos);
  CHECK(e.problem().find("(axes: sites.plant.count, costs.pue)") != std::string::npos);
  // Nothing near: the list still says what is there.
  e = sweep_error("mode: boundary\naxes:\n  sites.plant.count: {from: 2, to: 10, steps: 3}\n"
                  "  costs.pue: {from: 1.1, to: 1.5, steps: 3}\ntolerance: {streams.inspection.payload: 1 KB}\n");
  CHECK(e.problem().find("did you mean") == std::string::npos);
  CHECK(e.problem().find("(axes: sites.plant.count, costs.pue)") != std::string::npos);
}

TEST_CASE("boundary: the default tolerance of a count axis is a whole number, as a given one must be") {
  Files f("scenario: ../base.yaml\nmode: boundary\naxes:\n  sites.plant.count: {from: 2, to: 10, steps: 3}\n"
          "  costs.pue: {from: 1.1, to: 1.5, steps: 3}\n");
  const SweepSpec spec = load_sweep(f.sweep(), catalogue());
  // count: a coarse step of (10 - 2) / 2 = 4, an eighth of it 0.5 -> 1; pue: 0.2 / 8 = 0.025.
  CHECK(spec.axes[0].tolerance == doctest::Approx(1.0));
  CHECK(spec.axes[1].tolerance == doctest::Approx(0.025));
  Files g("scenario: ../base.yaml\nmode: boundary\naxes:\n  sites.plant.count: {from: 1, to: 100, steps: 3}\n"
          "  costs.pue: {from: 1.1, to: 1.5, steps: 3}\n", "g.yaml");
  // (100 - 1) / 2 = 49.5, / 8 = 6.19 -> 6
  CHECK(load_sweep(g.sweep("g.yaml"), catalogue()).axes[0].tolerance == doctest::Approx(6.0));
}

TEST_CASE("a grid above the variant cap is refused with the estimate and the option that raises it") {
  // 1000 x 101 = 101,000 variants, above the default cap of 100,000.
  const std::string body = "axes:\n  sites.plant.count: {from: 1, to: 1000, steps: 1000}\n  costs.pue: {from: 1.0, to: 2.0, steps: 101}\n";
  auto e = sweep_error(body);
  CHECK(e.key() == "axes");
  CHECK(e.problem().find("101000 variants, above the cap of 100000 (the default)") != std::string::npos);
  CHECK(e.problem().find("--max-variants 101000") != std::string::npos);
  Files f("scenario: ../base.yaml\n" + body);
  CHECK(load_sweep(f.sweep(), catalogue(), 101000).axes.size() == 2);
  // 1000 x 1001 is above the limit itself: no option helps.
  e = sweep_error("axes:\n  sites.plant.count: {from: 1, to: 1000, steps: 1000}\n  costs.pue: {from: 1.0, to: 2.0, steps: 1001}\n");
  CHECK(e.problem().find("raises the cap to at most 1000000") != std::string::npos);
}

TEST_CASE("a variant that does not load is placed at the sweep file's axis value") {
  // inspection: 15 /s, so a period of 66.7 ms: a jitter of 40 ms is above half of it.
  Files f("scenario: ../base.yaml\nrun: run\naxes:\n  streams.inspection.arrival.jitter: [40 ms, 50 ms]\n");
  const SweepSpec spec = load_sweep(f.sweep(), catalogue());
  const auto v = expand(spec);
  const auto bad = resolve_variant(spec, catalogue(), v[1]);
  REQUIRE(bad.placed);
  CHECK(bad.placed->key() == "axes.streams.inspection.arrival.jitter[1]");
  CHECK(bad.placed->value() == "50 ms");
  CHECK(bad.placed->where().file == f.sweep());
  CHECK(bad.placed->where().line == 4);
  CHECK(bad.placed->where().column == 46);  // "  streams.inspection.arrival.jitter: [40 ms, 50 ms]": '5' of 50
  CHECK(bad.placed->problem().find("jitter must be at most half") != std::string::npos);
  CHECK(bad.error.find("key 'axes.streams.inspection.arrival.jitter[1]', value '50 ms' (" + f.sweep() + ":4:46)") != std::string::npos);
  // A combination whose fault the loader names at another key (warm-up 2 s, duration 1 s):
  // placed at the axis value, naming the variant and the scenario's key.
  Files g("scenario: ../base.yaml\nrun: run\naxes:\n  duration: [20 s, 1 s]\n  costs.pue: [1.1, 1.2]\n", "g.yaml");
  const SweepSpec sg = load_sweep(g.sweep("g.yaml"), catalogue());
  const auto vg = expand(sg);
  const auto c = resolve_variant(sg, catalogue(), vg[2]);  // duration 1 s, pue 1.1
  REQUIRE(c.placed);
  CHECK(c.placed->key() == "axes");
  CHECK(c.placed->value() == "duration=1 s, costs.pue=1.1");
  CHECK(c.placed->where().line == 4);
  CHECK(c.placed->where().column == 20);  // "  duration: [20 s, 1 s]": '1' of 1 s
  CHECK(c.placed->problem().find("key 'warmup'") != std::string::npos);
  CHECK(c.error.find("does not load with duration=1 s, costs.pue=1.1") != std::string::npos);
}

TEST_CASE("a variant's error row escapes the user text it repeats (a file name with ESC, a value with a tab)") {
  const std::string name = "s\x1b[2J.yaml";
  Files f("scenario: ../base.yaml\nrun: run\naxes:\n  streams.inspection.arrival.jitter: [40 ms, \"50\\tms\"]\n", name);
  const SweepSpec spec = load_sweep(f.sweep(name), catalogue());
  const auto v = expand(spec);
  REQUIRE(v.size() == 2);
  const auto bad = resolve_variant(spec, catalogue(), v[1]);
  REQUIRE(bad.placed);
  CHECK(bad.error.find('\x1b') == std::string::npos);
  CHECK(bad.error.find('\t') == std::string::npos);
  CHECK(bad.error.find("s\\x1b[2J.yaml") != std::string::npos);
  CHECK(bad.error.find("value '50\\x09ms'") != std::string::npos);
}

TEST_CASE("a wrong unit says what it expects once") {
  auto e = sweep_error("axes:\n  sites.plant.backhaul.latency: [5 ms, 15 Mbps]\n");
  CHECK(e.key() == "axes.sites.plant.backhaul.latency[1]");
  const std::string p = e.problem();
  std::size_t n = 0;
  for (auto at = p.find("expected"); at != std::string::npos; at = p.find("expected", at + 1)) ++n;
  CHECK(n == 1);
}

TEST_CASE("result file: a JSON result resumed as CSV says it is JSON and to pass --format json") {
  const fs::path dir = fs::temp_directory_path() / ("hwplan-sweep-jsoncsv-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "r.json").string();
  ResultFile file(path, Format::json, {"costs.pue"}, {"family"}, {{"sweep", "t"}});
  Outcome o;
  o.values = {"1.3"};
  o.key = "kk";
  file.add(o);
  ResultFile as_csv(path, Format::csv, {"costs.pue"}, {"family"}, {{"sweep", "t"}});
  std::string what;
  try {
    (void)as_csv.load_existing();
  } catch (const std::runtime_error& e) {
    what = e.what();
  }
  CHECK(what.find("is a JSON sweep result file; pass --format json") != std::string::npos);
  // And the other way round: a CSV result read as JSON says it looks like CSV.
  const std::string csv_path = (dir / "r.csv").string();
  ResultFile c(csv_path, Format::csv, {"costs.pue"}, {"family"}, {{"sweep", "t"}});
  c.add(o);
  ResultFile as_json(csv_path, Format::json, {"costs.pue"}, {"family"}, {{"sweep", "t"}});
  what.clear();
  try {
    (void)as_json.load_existing();
  } catch (const std::runtime_error& e) {
    what = e.what();
  }
  CHECK(what.find("looks like a CSV result file") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("rows rejected for too few requests name their candidates (boundary notes)") {
  const std::vector<std::string> h{"family", "hardware", "hybrid_kind", "reason", "recommended"};
  const std::vector<std::vector<std::string>> rows{
      {"hybrid", "jetson-orin-nano-super", "train-infer-loop",
       "inspection: not enough requests to certify the SLO: 96 completed in the measured window, at least 100 are needed to estimate a p99",
       "false"},
      {"gpu", "l4x4-server", "", "inspection: the round trip to the data centre ... against the 20 ms p99 target", "false"},
      {"edge", "jetson-orin-nano-super", "", "", "true"}};
  CHECK(rejected_for_too_few_requests(h, rows) == std::vector<std::string>{"loop edge jetson-orin-nano-super"});
  CHECK(rejected_for_too_few_requests(h, {rows[1], rows[2]}).empty());
}

TEST_CASE("review 14: a small grid over a small cap gives its checking time in a unit it reaches, not 'about 0 min'") {
  Files f("scenario: ../base.yaml\naxes:\n  sites.plant.count: [1, 2, 3]\n  costs.pue: [1.1, 1.2, 1.3, 1.4]\n");
  std::string why;
  try {
    (void)load_sweep(f.sweep(), catalogue(), 1);
  } catch (const hw::InputError& e) {
    why = e.problem();
  }
  CHECK(why.find("12 variants, above the cap of 1") != std::string::npos);
  CHECK(why.find("0 min") == std::string::npos);
  // 12 variants at the estimate per variant, written as format_time writes it.
  CHECK(why.find("checking alone would take about " + hw::format_time(hw::Seconds(12 * hw::sweep::kCheckSecondsPerVariant)) + ";") !=
        std::string::npos);
}

TEST_CASE("a value without a unit lists the units once") {
  // Before: "'15' has no unit; write it with one, like '15 ms' (units: ns, ...) (expected a
  // number with a unit, like '5 ms' (units: ns, ...))".
  const auto e = sweep_error("axes:\n  sites.plant.backhaul.latency: [5 ms, 15]\n");
  const std::string p = e.problem();
  CAPTURE(p);
  CHECK(p.find("has no unit") != std::string::npos);
  std::size_t n = 0;
  for (auto at = p.find("units:"); at != std::string::npos; at = p.find("units:", at + 1)) ++n;
  CHECK(n == 1);
  CHECK(p.find("expected") == std::string::npos);
}

TEST_CASE("a log range that reaches zero points at the end at fault, with its text") {
  // Before: value '<a mapping>' at the range's own line:column.
  auto e = sweep_error("axes:\n  sites.plant.backhaul.latency: {from: 0 ms, to: 15 ms, steps: 3, scale: log}\n");
  CHECK(e.key() == "axes.sites.plant.backhaul.latency.from");
  CHECK(e.value() == "0 ms");
  CHECK(e.where().line == 3);
  CHECK(e.where().column == 40);  // the '0' of "from: 0 ms"
  CHECK(e.problem().find("a log scale needs 'from' and 'to' above zero") != std::string::npos);
  e = sweep_error("axes:\n  costs.electricity: {from: 0.1 USD/kWh, to: 0 USD/kWh, steps: 3, scale: log}\n");
  CHECK(e.key() == "axes.costs.electricity.to");
  CHECK(e.value() == "0 USD/kWh");
  CHECK(e.problem().find("a log scale needs") != std::string::npos);
}

TEST_CASE("jitter above half the period says the limit at the rate given, in a sweep's 'set:' and in a scenario file") {
  // Before: "jitter must be at most half the period", without the limit.
  const auto e = sweep_error("set: {streams.inspection.arrival.jitter: 40 ms}\naxes:\n  sites.plant.count: [1, 2]\n");
  CAPTURE(e.problem());
  CHECK(e.key() == "set.streams.inspection.arrival.jitter");
  CHECK(e.value() == "40 ms");
  CHECK(e.problem().find("jitter must be at most half the period: 33.3 ms at 15 /s") != std::string::npos);
  Files f("scenario: ../base.yaml\naxes:\n  sites.plant.count: [1, 2]\n");
  std::string text = kScenario;
  const std::string from = "rate: 15 /s, jitter: 2 ms";
  text.replace(text.find(from), from.size(), "rate: 20 /s, jitter: 40 ms");
  const std::string path = (f.dir / "jitter.yaml").string();
  std::ofstream(path) << text;
  try {
    (void)load_scenario(path, catalogue());
    FAIL("the scenario loaded");
  } catch (const InputError& x) {
    CAPTURE(x.what());
    CHECK(x.where().line == 12);
    CHECK(x.key() == "streams[0].arrival.jitter");
    CHECK(x.value() == "40 ms");
    CHECK(std::string(x.problem()).find("jitter must be at most half the period: 25 ms at 20 /s") != std::string::npos);
  }
}

TEST_CASE("load_sweep: a sweep whose scenario is a sweep file (itself, or a cycle of two) is told so at its 'scenario:' line") {
  // Was "s1.yaml:1:1: key 'scenario': unknown key 'scenario'", about the other file's first line.
  auto error_of = [](const Files& f, const std::string& name) -> std::string {
    try {
      (void)load_sweep(f.sweep(name), catalogue());
    } catch (const InputError& e) {
      return e.what();
    }
    return "loaded";
  };
  Files self("name: s\nscenario: s.yaml\naxes:\n  - {path: seed, values: [1, 2]}\n");
  const std::string e1 = error_of(self, "s.yaml");
  CAPTURE(e1);
  CHECK(e1.find("s.yaml:2:") != std::string::npos);
  CHECK(e1.find("is a sweep file, not a scenario") != std::string::npos);
  std::ofstream(self.dir / "sweeps" / "s2.yaml") << "scenario: s3.yaml\naxes:\n  - {path: seed, values: [1, 2]}\n";
  std::ofstream(self.dir / "sweeps" / "s3.yaml") << "scenario: s2.yaml\naxes:\n  - {path: seed, values: [1, 2]}\n";
  const std::string e2 = error_of(self, "s2.yaml");
  CAPTURE(e2);
  CHECK(e2.find("s2.yaml:1:") != std::string::npos);
  CHECK(e2.find("s3.yaml is a sweep file, not a scenario") != std::string::npos);
  CHECK(e2.find("unknown key") == std::string::npos);
}

TEST_CASE("paths: an id that holds a dot is reached in brackets, and the dotted spelling says how") {
  CHECK(split_path("sites[plant.1].count") == std::vector<std::string>{"sites", "plant.1", "count"});
  CHECK(split_path("streams.cam.pipeline[det.v2].fraction") == std::vector<std::string>{"streams", "cam", "pipeline", "det.v2", "fraction"});
  CHECK(split_path("sites[plant].count") == split_path("sites.plant.count"));
  YAML::Node tree = YAML::Load("sites:\n  - {id: plant.1, count: 2}\n  - {id: plant, count: 3}\n");
  const auto r = hw::sweep::resolve_path(tree, "sites[plant.1].count");
  CHECK(r.pattern == "sites.*.count");
  CHECK(r.current == "2");
  set_path(tree, r.segments, "5");
  CHECK(tree["sites"][0]["count"].Scalar() == "5");
  CHECK(tree["sites"][1]["count"].Scalar() == "3");
  CHECK_THROWS_WITH_AS(split_path("sites[plant.1.count"), doctest::Contains("without its ']'"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(split_path("sites[plant.1]count"), doctest::Contains("after ']'"), std::invalid_argument);
  std::string dotted;
  try {
    (void)hw::sweep::resolve_path(tree, "sites.plant.1.count");
  } catch (const std::invalid_argument& e) {
    dotted = e.what();
  }
  CAPTURE(dotted);
  CHECK(dotted.find("the id 'plant.1' holds a dot") != std::string::npos);
  CHECK(dotted.find("'sites[plant.1].count'") != std::string::npos);
}
