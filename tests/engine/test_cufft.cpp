// The raw cuFFT FrameInit backend against the torch::fft path (CUDA builds with the kernels; on a CPU build
// the backend does not exist and the pipeline uses torch::fft).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstdio>

#include "engine/error.h"
#include "engine/sampling/frameinit.h"

using namespace ci2v::sampling;
using ci2v::FilterType;

#ifdef CONSISTI2V_HAVE_CUDA_KERNELS
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

namespace {
torch::Tensor filter_for(at::IntArrayRef shape, FilterType type, double ds, double dt) {
  LowPassFilterSpec spec;
  spec.type = type;
  spec.cutoff_spatial = ds;
  spec.cutoff_temporal = dt;
  FilterCache cache;
  return cache.get(shape, spec, torch::kCUDA);
}
}  // namespace

TEST(CufftFrameInit, MixAndSplitMatchTorchFft) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "a CUDA build on a machine without a GPU";
  auto cufft = cufft_backend();
  ASSERT_NE(cufft, nullptr);
  EXPECT_EQ(cufft->name(), "cufft");
  auto ref = torch_fft_backend();
  torch::manual_seed(0);
  const std::vector<std::vector<int64_t>> shapes = {{1, 4, 16, 32, 32}, {2, 4, 5, 7, 9}, {1, 4, 16, 64, 64}};
  float worst_mix = 0.0f, worst_split = 0.0f;
  for (const auto& s : shapes) {
    for (auto type : {FilterType::Gaussian, FilterType::Ideal, FilterType::Box, FilterType::Butterworth}) {
      SCOPED_TRACE(ci2v::shape_str(s) + " filter " + std::to_string(static_cast<int>(type)));
      auto opts = torch::TensorOptions().device(torch::kCUDA).dtype(torch::kFloat);
      auto x = torch::randn(s, opts), n = torch::randn(s, opts);
      auto lpf = filter_for(s, type, 0.25, 0.4);
      auto a = cufft->mix(x, n, lpf), b = ref->mix(x, n, lpf);
      const float e_mix = (a - b).abs().max().item<float>();
      EXPECT_LT(e_mix, 1e-5f);
      auto sa = cufft->split(x, n, lpf), sb = ref->split(x, n, lpf);
      const float e_low = (sa.low - sb.low).abs().max().item<float>();
      const float e_high = (sa.high - sb.high).abs().max().item<float>();
      const float e_mixed = (sa.mixed - sb.mixed).abs().max().item<float>();
      EXPECT_LT(e_low, 1e-5f);
      EXPECT_LT(e_high, 1e-5f);
      EXPECT_LT(e_mixed, 1e-5f);
      worst_mix = std::max(worst_mix, e_mix);
      worst_split = std::max({worst_split, e_low, e_high, e_mixed});
    }
  }
  std::printf("cuFFT vs torch::fft FrameInit, max abs error over %zu shapes x 4 filters: mix %.3g, split %.3g\n",
              shapes.size(), worst_mix, worst_split);
}

TEST(CufftFrameInit, PlansAreCachedPerShapeAndServeEveryStream) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "a CUDA build on a machine without a GPU";
  auto cufft = cufft_backend();
  auto opts = torch::TensorOptions().device(torch::kCUDA).dtype(torch::kFloat);
  const std::vector<int64_t> s = {1, 4, 8, 16, 24};
  auto x = torch::randn(s, opts), n = torch::randn(s, opts);
  auto lpf = filter_for(s, FilterType::Gaussian, 0.25, 0.25);
  const auto on_default = cufft->mix(x, n, lpf);
  const int64_t after_first = cufft_plans_built();
  for (int i = 0; i < 5; ++i) cufft->mix(x, n, lpf);
  EXPECT_EQ(cufft_plans_built(), after_first);
  c10::cuda::device_synchronize();  // x, n and on_default ready before another stream reads them
  {
    // another stream uses the same plans with a work area of its own (from the caching allocator on that stream)
    const c10::cuda::CUDAStreamGuard side(c10::cuda::getStreamFromPool());
    const auto on_side = cufft->mix(x, n, lpf);
    EXPECT_EQ(cufft_plans_built(), after_first);
    c10::cuda::device_synchronize();
    EXPECT_EQ((on_side - on_default).abs().max().item<float>(), 0.0f);
  }
  // at most 16 plans are kept: ten more shapes (two plans each) evict the first shape's, which is planned again
  for (int64_t i = 1; i <= 10; ++i) {
    const std::vector<int64_t> t = {1, 2, 4, 8, 8 + i};
    cufft->mix(torch::randn(t, opts), torch::randn(t, opts), filter_for(t, FilterType::Gaussian, 0.25, 0.25));
  }
  const int64_t after_more = cufft_plans_built();
  EXPECT_EQ(after_more, after_first + 20);
  const auto again = cufft->mix(x, n, lpf);
  EXPECT_EQ(cufft_plans_built(), after_more + 2);
  EXPECT_EQ((again - on_default).abs().max().item<float>(), 0.0f);
  // CPU tensors fall back to torch::fft.
  auto c = cufft->mix(x.cpu(), n.cpu(), lpf.cpu());
  EXPECT_FALSE(c.is_cuda());
  EXPECT_LT((c - torch_fft_backend()->mix(x.cpu(), n.cpu(), lpf.cpu())).abs().max().item<float>(), 1e-6f);
}

#else

TEST(CufftFrameInit, AbsentWithoutTheCudaKernels) {
  // A CPU build: no raw cuFFT backend, FrameInit stays on torch::fft.
  EXPECT_EQ(cufft_backend(), nullptr);
  EXPECT_EQ(cufft_plans_built(), 0);
  FrameInit fi(LowPassFilterSpec{}, 850);
  EXPECT_EQ(fi.backend().name(), "torch.fft");
}

#endif
