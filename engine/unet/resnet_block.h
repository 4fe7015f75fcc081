// diffusers ResnetBlock2D as the video UNet uses it (model-reference.md §2.6.2):
// h = conv1(SiLU(GN1(x))) + time_emb_proj(SiLU(temb)); h = conv2(SiLU(GN2(h))); out = (shortcut(x) + h) / scale.
#pragma once
#include <torch/torch.h>

#include "engine/nn/layers.h"

namespace ci2v::unet {

using torch::Tensor;

struct ResnetBlock2DImpl : torch::nn::Module {
  ResnetBlock2DImpl(int64_t in, int64_t out, int64_t temb_channels, int64_t groups, double eps,
                    double output_scale_factor, const torch::TensorOptions& o);
  // x [N, Cin, h, w], temb [N, temb_channels] (one row per frame) -> [N, Cout, h, w]
  Tensor forward(const Tensor& x, const Tensor& temb) const;

  nn::GroupNorm norm1{nullptr}, norm2{nullptr};
  nn::Conv2d conv1{nullptr}, conv2{nullptr}, conv_shortcut{nullptr};  // shortcut only when Cin != Cout
  nn::Linear time_emb_proj{nullptr};
  double output_scale_factor;
};
TORCH_MODULE(ResnetBlock2D);

}  // namespace ci2v::unet
