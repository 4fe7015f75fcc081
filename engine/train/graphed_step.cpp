#include "engine/train/graphed_step.h"

#include <cstdio>
#include <optional>
#include <utility>
#include <stdexcept>

#include "engine/error.h"

#if defined(CONSISTI2V_TORCH_CUDA) && !defined(CONSISTI2V_NO_TRAIN_GRAPHS)
#define CI2V_TRAIN_GRAPHS 1
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include "engine/unet/side_stream.h"
#endif

namespace ci2v::train {

struct GraphedTrainStep::Impl {
  std::function<torch::Tensor(const StepInputs&)> loss;
  FlatAdamW* opt;
  bool use_graph;
  int warmup;
  int steps = 0;
  int64_t replays = 0;
  std::string fallback;
  bool capture_failed = false;

  double eager(const StepInputs& in, double lr) {
    opt->set_lr(lr);
    auto l = loss(in);
    l.backward();
    const double v = l.item<double>();
    opt->step();
    return v;
  }

#ifdef CI2V_TRAIN_GRAPHS
  StepInputs statics;
  torch::Tensor static_loss;
  std::unique_ptr<at::cuda::CUDAGraph> graph;
  // A graph whose capture failed is kept alive: LibTorch's allocator may still hold a pool filter that names it.
  std::unique_ptr<at::cuda::CUDAGraph> failed_graph;
  // One side stream for every warm-up step and the capture (the allocator caches blocks per stream, and cuBLAS
  // keeps its workspaces per stream: a new stream each time would leave them behind and make them anew).
  std::optional<c10::cuda::CUDAStream> side;

  static constexpr std::pair<torch::Tensor StepInputs::*, const char*> kFields[] = {
      {&StepInputs::sample, "sample"}, {&StepInputs::timesteps, "timesteps"}, {&StepInputs::text, "text"},
      {&StepInputs::first, "first"},   {&StepInputs::strides, "strides"},     {&StepInputs::target, "target"}};

  static std::string describe(const torch::Tensor& t) {
    return shape_str(t.sizes().vec()) + " " + c10::toString(t.scalar_type()) + " on " + t.device().str();
  }
  // The replay's inputs into the static tensors, after checking that each has the captured shape, dtype, device.
  static void copy_in(StepInputs& dst, const StepInputs& src) {
    for (const auto& [field, name] : kFields) {
      const auto &got = src.*field, &want = dst.*field;
      if (got.sizes() != want.sizes() || got.scalar_type() != want.scalar_type() || got.device() != want.device())
        throw Error(std::string("training step from a CUDA graph: input '") + name + "' is " + describe(got) +
                    ", the graph was captured with " + describe(want));
    }
    for (const auto& [field, name] : kFields) (dst.*field).copy_(src.*field);
  }

  // Runs `fn` on the side stream, which first waits for the current one; the current stream waits for it after.
  template <class Fn>
  void on_side_stream(const torch::Device& dev, Fn&& fn) {
    c10::cuda::CUDAGuard device_guard(dev);
    if (!side) side = c10::cuda::getStreamFromPool(false, dev.index());
    unet::SideStreamScope on_side(*side);
    fn();
  }

  double graphed(const StepInputs& in, double lr) {
    const auto dev = in.sample.device();
    if (!graph) {
      {
        torch::NoGradGuard ng;
        statics = StepInputs{in.sample.clone(), in.timesteps.clone(), in.text.clone(), in.first.clone(),
                             in.strides.clone(), in.target.clone()};
      }
      opt->set_lr(lr);
      // as torch.cuda.graph does: the warm-up's work finished and the cached blocks returned before the capture
      // (a capture cannot free cached memory to retry an allocation that fails)
      c10::cuda::device_synchronize();
      c10::cuda::CUDACachingAllocator::emptyCache();
      auto g = std::make_unique<at::cuda::CUDAGraph>();
      try {
        on_side_stream(dev, [&] {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 1)
          // global, the strictest mode: nothing else may touch CUDA during the training step (the clips are
          // rendered and the batch built before it); the autograd engine's device thread launches the backward
          // into the captured stream, which captures it in any mode
          g->capture_begin({0, 0}, cudaStreamCaptureModeGlobal);
#else
          g->capture_begin();
#endif
          try {
            auto l = loss(statics);
            l.backward();
            opt->step();
            static_loss = l.detach();
          } catch (...) {
            try {
              g->capture_end();
            } catch (...) {
            }
            throw;
          }
          g->capture_end();
        });
      } catch (const std::exception& ex) {
        failed_graph = std::move(g);
        capture_failed = true;
        fallback = ex.what();
        if (fallback.empty()) fallback = "(no message)";
        const auto nl = fallback.find('\n');
        if (nl != std::string::npos) fallback.resize(nl);
        std::fprintf(stderr, "consisti2v train: CUDA graph capture of the training step failed, training goes on "
                             "eagerly: %s\n", fallback.c_str());
        opt->zero_grads();
        static_loss = torch::Tensor();
        statics = StepInputs{};
        return eager(in, lr);
      }
      graph = std::move(g);
    } else {
      torch::NoGradGuard ng;
      copy_in(statics, in);
      opt->set_lr(lr);
    }
    graph->replay();  // the capture ran nothing: the first replay is this step
    opt->bump_versions();
    ++replays;
    return static_loss.item<double>();
  }
#endif
};

bool train_graphs_built() {
#ifdef CI2V_TRAIN_GRAPHS
  return true;
#else
  return false;
#endif
}

GraphedTrainStep::GraphedTrainStep(std::function<torch::Tensor(const StepInputs&)> loss, FlatAdamW& opt,
                                   bool use_graph, int eager_warmup_steps)
    : impl_(std::make_unique<Impl>()) {
  impl_->loss = std::move(loss);
  impl_->opt = &opt;
  impl_->use_graph = use_graph;
  impl_->warmup = std::max(1, eager_warmup_steps);
}

GraphedTrainStep::~GraphedTrainStep() = default;

bool GraphedTrainStep::graphed() const {
#ifdef CI2V_TRAIN_GRAPHS
  return impl_->graph != nullptr;
#else
  return false;
#endif
}
bool GraphedTrainStep::captures_next() const {
#ifdef CI2V_TRAIN_GRAPHS
  const auto& I = *impl_;
  return I.use_graph && !I.capture_failed && !I.graph && I.steps + 1 > I.warmup;
#else
  return false;
#endif
}
int64_t GraphedTrainStep::replays() const { return impl_->replays; }
const std::string& GraphedTrainStep::fallback() const { return impl_->fallback; }

double GraphedTrainStep::run(const StepInputs& in, double lr) {
  auto& I = *impl_;
  ++I.steps;
#ifdef CI2V_TRAIN_GRAPHS
  if (I.use_graph && !I.capture_failed && in.sample.is_cuda()) {
    if (I.steps <= I.warmup) {
      double v = 0;
      I.on_side_stream(in.sample.device(), [&] { v = I.eager(in, lr); });
      return v;
    }
    return I.graphed(in, lr);
  }
#endif
  return I.eager(in, lr);
}

}  // namespace ci2v::train
