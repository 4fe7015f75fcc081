#include "engine/camera_path.h"

#include <cstdint>
#include <algorithm>
#include <cmath>
#include <sstream>

#include "engine/error.h"

namespace ci2v::sampling {

// ---------------------------------------------------------------------------------------------------------
// Easing

const char* to_string(Easing e) {
  switch (e) {
    case Easing::Linear: return "linear";
    case Easing::EaseIn: return "ease_in";
    case Easing::EaseOut: return "ease_out";
    case Easing::EaseInOut: return "ease_in_out";
    case Easing::Hold: return "hold";
    case Easing::CubicBezier: return "cubic_bezier";
  }
  return "?";
}

Easing easing_from_string(const std::string& name, const std::string& field) {
  for (Easing e : {Easing::Linear, Easing::EaseIn, Easing::EaseOut, Easing::EaseInOut, Easing::Hold,
                   Easing::CubicBezier})
    if (name == to_string(e)) return e;
  throw Error(field + ": unknown easing '" + name +
              "', expected linear, ease_in, ease_out, ease_in_out, hold or cubic_bezier");
}

double cubic_bezier(double x1, double y1, double x2, double y2, double u) {
  if (!(x1 >= 0 && x1 <= 1 && x2 >= 0 && x2 <= 1))
    throw Error("cubic_bezier: the x handles must lie in [0, 1], got x1 = " + std::to_string(x1) +
                ", x2 = " + std::to_string(x2));
  if (u <= 0) return 0;
  if (u >= 1) return 1;
  // B(s) = 3(1−s)²s·P1 + 3(1−s)s²·P2 + s³ (P0 = 0, P3 = 1), in polynomial form.
  const double cx = 3 * x1, bx = 3 * (x2 - x1) - cx, ax = 1 - cx - bx;
  const double cy = 3 * y1, by = 3 * (y2 - y1) - cy, ay = 1 - cy - by;
  auto x_of = [&](double s) { return ((ax * s + bx) * s + cx) * s; };
  auto dx_of = [&](double s) { return (3 * ax * s + 2 * bx) * s + cx; };
  auto y_of = [&](double s) { return ((ay * s + by) * s + cy) * s; };
  // Newton from s = u, then bisection (x(s) is monotone for x handles in [0, 1]).
  double s = u;
  for (int i = 0; i < 8; ++i) {
    const double err = x_of(s) - u;
    if (std::fabs(err) < 1e-12) return y_of(s);
    const double d = dx_of(s);
    if (std::fabs(d) < 1e-9) break;
    s -= err / d;
    if (s < 0 || s > 1) break;
  }
  double lo = 0, hi = 1;
  s = u;
  for (int i = 0; i < 100; ++i) {
    const double xs = x_of(s);
    if (std::fabs(xs - u) < 1e-12) break;
    if (xs < u) lo = s;
    else hi = s;
    s = 0.5 * (lo + hi);
  }
  return y_of(s);
}

double ease(Easing e, double u, double x1, double y1, double x2, double y2) {
  u = std::clamp(u, 0.0, 1.0);
  switch (e) {
    case Easing::Linear: return u;
    case Easing::EaseIn: return cubic_bezier(0.42, 0, 1, 1, u);
    case Easing::EaseOut: return cubic_bezier(0, 0, 0.58, 1, u);
    case Easing::EaseInOut: return cubic_bezier(0.42, 0, 0.58, 1, u);
    case Easing::Hold: return u >= 1 ? 1.0 : 0.0;
    case Easing::CubicBezier: return cubic_bezier(x1, y1, x2, y2, u);
  }
  return u;
}

// ---------------------------------------------------------------------------------------------------------
// Presets

const char* to_string(CameraPreset p) {
  switch (p) {
    case CameraPreset::PanLeft: return "pan_left";
    case CameraPreset::PanRight: return "pan_right";
    case CameraPreset::ZoomIn: return "zoom_in";
    case CameraPreset::ZoomOut: return "zoom_out";
    case CameraPreset::TiltUp: return "tilt_up";
    case CameraPreset::TiltDown: return "tilt_down";
  }
  return "?";
}

CameraPreset camera_preset_from_string(const std::string& name) {
  for (CameraPreset p : {CameraPreset::PanLeft, CameraPreset::PanRight, CameraPreset::ZoomIn, CameraPreset::ZoomOut,
                         CameraPreset::TiltUp, CameraPreset::TiltDown})
    if (name == to_string(p)) return p;
  throw Error("camera preset '" + name + "' is unknown, expected pan_left, pan_right, zoom_in, zoom_out, tilt_up or tilt_down");
}

namespace {

void check_sizes(int64_t image_h, int64_t image_w, int64_t out_h, int64_t out_w, const char* who) {
  if (image_h < 1 || image_w < 1)
    throw Error(std::string(who) + ": image size must be positive, got " + std::to_string(image_h) + "x" +
                std::to_string(image_w));
  if (out_h < 1 || out_w < 1)
    throw Error(std::string(who) + ": output size must be positive, got " + std::to_string(out_h) + "x" +
                std::to_string(out_w));
}

// Crop extents of a preset: the moving window's size across the motion axis keeps the output aspect.
int64_t pan_crop_w(int64_t image_h, int64_t out_h, int64_t out_w) {
  if (image_h == out_h) return out_w;  // the reference case (landscape image resized to the output height)
  return std::max<int64_t>(1, std::llround(static_cast<double>(out_w) * image_h / out_h));
}

// Zoom start size (per axis) and end size ⌊start/1.5⌋; squares for a square output (the reference).
std::pair<int64_t, int64_t> zoom_extent(int64_t image_h, int64_t image_w, int64_t out_h, int64_t out_w) {
  if (out_h == out_w) {
    const int64_t s = std::min(image_h, image_w);
    return {s, s};
  }
  // Largest window of the output aspect inside the image.
  int64_t w = image_w, h = static_cast<int64_t>(std::floor(static_cast<double>(image_w) * out_h / out_w));
  if (h > image_h) {
    h = image_h;
    w = static_cast<int64_t>(std::floor(static_cast<double>(image_h) * out_w / out_h));
  }
  return {std::max<int64_t>(h, 1), std::max<int64_t>(w, 1)};
}

int64_t zoom_min(int64_t s) { return (2 * s) / 3; }  // ⌊s / 1.5⌋ = Python s // 1.5 for integers

}  // namespace

CameraPath preset_path(CameraPreset preset, int64_t image_h, int64_t image_w, int64_t out_h, int64_t out_w) {
  check_sizes(image_h, image_w, out_h, out_w, "camera preset");
  CameraPath p;
  p.timing = CameraPath::Timing::Reference;
  Keyframe a, b;
  a.time = 0;
  b.time = 1;
  const double H = static_cast<double>(image_h), W = static_cast<double>(image_w);
  switch (preset) {
    case CameraPreset::PanRight:
    case CameraPreset::PanLeft: {
      const double cw = static_cast<double>(pan_crop_w(image_h, out_h, out_w));
      a.w = b.w = cw;
      a.h = b.h = H;
      a.cy = b.cy = H / 2;
      const double left_end = W - cw / 2, right_end = cw / 2;
      a.cx = preset == CameraPreset::PanRight ? right_end : left_end;
      b.cx = preset == CameraPreset::PanRight ? left_end : right_end;
      if (W == cw) a.cx = b.cx = W / 2;
      break;
    }
    case CameraPreset::TiltDown:
    case CameraPreset::TiltUp: {
      const double ch = static_cast<double>(pan_crop_w(image_w, out_w, out_h));
      a.w = b.w = W;
      a.h = b.h = ch;
      a.cx = b.cx = W / 2;
      const double bottom_end = H - ch / 2, top_end = ch / 2;
      a.cy = preset == CameraPreset::TiltDown ? top_end : bottom_end;
      b.cy = preset == CameraPreset::TiltDown ? bottom_end : top_end;
      if (H == ch) a.cy = b.cy = H / 2;
      break;
    }
    case CameraPreset::ZoomIn:
    case CameraPreset::ZoomOut: {
      const auto [sh, sw] = zoom_extent(image_h, image_w, out_h, out_w);
      a.cx = b.cx = W / 2;
      a.cy = b.cy = H / 2;
      const bool in = preset == CameraPreset::ZoomIn;
      a.w = static_cast<double>(in ? sw : zoom_min(sw));
      a.h = static_cast<double>(in ? sh : zoom_min(sh));
      b.w = static_cast<double>(in ? zoom_min(sw) : sw);
      b.h = static_cast<double>(in ? zoom_min(sh) : sh);
      break;
    }
  }
  p.keyframes = {a, b};
  return p;
}

std::vector<CropRect> reference_preset_crops(CameraPreset preset, int64_t image_h, int64_t image_w, int64_t n,
                                             int64_t out_h, int64_t out_w) {
  check_sizes(image_h, image_w, out_h, out_w, "camera preset");
  if (n < 1) throw Error("camera preset: n_frames must be >= 1, got " + std::to_string(n));
  std::vector<CropRect> crops;
  for (int64_t i = 0; i < n; ++i) {
    const double f = static_cast<double>(i) / static_cast<double>(n);  // i / num_frames
    CropRect r;
    switch (preset) {
      case CameraPreset::PanRight:
      case CameraPreset::PanLeft: {
        const int64_t cw = pan_crop_w(image_h, out_h, out_w);
        const double span = static_cast<double>(image_w - cw);
        r.left = static_cast<int64_t>(std::trunc(preset == CameraPreset::PanRight ? span * f : span * (1 - f)));  // int()
        r.top = 0;
        r.width = cw;
        r.height = image_h;
        break;
      }
      case CameraPreset::TiltDown:
      case CameraPreset::TiltUp: {
        const int64_t ch = pan_crop_w(image_w, out_w, out_h);
        const double span = static_cast<double>(image_h - ch);
        r.top = static_cast<int64_t>(std::trunc(preset == CameraPreset::TiltDown ? span * f : span * (1 - f)));  // int()
        r.left = 0;
        r.width = image_w;
        r.height = ch;
        break;
      }
      case CameraPreset::ZoomIn:
      case CameraPreset::ZoomOut: {
        const auto [sh, sw] = zoom_extent(image_h, image_w, out_h, out_w);
        auto size = [&](int64_t s) {
          const int64_t m = zoom_min(s);
          const double d = static_cast<double>(s - m) * f;
          return preset == CameraPreset::ZoomIn ? s - static_cast<int64_t>(std::trunc(d))
                                                : m + static_cast<int64_t>(std::trunc(d));
        };
        r.width = size(sw);
        r.height = size(sh);
        r.left = static_cast<int64_t>(std::floor(static_cast<double>(image_w - r.width) / 2));
        r.top = static_cast<int64_t>(std::floor(static_cast<double>(image_h - r.height) / 2));
        break;
      }
    }
    crops.push_back(r);
  }
  return crops;
}

// ---------------------------------------------------------------------------------------------------------
// CameraPath

namespace {

std::string kf(size_t i) { return "camera path: keyframes[" + std::to_string(i) + "]"; }

std::string num(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

// Lerp that is exact when both ends are equal.
double lerp(double a, double b, double e) { return a == b ? a : a * (1 - e) + b * e; }

// One axis of a crop: (position, size) at eased fraction e between keyframe values (c, w).
std::pair<int64_t, int64_t> axis(double ca, double wa, double cb, double wb, double e) {
  const int64_t sa = std::max<int64_t>(1, std::llround(wa));
  const int64_t sb = std::max<int64_t>(1, std::llround(wb));
  const int64_t size = std::max<int64_t>(1, sa + static_cast<int64_t>(std::trunc(static_cast<double>(sb - sa) * e)));
  double pos;
  if (ca == cb) {
    pos = ca - static_cast<double>(size) / 2;
  } else {
    const double edge = lerp(ca - wa / 2, cb - wb / 2, e);  // interpolated left (top) edge
    const double w_e = lerp(wa, wb, e);                     // unrounded interpolated extent
    pos = edge + (w_e - static_cast<double>(size)) / 2;
  }
  return {static_cast<int64_t>(std::floor(pos)), size};
}

}  // namespace

void CameraPath::validate() const {
  if (keyframes.empty()) throw Error("camera path: no keyframes (at least one is needed)");
  for (size_t i = 0; i < keyframes.size(); ++i) {
    const Keyframe& k = keyframes[i];
    const std::pair<const char*, double> fields[] = {{"time", k.time}, {"cx", k.cx}, {"cy", k.cy},
                                                     {"w", k.w},       {"h", k.h}};
    for (const auto& [name, v] : fields)
      if (!std::isfinite(v)) throw Error(kf(i) + "." + name + " must be a finite number, got " + num(v));
    if (k.time < 0 || k.time > 1) throw Error(kf(i) + ".time = " + num(k.time) + " is outside [0, 1]");
    if (i > 0 && !(k.time > keyframes[i - 1].time))
      throw Error(kf(i) + ".time = " + num(k.time) + " must be greater than keyframes[" + std::to_string(i - 1) +
                  "].time = " + num(keyframes[i - 1].time) + " (times strictly increasing)");
    if (!(k.w > 0)) throw Error(kf(i) + ".w = " + num(k.w) + " must be > 0");
    if (!(k.h > 0)) throw Error(kf(i) + ".h = " + num(k.h) + " must be > 0");
    // first-frame pixels: a crop is rendered at its own size before it is resized to the output, so its size is
    // bounded (kMaxCropSide, kMaxCropArea), and so are the centres (their arithmetic in 64-bit integers)
    if (k.w > kMaxCropSide || k.h > kMaxCropSide || k.w * k.h > kMaxCropArea)
      throw Error(kf(i) + " crop " + num(k.w) + " x " + num(k.h) + " is too large: at most " + num(kMaxCropSide) +
                  " pixels a side and " + num(kMaxCropArea / double(1 << 20)) + " megapixels in all");
    if (std::abs(k.cx) > 1e6 || std::abs(k.cy) > 1e6)
      throw Error(kf(i) + " centre (" + num(k.cx) + ", " + num(k.cy) + ") is too far outside any picture (|cx|, |cy| <= 1e6)");
    if (k.easing == Easing::CubicBezier) {
      const std::pair<const char*, double> handles[] = {{"x1", k.x1}, {"y1", k.y1}, {"x2", k.x2}, {"y2", k.y2}};
      for (const auto& [name, v] : handles)
        if (!std::isfinite(v)) throw Error(kf(i) + ".bezier " + name + " must be a finite number, got " + num(v));
      if (k.x1 < 0 || k.x1 > 1) throw Error(kf(i) + ".bezier x1 = " + num(k.x1) + " is outside [0, 1]");
      if (k.x2 < 0 || k.x2 > 1) throw Error(kf(i) + ".bezier x2 = " + num(k.x2) + " is outside [0, 1]");
      // y may overshoot (a bounce), within reason: the eased crop sizes and positions stay finite and bounded
      if (std::abs(k.y1) > kMaxBezierY) throw Error(kf(i) + ".bezier y1 = " + num(k.y1) + " is outside [-10, 10]");
      if (std::abs(k.y2) > kMaxBezierY) throw Error(kf(i) + ".bezier y2 = " + num(k.y2) + " is outside [-10, 10]");
    }
  }
}

std::vector<CropRect> CameraPath::crops(int64_t n_frames) const {
  validate();
  if (n_frames < 1) throw Error("camera path: n_frames must be >= 1, got " + std::to_string(n_frames));
  std::vector<CropRect> out;
  out.reserve(static_cast<size_t>(n_frames));
  const size_t last = keyframes.size() - 1;
  for (int64_t i = 0; i < n_frames; ++i) {
    double tau;
    if (timing == Timing::Reference) tau = static_cast<double>(i) / static_cast<double>(n_frames);
    else tau = n_frames == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(n_frames - 1);
    // Segment [a, b] holding tau (a == b before the first / after the last keyframe).
    size_t a = 0;
    while (a < last && keyframes[a + 1].time <= tau) ++a;
    size_t b = a;
    double e = 0;
    if (a < last && tau >= keyframes[a].time) {
      b = a + 1;
      const Keyframe& ka = keyframes[a];
      const double u = (tau - ka.time) / (keyframes[b].time - ka.time);
      e = ease(ka.easing, u, ka.x1, ka.y1, ka.x2, ka.y2);
    }
    const Keyframe& ka = keyframes[a];
    const Keyframe& kb = keyframes[b];
    auto [left, width] = axis(ka.cx, ka.w, kb.cx, kb.w, e);
    auto [top, height] = axis(ka.cy, ka.h, kb.cy, kb.h, e);
    // A bezier that overshoots (y handles outside [0, 1]) may ease past the keyframes' sizes: the crop is held
    // to the limits the keyframes obey, shrunk about its centre (a crop is rendered at its own size).
    const auto side = static_cast<int64_t>(kMaxCropSide), area = static_cast<int64_t>(kMaxCropArea);
    if (width > side || height > side || width * height > area) {
      const double f = std::min({kMaxCropSide / static_cast<double>(width), kMaxCropSide / static_cast<double>(height),
                                 std::sqrt(kMaxCropArea / (static_cast<double>(width) * static_cast<double>(height)))});
      const int64_t w = std::clamp<int64_t>(static_cast<int64_t>(static_cast<double>(width) * f), 1, side);
      const int64_t h = std::clamp<int64_t>(static_cast<int64_t>(static_cast<double>(height) * f), 1, side);
      left += (width - w) / 2;
      top += (height - h) / 2;
      width = w;
      height = h;
    }
    out.push_back({left, top, width, height});
  }
  return out;
}

CameraPath CameraPath::scaled(double sx, double sy) const {
  if (!(sx > 0) || !(sy > 0) || !std::isfinite(sx) || !std::isfinite(sy))
    throw Error("camera path: scale factors must be finite and > 0, got " + num(sx) + ", " + num(sy));
  CameraPath p = *this;
  for (Keyframe& k : p.keyframes) {
    k.cx *= sx;
    k.w *= sx;
    k.cy *= sy;
    k.h *= sy;
  }
  return p;
}

nlohmann::json CameraPath::to_json() const {
  nlohmann::json j;
  j["version"] = 1;
  j["timing"] = timing == Timing::Reference ? "reference" : "inclusive";
  nlohmann::json ks = nlohmann::json::array();
  for (const Keyframe& k : keyframes) {
    nlohmann::json o;
    o["time"] = k.time;
    o["cx"] = k.cx;
    o["cy"] = k.cy;
    o["w"] = k.w;
    o["h"] = k.h;
    o["easing"] = to_string(k.easing);
    if (k.easing == Easing::CubicBezier) o["bezier"] = {k.x1, k.y1, k.x2, k.y2};
    ks.push_back(o);
  }
  j["keyframes"] = ks;
  return j;
}

CameraPath CameraPath::from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw Error("camera path: expected a JSON object, got " + std::string(j.type_name()));
  CameraPath p;
  if (j.contains("version")) {
    if (!j["version"].is_number_integer() || j["version"].get<int64_t>() != 1)
      throw Error("camera path: version must be 1, got " + j["version"].dump());
  }
  if (j.contains("timing")) {
    if (!j["timing"].is_string()) throw Error("camera path: timing must be a string, got " + j["timing"].dump());
    const std::string t = j["timing"].get<std::string>();
    if (t == "reference") p.timing = Timing::Reference;
    else if (t == "inclusive") p.timing = Timing::Inclusive;
    else throw Error("camera path: timing must be 'inclusive' or 'reference', got '" + t + "'");
  }
  if (!j.contains("keyframes")) throw Error("camera path: field 'keyframes' is missing");
  const auto& ks = j["keyframes"];
  if (!ks.is_array()) throw Error("camera path: keyframes must be an array, got " + std::string(ks.type_name()));
  for (size_t i = 0; i < ks.size(); ++i) {
    const auto& o = ks[i];
    if (!o.is_object()) throw Error(kf(i) + " must be an object, got " + o.dump());
    Keyframe k;
    auto number = [&](const char* key, double& out) {
      if (!o.contains(key)) throw Error(kf(i) + "." + key + " is missing");
      if (!o[key].is_number()) throw Error(kf(i) + "." + key + " must be a number, got " + o[key].dump());
      out = o[key].get<double>();
    };
    number("time", k.time);
    number("cx", k.cx);
    number("cy", k.cy);
    number("w", k.w);
    number("h", k.h);
    if (o.contains("easing")) {
      if (!o["easing"].is_string()) throw Error(kf(i) + ".easing must be a string, got " + o["easing"].dump());
      k.easing = easing_from_string(o["easing"].get<std::string>(), kf(i) + ".easing");
    }
    if (o.contains("bezier")) {
      const auto& b = o["bezier"];
      if (!b.is_array() || b.size() != 4)
        throw Error(kf(i) + ".bezier must be an array [x1, y1, x2, y2], got " + b.dump());
      double* h[] = {&k.x1, &k.y1, &k.x2, &k.y2};
      for (size_t q = 0; q < 4; ++q) {
        if (!b[q].is_number()) throw Error(kf(i) + ".bezier[" + std::to_string(q) + "] must be a number, got " + b[q].dump());
        *h[q] = b[q].get<double>();
      }
    }
    p.keyframes.push_back(k);
  }
  p.validate();
  return p;
}

std::pair<int64_t, int64_t> preset_image_size(CameraPreset preset, int64_t picture_h, int64_t picture_w,
                                              int64_t out_h, int64_t out_w) {
  if (picture_h < 1 || picture_w < 1)
    throw Error("camera preset: picture size must be positive, got " + std::to_string(picture_w) + "x" +
                std::to_string(picture_h));
  int64_t size = out_h;
  if (preset == CameraPreset::ZoomIn || preset == CameraPreset::ZoomOut) size = 2 * out_h;
  if (preset == CameraPreset::TiltUp || preset == CameraPreset::TiltDown) size = out_w;
  const int64_t shorter = std::min(picture_h, picture_w), longer = std::max(picture_h, picture_w);
  if (shorter == size) return {picture_h, picture_w};
  const int64_t new_long = static_cast<int64_t>(static_cast<double>(size) * longer / shorter);
  return picture_h <= picture_w ? std::pair<int64_t, int64_t>{size, new_long} : std::pair<int64_t, int64_t>{new_long, size};
}

CameraPath preset_path_for_picture(CameraPreset preset, int64_t picture_h, int64_t picture_w, int64_t out_h,
                                   int64_t out_w) {
  const auto [ih, iw] = preset_image_size(preset, picture_h, picture_w, out_h, out_w);
  CameraPath p = preset_path(preset, ih, iw, out_h, out_w);
  p.timing = CameraPath::Timing::Reference;
  return p.scaled(static_cast<double>(picture_w) / iw, static_cast<double>(picture_h) / ih);
}

}  // namespace ci2v::sampling
