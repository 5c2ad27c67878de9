#include "sim/calibrate/calibrate.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <variant>

#include "sim/calibrate/detail/gpu.hpp"
#include "sim/calibrate/detail/machine.hpp"
#include "sim/calibrate/detail/timing.hpp"
#include "sim/calibrate/kernels.hpp"
#include "sim/hardware/perf_model.hpp"

namespace hw::calib {

std::string to_string(Role r) {
  switch (r) {
    case Role::fit:
      return "fit";
    case Role::held_out:
      return "held-out";
    case Role::reference:
      return "reference";
  }
  return "?";
}

bool predicted_by_profile(const KernelResult& k) { return k.model == "profile" || k.model == "image"; }

HeldOutSummary held_out_summary(const std::vector<KernelResult>& kernels) {
  HeldOutSummary out;
  std::vector<double> own;
  std::vector<std::pair<std::string, std::vector<double>>> others;  // in order of first row
  for (const auto& k : kernels) {
    if (k.role != Role::held_out) continue;
    if (predicted_by_profile(k)) {
      own.push_back(k.error);
      continue;
    }
    auto it = std::find_if(others.begin(), others.end(), [&](const auto& o) { return o.first == k.model; });
    if (it == others.end()) it = others.insert(others.end(), {k.model, {}});
    it->second.push_back(k.error);
  }
  out.profile_kernels = static_cast<int>(own.size());
  out.profile_median_abs_error = own.empty() ? 0.0 : median_abs(own);
  for (const auto& [model, errors] : others) {
    out.others.push_back({model, median_abs(errors), static_cast<int>(errors.size())});
  }
  return out;
}

namespace {

// The fitted models, by the kernels they describe.
constexpr const char* kProfile = "profile";  // fp32 on all cores: the written profile
constexpr const char* kFp64 = "fp64";        // DGEMM on all cores (report only)
constexpr const char* kSingle = "1-thread";  // fp32 on one core (report only)
// Whole networks, one image per pass, predicted by the written profile the way `hwplan
// predict` prices a catalogue model (perf_model's batch_time at batch 1): the check that the
// per-image efficiency describes CNNs.
constexpr const char* kImage = "image";

struct GemmShape {
  int m, n, k;
  bool fp64;
};
struct CnnShape {};
struct TriadShape {};
// A network's convolutions timed one after the other on one image, then its fully
// connected layer (ResNet-50).
struct ConvStackShape {
  std::vector<ConvShape> convs;
  int fc_in = 0, fc_out = 0;
};
using Shape = std::variant<GemmShape, ConvShape, CnnShape, TriadShape, ConvStackShape>;

struct Spec {
  KernelResult result;
  Shape shape;
  std::vector<Stage> stages;
};

double stage_bytes(const Stage& s) {
  return s.weight_bytes + std::max(1.0, s.items) * s.item_bytes;
}

void finish_spec(Spec& s) {
  for (const auto& st : s.stages) {
    s.result.flops += st.flops;
    s.result.bytes += stage_bytes(st);
  }
}

// ---------------------------------------------------------------- the suite

std::vector<Stage> conv_stages(const ConvShape& c) {
  // im2col reads the input once and writes the column matrix; then one SGEMM.
  const double im2col_bytes = 4.0 * (static_cast<double>(c.in_channels) * c.height * c.width +
                                     static_cast<double>(c.gemm_k()) * c.gemm_n());
  return {stream_stage(im2col_bytes), gemm_stage(c.gemm_m(), c.gemm_n(), c.gemm_k(), 4)};
}

std::vector<Stage> cnn_stages(const std::vector<TinyCnn::Layer>& layers, int classes) {
  std::vector<Stage> st;
  for (const auto& l : layers) {
    auto c = conv_stages(l.conv);
    st.insert(st.end(), c.begin(), c.end());
    const double out = 4.0 * l.conv.gemm_m() * l.conv.gemm_n();
    st.push_back(stream_stage(l.pool ? out * 1.25 : out));  // ReLU + pool reads, writes a quarter
  }
  st.push_back(gemm_stage(1, classes, layers.back().conv.out_channels, 4));
  return st;
}

constexpr int kCnnClasses = 100;

struct Suite {
  std::vector<Spec> specs;
  int threads = 1;
  std::size_t triad_elements = 0;
};

Suite build_suite(bool quick, int threads, std::size_t triad_elements) {
  Suite s;
  s.threads = threads;
  s.triad_elements = triad_elements;
  auto gemm = [&](int m, int n, int k, bool fp64, int t, Role role, const char* model) {
    Spec sp;
    sp.result.family = fp64 ? "dgemm" : "sgemm";
    sp.result.name = fmt::format("{} {}x{}x{} {}t", sp.result.family, m, n, k, t);
    sp.result.threads = t;
    sp.result.role = role;
    sp.result.model = model;
    sp.shape = GemmShape{m, n, k, fp64};
    sp.stages = {gemm_stage(m, n, k, fp64 ? 8 : 4)};
    finish_spec(sp);
    s.specs.push_back(std::move(sp));
  };
  auto conv = [&](ConvShape c, Role role) {
    Spec sp;
    sp.result.family = "conv";
    sp.result.name = fmt::format("conv {}->{} {}x{} {}x{} {}t", c.in_channels, c.out_channels, c.kernel,
                                 c.kernel, c.height, c.width, threads);
    sp.result.threads = threads;
    sp.result.role = role;
    sp.result.model = kProfile;
    sp.shape = c;
    sp.stages = conv_stages(c);
    finish_spec(sp);
    s.specs.push_back(std::move(sp));
  };
  auto triad = [&](int t, const char* model) {
    Spec sp;
    sp.result.family = "triad";
    sp.result.name = fmt::format("triad 3x{}MiB {}t", triad_elements * 8 / (1024 * 1024), t);
    sp.result.threads = t;
    sp.result.role = Role::reference;
    sp.result.model = model;
    sp.shape = TriadShape{};
    sp.stages = {stream_stage(24.0 * static_cast<double>(triad_elements))};
    finish_spec(sp);
    sp.result.flops = 2.0 * static_cast<double>(triad_elements);
    s.specs.push_back(std::move(sp));
  };
  auto pick = [quick](std::vector<int> q, std::vector<int> full) { return quick ? q : full; };
  const Role fit = Role::fit, held = Role::held_out;
  const int T = threads;

  // fp32 on all cores: these fit and test the written profile. Skinny shapes stream a
  // 64 MB operand (beyond the caches) to a few rows: the memory-bound end.
  for (int n : pick({64, 256, 1024}, {64, 256, 1024, 2048})) gemm(n, n, n, false, T, fit, kProfile);
  for (int n : pick({512}, {128, 512, 1536})) gemm(n, n, n, false, T, held, kProfile);
  for (int m : pick({1, 16, 128}, {1, 4, 16, 64, 256}))
    gemm(m, 4096, 4096, false, T, fit, kProfile);
  for (int m : pick({4, 64}, {2, 8, 32, 128, 512})) gemm(m, 4096, 4096, false, T, held, kProfile);
  conv(ConvShape{64, 56, 56, 64, 3, 1, 1}, fit);
  conv(ConvShape{256, 14, 14, 256, 3, 1, 1}, fit);
  // 1x1 convolutions (bottleneck layers: im2col is a plain copy, k is the channel count):
  // with the 3x3s they set the per-image rate of the written profile.
  conv(ConvShape{256, 56, 56, 64, 1, 1, 0}, fit);
  conv(ConvShape{1024, 14, 14, 256, 1, 1, 0}, fit);
  conv(ConvShape{128, 28, 28, 128, 3, 1, 1}, held);
  if (!quick) conv(ConvShape{32, 112, 112, 64, 3, 1, 1}, held);
  {
    Spec sp;
    sp.result.family = "cnn";
    sp.result.name = fmt::format("cnn 4-conv 3x128x128 {}t", T);
    sp.result.threads = T;
    sp.result.role = held;
    sp.result.model = kImage;
    sp.shape = CnnShape{};
    sp.stages = cnn_stages(TinyCnn::default_layers(), kCnnClasses);
    finish_spec(sp);
    s.specs.push_back(std::move(sp));
  }
  {
    Spec sp;
    ConvStackShape net{resnet50_convs(), 2048, 1000};
    sp.result.family = "cnn";
    sp.result.name = fmt::format("resnet50 {}-conv+fc 3x224x224 {}t", net.convs.size(), T);
    sp.result.threads = T;
    sp.result.role = held;
    sp.result.model = kImage;
    for (const auto& c : net.convs) {
      auto st = conv_stages(c);
      sp.stages.insert(sp.stages.end(), st.begin(), st.end());
    }
    sp.stages.push_back(gemm_stage(1, net.fc_out, net.fc_in, 4));
    sp.shape = std::move(net);
    finish_spec(sp);
    s.specs.push_back(std::move(sp));
  }
  triad(T, kProfile);

  // fp64 on all cores (DGEMM): the fp64 peak, reported only (profiles have no fp64).
  for (int n : pick({256, 1024}, {256, 1024, 1536})) gemm(n, n, n, true, T, fit, kFp64);
  gemm(512, 512, 512, true, T, held, kFp64);
  for (int m : pick({1, 64}, {1, 16, 256})) gemm(m, 3072, 3072, true, T, fit, kFp64);
  if (!quick) {
    for (int m : {4, 64}) gemm(m, 3072, 3072, true, T, held, kFp64);
  }

  // fp32 on one core: per-core figures, reported only.
  if (T > 1) {
    for (int n : pick({128, 1024}, {128, 256, 1024})) gemm(n, n, n, false, 1, fit, kSingle);
    gemm(512, 512, 512, false, 1, held, kSingle);
    for (int m : {1, 16, 256}) gemm(m, 4096, 4096, false, 1, fit, kSingle);
    for (int m : pick({64}, {4, 64})) gemm(m, 4096, 4096, false, 1, held, kSingle);
    triad(1, kSingle);
  }
  return s;
}

// The kernels of the per-image check: the fitted convolution layers (they set the written
// efficiency) and the held-out networks (they test it).
bool per_image_kernel(const Spec& sp) {
  return sp.result.family == "cnn" || (sp.result.family == "conv" && sp.result.role == Role::fit);
}

// ---------------------------------------------------------------- buffers and runners

struct Workspace {
  std::vector<float> fa, fb, fc;
  std::vector<double> da, db, dc;
  std::vector<float> conv_in, conv_w, conv_cols, conv_out;
  std::unique_ptr<Triad> triad;
  std::unique_ptr<TinyCnn> cnn;
  std::vector<float> image;

  [[nodiscard]] double megabytes() const {
    const double f = static_cast<double>(fa.size() + fb.size() + fc.size() + conv_in.size() +
                                         conv_w.size() + conv_cols.size() + conv_out.size());
    const double d = static_cast<double>(da.size() + db.size() + dc.size());
    return (4 * f + 8 * d) / 1e6 +
           (triad ? 24.0 * static_cast<double>(triad->elements()) / 1e6 : 0.0);
  }
};

template <class T>
void grow(std::vector<T>& v, std::size_t n, std::uint64_t seed) {
  if (v.size() >= n) return;
  v.resize(n);
  fill_deterministic(v.data(), v.size(), seed, static_cast<T>(1));
}

void allocate(Workspace& w, const Suite& suite) {
  std::size_t fa = 0, fb = 0, fc = 0, da = 0, db = 0, dc = 0, ci = 0, cw = 0, cc = 0, co = 0;
  bool cnn = false, triad = false;
  for (const auto& sp : suite.specs) {
    if (auto g = std::get_if<GemmShape>(&sp.shape)) {
      const auto m = static_cast<std::size_t>(g->m), n = static_cast<std::size_t>(g->n),
                 k = static_cast<std::size_t>(g->k);
      (g->fp64 ? da : fa) = std::max(g->fp64 ? da : fa, m * k);
      (g->fp64 ? db : fb) = std::max(g->fp64 ? db : fb, k * n);
      (g->fp64 ? dc : fc) = std::max(g->fp64 ? dc : fc, m * n);
    } else if (auto c = std::get_if<ConvShape>(&sp.shape)) {
      ci = std::max(ci, static_cast<std::size_t>(c->in_channels) * c->height * c->width);
      cw = std::max(cw, static_cast<std::size_t>(c->gemm_m()) * c->gemm_k());
      cc = std::max(cc, static_cast<std::size_t>(c->gemm_k()) * c->gemm_n());
      co = std::max(co, static_cast<std::size_t>(c->gemm_m()) * c->gemm_n());
    } else if (std::holds_alternative<CnnShape>(sp.shape)) {
      cnn = true;
    } else if (auto net = std::get_if<ConvStackShape>(&sp.shape)) {
      for (const auto& layer : net->convs) {
        ci = std::max(ci, static_cast<std::size_t>(layer.in_channels) * layer.height * layer.width);
        cw = std::max(cw, static_cast<std::size_t>(layer.gemm_m()) * layer.gemm_k());
        cc = std::max(cc, static_cast<std::size_t>(layer.gemm_k()) * layer.gemm_n());
        co = std::max(co, static_cast<std::size_t>(layer.gemm_m()) * layer.gemm_n());
      }
      fa = std::max(fa, static_cast<std::size_t>(net->fc_in));
      fb = std::max(fb, static_cast<std::size_t>(net->fc_in) * net->fc_out);
      fc = std::max(fc, static_cast<std::size_t>(net->fc_out));
    } else {
      triad = true;
    }
  }
  grow(w.fa, fa, 1);
  grow(w.fb, fb, 2);
  grow(w.fc, fc, 3);
  grow(w.da, da, 4);
  grow(w.db, db, 5);
  grow(w.dc, dc, 6);
  grow(w.conv_in, ci, 7);
  grow(w.conv_w, cw, 8);
  grow(w.conv_cols, cc, 9);
  grow(w.conv_out, co, 10);
  if (triad) w.triad = std::make_unique<Triad>(suite.triad_elements, suite.threads);
  if (cnn) {
    w.cnn = std::make_unique<TinyCnn>(TinyCnn::default_layers(), kCnnClasses, 42);
    w.image.resize(w.cnn->input_size());
    fill_deterministic(w.image.data(), w.image.size(), 11, 1.0f);
  }
}

std::function<void()> runner(const Spec& sp, Workspace& w) {
  const int t = sp.result.threads;
  if (auto g = std::get_if<GemmShape>(&sp.shape)) {
    const GemmShape s = *g;
    if (s.fp64) {
      return [s, t, &w] {
        set_blas_threads(t);
        gemm(s.m, s.n, s.k, w.da.data(), w.db.data(), w.dc.data());
      };
    }
    return [s, t, &w] {
      set_blas_threads(t);
      gemm(s.m, s.n, s.k, w.fa.data(), w.fb.data(), w.fc.data());
    };
  }
  if (auto c = std::get_if<ConvShape>(&sp.shape)) {
    const ConvShape s = *c;
    return [s, t, &w] {
      set_blas_threads(t);
      conv2d(s, w.conv_in.data(), w.conv_w.data(), w.conv_cols.data(), w.conv_out.data());
    };
  }
  if (std::holds_alternative<CnnShape>(sp.shape)) {
    return [t, &w] {
      set_blas_threads(t);
      w.cnn->forward(w.image.data());
    };
  }
  if (auto net = std::get_if<ConvStackShape>(&sp.shape)) {
    return [n = *net, t, &w] {
      set_blas_threads(t);
      for (const auto& layer : n.convs) conv2d(layer, w.conv_in.data(), w.conv_w.data(), w.conv_cols.data(), w.conv_out.data());
      gemm(1, n.fc_out, n.fc_in, w.fa.data(), w.fb.data(), w.fc.data());
    };
  }
  return [t, &w] { w.triad->run(3.0, t); };
}

// Bytes of the last-level cache as the kernel reports it for cpu0 (sysconf can report
// the whole host's cache inside a virtual machine), else sysconf's figure.
double last_level_cache_bytes() {
  double best = 0.0;
  for (int i = 0; i < 8; ++i) {
    std::ifstream in(fmt::format("/sys/devices/system/cpu/cpu0/cache/index{}/size", i));
    double v = 0.0;
    std::string unit;
    if (!(in >> v)) continue;
    std::getline(in, unit);
    const double f = unit.starts_with("K") ? 1024.0 : unit.starts_with("M") ? 1048576.0 : 1.0;
    best = std::max(best, v * f);
  }
  if (best > 0) return best;
  return static_cast<double>(std::max(0L, ::sysconf(_SC_LEVEL3_CACHE_SIZE)));
}

// Elements per triad array: four times the last-level cache (STREAM's rule), between
// 32 and 256 MiB, and at most 1/16 of the memory.
std::size_t triad_elements(double memory_bytes) {
  constexpr double kMiB = 1048576.0;
  double bytes = std::clamp(4.0 * last_level_cache_bytes(), 32 * kMiB, 256 * kMiB);
  if (memory_bytes > 0) bytes = std::min(bytes, std::max(8 * kMiB, memory_bytes / 16));
  const auto n = static_cast<std::size_t>(bytes / 8.0);
  return n - n % 1024;
}

// ---------------------------------------------------------------- fit helpers

double rate(const KernelResult& k) {
  return k.measured_s > 0 ? k.flops / k.measured_s : 0.0;
}

// Fits one model on its "fit" kernels; the references are its best GEMM rate and its
// triad bandwidth.
FittedModel fit_model(const std::string& name, const std::vector<Spec>& specs,
                      const FitOptions& fixed) {
  FittedModel fm;
  fm.name = name;
  std::vector<Observation> obs;
  double best_flops = 0.0, triad_bw = 0.0;
  for (const auto& sp : specs) {
    if (sp.result.model != name) continue;
    if (sp.result.role == Role::fit) obs.push_back({sp.stages, sp.result.measured_s});
    if (sp.result.family == "triad")
      triad_bw = sp.result.bytes / sp.result.measured_s;
    else if (sp.result.family == "sgemm" || sp.result.family == "dgemm")
      best_flops = std::max(best_flops, rate(sp.result));
  }
  fm.fit_kernels = static_cast<int>(obs.size());
  if (obs.empty()) return fm;
  FitOptions options = fixed;
  if (triad_bw > 0) options.max_bandwidth_bytes_per_s = triad_bw;
  FitResult r = fit_roofline(obs, options);
  fm.params = r.params;
  fm.rms_log_error = r.rms_log_error;
  fm.factors = profile_factors(r.params, best_flops,
                               triad_bw > 0 ? triad_bw : r.params.bandwidth_bytes_per_s);
  return fm;
}

// The per-image compute rate: the FLOPs of the fitted convolution layers (one image each,
// im2col + SGEMM) over their measured time, as a fraction of the best SGEMM rate.
struct ImageEfficiency {
  double flops_per_s = 0.0;
  double efficiency = 1.0;
  int layers = 0;
};
ImageEfficiency image_efficiency(const std::vector<Spec>& specs, double peak_flops_per_s) {
  ImageEfficiency e;
  double flops = 0.0, seconds = 0.0;
  for (const auto& sp : specs) {
    if (sp.result.family != "conv" || sp.result.role != Role::fit || sp.result.measured_s <= 0) continue;
    flops += sp.result.flops;
    seconds += sp.result.measured_s;
    ++e.layers;
  }
  if (e.layers == 0 || peak_flops_per_s <= 0) return e;
  e.flops_per_s = flops / seconds;
  e.efficiency = std::clamp(e.flops_per_s / peak_flops_per_s, 0.001, 1.0);
  return e;
}

// A held-out network priced as `hwplan predict` prices a catalogue model: one item (an
// image) of its FLOPs and roofline bytes, one kernel per GEMM (layer), at batch 1.
double predict_image(const HardwareProfile& hw, const Spec& sp) {
  WorkloadModel m;
  m.id = "calibration-network";
  m.flops_per_item = Flops(sp.result.flops);
  m.bytes_per_item = Bytes(sp.result.bytes);
  m.weights = Bytes(0);
  m.kernels = static_cast<int>(std::count_if(sp.stages.begin(), sp.stages.end(), [](const Stage& s) { return s.flops > 0; }));
  m.precision = Precision::fp32;
  m.precisions = {Precision::fp32};
  return batch_time(hw, m, Precision::fp32, 1).total.si();
}

HardwareClass guess_class(const detail::MachineFacts& m, std::string& why) {
  std::string lower = m.cpu_model;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* server : {"epyc", "xeon", "opteron", "ampere", "graviton", "neoverse"}) {
    if (lower.find(server) != std::string::npos) {
      why = fmt::format("server CPU ('{}')", m.cpu_model);
      return HardwareClass::cpu_server;
    }
  }
  if (m.cpus > 16) {
    why = fmt::format("{} logical CPUs", m.cpus);
    return HardwareClass::cpu_server;
  }
  why = fmt::format("{} logical CPUs, not a server CPU ('{}')", m.cpus, m.cpu_model);
  return HardwareClass::edge;
}

std::string gflops(double v) {
  return fmt::format("{:.1f} GFLOP/s", v / 1e9);
}
std::string gbps(double v) {
  return fmt::format("{:.1f} GB/s", v / 1e9);
}

}  // namespace

// ---------------------------------------------------------------- shared with the GPU path

namespace detail {
namespace {
WorkloadModel stage_model(const Stage& s) {
  WorkloadModel m;
  m.id = "calibration-stage";
  const double b = std::max(1.0, s.items);
  m.flops_per_item = Flops(s.flops / b);
  m.weights = Bytes(s.weight_bytes);
  m.bytes_per_item = Bytes(s.item_bytes);
  m.precision = Precision::fp32;
  m.precisions = {Precision::fp32};
  return m;
}

}  // namespace

double predict_on(const HardwareProfile& hw, const std::vector<Stage>& stages) {
  double t = 0.0;
  for (const auto& s : stages) {
    t += batch_time(hw, stage_model(s), Precision::fp32,
                    static_cast<int>(std::lround(std::max(1.0, s.items))))
             .total.si();
  }
  return t;
}

void apply_factors(HardwareProfile& p, const ProfileFactors& f) {
  p.peak[Precision::fp32] = FlopsPerSecond(f.peak_flops_per_s);
  p.memory_bandwidth = BytesPerSecond(f.bandwidth_bytes_per_s);
  p.efficiency_compute = f.efficiency_compute;
  p.efficiency_memory = f.efficiency_memory;
  p.half_efficiency_batch = f.half_batch;
  p.overhead = Seconds(f.overhead_s);
}

}  // namespace detail

// ---------------------------------------------------------------- the run

CalibrationResult run_calibration(const CalibrateOptions& opts) {
  const double started = detail::now_s();
  auto say = [&](const std::string& msg, bool detail_line = false) {
    if (opts.progress) opts.progress(msg, detail_line);
  };
  CalibrationResult out;
  const detail::MachineFacts machine = detail::read_machine();
  const int threads = std::max(1, std::min(machine.cpus, blas_processors()));
  if (machine.load_average > 0.5) {
    out.notes.push_back(
        fmt::format("the machine was not quiet (1-minute load average {:.2f} at the start): other "
                    "work shared the cores, so "
                    "spreads are wide and some rounds slow (the figures use each kernel's best "
                    "round); rerun on an idle "
                    "machine for a profile to keep",
                    machine.load_average));
  }

  Suite suite = build_suite(opts.quick, threads, triad_elements(machine.memory_bytes));
  Workspace ws;
  say(fmt::format("calibrate: preparing {} kernels on {} threads ({})", suite.specs.size(), threads,
                  opts.quick ? "quick" : "full"));
  allocate(ws, suite);
  say(fmt::format("calibrate: {:.0f} MB of buffers ready", ws.megabytes()));

  // The kernels that set and check the per-image efficiency (the fitted convolution layers
  // and the two held-out networks) are timed together in interleaved cycles; the others
  // in rounds.
  std::vector<detail::TimedKernel> timed, interleaved;
  std::vector<std::size_t> timed_spec, interleaved_spec;
  for (std::size_t i = 0; i < suite.specs.size(); ++i) {
    const auto& sp = suite.specs[i];
    if (per_image_kernel(sp)) {
      interleaved.push_back({sp.result.name, runner(sp, ws)});
      interleaved_spec.push_back(i);
    } else {
      timed.push_back({sp.result.name, runner(sp, ws)});
      timed_spec.push_back(i);
    }
  }
  detail::TimingPlan plan;
  if (opts.quick) {
    plan.rounds = 3;
    plan.visit_budget_s = 0.05;
    plan.min_samples = 2;
  } else {
    plan.rounds = 7;
    plan.visit_budget_s = 0.3;
    plan.min_samples = 3;
  }
  int last_round = -1;
  std::string quiet_note = "none";
  auto samples = detail::time_kernels(timed, plan, [&](int round, std::size_t i) {
    if (opts.check_stop) opts.check_stop();
    if (round != last_round) {
      say(fmt::format("calibrate: timing round {}/{} ({:.0f} s so far)", round + 1, plan.rounds,
                      detail::now_s() - started));
      last_round = round;
    }
    say(fmt::format("round {}/{}  kernel {:>2}/{}  {}", round + 1, plan.rounds, i + 1, timed.size(),
                    timed[i].name),
        true);
  });
  for (std::size_t j = 0; j < timed.size(); ++j) {
    const RoundStats rs = summarize_rounds(samples[j]);
    auto& r = suite.specs[timed_spec[j]].result;
    r.measured_s = rs.best_round;
    r.time = rs.all;
    r.round_spread = rs.round_spread;
  }
  if (!interleaved.empty()) {
    const int cycles = opts.quick ? 7 : 21;
    say(fmt::format("calibrate: convolution layers and networks, {} interleaved cycles ({:.0f} s so far)",
                    cycles, detail::now_s() - started));
    int last_cycle = -1;
    const auto by_cycle = detail::time_interleaved(interleaved, cycles, 0.05, [&](int c, std::size_t) {
      if (opts.check_stop) opts.check_stop();
      if (c != last_cycle) say(fmt::format("cycle {}/{}  {} kernels", c + 1, cycles, interleaved.size()), true);
      last_cycle = c;
    });
    const QuietCycles quiet = quiet_cycle_times(by_cycle, 1.0 / 3.0, 3);
    for (std::size_t j = 0; j < interleaved.size(); ++j) {
      std::vector<std::vector<double>> per_cycle;
      for (const auto& c : by_cycle) per_cycle.push_back({c[j]});
      const RoundStats rs = summarize_rounds(per_cycle);
      auto& r = suite.specs[interleaved_spec[j]].result;
      r.measured_s = quiet.seconds[j];
      r.time = rs.all;
      r.round_spread = rs.round_spread;
    }
    quiet_note = fmt::format("{} of {} cycles", quiet.chosen.size(), by_cycle.size());
  }
  set_blas_threads(threads);

  // Fits: fp32 on all cores first; fp64 shares its per-call overhead.
  say("calibrate: fitting the roofline");
  FittedModel main = fit_model(kProfile, suite.specs, {});
  FitOptions fp64_fixed;
  fp64_fixed.overhead_s = main.params.overhead_s;
  FittedModel fp64 = fit_model(kFp64, suite.specs, fp64_fixed);
  FittedModel single = fit_model(kSingle, suite.specs, {});

  // The profile.
  HardwareProfile& p = out.profile;
  std::string class_why;
  p.klass = opts.klass ? *opts.klass : guess_class(machine, class_why);
  if (opts.klass) class_why = "given with --class";
  p.id = opts.id.empty() ? sanitize_id(machine.host) : opts.id;
  p.name = fmt::format("{} ({} CPUs), calibrated on {}", machine.cpu_model, machine.cpus,
                       machine.host.empty() ? "this machine" : machine.host);
  p.form_factor = machine.virtual_machine ? "virtual machine" : "measured machine";
  p.accelerators = 1;
  p.memory_capacity = Bytes(machine.memory_bytes);
  detail::apply_factors(p, main.factors);
  // A per-call overhead at the fit's lower bound (0.1 ns) means the kernels' times did not
  // resolve it (every kernel is far longer): the profile keeps the default (none) instead of
  // a figure the data do not support.
  const bool overhead_unresolved = overhead_unresolved_s(main.params.overhead_s);
  if (overhead_unresolved) p.overhead = Seconds(0.0);
  // The GEMM-row roofline (half_batch in rows of the streamed operand) predicts the GEMM and
  // convolution kernels below; the written profile prices a model's item, an image: an image
  // of a CNN already brings thousands of GEMM rows per layer, so a half_batch in rows, read
  // as images, made a calibrated profile ~50x too slow on ResNet-50 at batch 1.
  const HardwareProfile rows_profile = p;
  const ImageEfficiency img = image_efficiency(suite.specs, main.factors.peak_flops_per_s);
  if (img.layers > 0) {
    p.efficiency_compute = img.efficiency;
    p.half_efficiency_batch = 0.0;
    if (!overhead_unresolved) p.launch = Seconds(main.params.overhead_s);
  }

  const std::string blas = blas_config();
  const std::string when =
      fmt::format("hwplan calibrate{} on {}", opts.quick ? " --quick" : "", machine.date_utc);
  const auto& mf = main.factors;
  p.sources["compute"] = fmt::format(
      "{}: fp32 = best measured OpenBLAS SGEMM rate on {} threads ({}); the fitted large-batch "
      "asymptote is {}",
      when, threads, gflops(mf.peak_flops_per_s), gflops(main.params.compute_flops_per_s));
  p.sources["memory"] = fmt::format(
      "{}: bandwidth = STREAM triad on {} threads (24 B per element, arrays of {} MiB); capacity = "
      "{}",
      when, threads, suite.triad_elements * 8 / (1024 * 1024),
      "MemTotal from /proc/meminfo (or the cgroup limit)");
  p.sources["efficiency"] = fmt::format(
      "{}: per image: compute = {} (FLOPs / measured time of {} whole convolution layers on one image, timed "
      "in interleaved cycles with the held-out networks, median over the quietest third ({}), "
      "im2col + SGEMM, = {}) / best SGEMM rate; half_batch 0 (one image already fills the GEMMs of every "
      "layer; batching images gains little on a CPU); launch = fitted cost per BLAS call (one per layer). "
      "memory = fitted bandwidth of GEMM operand streaming / triad bandwidth, from the roofline fitted to "
      "{} kernels (SGEMM square and skinny, im2col convolution; least squares in log time), whose "
      "compute asymptote is {} with half_batch {:.3g} GEMM rows (calibration.fit). Checked on held-out "
      "networks: the small CNN and ResNet-50's 53 convolutions (calibration.kernels, docs/calibration.md)",
      when, fmt::format("{:.4f}", p.efficiency_compute), img.layers, quiet_note, gflops(img.flops_per_s), main.fit_kernels,
      gflops(main.params.compute_flops_per_s), main.params.half_batch);
  detail::record_overhead(
      p, overhead_unresolved, fmt::format("{}: fitted fixed cost per BLAS call on {} threads", when, threads),
      fmt::format("overhead unresolved ({}): the fitted fixed cost per BLAS call on {} threads is at the fit's "
                  "lower bound (0.1 ns), so the kernels' times do not resolve it; overhead and efficiency.launch "
                  "keep the default (none)",
                  when, threads));
  if (overhead_unresolved) {
    out.notes.push_back(
        "the per-call overhead is unresolved (the fit put it at its lower bound, 0.1 ns): the profile keeps "
        "the default (no overhead, no launch cost), and --apply-to keeps the catalogue profile's");
  }
  p.sources["class"] = fmt::format("{} ({}); set with --class", to_string(p.klass), class_why);

  // Power: RAPL package energy where readable, else a labelled estimate (the schema
  // requires power.idle and power.max).
  say("calibrate: power (RAPL)");
  std::optional<double> idle_w, busy_w;
  {
    idle_w = detail::rapl_power_w(nullptr, opts.quick ? 0.5 : 2.0, opts.check_stop);
    if (idle_w) {
      const int n = 1024;
      busy_w = detail::rapl_power_w(
          [&] {
            set_blas_threads(threads);
            gemm(n, n, n, ws.fa.data(), ws.fb.data(), ws.fc.data());
          },
          opts.quick ? 1.0 : 3.0, opts.check_stop);
    }
  }
  if (idle_w && busy_w) {
    p.power_idle = Watts(*idle_w);
    p.power_max = Watts(std::max(*busy_w, *idle_w));
    p.sources["power"] = fmt::format(
        "{}: RAPL package energy (/sys/class/powercap/intel-rapl:*), idle = {:.1f} s asleep, max = "
        "SGEMM on all "
        "{} threads; CPU package only (no memory, disks, fans, PSU losses)",
        when, opts.quick ? 0.5 : 2.0, threads);
  } else {
    // Estimate: a server core at full load draws about 6 W (socket TDP / cores for
    // current x86 parts), plus a share of memory and platform; idle is about 35 %.
    const double max_w = 10.0 + 6.0 * machine.cpus;
    p.power_max = Watts(max_w);
    p.power_idle = Watts(0.35 * max_w);
    p.sources["power"] = fmt::format(
        "estimate: RAPL not readable ({}); max = 10 W platform share + 6 W per logical CPU x {}, "
        "idle = 35 % "
        "of max; replace with a wall-meter reading",
        detail::rapl_unreadable_reason(), machine.cpus);
    out.notes.push_back("power is an estimate: RAPL is not readable here (" +
                        detail::rapl_unreadable_reason() + "); see sources.power in the profile");
  }

  // Predictions, through perf_model on the profile (and on sibling profiles for the
  // report-only models).
  std::map<std::string, HardwareProfile> by_model;
  by_model[kProfile] = rows_profile;
  by_model[kImage] = p;
  for (const FittedModel* fm : {&fp64, &single}) {
    if (fm->fit_kernels == 0) continue;
    HardwareProfile q = p;
    detail::apply_factors(q, fm->factors);
    by_model[fm->name] = q;
  }
  for (auto& sp : suite.specs) {
    KernelResult& k = sp.result;
    const HardwareProfile& hwp = by_model.at(k.model);
    // The triad defines memory.bandwidth: its prediction is bytes / bandwidth.
    k.predicted_s = k.role == Role::reference ? k.bytes / hwp.memory_bandwidth.si()
                    : k.model == kImage       ? predict_image(hwp, sp)
                                              : detail::predict_on(hwp, sp.stages);
    k.error = relative_error(k.predicted_s, k.measured_s);
    out.kernels.push_back(k);
  }
  out.held_out = held_out_summary(out.kernels);
  out.models = {main, fp64};
  if (single.fit_kernels > 0) out.models.push_back(single);

  // Provenance.
  std::string names;
  for (const auto& k : out.kernels) names += (names.empty() ? "" : "; ") + k.name;
  auto& c = p.calibration;
  c["date"] = machine.date_utc;
  c["host"] = machine.host;
  c["cpu_model"] = machine.cpu_model;
  c["cpus"] = std::to_string(machine.cpus);
  c["threads"] = std::to_string(threads);
  c["kernel"] = machine.kernel;
  c["blas"] = blas;
  c["mode"] = opts.quick ? "quick" : "full";
  c["kernels"] = names;
  c["fit"] = fmt::format(
      "P = {}, B = {}, h = {:.3g} rows, t0 = {:.3g} us over {} kernels, rms log error {:.3f}",
      gflops(main.params.compute_flops_per_s), gbps(main.params.bandwidth_bytes_per_s),
      main.params.half_batch, main.params.overhead_s * 1e6, main.fit_kernels, main.rms_log_error);
  if (overhead_unresolved) c["overhead_fit"] = "unresolved";
  c["fp64_peak"] = gflops(fp64.factors.peak_flops_per_s);
  if (single.fit_kernels > 0) {
    c["single_thread_fp32_peak"] = gflops(single.factors.peak_flops_per_s);
    c["single_thread_triad_bandwidth"] = gbps(single.factors.bandwidth_bytes_per_s);
  }
  // The profile's own held-out rows only (held_out_summary): not the fp64 or 1-thread models'.
  c["held_out_median_abs_error"] = fmt::format("{:.1f} % over {} kernels", 100 * out.held_out.profile_median_abs_error,
                                               out.held_out.profile_kernels);
  c["load_average_at_start"] = fmt::format("{:.2f}", machine.load_average);
  c["interleaved_quiet_cycles"] = quiet_note;

  // GPU path (CUDA builds only).
  out.gpu_profile = detail::calibrate_gpu(p, opts.quick, opts.gpu_power_max_w, out.kernels, out.models, out.notes,
                                          [&](const std::string& m, bool d) { say(m, d); });
  // The GPU's rows are its own models': the CPU profile's headline does not change, and the
  // GPU profile (which copied the CPU profile's calibration map) gets its own rows' median.
  out.held_out = held_out_summary(out.kernels);
  if (out.gpu_profile) {
    std::vector<double> gpu_errors;
    for (const auto& k : out.kernels) {
      if (k.role == Role::held_out && k.model.rfind("gpu", 0) == 0) gpu_errors.push_back(k.error);
    }
    if (gpu_errors.empty()) {
      out.gpu_profile->calibration.erase("held_out_median_abs_error");
    } else {
      out.gpu_profile->calibration["held_out_median_abs_error"] =
          fmt::format("{:.1f} % over {} kernels", 100 * median_abs(gpu_errors), gpu_errors.size());
    }
  }

  {
    std::vector<double> spreads;
    for (const auto& k : out.kernels) spreads.push_back(k.round_spread);
    const double typical = median_abs(spreads);
    const double load_end = detail::read_machine().load_average;
    c["load_average_at_end"] = fmt::format("{:.2f}", load_end);
    if (typical > 0.1 || load_end > 0.5 + threads) {
      out.notes.push_back(
          fmt::format("the run was disturbed: round medians differ by {:.0f} % for a typical "
                      "kernel (load average {:.2f} at the "
                      "end); measured times are each kernel's best round, which helps only if some "
                      "rounds were quiet",
                      100 * typical, load_end));
    }
  }
  if (out.held_out.profile_median_abs_error > 0.15) {
    out.notes.push_back(
        fmt::format("median held-out error of the profile {:.1f} % is above 15 %: the roofline does not describe "
                    "this machine well, or the run was disturbed (see the spread column)",
                    100 * out.held_out.profile_median_abs_error));
  }
  out.wall_s = detail::now_s() - started;
  c["wall_time"] = fmt::format("{:.1f} s", out.wall_s);
  return out;
}

}  // namespace hw::calib
