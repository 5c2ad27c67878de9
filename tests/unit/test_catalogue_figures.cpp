// Figures of bundled profiles and models that a catalogue audit found wrong or inconsistent
// (the int8 peak of the Jetson AGX Thor, the NVLink of the SXM modules, the KV260's DPU size,
// the Orin Nano Super's power mode, the llama2-70b note on splitting). Each check derives the
// figure from what its source says, not from the file's number.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "sim/hardware/parallel.hpp"
#include "sim/io/loaders.hpp"

namespace {

const hw::Catalogue& bundled() {
  static const hw::Catalogue c =
      hw::load_catalogue(HWPLAN_SOURCE_DIR "/hardware_profiles", HWPLAN_SOURCE_DIR "/scenarios/models");
  return c;
}

double peak(const hw::HardwareProfile& p, hw::Precision pr) {
  auto it = p.peak.find(pr);
  return it == p.peak.end() ? 0.0 : it->second.si();
}

}  // namespace

TEST_CASE("catalogue figures: jetson-agx-thor has an int8 peak, at the FP8 rate as the other Blackwell profiles") {
  // Without it INT8 work ran at the fp16 peak (259 TFLOP/s), half the tensor cores' rate.
  const auto& cat = bundled();
  const auto& thor = cat.profile("jetson-agx-thor");
  REQUIRE(peak(thor, hw::Precision::int8) > 0);
  CHECK(peak(thor, hw::Precision::int8) == doctest::Approx(peak(thor, hw::Precision::fp8)));
  for (const char* id : {"hgx-b200-8", "nvidia-rtx-pro-6000-server"}) {
    INFO(id);
    const auto& p = cat.profile(id);
    CHECK(peak(p, hw::Precision::int8) == doctest::Approx(peak(p, hw::Precision::fp8)));
  }
  CHECK(thor.sources.at("compute").find("INT8") != std::string::npos);
}

TEST_CASE("catalogue figures: H100/H200/A100 SXM modules bought in servers compute a batch job's all-reduce over NVLink") {
  // NVLink 4: 900 GB/s per GPU both ways (450 each way); NVLink 3: 12 links, 600 GB/s (300).
  // Before, the modules had a server block but no interconnect: a job on an 8-GPU server of
  // them took the default 0.9 per doubling while hgx-h100-8 computed its NVLink all-reduce.
  const auto& cat = bundled();
  struct Want {
    const char* id;
    double per_direction;
  };
  for (const Want w : {Want{"nvidia-h100-sxm", 450e9}, Want{"nvidia-h200-sxm", 450e9}, Want{"nvidia-a100-sxm-80gb", 300e9}}) {
    INFO(w.id);
    hw::HardwareProfile server = cat.profile(w.id);
    REQUIRE_FALSE(server.server_gpus.empty());
    CHECK(server.interconnect_bandwidth.si() == doctest::Approx(w.per_direction));
    CHECK(server.sources.contains("interconnect"));
    // As the planner does (sim/plan/deployment.cpp): the module seen as one server of 8.
    server.accelerators = 8;
    hw::BatchJob job;
    job.id = "train";
    job.kind = "training";
    job.parameters = 7e9;  // a 7 B-parameter model, FP16 gradients: 14 GB per step
    job.steps = 1000;
    const auto js = hw::job_scaling(server, job, 8, hw::Seconds(1e5));
    CHECK(js.computed);
    // t(8) = 1e5/8 + 1000 x (10 us + 2 x 7/8 x 14e9 B / B): efficiency 1 / (1 + 8 x 1000 x AR / 1e5)
    const double ar = 10e-6 + 2.0 * 7 / 8 * 14e9 / w.per_direction;
    CHECK(js.efficiency == doctest::Approx(1.0 / (1.0 + 8 * 1000 * ar / 1e5)).epsilon(1e-6));
  }
  // hgx-h100-8 and the H100 module in a server of 8 now agree.
  hw::HardwareProfile module = cat.profile("nvidia-h100-sxm");
  module.accelerators = 8;
  hw::BatchJob job;
  job.id = "train";
  job.kind = "training";
  job.parameters = 7e9;
  job.steps = 1000;
  CHECK(hw::job_scaling(module, job, 8, hw::Seconds(1e5)).efficiency ==
        doctest::Approx(hw::job_scaling(cat.profile("hgx-h100-8"), job, 8, hw::Seconds(1e5)).efficiency));
}

TEST_CASE("catalogue figures: amd-kria-kv260's INT8 peak is the B3136 DPU AMD's KV260 designs ship, at 300 MHz") {
  // B3136: 3136 INT8 operations per clock (PG338) x 300 MHz = 0.941 TOP/s. Was B4096 x 300 MHz
  // = 1.23, a size neither the Smart Camera nor the NLP SmartVision design ships.
  const auto& kv = bundled().profile("amd-kria-kv260");
  CHECK(peak(kv, hw::Precision::int8) == doctest::Approx(3136 * 300e6).epsilon(0.01));
  CHECK(kv.name.find("B3136") != std::string::npos);
}

TEST_CASE("catalogue figures: jetson-orin-nano-super's peaks and max power are one power mode (25 W, GPU 918 MHz)") {
  // The GPU: 1024 CUDA cores (2 FLOP per core and clock at FP32) in 8 SMs of 4096 dense INT8
  // ops per clock; FP16 half the INT8 rate. The clock each peak implies must be the same, and
  // be the 25 W mode's GPU cap (nvpmodel_p3767_0003_super.conf: 918 MHz), the mode whose 25 W
  // is power.max. Before: INT8 33 and FP16 17 at MAXN_SUPER's ~1020 MHz, FP32 1.9 at 918 MHz.
  const auto& p = bundled().profile("jetson-orin-nano-super");
  const double f_int8 = peak(p, hw::Precision::int8) / (8 * 4096.0);
  const double f_fp16 = peak(p, hw::Precision::fp16) / (8 * 2048.0);
  const double f_fp32 = peak(p, hw::Precision::fp32) / (1024 * 2.0);
  CHECK(f_int8 == doctest::Approx(918e6).epsilon(0.03));
  CHECK(f_fp16 == doctest::Approx(918e6).epsilon(0.03));
  CHECK(f_fp32 == doctest::Approx(918e6).epsilon(0.03));
  CHECK(p.power_max.si() == doctest::Approx(25.0));
}

TEST_CASE("catalogue figures: llama2-70b's note says how the planner splits it over a server's GPUs") {
  // The note said the simulator runs a stage on one accelerator, so FP16 needed >= 141 GB
  // devices; the planner splits it over the GPUs of a multi-GPU server with an interconnect.
  const auto& cat = bundled();
  const auto& m = cat.model("llama2-70b:decode");
  const std::string note = m.sources.at("weights");
  CHECK(note.find("runs a stage on one accelerator") == std::string::npos);
  CHECK(note.find("tensor") != std::string::npos);
  // What the note says is what the planner does: 138 GB at FP16 on 80 GB GPUs of hgx-h100-8.
  const auto split = hw::choose_split(cat.profile("hgx-h100-8"), {{&m, hw::Precision::fp16}}, 64);
  REQUIRE(split.has_value());
  CHECK(split->gpus >= 2);
  CHECK(split->kind != hw::SplitKind::none);
}

TEST_CASE("defaults: scaling_efficiency's 0.9 per doubling is labelled an estimate, with its basis, where it is documented") {
  // An audit: the default had no source and no 'estimate' label (docs/input-format.md, the
  // batch-job and retraining rows; sim/hardware/parallel.hpp).
  auto text = [](const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  const std::string doc = text(HWPLAN_SOURCE_DIR "/docs/input-format.md");
  int rows = 0;
  std::istringstream lines(doc);
  for (std::string l; std::getline(lines, l);) {
    if (l.rfind("| `scaling_efficiency` |", 0) != 0) continue;
    INFO(l);
    CHECK(l.find("`0.9`") != std::string::npos);
    CHECK(l.find("estimate") != std::string::npos);
    ++rows;
  }
  CHECK(rows == 2);  // batch_jobs and retraining
  CHECK(doc.find("DGX-1 8x V100 0.956 over 8 GPUs") != std::string::npos);  // the basis, as tests/unit/test_parallel.cpp
  const std::string hpp = text(HWPLAN_SOURCE_DIR "/sim/hardware/parallel.hpp");
  CHECK(hpp.find("The default 0.9 is an estimate") != std::string::npos);
}

TEST_CASE("catalogue figures: Jetson prices name the FAQ captures they were read in, and the catalogue page agrees") {
  // An audit: the profiles cited "NVIDIA Jetson FAQ ... read 2026-12-03 in a public capture"
  // with no capture named, docs/catalogue.md "NVIDIA Jetson FAQ (as quoted by a review)".
  const auto& cat = bundled();
  int priced = 0;
  for (const auto& [id, p] : cat.profiles) {
    const auto it = p.sources.find("price");
    if (it == p.sources.end() || it->second.find("Jetson FAQ") == std::string::npos) continue;
    INFO(id);
    CHECK(it->second.find("tanioklyce-dev/robot_research") != std::string::npos);
    CHECK(it->second.find("terryma2024/industry_analysis") != std::string::npos);
    ++priced;
  }
  CHECK(priced == 5);  // AGX Thor, AGX Orin 64GB, Orin NX 16GB, Orin Nano Super, the industrial box
  std::ifstream in(HWPLAN_SOURCE_DIR "/docs/catalogue.md");
  std::stringstream ss;
  ss << in.rdbuf();
  CHECK(ss.str().find("as quoted by a review") == std::string::npos);
  CHECK(ss.str().find("tanioklyce-dev/robot_research") != std::string::npos);
}
