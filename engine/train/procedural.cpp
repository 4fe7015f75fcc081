#include "engine/train/procedural.h"

#include <algorithm>
#include <cmath>

#include "engine/error.h"

namespace ci2v::train {

namespace {

constexpr double kPi = 3.14159265358979323846;

// splitmix64: a tiny, fully specified generator (same numbers on every platform).
struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed ^ 0x9E3779B97F4A7C15ull) {}
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }  // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  int index(int n) { return static_cast<int>(next() % static_cast<uint64_t>(n)); }
};

// Object position/size/angle at progress p in [0, 1] (1 = the end of the longest clip).
struct ObjectState {
  double x, y, r, angle;
};

ObjectState object_at(const ClipSpec& s, double p) {
  ObjectState o{s.x, s.y, s.size, 0.0};
  constexpr double kTravel = 0.5;  // view units over the whole motion
  switch (s.motion) {
    case Motion::Left: o.x -= kTravel * p; break;
    case Motion::Right: o.x += kTravel * p; break;
    case Motion::Up: o.y -= kTravel * p; break;
    case Motion::Down: o.y += kTravel * p; break;
    case Motion::Grow: o.r *= 1.0 + 1.0 * p; break;
    case Motion::Shrink: o.r *= 1.0 - 0.6 * p; break;
    case Motion::Rotate: o.angle = kPi * p; break;
    case Motion::Bounce: o.y -= 0.3 * std::fabs(std::sin(2.0 * kPi * p)); break;
  }
  return o;
}

// The visible window on the canvas at progress p: centre (cx, cy) and width (view units).
void camera_at(CameraMove c, double speed, double p, double& cx, double& cy, double& width) {
  cx = 0.5, cy = 0.5, width = 1.0;
  switch (c) {
    case CameraMove::None: break;
    case CameraMove::PanLeft: cx -= 0.3 * speed * p; break;   // the view moves left: the scene slides right
    case CameraMove::PanRight: cx += 0.3 * speed * p; break;
    case CameraMove::ZoomIn: width = 1.0 - 0.4 * speed * p; break;
    case CameraMove::ZoomOut: width = 1.0 - 0.4 * speed * (1.0 - p); break;
  }
}

bool inside_shape(Shape shape, double dx, double dy, double r, double angle) {
  // rotate the offset by -angle into the object's frame
  const double c = std::cos(angle), s = std::sin(angle);
  const double u = c * dx + s * dy, v = -s * dx + c * dy;
  switch (shape) {
    case Shape::Circle: return u * u + v * v <= r * r;
    case Shape::Square: return std::fabs(u) <= r * 0.85 && std::fabs(v) <= r * 0.85;
    case Shape::Triangle: {
      // apex up: (0, -r), base corners (±0.866 r, 0.5 r)
      if (v > 0.5 * r || v < -r) return false;
      const double half = 0.866 * r * (v + r) / (1.5 * r);  // half-width grows linearly from the apex
      return std::fabs(u) <= half;
    }
  }
  return false;
}

void background_at(const ClipSpec& s, double x, double y, uint8_t out[3]) {
  x = (x - s.bg_dx) / s.bg_scale, y = (y - s.bg_dy) / s.bg_scale;  // canvas -> pattern coordinates
  const double a = s.bg_vertical ? y : x;  // coordinate across the pattern
  double t = 0;
  switch (s.background) {
    case Background::Gradient: t = std::clamp((a + 0.25) / 1.5, 0.0, 1.0); break;  // canvas spans -0.25..1.25
    // Coarse patterns: at 64 px a stripe is 10 px and a checker cell 16 px, more than one latent pixel (8 px) of
    // the demo VAE, which cannot carry finer detail.
    case Background::Stripes: t = std::fmod(std::floor(a / 0.15) + 1000.0, 2.0) < 1.0 ? 0.0 : 1.0; break;
    case Background::Checker:
      t = std::fmod(std::floor(x / 0.25) + std::floor(y / 0.25) + 1000.0, 2.0) < 1.0 ? 0.0 : 1.0;
      break;
  }
  for (int k = 0; k < 3; ++k) out[k] = static_cast<uint8_t>(std::lround(s.bg_a[k] * (1.0 - t) + s.bg_b[k] * t));
}

// The colour of canvas point (x, y) (view units): the object's where it covers the point, else the background's.
void paint(const ClipSpec& s, const NamedColor& col, const ObjectState& o, double x, double y, uint8_t out[3]) {
  if (inside_shape(s.shape, x - o.x, y - o.y, o.r, o.angle)) {
    out[0] = col.r, out[1] = col.g, out[2] = col.b;
  } else {
    background_at(s, x, y, out);
  }
}

}  // namespace

const char* to_string(Shape s) {
  switch (s) {
    case Shape::Circle: return "circle";
    case Shape::Square: return "square";
    case Shape::Triangle: return "triangle";
  }
  return "?";
}
const char* to_string(Motion m) {
  switch (m) {
    case Motion::Left: return "moves left";
    case Motion::Right: return "moves right";
    case Motion::Up: return "moves up";
    case Motion::Down: return "moves down";
    case Motion::Grow: return "grows";
    case Motion::Shrink: return "shrinks";
    case Motion::Rotate: return "rotates";
    case Motion::Bounce: return "bounces";
  }
  return "?";
}
const char* to_string(Background b) {
  switch (b) {
    case Background::Gradient: return "gradient";
    case Background::Stripes: return "striped";
    case Background::Checker: return "checkered";
  }
  return "?";
}
const char* to_string(CameraMove c) {
  switch (c) {
    case CameraMove::None: return "";
    case CameraMove::PanLeft: return "the camera pans left";
    case CameraMove::PanRight: return "the camera pans right";
    case CameraMove::ZoomIn: return "the camera zooms in";
    case CameraMove::ZoomOut: return "the camera zooms out";
  }
  return "?";
}

const std::vector<NamedColor>& object_palette() {
  static const std::vector<NamedColor> p = {
      {"red", 230, 30, 30},     {"green", 30, 200, 60},  {"blue", 40, 80, 240},   {"yellow", 245, 220, 30},
      {"purple", 150, 50, 200}, {"orange", 250, 140, 20}, {"white", 250, 250, 250}, {"pink", 250, 120, 190},
  };
  return p;
}

ClipSpec random_clip_spec(uint64_t seed, double camera_share, bool varied_backgrounds) {
  Rng rng(seed);
  ClipSpec s;
  s.shape = static_cast<Shape>(rng.index(3));
  s.motion = static_cast<Motion>(rng.index(8));
  if (s.shape == Shape::Circle && s.motion == Motion::Rotate) s.shape = Shape::Square;  // a turning circle is still
  s.background = static_cast<Background>(rng.index(3));
  s.camera = rng.uniform() < 0.25 ? static_cast<CameraMove>(1 + rng.index(4)) : CameraMove::None;
  s.color = rng.index(static_cast<int>(object_palette().size()));
  // muted background colours (dark to mid grey-ish tints) so the bright object stands out
  for (int k = 0; k < 3; ++k) {
    s.bg_a[k] = static_cast<uint8_t>(rng.uniform(20, 110));
    s.bg_b[k] = static_cast<uint8_t>(rng.uniform(60, 160));
  }
  s.bg_vertical = rng.uniform() < 0.5;
  s.size = rng.uniform(0.10, 0.18);
  s.x = rng.uniform(0.35, 0.65);
  s.y = rng.uniform(0.35, 0.65);
  // leave room for the travel of 0.5 view units
  if (s.motion == Motion::Left) s.x = rng.uniform(0.65, 0.8);
  if (s.motion == Motion::Right) s.x = rng.uniform(0.2, 0.35);
  if (s.motion == Motion::Up) s.y = rng.uniform(0.65, 0.8);
  if (s.motion == Motion::Down) s.y = rng.uniform(0.2, 0.35);
  if (s.motion == Motion::Bounce) s.y = rng.uniform(0.6, 0.75);
  if (s.motion == Motion::Shrink) s.size = rng.uniform(0.16, 0.24);
  // Drawn last so that the parameters above stay what they were for every seed. The camera presets of the
  // pipeline move much faster than 0.3 view units (pan_right over a 3:2 picture: half a view in 8 frames), so
  // pans reach 1.2 view units; one camera clip in two does not name its move in the caption.
  // 25 % from the draw above, then (share - 25 %) / 75 % of the rest: 40 % by default
  const bool more_camera = rng.uniform() < (std::clamp(camera_share, 0.25, 1.0) - 0.25) / 0.75;
  if (s.camera == CameraMove::None && more_camera) s.camera = static_cast<CameraMove>(1 + rng.index(4));
  const bool pan = s.camera == CameraMove::PanLeft || s.camera == CameraMove::PanRight;
  s.camera_speed = pan ? rng.uniform(1.0, 4.0) : rng.uniform(0.75, 1.25);
  s.caption_camera = rng.uniform() < 0.5;
  if (varied_backgrounds) {
    s.bg_scale = rng.uniform(0.8, 1.6);  // not finer: a stripe stays over one latent pixel (8 px at 64 px)
    s.bg_dx = rng.uniform(-0.25, 0.25);  // a checker cell is 0.25 view units, a stripe 0.15
    s.bg_dy = rng.uniform(-0.25, 0.25);
  }
  return s;
}

std::string caption(const ClipSpec& s) {
  std::string c = std::string("a ") + object_palette().at(static_cast<size_t>(s.color)).name + " " + to_string(s.shape) +
                  " " + to_string(s.motion) + " on a " + to_string(s.background) + " background";
  if (s.camera != CameraMove::None && s.caption_camera) c += std::string(", ") + to_string(s.camera);
  return c;
}

std::vector<RgbImage> render_clip(const ClipSpec& s, int frames, int size, int frame_stride) {
  if (frames < 1) throw Error("procedural clip: frames must be at least 1, got " + std::to_string(frames));
  if (size < 8) throw Error("procedural clip: size must be at least 8 pixels, got " + std::to_string(size));
  if (frame_stride < 1 || frame_stride > kMaxFrameStride)
    throw Error("procedural clip: frame_stride must be 1.." + std::to_string(kMaxFrameStride) + ", got " +
                std::to_string(frame_stride));
  if (s.color < 0 || s.color >= static_cast<int>(object_palette().size()))
    throw Error("procedural clip: colour index " + std::to_string(s.color) + " outside the palette");
  const auto& col = object_palette()[static_cast<size_t>(s.color)];
  const double ticks = std::max(1, frames - 1) * kMaxFrameStride;  // the whole motion
  std::vector<RgbImage> out;
  out.reserve(static_cast<size_t>(frames));
  for (int i = 0; i < frames; ++i) {
    const double p = (i * frame_stride) / ticks;  // progress in [0, 1]
    const ObjectState o = object_at(s, p);
    double cx, cy, width;
    camera_at(s.camera, s.camera_speed, p, cx, cy, width);
    RgbImage img(size, size);
    for (int py = 0; py < size; ++py)
      for (int px = 0; px < size; ++px) {
        // pixel centre -> canvas (view units)
        const double x = cx + ((px + 0.5) / size - 0.5) * width;
        const double y = cy + ((py + 0.5) / size - 0.5) * width;
        paint(s, col, o, x, y, img.at(px, py));
      }
    out.push_back(std::move(img));
  }
  return out;
}

RgbImage render_view(const ClipSpec& s, int width, int height) {
  if (width < 8 || height < 8)
    throw Error("procedural view: width and height must be at least 8 pixels, got " + std::to_string(width) + "x" +
                std::to_string(height));
  if (s.color < 0 || s.color >= static_cast<int>(object_palette().size()))
    throw Error("procedural view: colour index " + std::to_string(s.color) + " outside the palette");
  const auto& col = object_palette()[static_cast<size_t>(s.color)];
  const ObjectState o = object_at(s, 0.0);
  RgbImage img(width, height);
  for (int py = 0; py < height; ++py)
    for (int px = 0; px < width; ++px) {
      const double x = 0.5 + (px + 0.5 - 0.5 * width) / height;
      const double y = 0.5 + (py + 0.5 - 0.5 * height) / height;
      paint(s, col, o, x, y, img.at(px, py));
    }
  return img;
}

ClipSpec camera_claim_scene(uint64_t seed) {
  auto s = random_clip_spec(seed);
  s.motion = Motion::Rotate;
  if (s.shape == Shape::Circle) s.shape = Shape::Square;
  s.camera = CameraMove::None;
  s.x = s.y = 0.5;
  return s;
}

ClipSpec demo_example_spec() {
  ClipSpec s;
  s.shape = Shape::Circle;
  s.color = 0;  // red
  s.motion = Motion::Right;
  s.background = Background::Gradient;
  const uint8_t a[3] = {40, 60, 90}, b[3] = {110, 120, 80};
  for (int k = 0; k < 3; ++k) s.bg_a[k] = a[k], s.bg_b[k] = b[k];
  s.size = 0.14;
  s.x = 0.3;
  s.y = 0.5;
  return s;
}

Clip make_clip(uint64_t seed, int frames, int size, int frame_stride, double camera_share, bool varied_backgrounds) {
  Clip c;
  c.spec = random_clip_spec(seed, camera_share, varied_backgrounds);
  c.caption = caption(c.spec);
  c.frame_stride = frame_stride;
  c.frames = render_clip(c.spec, frames, size, frame_stride);
  return c;
}

}  // namespace ci2v::train
