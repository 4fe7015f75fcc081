// How many DPM-Solver++ (2M) steps come close to 50 DDIM steps? Same model, seed, first frame and settings;
// prints the difference of the final latents and the PSNR of the decoded video against DDIM-50.
// usage: bench_samplers [--model DIR] [--image-size 64] [--frames 6] [--seed 7]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

#include "engine/generator.h"

using namespace ci2v;

int main(int argc, char** argv) {
  std::string model = CONSISTI2V_FIXTURES "/tiny_pipeline";
  int size = 64, frames = 6;
  int64_t seed = 7;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--model") model = v;
    else if (k == "--image-size") size = std::stoi(v);
    else if (k == "--frames") frames = std::stoi(v);
    else if (k == "--seed") seed = std::stoll(v);
  }
  torch::set_num_threads(2);
  auto m = load_models(model, "cpu", "fp32");
  RgbImage im;
  im.width = 96;
  im.height = 64;
  im.rgb.resize(96 * 64 * 3);
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 96; ++x) {
      uint8_t* p = &im.rgb[(y * 96 + x) * 3];
      p[0] = static_cast<uint8_t>(x * 2);
      p[1] = static_cast<uint8_t>(y * 3);
      p[2] = static_cast<uint8_t>((x - 40) * (x - 40) + (y - 30) * (y - 30) < 200 ? 220 : 40);
    }
  GenerationParams p;
  p.prompt = "a blue ball rolls to the right";
  p.width = p.height = size;
  p.frames = frames;
  p.seed = seed;
  p.device = "cpu";
  auto run = [&](SamplerType s, int steps) {
    p.sampler = s;
    p.steps = steps;
    const auto t0 = std::chrono::steady_clock::now();
    auto out = generate(*m, p, im, nullptr, nullptr);
    const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return std::make_pair(out, sec);
  };
  auto [ref, ref_s] = run(SamplerType::Ddim, 50);
  std::printf("model %s, %dx%d, %d frames, seed %lld, CPU 2 threads\n", model.c_str(), size, size, frames,
              static_cast<long long>(seed));
  std::printf("reference: DDIM 50 steps, %.2f s\n\n", ref_s);
  std::printf("%-10s %5s %12s %12s %10s %8s\n", "sampler", "steps", "latent RMS", "latent max", "video PSNR", "time s");
  const double lat_scale = ref.final_latents.pow(2).mean().sqrt().item<double>();
  for (auto s : {SamplerType::Ddim, SamplerType::DpmSolverPP}) {
    for (int steps : {5, 10, 15, 20, 25, 50}) {
      auto [o, sec] = run(s, steps);
      auto d = (o.final_latents - ref.final_latents);
      const double rms = d.pow(2).mean().sqrt().item<double>() / lat_scale;
      const double mx = d.abs().max().item<double>();
      const double mse = (o.video - ref.video).pow(2).mean().item<double>();
      const double psnr = mse > 0 ? 10 * std::log10(1.0 / mse) : INFINITY;
      std::printf("%-10s %5d %11.4f%% %12.4f %9.2fdB %8.2f\n", to_string(s), steps, 100 * rms, mx, psnr, sec);
    }
  }
  std::printf("\nlatent RMS = RMS(latents - DDIM50) / RMS(DDIM50). Random tiny weights: read the trend, not the values.\n");
  return 0;
}
