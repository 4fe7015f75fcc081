// The one public entry of the engine: generation parameters, the observer interface, cancel, and the
// Pipeline that runs ConsistI2V. Torch-free and Qt-free, so front ends include it without LibTorch.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/image.h"

namespace ci2v {


enum class FilterType { Gaussian, Ideal, Box, Butterworth };
enum class SamplerType { Ddim, DpmSolverPP };
enum class NoiseMethod { PyocoMixed, PyocoProgressive, Vanilla };

const char* to_string(FilterType);
const char* to_string(SamplerType);
const char* to_string(NoiseMethod);

// FrameInit's τ and D0 (spatial, temporal); the defaults are the reference's for a still camera.
struct FrameInitSetting {
  int noise_level = 850;
  double cutoff_spatial = 0.25, cutoff_temporal = 0.25;
  bool operator==(const FrameInitSetting&) const = default;
};
// FrameInit's defaults for a still camera and for a camera move: the paper's (τ 850, D0 0.25 still; τ 750,
// D0 0.5 with a camera move), or a model's own camera setting (a demo model's model_index.json: its 8 x 8
// latents need a stronger layout for the view to move).
struct FrameInitDefaults {
  FrameInitSetting still;
  FrameInitSetting camera{750, 0.5, 0.5};
  // the paper's defaults with a model's camera setting where given (values <= 0: the paper's)
  static FrameInitDefaults with_camera(int noise_level, double cutoff_spatial, double cutoff_temporal);
  bool operator==(const FrameInitDefaults&) const = default;
};

// Every setting of one generation; the defaults are the reference inference configuration.
struct GenerationParams {
  std::string prompt;
  std::string negative_prompt;
  int width = 256, height = 256;
  int frames = 16;             // frames per chunk, the first frame included
  int steps = 50;
  SamplerType sampler = SamplerType::Ddim;
  double eta = 0.0;            // DDIM eta
  double cfg_text = 7.5;       // text classifier-free guidance scale
  double cfg_image = 1.0;      // image guidance scale (> 1: three-branch "both" guidance)
  double guidance_rescale = 0.0;
  int frame_stride = 3;
  int64_t seed = -1;           // < 0: random (the seed used is reported back)
  NoiseMethod noise_method = NoiseMethod::PyocoMixed;
  double noise_alpha = 1.0;
  // FrameInit
  bool frameinit = true;
  int noise_level = FrameInitSetting{}.noise_level;            // τ: how far the layout video is diffused (1..999)
  double cutoff_spatial = FrameInitSetting{}.cutoff_spatial;    // D0 spatial (d_s), (0, 1]
  double cutoff_temporal = FrameInitSetting{}.cutoff_temporal;  // D0 temporal (d_t), (0, 1]
  FilterType filter = FilterType::Gaussian;
  int butterworth_order = 4;
  // Camera: a preset name (pan_left, pan_right, zoom_in, zoom_out, tilt_up, tilt_down) or a path (JSON
  // in the camera-path format); empty = static first frame.
  std::string camera_preset;
  nlohmann::json camera_path;       // null when unused
  int chunks = 1;                   // > 1: autoregressive long video
  bool center_crop = true;          // fit the first frame by resize + centre crop (else pad)
  std::string device = "auto";      // auto | cpu | cuda
  std::string dtype = "fp32";       // fp32 | fp16 | bf16

  bool camera_enabled() const { return !camera_preset.empty() || !camera_path.is_null(); }
  // The negative prompt is the unconditional branch of guidance: with both scales 1 or less there is none, and it
  // has no effect (as in the reference).
  bool negative_prompt_has_effect() const { return cfg_text > 1 || cfg_image > 1; }
  // The frames of the whole video, chunks joined (each chunk after the first adds frames - 1): what a camera path
  // spans.
  int64_t video_frames() const { return static_cast<int64_t>(chunks) * (frames - 1) + 1; }
  using FrameInitSetting = ci2v::FrameInitSetting;
  using FrameInitDefaults = ci2v::FrameInitDefaults;
  FrameInitSetting frameinit_setting() const { return {noise_level, cutoff_spatial, cutoff_temporal}; }
  void set_frameinit_setting(const FrameInitSetting& s);
  // FrameInit's defaults follow the camera mode: when the camera turns on and τ, D0 are still at the still
  // defaults they switch to the camera defaults, and back when it turns off. Values the user tuned are kept.
  // Returns true when it changed them.
  bool switch_frameinit_defaults(bool camera_before, const FrameInitDefaults& defaults = {});
  // A model change: with the camera on and τ, D0 at the old model's camera defaults, they become the new
  // model's (likewise the still defaults with the camera off). Returns true when it changed them.
  bool change_frameinit_defaults(const FrameInitDefaults& from, const FrameInitDefaults& to);
  nlohmann::json to_json() const;
  // Missing fields keep their defaults; wrong types or unknown enum names throw naming the field.
  static GenerationParams from_json(const nlohmann::json& j);
  // Throws ci2v::Error naming the parameter and its valid range.
  void validate() const;
  // The checks of validate() that concern one value each (its range, a known name): what a loaded project or
  // settings file must pass. validate() adds the combinations (image guidance with rescaling, preset and path,
  // the whole video's size), which an edit in progress may break for a while.
  void validate_ranges() const;
};

enum class Stage { Loading, EncodingText, EncodingImage, FrameInit, Denoising, Decoding, Done };
const char* to_string(Stage);

// FrameInit previews, one small RGB image per frame through a latent-to-RGB approximation.
struct FrameInitPreview {
  std::vector<RgbImage> low;    // low band of the diffused layout video
  std::vector<RgbImage> high;   // high band of the noise
  std::vector<RgbImage> mixed;  // the mixed initial noise
  std::vector<RgbImage> mask;   // slices of the filter mask (temporal frequency index per image)
};

struct GenerationResult {
  std::vector<RgbImage> frames;  // all output frames (chunks joined)
  int64_t seed = 0;              // the seed actually used
  double seconds = 0;
  GenerationParams params;
};

// Everything a front end shows comes through here, on the engine's thread.
class Observer {
public:
  virtual ~Observer() = default;
  virtual void on_stage(Stage, const std::string& /*detail*/) {}
  // Denoising step i (1-based) of n, over all chunks; elapsed and estimated remaining seconds.
  virtual void on_progress(int /*i*/, int /*n*/, double /*elapsed_s*/, double /*eta_s*/) {}
  virtual void on_frameinit(const FrameInitPreview&) {}
  // x0 prediction after step i, per frame, through the latent-to-RGB approximation (no VAE call).
  virtual void on_step_preview(int /*i*/, int /*n*/, const std::vector<RgbImage>& /*frames*/) {}
  virtual void on_done(const GenerationResult&) {}
  virtual void on_error(const std::string& /*message*/) {}
};

class CancelToken {
public:
  CancelToken() = default;
  // Also cancelled while `parent` is (a part of a larger run that can be stopped on its own or with the whole).
  // The parent must outlive this token.
  explicit CancelToken(const CancelToken* parent) : parent_(parent) {}
  CancelToken(const CancelToken&) = delete;
  CancelToken& operator=(const CancelToken&) = delete;
  void cancel() { flag_.store(true); }
  void reset() { flag_.store(false); }  // this token's own flag, not the parent's
  bool cancelled() const { return flag_.load() || (parent_ && parent_->cancelled()); }

private:
  std::atomic<bool> flag_{false};
  const CancelToken* parent_ = nullptr;
};

struct Models;

// Loading progress: bytes of the model's weight files read so far, and their total.
using LoadProgress = std::function<void(int64_t done, int64_t total)>;

// The synthetic camera video (the crops the model is guided by, before the VAE) as RGB frames at the output
// size: the dry run of a camera path. Without a camera, the preprocessed first frame repeated. Needs no model.
std::vector<RgbImage> camera_layout_frames(const GenerationParams& params, const RgbImage& first_frame);

// The parameters against a model folder's scheduler (steps, τ) before the model is loaded (minutes for the released
// weights): throws ci2v::Error naming the parameter when they do not fit. A folder that cannot be read is left for
// the load to report.
void check_params_for_model(const std::string& model_dir, const GenerationParams& params);

// A loaded model on one device and dtype. Not thread-safe: run one generation at a time (the app's engine
// thread owns it). Errors are thrown as ci2v::Error (a cancelled run throws ci2v::Cancelled, see generator.h)
// and are also reported to the observer's on_error.
class Pipeline {
public:
  // Loads the model folder (or HF cache folder). device: auto | cpu | cuda; dtype: fp32 | fp16 | bf16.
  // `cancel` (optional): a cancel stops the load before the next tensor is read and throws (ci2v::Error).
  // `progress` (optional): called on the loading thread before each network is allocated and each tensor is
  // read, with the bytes of the weight files read so far and their total; last with done == total.
  static std::unique_ptr<Pipeline> load(const std::string& model_dir, const std::string& device = "auto",
                                        const std::string& dtype = "fp32", const CancelToken* cancel = nullptr,
                                        const LoadProgress& progress = {});
  ~Pipeline();

  GenerationResult generate(const GenerationParams& params, const RgbImage& first_frame, Observer* observer = nullptr,
                            const CancelToken* cancel = nullptr);

  // FrameInit's frequency split for these settings without running the UNet (fast after the first call for
  // a given image/camera/size: only FFTs). Equals what generate() reports to Observer::on_frameinit.
  // `cancel` (optional): a cancel stops it within one VAE encoder block and throws (ci2v::Error).
  FrameInitPreview preview_frameinit(const GenerationParams& params, const RgbImage& first_frame,
                                     const CancelToken* cancel = nullptr);

  std::string model_dir() const;
  std::string device() const;  // "cpu" or "cuda"
  std::string dtype() const;   // fp32 | fp16 | bf16
  Models& models();

private:
  explicit Pipeline(std::shared_ptr<Models> m);
  std::shared_ptr<Models> models_;
};

}  // namespace ci2v
