// The device model against published measurements (tests/validation/published/*.csv):
// each group's mean absolute percentage error stays under the bound issue 13 sets. The
// bounds are the issue's; a profile change that breaks one must be explained, not hidden.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <string>

#include "sim/core/errors.hpp"
#include "sim/hardware/validation.hpp"
#include "sim/io/loaders.hpp"
#include "sim/io/validation_set.hpp"
#include "published_load.hpp"

namespace {

const std::string kSet = HWPLAN_SOURCE_DIR "/tests/validation/published";

using hw::test::Loaded;
Loaded load_all() { return hw::test::load_published_set(kSet); }

}  // namespace

TEST_CASE("published set: every row has a source and none comes from a held-out MLPerf round") {
  const auto pts = hw::load_published_dir(kSet);
  REQUIRE(pts.size() >= 20);
  for (const auto& p : pts) {
    CHECK_MESSAGE(!p.source.empty(), p.file, ":", p.line);
    for (const char* held : {"v3.0", "v3.1", "v4.0", "v4.1", "inference_results_v3", "inference_results_v4"}) {
      CHECK_MESSAGE(p.source.find(held) == std::string::npos, p.file, ":", p.line, " cites held-out ", held);
    }
  }
}

TEST_CASE("published set: every row gets a prediction") {
  const auto l = load_all();
  for (const auto& r : l.results) CHECK_MESSAGE(r.problem.empty(), r.point.file, ":", r.point.line, ": ", r.problem);
}

TEST_CASE("published set: mean absolute percentage error per group within the issue's bounds") {
  const auto l = load_all();
  const std::map<std::string, double> bound{
      {"vision_offline", 0.15}, {"vision_single_stream", 0.15}, {"server", 0.25}, {"bert", 0.25}};
  const auto groups = hw::group_errors(l.results);
  std::map<std::string, int> seen;
  for (const auto& g : groups) {
    MESSAGE(fmt::format("{}: {} rows, MAPE {:.1f}%, worst {:.1f}%", g.group, g.rows, 100 * g.mape, 100 * g.worst));
    REQUIRE_MESSAGE(bound.contains(g.group), "group without a bound: ", g.group);
    CHECK(g.mape <= bound.at(g.group));
    seen[g.group] = g.rows;
  }
  for (const auto& [name, _] : bound) CHECK_MESSAGE(seen[name] >= 4, "too few rows in group ", name);
  // The rows never used in a fit, alone: reported, and held to the same bounds.
  for (const auto& g : hw::group_errors(l.results, "check")) {
    MESSAGE(fmt::format("check rows only: {}: {} rows, MAPE {:.1f}%", g.group, g.rows, 100 * g.mape));
    CHECK(g.mape <= bound.at(g.group));
  }
}

TEST_CASE("published set: a bad row names file, line, column and key") {
  const std::string dir = HWPLAN_SOURCE_DIR "/tests/validation/data/bad_published";
  for (const auto& [file, key] : std::map<std::string, std::string>{
           {"bad_scenario.csv", "scenario"}, {"server_without_bound.csv", "bound"}, {"no_source.csv", "source"}}) {
    try {
      hw::load_published(dir + "/" + file);
      FAIL("accepted ", file);
    } catch (const hw::InputError& e) {
      CHECK(e.key() == key);
      CHECK(e.where().line == 2);
      CHECK(e.where().column > 0);
    }
  }
}

// mlperf_v21_orin.csv: the Jetson AGX Orin against MLPerf v2.1 Orin_TRT. The profile's INT8
// peak is the GPU's alone (the two DLAs are left out), so the rows that ran on the GPU alone
// stay within 10% and the one row that also used both DLAs (resnet50 offline) comes out under
// the measurement; with the DLAs counted in the peak (137.5 TOP/s) RetinaNet came out 2.2x too
// fast and that row over the measurement.
TEST_CASE("published set: Jetson AGX Orin, GPU-only rows within 10%, the GPU + DLA row under-predicted") {
  const auto l = load_all();
  int gpu_only = 0, with_dla = 0;
  for (const auto& r : l.results) {
    if (r.point.device != "jetson-agx-orin-64gb") continue;
    INFO(r.point.file, ":", r.point.line, " ", r.point.model, " predicted ", r.predicted, " measured ", r.point.value);
    if (r.point.model == "resnet50" && r.point.scenario == hw::LoadScenario::offline) {
      ++with_dla;
      CHECK(r.error < 0.0);
    } else {
      ++gpu_only;
      CHECK(std::abs(r.error) <= 0.10);
    }
  }
  CHECK(gpu_only == 3);
  CHECK(with_dla == 1);
}
