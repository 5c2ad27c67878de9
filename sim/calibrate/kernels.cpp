#include "sim/calibrate/kernels.hpp"

#include <cblas.h>

#include <algorithm>
#include <barrier>
#include <cassert>
#include <cmath>
#include <functional>
#include <string>
#include <thread>

namespace hw::calib {

// ---------------------------------------------------------------- GEMM

void gemm(int m, int n, int k, const float* a, const float* b, float* c) {
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a, k, b, n, 0.0f, c, n);
}

void gemm(int m, int n, int k, const double* a, const double* b, double* c) {
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0, a, k, b, n, 0.0, c, n);
}

namespace {
template <class T>
void gemm_loops(int m, int n, int k, const T* a, const T* b, T* c) {
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < n; ++j) {
      double sum = 0.0;
      for (int p = 0; p < k; ++p) {
        sum += static_cast<double>(a[static_cast<std::size_t>(i) * k + p]) *
               static_cast<double>(b[static_cast<std::size_t>(p) * n + j]);
      }
      c[static_cast<std::size_t>(i) * n + j] = static_cast<T>(sum);
    }
  }
}
}  // namespace

void gemm_reference(int m, int n, int k, const float* a, const float* b, float* c) {
  gemm_loops(m, n, k, a, b, c);
}
void gemm_reference(int m, int n, int k, const double* a, const double* b, double* c) {
  gemm_loops(m, n, k, a, b, c);
}

void set_blas_threads(int threads) {
  openblas_set_num_threads(std::max(1, threads));
}
int blas_processors() {
  return openblas_get_num_procs();
}

std::string blas_config() {
  const char* cfg = openblas_get_config();
  std::string s = cfg ? cfg : "OpenBLAS (unknown configuration)";
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// ---------------------------------------------------------------- triad

// A fixed team of threads that run one job together: the caller is worker 0, the
// others wait on a barrier between jobs. Starting threads per pass would cost tens of
// microseconds, a few per cent of a pass over 200 MB.
struct Triad::Team {
  explicit Team(int n) : size(n), start(n), done(n) {
    for (int i = 1; i < n; ++i) workers.emplace_back([this, i] { loop(i); });
  }
  ~Team() {
    stop = true;
    start.arrive_and_wait();
    for (auto& w : workers) w.join();
  }
  Team(const Team&) = delete;
  Team& operator=(const Team&) = delete;

  void run(std::function<void(int)> f) {
    job = std::move(f);
    start.arrive_and_wait();
    job(0);
    done.arrive_and_wait();
  }

  void loop(int i) {
    for (;;) {
      start.arrive_and_wait();
      if (stop) return;
      job(i);
      done.arrive_and_wait();
    }
  }

  int size;
  std::barrier<> start;
  std::barrier<> done;
  std::function<void(int)> job;
  bool stop = false;  // written before `start`, read after it: the barrier orders them
  std::vector<std::thread> workers;
};

namespace {
// Worker i's share [first, last) of n elements, on 64-byte boundaries.
std::pair<std::size_t, std::size_t> share(std::size_t n, int i, int parts) {
  auto edge = [&](int j) {
    std::size_t e = n * static_cast<std::size_t>(j) / static_cast<std::size_t>(parts);
    return j == parts ? n : e - e % 8;
  };
  return {edge(i), edge(i + 1)};
}

void triad_range(double* __restrict a, const double* __restrict b, const double* __restrict c,
                 double s, std::size_t first, std::size_t last) {
  for (std::size_t i = first; i < last; ++i) a[i] = b[i] + s * c[i];
}
}  // namespace

Triad::Triad(std::size_t elements, int threads)
    : n_(elements),
      a_(new double[elements]),
      b_(new double[elements]),
      c_(new double[elements]),
      team_(std::make_unique<Team>(std::max(1, threads))) {
  // First touch by the worker that will use each share (places pages near it).
  const int parts = team_->size;
  team_->run([this, parts](int i) {
    auto [first, last] = share(n_, i, parts);
    for (std::size_t j = first; j < last; ++j) {
      a_[j] = 0.0;
      b_[j] = 1.0;
      c_[j] = 2.0;
    }
  });
}

Triad::~Triad() = default;

int Triad::threads() const {
  return team_->size;
}

void Triad::run(double scalar, int threads) {
  const int parts = (threads <= 0 || threads > team_->size) ? team_->size : threads;
  double* a = a_.get();
  const double* b = b_.get();
  const double* c = c_.get();
  const std::size_t n = n_;
  team_->run([=](int i) {
    if (i >= parts) return;
    auto [first, last] = share(n, i, parts);
    triad_range(a, b, c, scalar, first, last);
  });
}

// ---------------------------------------------------------------- convolution

void im2col(const ConvShape& s, const float* input, float* columns) {
  const int oh = s.out_height();
  const int ow = s.out_width();
  const std::size_t plane = static_cast<std::size_t>(oh) * ow;
  for (int c = 0; c < s.in_channels; ++c) {
    const float* in = input + static_cast<std::size_t>(c) * s.height * s.width;
    for (int kr = 0; kr < s.kernel; ++kr) {
      for (int ks = 0; ks < s.kernel; ++ks) {
        float* row = columns + (static_cast<std::size_t>(c) * s.kernel * s.kernel +
                                static_cast<std::size_t>(kr) * s.kernel + ks) *
                                   plane;
        for (int oy = 0; oy < oh; ++oy) {
          const int iy = oy * s.stride - s.pad + kr;
          float* out = row + static_cast<std::size_t>(oy) * ow;
          if (iy < 0 || iy >= s.height) {
            std::fill(out, out + ow, 0.0f);
            continue;
          }
          const float* line = in + static_cast<std::size_t>(iy) * s.width;
          for (int ox = 0; ox < ow; ++ox) {
            const int ix = ox * s.stride - s.pad + ks;
            out[ox] = (ix >= 0 && ix < s.width) ? line[ix] : 0.0f;
          }
        }
      }
    }
  }
}

void conv2d(const ConvShape& s, const float* input, const float* weights, float* columns,
            float* output) {
  im2col(s, input, columns);
  gemm(s.gemm_m(), s.gemm_n(), s.gemm_k(), weights, columns, output);
}

void conv2d_reference(const ConvShape& s, const float* input, const float* weights, float* output) {
  const int oh = s.out_height();
  const int ow = s.out_width();
  for (int k = 0; k < s.out_channels; ++k) {
    for (int oy = 0; oy < oh; ++oy) {
      for (int ox = 0; ox < ow; ++ox) {
        double sum = 0.0;
        for (int c = 0; c < s.in_channels; ++c) {
          for (int kr = 0; kr < s.kernel; ++kr) {
            const int iy = oy * s.stride - s.pad + kr;
            if (iy < 0 || iy >= s.height) continue;
            for (int ks = 0; ks < s.kernel; ++ks) {
              const int ix = ox * s.stride - s.pad + ks;
              if (ix < 0 || ix >= s.width) continue;
              const float w =
                  weights[((static_cast<std::size_t>(k) * s.in_channels + c) * s.kernel + kr) *
                              s.kernel +
                          ks];
              const float x = input[(static_cast<std::size_t>(c) * s.height + iy) * s.width + ix];
              sum += static_cast<double>(w) * x;
            }
          }
        }
        output[(static_cast<std::size_t>(k) * oh + oy) * ow + ox] = static_cast<float>(sum);
      }
    }
  }
}

void relu_maxpool2(int channels, int height, int width, const float* input, float* output) {
  const int oh = height / 2;
  const int ow = width / 2;
  for (int c = 0; c < channels; ++c) {
    const float* in = input + static_cast<std::size_t>(c) * height * width;
    float* out = output + static_cast<std::size_t>(c) * oh * ow;
    for (int y = 0; y < oh; ++y) {
      const float* r0 = in + static_cast<std::size_t>(2 * y) * width;
      const float* r1 = r0 + width;
      for (int x = 0; x < ow; ++x) {
        const float m =
            std::max(std::max(r0[2 * x], r0[2 * x + 1]), std::max(r1[2 * x], r1[2 * x + 1]));
        out[static_cast<std::size_t>(y) * ow + x] =
            std::max(m, 0.0f);  // max(relu(x)) = relu(max(x))
      }
    }
  }
}

// ---------------------------------------------------------------- deterministic data

namespace {
template <class T>
void fill_lcg(T* data, std::size_t n, std::uint64_t seed, T scale) {
  // Knuth's MMIX LCG; the top 24 bits give a uniform value in [0, 1).
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 1;
  for (std::size_t i = 0; i < n; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const double u = static_cast<double>(x >> 40) / static_cast<double>(1ULL << 24);
    data[i] = static_cast<T>((2.0 * u - 1.0) * scale);
  }
}
}  // namespace

void fill_deterministic(float* data, std::size_t n, std::uint64_t seed, float scale) {
  fill_lcg(data, n, seed, scale);
}
void fill_deterministic(double* data, std::size_t n, std::uint64_t seed, double scale) {
  fill_lcg(data, n, seed, scale);
}

// ---------------------------------------------------------------- tiny CNN

std::vector<ConvShape> resnet50_convs() {
  std::vector<ConvShape> convs;
  convs.push_back(ConvShape{3, 224, 224, 64, 7, 2, 3});  // stem, then a 3x3/2 max pool to 56x56
  int in = 64, size = 56;
  struct StageSpec {
    int blocks, mid, out, stride;
  };
  for (const StageSpec st : {StageSpec{3, 64, 256, 1}, StageSpec{4, 128, 512, 2}, StageSpec{6, 256, 1024, 2},
                             StageSpec{3, 512, 2048, 2}}) {
    for (int b = 0; b < st.blocks; ++b) {
      const int stride = b == 0 ? st.stride : 1;
      const int out_size = size / stride;
      convs.push_back(ConvShape{in, size, size, st.mid, 1, 1, 0});
      convs.push_back(ConvShape{st.mid, size, size, st.mid, 3, stride, 1});
      convs.push_back(ConvShape{st.mid, out_size, out_size, st.out, 1, 1, 0});
      if (b == 0) convs.push_back(ConvShape{in, size, size, st.out, 1, stride, 0});  // projection
      in = st.out;
      size = out_size;
    }
  }
  return convs;
}

std::vector<TinyCnn::Layer> TinyCnn::default_layers() {
  return {
      {ConvShape{3, 128, 128, 32, 3, 1, 1}, true},
      {ConvShape{32, 64, 64, 64, 3, 1, 1}, true},
      {ConvShape{64, 32, 32, 128, 3, 1, 1}, true},
      {ConvShape{128, 16, 16, 256, 3, 1, 1}, false},
  };
}

TinyCnn::TinyCnn(std::vector<Layer> layers, int classes, std::uint64_t seed)
    : layers_(std::move(layers)), classes_(classes) {
  // Every layer but the last pools 2x2; the last feeds global average pooling.
  assert(!layers_.empty() && classes_ > 0 && !layers_.back().pool);
  std::size_t cols = 0, out = 0, act = 0;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const ConvShape& s = layers_[i].conv;
    if (i > 0) {
      const ConvShape& prev = layers_[i - 1].conv;
      const int ph = prev.out_height() / 2, pw = prev.out_width() / 2;
      assert(layers_[i - 1].pool && s.in_channels == prev.out_channels && s.height == ph &&
             s.width == pw);
      (void)ph;
      (void)pw;
    }
    std::vector<float> w(static_cast<std::size_t>(s.gemm_m()) * s.gemm_k());
    // He-style uniform bound sqrt(6 / fan_in) keeps activations of order one after ReLU.
    fill_deterministic(w.data(), w.size(), seed + i,
                       static_cast<float>(std::sqrt(6.0 / s.gemm_k())));
    weights_.push_back(std::move(w));
    cols = std::max(cols, static_cast<std::size_t>(s.gemm_k()) * s.gemm_n());
    out = std::max(out, static_cast<std::size_t>(s.gemm_m()) * s.gemm_n());
    act = std::max(act, static_cast<std::size_t>(s.gemm_m()) * s.gemm_n() / 4);
  }
  fc_.resize(static_cast<std::size_t>(features()) * classes_);
  fill_deterministic(fc_.data(), fc_.size(), seed + 1000,
                     static_cast<float>(std::sqrt(6.0 / features())));
  columns_.resize(cols);
  conv_out_.resize(out);
  act_a_.resize(std::max<std::size_t>(act, 1));
  act_b_.resize(std::max<std::size_t>(act, 1));
  logits_.resize(static_cast<std::size_t>(classes_));
}

int TinyCnn::features() const {
  return layers_.back().conv.out_channels;
}

std::size_t TinyCnn::input_size() const {
  const ConvShape& s = layers_.front().conv;
  return static_cast<std::size_t>(s.in_channels) * s.height * s.width;
}

const std::vector<float>& TinyCnn::forward(const float* image) {
  const float* in = image;
  std::vector<float>* next = &act_a_;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const ConvShape& s = layers_[i].conv;
    conv2d(s, in, weights_[i].data(), columns_.data(), conv_out_.data());
    if (layers_[i].pool) {
      relu_maxpool2(s.out_channels, s.out_height(), s.out_width(), conv_out_.data(), next->data());
      in = next->data();
      next = next == &act_a_ ? &act_b_ : &act_a_;
    } else {
      // ReLU then global average pooling into the feature vector.
      const std::size_t plane = static_cast<std::size_t>(s.out_height()) * s.out_width();
      for (int c = 0; c < s.out_channels; ++c) {
        const float* p = conv_out_.data() + c * plane;
        double sum = 0.0;
        for (std::size_t j = 0; j < plane; ++j) sum += std::max(p[j], 0.0f);
        (*next)[static_cast<std::size_t>(c)] = static_cast<float>(sum / static_cast<double>(plane));
      }
      in = next->data();
    }
  }
  // logits[1 x classes] = features[1 x F] * fc[F x classes]
  gemm(1, classes_, features(), in, fc_.data(), logits_.data());
  return logits_;
}

}  // namespace hw::calib
