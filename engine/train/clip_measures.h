// Measures of short RGB clips, for checking the paper's claims on the demo model (tests/demo, bench) and on the
// procedural generator's own clips whose motion is known. Torch-free.
#pragma once
#include <utility>
#include <vector>

#include "engine/image.h"
#include "engine/train/procedural.h"

namespace ci2v::train {

// PSNR of two same-size pictures in dB (99 for identical ones).
double psnr(const RgbImage& a, const RgbImage& b);

// Centroid x of the pixels close to an object colour (L1 distance < 120); false when fewer than 4 are found.
bool centroid_x(const RgbImage& im, const NamedColor& c, double& cx);

// A window of an image: columns [x0, x0 + w), rows [y0, y0 + h).
struct Rect {
  int x0, y0, w, h;
};

// The translation (dx, dy) that moves the content of window r of `a` onto the same window of `b`, to a fraction
// of a pixel (phase correlation of the grey levels under a Hann window, the peak refined by a parabola).
std::pair<double, double> phase_shift(const RgbImage& a, const RgbImage& b, Rect r);

// Horizontal content motion over a clip: the sum of the shifts between consecutive frames, columns [x0, x0 + w).
// A camera panning right moves the content left (< 0).
double horizontal_motion(const std::vector<RgbImage>& frames, int x0, int w);

// How far a zoom pushes the content apart over a clip, frame to frame: the right half's horizontal shift minus
// the left half's plus the bottom half's vertical shift minus the top half's (> 0: zoom in, < 0: zoom out; a pan
// moves the halves alike).
double zoom_spread(const std::vector<RgbImage>& frames);

// How much larger the object of colour c shows in the last frame than in the first: the square root of the ratio
// of the pixel counts near its colour (L1 distance < 120); 0 when fewer than 4 are found in either. A zoom by s
// reads s (the zoom_in preset over 8 frames: 1.41), a still or rotating object 1.
double object_scale(const std::vector<RgbImage>& frames, const NamedColor& c);

// Mean RMS difference (RGB levels) of the low-frequency layout of frames 1.. against frame 0: the mean colours of
// 16 x 16-pixel blocks.
double layout_drift(const std::vector<RgbImage>& frames);

}  // namespace ci2v::train
