// Device performance model (sim/hardware/perf_model): roofline batch time, precision
// choice, memory fit. Synthetic profile and models with round numbers, answers by hand.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "sim/core/errors.hpp"
#include "sim/hardware/perf_model.hpp"
#include "sim/io/loaders.hpp"
#include "sim/io/yaml_writer.hpp"

namespace {

// 100 TFLOP/s at fp16, 10 TFLOP/s at fp32, no int8; 1 TB/s; 50% of both; 1 ms overhead;
// 10 GB per accelerator.
hw::HardwareProfile synthetic_device() {
  hw::HardwareProfile p;
  p.id = "synthetic-gpu";
  p.name = "Synthetic GPU";
  p.klass = hw::HardwareClass::accelerator;
  p.peak[hw::Precision::fp16] = hw::FlopsPerSecond(100e12);
  p.peak[hw::Precision::fp32] = hw::FlopsPerSecond(10e12);
  p.memory_capacity = hw::Bytes(10e9);
  p.memory_bandwidth = hw::BytesPerSecond(1e12);
  p.efficiency_compute = 0.5;
  p.efficiency_memory = 0.5;
  p.half_efficiency_batch = 0.0;
  p.overhead = hw::Seconds(1e-3);
  return p;
}

// Compute-heavy: 1 TFLOP per item, 1 GB weights, 100 MB activations per item (fp16).
hw::WorkloadModel compute_heavy() {
  hw::WorkloadModel m;
  m.id = "compute-heavy";
  m.flops_per_item = hw::Flops(1e12);
  m.weights = hw::Bytes(1e9);
  m.bytes_per_item = hw::Bytes(1e8);
  m.memory_per_item = hw::Bytes(1e9);
  m.precision = hw::Precision::fp16;
  m.precisions = {hw::Precision::fp32, hw::Precision::fp16, hw::Precision::int8};
  return m;
}

// Memory-heavy (LLM-decode-like): 1 GFLOP per item, 5 GB weights, no activations.
hw::WorkloadModel memory_heavy() {
  hw::WorkloadModel m;
  m.id = "memory-heavy";
  m.flops_per_item = hw::Flops(1e9);
  m.weights = hw::Bytes(5e9);
  m.bytes_per_item = hw::Bytes(0);
  m.memory_per_item = hw::Bytes(1e9);
  m.precision = hw::Precision::fp16;
  m.precisions = {hw::Precision::fp16, hw::Precision::int8};
  return m;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

// ------------------------------------------------------------------ batch_time

TEST_CASE("perf: compute-bound batch of 1 at fp16") {
  // compute = 1e12 / (100e12 * 0.5) = 20 ms; memory = (1e9 + 1e8) / (1e12 * 0.5) = 2.2 ms
  auto t = hw::batch_time(synthetic_device(), compute_heavy(), hw::Precision::fp16, 1);
  CHECK(t.compute.si() == doctest::Approx(0.020));
  CHECK(t.memory.si() == doctest::Approx(0.0022));
  CHECK_FALSE(t.memory_bound);
  CHECK(t.total.si() == doctest::Approx(0.021));  // + 1 ms overhead
}

TEST_CASE("perf: compute-bound batch of 8 scales compute and activations") {
  // compute = 8e12 / 50e12 = 160 ms; memory = (1e9 + 8e8) / 5e11 = 3.6 ms
  auto t = hw::batch_time(synthetic_device(), compute_heavy(), hw::Precision::fp16, 8);
  CHECK(t.compute.si() == doctest::Approx(0.160));
  CHECK(t.memory.si() == doctest::Approx(0.0036));
  CHECK(t.total.si() == doctest::Approx(0.161));
}

TEST_CASE("perf: memory-bound batch of 1 at fp16") {
  // compute = 1e9 / 50e12 = 20 us; memory = 5e9 / 5e11 = 10 ms
  auto t = hw::batch_time(synthetic_device(), memory_heavy(), hw::Precision::fp16, 1);
  CHECK(t.compute.si() == doctest::Approx(2e-5));
  CHECK(t.memory.si() == doctest::Approx(0.010));
  CHECK(t.memory_bound);
  CHECK(t.total.si() == doctest::Approx(0.011));
}

TEST_CASE("perf: weights are read once per batch, so a memory-bound batch costs the same") {
  auto t1 = hw::batch_time(synthetic_device(), memory_heavy(), hw::Precision::fp16, 1);
  auto t16 = hw::batch_time(synthetic_device(), memory_heavy(), hw::Precision::fp16, 16);
  CHECK(t16.memory.si() == doctest::Approx(t1.memory.si()));
  CHECK(t16.compute.si() == doctest::Approx(16 * t1.compute.si()));
}

TEST_CASE("perf: fp32 doubles the bytes and uses the fp32 peak") {
  // weights 5e9 * 4/2 = 1e10 -> memory 20 ms; compute = 1e9 / (10e12 * 0.5) = 0.2 ms
  auto t = hw::batch_time(synthetic_device(), memory_heavy(), hw::Precision::fp32, 1);
  CHECK(t.memory.si() == doctest::Approx(0.020));
  CHECK(t.compute.si() == doctest::Approx(2e-4));
}

TEST_CASE("perf: half_efficiency_batch lowers the compute efficiency of small batches") {
  auto dev = synthetic_device();
  dev.half_efficiency_batch = 4;
  CHECK(hw::compute_efficiency(dev, 4) == doctest::Approx(0.25));
  CHECK(hw::compute_efficiency(dev, 12) == doctest::Approx(0.375));
  CHECK(hw::compute_efficiency(dev, 0) == doctest::Approx(0.1));  // batch 0 counts as 1
  // compute = 4e12 / (100e12 * 0.25) = 160 ms
  auto t = hw::batch_time(dev, compute_heavy(), hw::Precision::fp16, 4);
  CHECK(t.compute.si() == doctest::Approx(0.160));
}

TEST_CASE("perf: without half_efficiency_batch the efficiency is flat") {
  CHECK(hw::compute_efficiency(synthetic_device(), 1) == doctest::Approx(0.5));
  CHECK(hw::compute_efficiency(synthetic_device(), 64) == doctest::Approx(0.5));
}

TEST_CASE("perf: resident_bytes = weights + batch x per-item memory, scaled by precision") {
  CHECK(hw::resident_bytes(memory_heavy(), hw::Precision::fp16, 3).si() == doctest::Approx(8e9));
  CHECK(hw::resident_bytes(memory_heavy(), hw::Precision::int8, 3).si() == doctest::Approx(4e9));
}

// ------------------------------------------------------------------ choose_precision

TEST_CASE("perf: choose_precision keeps the model's precision when the device has it") {
  auto p = hw::choose_precision(synthetic_device(), compute_heavy(), std::nullopt);
  REQUIRE(p.has_value());
  CHECK(*p == hw::Precision::fp16);
}

TEST_CASE("perf: choose_precision keeps a requested precision the device has") {
  auto p = hw::choose_precision(synthetic_device(), compute_heavy(), hw::Precision::fp32);
  REQUIRE(p.has_value());
  CHECK(*p == hw::Precision::fp32);
}

TEST_CASE("perf: choose_precision falls back to the fastest precision both support") {
  // int8 requested, the device has none: fp16 (100 TFLOP/s) beats fp32 (10 TFLOP/s).
  auto p = hw::choose_precision(synthetic_device(), compute_heavy(), hw::Precision::int8);
  REQUIRE(p.has_value());
  CHECK(*p == hw::Precision::fp16);
}

TEST_CASE("perf: choose_precision falls back only to precisions the model allows") {
  auto dev = synthetic_device();
  dev.peak.erase(hw::Precision::fp16);  // fp32 only
  auto m = memory_heavy();              // fp16 and int8 only
  CHECK_FALSE(hw::choose_precision(dev, m, std::nullopt).has_value());
}

// ------------------------------------------------------------------ fit_problem

TEST_CASE("perf: fit_problem is empty for a model that fits") {
  CHECK_FALSE(hw::fit_problem(synthetic_device(), memory_heavy(), std::nullopt).has_value());
}

TEST_CASE("perf: fit_problem explains a model too big for the device") {
  auto m = memory_heavy();
  m.weights = hw::Bytes(20e9);  // 20 GB + 1 GB per item > 10 GB
  auto why = hw::fit_problem(synthetic_device(), m, std::nullopt);
  REQUIRE(why.has_value());
  CHECK(contains(*why, "memory-heavy"));
  CHECK(contains(*why, "synthetic-gpu"));
  CHECK(contains(*why, "21 GB"));
  CHECK(contains(*why, "10 GB"));
}

TEST_CASE("perf: fit_problem sizes the model at the fallback precision") {
  auto m = memory_heavy();
  m.weights = hw::Bytes(12e9);  // 13 GB at fp16 (too big), 6.5 GB at int8 (fits)
  auto dev = synthetic_device();
  dev.peak.erase(hw::Precision::fp16);
  dev.peak[hw::Precision::int8] = hw::FlopsPerSecond(200e12);
  // fp16 is not on the device, so the stage falls back to int8, where it fits.
  CHECK_FALSE(hw::fit_problem(dev, m, std::nullopt).has_value());
  dev.peak[hw::Precision::fp16] = hw::FlopsPerSecond(100e12);
  CHECK(hw::fit_problem(dev, m, std::nullopt).has_value());
}

TEST_CASE("perf: fit_problem reports a device with no usable precision") {
  auto dev = synthetic_device();
  dev.peak.erase(hw::Precision::fp16);
  auto why = hw::fit_problem(dev, memory_heavy(), std::nullopt);
  REQUIRE(why.has_value());
  CHECK(contains(*why, "no compute"));
  CHECK(contains(*why, "fp32"));  // what the device does have
}

TEST_CASE("perf: fit_problem treats an unknown capacity (0) as fitting") {
  auto dev = synthetic_device();
  dev.memory_capacity = hw::Bytes(0);
  auto m = memory_heavy();
  m.weights = hw::Bytes(1e15);
  CHECK_FALSE(hw::fit_problem(dev, m, std::nullopt).has_value());
}

// ------------------------------------------------------------------ max_batch_fitting

TEST_CASE("perf: max_batch_fitting = floor((capacity - weights) / per-item)") {
  // (10 GB - 5 GB) / 1 GB = 5
  CHECK(hw::max_batch_fitting(synthetic_device(), memory_heavy(), hw::Precision::fp16, 64) == 5);
  // at int8: (10 - 2.5) / 0.5 = 15
  CHECK(hw::max_batch_fitting(synthetic_device(), memory_heavy(), hw::Precision::int8, 64) == 15);
}

TEST_CASE("perf: max_batch_fitting is capped by the limit") {
  CHECK(hw::max_batch_fitting(synthetic_device(), memory_heavy(), hw::Precision::fp16, 3) == 3);
}

TEST_CASE("perf: max_batch_fitting is 0 when the weights alone do not fit") {
  auto m = memory_heavy();
  m.weights = hw::Bytes(11e9);
  CHECK(hw::max_batch_fitting(synthetic_device(), m, hw::Precision::fp16, 64) == 0);
}

TEST_CASE("perf: max_batch_fitting is 0 when not even one item fits beside the weights") {
  auto m = memory_heavy();
  m.weights = hw::Bytes(9.5e9);  // 0.5 GB left, 1 GB per item
  CHECK(hw::max_batch_fitting(synthetic_device(), m, hw::Precision::fp16, 64) == 0);
}

TEST_CASE("perf: max_batch_fitting gives the limit with no per-item memory or no capacity") {
  auto m = memory_heavy();
  m.memory_per_item = hw::Bytes(0);
  CHECK(hw::max_batch_fitting(synthetic_device(), m, hw::Precision::fp16, 64) == 64);
  auto dev = synthetic_device();
  dev.memory_capacity = hw::Bytes(0);
  CHECK(hw::max_batch_fitting(dev, memory_heavy(), hw::Precision::fp16, 32) == 32);
}

// ---- Per-kernel launch time, saturation batch, server throughput, fp8/fp4 (issue 13)

namespace {
// Small CNN-like: 10 GFLOP per item, nothing memory-bound, 50 kernels, 10 MB per item in flight.
hw::WorkloadModel small_cnn() {
  hw::WorkloadModel m;
  m.id = "small-cnn";
  m.flops_per_item = hw::Flops(10e9);
  m.weights = hw::Bytes(1e6);
  m.bytes_per_item = hw::Bytes(1e3);
  m.memory_per_item = hw::Bytes(1e7);
  m.precision = hw::Precision::fp16;
  m.precisions = {hw::Precision::fp16};
  m.kernels = 50;
  return m;
}
}  // namespace

TEST_CASE("perf model: each kernel adds the device's launch time") {
  auto dev = synthetic_device();
  dev.launch = hw::Seconds(10e-6);
  const auto m = small_cnn();
  // compute: 10 GFLOP / (100 TFLOP/s * 0.5) = 0.2 ms; fixed 50 * 10 us = 0.5 ms; overhead 1 ms
  const auto t = hw::batch_time(dev, m, hw::Precision::fp16, 1);
  CHECK(t.fixed.si() == doctest::Approx(0.5e-3));
  CHECK(t.total.si() == doctest::Approx(1.7e-3));
}

TEST_CASE("perf model: the saturation batch is the first to reach 97% of the best throughput") {
  auto dev = synthetic_device();  // fixed 1 ms, 0.2 ms per item
  const auto m = small_cnn();
  const int b = hw::saturation_batch(dev, m, hw::Precision::fp16, 1024);
  const double best = hw::batch_throughput(dev, m, hw::Precision::fp16, 1000);  // 10 GB / 10 MB fits 999
  CHECK(b > 1);
  CHECK(hw::batch_throughput(dev, m, hw::Precision::fp16, b) >= 0.97 * hw::batch_throughput(dev, m, hw::Precision::fp16, 999));
  CHECK(hw::batch_throughput(dev, m, hw::Precision::fp16, b - 1) < 0.97 * hw::batch_throughput(dev, m, hw::Precision::fp16, 999));
  CHECK(best > hw::batch_throughput(dev, m, hw::Precision::fp16, b));
  // b / (1 ms + b * 0.2 ms) >= 0.97 * 999 / (1 ms + 199.8 ms): b >= 138.55, so 139 by hand
  CHECK(b == 139);
}

TEST_CASE("perf model: server throughput under a p99 bound") {
  auto dev = synthetic_device();
  const auto m = small_cnn();
  const auto p = hw::Precision::fp16;
  // t(1) = 1.2 ms; t(ceil(1 + 2.326)) = t(4) = 1.8 ms: about 3 ms is the least bound that admits b = 1
  CHECK(hw::server_throughput(dev, m, p, hw::Seconds(2.9e-3), 1024).batch == 0);
  const auto at3 = hw::server_throughput(dev, m, p, hw::Seconds(3.01e-3), 1024);
  CHECK(at3.batch == 1);
  CHECK(at3.throughput_per_s == doctest::Approx(1.0 / 1.2e-3));
  // a looser bound admits larger batches and more throughput, never above the offline limit
  const auto at50 = hw::server_throughput(dev, m, p, hw::Seconds(50e-3), 1024);
  const auto at500 = hw::server_throughput(dev, m, p, hw::Seconds(500e-3), 1024);
  CHECK(at50.throughput_per_s > at3.throughput_per_s);
  CHECK(at500.throughput_per_s > at50.throughput_per_s);
  CHECK(at500.throughput_per_s < 1.0 / 0.2e-3);
  // the admitted batch meets the bound: t(b) + t(b + z sqrt(b)) <= 50 ms
  const int b = at50.batch;
  const int b99 = static_cast<int>(std::ceil(b + 2.326 * std::sqrt(b)));
  CHECK(hw::batch_time(dev, m, p, b).total.si() + hw::batch_time(dev, m, p, b99).total.si() <= 50e-3);
}

TEST_CASE("perf model: fp8 and fp4 move 1 and 0.5 bytes per value, and jobs widen fp4 -> fp8 -> fp16") {
  CHECK(hw::bytes_per_element(hw::Precision::fp8) == 1.0);
  CHECK(hw::bytes_per_element(hw::Precision::fp4) == 0.5);
  CHECK(hw::precision_from("fp8") == hw::Precision::fp8);
  CHECK(hw::to_string(hw::Precision::fp4) == "fp4");
  auto dev = synthetic_device();  // fp16 and fp32 only
  CHECK(hw::job_precision(dev, hw::Precision::fp4) == hw::Precision::fp16);
  dev.peak[hw::Precision::fp8] = hw::FlopsPerSecond(200e12);
  CHECK(hw::job_precision(dev, hw::Precision::fp4) == hw::Precision::fp8);
  CHECK(hw::job_precision(dev, hw::Precision::int8) == hw::Precision::fp16);  // int8 never runs as fp8
}

// ------------------------------------------------------------------ dataflow devices (memory.on_chip)

namespace {

// A Hailo-like dataflow chip: 20 TOP/s int8, 50% of it; a 1 GB/s host link at 80%; 10 MB of
// on-chip SRAM; no overhead; no memory capacity (the host holds what does not fit).
hw::HardwareProfile dataflow_device() {
  hw::HardwareProfile p;
  p.id = "synthetic-npu";
  p.klass = hw::HardwareClass::accelerator;
  p.peak[hw::Precision::int8] = hw::FlopsPerSecond(20e12);
  p.memory_bandwidth = hw::BytesPerSecond(1e9);
  p.on_chip_memory = hw::Bytes(10e6);
  p.efficiency_compute = 0.5;
  p.efficiency_memory = 0.8;
  return p;
}

// A CNN at int8: 1 GFLOP, 4 MB weights, 20 MB activation traffic, 2 MB live per item,
// 0.1 MB in and 0.02 MB out per item.
hw::WorkloadModel onchip_cnn(double weights = 4e6, double live = 2e6) {
  hw::WorkloadModel m;
  m.id = "onchip-cnn";
  m.flops_per_item = hw::Flops(1e9);
  m.weights = hw::Bytes(weights);
  m.bytes_per_item = hw::Bytes(20e6);
  m.memory_per_item = hw::Bytes(live);
  m.input_size = hw::Bytes(0.1e6);
  m.output_size = hw::Bytes(0.02e6);
  m.precision = hw::Precision::int8;
  m.precisions = {hw::Precision::int8};
  return m;
}

}  // namespace

TEST_CASE("perf: on a dataflow device a model that fits on chip sends only its inputs and outputs over the link") {
  const auto dev = dataflow_device();
  const auto m = onchip_cnn();  // 4 MB + 2 MB live <= 10 MB
  CHECK(hw::activations_on_chip(dev, m, hw::Precision::int8));
  CHECK(hw::streamed_weights(dev, m, hw::Precision::int8).si() == 0.0);
  // link: 8 x 0.12 MB / (1 GB/s x 0.8) = 1.2 ms; compute: 8 GFLOP / 10 TOP/s = 0.8 ms.
  // The roofline without on-chip memory would send 4 MB + 8 x 20 MB over the link: 205 ms.
  const auto t = hw::batch_time(dev, m, hw::Precision::int8, 8);
  CHECK(t.memory.si() == doctest::Approx(1.2e-3));
  CHECK(t.compute.si() == doctest::Approx(0.8e-3));
  CHECK(t.total.si() == doctest::Approx(1.2e-3));
  auto dram = dev;
  dram.on_chip_memory = hw::Bytes(0);
  CHECK(hw::batch_time(dram, m, hw::Precision::int8, 8).memory.si() == doctest::Approx(0.205));
}

TEST_CASE("perf: a dataflow device streams the weights that do not fit beside one item's activations, once per batch") {
  const auto dev = dataflow_device();
  const auto m = onchip_cnn(30e6, 2e6);  // 10 MB SRAM - 2 MB live = 8 MB of weights stay
  CHECK(hw::streamed_weights(dev, m, hw::Precision::int8).si() == doctest::Approx(22e6));
  // b = 1: (22 MB + 0.12 MB) / 0.8 GB/s = 27.65 ms; b = 4: (22 + 0.48) / 0.8 = 28.1 ms
  CHECK(hw::batch_time(dev, m, hw::Precision::int8, 1).memory.si() == doctest::Approx(27.65e-3));
  CHECK(hw::batch_time(dev, m, hw::Precision::int8, 4).memory.si() == doctest::Approx(28.1e-3));
  // not refused for size: the device has no capacity limit, and every batch fits
  CHECK_FALSE(hw::fit_problem(dev, m, std::nullopt).has_value());
  CHECK(hw::max_batch_fitting(dev, m, hw::Precision::int8, 64) == 64);
}

TEST_CASE("perf: activations too large for the chip cross the link with all the weights") {
  const auto dev = dataflow_device();
  const auto m = onchip_cnn(4e6, 12e6);  // 12 MB live > 10 MB SRAM
  CHECK_FALSE(hw::activations_on_chip(dev, m, hw::Precision::int8));
  CHECK(hw::streamed_weights(dev, m, hw::Precision::int8).si() == doctest::Approx(4e6));
  // (4 MB + 20 MB + 0.12 MB) / 0.8 GB/s = 30.15 ms
  CHECK(hw::batch_time(dev, m, hw::Precision::int8, 1).memory.si() == doctest::Approx(30.15e-3));
}

TEST_CASE("perf: on_chip_bandwidth bounds the activation traffic that stays on chip") {
  auto dev = dataflow_device();
  dev.on_chip_bandwidth = hw::BytesPerSecond(25e9);  // x 0.8 = 20 GB/s
  const auto m = onchip_cnn();
  // on chip: 8 x 20 MB / 20 GB/s = 8 ms, above the link's 1.2 ms and the compute's 0.8 ms
  const auto t = hw::batch_time(dev, m, hw::Precision::int8, 8);
  CHECK(t.memory.si() == doctest::Approx(8e-3));
  CHECK(t.memory_bound);
  // activations that leave the chip are charged to the link instead, not twice
  const auto big = onchip_cnn(4e6, 12e6);
  CHECK(hw::batch_time(dev, big, hw::Precision::int8, 1).memory.si() == doctest::Approx(30.15e-3));
}

TEST_CASE("perf: the bundled Hailo-8 and Coral profiles are dataflow devices. a lone on_chip_bandwidth is refused") {
  const auto hailo = hw::load_profile(HWPLAN_SOURCE_DIR "/hardware_profiles/hailo-8.yaml");
  CHECK(hailo.on_chip_memory.si() > 0);
  CHECK(hailo.on_chip_bandwidth.si() > 0);
  CHECK(hailo.memory_capacity.si() == 0.0);
  const auto coral = hw::load_profile(HWPLAN_SOURCE_DIR "/hardware_profiles/coral-usb.yaml");
  CHECK(coral.on_chip_memory.si() == doctest::Approx(8e6));
  CHECK(coral.memory_capacity.si() == 0.0);  // larger models stream from host RAM, not refused
  // the writer keeps both keys
  const auto dir = std::filesystem::temp_directory_path() / ("hwplan_onchip_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream out(dir / "hailo-8.yaml");
    out << hw::profile_yaml(hailo);
  }
  auto again = hw::load_profile((dir / "hailo-8.yaml").string());
  CHECK(again.on_chip_memory == hailo.on_chip_memory);
  CHECK(again.on_chip_bandwidth == hailo.on_chip_bandwidth);
  {
    std::ifstream in(HWPLAN_SOURCE_DIR "/hardware_profiles/hailo-8.yaml");
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    const auto at = text.find("  on_chip: 32 MB");
    REQUIRE(at != std::string::npos);
    text.erase(at, text.find('\n', at) + 1 - at);
    std::ofstream out(dir / "hailo-8.yaml");
    out << text;
  }
  try {
    (void)hw::load_profile((dir / "hailo-8.yaml").string());
    FAIL("accepted memory.on_chip_bandwidth without memory.on_chip");
  } catch (const hw::InputError& e) {
    CHECK(e.key() == "memory.on_chip_bandwidth");
  }
  std::filesystem::remove_all(dir);
}
