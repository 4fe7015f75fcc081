// The VAE decoder (diffusers `Decoder`): latent [N, latent, h, w] (after post_quant_conv) -> image
// [N, out, h*f, w*f]. Keys: conv_in, mid_block, up_blocks.{i} (layers_per_block + 1 resnets each),
// conv_norm_out, conv_out.
#pragma once
#include <torch/torch.h>

#include "engine/nn/layers.h"
#include "engine/vae/vae_blocks.h"
#include "engine/vae/vae_config.h"

namespace ci2v::vae {

struct VaeDecoderImpl : torch::nn::Module {
  VaeDecoderImpl(const VaeConfig& c, const torch::TensorOptions& o);
  Tensor forward(const Tensor& z) const;  // [N, latent, h, w] -> [N, out, h*f, w*f]
  nn::Conv2d conv_in{nullptr}, conv_out{nullptr};
  MidBlock mid_block{nullptr};
  torch::nn::ModuleList up_blocks{nullptr};
  nn::GroupNorm conv_norm_out{nullptr};
};
TORCH_MODULE(VaeDecoder);

}  // namespace ci2v::vae
