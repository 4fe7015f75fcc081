#include "engine/generator.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "engine/entropy.h"
#include "engine/error.h"
#include "engine/io/diffusers_folder.h"
#include "engine/preprocess.h"
#include "engine/sampling/guidance.h"
#include "engine/sampling/preview_queue.h"
#include "engine/unet/graphed_unet.h"

namespace ci2v {
namespace {

using torch::Tensor;
using Clock = std::chrono::steady_clock;

void check_cancel(const CancelToken* c) {
  if (c && c->cancelled()) throw Cancelled();
}

std::string prefixed(const std::string& prefix, const std::string& name) { return prefix + name; }

// The first-frame image and crops for a camera preset, as the reference prepares them (§7).
struct CameraLayout {
  Tensor image;                          // [3, H', W'] in [-1, 1]
  std::vector<sampling::CropRect> crops;  // one per frame
};

CameraLayout camera_layout(const GenerationParams& p, const RgbImage& first_frame) {
  CameraLayout out;
  auto img = image_to_tensor(first_frame);  // [3, H, W] in [0, 1]
  if (!p.camera_preset.empty()) {
    const auto preset = sampling::camera_preset_from_string(p.camera_preset);
    if ((preset == sampling::CameraPreset::ZoomIn || preset == sampling::CameraPreset::ZoomOut) &&
        p.width != p.height)
      throw Error("camera preset '" + p.camera_preset + "' needs a square output (width = height), got " +
                  std::to_string(p.width) + "x" + std::to_string(p.height));
    const auto [rh, rw] = sampling::preset_image_size(preset, img.size(1), img.size(2), p.height, p.width);
    // the preset resizes the whole picture first
    check_first_frame_resize(first_frame, rw, rh,
                             "camera preset '" + p.camera_preset + "' at " + std::to_string(p.width) + "x" +
                                 std::to_string(p.height));
    const int64_t shorter = std::min(rh, rw);
    img = resize_shorter_side(img, shorter);
    out.image = (img - 0.5) / 0.5;
    try {
      auto path = sampling::preset_path(preset, out.image.size(1), out.image.size(2), p.height, p.width);
      path.timing = sampling::CameraPath::Timing::Reference;
      out.crops = path.crops(p.frames);
    } catch (const Error& e) {  // the user gave a preset, not a path: say which and on what picture
      throw Error("camera preset '" + p.camera_preset + "' does not fit this " + std::to_string(first_frame.width) +
                  " x " + std::to_string(first_frame.height) + " picture at " + std::to_string(p.width) + "x" +
                  std::to_string(p.height) + " (" + e.what() + ")");
    }
  } else {
    // A user path: centres and sizes in first-frame pixels.
    auto path = sampling::CameraPath::from_json(p.camera_path);
    out.image = (img - 0.5) / 0.5;
    out.crops = path.crops(p.frames);
  }
  return out;
}

bool cuda_graphs_from_env() {
  static const bool on = [] {
    const char* v = std::getenv("CONSISTI2V_CUDA_GRAPHS");
    return v != nullptr && std::string(v) == "1";
  }();
  return on;
}

Tensor unet_step(Models& m, const Tensor& sample, int64_t t, const Tensor& text, const Tensor& ff, int64_t stride,
                 unet::Intermediates* cap = nullptr) {
  if (cap == nullptr && m.device.is_cuda() && (m.cuda_graphs || cuda_graphs_from_env())) {
    if (!m.graphed) m.graphed = std::make_shared<unet::GraphedUNet>(m.unet);
    return m.graphed->forward(sample, t, text, ff, stride);
  }
  return m.unet->forward(sample, t, text, ff, stride, cap);
}

// What the VAE encodes: the preprocessed first frame [1, 3, H, W], or the N camera crops [N, 3, H, W].
Tensor encoder_pixels(const GenerationParams& p, const RgbImage& first_frame, bool reference_crop = false);

sampling::LowPassFilterSpec filter_spec(const GenerationParams& p) {
  sampling::LowPassFilterSpec spec;
  spec.type = p.filter;
  spec.cutoff_spatial = p.cutoff_spatial;
  spec.cutoff_temporal = p.cutoff_temporal;
  spec.butterworth_order = p.butterworth_order;
  return spec;
}

// On CUDA, FrameInit's FFTs go through the raw cuFFT backend when this build has it (CONSISTI2V_FFT=torch keeps
// torch::fft, e.g. to compare).
void use_fast_fft(sampling::FrameInit& frameinit, const torch::Device& device) {
  if (!device.is_cuda()) return;
  const char* env = std::getenv("CONSISTI2V_FFT");
  if (env && std::string(env) == "torch") return;
  if (auto backend = sampling::cufft_backend()) frameinit.set_backend(backend);
}

void fit_previewer(Models& m) {
  if (m.previewer_fitted) return;
  auto vae = m.vae;
  m.previewer.fit([&](const Tensor& z) { return vae->decode(z, z.size(0)); }, vae->config().latent_channels,
                  m.device, m.dtype);
  m.previewer_fitted = true;
}

// The FrameInit preview images: bands of the diffused layout video / the noise, the mixed latents, the mask.
FrameInitPreview frameinit_preview_images(Models& m, sampling::FrameInit& frameinit, const Tensor& z_T,
                                          const Tensor& noise_f, const Tensor& mixed) {
  auto bands = frameinit.split(z_T, noise_f);  // low/high: [1, C, T, h, w] fp32
  const int64_t T = z_T.size(2), h = z_T.size(3), w = z_T.size(4);
  FrameInitPreview pv;
  pv.low = m.previewer.to_rgb_normalized(bands.low[0].permute({1, 0, 2, 3}));
  pv.high = m.previewer.to_rgb_normalized(bands.high[0].permute({1, 0, 2, 3}));
  pv.mixed = m.previewer.to_rgb_normalized(mixed[0].permute({1, 0, 2, 3}));
  auto mask = frameinit.filter(z_T.sizes(), torch::kCPU)[0][0];  // [T, h, w]
  pv.mask = sampling::tensor_to_images(mask.unsqueeze(1).expand({T, 3, h, w}));
  return pv;
}


}  // namespace

// What the parameters ask of the model's scheduler, checked before any work: `steps` distinct timesteps inside
// [0, num_train_timesteps) (1000 DDIM steps with steps_offset 1 reach t = 1000; DPM-Solver's spacing then
// collapses to one step), and FrameInit's τ below num_train_timesteps.
void check_against_scheduler(const sampling::SchedulerConfig& c, const GenerationParams& p) {
  const int64_t T = c.num_train_timesteps;
  const std::string sched = "the model's scheduler (scheduler_config.json: num_train_timesteps " + std::to_string(T) +
                            ", steps_offset " + std::to_string(c.steps_offset) + ", timestep_spacing " +
                            c.timestep_spacing + ")";
  const auto ts = p.sampler == SamplerType::Ddim ? sampling::ddim_timesteps(c, p.steps)
                                                 : sampling::dpm_solver_timesteps(c, p.steps);
  for (int64_t t : ts)
    if (t < 0 || t >= T)
      throw Error("parameter 'steps' = " + std::to_string(p.steps) + " is too many for " + sched + ": timestep " +
                  std::to_string(t) + " would lie outside [0, " + std::to_string(T) + ")");
  if (static_cast<int64_t>(ts.size()) != p.steps)
    throw Error("parameter 'steps' = " + std::to_string(p.steps) + " is too many for " + sched + ": it spaces only " +
                std::to_string(ts.size()) + " distinct timesteps");
  if (p.frameinit && p.noise_level >= T)
    throw Error("parameter 'noise_level (tau)' = " + std::to_string(p.noise_level) + " must be below " +
                std::to_string(T) + " for " + sched);
}


torch::Device resolve_device(const std::string& device) {
  if (device == "cpu") return torch::kCPU;
  if (device == "cuda") {
    if (!torch::cuda::is_available()) throw Error("device 'cuda' was asked for, but no CUDA GPU is available");
    return torch::kCUDA;
  }
  if (device == "auto" || device.empty()) return torch::cuda::is_available() ? torch::kCUDA : torch::kCPU;
  throw Error("device '" + device + "': expected auto, cpu or cuda");
}

torch::ScalarType resolve_dtype(const std::string& dtype) {
  if (dtype == "fp32" || dtype.empty()) return torch::kFloat32;
  if (dtype == "fp16") return torch::kFloat16;
  if (dtype == "bf16") return torch::kBFloat16;
  throw Error("dtype '" + dtype + "': expected fp32, fp16 or bf16");
}

std::shared_ptr<Models> load_models(const std::string& model_dir, const std::string& device,
                                    const std::string& dtype, const CancelToken* cancel,
                                    const LoadProgress& progress) {
  auto m = std::make_shared<Models>();
  m->device = resolve_device(device);
  m->dtype = resolve_dtype(dtype);
  const auto folder = io::open_model_folder(model_dir);
  m->root = folder.root;
  // The components' configs first, checked against each other, before any weight is allocated: the scheduler's,
  // then what the pipeline assumes of the others (an 8x VAE, its latents the UNet's channels, the text width the
  // UNet's cross-attention width).
  m->scheduler = sampling::SchedulerConfig::from_json(folder.get("scheduler").config,
                                                      folder.get("scheduler").dir + "/scheduler_config.json");
  {
    const auto& vc = folder.get("vae");
    const auto& uc = folder.get("unet");
    const auto& tc = folder.get("text_encoder");
    const auto vae_cfg = vae::VaeConfig::from_json(vc.config, vc.dir + "/config.json");
    const auto unet_cfg = unet::UNetConfig::from_json(uc.config, uc.dir + "/config.json");
    const auto text_cfg = text::ClipTextConfig::from_json(tc.config, tc.dir + "/config.json");
    // (the frames' sizes are checked against the VAE's downscale, 2^(levels-1), at each run)
    if (vae_cfg.downscale() > 64)
      throw Error(vc.dir + "/config.json: 'block_out_channels' has " + std::to_string(vae_cfg.block_out_channels.size()) +
                  " levels, a downscale of " + std::to_string(vae_cfg.downscale()) + "; at most 7 levels (64) are supported");
    if (unet_cfg.in_channels != vae_cfg.latent_channels || unet_cfg.out_channels != vae_cfg.latent_channels)
      throw Error(uc.dir + "/config.json: 'in_channels' " + std::to_string(unet_cfg.in_channels) + " and 'out_channels' " +
                  std::to_string(unet_cfg.out_channels) + " must equal the VAE's 'latent_channels' " +
                  std::to_string(vae_cfg.latent_channels) + " (" + vc.dir + "/config.json)");
    for (int64_t d : unet_cfg.cross_attention_dim)
      if (d != text_cfg.hidden_size)
        throw Error(uc.dir + "/config.json: 'cross_attention_dim' " + std::to_string(d) +
                    " must equal the text encoder's 'hidden_size' " + std::to_string(text_cfg.hidden_size) + " (" +
                    tc.dir + "/config.json)");
    // the tokenizer's ids must be rows of the text encoder's embedding
    m->tokenizer = text::ClipTokenizer::from_folder(folder.get("tokenizer").dir);
    text::check_tokenizer_fits(m->tokenizer, folder.get("tokenizer").dir, text_cfg, tc.dir);
  }
  // Progress in bytes of the weight files (their tensors as stored; headers and container overhead make the total
  // a little larger than what is read, so the last call says done == total).
  int64_t total = 0, done = 0;
  for (const char* c : {"text_encoder", "vae", "unet"})
    for (const auto& f : folder.get(c).weight_files) {
      std::error_code ec;
      const auto size = std::filesystem::file_size(f, ec);
      if (!ec) total += static_cast<int64_t>(size);
    }
  const io::LoadStep between = [&](int64_t bytes) {
    check_cancel(cancel);
    if (!progress) return;
    progress(std::min(done, total), total);
    done += bytes;
  };
  m->text_encoder = text::load_clip_text_model(folder.get("text_encoder"), m->device, m->dtype, between);
  m->vae = vae::load_autoencoder_kl(folder.get("vae"), m->device, m->dtype, between);
  m->unet = unet::load_video_unet(folder.get("unet"), m->device, m->dtype, between);
  if (progress) progress(total, total);
  return m;
}

namespace {
// The VAE's scale factor (2^(levels-1): 8 for the SD VAE), which the frame size must be a multiple of.
int64_t latent_scale(const Models& m, const GenerationParams& p) {
  const int64_t f = m.vae->config().downscale();
  if (p.width % f != 0 || p.height % f != 0)
    throw Error("parameters 'width' = " + std::to_string(p.width) + ", 'height' = " + std::to_string(p.height) +
                ": this model's VAE makes latents " + std::to_string(f) + "x smaller, so both must be multiples of " +
                std::to_string(f));
  return f;
}
}  // namespace

FrameInitPreview preview_frameinit(Models& m, const GenerationParams& params, const RgbImage& first_frame,
                                   const CancelToken* cancel) {
  params.validate();
  check_against_scheduler(m.scheduler, params);
  if (first_frame.empty()) throw Error("no first frame: load an image first");
  torch::NoGradGuard no_grad;
  fit_previewer(m);
  const int64_t f = latent_scale(m, params);
  const int64_t T = params.frames, h = params.height / f, w = params.width / f;
  // Cache key: everything the layout video depends on.
  std::hash<std::string> hs;
  const std::string key = std::to_string(hs(std::string(first_frame.rgb.begin(), first_frame.rgb.end()))) + "|" +
                          std::to_string(first_frame.width) + "x" + std::to_string(first_frame.height) + "|" +
                          params.camera_preset + "|" + params.camera_path.dump() + "|" +
                          std::to_string(params.width) + "x" + std::to_string(params.height) + "|" +
                          std::to_string(T) + "|" + std::to_string(params.chunks) + "|" +
                          (params.center_crop ? "crop" : "pad");
  auto& cache = m.layout_cache;
  if (cache.key != key) {
    Tensor pixels = encoder_pixels(params, first_frame);
    if (pixels.size(0) > T) pixels = pixels.slice(0, 0, T);  // a camera over several chunks: the first chunk's
    // a cancel between the encoder's blocks: with the released VAE on a CPU this encode takes seconds per frame
    auto post = m.vae->encode_moments(pixels.to(m.device, m.dtype), [cancel] { check_cancel(cancel); });
    cache.key = key;
    cache.mean = post.mean;
    cache.stddev = post.stddev;
    ++cache.encodes;
  }
  int64_t seed = params.seed < 0 ? 0 : params.seed;
  sampling::SeededNoise noise(static_cast<uint64_t>(seed), m.device);
  Tensor eps0 = noise.randn(cache.mean.sizes(), cache.mean.options(), "VAE posterior sample");
  vae::Posterior post{cache.mean, Tensor(), cache.stddev};
  Tensor z = post.sample(eps0) * m.vae->config().scaling_factor;  // [N, 4, h, w]
  const auto opts = torch::TensorOptions().device(m.device).dtype(m.dtype);
  Tensor latents = sampling::initial_noise(noise, params.noise_method, params.noise_alpha, {1, z.size(1), T, h, w}, opts,
                                           1.0);
  Tensor static_video = params.camera_enabled()
                            ? z.permute({1, 0, 2, 3}).unsqueeze(0).contiguous()
                            : z.slice(0, 0, 1).unsqueeze(2).expand({1, z.size(1), T, h, w}).contiguous();
  check_cancel(cancel);
  sampling::FrameInit frameinit(filter_spec(params), params.noise_level);
  use_fast_fft(frameinit, m.device);
  sampling::DdimScheduler scheduler(m.scheduler);
  Tensor noise_f = latents.to(torch::kFloat);
  auto fi = frameinit.run(scheduler, static_video.to(torch::kFloat), noise_f, false);
  return frameinit_preview_images(m, frameinit, fi.z_T, noise_f, fi.latents.to(m.dtype));
}

namespace {
Tensor encoder_pixels(const GenerationParams& p, const RgbImage& first_frame, bool reference_crop) {
  if (p.camera_enabled()) {
    // The camera path spans the whole video: its crops are laid over the frames of all the chunks (chunk k takes
    // frames k (T-1) .. k (T-1) + T-1 of them), not over the first chunk alone.
    GenerationParams whole = p;
    whole.frames = static_cast<int>(p.video_frames());
    auto cam = camera_layout(whole, first_frame);
    return sampling::render_layout_video(cam.image, cam.crops, p.height, p.width);  // [N, 3, H, W]
  }
  auto x = p.center_crop ? preprocess_first_frame(first_frame, p.height, p.width, !reference_crop)
                         : preprocess_first_frame_pad(first_frame, p.height, p.width);  // [3, H, W]
  return x.unsqueeze(0);                                                             // [1, 3, H, W]
}
}  // namespace

Tensor layout_video_pixels(const GenerationParams& p, const RgbImage& first_frame) {
  auto x = encoder_pixels(p, first_frame);
  // a camera move's crops (over all the chunks' frames); a still camera: the picture for each frame of a chunk
  return x.size(0) > 1 ? x : x.expand({p.frames, 3, p.height, p.width}).contiguous();
}


RunOutput generate(Models& m, const GenerationParams& params, const RgbImage& first_frame, Observer* obs,
                   const CancelToken* cancel, const RunOverrides& ov) {
  params.validate();
  check_against_scheduler(m.scheduler, params);
  if (first_frame.empty()) throw Error("no first frame: load an image first");
  torch::NoGradGuard no_grad;
  const auto t_start = Clock::now();
  const auto dev = m.device;
  const auto dt = m.dtype;
  const auto opts = torch::TensorOptions().device(dev).dtype(dt);
  const int64_t T = params.frames, H = params.height, W = params.width;
  const int64_t f = latent_scale(m, params);  // the VAE's scale factor, 2^(levels-1) (8 for the SD VAE)
  const int64_t h = H / f, w = W / f;
  auto stage = [&](Stage s, const std::string& d = "") {
    if (obs) obs->on_stage(s, d);
  };
  auto capture = [&](const std::string& name, const Tensor& t) {
    if (ov.capture) ov.capture->put(name, t);
  };

  // Random numbers: injected (parity) or a seeded generator on the run's device.
  int64_t seed = params.seed;
  if (seed < 0) seed = static_cast<int64_t>(entropy64() % 100000000ull);
  std::unique_ptr<sampling::SeededNoise> seeded;
  sampling::NoiseSource* noise = ov.noise;
  if (!noise) {
    seeded = std::make_unique<sampling::SeededNoise>(static_cast<uint64_t>(seed), dev);
    noise = seeded.get();
  }

  // 1. Text: [uncond, cond] / [uncond, uncond, cond] / [cond].
  stage(Stage::EncodingText);
  const auto mode = sampling::cfg_mode(params.cfg_text, params.cfg_image);
  auto ids_of = [&](const Tensor& given, const std::string& text) {
    if (given.defined()) return given.to(torch::kInt64).reshape({1, -1}).to(dev);
    auto v = m.tokenizer.encode(text);
    return torch::tensor(v, torch::kInt64).reshape({1, -1}).to(dev);
  };
  Tensor cond = m.text_encoder->forward(ids_of(ov.prompt_ids, params.prompt));  // [1, 77, D]
  Tensor text_emb = cond;
  if (mode != sampling::CfgMode::None) {
    Tensor uncond = m.text_encoder->forward(ids_of(ov.negative_ids, params.negative_prompt));
    text_emb = mode == sampling::CfgMode::Text ? torch::cat({uncond, cond}) : torch::cat({uncond, uncond, cond});
  }
  text_emb = text_emb.to(dt);
  capture("text_embeddings", text_emb);
  check_cancel(cancel);

  // 2. First frame (and the camera layout video) through the VAE encoder; the posterior is sampled.
  stage(Stage::EncodingImage);
  Tensor pixels = encoder_pixels(params, first_frame, ov.reference_crop);  // [N, 3, H, W] in [-1, 1]: 1 image, or the N camera crops
  capture("first_frame_preprocessed", pixels);
  // a cancel between the encoder's blocks (a camera move encodes every frame's crop: seconds each on a CPU)
  vae::Posterior post;
  if (pixels.size(0) <= T) {
    post = m.vae->encode_moments(pixels.to(dev, dt), [cancel] { check_cancel(cancel); });
  } else {  // a camera move over several chunks: its crops a chunk's worth at a time (the memory of one chunk's)
    std::vector<Tensor> means, stddevs;
    for (int64_t b = 0; b < pixels.size(0); b += T) {
      auto part = m.vae->encode_moments(pixels.slice(0, b, std::min<int64_t>(b + T, pixels.size(0))).to(dev, dt),
                                        [cancel] { check_cancel(cancel); });
      means.push_back(part.mean);
      stddevs.push_back(part.stddev);
    }
    post.mean = torch::cat(means);
    post.stddev = torch::cat(stddevs);
  }
  capture("first_frame_latent_mean", post.mean);
  capture("first_frame_latent_std", post.stddev);
  Tensor eps0 = noise->randn(post.mean.sizes(), post.mean.options(), "VAE posterior sample");
  Tensor z = post.sample(eps0) * m.vae->config().scaling_factor;          // [N, 4, h, w]
  if (z.size(2) != h || z.size(3) != w)
    throw Error("VAE latent size " + std::to_string(z.size(2)) + "x" + std::to_string(z.size(3)) +
                " does not match the expected " + std::to_string(h) + "x" + std::to_string(w));
  Tensor z1 = z.slice(0, 0, 1);                                              // [1, 4, h, w]
  Tensor camera_static;                                                      // [1, 4, N, h, w]
  if (params.camera_enabled()) camera_static = z.permute({1, 0, 2, 3}).unsqueeze(0).contiguous();
  check_cancel(cancel);

  // 3. Scheduler and FrameInit settings.
  auto scheduler = sampling::make_scheduler(params.sampler, m.scheduler);
  if (auto* ddim = dynamic_cast<sampling::DdimScheduler*>(scheduler.get())) {
    ddim->set_eta(params.eta);
    ddim->set_noise_source(noise);
  }
  sampling::FrameInit frameinit(filter_spec(params), params.noise_level);
  use_fast_fft(frameinit, m.device);
  const bool want_previews = obs != nullptr;
  if (want_previews) fit_previewer(m);

  const int64_t chunks = params.chunks;
  const int64_t total_frames = params.video_frames();
  Tensor full = torch::zeros({1, z1.size(1), total_frames, h, w}, opts);  // [1, 4, K(T-1)+1, h, w]
  Tensor cond_latent = z1;                                                 // [1, 4, h, w]
  const int64_t total_steps = chunks * params.steps;
  int64_t steps_done = 0;
  const auto loop_start = Clock::now();

  for (int64_t k = 0; k < chunks; ++k) {
    const std::string pre = chunks > 1 ? "chunk" + std::to_string(k) + "." : "";
    scheduler->set_timesteps(params.steps);
    if (k == 0) capture("timesteps", scheduler->timesteps_tensor());

    // 4. PYoCo initial noise over all T frames (frame 0 included).
    Tensor latents = sampling::initial_noise(*noise, params.noise_method, params.noise_alpha,
                                             {1, z1.size(1), T, h, w}, opts, scheduler->init_noise_sigma());
    capture(pre + "initial_noise", latents);

    // 5. FrameInit: low frequencies of the diffused layout video + high frequencies of the noise.
    if (params.frameinit) {
      stage(Stage::FrameInit);
      // a camera move: this chunk's part of the layout video (from the picture, as the first chunk's); else the
      // condition frame held still
      Tensor static_video = camera_static.defined()
                                ? camera_static.slice(2, k * (T - 1), k * (T - 1) + T).contiguous()
                                : cond_latent.unsqueeze(2).expand({1, cond_latent.size(1), T, h, w}).contiguous();
      if (k == 0) capture("frameinit_filter", frameinit.filter(static_video.sizes(), torch::kCPU));
      capture(pre + "frameinit_static_video", static_video);
      Tensor noise_f = latents.to(torch::kFloat);
      auto fi = frameinit.run(*scheduler, static_video.to(torch::kFloat), noise_f, /*bands=*/false);
      capture(pre + "frameinit_z_T", fi.z_T);
      latents = fi.latents.to(dt);
      capture(pre + "frameinit_latents", latents);
      if (want_previews) obs->on_frameinit(frameinit_preview_images(m, frameinit, fi.z_T, noise_f, latents));
    }
    check_cancel(cancel);

    // 6. Frame 0 is the condition; the noisy frame 0 feeds the "no image" branch of both-mode guidance.
    Tensor noisy_first = latents.slice(2, 0, 1);  // [1, 4, 1, h, w]
    latents = latents.slice(2, 1).contiguous();   // [1, 4, T-1, h, w]
    Tensor clean_first = cond_latent.unsqueeze(2).to(dt);  // [1, 4, 1, h, w]
    const int64_t nb = sampling::cfg_branches(mode);
    Tensor ff_in = mode == sampling::CfgMode::Both ? torch::cat({noisy_first, clean_first, clean_first})
                                                   : clean_first.expand({nb, -1, -1, -1, -1}).contiguous();

    stage(Stage::Denoising, chunks > 1 ? "chunk " + std::to_string(k + 1) + " of " + std::to_string(chunks) : "");
    // Step previews leave the device asynchronously: the loop itself never waits for the GPU (issue #9).
    sampling::PreviewQueue previews([&](int i, int n, std::vector<RgbImage> frames) {
      obs->on_step_preview(i, n, frames);
    });
    const auto& ts = scheduler->timesteps();
    for (size_t i = 0; i < ts.size(); ++i) {
      check_cancel(cancel);
      const int64_t t = ts[i];
      const std::string sp = pre + "step" + std::to_string(i) + ".";
      capture(sp + "latents_in", latents);
      Tensor sample_in = nb == 1 ? latents : latents.expand({nb, -1, -1, -1, -1}).contiguous();
      if (i == 0) {
        capture(sp + "unet_in.sample", sample_in);
        capture(sp + "unet_in.first_frame_latents", ff_in);
      }
      Tensor eps = unet_step(m, scheduler->scale_model_input(sample_in, t), t, text_emb, ff_in, params.frame_stride)
                       .to(dt);
      capture(sp + "unet_out", eps);
      Tensor guided = sampling::combine_guidance(eps, mode, params.cfg_text, params.cfg_image, params.guidance_rescale);
      capture(sp + "noise_pred_guided", guided);
      auto out = scheduler->step(guided, t, latents);
      latents = out.prev_sample;
      capture(sp + "latents_out", latents);
      ++steps_done;
      if (obs) {
        const double el = std::chrono::duration<double>(Clock::now() - loop_start).count();
        const double eta = el / steps_done * (total_steps - steps_done);
        obs->on_progress(static_cast<int>(steps_done), static_cast<int>(total_steps),
                         std::chrono::duration<double>(Clock::now() - t_start).count(), eta);
        auto x0 = torch::cat({clean_first, out.pred_original_sample}, 2)[0].permute({1, 0, 2, 3});  // [T, 4, h, w]
        previews.submit(static_cast<int>(steps_done), static_cast<int>(total_steps), m.previewer.to_rgb_u8(x0));
      }
    }
    previews.flush();
    // 7. The chunk = condition + denoised frames; its last latent conditions the next chunk (§8).
    Tensor chunk = torch::cat({clean_first, latents}, 2);  // [1, 4, T, h, w]
    full.slice(2, k * (T - 1), k * (T - 1) + T).copy_(chunk);
    cond_latent = chunk.select(2, T - 1);                  // [1, 4, h, w]
  }
  capture("final_latents", full);
  check_cancel(cancel);
  // Damaged weights (or an fp16 overflow) give NaN / inf, which would come out as a black video: say so instead.
  // One host sync per video.
  auto check_finite = [&](const Tensor& t, const char* what, const char* net) {
    if (torch::isfinite(t).all().item<bool>()) return;
    throw Error(std::string("the ") + what + " hold NaN or infinite values: the " + net + " weights of " + m.root +
                " may be damaged" +
                (m.dtype == torch::kFloat16 ? ", or fp16 overflowed (try bf16 or fp32)" : std::string()) +
                " (consisti2v info --model DIR checks the files)");
  };
  check_finite(full, "denoised latents", "UNet, text encoder or VAE");

  // 8. Decode: frame by frame on the CPU (as the reference; the peak memory of one frame), 4 frames per call on
  // CUDA (issue #9: fewer, larger kernels; the VAE has no cross-frame op, so the frames come out the same). On an
  // H100 (bf16, 256²) decoding 8 frames per call was the run's memory peak, 1.25 GiB over the resident weights,
  // while the whole decode took 0.05 s: 4 frames halve that part of the peak.
  stage(Stage::Decoding);
  const int64_t decode_batch = full.is_cuda() ? 4 : 1;
  RunOutput out;
  out.final_latents = full;
  // Output quantisation as the reference saves it: x * 255 truncated. [n, H, W, 3] 8-bit frames on the host.
  auto append_frames = [&](const Tensor& video_part) {  // [1, 3, n, H, W] in [0, 1]
    check_finite(video_part, "decoded frames", "VAE");
    auto frames = (video_part[0].permute({1, 2, 3, 0}) * 255.0).to(torch::kUInt8).to(torch::kCPU).contiguous();
    const uint8_t* p = frames.data_ptr<uint8_t>();
    for (int64_t i = 0; i < frames.size(0); ++i) {
      RgbImage im;
      im.width = static_cast<int>(W);
      im.height = static_cast<int>(H);
      im.rgb.assign(p + i * H * W * 3, p + (i + 1) * H * W * 3);
      out.result.frames.push_back(std::move(im));
    }
  };
  if (ov.keep_video || ov.capture) {
    out.video = m.vae->decode_video(full, decode_batch);  // [1, 3, F, H, W] in [0, 1]
    capture("video", out.video);
    append_frames(out.video);
  } else {
    // a group is whole decode calls, so each frame is decoded exactly as in one call over the video
    const int64_t F_all = full.size(2), group = 4 * decode_batch;
    for (int64_t f0 = 0; f0 < F_all; f0 += group) {
      check_cancel(cancel);
      append_frames(m.vae->decode_video(full.narrow(2, f0, std::min(group, F_all - f0)), decode_batch));
    }
  }
  out.result.seed = seed;
  out.result.params = params;
  out.result.params.seed = seed;
  out.result.seconds = std::chrono::duration<double>(Clock::now() - t_start).count();
  stage(Stage::Done);
  if (obs) obs->on_done(out.result);
  return out;
}

}  // namespace ci2v
