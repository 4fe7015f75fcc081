// consisti2v bench: the whole pipeline (text encoding, first-frame encoding, FrameInit, the denoising loop with
// CFG, the VAE decode) timed stage by stage, on the released configuration with random weights (or a model
// folder), for each size and dtype asked for. Prints s/video, s/step, each stage, the UNet's FLOPs per step
// (Linear, convolutions and attention; 2 per multiply-add) and the TFLOP/s they reach, and the peak memory.
//
//   consisti2v bench [--device auto|cpu|cuda] [--dtype fp32,fp16,bf16] [--size 256,512] [--frames 16]
//                    [--steps 50] [--cfg 7.5] [--repeats 1 (0: one cold run)] [--tf32] [--cuda-graphs] [--model DIR]
//                    [--threads N] [--profile] [--profile-top 25] [--profile-trace FILE] [--audit]
// --profile: after the timed runs, one more run of each dtype and size with the LibTorch (Kineto) profiler on
// over the denoising loop; prints where a step's time goes (GPU kernels by kind and the largest ones, with the
// host's launch calls per step; ATen ops on the CPU). --profile-trace writes that run's Chrome trace (one file
// per dtype and size: FILE gets "-<dtype>-<size>.json" appended).
// --audit: one more run of each dtype and size, its denoising loop (eager UNet, no CUDA graphs) under the layout
// audit (engine/nn/op_audit.h): the elementwise ops CUDA cannot vectorise (broadcast, strided, two layouts) and
// the copies, with the operands of the most frequent ones.
#include <cstdint>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <sstream>

#include "cli/args.h"
#include "cli/op_profile.h"
#include "engine/generator.h"
#include "engine/nn/fused.h"
#include "engine/nn/layers.h"
#include "engine/nn/op_audit.h"
#include "engine/unet/graphed_unet.h"
#include "engine/unet/temporal_resnet.h"
#include "engine/unet/video_unet.h"

#ifdef CONSISTI2V_TORCH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

namespace ci2v::cli {

#ifndef CONSISTI2V_PROFILER
// Built with -DCONSISTI2V_PROFILER=OFF (cli/op_profile.cpp left out): --profile is refused before any run.
void profile_begin(bool) { throw std::runtime_error("--profile: this build has no profiler (CONSISTI2V_PROFILER=OFF)"); }
ProfileSummary profile_end(const std::string&) { return {}; }
std::string format_profile(const ProfileSummary&, int, int, const std::string&) { return {}; }
#endif

namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

void sync(const torch::Device& d) {
  if (d.is_cuda()) torch::cuda::synchronize();
}

#ifdef CONSISTI2V_TORCH_CUDA
c10::cuda::CUDACachingAllocator::DeviceStats cuda_stats(const torch::Device& d) {
  return c10::cuda::CUDACachingAllocator::getDeviceStats(d.index() < 0 ? 0 : d.index());
}
#endif

int64_t peak_bytes(const torch::Device& d) {
#ifdef CONSISTI2V_TORCH_CUDA
  if (d.is_cuda()) return cuda_stats(d).allocated_bytes[0].peak;
#endif
  (void)d;
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<int64_t>(ru.ru_maxrss) * 1024;  // process peak (CPU)
}

// Bytes held by tensors now (CUDA), e.g. the weights before a run; 0 on the CPU.
int64_t current_bytes(const torch::Device& d) {
#ifdef CONSISTI2V_TORCH_CUDA
  if (d.is_cuda()) return cuda_stats(d).allocated_bytes[0].current;
#endif
  (void)d;
  return 0;
}

// Bytes the caching allocator holds from the driver now (CUDA): cached free blocks and CUDA graph pools included,
// so this is what the process takes from the GPU; 0 on the CPU.
int64_t reserved_bytes(const torch::Device& d) {
#ifdef CONSISTI2V_TORCH_CUDA
  if (d.is_cuda()) return cuda_stats(d).reserved_bytes[0].current;
#endif
  (void)d;
  return 0;
}

void reset_peak(const torch::Device& d) {
#ifdef CONSISTI2V_TORCH_CUDA
  if (d.is_cuda()) c10::cuda::CUDACachingAllocator::resetPeakStats(d.index() < 0 ? 0 : d.index());
#endif
  (void)d;
}

// Stage boundaries and step times as the engine reports them (synchronised, so GPU work lands in its stage).
class TimingObserver : public Observer {
public:
  explicit TimingObserver(torch::Device d, bool profile = false)
      : device_(d), profile_(profile), last_(Clock::now()) {}
  void on_stage(Stage s, const std::string&) override {
    sync(device_);
    const auto now = Clock::now();
    if (profiling_) {  // the denoising stage ends
      profile_ = profiling_ = false;
      profile_s_ = seconds(last_, now);
      summary_ = profile_end(trace_);
    } else if (profile_ && s == Stage::Denoising) {
      profile_begin(device_.is_cuda());
      profiling_ = true;
    }
    if (auditing_ && audit_) {
      audit_text_ = audit_->format(audit_patterns_);
      audit_.reset();
      auditing_ = false;
    } else if (auditing_ && s == Stage::Denoising) {
      audit_ = std::make_unique<nn::OpAudit>();
    }
    if (have_) stages_[current_] += seconds(last_, now);
    close_peak();
    current_ = s;
    nn::count_flops(s == Stage::Denoising);  // the UNet's work only (the text encoder and VAE are not counted)
    have_ = true;
    last_ = now;
    step_last_ = now;
  }
  void on_progress(int, int, double, double) override {
    sync(device_);
    const auto now = Clock::now();
    steps_.push_back(seconds(step_last_, now));
    step_last_ = now;
  }
  double stage(Stage s) const {
    auto it = stages_.find(s);
    return it == stages_.end() ? 0.0 : it->second;
  }
  // The peak memory of the stage that ran last (call after the run); then peak(stage) covers every stage.
  void close_peak() {
    if (!have_) return;
    peaks_[current_] = std::max(peaks_[current_], peak_bytes(device_));
    reset_peak(device_);
  }
  double peak_gib(Stage s) const {
    auto it = peaks_.find(s);
    return it == peaks_.end() ? 0.0 : it->second / double(1 << 30);
  }
  double max_peak_gib() const {
    int64_t m = 0;
    for (const auto& [stage, bytes] : peaks_) m = std::max(m, bytes);
    return m / double(1 << 30);
  }
  void set_trace(std::string path) { trace_ = std::move(path); }
  // Audit the denoising stage's ops (the audit's table is audit_text() after the run).
  void audit(int patterns) { auditing_ = true, audit_patterns_ = patterns; }
  const std::string& audit_text() const { return audit_text_; }
  const ProfileSummary& profile() const { return summary_; }
  double profiled_seconds() const { return profile_s_; }
  double median_step() const {
    if (steps_.empty()) return 0;
    auto v = steps_;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  }

private:
  static double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }
  torch::Device device_;
  bool profile_ = false, profiling_ = false;
  double profile_s_ = 0;
  std::string trace_;
  ProfileSummary summary_;
  bool auditing_ = false;
  int audit_patterns_ = 0;
  std::unique_ptr<nn::OpAudit> audit_;
  std::string audit_text_;
  std::map<Stage, double> stages_;
  std::map<Stage, int64_t> peaks_;
  Stage current_ = Stage::Loading;
  bool have_ = false;
  Clock::time_point last_, step_last_;
  std::vector<double> steps_;
};

std::shared_ptr<Models> random_models(const torch::Device& device, torch::ScalarType dtype) {
  auto m = std::make_shared<Models>();
  m->device = device;
  m->dtype = dtype;
  m->root = "(released configuration, random weights)";
  const auto o = torch::TensorOptions().device(device).dtype(dtype);
  m->text_encoder = text::ClipTextModel(text::ClipTextConfig{}, o);
  nn::init_random(*m->text_encoder, 1);
  m->vae = vae::AutoencoderKL(vae::VaeConfig{}, o);
  nn::init_random(*m->vae, 2);
  m->unet = unet::VideoUNet(unet::UNetConfig::released(), o);
  nn::init_random(*m->unet, 3);
  m->unet->reset_rotary_frequencies();
  if (unet::channels_last_default(device)) m->unet->use_channels_last(true);  // as load_video_unet does
  return m;
}

// Which temporal convolution and element-wise kernels the run uses, and whether that was forced.
std::string kernels_label(const torch::Device& device) {
  const bool forced = unet::temporal_conv_mode() != unet::TemporalConvMode::Auto;
  const bool gemm = unet::temporal_conv_mode_for(device) == unet::TemporalConvMode::Gemm;
  std::string s = std::string("temporal convolutions ") + (gemm ? "by GEMM" : "by convolution") +
                  (forced ? " (CONSISTI2V_TEMPORAL_CONV)" : " (the default on this device)");
  if (device.is_cuda()) {
    s += nn::fused_kernels_enabled()  ? ", fused GEGLU and GroupNorm+SiLU"
         : nn::fused_kernels_built() ? ", fused kernels off (CONSISTI2V_FUSED=0)"
                                     : "";
    if (nn::fused_kernels_enabled())
      s += nn::fused_temporal_combine_enabled() ? ", fused temporal combine"
                                                : ", temporal combine by ATen (CONSISTI2V_FUSED_TEMPORAL=0)";
    s += unet::channels_last_default(device) ? ", UNet channels-last" : ", UNet NCHW (CONSISTI2V_CHANNELS_LAST=0)";
  }
  return s;
}

}  // namespace

int cmd_bench(int argc, char** argv) {
  Args a(argc, argv, 2, {"tf32", "cuda-graphs", "profile", "audit"});
  if (auto u = a.unknown({"device", "dtype", "size", "frames", "steps", "cfg", "repeats", "tf32", "cuda-graphs", "model",
                          "threads", "profile", "profile-top", "profile-trace", "audit"});
      !u.empty())
    throw UsageError("unknown option " + u[0]);
  a.refuse_extra_positionals(0);
  const torch::Device device = resolve_device(a.get("device", "auto"));
  const auto dtypes = split_list(a.get("dtype", "fp32"));
  std::vector<std::string> sizes;  // checked before any work: a bad entry is named
  for (const auto& sz : split_list(a.get("size", "256"))) {
    size_t used = 0;
    long v = 0;
    try {
      v = std::stol(sz, &used);
    } catch (...) {
      used = 0;
    }
    if (used == 0 || used != sz.size() || v < 64 || v > 2048 || v % 8 != 0)
      throw UsageError("--size: expected square sizes in pixels (multiples of 8 in 64..2048, e.g. 256,512), got '" +
                       sz + "'");
    sizes.push_back(sz);
  }
  as_usage_error([&] {  // every entry before the first run: a typo is named now
    for (const auto& dt : dtypes) (void)resolve_dtype(dt);
  });
  const int frames = a.get_int32("frames", 16);
  const int steps = a.get_int32("steps", 50);
  const double cfg = a.get_double("cfg", 7.5);
  // measured runs after one warm-up run; 0: the first (cold) run alone is measured, no warm-up
  const int repeats = a.get_int32("repeats", 1);
  if (repeats < 0 || repeats > 1000)
    throw UsageError("--repeats: expected 0 (one cold run, no warm-up) to 1000, got " + std::to_string(repeats));
  if (frames < 2 || frames > 128) throw UsageError("--frames: expected 2..128, got " + std::to_string(frames));
  if (steps < 1 || steps > 1000) throw UsageError("--steps: expected 1..1000, got " + std::to_string(steps));
  if (!std::isfinite(cfg) || cfg < 0 || cfg > 100)
    throw UsageError("--cfg: expected a guidance scale in 0..100, got '" + a.get("cfg") + "'");
  const std::string model_dir = a.get("model", "");
  if (a.has("threads")) torch_set_threads(a.get_threads("threads"));
  const bool tf32 = a.has("tf32");
  const bool profile = a.has("profile") || a.has("profile-trace");
  const int profile_top = a.get_int32("profile-top", 25);
  if (profile_top < 1) throw UsageError("--profile-top: expected a number of ops >= 1, got " + a.get("profile-top"));
  const std::string profile_trace = a.get("profile-trace", "");
  const char* graphs_env = std::getenv("CONSISTI2V_CUDA_GRAPHS");
  if (a.has("audit") && device.is_cuda() && graphs_env && std::string(graphs_env) == "1")
    throw UsageError("--audit needs the eager UNet (graph replays bypass ATen's op records): unset "
                     "CONSISTI2V_CUDA_GRAPHS=1");
#ifndef CONSISTI2V_PROFILER
  if (profile) throw std::runtime_error("--profile: this build has no profiler (configured with -DCONSISTI2V_PROFILER=OFF)");
#endif
  at::globalContext().setAllowTF32CuBLAS(tf32);
  at::globalContext().setAllowTF32CuDNN(tf32);

  std::printf("consisti2v bench: device %s%s%s, %d frames, %d steps, CFG %.1f, LibTorch %s, %s\n",
              device.str().c_str(), device.is_cuda() ? (tf32 ? " (TF32 on)" : " (TF32 off)") : "",
              device.is_cuda() && a.has("cuda-graphs") ? " (UNet from CUDA graphs)" : "", frames, steps, cfg,
              TORCH_VERSION,
              kernels_label(device).c_str());
  std::printf("%-5s %-5s %9s %9s %8s %8s %9s %8s %9s %10s %9s %9s\n", "dtype", "size", "s/video", "s/step",
              "text_s", "image_s", "frameinit", "decode_s", "load_s", "TFLOP/step", "TFLOP/s", "peak_GiB");
  // The first dtype's video per size: the later dtypes' videos are compared with it (same seed, same weights).
  std::map<std::string, torch::Tensor> first_video;
  std::vector<std::string> comparisons, profiles;
  for (const auto& dt : dtypes) {
    const auto dtype = resolve_dtype(dt);
    const auto t_load = Clock::now();
    std::shared_ptr<Models> m;
    if (model_dir.empty()) {
      m = random_models(device, dtype);
    } else {
      m = load_models(model_dir, device.str(), dt);
    }
    m->cuda_graphs = a.has("cuda-graphs");
    sync(device);
    const double load_s = std::chrono::duration<double>(Clock::now() - t_load).count();
    // Random prompt tokens: the tokenizer is not part of the timing (and a random model has no vocabulary).
    auto ids = torch::randint(1, 49407, {1, 77}, torch::TensorOptions().dtype(torch::kInt64));
    RunOverrides ov;
    ov.prompt_ids = ids;
    ov.negative_ids = torch::zeros_like(ids);
    for (const auto& sz : sizes) {
      GenerationParams p;
      p.width = p.height = std::stoi(sz);  // checked above
      p.frames = frames;
      p.steps = steps;
      p.cfg_text = cfg;
      p.seed = 1;
      p.device = device.is_cuda() ? "cuda" : "cpu";
      p.dtype = dt;
      const auto picture = test_pattern(p.width, p.height);
      for (int r = 0; r <= repeats; ++r) {  // run 0 warms up (kernels, cuDNN/cuFFT plans, allocator)
        reset_peak(device);
        const int64_t resident = current_bytes(device);  // the weights (and anything cached) before the run
        TimingObserver obs(device);
        nn::reset_counted_flops();
        const auto t0 = Clock::now();
        const auto out = generate(*m, p, picture, &obs, nullptr, ov);
        sync(device);
        obs.close_peak();
        const double total = std::chrono::duration<double>(Clock::now() - t0).count();
        nn::count_flops(false);
        if (r == 0 && repeats > 0) continue;
        const double step_s = obs.median_step();
        const double denoise_s = obs.stage(Stage::Denoising);
        const double flops = static_cast<double>(nn::counted_flops());
        const double tflop_step = flops / steps / 1e12;
        std::printf("%-5s %-5s %9.3f %9.4f %8.3f %8.3f %9.3f %8.3f %9.2f %10.3f %9.2f %9.2f\n", dt.c_str(), sz.c_str(),
                    total, step_s, obs.stage(Stage::EncodingText), obs.stage(Stage::EncodingImage),
                    obs.stage(Stage::FrameInit), obs.stage(Stage::Decoding), load_s, tflop_step,
                    denoise_s > 0 ? flops / 1e12 / denoise_s : 0.0, obs.max_peak_gib());
        std::fflush(stdout);
        if (r != repeats) continue;
        if (device.is_cuda()) {
          char line[400];
          std::snprintf(line, sizeof line,
                        "%s %s peak GiB by stage: resident before the run %.2f, text %.2f, image %.2f, frameinit %.2f, "
                        "denoising %.2f, decoding %.2f; reserved by the allocator after the run %.2f",
                        dt.c_str(), sz.c_str(), resident / double(1 << 30), obs.peak_gib(Stage::EncodingText),
                        obs.peak_gib(Stage::EncodingImage), obs.peak_gib(Stage::FrameInit),
                        obs.peak_gib(Stage::Denoising), obs.peak_gib(Stage::Decoding),
                        reserved_bytes(device) / double(1 << 30));
          comparisons.push_back(line);
        }
        const auto video = out.video.detach().to(torch::kCPU, torch::kFloat);  // [1, 3, F, H, W] in [0, 1]
        if (dt == dtypes.front()) {
          first_video[sz] = video;
        } else if (first_video.count(sz)) {
          const auto d = (video - first_video[sz]).abs();
          const double mse = d.pow(2).mean().item<double>();
          char line[256];
          std::snprintf(line, sizeof line, "%s vs %s at %s: video max abs %.4f, mean abs %.5f, PSNR %.1f dB", dt.c_str(),
                        dtypes.front().c_str(), sz.c_str(), d.max().item<double>(), d.mean().item<double>(),
                        mse > 0 ? 10.0 * std::log10(1.0 / mse) : 999.0);
          comparisons.push_back(line);
        }
      }
      if (profile) {  // one more run, profiled over the denoising loop (its times are not in the table)
        TimingObserver obs(device, true);
        if (!profile_trace.empty()) obs.set_trace(profile_trace + "-" + dt + "-" + sz + ".json");
        generate(*m, p, picture, &obs, nullptr, ov);
        sync(device);
        char head[256];
        std::snprintf(head, sizeof head, "profile %s %s: denoising %.3f s under the profiler (%d steps, %.2f ms per step)\n",
                      dt.c_str(), sz.c_str(), obs.profiled_seconds(), steps, 1000.0 * obs.profiled_seconds() / steps);
        std::string text = head + format_profile(obs.profile(), profile_top, steps, "step");
        if (obs.profile().device && obs.profiled_seconds() > 0) {  // how much of the loop the GPU sat idle
          char idle[160];
          std::snprintf(idle, sizeof idle, "GPU idle %.1f %% of the profiled denoising loop (launch and host overhead)\n",
                        100.0 * std::max(0.0, 1.0 - obs.profile().busy_us / 1e6 / obs.profiled_seconds()));
          text += idle;
        }
        profiles.push_back(text);
      }
      if (a.has("audit")) {  // one more run, its denoising loop audited (the eager UNet: graph replays bypass ATen)
        TimingObserver obs(device);
        obs.audit(profile_top);
        struct EagerUNet {  // restored also when the run throws
          Models& m;
          bool graphs = m.cuda_graphs;
          ~EagerUNet() { m.cuda_graphs = graphs; }
        } eager{*m};
        m->cuda_graphs = false;
        generate(*m, p, picture, &obs, nullptr, ov);
        sync(device);
        profiles.push_back("layout audit " + dt + " " + sz + " (the denoising loop: " + std::to_string(steps) +
                           " steps of the eager UNet and the step previews, this thread's ops)\n" + obs.audit_text());
      }
    }
    if (m->graphed) {
      char line[512];
      std::snprintf(line, sizeof line, "%s: UNet CUDA graphs captured %d, replays %lld%s%s", dt.c_str(),
                    m->graphed->graphs_captured(), static_cast<long long>(m->graphed->replays()),
                    m->graphed->fallback_reason().empty() ? "" : ", fell back to eager: ",
                    m->graphed->fallback_reason().c_str());
      comparisons.push_back(line);
    }
  }
  for (const auto& c : comparisons) std::printf("%s\n", c.c_str());
  for (const auto& pr : profiles) std::printf("%s", pr.c_str());
  std::printf("(TFLOP/step: the UNet's counted matrix work per denoising step (all CFG branches); TFLOP/s: over the\n"
              " denoising stage; peak: CUDA caching-allocator peak, or the process's max RSS on the CPU)\n");
  return 0;
}

}  // namespace ci2v::cli
