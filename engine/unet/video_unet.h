// The ConsistI2V video UNet (VideoLDMUNet3DConditionModel, model-reference.md §2): built from unet/config.json,
// loaded from the diffusers safetensors (or a torch.save training checkpoint whose keys carry "module."),
// one forward = one denoising step for B videos of T' frames conditioned on their first frame.
#pragma once
#include <torch/torch.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/io/diffusers_folder.h"
#include "engine/io/state_dict.h"
#include "engine/nn/layers.h"
#include "engine/unet/blocks.h"
#include "engine/unet/embeddings.h"
#include "engine/unet/intermediates.h"
#include "engine/unet/unet_config.h"

namespace ci2v::unet {

using torch::Tensor;

class VideoUNetImpl : public torch::nn::Module {
public:
  // Parameters are created uninitialised with the options' dtype/device (torch::kMeta builds the shapes only).
  explicit VideoUNetImpl(const UNetConfig& cfg, const torch::TensorOptions& o = {});

  // sample [B, in, T', h, w] noisy latents; timestep t; encoder_hidden_states [B, L, D] (one per video);
  // first_frame_latents [B, in, 1, h, w]; frame_stride. Returns the prediction [B, out, T', h, w].
  // The first frame is prepended on the frame axis (T = T' + 1 frames run through the network; its output is
  // dropped). Inputs are moved to the model's device and dtype. `capture` records named intermediates.
  Tensor forward(const Tensor& sample, int64_t timestep, const Tensor& encoder_hidden_states,
                 const Tensor& first_frame_latents, int64_t frame_stride, Intermediates* capture = nullptr) const;
  // The same with one timestep and one frame stride per video: timesteps, frame_strides [B] int64 (training
  // batches mix noise levels and strides). Equal values give exactly the scalar forward.
  Tensor forward(const Tensor& sample, const Tensor& timesteps, const Tensor& encoder_hidden_states,
                 const Tensor& first_frame_latents, const Tensor& frame_strides, Intermediates* capture = nullptr) const;

  const UNetConfig& config() const { return cfg_; }
  torch::Device device() const { return conv_in->weight.device(); }
  torch::ScalarType dtype() const { return conv_in->weight.scalar_type(); }
  // Refill every rotary_emb.freqs with its formula (after nn::init_random).
  void reset_rotary_frequencies();
  // Channels-last activations (NHWC) through the convolutions, norms and residual paths, with the convolution
  // weights stored channels-last: no layout transposes around cuDNN's NHWC kernels, no permuting copies into and
  // out of the transformers. Same results; the default on the GPU (channels_last_default).
  // Call it before any CUDA graph of this UNet is captured: it moves the weights' storage.
  void use_channels_last(bool on);
  bool channels_last() const { return channels_last_; }

  nn::Conv2d conv_in{nullptr}, conv_out{nullptr};
  TimestepEmbedding time_embedding{nullptr}, frame_stride_embedding{nullptr};
  torch::nn::ModuleList down_blocks{nullptr}, up_blocks{nullptr};
  std::vector<DownBlock> down_v;
  MidBlock mid_block{nullptr};
  std::vector<UpBlock> up_v;
  nn::GroupNorm conv_norm_out{nullptr};

private:
  UNetConfig cfg_;
  bool channels_last_ = false;
};
TORCH_MODULE(VideoUNet);

// Whether load_video_unet puts a UNet on `device` in channels-last mode (use_channels_last): on CUDA yes, unless
// CONSISTI2V_CHANNELS_LAST=0 (measured on an H200, bf16 from CUDA graphs: 42.2 -> 39.0 ms per step at 256 px,
// 154.1 -> 151.7 at 512; fp32 parity on CUDA passes either way); on the CPU no.
bool channels_last_default(const torch::Device& device);

// Fill `unet` from a state dict: every occurrence of "module." is removed from the keys first (raw training
// checkpoints, model-reference.md §1.8). Throws one ci2v::Error naming every missing, unexpected or mis-shaped key.
// shapes_only: names and shapes are checked, nothing is read (io::LoadOptions::shapes_only).
// `between` (optional): called before each tensor is read; what it throws (a cancel) stops the load.
void load_video_unet_weights(VideoUNetImpl& unet, io::StateDict sd, const std::string& what, bool shapes_only = false,
                             const io::LoadStep& between = {});

// Build from a component's config and load its weight files.
// `between` (optional): also called before the network is allocated; what it throws (a cancel) stops the load.
VideoUNet load_video_unet(const io::Component& c, torch::Device device = torch::kCPU,
                          torch::ScalarType dtype = torch::kFloat32, const io::LoadStep& between = {});
// Build from a config JSON and load weight files (*.safetensors or a torch.save .bin/.pt/.ckpt).
VideoUNet load_video_unet(const nlohmann::json& config, const std::vector<std::string>& weight_files,
                          torch::Device device = torch::kCPU, torch::ScalarType dtype = torch::kFloat32);
// A UNet component folder on its own (config.json + diffusion_pytorch_model.* weights).
io::Component unet_component_from_dir(const std::string& dir);

// Compare the checkpoint's keys and shapes with the architecture its config describes, without reading any
// weights (the network is built on the meta device). Returns a one-line summary or throws naming every problem.
std::string check_video_unet_keys(const UNetConfig& cfg, const io::StateDict& sd, const std::string& what);

}  // namespace ci2v::unet
