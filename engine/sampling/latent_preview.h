// Latent-to-RGB approximation for live previews (no VAE call per preview): a per-model affine map
// from the 4 latent channels to RGB, fitted once by least squares against the model's own VAE decoder.
#pragma once
#include <torch/torch.h>

#include <functional>
#include <vector>

#include "engine/pipeline.h"

namespace ci2v::sampling {

class LatentPreviewer {
public:
  LatentPreviewer();  // a generic Stable-Diffusion-like default until fitted

  // `decode`: scaled latents [N, C, h, w] -> images [N, 3, 8h, 8w] in [-1, 1].
  // Fits RGB(8x8 block mean) ≈ A·z + b over random latents. Returns the RMS fit error in [0,1] units.
  double fit(const std::function<torch::Tensor(const torch::Tensor&)>& decode, int64_t latent_channels,
             torch::Device device, torch::ScalarType dtype, uint64_t seed = 1234);

  // latents [F, C, h, w] (scaled, any device/dtype) -> F RGB images of h×w pixels.
  std::vector<RgbImage> to_rgb(const torch::Tensor& latents) const;
  // The same as uint8 [F, h, w, 3] on the latents' device, without a host copy (see PreviewQueue).
  torch::Tensor to_rgb_u8(const torch::Tensor& latents) const;
  // Any [F, C, h, w] tensor to RGB with a per-call min/max normalisation of each channel combination
  // (for noise and frequency bands, whose range is not that of clean latents).
  std::vector<RgbImage> to_rgb_normalized(const torch::Tensor& latents) const;

  const torch::Tensor& matrix() const { return a_; }  // [C, 3]
  const torch::Tensor& bias() const { return b_; }    // [3]

private:
  torch::Tensor a_, b_;
};

// [F, 3, h, w] float in [0, 1] -> RGB images.
std::vector<RgbImage> tensor_to_images(const torch::Tensor& rgb01);
// uint8 [F, h, w, 3] (any device) -> RGB images.
std::vector<RgbImage> u8_to_images(const torch::Tensor& rgb_u8);

}  // namespace ci2v::sampling
