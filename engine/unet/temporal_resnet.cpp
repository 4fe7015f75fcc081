#include "engine/unet/temporal_resnet.h"

#include "engine/unet/unet_config.h"

namespace ci2v::unet {

Tensor temporal_conv_frames(const nn::TemporalConvImpl& conv, const Tensor& x, int64_t frames) {
  const int64_t BT = x.size(0), C = x.size(1), h = x.size(2), w = x.size(3);
  const int64_t B = BT / frames;
  auto v = x.view({B, frames, C, h, w}).permute({0, 2, 1, 3, 4});  // [B, C, T, h, w]
  auto y = conv.forward(v);                                        // [B, Cout, T, h, w]
  return y.permute({0, 2, 1, 3, 4}).reshape({BT, y.size(1), h, w});  // [B*T, Cout, h, w]
}

TemporalResnetBlockImpl::TemporalResnetBlockImpl(int64_t c, const torch::TensorOptions& o) {
  const auto po = o.requires_grad(false);
  alpha = register_parameter("alpha", torch::ones({1}, po), false);
  norm1 = register_module("norm1", nn::GroupNorm(UNetConfig::kTemporalGroups, c, UNetConfig::kTemporalEps, o));
  conv1 = register_module("conv1", nn::TemporalConv(c, c, 3, o));
  time_emb_proj = register_module("time_emb_proj", nn::Linear(UNetConfig::kTemporalTembChannels, c, true, o));
  norm2 = register_module("norm2", nn::GroupNorm(UNetConfig::kTemporalGroups, c, UNetConfig::kTemporalEps, o));
  conv2 = register_module("conv2", nn::TemporalConv(c, c, 3, o));
}

Tensor TemporalResnetBlockImpl::forward(const Tensor& x, int64_t frames) const {
  auto h = temporal_conv_frames(*conv1, at::silu(norm1->forward(x)), frames);  // GN per frame, then conv in time
  h = temporal_conv_frames(*conv2, at::silu(norm2->forward(h)), frames);
  auto o = x + h;                       // (x + h) / output_scale_factor (1.0)
  return nn::alpha_blend(alpha, x, o);  // a * x + (1 - a) * o, a = alpha clamped to [0, 1]; [B*T, C, h, w]
}

}  // namespace ci2v::unet
