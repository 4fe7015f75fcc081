// ConsistI2V TemporalResnetBlock ("conv3ds", model-reference.md §2.6.3): the temporal convolution.
// h = Conv3D(SiLU(GN2(Conv3D(SiLU(GN1(x)))))) with kernel (3,1,1) and zero padding in time; GroupNorm per frame
// (eps 1e-6, 32 groups); out = alpha*x + (1-alpha)*(x + h) with alpha clamped to [0, 1].
// time_emb_proj exists in the checkpoint but is never used (the block is called without a time embedding).
#pragma once
#include <torch/torch.h>

#include "engine/nn/layers.h"

namespace ci2v::unet {

using torch::Tensor;

struct TemporalResnetBlockImpl : torch::nn::Module {
  TemporalResnetBlockImpl(int64_t channels, const torch::TensorOptions& o);
  // x [B*T, C, h, w] (frame fastest) -> same shape.
  Tensor forward(const Tensor& x, int64_t frames) const;

  Tensor alpha;  // [1]
  nn::GroupNorm norm1{nullptr}, norm2{nullptr};
  nn::TemporalConv conv1{nullptr}, conv2{nullptr};
  nn::Linear time_emb_proj{nullptr};  // loaded, never used
};
TORCH_MODULE(TemporalResnetBlock);

// [B*T, C, h, w] -> Conv3d (kt,1,1) over the frame axis -> [B*T, C, h, w].
Tensor temporal_conv_frames(const nn::TemporalConvImpl& conv, const Tensor& x, int64_t frames);

// How temporal_conv_frames computes: Conv3d permutes to [B, C, T, h, w] and back (two copies of the activation
// around the convolution); Gemm stays in the frame-major layout: one matrix product of the kt stacked weight
// slices [kt*Cout, C] with every frame's [C, h*w], then the shifted slices are summed (no permutes). Auto (the
// default): Gemm on CUDA (measured on an H200, bf16 from CUDA graphs: 49.5 -> 47.5 ms per step at 256 px, 174.7 ->
// 170.7 at 512, the cuDNN layout transforms around conv3d gone), Conv3d elsewhere (on the CPU the GEMM's products
// cost more than the 2-D oneDNN convolution). CONSISTI2V_TEMPORAL_CONV=gemm|conv3d forces one;
// set_temporal_conv_mode overrides both.
enum class TemporalConvMode { Auto, Conv3d, Gemm };
void set_temporal_conv_mode(TemporalConvMode mode);
TemporalConvMode temporal_conv_mode();  // as set (may be Auto)
// What temporal_conv_frames does for tensors on `device`: Conv3d or Gemm, never Auto.
TemporalConvMode temporal_conv_mode_for(const torch::Device& device);
// The same convolution by the Gemm route (exposed for the equivalence test).
Tensor temporal_conv_gemm(const nn::TemporalConvImpl& conv, const Tensor& x, int64_t frames);

}  // namespace ci2v::unet
