#include "engine/unet/resnet_block.h"

namespace ci2v::unet {

ResnetBlock2DImpl::ResnetBlock2DImpl(int64_t in, int64_t out, int64_t temb_channels, int64_t groups, double eps,
                                     double scale, const torch::TensorOptions& o)
    : output_scale_factor(scale) {
  norm1 = register_module("norm1", nn::GroupNorm(groups, in, eps, o));
  conv1 = register_module("conv1", nn::Conv2d(in, out, 3, 1, 1, true, o));
  time_emb_proj = register_module("time_emb_proj", nn::Linear(temb_channels, out, true, o));
  norm2 = register_module("norm2", nn::GroupNorm(groups, out, eps, o));
  conv2 = register_module("conv2", nn::Conv2d(out, out, 3, 1, 1, true, o));
  if (in != out) conv_shortcut = register_module("conv_shortcut", nn::Conv2d(in, out, 1, 1, 0, true, o));
}

Tensor ResnetBlock2DImpl::forward(const Tensor& x, const Tensor& temb) const {
  auto h = conv1->forward(norm1->forward_silu(x));  // [N, Cout, h, w]
  auto t = time_emb_proj->forward(at::silu(temb));  // [N, Cout]
  h = h + t.unsqueeze(-1).unsqueeze(-1);
  h = conv2->forward(norm2->forward_silu(h));
  auto shortcut = conv_shortcut ? conv_shortcut->forward(x) : x;
  auto out = shortcut + h;
  return output_scale_factor == 1.0 ? out : out / output_scale_factor;  // [N, Cout, h, w]
}

}  // namespace ci2v::unet
