// Batch-job time on one device (sim/hardware/perf_model: job_single_device_time,
// job_precision, job_speedup). Synthetic device with round numbers, answers by hand.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/hardware/perf_model.hpp"

namespace {

// 100 TFLOP/s fp16, 10 TFLOP/s fp32, no int8; 1 TB/s; efficiencies 0.5 / 0.8; half_batch
// and overhead set to show that a job ignores them.
hw::HardwareProfile device() {
  hw::HardwareProfile p;
  p.id = "synthetic-gpu";
  p.peak[hw::Precision::fp16] = hw::FlopsPerSecond(100e12);
  p.peak[hw::Precision::fp32] = hw::FlopsPerSecond(10e12);
  p.memory_bandwidth = hw::BytesPerSecond(1e12);
  p.efficiency_compute = 0.5;
  p.efficiency_memory = 0.8;
  p.half_efficiency_batch = 8.0;
  p.overhead = hw::Seconds(1e-3);
  return p;
}

}  // namespace

TEST_CASE("job time on one device: compute-bound") {
  // 1e18 FLOP / (100e12 * 0.5) = 20000 s; 1e15 B / (1e12 * 0.8) = 1250 s.
  auto t = hw::job_single_device_time(device(), hw::Flops(1e18), hw::Bytes(1e15), hw::Precision::fp16);
  REQUIRE(t);
  CHECK(t->compute.si() == doctest::Approx(20000.0));
  CHECK(t->memory.si() == doctest::Approx(1250.0));
  CHECK(t->total.si() == doctest::Approx(20000.0));
  CHECK_FALSE(t->memory_bound);
  CHECK(t->precision == hw::Precision::fp16);
}

TEST_CASE("job time on one device: memory-bound") {
  // 1e15 FLOP -> 20 s; 1e14 B -> 125 s.
  auto t = hw::job_single_device_time(device(), hw::Flops(1e15), hw::Bytes(1e14), hw::Precision::fp16);
  REQUIRE(t);
  CHECK(t->total.si() == doctest::Approx(125.0));
  CHECK(t->memory_bound);
}

TEST_CASE("job precision widens, never narrows") {
  const auto d = device();
  CHECK(hw::job_precision(d, hw::Precision::int8) == hw::Precision::fp16);
  CHECK(hw::job_precision(d, hw::Precision::fp16) == hw::Precision::fp16);
  CHECK(hw::job_precision(d, hw::Precision::fp32) == hw::Precision::fp32);
  auto fp32_only = d;
  fp32_only.peak.erase(hw::Precision::fp16);
  auto t = hw::job_single_device_time(fp32_only, hw::Flops(1e18), hw::Bytes(0), hw::Precision::fp16);
  REQUIRE(t);
  CHECK(t->precision == hw::Precision::fp32);
  CHECK(t->total.si() == doctest::Approx(1e18 / (10e12 * 0.5)));
  auto int8_only = d;
  int8_only.peak.clear();
  int8_only.peak[hw::Precision::int8] = hw::FlopsPerSecond(400e12);
  CHECK_FALSE(hw::job_single_device_time(int8_only, hw::Flops(1e18), hw::Bytes(0), hw::Precision::fp16));
}

TEST_CASE("job speed-up: n * eff^log2(n)") {
  CHECK(hw::job_speedup(1, 0.9) == doctest::Approx(1.0));
  CHECK(hw::job_speedup(2, 0.9) == doctest::Approx(1.8));
  CHECK(hw::job_speedup(8, 0.9) == doctest::Approx(8 * 0.729));
  CHECK(hw::job_speedup(6, 1.0) == doctest::Approx(6.0));
  CHECK(hw::job_speedup(3, 0.5) == doctest::Approx(3 * std::pow(0.5, std::log2(3.0))));
}
