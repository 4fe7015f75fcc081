// Building blocks of the SD VAE (diffusers 0.21.2 `vae.py`, `resnet.py`, `unet_2d_blocks.py`, `attention_processor.py`),
// inference only. Every GroupNorm uses the VAE's eps (1e-6) and `groups` groups; activations are SiLU.
// Names mirror the checkpoint keys:
//   ResnetBlock:      norm1, conv1, norm2, conv2, [conv_shortcut (1x1, when in != out)]
//   Downsample:       conv          (pad right/bottom by one zero, 3x3 stride 2, padding 0)
//   Upsample:         conv          (nearest x2, 3x3 padding 1)
//   MidAttention:     group_norm, to_q, to_k, to_v, to_out.0   (one head over h*w tokens, residual)
//   MidBlock:         resnets.0, attentions.0, resnets.1
//   DownEncoderBlock: resnets.{i}, [downsamplers.0]
//   UpDecoderBlock:   resnets.{i}, [upsamplers.0]
#pragma once
#include <torch/torch.h>

#include "engine/nn/layers.h"

namespace ci2v::vae {

using torch::Tensor;

// ResnetBlock2D without time embedding: x' = shortcut(x) + conv2(silu(norm2(conv1(silu(norm1(x)))))).
struct ResnetBlockImpl : torch::nn::Module {
  ResnetBlockImpl(int64_t in, int64_t out, int64_t groups, double eps, const torch::TensorOptions& o);
  Tensor forward(const Tensor& x) const;  // [N, in, H, W] -> [N, out, H, W]
  nn::GroupNorm norm1{nullptr}, norm2{nullptr};
  nn::Conv2d conv1{nullptr}, conv2{nullptr}, conv_shortcut{nullptr};
};
TORCH_MODULE(ResnetBlock);

// Downsample2D with downsample_padding = 0: zero pad (left 0, right 1, top 0, bottom 1), conv 3x3 stride 2.
struct DownsampleImpl : torch::nn::Module {
  DownsampleImpl(int64_t channels, const torch::TensorOptions& o);
  Tensor forward(const Tensor& x) const;  // [N, C, H, W] -> [N, C, H/2, W/2] (odd sizes: floor(H/2))
  nn::Conv2d conv{nullptr};
};
TORCH_MODULE(Downsample);

// Upsample2D with a conv: nearest x2, conv 3x3 padding 1.
struct UpsampleImpl : torch::nn::Module {
  UpsampleImpl(int64_t channels, const torch::TensorOptions& o);
  Tensor forward(const Tensor& x) const;  // [N, C, H, W] -> [N, C, 2H, 2W]
  nn::Conv2d conv{nullptr};
};
TORCH_MODULE(Upsample);

// Mid-block self-attention (diffusers `Attention` built from the deprecated attention block): GroupNorm on the
// input, tokens = h*w pixels, one head of dim C, q/k/v/out Linear with bias, scale 1/sqrt(C), residual add.
struct MidAttentionImpl : torch::nn::Module {
  MidAttentionImpl(int64_t channels, int64_t groups, double eps, const torch::TensorOptions& o);
  Tensor forward(const Tensor& x) const;  // [N, C, H, W] -> [N, C, H, W]
  nn::GroupNorm group_norm{nullptr};
  nn::Linear to_q{nullptr}, to_k{nullptr}, to_v{nullptr};
  torch::nn::ModuleList to_out{nullptr};  // "0": Linear(C, C)
};
TORCH_MODULE(MidAttention);

// UNetMidBlock2D (1 layer): resnet -> [attention] -> resnet.
struct MidBlockImpl : torch::nn::Module {
  MidBlockImpl(int64_t channels, int64_t groups, double eps, bool add_attention, const torch::TensorOptions& o);
  Tensor forward(const Tensor& x) const;
  torch::nn::ModuleList resnets{nullptr}, attentions{nullptr};
};
TORCH_MODULE(MidBlock);

// DownEncoderBlock2D: `layers` resnets (first in -> out), then an optional downsampler.
struct DownEncoderBlockImpl : torch::nn::Module {
  DownEncoderBlockImpl(int64_t in, int64_t out, int64_t layers, bool add_downsample, int64_t groups, double eps,
                       const torch::TensorOptions& o);
  Tensor forward(const Tensor& x) const;
  torch::nn::ModuleList resnets{nullptr}, downsamplers{nullptr};
};
TORCH_MODULE(DownEncoderBlock);

// UpDecoderBlock2D: `layers` resnets (first in -> out), then an optional upsampler.
struct UpDecoderBlockImpl : torch::nn::Module {
  UpDecoderBlockImpl(int64_t in, int64_t out, int64_t layers, bool add_upsample, int64_t groups, double eps,
                     const torch::TensorOptions& o);
  Tensor forward(const Tensor& x) const;
  torch::nn::ModuleList resnets{nullptr}, upsamplers{nullptr};
};
TORCH_MODULE(UpDecoderBlock);

}  // namespace ci2v::vae
