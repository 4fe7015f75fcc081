// engine/nn/fused.h: the GEGLU entry point (fused CUDA kernel or ATen) and channels-last convolution weights give
// what the plain ATen expressions give.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdlib>
#include <string>

#include "engine/error.h"
#include "engine/io/diffusers_folder.h"
#include "engine/nn/fused.h"
#include "engine/nn/layers.h"
#include "engine/unet/intermediates.h"
#include "engine/unet/temporal_resnet.h"
#include "engine/unet/video_unet.h"

namespace {

const std::string kUNetDir = std::string(CONSISTI2V_FIXTURES) + "/tiny_pipeline/unet";

// A sample, text states and first-frame latents for the fixture UNet: B videos of 3 frames at 8 x 8 latents.
struct UNetInputs {
  torch::Tensor sample, text, first;
};
UNetInputs unet_inputs(const ci2v::unet::UNetConfig& c, int64_t B, uint64_t seed) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  return {at::randn({B, c.in_channels, 3, 8, 8}, gen), at::randn({B, 7, c.cross_attention_dim[0]}, gen),
          at::randn({B, c.in_channels, 1, 8, 8}, gen)};
}

torch::Tensor geglu_reference(const torch::Tensor& p) {
  const int64_t inner = p.size(-1) / 2;
  return p.narrow(-1, 0, inner) * at::gelu(p.narrow(-1, inner, inner));
}

}  // namespace

TEST(FusedKernels, GegluIsTheFirstHalfTimesTheGeluOfTheSecond) {
  torch::manual_seed(3);
  auto p = torch::randn({2, 5, 6}) * 3;
  auto got = ci2v::nn::geglu(p);
  ASSERT_EQ(got.sizes().vec(), (std::vector<int64_t>{2, 5, 3}));
  EXPECT_TRUE(torch::allclose(got, geglu_reference(p), 1e-6, 1e-6));
  // one element by hand: a * 0.5 * g * (1 + erf(g / sqrt 2))
  const double a = p[1][4][0].item<double>(), g = p[1][4][3].item<double>();
  EXPECT_NEAR(got[1][4][0].item<double>(), a * 0.5 * g * (1 + std::erf(g / std::sqrt(2.0))), 1e-5);
  // gradients flow (the trainer goes through the same call)
  auto q = p.clone().requires_grad_(true);
  ci2v::nn::geglu(q).sum().backward();
  EXPECT_TRUE(q.grad().defined());
  EXPECT_GT(q.grad().abs().sum().item<double>(), 0.0);
  // an empty projection gives an empty result
  EXPECT_EQ(ci2v::nn::geglu(torch::randn({3, 0})).sizes().vec(), (std::vector<int64_t>{3, 0}));
  // an odd last dimension cannot be split into two halves
  try {
    ci2v::nn::geglu(torch::randn({3, 7}));
    FAIL() << "expected an error";
  } catch (const ci2v::Error& e) {
    EXPECT_NE(std::string(e.what()).find("[3, 7]"), std::string::npos) << e.what();
  }
}

// The CUDA kernel against the ATen ops, for each storage type, on the vectorised path (inner a multiple of 8,
// aligned), the scalar path (odd inner) and a misaligned start (an offset view).
TEST(FusedKernels, CudaGegluMatchesAtenForEveryDtypeAndLayout) {
  if (!ci2v::nn::fused_kernels_built() || !torch::cuda::is_available())
    GTEST_SKIP() << "needs a CUDA build and a GPU";
  ASSERT_TRUE(ci2v::nn::fused_kernels_enabled()) << "CONSISTI2V_FUSED=0 is set";
  torch::NoGradGuard ng;
  torch::manual_seed(5);
  struct Case {
    torch::Dtype dtype;
    double tol;  // ATen's two kernels round the GELU then the product, as the kernel does: at most 1 ulp apart
  };
  for (const auto& c : {Case{torch::kFloat, 1e-6}, Case{torch::kHalf, 2e-3}, Case{torch::kBFloat16, 1.6e-2}}) {
    for (int64_t inner : {1280, 40, 13}) {
      const int64_t rows = 37;
      auto buf = (torch::randn({rows * 2 * inner + 1}) * 3).to(torch::kCUDA, c.dtype);
      for (int64_t offset : {0, 1}) {  // offset 1: a contiguous view whose start is not 16-byte aligned
        auto p = buf.narrow(0, offset, rows * 2 * inner).view({rows, 2 * inner});
        ASSERT_TRUE(p.is_contiguous());
        auto got = ci2v::nn::geglu(p);
        auto want = geglu_reference(p);
        ASSERT_EQ(got.scalar_type(), c.dtype);
        const auto diff = (got.to(torch::kFloat) - want.to(torch::kFloat)).abs();
        const auto scale = want.to(torch::kFloat).abs().clamp_min(1.0);
        EXPECT_LE((diff / scale).max().item<double>(), c.tol)
            << "dtype " << c.dtype << " inner " << inner << " offset " << offset;
        EXPECT_GT(torch::eq(got, want).to(torch::kFloat).mean().item<double>(), 0.99) << "mostly bit-identical";
      }
    }
  }
  // switched off, the same call takes the ATen path
  auto p = torch::randn({4, 16}, torch::kCUDA);
  ci2v::nn::set_fused_kernels(false);
  EXPECT_TRUE(torch::equal(ci2v::nn::geglu(p), geglu_reference(p)));
  ci2v::nn::set_fused_kernels(true);
}

TEST(FusedKernels, GroupNormSiluIsSiluOfGroupNorm) {
  torch::manual_seed(4);
  auto x = torch::randn({2, 6, 3, 5}) * 2 + 1, w = torch::randn({6}), b = torch::randn({6});
  // the definition: statistics per (sample, group of 2 channels) over 2 x 15 values, biased variance
  auto g = x.view({2, 3, 30});
  auto mean = g.mean(-1, true), var = (g - mean).pow(2).mean(-1, true);
  auto gn = ((g - mean) / (var + 1e-6).sqrt()).view({2, 6, 3, 5}) * w.view({1, 6, 1, 1}) + b.view({1, 6, 1, 1});
  EXPECT_TRUE(torch::allclose(ci2v::nn::group_norm_silu(x, 3, w, b, 1e-6), at::silu(gn), 1e-6, 1e-6));
  EXPECT_TRUE(torch::allclose(ci2v::nn::group_norm_silu(x, 3, w, b, 1e-6, false), gn, 1e-6, 1e-6));
  ci2v::nn::GroupNorm norm(3, 6, 1e-6, torch::TensorOptions());
  {
    torch::NoGradGuard ng;
    norm->weight.copy_(w);
    norm->bias.copy_(b);
  }
  EXPECT_TRUE(torch::allclose(norm->forward_silu(x), at::silu(gn), 1e-6, 1e-6));
}

// The CUDA GroupNorm(+SiLU) kernels against the fp32 computation on the same stored inputs: every dtype, vectorised
// (S a multiple of 8) and scalar (odd S) paths, NCHW and NHWC, groups of one channel and of many, inputs with a
// large mean (the two-pass variance), 3-D and 5-D shapes. The kernels keep the statistics in fp32, so they stay
// within a few roundings of the storage type; ATen's own 16-bit GroupNorm rounds its mean and rstd to the storage
// type first (on an H200: up to 0.06 from the fp32 result in bf16 at mean 20, std 3), so ATen is the comparison
// for "no worse than", not the reference.
TEST(FusedKernels, CudaGroupNormSiluMatchesFp32ForEveryDtypeAndShape) {
  if (!ci2v::nn::fused_kernels_built() || !torch::cuda::is_available())
    GTEST_SKIP() << "needs a CUDA build and a GPU";
  ASSERT_TRUE(ci2v::nn::fused_kernels_enabled()) << "CONSISTI2V_FUSED=0 is set";
  torch::NoGradGuard ng;
  torch::manual_seed(6);
  struct Shape {
    std::vector<int64_t> sizes;
    int64_t groups;
  };
  const std::vector<Shape> shapes = {{{4, 64, 16, 16}, 32},  // 2 channels per group, S = 256
                                     {{2, 320, 4, 4}, 32},   // the released UNet's deepest levels are small
                                     {{3, 12, 7, 5}, 4},     // odd S: the scalar path
                                     {{2, 8, 3, 4, 4}, 8},   // one channel per group, 5-D
                                     {{1, 32, 4096}, 32},    // 3-D
                                     {{2, 64, 128, 128}, 32},  // groups of 32768: 512-thread statistics blocks
                                     {{1, 32, 256, 256}, 32}}; // groups of 65536: 1024-thread statistics blocks
  struct Case {
    torch::Dtype dtype;
    double ulp;  // the storage type's unit roundoff x 2, relative
  };
  for (const auto& c : {Case{torch::kFloat, 1.2e-7}, Case{torch::kHalf, 9.8e-4}, Case{torch::kBFloat16, 7.8e-3}}) {
    const double tol = c.dtype == torch::kFloat ? 2e-5 : 3 * c.ulp;  // fp32: the statistics' own rounding
    for (const auto& sh : shapes) {
      for (int variant = 0; variant < 3; ++variant) {
        const bool silu = variant != 1, nhwc = variant == 2;  // channels-last input: the NHWC kernels
        if (nhwc && sh.sizes.size() != 4) continue;
        const int64_t C = sh.sizes[1];
        auto x = (torch::randn(sh.sizes) * 3 + 20).to(torch::kCUDA, c.dtype);  // mean 20, std 3
        if (nhwc) x = x.contiguous(at::MemoryFormat::ChannelsLast);
        if (variant == 1 && c.dtype != torch::kFloat) {  // a contiguous view with a misaligned start: scalar path
          auto buf = torch::empty({x.numel() + 1}, x.options());
          auto view = buf.narrow(0, 1, x.numel()).view(x.sizes());
          view.copy_(x);
          x = view;
        }
        auto w = torch::randn({C}).to(torch::kCUDA, c.dtype), b = torch::randn({C}).to(torch::kCUDA, c.dtype);
        auto got = ci2v::nn::group_norm_silu(x, sh.groups, w, b, 1e-5, silu);
        ASSERT_EQ(got.sizes(), x.sizes());
        ASSERT_EQ(got.scalar_type(), c.dtype);
        EXPECT_EQ(ci2v::nn::is_channels_last(got), ci2v::nn::is_channels_last(x)) << "the input's layout is kept";
        auto truth = at::group_norm(x.to(torch::kFloat), sh.groups, w.to(torch::kFloat), b.to(torch::kFloat), 1e-5);
        auto aten = at::group_norm(x, sh.groups, w, b, 1e-5);
        if (silu) {
          truth = at::silu(truth);
          aten = at::silu(aten);
        }
        const auto scale = truth.abs().clamp_min(1.0);
        const double err = ((got.to(torch::kFloat) - truth).abs() / scale).max().item<double>();
        const double aten_err = ((aten.to(torch::kFloat) - truth).abs() / scale).max().item<double>();
        const std::string what = "dtype " + std::string(c10::toString(c.dtype)) + " silu " + std::to_string(silu) +
                                 " nhwc " + std::to_string(nhwc) + " groups " + std::to_string(sh.groups);
        EXPECT_LE(err, tol) << what << " (ATen: " << aten_err << ")";
        if (c.dtype != torch::kFloat) EXPECT_LE(err, aten_err + 2 * c.ulp) << what;  // no worse than ATen's
      }
    }
  }
}

namespace {
// y[b, t, a, d] = bias[(d / div) % Co] + sum_k z[b, t + k - kt/2, a, k, d] (frames outside [0, T) are zero), fp32.
torch::Tensor combine_reference(const torch::Tensor& z, const torch::Tensor& bias, int64_t div) {
  const int64_t T = z.size(1), kt = z.size(3), D = z.size(4), center = kt / 2;
  auto zf = z.to(torch::kFloat);
  auto idx = torch::arange(D, torch::kLong).div(div, "floor").remainder(bias.numel()).to(z.device());
  auto y = bias.to(torch::kFloat).index_select(0, idx).view({1, 1, 1, D}).expand({z.size(0), T, z.size(2), D}).clone();
  for (int64_t k = 0; k < kt; ++k) {
    const int64_t s = k - center;
    if (std::abs(s) >= T) continue;
    auto zk = zf.select(3, k);
    if (s >= 0) y.narrow(1, 0, T - s).add_(zk.narrow(1, s, T - s));
    else y.narrow(1, -s, T + s).add_(zk.narrow(1, 0, T + s));
  }
  return y;
}
}  // namespace

TEST(FusedKernels, TemporalCombineIsForTheGpuOnly) {
  // on the CPU the caller keeps its ATen form: no fused result
  auto z = torch::randn({1, 3, 2, 3, 8});
  // on by default (the environment can switch it off)
  const char* env = std::getenv("CONSISTI2V_FUSED_TEMPORAL");
  if (!(env && std::string(env) == "0")) EXPECT_TRUE(ci2v::nn::fused_temporal_combine_requested());
  const bool was = ci2v::nn::set_fused_temporal_combine(true);
  EXPECT_FALSE(ci2v::nn::temporal_combine(z, torch::randn({8}), 1).defined());
  EXPECT_TRUE(ci2v::nn::set_fused_temporal_combine(was));
  EXPECT_EQ(ci2v::nn::fused_temporal_combine_requested(), was);
  // the reference used by the GPU test is the temporal convolution's definition
  auto bias = torch::randn({2});
  auto y = combine_reference(z, bias, 4);  // D = 8 = 2 channels x 4 positions
  EXPECT_NEAR(y[0][1][1][5].item<double>(), bias[1].item<double>() + z[0][0][1][0][5].item<double>() +
                                                 z[0][1][1][1][5].item<double>() + z[0][2][1][2][5].item<double>(),
              1e-5);
  EXPECT_NEAR(y[0][0][0][2].item<double>(),
              bias[0].item<double>() + z[0][0][0][1][2].item<double>() + z[0][1][0][2][2].item<double>(), 1e-5);
}

// The CUDA combine (on by default) against the definition, for every dtype, the vectorised (D % 8 == 0) and scalar paths,
// T = 1, 2, 5, and end to end through the GEMM temporal convolution in both layouts.
TEST(FusedKernels, CudaTemporalCombineMatchesTheShiftedSums) {
  if (!ci2v::nn::fused_kernels_built() || !torch::cuda::is_available())
    GTEST_SKIP() << "needs a CUDA build and a GPU";
  torch::NoGradGuard ng;
  torch::manual_seed(8);
  struct Restore {  // the switch is global: leave it as it was for the tests after this one, whatever happens here
    bool was = ci2v::nn::fused_temporal_combine_requested();
    ~Restore() { ci2v::nn::set_fused_temporal_combine(was); }
  } restore;
  ci2v::nn::set_fused_temporal_combine(true);
  ASSERT_TRUE(ci2v::nn::fused_temporal_combine_enabled());
  struct Case {
    torch::Dtype dtype;
    double tol;
  };
  for (const auto& c : {Case{torch::kFloat, 1e-5}, Case{torch::kHalf, 3e-3}, Case{torch::kBFloat16, 2.4e-2}}) {
    for (int64_t T : {1, 2, 5}) {
      for (int64_t D : {64, 13}) {
        auto z = torch::randn({2, T, 3, 3, D}).to(torch::kCUDA, c.dtype);
        const int64_t co = D == 64 ? 16 : 13, div = D == 64 ? 4 : 1;
        auto bias = torch::randn({co}).to(torch::kCUDA, c.dtype);
        auto got = ci2v::nn::temporal_combine(z, bias, div);
        ASSERT_TRUE(got.defined());
        auto want = combine_reference(z, bias, div);
        const double err = ((got.to(torch::kFloat) - want).abs() / want.abs().clamp_min(1.0)).max().item<double>();
        EXPECT_LE(err, c.tol) << c10::toString(c.dtype) << " T " << T << " D " << D;
      }
    }
    // end to end: the temporal convolution with and without the fused combine
    ci2v::nn::TemporalConv conv(8, 16, 3, torch::TensorOptions().device(torch::kCUDA).dtype(c.dtype));
    conv->weight.normal_(0, 0.3);
    conv->bias.normal_();
    auto x = torch::randn({10, 8, 3, 4}).to(torch::kCUDA, c.dtype);  // B = 2, T = 5
    for (bool nhwc : {false, true}) {
      auto in = nhwc ? x.contiguous(at::MemoryFormat::ChannelsLast) : x;
      ci2v::nn::set_fused_temporal_combine(false);
      auto aten = ci2v::unet::temporal_conv_gemm(*conv, in, 5).to(torch::kFloat);
      ci2v::nn::set_fused_temporal_combine(true);
      auto fused = ci2v::unet::temporal_conv_gemm(*conv, in, 5).to(torch::kFloat);
      EXPECT_LE(((fused - aten).abs() / aten.abs().clamp_min(1.0)).max().item<double>(), 2 * c.tol)
          << c10::toString(c.dtype) << " nhwc " << nhwc;
    }
  }
}

TEST(FusedKernels, ChannelsLastConvolutionWeightsLeaveTheUNetOutputUnchanged) {
  auto unet = ci2v::unet::load_video_unet(ci2v::unet::unet_component_from_dir(kUNetDir));
  torch::NoGradGuard ng;
  const auto [sample, text, first] = unet_inputs(unet->config(), 1, 11);
  auto want = unet->forward(sample, 400, text, first, 3);

  const int64_t n = ci2v::nn::set_conv_weights_channels_last(*unet, true);
  EXPECT_GT(n, 4);  // conv_in, conv_out, the resnets' 3x3 convolutions (1x1 ones are already both layouts)
  for (const auto& m : unet->modules()) {
    if (auto* conv = dynamic_cast<ci2v::nn::Conv2dImpl*>(m.get()))
      EXPECT_TRUE(conv->weight.is_contiguous(at::MemoryFormat::ChannelsLast));
  }
  EXPECT_EQ(ci2v::nn::set_conv_weights_channels_last(*unet, true), 0);  // idempotent
  auto got = unet->forward(sample, 400, text, first, 3);
  EXPECT_TRUE(got.is_contiguous());  // the convolutions still hand NCHW tensors on
  EXPECT_LT((got - want).abs().max().item<double>(), 1e-5);
  EXPECT_EQ(ci2v::nn::set_conv_weights_channels_last(*unet, false), n);  // and back
  EXPECT_TRUE(unet->conv_in->weight.is_contiguous());
}

// The whole UNet in channels-last mode (NHWC activations through convolutions, norms, temporal convolutions and
// residuals) gives the standard layout's output; on the CPU ATen's GroupNorm keeps the layout as the CUDA kernel
// does. Both temporal convolution routes.
TEST(FusedKernels, ChannelsLastUNetGivesTheStandardOutput) {
  auto unet = ci2v::unet::load_video_unet(ci2v::unet::unet_component_from_dir(kUNetDir));
  torch::NoGradGuard ng;
  const auto [sample, text, first] = unet_inputs(unet->config(), 2, 12);
  auto want = unet->forward(sample, 300, text, first, 3);
  EXPECT_FALSE(unet->channels_last());
  unet->use_channels_last(true);
  EXPECT_TRUE(unet->channels_last());
  const auto before = ci2v::unet::temporal_conv_mode();
  for (auto mode : {ci2v::unet::TemporalConvMode::Conv3d, ci2v::unet::TemporalConvMode::Gemm}) {
    ci2v::unet::set_temporal_conv_mode(mode);
    auto got = unet->forward(sample, 300, text, first, 3);
    ASSERT_EQ(got.sizes(), want.sizes());
    EXPECT_TRUE(got.is_contiguous());
    EXPECT_LT((got - want).abs().max().item<double>(), 1e-5) << "mode " << static_cast<int>(mode);
  }
  ci2v::unet::set_temporal_conv_mode(before);
  // every recorded activation of the channels-last run is stored NHWC and equals the standard run's
  ci2v::unet::Intermediates cl, standard;
  unet->forward(sample, 300, text, first, 3, &cl);
  unet->use_channels_last(false);
  unet->forward(sample, 300, text, first, 3, &standard);
  int nhwc = 0, compared = 0;
  for (const auto& [name, t] : standard.tensors) {
    ASSERT_TRUE(cl.has(name)) << name;
    const auto& u = cl.tensors.at(name);
    EXPECT_LT((u - t).abs().max().item<double>(), 1e-5) << name;
    ++compared;
    if (t.dim() == 4 && t.size(1) > 1 && t.size(2) * t.size(3) > 1) {
      EXPECT_TRUE(ci2v::nn::is_channels_last(u)) << name << " is not channels-last";
      ++nhwc;
    }
  }
  EXPECT_GT(nhwc, 20) << "of " << compared << " recorded tensors";
  EXPECT_LT((unet->forward(sample, 300, text, first, 3) - want).abs().max().item<double>(), 1e-6);
  EXPECT_TRUE(unet->conv_in->weight.is_contiguous());
  // The GEMM route left every temporal convolution's weight a view of its NHWC packing (one copy of the weights):
  // the NCHW GEMM route repacks from that view, twice (the second from its own cache), with the same output.
  int temporal = 0, views = 0;
  for (const auto& p : unet->named_parameters()) {
    if (p.value().dim() != 5) continue;  // the temporal convolutions' [out, in, 3, 1, 1] weights
    ++temporal;
    views += !p.value().is_contiguous();
  }
  EXPECT_GT(temporal, 0);
  EXPECT_EQ(views, temporal);
  ci2v::unet::set_temporal_conv_mode(ci2v::unet::TemporalConvMode::Gemm);
  for (int round = 0; round < 2; ++round)
    EXPECT_LT((unet->forward(sample, 300, text, first, 3) - want).abs().max().item<double>(), 1e-5) << round;
  ci2v::unet::set_temporal_conv_mode(before);
}
