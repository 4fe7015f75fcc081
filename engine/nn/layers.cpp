#include "engine/nn/layers.h"

#include "engine/nn/fused.h"

#include <torch/version.h>

#include <atomic>
#include <cmath>

namespace ci2v::nn {

namespace {
std::atomic<bool> g_force_math{false};
std::atomic<bool> g_count_flops{false};
std::atomic<int64_t> g_flops{0};
inline void count(int64_t f) {
  if (g_count_flops.load(std::memory_order_relaxed)) g_flops.fetch_add(f, std::memory_order_relaxed);
}
torch::TensorOptions opts(const torch::TensorOptions& o) { return o.requires_grad(false); }
}  // namespace

LinearImpl::LinearImpl(int64_t in, int64_t out, bool has_bias, const torch::TensorOptions& o) {
  weight = register_parameter("weight", torch::empty({out, in}, opts(o)), false);
  if (has_bias) bias = register_parameter("bias", torch::empty({out}, opts(o)), false);
}
Tensor LinearImpl::forward(const Tensor& x) const {
  count(2 * (x.numel() / weight.size(1)) * weight.size(0) * weight.size(1));  // multiply-adds x 2
  return at::linear(x, weight, bias);
}

Conv2dImpl::Conv2dImpl(int64_t in, int64_t out, int64_t k, int64_t s, int64_t p, bool has_bias,
                       const torch::TensorOptions& o)
    : stride(s), padding(p) {
  weight = register_parameter("weight", torch::empty({out, in, k, k}, opts(o)), false);
  if (has_bias) bias = register_parameter("bias", torch::empty({out}, opts(o)), false);
}
Tensor Conv2dImpl::forward(const Tensor& x) const {
  Tensor y = at::conv2d(x, weight, bias, {stride, stride}, {padding, padding});
  // A channels-last weight (set_conv_weights_channels_last) makes the result channels-last: hand it on in the
  // input's layout (channels-last inside a channels-last UNet, NCHW elsewhere).
  if (!weight.is_contiguous() && !is_channels_last(x)) y = y.contiguous();
  count(2 * y.numel() * weight.size(1) * weight.size(2) * weight.size(3));
  return y;
}

TemporalConvImpl::TemporalConvImpl(int64_t in, int64_t out, int64_t k, const torch::TensorOptions& o) : kt(k) {
  weight = register_parameter("weight", torch::empty({out, in, k, 1, 1}, opts(o)), false);
  bias = register_parameter("bias", torch::empty({out}, opts(o)), false);
}
Tensor TemporalConvImpl::forward(const Tensor& x) const {
  Tensor y;
  if (x.device().is_cpu()) {
    // The same (k, 1, 1) convolution as a 2-D one over [T, h*w]: LibTorch 1.13's CPU conv3d takes its slow
    // reference path here (about 39 ms against 1.5-2.5 ms per call for the released UNet's temporal convolutions
    // at 64 px, one thread), its conv2d the oneDNN one.
    const int64_t B = x.size(0), T = x.size(2), h = x.size(3), w = x.size(4);
    y = at::conv2d(x.reshape({B, x.size(1), T, h * w}), weight.view({weight.size(0), weight.size(1), kt, 1}), bias,
                   {1, 1}, {kt / 2, 0})
            .view({B, weight.size(0), T, h, w});
  } else {
    y = at::conv3d(x, weight, bias, {1, 1, 1}, {kt / 2, 0, 0});
  }
  count(2 * y.numel() * weight.size(1) * kt);
  return y;
}

GroupNormImpl::GroupNormImpl(int64_t g, int64_t c, double e, const torch::TensorOptions& o) : groups(g), eps(e) {
  weight = register_parameter("weight", torch::empty({c}, opts(o)), false);
  bias = register_parameter("bias", torch::empty({c}, opts(o)), false);
}
// Under autocast (bf16 training) an input can arrive in a lower precision than the fp32 weights; autocast's CUDA
// op list runs the norms in fp32, LibTorch 1.13's CPU list does not handle them and the kernel rejects the mix.
// So a mismatched input is normalised in the weights' dtype, which is what CUDA autocast does. Same-dtype inputs
// (every inference path) take the plain call.
Tensor GroupNormImpl::forward(const Tensor& x) const {
  if (x.scalar_type() != weight.scalar_type()) return at::group_norm(x.to(weight.scalar_type()), groups, weight, bias, eps);
  return group_norm_silu(x, groups, weight, bias, eps, false);  // the fused kernels on CUDA (NHWC too), else ATen
}
Tensor GroupNormImpl::forward_silu(const Tensor& x) const {
  if (x.scalar_type() != weight.scalar_type()) return at::silu(forward(x));  // autocast training
  return group_norm_silu(x, groups, weight, bias, eps, true);
}

LayerNormImpl::LayerNormImpl(int64_t d, double e, const torch::TensorOptions& o) : eps(e) {
  weight = register_parameter("weight", torch::empty({d}, opts(o)), false);
  bias = register_parameter("bias", torch::empty({d}, opts(o)), false);
}
Tensor LayerNormImpl::forward(const Tensor& x) const {
  if (x.scalar_type() != weight.scalar_type())  // autocast: as GroupNorm
    return at::layer_norm(x.to(weight.scalar_type()), {weight.size(0)}, weight, bias, eps);
  return at::layer_norm(x, {weight.size(0)}, weight, bias, eps);
}

EmbeddingImpl::EmbeddingImpl(int64_t n, int64_t d, const torch::TensorOptions& o) {
  weight = register_parameter("weight", torch::empty({n, d}, opts(o)), false);
}
Tensor EmbeddingImpl::forward(const Tensor& ids) const { return at::embedding(weight, ids); }

Tensor alpha_blend(const Tensor& alpha, const Tensor& x, const Tensor& other) {
  auto a = at::clamp(alpha, 0.0, 1.0);
  if (a.scalar_type() == x.scalar_type() && x.scalar_type() == other.scalar_type()) return at::lerp(other, x, a);
  return a * x + (1 - a) * other;
}

void set_force_math_attention(bool on) { g_force_math = on; }

void count_flops(bool on) { g_count_flops = on; }
int64_t counted_flops() { return g_flops.load(); }
void reset_counted_flops() { g_flops = 0; }
bool counting_flops() { return g_count_flops.load(); }
void add_counted_flops(int64_t flops) { count(flops); }

Tensor attention(const Tensor& q, const Tensor& k, const Tensor& v, double scale, const Tensor& mask) {
  count(4 * q.numel() * k.size(-2));  // QK^T and PV: 2 x (2 x Lq x Lk x D) per head
  const double s = scale > 0 ? scale : 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 1)  // `scale` arrived in 2.1
  if (!g_force_math) {
    return at::scaled_dot_product_attention(q, k, v, mask.defined() ? c10::optional<Tensor>(mask) : c10::nullopt,
                                            0.0, false, s);
  }
#endif
  // [B, H, Lq, D] x [B, H, D, Lk] -> [B, H, Lq, Lk]
  auto scores = at::matmul(q, k.transpose(-2, -1)) * s;
  if (mask.defined()) scores = scores + mask;
  return at::matmul(at::softmax(scores, -1), v);  // [B, H, Lq, D]
}

void init_random(torch::nn::Module& m, uint64_t seed, double std) {
  torch::NoGradGuard ng;
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  for (auto& item : m.named_parameters(true)) {
    const std::string& n = item.key();
    auto& p = item.value();
    auto dot = n.rfind('.');
    const std::string leaf = dot == std::string::npos ? n : n.substr(dot + 1);
    const std::string owner = dot == std::string::npos ? "" : n.substr(0, dot);
    const bool is_norm = owner.find("norm") != std::string::npos;
    if (leaf == "alpha") {
      p.fill_(0.5);
    } else if (leaf == "bias") {
      p.zero_();
    } else if (is_norm && leaf == "weight") {
      p.fill_(1.0);
    } else {
      auto t = at::empty(p.sizes(), p.options().dtype(torch::kFloat).device(torch::kCPU));
      t.normal_(0.0, std, gen);
      p.copy_(t);
    }
  }
}

Tensor to_device_async(const Tensor& t, const torch::Device& device) {
  if (device.is_cuda() && t.is_cpu() && !t.is_pinned()) return t.pin_memory().to(device, /*non_blocking=*/true);
  return t.to(device);
}

}  // namespace ci2v::nn
