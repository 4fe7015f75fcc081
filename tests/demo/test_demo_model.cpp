// The paper's claims, checked on the project's own demo model (resources/models/demo, issue #11) on the CPU:
//  1. the first output frame reproduces the input first frame (PSNR);
//  2. motion follows the prompt ("moves right" / "moves left": the object's centroid moves that way);
//  4. FrameInit keeps the low-frequency layout of later frames closer to the first frame than without it.
//  3. (half of it) the pan_right preset moves the view: the content moves left, by phase correlation between
//     frames, with the camera setting the model asks for (model_index.json: τ 300, D0 1.0 for the demo, as the
//     studio and the CLI apply it).
// The other half of claim 3, zoom_in spreading the picture, does not hold for the committed CPU-trained model
// (docs/demo-model.md: 3 of 12 seeds at its camera setting, 4 of 12 at best), so it is not asserted here:
// `bench_demo_claims` prints both halves for any model folder. The measures (engine/train/clip_measures.h) are
// checked below on clips with a known camera move.
// Each test prints its figures. The first frames come from the training data's procedural generator with
// parameters the test chooses (seeds outside the training streams), so the model has seen the kind of scene but
// not the picture. A missing demo model is a failure, not a skip.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>


#include "engine/io/diffusers_folder.h"
#include "engine/pipeline.h"
#include "engine/train/clip_measures.h"
#include "engine/train/procedural.h"

namespace {

using ci2v::GenerationParams;
using ci2v::GenerationResult;
using ci2v::RgbImage;
using ci2v::train::Background;
using ci2v::train::ClipSpec;
using ci2v::train::Motion;
using ci2v::train::Shape;
using ci2v::train::centroid_x;
using ci2v::train::horizontal_motion;
using ci2v::train::layout_drift;
using ci2v::train::object_scale;
using ci2v::train::psnr;
using ci2v::train::zoom_spread;

constexpr int kSize = 64;     // the measures' clips; the claims run at the model's recommended size (64 for the demo)
constexpr int kFrames = 8;    // the measures' clip length; the claims run at the model's recommended length and steps
constexpr int kSteps = 25;    // (model_index.json), these where it gives none

// Stated bounds (figures measured on the committed model are in docs/demo-model.md).
constexpr double kMinFirstFramePsnr = 25.0;  // dB, output frame 0 against the input picture (measured 26.7–33.6)
constexpr int kMotionSeeds = 10;             // per direction
constexpr int kMotionMinAgree = 6;           // of kMotionSeeds: most
constexpr int kFrameInitSeeds = 6;
constexpr int kPanSeeds = 6;
constexpr int kPanMinAgree = 5;              // of kPanSeeds (measured: 12 of 12 in bench_demo_claims)

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
    // the size and text guidance the model asks for (model_index.json "_consisti2v_demo" / "recommended"), as the
    // studio applies them
    const auto rec = ci2v::io::read_demo_settings(dir);
    if (rec.cfg_text > 0) cfg_text_ = rec.cfg_text;
    if (rec.width > 0) size_ = rec.width;
    if (rec.frames > 0) frames_ = rec.frames;
    if (rec.steps > 0) steps_ = rec.steps;
    frameinit_defaults_ = rec.frameinit;
    std::printf("[demo] model %s, text guidance %.1f, %d DDIM steps, %dx%d, %d frames\n", dir.c_str(), cfg_text_, steps_,
                size_, size_, frames_);
  }
  static void TearDownTestSuite() { pipeline_.reset(); }
  void SetUp() override { ASSERT_TRUE(pipeline_) << load_error_; }

  static GenerationParams params(const std::string& prompt, int64_t seed) {
    GenerationParams p;
    p.prompt = prompt;
    p.width = p.height = size_;
    p.frames = frames_;
    p.steps = steps_;
    p.seed = seed;
    p.cfg_text = cfg_text_;
    p.device = "cpu";
    return p;
  }
  static GenerationResult run(const GenerationParams& p, const RgbImage& first) {
    auto r = pipeline_->generate(p, first);
    EXPECT_EQ(static_cast<int>(r.frames.size()), frames_);
    dump(p, first, r.frames);
    return r;
  }
  // CONSISTI2V_DEMO_DUMP=DIR: every clip the tests generate is written there as PPM frames (input first), to look
  // at what the figures measure.
  static void dump(const GenerationParams& p, const RgbImage& first, const std::vector<RgbImage>& frames) {
    const char* dir = std::getenv("CONSISTI2V_DEMO_DUMP");
    if (!dir || !*dir) return;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string stem = std::string(dir) + "/" + info->name() + "_" + std::to_string(dump_count_++) + "_seed" +
                             std::to_string(p.seed) + (p.camera_preset.empty() ? "" : "_" + p.camera_preset) +
                             (p.frameinit ? "" : "_nofi");
    std::filesystem::create_directories(dir);
    auto write = [](const std::string& path, const RgbImage& im) {
      std::ofstream f(path, std::ios::binary);
      f << "P6\n" << im.width << " " << im.height << "\n255\n";
      f.write(reinterpret_cast<const char*>(im.rgb.data()), static_cast<std::streamsize>(im.rgb.size()));
    };
    write(stem + "_input.ppm", first);
    for (size_t i = 0; i < frames.size(); ++i) write(stem + "_f" + std::to_string(i) + ".ppm", frames[i]);
  }

  static std::unique_ptr<ci2v::Pipeline> pipeline_;
  static std::string load_error_;
  static double cfg_text_;
  static int size_, frames_, steps_;
  static int dump_count_;
  static ci2v::FrameInitDefaults frameinit_defaults_;
};
ci2v::FrameInitDefaults DemoModel::frameinit_defaults_;
double DemoModel::cfg_text_ = 7.5;
int DemoModel::size_ = kSize;
int DemoModel::frames_ = kFrames;
int DemoModel::steps_ = kSteps;
int DemoModel::dump_count_ = 0;
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
  const double pan = horizontal_motion(clip(still, CameraMove::PanRight), 0, kSize);
  const double pan_left = horizontal_motion(clip(still, CameraMove::PanLeft), 0, kSize);
  const double zoom_in = zoom_spread(clip(still, CameraMove::ZoomIn));
  const double zoom_out = zoom_spread(clip(still, CameraMove::ZoomOut));
  const double no_zoom = zoom_spread(clip(still, CameraMove::PanRight));
  std::printf("[demo] known clips: pan right %+.1f px, pan left %+.1f px; zoom spread: in %+.1f px, out %+.1f px, pan %+.1f px\n", pan,
              pan_left, zoom_in, zoom_out, no_zoom);
  EXPECT_LT(pan, -5);
  EXPECT_GT(pan_left, 5);
  EXPECT_GE(zoom_in, 8);
  EXPECT_LE(zoom_out, -8);
  EXPECT_LE(std::abs(no_zoom), 2);  // a pan moves both halves alike
  // a still clip has no layout drift; a moving one has some
  EXPECT_EQ(layout_drift(clip(still, CameraMove::None)), 0.0);
  EXPECT_GT(layout_drift(right), 1.0);
  // PSNR: identical pictures are capped, different ones are finite
  EXPECT_EQ(psnr(right[0], right[0]), 99.0);
  EXPECT_LT(psnr(right[0], right[7]), 30.0);
}

// The zoom_in preset's zoom (the view's width 1 -> 0.71 over the clip, as its crops 128 -> 92 px of the doubled
// picture) on the camera claim's scenes, rendered exactly by the generator: the object's scale reads the zoom,
// whatever the object's rotation, and 1 without a camera move; a lost object reads 0.
TEST(DemoMeasures, ObjectScaleReadsAZoomAtThePresetsSpeed) {
  using ci2v::train::CameraMove;
  for (int s = 0; s < 12; ++s) {
    auto spec = ci2v::train::camera_claim_scene(930001u + static_cast<uint64_t>(s));
    const auto& colour = ci2v::train::object_palette()[static_cast<size_t>(spec.color)];
    spec.camera_speed = 0.73;  // width 1 - 0.4 x 0.73 = 0.708 at the end of the motion (stride 5: the whole motion)
    auto scale = [&](CameraMove cam) {
      auto c = spec;
      c.camera = cam;
      return object_scale(ci2v::train::render_clip(c, kFrames, kSize, 5), colour);
    };
    const double in = scale(CameraMove::ZoomIn), out = scale(CameraMove::ZoomOut), still = scale(CameraMove::None);
    std::printf("[demo] object scale, scene %d: zoom in %.3f, zoom out %.3f, no camera %.3f (exact: 1.41, 0.71, 1)\n",
                700 + s, in, out, still);
    EXPECT_NEAR(in, 1.41, 0.17);  // pixel counts of a 10-px object at 64 px
    EXPECT_NEAR(out, 0.71, 0.08);
    EXPECT_NEAR(still, 1.0, 0.03);
  }
  RgbImage empty(kSize, kSize);  // black: no red pixel
  EXPECT_EQ(object_scale({empty, empty}, ci2v::train::object_palette()[0]), 0.0);
}

// The pan_right preset's own motion (the crop moves 4 px a frame across a 3:2 picture, 28 px in all) over the
// generator's periodic backgrounds, where a 16-px checker repeats under a shift of (16, 16) and inverts under
// (16, 0): the measure still reads the 4-px steps. (The demo model's pans over checkers that read +16 px in
// bench_demo_claims are the model's doing: its background jumps a whole cell in one frame and stays put
// otherwise, frame by frame dx -0.0, +16.0, -0.0, ... in the dumped clip.)
TEST(DemoMeasures, SeePresetSpeedPansOverPeriodicBackgrounds) {
  for (Background bg : {Background::Checker, Background::Stripes, Background::Gradient}) {
    for (double x : {0.3, 0.5}) {
      auto s = scene(Shape::Square, 2, Motion::Rotate, bg, x, 0.5);
      const RgbImage wide = ci2v::train::render_view(s, kSize * 3 / 2, kSize);
      std::vector<RgbImage> frames;
      for (int i = 0; i < kFrames; ++i) {  // the crop [4i, 4i + 64) of the 96-px-wide picture
        RgbImage f(kSize, kSize);
        for (int y = 0; y < kSize; ++y) std::copy_n(wide.at(4 * i, y), kSize * 3, f.at(0, y));
        frames.push_back(f);
      }
      const double dx = horizontal_motion(frames, 0, kSize);
      std::printf("[demo] preset-speed pan over %s (object at x %.1f): %+.1f px (crop moved 28 px right)\n",
                  ci2v::train::to_string(bg), x, dx);
      EXPECT_NEAR(dx, -28.0, 3.0) << ci2v::train::to_string(bg) << " x " << x;
    }
  }
}

// ---- the claims --------------------------------------------------------------------------------------------

TEST_F(DemoModel, FirstOutputFrameReproducesTheInput) {
  double worst = 99;
  for (uint64_t seed : {910001u, 910002u, 910003u, 910004u}) {
    const auto spec = ci2v::train::random_clip_spec(seed);
    const auto first = picture(spec, size_);
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
      const auto r = run(params(prompt, 500 + s), picture(spec, size_));
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
    const auto first = picture(spec, size_);
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

TEST_F(DemoModel, PanRightMovesTheViewWithTheModelsCameraSetting) {
  // A still object (it rotates) on a 3:2 picture, a prompt that names the scene but not the camera: the view's
  // motion comes from the preset through FrameInit. The crop moves 28 px (at 64 px) to the right over the clip,
  // so the content should move left.
  const double bound = 4.0 * size_ / kSize;
  int agree = 0;
  double sum = 0;
  for (int s = 0; s < kPanSeeds; ++s) {
    const auto spec = ci2v::train::camera_claim_scene(930001u + static_cast<uint64_t>(s));  // bench_demo_claims' scenes
    auto p = params(ci2v::train::caption(spec), 700 + s);
    p.camera_preset = "pan_right";
    ASSERT_TRUE(p.switch_frameinit_defaults(false, frameinit_defaults_));
    const auto r = run(p, ci2v::train::render_view(spec, size_ * 3 / 2, size_));
    const double dx = horizontal_motion(r.frames, 0, size_);
    sum += dx;
    agree += dx <= -bound;
    std::printf("[demo] pan_right seed %d (%s): content dx %+.1f px\n", 700 + s, ci2v::train::caption(spec).c_str(), dx);
  }
  std::printf("[demo] pan_right at FrameInit tau %d, D0 %.2g / %.2g: the content moves left by >= %.0f px in %d of %d "
              "seeds, mean %+.1f px (need %d)\n",
              frameinit_defaults_.camera.noise_level, frameinit_defaults_.camera.cutoff_spatial,
              frameinit_defaults_.camera.cutoff_temporal, bound, agree, kPanSeeds, sum / kPanSeeds, kPanMinAgree);
  EXPECT_GE(agree, kPanMinAgree);
  EXPECT_LE(sum / kPanSeeds, -2 * bound);
}

}  // namespace
