// The studio's live FrameInit preview: how long one update takes when τ, D0, the filter or the seed change
// (only FFTs and the latent-to-RGB previews: the layout video's VAE encoding is cached per picture / path /
// size), at the default size (256², 16 frames: latents [1, 4, 16, 32, 32]); and what a path or picture
// change costs on top — the VAE encoding of the layout video — with the released SD VAE (random weights).
//
//   bench_preview [--threads N] [--repeats N] [--model DIR] [--vae-frames N]
//
// The update itself does not touch the VAE, so the tiny fixture model gives the real update time.
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "engine/nn/layers.h"
#include "engine/pipeline.h"
#include "engine/vae/autoencoder_kl.h"

namespace {

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 2, repeats = 10, vae_frames = 1;
  std::string model = CONSISTI2V_FIXTURES "/tiny_pipeline";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--threads") threads = std::atoi(next().c_str());
    else if (a == "--repeats") repeats = std::max(1, std::atoi(next().c_str()));
    else if (a == "--model") model = next();
    else if (a == "--vae-frames") vae_frames = std::max(0, std::atoi(next().c_str()));
    else {
      std::fprintf(stderr, "usage: bench_preview [--threads N] [--repeats N] [--model DIR] [--vae-frames N]\n");
      return 2;
    }
  }
  torch::set_num_threads(threads);
  std::printf("bench_preview: CPU, %d threads, LibTorch %s, model %s\n", threads, TORCH_VERSION, model.c_str());

  auto pipe = ci2v::Pipeline::load(model, "cpu", "fp32");
  const auto picture = ci2v::test_pattern(512, 384);
  ci2v::GenerationParams p;  // 256 x 256, 16 frames: the default size
  p.seed = 1;
  p.device = "cpu";

  auto time_update = [&](const char* what, auto&& change) {
    std::vector<double> ms;
    for (int r = 0; r < repeats; ++r) {
      change(r);
      const double t0 = now_ms();
      const auto pv = pipe->preview_frameinit(p, picture);
      ms.push_back(now_ms() - t0);
      if (pv.low.size() != static_cast<size_t>(p.frames)) {
        std::fprintf(stderr, "unexpected preview size\n");
        std::exit(1);
      }
    }
    std::printf("  %-44s median %7.1f ms  (min %.1f, max %.1f, %d runs)\n", what, median(ms),
                *std::min_element(ms.begin(), ms.end()), *std::max_element(ms.begin(), ms.end()), repeats);
  };

  std::printf("FrameInit preview update at %dx%d, %d frames (latents [1, 4, %d, %d, %d]):\n", p.width, p.height,
              p.frames, p.frames, p.height / 8, p.width / 8);
  {
    const double t0 = now_ms();
    pipe->preview_frameinit(p, picture);
    std::printf("  %-44s %7.1f ms (tiny VAE encode + previewer fit)\n", "first call, still picture", now_ms() - t0);
  }
  time_update("tau changes", [&](int r) { p.noise_level = 700 + 10 * r; });
  time_update("D0 spatial changes", [&](int r) { p.cutoff_spatial = 0.2 + 0.05 * r; });
  time_update("D0 temporal changes", [&](int r) { p.cutoff_temporal = 0.2 + 0.05 * r; });
  time_update("filter changes (gaussian/ideal/box/butterworth)",
              [&](int r) { p.filter = static_cast<ci2v::FilterType>(r % 4); });
  time_update("seed changes", [&](int r) { p.seed = 100 + r; });
  p.camera_preset = "pan_right";
  {
    const double t0 = now_ms();
    pipe->preview_frameinit(p, picture);
    std::printf("  %-44s %7.1f ms (tiny VAE encodes 16 crops)\n", "camera path change (pan_right)", now_ms() - t0);
  }
  time_update("tau changes, camera path", [&](int r) { p.noise_level = 700 + 10 * r; });

  if (vae_frames > 0) {
    // What a path or picture change costs with the released VAE: encoding the layout video's frames.
    torch::NoGradGuard ng;
    ci2v::vae::AutoencoderKL vae(ci2v::vae::VaeConfig{});
    ci2v::nn::init_random(*vae, 0);
    auto x = torch::rand({vae_frames, 3, p.height, p.width}) * 2 - 1;
    vae->encode_moments(x.slice(0, 0, 1));  // warm-up
    const double t0 = now_ms();
    auto post = vae->encode_moments(x);
    const double ms = now_ms() - t0;
    std::printf("released SD VAE encoder (random weights), %d frame(s) at %dx%d: %.0f ms (%.0f ms per frame; a camera "
                "path change encodes %d frames, a new still picture 1)\n",
                vae_frames, p.width, p.height, ms, ms / vae_frames, p.frames);
  }
  return 0;
}
