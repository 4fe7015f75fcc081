#include "engine/unet/rotary.h"

namespace ci2v::unet {

RotaryEmbeddingImpl::RotaryEmbeddingImpl(int64_t d, const torch::TensorOptions& o) : dim(d) {
  freqs = register_parameter("freqs", torch::empty({d / 2}, o.requires_grad(false)), false);
  if (o.device().type() != torch::kMeta) reset_frequencies();
}

void RotaryEmbeddingImpl::reset_frequencies() {
  torch::NoGradGuard ng;
  // 1 / theta^(arange(0, dim, 2)[:dim/2] / dim), fp32
  auto e = at::arange(0, dim, 2, torch::TensorOptions().dtype(torch::kFloat32)).slice(0, 0, dim / 2) / static_cast<double>(dim);
  auto f = 1.0 / at::pow(10000.0, e);
  freqs.copy_(f.to(freqs.dtype()).to(freqs.device()));
}

std::pair<Tensor, Tensor> RotaryEmbeddingImpl::tables(const Tensor& pos, const Tensor& like) const {
  // einsum('..., f -> ... f', pos.type(freqs.dtype), freqs), then cast to the tensor's dtype (apply_rotary_emb)
  auto angles = (pos.to(freqs.dtype()).unsqueeze(-1) * freqs.unsqueeze(0)).to(like.scalar_type());  // [P, R]
  return {at::cos(angles), at::sin(angles)};
}

Tensor apply_rotary(const Tensor& x, const Tensor& cos, const Tensor& sin) {
  const int64_t R = cos.size(-1);  // rotated pairs
  const int64_t C = x.size(-1);
  auto rot = x.narrow(-1, 0, 2 * R);
  std::vector<int64_t> pair_shape(rot.sizes().begin(), rot.sizes().end());
  pair_shape.back() = R;
  pair_shape.push_back(2);
  auto pairs = rot.reshape(pair_shape);  // [..., P, R, 2]
  auto a = pairs.select(-1, 0), b = pairs.select(-1, 1);
  // t*cos + rotate_half(t)*sin with rotate_half(a, b) = (-b, a)
  auto ra = a * cos - b * sin;
  auto rb = b * cos + a * sin;
  auto rotated = at::stack({ra, rb}, -1).flatten(-2);  // [..., P, 2R]
  if (2 * R == C) return rotated;
  return at::cat({rotated, x.narrow(-1, 2 * R, C - 2 * R)}, -1);
}

RelativePositionBiasImpl::RelativePositionBiasImpl(int64_t heads, int64_t buckets, const torch::TensorOptions& o) {
  relative_attention_bias = register_module("relative_attention_bias", nn::Embedding(buckets, heads, o));
}

}  // namespace ci2v::unet
