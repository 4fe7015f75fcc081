// Classifier-free guidance of the reference pipeline (§6.4): the batch layout per mode and the combination of
// the branch predictions, plus guidance_rescale (arXiv 2305.08891 §3.4).
#pragma once
#include <torch/torch.h>

#include <cstdint>

namespace ci2v::sampling {

// none: one branch [cond text + clean first frame];
// text: [uncond text, cond text] (both with the clean first frame);
// both: [uncond text + noisy first frame, uncond text + clean first frame, cond text + clean first frame].
enum class CfgMode { None, Text, Both };

const char* to_string(CfgMode m);
// none if s_txt <= 1 and s_img <= 1; text if s_txt > 1 and s_img <= 1; both whenever s_img > 1.
CfgMode cfg_mode(double guidance_scale_txt, double guidance_scale_img);
// Branches per user batch item: 1, 2 or 3.
int64_t cfg_branches(CfgMode m);

// text: ε = ε_u + s_txt·(ε_c − ε_u)
torch::Tensor guide_text(const torch::Tensor& eps_uncond, const torch::Tensor& eps_text, double s_txt);
// both: ε = ε_u + s_img·(ε_img − ε_u) + s_txt·(ε_both − ε_img), evaluated left to right
torch::Tensor guide_both(const torch::Tensor& eps_uncond, const torch::Tensor& eps_img, const torch::Tensor& eps_both,
                         double s_img, double s_txt);
// ε_cfg·(1 − g) + g·ε_cfg·σ(ε_text)/σ(ε_cfg), σ = unbiased std over all non-batch dims per batch row
// (the reference computes g·rescaled + (1 − g)·ε_cfg). g = 0 returns ε_cfg unchanged.
torch::Tensor rescale_guidance(const torch::Tensor& eps_cfg, const torch::Tensor& eps_text, double guidance_rescale);

// The UNet output of a CFG batch ([branches·B, ...] in the mode's branch order, chunked on dim 0) combined
// into ε [B, ...] (cast the UNet output to the latents dtype before, as the reference). guidance_rescale > 0 is applied in text mode with ε_text = the cond branch; in both mode with the
// fully conditioned branch ε_both (the reference crashes there).
torch::Tensor combine_guidance(const torch::Tensor& noise_pred, CfgMode mode, double s_txt, double s_img,
                               double guidance_rescale = 0.0);

}  // namespace ci2v::sampling
