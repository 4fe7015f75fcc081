// Down, mid and up blocks of the video UNet (model-reference.md §2.2, §2.4 steps 8-10):
//   down layer: resnet -> temporal resnet -> [spatial transformer -> temporal transformer]; skip after each layer
//   (and after the downsampler); mid: resnet -> temporal resnet, then (spatial transformer -> resnet -> temporal
//   resnet), no temporal transformer; up layer: concat(popped skip) -> resnet -> temporal resnet ->
//   [spatial -> temporal transformer], then the upsampler.
#pragma once
#include <torch/torch.h>

#include <string>
#include <vector>

#include "engine/nn/layers.h"
#include "engine/unet/intermediates.h"
#include "engine/unet/resnet_block.h"
#include "engine/unet/temporal_resnet.h"
#include "engine/unet/transformer.h"
#include "engine/unet/unet_config.h"

namespace ci2v::unet {

using torch::Tensor;

// Everything a block needs besides its input: the per-frame time embedding, the text and the frame count.
struct BlockContext {
  Tensor temb;    // [B*T, time_embed_dim]
  Tensor text;    // [B, L, D] (one copy per video)
  int64_t frames; // T, including the prepended first frame
  Intermediates* capture = nullptr;
};

// Conv2d 3x3 stride 2 (padding 1; with padding 0 the input is padded right/bottom by one, as diffusers does).
struct Downsample2DImpl : torch::nn::Module {
  Downsample2DImpl(int64_t channels, int64_t padding, const torch::TensorOptions& o);
  Tensor forward(const Tensor& x) const;
  nn::Conv2d conv{nullptr};
  int64_t padding;
};
TORCH_MODULE(Downsample2D);

// Nearest x2 (or nearest to `size`), then Conv2d 3x3 padding 1.
struct Upsample2DImpl : torch::nn::Module {
  Upsample2DImpl(int64_t channels, const torch::TensorOptions& o);
  Tensor forward(const Tensor& x, const std::vector<int64_t>& size = {}) const;
  nn::Conv2d conv{nullptr};
};
TORCH_MODULE(Upsample2D);

// VideoLDMCrossAttnDownBlock ("CrossAttnDownBlock2D") or VideoLDMDownBlock ("DownBlock2D").
struct DownBlockImpl : torch::nn::Module {
  DownBlockImpl(const UNetConfig& cfg, size_t level, int64_t in_channels, bool add_downsample,
                const torch::TensorOptions& o);
  // Appends this block's skip tensors to `skips`.
  Tensor forward(const Tensor& x, const BlockContext& ctx, std::vector<Tensor>& skips, const std::string& prefix) const;

  torch::nn::ModuleList resnets{nullptr}, conv3ds{nullptr}, attentions{nullptr}, tempo_attns{nullptr},
      downsamplers{nullptr};
  std::vector<ResnetBlock2D> resnet_v;
  std::vector<TemporalResnetBlock> conv3d_v;
  std::vector<Transformer2DConditionModel> attn_v, tempo_v;  // empty for DownBlock2D
  Downsample2D down{nullptr};
};
TORCH_MODULE(DownBlock);

// VideoLDMUNetMidBlock2DCrossAttn.
struct MidBlockImpl : torch::nn::Module {
  MidBlockImpl(const UNetConfig& cfg, const torch::TensorOptions& o);
  Tensor forward(const Tensor& x, const BlockContext& ctx, const std::string& prefix) const;

  torch::nn::ModuleList resnets{nullptr}, conv3ds{nullptr}, attentions{nullptr};
  std::vector<ResnetBlock2D> resnet_v;
  std::vector<TemporalResnetBlock> conv3d_v;
  std::vector<Transformer2DConditionModel> attn_v;
};
TORCH_MODULE(MidBlock);

// VideoLDMCrossAttnUpBlock ("CrossAttnUpBlock2D") or VideoLDMUpBlock ("UpBlock2D"); `index` counts from the
// deepest level (up_blocks.0).
struct UpBlockImpl : torch::nn::Module {
  UpBlockImpl(const UNetConfig& cfg, size_t index, int64_t prev_output_channels, bool add_upsample,
              const torch::TensorOptions& o);
  // `skips`: this block's skip tensors in push order (the last one is consumed first).
  Tensor forward(const Tensor& x, const BlockContext& ctx, std::vector<Tensor> skips,
                 const std::vector<int64_t>& upsample_size, const std::string& prefix) const;
  size_t num_layers() const { return resnet_v.size(); }

  torch::nn::ModuleList resnets{nullptr}, conv3ds{nullptr}, attentions{nullptr}, tempo_attns{nullptr},
      upsamplers{nullptr};
  std::vector<ResnetBlock2D> resnet_v;
  std::vector<TemporalResnetBlock> conv3d_v;
  std::vector<Transformer2DConditionModel> attn_v, tempo_v;
  Upsample2D up{nullptr};
};
TORCH_MODULE(UpBlock);

}  // namespace ci2v::unet
