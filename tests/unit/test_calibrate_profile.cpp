// Profiles calibrate writes load with the strict loader, and --apply-to keeps the rest of
// a catalogue profile while replacing its efficiency factors.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <yaml-cpp/yaml.h>

#include "sim/calibrate/calibrate.hpp"
#include "sim/calibrate/detail/gpu.hpp"
#include "sim/hardware/perf_model.hpp"
#include "sim/io/loaders.hpp"
#include "sim/io/report.hpp"

namespace fs = std::filesystem;
using namespace hw;

namespace {

struct TempDir {
  fs::path path =
      fs::temp_directory_path() / ("hwplan_calibrate_test_" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

HardwareProfile calibrated() {
  HardwareProfile p;
  p.id = "edge-box";
  p.name = "Test CPU (4 CPUs), calibrated on edge-box";
  p.klass = HardwareClass::edge;
  p.peak[Precision::fp32] = FlopsPerSecond(212.3e9);
  p.memory_capacity = Bytes(16e9);
  p.memory_bandwidth = BytesPerSecond(31.7e9);
  p.efficiency_compute = 0.97;
  p.efficiency_memory = 0.35;
  p.half_efficiency_batch = 19.5;
  p.overhead = Seconds(4.2e-6);
  p.power_idle = Watts(7.7);
  p.power_max = Watts(22);
  for (const char* k : {"compute", "memory", "efficiency", "overhead", "power"})
    p.sources[k] = std::string("test: ") + k;
  p.calibration["date"] = "2025-01-01T00:00:00Z";
  p.calibration["host"] = "edge-box";
  p.calibration["cpu_model"] = "Test CPU: 4 cores";  // a colon needs quoting
  return p;
}

}  // namespace

TEST_CASE("profile_yaml writes a profile that load_profile reads back") {
  TempDir dir;
  const HardwareProfile p = calibrated();
  const std::string file = (dir.path / "edge-box.yaml").string();
  const std::string text = calib::profile_yaml(p);
  write_file_atomic(file, text);
  // Measured figures are rounded to four significant digits before sim/io writes them.
  CHECK(text.find("fp32: 212.3 GFLOP/s") != std::string::npos);
  CHECK(text.find("overhead: 4.2 us") != std::string::npos);
  CHECK(text.find("compute: 0.97\n") != std::string::npos);
  HardwareProfile q = load_profile(file);
  CHECK(q.id == p.id);
  CHECK(q.klass == HardwareClass::edge);
  CHECK(q.peak.at(Precision::fp32).si() == doctest::Approx(212.3e9).epsilon(1e-3));
  CHECK(q.memory_bandwidth.si() == doctest::Approx(31.7e9).epsilon(1e-3));
  CHECK(q.memory_capacity.si() == doctest::Approx(16e9).epsilon(1e-3));
  CHECK(q.efficiency_compute == doctest::Approx(0.97));
  CHECK(q.efficiency_memory == doctest::Approx(0.35));
  CHECK(q.half_efficiency_batch == doctest::Approx(19.5));
  CHECK(q.overhead.si() == doctest::Approx(4.2e-6).epsilon(1e-3));
  CHECK(q.power_idle.si() == doctest::Approx(7.7));
  CHECK(q.calibration.at("cpu_model") == "Test CPU: 4 cores");
  CHECK(q.sources.at("power") == "test: power");
}

TEST_CASE("apply_calibration_yaml replaces the efficiency factors, keeps overhead and the rest, records it") {
  TempDir dir;
  const std::string original = (dir.path / "some-edge.yaml").string();
  {
    std::ofstream out(original);
    out << "id: some-edge\n"
           "name: Some Edge Box\n"
           "class: edge\n"
           "compute:\n  fp32: 1.5 TFLOP/s\n  fp16: 3 TFLOP/s\n"
           "memory:\n  capacity: 8 GB\n  bandwidth: 68 GB/s\n"
           "efficiency:\n  compute: 0.5\n  memory: 0.7\n"
           "overhead: 1 ms\n"
           "power:\n  idle: 5 W\n  max: 25 W\n"
           "price: 499 USD\n"
           "price_year: 2024\n"
           "sources:\n  compute: datasheet\n  memory: datasheet\n  efficiency: guess\n  overhead: "
           "guess\n"
           "  power: datasheet\n  price: shop\n";
  }
  const std::string applied = (dir.path / "some-edge-calibrated.yaml").string();
  write_file_atomic(applied,
                    calib::apply_calibration_yaml(original, calibrated(), "some-edge-calibrated"));
  HardwareProfile q = load_profile(applied);
  CHECK(q.id == "some-edge-calibrated");
  CHECK(q.name == "Some Edge Box (calibrated efficiency)");
  CHECK(q.efficiency_compute == doctest::Approx(0.97));
  CHECK(q.efficiency_memory == doctest::Approx(0.35));
  CHECK(q.half_efficiency_batch == doctest::Approx(19.5));
  // overhead is per-batch host work, which calibrate does not measure: the catalogue's 1 ms
  // stays (a review saw raspberry-pi-5's 2 ms become 1.158 us, one BLAS call).
  CHECK(q.overhead.si() == doctest::Approx(1e-3));
  CHECK(q.sources.at("overhead") == "guess");
  CHECK(q.launch.si() == 0.0);  // the calibration has no launch figure: nothing set
  // Untouched figures keep their values.
  CHECK(q.peak.at(Precision::fp16).si() == doctest::Approx(3e12));
  CHECK(q.memory_bandwidth.si() == doctest::Approx(68e9));
  CHECK(q.price.amount == 499);
  CHECK(q.sources.at("price") == "shop");
  // The change is recorded.
  CHECK(q.sources.at("efficiency").find("hwplan calibrate") != std::string::npos);
  CHECK(q.sources.at("efficiency").find("was compute 0.5, memory 0.7, half_batch unset") !=
        std::string::npos);
  CHECK(q.sources.at("efficiency").find("guess") != std::string::npos);
  CHECK(q.calibration.at("applied_from") == "edge-box");
  CHECK(q.calibration.at("original_profile") == "some-edge");
  CHECK(q.calibration.at("applied_fields").find("overhead, the per-batch host work, is not measured by calibrate: kept at 1 ms") !=
        std::string::npos);

  // Same class (edge): the fitted per-call cost becomes efficiency.launch, as in the
  // calibrated profile itself; overhead still kept.
  HardwareProfile with_launch = calibrated();
  with_launch.launch = Seconds(4.2e-6);
  write_file_atomic(applied, calib::apply_calibration_yaml(original, with_launch, "some-edge-calibrated"));
  q = load_profile(applied);
  CHECK(q.launch.si() == doctest::Approx(4.2e-6).epsilon(1e-3));
  CHECK(q.overhead.si() == doctest::Approx(1e-3));
  CHECK(q.sources.at("efficiency").find("launch = fitted cost per BLAS call, was unset") != std::string::npos);
  CHECK(q.calibration.at("applied_fields").find("efficiency.launch") != std::string::npos);
}

TEST_CASE("apply_calibration_yaml keeps efficiency.launch, and an unresolved overhead keeps the catalogue's") {
  // A review saw --apply-to nvidia-l4 drop 'launch: 6 us' and write 'overhead: 0 s'.
  TempDir dir;
  const std::string original = (dir.path / "some-gpu.yaml").string();
  {
    std::ofstream out(original);
    out << "id: some-gpu\nname: Some GPU\nclass: accelerator\n"
           "compute:\n  fp32: 30 TFLOP/s\n"
           "memory:\n  capacity: 24 GB\n  bandwidth: 300 GB/s\n"
           "efficiency:\n  compute: 0.39\n  memory: 0.8\n  launch: 6 us\n"
           "overhead: 0.1 ms\n"
           "power:\n  idle: 20 W\n  max: 72 W\n"
           "sources:\n  compute: datasheet\n  memory: datasheet\n  efficiency: fit\n  overhead: prior\n"
           "  power: datasheet\n";
  }
  HardwareProfile cal = calibrated();
  cal.calibration["overhead_fit"] = "unresolved";
  cal.overhead = Seconds(0.0);
  const std::string applied = (dir.path / "some-gpu-calibrated.yaml").string();
  write_file_atomic(applied, calib::apply_calibration_yaml(original, cal, "some-gpu-calibrated"));
  HardwareProfile q = load_profile(applied);
  CHECK(q.launch.si() == doctest::Approx(6e-6));      // kept: calibrate does not measure it
  CHECK(q.overhead.si() == doctest::Approx(1e-4));    // unresolved: the catalogue's 0.1 ms stays
  CHECK(q.sources.at("overhead") == "prior");
  CHECK(q.efficiency_compute == doctest::Approx(0.97));  // applied
  // A resolved per-call cost: a profile of another class (an accelerator; the calibration is
  // of an edge CPU) keeps its launch, and overhead (per-batch host work) is kept in any case.
  HardwareProfile resolved = calibrated();
  resolved.launch = Seconds(4.2e-6);
  write_file_atomic(applied, calib::apply_calibration_yaml(original, resolved, "some-gpu-calibrated"));
  q = load_profile(applied);
  CHECK(q.launch.si() == doctest::Approx(6e-6));
  CHECK(q.overhead.si() == doctest::Approx(1e-4));
  CHECK(q.sources.at("efficiency").find("launch kept: the profile is class accelerator, the calibrated machine edge") !=
        std::string::npos);
}

TEST_CASE("profile_yaml rounds efficiency.launch to four digits") {
  // A review saw 'launch: 1.2006481852149056 us' and 'launch: 0.09999999999999996 ns'.
  HardwareProfile p = calibrated();
  p.launch = Seconds(1.2006481852149056e-6);
  const std::string text = calib::profile_yaml(p);
  CHECK(text.find("launch: 1.201 us") != std::string::npos);
  CHECK(text.find("1.2006") == std::string::npos);
}

namespace {

// A fitted model as the CUDA path's fitter returns it (fit.hpp's profile_factors).
calib::FittedModel fitted_gpu(double P, double best, double h, double t0) {
  calib::FittedModel fm;
  fm.params.compute_flops_per_s = P;
  fm.params.bandwidth_bytes_per_s = 1.6e12;
  fm.params.half_batch = h;
  fm.params.overhead_s = t0;
  fm.factors = calib::profile_factors(fm.params, best, 2e12);
  fm.fit_kernels = 6;
  return fm;
}

}  // namespace

TEST_CASE("the GPU profile prices an item: half_batch 0, the per-call cost as launch. --gpu-power-max sets power.max") {
  // A review (rev-calib item 6): the CUDA path wrote the fit's half_batch in GEMM rows into
  // ID-gpu.yaml and no efficiency.launch, the unit error that made the CPU profile ~50x too
  // slow at batch 1. The profile logic is CUDA-free (detail/gpu_profile.cpp), so it is
  // tested here; the CUDA path itself has not run on a GPU (docs/calibration.md).
  HardwareProfile host = calibrated();
  calib::detail::GpuFacts dev;
  dev.name = "Test GPU";
  dev.memory_bytes = 80e9;
  dev.copy_mib = 1024;
  // fp32: P = 40 TFLOP/s of a best 50 -> eff_c 0.8, h = 200 rows, t0 = 5 us.
  // fp16: P = 160 TFLOP/s -> peak16 = 160 / 0.8 = 200 TFLOP/s.
  const auto f32 = fitted_gpu(40e12, 50e12, 200, 5e-6);
  const auto f16 = fitted_gpu(160e12, 200e12, 300, 5e-6);
  HardwareProfile rows;
  const HardwareProfile g = calib::detail::gpu_profile(host, dev, f32, f16, std::nullopt, &rows);
  CHECK(g.id == "edge-box-gpu");
  CHECK(g.klass == HardwareClass::accelerator);
  CHECK(g.half_efficiency_batch == 0.0);
  CHECK(g.launch.si() == doctest::Approx(5e-6));
  CHECK(g.efficiency_compute == doctest::Approx(0.8));
  CHECK(g.peak.at(Precision::fp16).si() == doctest::Approx(200e12));
  CHECK(rows.half_efficiency_batch == doctest::Approx(200));  // the report's GEMM rows keep the fit's h
  CHECK(g.sources.at("efficiency").find("half_batch 0") != std::string::npos);
  CHECK(g.calibration.at("gpu_fit").find("h = 200 rows") != std::string::npos);

  // ResNet-50-like at fp16, batch 1: F = 8.2 GFLOP, 54 kernels, W = 51.2 MB.
  //   item profile: 5 us overhead + 54 x 5 us launch + max(8.2e9 / (200e12 x 0.8) = 51.25 us,
  //                 51.2e6 / (2e12 x 0.8) = 32 us) = 326.25 us
  //   row profile (h = 200 read as images): eff_c(1) = 0.8 / 201 -> 51.25 x 201 = 10,301 us + 5 us
  WorkloadModel m;
  m.id = "resnet-like";
  m.flops_per_item = Flops(8.2e9);
  m.weights = Bytes(51.2e6);
  m.precision = Precision::fp16;
  m.precisions = {Precision::fp16};
  m.kernels = 54;
  const double t_item = batch_time(g, m, Precision::fp16, 1).total.si();
  const double t_rows = batch_time(rows, m, Precision::fp16, 1).total.si();
  CHECK(t_item == doctest::Approx(326.25e-6).epsilon(1e-6));
  CHECK(t_rows == doctest::Approx(10306.25e-6).epsilon(1e-6));

  // Power: a labelled estimate that says it is not the card's figure, or the given board power.
  CHECK(g.power_max.si() == doctest::Approx(300));
  CHECK(g.sources.at("power").find("not this card's figure") != std::string::npos);
  CHECK(g.sources.at("power").find("--gpu-power-max") != std::string::npos);
  const HardwareProfile h = calib::detail::gpu_profile(host, dev, f32, f16, 700.0);
  CHECK(h.power_max.si() == doctest::Approx(700));
  CHECK(h.power_idle.si() == doctest::Approx(105));  // 15 % of 700 W, an estimate
  CHECK(h.sources.at("power").find("given on the command line (hwplan calibrate --gpu-power-max '700 W')") !=
        std::string::npos);

  // What is written loads with the strict loader and keeps launch and half_batch.
  const HardwareProfile q = load_profile_text(calib::profile_yaml(g), "edge-box-gpu.yaml");
  CHECK(q.half_efficiency_batch == 0.0);
  CHECK(q.launch.si() == doctest::Approx(5e-6));

  // An unresolved per-call cost (at the fit's 0.1 ns floor) writes neither launch nor overhead.
  const auto floor32 = fitted_gpu(40e12, 50e12, 200, 1e-10);
  const HardwareProfile u = calib::detail::gpu_profile(host, dev, floor32, f16, std::nullopt);
  CHECK(u.launch.si() == 0.0);
  CHECK(u.overhead.si() == 0.0);
  // No 'overhead: 0 s' beside a source that says overhead keeps the default (a review saw
  // both in one file); the note goes to sources.efficiency, and the file loads.
  CHECK_FALSE(u.sources.contains("overhead"));
  CHECK(u.sources.at("efficiency").find("overhead unresolved") != std::string::npos);
  const std::string utext = calib::profile_yaml(u);
  CHECK(utext.find("\noverhead:") == std::string::npos);
  CHECK(utext.find("launch:") == std::string::npos);
  const HardwareProfile uq = load_profile_text(utext, "edge-box-gpu.yaml");
  CHECK(uq.overhead.si() == 0.0);
  CHECK_FALSE(uq.sources.contains("overhead"));
}

TEST_CASE("record_overhead: an unresolved per-call cost leaves out the overhead key and its source") {
  // The CPU path (calibrate.cpp) and the GPU path share it.
  HardwareProfile p = calibrated();
  calib::detail::record_overhead(p, true, "fitted", "overhead unresolved: keeps the default");
  CHECK(p.overhead.si() == 0.0);
  CHECK_FALSE(p.sources.contains("overhead"));
  CHECK(p.sources.at("efficiency") == "test: efficiency; overhead unresolved: keeps the default");
  const std::string text = calib::profile_yaml(p);
  CHECK(text.find("\noverhead:") == std::string::npos);
  CHECK_FALSE(load_profile_text(text, "edge-box.yaml").sources.contains("overhead"));
  HardwareProfile r = calibrated();
  calib::detail::record_overhead(r, false, "fitted", "unused");
  CHECK(r.sources.at("overhead") == "fitted");
  CHECK(calib::profile_yaml(r).find("\noverhead: 4.2 us") != std::string::npos);
}

namespace {

// Significant digits of a written figure's number ("1.5730000000000002 us" has 17, "0.05" 1).
int written_digits(const std::string& figure) {
  std::string number = figure.substr(0, figure.find(' '));
  number = number.substr(0, number.find_first_of("eE"));
  std::string digits;
  for (char c : number) {
    if (c >= '0' && c <= '9') digits += c;
  }
  const auto first = digits.find_first_not_of('0');
  if (first == std::string::npos) return 1;
  const auto last = number.find('.') == std::string::npos ? digits.find_last_not_of('0') : digits.size() - 1;
  return static_cast<int>(last - first + 1);
}

}  // namespace

TEST_CASE("profile_yaml: every figure calibrate writes reads as at most four significant digits") {
  // A review saw 'launch: 1.5730000000000002 us' and 'overhead: 1.5730000000000002 us':
  // rounded to four digits in seconds, then printed in the microsecond form that reads back
  // exactly. docs/calibration.md promises four digits.
  CHECK(written_digits("1.5730000000000002 us") == 17);
  CHECK(written_digits("1.573 us") == 4);
  CHECK(written_digits("212.3 GFLOP/s") == 4);
  CHECK(written_digits("16 GB") == 2);
  int checked = 0;
  for (int i = 0; i < 400; ++i) {
    const double x = 1.0 + i * 0.0227531;  // 1 to ~10, many mantissas
    HardwareProfile p = calibrated();
    p.launch = Seconds(x * 1e-6 * (i % 3 == 0 ? 1000 : 1));
    p.overhead = Seconds(x * 1e-6);
    p.peak[Precision::fp32] = FlopsPerSecond(x * 1e11);
    p.peak[Precision::int8] = FlopsPerSecond(x * 1e13);
    p.memory_bandwidth = BytesPerSecond(x * 1e10);
    p.memory_capacity = Bytes(x * 1e9);
    p.power_idle = Watts(x);
    p.power_max = Watts(x * 100);
    const YAML::Node root = YAML::Load(calib::profile_yaml(p));
    for (const char* group : {"compute", "memory", "power", "efficiency"}) {
      for (const auto& kv : root[group]) {
        if (!kv.second.IsScalar()) continue;
        INFO(group, ".", kv.first.Scalar(), ": ", kv.second.Scalar());
        CHECK(written_digits(kv.second.Scalar()) <= 4);
        ++checked;
      }
    }
    INFO("overhead: ", root["overhead"].Scalar());
    CHECK(written_digits(root["overhead"].Scalar()) <= 4);
  }
  CHECK(checked > 400 * 8);
  HardwareProfile p = calibrated();
  p.launch = Seconds(1.573e-6);
  p.overhead = Seconds(1.573e-6);
  const std::string text = calib::profile_yaml(p);
  CHECK(text.find("launch: 1.573 us") != std::string::npos);
  CHECK(text.find("overhead: 1.573 us") != std::string::npos);
  // Still the same figures, to four digits.
  const HardwareProfile q = load_profile_text(text, "edge-box.yaml");
  CHECK(q.launch.si() == doctest::Approx(1.573e-6).epsilon(1e-12));
}
