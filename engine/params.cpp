// GenerationParams: JSON (the format the app saves and `--params FILE.json` reads) and validation.
#include <cmath>
#include <limits>
#include <sstream>
#include <type_traits>
#include <utility>

#include "engine/camera_path.h"
#include "engine/error.h"
#include "engine/pipeline.h"

namespace ci2v {
namespace {

template <class E>
struct EnumName {
  E value;
  const char* name;
};
constexpr EnumName<FilterType> kFilters[] = {{FilterType::Gaussian, "gaussian"},
                                             {FilterType::Ideal, "ideal"},
                                             {FilterType::Box, "box"},
                                             {FilterType::Butterworth, "butterworth"}};
constexpr EnumName<SamplerType> kSamplers[] = {{SamplerType::Ddim, "ddim"}, {SamplerType::DpmSolverPP, "dpmpp_2m"}};
constexpr EnumName<NoiseMethod> kNoise[] = {{NoiseMethod::PyocoMixed, "pyoco_mixed"},
                                            {NoiseMethod::PyocoProgressive, "pyoco_progressive"},
                                            {NoiseMethod::Vanilla, "vanilla"}};
constexpr EnumName<Stage> kStages[] = {{Stage::Loading, "loading"},         {Stage::EncodingText, "encoding text"},
                                       {Stage::EncodingImage, "encoding image"}, {Stage::FrameInit, "FrameInit"},
                                       {Stage::Denoising, "denoising"},     {Stage::Decoding, "decoding"},
                                       {Stage::Done, "done"}};

template <class E, size_t N>
const char* name_of(const EnumName<E> (&table)[N], E v) {
  for (const auto& e : table)
    if (e.value == v) return e.name;
  return "?";
}

template <class E, size_t N>
E parse_enum(const EnumName<E> (&table)[N], const std::string& field, const std::string& s) {
  std::string names;
  for (const auto& e : table) {
    if (s == e.name) return e.value;
    names += std::string(names.empty() ? "" : ", ") + e.name;
  }
  if (field == "sampler" && (s == "dpmpp" || s == "dpm-solver++" || s == "dpmsolver++")) return table[1].value;
  throw Error("parameter '" + field + "': unknown value '" + s + "' (expected one of: " + names + ")");
}

template <class T>
void read(const nlohmann::json& j, const char* key, T& out) {
  if (!j.contains(key) || j[key].is_null()) return;
  const auto& v = j[key];
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    // an integer that fits: nlohmann's get<int> would truncate 64.9 to 64 and wrap 4294967297 to 1
    const bool fits = v.is_number_unsigned() ? std::in_range<T>(v.get<uint64_t>())
                      : v.is_number_integer() ? std::in_range<T>(v.get<int64_t>())
                                              : false;
    if (!fits)
      throw Error(std::string("parameter '") + key + "': expected an integer from " +
                  std::to_string(std::numeric_limits<T>::min()) + " to " + std::to_string(std::numeric_limits<T>::max()) +
                  ", got " + v.dump());
  }
  try {
    out = v.get<T>();
  } catch (const std::exception&) {
    throw Error(std::string("parameter '") + key + "': wrong type (" + v.dump() + ")");
  }
}

void range_error(const std::string& name, const std::string& got, const std::string& expected) {
  throw Error("parameter '" + name + "' = " + got + " is out of range: expected " + expected);
}

std::string num(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace

const char* to_string(FilterType v) { return name_of(kFilters, v); }
const char* to_string(SamplerType v) { return name_of(kSamplers, v); }
const char* to_string(NoiseMethod v) { return name_of(kNoise, v); }
const char* to_string(Stage v) { return name_of(kStages, v); }

nlohmann::json GenerationParams::to_json() const {
  nlohmann::json j;
  j["prompt"] = prompt;
  j["negative_prompt"] = negative_prompt;
  j["width"] = width;
  j["height"] = height;
  j["frames"] = frames;
  j["steps"] = steps;
  j["sampler"] = to_string(sampler);
  j["eta"] = eta;
  j["cfg_text"] = cfg_text;
  j["cfg_image"] = cfg_image;
  j["guidance_rescale"] = guidance_rescale;
  j["frame_stride"] = frame_stride;
  j["seed"] = seed;
  j["noise_method"] = to_string(noise_method);
  j["noise_alpha"] = noise_alpha;
  j["frameinit"] = frameinit;
  j["noise_level"] = noise_level;
  j["cutoff_spatial"] = cutoff_spatial;
  j["cutoff_temporal"] = cutoff_temporal;
  j["filter"] = to_string(filter);
  j["butterworth_order"] = butterworth_order;
  j["camera_preset"] = camera_preset;
  j["camera_path"] = camera_path;
  j["chunks"] = chunks;
  j["center_crop"] = center_crop;
  j["device"] = device;
  j["dtype"] = dtype;
  j["format"] = "consisti2v-params/1";
  return j;
}

GenerationParams GenerationParams::from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw Error("generation parameters: expected a JSON object");
  GenerationParams p;
  read(j, "prompt", p.prompt);
  read(j, "negative_prompt", p.negative_prompt);
  read(j, "width", p.width);
  read(j, "height", p.height);
  read(j, "frames", p.frames);
  read(j, "steps", p.steps);
  std::string s;
  if (j.contains("sampler")) read(j, "sampler", s), p.sampler = parse_enum(kSamplers, "sampler", s);
  read(j, "eta", p.eta);
  read(j, "cfg_text", p.cfg_text);
  read(j, "cfg_image", p.cfg_image);
  read(j, "guidance_rescale", p.guidance_rescale);
  read(j, "frame_stride", p.frame_stride);
  read(j, "seed", p.seed);
  if (j.contains("noise_method")) read(j, "noise_method", s), p.noise_method = parse_enum(kNoise, "noise_method", s);
  read(j, "noise_alpha", p.noise_alpha);
  read(j, "frameinit", p.frameinit);
  read(j, "noise_level", p.noise_level);
  read(j, "cutoff_spatial", p.cutoff_spatial);
  read(j, "cutoff_temporal", p.cutoff_temporal);
  if (j.contains("filter")) read(j, "filter", s), p.filter = parse_enum(kFilters, "filter", s);
  read(j, "butterworth_order", p.butterworth_order);
  read(j, "camera_preset", p.camera_preset);
  if (j.contains("camera_path")) p.camera_path = j["camera_path"];
  read(j, "chunks", p.chunks);
  read(j, "center_crop", p.center_crop);
  read(j, "device", p.device);
  read(j, "dtype", p.dtype);
  return p;
}

FrameInitDefaults FrameInitDefaults::with_camera(int noise_level, double cutoff_spatial,
                                                  double cutoff_temporal) {
  FrameInitDefaults d;
  if (noise_level > 0) d.camera.noise_level = noise_level;
  if (cutoff_spatial > 0) d.camera.cutoff_spatial = cutoff_spatial;
  if (cutoff_temporal > 0) d.camera.cutoff_temporal = cutoff_temporal;
  return d;
}

void GenerationParams::set_frameinit_setting(const FrameInitSetting& s) {
  noise_level = s.noise_level;
  cutoff_spatial = s.cutoff_spatial;
  cutoff_temporal = s.cutoff_temporal;
}

bool GenerationParams::switch_frameinit_defaults(bool camera_before, const FrameInitDefaults& d) {
  const bool camera_now = camera_enabled();
  if (camera_now == camera_before) return false;
  if (frameinit_setting() != (camera_now ? d.still : d.camera)) return false;  // tuned by the user: kept
  set_frameinit_setting(camera_now ? d.camera : d.still);
  return true;
}

bool GenerationParams::change_frameinit_defaults(const FrameInitDefaults& from, const FrameInitDefaults& to) {
  const bool camera = camera_enabled();
  const auto& was = camera ? from.camera : from.still;
  const auto& now = camera ? to.camera : to.still;
  if (was == now || frameinit_setting() != was) return false;
  set_frameinit_setting(now);
  return true;
}

void GenerationParams::validate() const {
  validate_ranges();
  if (guidance_rescale > 0 && cfg_image > 1)
    throw Error("parameter 'guidance_rescale' = " + num(guidance_rescale) +
                " cannot be used with image guidance (cfg_image > 1): set one of them back to its default");
  if (!camera_preset.empty() && !camera_path.is_null())
    throw Error("parameters 'camera_preset' and 'camera_path' are both set: use one");
  // the reference's zoom presets crop a square out of a square picture (checked before any work, not at the run)
  if ((camera_preset == "zoom_in" || camera_preset == "zoom_out") && width != height)
    throw Error("camera preset '" + camera_preset + "' needs a square output (width = height), got " +
                std::to_string(width) + "x" + std::to_string(height) +
                ": choose a square size, or draw the zoom as a camera path");
  {
    // the whole video is decoded and held at once (fp32 on the device, then 8-bit frames): 4065 frames of 2048²
    // (each value within its range) would need hundreds of GB, after all the denoising
    const int64_t total_frames = video_frames();
    const double pixels = static_cast<double>(total_frames) * width * height;
    constexpr double kMaxVideoPixels = double(int64_t(1) << 29);  // 512 megapixels (6 GB as fp32 RGB)
    if (pixels > kMaxVideoPixels)
      throw Error("parameters 'frames' = " + std::to_string(frames) + ", 'chunks' = " + std::to_string(chunks) + ", " +
                  std::to_string(width) + "x" + std::to_string(height) + ": " + std::to_string(total_frames) +
                  " frames of that size are more than the 512 megapixels a video may hold; use fewer chunks, fewer "
                  "frames or a smaller size");
  }
}

void GenerationParams::validate_ranges() const {
  if (frames < 2) range_error("frames", std::to_string(frames), "at least 2 (the first frame + 1)");
  if (frames > 128) range_error("frames", std::to_string(frames), "at most 128");
  for (auto [name, v] : {std::pair<const char*, int>{"width", width}, {"height", height}}) {
    // (the reference takes any multiple of 8; below 64 is a toy, as the parity fixtures' small shapes are)
    if (v < 8 || v > 2048) range_error(name, std::to_string(v), "8..2048 pixels");
    if (v % 8 != 0) range_error(name, std::to_string(v), "a multiple of 8");
  }
  if (steps < 1 || steps > 1000) range_error("steps", std::to_string(steps), "1..1000");
  if (!(eta >= 0 && eta <= 1)) range_error("eta", num(eta), "0..1");
  if (!(cfg_text >= 0 && cfg_text <= 50)) range_error("cfg_text", num(cfg_text), "0..50");
  if (!(cfg_image >= 0 && cfg_image <= 50)) range_error("cfg_image", num(cfg_image), "0..50");
  if (!(guidance_rescale >= 0 && guidance_rescale <= 1))
    range_error("guidance_rescale", num(guidance_rescale), "0..1");
  if (frame_stride < 1 || frame_stride > 30) range_error("frame_stride", std::to_string(frame_stride), "1..30");
  if (!(noise_alpha >= 0 && noise_alpha <= 100)) range_error("noise_alpha", num(noise_alpha), "0..100");
  if (noise_level < 1 || noise_level > 999) range_error("noise_level (tau)", std::to_string(noise_level), "1..999");
  // (a D0 of 1e-200 squares to 0 in the filter: a NaN mask, a black video; exactly 0 is the reference's zero
  // filter: no low band, the initial noise as it is)
  if (!(cutoff_spatial == 0 || (cutoff_spatial >= 0.001 && cutoff_spatial <= 1)))
    range_error("cutoff_spatial (D0 spatial)", num(cutoff_spatial), "0 or 0.001..1");
  if (!(cutoff_temporal == 0 || (cutoff_temporal >= 0.001 && cutoff_temporal <= 1)))
    range_error("cutoff_temporal (D0 temporal)", num(cutoff_temporal), "0 or 0.001..1");
  if (butterworth_order < 1 || butterworth_order > 16)
    range_error("butterworth_order", std::to_string(butterworth_order), "1..16");
  if (chunks < 1 || chunks > 32) range_error("chunks", std::to_string(chunks), "1..32");
  static const char* kPresets[] = {"", "pan_left", "pan_right", "zoom_in", "zoom_out", "tilt_up", "tilt_down"};
  bool ok = false;
  for (auto* pr : kPresets) ok = ok || camera_preset == pr;
  if (!ok)
    throw Error("parameter 'camera_preset': unknown preset '" + camera_preset +
                "' (expected pan_left, pan_right, zoom_in, zoom_out, tilt_up or tilt_down)");
  if (!camera_path.is_null()) {
    try {
      (void)sampling::CameraPath::from_json(camera_path);  // validates every keyframe
    } catch (const Error& e) {
      throw Error(std::string("parameter 'camera_path': ") + e.what());
    }
  }
  if (device != "auto" && device != "cpu" && device != "cuda")
    throw Error("parameter 'device' = '" + device + "': expected auto, cpu or cuda");
  if (dtype != "fp32" && dtype != "fp16" && dtype != "bf16")
    throw Error("parameter 'dtype' = '" + dtype + "': expected fp32, fp16 or bf16");
}

}  // namespace ci2v
