// One clip's FrameInit training input (TrainOptions::frameinit_share, engine/train/trainer.h). Apart from
// trainer.h, which stays free of LibTorch headers for the CLI.
#pragma once
#include <torch/types.h>

namespace ci2v::train {

// One clip's FrameInit training input (TrainOptions::frameinit_share): z, eps [1, C, F, h, w] (same shape);
// abar_t, abar_tau: ᾱ at the training step t and at FrameInit's τ; d0: the Gaussian filter's spatial and temporal
// cut-off. x = freq_mix_3d(√ᾱ_τ z + √(1−ᾱ_τ) eps, eps, LPF) and target = (x − √ᾱ_t z) / √(1−ᾱ_t), so that
// √ᾱ_t z + √(1−ᾱ_t) target = x: an ε-prediction target whose x_0 is the clip.
struct FrameInitInput {
  torch::Tensor x, target;
};
FrameInitInput frameinit_training_input(const torch::Tensor& z, const torch::Tensor& eps, double abar_t, double abar_tau,
                                        double d0);

}  // namespace ci2v::train
