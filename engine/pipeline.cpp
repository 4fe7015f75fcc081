#include "engine/pipeline.h"

#include "engine/error.h"
#include "engine/generator.h"
#include "engine/io/diffusers_folder.h"

namespace ci2v {

Pipeline::Pipeline(std::shared_ptr<Models> m) : models_(std::move(m)) {}
Pipeline::~Pipeline() = default;

std::unique_ptr<Pipeline> Pipeline::load(const std::string& model_dir, const std::string& device,
                                         const std::string& dtype, const CancelToken* cancel,
                                         const LoadProgress& progress) {
  return std::unique_ptr<Pipeline>(new Pipeline(load_models(model_dir, device, dtype, cancel, progress)));
}

GenerationResult Pipeline::generate(const GenerationParams& params, const RgbImage& first_frame, Observer* observer,
                                    const CancelToken* cancel) {
  try {
    RunOverrides decode_to_frames;  // only the 8-bit frames are returned: no float video is kept
    decode_to_frames.keep_video = false;
    return ci2v::generate(*models_, params, first_frame, observer, cancel, decode_to_frames).result;
  } catch (const std::exception& e) {
    if (observer) observer->on_error(e.what());
    throw;
  }
}

FrameInitPreview Pipeline::preview_frameinit(const GenerationParams& params, const RgbImage& first_frame,
                                             const CancelToken* cancel) {
  return ci2v::preview_frameinit(*models_, params, first_frame, cancel);
}

void check_params_for_model(const std::string& model_dir, const GenerationParams& params) {
  sampling::SchedulerConfig scheduler;
  try {
    const io::ModelFolder folder = io::open_model_folder(io::resolve_model_dir(model_dir));
    const io::Component& c = folder.get("scheduler");
    scheduler = sampling::SchedulerConfig::from_json(c.config, c.dir + "/scheduler_config.json");
  } catch (const std::exception&) {
    return;  // the load says what is wrong with the folder
  }
  check_against_scheduler(scheduler, params);
}

std::vector<RgbImage> camera_layout_frames(const GenerationParams& params, const RgbImage& first_frame) {
  params.validate();
  if (first_frame.empty()) throw Error("no first frame: load an image first");
  torch::NoGradGuard no_grad;
  torch::Tensor x = layout_video_pixels(params, first_frame);  // [N, 3, H, W] in [-1, 1]
  torch::Tensor u8 = ((x.clamp(-1, 1) + 1) * 127.5).round().to(torch::kUInt8).permute({0, 2, 3, 1}).contiguous();
  std::vector<RgbImage> out(static_cast<size_t>(u8.size(0)));
  const int64_t n = u8[0].numel();
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].width = static_cast<int>(u8.size(2));
    out[i].height = static_cast<int>(u8.size(1));
    const uint8_t* src = u8[static_cast<int64_t>(i)].data_ptr<uint8_t>();
    out[i].rgb.assign(src, src + n);
  }
  return out;
}

std::string Pipeline::model_dir() const { return models_->root; }
std::string Pipeline::device() const { return models_->device.is_cuda() ? "cuda" : "cpu"; }
std::string Pipeline::dtype() const {
  switch (models_->dtype) {
    case torch::kFloat16: return "fp16";
    case torch::kBFloat16: return "bf16";
    default: return "fp32";
  }
}
Models& Pipeline::models() { return *models_; }

}  // namespace ci2v
