// Resize + centre crop: torch's bilinear (align_corners=False, no antialias) reproduced in float, checked
// against the golden preprocessing of the reference in the parity fixtures.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "engine/error.h"
#include "engine/io/safetensors.h"
#include "engine/media/resize.h"

using namespace ci2v::media;

namespace {

struct Fixture {
  Image image;
  std::vector<float> preprocessed;  // [n, 3, h, w]
  int n = 0, h = 0, w = 0;
};

Fixture load_fixture(const std::string& name) {
  const auto f = ci2v::io::SafetensorsFile::open(std::string(CONSISTI2V_FIXTURES) + "/cases/" + name + ".safetensors");
  const auto* img = f->find("input.first_frame_rgb_uint8");  // [H, W, 3] uint8
  const auto* pre = f->find("intermediate.first_frame_preprocessed");
  if (!img || !pre) throw std::runtime_error(name + ": fixture tensors missing");
  Fixture x;
  x.image = Image(static_cast<int>(img->shape[1]), static_cast<int>(img->shape[0]));
  std::memcpy(x.image.rgb.data(), f->data(*img), x.image.rgb.size());
  x.n = static_cast<int>(pre->shape[0]);
  x.h = static_cast<int>(pre->shape[2]);
  x.w = static_cast<int>(pre->shape[3]);
  x.preprocessed.resize(static_cast<size_t>(pre->numel()));
  std::memcpy(x.preprocessed.data(), f->data(*pre), x.preprocessed.size() * sizeof(float));
  return x;
}

float max_abs_diff(const float* a, const float* b, size_t n) {
  float m = 0;
  for (size_t i = 0; i < n; ++i) m = std::max(m, std::fabs(a[i] - b[i]));
  return m;
}

}  // namespace

TEST(Resize, PlanFollowsTorchvisionResizeAndCenterCrop) {
  // Landscape 60x48 -> 64: short side 48 -> 64, long side int(64 * 60 / 48) = 80, left = round(8) = 8.
  ResizeCropPlan p = plan_resize_center_crop(60, 48, 64, 64);
  EXPECT_EQ(p.resize_width, 80);
  EXPECT_EQ(p.resize_height, 64);
  EXPECT_EQ(p.left, 8);
  EXPECT_EQ(p.top, 0);
  // 640x480 -> 256: int(256 * 640 / 480) = int(341.33) = 341; (341 - 256) / 2 = 42.5 -> 42 (half to even).
  p = plan_resize_center_crop(640, 480, 256, 256);
  EXPECT_EQ(p.resize_width, 341);
  EXPECT_EQ(p.left, 42);
  // 1000x1500 portrait -> 256: height int(256 * 1500 / 1000) = 384, top = 64.
  p = plan_resize_center_crop(1000, 1500, 256, 256);
  EXPECT_EQ(p.resize_width, 256);
  EXPECT_EQ(p.resize_height, 384);
  EXPECT_EQ(p.top, 64);
  // 43.5 -> 44 (half to even upwards): H' - h = 87.
  p = plan_resize_center_crop(256, 343, 256, 256);
  EXPECT_EQ(p.resize_height, 343);
  EXPECT_EQ(p.top, 44);
  // Non-square target: the image covers it.
  p = plan_resize_center_crop(100, 100, 320, 192);
  EXPECT_EQ(p.resize_width, 320);
  EXPECT_EQ(p.resize_height, 320);
  EXPECT_EQ(p.top, 64);
  EXPECT_THROW(plan_resize_center_crop(0, 10, 64, 64), ci2v::Error);
}

TEST(Resize, MatchesTheReferencePreprocessingFixture) {
  const Fixture fx = load_fixture("pipeline");
  ASSERT_EQ(fx.n, 1);
  const std::vector<float> got = preprocess_reference(fx.image, fx.w, fx.h);
  ASSERT_EQ(got.size(), fx.preprocessed.size());
  const float err = max_abs_diff(got.data(), fx.preprocessed.data(), got.size());
  std::printf("[resize] pipeline first_frame_preprocessed (%dx%d -> %dx%d): max abs diff %.3g\n", fx.image.width,
              fx.image.height, fx.w, fx.h, err);
  EXPECT_EQ(err, 0.0f);  // bit-exact
}

TEST(Resize, MatchesThePanRightFixture) {
  // camera_motion pan_right: Resize(height) without crop, then N crops of width `width` at int((W' - w) * i / N).
  const Fixture fx = load_fixture("pipeline_pan_right");
  const ResizeCropPlan p = plan_resize_center_crop(fx.image.width, fx.image.height, fx.h, fx.h);
  const std::vector<float> x = image_to_chw_f32(fx.image);
  const std::vector<float> r = resize_bilinear_f32(x.data(), 3, fx.image.height, fx.image.width, p.resize_height, p.resize_width);
  float worst = 0;
  for (int i = 0; i < fx.n; ++i) {
    const int left = static_cast<int>(static_cast<double>(p.resize_width - fx.w) * i / fx.n);
    std::vector<float> c = crop_chw_f32(r.data(), 3, p.resize_height, p.resize_width, 0, left, fx.h, fx.w);
    for (float& v : c) v = (v - 0.5f) / 0.5f;
    worst = std::max(worst, max_abs_diff(c.data(), fx.preprocessed.data() + static_cast<size_t>(i) * c.size(), c.size()));
  }
  std::printf("[resize] pan_right %d crops: max abs diff %.3g\n", fx.n, worst);
  EXPECT_EQ(worst, 0.0f);  // bit-exact
}

TEST(Resize, BilinearSemantics) {
  // Same size copies exactly.
  std::vector<float> a = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};  // [1, 2, 3]
  EXPECT_EQ(resize_bilinear_f32(a.data(), 1, 2, 3, 2, 3), a);
  // Downscale by 2 (no antialias): src = 2 * (o + 0.5) - 0.5 = 2o + 0.5 -> the mean of pixels 2o and 2o + 1.
  std::vector<float> row = {0, 1, 2, 3, 4, 5, 6, 7};  // [1, 1, 8]
  auto half = resize_bilinear_f32(row.data(), 1, 1, 8, 1, 4);
  EXPECT_EQ(half, (std::vector<float>{0.5f, 2.5f, 4.5f, 6.5f}));
  // Upscale by 2: the first output clamps to the edge (src < 0 -> 0), then 0.25 / 0.75 weights.
  std::vector<float> two = {0, 4};
  auto up = resize_bilinear_f32(two.data(), 1, 1, 2, 1, 4);
  EXPECT_EQ(up, (std::vector<float>{0, 1, 3, 4}));
  // Channels are independent.
  std::vector<float> ch = {0, 4, 8, 12};  // [2, 1, 2]
  EXPECT_EQ(resize_bilinear_f32(ch.data(), 2, 1, 2, 1, 4), (std::vector<float>{0, 1, 3, 4, 8, 9, 11, 12}));
  EXPECT_THROW(resize_bilinear_f32(a.data(), 1, 2, 3, 0, 3), ci2v::Error);
}

TEST(FitImage, CropCenterAndPad) {
  Image wide(80, 20);
  for (int y = 0; y < 20; ++y)
    for (int x = 0; x < 80; ++x) wide.at(x, y)[0] = uint8_t(x * 3), wide.at(x, y)[1] = 200, wide.at(x, y)[2] = 10;
  // Crop: the middle 20 columns of the (unscaled) image.
  Image c = fit_image(wide, 20, 20, FitMode::CropCenter);
  ASSERT_EQ(c.width, 20);
  ASSERT_EQ(c.height, 20);
  EXPECT_EQ(c.at(0, 0)[0], 30 * 3);
  EXPECT_EQ(c.at(19, 19)[0], 49 * 3);
  // Pad: 80x20 into 40x40 -> 40x10 centred, bars of the background above and below.
  Image p = fit_image(wide, 40, 40, FitMode::Pad, {1, 2, 3});
  ASSERT_EQ(p.width, 40);
  EXPECT_EQ(p.at(5, 0)[0], 1);
  EXPECT_EQ(p.at(5, 14)[2], 3);
  EXPECT_EQ(p.at(5, 15)[1], 200);
  EXPECT_EQ(p.at(5, 24)[1], 200);
  EXPECT_EQ(p.at(5, 25)[0], 1);
  EXPECT_EQ(p.at(39, 39)[1], 2);
  // The uint8 path rounds the float result: identity size returns the input.
  EXPECT_EQ(fit_image(wide, 80, 20).rgb, wide.rgb);
  EXPECT_THROW(fit_image(Image(), 10, 10), ci2v::Error);
}
