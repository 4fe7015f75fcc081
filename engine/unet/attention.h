// ConsistI2V attention layers (model-reference.md §2.6.6 (a)-(d), §2.7): ConditionalAttention (spatial) and
// TemporalConditionalAttention (temporal, with rotary embedding). q/k/v projections without bias, to_out.0 with
// bias, contiguous head split, softmax(q k^T / sqrt(head_dim)) v through ci2v::nn::attention.
#pragma once
#include <torch/torch.h>

#include "engine/nn/layers.h"
#include "engine/unet/rotary.h"

namespace ci2v::unet {

using torch::Tensor;

struct ConditionalAttentionImpl : torch::nn::Module {
  // context_dim: channels of the key/value input (query_dim for self-attention, the text width for attn2).
  // temporal: adds rotary_emb (RotaryEmbedding(inner/2)) and the unused rotary_bias.
  ConditionalAttentionImpl(int64_t query_dim, int64_t context_dim, int64_t heads, int64_t head_dim, bool temporal,
                           const torch::TensorOptions& o);

  // (a) spatial self-attention with first-frame K/V. u: LayerNorm1 output [B*T, N, C].
  //     keys/values of row (b, f) = [tokens of (b, f), tokens of (b, 0)] -> [B*T, N, C]
  Tensor spatial_first_frame(const Tensor& u, int64_t frames) const;
  // (b) spatial cross-attention: z [B*T, N, C], text [B, L, D] (one copy per video) -> [B*T, N, C]
  Tensor spatial_cross(const Tensor& z, const Tensor& text, int64_t frames) const;
  // (c) temporal self-attention over the T frames of each pixel, RoPE on q/k (positions 0..T-1); with
  //     first_frame_window the keys/values get the 8 neighbours of the pixel in frame 0 (3x3 window minus
  //     centre, replicate border, row-major) appended, at position 0. u: [B*T, h*w, C] -> same.
  Tensor temporal_self(const Tensor& u, int64_t frames, int64_t height, int64_t width, bool first_frame_window) const;
  // (d) temporal cross-attention: per-pixel frame sequences (q rotated) against the video's text (keys not
  //     rotated unless T equals the text length, as in the reference). z [B*T, N, C], text [B, L, D].
  Tensor temporal_cross(const Tensor& z, const Tensor& text, int64_t frames) const;

  nn::Linear to_q{nullptr}, to_k{nullptr}, to_v{nullptr}, out_proj{nullptr};  // out_proj = to_out.0
  torch::nn::ModuleList to_out{nullptr};
  RotaryEmbedding rotary_emb{nullptr};
  RelativePositionBias rotary_bias{nullptr};  // loaded, never used
  int64_t heads, head_dim, inner;
};
TORCH_MODULE(ConditionalAttention);

// Gather index [h*w*8] of the 3x3-minus-centre neighbours of every pixel (replicate border, row-major window).
Tensor first_frame_window_index(int64_t height, int64_t width, torch::Device device);

// Softmax attention [X, H, Lq, d] x [X, H, Lk, d]; on the CPU it is split into pieces so that no score
// matrix exceeds a fixed budget (the math path materialises it).
Tensor attend(const Tensor& q, const Tensor& k, const Tensor& v);
// Elements of the largest score matrix piece on the CPU (default 2^26); for tests.
void set_attention_score_budget(int64_t elements);

}  // namespace ci2v::unet
