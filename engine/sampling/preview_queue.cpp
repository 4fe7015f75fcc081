#include "engine/sampling/preview_queue.h"

#include <optional>

#include "engine/sampling/latent_preview.h"

#ifdef CONSISTI2V_TORCH_CUDA
#include <ATen/cuda/CUDAContext.h>
#include <ATen/cuda/CUDAEvent.h>
#endif

namespace ci2v::sampling {

struct PreviewQueue::Impl {
  Deliver deliver;
  struct Pending {
    int step = 0, total = 0;
    torch::Tensor host;  // pinned, being filled by the stream
#ifdef CONSISTI2V_TORCH_CUDA
    std::unique_ptr<at::cuda::CUDAEvent> done;
#endif
  };
  std::optional<Pending> pending;

  void hand_over() {
    Pending p = std::move(*pending);
    pending.reset();
    deliver(p.step, p.total, u8_to_images(p.host));
  }
  bool ready() const {
#ifdef CONSISTI2V_TORCH_CUDA
    return !pending->done || pending->done->query();
#else
    return true;
#endif
  }
  void wait() {
#ifdef CONSISTI2V_TORCH_CUDA
    if (pending->done) pending->done->synchronize();
#endif
  }
};

PreviewQueue::PreviewQueue(Deliver deliver) : impl_(std::make_unique<Impl>()) { impl_->deliver = std::move(deliver); }

PreviewQueue::~PreviewQueue() {
  if (impl_ && impl_->pending) impl_->wait();  // the pinned buffer must outlive its copy
}

void PreviewQueue::submit(int step, int total, const torch::Tensor& rgb) {
  flush();
  Impl::Pending p;
  p.step = step;
  p.total = total;
#ifdef CONSISTI2V_TORCH_CUDA
  if (rgb.is_cuda()) {
    p.host = torch::empty(rgb.sizes(), torch::TensorOptions().dtype(rgb.scalar_type()).pinned_memory(true));
    p.host.copy_(rgb, /*non_blocking=*/true);
    p.done = std::make_unique<at::cuda::CUDAEvent>();
    p.done->record(at::cuda::getCurrentCUDAStream(rgb.get_device()));
    impl_->pending = std::move(p);
    return;
  }
#endif
  p.host = rgb.to(torch::kCPU);
  impl_->pending = std::move(p);
  impl_->hand_over();
}

void PreviewQueue::poll() {
  if (impl_->pending && impl_->ready()) impl_->hand_over();
}

void PreviewQueue::flush() {
  if (!impl_->pending) return;
  impl_->wait();
  impl_->hand_over();
}

bool PreviewQueue::pending() const { return impl_->pending.has_value(); }

}  // namespace ci2v::sampling
