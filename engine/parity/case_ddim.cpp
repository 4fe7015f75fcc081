// Parity: DDIMScheduler of diffusers 0.21.2 with the case's scheduler_config (betas, ᾱ, timesteps per step
// count, step() and add_noise calls as listed in params.calls).
#include <string>

#include "engine/error.h"
#include "engine/parity/parity.h"
#include "engine/sampling/noise.h"
#include "engine/sampling/scheduler.h"

namespace ci2v::parity {

void run_ddim_case(CaseContext& ctx) {
  using namespace ci2v::sampling;
  const auto& params = ctx.params();
  ctx.require_known_keys(params, {"scheduler_config", "calls"}, "params");
  const SchedulerConfig config = params.contains("scheduler_config")
                                     ? SchedulerConfig::from_json(params["scheduler_config"], "ddim params.scheduler_config")
                                     : SchedulerConfig::reference();
  DdimScheduler scheduler(config);
  const torch::Device dev = ctx.device();
  const torch::ScalarType dtype = ctx.dtype();

  if (ctx.has("output.betas")) ctx.check("output.betas", scheduler.betas());
  if (ctx.has("output.alphas_cumprod")) ctx.check("output.alphas_cumprod", scheduler.alphas_cumprod());

  // output.timesteps_<n>: set_timesteps(n)
  const std::string ts_prefix = "output.timesteps_";
  for (const auto& key : ctx.keys()) {
    if (key.rfind(ts_prefix, 0) != 0) continue;
    const std::string n_str = key.substr(ts_prefix.size());
    int64_t n = 0;
    try {
      n = std::stoll(n_str);
    } catch (const std::exception&) {
      throw Error("ddim: cannot read the step count of '" + key + "'");
    }
    scheduler.set_timesteps(n);
    ctx.check(key, scheduler.timesteps_tensor());
  }

  if (!params.contains("calls") || !params["calls"].is_array()) throw Error("ddim: params.calls is missing");
  for (const auto& call : params["calls"]) {
    ctx.require_known_keys(call, {"step", "add_noise", "timestep", "num_inference_steps", "eta", "prev_timestep"},
                           "a params.calls entry");
    if (call.contains("step")) {
      const std::string p = "step" + std::to_string(call["step"].get<int64_t>());
      const int64_t n = call.at("num_inference_steps").get<int64_t>();
      const int64_t t = call.at("timestep").get<int64_t>();
      scheduler.set_timesteps(n);
      scheduler.set_eta(call.value("eta", 0.0));
      if (call.contains("prev_timestep") && call["prev_timestep"].get<int64_t>() != scheduler.prev_timestep(t))
        throw Error("ddim " + p + ": prev_timestep " + std::to_string(scheduler.prev_timestep(t)) + ", the case says " +
                    std::to_string(call["prev_timestep"].get<int64_t>()));
      const torch::Tensor sample = ctx.input(p + ".sample").to(dev, dtype);
      const torch::Tensor model_output = ctx.input(p + ".model_output").to(dev, dtype);
      StepOutput out;
      if (scheduler.eta() > 0) {
        // The variance noise z of the reference's draw, when the case gives it.
        InjectedNoise z({ctx.input(p + ".variance_noise")}, "ddim " + p + " variance noise");
        scheduler.set_noise_source(&z);
        out = scheduler.step(model_output, t, sample);
        scheduler.set_noise_source(nullptr);
      } else {
        out = scheduler.step(model_output, t, sample);
      }
      ctx.check("output." + p + ".prev_sample", out.prev_sample);
      ctx.check("output." + p + ".pred_original_sample", out.pred_original_sample);
    } else if (call.contains("add_noise")) {
      const std::string p = "add_noise" + std::to_string(call["add_noise"].get<int64_t>());
      const int64_t t = call.at("timestep").get<int64_t>();
      const torch::Tensor x0 = ctx.input(p + ".original").to(dev, dtype);
      const torch::Tensor noise = ctx.input(p + ".noise").to(dev, dtype);
      ctx.check("output." + p + ".noisy", scheduler.add_noise(x0, noise, t));
    } else {
      throw Error("ddim: unknown call " + call.dump());
    }
  }
}

}  // namespace ci2v::parity
