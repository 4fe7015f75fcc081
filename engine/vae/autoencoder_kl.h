// AutoencoderKL (diffusers 0.21.2), inference only: the SD VAE that maps images in [-1, 1] to 4-channel latents
// and back (model-reference §4).
//
// Module tree (mirrors the checkpoint keys): encoder (vae_encoder.h), decoder (vae_decoder.h),
// quant_conv (1x1, 2*latent -> 2*latent), post_quant_conv (1x1, latent -> latent).
//
//   encode_moments(x)  encoder -> quant_conv -> posterior {mean, logvar clamped to [-30, 20], std = exp(logvar/2)}
//   encode(x, eps)     (mean + std * eps) * scaling_factor     — the pipeline's first-frame latent; eps ~ N(0, 1) is
//                      an input so that every random draw comes from the caller
//   decode_unscaled(z) post_quant_conv -> decoder              — diffusers `vae.decode(z).sample`, image in ~[-1, 1]
//   decode(z_scaled)   decode_unscaled(z_scaled * (1/scaling_factor)), the reciprocal formed first as the reference
//   decode_video(l)    [B, latent, F, h, w] -> [B, out, F, H, W] float32 in [0, 1] = clamp(x/2 + 0.5, 0, 1)
// The decoders run `batch` images at a time (default 1 = the reference's frame-by-frame loop; bounds memory).
// Inputs are moved to the module's device and dtype; outputs are in the module's dtype (decode_video: float32).
#pragma once
#include <torch/torch.h>

#include <string>

#include "engine/io/diffusers_folder.h"
#include "engine/io/state_dict.h"
#include "engine/nn/layers.h"
#include "engine/vae/vae_config.h"
#include "engine/vae/vae_decoder.h"
#include "engine/vae/vae_encoder.h"

namespace ci2v::vae {

// DiagonalGaussianDistribution of the latent.
struct Posterior {
  Tensor mean;    // [N, latent, h, w]
  Tensor logvar;  // [N, latent, h, w], clamped to [-30, 20]
  Tensor stddev;  // exp(0.5 * logvar)
  // mean + stddev * eps; eps must have the mean's shape. Not scaled.
  Tensor sample(const Tensor& eps) const;
};

class AutoencoderKLImpl : public torch::nn::Module {
public:
  // Parameters are created uninitialised with options `o` (torch::kMeta counts parameters without memory).
  explicit AutoencoderKLImpl(const VaeConfig& c, const torch::TensorOptions& o = {});

  Posterior encode_moments(const Tensor& x, const std::function<void()>& between = {});  // x: [N, in, H, W] in [-1, 1]
  Tensor encode(const Tensor& x, const Tensor& eps);            // -> [N, latent, h, w] scaled by scaling_factor
  Tensor decode_unscaled(const Tensor& z, int64_t batch = 1);   // [N, latent, h, w] -> [N, out, H, W]
  Tensor decode(const Tensor& z_scaled, int64_t batch = 1);     // [N, latent, h, w] -> [N, out, H, W]
  Tensor decode_video(const Tensor& latents, int64_t batch = 1);  // [B, latent, F, h, w] -> [B, out, F, H, W]

  const VaeConfig& config() const { return config_; }
  torch::Device device() const { return quant_conv->weight.device(); }
  torch::ScalarType dtype() const { return quant_conv->weight.scalar_type(); }

  VaeEncoder encoder{nullptr};
  VaeDecoder decoder{nullptr};
  nn::Conv2d quant_conv{nullptr}, post_quant_conv{nullptr};

private:
  VaeConfig config_;
};
TORCH_MODULE(AutoencoderKL);

// Fill `model` from `sd`. The deprecated mid-block attention names (query/key/value/proj_attn, also as 1x1 conv
// weights [C, C, 1, 1]) are accepted and renamed to to_q/to_k/to_v/to_out.0. Throws one ci2v::Error listing every
// missing / unexpected / mis-shaped key, with `what` naming the source.
// `between` (optional): called before each tensor is read; what it throws (a cancel) stops the load.
void load_vae_weights(AutoencoderKLImpl& model, const io::StateDict& sd, const std::string& what, bool shapes_only = false,
                      const io::LoadStep& between = {});

// Build from the component's config.json, load its weights, place on device in dtype (fp32/fp16/bf16), eval mode.
// `between` (optional): also called before the network is allocated; what it throws (a cancel) stops the load.
AutoencoderKL load_autoencoder_kl(const io::Component& c, torch::Device device = torch::kCPU,
                                  torch::ScalarType dtype = torch::kFloat32,
                                  const io::LoadStep& between = {});
// The same for a bare component folder (config.json + diffusion_pytorch_model.safetensors / .bin).
AutoencoderKL load_autoencoder_kl(const std::string& dir, torch::Device device = torch::kCPU,
                                  torch::ScalarType dtype = torch::kFloat32);

}  // namespace ci2v::vae
