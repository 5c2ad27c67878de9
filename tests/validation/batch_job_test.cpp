// Batch jobs in the engine against hand arithmetic: a job's dataset crosses the site's
// backhaul (latency + size / bandwidth, CM02 with factors 1), then it computes on n
// devices for single_device_s / speedup(n), speedup(n) = n * eff^log2(n). Also: the
// candidate resolution that turns scenario batch jobs into BatchJobExec.
#include <doctest/doctest.h>

#include <cmath>

#include "closed_forms.hpp"
#include "sim/plan/deployment.hpp"
#include "sim/engine/engine.hpp"

using namespace hw;

namespace {

// A data centre of `servers` x `slots` accelerators, one site with a 1 Gbps / 20 ms
// backhaul, no streams, one job.
SimInput job_only(int servers, int slots, double single_s, double eff, double dataset_bytes) {
  SimInput in;
  in.label = "jobs";
  in.seed = 1;
  in.duration = Seconds(60);
  in.warmup = Seconds(5);
  in.dc_fabric_latency = Seconds(50e-6);
  SiteExec site;
  site.id = "s";
  site.access = LinkSpec{"custom", Seconds(1e-3), BitsPerSecond(100e6)};
  site.backhaul = LinkSpec{"custom", Seconds(20e-3), BitsPerSecond(1e9)};
  in.sites.push_back(site);
  in.dc.hardware = "gpu-server";
  in.dc.units = servers;
  in.dc.slots = slots;
  in.dc.power_idle = Watts(100);
  in.dc.power_max = Watts(1100);
  BatchJobExec j;
  j.id = "train";
  j.kind = "training";
  j.tier = Tier::dc;
  j.devices = servers * slots;
  j.single_device_s = single_s;
  j.scaling_efficiency = eff;
  j.dataset = Bytes(dataset_bytes);
  j.upload_site = 0;
  j.deadline_s = 0;
  in.jobs.push_back(j);
  return in;
}

RunResult run_one(const SimInput& in) {
  auto r = simulate_forked({in}, 1);
  REQUIRE(r.size() == 1);
  REQUIRE_MESSAGE(r[0].ok, r[0].error);
  return r[0];
}

double speedup(int n, double eff) { return n * std::pow(eff, std::log2(n)); }

}  // namespace

TEST_CASE("a batch job's makespan is upload (latency + size/bandwidth) plus single-device time / speedup") {
  // 1 GB over a 1 Gbps, 20 ms backhaul then the 50 us, 100 Gbps fabric: 8 s + 20.05 ms.
  // 2 servers x 4 GPUs, 1000 s on one device, 0.9 per doubling: 1000 / (8 * 0.729) s.
  const double single = 1000.0, eff = 0.9, bytes = 1e9;
  auto r = run_one(job_only(2, 4, single, eff, bytes));
  REQUIRE(r.jobs.size() == 1);
  const auto& j = r.jobs[0];
  const double upload = bytes * 8.0 / 1e9 + 20e-3 + 50e-6;
  const double compute = single / speedup(8, eff);
  CHECK(j.devices == 8);
  CHECK(j.upload_s == doctest::Approx(upload).epsilon(1e-6));
  CHECK(j.compute_s == doctest::Approx(compute).epsilon(1e-6));
  CHECK(j.makespan_s == doctest::Approx(upload + compute).epsilon(1e-6));
  // No streams: the run ends when the job does, not at the 60 s duration.
  CHECK(r.simulated_time_s == doctest::Approx(upload + compute).epsilon(1e-6));
  CHECK(r.streams.empty());
  // Energy: each device draws a quarter of its server's 1100 W maximum while computing.
  CHECK(j.energy_j == doctest::Approx(8 * 1100.0 / 4 * compute).epsilon(1e-9));
  // The data centre was busy computing for compute / (upload + compute) of the run.
  CHECK(r.dc.utilisation == doctest::Approx(compute / (upload + compute)).epsilon(1e-6));
  CHECK(r.dc.avg_power_w == doctest::Approx((2 * 100.0 * (upload + compute) + 2 * 1000.0 * compute) / (upload + compute)).epsilon(1e-6));
}

TEST_CASE("jobs without a dataset start at once. jobs run one after another. deadlines") {
  SimInput in = job_only(1, 2, 100.0, 0.8, 0.0);
  in.jobs[0].deadline_s = 70.0;   // 100 / (2 * 0.8) = 62.5 s: met
  BatchJobExec second = in.jobs[0];
  second.id = "render";
  second.kind = "rendering";
  second.single_device_s = 40.0;   // 25 s more, ends at 87.5 s
  second.deadline_s = 80.0;        // missed
  in.jobs.push_back(second);
  auto r = run_one(in);
  REQUIRE(r.jobs.size() == 2);
  CHECK(r.jobs[0].upload_s == 0.0);
  CHECK(r.jobs[0].makespan_s == doctest::Approx(62.5).epsilon(1e-9));
  CHECK(r.jobs[0].deadline_met);
  CHECK(r.jobs[1].compute_s == doctest::Approx(25.0).epsilon(1e-9));
  CHECK(r.jobs[1].makespan_s == doctest::Approx(87.5).epsilon(1e-9));
  CHECK_FALSE(r.jobs[1].deadline_met);
  CHECK(r.jobs[1].id == "render");
  CHECK(r.jobs[1].kind == "rendering");
}

TEST_CASE("a job outlives the streams' measurement and does not disturb its figures") {
  // A stream with zero service time on the edge, and a 500 s job on the data centre:
  // the streams stop after 20 s as usual, the job runs to 500 s.
  SimInput in = validation::pure_queue(50.0, 0.0, 1, ServiceDistribution::deterministic, 20.0, 2.0, 4);
  in.target_precision = 0;
  const RunResult alone = run_one(in);
  SimInput j = job_only(1, 1, 500.0, 0.9, 0.0);
  in.dc = j.dc;
  in.jobs = j.jobs;
  const RunResult both = run_one(in);
  REQUIRE(both.jobs.size() == 1);
  CHECK(both.jobs[0].makespan_s == doctest::Approx(500.0).epsilon(1e-9));
  CHECK(both.simulated_time_s == doctest::Approx(500.0).epsilon(1e-9));
  REQUIRE(both.streams.size() == 1);
  CHECK(both.streams[0].completed == alone.streams[0].completed);
  CHECK(both.streams[0].mean_s.value == alone.streams[0].mean_s.value);
  CHECK(both.streams[0].throughput_per_s == doctest::Approx(alone.streams[0].throughput_per_s));
  CHECK(both.stop_reason.find("batch jobs ran on") != std::string::npos);
}

TEST_CASE("beside streams, a batch job stays out of the tier's utilisation and power (an edge job runs at one site only)") {
  // 200 identical sites, one simulated and scaled. Each has one 2-slot unit (5 W idle, 25 W
  // at full load) serving 20 requests/s of 10 ms: 10% busy. An edge job keeps both slots of
  // the simulated site's unit busy through the whole window. Scaled with the site, it read
  // as every one of the 200 units at 100% and 25 W (5000 W); the job runs at one site, once
  // per run, and its own figures are in jobs[] (the planner prices them per run).
  SimInput in = validation::pure_queue(20.0, 0.01, 2, ServiceDistribution::deterministic, 20.0, 2.0, 4);
  in.target_precision = 0;
  in.sites[0].count = 200;
  in.edge.power_idle = Watts(5);
  in.edge.power_max = Watts(25);
  const RunResult alone = run_one(in);
  BatchJobExec j;
  j.id = "retrain";
  j.kind = "training";
  j.tier = Tier::edge;
  j.devices = 2;
  j.single_device_s = 400.0;  // 2 devices, 0.9 per doubling: 222 s, past the 20 s window
  j.scaling_efficiency = 0.9;
  j.upload_site = 0;
  in.jobs.push_back(j);
  const RunResult both = run_one(in);
  REQUIRE(both.jobs.size() == 1);
  CHECK(both.jobs[0].compute_s > 20.0);
  CHECK(both.jobs[0].energy_j > 0);
  CHECK(alone.edge.utilisation == doctest::Approx(0.1).epsilon(0.05));
  CHECK(alone.edge.avg_power_w == doctest::Approx(200 * (5 + 20 * alone.edge.utilisation)).epsilon(1e-6));
  // The streams' services share the cores with the job's executions and take longer, so the
  // streams' busy share may grow (up to x1.5 with three executions on two cores), but the
  // job's own compute is not in it.
  CHECK(both.edge.utilisation >= alone.edge.utilisation * 0.99);
  CHECK(both.edge.utilisation <= alone.edge.utilisation * 1.6);
  CHECK(both.edge.avg_power_w == doctest::Approx(200 * (5 + 20 * both.edge.utilisation)).epsilon(1e-6));
  CHECK(both.edge.avg_power_w < 2000.0);
}

TEST_CASE("an upload shares the backhaul with a stream's traffic") {
  // Streams to the data centre take half of the backhaul's capacity only while both flow;
  // here a periodic stream of 1 MB every 100 ms (80 Mbit/s of 1 Gbit/s) slows the upload
  // a little: the upload takes longer than alone, but less than twice as long.
  SimInput in = job_only(1, 1, 1.0, 0.9, 1e9);
  const RunResult alone = run_one(in);
  StreamExec st;
  st.id = "cam";
  st.arrival.kind = ArrivalKind::periodic;
  st.arrival.rate = PerSecond(10);
  st.payload = Bytes(1e6);
  st.return_result = false;
  st.slo.latency = Seconds(10);
  StageExec stage;
  stage.id = "x";
  stage.tier = Tier::dc;
  stage.service_s = {0.0};
  st.stages.push_back(stage);
  in.streams.push_back(st);
  in.target_precision = 0;
  in.duration = Seconds(30);
  const RunResult shared = run_one(in);
  INFO("upload alone " << alone.jobs[0].upload_s << " s, with the stream " << shared.jobs[0].upload_s << " s");
  CHECK(shared.jobs[0].upload_s > alone.jobs[0].upload_s * 1.01);
  CHECK(shared.jobs[0].upload_s < alone.jobs[0].upload_s * 2.0);
}

// ------------------------------------------------------------ resolve_candidate

namespace {

Catalogue job_catalogue() {
  Catalogue cat;
  HardwareProfile gpu;
  gpu.id = "quad-gpu-server";
  gpu.klass = HardwareClass::gpu_server;
  gpu.accelerators = 4;
  gpu.peak[Precision::fp16] = FlopsPerSecond(100e12);
  gpu.peak[Precision::fp32] = FlopsPerSecond(25e12);
  gpu.memory_bandwidth = BytesPerSecond(1e12);
  gpu.efficiency_compute = 0.5;
  gpu.efficiency_memory = 0.5;
  gpu.power_idle = Watts(200);
  gpu.power_max = Watts(1200);
  cat.profiles[gpu.id] = gpu;
  HardwareProfile box = gpu;
  box.id = "edge-box";
  box.klass = HardwareClass::edge;
  box.accelerators = 1;
  box.peak.erase(Precision::fp16);  // fp32 only
  cat.profiles[box.id] = box;
  return cat;
}

Scenario job_scenario() {
  Scenario s;
  s.name = "jobs";
  Site site;
  site.id = "plant";
  site.count = 3;
  site.access = LinkSpec{"wired", Seconds(1e-3), BitsPerSecond(1e9)};
  site.backhaul = LinkSpec{"wan", Seconds(10e-3), BitsPerSecond(1e9)};
  s.sites.push_back(site);
  BatchJob j;
  j.id = "llm-ft";
  j.kind = "training";
  j.total_flops = Flops(1e18);
  j.total_bytes = Bytes(1e15);
  j.dataset = Bytes(50e9);
  j.precision = Precision::fp16;
  j.min_devices = 8;
  j.scaling_efficiency = 0.9;
  j.deadline = Seconds(86400);
  s.batch_jobs.push_back(j);
  return s;
}

}  // namespace

TEST_CASE("resolve_candidate: batch jobs on all data-centre accelerators, with the roofline time") {
  const Catalogue cat = job_catalogue();
  const Scenario s = job_scenario();
  CandidateSpec c;
  c.family = Family::gpu;
  c.gpu_hardware = "quad-gpu-server";
  c.servers = 2;
  auto rc = resolve_candidate(s, cat, c);
  CHECK_FALSE(rc.infeasible);
  REQUIRE(rc.input.jobs.size() == 1);
  const auto& j = rc.input.jobs[0];
  CHECK(j.tier == Tier::dc);
  CHECK(j.devices == 8);
  // max(1e18 / (100e12 * 0.5), 1e15 / (1e12 * 0.5)) = max(20000, 2000) s
  CHECK(j.single_device_s == doctest::Approx(20000.0));
  CHECK(j.dataset.si() == doctest::Approx(50e9));
  CHECK(j.upload_site == 0);
  CHECK(j.deadline_s == doctest::Approx(86400.0));
  CHECK(j.scaling_efficiency == doctest::Approx(0.9));
  CHECK(rc.input.streams.empty());
}

TEST_CASE("resolve_candidate: too few devices for a batch job is infeasible, with the numbers") {
  const Catalogue cat = job_catalogue();
  const Scenario s = job_scenario();
  CandidateSpec c;
  c.family = Family::gpu;
  c.gpu_hardware = "quad-gpu-server";
  c.servers = 1;
  auto rc = resolve_candidate(s, cat, c);
  REQUIRE(rc.infeasible);
  CHECK(*rc.infeasible == "training job llm-ft needs 8 devices, 1 x quad-gpu-server has 4");

  // Edge-only: one site's units, as many as min_devices asks there alone (edge.job_units: 8
  // one-device boxes; 80000 s / (8 x 0.9^3) = 13717 s is within the 1 d deadline), the other
  // sites keeping their 2; the job's data is already on site; fp16 falls back to fp32.
  CandidateSpec e;
  e.family = Family::edge;
  e.edge_hardware = "edge-box";
  e.units_per_site = 2;
  auto re = resolve_candidate(s, cat, e);
  CHECK_FALSE(re.infeasible);
  CHECK(re.input.edge.units == 2);
  CHECK(re.input.edge.job_units == 8);
  CHECK(re.label == "edge edge-box x2/site + 6 at plant for batch jobs");
  REQUIRE(re.input.jobs.size() == 1);
  CHECK(re.input.jobs[0].devices == 8);
  CHECK(re.input.jobs[0].tier == Tier::edge);
  CHECK(re.input.jobs[0].dataset.si() == 0.0);
  CHECK(re.input.jobs[0].single_device_s == doctest::Approx(1e18 / (25e12 * 0.5)));
  bool noted = false;
  for (const auto& n : re.notes) noted = noted || n.find("runs at fp32") != std::string::npos;
  CHECK(noted);
}
