#include "engine/vae/vae_decoder.h"

namespace ci2v::vae {

VaeDecoderImpl::VaeDecoderImpl(const VaeConfig& c, const torch::TensorOptions& o) {
  const auto& ch = c.block_out_channels;
  const int64_t levels = static_cast<int64_t>(ch.size());
  conv_in = register_module("conv_in", nn::Conv2d(c.latent_channels, ch.back(), 3, 1, 1, true, o));
  mid_block = register_module("mid_block",
                              MidBlock(ch.back(), c.norm_num_groups, c.norm_eps, c.mid_block_add_attention, o));
  up_blocks = register_module("up_blocks", torch::nn::ModuleList());
  int64_t prev = ch.back();
  for (int64_t i = 0; i < levels; ++i) {
    const int64_t out = ch[levels - 1 - i];  // reversed block_out_channels
    up_blocks->push_back(UpDecoderBlock(prev, out, c.layers_per_block + 1, /*add_upsample=*/i + 1 < levels,
                                        c.norm_num_groups, c.norm_eps, o));
    prev = out;
  }
  conv_norm_out = register_module("conv_norm_out", nn::GroupNorm(c.norm_num_groups, ch[0], c.norm_eps, o));
  conv_out = register_module("conv_out", nn::Conv2d(ch[0], c.out_channels, 3, 1, 1, true, o));
}

Tensor VaeDecoderImpl::forward(const Tensor& z) const {
  auto h = conv_in->forward(z);  // [N, C_last, h, w]
  h = mid_block->forward(h);
  for (const auto& b : *up_blocks) h = b->as<UpDecoderBlockImpl>()->forward(h);  // [N, C0, h*f, w*f]
  h = conv_norm_out->forward_silu(h);
  return conv_out->forward(h);  // [N, out, h*f, w*f]
}

}  // namespace ci2v::vae
