// Fused element-wise CUDA kernels for the UNet (engine/nn/fused_cuda.cu; Torch-free so nvcc compiles it without
// LibTorch). The caller (engine/nn/fused.cpp) owns the buffers (LibTorch's caching allocator) and the stream.
#pragma once
#include <cstdint>
#include <string>

namespace ci2v::cuda {

enum class ElemType { F32, F16, BF16 };

// The kernels index in 32 bits: tensors of kMaxElements or more take the ATen forms (the callers check).
constexpr int64_t kMaxElements = int64_t{1} << 31;

// diffusers' GEGLU after its projection: proj [rows, 2*inner] row-major (device, contiguous), out [rows, inner]:
// out[r, c] = proj[r, c] * GELU(proj[r, inner + c]) with the exact (erf) GELU, computed in fp32. For 16-bit types
// the GELU is rounded to the storage type before the product, as the two-kernel form (gelu, then mul) rounds it,
// so both give the same values. One pass over the projection instead of a GELU and a product over two strided
// halves. Returns "" on success, else the CUDA error.
std::string geglu(const void* proj, void* out, int64_t rows, int64_t inner, ElemType type, void* stream);

// GroupNorm, then optionally SiLU, on x [N, C, S] (NCHW with S = H*W, contiguous): the statistics of each (sample,
// group) over its C/G channels x S positions in fp32 by two passes (mean, then the mean squared deviation; the
// biased variance, as GroupNorm uses), y = (x - mean) * rstd * gamma[c] + beta[c] rounded to the storage type,
// then y * sigmoid(y) rounded again (the rounding of the two ATen kernels). gamma, beta [C] in x's type; stats:
// N*G*2 floats of device scratch (mean, rstd per group). Two kernels: the statistics, then one vectorised pass
// for the affine map and the SiLU (ATen: statistics, an unvectorised affine pass, a SiLU pass).
// channels_last: x and y are [N, S, C] instead (NHWC storage), which ATen's CUDA GroupNorm does not take.
std::string group_norm_silu(const void* x, const void* gamma, const void* beta, void* y, float* stats, int64_t n,
                            int64_t c, int64_t s, int64_t groups, double eps, bool silu, bool channels_last,
                            ElemType type, void* stream);

// The GEMM temporal convolution's combine step: z [B, T, A, kt, D] holds every weight slice's product for every
// frame; y[b, t, a, d] = bias[(d / bias_div) % co] + sum over k of z[b, t + k - kt/2, a, k, d] for the frames
// inside [0, T) (zero padding), accumulated in fp32 and rounded once. (NCHW route: A = 1, D = Cout*h*w,
// bias_div = h*w; NHWC route: A = h*w, D = Cout, bias_div = 1.) bias [co] in z's type. One pass instead of a bias
// addition and kt - 1 shifted additions over strided slices.
std::string temporal_combine(const void* z, const void* bias, void* y, int64_t b, int64_t t, int64_t a, int64_t kt,
                             int64_t d, int64_t bias_div, int64_t co, ElemType type, void* stream);

}  // namespace ci2v::cuda
