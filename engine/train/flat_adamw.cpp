#include "engine/train/flat_adamw.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "engine/error.h"

namespace ci2v::train {

namespace {
// Each parameter starts at a multiple of 64 elements (256 bytes in fp32): cuBLASLt and cuDNN pick their fastest
// kernels only for aligned pointers. The gaps stay zero in the parameters, the moments and the gradients.
constexpr int64_t kAlign = 64;
int64_t align_up(int64_t x) { return (x + kAlign - 1) / kAlign * kAlign; }

// A dense tensor's elements in memory order (its layout's own order), as a 1-D view.
torch::Tensor memory_order(const torch::Tensor& t) { return t.as_strided({t.numel()}, {1}); }
}  // namespace

std::vector<torch::Tensor> trainable_parameters(torch::nn::Module& m) {
  std::vector<torch::Tensor> out;
  for (auto& item : m.named_parameters(true)) {
    // rotary frequencies are a fixed formula (learned_freq False in the reference)
    if (item.key().find("rotary_emb.freqs") != std::string::npos) continue;
    item.value().set_requires_grad(true);
    out.push_back(item.value());
  }
  return out;
}

FlatAdamW::FlatAdamW(std::vector<torch::Tensor> params, FlatAdamWOptions o) : params_(std::move(params)), o_(o) {
  if (params_.empty()) throw Error("FlatAdamW: no parameters");
  if (o_.ema_first_step < 0)
    throw Error("FlatAdamW: ema_first_step must not be negative, got " + std::to_string(o_.ema_first_step));
  if (!(o_.ema_decay >= 0 && o_.ema_decay < 1))
    throw Error("FlatAdamW: ema_decay must be in [0, 1) (0: no moving average), got " + std::to_string(o_.ema_decay));
  std::set<const void*> storages;
  int64_t n = 0;
  for (size_t i = 0; i < params_.size(); ++i) {
    const auto& p = params_[i];
    const std::string name = "FlatAdamW: parameter " + std::to_string(i);
    if (!p.defined()) throw Error(name + " is undefined");
    if (!p.is_floating_point() || !p.requires_grad())
      throw Error(name + " is a " + std::string(c10::toString(p.scalar_type())) +
                  (p.requires_grad() ? "" : " tensor without requires_grad") + ": expected a floating-point tensor "
                  "that requires grad");
    if (p.scalar_type() != params_[0].scalar_type() || p.device() != params_[0].device())
      throw Error(name + " is " + std::string(c10::toString(p.scalar_type())) + " on " + p.device().str() +
                  ": expected " + std::string(c10::toString(params_[0].scalar_type())) + " on " +
                  params_[0].device().str() + " like parameter 0");
    // one storage per parameter: a tensor given twice, or weights tied through one storage, would be untied here
    if (!storages.insert(p.storage().unsafeGetStorageImpl()).second)
      throw Error(name + " is given twice or shares its storage with another parameter (tied weights are not "
                  "supported)");
    offsets_.push_back(n);
    n = align_up(n + p.numel());
  }
  torch::NoGradGuard ng;
  const auto opts = params_[0].options().requires_grad(false);
  flat_ = torch::zeros({n}, opts);
  for (size_t i = 0; i < params_.size(); ++i) {
    auto& p = params_[i];
    // keep each parameter's layout (channels-last convolution weights stay channels-last) where it is dense
    std::vector<int64_t> strides = p.strides().vec();
    if (!p.is_non_overlapping_and_dense()) {
      int64_t st = 1;
      for (int64_t d = p.dim() - 1; d >= 0; --d) {
        strides[static_cast<size_t>(d)] = st;
        st *= std::max<int64_t>(1, p.size(d));
      }
    }
    auto slot = flat_.as_strided(p.sizes(), strides, offsets_[i]);
    slot.copy_(p);
    p.set_(slot);
  }
  m_ = torch::zeros({n}, opts);
  v_ = torch::zeros({n}, opts);
  if (o_.ema_decay > 0) ema_ = flat_.clone();
  pad_ = torch::zeros({kAlign}, opts);
  const auto o64 = torch::TensorOptions().dtype(torch::kDouble).device(params_[0].device());
  lr_ = torch::zeros({}, o64);
  count_ = torch::zeros({}, o64);
  norm_ = torch::zeros({}, opts);
}

void FlatAdamW::set_lr(double lr) {
  torch::NoGradGuard ng;
  lr_.fill_(lr);
}

void FlatAdamW::zero_grads() {
  for (auto& p : params_) p.mutable_grad().reset();
}

void FlatAdamW::bump_versions() {
  for (auto& p : params_) p.unsafeGetTensorImpl()->bump_version();
}

void FlatAdamW::swap_ema() {
  if (!ema_.defined()) throw Error("FlatAdamW: swap_ema without a moving average (ema_decay is 0)");
  torch::NoGradGuard ng;
  auto t = flat_.clone();
  flat_.copy_(ema_);
  ema_.copy_(t);
  bump_versions();
}

FlatAdamW::State FlatAdamW::state() const {
  torch::NoGradGuard ng;
  auto host = [](const torch::Tensor& t) { return t.defined() ? t.to(torch::kCPU, /*non_blocking=*/false, /*copy=*/true) : t; };
  return {host(flat_), host(m_), host(v_), host(ema_), steps_taken()};
}

void FlatAdamW::load_state(const State& s, const std::string& what) {
  const std::pair<const char*, const torch::Tensor*> parts[] = {
      {"params", &s.params}, {"exp_avg", &s.exp_avg}, {"exp_avg_sq", &s.exp_avg_sq}, {"ema", &s.ema}};
  for (const auto& [name, t] : parts) {
    const bool wanted = std::string(name) != "ema" || ema_.defined();
    if (!wanted) {
      if (t->defined())
        throw Error(what + ": holds a moving average of the weights ('ema'), but this run keeps none (--ema 0)");
      continue;
    }
    if (!t->defined())
      throw Error(what + ": '" + name + "' is missing" +
                  (std::string(name) == "ema" ? " (this run keeps a moving average, --ema; the saved run kept none)" : ""));
    if (t->dim() != 1 || t->size(0) != flat_.numel() || !t->is_floating_point())
      throw Error(what + ": '" + name + "' has " + std::to_string(t->numel()) + " elements of " +
                  std::string(c10::toString(t->scalar_type())) + ", expected a 1-D floating-point tensor of " +
                  std::to_string(flat_.numel()) + " (the parameters of this network, padded)");
  }
  if (s.steps < 0) throw Error(what + ": a negative step count " + std::to_string(s.steps));
  torch::NoGradGuard ng;
  flat_.copy_(s.params);
  m_.copy_(s.exp_avg);
  v_.copy_(s.exp_avg_sq);
  if (ema_.defined()) ema_.copy_(s.ema);
  count_.fill_(static_cast<double>(s.steps));
  bump_versions();
}

int64_t FlatAdamW::steps_taken() const { return static_cast<int64_t>(count_.item<double>()); }

void FlatAdamW::step() {
  torch::NoGradGuard ng;
  // the gradients in the parameters' slots: each in its parameter's memory order, then the zeros of its gap
  std::vector<torch::Tensor> parts;
  parts.reserve(2 * params_.size());
  const int64_t n = flat_.numel();
  for (size_t i = 0; i < params_.size(); ++i) {
    const auto& p = params_[i];
    const auto& g = p.grad();
    if (!g.defined()) {
      parts.push_back(pad_.new_zeros({p.numel()}));
    } else if (g.strides() == p.strides() && g.is_non_overlapping_and_dense()) {
      parts.push_back(memory_order(g));
    } else {
      parts.push_back(memory_order(at::empty_strided(p.sizes(), p.strides(), g.options()).copy_(g)));
    }
    const int64_t end = offsets_[i] + p.numel();
    const int64_t gap = (i + 1 < params_.size() ? offsets_[i + 1] : n) - end;
    if (gap > 0) parts.push_back(pad_.narrow(0, 0, gap));
  }
  auto g = at::cat(parts, 0);  // [n]
  parts.clear();
  zero_grads();  // the next backward writes fresh gradients

  norm_.copy_(g.norm());
  if (o_.max_grad_norm > 0) g.mul_((o_.max_grad_norm / (norm_ + 1e-6)).clamp_max(1.0));

  count_.add_(1.0);
  const auto bc1 = 1.0 - at::pow(o_.beta1, count_);  // fp64 device scalars
  const auto bc2 = 1.0 - at::pow(o_.beta2, count_);
  flat_.mul_((1.0 - lr_ * o_.weight_decay).to(flat_.scalar_type()));
  m_.mul_(o_.beta1).add_(g, 1.0 - o_.beta1);
  v_.mul_(o_.beta2).addcmul_(g, g, 1.0 - o_.beta2);
  // p -= lr / bc1 * m / (sqrt(v) / sqrt(bc2) + eps), in one work buffer: sqrt, scale, + eps, m / it, then one
  // fused multiply-subtract with the step size (a device scalar)
  auto q = v_.sqrt();
  q.div_(bc2.sqrt().to(flat_.scalar_type())).add_(o_.eps);
  at::div_out(q, m_, q);
  flat_.addcmul_(q, (lr_ / bc1).to(flat_.scalar_type()), -1.0);
  if (ema_.defined()) {
    // ema += (1 - d) (p - ema), d = min(decay, (1 + t) / (10 + t)) with t = ema_first_step + count - 1: a device
    // scalar again
    const auto t1 = count_ + static_cast<double>(o_.ema_first_step);  // 1 + t
    const auto d = (t1 / (t1 + 9.0)).clamp_max(o_.ema_decay);
    ema_.lerp_(flat_, (1.0 - d).to(flat_.scalar_type()));
  }
  bump_versions();  // the parameters changed through the buffer: caches keyed on their versions must see it
}

}  // namespace ci2v::train
