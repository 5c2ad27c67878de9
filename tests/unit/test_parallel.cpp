// Multi-GPU servers (sim/hardware/parallel): all-reduce time, data-parallel scaling of batch
// jobs (against NVIDIA's published 8- and 16-GPU scaling), and the split of a served model
// over k GPUs. Synthetic devices with round numbers; every expected value worked by hand.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/hardware/parallel.hpp"

namespace {

// 8 GPUs, 450 GB/s NVLink per direction, 10 us per small all-reduce, 50 GB/s to other servers.
hw::HardwareProfile nvlink_server() {
  hw::HardwareProfile p;
  p.id = "nvlink-server";
  p.accelerators = 8;
  p.peak[hw::Precision::fp16] = hw::FlopsPerSecond(1000e12);
  p.memory_bandwidth = hw::BytesPerSecond(1e12);
  p.memory_capacity = hw::Bytes(80e9);
  p.efficiency_compute = 0.5;
  p.efficiency_memory = 1.0;
  p.interconnect = "nvlink4";
  p.interconnect_bandwidth = hw::BytesPerSecond(450e9);
  p.interconnect_latency = hw::Seconds(10e-6);
  p.scale_out_bandwidth = hw::BytesPerSecond(50e9);
  return p;
}

// 100 GB of fp16 weights (does not fit one 80 GB GPU), 200 GFLOP and 1 GB of KV cache per
// item, 10 layers of width 1000.
hw::WorkloadModel big_model() {
  hw::WorkloadModel m;
  m.id = "big";
  m.flops_per_item = hw::Flops(200e9);
  m.weights = hw::Bytes(100e9);
  m.memory_per_item = hw::Bytes(1e9);
  m.precision = hw::Precision::fp16;
  m.precisions = {hw::Precision::fp16};
  m.layers = 10;
  m.hidden = 1000;
  return m;
}

}  // namespace

TEST_CASE("all-reduce: ring over the interconnect, scale-out past one server") {
  const auto p = nvlink_server();
  // k = 8: 10 us + 2 x 7/8 x 1e9 B / 450e9 B/s = 10 us + 3.8889 ms = 3.8989 ms
  CHECK(hw::allreduce_time(p, hw::Bytes(1e9), 8)->si() == doctest::Approx(3.8989e-3).epsilon(1e-4));
  CHECK(hw::allreduce_time(p, hw::Bytes(1e9), 1)->si() == 0.0);
  // k = 16 > 8 GPUs: the ring crosses the 50 GB/s NICs: 10 us + 2 x 15/16 x 1e9 / 50e9 = 37.51 ms
  CHECK(hw::allreduce_time(p, hw::Bytes(1e9), 16)->si() == doctest::Approx(37.51e-3).epsilon(1e-4));
  auto no_nic = p;
  no_nic.scale_out_bandwidth = hw::BytesPerSecond(0);
  CHECK_FALSE(hw::allreduce_time(no_nic, hw::Bytes(1e9), 16));
  auto no_link = p;
  no_link.interconnect_bandwidth = hw::BytesPerSecond(0);
  CHECK_FALSE(hw::allreduce_time(no_link, hw::Bytes(1e9), 2));
}

TEST_CASE("data parallel: speed-up from the gradient all-reduce per step") {
  const auto p = nvlink_server();
  // T1 = 8000 s, 1000 steps, 1 GB of gradients on 8 GPUs:
  // t = 8000/8 + 1000 x 3.8989 ms = 1003.8989 s; speed-up = 7.9689; efficiency = 0.99612
  auto d = hw::data_parallel(p, 8, hw::Seconds(8000), 1000, hw::Bytes(1e9));
  REQUIRE(d);
  CHECK(d->communication.si() == doctest::Approx(3.8989).epsilon(1e-4));
  CHECK(d->speedup == doctest::Approx(7.9689).epsilon(1e-4));
  CHECK(d->efficiency == doctest::Approx(0.99612).epsilon(1e-4));
  CHECK_FALSE(hw::data_parallel(p, 8, hw::Seconds(8000), 0, hw::Bytes(1e9)));
  // the engine's n e^log2(n) form: 8 x 0.9^3 = 8 x 0.729
  CHECK(hw::per_doubling_efficiency(8, 0.729) == doctest::Approx(0.9));
  CHECK(hw::per_doubling_efficiency(1, 0.5) == 1.0);
}

TEST_CASE("data parallel against NVIDIA's published BERT-large pre-training scaling") {
  // Published (NVIDIA/DeepLearningExamples, BERT README, "Training performance results",
  // TensorFlow 19.03, FP16 mixed precision, batch 14 per GPU): DGX-1 8x V100 32G: 1 GPU
  // 26.04 sentences/s, 8 GPUs 199.35 (weak scaling 7.65, efficiency 0.956); DGX-2 16x V100:
  // 1 GPU 28.28, 16 GPUs 416.64 (14.73, 0.921). DGX-1 8x V100 16G, batch 4: 1 GPU 19.46,
  // 8 GPUs 151.35 (7.77, 0.971).
  // Model: V100 SXM2 NVLink 2, 300 GB/s per GPU both ways = 150 GB/s per direction (NVIDIA
  // V100 datasheet, recalled; DGX-2's NVSwitch gives each GPU the same), 10 us per small
  // all-reduce (estimate); BERT-large 340 M parameters, FP16 gradients = 0.68 GB per step.
  hw::HardwareProfile v100 = nvlink_server();
  v100.accelerators = 16;
  v100.interconnect_bandwidth = hw::BytesPerSecond(150e9);
  const hw::Bytes grad(340e6 * 2);
  struct Row {
    int gpus;
    double step_s;     // batch per GPU / one GPU's sentences/s
    double published;  // weak-scaling efficiency
    double expected;   // hand-worked: step / (step + AR), AR = 10 us + 2 (n-1)/n x 0.68e9 / 150e9
  };
  // 8 GPUs: AR = 10 us + 7.933 ms = 7.943 ms; 16 GPUs: AR = 10 us + 8.5 ms = 8.51 ms
  const Row rows[] = {
      {8, 14 / 26.04, 7.65 / 8, 0.53763 / (0.53763 + 0.007943)},    // 0.9854: +3.1% vs 0.956
      {16, 14 / 28.28, 14.73 / 16, 0.49505 / (0.49505 + 0.00851)},  // 0.9831: +6.8% vs 0.921
      {8, 4 / 19.46, 7.77 / 8, 0.20555 / (0.20555 + 0.007943)},     // 0.9628: -0.9% vs 0.971
  };
  for (const Row& r : rows) {
    // weak scaling as a fixed job: T1 = steps x n x step time, the same steps on n GPUs
    const double steps = 1000;
    auto d = hw::data_parallel(v100, r.gpus, hw::Seconds(steps * r.gpus * r.step_s), steps, grad);
    REQUIRE(d);
    CHECK(d->efficiency == doctest::Approx(r.expected).epsilon(1e-3));
    // within 10% of the published efficiency (the model leaves out data loading and stragglers)
    CHECK(std::abs(d->efficiency / r.published - 1) < 0.10);
  }
}

TEST_CASE("job scaling: the scenario's scaling_efficiency overrides, else computed, else the default") {
  const auto p = nvlink_server();
  hw::BatchJob j;
  j.id = "t";
  j.kind = "training";
  j.precision = hw::Precision::fp16;
  j.parameters = 0.5e9;  // 1 GB of fp16 gradients
  j.steps = 1000;
  auto computed = hw::job_scaling(p, j, 8, hw::Seconds(8000));
  CHECK(computed.computed);
  CHECK(computed.efficiency == doctest::Approx(0.99612).epsilon(1e-4));  // as above
  CHECK(std::pow(computed.per_doubling, 3) == doctest::Approx(0.99612).epsilon(1e-4));
  CHECK(computed.note.find("99.6% inter-GPU efficiency") != std::string::npos);
  j.scaling_efficiency = 0.8;
  j.scaling_efficiency_given = true;
  auto given = hw::job_scaling(p, j, 8, hw::Seconds(8000));
  CHECK_FALSE(given.computed);
  CHECK(given.per_doubling == 0.8);
  CHECK(given.efficiency == doctest::Approx(0.512));  // 0.8^3
  j.scaling_efficiency_given = false;
  j.scaling_efficiency = 0.9;
  j.steps = 0;
  auto fallback = hw::job_scaling(p, j, 8, hw::Seconds(8000));
  CHECK_FALSE(fallback.computed);
  CHECK(fallback.per_doubling == 0.9);
}

TEST_CASE("tensor and pipeline parallel batch times") {
  const auto p = nvlink_server();
  const auto m = big_model();
  const hw::ModelSplit tp2{hw::SplitKind::tensor, 2}, pp2{hw::SplitKind::pipeline, 2};
  // TP2, batch 1: max(200e9 / (2 x 1e15 x 0.5) = 0.2 ms, 100e9 / (2 x 1e12) = 50 ms)
  //   + 2 x 10 layers x (10 us + 2 x 1/2 x 2000 B / 450e9) = 50 ms + 20 x 10.0044 us = 50.20009 ms
  CHECK(hw::split_batch_time(p, m, hw::Precision::fp16, 1, tp2).si() == doctest::Approx(50.20009e-3).epsilon(1e-6));
  // PP2, batch 1: one micro-batch, (1 + 2 - 1) x 50 ms + (10 us + 2000 B / 450e9) = 100.010004 ms
  CHECK(hw::split_batch_time(p, m, hw::Precision::fp16, 1, pp2).si() == doctest::Approx(100.010004e-3).epsilon(1e-6));
  // PP2, batch 32: two micro-batches of 16: (2 + 1) x 50 ms + (10 us + 16 x 2000 / 450e9) = 150.01007 ms
  CHECK(hw::split_batch_time(p, m, hw::Precision::fp16, 32, pp2).si() == doctest::Approx(150.01007e-3).epsilon(1e-6));
  // memory: 80 GB - 100/2 GB of weights = 30 GB free, 0.5 GB of KV per item -> 60
  CHECK(hw::split_max_batch(p, m, hw::Precision::fp16, 1000, tp2) == 60);
  CHECK(hw::split_max_batch(p, m, hw::Precision::fp16, 1000, {}) == 0);
  CHECK(hw::split_fit_problem(p, m, std::nullopt, {}));
  CHECK_FALSE(hw::split_fit_problem(p, m, std::nullopt, tp2));
}

TEST_CASE("choose_split: memory fit first, then latency, then throughput per GPU") {
  const auto p = nvlink_server();
  const auto m = big_model();
  const std::vector<hw::SplitNeed> need{{&m, std::nullopt}};
  // Batch 32, per GPU: TP2 32 / 50.203 ms / 2 = 318.7/s; TP4 32 / 25.204 ms / 4 = 317.4/s;
  // TP8 32 / 12.705 ms / 8 = 314.8/s; PP2 32 / 150 ms / 2 = 106.7/s. One GPU does not fit. -> TP2
  CHECK(*hw::choose_split(p, need, 32) == hw::ModelSplit{hw::SplitKind::tensor, 2});
  // Batch-1 bound 30 ms: TP2 (50.2 ms) misses it; TP4 (25.2 ms) and TP8 (12.7 ms) meet it,
  // TP4 has more throughput per GPU -> TP4
  CHECK(*hw::choose_split(p, need, 32, hw::Seconds(30e-3)) == hw::ModelSplit{hw::SplitKind::tensor, 4});
  // No split meets 1 ms: the fastest batch-1 split, TP8 (12.5 ms + 20 x ~10 us)
  CHECK(*hw::choose_split(p, need, 32, hw::Seconds(1e-3)) == hw::ModelSplit{hw::SplitKind::tensor, 8});
  // Without layers and hidden only pipeline splits remain: PP2 (106.7/s) beats PP4
  // (4 micro-batches of 8: (4 + 3) x 25 ms = 175 ms -> 45.7/s)
  auto no_shape = m;
  no_shape.layers = 0;
  no_shape.hidden = 0;
  const std::vector<hw::SplitNeed> need2{{&no_shape, std::nullopt}};
  CHECK(*hw::choose_split(p, need2, 32) == hw::ModelSplit{hw::SplitKind::pipeline, 2});
  // Without an interconnect no split: nothing fits
  auto alone = p;
  alone.interconnect_bandwidth = hw::BytesPerSecond(0);
  CHECK_FALSE(hw::choose_split(alone, need, 32));
  // A model that fits one GPU stays whole when that gives the most per GPU: 10 GB, batch 32
  // is compute-bound, whole 32 x 200e9 / 0.5e15 = 12.8 ms -> 2500/s; TP2 6.4 ms + 20 x ~10 us
  // of all-reduces = 6.6 ms -> 2424/s per GPU
  auto small = m;
  small.weights = hw::Bytes(10e9);
  small.memory_per_item = hw::Bytes(0);
  const std::vector<hw::SplitNeed> need3{{&small, std::nullopt}};
  CHECK(*hw::choose_split(p, need3, 32) == hw::ModelSplit{});
}
