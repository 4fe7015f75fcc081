// Rotary position embedding of the temporal attentions (model-reference.md §2.6.7; ConsistI2V's local copy of
// lucidrains rotary-embedding-torch, freqs_for="lang", theta 10000).
// RotaryEmbedding(dim = inner/2): freqs_i = 1/10000^(2i/dim), i < dim/2 (the checkpoint stores them as
// "rotary_emb.freqs"; the stored values are used). For position p the angles p*freqs are repeated pairwise
// (interleaved) and the FIRST 2*len(freqs) channels of the full-width q/k are rotated pair by pair:
// (a, b) -> (a cos - b sin, b cos + a sin); the remaining channels pass through.
#pragma once
#include <torch/torch.h>

#include "engine/nn/layers.h"

namespace ci2v::unet {

using torch::Tensor;

struct RotaryEmbeddingImpl : torch::nn::Module {
  RotaryEmbeddingImpl(int64_t dim, const torch::TensorOptions& o);
  // Refill `freqs` with the formula (after random initialisation; loading overwrites them anyway).
  void reset_frequencies();

  // cos/sin tables [P, len(freqs)] for positions `pos` [P] in the dtype of `like`
  // (angles computed in the freqs dtype, then cast, as the reference does).
  std::pair<Tensor, Tensor> tables(const Tensor& pos, const Tensor& like) const;

  Tensor freqs;  // [dim/2]
  int64_t dim;
};
TORCH_MODULE(RotaryEmbedding);

// Rotate x [..., P, C] along the position axis (dim -2) with tables from RotaryEmbeddingImpl::tables
// (cos/sin broadcastable to [..., P, R], R = len(freqs)).
Tensor apply_rotary(const Tensor& x, const Tensor& cos, const Tensor& sin);

// The unused T5-style RelativePositionBias of the temporal attentions ("rotary_bias"): its
// relative_attention_bias table [32, heads] is in the checkpoint, but the reference never applies it.
struct RelativePositionBiasImpl : torch::nn::Module {
  RelativePositionBiasImpl(int64_t heads, int64_t buckets, const torch::TensorOptions& o);
  nn::Embedding relative_attention_bias{nullptr};
};
TORCH_MODULE(RelativePositionBias);

}  // namespace ci2v::unet
