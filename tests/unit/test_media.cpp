// Rendering from measured speeds and video decoding (sim/hardware/media.hpp), with
// hand-worked values.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sim/hardware/media.hpp"

namespace {

hw::HardwareProfile device(double render_per_min, double memory_gb) {
  hw::HardwareProfile p;
  p.id = "dev";
  p.peak[hw::Precision::fp32] = hw::FlopsPerSecond(10e12);
  p.memory_capacity = hw::Bytes(memory_gb * 1e9);
  p.memory_bandwidth = hw::BytesPerSecond(100e9);
  p.render_speed = hw::PerSecond(render_per_min / 60.0);
  return p;
}

hw::BatchJob render_job(double samples, double scene_gb) {
  hw::BatchJob j;
  j.id = "film";
  j.kind = "rendering";
  j.render_samples = samples;
  j.scene_memory = hw::Bytes(scene_gb * 1e9);
  return j;
}

}  // namespace

TEST_CASE("render: a measured speed times the job, samples / speed") {
  // 600 samples/min = 10 samples/s; 36,000 samples / 10 /s = 3600 s.
  const auto r = hw::render_estimate(device(600, 48), render_job(36000, 40));
  CHECK(r.measured);
  CHECK(r.single_device.si() == doctest::Approx(3600.0));
  CHECK_FALSE(r.problem);
  CHECK(r.note.find("timed from the render benchmark speed of dev (600 samples/min), not the roofline") != std::string::npos);
  CHECK(r.note.find("take 1 h on one accelerator") != std::string::npos);
}

TEST_CASE("render: a scene larger than the device's memory makes it unable to run the job") {
  // 40 GB scene, 24 GB per accelerator: does not fit, even though the speed is measured.
  const auto r = hw::render_estimate(device(600, 24), render_job(36000, 40));
  REQUIRE(r.problem);
  CHECK(r.problem->find("40 GB scene does not fit one accelerator of dev (24 GB)") != std::string::npos);
  // 24 GB exactly fits: the bound is <=.
  CHECK_FALSE(hw::render_estimate(device(600, 24), render_job(36000, 24)).problem);
}

TEST_CASE("render: without a measured speed the roofline is used, and said so") {
  auto j = render_job(36000, 0);
  j.total_flops = hw::Flops(1e18);
  const auto r = hw::render_estimate(device(0, 48), j);
  CHECK_FALSE(r.measured);
  CHECK_FALSE(r.problem);
  CHECK(r.note.find("no measured render speed: roofline") != std::string::npos);
  // Neither a speed nor FLOPs: nothing can time the job.
  const auto none = hw::render_estimate(device(0, 48), render_job(36000, 0));
  REQUIRE(none.problem);
  CHECK(none.problem->find("no measured render speed (profile key render.speed)") != std::string::npos);
  // A job not stated in samples keeps the roofline path without a note.
  hw::BatchJob plain;
  plain.total_flops = hw::Flops(1e18);
  const auto p = hw::render_estimate(device(600, 48), plain);
  CHECK_FALSE(p.measured);
  CHECK(p.note.empty());
}

TEST_CASE("decode: frame time, decoder time per item and sources per accelerator") {
  hw::HardwareProfile p = device(0, 8);
  p.decode_1080p30["h264"] = 10;  // D = 10 x 1920x1080x30 = 622,080,000 pixels/s
  hw::Video v{"h264", 1920, 1080, hw::PerSecond(15)};
  // Items reach the first stage at 5 /s per camera; every one of the 15 frames/s is decoded.
  const auto d = hw::decode_load(p, v, hw::PerSecond(5));
  REQUIRE(d);
  CHECK(d->frame_s == doctest::Approx(1.0 / 300));          // 2,073,600 / 622,080,000 = 3.33 ms
  CHECK(d->busy_per_item_s == doctest::Approx(0.01));       // 3.33 ms x 15 / 5 = 10 ms
  CHECK(d->sources_per_accelerator == doctest::Approx(20));  // 622,080,000 / (2,073,600 x 15) = 20
  // fps absent: the arrival rate; 4K (4x the pixels) at 30 frames/s: 10 x 30 / 4 / 30 = 2.5 sources.
  hw::Video uhd{"h264", 3840, 2160, hw::PerSecond(0)};
  const auto u = hw::decode_load(p, uhd, hw::PerSecond(30));
  REQUIRE(u);
  CHECK(u->sources_per_accelerator == doctest::Approx(2.5));
  CHECK(u->busy_per_item_s == doctest::Approx(4.0 / 300));  // 8,294,400 / 622,080,000 = 13.3 ms
  // No figure for the codec: decoding is not modelled.
  CHECK_FALSE(hw::decode_load(p, hw::Video{"h265", 1920, 1080, hw::PerSecond(15)}, hw::PerSecond(5)));
}

// ---- Through the resolver (sim/plan/deployment.cpp's hooks), on the bundled scenarios

#include "sim/io/loaders.hpp"
#include "sim/plan/bounds.hpp"
#include "sim/plan/deployment.hpp"

namespace {

const hw::Catalogue& bundled() {
  static const hw::Catalogue c = hw::load_catalogue(HWPLAN_SOURCE_DIR "/hardware_profiles", HWPLAN_SOURCE_DIR "/scenarios/models");
  return c;
}

}  // namespace

TEST_CASE("decode: city-cctv's decoders are a queue of their own, and they bound each device's sizing") {
  const auto s = hw::load_scenario(HWPLAN_SOURCE_DIR "/scenarios/city-cctv.yaml", bundled());
  hw::Scenario no_video = s;
  no_video.streams[0].video.reset();
  const double items_per_site = s.streams[0].arrival.rate.si() * s.streams[0].sources;
  // Orin Nano Super: 7 H.264 1080p30 streams, D = 7 x 62,208,000 = 435,456,000 px/s; a
  // 1920x1080 frame 2,073,600 px -> 1/210 s = 4.76 ms per item (15 frames/s, 15 items/s),
  // longer than YOLOv8n's INT8 inference there: the decoders, not the cores, bound a unit.
  hw::CandidateSpec edge;
  edge.family = hw::Family::edge;
  edge.edge_hardware = "jetson-orin-nano-super";
  const auto e = hw::resolve_candidate(s, bundled(), edge);
  const auto e0 = hw::resolve_candidate(no_video, bundled(), edge);
  REQUIRE_FALSE(e.infeasible);
  const auto& es = e.input.streams[0];
  CHECK(es.decode_busy_s == doctest::Approx(1.0 / 210));
  CHECK(es.decode_s == doctest::Approx(1.0 / 210));
  // The first stage's service times are the inference alone (the decoders work beside it).
  CHECK(es.stages[0].service_s == e0.input.streams[0].stages[0].service_s);
  CHECK(es.stages[0].service_s[0] < 1.0 / 210);
  // So the bound sizes the sites by the decoders: busy slots = items/s x 4.76 ms.
  const auto be = hw::analytic_bound(s, bundled(), edge);
  const auto be0 = hw::analytic_bound(no_video, bundled(), edge);
  CHECK(be.edge_load == doctest::Approx(items_per_site / 210));
  CHECK(be.edge_load > be0.edge_load);
  CHECK(be.units_per_site >= be0.units_per_site);
  // Jetson AGX Orin 64GB: 13 H.264 1080p30 streams (22 H.265 from NVIDIA's module table x 0.6;
  // was 26, from AGX Xavier's 44 H.265): 2,073,600 / (13 x 62,208,000) = 2.564 ms per frame,
  // 26 cameras at 15 fps per unit (was 52).
  hw::CandidateSpec agx;
  agx.family = hw::Family::edge;
  agx.edge_hardware = "jetson-agx-orin-64gb";
  const auto a = hw::resolve_candidate(s, bundled(), agx);
  REQUIRE_FALSE(a.infeasible);
  CHECK(a.input.streams[0].decode_busy_s == doctest::Approx(2073600.0 / (13 * hw::kPixelRate1080p30)));
  // 4xL4 server, per GPU 76 streams: 2,073,600 / 4,727,808,000 = 0.4386 ms per item; a batch
  // of 32 is timed by inference alone.
  hw::CandidateSpec gpu;
  gpu.family = hw::Family::gpu;
  gpu.gpu_hardware = "l4x4-server";
  gpu.batching.max_batch = 32;
  const auto g = hw::resolve_candidate(s, bundled(), gpu);
  REQUIRE_FALSE(g.infeasible);
  REQUIRE(g.input.streams[0].stages[0].service_s.size() == 32);
  CHECK(g.input.streams[0].decode_busy_s == doctest::Approx(2073600.0 / (76 * hw::kPixelRate1080p30)));
  bool noted = false;
  for (const auto& n : g.notes) noted = noted || n.find("l4x4-server decoders: 152 sources of 1920x1080 h264") != std::string::npos;
  CHECK(noted);  // 4,727,808,000 / (2,073,600 x 15) = 152 cameras per GPU
}

TEST_CASE("render: film-rendering is timed from the profiles' benchmark speeds, and the scene must fit") {
  const auto s = hw::load_scenario(HWPLAN_SOURCE_DIR "/scenarios/film-rendering.yaml", bundled());
  hw::CandidateSpec l40s;
  l40s.family = hw::Family::gpu;
  l40s.gpu_hardware = "nvidia-l40s";
  const auto r = hw::resolve_candidate(s, bundled(), l40s);
  REQUIRE_FALSE(r.infeasible);
  // 6.9e10 samples / (10,900 / 60 samples/s) = 379,816,514 s on one L40S.
  CHECK(r.input.jobs[0].single_device_s == doctest::Approx(6.9e10 * 60 / 10900));
  // The 4xL4 server's 24 GB per GPU cannot hold the 40 GB scene.
  hw::CandidateSpec l4;
  l4.family = hw::Family::gpu;
  l4.gpu_hardware = "l4x4-server";
  const auto x = hw::resolve_candidate(s, bundled(), l4);
  REQUIRE(x.infeasible);
  CHECK(x.infeasible->find("40 GB scene does not fit one accelerator of l4x4-server (24 GB)") != std::string::npos);
}

TEST_CASE("decode: a trace stream's decoders are modelled at the trace's rate (its rate key is 0)") {
  // factory-vision replaying a trace of 15 items/s per camera x 8 cameras = 120 /s for 60 s:
  // before, decode_load got the stream's rate, 0 for a trace, and the note said the Orin Nano
  // had "no jpeg decoder figure" though it has one.
  auto s = hw::load_scenario(HWPLAN_SOURCE_DIR "/scenarios/factory-vision.yaml", bundled());
  REQUIRE(s.streams[0].video);
  const auto dir = std::filesystem::temp_directory_path() / ("hwplan-trace-decode-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "t.csv";
  {
    std::ofstream out(file);
    for (int i = 0; i < 120 * 60; ++i) out << i / 120.0 << "\n";
  }
  hw::Stream& st = s.streams[0];
  const double per_camera = st.arrival.rate.si();
  st.arrival.kind = hw::ArrivalKind::trace;
  st.arrival.trace_file = file.string();
  st.arrival.rate = hw::PerSecond(0);
  s.duration = hw::Seconds(60);
  hw::CandidateSpec edge;
  edge.family = hw::Family::edge;
  edge.edge_hardware = "jetson-orin-nano-super";
  edge.units_per_site = 1;
  const auto r = hw::resolve_candidate(s, bundled(), edge);
  std::filesystem::remove_all(dir);
  REQUIRE_FALSE(r.infeasible);
  const auto& ex = r.input.streams[0];
  // 120 /s over 8 sources = 15 /s a camera, its fps: one frame of decoder work per item.
  CHECK(ex.decode_s > 0);
  CHECK(ex.decode_busy_s == doctest::Approx(ex.decode_s * st.video->fps.si() / (120.0 / st.sources)));
  CHECK(per_camera == doctest::Approx(120.0 / st.sources));
  bool noted = false, wrong = false;
  for (const auto& n : r.notes) {
    noted = noted || n.find("jetson-orin-nano-super decoders:") != std::string::npos;
    wrong = wrong || n.find("no jpeg decoder figure") != std::string::npos;
  }
  CHECK(noted);
  CHECK_FALSE(wrong);
}
