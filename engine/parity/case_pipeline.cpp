// Parity for the whole pipeline (pipeline, pipeline_pan_right, pipeline_cfg_both, pipeline_no_frameinit,
// pipeline_autoregress, ...): the case's params become GenerationParams, its random draws are injected in
// call order, the prompts are given as token ids, and every stored intermediate and output is compared.
#include "engine/error.h"
#include "engine/io/diffusers_folder.h"
#include "engine/generator.h"
#include "engine/parity/parity.h"

namespace ci2v::parity {

namespace {

// A value of the case's params: the reference __call__'s default when the key is absent (or null where the
// reference allows None), else exactly that type, naming the key when it is not.
template <typename T>
T param(const nlohmann::json& c, const char* key, T fallback, const std::string& where) {
  if (!c.contains(key) || c[key].is_null()) return fallback;
  try {
    return c[key].get<T>();
  } catch (const std::exception&) {
    throw Error(where + ": params." + key + " = " + c[key].dump() + " has the wrong type");
  }
}

template <typename T>
T required(const nlohmann::json& c, const char* key, const std::string& where) {
  if (!c.contains(key)) throw Error(where + ": params." + key + " is missing");
  if (c[key].is_null()) throw Error(where + ": params." + key + " is None, which the engine does not support");
  return param<T>(c, key, T{}, where);
}

// The reference's size where height / width are not given: the UNet's sample_size times the VAE's scale factor.
int default_size(const CaseContext& ctx) {
  const auto unet = io::read_json_file(ctx.component_path("unet") + "/config.json");
  const auto vae = io::read_json_file(ctx.component_path("vae") + "/config.json");
  const int64_t sample = unet.value("sample_size", int64_t{0});
  const size_t levels = vae.contains("block_out_channels") && vae["block_out_channels"].is_array()
                            ? vae["block_out_channels"].size()
                            : 0;
  if (sample <= 0 || levels == 0 || levels > 7)
    throw Error("case '" + ctx.name() + "': no params.height / width, and the model's sample_size and VAE levels do "
                "not give them");
  return static_cast<int>(sample << (levels - 1));
}

GenerationParams params_from_case(const CaseContext& ctx) {
  const auto& c = ctx.params();
  const std::string where = "case '" + ctx.name() + "'";
  // Every key of the reference's call and of the fixture's own notes; anything else is a setting this runner
  // would not apply, so the case is refused rather than passed without it.
  ctx.require_known_keys(c,
                         {"prompt", "negative_prompt", "height", "width", "video_length", "num_inference_steps",
                          "guidance_scale_txt", "guidance_scale_img", "guidance_rescale", "eta", "frame_stride",
                          "noise_sampling_method", "noise_alpha", "use_frameinit", "frameinit_noise_level",
                          "frameinit_filter", "camera_motion", "autoregress_steps", "num_videos_per_prompt",
                          "torch_manual_seed", "first_frame_image_hw", "randn_draws", "replay_max_abs_diff",
                          "pipeline_class", "scheduler"},
                         "params");
  if (param<int64_t>(c, "num_videos_per_prompt", 1, where) != 1)
    throw Error(where + ": num_videos_per_prompt != 1 is not supported");
  GenerationParams p;
  p.prompt = required<std::string>(c, "prompt", where);
  p.negative_prompt = param<std::string>(c, "negative_prompt", "", where);
  const bool sized = c.contains("width") && !c["width"].is_null() && c.contains("height") && !c["height"].is_null();
  const int fallback = sized ? 0 : default_size(ctx);
  p.width = param<int>(c, "width", fallback, where);
  p.height = param<int>(c, "height", fallback, where);
  p.frames = required<int>(c, "video_length", where);
  // the reference __call__'s defaults where a key is absent
  p.steps = param<int>(c, "num_inference_steps", 50, where);
  p.cfg_text = param<double>(c, "guidance_scale_txt", 7.5, where);
  p.cfg_image = param<double>(c, "guidance_scale_img", 2.0, where);
  p.guidance_rescale = param<double>(c, "guidance_rescale", 0.0, where);
  p.eta = param<double>(c, "eta", 0.0, where);
  p.frame_stride = required<int>(c, "frame_stride", where);  // (None: no stride conditioning, not supported)
  p.noise_method = reference_noise_method(param<std::string>(c, "noise_sampling_method", "vanilla", where),
                                          where + " params.noise_sampling_method");
  p.noise_alpha = param<double>(c, "noise_alpha", 1.0, where);
  p.frameinit = param<bool>(c, "use_frameinit", false, where);
  p.noise_level = param<int>(c, "frameinit_noise_level", 999, where);
  if (c.contains("frameinit_filter") && !c["frameinit_filter"].is_null()) {
    const auto& f = c["frameinit_filter"];
    ctx.require_known_keys(f, {"method", "d_s", "d_t", "n"}, "params.frameinit_filter");
    p.filter = reference_filter(required<std::string>(f, "method", where + " frameinit_filter"),
                                where + " params.frameinit_filter.method");
    p.cutoff_spatial = required<double>(f, "d_s", where + " frameinit_filter");
    p.cutoff_temporal = required<double>(f, "d_t", where + " frameinit_filter");
    p.butterworth_order = param<int>(f, "n", 4, where);
  } else if (p.frameinit) {
    throw Error(where + ": use_frameinit is on but params.frameinit_filter is missing");
  }
  const std::string camera = param<std::string>(c, "camera_motion", "", where);
  if (!camera.empty() && camera != "pan_left" && camera != "pan_right" && camera != "zoom_in" && camera != "zoom_out")
    throw Error(where + ": params.camera_motion '" + camera + "' is not one of the reference's (pan_left, pan_right, "
                "zoom_in, zoom_out)");
  p.camera_preset = camera;
  const auto chunks = param<int64_t>(c, "autoregress_steps", 0, where);
  const std::string cls = param<std::string>(c, "pipeline_class", "", where);
  if (cls == "AutoregressiveAnimationPipeline") {
    if (chunks < 1) throw Error(where + ": an AutoregressiveAnimationPipeline case needs params.autoregress_steps >= 1");
  } else if (cls == "ConditionalAnimationPipeline" || cls.empty()) {
    if (chunks > 1 && !cls.empty())
      throw Error(where + ": params.autoregress_steps = " + std::to_string(chunks) + " with a ConditionalAnimationPipeline");
  } else {
    throw Error(where + ": params.pipeline_class '" + cls + "' is not ConditionalAnimationPipeline or "
                "AutoregressiveAnimationPipeline");
  }
  p.chunks = static_cast<int>(std::max<int64_t>(chunks, 1));
  const std::string scheduler = param<std::string>(c, "scheduler", "DDIMScheduler", where);
  if (scheduler.rfind("DDIMScheduler", 0) != 0)
    throw Error(where + ": params.scheduler '" + scheduler + "': the pipeline runs DDIM only");
  p.seed = 0;
  return p;
}

}  // namespace

void run_pipeline_case(CaseContext& ctx) {
  const auto& c = ctx.params();
  const std::string where = "case '" + ctx.name() + "'";
  auto rgb = ctx.input("first_frame_rgb_uint8").contiguous();  // [H, W, 3] uint8
  if (rgb.dim() != 3 || rgb.size(2) != 3 || rgb.scalar_type() != torch::kUInt8)
    throw Error(where + ": input.first_frame_rgb_uint8 is not an [H, W, 3] uint8 picture");
  if (c.contains("first_frame_image_hw") && c["first_frame_image_hw"].is_array() &&
      c["first_frame_image_hw"] != nlohmann::json::array({rgb.size(0), rgb.size(1)}))
    throw Error(where + ": params.first_frame_image_hw " + c["first_frame_image_hw"].dump() +
                " is not the stored picture's size");
  RgbImage im;
  im.height = static_cast<int>(rgb.size(0));
  im.width = static_cast<int>(rgb.size(1));
  im.rgb.assign(rgb.data_ptr<uint8_t>(), rgb.data_ptr<uint8_t>() + rgb.numel());
  auto p = params_from_case(ctx);
  p.device = ctx.device().is_cuda() ? "cuda" : "cpu";

  std::vector<torch::Tensor> draws;
  for (int k = 0; ctx.has("input.randn_" + std::to_string(k)); ++k) draws.push_back(ctx.input("randn_" + std::to_string(k)));
  if (c.contains("randn_draws") && c["randn_draws"].is_array()) {  // the manifest's list of the draws agrees
    const auto& listed = c["randn_draws"];
    if (listed.size() != draws.size())
      throw Error(where + ": params.randn_draws lists " + std::to_string(listed.size()) + " draws, the file holds " +
                  std::to_string(draws.size()));
    for (size_t k = 0; k < draws.size(); ++k)
      if (listed[k].is_object() && listed[k].contains("shape") &&
          listed[k]["shape"].get<std::vector<int64_t>>() != draws[k].sizes().vec())
        throw Error(where + ": randn_" + std::to_string(k) + " has another shape than params.randn_draws says");
  }
  sampling::InjectedNoise noise(draws, "case " + ctx.name());

  auto models = load_models(ctx.model_path(), p.device, ctx.dtype() == torch::kFloat16 ? "fp16"
                                                         : ctx.dtype() == torch::kBFloat16 ? "bf16" : "fp32");
  if (models->unet->config().n_frames != p.frames)
    throw Error(where + ": the UNet config's n_frames " + std::to_string(models->unet->config().n_frames) +
                " is not video_length " + std::to_string(p.frames) +
                ": the reference groups the UNet's rows by n_frames and would mix videos; the engine follows the frames");
  Capture cap;
  RunOverrides ov;
  ov.prompt_ids = ctx.input("prompt_input_ids");
  // Without guidance the reference encodes no negative prompt, and a fixture may store none.
  if (ctx.has("input.negative_prompt_input_ids")) ov.negative_ids = ctx.input("negative_prompt_input_ids");
  else if (p.negative_prompt_has_effect())
    throw Error(where + ": guidance is on but the case stores no input.negative_prompt_input_ids");
  ov.noise = &noise;
  ov.reference_crop = true;  // a picture narrower than the output: the reference's black bars
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
