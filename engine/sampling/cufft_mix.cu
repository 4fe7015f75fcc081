// Raw cuFFT FrameInit mix (see cufft_mix.h). Compiled by nvcc only in CUDA builds (CONSISTI2V_HAVE_CUDA_KERNELS).
#include "engine/sampling/cufft_mix.h"

#include <cuda_runtime.h>
#include <cufft.h>

#include <cstdint>
#include <map>
#include <string>
#include <mutex>
#include <tuple>

namespace ci2v::cuda {
namespace {

// Plans are cached per (device, batch, T, H, W), at most kMaxPlans of them (the least recently used is destroyed
// first, once its device is idle: a studio session that tries many sizes does not keep a plan per size for ever).
// A plan belongs to the device that was current when it was made. Its work area is not cuFFT's own: the caller hands one per call from
// LibTorch's caching allocator on the call's stream, so transforms queued on two streams never share a work area
// and the memory goes back to LibTorch's pool; the work area and the stream are bound just before each execution,
// under the mutex.
using PlanKey = std::tuple<int, int64_t, int64_t, int64_t, int64_t>;  // device, batch, T, H, W
struct Plan {
  cufftHandle handle = 0;
  size_t work_bytes = 0;
  uint64_t last_use = 0;
  cudaEvent_t done = nullptr;  // recorded after each execution, on its stream: the plan's last use on the GPU
};
constexpr size_t kMaxPlans = 16;

std::mutex g_mutex;
std::map<PlanKey, Plan> g_plans;
int64_t g_built = 0;
uint64_t g_clock = 0;

std::string cuda_error(const char* what, cudaError_t e) {
  return std::string("FrameInit cuFFT: ") + what + " failed: " + cudaGetErrorString(e);
}
std::string cufft_error(const char* what, cufftResult r) {
  return std::string("FrameInit cuFFT: ") + what + " failed with cufftResult " + std::to_string(static_cast<int>(r));
}

// Destroys a plan once no transform queued with it can still run (the work area is the caller's, but the plan's
// own device tables are freed): it waits for the plan's last execution only (its event), not for the device, so
// other streams' work and captures are not disturbed. If that wait or the switch to the plan's device fails, the
// plan is left undestroyed (a small leak, never a use after free). Returns false when the caller's device could
// not be made current again. Rare: only beyond kMaxPlans shapes, and at release. The runtime's last-error state is
// cleared, so a later check does not blame these calls.
bool destroy_when_idle(int device, Plan& plan) {
  const bool idle = !plan.done || cudaEventSynchronize(plan.done) == cudaSuccess;
  if (plan.done) cudaEventDestroy(plan.done);
  plan.done = nullptr;
  int current = -1;
  if (cudaGetDevice(&current) != cudaSuccess) {
    cudaGetLastError();
    return false;
  }
  bool restored = true;
  if (idle && (current == device || cudaSetDevice(device) == cudaSuccess)) {
    cufftDestroy(plan.handle);
    if (current != device) restored = cudaSetDevice(current) == cudaSuccess;
  }
  cudaGetLastError();
  return restored;
}

// A batched 3-D complex-to-complex plan on the current device (the same plan serves both directions), without a
// work area of its own. Caller holds g_mutex.
cufftResult plan_for(int device, int64_t batch, const Fft3dShape& s, Plan** plan) {
  const PlanKey key{device, batch, s.t, s.h, s.w};
  auto it = g_plans.find(key);
  if (it == g_plans.end()) {
    if (g_plans.size() >= kMaxPlans) {  // the least recently used one goes
      auto oldest = g_plans.begin();
      for (auto p = g_plans.begin(); p != g_plans.end(); ++p)
        if (p->second.last_use < oldest->second.last_use) oldest = p;
      const bool restored = destroy_when_idle(std::get<0>(oldest->first), oldest->second);
      g_plans.erase(oldest);
      if (!restored) return CUFFT_INTERNAL_ERROR;  // the caller's device is not current: build nothing on another
    }
    long long n[3] = {s.t, s.h, s.w};
    Plan fresh;
    cufftResult r = cufftCreate(&fresh.handle);
    if (r != CUFFT_SUCCESS) return r;
    r = cufftSetAutoAllocation(fresh.handle, 0);
    if (r == CUFFT_SUCCESS)
      r = cufftMakePlanMany64(fresh.handle, 3, n, nullptr, 1, s.volume(), nullptr, 1, s.volume(), CUFFT_C2C, batch,
                              &fresh.work_bytes);
    if (r == CUFFT_SUCCESS && cudaEventCreateWithFlags(&fresh.done, cudaEventDisableTiming) != cudaSuccess) {
      cudaGetLastError();
      r = CUFFT_ALLOC_FAILED;
    }
    if (r != CUFFT_SUCCESS) {
      cufftDestroy(fresh.handle);  // never executed: nothing can be using it
      return r;
    }
    it = g_plans.emplace(key, fresh).first;
    ++g_built;
  }
  it->second.last_use = ++g_clock;
  *plan = &it->second;
  return CUFFT_SUCCESS;
}

// Binds `plan` to the stream and a work area of its size from `alloc`, then runs it in place. Caller holds g_mutex.
std::string exec(const Plan& plan, cudaStream_t stream, const WorkAreaAlloc& alloc, float2* data, int direction,
                 const char* what) {
  cufftResult r = cufftSetStream(plan.handle, stream);
  if (r != CUFFT_SUCCESS) return cufft_error("cufftSetStream", r);
  void* area = plan.work_bytes > 0 ? alloc(plan.work_bytes) : nullptr;
  if (plan.work_bytes > 0 && !area) return std::string("FrameInit cuFFT: no work area for the ") + what;
  if ((r = cufftSetWorkArea(plan.handle, area)) != CUFFT_SUCCESS) return cufft_error("cufftSetWorkArea", r);
  if ((r = cufftExecC2C(plan.handle, data, data, direction)) != CUFFT_SUCCESS) return cufft_error(what, r);
  if (const cudaError_t e = cudaEventRecord(plan.done, stream); e != cudaSuccess) return cuda_error("cudaEventRecord", e);
  return {};
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
                float* b, float* c, const Fft3dShape& s, void* stream_ptr, const WorkAreaAlloc& alloc, bool split) {
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
  std::lock_guard<std::mutex> lock(g_mutex);  // the plan cache, and each plan's stream and work-area binding
  Plan *fwd = nullptr, *inv = nullptr;
  cufftResult r = plan_for(device, 2 * s.batch, s, &fwd);  // x and noise in one batched transform
  if (r != CUFFT_SUCCESS) return cufft_error("plan (forward)", r);
  r = plan_for(device, split ? 3 * s.batch : s.batch, s, &inv);
  if (r != CUFFT_SUCCESS) return cufft_error("plan (inverse)", r);

  pack_kernel<<<grid_for(n), 256, 0, stream>>>(x, noise, work, n);
  if ((e = cudaGetLastError()) != cudaSuccess) return cuda_error("pack kernel", e);
  if (auto err = exec(*fwd, stream, alloc, work, CUFFT_FORWARD, "forward FFT"); !err.empty()) return err;
  mask_mix_kernel<<<grid_for(n), 256, 0, stream>>>(work, lpf, lpf_batch, s.batch, s.t, s.h, s.w, split);
  if ((e = cudaGetLastError()) != cudaSuccess) return cuda_error("mask/mix kernel", e);
  if (auto err = exec(*inv, stream, alloc, work, CUFFT_INVERSE, "inverse FFT"); !err.empty()) return err;
  real_kernel<<<grid_for(n), 256, 0, stream>>>(work, a, b, c, n);
  if ((e = cudaGetLastError()) != cudaSuccess) return cuda_error("real-part kernel", e);
  return {};
}

}  // namespace

std::string frameinit_mix(const float* x, const float* noise, const float* lpf, int64_t lpf_batch, float* work,
                          float* out, const Fft3dShape& shape, void* stream, const WorkAreaAlloc& alloc) {
  return run(x, noise, lpf, lpf_batch, work, out, nullptr, nullptr, shape, stream, alloc, false);
}

std::string frameinit_split(const float* x, const float* noise, const float* lpf, int64_t lpf_batch, float* work,
                            float* low, float* high, float* mixed, const Fft3dShape& shape, void* stream,
                            const WorkAreaAlloc& alloc) {
  return run(x, noise, lpf, lpf_batch, work, low, high, mixed, shape, stream, alloc, true);
}

int64_t frameinit_plans_built() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_built;
}

void frameinit_release_plans() {
  std::lock_guard<std::mutex> lock(g_mutex);
  for (auto& [key, plan] : g_plans) destroy_when_idle(std::get<0>(key), plan);
  g_plans.clear();
}

}  // namespace ci2v::cuda
