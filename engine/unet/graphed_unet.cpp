#include "engine/unet/graphed_unet.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <vector>

#include "engine/nn/layers.h"

#ifdef CONSISTI2V_TORCH_CUDA
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include "engine/unet/side_stream.h"
#endif

namespace ci2v::unet {

bool cuda_graphs_built() {
#ifdef CONSISTI2V_TORCH_CUDA
  return true;
#else
  return false;
#endif
}

struct GraphedUNet::Impl {
  VideoUNet unet{nullptr};
  int max_graphs;
  int captured = 0;
  int64_t replays = 0;
  std::string fallback;
#ifdef CONSISTI2V_TORCH_CUDA
  struct Entry {
    std::vector<int64_t> key;
    torch::Tensor sample, timesteps, text, first, strides, out;  // the graph's static tensors
    std::unique_ptr<at::cuda::CUDAGraph> graph;
    int64_t flops = 0;  // counted while capturing: added per replay when a benchmark counts
    // The temporal convolutions' packed weights the graph reads. A later shape may take the other GEMM route for
    // a convolution (a 1x1 map is stored alike in both layouts, so its route follows the strides) and repack it,
    // dropping this packing: the graph holds raw pointers, so the tensors are kept alive here.
    std::vector<torch::Tensor> weights_read;
  };
  std::vector<std::unique_ptr<Entry>> entries;  // most recently used last
  // A graph whose capture failed is kept alive: LibTorch's allocator may still hold a pool filter that names it.
  std::unique_ptr<at::cuda::CUDAGraph> failed_graph;

  static std::vector<int64_t> key_of(const torch::Tensor& s, const torch::Tensor& text, const torch::Tensor& first) {
    std::vector<int64_t> k;
    for (const auto* t : {&s, &text, &first}) {
      k.push_back(static_cast<int64_t>(t->scalar_type()));
      k.push_back(t->dim());
      for (auto d : t->sizes()) k.push_back(d);
    }
    return k;
  }

  // A capture that failed (an operation that cannot be captured): graphs are given up for this runner.
  struct CaptureFailed : std::runtime_error {
    using std::runtime_error::runtime_error;
  };

  // Warm-up and capture on a side stream (capture needs a stream other than the default one). The static tensors
  // are made on the current stream, so the caller's tensors are only read there and the statics' blocks belong to
  // the stream the replays run on; the current stream waits for the side stream however this ends.
  std::unique_ptr<Entry> capture(const torch::Tensor& sample, int64_t t, const torch::Tensor& text,
                                 const torch::Tensor& first, int64_t stride) {
    auto e = std::make_unique<Entry>();
    e->key = key_of(sample, text, first);
    const auto dev = sample.device();
    c10::cuda::CUDAGuard device_guard(dev);
    const int64_t B = sample.size(0);
    const auto io = torch::TensorOptions().dtype(torch::kInt64).device(dev);
    e->sample = sample.clone();
    e->text = text.clone();
    e->first = first.clone();
    e->timesteps = at::full({B}, t, io);
    e->strides = at::full({B}, stride, io);
    SideStreamScope on_side(c10::cuda::getStreamFromPool(false, dev.index()));
    // Warm-up: cuBLAS / cuDNN handles and workspaces, the window-index cache, the allocator's blocks. An error
    // here is the UNet's own (bad inputs, out of memory) and goes to the caller.
    for (int i = 0; i < 2; ++i) unet->forward(e->sample, e->timesteps, e->text, e->first, e->strides);
    const bool counting = nn::counting_flops();
    const int64_t before = nn::counted_flops();
    nn::count_flops(true);
    e->graph = std::make_unique<at::cuda::CUDAGraph>();
    try {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 1)
      // thread-local: the preview thread may touch CUDA (pinned copies, events) while this thread captures
      e->graph->capture_begin({0, 0}, cudaStreamCaptureModeThreadLocal);
#else
      e->graph->capture_begin();
#endif
      try {
        e->out = unet->forward(e->sample, e->timesteps, e->text, e->first, e->strides);
      } catch (...) {
        try {
          e->graph->capture_end();
        } catch (...) {
        }
        throw;
      }
      e->graph->capture_end();
    } catch (const std::exception& ex) {
      nn::add_counted_flops(before - nn::counted_flops());
      nn::count_flops(counting);
      failed_graph = std::move(e->graph);
      throw CaptureFailed(ex.what());
    }
    for (const auto& m : unet->modules(/*include_self=*/false))
      if (const auto* conv = dynamic_cast<const nn::TemporalConvImpl*>(m.get()))
        for (const auto* packed : {&conv->packed_rows, &conv->packed_cols})
          if (packed->w.defined()) e->weights_read.push_back(packed->w);
    e->flops = nn::counted_flops() - before;
    nn::add_counted_flops(-e->flops);  // the capture itself ran nothing: the replays count
    nn::count_flops(counting);
    return e;
  }

  torch::Tensor replay(Entry& e, const torch::Tensor& sample, int64_t t, const torch::Tensor& text,
                       const torch::Tensor& first, int64_t stride) {
    e.sample.copy_(sample);
    e.text.copy_(text);
    e.first.copy_(first);
    e.timesteps.fill_(t);
    e.strides.fill_(stride);
    e.graph->replay();
    ++replays;
    if (nn::counting_flops()) nn::add_counted_flops(e.flops);
    return e.out.clone();
  }
#endif
};

GraphedUNet::GraphedUNet(VideoUNet unet, int max_graphs) : impl_(std::make_unique<Impl>()) {
  impl_->unet = std::move(unet);
  impl_->max_graphs = std::max(1, max_graphs);
}

GraphedUNet::~GraphedUNet() = default;

int GraphedUNet::graphs_captured() const { return impl_->captured; }
int64_t GraphedUNet::replays() const { return impl_->replays; }
const std::string& GraphedUNet::fallback_reason() const { return impl_->fallback; }

torch::Tensor GraphedUNet::forward(const torch::Tensor& sample, int64_t timestep, const torch::Tensor& text,
                                   const torch::Tensor& first, int64_t frame_stride) {
  auto& I = *impl_;
#ifdef CONSISTI2V_TORCH_CUDA
  const bool graphable = I.fallback.empty() && sample.defined() && sample.is_cuda() && sample.dim() == 5 &&
                         text.defined() && text.is_cuda() && first.defined() && first.is_cuda() &&
                         I.unet->device().is_cuda() && sample.scalar_type() == I.unet->dtype() &&
                         !I.unet->conv_in->weight.requires_grad();
  if (graphable) {
    const auto key = Impl::key_of(sample, text, first);
    for (size_t i = 0; i < I.entries.size(); ++i) {
      if (I.entries[i]->key == key) {
        std::unique_ptr<Impl::Entry> e = std::move(I.entries[i]);
        I.entries.erase(I.entries.begin() + static_cast<std::ptrdiff_t>(i));
        I.entries.push_back(std::move(e));
        return I.replay(*I.entries.back(), sample, timestep, text, first, frame_stride);
      }
    }
    try {
      auto e = I.capture(sample, timestep, text, first, frame_stride);
      ++I.captured;
      if (static_cast<int>(I.entries.size()) >= I.max_graphs) I.entries.erase(I.entries.begin());
      I.entries.push_back(std::move(e));
      return I.replay(*I.entries.back(), sample, timestep, text, first, frame_stride);
    } catch (const Impl::CaptureFailed& ex) {
      // LibTorch may keep the failed capture's state in its allocator (memory of other streams is then freed
      // later than usual); restarting the process clears it.
      I.fallback = ex.what();
      const auto nl = I.fallback.find('\n');
      if (nl != std::string::npos) I.fallback.resize(nl);
      std::fprintf(stderr, "consisti2v: CUDA graph capture failed, the UNet runs eagerly: %s\n", I.fallback.c_str());
      I.entries.clear();
    }
  }
#endif
  return I.unet->forward(sample, timestep, text, first, frame_stride);
}

}  // namespace ci2v::unet
