#include "engine/sampling/latent_preview.h"

#include "engine/error.h"

namespace ci2v::sampling {

LatentPreviewer::LatentPreviewer() {
  // Rough default for SD-style latents (scaled by 0.18215): brightness from channel 0, colour from 1-3.
  a_ = torch::tensor({0.30f, 0.20f, 0.20f, 0.19f, 0.29f, 0.17f, -0.16f, 0.19f, 0.26f, -0.18f, -0.27f, -0.47f})
           .reshape({4, 3});
  b_ = torch::zeros({3});
}

double LatentPreviewer::fit(const std::function<torch::Tensor(const torch::Tensor&)>& decode, int64_t channels,
                            torch::Device device, torch::ScalarType dtype, uint64_t seed) {
  torch::NoGradGuard ng;
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  // A few smooth random latents: N(0,1) noise is not what clean latents look like, so blur it a little.
  auto z = at::empty({4, channels, 12, 12}, torch::kFloat).normal_(0.0, 1.0, gen);  // [N, C, h, w]
  z = at::avg_pool2d(at::replication_pad2d(z, {1, 1, 1, 1}), {3, 3}, {1, 1}) * 2.0;
  auto img = decode(z.to(device, dtype)).to(torch::kCPU, torch::kFloat);  // [N, 3, 8h, 8w]
  if (img.dim() != 4 || img.size(1) != 3)
    throw Error("latent preview fit: the decoder returned an unexpected shape");
  const int64_t f = img.size(2) / z.size(2);
  auto target = at::avg_pool2d((img.clamp(-1, 1) + 1) * 0.5, {f, f});        // [N, 3, h, w] in [0, 1]
  auto x = z.permute({0, 2, 3, 1}).reshape({-1, channels});                   // [P, C]
  auto y = target.permute({0, 2, 3, 1}).reshape({-1, 3});                     // [P, 3]
  auto xa = at::cat({x, at::ones({x.size(0), 1})}, 1);                        // [P, C+1]
  // Normal equations with a small ridge term: (XᵀX + λI)⁻¹ Xᵀ Y.
  auto xtx = at::matmul(xa.t(), xa) + 1e-3 * at::eye(channels + 1);
  auto sol = at::matmul(at::inverse(xtx), at::matmul(xa.t(), y));            // [C+1, 3]
  a_ = sol.slice(0, 0, channels).contiguous();
  b_ = sol[channels].contiguous();
  auto pred = at::matmul(xa, sol);
  return (pred - y).pow(2).mean().sqrt().item<double>();
}

namespace {
// [F, 3, h, w] float in [0, 1] -> uint8 [F, h, w, 3] on the same device
torch::Tensor quantise(const torch::Tensor& rgb01) {
  return (rgb01.clamp(0, 1) * 255.0 + 0.5).to(torch::kUInt8).permute({0, 2, 3, 1}).contiguous();
}
}  // namespace

std::vector<RgbImage> tensor_to_images(const torch::Tensor& rgb01) {
  return u8_to_images(quantise(rgb01.detach().to(torch::kCPU, torch::kFloat)));
}

std::vector<RgbImage> u8_to_images(const torch::Tensor& rgb_u8) {
  if (rgb_u8.dim() != 4 || rgb_u8.size(3) != 3 || rgb_u8.scalar_type() != torch::kUInt8)
    throw Error("latent preview: expected uint8 images [F, h, w, 3]");
  auto t = rgb_u8.to(torch::kCPU).contiguous();
  std::vector<RgbImage> out;
  const int64_t n = t.size(0), h = t.size(1), w = t.size(2);
  const uint8_t* p = t.data_ptr<uint8_t>();
  for (int64_t i = 0; i < n; ++i) {
    RgbImage im;
    im.width = static_cast<int>(w);
    im.height = static_cast<int>(h);
    im.rgb.assign(p + i * h * w * 3, p + (i + 1) * h * w * 3);
    out.push_back(std::move(im));
  }
  return out;
}

std::vector<RgbImage> LatentPreviewer::to_rgb(const torch::Tensor& latents) const {
  return u8_to_images(to_rgb_u8(latents));
}

torch::Tensor LatentPreviewer::to_rgb_u8(const torch::Tensor& latents) const {
  torch::NoGradGuard ng;
  auto z = latents.detach().to(torch::kFloat);                                 // [F, C, h, w], on its device
  if (z.dim() != 4 || z.size(1) != a_.size(0)) throw Error("latent preview: channel count does not match the fitted map");
  auto a = a_.to(z.device()), b = b_.to(z.device());
  auto rgb = at::einsum("fchw,cr->frhw", {z, a}) + b.view({1, 3, 1, 1});       // [F, 3, h, w]
  return quantise(rgb);                                                        // [F, h, w, 3] uint8
}

std::vector<RgbImage> LatentPreviewer::to_rgb_normalized(const torch::Tensor& latents) const {
  torch::NoGradGuard ng;
  auto z = latents.detach().to(torch::kCPU, torch::kFloat);
  if (z.size(1) != a_.size(0)) throw Error("latent preview: channel count does not match the fitted map");
  auto rgb = at::einsum("fchw,cr->frhw", {z, a_});                            // [F, 3, h, w]
  // One normalisation over the whole clip so frames stay comparable.
  auto lo = rgb.amin({0, 2, 3}, true), hi = rgb.amax({0, 2, 3}, true);
  return tensor_to_images((rgb - lo) / (hi - lo + 1e-8));
}

}  // namespace ci2v::sampling
