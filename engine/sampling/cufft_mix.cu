// Raw cuFFT FrameInit mix (see cufft_mix.h). Compiled by nvcc only in CUDA builds (CONSISTI2V_HAVE_CUDA_KERNELS).
#include "engine/sampling/cufft_mix.h"

#include <cuda_runtime.h>
#include <cufft.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <tuple>

namespace ci2v::cuda {
namespace {

// A plan belongs to the device that was current when it was made, and its work area (cuFFT's own) is used by
// whatever it runs: one plan per device and stream, so that transforms queued on two streams never share a work
// area while the first still runs (the mutex only orders the queuing), and a second GPU gets its own plans.
using PlanKey = std::tuple<int, uintptr_t, int64_t, int64_t, int64_t, int64_t>;  // device, stream, batch, T, H, W

std::mutex g_mutex;
std::map<PlanKey, cufftHandle> g_plans;
int64_t g_built = 0;

std::string cuda_error(const char* what, cudaError_t e) {
  return std::string("FrameInit cuFFT: ") + what + " failed: " + cudaGetErrorString(e);
}
std::string cufft_error(const char* what, cufftResult r) {
  return std::string("FrameInit cuFFT: ") + what + " failed with cufftResult " + std::to_string(static_cast<int>(r));
}

// A batched 3-D complex-to-complex plan on the current device for `stream` (the same plan serves both
// directions; it is bound to the stream once, when made). Caller holds g_mutex.
cufftResult plan_for(int device, cudaStream_t stream, int64_t batch, const Fft3dShape& s, cufftHandle* plan) {
  const PlanKey key{device, reinterpret_cast<uintptr_t>(stream), batch, s.t, s.h, s.w};
  auto it = g_plans.find(key);
  if (it != g_plans.end()) {
    *plan = it->second;
    return CUFFT_SUCCESS;
  }
  long long n[3] = {s.t, s.h, s.w};
  cufftHandle p;
  cufftResult r = cufftCreate(&p);
  if (r != CUFFT_SUCCESS) return r;
  size_t work = 0;
  r = cufftMakePlanMany64(p, 3, n, nullptr, 1, s.volume(), nullptr, 1, s.volume(), CUFFT_C2C, batch, &work);
  if (r == CUFFT_SUCCESS) r = cufftSetStream(p, stream);
  if (r != CUFFT_SUCCESS) {
    cufftDestroy(p);
    return r;
  }
  g_plans.emplace(key, p);
  ++g_built;
  *plan = p;
  return CUFFT_SUCCESS;
}

// work[0 .. n) = x + 0i, work[n .. 2n) = noise + 0i
__global__ void pack_kernel(const float* __restrict__ x, const float* __restrict__ noise, float2* __restrict__ work,
                            int64_t n) {
  for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    work[i] = make_float2(x[i], 0.f);
    work[n + i] = make_float2(noise[i], 0.f);
  }
}

// The filter value for unshifted frequency (kt, kh, kw): the centred filter at the fftshifted position.
__device__ __forceinline__ float mask_at(const float* __restrict__ lpf, int64_t lpf_batch, int64_t b, int64_t kt,
                                         int64_t kh, int64_t kw, int64_t T, int64_t H, int64_t W) {
  const int64_t st = (kt + T / 2) % T, sh = (kh + H / 2) % H, sw = (kw + W / 2) % W;
  const int64_t vol = T * H * W;
  return lpf[(lpf_batch == 1 ? 0 : b) * vol + (st * H + sh) * W + sw];
}

// mix: work[0..n) = (X·M + N·(1 − M)) / vol. split: also work[n..2n) = N·(1 − M) / vol, work[2n..3n) = the
// mixed spectrum, work[0..n) = X·M / vol.
__global__ void mask_mix_kernel(float2* __restrict__ work, const float* __restrict__ lpf, int64_t lpf_batch,
                                int64_t batch, int64_t T, int64_t H, int64_t W, bool split) {
  const int64_t vol = T * H * W, n = batch * vol;
  const float inv = 1.f / static_cast<float>(vol);
  for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const int64_t b = i / vol, r = i % vol;
    const int64_t kt = r / (H * W), kh = (r / W) % H, kw = r % W;
    const float m = mask_at(lpf, lpf_batch, b, kt, kh, kw, T, H, W);
    const float2 X = work[i], N = work[n + i];
    const float2 low = make_float2(X.x * m * inv, X.y * m * inv);
    const float2 high = make_float2(N.x * (1.f - m) * inv, N.y * (1.f - m) * inv);
    const float2 mixed = make_float2(low.x + high.x, low.y + high.y);
    if (split) {
      work[i] = low;
      work[n + i] = high;
      work[2 * n + i] = mixed;
    } else {
      work[i] = mixed;
    }
  }
}

// out_k[i] = Re(work[k·n + i]) for up to three outputs.
__global__ void real_kernel(const float2* __restrict__ work, float* __restrict__ a, float* __restrict__ b,
                            float* __restrict__ c, int64_t n) {
  for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    a[i] = work[i].x;
    if (b) b[i] = work[n + i].x;
    if (c) c[i] = work[2 * n + i].x;
  }
}

int grid_for(int64_t n) {
  const int64_t blocks = (n + 255) / 256;
  return static_cast<int>(blocks < 4096 ? (blocks > 0 ? blocks : 1) : 4096);
}

std::string run(const float* x, const float* noise, const float* lpf, int64_t lpf_batch, float* work_f, float* a,
                float* b, float* c, const Fft3dShape& s, void* stream_ptr, bool split) {
  if (s.batch < 1 || s.t < 1 || s.h < 1 || s.w < 1) return "FrameInit cuFFT: empty shape";
  if (lpf_batch != 1 && lpf_batch != s.batch)
    return "FrameInit cuFFT: the filter batch must be 1 or " + std::to_string(s.batch) + ", got " +
           std::to_string(lpf_batch);
  auto stream = static_cast<cudaStream_t>(stream_ptr);
  auto* work = reinterpret_cast<float2*>(work_f);
  const int64_t n = s.batch * s.volume();
  int device = 0;
  cudaError_t e = cudaGetDevice(&device);  // the caller's device guard makes the tensors' device current
  if (e != cudaSuccess) return cuda_error("cudaGetDevice", e);
  std::lock_guard<std::mutex> lock(g_mutex);  // the plan cache
  cufftHandle fwd, inv;
  cufftResult r = plan_for(device, stream, 2 * s.batch, s, &fwd);  // x and noise in one batched transform
  if (r != CUFFT_SUCCESS) return cufft_error("plan (forward)", r);
  r = plan_for(device, stream, split ? 3 * s.batch : s.batch, s, &inv);
  if (r != CUFFT_SUCCESS) return cufft_error("plan (inverse)", r);

  pack_kernel<<<grid_for(n), 256, 0, stream>>>(x, noise, work, n);
  e = cudaGetLastError();
  if (e != cudaSuccess) return cuda_error("pack kernel", e);
  if ((r = cufftExecC2C(fwd, work, work, CUFFT_FORWARD)) != CUFFT_SUCCESS) return cufft_error("forward FFT", r);
  mask_mix_kernel<<<grid_for(n), 256, 0, stream>>>(work, lpf, lpf_batch, s.batch, s.t, s.h, s.w, split);
  if ((e = cudaGetLastError()) != cudaSuccess) return cuda_error("mask/mix kernel", e);
  if ((r = cufftExecC2C(inv, work, work, CUFFT_INVERSE)) != CUFFT_SUCCESS) return cufft_error("inverse FFT", r);
  real_kernel<<<grid_for(n), 256, 0, stream>>>(work, a, b, c, n);
  if ((e = cudaGetLastError()) != cudaSuccess) return cuda_error("real-part kernel", e);
  return {};
}

}  // namespace

std::string frameinit_mix(const float* x, const float* noise, const float* lpf, int64_t lpf_batch, float* work,
                          float* out, const Fft3dShape& shape, void* stream) {
  return run(x, noise, lpf, lpf_batch, work, out, nullptr, nullptr, shape, stream, false);
}

std::string frameinit_split(const float* x, const float* noise, const float* lpf, int64_t lpf_batch, float* work,
                            float* low, float* high, float* mixed, const Fft3dShape& shape, void* stream) {
  return run(x, noise, lpf, lpf_batch, work, low, high, mixed, shape, stream, true);
}

int64_t frameinit_plans_built() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_built;
}

void frameinit_release_plans() {
  std::lock_guard<std::mutex> lock(g_mutex);
  for (auto& [key, plan] : g_plans) cufftDestroy(plan);
  g_plans.clear();
}

}  // namespace ci2v::cuda
