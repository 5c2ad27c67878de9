#include "sim/hardware/media.hpp"
#include "sim/core/text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace hw {

RenderEstimate render_estimate(const HardwareProfile& hw, const BatchJob& job) {
  RenderEstimate r;
  if (job.render_samples <= 0) return r;
  const double capacity = hw.memory_capacity.si();
  if (job.scene_memory.si() > 0 && capacity > 0 && job.scene_memory.si() > capacity) {
    r.problem = fmt::format("{} job {}: its {} scene does not fit one accelerator of {} ({})", job.kind, job.id,
                            format_data(job.scene_memory), hw.id, format_data(hw.memory_capacity));
  }
  if (hw.render_speed.si() > 0) {
    // t_1 = samples / speed
    r.measured = true;
    r.single_device = Seconds(job.render_samples / hw.render_speed.si());
    r.note = fmt::format("{} job {}: timed from the render benchmark speed of {} ({} samples/min{}), not the roofline: {} samples take {} on one accelerator",
                         job.kind, job.id, hw.id, sig(hw.render_speed.si() * 60.0, 4),
                         hw.render_benchmark.empty() ? "" : ", " + hw.render_benchmark, format_count(job.render_samples),
                         format_time(r.single_device));
  } else if (job.total_flops.si() > 0 || job.total_bytes.si() > 0) {
    r.note = fmt::format("{} job {}: {} has no measured render speed: roofline on total_flops and total_bytes used", job.kind,
                         job.id, hw.id);
  } else if (!r.problem) {
    r.problem = fmt::format("{} job {}: {} has no measured render speed (profile key render.speed) and the job gives no "
                            "total_flops for the roofline",
                            job.kind, job.id, hw.id);
  }
  return r;
}

double decode_pixel_rate(const HardwareProfile& hw, const std::string& codec) {
  const auto it = hw.decode_1080p30.find(codec);
  return it == hw.decode_1080p30.end() ? 0.0 : it->second * kPixelRate1080p30;
}

std::optional<DecodeLoad> decode_load(const HardwareProfile& hw, const Video& v, PerSecond item_rate) {
  const double d = decode_pixel_rate(hw, v.codec);
  const double pixels = static_cast<double>(v.width) * v.height;
  const double lambda = item_rate.si();
  if (d <= 0 || pixels <= 0 || lambda <= 0) return std::nullopt;
  const double fps = v.fps.si() > 0 ? v.fps.si() : lambda;
  DecodeLoad x;
  x.frame_s = pixels / d;                       // w h / D
  x.busy_per_item_s = x.frame_s * fps / lambda;  // frame_s x f / lambda
  x.sources_per_accelerator = d / (pixels * fps);  // D / (w h f)
  x.note = fmt::format("{} decoders: {} sources of {}x{} {} at {} frames/s per accelerator ({} of decoder time per item, queued beside the cores; a frame's own {} decode and its wait for the decoders are in its latency)", hw.id,
                       sig(x.sources_per_accelerator, 4), v.width, v.height, v.codec, sig(fps, 4), format_time(Seconds(x.busy_per_item_s)),
                       format_time(Seconds(x.frame_s)));
  return x;
}

}  // namespace hw
