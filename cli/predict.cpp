// hwplan predict: the performance model's latency and throughput of one model on one device.
#include <fmt/format.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "cli/common.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/text.hpp"
#include "sim/hardware/perf_model.hpp"
#include "sim/hardware/validation.hpp"
#include "sim/io/report.hpp"

namespace hw::cli {

struct PredictOptions {
  std::string hardware;
  std::string model;
  std::string precision;
  std::string batches_text = "1,8,32";  // --batch: a comma-separated list of counts
  std::vector<int> batches;
  int max_batch = kDefaultMaxBatch;
  std::string format = "table";
  CatalogueOptions catalogue;
};

namespace {
template <class Map>
void require_id(const Map& m, const std::string& id, const char* what) {
  if (m.contains(id)) return;
  std::vector<std::string> ids;
  for (const auto& [k, _] : m) ids.push_back(k);
  auto near = did_you_mean(id, ids);
  throw UsageError(fmt::format("no {} '{}'{}", what, printable(id), near ? fmt::format(" (did you mean '{}'?)", *near) : ""));
}
}  // namespace

// "1,8,32" -> {1, 8, 32}; an empty item ("1,,2", "1,") is refused, not skipped.
std::vector<int> parse_batches(const std::string& text) {
  std::vector<int> out;
  std::size_t start = 0;
  const auto check = count_check("requests per batch", 1, 1 << 20);
  while (true) {
    const std::size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty()) {
      throw UsageError(fmt::format("--batch: an empty item in '{}'; expected batch sizes separated by commas, like 1,8,32",
                                   printable(text)));
    }
    if (std::string why = check(item); !why.empty()) throw UsageError(fmt::format("--batch: {}", why));
    out.push_back(std::stoi(item));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

int run_predict(const PredictOptions& opts) {
  PredictOptions o = opts;
  o.batches = parse_batches(o.batches_text);
  Catalogue cat = load_default_catalogue(o.catalogue);
  if (auto why = cat.left_out_message(o.hardware); !why.empty()) throw UsageError("--hardware: " + why);
  require_id(cat.profiles, o.hardware, "hardware profile");
  require_id(cat.models, o.model, "model");
  const auto& hwp = cat.profile(o.hardware);
  const auto& m = cat.model(o.model);
  std::optional<Precision> requested;
  if (!o.precision.empty()) requested = precision_from(o.precision);
  if (auto problem = fit_problem(hwp, m, requested)) {
    if (!choose_precision(hwp, m, requested) && !hwp.peak.empty()) {
      // No precision in common (a calibrated profile has fp32 only; an LLM's list leaves fp32
      // out): say how to price it anyway, at a precision the device has.
      std::string allowed;
      for (Precision pr : m.precisions) allowed += (allowed.empty() ? "" : ", ") + to_string(pr);
      const Precision fastest =
          std::max_element(hwp.peak.begin(), hwp.peak.end(), [](const auto& a, const auto& b) { return a.second.si() < b.second.si(); })
              ->first;
      throw UsageError(fmt::format("{}; {} allows {}: add --precision {} to price it at the device's {} anyway", *problem, m.id,
                                   allowed.empty() ? to_string(m.precision) : allowed, to_string(fastest), to_string(fastest)));
    }
    if (hwp.accelerators > 1) {
      throw UsageError(fmt::format("{} (predict prices one accelerator of {}; run and recommend split a model too large "
                                   "for one over the server's {} accelerators with tensor parallelism)",
                                   *problem, hwp.id, hwp.accelerators));
    }
    throw UsageError(*problem);
  }
  const Precision p = *choose_precision(hwp, m, requested);
  // The fallback is said (docs/model.md): --precision fp4 on a device without fp4 runs at another precision.
  std::string fallback;
  if (requested && p != *requested) {
    fallback = fmt::format("--precision {}: {} has no {} compute for this model: runs at {}, the fastest precision the "
                           "model allows and the device has",
                           to_string(*requested), hwp.id, to_string(*requested), to_string(p));
  }
  nlohmann::json j{{"hardware", hwp.id}, {"model", m.id}, {"precision", to_string(p)}, {"results", nlohmann::json::array()}};
  if (requested) j["precision_requested"] = to_string(*requested);
  if (!fallback.empty()) j["precision_note"] = fallback;
  Table t;
  t.header = {"batch", "latency_ms", "throughput_per_s", "bound", "compute_ms", "memory_ms", "fits_memory"};
  for (int b : o.batches) {
    const auto bt = batch_time(hwp, m, p, b);
    // One batch at a time per accelerator: items/s = b / t(b) * accelerators.
    const double tput = b / bt.total.si() * hwp.accelerators;
    const bool fits = max_batch_fitting(hwp, m, p, b) >= b;
    j["results"].push_back({{"batch", b}, {"latency_s", bt.total.si()}, {"throughput_per_s", tput},
                            {"bound", bt.memory_bound ? "memory" : "compute"}, {"compute_s", bt.compute.si()},
                            {"memory_s", bt.memory.si()}, {"fits_memory", fits}});
    t.rows.push_back({std::to_string(b), hw::sig(bt.total.si() * 1e3, 4), hw::sig(tput, 4), bt.memory_bound ? "memory" : "compute",
                      hw::sig(bt.compute.si() * 1e3, 4), hw::sig(bt.memory.si() * 1e3, 4), fits ? "yes" : "no"});
  }
  // The offline figure: throughput at the batch where the device saturates (97% of its
  // throughput at --max-batch or the largest batch that fits), whatever batches were listed.
  const int b_sat = saturation_batch(hwp, m, p, o.max_batch);
  const double offline = b_sat > 0 ? batch_throughput(hwp, m, p, b_sat) * hwp.accelerators : 0.0;
  const double single_ms = batch_time(hwp, m, p, 1).total.si() * 1e3;
  // The largest batch the offline figure may use: --max-batch, or less when memory caps it
  // (the text's "max batch"); max_batch_requested is --max-batch itself.
  const int cap = std::min(o.max_batch, max_batch_fitting(hwp, m, p, o.max_batch));
  j["offline"] = {{"batch", b_sat}, {"max_batch", cap}, {"max_batch_requested", o.max_batch}, {"throughput_per_s", offline}};
  j["single_stream_latency_s"] = single_ms / 1e3;
  if (o.format == "json") {
    fmt::print("{}\n", j.dump(2));
  } else {
    fmt::print("{} on {} at {} ({} accelerator{})\n", m.name, hwp.name, to_string(p), hwp.accelerators,
               hwp.accelerators > 1 ? "s" : "");
    fmt::print("{}", to_text(t));
    if (!fallback.empty()) fmt::print("note: {}\n", fallback);
    fmt::print("offline: {} items/s at batch {} (saturation: 97% of the throughput at max batch {}{}); single stream: {} ms\n",
               hw::sig(offline, 4), b_sat, cap, cap < o.max_batch ? ", the most that fits in memory" : "", hw::sig(single_ms, 4));
    if (hwp.on_chip_memory.si() > 0) {
      // A dataflow device: the weights beyond what fits on chip (Ws) and each item's input and
      // output cross the host link BW; activations move on chip (sim/hardware/perf_model.hpp).
      fmt::print("model: t(b) = overhead + kernels*launch + max(b*F/(peak*eff_c(b)), (Ws + b*(in + out))/(BW*eff_m){}), "
                 "Ws = weights beyond the {} on chip, BW = the host link; throughput counts all accelerators\n",
                 hwp.on_chip_bandwidth.si() > 0 ? ", b*A/(BW_chip*eff_m)" : "", format_data(hwp.on_chip_memory));
    } else {
      fmt::print("model: t(b) = overhead + kernels*launch + max(b*F/(peak*eff_c(b)), (W + b*A)/(BW*eff_m)); throughput counts all accelerators\n");
    }
  }
  return kOk;
}

void setup_predict(CLI::App& app, Dispatch& d) {
  auto o = std::make_shared<PredictOptions>();
  auto* sub = app.add_subcommand("predict", "Predict latency and throughput of a model on a device per batch size");
  sub->add_option("--hardware", o->hardware, "Hardware profile id")->required();
  sub->add_option("--model", o->model, "Model id (a phase as llama2-7b:decode)")->required();
  sub->add_option("--precision", o->precision, "fp32, fp16, bf16, int8, fp8 or fp4 (default: the model's)")
      ->check(CLI::IsMember({"fp32", "fp16", "bf16", "int8", "fp8", "fp4"}));
  sub->add_option("--batch", o->batches_text, "Batch sizes for the table, separated by commas (default 1,8,32)");
  sub->add_option("--max-batch", o->max_batch, "Largest batch the server runs, for the offline figure")->check(count_check("requests per batch", 1, 1 << 16));
  sub->add_option("--format", o->format, "Output format")->check(CLI::IsMember({"table", "json"}));
  add_catalogue_option(*sub, o->catalogue);
  sub->footer("Example:\n  hwplan predict --hardware nvidia-h100-sxm --model llama2-7b:decode --batch 1,8,32");
  sub->callback([o, &d] { d.action = [o] { return run_predict(*o); }; });
}

}  // namespace hw::cli
