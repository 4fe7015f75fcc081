#include "engine/sampling/guidance.h"

#include <cmath>
#include <numeric>
#include <vector>

#include "engine/error.h"

namespace ci2v::sampling {

const char* to_string(CfgMode m) {
  switch (m) {
    case CfgMode::None: return "none";
    case CfgMode::Text: return "text";
    case CfgMode::Both: return "both";
  }
  return "?";
}

CfgMode cfg_mode(double s_txt, double s_img) {
  if (s_img > 1.0) return CfgMode::Both;
  if (s_txt > 1.0) return CfgMode::Text;
  return CfgMode::None;
}

int64_t cfg_branches(CfgMode m) {
  switch (m) {
    case CfgMode::None: return 1;
    case CfgMode::Text: return 2;
    case CfgMode::Both: return 3;
  }
  return 1;
}

torch::Tensor guide_text(const torch::Tensor& eps_uncond, const torch::Tensor& eps_text, double s_txt) {
  return eps_uncond + s_txt * (eps_text - eps_uncond);
}

torch::Tensor guide_both(const torch::Tensor& eps_uncond, const torch::Tensor& eps_img, const torch::Tensor& eps_both,
                         double s_img, double s_txt) {
  return (eps_uncond + s_img * (eps_img - eps_uncond)) + s_txt * (eps_both - eps_img);
}

torch::Tensor rescale_guidance(const torch::Tensor& eps_cfg, const torch::Tensor& eps_text, double g) {
  if (!std::isfinite(g) || g < 0) throw Error("guidance_rescale must be a finite number >= 0, got " + std::to_string(g));
  if (g == 0) return eps_cfg;
  if (eps_cfg.sizes() != eps_text.sizes() || eps_cfg.dim() < 2)
    throw Error("guidance_rescale: shapes " + shape_str(eps_cfg.sizes().vec()) + " and " +
                shape_str(eps_text.sizes().vec()) + " must be equal with a batch dim and at least one more");
  std::vector<int64_t> dims(static_cast<size_t>(eps_text.dim() - 1));
  std::iota(dims.begin(), dims.end(), 1);
  const torch::Tensor std_text = eps_text.std(dims, /*unbiased=*/true, /*keepdim=*/true);  // [B, 1, ...]
  const torch::Tensor std_cfg = eps_cfg.std(dims, /*unbiased=*/true, /*keepdim=*/true);
  const torch::Tensor rescaled = eps_cfg * (std_text / std_cfg);
  return g * rescaled + (1 - g) * eps_cfg;
}

torch::Tensor combine_guidance(const torch::Tensor& noise_pred, CfgMode mode, double s_txt, double s_img,
                               double guidance_rescale) {
  const int64_t k = cfg_branches(mode);
  if (!noise_pred.defined() || noise_pred.dim() < 1 || noise_pred.size(0) % k != 0)
    throw Error(std::string("CFG (") + to_string(mode) + "): the UNet batch must be a multiple of " + std::to_string(k) +
                ", got shape " + (noise_pred.defined() ? shape_str(noise_pred.sizes().vec()) : std::string("undefined")));
  if (mode == CfgMode::None) return noise_pred;
  const auto parts = noise_pred.chunk(k, 0);
  if (mode == CfgMode::Text) {
    torch::Tensor eps = guide_text(parts[0], parts[1], s_txt);
    return guidance_rescale > 0 ? rescale_guidance(eps, parts[1], guidance_rescale) : eps;
  }
  torch::Tensor eps = guide_both(parts[0], parts[1], parts[2], s_img, s_txt);
  return guidance_rescale > 0 ? rescale_guidance(eps, parts[2], guidance_rescale) : eps;
}

}  // namespace ci2v::sampling
