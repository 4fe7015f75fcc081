#include "engine/model_check.h"

#include "engine/error.h"
#include "engine/text/clip_text_model.h"
#include "engine/unet/video_unet.h"
#include "engine/vae/autoencoder_kl.h"

namespace ci2v {

std::string check_component(const io::Component& c, const io::StateDict& sd) {
  // Networks register themselves here as they are implemented.
  // Built on the meta device: every key, shape and tensor is checked without allocating the weights.
  const auto meta = torch::TensorOptions().device(torch::kMeta);
  auto count_tensors = [](const torch::nn::Module& m) {
    return m.named_parameters(true).size() + m.named_buffers(true).size();
  };
  if (c.class_name == "CLIPTextModel") {
    text::ClipTextModel m(text::ClipTextConfig::from_json(c.config, c.dir + "/config.json"), meta);
    text::load_clip_text_weights(*m, sd, c.name + " (" + c.dir + ")");
    return "all " + std::to_string(count_tensors(*m)) + " tensors match the CLIPTextModel architecture (" +
           std::to_string(io::count_parameters(*m)) + " parameters)";
  }
  if (c.class_name == "AutoencoderKL") {
    vae::AutoencoderKL m(vae::VaeConfig::from_json(c.config, c.dir + "/config.json"), meta);
    vae::load_vae_weights(*m, sd, c.name + " (" + c.dir + ")");
    return "all " + std::to_string(count_tensors(*m)) + " tensors match the AutoencoderKL architecture (" +
           std::to_string(io::count_parameters(*m)) + " parameters)";
  }
  if (c.class_name == "VideoLDMUNet3DConditionModel") {
    // Names and shapes only (meta device, no weight is read); "module." prefixes are accepted.
    return unet::check_video_unet_keys(unet::UNetConfig::from_json(c.config, c.dir + "/config.json"), sd,
                                       c.name + " (" + c.dir + ")");
  }
  (void)sd;
  return "no network for " + c.class_name + " yet: keys not checked against an architecture";
}

}  // namespace ci2v
