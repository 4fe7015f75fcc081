#include "engine/vae/vae_blocks.h"

#include <cmath>

namespace ci2v::vae {

// ---- ResnetBlock -----------------------------------------------------------------------------------------

ResnetBlockImpl::ResnetBlockImpl(int64_t in, int64_t out, int64_t groups, double eps, const torch::TensorOptions& o) {
  norm1 = register_module("norm1", nn::GroupNorm(groups, in, eps, o));
  conv1 = register_module("conv1", nn::Conv2d(in, out, 3, 1, 1, true, o));
  norm2 = register_module("norm2", nn::GroupNorm(groups, out, eps, o));
  conv2 = register_module("conv2", nn::Conv2d(out, out, 3, 1, 1, true, o));
  if (in != out) conv_shortcut = register_module("conv_shortcut", nn::Conv2d(in, out, 1, 1, 0, true, o));
}

Tensor ResnetBlockImpl::forward(const Tensor& x) const {
  auto h = conv1->forward(norm1->forward_silu(x));  // [N, out, H, W]
  h = conv2->forward(norm2->forward_silu(h));       // [N, out, H, W]
  const Tensor shortcut = conv_shortcut ? conv_shortcut->forward(x) : x;
  return shortcut + h;  // output_scale_factor 1
}

// ---- Downsample / Upsample -------------------------------------------------------------------------------

DownsampleImpl::DownsampleImpl(int64_t channels, const torch::TensorOptions& o) {
  conv = register_module("conv", nn::Conv2d(channels, channels, 3, /*stride=*/2, /*padding=*/0, true, o));
}

Tensor DownsampleImpl::forward(const Tensor& x) const {
  // Asymmetric zero pad: one column on the right, one row at the bottom. [N, C, H+1, W+1]
  auto padded = at::constant_pad_nd(x, {0, 1, 0, 1}, 0);
  return conv->forward(padded);  // [N, C, H/2, W/2]
}

UpsampleImpl::UpsampleImpl(int64_t channels, const torch::TensorOptions& o) {
  conv = register_module("conv", nn::Conv2d(channels, channels, 3, 1, 1, true, o));
}

Tensor UpsampleImpl::forward(const Tensor& x) const {
  const int64_t N = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3);
  // Nearest x2 (exact copy of each pixel into a 2x2 cell): [N, C, H, 1, W, 1] -> [N, C, 2H, 2W]
  auto up = x.view({N, C, H, 1, W, 1}).expand({N, C, H, 2, W, 2}).reshape({N, C, 2 * H, 2 * W});
  return conv->forward(up);
}

// ---- MidAttention ----------------------------------------------------------------------------------------

MidAttentionImpl::MidAttentionImpl(int64_t channels, int64_t groups, double eps, const torch::TensorOptions& o) {
  group_norm = register_module("group_norm", nn::GroupNorm(groups, channels, eps, o));
  to_q = register_module("to_q", nn::Linear(channels, channels, true, o));
  to_k = register_module("to_k", nn::Linear(channels, channels, true, o));
  to_v = register_module("to_v", nn::Linear(channels, channels, true, o));
  to_out = register_module("to_out", torch::nn::ModuleList());
  to_out->push_back(nn::Linear(channels, channels, true, o));
}

Tensor MidAttentionImpl::forward(const Tensor& x) const {
  const int64_t N = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3);
  // GroupNorm on the [N, C, H, W] input, then tokens: [N, C, H*W] -> [N, H*W, C]
  auto tokens = group_norm->forward(x).view({N, C, H * W}).transpose(1, 2);
  // One head: [N, 1, H*W, C]
  auto q = to_q->forward(tokens).unsqueeze(1);
  auto k = to_k->forward(tokens).unsqueeze(1);
  auto v = to_v->forward(tokens).unsqueeze(1);
  auto o = nn::attention(q, k, v, 1.0 / std::sqrt(static_cast<double>(C)));  // [N, 1, H*W, C]
  o = to_out->ptr(0)->as<nn::LinearImpl>()->forward(o.squeeze(1));                 // [N, H*W, C]
  o = o.transpose(1, 2).reshape({N, C, H, W});                                 // [N, C, H, W]
  return o + x;  // residual, rescale_output_factor 1
}

// ---- MidBlock --------------------------------------------------------------------------------------------

MidBlockImpl::MidBlockImpl(int64_t channels, int64_t groups, double eps, bool add_attention,
                           const torch::TensorOptions& o) {
  resnets = register_module("resnets", torch::nn::ModuleList());
  attentions = register_module("attentions", torch::nn::ModuleList());
  resnets->push_back(ResnetBlock(channels, channels, groups, eps, o));
  resnets->push_back(ResnetBlock(channels, channels, groups, eps, o));
  if (add_attention) attentions->push_back(MidAttention(channels, groups, eps, o));
}

Tensor MidBlockImpl::forward(const Tensor& x) const {
  auto h = resnets->ptr(0)->as<ResnetBlockImpl>()->forward(x);
  if (!attentions->is_empty()) h = attentions->ptr(0)->as<MidAttentionImpl>()->forward(h);
  return resnets->ptr(1)->as<ResnetBlockImpl>()->forward(h);
}

// ---- Down / up blocks ------------------------------------------------------------------------------------

DownEncoderBlockImpl::DownEncoderBlockImpl(int64_t in, int64_t out, int64_t layers, bool add_downsample,
                                           int64_t groups, double eps, const torch::TensorOptions& o) {
  resnets = register_module("resnets", torch::nn::ModuleList());
  for (int64_t i = 0; i < layers; ++i) resnets->push_back(ResnetBlock(i == 0 ? in : out, out, groups, eps, o));
  if (add_downsample) {
    downsamplers = register_module("downsamplers", torch::nn::ModuleList());
    downsamplers->push_back(Downsample(out, o));
  }
}

Tensor DownEncoderBlockImpl::forward(const Tensor& x) const {
  Tensor h = x;
  for (const auto& r : *resnets) h = r->as<ResnetBlockImpl>()->forward(h);
  if (downsamplers) h = downsamplers->ptr(0)->as<DownsampleImpl>()->forward(h);
  return h;
}

UpDecoderBlockImpl::UpDecoderBlockImpl(int64_t in, int64_t out, int64_t layers, bool add_upsample, int64_t groups,
                                       double eps, const torch::TensorOptions& o) {
  resnets = register_module("resnets", torch::nn::ModuleList());
  for (int64_t i = 0; i < layers; ++i) resnets->push_back(ResnetBlock(i == 0 ? in : out, out, groups, eps, o));
  if (add_upsample) {
    upsamplers = register_module("upsamplers", torch::nn::ModuleList());
    upsamplers->push_back(Upsample(out, o));
  }
}

Tensor UpDecoderBlockImpl::forward(const Tensor& x) const {
  Tensor h = x;
  for (const auto& r : *resnets) h = r->as<ResnetBlockImpl>()->forward(h);
  if (upsamplers) h = upsamplers->ptr(0)->as<UpsampleImpl>()->forward(h);
  return h;
}

}  // namespace ci2v::vae
