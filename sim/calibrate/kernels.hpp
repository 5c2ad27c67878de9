// The numerical kernels that `hwplan calibrate` times: dense GEMM through OpenBLAS, a
// STREAM-style triad, a 2-D convolution (im2col + SGEMM) and a small CNN built from them.
// Each has a plain reference implementation so tests can check the results. Timing and
// fitting live elsewhere (sim/calibrate/detail/timing.hpp, sim/calibrate/fit.hpp).
//
// All matrices are row-major and densely packed. Tensors are CHW (one image, no batch).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace hw::calib {

// C[m x n] = A[m x k] * B[k x n] through OpenBLAS, with the thread count OpenBLAS holds.
void gemm(int m, int n, int k, const float* a, const float* b, float* c);
void gemm(int m, int n, int k, const double* a, const double* b, double* c);
// The same product by three plain loops (double accumulation), for tests.
void gemm_reference(int m, int n, int k, const float* a, const float* b, float* c);
void gemm_reference(int m, int n, int k, const double* a, const double* b, double* c);

// OpenBLAS thread count (openblas_set_num_threads) and what the library reports.
void set_blas_threads(int threads);
int blas_processors();
std::string
blas_config();  // version and build configuration, e.g. "OpenBLAS 0.3.21 ... Cooperlake"

// STREAM triad a[i] = b[i] + s * c[i], split over up to `threads` persistent workers.
// Traffic by STREAM's convention: 24 bytes per element (two loads, one store).
class Triad {
 public:
  Triad(std::size_t elements, int threads);
  ~Triad();
  Triad(const Triad&) = delete;
  Triad& operator=(const Triad&) = delete;

  // One pass on `threads` workers (0 or more than constructed: all of them).
  void run(double scalar, int threads = 0);
  [[nodiscard]] std::size_t elements() const { return n_; }
  [[nodiscard]] int threads() const;
  [[nodiscard]] const double* a() const { return a_.get(); }

 private:
  struct Team;
  std::size_t n_;
  std::unique_ptr<double[]> a_, b_, c_;
  std::unique_ptr<Team> team_;
};

// One convolution layer: square kernel, symmetric zero padding, no bias.
struct ConvShape {
  int in_channels = 1;
  int height = 1;
  int width = 1;
  int out_channels = 1;
  int kernel = 3;
  int stride = 1;
  int pad = 1;

  [[nodiscard]] int out_height() const { return (height + 2 * pad - kernel) / stride + 1; }
  [[nodiscard]] int out_width() const { return (width + 2 * pad - kernel) / stride + 1; }
  // GEMM view: output[m x n] = weights[m x k] * columns[k x n].
  [[nodiscard]] int gemm_m() const { return out_channels; }
  [[nodiscard]] int gemm_n() const { return out_height() * out_width(); }
  [[nodiscard]] int gemm_k() const { return in_channels * kernel * kernel; }
  [[nodiscard]] double flops() const { return 2.0 * gemm_m() * gemm_n() * gemm_k(); }
};

// Unfolds input [C x H x W] into columns [(C*R*S) x (OH*OW)].
void im2col(const ConvShape& s, const float* input, float* columns);
// output [K x OH x OW] = conv(input, weights [K x C x R x S]); `columns` is scratch of
// gemm_k() * gemm_n() floats.
void conv2d(const ConvShape& s, const float* input, const float* weights, float* columns,
            float* output);
void conv2d_reference(const ConvShape& s, const float* input, const float* weights, float* output);

// ResNet-50 v1.5 at 224x224, one image: its 53 convolutions in order (stem 7x7/2; each
// bottleneck 1x1, 3x3 carrying the stride, 1x1, and the projection shortcut of each stage's
// first block), about 4.1 G multiply-accumulates. Timed by calibrate as a held-out network.
std::vector<ConvShape> resnet50_convs();

// In place max(x, 0) then 2x2 max pooling with stride 2: [C x H x W] -> [C x H/2 x W/2].
void relu_maxpool2(int channels, int height, int width, const float* input, float* output);

// Deterministic pseudo-random values in [-scale, scale) (a 64-bit LCG), so weights and
// inputs are the same on every machine.
void fill_deterministic(float* data, std::size_t n, std::uint64_t seed, float scale);
void fill_deterministic(double* data, std::size_t n, std::uint64_t seed, double scale);

// A small VGG-like CNN: conv layers (3x3, each followed by ReLU and 2x2 max pooling,
// except the last, followed by global average pooling) and one fully connected layer.
// Weights come from fill_deterministic, scaled so that activations stay of order one.
class TinyCnn {
 public:
  struct Layer {
    ConvShape conv;
    bool pool = true;  // ReLU + 2x2 max pool after the conv; else ReLU + global average
  };
  TinyCnn(std::vector<Layer> layers, int classes, std::uint64_t seed);

  // Logits for one image of layers().front().conv input shape.
  const std::vector<float>& forward(const float* image);

  [[nodiscard]] const std::vector<Layer>& layers() const { return layers_; }
  [[nodiscard]] int classes() const { return classes_; }
  [[nodiscard]] int features() const;  // input width of the fully connected layer
  [[nodiscard]] std::size_t input_size() const;

  // The default network timed by calibrate: 3x128x128 input, 32-64-128-256 channels,
  // 100 classes, about 0.46 GFLOP per image.
  static std::vector<Layer> default_layers();

 private:
  std::vector<Layer> layers_;
  int classes_;
  std::vector<std::vector<float>> weights_;
  std::vector<float> fc_;
  std::vector<float> columns_, conv_out_, act_a_, act_b_, logits_;
};

}  // namespace hw::calib
