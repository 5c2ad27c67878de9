// calibrate's kernels compute the right thing: OpenBLAS GEMM and im2col convolution
// against plain loops, the triad, pooling, and the CNN's determinism.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "sim/calibrate/kernels.hpp"
#include "sim/calibrate/detail/timing.hpp"

using namespace hw::calib;

namespace {

template <class T>
double max_rel_diff(const std::vector<T>& a, const std::vector<T>& b) {
  double worst = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    worst = std::max(worst, std::abs(static_cast<double>(a[i]) - b[i]) /
                                (1.0 + std::abs(static_cast<double>(b[i]))));
  }
  return worst;
}

template <class T>
void check_gemm(int m, int n, int k, int threads, double tol) {
  std::vector<T> a(static_cast<std::size_t>(m) * k), b(static_cast<std::size_t>(k) * n);
  std::vector<T> c(static_cast<std::size_t>(m) * n), ref(c.size());
  fill_deterministic(a.data(), a.size(), 1, static_cast<T>(1));
  fill_deterministic(b.data(), b.size(), 2, static_cast<T>(1));
  set_blas_threads(threads);
  gemm(m, n, k, a.data(), b.data(), c.data());
  gemm_reference(m, n, k, a.data(), b.data(), ref.data());
  CHECK(max_rel_diff(c, ref) < tol);
}

}  // namespace

TEST_CASE("SGEMM through OpenBLAS matches the plain loops on small shapes") {
  for (int threads : {1, 2}) {
    check_gemm<float>(1, 1, 1, threads, 1e-6);
    check_gemm<float>(3, 5, 7, threads, 1e-5);
    check_gemm<float>(17, 13, 9, threads, 1e-5);
    check_gemm<float>(1, 64, 33, threads, 1e-5);
    check_gemm<float>(65, 2, 130, threads, 1e-5);
    check_gemm<float>(96, 96, 96, threads, 1e-5);
  }
}

TEST_CASE("DGEMM through OpenBLAS matches the plain loops on small shapes") {
  for (int threads : {1, 2}) {
    check_gemm<double>(3, 5, 7, threads, 1e-12);
    check_gemm<double>(33, 1, 64, threads, 1e-12);
    check_gemm<double>(80, 70, 60, threads, 1e-12);
  }
}

TEST_CASE("im2col lays out each kernel offset as a row, zero outside the image") {
  // 1 channel, 3x3 image 1..9, 3x3 kernel, pad 1: 9 rows of 9 columns.
  ConvShape s{1, 3, 3, 1, 3, 1, 1};
  std::vector<float> in{1, 2, 3, 4, 5, 6, 7, 8, 9};
  std::vector<float> cols(static_cast<std::size_t>(s.gemm_k()) * s.gemm_n());
  im2col(s, in.data(), cols.data());
  // The centre offset (row 4) is the image itself.
  for (int i = 0; i < 9; ++i) CHECK(cols[4 * 9 + i] == in[i]);
  // The top-left offset (row 0) sees the pixel up-left of each output: zero on the border.
  CHECK(cols[0 * 9 + 0] == 0.0f);
  CHECK(cols[0 * 9 + 4] == 1.0f);
  CHECK(cols[0 * 9 + 8] == 5.0f);
}

TEST_CASE("conv2d (im2col + SGEMM) matches a direct convolution") {
  const std::vector<ConvShape> shapes{
      {3, 8, 8, 4, 3, 1, 1},    // same padding
      {2, 9, 7, 5, 3, 2, 1},    // stride 2, odd sizes
      {4, 6, 6, 3, 1, 1, 0},    // 1x1
      {1, 10, 10, 2, 5, 1, 2},  // 5x5
  };
  for (const auto& s : shapes) {
    std::vector<float> in(static_cast<std::size_t>(s.in_channels) * s.height * s.width);
    std::vector<float> w(static_cast<std::size_t>(s.gemm_m()) * s.gemm_k());
    std::vector<float> cols(static_cast<std::size_t>(s.gemm_k()) * s.gemm_n());
    std::vector<float> out(static_cast<std::size_t>(s.gemm_m()) * s.gemm_n()), ref(out.size());
    fill_deterministic(in.data(), in.size(), 3, 1.0f);
    fill_deterministic(w.data(), w.size(), 4, 1.0f);
    set_blas_threads(2);
    conv2d(s, in.data(), w.data(), cols.data(), out.data());
    conv2d_reference(s, in.data(), w.data(), ref.data());
    CHECK(max_rel_diff(out, ref) < 1e-5);
  }
}

TEST_CASE("relu_maxpool2 takes the maximum of each 2x2 block, floored at zero") {
  std::vector<float> in{1,  -2, 3,  4,   //
                        -5, 0,  -1, 2,   //
                        -1, -2, 9,  0,   //
                        -3, -4, 1,  1};  //
  std::vector<float> out(4);
  relu_maxpool2(1, 4, 4, in.data(), out.data());
  CHECK(out == std::vector<float>{1, 4, 0, 9});
}

TEST_CASE("triad computes a = b + s*c on one and on two threads") {
  for (int threads : {1, 2}) {
    Triad t(1003, 2);  // not a multiple of the 8-element shares
    t.run(3.0, threads);
    bool all = true;
    for (std::size_t i = 0; i < t.elements(); ++i) all = all && t.a()[i] == 1.0 + 3.0 * 2.0;
    CHECK(all);
  }
}

TEST_CASE("the CNN is deterministic and its layers chain") {
  std::vector<TinyCnn::Layer> layers{{ConvShape{3, 16, 16, 8, 3, 1, 1}, true},
                                     {ConvShape{8, 8, 8, 16, 3, 1, 1}, false}};
  TinyCnn a(layers, 10, 7), b(layers, 10, 7), c(layers, 10, 8);
  CHECK(a.features() == 16);
  std::vector<float> image(a.input_size());
  fill_deterministic(image.data(), image.size(), 5, 1.0f);
  const std::vector<float> la = a.forward(image.data());
  CHECK(la.size() == 10);
  CHECK(a.forward(image.data()) == la);  // same instance, same answer
  CHECK(b.forward(image.data()) == la);  // same seed, same weights
  CHECK(c.forward(image.data()) != la);
  double energy = 0.0;
  for (float v : la) {
    CHECK(std::isfinite(v));
    energy += v * v;
  }
  CHECK(energy > 0.0);
  // The default network is the one the suite describes.
  auto d = TinyCnn::default_layers();
  CHECK(d.front().conv.height == 128);
  CHECK_FALSE(d.back().pool);
}

TEST_CASE("resnet50_convs: ResNet-50 v1.5's 53 convolutions, 4.1 G multiply-accumulates, ending at 2048 x 7 x 7") {
  const auto convs = hw::calib::resnet50_convs();
  CHECK(convs.size() == 53);
  double macs = 0.0;
  for (const auto& c : convs) macs += c.flops() / 2.0;
  macs += 2048.0 * 1000.0;  // the fully connected layer
  // torchvision's model card: 4.09 GFLOPS, counting multiply-accumulates.
  CHECK(macs == doctest::Approx(4.09e9).epsilon(0.02));
  CHECK(convs.front().out_height() == 112);
  CHECK(convs.back().out_channels == 2048);
  CHECK(convs.back().out_height() == 7);
  // v1.5: the stride sits on the 3x3 of each stage's first block, not on its first 1x1.
  int strided_3x3 = 0;
  for (const auto& c : convs) strided_3x3 += c.kernel == 3 && c.stride == 2;
  CHECK(strided_3x3 == 3);
}

TEST_CASE("time_interleaved asks before every kernel's stretch, so a stop request ends it within one stretch") {
  // A review (rev-calib item 11): Ctrl-C during the interleaved cycles took 2.2 s, the stop
  // being checked once per cycle of six ~0.2 s stretches. Three counting kernels; the
  // callback throws before the second stretch of cycle 0, so exactly one kernel ran: its
  // warm-up estimate call, then (being far shorter than the 1 ms stretch) one untimed call
  // and a timed batch; the other two ran only their estimate call.
  std::vector<int> calls(3, 0);
  std::vector<hw::calib::detail::TimedKernel> ks;
  for (int k = 0; k < 3; ++k) ks.push_back({"k" + std::to_string(k), [&calls, k] { ++calls[static_cast<std::size_t>(k)]; }});
  struct Stop {};
  std::vector<std::pair<int, std::size_t>> asked;
  CHECK_THROWS_AS(hw::calib::detail::time_interleaved(ks, 4, 1e-3,
                                                      [&](int c, std::size_t i) {
                                                        asked.emplace_back(c, i);
                                                        if (asked.size() == 2) throw Stop{};
                                                      }),
                  Stop);
  REQUIRE(asked.size() == 2);
  CHECK(asked[0] == std::pair<int, std::size_t>{0, 0});
  CHECK(asked[1] == std::pair<int, std::size_t>{0, 1});
  CHECK(calls[0] > 2);   // estimate + untimed + a batch
  CHECK(calls[1] == 1);  // the estimate only
  CHECK(calls[2] == 1);

  // Without a stop, every stretch is asked for: 4 cycles x 3 kernels, the start moving by one.
  asked.clear();
  const auto t = hw::calib::detail::time_interleaved(ks, 4, 1e-3, [&](int c, std::size_t i) { asked.emplace_back(c, i); });
  CHECK(t.size() == 4);
  REQUIRE(asked.size() == 12);
  CHECK(asked[3] == std::pair<int, std::size_t>{1, 1});  // cycle 1 starts one kernel later
}
