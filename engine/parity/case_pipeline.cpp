// Parity for the whole pipeline (pipeline, pipeline_pan_right, pipeline_cfg_both, pipeline_no_frameinit,
// pipeline_autoregress, ...): the case's params become GenerationParams, its random draws are injected in
// call order, the prompts are given as token ids, and every stored intermediate and output is compared.
#include "engine/error.h"
#include "engine/generator.h"
#include "engine/parity/parity.h"

namespace ci2v::parity {

static GenerationParams params_from_case(const nlohmann::json& c, int64_t T, int64_t H, int64_t W) {
  GenerationParams p;
  p.prompt = c.value("prompt", std::string());
  p.negative_prompt = c.value("negative_prompt", std::string());
  p.width = static_cast<int>(W);
  p.height = static_cast<int>(H);
  p.frames = static_cast<int>(T);
  p.steps = c.value("num_inference_steps", 50);
  p.cfg_text = c.value("guidance_scale_txt", 7.5);
  p.cfg_image = c.value("guidance_scale_img", 1.0);
  p.guidance_rescale = c.value("guidance_rescale", 0.0);
  p.eta = c.value("eta", 0.0);
  p.frame_stride = c.value("frame_stride", 3);
  const std::string nm = c.value("noise_sampling_method", std::string("pyoco_mixed"));
  p.noise_method = nm == "vanilla" ? NoiseMethod::Vanilla
                                   : nm == "pyoco_progressive" ? NoiseMethod::PyocoProgressive : NoiseMethod::PyocoMixed;
  p.noise_alpha = c.value("noise_alpha", 1.0);
  p.frameinit = c.value("use_frameinit", true);
  p.noise_level = c.value("frameinit_noise_level", 850);
  if (c.contains("frameinit_filter") && c["frameinit_filter"].is_object()) {
    const auto& f = c["frameinit_filter"];
    const std::string method = f.value("method", std::string("gaussian"));
    p.filter = method == "ideal" ? FilterType::Ideal
               : method == "box" ? FilterType::Box
               : method == "butterworth" ? FilterType::Butterworth
                                         : FilterType::Gaussian;
    p.cutoff_spatial = f.value("d_s", 0.25);
    p.cutoff_temporal = f.value("d_t", 0.25);
    p.butterworth_order = f.value("n", 4);
  }
  if (c.contains("camera_motion") && c["camera_motion"].is_string()) p.camera_preset = c["camera_motion"];
  if (c.contains("autoregress_steps") && c["autoregress_steps"].is_number_integer())
    p.chunks = c["autoregress_steps"].get<int>();
  p.seed = 0;
  return p;
}

void run_pipeline_case(CaseContext& ctx) {
  const auto& c = ctx.params();
  if (c.value("num_videos_per_prompt", 1) != 1) throw Error("num_videos_per_prompt != 1 is not supported");
  auto rgb = ctx.input("first_frame_rgb_uint8").contiguous();  // [H, W, 3] uint8
  RgbImage im;
  im.height = static_cast<int>(rgb.size(0));
  im.width = static_cast<int>(rgb.size(1));
  im.rgb.assign(rgb.data_ptr<uint8_t>(), rgb.data_ptr<uint8_t>() + rgb.numel());
  auto p = params_from_case(c, c.value("video_length", 16), c.value("height", 256), c.value("width", 256));
  p.device = ctx.device().is_cuda() ? "cuda" : "cpu";

  std::vector<torch::Tensor> draws;
  for (int k = 0; ctx.has("input.randn_" + std::to_string(k)); ++k) draws.push_back(ctx.input("randn_" + std::to_string(k)));
  sampling::InjectedNoise noise(draws, "case " + ctx.name());

  auto models = load_models(ctx.model_path(), p.device, ctx.dtype() == torch::kFloat16 ? "fp16"
                                                         : ctx.dtype() == torch::kBFloat16 ? "bf16" : "fp32");
  Capture cap;
  RunOverrides ov;
  ov.prompt_ids = ctx.input("prompt_input_ids");
  ov.negative_ids = ctx.input("negative_prompt_input_ids");
  ov.noise = &noise;
  ov.capture = &cap;
  auto out = generate(*models, p, im, nullptr, nullptr, ov);
  if (noise.remaining() != 0)
    throw Error("the engine drew " + std::to_string(noise.draws()) + " random tensors, the reference " +
                std::to_string(draws.size()));
  ctx.check("output.final_latents", out.final_latents);
  ctx.check("output.video", out.video);
  for (const auto& key : ctx.keys()) {
    if (key.rfind("intermediate.", 0) != 0) continue;
    const std::string name = key.substr(13);
    auto it = cap.tensors.find(name);
    ctx.check(key, it == cap.tensors.end() ? torch::Tensor() : it->second);
  }
}

}  // namespace ci2v::parity
