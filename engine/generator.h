// The ConsistI2V sampling procedure (model-reference.md §3, §6, §7, §8) over loaded networks.
// Internal (LibTorch) API: the public entry is ci2v::Pipeline in engine/pipeline.h.
#pragma once
#include <torch/torch.h>

#include <map>
#include <memory>
#include <string>

#include "engine/error.h"
#include "engine/pipeline.h"
#include "engine/sampling/camera.h"
#include "engine/sampling/frameinit.h"
#include "engine/sampling/latent_preview.h"
#include "engine/sampling/noise.h"
#include "engine/sampling/scheduler.h"
#include "engine/text/clip_text_model.h"
#include "engine/text/clip_tokenizer.h"
#include "engine/unet/video_unet.h"
#include "engine/vae/autoencoder_kl.h"

namespace ci2v {

// Thrown when a CancelToken stops a run (the engine stays usable).
class Cancelled : public Error {
public:
  Cancelled() : Error("generation cancelled") {}
};

// Every network and config of one model folder, on one device and dtype.
namespace unet {
class GraphedUNet;
}

struct Models {
  std::string root;
  torch::Device device{torch::kCPU};
  torch::ScalarType dtype = torch::kFloat32;
  text::ClipTokenizer tokenizer;
  text::ClipTextModel text_encoder{nullptr};
  vae::AutoencoderKL vae{nullptr};
  unet::VideoUNet unet{nullptr};
  sampling::SchedulerConfig scheduler;
  sampling::LatentPreviewer previewer;
  bool previewer_fitted = false;
  // The VAE posterior of the last layout video previewed (FrameInit preview: one encode per layout change).
  struct LayoutCache {
    std::string key;
    torch::Tensor mean, stddev;  // [N, 4, h, w]
    int64_t encodes = 0;
  } layout_cache;
  // Replay the UNet from CUDA graphs (engine/unet/graphed_unet.h) on a CUDA device; also switched on by the
  // environment variable CONSISTI2V_CUDA_GRAPHS=1. Off by default until measured on a GPU (issue #9).
  bool cuda_graphs = false;
  std::shared_ptr<unet::GraphedUNet> graphed;  // created on first use
};

torch::Device resolve_device(const std::string& device);       // auto | cpu | cuda
torch::ScalarType resolve_dtype(const std::string& dtype);      // fp32 | fp16 | bf16
// `cancel` (optional): checked before each network is allocated and before each tensor is read; a cancel throws
// Cancelled and frees what was loaded (the released UNet is 5 GB: a load can take a minute from a slow disk).
// `progress` (optional): called at the same points (see Pipeline::load).
std::shared_ptr<Models> load_models(const std::string& model_dir, const std::string& device = "auto",
                                    const std::string& dtype = "fp32", const CancelToken* cancel = nullptr,
                                    const LoadProgress& progress = {});

// Named tensors recorded during a run (parity checks): "text_embeddings", "frameinit_z_T",
// "step0.unet_out", "chunk1.step0.latents_in", ... (names of the parity fixtures).
struct Capture {
  std::map<std::string, torch::Tensor> tensors;
  void put(const std::string& name, const torch::Tensor& t) { tensors[name] = t.detach().to(torch::kCPU); }
};

// Overrides for a parity run: pre-tokenised prompts and the reference's random draws.
struct RunOverrides {
  torch::Tensor prompt_ids, negative_ids;  // [1, 77] int64 (undefined: tokenise the text)
  sampling::NoiseSource* noise = nullptr;  // not owned; null: a seeded generator from params.seed
  Capture* capture = nullptr;
  // false: the VAE decodes a few frames at a time straight into the 8-bit result frames and RunOutput::video
  // stays undefined, so the memory peak is one group's float frames instead of the whole video's several float
  // copies (a long chained video), and a cancel is seen between groups. The frames are the same either way.
  // Pipeline::generate decodes so; parity and the benchmarks keep the float video. With a capture it is kept.
  bool keep_video = true;
  // true: the first frame is fitted exactly as the reference's Resize(height) + CenterCrop, which puts black bars
  // beside a picture narrower than a wide output; false: such a picture is enlarged to cover the output
  // (preprocess_first_frame). Parity runs set it.
  bool reference_crop = false;
};

struct RunOutput {
  GenerationResult result;
  torch::Tensor final_latents;  // [1, 4, F, h, w] (first frame included)
  torch::Tensor video;          // [1, 3, F, H, W] in [0, 1], fp32
};

// Validates the parameters, then runs text encoding, first-frame encoding, PYoCo noise, FrameInit,
// the denoising loop with classifier-free guidance and the VAE decode, chunk after chunk.
RunOutput generate(Models& m, const GenerationParams& params, const RgbImage& first_frame, Observer* observer,
                   const CancelToken* cancel, const RunOverrides& overrides = {});

// FrameInit's frequency split for `params` without running the UNet: the same random draws and the same
// operations as generate() (so the images equal what its observer reports), with the VAE encoding of the
// layout video cached across calls until the image, camera, size or frame count change.
// `cancel` (optional): checked between the VAE encoder's blocks and before the split; a cancel throws Cancelled.
FrameInitPreview preview_frameinit(Models& m, const GenerationParams& params, const RgbImage& first_frame,
                                   const CancelToken* cancel = nullptr);

// What the parameters ask of the model's scheduler (distinct timesteps inside [0, num_train_timesteps) for `steps`,
// FrameInit's τ below it): throws ci2v::Error naming the parameter and the scheduler. generate and
// preview_frameinit check it first; a command line can check it before the model is loaded.
void check_against_scheduler(const sampling::SchedulerConfig& scheduler, const GenerationParams& params);

// The layout video that guides FrameInit, in pixels: [N, 3, height, width] in [-1, 1] (N = frames; a camera move
// over chunks: chunks * (frames - 1) + 1, the whole video's crops).
// Static first frame (repeated) or the camera crops. Also used by the dry-run preview.
torch::Tensor layout_video_pixels(const GenerationParams& params, const RgbImage& first_frame);

}  // namespace ci2v
