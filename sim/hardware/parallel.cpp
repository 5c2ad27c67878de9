#include "sim/hardware/parallel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace hw {

namespace {

// Activations travel at 16 bits (fp32 models at 32), whatever the weight format.
double activation_bytes(Precision p) { return p == Precision::fp32 ? 4.0 : 2.0; }

// Bytes of one item's hidden activations (what a tensor-parallel layer all-reduces and a
// pipeline stage hands on); 0 when the hidden size is unknown.
double hidden_bytes(const WorkloadModel& m, Precision p) { return m.hidden * activation_bytes(p); }

// Roofline of one accelerator doing 1/k of a batch's work and bytes (no overhead, no launch).
double shard_roofline(const HardwareProfile& hw, const WorkloadModel& m, Precision p, double items, int k) {
  const double compute = items * m.flops_per_item.si() / (k * hw.peak.at(p).si() * compute_efficiency(hw, static_cast<int>(std::ceil(items))));
  const double memory = (m.weights_at(p).si() + items * m.bytes_per_item_at(p).si()) / (k * hw.memory_bandwidth.si() * hw.efficiency_memory);
  return std::max(compute, memory);
}

}  // namespace

std::optional<Seconds> allreduce_time(const HardwareProfile& hw, Bytes bytes, int k) {
  if (k <= 1) return Seconds(0);
  double bw = hw.interconnect_bandwidth.si();
  if (k > hw.accelerators) bw = hw.scale_out_bandwidth.si() > 0 ? std::min(bw, hw.scale_out_bandwidth.si()) : 0.0;
  if (!(bw > 0)) return std::nullopt;
  // AR(S, k) = L + 2 (k-1)/k * S / B
  return Seconds(hw.interconnect_latency.si() + 2.0 * (k - 1) / k * bytes.si() / bw);
}

std::optional<DataParallel> data_parallel(const HardwareProfile& hw, int devices, Seconds single_device, double steps,
                                          Bytes gradient) {
  if (!(steps > 0) || !(gradient.si() > 0)) return std::nullopt;
  const int n = std::max(1, devices);
  auto ar = allreduce_time(hw, gradient, n);
  if (!ar) return std::nullopt;
  DataParallel d;
  d.devices = n;
  d.communication = Seconds(steps * ar->si());
  // t(n) = T1 / n + steps * AR(G, n);  speed-up = T1 / t(n)
  const double t = single_device.si() / n + d.communication.si();
  d.speedup = t > 0 ? single_device.si() / t : static_cast<double>(n);
  d.efficiency = d.speedup / n;
  return d;
}

double per_doubling_efficiency(int devices, double efficiency) {
  if (devices <= 1) return 1.0;
  // n e^log2(n) = n * efficiency  ->  e = efficiency^(1 / log2 n)
  return std::pow(std::clamp(efficiency, 1e-9, 1.0), 1.0 / std::log2(static_cast<double>(devices)));
}

JobScaling job_scaling(const HardwareProfile& hw, const BatchJob& job, int devices, Seconds single_device) {
  const int n = std::max(1, devices);
  JobScaling js;
  auto from_constant = [&](double e, const char* why) {
    js.per_doubling = e;
    js.efficiency = std::pow(e, std::log2(static_cast<double>(n)));
    js.note = fmt::format("{} job {}: {} devices at {:.1f}% parallel efficiency ({} {} per doubling)", job.kind, job.id, n,
                          100 * js.efficiency, why, e);
  };
  if (job.scaling_efficiency_given) {
    from_constant(job.scaling_efficiency, "scaling_efficiency");
    return js;
  }
  const Bytes gradient(job.parameters * bytes_per_element(job.precision));
  if (auto d = data_parallel(hw, n, single_device, job.steps, gradient)) {
    js.computed = true;
    js.efficiency = d->efficiency;
    js.per_doubling = per_doubling_efficiency(n, d->efficiency);
    js.note = fmt::format("{} job {}: data-parallel all-reduce of {} of gradients per step, {} steps, over {} ({} per GPU): "
                          "{} GPUs at {:.1f}% inter-GPU efficiency (computed)",
                          job.kind, job.id, format_data(gradient), job.steps, hw.interconnect.empty() ? "the interconnect" : hw.interconnect,
                          format_data(Bytes(n > hw.accelerators && hw.scale_out_bandwidth.si() > 0
                                                ? std::min(hw.interconnect_bandwidth.si(), hw.scale_out_bandwidth.si())
                                                : hw.interconnect_bandwidth.si())) + "/s",
                          n, 100 * d->efficiency);
    return js;
  }
  // No computed figure: say which input is missing (the interconnect, the link between
  // servers, or the job's parameters and steps).
  std::string why = "the default";
  if (job.parameters > 0 && job.steps > 0 && n > 1) {
    if (!(hw.interconnect_bandwidth.si() > 0)) {
      why = fmt::format("the default, since {} gives no interconnect bandwidth:", hw.id);
    } else if (n > hw.accelerators) {
      why = fmt::format("the default, since {} devices span {} servers of {} and {} gives no scale_out bandwidth between servers:", n,
                        (n + std::max(1, hw.accelerators) - 1) / std::max(1, hw.accelerators), hw.accelerators, hw.id);
    }
  } else if (n > 1) {
    why = "the default, since the job gives no parameters and steps to compute the all-reduce from:";
  }
  from_constant(job.scaling_efficiency, why.c_str());
  return js;
}

std::string to_string(SplitKind k) {
  switch (k) {
    case SplitKind::none: return "none";
    case SplitKind::tensor: return "tensor";
    case SplitKind::pipeline: return "pipeline";
  }
  return "?";
}

std::string describe(const ModelSplit& s) {
  if (s.kind == SplitKind::none || s.gpus <= 1) return "one GPU per copy of the model";
  return fmt::format("{} parallel over {} GPUs", to_string(s.kind), s.gpus);
}

Seconds split_batch_time(const HardwareProfile& hw, const WorkloadModel& m, Precision p, int batch, const ModelSplit& s) {
  if (s.kind == SplitKind::none || s.gpus <= 1) return batch_time(hw, m, p, batch).total;
  const int k = s.gpus;
  const double b = std::max(1, batch);
  const double fixed = hw.launch.si() * std::max(0, m.kernels);
  if (s.kind == SplitKind::tensor) {
    // + 2 layers AR(b * hidden * 2 B, k)
    const double comm = 2.0 * m.layers * allreduce_time(hw, Bytes(b * hidden_bytes(m, p)), k).value_or(Seconds(0)).si();
    return Seconds(hw.overhead.si() + fixed + shard_roofline(hw, m, p, b, k) + comm);
  }
  // pipeline: (m + k - 1) stage slots of a micro-batch, plus k - 1 hand-overs
  const double micro = std::min<double>(b, k);
  const double per_micro = b / micro;
  const double stage = shard_roofline(hw, m, p, per_micro, k) + fixed / k;
  const double bw = hw.interconnect_bandwidth.si();
  const double hop = hw.interconnect_latency.si() + (bw > 0 ? per_micro * hidden_bytes(m, p) / bw : 0.0);
  return Seconds(hw.overhead.si() + (micro + k - 1) * stage + (k - 1) * hop);
}

int split_max_batch(const HardwareProfile& hw, const WorkloadModel& m, Precision p, int limit, const ModelSplit& s) {
  if (s.kind == SplitKind::none || s.gpus <= 1) return max_batch_fitting(hw, m, p, limit);
  if (hw.memory_capacity.si() <= 0) return limit;
  // per accelerator: W/k + b * memory_per_item / k <= capacity
  const double k = s.gpus;
  const double free = hw.memory_capacity.si() - m.weights_at(p).si() / k;
  if (free < 0) return 0;
  const double per = m.memory_per_item_at(p).si() / k;
  if (per <= 0) return limit;
  return static_cast<int>(std::min<double>(limit, std::floor(free / per)));
}

std::optional<std::string> split_fit_problem(const HardwareProfile& hw, const WorkloadModel& m,
                                             std::optional<Precision> requested, const ModelSplit& s) {
  if (s.kind == SplitKind::none || s.gpus <= 1) return fit_problem(hw, m, requested);
  auto p = choose_precision(hw, m, requested);
  if (!p) return fit_problem(hw, m, requested);
  if (split_max_batch(hw, m, *p, 1, s) < 1) {
    return fmt::format("{} needs {} at {} for batch 1 split {} ways but {} has {} per accelerator", m.id,
                       format_data(resident_bytes(m, *p, 1)), to_string(*p), s.gpus, hw.id, format_data(hw.memory_capacity));
  }
  return std::nullopt;
}

std::optional<ModelSplit> choose_split(const HardwareProfile& hw, const std::vector<SplitNeed>& stages, int max_batch,
                                       std::optional<Seconds> latency_bound) {
  // The stage with the most weight bytes decides.
  const SplitNeed* heaviest = nullptr;
  Precision hp = Precision::fp16;
  for (const auto& st : stages) {
    if (st.model == nullptr) continue;
    auto p = choose_precision(hw, *st.model, st.precision);
    if (!p) continue;
    if (heaviest == nullptr || st.model->weights_at(*p) > heaviest->model->weights_at(hp)) {
      heaviest = &st;
      hp = *p;
    }
  }
  if (heaviest == nullptr) return std::nullopt;
  const WorkloadModel& m = *heaviest->model;

  struct Option {
    ModelSplit split;
    double latency1 = 0, per_gpu = 0;
  };
  std::vector<Option> options;
  auto consider = [&](ModelSplit s) {
    const int top = split_max_batch(hw, m, hp, std::max(1, max_batch), s);
    if (top < 1) return;  // 1. memory fit
    Option o{s, split_batch_time(hw, m, hp, 1, s).si(), 0};
    o.per_gpu = top / split_batch_time(hw, m, hp, top, s).si() / s.gpus;
    options.push_back(o);
  };
  consider({});
  if (hw.interconnect_bandwidth.si() > 0) {
    for (int k = 2; k <= hw.accelerators; k *= 2) {
      if (hw.accelerators % k != 0) continue;
      if (m.layers > 0 && m.hidden > 0) consider({SplitKind::tensor, k});
      if (m.layers == 0 || m.layers >= k) consider({SplitKind::pipeline, k});
    }
  }
  if (options.empty()) return std::nullopt;
  // 2. latency: keep the splits meeting the bound, or the fastest one if none does
  if (latency_bound) {
    std::vector<Option> meet;
    for (const auto& o : options) {
      if (o.latency1 <= latency_bound->si()) meet.push_back(o);
    }
    if (meet.empty()) {
      auto fastest = std::min_element(options.begin(), options.end(), [](const Option& a, const Option& b) { return a.latency1 < b.latency1; });
      return fastest->split;
    }
    options = std::move(meet);
  }
  // 3. cost: throughput per accelerator; options come in order of k, tensor first, so a
  // strict improvement is needed to move to a bigger or pipelined split
  const Option* best = &options.front();
  for (const auto& o : options) {
    if (o.per_gpu > best->per_gpu * (1 + 1e-9)) best = &o;
  }
  return best->split;
}

}  // namespace hw
