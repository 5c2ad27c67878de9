// A hardware profile: one device or one server, as the catalogue and the engine see it.
// All figures are SI; every figure in a profile file carries a source (see docs/input-format.md).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/units.hpp"

namespace hw {

enum class HardwareClass { edge, accelerator, gpu_server, cpu_server };
// fp8 and fp4 are the 8- and 4-bit floating-point tensor formats (Hopper/Blackwell, MI300);
// a model run at them may lose accuracy (see docs/model.md).
enum class Precision { fp32, fp16, int8, fp8, fp4 };

std::string to_string(HardwareClass c);
std::string to_string(Precision p);
std::optional<HardwareClass> hardware_class_from(std::string_view s);
std::optional<Precision> precision_from(std::string_view s);
double bytes_per_element(Precision p);  // 4, 2, 1, 1, 0.5

// An IEC 60529 ingress rating "IPxy": x = protection against solids (0-6), y = against
// water (0-9); -1 where the code has an 'X' (not rated for that).
struct IngressRating {
  int solids = -1, water = -1;
  friend bool operator==(const IngressRating&, const IngressRating&) = default;
};
std::string to_string(IngressRating r);                      // "IP65", "IPX4"
std::optional<IngressRating> ingress_from(std::string_view s);  // "IP65" -> {6, 5}
// `unit` protects at least as well as `need` asks, digit by digit ('X' counts as 0).
bool ingress_covers(IngressRating unit, IngressRating need);

// Where a unit can live (a profile's `operating`): ambient temperature range, ingress
// rating, and the sensor ports (by kind: gige, usb, csi, ...) one unit offers. Unset = not
// stated (a site that asks for it cannot be certified with this unit).
struct OperatingRange {
  std::optional<double> min_c, max_c;      // ambient, degrees Celsius
  std::optional<IngressRating> ingress;
  std::map<std::string, int> ports;
  [[nodiscard]] bool empty() const { return !min_c && !max_c && !ingress && ports.empty(); }
  friend bool operator==(const OperatingRange&, const OperatingRange&) = default;
};

struct HardwareProfile {
  std::string id;
  std::string name;
  HardwareClass klass = HardwareClass::edge;
  std::string form_factor;

  // Peak dense compute per precision, per accelerator (per device for a single device).
  std::map<Precision, FlopsPerSecond> peak;
  // The name the file gives the 16-bit peak: "fp16", or "bf16" (read as Precision::fp16,
  // hwplan's one 16-bit precision; a device with bf16 and no fp16 arithmetic, such as Zen 4,
  // says so). Displays and the writer use it.
  std::string sixteen_bit = "fp16";
  // Memory per accelerator: capacity and bandwidth.
  Bytes memory_capacity;
  BytesPerSecond memory_bandwidth;
  int accelerators = 1;  // GPUs in a server; 1 for a single device
  // Dataflow accelerators (Hailo-8, Coral Edge TPU): SRAM on the chip that holds the model's
  // weights and its activations (memory.on_chip); 0 = none (a device fed from its own DRAM).
  // When set, memory_bandwidth is the host link, and only what does not stay on chip crosses
  // it: each item's input and output, and the weights that do not fit, once per batch (see
  // perf_model.hpp). on_chip_bandwidth: the effective rate at which the chip moves
  // activations between its layers, derated by efficiency_memory; 0 = no such bound.
  Bytes on_chip_memory;
  BytesPerSecond on_chip_bandwidth;

  // Achievable fraction of peak (compute) and of bandwidth (memory), in (0, 1].
  double efficiency_compute = 0.5;
  double efficiency_memory = 0.7;
  // Batch size at which compute efficiency reaches half its value (small batches
  // under-fill wide devices): eff_c(b) = efficiency_compute * b / (b + half_batch).
  double half_efficiency_batch = 0.0;
  // Fixed time per kernel (layer) launched, whatever its size: t(b) gains kernels * launch,
  // which dominates the batch-1 latency of deep models (BERT: ~170 kernels).
  Seconds launch;
  Seconds overhead;  // fixed per-batch overhead (launch, pre/post-processing)

  // Power of the whole unit (server or device).
  Watts power_idle;
  Watts power_max;
  std::vector<Watts> power_modes;

  Money price;
  // False when the profile gives no `price:` (a calibrated profile made without --price):
  // the planner then cannot cost it and rejects it rather than costing it at 0. Profiles
  // made in code count as priced (their price is what the code set).
  bool priced = true;  // the loader sets it
  int price_year = 0;
  // Renting the same device class in a cloud, per accelerator (GPU) and second; 0 = unknown.
  Price gpu_hour_on_demand{0.0, "USD"};
  Price gpu_hour_reserved{0.0, "USD"};

  std::vector<std::string> interfaces;
  std::string environment;
  // False when the vendor's licence forbids deploying the unit in a data centre (NVIDIA's
  // GeForce driver licence, section 2.1.3): the planner keeps it out of data-centre tiers
  // unless the scenario sets constraints.ignore_datacenter_use (sources.datacenter_use).
  bool datacenter_use = true;
  // Where the unit can live (edge hardware; see site conditions in docs/input-format.md).
  OperatingRange operating;

  // Source for each field group ("compute", "memory", "power", "price", ...).
  std::map<std::string, std::string> sources;
  // Provenance of a calibrated profile (date, machine, libraries, kernels); empty otherwise.
  std::map<std::string, std::string> calibration;

  std::string file;  // where it was loaded from, for messages

  // Link between the accelerators of one server (NVLink/NVSwitch, Infinity Fabric, PCIe),
  // per accelerator and direction; bandwidth 0 = none known (sim/hardware/parallel.hpp).
  // `latency` is that of one small all-reduce over the server's accelerators.
  std::string interconnect;                  // "nvlink4", "pcie5", ... (free text, reported)
  BytesPerSecond interconnect_bandwidth;
  Seconds interconnect_latency;
  // Per accelerator, to other servers (InfiniBand/RoCE NICs); 0 = none known.
  BytesPerSecond scale_out_bandwidth;
  // How a card or module alone (class accelerator) is bought: in servers holding one of
  // `server_gpus` accelerators (SXM/OAM boards: 4 or 8; PCIe cards: 1, 2, 4 or 8), each with
  // a host (chassis, CPUs, memory, NICs) at `host_price` and drawing `host_power`. Empty
  // `server_gpus`: the profile gave no `server:` block (see server_packaging in sim/plan).
  std::vector<int> server_gpus;
  Money host_price{0.0, "USD"};
  Watts host_power;
  // Mean time between failures of one unit and the time to bring it back (0: not given;
  // the planner then uses the estimates of sim/plan/design.hpp).
  Seconds mtbf;
  Seconds repair_time;
  // Measured rendering speed per accelerator (per socket of a CPU server): a public
  // benchmark's score in samples per second, e.g. the Blender Benchmark score (samples per
  // minute summed over its scenes); 0 = none measured, the roofline is then used
  // (sim/hardware/media.hpp). `render_benchmark` names the benchmark, for the report.
  PerSecond render_speed;
  std::string render_benchmark;
  // Hardware video/image decoders per accelerator: per codec ("h264", "h265", "av1", "jpeg"),
  // how many 1920x1080 streams at 30 frames/s they sustain together (the unit of NVIDIA's
  // datasheets and of the Video Codec SDK's performance tables). Empty = none known.
  std::map<std::string, double> decode_1080p30;

  // Every field, `file` included (compare a re-read profile under the same name).
  friend bool operator==(const HardwareProfile&, const HardwareProfile&) = default;
};

}  // namespace hw
