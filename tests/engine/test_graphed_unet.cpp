// The UNet replayed from CUDA graphs (engine/unet/graphed_unet.h) gives the eager forward's result: on the CPU it
// is the eager forward; on a CUDA GPU one graph per input shape is captured and replayed with new inputs.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>

#include "engine/io/diffusers_folder.h"
#include "engine/unet/graphed_unet.h"
#include "engine/unet/video_unet.h"
#ifdef CONSISTI2V_TORCH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

using namespace ci2v::unet;

namespace {

const std::string kUNetDir = std::string(CONSISTI2V_FIXTURES) + "/tiny_pipeline/unet";

struct Inputs {
  torch::Tensor sample, text, first;
};

Inputs inputs(const UNetConfig& c, int64_t B, int64_t frames, int64_t h, int64_t w, uint64_t seed, torch::Device d) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  const auto f = torch::TensorOptions().dtype(torch::kFloat32);
  Inputs in;
  in.sample = at::randn({B, c.in_channels, frames, h, w}, gen, f).to(d);
  in.text = at::randn({B, 7, c.cross_attention_dim[0]}, gen, f).to(d);
  in.first = at::randn({B, c.in_channels, 1, h, w}, gen, f).to(d);
  return in;
}

double max_diff(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }

}  // namespace

TEST(GraphedUNet, OnTheCpuItIsTheEagerForward) {
  auto unet = load_video_unet(unet_component_from_dir(kUNetDir));
  GraphedUNet g(unet);
  auto in = inputs(unet->config(), 2, 3, 8, 8, 1, torch::kCPU);
  auto want = unet->forward(in.sample, 500, in.text, in.first, 3);
  auto got = g.forward(in.sample, 500, in.text, in.first, 3);
  EXPECT_TRUE(torch::equal(got, want));
  EXPECT_EQ(g.graphs_captured(), 0);
  EXPECT_EQ(g.replays(), 0);
}

TEST(GraphedUNet, CudaReplaysMatchEagerForNewInputsAndShapes) {
  if (!cuda_graphs_built() || !torch::cuda::is_available()) GTEST_SKIP() << "needs a CUDA build and a GPU";
  auto unet = load_video_unet(unet_component_from_dir(kUNetDir), torch::kCUDA);
  GraphedUNet g(unet);
  double worst = 0;
  // Two calls per shape with different inputs, timesteps and strides (the second replays the first's graph),
  // then a second shape (a second capture), then the first shape again. The first shape's 2x2 latents reach a
  // 1x1 level, whose map is stored alike in both layouts: its temporal convolutions take the NCHW GEMM route there
  // and the NHWC route at the second shape, which repacks their weights; the first graph must still read weights
  // that exist (the cache is emptied first, so freed blocks are really gone), and its replay runs before the eager
  // forward that would repack them again.
  const struct {
    int64_t B, frames, h, w;
    uint64_t seed;
    int64_t t, stride;
  } calls[] = {{2, 3, 2, 2, 1, 900, 3}, {2, 3, 2, 2, 2, 20, 1}, {3, 4, 8, 16, 3, 500, 5}, {3, 4, 8, 16, 4, 1, 2},
               {2, 3, 2, 2, 5, 300, 2}};
  for (size_t i = 0; i < std::size(calls); ++i) {
    const auto& c = calls[i];
    auto in = inputs(unet->config(), c.B, c.frames, c.h, c.w, c.seed, torch::kCUDA);
    const bool back = i + 1 == std::size(calls);
#ifdef CONSISTI2V_TORCH_CUDA
    if (back) c10::cuda::CUDACachingAllocator::emptyCache();
#endif
    auto got = back ? g.forward(in.sample, c.t, in.text, in.first, c.stride) : torch::Tensor();
    auto want = unet->forward(in.sample, c.t, in.text, in.first, c.stride);
    if (!back) got = g.forward(in.sample, c.t, in.text, in.first, c.stride);
    ASSERT_TRUE(g.fallback_reason().empty()) << g.fallback_reason();
    worst = std::max(worst, max_diff(got, want));
  }
  std::printf("CUDA graph replay vs eager UNet (fp32, 5 calls, 2 shapes, back to the first): max abs diff %.3g\n", worst);
  EXPECT_LT(worst, 1e-5);
  EXPECT_EQ(g.graphs_captured(), 2);
  EXPECT_EQ(g.replays(), 5);
}
