// Resize + centre crop as the reference preprocessing does it (torch bilinear, no antialias, float math).
#include "engine/media/resize.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "engine/error.h"

namespace ci2v::media {

namespace {

// Python's round() on x.5 values: half to even.
int round_half_even(double v) { return static_cast<int>(std::nearbyint(v)); }  // default FE_TONEAREST

// torch's per-axis source indices and weights (align_corners=False, no explicit scale):
// scale = float(in) / out; src = scale * (dst + 0.5f) - 0.5f (fused, see below), clamped at 0; i0 = int(src);
// i1 = i0 + (i0 < in - 1); l1 = src - i0; l0 = 1 - l1. Equal sizes copy.
struct Axis {
  std::vector<int> i0, i1;
  std::vector<float> l0, l1;
};

Axis axis_weights(int in, int out) {
  Axis a;
  a.i0.resize(out), a.i1.resize(out), a.l0.resize(out), a.l1.resize(out);
  const float scale = static_cast<float>(in) / static_cast<float>(out);
  for (int o = 0; o < out; ++o) {
    if (in == out) {
      a.i0[o] = a.i1[o] = o;
      a.l0[o] = 1.0f;
      a.l1[o] = 0.0f;
      continue;
    }
    float src = std::fma(scale, static_cast<float>(o) + 0.5f, -0.5f);
    if (src < 0.0f) src = 0.0f;
    const int i0 = std::min(static_cast<int>(src), in - 1);
    const float l1 = std::min(std::max(src - static_cast<float>(i0), 0.0f), 1.0f);
    a.i0[o] = i0;
    a.i1[o] = i0 + (i0 < in - 1 ? 1 : 0);
    a.l1[o] = l1;
    a.l0[o] = 1.0f - l1;
  }
  return a;
}

void check_dims(int c, int h, int w, int oh, int ow, const char* what) {
  if (c <= 0 || h <= 0 || w <= 0 || oh <= 0 || ow <= 0)
    throw Error(std::string(what) + ": sizes must be positive, got c=" + std::to_string(c) + " h=" + std::to_string(h) +
                " w=" + std::to_string(w) + " -> " + std::to_string(oh) + "x" + std::to_string(ow));
}

}  // namespace

ResizeCropPlan plan_resize_center_crop(int src_w, int src_h, int width, int height) {
  if (src_w <= 0 || src_h <= 0 || width <= 0 || height <= 0)
    throw Error("plan_resize_center_crop: sizes must be positive, got source " + std::to_string(src_w) + "x" +
                std::to_string(src_h) + ", target " + std::to_string(width) + "x" + std::to_string(height));
  ResizeCropPlan p;
  // The side that limits the cover becomes the target; the other is int(target * long / short) (Python's
  // int() of a true division of integers, done in double). For width == height: the shorter side.
  if (static_cast<int64_t>(src_w) * height > static_cast<int64_t>(src_h) * width) {  // wider than the target
    p.resize_height = height;
    p.resize_width = static_cast<int>(static_cast<double>(static_cast<int64_t>(height) * src_w) / src_h);
  } else {
    p.resize_width = width;
    p.resize_height = static_cast<int>(static_cast<double>(static_cast<int64_t>(width) * src_h) / src_w);
  }
  p.resize_width = std::max(p.resize_width, width);
  p.resize_height = std::max(p.resize_height, height);
  p.top = round_half_even((p.resize_height - height) / 2.0);
  p.left = round_half_even((p.resize_width - width) / 2.0);
  return p;
}

std::vector<float> resize_bilinear_f32(const float* chw, int c, int h, int w, int out_h, int out_w) {
  check_dims(c, h, w, out_h, out_w, "resize_bilinear_f32");
  const Axis ay = axis_weights(h, out_h), ax = axis_weights(w, out_w);
  std::vector<float> out(static_cast<size_t>(c) * out_h * out_w);
  for (int ch = 0; ch < c; ++ch) {
    const float* src = chw + static_cast<size_t>(ch) * h * w;  // [h, w]
    float* dst = out.data() + static_cast<size_t>(ch) * out_h * out_w;
    for (int oy = 0; oy < out_h; ++oy) {
      const float* r0 = src + static_cast<size_t>(ay.i0[oy]) * w;
      const float* r1 = src + static_cast<size_t>(ay.i1[oy]) * w;
      const float h0 = ay.l0[oy], h1 = ay.l1[oy];
      for (int ox = 0; ox < out_w; ++ox) {
        const int x0 = ax.i0[ox], x1 = ax.i1[ox];
        const float w0 = ax.l0[ox], w1 = ax.l1[ox];
        // torch: the inner (width) interpolation first, then the outer (height) one, each `a * w0 + b * w1`.
        // torch's CPU kernel is built with -mavx2 -mfma and GCC contracts that to fma(a, w0, b * w1); the
        // reference fixtures match bit for bit only with the fused form (the plain form is 2 ulp off).
        const float t0 = std::fma(r0[x0], w0, r0[x1] * w1);
        const float t1 = std::fma(r1[x0], w0, r1[x1] * w1);
        dst[static_cast<size_t>(oy) * out_w + ox] = std::fma(t0, h0, t1 * h1);
      }
    }
  }
  return out;
}

std::vector<float> image_to_chw_f32(const Image& image) {
  const size_t plane = static_cast<size_t>(image.width) * image.height;
  std::vector<float> out(plane * 3);
  for (size_t i = 0; i < plane; ++i)
    for (int c = 0; c < 3; ++c) out[c * plane + i] = static_cast<float>(image.rgb[i * 3 + c]) / 255.0f;
  return out;
}

std::vector<float> crop_chw_f32(const float* chw, int c, int h, int w, int top, int left, int out_h, int out_w) {
  check_dims(c, h, w, out_h, out_w, "crop_chw_f32");
  if (top < 0 || left < 0 || top + out_h > h || left + out_w > w)
    throw Error("crop_chw_f32: crop rows [" + std::to_string(top) + ", " + std::to_string(top + out_h) +
                ") columns [" + std::to_string(left) + ", " + std::to_string(left + out_w) + ") outside " +
                std::to_string(h) + "x" + std::to_string(w));
  std::vector<float> out(static_cast<size_t>(c) * out_h * out_w);
  for (int ch = 0; ch < c; ++ch)
    for (int y = 0; y < out_h; ++y)
      std::memcpy(out.data() + (static_cast<size_t>(ch) * out_h + y) * out_w,
                  chw + (static_cast<size_t>(ch) * h + top + y) * w + left, sizeof(float) * out_w);
  return out;
}

std::vector<float> preprocess_reference(const Image& image, int width, int height) {
  if (image.empty()) throw Error("preprocess_reference: the image is empty");
  const ResizeCropPlan p = plan_resize_center_crop(image.width, image.height, width, height);
  const std::vector<float> x = image_to_chw_f32(image);  // [3, H, W]
  const std::vector<float> r =
      resize_bilinear_f32(x.data(), 3, image.height, image.width, p.resize_height, p.resize_width);  // [3, H', W']
  std::vector<float> out = crop_chw_f32(r.data(), 3, p.resize_height, p.resize_width, p.top, p.left, height, width);
  for (float& v : out) v = (v - 0.5f) / 0.5f;  // Normalize(0.5, 0.5)
  return out;
}

Image fit_image(const Image& image, int width, int height, FitMode mode, Rgb background) {
  if (image.empty()) throw Error("fit_image: the image is empty");
  if (width <= 0 || height <= 0)
    throw Error("fit_image: target size must be positive, got " + std::to_string(width) + "x" + std::to_string(height));
  const std::vector<float> x = image_to_chw_f32(image);
  auto to_u8 = [](float v) { return static_cast<uint8_t>(std::clamp(std::lrint(v * 255.0f), 0L, 255L)); };
  Image out(width, height);
  if (mode == FitMode::CropCenter) {
    const ResizeCropPlan p = plan_resize_center_crop(image.width, image.height, width, height);
    const std::vector<float> r = resize_bilinear_f32(x.data(), 3, image.height, image.width, p.resize_height, p.resize_width);
    const size_t plane = static_cast<size_t>(p.resize_width) * p.resize_height;
    for (int y = 0; y < height; ++y)
      for (int xx = 0; xx < width; ++xx)
        for (int c = 0; c < 3; ++c)
          out.at(xx, y)[c] = to_u8(r[c * plane + static_cast<size_t>(y + p.top) * p.resize_width + xx + p.left]);
    return out;
  }
  // Pad: the side that limits the fit becomes the target, the other is rounded and centred.
  int rw, rh;
  if (static_cast<int64_t>(image.width) * height >= static_cast<int64_t>(image.height) * width) {
    rw = width;
    rh = std::clamp(static_cast<int>(std::lround(static_cast<double>(width) * image.height / image.width)), 1, height);
  } else {
    rh = height;
    rw = std::clamp(static_cast<int>(std::lround(static_cast<double>(height) * image.width / image.height)), 1, width);
  }
  const int top = (height - rh) / 2, left = (width - rw) / 2;
  for (int y = 0; y < height; ++y)
    for (int xx = 0; xx < width; ++xx) {
      uint8_t* o = out.at(xx, y);
      o[0] = background.r, o[1] = background.g, o[2] = background.b;
    }
  const std::vector<float> r = resize_bilinear_f32(x.data(), 3, image.height, image.width, rh, rw);
  const size_t plane = static_cast<size_t>(rw) * rh;
  for (int y = 0; y < rh; ++y)
    for (int xx = 0; xx < rw; ++xx)
      for (int c = 0; c < 3; ++c) out.at(xx + left, y + top)[c] = to_u8(r[c * plane + static_cast<size_t>(y) * rw + xx]);
  return out;
}

}  // namespace ci2v::media
