// The video UNet's forward replayed from CUDA graphs: one graph per input shape (size, frames, CFG batch),
// captured on first use, so that a denoising step costs one graph launch instead of thousands of kernel launches
// (issue #9: at 256² the eager step is launch-bound). Inputs are copied into the graph's static tensors, the
// timestep and frame stride are written on the device, and the output is copied out (the next replay overwrites
// the graph's own). Where a capture fails (an operation that cannot be captured, an older driver), the runner says
// why once (fallback_reason) and runs eagerly from then on. CPU models, and builds without a CUDA LibTorch, run
// eagerly. Inference only: the UNet's parameters must not require gradients.
#pragma once
#include <torch/torch.h>

#include <memory>
#include <string>

#include "engine/unet/video_unet.h"

namespace ci2v::unet {

class GraphedUNet {
public:
  explicit GraphedUNet(VideoUNet unet, int max_graphs = 4);
  ~GraphedUNet();
  GraphedUNet(const GraphedUNet&) = delete;
  GraphedUNet& operator=(const GraphedUNet&) = delete;

  // As unet->forward(sample, timestep, encoder_hidden_states, first_frame_latents, frame_stride).
  torch::Tensor forward(const torch::Tensor& sample, int64_t timestep, const torch::Tensor& encoder_hidden_states,
                        const torch::Tensor& first_frame_latents, int64_t frame_stride);

  int graphs_captured() const;        // captures so far (a new shape captures once)
  int64_t replays() const;            // forward calls served by a graph
  const std::string& fallback_reason() const;  // empty while graphs work

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True in builds with a CUDA LibTorch (graphs possible when a GPU is present).
bool cuda_graphs_built();

}  // namespace ci2v::unet
