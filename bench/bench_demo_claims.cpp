// bench_demo_claims: the demo model's camera claim (issue #11, claim 3) measured on any model folder, with its
// figures printed — the claim does not hold for the committed CPU-trained model, so it is not a test (yet).
// For each seed, a scene of the procedural generator with a still object (it rotates) and a prompt that names
// the scene but not the camera, so the motion comes from the preset through FrameInit (tau 750, D0 0.5):
//  * pan_right over a 3:2 picture (the crop moves 4 px a frame, 28 px in all): the content should move left,
//    measured as the sum of frame-to-frame phase-correlation shifts (engine/train/clip_measures.h);
//  * zoom_in (the doubled picture cropped from 128 to 92 px): the halves should move apart (zoom_spread).
// The same scenes without a preset are the baseline. Usage:
//   bench_demo_claims [--model DIR (default resources/models/demo)] [--seeds N (6)] [--threads N (2)]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "engine/error.h"
#include "engine/pipeline.h"
#include "engine/train/clip_measures.h"
#include "engine/train/procedural.h"

using namespace ci2v;

int main(int argc, char** argv) {
  std::string model = CONSISTI2V_DEMO_DIR;
  int seeds = 6, threads = 2;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--model")) model = argv[i + 1];
    else if (!std::strcmp(argv[i], "--seeds")) seeds = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "bench_demo_claims: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  if (seeds < 1) {
    std::fprintf(stderr, "bench_demo_claims: --seeds must be at least 1\n");
    return 2;
  }
  torch::set_num_threads(threads);
  try {
    auto pipe = Pipeline::load(model, "cpu", "fp32");
    constexpr int kSize = 64;
    GenerationParams base;
    base.width = base.height = kSize;
    base.frames = 8;
    base.steps = 25;
    base.cfg_text = 3.0;  // the demo's recommended settings
    base.device = "cpu";
    std::printf("model %s, %dx%d, %d frames, %d DDIM steps, text guidance %.1f, CPU %d threads\n", model.c_str(), kSize,
                kSize, base.frames, base.steps, base.cfg_text, threads);
    std::printf("%-6s %-55s %14s %14s %14s %14s\n", "seed", "prompt", "pan_right dx", "no camera dx", "zoom_in spread",
                "no camera");
    double sum[4] = {0, 0, 0, 0};
    int pan_ok = 0, zoom_ok = 0;
    for (int s = 0; s < seeds; ++s) {
      auto spec = train::random_clip_spec(930001u + static_cast<uint64_t>(s));
      spec.motion = train::Motion::Rotate;
      if (spec.shape == train::Shape::Circle) spec.shape = train::Shape::Square;
      spec.camera = train::CameraMove::None;
      spec.x = spec.y = 0.5;
      GenerationParams p = base;
      p.prompt = train::caption(spec);
      p.seed = 700 + s;
      const auto wide = train::render_view(spec, kSize * 3 / 2, kSize);
      const auto square = train::render_clip(spec, 1, kSize, 1)[0];
      const double still_dx = train::horizontal_motion(pipe->generate(p, wide).frames, 0, kSize);
      const double still_spread = train::zoom_spread(pipe->generate(p, square).frames);
      p.camera_preset = "pan_right";
      p.switch_frameinit_defaults(false);  // the camera mode's tau 750, D0 0.5
      const double pan = train::horizontal_motion(pipe->generate(p, wide).frames, 0, kSize);
      p.camera_preset = "zoom_in";
      const double zoom = train::zoom_spread(pipe->generate(p, square).frames);
      std::printf("%-6lld %-55s %+14.1f %+14.1f %+14.1f %+14.1f\n", static_cast<long long>(p.seed), p.prompt.c_str(), pan,
                  still_dx, zoom, still_spread);
      sum[0] += pan, sum[1] += still_dx, sum[2] += zoom, sum[3] += still_spread;
      pan_ok += pan <= -4.0;
      zoom_ok += zoom >= 4.0;
    }
    std::printf("%-6s %-55s %+14.1f %+14.1f %+14.1f %+14.1f\n", "mean", "", sum[0] / seeds, sum[1] / seeds,
                sum[2] / seeds, sum[3] / seeds);
    std::printf("pan_right moves the content left by >= 4 px in %d of %d seeds (the crop moves 28 px); zoom_in spreads "
                "the halves by >= 4 px in %d of %d\n",
                pan_ok, seeds, zoom_ok, seeds);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_demo_claims: %s\n", e.what());
    return 1;
  }
  return 0;
}
