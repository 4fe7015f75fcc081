#include "engine/unet/embeddings.h"

#include <cmath>

namespace ci2v::unet {

Tensor sinusoidal_embedding(const Tensor& values, int64_t dim, bool flip_sin_to_cos, double freq_shift) {
  const int64_t half = dim / 2;
  const auto fopt = torch::TensorOptions().dtype(torch::kFloat32).device(values.device());
  // Same op order as the reference: (arange * -ln(10000)) / (half - shift), exp, all in fp32.
  auto exponent = at::arange(0, half, fopt) * (-std::log(10000.0));
  exponent = exponent / (static_cast<double>(half) - freq_shift);
  auto freqs = at::exp(exponent);                                       // [half]
  auto args = values.reshape({-1, 1}).to(torch::kFloat32) * freqs.unsqueeze(0);  // [N, half]
  auto emb = flip_sin_to_cos ? at::cat({at::cos(args), at::sin(args)}, -1) : at::cat({at::sin(args), at::cos(args)}, -1);
  if (dim % 2 == 1) emb = at::constant_pad_nd(emb, {0, 1}, 0);
  return emb;  // [N, dim]
}

TimestepEmbeddingImpl::TimestepEmbeddingImpl(int64_t in, int64_t out, const torch::TensorOptions& o) {
  linear_1 = register_module("linear_1", nn::Linear(in, out, true, o));
  linear_2 = register_module("linear_2", nn::Linear(out, out, true, o));
}

Tensor TimestepEmbeddingImpl::forward(const Tensor& x) const {
  return linear_2->forward(at::silu(linear_1->forward(x)));
}

}  // namespace ci2v::unet
