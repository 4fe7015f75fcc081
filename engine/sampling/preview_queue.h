// Step previews without a host synchronisation inside the denoising loop (issue #9). The preview of step i is
// computed on the device (LatentPreviewer::to_rgb_u8, a few small kernels); on CUDA its copy to pinned host
// memory is queued on the stream with an event, and it is handed to the observer once that copy has finished:
// at the latest when the preview of step i + 1 is submitted, after step i + 1's work is already queued, so the
// GPU never drains while the host waits. On the CPU a submitted preview is delivered at once, as before.
#pragma once
#include <torch/torch.h>

#include <functional>
#include <memory>
#include <vector>

#include "engine/image.h"

namespace ci2v::sampling {

class PreviewQueue {
public:
  using Deliver = std::function<void(int step, int total, std::vector<RgbImage> frames)>;
  explicit PreviewQueue(Deliver deliver);
  ~PreviewQueue();  // waits for a copy still in flight and drops it (a cancelled run shows nothing more)
  PreviewQueue(const PreviewQueue&) = delete;
  PreviewQueue& operator=(const PreviewQueue&) = delete;

  // rgb: uint8 [F, h, w, 3] on any device. Delivers the previous preview first (in step order).
  void submit(int step, int total, const torch::Tensor& rgb);
  // Delivers the pending preview when its copy has finished; never waits.
  void poll();
  // Waits for the pending preview and delivers it (end of the loop).
  void flush();
  bool pending() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ci2v::sampling
