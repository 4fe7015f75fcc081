#include "engine/unet/transformer.h"

#include "engine/nn/fused.h"
#include "engine/unet/unet_config.h"

namespace ci2v::unet {

GEGLUImpl::GEGLUImpl(int64_t dim, int64_t inner, const torch::TensorOptions& o) {
  proj = register_module("proj", nn::Linear(dim, inner * 2, true, o));
}

Tensor GEGLUImpl::forward(const Tensor& x) const {
  return nn::geglu(proj->forward(x));  // [.., 8C] -> [.., 4C]; one fused kernel on CUDA
}

FeedForwardImpl::FeedForwardImpl(int64_t dim, const torch::TensorOptions& o) {
  net = register_module("net", torch::nn::ModuleList());
  geglu = GEGLU(dim, dim * 4, o);
  out = nn::Linear(dim * 4, dim, true, o);
  net->push_back(geglu);                    // net.0
  net->push_back(torch::nn::Identity());    // net.1: dropout (no parameters)
  net->push_back(out);                      // net.2
}

Tensor FeedForwardImpl::forward(const Tensor& x) const { return out->forward(geglu->forward(x)); }

BasicConditionalTransformerBlockImpl::BasicConditionalTransformerBlockImpl(int64_t dim, int64_t heads, int64_t head_dim,
                                                                           int64_t cross_dim, bool t, bool augment,
                                                                           const torch::TensorOptions& o)
    : temporal(t), augment_temporal_attention(augment) {
  const double eps = UNetConfig::kLayerNormEps;
  norm1 = register_module("norm1", nn::LayerNorm(dim, eps, o));
  attn1 = register_module("attn1", ConditionalAttention(dim, dim, heads, head_dim, t, o));
  norm2 = register_module("norm2", nn::LayerNorm(dim, eps, o));
  attn2 = register_module("attn2", ConditionalAttention(dim, cross_dim, heads, head_dim, t, o));
  norm3 = register_module("norm3", nn::LayerNorm(dim, eps, o));
  ff = register_module("ff", FeedForward(dim, o));
}

Tensor BasicConditionalTransformerBlockImpl::forward(const Tensor& z_in, const Tensor& text, int64_t T, int64_t height,
                                                     int64_t width) const {
  auto u = norm1->forward(z_in);  // [BT, N, C]; frame 0's rows also feed the first-frame keys/values
  auto a = temporal ? attn1->temporal_self(u, T, height, width, augment_temporal_attention)
                    : attn1->spatial_first_frame(u, T);
  auto z = a + z_in;
  auto n2 = norm2->forward(z);
  a = temporal ? attn2->temporal_cross(n2, text, T) : attn2->spatial_cross(n2, text, T);
  z = a + z;
  return ff->forward(norm3->forward(z)) + z;  // [BT, N, C]
}

Transformer2DConditionModelImpl::Transformer2DConditionModelImpl(int64_t C, int64_t heads, int64_t cross_dim,
                                                                 int64_t layers, int64_t groups, bool linear, bool t,
                                                                 bool augment, const torch::TensorOptions& o)
    : temporal(t) {
  const int64_t head_dim = C / heads;
  inner = heads * head_dim;
  norm = register_module("norm", nn::GroupNorm(groups, C, UNetConfig::kTransformerNormEps, o));
  if (linear) proj_in_linear = register_module("proj_in", nn::Linear(C, inner, true, o));
  else proj_in_conv = register_module("proj_in", nn::Conv2d(C, inner, 1, 1, 0, true, o));
  transformer_blocks = register_module("transformer_blocks", torch::nn::ModuleList());
  for (int64_t i = 0; i < layers; ++i) {
    blocks.push_back(BasicConditionalTransformerBlock(inner, heads, head_dim, cross_dim, t, augment, o));
    transformer_blocks->push_back(blocks.back());
  }
  if (linear) proj_out_linear = register_module("proj_out", nn::Linear(inner, C, true, o));
  else proj_out_conv = register_module("proj_out", nn::Conv2d(inner, C, 1, 1, 0, true, o));
  if (t) alpha = register_parameter("alpha", torch::ones({1}, o.requires_grad(false)), false);
}

Tensor Transformer2DConditionModelImpl::forward(const Tensor& x, const Tensor& text, int64_t T) const {
  const int64_t BT = x.size(0), C = x.size(1), h = x.size(2), w = x.size(3);
  auto n = norm->forward(x);  // [BT, C, h, w], statistics per frame
  Tensor z;
  if (proj_in_linear) {
    z = proj_in_linear->forward(n.permute({0, 2, 3, 1}).reshape({BT, h * w, C}));  // [BT, N, inner], token y*w+x
  } else {
    z = proj_in_conv->forward(n).permute({0, 2, 3, 1}).reshape({BT, h * w, inner});
  }
  for (const auto& b : blocks) z = b->forward(z, text, T, h, w);
  Tensor out;
  if (proj_out_linear) {
    out = proj_out_linear->forward(z).reshape({BT, h, w, C}).permute({0, 3, 1, 2});  // NHWC storage
    if (!nn::is_channels_last(x)) out = out.contiguous();
  } else {
    out = proj_out_conv->forward(z.reshape({BT, h, w, inner}).permute({0, 3, 1, 2}).contiguous());
  }
  out = out + x;  // [BT, C, h, w]
  if (temporal) {
    out = nn::alpha_blend(alpha, x, out);  // a * x + (1 - a) * out
  }
  return out;
}

}  // namespace ci2v::unet
