// Dataflow accelerators (profiles with memory.on_chip: Hailo-8, Coral USB) against their
// vendors' published figures (tests/validation/published_onchip/*.csv): Hailo's Model Zoo
// throughput and Coral's per-inference latency. Same machinery and the same 15% bound on each
// group's mean absolute percentage error as the vision groups of published_test.cpp. Before
// memory.on_chip the model sent every weight and activation over the host link: Hailo-8 came
// out 4-11x slow and the Coral 14x slow on MobileNetV2, with ResNet-50 refused.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <map>
#include <string>

#include "sim/hardware/validation.hpp"
#include "sim/io/loaders.hpp"
#include "sim/io/validation_set.hpp"
#include "published_load.hpp"

namespace {

const std::string kSet = HWPLAN_SOURCE_DIR "/tests/validation/published_onchip";

using hw::test::Loaded;
Loaded load_all() { return hw::test::load_published_set(kSet); }

}  // namespace

TEST_CASE("on-chip set: every row has a source, none from a held-out MLPerf round, and each device is a dataflow device") {
  const auto l = load_all();
  REQUIRE(l.points.size() >= 6);
  for (const auto& p : l.points) {
    CHECK_MESSAGE(!p.source.empty(), p.file, ":", p.line);
    for (const char* held : {"v3.0", "v3.1", "v4.0", "v4.1", "inference_results_v3", "inference_results_v4"}) {
      CHECK_MESSAGE(p.source.find(held) == std::string::npos, p.file, ":", p.line, " cites held-out ", held);
    }
    CHECK_MESSAGE(l.cat.profile(p.device).on_chip_memory.si() > 0, p.device, " has no memory.on_chip");
  }
}

TEST_CASE("on-chip set: every row gets a prediction (Coral's ResNet-50 streams its weights, it is not refused)") {
  const auto l = load_all();
  for (const auto& r : l.results) CHECK_MESSAGE(r.problem.empty(), r.point.file, ":", r.point.line, ": ", r.problem);
}

TEST_CASE("on-chip set: mean absolute percentage error per group within 15%, check rows alone too") {
  const auto l = load_all();
  for (const auto& r : l.results) {
    MESSAGE(fmt::format("{} {} {}: measured {} {}, predicted {:.4g} (batch {}), error {:+.1f}%", r.point.device, r.point.model,
                        to_string(r.point.scenario), r.point.value, r.point.unit, r.predicted, r.batch, 100 * r.error));
  }
  std::map<std::string, int> seen;
  for (const auto& g : hw::group_errors(l.results)) {
    MESSAGE(fmt::format("{}: {} rows, MAPE {:.1f}%, worst {:.1f}%", g.group, g.rows, 100 * g.mape, 100 * g.worst));
    CHECK(g.mape <= 0.15);
    CHECK(g.worst <= 0.25);
    seen[g.group] = g.rows;
  }
  CHECK(seen["onchip_offline"] >= 4);
  CHECK(seen["onchip_single_stream"] >= 2);
  for (const auto& g : hw::group_errors(l.results, "check")) {
    MESSAGE(fmt::format("check rows only: {}: {} rows, MAPE {:.1f}%", g.group, g.rows, 100 * g.mape));
    CHECK(g.mape <= 0.15);
  }
}

TEST_CASE("on-chip set: Hailo-8 runs the Model Zoo's one-context models as fast at batch 1 as at batch 8") {
  // The Model Zoo's FPS at batch 1 and 8 agree for each of these rows: with the weights on
  // chip there is nothing for a batch to amortise. The old profile (1 ms per batch, every
  // byte over PCIe) gave ResNet-50 82.7/s at batch 1 against 309.5/s offline.
  const auto l = load_all();
  int rows = 0;
  for (const auto& p : l.points) {
    if (p.device != "hailo-8") continue;
    const auto& dev = l.cat.profile(p.device);
    const auto& m = l.cat.model(p.model);
    INFO(p.model);
    CHECK(hw::streamed_weights(dev, m, p.precision).si() == 0.0);
    CHECK(hw::batch_throughput(dev, m, p.precision, 1) >= 0.97 * hw::batch_throughput(dev, m, p.precision, 8));
    ++rows;
  }
  CHECK(rows >= 4);
}
