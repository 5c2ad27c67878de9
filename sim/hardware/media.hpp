// Rendering from measured speeds and video decoding: two device figures that the roofline
// of perf_model.hpp does not see. Pure functions, no SimGrid.
//
// Rendering. A path tracer's speed is set by ray traversal (RT cores, caches, divergence),
// not by the FLOP and DRAM figures of a profile, so a rendering job is timed from a public
// per-device benchmark when the profile has one (`render.speed`, e.g. the Blender Benchmark
// score: samples per minute summed over its scenes, Blender Open Data). The job states its
// work in the same unit, samples of the benchmark's scenes (render.samples):
//
//   t_1 = samples / speed                      (one accelerator; the roofline only without a speed)
//
// and the scene must fit one accelerator's memory (render.scene_memory <= memory.capacity).
// Limits: a production scene's sample costs a fixed multiple of a benchmark sample, whatever
// the device (the job converts once); out-of-core rendering is not modelled.
//
// Decoding. A camera stream must be decoded before its frames are inferred; the decoders
// (NVDEC, NVJPG) are engines of their own beside the GPU's cores. With D the pixel rate one
// accelerator's decoders sustain for the codec (decode.<codec> x 1920x1080x30 /s), a source
// of w x h pixels at f frames/s whose items reach the first stage at lambda per second:
//
//   frame_s = w h / D                          decode time of one frame at the decoders' full rate
//   busy_per_item = frame_s x f / lambda       decoder time per item (every frame is decoded,
//                                              even when fewer are inferred)
//
// The decoders are engines beside the GPU's cores: their time is not added to the inference
// time t, and a slot's capacity is min(1 / t, 1 / busy_per_item), the smaller of inference and
// decoding, which the planner's bounds use. The engine queues the decoders' work itself
// (StreamExec::decode_busy_s, one set of decoders per slot, first come first served): an item
// waits until the frames queued before it are decoded, then its own frame takes frame_s, and
// both go into its latency (StreamExec::decode_s = frame_s). At low load the wait is zero and
// an item's latency holds one frame's decode, not the f / lambda frames its source sent since
// the last item (they were decoded while the decoders were otherwise idle). Sources per
// accelerator the decoders allow: D / (w h f). Limits: decoders shared evenly by the
// accelerator's streams; the frames not analysed reach the decoders as a steady flow at the
// stream's mean rate (a diurnal stream's at its hour's), not frame by frame; one engine alone
// takes longer than frame_s where a device has several.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/hardware/profile.hpp"
#include "sim/workload/scenario.hpp"

namespace hw {

// ---- Rendering

struct RenderEstimate {
  bool measured = false;               // single_device comes from the profile's measured speed
  Seconds single_device;               // the whole job on one accelerator (when measured)
  std::optional<std::string> problem;  // why the device cannot run the job
  std::string note;                    // which model timed it, for the report ("" when no render work is given)
};

// A job without render.samples gets an empty estimate (the roofline path, no note).
RenderEstimate render_estimate(const HardwareProfile& hw, const BatchJob& job);

// ---- Decoding

inline constexpr double kPixelRate1080p30 = 1920.0 * 1080.0 * 30.0;  // pixels per second

// Pixels per second one accelerator's decoders sustain for `codec`; 0 when the profile gives none.
double decode_pixel_rate(const HardwareProfile& hw, const std::string& codec);

struct DecodeLoad {
  double frame_s = 0.0;                  // one frame at the decoders' full rate (in the latency, not in t: see above)
  double busy_per_item_s = 0.0;          // decoder time per item reaching the first stage
  double sources_per_accelerator = 0.0;  // sources the decoders of one accelerator sustain
  std::string note;                      // for the report
};

// The decoder load of a stream whose items arrive at `item_rate` per source; nothing when the
// device has no decoder figure for the codec (decoding is then not modelled).
std::optional<DecodeLoad> decode_load(const HardwareProfile& hw, const Video& v, PerSecond item_rate);


}  // namespace hw
