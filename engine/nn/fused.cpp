#include "engine/nn/fused.h"

#include "engine/error.h"
#include "engine/nn/layers.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>

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
  return env && !std::strcmp(env, "1");
}()};

Tensor geglu_aten(const Tensor& proj) {
  auto hg = proj.chunk(2, -1);
  return hg[0] * at::gelu(hg[1]);
}
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
  const auto st = proj.scalar_type();
  if (proj.is_cuda() && fused_kernels_enabled() && !proj.requires_grad() && proj.is_contiguous() &&
      proj.numel() > 0 && proj.numel() < cuda::kMaxElements &&
      (st == torch::kFloat || st == torch::kHalf || st == torch::kBFloat16)) {
    const int64_t inner = proj.size(-1) / 2, rows = proj.numel() / proj.size(-1);
    auto sizes = proj.sizes().vec();
    sizes.back() = inner;
    auto out = torch::empty(sizes, proj.options());
    const auto type = st == torch::kFloat  ? cuda::ElemType::F32
                      : st == torch::kHalf ? cuda::ElemType::F16
                                           : cuda::ElemType::BF16;
    const c10::cuda::CUDAGuard guard(proj.device());  // the kernel runs on the tensor's device and its stream
    const std::string err = cuda::geglu(proj.data_ptr(), out.data_ptr(), rows, inner, type,
                                        c10::cuda::getCurrentCUDAStream().stream());
    if (!err.empty()) throw Error(err);
    return out;
  }
#endif
  return geglu_aten(proj);
}

Tensor group_norm_silu(const Tensor& x, int64_t groups, const Tensor& weight, const Tensor& bias, double eps,
                       bool silu) {
#ifdef CONSISTI2V_HAVE_CUDA_KERNELS
  const auto st = x.scalar_type();
  const bool nhwc = is_channels_last(x);
  if (x.is_cuda() && fused_kernels_enabled() && x.dim() >= 2 && (x.is_contiguous() || nhwc) && groups > 0 &&
      x.numel() < cuda::kMaxElements &&
      x.size(1) % groups == 0 && weight.defined() && bias.defined() && weight.device() == x.device() &&
      bias.device() == x.device() && weight.scalar_type() == st &&
      bias.scalar_type() == st && weight.numel() == x.size(1) && bias.numel() == x.size(1) &&
      !(x.requires_grad() || weight.requires_grad() || bias.requires_grad()) &&
      (st == torch::kFloat || st == torch::kHalf || st == torch::kBFloat16)) {
    const int64_t n = x.size(0), c = x.size(1), s = x.numel() / std::max<int64_t>(1, n * c);
    auto y = torch::empty_like(x, nhwc ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous);
    auto stats = torch::empty({std::max<int64_t>(1, n * groups * 2)}, x.options().dtype(torch::kFloat));
    const auto type = st == torch::kFloat  ? cuda::ElemType::F32
                      : st == torch::kHalf ? cuda::ElemType::F16
                                           : cuda::ElemType::BF16;
    const auto w = weight.contiguous(), b = bias.contiguous();
    const c10::cuda::CUDAGuard guard(x.device());
    const std::string err =
        cuda::group_norm_silu(x.data_ptr(), w.data_ptr(), b.data_ptr(), y.data_ptr(), stats.data_ptr<float>(), n, c,
                              s, groups, eps, silu, nhwc, type, c10::cuda::getCurrentCUDAStream().stream());
    if (!err.empty()) throw Error(err);
    return y;
  }
#endif
  auto y = at::group_norm(x, groups, weight, bias, eps);
  return silu ? at::silu(y) : y;
}

void set_fused_temporal_combine(bool on) { g_fused_temporal = on; }
bool fused_temporal_combine_enabled() { return fused_kernels_enabled() && g_fused_temporal.load(); }

Tensor temporal_combine(const Tensor& z, const Tensor& bias, int64_t bias_div) {
#ifdef CONSISTI2V_HAVE_CUDA_KERNELS
  const auto st = z.scalar_type();
  if (z.is_cuda() && fused_temporal_combine_enabled() && z.dim() == 5 && z.is_contiguous() && bias.defined() &&
      bias.device() == z.device() && bias.scalar_type() == st && bias.dim() == 1 && bias_div > 0 &&
      !(z.requires_grad() || bias.requires_grad()) && z.numel() > 0 && z.numel() < cuda::kMaxElements &&
      (st == torch::kFloat || st == torch::kHalf || st == torch::kBFloat16)) {
    const int64_t B = z.size(0), T = z.size(1), A = z.size(2), kt = z.size(3), D = z.size(4);
    auto y = torch::empty({B, T, A, D}, z.options());
    const auto b = bias.contiguous();
    const auto type = st == torch::kFloat  ? cuda::ElemType::F32
                      : st == torch::kHalf ? cuda::ElemType::F16
                                           : cuda::ElemType::BF16;
    const c10::cuda::CUDAGuard guard(z.device());
    const std::string err = cuda::temporal_combine(z.data_ptr(), b.data_ptr(), y.data_ptr(), B, T, A, kt, D, bias_div,
                                                   b.numel(), type, c10::cuda::getCurrentCUDAStream().stream());
    if (!err.empty()) throw Error(err);
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
