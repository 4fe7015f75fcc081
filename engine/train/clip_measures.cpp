// Measures of short RGB clips for the demo model's claims (see clip_measures.h).
#include "engine/train/clip_measures.h"

#include <algorithm>
#include <cmath>
#include <complex>

namespace ci2v::train {

double psnr(const RgbImage& a, const RgbImage& b) {
  double se = 0;
  for (size_t i = 0; i < a.rgb.size(); ++i) {
    const double d = static_cast<double>(a.rgb[i]) - b.rgb[i];
    se += d * d;
  }
  const double mse = se / static_cast<double>(a.rgb.size());
  return mse <= 0 ? 99.0 : 10.0 * std::log10(255.0 * 255.0 / mse);
}

namespace {

// The pixels close to an object colour (L1 distance < 120): their count and the sum of their x; an object with
// fewer than kMinObjectPixels of them counts as lost.
constexpr double kMinObjectPixels = 4;
struct ObjectPixels {
  double count = 0, sum_x = 0;
};
ObjectPixels object_pixels(const RgbImage& im, const NamedColor& c) {
  ObjectPixels o;
  for (int y = 0; y < im.height; ++y)
    for (int x = 0; x < im.width; ++x) {
      const uint8_t* p = im.at(x, y);
      if (std::abs(p[0] - c.r) + std::abs(p[1] - c.g) + std::abs(p[2] - c.b) < 120) o.count += 1, o.sum_x += x;
    }
  return o;
}

}  // namespace

// Centroid x of the pixels close to an object colour; false when the object is lost.
bool centroid_x(const RgbImage& im, const NamedColor& c, double& cx) {
  const auto o = object_pixels(im, c);
  if (o.count < kMinObjectPixels) return false;
  cx = o.sum_x / o.count;
  return true;
}

namespace {

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

// Grey levels of a window of an image, mean removed, under a Hann window.
std::vector<cd> windowed(const RgbImage& im, Rect r) {
  std::vector<double> v(static_cast<size_t>(r.h * r.w));
  double mean = 0;
  for (int y = 0; y < r.h; ++y)
    for (int x = 0; x < r.w; ++x) {
      const uint8_t* p = im.at(r.x0 + x, r.y0 + y);
      mean += v[static_cast<size_t>(y * r.w + x)] = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
    }
  mean /= static_cast<double>(v.size());
  std::vector<cd> g(v.size());
  for (int y = 0; y < r.h; ++y)
    for (int x = 0; x < r.w; ++x) {
      const double wy = 0.5 - 0.5 * std::cos(2 * M_PI * (y + 0.5) / r.h), wx = 0.5 - 0.5 * std::cos(2 * M_PI * (x + 0.5) / r.w);
      g[static_cast<size_t>(y * r.w + x)] = (v[static_cast<size_t>(y * r.w + x)] - mean) * wx * wy;
    }
  return g;
}

}  // namespace

// The translation (dx, dy) that moves the content of window r of `a` onto the same window of `b`, to a fraction
// of a pixel: the peak of the phase correlation, refined by a parabola through it and its neighbours per axis.
std::pair<double, double> phase_shift(const RgbImage& a, const RgbImage& b, Rect r) {
  auto fa = windowed(a, r), fb = windowed(b, r);
  dft2(fa, r.h, r.w, false);
  dft2(fb, r.h, r.w, false);
  std::vector<cd> c(fa.size());
  for (size_t i = 0; i < c.size(); ++i) {
    const cd x = fb[i] * std::conj(fa[i]);
    c[i] = std::abs(x) > 1e-9 ? x / std::abs(x) : cd(0);
  }
  dft2(c, r.h, r.w, true);
  size_t best = 0;
  for (size_t i = 1; i < c.size(); ++i)
    if (c[i].real() > c[best].real()) best = i;
  const int by = static_cast<int>(best) / r.w, bx = static_cast<int>(best) % r.w;
  auto at = [&](int y, int x) { return c[static_cast<size_t>(((y + r.h) % r.h) * r.w + (x + r.w) % r.w)].real(); };
  auto refine = [](double m, double z, double p) {  // vertex of the parabola through (-1, m), (0, z), (1, p)
    const double d = m - 2 * z + p;
    return std::fabs(d) > 1e-12 ? std::clamp(0.5 * (m - p) / d, -0.5, 0.5) : 0.0;
  };
  double dx = bx + refine(at(by, bx - 1), at(by, bx), at(by, bx + 1));
  double dy = by + refine(at(by - 1, bx), at(by, bx), at(by + 1, bx));
  if (dx > r.w / 2.0) dx -= r.w;
  if (dy > r.h / 2.0) dy -= r.h;
  return {dx, dy};
}

// Horizontal content motion over the clip: the sum of the shifts between consecutive frames (each well inside
// the window, so no wrap-around), columns [x0, x0 + w), all rows.
double horizontal_motion(const std::vector<RgbImage>& frames, int x0, int w) {
  double total = 0;
  for (size_t f = 1; f < frames.size(); ++f) total += phase_shift(frames[f - 1], frames[f], {x0, 0, w, frames[f].height}).first;
  return total;
}

// How far a zoom pushes the content apart over the clip, frame to frame: the right half's horizontal shift minus
// the left half's, plus the bottom half's vertical shift minus the top half's (> 0: zoom in, < 0: zoom out; a
// pan moves the halves alike). A zoom moves each half by under a pixel per frame, hence the sub-pixel shifts.
double zoom_spread(const std::vector<RgbImage>& frames) {
  double total = 0;
  for (size_t f = 1; f < frames.size(); ++f) {
    const auto& a = frames[f - 1];
    const auto& b = frames[f];
    const int w = a.width, h = a.height;
    total += phase_shift(a, b, {w / 2, 0, w / 2, h}).first - phase_shift(a, b, {0, 0, w / 2, h}).first +
             phase_shift(a, b, {0, h / 2, w, h / 2}).second - phase_shift(a, b, {0, 0, w, h / 2}).second;
  }
  return total;
}

// How much larger the object of colour c shows in the last frame than in the first: the square root of the ratio
// of its pixel counts (colour within L1 120, as centroid_x), 0 when it is lost (under 4 pixels) in either.
double object_scale(const std::vector<RgbImage>& frames, const NamedColor& c) {
  if (frames.empty()) return 0;
  const double first = object_pixels(frames.front(), c).count, last = object_pixels(frames.back(), c).count;
  return first < kMinObjectPixels || last < kMinObjectPixels ? 0.0 : std::sqrt(last / first);
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

}  // namespace ci2v::train
