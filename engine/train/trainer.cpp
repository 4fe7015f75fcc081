#include "engine/train/trainer.h"
#include "engine/train/frameinit_input.h"

#include "engine/train/flat_adamw.h"
#include "engine/train/graphed_step.h"
#include "engine/limits.h"

#include <ATen/autocast_mode.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <algorithm>
#include <filesystem>
#include <cstdlib>
#include <fstream>
#include <future>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "engine/error.h"
#include "engine/files.h"
#include "engine/generator.h"
#include "engine/io/diffusers_folder.h"
#include "engine/io/state_dict.h"
#include "engine/nn/layers.h"
#include "engine/sampling/frameinit.h"
#include "engine/sampling/noise.h"
#include "engine/sampling/scheduler.h"
#include "engine/text/clip_text_model.h"
#include "engine/text/clip_tokenizer.h"
#include "engine/train/procedural.h"
#include "engine/unet/video_unet.h"
#include "engine/vae/autoencoder_kl.h"

namespace ci2v::train {

namespace fs = std::filesystem;
using json = nlohmann::json;
using torch::Tensor;

namespace {

// The raw UNet weights of a run with a moving average (TrainOptions::ema_decay), beside the model's unet/.
constexpr const char* kRawUNetDir = "unet-raw";
// The UNet's AdamW state (FlatAdamW::State: fp32 weights, moments, moving average) beside the model, so that
// --resume can go on exactly where a run stopped. Not part of the released layout: the loader never reads it.
// optimizer/unet_adamw-<step>.safetensors, named by train_state.json.
constexpr const char* kOptimizerDir = "optimizer";
constexpr const char* kOptimizerFilePrefix = "unet_adamw-";
constexpr const char* kVaeOptimizerFilePrefix = "vae_adamw-";  // a run stopped in its VAE stage
// The most UNet steps a checkpoint may record (train_state.json is read with this bound).
constexpr int64_t kMaxTrainSteps = int64_t(1) << 40;

// Checked readers of train_state.json: a missing key, a wrong type or an out-of-range value names `where` and the
// key (never a silent truncation: 2.5 or 1e30 is not a step count).
int64_t json_int(const json& j, const char* key, const std::string& where, int64_t lo, int64_t hi) {
  if (!j.is_object() || !j.contains(key)) throw Error(where + ": '" + key + "' is missing");
  const json& v = j.at(key);
  bool ok = false;
  int64_t value = 0;
  if (v.is_number_unsigned()) {  // how the parser stores a non-negative whole number
    ok = v.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    if (ok) value = static_cast<int64_t>(v.get<uint64_t>());
  } else if (v.is_number_integer()) {
    ok = true;
    value = v.get<int64_t>();
  }
  if (!ok || value < lo || value > hi)
    throw Error(where + ": '" + key + "' is " + v.dump() + ", expected a whole number in " + std::to_string(lo) +
                ".." + std::to_string(hi));
  return value;
}
double json_number(const json& j, const char* key, const std::string& where, double lo = -1e300) {
  if (!j.is_object() || !j.contains(key)) throw Error(where + ": '" + key + "' is missing");
  const json& v = j.at(key);
  if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < lo)
    throw Error(where + ": '" + key + "' is " + v.dump() + ", expected a number" +
                (lo > -1e300 ? " >= " + json(lo).dump() : std::string()));
  return v.get<double>();
}
bool json_bool(const json& j, const char* key, const std::string& where) {
  if (!j.is_object() || !j.contains(key)) throw Error(where + ": '" + key + "' is missing");
  if (!j.at(key).is_boolean()) throw Error(where + ": '" + key + "' is " + j.at(key).dump() + ", expected true or false");
  return j.at(key).get<bool>();
}
std::string json_string(const json& j, const char* key, const std::string& where) {
  if (!j.is_object() || !j.contains(key)) throw Error(where + ": '" + key + "' is missing");
  if (!j.at(key).is_string()) throw Error(where + ": '" + key + "' is " + j.at(key).dump() + ", expected a string");
  return j.at(key).get<std::string>();
}

// The options a run records in train_state.json ("settings"), for --resume: what defines its data and its recipe,
// then its time budget, checkpoint dtype and interval and its log.
json settings_json(const TrainOptions& o) {
  return json{{"preset", o.preset}, {"seed", o.seed}, {"batch", o.batch}, {"frames", o.frames}, {"size", o.size},
              {"lr", o.lr}, {"dtype", o.dtype}, {"camera_share", o.camera_share},
              {"varied_backgrounds", o.varied_backgrounds}, {"frameinit_share", o.frameinit_share},
              {"null_text", o.null_text_ratio}, {"null_image", o.null_image_ratio}, {"grad_clip", o.max_grad_norm},
              {"weight_decay", o.weight_decay}, {"ema", o.ema_decay}, {"max_seconds", o.max_seconds},
              {"vae_steps", std::max(-1, o.vae_steps)}, {"vae_lr", o.vae_lr}, {"vae_batch", std::max(-1, o.vae_batch)},
              {"vae_max_seconds", o.vae_max_seconds},
              {"save_dtype", o.save_dtype}, {"save_every", o.save_every}, {"device", o.device},
              {"cuda_graphs", o.cuda_graphs},
              {"log", o.log_csv.empty() ? std::string() : fs::absolute(o.log_csv).lexically_normal().string()}};
}

// The recorded settings a run that goes on (kRemainingSteps) must keep, with the option that sets each: its
// draws, its schedule and its updates depend on them.
struct RecipeSetting {
  const char* key;
  const char* option;
  double per_unit = 1;  // recorded value / per_unit = the option's value (max_seconds: --max-minutes)
};
constexpr RecipeSetting kRecipe[] = {
    {"preset", "--preset"},         {"seed", "--seed"},
    {"batch", "--batch"},           {"frames", "--frames"},
    {"size", "--size"},             {"lr", "--lr"},
    {"dtype", "--dtype"},           {"camera_share", "--camera-share"},
    {"varied_backgrounds", "--varied-backgrounds"}, {"frameinit_share", "--frameinit-share"},
    {"null_text", "--null-text"},   {"null_image", "--null-image"},
    {"grad_clip", "--grad-clip"},   {"weight_decay", "the weight decay"},
    {"ema", "--ema"},               {"max_seconds", "--max-minutes", 60},
    {"vae_steps", "--vae-steps"},   {"vae_lr", "--vae-lr"},
    {"vae_batch", "--vae-batch"},   {"vae_max_seconds", "--vae-max-minutes", 60}};

// ---- preset configurations ---------------------------------------------------------------------------------

json unet_json(const std::vector<int64_t>& channels, const std::vector<int64_t>& heads, int64_t layers,
               int64_t cross_dim, int64_t temp_heads, int64_t groups = 32) {
  json down = json::array(), up = json::array();
  for (size_t i = 0; i < channels.size(); ++i) down.push_back(i + 1 < channels.size() ? "CrossAttnDownBlock2D" : "DownBlock2D");
  for (size_t i = 0; i < channels.size(); ++i) up.push_back(i == 0 ? "UpBlock2D" : "CrossAttnUpBlock2D");
  return json{{"_class_name", "VideoLDMUNet3DConditionModel"}, {"_diffusers_version", "0.21.2"},
              {"act_fn", "silu"}, {"attention_head_dim", heads}, {"augment_temporal_attention", true},
              {"block_out_channels", channels}, {"center_input_sample", false}, {"conv_in_kernel", 3},
              {"conv_out_kernel", 3}, {"cross_attention_dim", cross_dim}, {"down_block_types", down},
              {"downsample_padding", 1}, {"dropout", 0.0}, {"dual_cross_attention", false},
              {"first_frame_condition_mode", "concat"}, {"flip_sin_to_cos", true}, {"freq_shift", 0},
              {"in_channels", 4}, {"layers_per_block", layers}, {"mid_block_scale_factor", 1},
              {"mid_block_type", "UNetMidBlock2DCrossAttn"}, {"n_frames", 8}, {"n_temp_heads", temp_heads},
              {"norm_eps", 1e-5}, {"norm_num_groups", groups}, {"only_cross_attention", false}, {"out_channels", 4},
              {"resnet_time_scale_shift", "default"}, {"sample_size", 8}, {"temp_pos_embedding", "rotary"},
              {"time_embedding_type", "positional"}, {"transformer_layers_per_block", 1},
              {"up_block_types", up}, {"upcast_attention", false}, {"use_frame_stride_condition", true},
              {"use_linear_projection", true}, {"use_temporal", true}};
}

json vae_json(const std::vector<int64_t>& channels, int64_t groups, int64_t layers) {
  json down = json::array(), up = json::array();
  for (size_t i = 0; i < channels.size(); ++i) down.push_back("DownEncoderBlock2D"), up.push_back("UpDecoderBlock2D");
  return json{{"_class_name", "AutoencoderKL"}, {"_diffusers_version", "0.21.2"}, {"act_fn", "silu"},
              {"block_out_channels", channels}, {"down_block_types", down}, {"force_upcast", true},
              {"in_channels", 3}, {"latent_channels", 4}, {"layers_per_block", layers},
              {"norm_num_groups", groups}, {"out_channels", 3}, {"sample_size", 64}, {"scaling_factor", 0.18215},
              {"up_block_types", up}};
}

json text_json(int64_t hidden, int64_t heads, int64_t intermediate, int64_t layers) {
  return json{{"architectures", json::array({"CLIPTextModel"})}, {"attention_dropout", 0.0}, {"bos_token_id", 0},
              {"dropout", 0.0}, {"eos_token_id", 2}, {"hidden_act", "gelu"}, {"hidden_size", hidden},
              {"initializer_factor", 1.0}, {"initializer_range", 0.02}, {"intermediate_size", intermediate},
              {"layer_norm_eps", 1e-5}, {"max_position_embeddings", 77}, {"model_type", "clip_text_model"},
              {"num_attention_heads", heads}, {"num_hidden_layers", layers}, {"pad_token_id", 1},
              {"projection_dim", 512}, {"torch_dtype", "float32"}, {"transformers_version", "4.25.1"},
              {"vocab_size", 49408}};
}

struct Preset {
  json unet, vae, text;
  int vae_steps;
};

Preset make_preset(const std::string& name) {
  if (name == "tiny")  // the sizes of tests/fixtures/parity/tiny_pipeline
    return {unet_json({32, 64}, {2, 4}, 2, 24, 2), vae_json({16, 32, 32, 32}, 16, 1), text_json(24, 2, 64, 2), 20};
  // demo: fp16 weights of the whole folder stay under 20 MB. Group norms keep several channels per group (SD:
  // 128 / 32 = 4 in the VAE, 320 / 32 = 10 in the UNet): with one channel per group a norm removes each channel's
  // mean, so a flat background colour cannot pass the VAE decoder's conv_norm_out (it came back grey).
  if (name == "demo")
    return {unet_json({64, 96, 96}, {2, 3, 3}, 1, 32, 4, 16), vae_json({32, 64, 64, 64}, 8, 1),
            text_json(32, 2, 128, 2), 400};
  throw Error("train: --preset '" + name + "': expected tiny or demo");
}

// ---- helpers -------------------------------------------------------------------------------------------------

// Random init for training from scratch: nn::init_random sets norms to 1, biases to 0, mixing alphas to 0.5;
// the other weights are then drawn with std 1/sqrt(fan_in) (LeCun normal) so the activations keep their scale.
void init_for_training(torch::nn::Module& m, uint64_t seed) {
  nn::init_random(m, seed);
  torch::NoGradGuard ng;
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed + 1);
  for (auto& item : m.named_parameters(true)) {
    const std::string& n = item.key();
    auto& p = item.value();
    const auto dot = n.rfind('.');
    const std::string leaf = dot == std::string::npos ? n : n.substr(dot + 1);
    const std::string owner = dot == std::string::npos ? "" : n.substr(0, dot);
    if (leaf != "weight" || owner.find("norm") != std::string::npos || p.dim() < 2) continue;
    if (owner.find("embedding") != std::string::npos && owner.find("time_embedding") == std::string::npos &&
        owner.find("frame_stride_embedding") == std::string::npos)
      continue;  // token / position embeddings keep init_random's small std
    const int64_t fan_in = p.numel() / p.size(0);
    auto t = at::empty(p.sizes(), torch::TensorOptions().dtype(torch::kFloat));
    t.normal_(0.0, 1.0 / std::sqrt(static_cast<double>(fan_in)), gen);
    p.copy_(t.to(p.options()));
  }
}

void freeze(torch::nn::Module& m) {
  for (auto& p : m.parameters(true)) p.set_requires_grad(false);
}

// [3, H, W] in [-1, 1]
Tensor image_tensor(const RgbImage& img) {
  auto t = torch::from_blob(const_cast<uint8_t*>(img.rgb.data()), {img.height, img.width, 3}, torch::kUInt8);
  return t.permute({2, 0, 1}).to(torch::kFloat).div(127.5).sub(1.0);
}

// [B, 3, F, H, W] in [-1, 1]
Tensor clips_tensor(const std::vector<Clip>& clips) {
  std::vector<Tensor> vids;
  for (const auto& c : clips) {
    std::vector<Tensor> fr;
    for (const auto& f : c.frames) fr.push_back(image_tensor(f));
    vids.push_back(torch::stack(fr, 1));  // [3, F, H, W]
  }
  return torch::stack(vids, 0);
}

// One clip of a step: the generator's seed, its frame count and frame stride.
struct ClipJob {
  uint64_t seed;
  int frames, stride;
};

// The clips of a step, rendered on several threads (each clip depends on its job only, so the result is the
// same for any thread count). On a GPU a step's clips took a sixth of the step on one thread.
std::vector<Clip> render_clips(const std::vector<ClipJob>& jobs, const TrainOptions& o) {
  std::vector<Clip> out(jobs.size());
  std::vector<std::exception_ptr> errors(jobs.size());
  auto run = [&](size_t begin, size_t step) {
    for (size_t i = begin; i < jobs.size(); i += step) try {
        out[i] = make_clip(jobs[i].seed, jobs[i].frames, o.size, jobs[i].stride, o.camera_share, o.varied_backgrounds);
      } catch (...) {
        errors[i] = std::current_exception();  // rethrown on the calling thread
      }
  };
  const size_t hw = std::max(1u, std::thread::hardware_concurrency());
  const size_t n = std::min(jobs.size(), o.data_threads > 0 ? static_cast<size_t>(o.data_threads) : std::min<size_t>(8, hw));
  std::vector<std::thread> pool;
  for (size_t k = 1; k < n; ++k) pool.emplace_back(run, k, n);
  run(0, std::max<size_t>(1, n));
  for (auto& t : pool) t.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
  return out;
}

uint64_t clip_seed(uint64_t seed, int64_t step, int64_t b, uint64_t stream) {
  uint64_t z = seed * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(step) * 0xBF58476D1CE4E5B9ull +
               static_cast<uint64_t>(b) * 0x94D049BB133111EBull + stream;
  return z ^ (z >> 29);
}

// The module's parameters (floating-point ones in `dt`) and buffers on the host, under `prefix` + their names.
void collect_tensors(const torch::nn::Module& m, const std::string& prefix, torch::ScalarType dt,
                     std::map<std::string, Tensor>& into) {
  for (const auto& item : m.named_parameters(true)) {
    auto t = item.value().detach().to(torch::kCPU);
    into[prefix + item.key()] = (t.is_floating_point() ? t.to(dt) : t).contiguous();
  }
  for (const auto& item : m.named_buffers(true)) into[prefix + item.key()] = item.value().detach().to(torch::kCPU).contiguous();
}

uint64_t write_weights(const torch::nn::Module& m, const std::string& path, torch::ScalarType dt) {
  std::map<std::string, Tensor> tensors;
  collect_tensors(m, "", dt, tensors);
  io::save_tensors_safetensors(tensors, path);
  return static_cast<uint64_t>(fs::file_size(path));
}

void write_json(const json& j, const std::string& path) {
  write_file_atomically(path, j.dump(2) + "\n");  // a full disk leaves the earlier file, not half of one
}

// Learning rate at step s of n: linear warm-up over the first `warmup` steps, then cosine decay to 5 % of
// `peak` (a constant rate left the VAE's and the UNet's losses noisy to the end of a short run).
// `time_fraction` (of a wall-time budget, 0 without one) advances the decay when it is ahead of the steps.
// The warm-up ends at its step count, or early once a time budget is a tenth spent (a short budget then still
// decays to the low rate); the last step of a step-bounded run (s = n - 1) runs at the low rate.
double scheduled_lr(double peak, int64_t s, int64_t n, int64_t warmup, double time_fraction = 0) {
  if (s < warmup && time_fraction < 0.1) return peak * static_cast<double>(s + 1) / static_cast<double>(warmup);
  const double p = std::max(n - 1 > warmup ? static_cast<double>(s - warmup) / static_cast<double>(n - 1 - warmup) : 1.0,
                            time_fraction);
  return peak * (0.05 + 0.95 * 0.5 * (1.0 + std::cos(3.14159265358979323846 * std::min(1.0, p))));
}

// bf16 mixed precision for the UNet's forward, as torch.autocast(dtype=bfloat16) does: the weights, gradients and
// AdamW state stay fp32; convolutions and matrix products run in bf16 (8-bit exponent like fp32, so no loss
// scaling), the numerically sensitive ops (norms, softmax, losses) in fp32 as autocast's op lists say. The
// autocast cache of the bf16 weight copies is cleared when the scope ends, since the weights change every step.
class BF16Autocast {
public:
  BF16Autocast(bool on, c10::DeviceType dev) : on_(on), dev_(dev) {
    if (!on_) return;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    was_on_ = at::autocast::is_autocast_enabled(dev_);
    was_dtype_ = at::autocast::get_autocast_dtype(dev_);
    at::autocast::set_autocast_dtype(dev_, at::kBFloat16);
    at::autocast::set_autocast_enabled(dev_, true);
#else
    if (dev_ == c10::DeviceType::CUDA) {
      was_on_ = at::autocast::is_enabled();
      was_dtype_ = at::autocast::get_autocast_gpu_dtype();
      at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
      at::autocast::set_enabled(true);
    } else {
      was_on_ = at::autocast::is_cpu_enabled();
      was_dtype_ = at::autocast::get_autocast_cpu_dtype();
      at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
      at::autocast::set_cpu_enabled(true);
    }
#endif
    at::autocast::increment_nesting();
  }
  ~BF16Autocast() {
    if (!on_) return;
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    at::autocast::set_autocast_enabled(dev_, was_on_);
    at::autocast::set_autocast_dtype(dev_, was_dtype_);
#else
    if (dev_ == c10::DeviceType::CUDA) {
      at::autocast::set_enabled(was_on_);
      at::autocast::set_autocast_gpu_dtype(was_dtype_);
    } else {
      at::autocast::set_cpu_enabled(was_on_);
      at::autocast::set_autocast_cpu_dtype(was_dtype_);
    }
#endif
  }
  BF16Autocast(const BF16Autocast&) = delete;
  BF16Autocast& operator=(const BF16Autocast&) = delete;

private:
  bool on_;
  c10::DeviceType dev_;
  bool was_on_ = false;
  at::ScalarType was_dtype_ = at::kBFloat16;
};

// ---- VAE: a short autoencoder run -------------------------------------------------------------------------

struct VaeOut {
  Tensor recon, mean, logvar;
};

VaeOut vae_forward_train(vae::AutoencoderKLImpl& v, const Tensor& x, const Tensor& eps) {
  auto moments = v.quant_conv->forward(v.encoder->forward(x));  // [N, 2*latent, h, w]
  auto parts = moments.chunk(2, 1);
  VaeOut o;
  o.mean = parts[0];
  o.logvar = at::clamp(parts[1], -30.0, 20.0);
  auto z = o.mean + at::exp(0.5 * o.logvar) * eps;  // posterior sample [N, latent, h, w]
  o.recon = v.decoder->forward(v.post_quant_conv->forward(z));  // [N, 3, H, W]
  return o;
}

}  // namespace

PresetConfigs preset_configs(const std::string& preset) {
  auto p = make_preset(preset);
  return {p.unet.dump(2), p.vae.dump(2), p.text.dump(2)};
}

FrameInitInput frameinit_training_input(const Tensor& z, const Tensor& eps, double abar_t, double abar_tau, double d0) {
  if (z.sizes() != eps.sizes() || z.dim() != 5 || z.size(0) != 1)
    throw Error("frameinit_training_input: z and eps must both be [1, C, F, h, w]");
  if (!(abar_t > 0 && abar_t < 1) || !(abar_tau > 0 && abar_tau < 1) || !(d0 >= 0))
    throw Error("frameinit_training_input: expected 0 < abar_t, abar_tau < 1 and d0 >= 0");
  // built on the host; to the device through pinned memory, without waiting for the queued training step
  const auto lpf = nn::to_device_async(sampling::gaussian_low_pass_filter(z.sizes(), d0, d0), z.device());
  const auto z_tau = std::sqrt(abar_tau) * z + std::sqrt(1.0 - abar_tau) * eps;
  FrameInitInput r;
  r.x = sampling::freq_mix_3d(z_tau, eps, lpf).to(z.scalar_type());
  r.target = (r.x - std::sqrt(abar_t) * z) / std::sqrt(1.0 - abar_t);
  return r;
}

std::optional<TrainOptions> recorded_options(const std::string& out_dir) {
  const fs::path state_path = fs::path(out_dir) / "train_state.json";
  if (!fs::exists(state_path)) return std::nullopt;
  const json state = io::read_json_file(state_path.string());
  if (!state.is_object() || !state.contains("settings")) return std::nullopt;
  const json& st = state["settings"];
  const std::string where = state_path.string() + ": settings";
  if (!st.is_object()) throw Error(where + ": expected an object");
  constexpr int64_t kIntMax = std::numeric_limits<int>::max();
  auto whole = [&](const char* key, int64_t lo) { return static_cast<int>(json_int(st, key, where, lo, kIntMax)); };
  TrainOptions o;
  o.out_dir = out_dir;
  o.resume = true;
  o.steps = kRemainingSteps;
  o.preset = json_string(st, "preset", where);
  o.seed = static_cast<uint64_t>(json_int(st, "seed", where, 0, std::numeric_limits<int64_t>::max()));
  o.batch = whole("batch", 1);
  o.frames = whole("frames", 1);
  o.size = whole("size", 1);
  o.lr = json_number(st, "lr", where);
  o.dtype = json_string(st, "dtype", where);
  o.camera_share = json_number(st, "camera_share", where);
  o.varied_backgrounds = json_bool(st, "varied_backgrounds", where);
  o.frameinit_share = json_number(st, "frameinit_share", where);
  o.null_text_ratio = json_number(st, "null_text", where);
  o.null_image_ratio = json_number(st, "null_image", where);
  o.max_grad_norm = json_number(st, "grad_clip", where);
  o.weight_decay = json_number(st, "weight_decay", where);
  o.ema_decay = json_number(st, "ema", where);
  o.max_seconds = json_number(st, "max_seconds", where, 0);
  // (keys a state may lack, written before they were recorded: their defaults)
  const TrainOptions defaults;
  auto has = [&](const char* key) { return st.contains(key); };
  o.vae_steps = has("vae_steps") ? std::max(-1, whole("vae_steps", std::numeric_limits<int>::min())) : defaults.vae_steps;
  o.vae_lr = has("vae_lr") ? json_number(st, "vae_lr", where) : defaults.vae_lr;
  o.vae_batch = has("vae_batch") ? std::max(-1, whole("vae_batch", std::numeric_limits<int>::min())) : defaults.vae_batch;
  o.vae_max_seconds = has("vae_max_seconds") ? json_number(st, "vae_max_seconds", where, 0) : defaults.vae_max_seconds;
  o.save_dtype = json_string(st, "save_dtype", where);
  o.save_every = whole("save_every", 0);
  o.log_csv = json_string(st, "log", where);
  o.device = has("device") ? json_string(st, "device", where) : defaults.device;
  o.cuda_graphs = has("cuda_graphs") ? json_bool(st, "cuda_graphs", where) : defaults.cuda_graphs;
  return o;
}

TrainReport train(const TrainOptions& o) {
  const auto t_start = std::chrono::steady_clock::now();
  auto log = [&](const std::string& s) {
    if (o.log) o.log(s);
  };
  // ---- validate -------------------------------------------------------------------------------------------
  if (o.out_dir.empty()) throw Error("train: --out DIR is required (the checkpoint folder)");
  const bool go_on = o.resume && o.steps == kRemainingSteps;  // the interrupted run's own plan
  if (o.steps < 1 && !go_on) throw Error("train: --steps must be at least 1, got " + std::to_string(o.steps));
  if (o.batch < 1 || o.batch > 1024) throw Error("train: --batch must be in 1..1024, got " + std::to_string(o.batch));
  if (!(o.max_seconds >= 0)) throw Error("train: --max-minutes must not be negative, got " + std::to_string(o.max_seconds / 60));
  if (!(o.vae_max_seconds >= 0))
    throw Error("train: --vae-max-minutes must not be negative, got " + std::to_string(o.vae_max_seconds / 60));
  if (o.vae_batch == 0 || o.vae_batch > 1024)
    throw Error("train: --vae-batch must be in 1..1024 (or negative for the default), got " + std::to_string(o.vae_batch));
  if (!(o.frameinit_share >= 0 && o.frameinit_share <= 1))
    throw Error("train: --frameinit-share must be in 0..1, got " + std::to_string(o.frameinit_share));
  if (!(o.max_grad_norm >= 0))
    throw Error("train: --grad-clip must be >= 0 (the global gradient norm's bound; 0: no clipping), got " +
                std::to_string(o.max_grad_norm));
  if (!(o.ema_decay >= 0 && o.ema_decay < 1))
    throw Error("train: --ema must be in [0, 1) (the moving average's decay, e.g. 0.999; 0: off), got " +
                std::to_string(o.ema_decay));
  if (o.data_threads < 0 || o.data_threads > kMaxThreads)
    throw Error("train: --data-threads must be in 0.." + std::to_string(kMaxThreads) + ", got " +
                std::to_string(o.data_threads));
  if (o.frames < 2 || o.frames > 64) throw Error("train: --frames must be 2..64 (the first frame + 1), got " + std::to_string(o.frames));
  if (o.size < 64 || o.size % 8 != 0 || o.size > 1024)
    throw Error("train: --size must be a multiple of 8 in 64..1024 (the pipeline's minimum is 64), got " + std::to_string(o.size));
  if (!(o.lr > 0 && o.lr < 1)) throw Error("train: --lr must be in (0, 1), got " + std::to_string(o.lr));
  if (!(o.vae_lr > 0 && o.vae_lr < 1)) throw Error("train: --vae-lr must be in (0, 1), got " + std::to_string(o.vae_lr));
  if (!(o.null_text_ratio >= 0 && o.null_text_ratio <= 1))
    throw Error("train: --null-text must be in 0..1 (the share of captions dropped), got " + std::to_string(o.null_text_ratio));
  if (!(o.null_image_ratio >= 0 && o.null_image_ratio <= 1))
    throw Error("train: --null-image must be in 0..1 (the share of first frames dropped), got " +
                std::to_string(o.null_image_ratio));
  if (o.save_every < 0) throw Error("train: --save-every must not be negative (0: only at the end), got " + std::to_string(o.save_every));
  if (o.threads < 0 || o.threads > kMaxThreads)
    throw Error("train: --threads must be in 0.." + std::to_string(kMaxThreads) + " (0: leave as is), got " +
                std::to_string(o.threads));
  if (!(o.camera_share >= 0.25 && o.camera_share <= 1.0))
    throw Error("train: --camera-share must be in 0.25..1 (a quarter of the clips always move the camera), got " +
                std::to_string(o.camera_share));
  if (o.dtype != "fp32" && o.dtype != "bf16")
    throw Error("train: --dtype '" + o.dtype + "': expected fp32 or bf16 (bf16 autocast of the UNet's forward)");
  if (o.save_dtype != "fp32" && o.save_dtype != "fp16")
    throw Error("train: --save-dtype '" + o.save_dtype + "': expected fp32 or fp16");
  auto preset = make_preset(o.preset);
  const auto device = resolve_device(o.device);
  const auto save_dt = o.save_dtype == "fp16" ? torch::kFloat16 : torch::kFloat32;
  if (o.threads > 0) torch::set_num_threads(o.threads);

  const fs::path out(o.out_dir);
  const bool resuming = o.resume && fs::exists(out / "unet" / "diffusion_pytorch_model.safetensors");
  if (o.resume && !resuming) throw Error("train: --resume: " + (out / "unet").string() + " holds no checkpoint to resume");
  // a resumed --ema run: training goes on from the raw weights beside the model, the average from the model
  const fs::path raw_weights = out / kRawUNetDir / "diffusion_pytorch_model.safetensors";
  const bool ema_goes_on = resuming && !go_on && o.ema_decay > 0 && fs::exists(raw_weights);
  const bool vae_given = !o.vae_from.empty();
  if (vae_given && o.resume) throw Error("train: --vae-from and --resume exclude each other (--resume keeps the VAE it finds)");
  if (vae_given && fs::exists(o.vae_from) && fs::exists(out) && fs::equivalent(fs::path(o.vae_from), out))
    throw Error("train: --vae-from '" + o.vae_from + "' is the --out folder: the new model would overwrite its source");
  if (vae_given && (!fs::exists(fs::path(o.vae_from) / "vae" / "config.json") ||
                    !fs::exists(fs::path(o.vae_from) / "text_encoder" / "config.json")))
    throw Error("train: --vae-from '" + o.vae_from + "': expected a model folder with vae/ and text_encoder/ (the released layout)");
  std::string tok_dir = o.tokenizer_dir;
  if (resuming && tok_dir.empty()) tok_dir = (out / "tokenizer").string();
  if (vae_given && tok_dir.empty()) tok_dir = (fs::path(o.vae_from) / "tokenizer").string();
  if (tok_dir.empty() || !fs::exists(fs::path(tok_dir) / "vocab.json") || !fs::exists(fs::path(tok_dir) / "merges.txt"))
    throw Error("train: --tokenizer '" + tok_dir + "': expected a CLIP tokenizer folder with vocab.json and merges.txt");
  auto tokenizer = text::ClipTokenizer::from_folder(tok_dir);
  for (const char* d : {"unet", "vae", "text_encoder", "tokenizer", "scheduler"}) fs::create_directories(out / d);

  TrainReport rep;
  const auto fo = torch::TensorOptions().dtype(torch::kFloat32).device(device);
  int64_t step0 = 0;
  // The UNet stage's plan: its first step, its steps and its time budget's seconds already spent (a run that goes
  // on from a stopped one keeps that run's plan; any other run starts a plan of o.steps at its first step).
  int64_t plan_first = 0, plan_steps = o.steps;
  double plan_seconds_before = 0;
  std::string optimizer_file;  // the stopped run's AdamW state (go_on), read before anything is written
  io::StateDict optimizer_state;
  // The VAE stage's plan: its steps, those taken, its seconds; open while it is unfinished (a run stopped in it
  // goes on with it: vae_optimizer_file holds its AdamW state).
  int64_t vae_plan_steps = 0, vae_done = 0;
  double vae_seconds = 0;
  bool vae_stage_open = false;
  std::string vae_optimizer_file;
  io::StateDict vae_optimizer_state;
  std::optional<FlatAdamW> vae_opt;
  json recorded_vae_stage;  // a finished VAE stage the checkpoint records (this run has none of its own)
  int64_t optimizer_steps = 0, ema_first_step = 0;

  // ---- networks ---------------------------------------------------------------------------------------------
  auto unet_cfg = unet::UNetConfig::from_json(preset.unet, "preset " + o.preset + " unet");
  auto vae_cfg = vae::VaeConfig::from_json(preset.vae, "preset " + o.preset + " vae");
  auto text_cfg = text::ClipTextConfig::from_json(preset.text, "preset " + o.preset + " text_encoder");
  unet::VideoUNet unet_net(unet_cfg, torch::TensorOptions().dtype(torch::kFloat32));
  vae::AutoencoderKL vae_net{nullptr};
  text::ClipTextModel text_net{nullptr};
  double scaling = vae_cfg.scaling_factor;
  // The frozen VAE and text encoder of an existing model folder (--resume: the checkpoint's own; --vae-from: the
  // given model's), checked against the preset's UNet; their configs and latent scale are what the checkpoint gets.
  auto load_frozen_parts = [&](const fs::path& dir, const std::string& what) {
    vae_net = vae::load_autoencoder_kl((dir / "vae").string());
    text_net = text::load_clip_text_model((dir / "text_encoder").string());
    const auto& vc = vae_net->config();
    if (vc.latent_channels != unet_cfg.in_channels || vc.downscale() != vae_cfg.downscale())
      throw Error("train: " + what + " '" + dir.string() + "': its VAE has " + std::to_string(vc.latent_channels) +
                  " latent channels and downscales by " + std::to_string(vc.downscale()) + "; preset " + o.preset +
                  " expects " + std::to_string(unet_cfg.in_channels) + " and " + std::to_string(vae_cfg.downscale()));
    const int64_t hidden = text_net->config().hidden_size;
    for (const auto d : unet_cfg.cross_attention_dim)
      if (d != hidden)
        throw Error("train: " + what + " '" + dir.string() + "': its text encoder's hidden_size is " +
                    std::to_string(hidden) + "; preset " + o.preset + "'s UNet expects cross_attention_dim " +
                    std::to_string(d));
    scaling = vc.scaling_factor;
    preset.vae = io::read_json_file((dir / "vae" / "config.json").string());
    preset.text = io::read_json_file((dir / "text_encoder" / "config.json").string());
    preset.vae["scaling_factor"] = scaling;
  };
  if (resuming) {
    load_frozen_parts(out, "--resume");
    unet::load_video_unet_weights(*unet_net, io::StateDict::from_file((out / "unet" / "diffusion_pytorch_model.safetensors").string()),
                                  "resume unet");
    if (fs::exists(out / "train_state.json")) {
      const auto state_path = (out / "train_state.json").string();
      const json state = io::read_json_file(state_path);
      const std::string where = "train: --resume: " + state_path;
      step0 = json_int(state, "steps", where, 0, kMaxTrainSteps);
      if (state.contains("vae_stage") && state["vae_stage"].is_object()) {
        const json& vs = state["vae_stage"];
        const bool open = vs.contains("finished") && vs["finished"].is_boolean() && !vs["finished"].get<bool>();
        if (!open) recorded_vae_stage = vs;  // kept in the states this run writes
        if (open && !go_on)
          log("note: the VAE stage of the run in " + out.string() + " stopped after " + vs.value("done", json()).dump() +
              " of " + vs.value("steps", json()).dump() + " steps; this new plan trains the UNet on that VAE as it is "
              "(--resume without --steps goes on with the VAE stage)");
      }
      if (go_on) {
        if (!state.contains("settings") || !state.contains("plan"))
          throw Error(where + " records no plan of its run (an older consisti2v wrote it): give --steps N to train "
                      "N more steps from its weights");
        // the recipe must be the run's own: its draws, schedule and updates depend on it
        // (a key the state lacks, written before it was recorded, stands for its default)
        const json mine = settings_json(o), defaults = settings_json(TrainOptions{});
        json theirs = state["settings"];
        if (theirs.is_object())
          for (const auto& r : kRecipe)
            if (!theirs.contains(r.key)) theirs[r.key] = defaults[r.key];
        for (const auto& r : kRecipe)
          if (!theirs.is_object() || mine[r.key] != theirs[r.key]) {
            auto shown = [&](const json& v) {  // the option's own unit (--max-minutes: minutes)
              return r.per_unit != 1 && v.is_number() ? json(v.get<double>() / r.per_unit).dump() : v.dump();
            };
            throw Error(std::string("train: --resume goes on with the stopped run's own settings, and ") + r.option +
                        " is " + shown(mine[r.key]) + " where " + state_path + " records " +
                        (theirs.is_object() && theirs.contains(r.key) ? shown(theirs[r.key]) : std::string("none")) +
                        ": leave it out, or give --steps N to train N more steps with new settings");
          }
        const json& plan = state["plan"];
        const std::string plan_where = where + ": plan";
        plan_first = json_int(plan, "first_step", plan_where, 0, step0);
        plan_steps = json_int(plan, "steps", plan_where, 1, kMaxTrainSteps);
        plan_seconds_before = json_number(plan, "seconds", plan_where, 0);
        if (!plan.contains("finished") || !plan["finished"].is_boolean())
          throw Error(plan_where + ": 'finished' is missing or not true/false");
        if (plan["finished"].get<bool>() || step0 >= plan_first + plan_steps)
          throw Error("train: --resume: the run in " + out.string() + " finished its plan (" + std::to_string(step0) +
                      " steps" + (o.max_seconds > 0 ? ", or its time budget" : "") +
                      "): give --steps N to train N more steps (a new learning-rate schedule)");
        // An AdamW state file a record names (optimizer/<name>.safetensors), read and checked now, before the log is
        // touched: its own step count must be the record's (a run killed while it wrote a checkpoint leaves the
        // older state naming the older file); the frozen parts come back as the stopped run held them (fp32).
        auto open_state = [&](const json& rec, const std::string& rec_where, int64_t steps, std::string& file,
                              io::StateDict& sd) {
          const fs::path rel = json_string(rec, "file", rec_where);
          if (rel.empty() || rel.is_absolute() || *rel.begin() != kOptimizerDir || rel.filename().extension() != ".safetensors" ||
              std::any_of(rel.begin(), rel.end(), [](const fs::path& c) { return c == ".."; }))
            throw Error(rec_where + ": 'file' is '" + rel.string() + "', expected optimizer/<name>.safetensors");
          (void)json_int(rec, "steps", rec_where, steps, steps);
          file = (out / rel).string();
          if (!fs::is_regular_file(file))
            throw Error(where + " names the AdamW state " + file + ", which is missing: the run cannot go on exactly; "
                        "give --steps N to train N more steps from its weights (a new schedule)");
          sd = io::StateDict::from_file(file);
          const auto held = sd.contains("steps") ? sd.get("steps") : Tensor();
          if (!held.defined() || held.numel() != 1 || held.scalar_type() != torch::kInt64 || held.item<int64_t>() != steps)
            throw Error("train: --resume: " + file + " holds " +
                        (held.defined() && held.numel() == 1 ? std::to_string(held.item<int64_t>()) + " AdamW steps"
                                                             : std::string("no step count ('steps')")) +
                        " where " + state_path + " records " + std::to_string(steps) +
                        ": the state and the file do not belong together; give --steps N to train N more steps "
                        "from the weights");
          const auto keys = sd.keys();
          if (std::any_of(keys.begin(), keys.end(), [](const std::string& k) { return k.rfind("vae.", 0) == 0; })) {
            vae::load_vae_weights(*vae_net, sd.sub("vae."), file + " (vae.)");
            text::load_clip_text_weights(*text_net, sd.sub("text_encoder."), file + " (text_encoder.)");
          }
          // the UNet's tensors outside the optimiser's buffer (the rotary frequencies, buffers)
          torch::NoGradGuard ng;
          auto params = unet_net->named_parameters(true), buffers = unet_net->named_buffers(true);
          for (const auto& key : keys) {
            if (key.rfind("unet_fixed.", 0) != 0) continue;
            const std::string name = key.substr(std::string("unet_fixed.").size());
            torch::Tensor* dst = params.find(name);
            if (!dst) dst = buffers.find(name);
            const auto src = sd.get(key);
            if (!dst || dst->sizes() != src.sizes())
              throw Error("train: --resume: " + file + ": '" + key + "' " +
                          (dst ? "has the shape " + shape_str(src.sizes().vec()) + ", expected " + shape_str(dst->sizes().vec())
                               : std::string("names no tensor of this UNet")));
            dst->copy_(src);
          }
        };
        if (state.contains("vae_stage")) {  // stopped in the VAE stage: it goes on first
          const json& vs = state["vae_stage"];
          const std::string vae_where = where + ": vae_stage";
          if (!json_bool(vs, "finished", vae_where)) {
            vae_plan_steps = json_int(vs, "steps", vae_where, 1, kMaxTrainSteps);
            vae_done = json_int(vs, "done", vae_where, 0, vae_plan_steps - 1);
            vae_seconds = json_number(vs, "seconds", vae_where, 0);
            if (step0 != 0)
              throw Error(vae_where + ": unfinished, but the checkpoint records " + std::to_string(step0) + " UNet steps");
            // (also after 0 steps: the file holds the fp32 VAE and text encoder the checkpoint may round)
            if (vs.contains("optimizer"))
              open_state(vs["optimizer"], vae_where + ": optimizer", vae_done, vae_optimizer_file, vae_optimizer_state);
            else if (vae_done > 0)
              throw Error(vae_where + " records no optimizer state for its " + std::to_string(vae_done) +
                          " steps: the run cannot go on exactly; give --steps N to train the UNet on its VAE");
          }
        }
        if (state.contains("optimizer")) {
          const json& opt = state["optimizer"];
          const std::string opt_where = where + ": optimizer";
          optimizer_steps = step0 - plan_first;
          open_state(opt, opt_where, optimizer_steps, optimizer_file, optimizer_state);
          ema_first_step = json_int(opt, "ema_first_step", opt_where, 0, kMaxTrainSteps);
        }
        if (step0 > plan_first && optimizer_file.empty())
          throw Error(where + " records no optimizer state for its " + std::to_string(step0 - plan_first) +
                      " steps: the run cannot go on exactly; give --steps N to train N more steps from its weights "
                      "(a new schedule)");
      }
    } else if (go_on) {
      throw Error("train: --resume: " + (out / "train_state.json").string() +
                  " is missing: give --steps N (and the run's options) to train N more steps from the weights");
    }
    if (!go_on) plan_first = step0;
    // the VAE stage goes on: the UNet starts as the stopped run's did, from the seed (the checkpoint holds it
    // untrained, but perhaps rounded to fp16)
    if (vae_plan_steps > vae_done) {
      init_for_training(*unet_net, o.seed);
      unet_net->reset_rotary_frequencies();
    }
    log(go_on ? "going on with the run in " + out.string() +
                    (vae_plan_steps > vae_done ? ": VAE steps " + std::to_string(vae_done + 1) + ".." +
                                                     std::to_string(vae_plan_steps) + " of its VAE stage" +
                                                     (vae_optimizer_file.empty() ? std::string()
                                                                                 : " (AdamW state " + vae_optimizer_file + ")") +
                                                     ", then"
                                               : std::string(":")) +
                    " steps " + std::to_string(step0 + 1) + ".." +
                    std::to_string(plan_first + plan_steps) + " of its plan, its learning-rate schedule and " +
                    (optimizer_file.empty() ? std::string("a fresh AdamW (none of its steps were taken)")
                                            : "AdamW state (" + optimizer_file + ")")
              : "resuming from " + out.string() + " at step " + std::to_string(step0) + " (a new plan of " +
                    std::to_string(o.steps) + " steps)" +
                    (ema_goes_on ? std::string(" (the raw weights of ") + kRawUNetDir + "/, the moving average of unet/)"
                                 : std::string()));
  } else if (vae_given) {
    init_for_training(*unet_net, o.seed);
    unet_net->reset_rotary_frequencies();
    load_frozen_parts(o.vae_from, "--vae-from");
    log("VAE and text encoder from " + o.vae_from + " (frozen, no VAE training); the UNet from scratch");
  } else {
    init_for_training(*unet_net, o.seed);
    unet_net->reset_rotary_frequencies();
    vae_net = vae::AutoencoderKL(vae_cfg, torch::TensorOptions().dtype(torch::kFloat32));
    init_for_training(*vae_net, o.seed + 100);
    {
      // Start from a nearly deterministic posterior (std e^-4 ≈ 0.02): with logvar ≈ 0 the sampled latents are
      // mostly noise at first and the decoder learns only the mean picture for hundreds of steps.
      torch::NoGradGuard ng;
      vae_net->quant_conv->bias.narrow(0, vae_cfg.latent_channels, vae_cfg.latent_channels).fill_(-8.0);
    }
    text_net = text::ClipTextModel(text_cfg, torch::TensorOptions().dtype(torch::kFloat32));
    nn::init_random(*text_net, o.seed + 200, 0.5);  // fixed random text encoder (see trainer.h)
  }
  unet_net->to(device);
  vae_net->to(device);
  text_net->to(device);
  freeze(*text_net);
  rep.unet_parameters = io::count_parameters(*unet_net);
  rep.vae_parameters = io::count_parameters(*vae_net);
  rep.text_parameters = io::count_parameters(*text_net);
  log("preset " + o.preset + ": unet " + std::to_string(rep.unet_parameters) + " params, vae " +
      std::to_string(rep.vae_parameters) + ", text encoder " + std::to_string(rep.text_parameters) + " (fixed)");


  // ---- the loss log (opened before any training: a bad path must not cost the VAE stage) ------------------------
  std::ofstream csv;
  if (!o.log_csv.empty()) {
    const bool append = resuming && fs::exists(o.log_csv);
    if (append) {
      // the rows of steps after the checkpoint (a run stopped between checkpoints) are dropped: the resumed run
      // takes those steps again
      std::ifstream in(o.log_csv);
      std::string line, kept;
      int64_t dropped = 0;
      for (bool header = true; std::getline(in, line); header = false) {
        if (!header && !line.empty() && std::atoll(line.c_str()) > step0) {
          ++dropped;
          continue;
        }
        kept += line + "\n";
      }
      if (dropped > 0) {
        write_file_atomically(o.log_csv, kept);
        log("--log: dropped " + std::to_string(dropped) + " rows after the checkpoint's step " + std::to_string(step0));
      }
    }
    csv.open(o.log_csv, append ? std::ios::app : std::ios::trunc);
    if (!csv) throw Error("train: --log '" + o.log_csv + "': cannot write");
    if (!append) csv << "step,loss,seconds\n" << std::flush;
    if (!csv) throw Error("train: --log '" + o.log_csv + "': writing failed (is the disk full?)");
  }
  bool log_failed = false;  // said once; the training goes on (its checkpoints are what counts)

  // ---- 1. VAE as an autoencoder on procedural frames --------------------------------------------------------
  // Its plan: vae_plan_steps steps, of which vae_done are taken (a run that goes on from one stopped in this stage
  // takes the rest, with that run's AdamW state and schedule). Each step draws from its own seed.
  if (!resuming && !vae_given) vae_plan_steps = o.vae_steps >= 0 ? o.vae_steps : preset.vae_steps;
  if (vae_plan_steps > vae_done) {
    FlatAdamWOptions vo;
    vo.weight_decay = 0.0;
    vo.max_grad_norm = 1.0;
    vae_opt.emplace(trainable_parameters(*vae_net), vo);
    FlatAdamW& opt = *vae_opt;
    if (!vae_optimizer_file.empty()) {
      auto get = [&](const char* key) { return vae_optimizer_state.contains(key) ? vae_optimizer_state.get(key) : Tensor(); };
      opt.load_state({get("params"), get("exp_avg"), get("exp_avg_sq"), Tensor(), vae_done},
                     "train: --resume: " + vae_optimizer_file);
    }
    vae_optimizer_state = io::StateDict();  // unmapped: the next checkpoint deletes the file
    vae_stage_open = true;
    const int n_img = o.vae_batch > 0 ? o.vae_batch : std::max(8, o.batch * 2);
    const auto t_vae = std::chrono::steady_clock::now();
    const double vae_seconds_before = vae_seconds;
    for (int64_t s = vae_done; s < vae_plan_steps; ++s) {
      const double elapsed =
          vae_seconds_before + std::chrono::duration<double>(std::chrono::steady_clock::now() - t_vae).count();
      if (o.vae_max_seconds > 0 && elapsed >= o.vae_max_seconds) {
        log("vae time budget of " + std::to_string(o.vae_max_seconds) + " s reached after " + std::to_string(s) + " steps");
        break;
      }
      if (o.should_stop && o.should_stop()) {
        rep.interrupted = true;
        log("stopped on request in the VAE stage after " + std::to_string(s) + " of " + std::to_string(vae_plan_steps) +
            " steps: the checkpoint keeps this VAE and an untrained UNet (--resume goes on with the VAE stage)");
        break;
      }
      opt.set_lr(scheduled_lr(o.vae_lr, s, vae_plan_steps, std::min<int64_t>(50, vae_plan_steps / 10 + 1),
                              o.vae_max_seconds > 0 ? elapsed / o.vae_max_seconds : 0.0));
      std::vector<ClipJob> jobs;
      for (int b = 0; b < n_img; ++b)
        jobs.push_back({clip_seed(o.seed, s, b, 1), 2, 1 + static_cast<int>(clip_seed(o.seed, s, b, 4) % kMaxFrameStride)});
      const auto clips = render_clips(jobs, o);
      std::vector<Tensor> imgs;
      for (int b = 0; b < n_img; ++b) imgs.push_back(image_tensor(clips[static_cast<size_t>(b)].frames[static_cast<size_t>(b % 2)]));
      auto x = torch::stack(imgs, 0).to(device);  // [N, 3, H, W]
      const int64_t f = vae_cfg.downscale();
      sampling::SeededNoise step_noise(clip_seed(o.seed, s, 0, 7), device);
      auto eps = step_noise.randn({x.size(0), vae_cfg.latent_channels, x.size(2) / f, x.size(3) / f}, fo, "vae posterior");
      auto r = vae_forward_train(*vae_net, x, eps);
      auto kl = 0.5 * (r.mean.pow(2) + r.logvar.exp() - 1.0 - r.logvar).mean();
      auto loss = (r.recon - x).abs().mean() + (r.recon - x).pow(2).mean() + 1e-4 * kl;
      loss.backward();
      rep.vae_losses.push_back(loss.item<double>());
      opt.step();
      vae_done = s + 1;
      vae_seconds = vae_seconds_before + std::chrono::duration<double>(std::chrono::steady_clock::now() - t_vae).count();
      if (s % 50 == 0 || s + 1 == vae_plan_steps)
        log("vae step " + std::to_string(s + 1) + "/" + std::to_string(vae_plan_steps) + " loss " + std::to_string(rep.vae_losses.back()));
    }
    vae_stage_open = rep.interrupted;  // ended by its steps or its time budget: finished
    // latent scale: 1 / std of posterior means over a fresh batch (SD's 0.18215 was chosen the same way)
    torch::NoGradGuard ng;
    std::vector<Tensor> imgs;
    for (int b = 0; b < 16; ++b) imgs.push_back(image_tensor(make_clip(clip_seed(o.seed, -1, b, 2), 1, o.size, 1, o.camera_share, o.varied_backgrounds).frames[0]));
    auto mean = vae_net->encode_moments(torch::stack(imgs, 0).to(device)).mean;
    const double sd = mean.std().item<double>();
    scaling = sd > 1e-6 ? 1.0 / sd : 1.0;
    log("vae latent std " + std::to_string(sd) + " -> scaling_factor " + std::to_string(scaling));
  }
  freeze(*vae_net);
  vae_net->eval();
  rep.scaling_factor = scaling;
  preset.vae["scaling_factor"] = scaling;
  auto vae_copy_cfg = vae::VaeConfig::from_json(preset.vae, "vae");  // the scaling factor the loader will read
  (void)vae_copy_cfg;

  // ---- noise schedule (ᾱ_t of the reference's linear betas) ------------------------------------------------
  const auto sched_cfg = sampling::SchedulerConfig::reference();
  const auto alphas_cumprod =  // [1000], on the host: read per clip without creating tensors
      torch::cumprod(1.0 - sampling::make_betas(sched_cfg).to(torch::kDouble), 0).contiguous();
  const auto abar = alphas_cumprod.accessor<double, 1>();
  const int64_t n_train_t = sched_cfg.num_train_timesteps;

  // ---- text embeddings (fixed encoder: cached per caption) --------------------------------------------------
  std::map<std::string, Tensor> text_cache;
  // host tensors go to the device without waiting for the training step queued there (the next batch is built
  // while a step runs)
  auto to_device = [&](const Tensor& t) { return nn::to_device_async(t, device); };
  auto embed = [&](const std::string& caption) -> Tensor {
    auto it = text_cache.find(caption);
    if (it != text_cache.end()) return it->second;
    auto ids = tokenizer.encode(caption);
    auto t = torch::tensor(ids, torch::kLong).unsqueeze(0);  // [1, 77]
    auto e = text_net->forward(t).detach();                   // [1, 77, D] (host ids: checked there, then moved)
    text_cache[caption] = e;
    return e;
  };

  // ---- checkpoint writer -----------------------------------------------------------------------------------
  FlatAdamW* unet_opt = nullptr;  // set once the UNet's optimiser exists (its moving average is the model)
  int64_t opt_ema_first_step = 0;  // its moving average's first step count (recorded for a run that goes on)
  double plan_seconds = plan_seconds_before;  // the plan's UNet seconds up to the last step taken
  // `finished`: the plan's steps or its time budget ran out (a stop request or a mid-run checkpoint leaves it open,
  // and --resume goes on with it)
  auto save = [&](int64_t steps_done, bool finished) {
    uint64_t bytes = 0;
    // The AdamW state first, one file per checkpoint step (train_state.json, written last, names it; the older
    // file is removed only after that, so a run killed between the writes leaves a consistent pair): the flat
    // state and its step count, the frozen VAE and text encoder as this run holds them (fp32: the checkpoint's
    // copies may be fp16, and a run that goes on must encode its clips and captions exactly as this one did) and
    // the UNet's tensors outside the optimiser's buffer (rotary frequencies, buffers).
    auto write_opt = [&](const FlatAdamW& opt, const std::string& name) {
      const auto st = opt.state();
      std::map<std::string, Tensor> tensors{{"params", st.params}, {"exp_avg", st.exp_avg}, {"exp_avg_sq", st.exp_avg_sq},
                                            {"steps", torch::tensor({st.steps}, torch::kInt64)}};
      if (st.ema.defined()) tensors["ema"] = st.ema;
      collect_tensors(*vae_net, "vae.", torch::kFloat32, tensors);
      collect_tensors(*text_net, "text_encoder.", torch::kFloat32, tensors);
      for (const auto& item : unet_net->named_parameters(true))
        if (item.key().find("rotary_emb.freqs") != std::string::npos)
          tensors["unet_fixed." + item.key()] = item.value().detach().to(torch::kCPU).contiguous();
      for (const auto& item : unet_net->named_buffers(true))
        tensors["unet_fixed." + item.key()] = item.value().detach().to(torch::kCPU).contiguous();
      fs::create_directories(out / kOptimizerDir);
      io::save_tensors_safetensors(tensors, (out / kOptimizerDir / name).string());
      return st.steps;
    };
    json opt_record, vae_record;
    std::string opt_name;
    if (vae_opt && vae_stage_open) {
      // stopped in the VAE stage (the UNet took no step): its state, to go on with it
      opt_name = std::string(kVaeOptimizerFilePrefix) + std::to_string(vae_done) + ".safetensors";
      const int64_t n = write_opt(*vae_opt, opt_name);
      vae_record = json{{"file", (fs::path(kOptimizerDir) / opt_name).string()}, {"steps", n}};
    } else if (unet_opt) {
      opt_name = std::string(kOptimizerFilePrefix) + std::to_string(steps_done) + ".safetensors";
      const int64_t n = write_opt(*unet_opt, opt_name);
      opt_record = json{{"file", (fs::path(kOptimizerDir) / opt_name).string()}, {"steps", n},
                        {"ema_first_step", opt_ema_first_step}};
    }
    write_json(json{{"_class_name", "ConditionalAnimationPipeline"}, {"_diffusers_version", "0.21.2"},
                    {"scheduler", json::array({"diffusers", "DDIMScheduler"})}, {"text_encoder", json::array({"transformers", "CLIPTextModel"})},
                    {"tokenizer", json::array({"transformers", "CLIPTokenizer"})},
                    {"unet", json::array({"consisti2v.models.videoldm_unet", "VideoLDMUNet3DConditionModel"})},
                    {"vae", json::array({"diffusers", "AutoencoderKL"})},
                    // Marks a model trained by this tool (the studio says plainly that it is a demo model).
                    {"_consisti2v_demo", json{{"trained_by", "consisti2v train"}, {"steps", steps_done},
                                              {"data", "procedural clips (shapes, motions, camera moves)"},
                                              // what the studio switches to when it picks this model
                                              // (text guidance 3: at the reference's 7.5 a small, briefly
                                              // trained model over-saturates the colours of later frames)
                                              // and, with a camera move, a stronger FrameInit layout than
                                              // the paper's τ 750 / D0 0.5: on 8 x 8 latents the paper's
                                              // setting barely moves the view (docs/demo-model.md)
                                              {"recommended", json{{"width", o.size}, {"height", o.size},
                                                                   {"frames", o.frames}, {"steps", 25},
                                                                   {"cfg_text", 3.0},
                                                                   {"camera", json{{"noise_level", 300},
                                                                                   {"cutoff_spatial", 1.0},
                                                                                   {"cutoff_temporal", 1.0}}}}}}}},
               (out / "model_index.json").string());
    write_json(preset.unet, (out / "unet" / "config.json").string());
    const bool ema = unet_opt && unet_opt->has_ema();
    if (ema) {
      // the raw weights for --resume (beside the model: the loader reads unet/ only), then the average as the model
      fs::create_directories(out / kRawUNetDir);
      write_json(preset.unet, (out / kRawUNetDir / "config.json").string());
      // fp32 whatever --save-dtype says: a resume goes on from exactly the weights the run had
      write_weights(*unet_net, raw_weights.string(), torch::kFloat32);
      unet_opt->swap_ema();
    } else if (fs::exists(out / kRawUNetDir)) {
      // a resumed EMA run without --ema (it went on from the average, unet/): the old raw weights are stale
      log("removing " + (out / kRawUNetDir).string() + " (raw weights of an earlier run with --ema; this run has none)");
      ci2v::remove_tree(out / kRawUNetDir);
    }
    try {
      bytes += write_weights(*unet_net, (out / "unet" / "diffusion_pytorch_model.safetensors").string(), save_dt);
    } catch (...) {
      if (ema) unet_opt->swap_ema();
      throw;
    }
    if (ema) unet_opt->swap_ema();
    write_json(preset.vae, (out / "vae" / "config.json").string());
    bytes += write_weights(*vae_net, (out / "vae" / "diffusion_pytorch_model.safetensors").string(), save_dt);
    write_json(preset.text, (out / "text_encoder" / "config.json").string());
    bytes += write_weights(*text_net, (out / "text_encoder" / "model.safetensors").string(), save_dt);
    auto sj = sched_cfg.to_json();
    sj["_class_name"] = "DDIMScheduler";
    sj["_diffusers_version"] = "0.21.2";
    write_json(sj, (out / "scheduler" / "scheduler_config.json").string());
    if (fs::absolute(tok_dir).lexically_normal() != fs::absolute(out / "tokenizer").lexically_normal())
      for (const auto& e : fs::directory_iterator(tok_dir))
        if (e.is_regular_file())
          fs::copy_file(e.path(), out / "tokenizer" / e.path().filename(), fs::copy_options::overwrite_existing);
    json state{{"steps", steps_done}, {"preset", o.preset}, {"seed", o.seed}, {"frames", o.frames},
               {"size", o.size}, {"last_loss", rep.losses.empty() ? 0.0 : rep.losses.back()},
               {"ema_decay", ema ? o.ema_decay : 0.0}, {"settings", settings_json(o)},
               {"plan", json{{"first_step", plan_first}, {"steps", plan_steps}, {"seconds", plan_seconds},
                             {"finished", finished}}},
               {"note", finished ? "--resume --steps N trains N more steps (a new schedule)"
                                 : "--resume goes on with this plan (optimizer/ holds the AdamW state)"}};
    if (!opt_record.is_null()) state["optimizer"] = opt_record;
    if (vae_plan_steps > 0)
      state["vae_stage"] = json{{"steps", vae_plan_steps}, {"done", vae_done}, {"seconds", vae_seconds},
                                {"finished", !vae_stage_open}};
    else if (!recorded_vae_stage.is_null())
      state["vae_stage"] = recorded_vae_stage;  // finished in an earlier run of this folder
    if (!vae_record.is_null()) state["vae_stage"]["optimizer"] = vae_record;
    write_json(state, (out / "train_state.json").string());
    // the AdamW states of earlier checkpoints (and of an earlier run in this folder)
    if (fs::is_directory(out / kOptimizerDir))
      for (const auto& e : fs::directory_iterator(out / kOptimizerDir)) {
        const std::string name = e.path().filename().string();
        if (name != opt_name && (name.rfind(kOptimizerFilePrefix, 0) == 0 || name.rfind(kVaeOptimizerFilePrefix, 0) == 0) &&
            e.path().extension() == ".safetensors") {
          std::error_code ec;
          fs::remove(e.path(), ec);  // a leftover file costs disk, not correctness: the state names its own
        }
      }
    rep.checkpoint_bytes = bytes;
    rep.checkpoint_steps = steps_done;
  };

  // ---- 2. the UNet --------------------------------------------------------------------------------------------
  auto params = trainable_parameters(*unet_net);
  unet_net->train();
  FlatAdamWOptions fo_opt;
  fo_opt.weight_decay = o.weight_decay;
  fo_opt.max_grad_norm = o.max_grad_norm;
  fo_opt.ema_decay = o.ema_decay;
  // an average that goes on from the checkpoint's keeps its warm-up where it was
  if (ema_goes_on) fo_opt.ema_first_step = step0;
  if (go_on) fo_opt.ema_first_step = ema_first_step;  // the stopped run's, with its steps restored below
  opt_ema_first_step = fo_opt.ema_first_step;
  FlatAdamW opt(params, fo_opt);  // the parameters become views into one buffer
  unet_opt = &opt;
  if (!optimizer_file.empty()) {
    // the stopped run's fp32 weights, moments and moving average, exactly (unet/ may be fp16)
    auto get = [&](const char* key) { return optimizer_state.contains(key) ? optimizer_state.get(key) : Tensor(); };
    FlatAdamW::State st{get("params"), get("exp_avg"), get("exp_avg_sq"), get("ema"), optimizer_steps};
    opt.load_state(st, "train: --resume: " + optimizer_file);
    optimizer_state = io::StateDict();  // unmapped: the next checkpoint deletes the file
  }
  if (ema_goes_on) {
    // the average starts from the checkpoint's model (unet/, loaded above); the training goes on from the raw
    // weights, loaded in place (the parameters are views into the optimiser's buffer)
    unet::load_video_unet_weights(*unet_net, io::StateDict::from_file(raw_weights.string()),
                                  "resume " + std::string(kRawUNetDir));
    opt.bump_versions();
  }
  const bool use_graph = o.cuda_graphs && device.is_cuda() && o.dtype == "fp32" && train_graphs_built();
  if (o.cuda_graphs && !use_graph)
    log(!train_graphs_built()
            ? std::string("--cuda-graphs: this build has no CUDA graphs of the training step (a CPU LibTorch, or "
                          "CONSISTI2V_TRAIN_GRAPHS=OFF); the steps run eagerly")
            : "--cuda-graphs: only for --dtype fp32 on CUDA (this run: --device " + device.str() + " --dtype " +
                  o.dtype + "); the steps run eagerly");
  GraphedTrainStep stepper(
      [&](const StepInputs& in) {
        Tensor pred;
        {
          BF16Autocast amp(o.dtype == "bf16", device.type());
          pred = unet_net->forward(in.sample, in.timesteps, in.text, in.first, in.strides);  // [B, C, F-1, h, w]
        }
        return torch::mse_loss(pred.to(torch::kFloat32), in.target);  // fp32 loss
      },
      opt, use_graph);
  const auto t_unet = std::chrono::steady_clock::now();
  const int64_t f = vae_cfg.downscale();
  const int64_t h = o.size / f, w = o.size / f, C = vae_cfg.latent_channels;
  int64_t done = 0;  // UNet steps taken (fewer than o.steps when the time budget or a stop request ends the run)
  // One step's random draws, all taken before any of its clips is rendered (in the order they always had), and
  // its clips. The clips of step s + 1 are drawn and rendered on a background thread while step s trains
  // (TrainOptions::prefetch): the draws of the steps keep their order, so the clips and losses are the same.
  struct ClipDraw {
    int stride;
    int64_t t;
    bool null_text, null_image;
    int64_t fi_tau = -1;  // FrameInit's τ for a clip trained on FrameInit's input (--frameinit-share), else -1
    double fi_d0 = 0;
  };
  struct StepDraws {
    std::optional<sampling::SeededNoise> noise;  // the step's own noise stream (its latents' posterior, PYoCo)
    std::vector<ClipDraw> draws;
    std::vector<int64_t> ts, strides;
    std::vector<double> abs;
    std::future<std::vector<Clip>> clips;
  };
  // Each step's draws come from streams seeded by the step, so that a run that stops and goes on (--resume)
  // draws what it would have drawn without stopping.
  auto draw_step = [&](int64_t step) {
    StepDraws d;
    std::mt19937_64 step_rng(clip_seed(o.seed, step, 0, 5));
    auto step_uniform = [&]() { return static_cast<double>(step_rng() >> 11) * (1.0 / 9007199254740992.0); };
    d.noise.emplace(clip_seed(o.seed, step, 0, 6), device);
    std::vector<ClipJob> jobs;
    for (int b = 0; b < o.batch; ++b) {
      ClipDraw c;
      c.stride = 1 + static_cast<int>(step_rng() % kMaxFrameStride);  // sample_stride [1, 5]
      c.t = static_cast<int64_t>(step_rng() % static_cast<uint64_t>(n_train_t));
      c.null_text = step_uniform() < o.null_text_ratio;
      c.null_image = step_uniform() < o.null_image_ratio;
      if (o.frameinit_share > 0 && step_uniform() < o.frameinit_share) {  // drawn only then: share 0 keeps the old stream
        c.t = std::min<int64_t>(n_train_t - 1, 900 + static_cast<int64_t>(step_rng() % 100));
        c.fi_tau = 250 + static_cast<int64_t>(step_rng() % 551);
        c.fi_d0 = 0.25 + 0.75 * step_uniform();
      }
      d.draws.push_back(c);
      jobs.push_back({clip_seed(o.seed, step, b, 3), o.frames, c.stride});
      d.ts.push_back(c.t);
      d.strides.push_back(c.stride);
      d.abs.push_back(abar[c.t]);
    }
    d.clips = std::async(o.prefetch ? std::launch::async : std::launch::deferred,
                         [jobs = std::move(jobs), &o] { return render_clips(jobs, o); });
    return d;
  };
  // The batch of a step on the device, from its draws: the clips' tensors, the frozen VAE's latents, the posterior
  // and PYoCo noise (drawn from the step's own stream), the text embeddings, the noisy latents and the targets.
  auto build_batch = [&](StepDraws& d) -> StepInputs {
    torch::NoGradGuard ng;
    const auto clips = d.clips.get();  // rethrows a rendering error here
    const auto& draws = d.draws;
    std::vector<Tensor> frame_batches, posterior_eps, texts;
    for (int b = 0; b < o.batch; ++b) {
      const auto& clip = clips[static_cast<size_t>(b)];
      const bool null_text = draws[static_cast<size_t>(b)].null_text;
      auto x = clips_tensor({clip});  // [1, 3, F, H, W]
      frame_batches.push_back(x.permute({0, 2, 1, 3, 4}).reshape({o.frames, 3, o.size, o.size}));
      posterior_eps.push_back(d.noise->randn({o.frames, C, h, w}, fo, "vae posterior"));
      texts.push_back(embed(null_text ? std::string() : clip.caption));  // [1, 77, D]
    }
    // The whole batch's frames through the frozen VAE encoder in a few calls (one copy to the device, not one
    // launch sequence per clip; the posterior noise is drawn per clip, in the same order as before).
    Tensor z;
    {
      auto frames = to_device(at::cat(frame_batches, 0));  // [B*F, 3, H, W]
      auto eps_all = at::cat(posterior_eps, 0);               // [B*F, C, h, w]
      // at most 32 frames (of 64 px; fewer when larger) per call, so that big --size runs keep the memory low
      const int64_t n = frames.size(0), chunk = std::max<int64_t>(1, 32 * 64 * 64 / (o.size * o.size));
      std::vector<Tensor> lats;
      for (int64_t i = 0; i < n; i += chunk) {
        const int64_t m = std::min(chunk, n - i);
        lats.push_back(vae_net->encode_moments(frames.narrow(0, i, m)).sample(eps_all.narrow(0, i, m)) * scaling);
      }
      auto lat = lats.size() == 1 ? lats[0] : at::cat(lats, 0);                       // [B*F, C, h, w]
      z = lat.view({o.batch, o.frames, C, h, w}).permute({0, 2, 1, 3, 4}).contiguous();  // [B, C, F, h, w]
    }
    const int64_t B = o.batch;
    auto text_emb = at::cat(texts, 0);   // [B, 77, D]
    // PYoCo mixed noise over all frames (per video), the reference's q(x_t | x_0)
    auto eps = sampling::initial_noise(*d.noise, NoiseMethod::PyocoMixed, 1.0, {B, C, o.frames, h, w}, fo);
    auto ab = to_device(torch::tensor(d.abs, torch::kFloat32)).view({B, 1, 1, 1, 1});
    auto noisy = ab.sqrt() * z + (1.0 - ab).sqrt() * eps;  // [B, C, F, h, w]
    auto target = eps;
    if (o.frameinit_share > 0) {
      for (int64_t b = 0; b < B; ++b) {
        const auto& c = draws[static_cast<size_t>(b)];
        if (c.fi_tau < 0) continue;
        if (target.is_same(eps)) target = eps.clone();
        auto fi = frameinit_training_input(z.narrow(0, b, 1), eps.narrow(0, b, 1), abar[c.t], abar[c.fi_tau], c.fi_d0);
        noisy.narrow(0, b, 1).copy_(fi.x);
        target.narrow(0, b, 1).copy_(fi.target);
      }
    }
    // condition: the clean first frame; with probability null_image_ratio its noisy latent at the same t
    std::vector<Tensor> conds;
    for (int64_t b = 0; b < B; ++b)
      conds.push_back((draws[static_cast<size_t>(b)].null_image ? noisy : z).narrow(0, b, 1).narrow(2, 0, 1));  // [1, C, 1, h, w]
    const auto io = torch::TensorOptions().dtype(torch::kInt64);
    return {noisy.narrow(2, 1, o.frames - 1), to_device(torch::tensor(d.ts, io)), text_emb, at::cat(conds, 0),
            to_device(torch::tensor(d.strides, io)), target.narrow(2, 1, o.frames - 1)};
  };
  // Where the batch of step s + 1 is built while step s trains (prefetch_batch; by default on CUDA): the draws
  // are taken here, in step order, and the rest on a background thread, whose launches (the VAE encoder's, the
  // noise's) overlap the training step's on the host. Each step draws its noise from its own stream, so the
  // batches and the losses are the same either way.
  const bool batch_ahead = o.prefetch && (o.prefetch_batch == BatchPrefetch::On ||
                                          (o.prefetch_batch == BatchPrefetch::Auto && device.is_cuda()));
  auto start_batch = [&](int64_t step) {
    return std::async(batch_ahead ? std::launch::async : std::launch::deferred,
                      [d = draw_step(step), &build_batch]() mutable { return build_batch(d); });
  };
  // (none when a stop request ended the VAE stage: the UNet takes no step)
  // The steps this run takes: the rest of its plan (a run that goes on from a stopped one: the stopped run's plan).
  const int64_t n_run = plan_first + plan_steps - step0;
  const int64_t warmup = std::min<int64_t>(200, plan_steps / 10 + 1);
  std::future<StepInputs> next = rep.interrupted ? std::future<StepInputs>() : start_batch(step0);
  for (int64_t s = 0; s < n_run && !rep.interrupted; ++s) {
    const int64_t step = step0 + s;
    // the plan's time: its earlier runs' (a run that goes on) and this one's
    const double elapsed =
        plan_seconds_before + std::chrono::duration<double>(std::chrono::steady_clock::now() - t_unet).count();
    if (o.max_seconds > 0 && elapsed >= o.max_seconds) {
      log("time budget of " + std::to_string(o.max_seconds) + " s reached after " + std::to_string(step - plan_first) +
          " steps of the plan");
      break;
    }
    if (o.should_stop && o.should_stop()) {
      rep.interrupted = true;
      log("stopped on request after " + std::to_string(s) + " steps; writing the checkpoint (--resume goes on from it)");
      break;
    }
    const auto t_data = std::chrono::steady_clock::now();
    // the plan's schedule at the plan's step (a new plan warms up: its AdamW starts without moment estimates)
    const double lr_now = scheduled_lr(o.lr, step - plan_first, plan_steps, warmup,
                                       o.max_seconds > 0 ? elapsed / o.max_seconds : 0.0);
    // One batched forward/backward: each video has its own noise level t, frame stride and dropouts.
    const StepInputs in = next.get();  // rethrows a preparation error here
    // the capture of the CUDA graph must be the only CUDA work in the process: the next batch waits for it
    const bool capture = stepper.captures_next();
    if (!capture && s + 1 < n_run) next = start_batch(step + 1);
    // the host's wait for the batch (its device work is queued, not awaited)
    rep.data_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t_data).count();
    const double step_loss = stepper.run(in, lr_now);
    rep.lrs.push_back(lr_now);
    if (capture && s + 1 < n_run) next = start_batch(step + 1);
    rep.losses.push_back(step_loss);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_unet).count();
    plan_seconds = plan_seconds_before + secs;
    if (csv.is_open() && !log_failed) {
      csv << (step + 1) << "," << step_loss << "," << plan_seconds << "\n" << std::flush;
      if (!csv) {
        log_failed = true;
        log("warning: --log '" + o.log_csv + "': writing failed at step " + std::to_string(step + 1) +
            " (is the disk full?); the loss is no longer logged there, the training goes on");
      }
    }
    if (s % 10 == 0 || s + 1 == n_run)
      log("step " + std::to_string(step + 1) + "/" + std::to_string(plan_first + plan_steps) + " loss " +
          std::to_string(step_loss) + " (" + std::to_string(secs) + " s, " +
          std::to_string(static_cast<int>(100 * rep.data_seconds / std::max(1e-9, secs))) + " % preparing batches)");
    if (o.save_every > 0 && (step + 1 - plan_first) % o.save_every == 0 && s + 1 < n_run) save(step + 1, false);
    done = s + 1;
  }
  // a batch built ahead for a step that does not run (the time budget): finished before the checkpoint is written
  // (a deferred one is never built)
  if (batch_ahead && next.valid()) next.wait();
  rep.unet_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_unet).count();
  if (use_graph)
    log(stepper.graphed() ? "training step replayed from a CUDA graph " + std::to_string(stepper.replays()) + " times"
                          : "no CUDA graph of the training step (" + stepper.fallback() + ")");
  freeze(*unet_net);
  unet_net->eval();
  save(step0 + done, !rep.interrupted);
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  log("wrote " + out.string() + " (" + std::to_string(rep.checkpoint_bytes) + " bytes of weights)");
  return rep;
}

}  // namespace ci2v::train
