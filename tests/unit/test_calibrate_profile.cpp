// Profiles calibrate writes load with the strict loader, and --apply-to keeps the rest of
// a catalogue profile while replacing its efficiency factors.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sim/calibrate/calibrate.hpp"
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

TEST_CASE("apply_calibration_yaml replaces efficiency and overhead, keeps the rest, records it") {
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
  CHECK(q.overhead.si() == doctest::Approx(4.2e-6).epsilon(1e-3));
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
  CHECK(q.sources.at("overhead").find("was 1 ms") != std::string::npos);
  CHECK(q.calibration.at("applied_from") == "edge-box");
  CHECK(q.calibration.at("original_profile") == "some-edge");
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
  // A resolved overhead is applied, and launch still kept.
  write_file_atomic(applied, calib::apply_calibration_yaml(original, calibrated(), "some-gpu-calibrated"));
  q = load_profile(applied);
  CHECK(q.launch.si() == doctest::Approx(6e-6));
  CHECK(q.overhead.si() == doctest::Approx(4.2e-6).epsilon(1e-3));
}

TEST_CASE("profile_yaml rounds efficiency.launch to four digits") {
  // A review saw 'launch: 1.2006481852149056 us' and 'launch: 0.09999999999999996 ns'.
  HardwareProfile p = calibrated();
  p.launch = Seconds(1.2006481852149056e-6);
  const std::string text = calib::profile_yaml(p);
  CHECK(text.find("launch: 1.201 us") != std::string::npos);
  CHECK(text.find("1.2006") == std::string::npos);
}
