// Timestep / frame-stride embeddings of the video UNet (model-reference.md §2.4 steps 5-6, §2.6.1).
#pragma once
#include <torch/torch.h>

#include "engine/nn/layers.h"

namespace ci2v::unet {

using torch::Tensor;

// diffusers get_timestep_embedding: values [N] (any numeric dtype) -> [N, dim] fp32.
// half = dim/2, f_i = exp(-ln(10000) * i / (half - shift)), a = value * f (fp32);
// output [sin(a), cos(a)], or [cos(a), sin(a)] with flip_sin_to_cos (zero-padded when dim is odd).
Tensor sinusoidal_embedding(const Tensor& values, int64_t dim, bool flip_sin_to_cos, double freq_shift);

// diffusers TimestepEmbedding: linear_2(SiLU(linear_1(x))).
struct TimestepEmbeddingImpl : torch::nn::Module {
  TimestepEmbeddingImpl(int64_t in, int64_t out, const torch::TensorOptions& o);
  Tensor forward(const Tensor& x) const;  // [N, in] -> [N, out]
  nn::Linear linear_1{nullptr}, linear_2{nullptr};
};
TORCH_MODULE(TimestepEmbedding);

}  // namespace ci2v::unet
