// The sampling blocks against the reference pipeline's own intermediates (no network needed): timesteps,
// PYoCo noise from the recorded draws, FrameInit (filter, z_T, mixed latents), the split of frame 0, and every
// denoising step's CFG combination and DDIM update from the recorded UNet outputs. Runs over every pipeline
// case of the fixture manifest.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "engine/io/diffusers_folder.h"
#include "engine/io/state_dict.h"
#include "engine/sampling/frameinit.h"
#include "engine/sampling/guidance.h"
#include "engine/sampling/noise.h"
#include "engine/sampling/scheduler.h"

using namespace ci2v;
using namespace ci2v::sampling;

namespace {

const std::string kRoot = CONSISTI2V_FIXTURES;

struct Case {
  std::string name;
  nlohmann::json params;
  nlohmann::json aliases;
  io::StateDict sd;
  bool has(const std::string& k) const {
    return sd.contains(k) || (aliases.is_object() && aliases.contains(k) && sd.contains(aliases[k].get<std::string>()));
  }
  torch::Tensor get(const std::string& k) const {
    if (sd.contains(k)) return sd.get(k);
    return sd.get(aliases.at(k).get<std::string>());
  }
};

std::vector<Case> pipeline_cases() {
  const auto manifest = io::read_json_file(kRoot + "/manifest.json");
  std::vector<Case> out;
  for (const auto& c : manifest["cases"]) {
    const std::string name = c.value("name", std::string());
    if (name.rfind("pipeline", 0) != 0) continue;
    Case k;
    k.name = name;
    k.params = c["params"];
    k.aliases = c.contains("aliases") ? c["aliases"] : nlohmann::json::object();
    k.sd = io::StateDict::from_file(kRoot + "/" + c["file"].get<std::string>());
    out.push_back(std::move(k));
  }
  return out;
}

double max_abs(const torch::Tensor& a, const torch::Tensor& b) {
  return (a.to(torch::kDouble) - b.to(torch::kDouble)).abs().max().item<double>();
}

// |a − b| <= atol + rtol·|b| everywhere
bool close(const torch::Tensor& got, const torch::Tensor& want, double atol, double rtol) {
  const auto g = got.to(torch::kDouble), w = want.to(torch::kDouble);
  return ((g - w).abs() <= atol + rtol * w.abs()).all().item<bool>();
}

NoiseMethod method_of(const std::string& m) {
  if (m == "pyoco_progressive") return NoiseMethod::PyocoProgressive;
  if (m == "vanilla") return NoiseMethod::Vanilla;
  return NoiseMethod::PyocoMixed;
}

}  // namespace

TEST(SamplingVsPipelineFixtures, NoiseFrameInitGuidanceAndDdimSteps) {
  const auto cases = pipeline_cases();
  ASSERT_FALSE(cases.empty());
  const SchedulerConfig config =
      SchedulerConfig::from_json(io::read_json_file(kRoot + "/tiny_pipeline/scheduler/scheduler_config.json"));
  int64_t steps_checked = 0;
  double worst_mix = 0, worst_eps = 0, worst_step = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto& p = c.params;
    DdimScheduler ddim(config);
    ddim.set_eta(p.value("eta", 0.0));
    ddim.set_timesteps(p["num_inference_steps"].get<int64_t>());
    ASSERT_TRUE(c.has("intermediate.timesteps"));
    EXPECT_TRUE(torch::equal(ddim.timesteps_tensor(), c.get("intermediate.timesteps")));

    const double s_txt = p["guidance_scale_txt"].get<double>(), s_img = p["guidance_scale_img"].get<double>();
    const CfgMode mode = cfg_mode(s_txt, s_img);
    LowPassFilterSpec spec;
    spec.cutoff_spatial = p["frameinit_filter"]["d_s"].get<double>();
    spec.cutoff_temporal = p["frameinit_filter"]["d_t"].get<double>();
    FrameInit frameinit(spec, p["frameinit_noise_level"].get<int64_t>());

    // The PYoCo draws in call order (the first draw of a run is the VAE posterior ε).
    std::vector<torch::Tensor> pyoco_draws;
    for (const auto& d : p["randn_draws"])
      if (d["site"].get<std::string>().find("prepare_latents") != std::string::npos)
        pyoco_draws.push_back(c.get("input.randn_" + std::to_string(d["index"].get<int64_t>())));
    InjectedNoise draws(pyoco_draws, c.name + " pyoco draws");

    const bool chunked = c.has("intermediate.chunk0.initial_noise") || c.has("intermediate.chunk0.step0.latents_in");
    const int64_t n_chunks = chunked ? 2 : 1;
    for (int64_t chunk = 0; chunk < n_chunks; ++chunk) {
      const std::string pre = chunked ? "intermediate.chunk" + std::to_string(chunk) + "." : "intermediate.";
      SCOPED_TRACE(pre);
      const torch::Tensor latents_in0 = c.get(pre + "step0.latents_in");  // [B, C, T−1, h, w]
      const std::vector<int64_t> shape = {latents_in0.size(0), latents_in0.size(1), latents_in0.size(2) + 1,
                                          latents_in0.size(3), latents_in0.size(4)};
      const torch::Tensor noise = initial_noise(draws, method_of(p["noise_sampling_method"].get<std::string>()),
                                                p["noise_alpha"].get<double>(), shape, torch::kFloat32);
      if (c.has(pre + "initial_noise")) EXPECT_EQ(max_abs(noise, c.get(pre + "initial_noise")), 0.0);

      torch::Tensor latents = noise;
      if (p["use_frameinit"].get<bool>()) {
        if (c.has("intermediate.frameinit_filter"))
          EXPECT_EQ(max_abs(frameinit.filter(shape), c.get("intermediate.frameinit_filter")), 0.0);
        const auto r = frameinit.run(ddim, c.get(pre + "frameinit_static_video"), noise, /*bands=*/true);
        EXPECT_LT(max_abs(r.z_T, c.get(pre + "frameinit_z_T")), 1e-6);
        EXPECT_LT(max_abs(r.latents, c.get(pre + "frameinit_latents")), 1e-5);
        worst_mix = std::max(worst_mix, max_abs(r.latents, c.get(pre + "frameinit_latents")));
        EXPECT_LT(max_abs(r.low + r.high, r.latents), 1e-5);
        latents = r.latents;
      }
      // Frame 0 is split off; the rest is denoised.
      torch::Tensor x = latents.slice(2, 1);
      EXPECT_LT(max_abs(x, latents_in0), 1e-5);
      if (mode == CfgMode::Both && c.has(pre + "step0.unet_in.first_frame_latents")) {
        // the "noisy first frame" of the unconditional branch
        EXPECT_LT(max_abs(latents.slice(2, 0, 1), c.get(pre + "step0.unet_in.first_frame_latents").slice(0, 0, 1)), 1e-5);
      }
      for (size_t i = 0; i < ddim.timesteps().size(); ++i) {
        const std::string s = pre + "step" + std::to_string(i) + ".";
        SCOPED_TRACE(s);
        const torch::Tensor eps = combine_guidance(c.get(s + "unet_out"), mode, s_txt, s_img, p.value("guidance_rescale", 0.0));
        EXPECT_TRUE(close(eps, c.get(s + "noise_pred_guided"), 1e-5, 1e-6)) << max_abs(eps, c.get(s + "noise_pred_guided"));
        worst_eps = std::max(worst_eps, max_abs(eps, c.get(s + "noise_pred_guided")));
        // The step from the recorded inputs (so errors do not accumulate) must match the recorded output.
        const auto out = ddim.step(c.get(s + "noise_pred_guided"), ddim.timesteps()[i], c.get(s + "latents_in"));
        EXPECT_TRUE(close(out.prev_sample, c.get(s + "latents_out"), 1e-5, 1e-6))
            << max_abs(out.prev_sample, c.get(s + "latents_out"));
        worst_step = std::max(worst_step, max_abs(out.prev_sample, c.get(s + "latents_out")));
        ++steps_checked;
      }
    }
    EXPECT_EQ(draws.remaining(), 0u);
  }
  EXPECT_GE(steps_checked, 5);
  std::printf("  %zu pipeline cases, %lld steps: max |err| frameinit latents %.2e, guided eps %.2e, DDIM step %.2e\n",
              cases.size(), static_cast<long long>(steps_checked), worst_mix, worst_eps, worst_step);
}
