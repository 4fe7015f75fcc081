// The paper's claims, checked on the project's own demo model (resources/models/demo, issue #11) on the CPU:
//  1. the first output frame reproduces the input first frame (PSNR);
//  2. motion follows the prompt ("moves right" / "moves left": the object's centroid moves that way);
//  4. FrameInit keeps the low-frequency layout of later frames closer to the first frame than without it.
// Claim 3 (the pan_right and zoom_in presets move the view their way, by phase correlation between frames) does
// not hold for the committed CPU-trained model (docs/demo-model.md: pan_right 3 of 5 seeds, zoom_in 0 of 5), so
// it is not asserted here; its measure (horizontal_motion) is checked on clips with a known camera move below.
// Each test prints its figures. The first frames come from the training data's procedural generator with
// parameters the test chooses (seeds outside the training streams), so the model has seen the kind of scene but
// not the picture. A missing demo model is a failure, not a skip.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/pipeline.h"
#include "engine/train/procedural.h"

namespace {

using ci2v::GenerationParams;
using ci2v::GenerationResult;
using ci2v::RgbImage;
using ci2v::train::Background;
using ci2v::train::ClipSpec;
using ci2v::train::Motion;
using ci2v::train::Shape;

constexpr int kSize = 64;     // the demo model's resolution (unet sample_size 8 x VAE factor 8)
constexpr int kFrames = 8;    // its training clip length
constexpr int kSteps = 25;    // DDIM steps, as the studio runs the demo model

// Stated bounds (figures measured on the committed model are in docs/demo-model.md).
constexpr double kMinFirstFramePsnr = 25.0;  // dB, output frame 0 against the input picture (measured 26.7–33.6)
constexpr int kMotionSeeds = 10;             // per direction
constexpr int kMotionMinAgree = 6;           // of kMotionSeeds: most
constexpr int kFrameInitSeeds = 6;

class DemoModel : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    // CONSISTI2V_DEMO_MODEL (as in the studio) checks another folder, e.g. a checkpoint still in training.
    const char* env = std::getenv("CONSISTI2V_DEMO_MODEL");
    const std::string dir = env && *env && std::string(env) != "none" ? env : CONSISTI2V_DEMO_DIR;
    if (!std::filesystem::exists(std::filesystem::path(dir) / "model_index.json")) {
      load_error_ = "the demo model is missing: " + dir + "/model_index.json (train it with `consisti2v train --preset demo`, docs/demo-model.md)";
      return;
    }
    pipeline_ = ci2v::Pipeline::load(dir, "cpu", "fp32");
    // the text guidance the model asks for (model_index.json "_consisti2v_demo" / "recommended"), as the studio
    std::ifstream index(std::filesystem::path(dir) / "model_index.json");
    const auto j = nlohmann::json::parse(index, nullptr, false);
    if (j.is_object() && j.contains("_consisti2v_demo") && j["_consisti2v_demo"].contains("recommended"))
      cfg_text_ = j["_consisti2v_demo"]["recommended"].value("cfg_text", cfg_text_);
    std::printf("[demo] model %s, text guidance %.1f, %d DDIM steps, %dx%d, %d frames\n", dir.c_str(), cfg_text_, kSteps,
                kSize, kSize, kFrames);
  }
  static void TearDownTestSuite() { pipeline_.reset(); }
  void SetUp() override { ASSERT_TRUE(pipeline_) << load_error_; }

  static GenerationParams params(const std::string& prompt, int64_t seed) {
    GenerationParams p;
    p.prompt = prompt;
    p.width = p.height = kSize;
    p.frames = kFrames;
    p.steps = kSteps;
    p.seed = seed;
    p.cfg_text = cfg_text_;
    p.device = "cpu";
    return p;
  }
  static GenerationResult run(const GenerationParams& p, const RgbImage& first) {
    auto r = pipeline_->generate(p, first);
    EXPECT_EQ(static_cast<int>(r.frames.size()), kFrames);
    return r;
  }

  static std::unique_ptr<ci2v::Pipeline> pipeline_;
  static std::string load_error_;
  static double cfg_text_;
};
double DemoModel::cfg_text_ = 7.5;
std::unique_ptr<ci2v::Pipeline> DemoModel::pipeline_;
std::string DemoModel::load_error_;

ClipSpec scene(Shape shape, int color, Motion motion, Background bg, double x, double y) {
  ClipSpec s;
  s.shape = shape;
  s.color = color;
  s.motion = motion;
  s.background = bg;
  const uint8_t a[3] = {40, 60, 90}, b[3] = {110, 120, 80};
  std::copy(a, a + 3, s.bg_a);
  std::copy(b, b + 3, s.bg_b);
  s.size = 0.14;
  s.x = x;
  s.y = y;
  return s;
}

RgbImage picture(const ClipSpec& s, int size = kSize) { return ci2v::train::render_clip(s, 1, size, 1)[0]; }

double psnr(const RgbImage& a, const RgbImage& b) {
  double se = 0;
  for (size_t i = 0; i < a.rgb.size(); ++i) {
    const double d = static_cast<double>(a.rgb[i]) - b.rgb[i];
    se += d * d;
  }
  const double mse = se / static_cast<double>(a.rgb.size());
  return mse <= 0 ? 99.0 : 10.0 * std::log10(255.0 * 255.0 / mse);
}

// Centroid x of the pixels close to an object colour; false when none is found.
bool centroid_x(const RgbImage& im, const ci2v::train::NamedColor& c, double& cx) {
  double sx = 0, n = 0;
  for (int y = 0; y < im.height; ++y)
    for (int x = 0; x < im.width; ++x) {
      const uint8_t* p = im.at(x, y);
      const double d = std::abs(p[0] - c.r) + std::abs(p[1] - c.g) + std::abs(p[2] - c.b);
      if (d < 120) sx += x, n += 1;
    }
  if (n < 4) return false;
  cx = sx / n;
  return true;
}

// ---- phase correlation -------------------------------------------------------------------------------------

using cd = std::complex<double>;

// In-place 2-D DFT of an h x w grid (row-major); naive per axis (the images are at most 64 x 64).
void dft2(std::vector<cd>& g, int h, int w, bool inverse) {
  const double sign = inverse ? 1.0 : -1.0;
  auto dft1 = [&](int n, int stride, int offset) {
    std::vector<cd> in(static_cast<size_t>(n)), out(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) in[static_cast<size_t>(i)] = g[static_cast<size_t>(offset + i * stride)];
    for (int k = 0; k < n; ++k) {
      cd s = 0;
      for (int i = 0; i < n; ++i) s += in[static_cast<size_t>(i)] * std::polar(1.0, sign * 2.0 * M_PI * k * i / n);
      out[static_cast<size_t>(k)] = s;
    }
    for (int i = 0; i < n; ++i) g[static_cast<size_t>(offset + i * stride)] = out[static_cast<size_t>(i)];
  };
  for (int y = 0; y < h; ++y) dft1(w, 1, y * w);
  for (int x = 0; x < w; ++x) dft1(h, w, x);
}

// Grey levels of columns [x0, x0 + w) of an image, mean removed, under a Hann window.
std::vector<cd> windowed(const RgbImage& im, int x0, int w) {
  const int h = im.height;
  std::vector<double> v(static_cast<size_t>(h * w));
  double mean = 0;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const uint8_t* p = im.at(x0 + x, y);
      mean += v[static_cast<size_t>(y * w + x)] = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
    }
  mean /= static_cast<double>(v.size());
  std::vector<cd> g(v.size());
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const double wy = 0.5 - 0.5 * std::cos(2 * M_PI * (y + 0.5) / h), wx = 0.5 - 0.5 * std::cos(2 * M_PI * (x + 0.5) / w);
      g[static_cast<size_t>(y * w + x)] = (v[static_cast<size_t>(y * w + x)] - mean) * wx * wy;
    }
  return g;
}

// The translation (dx, dy) that moves the content of `a` onto `b` (columns [x0, x0 + w) of both).
std::pair<int, int> phase_shift(const RgbImage& a, const RgbImage& b, int x0, int w) {
  const int h = a.height;
  auto fa = windowed(a, x0, w), fb = windowed(b, x0, w);
  dft2(fa, h, w, false);
  dft2(fb, h, w, false);
  std::vector<cd> r(fa.size());
  for (size_t i = 0; i < r.size(); ++i) {
    const cd c = fb[i] * std::conj(fa[i]);
    r[i] = std::abs(c) > 1e-9 ? c / std::abs(c) : cd(0);
  }
  dft2(r, h, w, true);
  size_t best = 0;
  for (size_t i = 1; i < r.size(); ++i)
    if (r[i].real() > r[best].real()) best = i;
  int dy = static_cast<int>(best) / w, dx = static_cast<int>(best) % w;
  if (dx > w / 2) dx -= w;
  if (dy > h / 2) dy -= h;
  return {dx, dy};
}

// Horizontal content motion over the clip: the sum of the shifts between consecutive frames (each well inside
// the window, so no wrap-around), columns [x0, x0 + w).
int horizontal_motion(const std::vector<RgbImage>& frames, int x0, int w) {
  int total = 0;
  for (size_t f = 1; f < frames.size(); ++f) total += phase_shift(frames[f - 1], frames[f], x0, w).first;
  return total;
}

// Mean RMS difference of the low-frequency layout of frames 1.. against frame 0: the mean colour of 16 x 16-pixel
// blocks (a 4 x 4 grid at 64 px), the band FrameInit's low-pass filter (D0 0.25 of the 8 x 8 latent grid) governs.
double layout_drift(const std::vector<RgbImage>& frames) {
  constexpr int kBlock = 16;
  auto blocks = [](const RgbImage& im) {
    std::vector<double> b;
    for (int by = 0; by + kBlock <= im.height; by += kBlock)
      for (int bx = 0; bx + kBlock <= im.width; bx += kBlock)
        for (int c = 0; c < 3; ++c) {
          double s = 0;
          for (int y = by; y < by + kBlock; ++y)
            for (int x = bx; x < bx + kBlock; ++x) s += im.at(x, y)[c];
          b.push_back(s / (kBlock * kBlock));
        }
    return b;
  };
  const auto ref = blocks(frames[0]);
  double total = 0;
  for (size_t f = 1; f < frames.size(); ++f) {
    const auto cur = blocks(frames[f]);
    double se = 0;
    for (size_t i = 0; i < ref.size(); ++i) se += (cur[i] - ref[i]) * (cur[i] - ref[i]);
    total += std::sqrt(se / static_cast<double>(ref.size()));
  }
  return total / static_cast<double>(frames.size() - 1);
}

// ---- the measures, on the training generator's own clips (ground truth known, no model needed) ------------

TEST(DemoMeasures, SeeTheMotionOfKnownClips) {
  using ci2v::train::CameraMove;
  auto clip = [](ClipSpec s, CameraMove cam) {
    s.camera = cam;
    return ci2v::train::render_clip(s, kFrames, kSize, 3);
  };
  const auto base = scene(Shape::Circle, 0, Motion::Right, Background::Checker, 0.3, 0.5);
  // centroid of a red circle moving right
  const auto right = clip(base, CameraMove::None);
  double x0 = 0, x1 = 0;
  ASSERT_TRUE(centroid_x(right.front(), ci2v::train::object_palette()[0], x0));
  ASSERT_TRUE(centroid_x(right.back(), ci2v::train::object_palette()[0], x1));
  EXPECT_GT(x1 - x0, 10.0);
  // a camera panning right: the content moves left; zooming in: the halves move apart
  auto still = base;
  still.motion = Motion::Rotate;  // a rotating circle stays put
  const int pan = horizontal_motion(clip(still, CameraMove::PanRight), 0, kSize);
  const int pan_left = horizontal_motion(clip(still, CameraMove::PanLeft), 0, kSize);
  const auto zoom = clip(still, CameraMove::ZoomIn);
  const int zl = horizontal_motion(zoom, 0, kSize / 2), zr = horizontal_motion(zoom, kSize / 2, kSize / 2);
  std::printf("[demo] known clips: pan right %+d px, pan left %+d px, zoom in: left half %+d, right half %+d\n", pan, pan_left,
              zl, zr);
  EXPECT_LT(pan, -5);
  EXPECT_GT(pan_left, 5);
  EXPECT_LT(zl, zr);
  // a still clip has no layout drift; a moving one has some
  EXPECT_EQ(layout_drift(clip(still, CameraMove::None)), 0.0);
  EXPECT_GT(layout_drift(right), 1.0);
  // PSNR: identical pictures are capped, different ones are finite
  EXPECT_EQ(psnr(right[0], right[0]), 99.0);
  EXPECT_LT(psnr(right[0], right[7]), 30.0);
}

// ---- the claims --------------------------------------------------------------------------------------------

TEST_F(DemoModel, FirstOutputFrameReproducesTheInput) {
  double worst = 99;
  for (uint64_t seed : {910001u, 910002u, 910003u, 910004u}) {
    const auto spec = ci2v::train::random_clip_spec(seed);
    const auto first = picture(spec);
    const auto r = run(params(ci2v::train::caption(spec), static_cast<int64_t>(seed)), first);
    const double p = psnr(r.frames[0], first);
    std::printf("[demo] first frame PSNR %.2f dB  (%s)\n", p, ci2v::train::caption(spec).c_str());
    worst = std::min(worst, p);
  }
  std::printf("[demo] worst first-frame PSNR %.2f dB (bound %.1f dB)\n", worst, kMinFirstFramePsnr);
  EXPECT_GE(worst, kMinFirstFramePsnr);
}

TEST_F(DemoModel, MotionFollowsThePrompt) {
  const auto& red = ci2v::train::object_palette()[0];
  ASSERT_STREQ(red.name, "red");
  for (const bool right : {true, false}) {
    const auto spec = scene(Shape::Circle, 0, right ? Motion::Right : Motion::Left, Background::Gradient,
                            right ? 0.3 : 0.7, 0.5);
    const std::string prompt = ci2v::train::caption(spec);
    int agree = 0;
    double sum_dx = 0;
    for (int s = 0; s < kMotionSeeds; ++s) {
      const auto r = run(params(prompt, 500 + s), picture(spec));
      double x0 = 0, x1 = 0;
      const bool found = centroid_x(r.frames.front(), red, x0) && centroid_x(r.frames.back(), red, x1);
      const double dx = found ? x1 - x0 : 0.0;
      sum_dx += dx;
      if (found && (right ? dx > 1.0 : dx < -1.0)) ++agree;
      std::printf("[demo] \"%s\" seed %d: centroid dx %+.1f px%s\n", prompt.c_str(), 500 + s, dx,
                  found ? "" : " (object lost)");
    }
    std::printf("[demo] %s: %d of %d seeds move that way, mean dx %+.1f px (need %d)\n", right ? "moves right" : "moves left",
                agree, kMotionSeeds, sum_dx / kMotionSeeds, kMotionMinAgree);
    EXPECT_GE(agree, kMotionMinAgree) << prompt;
  }
}

TEST_F(DemoModel, FrameInitKeepsTheLayoutOfTheFirstFrame) {
  int closer = 0;
  double sum_on = 0, sum_off = 0;
  for (int s = 0; s < kFrameInitSeeds; ++s) {
    const auto spec = ci2v::train::random_clip_spec(920001u + static_cast<uint64_t>(s));
    const auto first = picture(spec);
    auto p = params(ci2v::train::caption(spec), 800 + s);
    const double on = layout_drift(run(p, first).frames);
    p.frameinit = false;
    const double off = layout_drift(run(p, first).frames);
    sum_on += on, sum_off += off;
    if (on < off) ++closer;
    std::printf("[demo] layout drift from frame 0, seed %d: FrameInit on %.2f, off %.2f (RGB levels, 16 px blocks)\n",
                800 + s, on, off);
  }
  std::printf("[demo] FrameInit on: mean drift %.2f; off: %.2f; closer in %d of %d seeds\n", sum_on / kFrameInitSeeds,
              sum_off / kFrameInitSeeds, closer, kFrameInitSeeds);
  EXPECT_LT(sum_on, sum_off);
  EXPECT_GE(2 * closer, kFrameInitSeeds);  // and in at least half of the seeds
}

}  // namespace
