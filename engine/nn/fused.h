// GPU fast paths for element-wise work around the UNet's matrix products (the kernels: engine/nn/fused_cuda.cu).
// Every function here computes exactly what its ATen form computes; the CUDA kernels are used only in builds with
// them (CONSISTI2V_HAVE_CUDA_KERNELS), for CUDA tensors that need no gradient, and can be turned off with
// CONSISTI2V_FUSED=0 (or set_fused_kernels(false)) to compare.
#pragma once
#include <torch/torch.h>

namespace ci2v::nn {

using torch::Tensor;

// diffusers GEGLU after its projection: proj [.., 2*inner] -> [.., inner] = proj[.., :inner] * GELU(proj[.., inner:])
// (exact erf GELU). The ATen form is two kernels over two strided halves (a GELU and a product); the fused
// kernel is one pass.
Tensor geglu(const Tensor& proj);

// GroupNorm (groups over dim 1, statistics per sample) then SiLU when `silu`: at::silu(at::group_norm(..)).
// CUDA: two kernels (statistics; the affine map and the SiLU in one vectorised pass) for a contiguous input in
// the weights' dtype; ATen otherwise.
Tensor group_norm_silu(const Tensor& x, int64_t groups, const Tensor& weight, const Tensor& bias, double eps,
                       bool silu = true);

// The GEMM temporal convolution's combine step (cuda::temporal_combine in fused_cuda.h): z [B, T, A, kt, D] ->
// [B, T, A, D], the bias (bias[(d / bias_div) % Cout]) plus the kt slices shifted in time, accumulated in fp32.
// Returns an undefined tensor where the fused kernel does not apply (CPU, autograd, mixed dtypes, switched off):
// the caller then uses its ATen form. On by default with the fused kernels (checked and timed on an H100 on
// 2026-11-27: fp32 parity 13 of 13, 1-3 % faster); CONSISTI2V_FUSED_TEMPORAL=0 or set_fused_temporal_combine(false)
// turns it off.
Tensor temporal_combine(const Tensor& z, const Tensor& bias, int64_t bias_div);
bool set_fused_temporal_combine(bool on);  // returns the switch's previous value
bool fused_temporal_combine_requested();   // the switch itself (on unless CONSISTI2V_FUSED_TEMPORAL=0)
bool fused_temporal_combine_enabled();     // requested, and the fused kernels built and on

// Whether the fused kernels are compiled in (CUDA builds) and switched on.
bool fused_kernels_built();
void set_fused_kernels(bool on);
bool fused_kernels_enabled();  // built and switched on (default: on, unless CONSISTI2V_FUSED=0)

// Stores every nn::Conv2d weight under `module` in the channels-last layout (on: in place, no second copy) or back
// in the standard one (off), so that cuDNN's NHWC kernels on the GPU need not transpose the weights on every
// call. An nn::Conv2d hands its result on in its input's layout. Returns how many weights changed layout.
int64_t set_conv_weights_channels_last(torch::nn::Module& module, bool on);

// True for a 4-D tensor stored channels-last that is not also plain contiguous (which a 1x1 map or one channel is).
bool is_channels_last(const Tensor& x);

}  // namespace ci2v::nn
