#include "engine/vae/vae_encoder.h"

namespace ci2v::vae {

VaeEncoderImpl::VaeEncoderImpl(const VaeConfig& c, const torch::TensorOptions& o) {
  const auto& ch = c.block_out_channels;
  const int64_t levels = static_cast<int64_t>(ch.size());
  conv_in = register_module("conv_in", nn::Conv2d(c.in_channels, ch[0], 3, 1, 1, true, o));
  down_blocks = register_module("down_blocks", torch::nn::ModuleList());
  for (int64_t i = 0; i < levels; ++i) {
    const int64_t in = i == 0 ? ch[0] : ch[i - 1];
    down_blocks->push_back(
        DownEncoderBlock(in, ch[i], c.layers_per_block, /*add_downsample=*/i + 1 < levels, c.norm_num_groups,
                         c.norm_eps, o));
  }
  mid_block = register_module("mid_block",
                              MidBlock(ch.back(), c.norm_num_groups, c.norm_eps, c.mid_block_add_attention, o));
  conv_norm_out = register_module("conv_norm_out", nn::GroupNorm(c.norm_num_groups, ch.back(), c.norm_eps, o));
  conv_out = register_module("conv_out", nn::Conv2d(ch.back(), 2 * c.latent_channels, 3, 1, 1, true, o));
}

Tensor VaeEncoderImpl::forward(const Tensor& x, const std::function<void()>& between) const {
  auto h = conv_in->forward(x);  // [N, C0, H, W]
  for (const auto& b : *down_blocks) {
    h = b->as<DownEncoderBlockImpl>()->forward(h);  // [N, C_last, H/f, W/f] after the last
    if (between) between();
  }
  h = mid_block->forward(h);
  if (between) between();
  h = conv_norm_out->forward_silu(h);
  return conv_out->forward(h);  // [N, 2*latent, H/f, W/f]
}

}  // namespace ci2v::vae
