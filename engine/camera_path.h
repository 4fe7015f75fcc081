// Camera paths (Torch-free: front ends include it) for camera-controlled generation (reference: pan_left /
// pan_right / zoom_in / zoom_out in the pipeline, §7): a keyframed crop window over the first frame gives one crop per frame; the crops, resized to
// the output size, form the synthetic "layout" video whose low frequencies FrameInit keeps.
//
// Coordinates are pixels of the image handed to render_layout_video (the first frame after the camera
// preprocessing: for the reference presets, resized so that its shorter side is the output height, or twice
// it for zooms). A front end that edits the path over the original image converts with CameraPath::scaled.
//
// How a frame's integer crop is computed (defined so that the reference presets come out bit-exact):
//  * frame i of N is at time τ = i/N with Timing::Reference (the reference's convention: the last keyframe is
//    never reached) or τ = i/(N−1) with Timing::Inclusive (first and last frame on the end keyframes);
//  * before the first / after the last keyframe the crop holds; inside a segment [a, b] the eased fraction is
//    e = easing_a((τ − t_a)/(t_b − t_a));
//  * size (per axis): round(w_a) + trunc((round(w_b) − round(w_a))·e) — whole pixels from a's size toward b's,
//    truncated toward a (the reference's int());
//  * position (per axis): if the centre does not move (cx_a == cx_b): left = ⌊cx_a − size/2⌋; otherwise the
//    left edges are interpolated, L = L_a·(1−e) + L_b·e with L_k = cx_k − w_k/2, and left = ⌊L + (w_e − size)/2⌋
//    with w_e the unrounded interpolated width (= ⌊centre − size/2⌋ up to rounding);
//  * a bezier that overshoots may ease past the keyframes' sizes: such a crop is shrunk about its centre to the
//    limits every keyframe obeys (kMaxCropSide a side, kMaxCropArea in all).
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace ci2v::sampling {

enum class Easing { Linear, EaseIn, EaseOut, EaseInOut, Hold, CubicBezier };

const char* to_string(Easing e);
Easing easing_from_string(const std::string& name, const std::string& field = "easing");  // throws naming field

// CSS cubic-bezier(x1, y1, x2, y2) timing function at u ∈ [0, 1]: solves x(s) = u for the curve parameter,
// returns y(s). x1, x2 must lie in [0, 1] (then x(s) is monotone); y1, y2 may overshoot.
double cubic_bezier(double x1, double y1, double x2, double y2, double u);
// The eased fraction at u ∈ [0, 1] (clamped). ease_in / ease_out / ease_in_out are the CSS keywords
// (cubic-bezier(.42,0,1,1), (0,0,.58,1), (.42,0,.58,1)); hold = 0 until the next keyframe; linear = u exactly.
double ease(Easing e, double u, double x1 = 0.25, double y1 = 0.1, double x2 = 0.25, double y2 = 1.0);

struct Keyframe {
  double time = 0;          // [0, 1] over the clip
  double cx = 0, cy = 0;    // crop centre, first-frame pixels
  double w = 0, h = 0;      // crop size, first-frame pixels (> 0)
  Easing easing = Easing::Linear;  // of the segment that starts here
  double x1 = 0.25, y1 = 0.1, x2 = 0.25, y2 = 1.0;  // bezier handles (CubicBezier only; CSS "ease" by default)
};

// The largest crop a keyframe may hold, in first-frame pixels (CameraPath::validate): a crop is rendered at its own
// size before it is resized to the output. Front ends hold drags to these too.
inline constexpr double kMaxCropSide = 16384;
inline constexpr double kMaxCropArea = double(int64_t(1) << 26);  // 64 megapixels
// How far a bezier's y handles may overshoot: |y1|, |y2| <= 10.
inline constexpr double kMaxBezierY = 10;

struct CropRect {
  int64_t left = 0, top = 0, width = 0, height = 0;  // may extend outside the image (zero padded)
  bool operator==(const CropRect& o) const {
    return left == o.left && top == o.top && width == o.width && height == o.height;
  }
  bool operator!=(const CropRect& o) const { return !(*this == o); }
};

enum class CameraPreset { PanLeft, PanRight, ZoomIn, ZoomOut, TiltUp, TiltDown };
const char* to_string(CameraPreset p);
CameraPreset camera_preset_from_string(const std::string& name);  // throws listing the valid names

class CameraPath {
public:
  enum class Timing { Inclusive, Reference };

  std::vector<Keyframe> keyframes;
  Timing timing = Timing::Inclusive;

  // Throws ci2v::Error naming the field: no keyframes, time outside [0, 1] or not strictly increasing,
  // non-finite values, w or h <= 0, crops over the limits, bezier x handles outside [0, 1] or y handles outside
  // [-kMaxBezierY, kMaxBezierY].
  void validate() const;
  // One crop per frame (validates first; n_frames >= 1).
  std::vector<CropRect> crops(int64_t n_frames) const;
  // The same path over an image scaled by (sx, sy) (centres and sizes scaled).
  CameraPath scaled(double sx, double sy) const;

  // {"version": 1, "timing": "inclusive"|"reference", "keyframes": [{"time", "cx", "cy", "w", "h",
  //  "easing", "bezier": [x1, y1, x2, y2] (cubic_bezier only)}]}
  nlohmann::json to_json() const;
  static CameraPath from_json(const nlohmann::json& j);  // validates; errors name the field
};

// The crop window of a preset over an image of image_h × image_w pixels, for an output of out_h × out_w.
// Pans (and tilts) keep the full image height (width) and slide an out_w-wide (out_h-high) window; zooms use
// centred squares between S = min(image_h, image_w) and ⌊S/1.5⌋ (the output must be square for zooms, as in
// the reference). With Timing::Reference, crops(N) reproduces the reference exactly:
//   pan_right  left_i = int((W − out_w)·(i/N))          pan_left  left_i = int((W − out_w)·(1 − i/N))
//   zoom_in    s_i = S − int((S − ⌊S/1.5⌋)·(i/N))         zoom_out  s_i = ⌊S/1.5⌋ + int((S − ⌊S/1.5⌋)·(i/N))
//   (zooms: top = (H − s_i)//2, left = (W − s_i)//2; zoom_out is what the reference intends — its own code
//   fails on float crop sizes); tilt_down/up: the pans on the vertical axis.
CameraPath preset_path(CameraPreset preset, int64_t image_h, int64_t image_w, int64_t out_h, int64_t out_w);
// The size the first frame is resized to before a preset's crops are taken (the reference's preprocessing):
// shorter side = out_h for pans, 2·out_h for zooms, out_w for tilts; the longer side ⌊size·longer/shorter⌋.
// Returns {height, width}.
std::pair<int64_t, int64_t> preset_image_size(CameraPreset preset, int64_t picture_h, int64_t picture_w,
                                              int64_t out_h, int64_t out_w);
// A preset as an editable path over the original picture (picture pixels, Timing::Reference): preset_path on
// the resized image, scaled back. Its crops, taken on the picture and resized, match the preset's to within
// the rounding of the scale (a front end converts a preset into a path when the user edits it).
CameraPath preset_path_for_picture(CameraPreset preset, int64_t picture_h, int64_t picture_w, int64_t out_h,
                                   int64_t out_w);
// The reference formulas above written out directly (for tests and as documentation).
std::vector<CropRect> reference_preset_crops(CameraPreset preset, int64_t image_h, int64_t image_w, int64_t n_frames,
                                             int64_t out_h, int64_t out_w);

}  // namespace ci2v::sampling
