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
    return columns ? conv.weight.reshape({Co, C, kt}).permute({1, 2, 0}).reshape({C, kt * Co})   // block k: slice k
                   : conv.weight.reshape({Co, C, kt}).permute({2, 0, 1}).reshape({kt * Co, C});  // block k: slice k
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
    if (!conv.weight.requires_grad()) {
      // One copy of the weights, not two: the weight becomes a strided view of its packed slices (an inference
      // weight; at the released UNet's size a second copy of every temporal convolution is 133 M parameters,
      // 0.25 GiB in bf16). An in-place change of the weight then changes the packed copy too, and is still seen.
      const auto view = (columns ? cache.w.view({C, kt, Co}).permute({2, 0, 1}) : cache.w.view({kt, Co, C}).permute({1, 2, 0}))
                            .view({Co, C, kt, 1, 1});
      conv.weight.set_(cache.w.storage(), cache.w.storage_offset(), view.sizes(), view.strides());
      // the other layout's packing, if any, would be a second copy again: dropped (repacked if that layout returns)
      auto& other = columns ? conv.packed_rows : conv.packed_cols;
      other.w = Tensor();
      other.storage.reset();
      other.data = nullptr;
      other.version = -1;
    }
    cache.storage = conv.weight.storage().getWeakStorageImpl();
    cache.data = conv.weight.data_ptr();
    cache.version = static_cast<int64_t>(conv.weight._version());
  }
  // Kept while the weight is unchanged; a captured CUDA graph reads this tensor, so weights must not change
  // while graphs of the network exist (GraphedUNet's contract).
  return cache.w;
}

// The combine step of the GEMM route. z [B, T, A, kt, Co, R] holds every weight slice's product for every frame
// (NCHW: A = 1, R = h*w; NHWC: A = h*w, R = 1); output frame t takes slice k of input frame t + k - kt/2 (zero
// padding outside), plus the bias: [B, T, A, Co, R]. One CUDA pass where nn::temporal_combine applies (on CUDA by default).
Tensor combine_slices(const Tensor& z, const Tensor& bias) {
  const int64_t T = z.size(1), kt = z.size(3), Co = z.size(4), R = z.size(5), center = kt / 2;
  auto sizes = z.sizes().vec();
  sizes.erase(sizes.begin() + 3);  // [B, T, A, Co, R]
  if (auto y = nn::temporal_combine(z.flatten(4, 5), bias, R); y.defined()) return y.view(sizes);
  // the bias in the product's dtype: under autocast the result stays bf16, as the convolution's does
  auto y = z.select(3, center) + bias.to(z.scalar_type()).view({Co, 1});  // contiguous [B, T, A, Co, R]
  for (int64_t k = 0; k < kt; ++k) {
    const int64_t s = k - center;
    if (s == 0 || std::abs(s) >= T) continue;
    const auto zk = z.select(3, k);
    if (s > 0) y.narrow(1, 0, T - s).add_(zk.narrow(1, s, T - s));
    else y.narrow(1, -s, T + s).add_(zk.narrow(1, 0, T + s));
  }
  return y;
}
}  // namespace

Tensor temporal_conv_gemm(const nn::TemporalConvImpl& conv, const Tensor& x, int64_t frames) {
  const int64_t BT = x.size(0), C = x.size(1), h = x.size(2), w = x.size(3), T = frames, B = BT / T;
  const int64_t kt = conv.kt, Co = conv.weight.size(0);
  nn::add_counted_flops(2 * BT * Co * h * w * C * kt);  // as the convolution counts it
  if (nn::is_channels_last(x)) {
    // x stored NHWC is [B*T*h*w, C] rows: one product with [C, kt*Co] gives every slice at every position, and
    // the result is written NHWC too
    const auto rows = x.permute({0, 2, 3, 1}).reshape({BT * h * w, C});  // a view
    const auto Z = at::mm(rows, packed_weight(conv, /*columns=*/true)).view({B, T, h * w, kt, Co, 1});
    return combine_slices(Z, conv.bias).view({BT, h, w, Co}).permute({0, 3, 1, 2});  // channels-last
  }
  // [kt*Co, C] times every frame's [C, h*w]
  const auto Z = at::matmul(packed_weight(conv, /*columns=*/false), x.reshape({BT, C, h * w}));
  return combine_slices(Z.view({B, T, 1, kt, Co, h * w}), conv.bias).view({BT, Co, h, w});
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
