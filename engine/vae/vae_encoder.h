// The VAE encoder (diffusers `Encoder` with double_z): image [N, in, H, W] -> moments [N, 2*latent, H/f, W/f]
// (before quant_conv). Keys: conv_in, down_blocks.{i}, mid_block, conv_norm_out, conv_out.
#pragma once
#include <functional>
#include <torch/torch.h>

#include "engine/nn/layers.h"
#include "engine/vae/vae_blocks.h"
#include "engine/vae/vae_config.h"

namespace ci2v::vae {

struct VaeEncoderImpl : torch::nn::Module {
  VaeEncoderImpl(const VaeConfig& c, const torch::TensorOptions& o);
  // [N, in, H, W] -> [N, 2*latent, H/f, W/f]. `between` (optional) is called after each down block and the mid
  // block: a caller's cancel check (it throws to stop), leaving the computation itself as it is.
  Tensor forward(const Tensor& x, const std::function<void()>& between = {}) const;
  nn::Conv2d conv_in{nullptr}, conv_out{nullptr};
  torch::nn::ModuleList down_blocks{nullptr};
  MidBlock mid_block{nullptr};
  nn::GroupNorm conv_norm_out{nullptr};
};
TORCH_MODULE(VaeEncoder);

}  // namespace ci2v::vae
