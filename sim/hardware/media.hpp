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
//   t'(b) = max( t(b),  b x busy_per_item )
//
// so a slot's capacity is min(1 / t, 1 / busy_per_item): the smaller of inference and
// decoding, which the planner's utilisation bounds and the simulation then see. The decoders
// work beside the GPU's cores, so their time is not added to the inference time t. A frame's own
// decode must end before its inference starts: frame_s is the same delay for every item, which
// the engine adds to each item's latency (StreamExec::decode_s, to be set to frame_s by the
// resolver; a constant shift of all arrivals leaves the queueing as it is). Sources per
// accelerator the decoders allow: D / (w h f). Limits: decoders shared evenly by the
// accelerator's streams; where the decoders bind, frame_s counts twice at most (t' >= frame_s:
// conservative); one engine alone takes longer than frame_s where a device has several.
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
  double frame_s = 0.0;                  // one frame at the decoders' full rate (not added to t: see above)
  double busy_per_item_s = 0.0;          // decoder time per item reaching the first stage
  double sources_per_accelerator = 0.0;  // sources the decoders of one accelerator sustain
  std::string note;                      // for the report
};

// The decoder load of a stream whose items arrive at `item_rate` per source; nothing when the
// device has no decoder figure for the codec (decoding is then not modelled).
std::optional<DecodeLoad> decode_load(const HardwareProfile& hw, const Video& v, PerSecond item_rate);

// t'(b) = max(t(b), b x busy_per_item) for each batch size (service_s[b-1] = t(b)).
void add_decode(std::vector<double>& service_s, const DecodeLoad& d);

}  // namespace hw
