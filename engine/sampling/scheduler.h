// Diffusion schedulers: the abstract Scheduler the pipeline drives, DDIM exactly as diffusers 0.21.2
// (scheduling_ddim.py, the reference sampler) and DPM-Solver++ 2M (diffusers 0.21.2
// DPMSolverMultistepScheduler with algorithm_type "dpmsolver++", solver_order 2, solver_type "midpoint",
// lower_order_final) for fewer steps.
//
// Numerics follow diffusers: betas are an fp32 torch.linspace (computed the way the reference's torch 2.x CPU
// kernel rounds, see make_betas), ᾱ = torch.cumprod on the CPU (LibTorch's CPU op
// accumulates a float cumprod in double, like the reference), and every per-step coefficient is a 0-dim fp32
// CPU tensor, so the arithmetic happens in the sample's dtype (fp16 samples give fp16 arithmetic, as in the
// reference demo).
#pragma once
#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/pipeline.h"

namespace ci2v::sampling {

class NoiseSource;

// The scheduler_config.json fields (diffusers names). Defaults are diffusers' DDIMScheduler defaults; the
// reference's inference configuration is `SchedulerConfig::reference()`.
struct SchedulerConfig {
  int64_t num_train_timesteps = 1000;
  double beta_start = 0.0001;
  double beta_end = 0.02;
  std::string beta_schedule = "linear";    // linear | scaled_linear | squaredcos_cap_v2
  std::vector<double> trained_betas;       // non-empty: used instead of beta_schedule
  bool clip_sample = true;
  double clip_sample_range = 1.0;
  bool set_alpha_to_one = true;
  int64_t steps_offset = 0;
  std::string prediction_type = "epsilon";  // epsilon | v_prediction | sample
  bool thresholding = false;
  double dynamic_thresholding_ratio = 0.995;
  double sample_max_value = 1.0;
  std::string timestep_spacing = "leading";  // leading | trailing | linspace
  bool rescale_betas_zero_snr = false;
  // DPM-Solver only (ignored by DDIM).
  bool lower_order_final = true;

  // The configuration of configs/inference/inference.yaml (linear 0.00085 → 0.012, steps_offset 1, leading,
  // no clipping, epsilon, set_alpha_to_one) = the released scheduler_config.json.
  static SchedulerConfig reference();
  // Fields absent from `j` keep the defaults above; keys starting with '_' and keys of other schedulers are
  // ignored (as diffusers' from_config does). A wrong type or value throws naming `what` and the field.
  static SchedulerConfig from_json(const nlohmann::json& j, const std::string& what = "scheduler config");
  nlohmann::json to_json() const;
  void validate(const std::string& what = "scheduler config") const;
};

// fp32 betas [num_train_timesteps] of a configuration (schedule, zero-SNR rescale).
torch::Tensor make_betas(const SchedulerConfig& config);

struct StepOutput {
  torch::Tensor prev_sample;           // x_{t_prev}, same shape/dtype as the sample
  torch::Tensor pred_original_sample;  // the x0 prediction of this step (for previews)
};

class Scheduler {
public:
  explicit Scheduler(const SchedulerConfig& config);
  virtual ~Scheduler() = default;
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  virtual std::string name() const = 0;
  // Choose `num_inference_steps` timesteps (and reset any multistep state). Throws for n < 1 or
  // n > num_train_timesteps.
  virtual void set_timesteps(int64_t num_inference_steps) = 0;
  // One denoising step from timestep t (one of timesteps()). model_output and sample share shape/dtype/device.
  virtual StepOutput step(const torch::Tensor& model_output, int64_t t, const torch::Tensor& sample) = 0;
  // Network calls per step (1 for both schedulers here).
  virtual int order() const { return 1; }

  const std::vector<int64_t>& timesteps() const { return timesteps_; }
  torch::Tensor timesteps_tensor() const;  // int64 [n] on the CPU
  int64_t num_inference_steps() const { return static_cast<int64_t>(timesteps_.size()); }

  // √ᾱ_t·x0 + √(1−ᾱ_t)·noise with one timestep per batch row (int64 tensor [B] or 0-dim), broadcast over
  // the other dims; ᾱ is cast to x0's dtype first (diffusers' add_noise).
  torch::Tensor add_noise(const torch::Tensor& x0, const torch::Tensor& noise, const torch::Tensor& timesteps) const;
  // Same timestep t for every batch row.
  torch::Tensor add_noise(const torch::Tensor& x0, const torch::Tensor& noise, int64_t t) const;

  // Model input scaling (identity for DDIM and DPM-Solver).
  torch::Tensor scale_model_input(const torch::Tensor& sample, int64_t /*t*/) const { return sample; }
  double init_noise_sigma() const { return 1.0; }

  const SchedulerConfig& config() const { return config_; }
  const torch::Tensor& betas() const { return betas_; }                    // fp32 [T_train], CPU
  const torch::Tensor& alphas_cumprod() const { return alphas_cumprod_; }  // fp32 [T_train], CPU

protected:
  void check_timestep(int64_t t, const char* what) const;
  void check_step_inputs(const torch::Tensor& model_output, const torch::Tensor& sample) const;
  // The x0 prediction clipped/thresholded per the config (diffusers' _threshold_sample, per batch row).
  torch::Tensor clip_or_threshold(const torch::Tensor& x0) const;

  SchedulerConfig config_;
  torch::Tensor betas_, alphas_, alphas_cumprod_;
  std::vector<int64_t> timesteps_;
};

// Timestep selection exactly as numpy does it in diffusers 0.21.2 (exposed for tests).
// DDIM: `leading` (k·(T//n) reversed + offset), `trailing` (round(arange(T, 0, −T/n)) − 1), `linspace`
// (round(linspace(0, T−1, n)) reversed).
std::vector<int64_t> ddim_timesteps(const SchedulerConfig& config, int64_t num_inference_steps);
// DPM-Solver: the same three spacings over n+1 points with the last dropped, duplicates removed.
std::vector<int64_t> dpm_solver_timesteps(const SchedulerConfig& config, int64_t num_inference_steps);

class DdimScheduler : public Scheduler {
public:
  explicit DdimScheduler(const SchedulerConfig& config = SchedulerConfig::reference());
  std::string name() const override { return "ddim"; }
  void set_timesteps(int64_t num_inference_steps) override;
  StepOutput step(const torch::Tensor& model_output, int64_t t, const torch::Tensor& sample) override;

  // η of DDIM (0 = deterministic, the reference). With η > 0 each step adds σ_t·z, z drawn from the noise
  // source (the reference draws it from the global generator); a step with η > 0 and no source throws.
  void set_eta(double eta);
  double eta() const { return eta_; }
  void set_noise_source(NoiseSource* source) { noise_ = source; }  // not owned
  // Step with an explicit variance noise z (used instead of the noise source when η > 0).
  StepOutput step_with_noise(const torch::Tensor& model_output, int64_t t, const torch::Tensor& sample,
                             const torch::Tensor& variance_noise);

  // t − T_train // n (may be negative: then ᾱ_prev = final_alpha_cumprod).
  int64_t prev_timestep(int64_t t) const;
  const torch::Tensor& final_alpha_cumprod() const { return final_alpha_cumprod_; }  // 0-dim fp32

private:
  torch::Tensor final_alpha_cumprod_;
  double eta_ = 0.0;
  NoiseSource* noise_ = nullptr;
};

// DPM-Solver++(2M): multistep, deterministic. Keeps the previous x0 prediction between steps; call
// set_timesteps before every new trajectory. The last step of a schedule goes to t = 0 (ᾱ_0, not 1), first
// order when lower_order_final and fewer than 15 steps, as in diffusers 0.21.2.
class DpmSolverPP2MScheduler : public Scheduler {
public:
  explicit DpmSolverPP2MScheduler(const SchedulerConfig& config = SchedulerConfig::reference());
  std::string name() const override { return "dpmsolver++2m"; }
  void set_timesteps(int64_t num_inference_steps) override;
  StepOutput step(const torch::Tensor& model_output, int64_t t, const torch::Tensor& sample) override;

  const torch::Tensor& alpha_t() const { return alpha_t_; }    // √ᾱ, fp32
  const torch::Tensor& sigma_t() const { return sigma_t_; }    // √(1−ᾱ), fp32
  const torch::Tensor& lambda_t() const { return lambda_t_; }  // log α − log σ, fp32

private:
  torch::Tensor convert_model_output(const torch::Tensor& model_output, int64_t t, const torch::Tensor& sample) const;

  torch::Tensor alpha_t_, sigma_t_, lambda_t_;
  torch::Tensor prev_x0_;  // x0 prediction of the previous step (undefined before the first)
  int64_t lower_order_nums_ = 0;
};

// The scheduler for a sampler choice.
std::unique_ptr<Scheduler> make_scheduler(SamplerType type, const SchedulerConfig& config);

}  // namespace ci2v::sampling
