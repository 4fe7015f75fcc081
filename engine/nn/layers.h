// Minimal inference layers whose parameter names mirror diffusers/transformers checkpoint keys
// (weight, bias), so that io::load_module can fill any network generically.
// Parameters are created uninitialised (torch::empty) with the given options; load or init them.
#pragma once
#include <torch/torch.h>

#include <optional>

namespace ci2v::nn {

using torch::Tensor;

// y = x W^T + b. weight [out, in], bias [out].
struct LinearImpl : torch::nn::Module {
  LinearImpl(int64_t in, int64_t out, bool bias = true, const torch::TensorOptions& o = {});
  Tensor forward(const Tensor& x) const;
  Tensor weight, bias;
};
TORCH_MODULE(Linear);

// 2-D convolution, weight [out, in, k, k].
struct Conv2dImpl : torch::nn::Module {
  Conv2dImpl(int64_t in, int64_t out, int64_t k, int64_t stride = 1, int64_t padding = 0, bool bias = true,
             const torch::TensorOptions& o = {});
  Tensor forward(const Tensor& x) const;
  Tensor weight, bias;
  int64_t stride, padding;
};
TORCH_MODULE(Conv2d);

// 3-D convolution with kernel (kt, 1, 1) over time, padding (kt/2, 0, 0): weight [out, in, kt, 1, 1].
struct TemporalConvImpl : torch::nn::Module {
  TemporalConvImpl(int64_t in, int64_t out, int64_t kt = 3, const torch::TensorOptions& o = {});
  Tensor forward(const Tensor& x) const;  // x: [B, C, T, h, w]
  Tensor weight, bias;
  int64_t kt;
  // The weight repacked for the GEMM route (unet::temporal_conv_gemm), kept while the weight is unchanged and
  // needs no gradient: one copy per layout instead of one per call (and none inside a captured CUDA graph). A
  // weight that requires no gradient then becomes a strided view of that packing (set_), so the weights are
  // held once; the other layout's packing is dropped. Not locked: one forward at a time per module (the engine
  // thread), as for the rest of the network's state.
  struct Packed {
    Tensor w;
    // the weight's storage when packed (a weak reference: a freed storage, or a new one at a reused address, is
    // told apart), its data pointer and its version counter
    std::optional<c10::weak_intrusive_ptr<c10::StorageImpl>> storage;
    const void* data = nullptr;
    int64_t version = -1;
  };
  mutable Packed packed_rows, packed_cols;  // [kt*Cout, C] (NCHW route), [C, kt*Cout] (NHWC route)
};
TORCH_MODULE(TemporalConv);

struct GroupNormImpl : torch::nn::Module {
  GroupNormImpl(int64_t groups, int64_t channels, double eps, const torch::TensorOptions& o = {});
  Tensor forward(const Tensor& x) const;  // x: [N, C, ...]
  // SiLU(forward(x)); on CUDA one fused pass after the statistics (nn::group_norm_silu, engine/nn/fused.h).
  Tensor forward_silu(const Tensor& x) const;
  Tensor weight, bias;
  int64_t groups;
  double eps;
};
TORCH_MODULE(GroupNorm);

struct LayerNormImpl : torch::nn::Module {
  LayerNormImpl(int64_t dim, double eps, const torch::TensorOptions& o = {});
  Tensor forward(const Tensor& x) const;  // normalises the last dim
  Tensor weight, bias;
  double eps;
};
TORCH_MODULE(LayerNorm);

struct EmbeddingImpl : torch::nn::Module {
  EmbeddingImpl(int64_t num, int64_t dim, const torch::TensorOptions& o = {});
  Tensor forward(const Tensor& ids) const;
  Tensor weight;
};
TORCH_MODULE(Embedding);

// A FLOP count of the matrix work (Linear, Conv2d, TemporalConv, attention; 2 per multiply-add; norms and
// element-wise ops not counted) for benchmarks: count_flops(true) starts adding, counted_flops() reads.
void count_flops(bool on);
int64_t counted_flops();
void reset_counted_flops();
bool counting_flops();
void add_counted_flops(int64_t flops);  // work done without passing through the layers (a CUDA graph replay)

// clamp(alpha, 0, 1) * x + (1 - clamp(alpha, 0, 1)) * other: the learned blends of the temporal layers. One
// lerp kernel when the three share a dtype (inference); otherwise (autocast training: bf16 activations, fp32
// alpha) the promoting expression, as the reference computes it.
Tensor alpha_blend(const Tensor& alpha, const Tensor& x, const Tensor& other);

// Softmax attention over [B, H, Lq, D] x [B, H, Lk, D] -> [B, H, Lq, D], scale defaults to 1/sqrt(D).
// Uses at::scaled_dot_product_attention on LibTorch >= 2.0, an exact math path otherwise.
// `mask` (optional) is added to the scores (broadcastable to [B, H, Lq, Lk]).
Tensor attention(const Tensor& q, const Tensor& k, const Tensor& v, double scale = -1.0,
                 const Tensor& mask = {});

// Force the plain math path (for parity checks); default false.
void set_force_math_attention(bool on);

// Initialise every parameter of a module with small random values (benchmarks with random weights).
// Norm weights (names ending in norm*.weight) get 1, biases 0, mixing alphas 0.5.
void init_random(torch::nn::Module& m, uint64_t seed, double std = 0.02);

// A host tensor on `device` without waiting for the device: to CUDA through a pinned copy of its own,
// non-blocking (a copy from pageable memory waits for all the work queued on the stream). A tensor the caller
// pinned is copied with the wait (the caller may change it once this returns); anything else is t.to(device).
Tensor to_device_async(const Tensor& t, const torch::Device& device);

}  // namespace ci2v::nn
