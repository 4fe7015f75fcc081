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

std::pair<Tensor, Tensor> RotaryEmbeddingImpl::tables(int64_t P, int64_t C, const Tensor& like) const {
  const int64_t R = freqs.size(0);
  TORCH_CHECK(C % 2 == 0 && C >= 2 * R, "rotary tables: ", C, " channels cannot hold ", R, " rotated pairs");
  const int64_t version = static_cast<int64_t>(freqs._version());
  const void* data = freqs.data_ptr();
  std::lock_guard<std::mutex> lock(cache_mu_);
  for (const auto& c : cache_)
    if (c.P == P && c.C == C && c.dtype == like.scalar_type() && c.device == like.device() && c.version == version &&
        c.freqs_data == data)
      return {c.cos, c.sin};
  torch::NoGradGuard ng;
  // einsum('..., f -> ... f', pos.type(freqs.dtype), freqs), then cast to the tensor's dtype (apply_rotary_emb)
  auto pos = at::arange(P, freqs.options());
  auto angles = (pos.unsqueeze(-1) * freqs.detach().unsqueeze(0)).to(like.scalar_type());  // [P, R]
  auto cos = at::cos(angles), sin = at::sin(angles);
  auto wide_cos = at::ones({P, C}, like.options().requires_grad(false));
  auto wide_sin = at::zeros({P, C}, like.options().requires_grad(false));
  auto pairs_cos = wide_cos.narrow(1, 0, 2 * R).view({P, R, 2});
  auto pairs_sin = wide_sin.narrow(1, 0, 2 * R).view({P, R, 2});
  pairs_cos.select(2, 0).copy_(cos);
  pairs_cos.select(2, 1).copy_(cos);
  pairs_sin.select(2, 0).copy_(-sin);
  pairs_sin.select(2, 1).copy_(sin);
  // Never evicted: a captured CUDA graph keeps reading the tables it was captured with (a handful of lengths and
  // dtypes in practice, a few kB each).
  cache_.push_back({P, C, version, data, like.scalar_type(), like.device(), wide_cos, wide_sin});
  return {wide_cos, wide_sin};
}

Tensor apply_rotary(const Tensor& x, const Tensor& cos, const Tensor& sin) {
  // (a, b) -> (a cos - b sin, b cos + a sin): the sign sits in the sin table, swap_pairs(x) = (b, a)
  const int64_t C = x.size(-1);
  std::vector<int64_t> pair_shape(x.sizes().begin(), x.sizes().end());
  pair_shape.back() = C / 2;
  pair_shape.push_back(2);
  auto swapped = x.reshape(pair_shape).flip(-1).view(x.sizes());
  if ((at::GradMode::is_enabled() && x.requires_grad()) || x.scalar_type() != cos.scalar_type() ||
      x.scalar_type() != sin.scalar_type())
    return at::addcmul(x * cos, swapped, sin);  // autograd, or mixed dtypes (autocast): the promoting ops
  // Inference: write into a contiguous result, so that the attention's reshape of a permuted x (the temporal
  // attention's [B, N, T, C]) is a view rather than another copy.
  auto out = at::empty(x.sizes(), x.options());
  at::mul_out(out, x, cos);
  return out.addcmul_(swapped, sin);
}

RelativePositionBiasImpl::RelativePositionBiasImpl(int64_t heads, int64_t buckets, const torch::TensorOptions& o) {
  relative_attention_bias = register_module("relative_attention_bias", nn::Embedding(buckets, heads, o));
}

}  // namespace ci2v::unet
