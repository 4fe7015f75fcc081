// One UNet training step (forward, loss, backward, FlatAdamW update), eager or replayed from a CUDA graph.
//
// The demo UNet is so small that a training step on a GPU is bound by the host's ~80,000 ATen calls of the
// forward and backward, not by the GPU (H100: 0.20 s per step of 32 clips). Captured once in a CUDA graph, the
// whole step (forward, backward, gradient gathering, clipping, AdamW) is one launch: the inputs are copied into
// static tensors, the learning rate into the optimiser's device scalar, and the graph replays. The first steps
// run eagerly on a side stream (cuBLAS/cuDNN handles, allocator blocks), then the step is captured and replayed
// from then on; a capture that fails is reported once and the steps go on eagerly. CPU builds, CPU tensors and
// use_graph false run eagerly.
#pragma once
#include <torch/torch.h>

#include <functional>
#include <memory>
#include <string>

#include "engine/train/flat_adamw.h"

namespace ci2v::train {

// Whether the CUDA graph path is compiled in (a CUDA LibTorch, CONSISTI2V_TRAIN_GRAPHS on).
bool train_graphs_built();

struct StepInputs {
  torch::Tensor sample, timesteps, text, first, strides, target;
};

class GraphedTrainStep {
public:
  // loss(inputs): the step's loss (a 0-dim tensor on the autograd graph of the optimiser's parameters).
  GraphedTrainStep(std::function<torch::Tensor(const StepInputs&)> loss, FlatAdamW& opt, bool use_graph,
                   int eager_warmup_steps = 3);
  ~GraphedTrainStep();
  GraphedTrainStep(const GraphedTrainStep&) = delete;
  GraphedTrainStep& operator=(const GraphedTrainStep&) = delete;

  // One optimiser step on these inputs (same shapes every call when graphed) at learning rate lr; the loss.
  double run(const StepInputs& in, double lr);

  // The next run() on CUDA inputs captures the graph: no other thread may use CUDA until it returns (the
  // capture runs in the global mode).
  bool captures_next() const;
  bool graphed() const;                 // a graph was captured and is replayed
  int64_t replays() const;
  const std::string& fallback() const;  // why the steps run eagerly after a failed capture (empty: none failed)

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ci2v::train
