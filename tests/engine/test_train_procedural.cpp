// The procedural clip generator of the demo-model trainer (engine/train/procedural.h): determinism per seed,
// captions that match the parameters, motion visible in the pixels.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "engine/error.h"
#include "engine/train/procedural.h"

using namespace ci2v;
using namespace ci2v::train;

namespace {

// Centroid and area of the pixels that have exactly the object's colour.
struct Blob {
  double x = 0, y = 0;
  long area = 0;
};
Blob object_blob(const RgbImage& im, const NamedColor& c) {
  Blob b;
  for (int y = 0; y < im.height; ++y)
    for (int x = 0; x < im.width; ++x) {
      const uint8_t* p = im.at(x, y);
      if (p[0] == c.r && p[1] == c.g && p[2] == c.b) b.x += x, b.y += y, ++b.area;
    }
  if (b.area) b.x /= b.area, b.y /= b.area;
  return b;
}

ClipSpec plain_spec(Motion m) {
  ClipSpec s;
  s.shape = Shape::Square;
  s.motion = m;
  s.background = Background::Stripes;
  s.color = 0;  // red
  for (int k = 0; k < 3; ++k) s.bg_a[k] = 40, s.bg_b[k] = 90;
  s.size = 0.12;
  s.x = m == Motion::Left ? 0.75 : m == Motion::Right ? 0.25 : 0.5;
  s.y = m == Motion::Up ? 0.75 : m == Motion::Down ? 0.25 : 0.5;
  return s;
}

}  // namespace

TEST(TrainProcedural, SameSeedSameClipOtherSeedOtherClip) {
  auto a = make_clip(1234, 6, 64, 3);
  auto b = make_clip(1234, 6, 64, 3);
  ASSERT_EQ(a.frames.size(), 6u);
  EXPECT_EQ(a.caption, b.caption);
  for (size_t i = 0; i < a.frames.size(); ++i) EXPECT_EQ(a.frames[i].rgb, b.frames[i].rgb) << "frame " << i;
  std::set<std::string> captions;
  int differing = 0;
  for (uint64_t s = 0; s < 40; ++s) {
    auto c = make_clip(s, 2, 64, 1);
    captions.insert(c.caption);
    if (c.frames[0].rgb != a.frames[0].rgb) ++differing;
  }
  EXPECT_EQ(differing, 40);
  EXPECT_GE(captions.size(), 30u) << "40 seeds should give mostly distinct captions";
}

TEST(TrainProcedural, CaptionNamesTheParameters) {
  ClipSpec s = plain_spec(Motion::Left);
  s.shape = Shape::Circle;
  EXPECT_EQ(caption(s), "a red circle moves left on a striped background");
  s.shape = Shape::Triangle;
  s.motion = Motion::Grow;
  s.color = 2;
  s.background = Background::Gradient;
  s.camera = CameraMove::ZoomIn;
  EXPECT_EQ(caption(s), "a blue triangle grows on a gradient background, the camera zooms in");
  s.caption_camera = false;  // the move is in the pixels only
  EXPECT_EQ(caption(s), "a blue triangle grows on a gradient background");
  // random specs: the caption carries every named parameter
  for (uint64_t seed = 0; seed < 50; ++seed) {
    auto r = random_clip_spec(seed);
    const auto c = caption(r);
    EXPECT_NE(c.find(object_palette()[static_cast<size_t>(r.color)].name), std::string::npos) << c;
    EXPECT_NE(c.find(to_string(r.shape)), std::string::npos) << c;
    EXPECT_NE(c.find(to_string(r.motion)), std::string::npos) << c;
    EXPECT_NE(c.find(std::string(to_string(r.background)) + " background"), std::string::npos) << c;
    if (r.camera != CameraMove::None && r.caption_camera) EXPECT_NE(c.find(to_string(r.camera)), std::string::npos) << c;
    if (!r.caption_camera || r.camera == CameraMove::None) EXPECT_EQ(c.find("camera"), std::string::npos) << c;
    EXPECT_FALSE(r.shape == Shape::Circle && r.motion == Motion::Rotate) << "a rotating circle is invisible";
  }
}

TEST(TrainProcedural, MotionDirectionIsVisible) {
  const auto& red = object_palette()[0];
  struct Case {
    Motion m;
    double dx, dy;  // expected sign of the centroid motion
  };
  for (auto c : {Case{Motion::Left, -1, 0}, Case{Motion::Right, 1, 0}, Case{Motion::Up, 0, -1}, Case{Motion::Down, 0, 1}}) {
    auto frames = render_clip(plain_spec(c.m), 6, 64, 5);
    auto first = object_blob(frames.front(), red), last = object_blob(frames.back(), red);
    ASSERT_GT(first.area, 20) << to_string(c.m);
    ASSERT_GT(last.area, 20) << to_string(c.m);
    const double dx = last.x - first.x, dy = last.y - first.y;
    if (c.dx != 0) EXPECT_GT(dx * c.dx, 20.0) << to_string(c.m) << " dx " << dx;  // 0.5 view units = 32 px
    if (c.dy != 0) EXPECT_GT(dy * c.dy, 20.0) << to_string(c.m) << " dy " << dy;
    EXPECT_LT(std::abs(c.dx != 0 ? dy : dx), 1.0) << to_string(c.m);
    // monotone over the frames
    double prev = c.dx != 0 ? first.x : first.y;
    for (const auto& f : frames) {
      auto b = object_blob(f, red);
      const double v = c.dx != 0 ? b.x : b.y;
      EXPECT_GE((v - prev) * (c.dx + c.dy), -1e-9) << to_string(c.m);
      prev = v;
    }
  }
  auto grow = render_clip(plain_spec(Motion::Grow), 4, 64, 5);
  EXPECT_GT(object_blob(grow.back(), red).area, 2 * object_blob(grow.front(), red).area);
  auto shrink = render_clip(plain_spec(Motion::Shrink), 4, 64, 5);
  EXPECT_LT(object_blob(shrink.back(), red).area, object_blob(shrink.front(), red).area * 0.6);
}

TEST(TrainProcedural, FrameStrideScalesTheMotionAndCameraPansMoveTheScene) {
  const auto& red = object_palette()[0];
  auto slow = render_clip(plain_spec(Motion::Right), 4, 64, 1);
  auto fast = render_clip(plain_spec(Motion::Right), 4, 64, 5);
  const double d1 = object_blob(slow.back(), red).x - object_blob(slow.front(), red).x;
  const double d5 = object_blob(fast.back(), red).x - object_blob(fast.front(), red).x;
  EXPECT_NEAR(d5 / d1, 5.0, 0.6) << d1 << " " << d5;
  // a static object with the camera panning left slides right in the view
  ClipSpec s = plain_spec(Motion::Rotate);
  s.camera = CameraMove::PanLeft;
  auto pan = render_clip(s, 4, 64, 5);
  EXPECT_GT(object_blob(pan.back(), red).x - object_blob(pan.front(), red).x, 10.0);
}

TEST(TrainProcedural, BadArgumentsThrowNamingTheValue) {
  auto s = plain_spec(Motion::Left);
  EXPECT_THROW(render_clip(s, 0, 64, 1), Error);
  EXPECT_THROW(render_clip(s, 4, 4, 1), Error);
  try {
    render_clip(s, 4, 64, 6);
    FAIL() << "stride 6 accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("frame_stride must be 1..5, got 6"), std::string::npos) << e.what();
  }
  s.color = 99;
  EXPECT_THROW(render_clip(s, 4, 64, 1), Error);
}

TEST(TrainProcedural, CameraClipsCoverThePresetsSpeedsAndHalfOmitTheMoveFromTheCaption) {
  int camera = 0, named = 0, fast_pans = 0, pans = 0;
  for (uint64_t seed = 0; seed < 1000; ++seed) {
    const auto r = random_clip_spec(seed);
    if (r.camera == CameraMove::None) continue;
    ++camera;
    if (r.caption_camera) ++named;
    if (r.camera == CameraMove::PanLeft || r.camera == CameraMove::PanRight) {
      ++pans;
      EXPECT_GE(r.camera_speed, 1.0);
      EXPECT_LE(r.camera_speed, 4.0);
      if (r.camera_speed > 2.5) ++fast_pans;
    } else {
      EXPECT_GE(r.camera_speed, 0.75);
      EXPECT_LE(r.camera_speed, 1.25);
    }
  }
  EXPECT_NEAR(camera, 400, 60);       // 40 % of the clips move the camera
  EXPECT_NEAR(named, camera / 2, 45);  // half of them say so
  EXPECT_GT(fast_pans, pans / 4);      // fast pans (the presets' speed) are common
  // a larger camera share adds camera moves and leaves the scene itself as it was
  int camera75 = 0;
  for (uint64_t seed = 0; seed < 1000; ++seed) {
    const auto a = random_clip_spec(seed), b = random_clip_spec(seed, 0.75);
    if (b.camera != CameraMove::None) ++camera75;
    if (a.camera != CameraMove::None) EXPECT_EQ(static_cast<int>(b.camera), static_cast<int>(a.camera));
    EXPECT_EQ(caption(ClipSpec{a.shape, a.motion, a.background}), caption(ClipSpec{b.shape, b.motion, b.background}));
    EXPECT_EQ(a.color, b.color);
    EXPECT_EQ(a.x, b.x);
  }
  EXPECT_NEAR(camera75, 750, 60);
  // the pan distance scales with camera_speed: at speed 3 a static object slides about three times as far
  ClipSpec s = plain_spec(Motion::Rotate);
  s.camera = CameraMove::PanRight;
  const auto& red = object_palette()[0];
  auto slow = render_clip(s, 4, 64, 1);
  s.camera_speed = 3.0;
  auto fast = render_clip(s, 4, 64, 1);
  const double d1 = object_blob(slow.back(), red).x - object_blob(slow.front(), red).x;
  const double d3 = object_blob(fast.back(), red).x - object_blob(fast.front(), red).x;
  EXPECT_LT(d1, -2.0);
  EXPECT_NEAR(d3 / d1, 3.0, 0.4) << d1 << " " << d3;
}

TEST(TrainProcedural, RenderViewShowsTheFirstFrameWiderAndRejectsTinySizes) {
  ClipSpec s = plain_spec(Motion::Rotate);
  const auto square = render_clip(s, 1, 64, 1)[0];
  const auto wide = render_view(s, 96, 64);
  ASSERT_EQ(wide.width, 96);
  ASSERT_EQ(wide.height, 64);
  // the centre 64 columns of the wide view are the square frame
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 64; ++x)
      for (int c = 0; c < 3; ++c) ASSERT_EQ(wide.at(x + 16, y)[c], square.at(x, y)[c]) << x << "," << y;
  EXPECT_EQ(render_view(s, 64, 64).rgb, square.rgb);
  try {
    render_view(s, 4, 64);
    FAIL() << "4 px accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("at least 8 pixels, got 4x64"), std::string::npos) << e.what();
  }
}

// varied_backgrounds draws the pattern's scale and offset after everything else: the rest of a seed's clip is
// unchanged, the standard background stays the default, and the pattern moves and grows as the numbers say.
TEST(TrainProcedural, VariedBackgroundsShiftAndScaleThePatternAndLeaveTheRestOfTheSeed) {
  int larger = 0, smaller = 0, left = 0, right = 0;
  for (uint64_t seed = 0; seed < 300; ++seed) {
    const auto a = random_clip_spec(seed), b = random_clip_spec(seed, kDefaultCameraShare, true);
    EXPECT_EQ(a.bg_scale, 1.0);
    EXPECT_EQ(a.bg_dx, 0.0);
    EXPECT_EQ(a.bg_dy, 0.0);
    ClipSpec b_standard = b;
    b_standard.bg_scale = 1.0, b_standard.bg_dx = b_standard.bg_dy = 0.0;
    EXPECT_EQ(caption(a), caption(b));
    EXPECT_EQ(render_clip(a, 1, 16, 1)[0].rgb, render_clip(b_standard, 1, 16, 1)[0].rgb) << "seed " << seed;
    EXPECT_EQ(a.camera_speed, b.camera_speed);
    ASSERT_GE(b.bg_scale, 0.8);
    ASSERT_LE(b.bg_scale, 1.6);
    ASSERT_LE(std::abs(b.bg_dx), 0.25);
    ASSERT_LE(std::abs(b.bg_dy), 0.25);
    larger += b.bg_scale > 1.3, smaller += b.bg_scale < 1.0, left += b.bg_dx < -0.1, right += b.bg_dx > 0.1;
  }
  EXPECT_GT(larger, 50);
  EXPECT_GT(smaller, 30);
  EXPECT_GT(left, 50);
  EXPECT_GT(right, 50);

  ClipSpec s = plain_spec(Motion::Rotate);
  s.background = Background::Checker;
  const auto standard = render_clip(s, 1, 64, 1)[0];
  ClipSpec shifted = s;
  shifted.bg_dx = 0.125;  // half a checker cell: 8 px to the right
  const auto moved = render_clip(shifted, 1, 64, 1)[0];
  for (int y = 0; y < 16; ++y)  // the top band, away from the object
    for (int x = 0; x < 56; ++x)
      for (int c = 0; c < 3; ++c) ASSERT_EQ(moved.at(x + 8, y)[c], standard.at(x, y)[c]) << x << "," << y;
  EXPECT_NE(moved.rgb, standard.rgb);
  auto transitions = [](const RgbImage& im) {  // colour changes along row 4
    int n = 0;
    for (int x = 1; x < im.width; ++x) n += im.at(x, 4)[0] != im.at(x - 1, 4)[0] || im.at(x, 4)[1] != im.at(x - 1, 4)[1];
    return n;
  };
  ClipSpec doubled = s;
  doubled.bg_scale = 2.0;  // cells of 32 px
  EXPECT_EQ(transitions(standard), 3);
  EXPECT_EQ(transitions(render_clip(doubled, 1, 64, 1)[0]), 1);
}
