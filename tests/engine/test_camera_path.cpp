// Camera paths: easings, keyframe interpolation, JSON, the reference presets, the layout video.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <string>
#include <vector>

#include "engine/error.h"
#include "engine/io/state_dict.h"
#include "engine/sampling/camera.h"

using namespace ci2v;
using namespace ci2v::sampling;

namespace {

template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const ci2v::Error& e) {
    return e.what();
  }
  return "";
}

Keyframe key(double time, double cx, double cy, double w, double h, Easing e = Easing::Linear) {
  Keyframe k;
  k.time = time;
  k.cx = cx;
  k.cy = cy;
  k.w = w;
  k.h = h;
  k.easing = e;
  return k;
}

// The reference's camera functions written as in pipeline_conditional_animation.py (Python int() = trunc,
// // = floor, i / num_frames in double).
std::vector<CropRect> python_pan_right(int64_t H, int64_t W, int64_t n, int64_t cw) {
  std::vector<CropRect> v;
  for (int64_t i = 0; i < n; ++i) v.push_back({static_cast<int64_t>((W - cw) * (static_cast<double>(i) / n)), 0, cw, H});
  return v;
}
std::vector<CropRect> python_pan_left(int64_t H, int64_t W, int64_t n, int64_t cw) {
  std::vector<CropRect> v;
  for (int64_t i = 0; i < n; ++i)
    v.push_back({static_cast<int64_t>((W - cw) * (1 - (static_cast<double>(i) / n))), 0, cw, H});
  return v;
}
int64_t floordiv(int64_t a, int64_t b) { return static_cast<int64_t>(std::floor(static_cast<double>(a) / b)); }
std::vector<CropRect> python_zoom_in(int64_t H, int64_t W, int64_t n) {
  std::vector<CropRect> v;
  const int64_t S = std::min(H, W);
  const double m = std::floor(S / 1.5);  // max_crop_size // ratio (a float)
  for (int64_t i = 0; i < n; ++i) {
    const int64_t s = S - static_cast<int64_t>((S - m) * (static_cast<double>(i) / n));
    v.push_back({floordiv(W - s, 2), floordiv(H - s, 2), s, s});
  }
  return v;
}
std::vector<CropRect> python_zoom_out_intended(int64_t H, int64_t W, int64_t n) {
  std::vector<CropRect> v;
  const int64_t S = std::min(H, W);
  const int64_t m = static_cast<int64_t>(std::floor(S / 1.5));
  for (int64_t i = 0; i < n; ++i) {
    const int64_t s = m + static_cast<int64_t>((S - m) * (static_cast<double>(i) / n));
    v.push_back({floordiv(W - s, 2), floordiv(H - s, 2), s, s});
  }
  return v;
}

std::string str(const CropRect& r) {
  return "{" + std::to_string(r.left) + "," + std::to_string(r.top) + "," + std::to_string(r.width) + "," +
         std::to_string(r.height) + "}";
}

void expect_same(const std::vector<CropRect>& got, const std::vector<CropRect>& want, const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], want[i]) << what << " frame " << i << ": " << str(got[i]) << " vs " << str(want[i]);
}

}  // namespace

// ------------------------------------------------------------------------------------------------ easing

TEST(CameraEasing, EndsAndMidpoints) {
  for (Easing e : {Easing::Linear, Easing::EaseIn, Easing::EaseOut, Easing::EaseInOut, Easing::CubicBezier}) {
    EXPECT_DOUBLE_EQ(ease(e, 0.0), 0.0) << to_string(e);
    EXPECT_DOUBLE_EQ(ease(e, 1.0), 1.0) << to_string(e);
    EXPECT_DOUBLE_EQ(ease(e, -0.5), 0.0) << to_string(e);  // clamped
    EXPECT_DOUBLE_EQ(ease(e, 1.5), 1.0) << to_string(e);
  }
  EXPECT_DOUBLE_EQ(ease(Easing::Linear, 0.5), 0.5);
  EXPECT_DOUBLE_EQ(ease(Easing::Linear, 0.3), 0.3);
  EXPECT_NEAR(ease(Easing::EaseInOut, 0.5), 0.5, 1e-9);  // symmetric curve
  // CSS ease-in / ease-out at 0.5 (cubic-bezier(.42,0,1,1) and (0,0,.58,1))
  EXPECT_NEAR(ease(Easing::EaseIn, 0.5), 0.3153568, 1e-6);
  EXPECT_NEAR(ease(Easing::EaseOut, 0.5), 1 - 0.3153568, 1e-6);
  EXPECT_LT(ease(Easing::EaseIn, 0.25), 0.25);
  EXPECT_GT(ease(Easing::EaseOut, 0.25), 0.25);
  EXPECT_NEAR(ease(Easing::EaseIn, 0.3) + ease(Easing::EaseOut, 0.7), 1.0, 1e-9);
  // hold: the start value until the next keyframe
  EXPECT_DOUBLE_EQ(ease(Easing::Hold, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(ease(Easing::Hold, 0.999), 0.0);
  EXPECT_DOUBLE_EQ(ease(Easing::Hold, 1.0), 1.0);
}

TEST(CameraEasing, CubicBezier) {
  // (0,0,1,1) is the identity; (1/3, 1/3, 2/3, 2/3) too.
  for (double u : {0.1, 0.37, 0.5, 0.9}) {
    EXPECT_NEAR(cubic_bezier(0, 0, 1, 1, u), u, 1e-9);
    EXPECT_NEAR(cubic_bezier(1.0 / 3, 1.0 / 3, 2.0 / 3, 2.0 / 3, u), u, 1e-9);
  }
  // Solving x(s) = u then y(s): check against the curve's parametric form.
  const double x1 = 0.2, y1 = 1.4, x2 = 0.6, y2 = -0.3;  // overshooting y handles
  for (double s : {0.1, 0.45, 0.8}) {
    const double x = 3 * (1 - s) * (1 - s) * s * x1 + 3 * (1 - s) * s * s * x2 + s * s * s;
    const double y = 3 * (1 - s) * (1 - s) * s * y1 + 3 * (1 - s) * s * s * y2 + s * s * s;
    EXPECT_NEAR(cubic_bezier(x1, y1, x2, y2, x), y, 1e-9);
  }
  // The CSS "ease" keyword at 0.5 (cubic-bezier(.25,.1,.25,1)) ≈ 0.8024
  EXPECT_NEAR(cubic_bezier(0.25, 0.1, 0.25, 1.0, 0.5), 0.8024033, 1e-6);
  // Monotone for monotone y handles
  double prev = 0;
  for (int i = 1; i <= 100; ++i) {
    const double v = cubic_bezier(0.9, 0.0, 0.1, 1.0, i / 100.0);
    EXPECT_GE(v, prev - 1e-12);
    prev = v;
  }
  EXPECT_NE(error_of([] { cubic_bezier(1.2, 0, 0.5, 1, 0.5); }).find("x handles"), std::string::npos);
}

// ------------------------------------------------------------------------------------------ keyframes

TEST(CameraPathCrops, InterpolatesAndHolds) {
  CameraPath p;
  p.keyframes = {key(0.0, 50, 40, 40, 30), key(1.0, 150, 40, 40, 30)};
  const auto c = p.crops(5);  // inclusive timing: τ = 0, .25, .5, .75, 1
  ASSERT_EQ(c.size(), 5u);
  EXPECT_EQ(c[0], (CropRect{30, 25, 40, 30}));
  EXPECT_EQ(c[2], (CropRect{80, 25, 40, 30}));
  EXPECT_EQ(c[4], (CropRect{130, 25, 40, 30}));
  // One keyframe: a static crop.
  CameraPath one;
  one.keyframes = {key(0.5, 32, 32, 64, 64)};
  for (const auto& r : one.crops(3)) EXPECT_EQ(r, (CropRect{0, 0, 64, 64}));
  // Hold before the first and after the last keyframe; hold easing keeps the start value inside a segment.
  CameraPath mid;
  mid.keyframes = {key(0.25, 20, 20, 10, 10, Easing::Hold), key(0.75, 60, 20, 10, 10)};
  const auto m = mid.crops(5);  // τ = 0, .25, .5, .75, 1
  EXPECT_EQ(m[0].left, 15);
  EXPECT_EQ(m[1].left, 15);
  EXPECT_EQ(m[2].left, 15);
  EXPECT_EQ(m[3].left, 55);
  EXPECT_EQ(m[4].left, 55);
  // A zoom with easing: sizes move by whole pixels toward the next keyframe, centre fixed.
  CameraPath z;
  z.keyframes = {key(0, 100, 100, 200, 200, Easing::EaseInOut), key(1, 100, 100, 100, 100)};
  const auto zc = z.crops(3);
  EXPECT_EQ(zc[0], (CropRect{0, 0, 200, 200}));
  EXPECT_EQ(zc[1], (CropRect{25, 25, 150, 150}));  // ease_in_out(0.5) = 0.5
  EXPECT_EQ(zc[2], (CropRect{50, 50, 100, 100}));
  EXPECT_NE(error_of([&] { p.crops(0); }).find("n_frames"), std::string::npos);
}

TEST(CameraPathCrops, ReferenceTiming) {
  CameraPath p;
  p.timing = CameraPath::Timing::Reference;
  p.keyframes = {key(0.0, 10, 5, 20, 10), key(1.0, 110, 5, 20, 10)};
  const auto c = p.crops(4);  // τ = i/4: lefts 0, 25, 50, 75 — never reaching 100
  EXPECT_EQ(c[3].left, 75);
}

TEST(CameraPathCrops, AnOvershootingBezierIsHeldToTheCropLimits) {
  // From 8000² to 16000 × 4000 with a curve that overshoots to y ≈ 1.36 halfway: the eased crops would pass 16384
  // a side and 64 megapixels; they are shrunk about their centres instead (a crop is rendered at its own size).
  CameraPath p;
  p.keyframes = {key(0, 9000, 9000, 8000, 8000, Easing::CubicBezier), key(1, 9000, 9000, 16000, 4000)};
  p.keyframes[0].x1 = 0.3;
  p.keyframes[0].y1 = 2.0;
  p.keyframes[0].x2 = 0.7;
  p.keyframes[0].y2 = 1.6;
  ASSERT_GT(ease(Easing::CubicBezier, 0.5, 0.3, 2.0, 0.7, 1.6), 1.3);
  int64_t widest = 0;
  for (const CropRect& c : p.crops(9)) {
    EXPECT_LE(c.width, static_cast<int64_t>(kMaxCropSide));
    EXPECT_LE(c.height, static_cast<int64_t>(kMaxCropSide));
    EXPECT_LE(c.width * c.height, static_cast<int64_t>(kMaxCropArea));
    EXPECT_GE(c.width, 1);
    EXPECT_GE(c.height, 1);
    EXPECT_LE(std::abs(static_cast<double>(c.left) + c.width / 2.0 - 9000), 1.0) << "held about its centre";
    widest = std::max(widest, c.width);
  }
  EXPECT_EQ(widest, static_cast<int64_t>(kMaxCropSide)) << "the overshoot reached the side limit";
  // The ends are the keyframes' own crops.
  EXPECT_EQ(p.crops(9).front(), (CropRect{5000, 5000, 8000, 8000}));
  EXPECT_EQ(p.crops(9).back(), (CropRect{1000, 7000, 16000, 4000}));
  // y handles overshoot within ±10 only.
  p.keyframes[0].y1 = 11;
  EXPECT_NE(error_of([&] { p.validate(); }).find("keyframes[0].bezier y1 = 11 is outside [-10, 10]"), std::string::npos);
  p.keyframes[0].y1 = 0.5;
  p.keyframes[0].y2 = -1e300;
  EXPECT_NE(error_of([&] { p.validate(); }).find("bezier y2"), std::string::npos);
}

TEST(CameraPathJson, RoundTrip) {
  CameraPath p;
  p.timing = CameraPath::Timing::Reference;
  p.keyframes = {key(0.0, 10.5, 20.25, 30, 40, Easing::EaseIn), key(0.4, 11, 21, 31, 41, Easing::CubicBezier),
                 key(1.0, 12, 22, 32, 42, Easing::Hold)};
  p.keyframes[1].x1 = 0.1;
  p.keyframes[1].y1 = -0.5;
  p.keyframes[1].x2 = 0.9;
  p.keyframes[1].y2 = 1.5;
  const auto j = p.to_json();
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["timing"], "reference");
  EXPECT_EQ(j["keyframes"][1]["easing"], "cubic_bezier");
  EXPECT_FALSE(j["keyframes"][0].contains("bezier"));
  const auto q = CameraPath::from_json(nlohmann::json::parse(j.dump()));
  EXPECT_EQ(q.timing, p.timing);
  ASSERT_EQ(q.keyframes.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(q.keyframes[i].time, p.keyframes[i].time);
    EXPECT_EQ(q.keyframes[i].cx, p.keyframes[i].cx);
    EXPECT_EQ(q.keyframes[i].cy, p.keyframes[i].cy);
    EXPECT_EQ(q.keyframes[i].w, p.keyframes[i].w);
    EXPECT_EQ(q.keyframes[i].h, p.keyframes[i].h);
    EXPECT_EQ(q.keyframes[i].easing, p.keyframes[i].easing);
  }
  EXPECT_EQ(q.keyframes[1].x1, 0.1);
  EXPECT_EQ(q.keyframes[1].y1, -0.5);
  EXPECT_EQ(q.keyframes[1].x2, 0.9);
  EXPECT_EQ(q.keyframes[1].y2, 1.5);
  EXPECT_EQ(q.to_json(), j);
  for (int64_t n : {1, 7, 16}) expect_same(q.crops(n), p.crops(n), "round trip");
}

TEST(CameraPathJson, ValidationErrorsNameTheField) {
  auto err = [](const char* text) { return error_of([&] { CameraPath::from_json(nlohmann::json::parse(text)); }); };
  EXPECT_NE(err(R"({"keyframes": []})").find("no keyframes"), std::string::npos);
  EXPECT_NE(err(R"({})").find("'keyframes' is missing"), std::string::npos);
  EXPECT_NE(err(R"({"keyframes": [{"time": 0.5, "cx": 1, "cy": 1, "w": 1, "h": 1},
                                   {"time": 0.2, "cx": 1, "cy": 1, "w": 1, "h": 1}]})")
                .find("keyframes[1].time = 0.2 must be greater than keyframes[0].time = 0.5"),
            std::string::npos);
  EXPECT_NE(err(R"({"keyframes": [{"time": 0, "cx": 1, "cy": 1, "w": 1, "h": 1},
                                   {"time": 0, "cx": 1, "cy": 1, "w": 1, "h": 1}]})")
                .find("keyframes[1].time"),
            std::string::npos);
  EXPECT_NE(err(R"({"keyframes": [{"time": 1.5, "cx": 1, "cy": 1, "w": 1, "h": 1}]})")
                .find("keyframes[0].time = 1.5 is outside [0, 1]"),
            std::string::npos);
  EXPECT_NE(err(R"({"keyframes": [{"time": -0.1, "cx": 1, "cy": 1, "w": 1, "h": 1}]})").find("outside [0, 1]"),
            std::string::npos);
  EXPECT_NE(err(R"({"keyframes": [{"time": 0, "cx": 1, "cy": 1, "w": 0, "h": 1}]})").find("keyframes[0].w = 0 must be > 0"),
            std::string::npos);
  EXPECT_NE(err(R"({"keyframes": [{"time": 0, "cx": 1, "cy": 1, "w": 3, "h": -2}]})").find("keyframes[0].h = -2 must be > 0"),
            std::string::npos);
  EXPECT_NE(err(R"({"keyframes": [{"time": 0, "cx": 1, "cy": 1, "w": 3}]})").find("keyframes[0].h is missing"),
            std::string::npos);
  EXPECT_NE(err(R"({"keyframes": [{"time": 0, "cx": "a", "cy": 1, "w": 3, "h": 3}]})").find("keyframes[0].cx must be a number"),
            std::string::npos);
  EXPECT_NE(err(R"({"keyframes": [{"time": 0, "cx": 1, "cy": 1, "w": 3, "h": 3, "easing": "bounce"}]})")
                .find("keyframes[0].easing: unknown easing 'bounce'"),
            std::string::npos);
  EXPECT_NE(err(R"({"keyframes": [{"time": 0, "cx": 1, "cy": 1, "w": 3, "h": 3, "easing": "cubic_bezier",
                                   "bezier": [1.5, 0, 0.5, 1]}]})")
                .find("keyframes[0].bezier x1 = 1.5 is outside [0, 1]"),
            std::string::npos);
  EXPECT_NE(err(R"({"keyframes": [{"time": 0, "cx": 1, "cy": 1, "w": 3, "h": 3, "bezier": [1, 2]}]})").find("bezier must be"),
            std::string::npos);
  // a crop is rendered at its own size first: 15000 x 15000 took 2.8 GB; a centre of 9e18 overflowed int64
  EXPECT_NE(err(R"({"keyframes": [{"time": 0, "cx": 1, "cy": 1, "w": 15000, "h": 15000}]})")
                .find("keyframes[0] crop 15000 x 15000 is too large"),
            std::string::npos);
  EXPECT_NE(err(R"({"keyframes": [{"time": 0, "cx": 1, "cy": 1, "w": 20000, "h": 10}]})").find("too large"),
            std::string::npos);
  EXPECT_NE(err(R"({"keyframes": [{"time": 0, "cx": 9.2e18, "cy": 1, "w": 64, "h": 64}]})")
                .find("keyframes[0] centre (9.2e+18, 1) is too far outside"),
            std::string::npos);
  EXPECT_NO_THROW(CameraPath::from_json(nlohmann::json::parse(R"({"keyframes": [{"time": 0, "cx": -500, "cy": 4000,
                                                                                 "w": 8000, "h": 6000}]})")));
  EXPECT_NE(err(R"({"timing": "sometimes", "keyframes": []})").find("timing"), std::string::npos);
  EXPECT_NE(err(R"({"version": 2, "keyframes": []})").find("version"), std::string::npos);
  EXPECT_NE(err(R"([1, 2])").find("expected a JSON object"), std::string::npos);
}

// ------------------------------------------------------------------------------------------- presets

TEST(CameraPresets, ReproduceTheReferenceExactly) {
  struct Case {
    int64_t H, W, n, out;
  };
  // landscape images after Resize(out) (pans) or Resize(2·out) (zooms), several frame counts
  const std::vector<Case> pans = {{64, 80, 6, 64},   {256, 341, 16, 256}, {256, 455, 16, 256}, {256, 384, 16, 256},
                                  {64, 67, 16, 64},  {256, 256, 16, 256}, {320, 569, 24, 320}, {64, 99, 7, 64},
                                  {64, 70, 12, 64},  {256, 400, 9, 256}};
  for (const auto& c : pans) {
    const std::string what = std::to_string(c.H) + "x" + std::to_string(c.W) + " n=" + std::to_string(c.n);
    const auto right = preset_path(CameraPreset::PanRight, c.H, c.W, c.out, c.out).crops(c.n);
    expect_same(right, python_pan_right(c.H, c.W, c.n, c.out), "pan_right " + what);
    expect_same(reference_preset_crops(CameraPreset::PanRight, c.H, c.W, c.n, c.out, c.out), right, "pan_right formula " + what);
    const auto left = preset_path(CameraPreset::PanLeft, c.H, c.W, c.out, c.out).crops(c.n);
    expect_same(left, python_pan_left(c.H, c.W, c.n, c.out), "pan_left " + what);
  }
  const std::vector<Case> zooms = {{128, 160, 6, 64}, {512, 682, 16, 256}, {512, 512, 16, 256}, {512, 910, 16, 256},
                                   {513, 777, 13, 256}, {128, 133, 16, 64}, {640, 1137, 24, 320}};
  for (const auto& c : zooms) {
    const std::string what = std::to_string(c.H) + "x" + std::to_string(c.W) + " n=" + std::to_string(c.n);
    const auto in = preset_path(CameraPreset::ZoomIn, c.H, c.W, c.out, c.out).crops(c.n);
    expect_same(in, python_zoom_in(c.H, c.W, c.n), "zoom_in " + what);
    expect_same(reference_preset_crops(CameraPreset::ZoomIn, c.H, c.W, c.n, c.out, c.out), in, "zoom_in formula " + what);
    const auto out = preset_path(CameraPreset::ZoomOut, c.H, c.W, c.out, c.out).crops(c.n);
    expect_same(out, python_zoom_out_intended(c.H, c.W, c.n), "zoom_out " + what);
  }
  // S = 512: 512 → 352 over 16 frames (the reference comment: zoom_in last size 512 − int(171·15/16) = 352)
  const auto z = preset_path(CameraPreset::ZoomIn, 512, 682, 256, 256).crops(16);
  EXPECT_EQ(z.front().width, 512);
  EXPECT_EQ(z.back().width, 352);
  const auto zo = preset_path(CameraPreset::ZoomOut, 512, 682, 256, 256).crops(16);
  EXPECT_EQ(zo.front().width, 341);
  EXPECT_EQ(zo.back().width, 501);
}

TEST(CameraPresets, TiltsAreVerticalPans) {
  // portrait image resized to the output width
  const int64_t H = 100, W = 64, n = 8, out = 64;
  const auto down = preset_path(CameraPreset::TiltDown, H, W, out, out).crops(n);
  const auto up = preset_path(CameraPreset::TiltUp, H, W, out, out).crops(n);
  for (int64_t i = 0; i < n; ++i) {
    EXPECT_EQ(down[i], (CropRect{0, static_cast<int64_t>((H - out) * (static_cast<double>(i) / n)), W, out}));
    EXPECT_EQ(up[i], (CropRect{0, static_cast<int64_t>((H - out) * (1 - static_cast<double>(i) / n)), W, out}));
  }
  EXPECT_EQ(camera_preset_from_string("tilt_up"), CameraPreset::TiltUp);
  EXPECT_NE(error_of([] { camera_preset_from_string("dolly"); }).find("dolly"), std::string::npos);
}

TEST(CameraPresets, PresetPathsSurviveJson) {
  const auto p = preset_path(CameraPreset::PanLeft, 256, 455, 256, 256);
  const auto q = CameraPath::from_json(nlohmann::json::parse(p.to_json().dump()));
  expect_same(q.crops(16), python_pan_left(256, 455, 16, 256), "pan_left via json");
}

// ------------------------------------------------------------------------------------------- rendering

TEST(LayoutVideo, CropPadsWithZerosAndResizes) {
  const auto img = torch::arange(2 * 4 * 5, torch::kFloat32).reshape({2, 4, 5}) + 1;  // [C=2, H=4, W=5]
  const auto inside = crop_with_padding(img, {1, 1, 3, 2});
  EXPECT_TRUE(torch::equal(inside, img.slice(1, 1, 3).slice(2, 1, 4)));
  const auto out = crop_with_padding(img, {-2, -1, 4, 3});  // hangs over the top-left corner
  ASSERT_EQ(out.sizes(), (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(out.slice(1, 0, 1).abs().sum().item<double>(), 0.0);  // first row padded
  EXPECT_EQ(out.slice(2, 0, 2).abs().sum().item<double>(), 0.0);  // first two columns padded
  EXPECT_TRUE(torch::equal(out.slice(1, 1, 3).slice(2, 2, 4), img.slice(1, 0, 2).slice(2, 0, 2)));
  EXPECT_EQ(crop_with_padding(img, {10, 10, 2, 2}).abs().sum().item<double>(), 0.0);  // fully outside
  // Same-size crops are not resampled; others are resized bilinearly to the output size.
  const auto v = render_layout_video(img, {{0, 0, 2, 2}, {0, 0, 4, 4}}, 2, 2);
  ASSERT_EQ(v.sizes(), (std::vector<int64_t>{2, 2, 2, 2}));
  EXPECT_TRUE(torch::equal(v[0], img.slice(1, 0, 2).slice(2, 0, 2)));
  // 4x4 → 2x2 bilinear (align_corners=False, no antialias) samples between pixels 0/1 and 2/3.
  const auto block = img.slice(1, 0, 4).slice(2, 0, 4);
  const auto want = 0.25 * (block.slice(1, 0, 4, 2).slice(2, 0, 4, 2) + block.slice(1, 1, 4, 2).slice(2, 0, 4, 2) +
                            block.slice(1, 0, 4, 2).slice(2, 1, 4, 2) + block.slice(1, 1, 4, 2).slice(2, 1, 4, 2));
  EXPECT_TRUE(torch::allclose(v[1], want, 1e-6, 1e-6));
  EXPECT_NE(error_of([&] { render_layout_video(img, {}, 2, 2); }).find("no crops"), std::string::npos);
  EXPECT_NE(error_of([&] { crop_with_padding(img[0], {0, 0, 1, 1}); }).find("[C, H, W]"), std::string::npos);
}

// The pipeline_pan_right fixture stores the reference's panned crops (intermediate.first_frame_preprocessed):
// ToTensor → Resize(64) (48x60 → 64x80) → Normalize → pan_right(6 frames, width 64).
TEST(LayoutVideo, MatchesTheReferencePanRightFixture) {
  const auto sd = io::StateDict::from_file(std::string(CONSISTI2V_FIXTURES) + "/cases/pipeline_pan_right.safetensors");
  const auto rgb = sd.get("input.first_frame_rgb_uint8");                // [H, W, 3] uint8
  const auto want = sd.get("intermediate.first_frame_preprocessed");     // [N, 3, out, out]
  const int64_t n = want.size(0), out_h = want.size(2), out_w = want.size(3);
  auto x = rgb.permute({2, 0, 1}).to(torch::kFloat32).div(255);         // [3, H, W] in [0, 1]
  const int64_t H = x.size(1), W = x.size(2);
  const int64_t short_side = std::min(H, W), long_side = std::max(H, W);
  const int64_t new_long = static_cast<int64_t>(static_cast<double>(out_h) * long_side / short_side);
  const int64_t rh = H <= W ? out_h : new_long, rw = H <= W ? new_long : out_h;
  namespace F = torch::nn::functional;
  x = F::interpolate(x.unsqueeze(0), F::InterpolateFuncOptions().size(std::vector<int64_t>{rh, rw}).mode(torch::kBilinear).align_corners(false))
          .squeeze(0);
  x = (x - 0.5) / 0.5;  // [3, H', W'] in [-1, 1]
  ASSERT_EQ(rh, 64);
  ASSERT_EQ(rw, 80);
  const auto crops = preset_path(CameraPreset::PanRight, rh, rw, out_h, out_w).crops(n);
  expect_same(crops, python_pan_right(rh, rw, n, out_w), "fixture crops");
  const auto video = render_layout_video(x, crops, out_h, out_w);
  ASSERT_EQ(video.sizes(), want.sizes());
  EXPECT_LT((video - want).abs().max().item<double>(), 1e-6);
}

// A preset applied in the studio becomes an editable path over the original picture: its crops, scaled to the
// resized image the reference crops from, stay within the rounding of the scale of the reference crops.
TEST(CameraPresets, PicturePathsFollowTheReferenceCrops) {
  const int64_t ph = 384, pw = 512, n = 16;
  for (auto preset : {CameraPreset::PanLeft, CameraPreset::PanRight, CameraPreset::ZoomIn, CameraPreset::ZoomOut,
                      CameraPreset::TiltUp, CameraPreset::TiltDown}) {
    const int64_t oh = 256, ow = 256;
    const auto [ih, iw] = preset_image_size(preset, ph, pw, oh, ow);
    const double s = static_cast<double>(pw) / iw;
    const auto ref = reference_preset_crops(preset, ih, iw, n, oh, ow);
    const auto path = preset_path_for_picture(preset, ph, pw, oh, ow);
    EXPECT_EQ(path.timing, CameraPath::Timing::Reference);
    const auto crops = path.crops(n);
    ASSERT_EQ(crops.size(), ref.size());
    for (size_t i = 0; i < crops.size(); ++i) {
      SCOPED_TRACE(std::string(to_string(preset)) + " frame " + std::to_string(i));
      EXPECT_NEAR(crops[i].left, ref[i].left * s, s + 1);
      EXPECT_NEAR(crops[i].top, ref[i].top * s, s + 1);
      EXPECT_NEAR(crops[i].width, ref[i].width * s, s + 1);
      EXPECT_NEAR(crops[i].height, ref[i].height * s, s + 1);
    }
  }
  // The resize the reference does first: shorter side to the output height (pans), twice it (zooms), the
  // output width (tilts).
  EXPECT_EQ(preset_image_size(CameraPreset::PanRight, 384, 512, 256, 256), (std::pair<int64_t, int64_t>{256, 341}));
  EXPECT_EQ(preset_image_size(CameraPreset::ZoomIn, 384, 512, 256, 256), (std::pair<int64_t, int64_t>{512, 682}));
  EXPECT_EQ(preset_image_size(CameraPreset::TiltUp, 512, 384, 256, 192), (std::pair<int64_t, int64_t>{256, 192}));
  EXPECT_THROW(preset_image_size(CameraPreset::PanLeft, 0, 10, 64, 64), ci2v::Error);
}
