// Fused element-wise kernels (see fused_cuda.h). Compiled by nvcc only in CUDA builds (CONSISTI2V_HAVE_CUDA_KERNELS).
#include "engine/nn/fused_cuda.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <string>

namespace ci2v::cuda {
namespace {

template <typename T>
__device__ __forceinline__ float to_float(T v);
template <>
__device__ __forceinline__ float to_float<float>(float v) { return v; }
template <>
__device__ __forceinline__ float to_float<__half>(__half v) { return __half2float(v); }
template <>
__device__ __forceinline__ float to_float<__nv_bfloat16>(__nv_bfloat16 v) { return __bfloat162float(v); }

template <typename T>
__device__ __forceinline__ T from_float(float v);
template <>
__device__ __forceinline__ float from_float<float>(float v) { return v; }
template <>
__device__ __forceinline__ __half from_float<__half>(float v) { return __float2half_rn(v); }
template <>
__device__ __forceinline__ __nv_bfloat16 from_float<__nv_bfloat16>(float v) { return __float2bfloat16_rn(v); }

// V consecutive elements moved as one aligned access (16 bytes for the vectorised path).
template <typename T, int V>
struct alignas(sizeof(T) * V) Pack {
  T v[V];
};

// Index arithmetic is 32-bit (the callers send tensors of fewer than 2^31 elements): 64-bit division is a long
// instruction sequence on the GPU, and these kernels divide per element.
using Index = uint32_t;

// Thread i handles columns [c, c + V) of one row; inner % V == 0 and every row start is V-aligned (checked by the
// launcher), so each Pack access is aligned.
template <typename T, int V>
__global__ void geglu_kernel(const T* __restrict__ proj, T* __restrict__ out, Index rows, Index inner) {
  const Index per_row = inner / V, n = rows * per_row;
  for (Index i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
    const Index r = i / per_row, c = (i - r * per_row) * V;
    const T* a = proj + static_cast<size_t>(r) * 2 * inner + c;
    const Pack<T, V> av = *reinterpret_cast<const Pack<T, V>*>(a);
    const Pack<T, V> gv = *reinterpret_cast<const Pack<T, V>*>(a + inner);
    Pack<T, V> ov;
#pragma unroll
    for (int k = 0; k < V; ++k) {
      const float g = to_float(gv.v[k]);
      const float gelu = to_float(from_float<T>(0.5f * g * (1.0f + erff(g * 0.70710678118654752440f))));
      ov.v[k] = from_float<T>(to_float(av.v[k]) * gelu);
    }
    *reinterpret_cast<Pack<T, V>*>(out + static_cast<size_t>(r) * inner + c) = ov;
  }
}

unsigned grid_for(int64_t work, int threads) {
  const int64_t want = (work + threads - 1) / threads;
  return static_cast<unsigned>(want < 1 ? 1 : (want > (int64_t{1} << 20) ? (int64_t{1} << 20) : want));
}

template <typename T, int V>
cudaError_t geglu_launch(const void* proj, void* out, int64_t rows, int64_t inner, cudaStream_t stream) {
  geglu_kernel<T, V><<<grid_for(rows * (inner / V), 256), 256, 0, stream>>>(
      static_cast<const T*>(proj), static_cast<T*>(out), static_cast<Index>(rows), static_cast<Index>(inner));
  return cudaGetLastError();
}

template <typename T>
cudaError_t geglu_dispatch(const void* proj, void* out, int64_t rows, int64_t inner, cudaStream_t stream) {
  constexpr int kVec = 16 / static_cast<int>(sizeof(T));  // 16-byte accesses
  const bool aligned = reinterpret_cast<uintptr_t>(proj) % 16 == 0 && reinterpret_cast<uintptr_t>(out) % 16 == 0;
  if (aligned && inner % kVec == 0) return geglu_launch<T, kVec>(proj, out, rows, inner, stream);
  return geglu_launch<T, 1>(proj, out, rows, inner, stream);
}

// The sum of v over the block (blockDim.x a multiple of 32, at most 1024), returned to every thread.
__device__ double block_sum(double v) {
  __shared__ double partial[32];
  __shared__ double total;
  for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
  if (lane == 0) partial[warp] = v;
  __syncthreads();
  if (warp == 0) {
    v = lane < warps ? partial[lane] : 0.0;
    for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
    if (lane == 0) total = v;
  }
  __syncthreads();
  const double r = total;
  __syncthreads();  // partial and total may be reused by the next call
  return r;
}

__device__ __forceinline__ void write_stats(float* stats, Index grp, float mean, double var, double eps) {
  if (threadIdx.x == 0) {
    stats[2 * grp] = mean;
    stats[2 * grp + 1] = static_cast<float>(1.0 / sqrt(var + eps));
  }
}

// One block per (sample, group): its d = C/G * S elements are contiguous. Two passes: the mean, then the mean
// squared deviation from it. stats[2k] = mean, stats[2k+1] = rstd.
template <typename T, int V>
__global__ void gn_stats_kernel(const T* __restrict__ x, float* __restrict__ stats, Index d, double eps) {
  const Index grp = blockIdx.x, packs = d / V;
  const auto* p = reinterpret_cast<const Pack<T, V>*>(x + static_cast<size_t>(grp) * d);
  float acc = 0.f;
  for (Index i = threadIdx.x; i < packs; i += blockDim.x) {
    const Pack<T, V> v = p[i];
#pragma unroll
    for (int k = 0; k < V; ++k) acc += to_float(v.v[k]);
  }
  const float m = static_cast<float>(block_sum(acc) / static_cast<double>(d));
  acc = 0.f;
  for (Index i = threadIdx.x; i < packs; i += blockDim.x) {
    const Pack<T, V> v = p[i];
#pragma unroll
    for (int k = 0; k < V; ++k) {
      const float dv = to_float(v.v[k]) - m;
      acc += dv * dv;
    }
  }
  write_stats(stats, grp, m, block_sum(acc) / static_cast<double>(d), eps);
}

// x * a + b rounded to the storage type, then (Silu) z * sigmoid(z) rounded again: the two ATen kernels' roundings.
template <typename T, bool Silu>
__device__ __forceinline__ T affine_silu(T x, float a, float b) {
  T t = from_float<T>(to_float(x) * a + b);
  if (Silu) {
    const float z = to_float(t);
    t = from_float<T>(z / (1.0f + expf(-z)));
  }
  return t;
}

// Packs of V elements never straddle a channel (S % V == 0).
template <typename T, int V, bool Silu>
__global__ void gn_apply_kernel(const T* __restrict__ x, const T* __restrict__ gamma, const T* __restrict__ beta,
                                const float* __restrict__ stats, T* __restrict__ y, Index n, Index c, Index s,
                                Index cg) {
  const Index packs = n * c * s / V, groups = c / cg;
  for (Index i = blockIdx.x * blockDim.x + threadIdx.x; i < packs; i += gridDim.x * blockDim.x) {
    const Index nc = (i * V) / s, ch = nc % c, grp = (nc / c) * groups + ch / cg;
    const float a = stats[2 * grp + 1] * to_float(gamma[ch]);
    const float b = to_float(beta[ch]) - stats[2 * grp] * a;
    const Pack<T, V> v = reinterpret_cast<const Pack<T, V>*>(x)[i];
    Pack<T, V> o;
#pragma unroll
    for (int k = 0; k < V; ++k) o.v[k] = affine_silu<T, Silu>(v.v[k], a, b);
    reinterpret_cast<Pack<T, V>*>(y)[i] = o;
  }
}

// The channels-last forms: x [N, S, C]. Group g of sample n is Cg consecutive channels at each of S positions;
// thread j of the block walks (position, channel) pairs j, j + blockDim, ... without dividing in the loop.
template <typename T>
__global__ void gn_stats_nhwc_kernel(const T* __restrict__ x, float* __restrict__ stats, Index s, Index c, Index cg,
                                     double eps) {
  const Index grp = blockIdx.x, groups = c / cg, d = s * cg;
  const T* p = x + static_cast<size_t>(grp / groups) * s * c + (grp % groups) * cg;
  const Index step_pos = blockDim.x / cg, step_ch = blockDim.x % cg;
  float acc = 0.f;
  for (Index j = threadIdx.x, pos = threadIdx.x / cg, ch = threadIdx.x % cg; j < d; j += blockDim.x) {
    acc += to_float(p[pos * c + ch]);
    pos += step_pos;
    ch += step_ch;
    if (ch >= cg) {
      ch -= cg;
      ++pos;
    }
  }
  const float m = static_cast<float>(block_sum(acc) / static_cast<double>(d));
  acc = 0.f;
  for (Index j = threadIdx.x, pos = threadIdx.x / cg, ch = threadIdx.x % cg; j < d; j += blockDim.x) {
    const float dv = to_float(p[pos * c + ch]) - m;
    acc += dv * dv;
    pos += step_pos;
    ch += step_ch;
    if (ch >= cg) {
      ch -= cg;
      ++pos;
    }
  }
  write_stats(stats, grp, m, block_sum(acc) / static_cast<double>(d), eps);
}

// Packs of V consecutive channels at one position (C % V == 0).
template <typename T, int V, bool Silu>
__global__ void gn_apply_nhwc_kernel(const T* __restrict__ x, const T* __restrict__ gamma, const T* __restrict__ beta,
                                     const float* __restrict__ stats, T* __restrict__ y, Index n, Index c, Index s,
                                     Index cg) {
  const Index packs = n * s * c / V, groups = c / cg;
  for (Index i = blockIdx.x * blockDim.x + threadIdx.x; i < packs; i += gridDim.x * blockDim.x) {
    const Index pos = (i * V) / c, ch0 = i * V - pos * c, first = (pos / s) * groups;
    const Pack<T, V> v = reinterpret_cast<const Pack<T, V>*>(x)[i];
    Pack<T, V> o;
#pragma unroll
    for (int k = 0; k < V; ++k) {
      const Index ch = ch0 + k, grp = first + ch / cg;
      const float a = stats[2 * grp + 1] * to_float(gamma[ch]);
      const float b = to_float(beta[ch]) - stats[2 * grp] * a;
      o.v[k] = affine_silu<T, Silu>(v.v[k], a, b);
    }
    reinterpret_cast<Pack<T, V>*>(y)[i] = o;
  }
}

int stats_threads(int64_t d) { return d >= 64 * 1024 ? 1024 : (d >= 8 * 1024 ? 512 : 256); }

template <typename T, int V>
cudaError_t gn_launch(const void* x, const void* gamma, const void* beta, void* y, float* stats, int64_t n,
                      int64_t c, int64_t s, int64_t groups, double eps, bool silu, bool nhwc, cudaStream_t stream) {
  const Index N = static_cast<Index>(n), C = static_cast<Index>(c), S = static_cast<Index>(s);
  const Index cg = static_cast<Index>(c / groups), d = cg * S;
  const auto* xt = static_cast<const T*>(x);
  const auto* gt = static_cast<const T*>(gamma);
  const auto* bt = static_cast<const T*>(beta);
  auto* yt = static_cast<T*>(y);
  const auto grid = static_cast<unsigned>(n * groups);
  if (nhwc) gn_stats_nhwc_kernel<T><<<grid, stats_threads(d), 0, stream>>>(xt, stats, S, C, cg, eps);
  else gn_stats_kernel<T, V><<<grid, stats_threads(d), 0, stream>>>(xt, stats, d, eps);
  cudaError_t e = cudaGetLastError();
  if (e != cudaSuccess) return e;
  const unsigned blocks = grid_for(n * c * s / V, 256);
  if (nhwc && silu) gn_apply_nhwc_kernel<T, V, true><<<blocks, 256, 0, stream>>>(xt, gt, bt, stats, yt, N, C, S, cg);
  else if (nhwc) gn_apply_nhwc_kernel<T, V, false><<<blocks, 256, 0, stream>>>(xt, gt, bt, stats, yt, N, C, S, cg);
  else if (silu) gn_apply_kernel<T, V, true><<<blocks, 256, 0, stream>>>(xt, gt, bt, stats, yt, N, C, S, cg);
  else gn_apply_kernel<T, V, false><<<blocks, 256, 0, stream>>>(xt, gt, bt, stats, yt, N, C, S, cg);
  return cudaGetLastError();
}

template <typename T>
cudaError_t gn_dispatch(const void* x, const void* gamma, const void* beta, void* y, float* stats, int64_t n,
                        int64_t c, int64_t s, int64_t groups, double eps, bool silu, bool nhwc, cudaStream_t stream) {
  constexpr int kVec = 16 / static_cast<int>(sizeof(T));
  const bool aligned = reinterpret_cast<uintptr_t>(x) % 16 == 0 && reinterpret_cast<uintptr_t>(y) % 16 == 0;
  const int64_t inner = nhwc ? c : s;  // the fastest dimension: a pack must not cross it
  if (aligned && inner % kVec == 0)
    return gn_launch<T, kVec>(x, gamma, beta, y, stats, n, c, s, groups, eps, silu, nhwc, stream);
  return gn_launch<T, 1>(x, gamma, beta, y, stats, n, c, s, groups, eps, silu, nhwc, stream);
}

// Thread i: V consecutive d of one (b, t, a); D % V == 0 and the buffers 16-byte aligned (checked by the launcher).
template <typename T, int V>
__global__ void temporal_combine_kernel(const T* __restrict__ z, const T* __restrict__ bias, T* __restrict__ y, Index B,
                                        Index T_, Index A, Index kt, Index D, Index bias_div, Index co) {
  const Index per = D / V, n = B * T_ * A * per;
  const Index center = kt / 2;
  for (Index i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
    const Index dv = i % per, rest = i / per, a = rest % A, bt = rest / A, t = bt % T_, b = bt / T_;
    float acc[V];
#pragma unroll
    for (int e = 0; e < V; ++e) acc[e] = to_float(bias[((dv * V + e) / bias_div) % co]);
    for (Index k = 0; k < kt; ++k) {
      const int64_t s = static_cast<int64_t>(t) + k - center;  // the input frame slice k meets
      if (s < 0 || s >= static_cast<int64_t>(T_)) continue;
      const size_t at = ((static_cast<size_t>(b) * T_ + static_cast<size_t>(s)) * A + a) * kt + k;
      const Pack<T, V> v = reinterpret_cast<const Pack<T, V>*>(z + at * D)[dv];
#pragma unroll
      for (int e = 0; e < V; ++e) acc[e] += to_float(v.v[e]);
    }
    Pack<T, V> o;
#pragma unroll
    for (int e = 0; e < V; ++e) o.v[e] = from_float<T>(acc[e]);
    reinterpret_cast<Pack<T, V>*>(y + (static_cast<size_t>(bt) * A + a) * D)[dv] = o;
  }
}

template <typename T>
cudaError_t combine_dispatch(const void* z, const void* bias, void* y, int64_t b, int64_t t, int64_t a, int64_t kt,
                             int64_t d, int64_t bias_div, int64_t co, cudaStream_t stream) {
  constexpr int kVec = 16 / static_cast<int>(sizeof(T));
  const bool aligned = reinterpret_cast<uintptr_t>(z) % 16 == 0 && reinterpret_cast<uintptr_t>(y) % 16 == 0;
  const auto* zt = static_cast<const T*>(z);
  const auto* bt = static_cast<const T*>(bias);
  auto* yt = static_cast<T*>(y);
  const auto I = [](int64_t v) { return static_cast<Index>(v); };
  if (aligned && d % kVec == 0) {
    temporal_combine_kernel<T, kVec><<<grid_for(b * t * a * (d / kVec), 256), 256, 0, stream>>>(
        zt, bt, yt, I(b), I(t), I(a), I(kt), I(d), I(bias_div), I(co));
  } else {
    temporal_combine_kernel<T, 1><<<grid_for(b * t * a * d, 256), 256, 0, stream>>>(zt, bt, yt, I(b), I(t), I(a),
                                                                                    I(kt), I(d), I(bias_div), I(co));
  }
  return cudaGetLastError();
}

// Calls f with a value of the storage type (f picks the kernel instantiation); a failed launch becomes
// "<what> kernel launch failed: <CUDA error>", success "".
template <typename F>
std::string launch_for(ElemType type, const char* what, F&& f) {
  cudaError_t e = cudaErrorInvalidValue;
  switch (type) {
    case ElemType::F32: e = f(float{}); break;
    case ElemType::F16: e = f(__half{}); break;
    case ElemType::BF16: e = f(__nv_bfloat16{}); break;
  }
  if (e != cudaSuccess) return std::string(what) + " kernel launch failed: " + cudaGetErrorString(e);
  return "";
}

}  // namespace

std::string temporal_combine(const void* z, const void* bias, void* y, int64_t b, int64_t t, int64_t a, int64_t kt,
                             int64_t d, int64_t bias_div, int64_t co, ElemType type, void* stream) {
  if (b <= 0 || t <= 0 || a <= 0 || d <= 0) return "";
  if (kt <= 0 || bias_div <= 0 || co <= 0) return "fused temporal combine: bad kt, bias_div or channel count";
  if (b * t * a * kt * d >= kMaxElements) return "fused temporal combine: more than 2^31 elements (use the ATen form)";
  return launch_for(type, "fused temporal combine", [&](auto tag) {
    return combine_dispatch<decltype(tag)>(z, bias, y, b, t, a, kt, d, bias_div, co, static_cast<cudaStream_t>(stream));
  });
}

std::string group_norm_silu(const void* x, const void* gamma, const void* beta, void* y, float* stats, int64_t n,
                            int64_t c, int64_t s, int64_t groups, double eps, bool silu, bool channels_last,
                            ElemType type, void* stream) {
  if (n <= 0 || c <= 0 || s <= 0) return "";
  if (n * c * s >= kMaxElements) return "fused GroupNorm: more than 2^31 elements (use the ATen form)";
  if (groups <= 0 || c % groups != 0)
    return "fused GroupNorm: " + std::to_string(c) + " channels do not split into " + std::to_string(groups) + " groups";
  return launch_for(type, "fused GroupNorm", [&](auto tag) {
    return gn_dispatch<decltype(tag)>(x, gamma, beta, y, stats, n, c, s, groups, eps, silu, channels_last,
                                      static_cast<cudaStream_t>(stream));
  });
}

std::string geglu(const void* proj, void* out, int64_t rows, int64_t inner, ElemType type, void* stream) {
  if (rows <= 0 || inner <= 0) return "";
  if (rows * inner * 2 >= kMaxElements) return "fused GEGLU: more than 2^31 elements (use the ATen form)";
  return launch_for(type, "fused GEGLU", [&](auto tag) {
    return geglu_dispatch<decltype(tag)>(proj, out, rows, inner, static_cast<cudaStream_t>(stream));
  });
}

}  // namespace ci2v::cuda
