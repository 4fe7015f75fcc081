#include "engine/train/flat_adamw.h"

#include <string>

#include "engine/error.h"

namespace ci2v::train {

FlatAdamW::FlatAdamW(std::vector<torch::Tensor> params, FlatAdamWOptions o) : params_(std::move(params)), o_(o) {
  if (params_.empty()) throw Error("FlatAdamW: no parameters");
  const auto dtype = params_[0].scalar_type();
  const auto device = params_[0].device();
  int64_t n = 0;
  for (size_t i = 0; i < params_.size(); ++i) {
    const auto& p = params_[i];
    if (!p.defined() || !p.is_floating_point() || p.scalar_type() != dtype || p.device() != device)
      throw Error("FlatAdamW: parameter " + std::to_string(i) + " is not a " + std::string(c10::toString(dtype)) +
                  " tensor on " + device.str() + " like the first");
    n += p.numel();
  }
  torch::NoGradGuard ng;
  const auto opts = params_[0].options().requires_grad(false);
  flat_ = torch::empty({n}, opts);
  int64_t off = 0;
  for (auto& p : params_) {
    const int64_t k = p.numel();
    flat_.narrow(0, off, k).view(p.sizes()).copy_(p);
    p.set_(flat_.narrow(0, off, k).view(p.sizes()));
    off += k;
  }
  m_ = torch::zeros({n}, opts);
  v_ = torch::zeros({n}, opts);
  const auto o64 = torch::TensorOptions().dtype(torch::kDouble).device(device);
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

int64_t FlatAdamW::steps_taken() const { return static_cast<int64_t>(count_.item<double>()); }

void FlatAdamW::step() {
  torch::NoGradGuard ng;
  std::vector<torch::Tensor> grads;
  grads.reserve(params_.size());
  for (auto& p : params_) {
    const auto& g = p.grad();
    grads.push_back(g.defined() ? g.reshape({-1}) : torch::zeros({p.numel()}, flat_.options()));
  }
  auto g = at::cat(grads, 0);  // [numel]
  grads.clear();
  zero_grads();  // the next backward writes fresh gradients

  norm_.copy_(g.norm());
  if (o_.max_grad_norm > 0) g.mul_((o_.max_grad_norm / (norm_ + 1e-6)).clamp_max(1.0));

  count_.add_(1.0);
  const auto bc1 = 1.0 - at::pow(o_.beta1, count_);           // fp64 device scalars
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
}

}  // namespace ci2v::train
