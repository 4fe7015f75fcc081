// Seeded procedural video clips for training the demo model (issue #11): a background (gradient, stripes,
// checkerboard), one object (circle, square, triangle) of a named colour and size with a motion (left, right,
// up, down, grow, shrink, rotate, bounce), optionally a camera move (pan, zoom) realised as a moving crop of a
// larger canvas, and a caption made from those parameters ("a red circle moves left on a striped background").
// Torch-free: frames are RgbImage. Everything is a pure function of the seed (own integer RNG, no
// implementation-defined std distributions), so a clip is identical on every platform.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "engine/image.h"

namespace ci2v::train {

enum class Shape { Circle, Square, Triangle };
enum class Motion { Left, Right, Up, Down, Grow, Shrink, Rotate, Bounce };
enum class Background { Gradient, Stripes, Checker };
enum class CameraMove { None, PanLeft, PanRight, ZoomIn, ZoomOut };

const char* to_string(Shape);
const char* to_string(Motion);
const char* to_string(Background);
const char* to_string(CameraMove);

struct NamedColor {
  const char* name;
  uint8_t r, g, b;
};
// The object colours (names used in captions).
const std::vector<NamedColor>& object_palette();

// The parameters of one clip. Positions and sizes are in view units: the visible frame is 1 x 1 at t = 0.
struct ClipSpec {
  Shape shape = Shape::Circle;
  Motion motion = Motion::Left;
  Background background = Background::Gradient;
  CameraMove camera = CameraMove::None;
  int color = 0;                  // index into object_palette()
  uint8_t bg_a[3] = {0, 0, 0};    // background colours (muted, not named in the caption)
  uint8_t bg_b[3] = {0, 0, 0};
  bool bg_vertical = false;       // gradient / stripe orientation
  double size = 0.15;             // object radius (view units)
  double x = 0.5, y = 0.5;        // object centre at t = 0 (view units)
  // Camera speed: a pan moves the view 0.3 x camera_speed view units over the whole motion, a zoom changes the
  // view's width by 0.4 x camera_speed (zoom in: 1 -> 1 - 0.4 s; zoom out: 1 - 0.4 s -> 1).
  double camera_speed = 1.0;
  // Whether the caption names the camera move. Clips whose caption does not say it teach the model to take the
  // move from the low frequencies of its noisy input, which is how FrameInit's camera presets steer it.
  bool caption_camera = true;
  // The background pattern's scale and offset on the canvas (view units): the stripes / checker cells are
  // bg_scale times their standard size and shifted by (bg_dx, bg_dy); the gradient is stretched and shifted
  // alike. 1, 0, 0 is the standard background, aligned with the first frame's pixel grid.
  double bg_scale = 1.0, bg_dx = 0.0, bg_dy = 0.0;
};

struct Clip {
  ClipSpec spec;
  std::string caption;
  int frame_stride = 1;
  std::vector<RgbImage> frames;
};

// Random parameters for `seed` (the start position leaves room for the motion). camera_share: the fraction of
// clips with a camera move, in [0.25, 1] (below 0.25 is taken as 0.25: a quarter comes from the first draws).
// varied_backgrounds: also draw the background's scale (0.8..1.6) and offset (any phase of the pattern); drawn
// after everything else, so the other parameters of a seed do not depend on it. Without it every pattern is
// aligned with the first frame's pixel grid at one size, and a model trained on that keeps textures snapped to
// the grid instead of following a camera preset.
constexpr double kDefaultCameraShare = 0.4;
ClipSpec random_clip_spec(uint64_t seed, double camera_share = kDefaultCameraShare, bool varied_backgrounds = false);
// "a red circle moves left on a striped background" (+ ", the camera pans left" / ", the camera zooms in" when
// spec.caption_camera).
std::string caption(const ClipSpec& spec);
// Render `frames` frames of size x size pixels. Frame i shows time i * frame_stride on a clock where the
// whole motion takes (frames - 1) * kMaxFrameStride ticks: a larger stride = more motion between frames.
// Throws ci2v::Error for frames < 1, size < 8 or a stride outside 1..kMaxFrameStride.
std::vector<RgbImage> render_clip(const ClipSpec& spec, int frames, int size, int frame_stride);
// The scene at t = 0 seen through a view `width` x `height` pixels: `height` spans one view unit, the view is
// centred on the canvas centre (a landscape first frame for the pan presets). Throws for sizes below 8.
RgbImage render_view(const ClipSpec& spec, int width, int height);
// random_clip_spec + caption + render_clip.
Clip make_clip(uint64_t seed, int frames, int size, int frame_stride, double camera_share = kDefaultCameraShare,
               bool varied_backgrounds = false);

constexpr int kMaxFrameStride = 5;

// The example a demo model ships with (its first frame and prompt in the studio): a red circle on the left of
// a muted gradient, "a red circle moves right on a gradient background".
ClipSpec demo_example_spec();

// A scene for the camera claim (issue #11, claim 3): random_clip_spec(seed) with its object still in the centre
// (it only rotates; a circle becomes a square, so that the rotation shows) and no camera move of its own, so that
// any motion of the view comes from a camera preset. Used by demo_model_tests and bench_demo_claims alike.
ClipSpec camera_claim_scene(uint64_t seed);

}  // namespace ci2v::train
