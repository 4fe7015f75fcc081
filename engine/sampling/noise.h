// Random numbers of one generation and the PYoCo initial noise (reference: prepare_latents, §6.5).
//
// Every Gaussian draw of the pipeline (VAE posterior ε, PYoCo draws, DDIM η noise) goes through one
// NoiseSource in call order, so a run is reproducible from a seed, and a parity run can inject the exact
// draws of the reference (input.randn_k of the fixtures) instead.
#pragma once
#include <torch/torch.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "engine/pipeline.h"

namespace ci2v::sampling {

class NoiseSource {
public:
  virtual ~NoiseSource() = default;
  // The next standard-normal tensor of `shape`, returned with `options` (dtype, device). `what` names the
  // call site in error messages (e.g. "pyoco shared noise").
  virtual torch::Tensor randn(at::IntArrayRef shape, const torch::TensorOptions& options,
                              const std::string& what = "") = 0;
  // Number of draws made so far.
  virtual int64_t draws() const = 0;
};

// Draws from a private torch generator seeded with `seed` on `device` (a clone of the device's default
// generator type: CPU mt19937, CUDA Philox). Same seed, device, shapes, dtypes and order → the same tensors.
// With a CUDA device this reproduces the reference, which seeds the global CUDA generator and draws from it.
// Tensors are drawn on the generator's device in the requested dtype and then moved to options.device().
class SeededNoise : public NoiseSource {
public:
  explicit SeededNoise(uint64_t seed, torch::Device device = torch::kCPU);
  torch::Tensor randn(at::IntArrayRef shape, const torch::TensorOptions& options,
                      const std::string& what = "") override;
  int64_t draws() const override { return draws_; }
  uint64_t seed() const { return seed_; }
  torch::Device device() const { return device_; }

private:
  at::Generator gen_;
  uint64_t seed_;
  torch::Device device_;
  int64_t draws_ = 0;
};

// Pops given tensors in order (the reference's torch.randn draws). A draw whose shape differs from the next
// queued tensor, or a draw past the end of the queue, throws ci2v::Error naming the draw index, the call
// site, the expected shape and the given one.
class InjectedNoise : public NoiseSource {
public:
  explicit InjectedNoise(std::vector<torch::Tensor> draws, std::string origin = "injected noise");
  torch::Tensor randn(at::IntArrayRef shape, const torch::TensorOptions& options,
                      const std::string& what = "") override;
  int64_t draws() const override { return draws_; }
  size_t remaining() const { return queue_.size(); }

private:
  std::deque<torch::Tensor> queue_;
  std::string origin_;
  int64_t draws_ = 0;
};

// PYoCo scale factors for noise_alpha α: shared = √(α²/(1+α²)), independent = √(1/(1+α²)) (in double).
double pyoco_shared_scale(double noise_alpha);
double pyoco_independent_scale(double noise_alpha);

// The initial latents of shape [B, C, T, h, w] (prepare_latents with one generator, batch B):
//  vanilla:     one draw of [B,C,T,h,w];
//  pyoco_mixed: draw E_sh [B,C,1,h,w], then E_ind [B,C,T,h,w]; E_sh·shared + E_ind·independent;
//  pyoco_progressive: draw N then E_ind (both [B,C,T,h,w]), E_ind·independent; frame f (f ≥ 1, in order)
//                     = frame f−1 · shared + frame f of E_ind.
// The result is multiplied by `init_noise_sigma` (1 for DDIM and DPM-Solver).
torch::Tensor initial_noise(NoiseSource& source, NoiseMethod method, double noise_alpha,
                            at::IntArrayRef shape_bcthw, const torch::TensorOptions& options,
                            double init_noise_sigma = 1.0);

}  // namespace ci2v::sampling
