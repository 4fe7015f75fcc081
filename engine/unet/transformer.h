// Transformer2DConditionModel (spatial "attentions" and temporal "tempo_attns") with its
// BasicConditionalTransformerBlock and GEGLU feed-forward (model-reference.md §2.6.5, §2.6.6).
#pragma once
#include <torch/torch.h>

#include "engine/nn/layers.h"
#include "engine/unet/attention.h"

namespace ci2v::unet {

using torch::Tensor;

// diffusers GEGLU: [p | g] = proj(x) (8C wide), out = p * GELU(g) (exact erf GELU).
struct GEGLUImpl : torch::nn::Module {
  GEGLUImpl(int64_t dim, int64_t inner, const torch::TensorOptions& o);
  Tensor forward(const Tensor& x) const;
  nn::Linear proj{nullptr};
};
TORCH_MODULE(GEGLU);

// diffusers FeedForward with GEGLU: net.0 = GEGLU(dim -> 4*dim), net.1 = dropout, net.2 = Linear(4*dim -> dim).
struct FeedForwardImpl : torch::nn::Module {
  FeedForwardImpl(int64_t dim, const torch::TensorOptions& o);
  Tensor forward(const Tensor& x) const;
  torch::nn::ModuleList net{nullptr};
  GEGLU geglu{nullptr};
  nn::Linear out{nullptr};
};
TORCH_MODULE(FeedForward);

// LN1 -> attn1 (first-frame spatial or windowed temporal) -> LN2 -> attn2 (text) -> LN3 -> FF, residual each.
struct BasicConditionalTransformerBlockImpl : torch::nn::Module {
  BasicConditionalTransformerBlockImpl(int64_t dim, int64_t heads, int64_t head_dim, int64_t cross_dim, bool temporal,
                                       bool augment_temporal_attention, const torch::TensorOptions& o);
  // z [B*T, h*w, C], text [B, L, D] (one copy per video)
  Tensor forward(const Tensor& z, const Tensor& text, int64_t frames, int64_t height, int64_t width) const;

  nn::LayerNorm norm1{nullptr}, norm2{nullptr}, norm3{nullptr};
  ConditionalAttention attn1{nullptr}, attn2{nullptr};
  FeedForward ff{nullptr};
  bool temporal, augment_temporal_attention;
};
TORCH_MODULE(BasicConditionalTransformerBlock);

// GroupNorm(eps 1e-6, per frame) -> proj_in -> blocks -> proj_out -> + input; the temporal variant then mixes
// out = alpha*x + (1-alpha)*out with alpha clamped to [0, 1].
struct Transformer2DConditionModelImpl : torch::nn::Module {
  Transformer2DConditionModelImpl(int64_t channels, int64_t heads, int64_t cross_dim, int64_t layers, int64_t groups,
                                  bool linear_projection, bool temporal, bool augment_temporal_attention,
                                  const torch::TensorOptions& o);
  // x [B*T, C, h, w], text [B, L, D] -> [B*T, C, h, w]
  Tensor forward(const Tensor& x, const Tensor& text, int64_t frames) const;

  nn::GroupNorm norm{nullptr};
  nn::Linear proj_in_linear{nullptr}, proj_out_linear{nullptr};  // use_linear_projection
  nn::Conv2d proj_in_conv{nullptr}, proj_out_conv{nullptr};      // 1x1 convs otherwise
  torch::nn::ModuleList transformer_blocks{nullptr};
  std::vector<BasicConditionalTransformerBlock> blocks;
  Tensor alpha;  // temporal only
  int64_t inner;
  bool temporal;
};
TORCH_MODULE(Transformer2DConditionModel);

}  // namespace ci2v::unet
