// FrameInit's frequency mix with raw cuFFT (engine/sampling/cufft_mix.cu; Torch-free so nvcc compiles it
// without LibTorch). The caller (cufft_backend.cpp) owns the device buffers (LibTorch's caching allocator) and
// the stream (on the current device), and hands cuFFT its work areas (WorkAreaAlloc); this file owns the cuFFT
// plans, cached per (device, batch, T, H, W), the 16 most recently used.
//
// The reference (freq_mix_3d): X = fftshift(fftn(x)), N = fftshift(fftn(noise)) over (T, H, W);
// mixed = Re(ifftn(ifftshift(X·LPF + N·(1 − LPF)))). The shifts are folded into the mask index instead of
// moving data: fftshift puts frequency k at position (k + n/2) mod n, so the unshifted spectrum is multiplied
// by LPF[(k + n/2) mod n] per axis. One kernel applies the mask and the mix (and the 1/(T·H·W) of the
// inverse transform) on the spectra; the forward transforms of x and noise run as one batched plan.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

namespace ci2v::cuda {

struct Fft3dShape {
  int64_t batch = 1;  // B·C volumes of T × H × W
  int64_t t = 1, h = 1, w = 1;
  int64_t volume() const { return t * h * w; }
};

// Returns a device buffer of at least `bytes` on the call's device and stream that stays valid until the call
// returns and its queued work is done (LibTorch's stream-ordered caching allocator: the backend keeps the tensors
// until the call returns); null on failure.
using WorkAreaAlloc = std::function<void*(size_t bytes)>;

// Buffers (device, fp32, contiguous): x, noise [batch, T, H, W]; lpf [lpf_batch, T, H, W] with lpf_batch 1
// (broadcast) or batch, in the centred (fftshifted) layout the filters are built in; work: interleaved complex,
// 2·batch·T·H·W complex values (mix) or 3·batch·T·H·W (split). stream: a cudaStream_t.
// Return "" on success, else a message naming the failing CUDA / cuFFT call and its code.
std::string frameinit_mix(const float* x, const float* noise, const float* lpf, int64_t lpf_batch, float* work,
                          float* out, const Fft3dShape& shape, void* stream, const WorkAreaAlloc& alloc);
// low = Re(ifft(X·M)), high = Re(ifft(N·(1 − M))), mixed = Re(ifft(X·M + N·(1 − M))).
std::string frameinit_split(const float* x, const float* noise, const float* lpf, int64_t lpf_batch, float* work,
                            float* low, float* high, float* mixed, const Fft3dShape& shape, void* stream,
                            const WorkAreaAlloc& alloc);

// Plans made so far (cache misses) and destroying them all (tests, shutdown).
int64_t frameinit_plans_built();
void frameinit_release_plans();

}  // namespace ci2v::cuda
