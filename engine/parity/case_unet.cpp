#include <set>

#include "engine/error.h"
#include "engine/parity/parity.h"
#include "engine/unet/video_unet.h"

namespace ci2v::parity {

// unet_step, unet_step_b, ...: one VideoLDMUNet3DConditionModel forward; compares the prediction and every
// stored intermediate (names = reference module paths, layout (B*T, C, h, w)).
void run_unet_case(CaseContext& ctx) {
  torch::NoGradGuard no_grad;
  auto unet = unet::load_video_unet(unet::unet_component_from_dir(ctx.component_path("unet")), ctx.device(), ctx.dtype());

  auto sample = ctx.input("sample");
  auto text = ctx.input("encoder_hidden_states");
  auto first = ctx.input("first_frame_latents");
  const int64_t timestep = ctx.input("timestep").to(torch::kInt64).item<int64_t>();
  const int64_t frame_stride = ctx.input("frame_stride").to(torch::kInt64).item<int64_t>();
  // The params carry the same scalars; they must agree with the stored inputs.
  const auto& p = ctx.params();
  if (p.is_object()) ctx.require_known_keys(p, {"frame_stride", "timestep", "n_frames_config", "layout"}, "params");
  if (p.contains("timestep") && p["timestep"].is_number_integer() && p["timestep"].get<int64_t>() != timestep)
    throw Error("case '" + ctx.name() + "': params.timestep disagrees with input.timestep");
  if (p.contains("frame_stride") && p["frame_stride"].is_number_integer() && p["frame_stride"].get<int64_t>() != frame_stride)
    throw Error("case '" + ctx.name() + "': params.frame_stride disagrees with input.frame_stride");

  // The reference groups the UNet's rows by its configured n_frames; the engine by the frames it is given
  // (model-reference §2.5). They agree only when the case ran with n_frames = the frames the UNet sees.
  const int64_t configured = p.contains("n_frames_config") && p["n_frames_config"].is_number_integer()
                                 ? p["n_frames_config"].get<int64_t>()
                                 : unet->config().n_frames;
  if (configured != unet->config().n_frames || configured != sample.size(2) + 1)
    throw Error("case '" + ctx.name() + "': n_frames " + std::to_string(configured) + " (config " +
                std::to_string(unet->config().n_frames) + ") is not the frames the UNet sees (" +
                std::to_string(sample.size(2) + 1) +
                ", the first frame included): the reference groups rows by n_frames and would mix videos");
  const std::string prefix = "intermediate.";
  std::set<std::string> wanted;
  for (const auto& k : ctx.keys())
    if (k.rfind(prefix, 0) == 0) wanted.insert(k.substr(prefix.size()));
  unet::Intermediates cap;
  cap.want = [&](const std::string& n) { return wanted.count(n) != 0; };

  auto noise_pred = unet->forward(sample, timestep, text, first, frame_stride, wanted.empty() ? nullptr : &cap);
  ctx.check("output.noise_pred", noise_pred);
  for (const auto& n : wanted) ctx.check(prefix + n, cap.get(n));  // an uncaptured name fails as "no tensor"
}

}  // namespace ci2v::parity
