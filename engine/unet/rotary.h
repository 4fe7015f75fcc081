// Rotary position embedding of the temporal attentions (model-reference.md §2.6.7; ConsistI2V's local copy of
// lucidrains rotary-embedding-torch, freqs_for="lang", theta 10000).
// RotaryEmbedding(dim = inner/2): freqs_i = 1/10000^(2i/dim), i < dim/2 (the checkpoint stores them as
// "rotary_emb.freqs"; the stored values are used). For position p the angles p*freqs are repeated pairwise
// (interleaved) and the FIRST 2*len(freqs) channels of the full-width q/k are rotated pair by pair:
// (a, b) -> (a cos - b sin, b cos + a sin); the remaining channels pass through.
#pragma once
#include <torch/torch.h>

#include <mutex>
#include <vector>

#include "engine/nn/layers.h"

namespace ci2v::unet {

using torch::Tensor;

struct RotaryEmbeddingImpl : torch::nn::Module {
  RotaryEmbeddingImpl(int64_t dim, const torch::TensorOptions& o);
  // Refill `freqs` with the formula (after random initialisation; loading overwrites them anyway).
  void reset_frequencies();

  // Full-width tables [P, C] for positions 0..P-1 and C channels (C even, >= 2 len(freqs)), in the dtype and on
  // the device of `like`: cos = (c0, c0, c1, c1, ..., 1, 1, ...), sin = (-s0, s0, -s1, s1, ..., 0, 0, ...), the
  // angles p * freqs computed in the freqs dtype, then cast, as the reference does. Channels past 2 len(freqs)
  // get the identity (cos 1, sin 0). Cached per (P, C, dtype, device) until `freqs` changes, so a denoising
  // step builds none (and issues no kernels for them). Entries are never freed (CUDA graphs captured with them
  // keep their addresses); a graph captured before an in-place change of `freqs` keeps the old tables, so
  // capture after loading the weights (as Models does).
  std::pair<Tensor, Tensor> tables(int64_t P, int64_t C, const Tensor& like) const;

  Tensor freqs;  // [dim/2]
  int64_t dim;

private:
  struct Cached {
    int64_t P, C, version;
    const void* freqs_data;  // with the version: the same freqs tensor, unchanged
    c10::ScalarType dtype;
    c10::Device device;
    Tensor cos, sin;
  };
  mutable std::mutex cache_mu_;  // one UNet may serve several threads (tests, a preview beside a run)
  mutable std::vector<Cached> cache_;
};
TORCH_MODULE(RotaryEmbedding);

// Rotate x [..., P, C] along the position axis (dim -2) with tables from RotaryEmbeddingImpl::tables:
// x * cos + swap_pairs(x) * sin, where swap_pairs exchanges channels 2i and 2i+1 — three kernels.
Tensor apply_rotary(const Tensor& x, const Tensor& cos, const Tensor& sin);

// The unused T5-style RelativePositionBias of the temporal attentions ("rotary_bias"): its
// relative_attention_bias table [32, heads] is in the checkpoint, but the reference never applies it.
struct RelativePositionBiasImpl : torch::nn::Module {
  RelativePositionBiasImpl(int64_t heads, int64_t buckets, const torch::TensorOptions& o);
  nn::Embedding relative_attention_bias{nullptr};
};
TORCH_MODULE(RelativePositionBias);

}  // namespace ci2v::unet
