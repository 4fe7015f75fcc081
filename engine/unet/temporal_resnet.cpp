#include "engine/unet/temporal_resnet.h"

#include "engine/nn/fused.h"
#include "engine/unet/unet_config.h"

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace ci2v::unet {

namespace {
int initial_mode() {
  const char* env = std::getenv("CONSISTI2V_TEMPORAL_CONV");
  if (env && !std::strcmp(env, "gemm")) return static_cast<int>(TemporalConvMode::Gemm);
  if (env && !std::strcmp(env, "conv3d")) return static_cast<int>(TemporalConvMode::Conv3d);
  return static_cast<int>(TemporalConvMode::Auto);
}
std::atomic<int> g_mode{initial_mode()};
}  // namespace

void set_temporal_conv_mode(TemporalConvMode mode) { g_mode = static_cast<int>(mode); }
TemporalConvMode temporal_conv_mode() { return static_cast<TemporalConvMode>(g_mode.load()); }
TemporalConvMode temporal_conv_mode_for(const torch::Device& device) {
  const auto m = temporal_conv_mode();
  if (m != TemporalConvMode::Auto) return m;
  return device.is_cuda() ? TemporalConvMode::Gemm : TemporalConvMode::Conv3d;
}

namespace {
// The stacked weight slices, from the cache when the weight is unchanged (inference), else computed (training:
// the product must stay on the autograd graph of the current weight).
Tensor packed_weight(const nn::TemporalConvImpl& conv, bool columns) {
  const int64_t Co = conv.weight.size(0), C = conv.weight.size(1), kt = conv.kt;
  auto pack = [&] {
    return columns ? conv.weight.view({Co, C, kt}).permute({1, 2, 0}).reshape({C, kt * Co})   // block k: slice k
                   : conv.weight.view({Co, C, kt}).permute({2, 0, 1}).reshape({kt * Co, C});  // block k: slice k
  };
  // training keeps the product on the autograd graph; inference tensors have no version counter to key on
  if ((torch::GradMode::is_enabled() && conv.weight.requires_grad()) || conv.weight.is_inference()) return pack();
  auto& cache = columns ? conv.packed_cols : conv.packed_rows;
  const int64_t version = static_cast<int64_t>(conv.weight._version());
  c10::StorageImpl* storage = conv.weight.storage().unsafeGetStorageImpl();
  const bool same_storage = cache.storage && cache.storage->lock().get() == storage;
  if (!cache.w.defined() || !same_storage || cache.data != conv.weight.data_ptr() || cache.version != version ||
      cache.w.scalar_type() != conv.weight.scalar_type() || cache.w.device() != conv.weight.device()) {
    torch::NoGradGuard ng;
    cache.w = pack().contiguous();
    cache.storage = conv.weight.storage().getWeakStorageImpl();
    cache.data = conv.weight.data_ptr();
    cache.version = version;
  }
  // Kept while the weight is unchanged; a captured CUDA graph reads this tensor, so weights must not change
  // while graphs of the network exist (GraphedUNet's contract).
  return cache.w;
}

// The channels-last form: x [B*T, C, h, w] stored NHWC is [B*T*h*w, C] rows; one product with the stacked slices
// [C, kt*Cout] gives every slice for every position, [B, T, h*w, kt, Cout]; the result is written NHWC too.
Tensor temporal_conv_gemm_nhwc(const nn::TemporalConvImpl& conv, const Tensor& x, int64_t frames) {
  const int64_t BT = x.size(0), C = x.size(1), h = x.size(2), w = x.size(3), T = frames, B = BT / T;
  const int64_t kt = conv.kt, Co = conv.weight.size(0), center = kt / 2;
  const auto W = packed_weight(conv, /*columns=*/true);  // [C, kt*Co], column block k: slice k
  const auto rows = x.permute({0, 2, 3, 1}).reshape({BT * h * w, C});                    // a view of NHWC storage
  const auto Z = at::mm(rows, W).view({B, T, h * w, kt, Co});
  nn::add_counted_flops(2 * BT * Co * h * w * C * kt);
  if (auto y = nn::temporal_combine(Z, conv.bias, 1); y.defined())  // one CUDA pass (opt-in)
    return y.view({BT, h, w, Co}).permute({0, 3, 1, 2});
  auto y = Z.select(3, center) + conv.bias.to(Z.scalar_type());  // [B, T, h*w, Co], contiguous
  for (int64_t k = 0; k < kt; ++k) {
    const int64_t s = k - center;
    if (s == 0 || std::abs(s) >= T) continue;
    const auto zk = Z.select(3, k);
    if (s > 0) y.narrow(1, 0, T - s).add_(zk.narrow(1, s, T - s));
    else y.narrow(1, -s, T + s).add_(zk.narrow(1, 0, T + s));
  }
  return y.view({BT, h, w, Co}).permute({0, 3, 1, 2});  // [B*T, Co, h, w], channels-last
}
}  // namespace

Tensor temporal_conv_gemm(const nn::TemporalConvImpl& conv, const Tensor& x, int64_t frames) {
  if (nn::is_channels_last(x)) return temporal_conv_gemm_nhwc(conv, x, frames);
  const int64_t BT = x.size(0), C = x.size(1), h = x.size(2), w = x.size(3), T = frames, B = BT / T;
  const int64_t kt = conv.kt, Co = conv.weight.size(0), center = kt / 2;
  // [Co, C, kt, 1, 1] -> [kt*Co, C]: row block k is the weight slice that meets frame t + k - center
  const auto W = packed_weight(conv, /*columns=*/false);
  const auto Z = at::matmul(W, x.reshape({BT, C, h * w})).view({B, T, kt, Co, h * w});  // every slice, every frame
  nn::add_counted_flops(2 * BT * Co * h * w * C * kt);  // as the convolution counts it
  if (auto y = nn::temporal_combine(Z.view({B, T, 1, kt, Co * h * w}), conv.bias, h * w); y.defined())
    return y.view({BT, Co, h, w});  // one CUDA pass (opt-in)
  // the bias in the product's dtype: under autocast the result stays bf16, as the convolution's does
  auto y = Z.select(2, center) + conv.bias.to(Z.scalar_type()).view({1, 1, Co, 1});  // [B, T, Co, h*w]
  for (int64_t k = 0; k < kt; ++k) {
    const int64_t s = k - center;  // output frame t takes slice k of input frame t + s (zero padding outside)
    if (s == 0 || std::abs(s) >= T) continue;
    const auto zk = Z.select(2, k);
    if (s > 0) y.narrow(1, 0, T - s).add_(zk.narrow(1, s, T - s));
    else y.narrow(1, -s, T + s).add_(zk.narrow(1, 0, T + s));
  }
  return y.view({BT, Co, h, w});
}

Tensor temporal_conv_frames(const nn::TemporalConvImpl& conv, const Tensor& x, int64_t frames) {
  if (temporal_conv_mode_for(x.device()) == TemporalConvMode::Gemm) return temporal_conv_gemm(conv, x, frames);
  const int64_t BT = x.size(0), C = x.size(1), h = x.size(2), w = x.size(3);
  const int64_t B = BT / frames;
  auto v = x.reshape({B, frames, C, h, w}).permute({0, 2, 1, 3, 4});  // [B, C, T, h, w]
  auto y = conv.forward(v);                                        // [B, Cout, T, h, w]
  return y.permute({0, 2, 1, 3, 4}).reshape({BT, y.size(1), h, w});  // [B*T, Cout, h, w]
}

TemporalResnetBlockImpl::TemporalResnetBlockImpl(int64_t c, const torch::TensorOptions& o) {
  const auto po = o.requires_grad(false);
  alpha = register_parameter("alpha", torch::ones({1}, po), false);
  norm1 = register_module("norm1", nn::GroupNorm(UNetConfig::kTemporalGroups, c, UNetConfig::kTemporalEps, o));
  conv1 = register_module("conv1", nn::TemporalConv(c, c, 3, o));
  time_emb_proj = register_module("time_emb_proj", nn::Linear(UNetConfig::kTemporalTembChannels, c, true, o));
  norm2 = register_module("norm2", nn::GroupNorm(UNetConfig::kTemporalGroups, c, UNetConfig::kTemporalEps, o));
  conv2 = register_module("conv2", nn::TemporalConv(c, c, 3, o));
}

Tensor TemporalResnetBlockImpl::forward(const Tensor& x, int64_t frames) const {
  auto h = temporal_conv_frames(*conv1, norm1->forward_silu(x), frames);  // GN per frame, then conv in time
  h = temporal_conv_frames(*conv2, norm2->forward_silu(h), frames);
  auto o = x + h;                       // (x + h) / output_scale_factor (1.0)
  return nn::alpha_blend(alpha, x, o);  // a * x + (1 - a) * o, a = alpha clamped to [0, 1]; [B*T, C, h, w]
}

}  // namespace ci2v::unet
