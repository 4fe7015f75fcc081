#include "engine/nn/fused.h"

#include "engine/error.h"
#include "engine/nn/layers.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#ifdef CONSISTI2V_HAVE_CUDA_KERNELS
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include "engine/nn/fused_cuda.h"
#endif

namespace ci2v::nn {

namespace {
std::atomic<bool> g_fused{[] {
  const char* env = std::getenv("CONSISTI2V_FUSED");
  return !(env && !std::strcmp(env, "0"));
}()};

std::atomic<bool> g_fused_temporal{[] {
  const char* env = std::getenv("CONSISTI2V_FUSED_TEMPORAL");
  return !(env && !std::strcmp(env, "0"));
}()};

Tensor geglu_aten(const Tensor& proj) {
  auto hg = proj.chunk(2, -1);
  return hg[0] * at::gelu(hg[1]);
}

#ifdef CONSISTI2V_HAVE_CUDA_KERNELS
// The kernels' storage type for a tensor they can take (CUDA, fused kernels on, no gradient, fp32/fp16/bf16,
// 1 to 2^31 - 1 elements), or nothing (the caller uses ATen).
std::optional<cuda::ElemType> kernel_type(const Tensor& t) {
  if (!t.is_cuda() || !fused_kernels_enabled() || t.requires_grad() || t.numel() == 0 ||
      t.numel() >= cuda::kMaxElements)
    return std::nullopt;
  switch (t.scalar_type()) {
    case torch::kFloat: return cuda::ElemType::F32;
    case torch::kHalf: return cuda::ElemType::F16;
    case torch::kBFloat16: return cuda::ElemType::BF16;
    default: return std::nullopt;
  }
}

// Runs `launch(stream)` with `device` current, on its current stream (a captured CUDA graph records it there);
// a launcher's error message becomes an Error.
template <typename Launch>
void run_on(const torch::Device& device, Launch&& launch) {
  const c10::cuda::CUDAGuard guard(device);
  const std::string err = launch(static_cast<void*>(c10::cuda::getCurrentCUDAStream().stream()));
  if (!err.empty()) throw Error(err);
}
#endif
}  // namespace

bool fused_kernels_built() {
#ifdef CONSISTI2V_HAVE_CUDA_KERNELS
  return true;
#else
  return false;
#endif
}
void set_fused_kernels(bool on) { g_fused = on; }
bool fused_kernels_enabled() { return fused_kernels_built() && g_fused.load(); }

Tensor geglu(const Tensor& proj) {
  if (proj.dim() < 1 || proj.size(-1) % 2 != 0)
    throw Error("GEGLU: the projection's last dimension must be even (two halves), got shape " +
                shape_str(proj.sizes().vec()));
#ifdef CONSISTI2V_HAVE_CUDA_KERNELS
  if (const auto type = kernel_type(proj); type && proj.is_contiguous()) {
    const int64_t inner = proj.size(-1) / 2, rows = proj.numel() / proj.size(-1);
    auto sizes = proj.sizes().vec();
    sizes.back() = inner;
    auto out = torch::empty(sizes, proj.options());
    run_on(proj.device(), [&](void* stream) {
      return cuda::geglu(proj.data_ptr(), out.data_ptr(), rows, inner, *type, stream);
    });
    return out;
  }
#endif
  return geglu_aten(proj);
}

Tensor group_norm_silu(const Tensor& x, int64_t groups, const Tensor& weight, const Tensor& bias, double eps,
                       bool silu) {
#ifdef CONSISTI2V_HAVE_CUDA_KERNELS
  const auto type = kernel_type(x);
  const bool nhwc = is_channels_last(x);
  const auto param_ok = [&](const Tensor& p) {
    return p.defined() && p.device() == x.device() && p.scalar_type() == x.scalar_type() && !p.requires_grad() &&
           p.numel() == x.size(1);
  };
  if (type && x.dim() >= 2 && (x.is_contiguous() || nhwc) && groups > 0 && x.size(1) % groups == 0 &&
      param_ok(weight) && param_ok(bias)) {
    const int64_t n = x.size(0), c = x.size(1), s = x.numel() / (n * c);
    auto y = torch::empty_like(x, nhwc ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous);
    auto stats = torch::empty({n * groups * 2}, x.options().dtype(torch::kFloat));
    const auto w = weight.contiguous(), b = bias.contiguous();
    run_on(x.device(), [&](void* stream) {
      return cuda::group_norm_silu(x.data_ptr(), w.data_ptr(), b.data_ptr(), y.data_ptr(), stats.data_ptr<float>(),
                                   n, c, s, groups, eps, silu, nhwc, *type, stream);
    });
    return y;
  }
#endif
  auto y = at::group_norm(x, groups, weight, bias, eps);
  return silu ? at::silu(y) : y;
}

bool set_fused_temporal_combine(bool on) { return g_fused_temporal.exchange(on); }
bool fused_temporal_combine_requested() { return g_fused_temporal.load(); }
bool fused_temporal_combine_enabled() { return fused_kernels_enabled() && g_fused_temporal.load(); }

Tensor temporal_combine(const Tensor& z, const Tensor& bias, int64_t bias_div) {
#ifdef CONSISTI2V_HAVE_CUDA_KERNELS
  const auto type = kernel_type(z);
  if (type && fused_temporal_combine_enabled() && z.dim() == 5 && z.is_contiguous() && bias.defined() &&
      bias.device() == z.device() && bias.scalar_type() == z.scalar_type() && bias.dim() == 1 &&
      !bias.requires_grad() && bias_div > 0) {
    const int64_t B = z.size(0), T = z.size(1), A = z.size(2), kt = z.size(3), D = z.size(4);
    auto y = torch::empty({B, T, A, D}, z.options());
    const auto b = bias.contiguous();
    run_on(z.device(), [&](void* stream) {
      return cuda::temporal_combine(z.data_ptr(), b.data_ptr(), y.data_ptr(), B, T, A, kt, D, bias_div, b.numel(),
                                    *type, stream);
    });
    return y;
  }
#else
  (void)z;
  (void)bias;
  (void)bias_div;
#endif
  return {};
}

int64_t set_conv_weights_channels_last(torch::nn::Module& module, bool on) {
  torch::NoGradGuard ng;
  const auto format = on ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
  int64_t n = 0;
  for (const auto& m : module.modules(/*include_self=*/true)) {
    auto* conv = dynamic_cast<Conv2dImpl*>(m.get());
    if (!conv || conv->weight.dim() != 4 || conv->weight.is_contiguous(format)) continue;
    conv->weight.set_data(conv->weight.contiguous(format));
    ++n;
  }
  return n;
}

bool is_channels_last(const Tensor& x) {
  return x.dim() == 4 && !x.is_contiguous() && x.is_contiguous(at::MemoryFormat::ChannelsLast);
}

}  // namespace ci2v::nn
