// A scope in which a CUDA side stream is the current stream (CUDA builds only: include it under
// CONSISTI2V_TORCH_CUDA). CUDA graphs are captured on a stream other than the default one; the warm-up before a
// capture runs there too.
#pragma once
#include <ATen/cuda/CUDAEvent.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include <optional>

namespace ci2v::unet {

// While it lives, `side` is its device's current stream. It starts after the work queued so far on the stream that
// was current; when the scope ends, however it ends, that stream is current again and waits for everything queued
// on `side`.
class SideStreamScope {
public:
  explicit SideStreamScope(c10::cuda::CUDAStream side)
      : side_(side), current_(c10::cuda::getCurrentCUDAStream(side.device_index())) {
    at::cuda::CUDAEvent ready;
    ready.record(current_);
    ready.block(side_);
    guard_.emplace(side_);
  }
  ~SideStreamScope() {
    guard_.reset();
    try {
      at::cuda::CUDAEvent done;
      done.record(side_);
      done.block(current_);
    } catch (...) {
    }
  }
  SideStreamScope(const SideStreamScope&) = delete;
  SideStreamScope& operator=(const SideStreamScope&) = delete;

private:
  c10::cuda::CUDAStream side_, current_;
  std::optional<c10::cuda::CUDAStreamGuard> guard_;
};

}  // namespace ci2v::unet
