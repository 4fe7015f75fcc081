// Benchmark of one video-UNet step on the CPU with random weights: the released configuration (fp32, 16 frames =
// 15 denoised + the first frame, 32x32 latents, batch 2 as under classifier-free guidance) and the tiny fixture
// configuration. Prints the parameter count and seconds per step. Not a test.
//   bench_unet [--threads N] [--steps N] [--frames T'] [--size h] [--batch B] [--tiny-only]
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "engine/io/state_dict.h"
#include "engine/nn/layers.h"
#include "engine/unet/video_unet.h"

using namespace ci2v;

namespace {

unet::UNetConfig tiny_config() {
  return unet::UNetConfig::from_json(nlohmann::json{{"block_out_channels", {32, 64}},
                                                    {"down_block_types", {"CrossAttnDownBlock2D", "DownBlock2D"}},
                                                    {"up_block_types", {"UpBlock2D", "CrossAttnUpBlock2D"}},
                                                    {"layers_per_block", 2},
                                                    {"attention_head_dim", {2, 4}},
                                                    {"cross_attention_dim", 24},
                                                    {"use_linear_projection", true},
                                                    {"n_frames", 6},
                                                    {"n_temp_heads", 2},
                                                    {"first_frame_condition_mode", "concat"},
                                                    {"augment_temporal_attention", true},
                                                    {"temp_pos_embedding", "rotary"},
                                                    {"use_frame_stride_condition", true}},
                                     "tiny bench config");
}

void run(const char* name, const unet::UNetConfig& cfg, int64_t B, int64_t frames, int64_t size, int steps) {
  torch::NoGradGuard ng;
  const auto t0 = std::chrono::steady_clock::now();
  unet::VideoUNet net(cfg, torch::TensorOptions().dtype(torch::kFloat32));
  nn::init_random(*net, 1234);
  net->reset_rotary_frequencies();
  const double build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  auto gen = at::make_generator<at::CPUGeneratorImpl>(42);
  auto fo = torch::TensorOptions().dtype(torch::kFloat32);
  auto sample = at::randn({B, cfg.in_channels, frames, size, size}, gen, fo);
  auto first = at::randn({B, cfg.in_channels, 1, size, size}, gen, fo);
  auto text = at::randn({B, 77, cfg.cross_attention_dim[0]}, gen, fo);
  std::printf("%s: %zu parameters, %zu tensors (built + random init in %.1f s)\n", name, io::count_parameters(*net),
              net->named_parameters(true).size() + net->named_buffers(true).size(), build_s);
  std::printf("  input: batch %lld x %lld frames (+ first frame) x %lldx%lld latents, fp32, %d thread(s)\n",
              (long long)B, (long long)frames, (long long)size, (long long)size, at::get_num_threads());
  double best = 1e300, total = 0;
  for (int i = 0; i < steps; ++i) {
    const auto s = std::chrono::steady_clock::now();
    auto y = net->forward(sample, 801, text, first, 3);
    const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - s).count();
    if (!torch::isfinite(y).all().item<bool>()) std::printf("  WARNING: non-finite output\n");
    best = std::min(best, sec);
    total += sec;
    std::printf("  step %d: %.3f s\n", i + 1, sec);
  }
  std::printf("  => %.3f s per step (best of %d), mean %.3f s\n", best, steps, total / steps);
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 2, steps = 1;
  int64_t frames = 15, size = 32, batch = 2;
  bool tiny_only = false;
  for (int i = 1; i < argc; ++i) {
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "missing value after %s\n", argv[i]);
        std::exit(2);
      }
      return argv[++i];
    };
    if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(next());
    else if (!std::strcmp(argv[i], "--steps")) steps = std::atoi(next());
    else if (!std::strcmp(argv[i], "--frames")) frames = std::atoll(next());
    else if (!std::strcmp(argv[i], "--size")) size = std::atoll(next());
    else if (!std::strcmp(argv[i], "--batch")) batch = std::atoll(next());
    else if (!std::strcmp(argv[i], "--tiny-only")) tiny_only = true;
    else {
      std::fprintf(stderr, "usage: bench_unet [--threads N] [--steps N] [--frames T'] [--size h] [--batch B] [--tiny-only]\n");
      return 2;
    }
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // figures appear as they are measured, also when redirected
  at::set_num_threads(std::max(1, threads));
  try {
    run("tiny fixture config", tiny_config(), batch, 5, 8, std::max(steps, 3));
    if (!tiny_only) run("released config (random weights)", unet::UNetConfig::released(), batch, frames, size, std::max(steps, 1));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_unet: %s\n", e.what());
    return 1;
  }
  return 0;
}
