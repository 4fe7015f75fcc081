#include "engine/preprocess.h"

#include <cmath>

#include "engine/error.h"

namespace ci2v {

int64_t round_half_even(double v) {
  double r = std::nearbyint(v);  // default rounding mode: to nearest, ties to even
  return static_cast<int64_t>(r);
}

torch::Tensor image_to_tensor(const RgbImage& im) {
  if (im.empty() || im.rgb.size() != static_cast<size_t>(im.width) * im.height * 3)
    throw Error("first frame: empty or inconsistent image (" + std::to_string(im.width) + "x" +
                std::to_string(im.height) + ", " + std::to_string(im.rgb.size()) + " bytes)");
  auto t = torch::from_blob(const_cast<uint8_t*>(im.rgb.data()), {im.height, im.width, 3}, torch::kUInt8);
  // one float buffer, converted and scaled in place (to().div().contiguous() made three: 5.3 GB at the largest
  // picture the loader takes, 134 megapixels)
  torch::Tensor out = torch::empty({3, im.height, im.width}, torch::kFloat);
  out.copy_(t.permute({2, 0, 1}));
  return out.div_(255.0);  // [3, H, W]
}

torch::Tensor resize_shorter_side(const torch::Tensor& chw, int64_t size) {
  const int64_t h = chw.size(-2), w = chw.size(-1);
  const int64_t shorter = std::min(h, w), longer = std::max(h, w);
  if (shorter == size) return chw;
  const int64_t new_long = static_cast<int64_t>(static_cast<double>(size) * longer / shorter);
  const int64_t nh = h <= w ? size : new_long;
  const int64_t nw = h <= w ? new_long : size;
  return at::upsample_bilinear2d(chw.unsqueeze(0), {nh, nw}, /*align_corners=*/false).squeeze(0);
}

torch::Tensor center_crop(const torch::Tensor& chw, int64_t ch, int64_t cw) {
  auto img = chw;
  int64_t h = img.size(-2), w = img.size(-1);
  if (ch > h || cw > w) {
    const int64_t pl = cw > w ? (cw - w) / 2 : 0, pt = ch > h ? (ch - h) / 2 : 0;
    const int64_t pr = cw > w ? (cw - w + 1) / 2 : 0, pb = ch > h ? (ch - h + 1) / 2 : 0;
    img = at::constant_pad_nd(img, {pl, pr, pt, pb}, 0.0);
    h = img.size(-2);
    w = img.size(-1);
  }
  const int64_t top = round_half_even((h - ch) / 2.0), left = round_half_even((w - cw) / 2.0);
  return img.slice(-2, top, top + ch).slice(-1, left, left + cw).contiguous();
}

void check_first_frame_resize(const RgbImage& im, int64_t rw, int64_t rh, const std::string& purpose) {
  constexpr double kMaxResizedPixels = double(int64_t(1) << 26);
  if (static_cast<double>(rw) * static_cast<double>(rh) > kMaxResizedPixels)
    throw Error("first frame: a " + std::to_string(im.width) + "x" + std::to_string(im.height) +
                " picture is too elongated for " + purpose + " (it would be resized to " + std::to_string(rw) + "x" +
                std::to_string(rh) + " pixels, more than 64 megapixels): crop it first");
}

torch::Tensor preprocess_first_frame(const RgbImage& im, int64_t height, int64_t width, bool cover) {
  auto x = image_to_tensor(im);  // [3, H, W] in [0, 1]
  // Shorter side -> height (the reference's Resize(height)); for an output wider than the image allows,
  // enlarge so the crop stays inside the picture (the reference pads with black bars there: cover = false).
  int64_t target = height;
  const double ih = im.height, iw = im.width;
  const int64_t shorter = std::min(im.height, im.width);
  auto covers = [&](int64_t s) {
    const int64_t longer = static_cast<int64_t>(static_cast<double>(s) * std::max(ih, iw) / shorter);
    const int64_t nh = ih <= iw ? s : longer, nw = ih <= iw ? longer : s;
    return nh >= height && nw >= width;
  };
  while (cover && !covers(target) && target < 16 * std::max(height, width)) ++target;
  {
    const auto longer = static_cast<int64_t>(static_cast<double>(target) * std::max(ih, iw) / shorter);
    check_first_frame_resize(im, longer, target,
                             "a " + std::to_string(width) + "x" + std::to_string(height) + " clip");
  }
  x = resize_shorter_side(x, target);
  x = center_crop(x, height, width);
  return (x - 0.5) / 0.5;  // [3, height, width] in [-1, 1]
}

torch::Tensor preprocess_first_frame_pad(const RgbImage& im, int64_t height, int64_t width) {
  auto x = image_to_tensor(im);
  const double s = std::min(static_cast<double>(height) / im.height, static_cast<double>(width) / im.width);
  const int64_t nh = std::max<int64_t>(1, std::min<int64_t>(height, std::llround(im.height * s)));
  const int64_t nw = std::max<int64_t>(1, std::min<int64_t>(width, std::llround(im.width * s)));
  x = at::upsample_bilinear2d(x.unsqueeze(0), {nh, nw}, false).squeeze(0);
  x = (x - 0.5) / 0.5;
  const int64_t pt = (height - nh) / 2, pl = (width - nw) / 2;
  return at::constant_pad_nd(x, {pl, width - nw - pl, pt, height - nh - pt}, 0.0);
}

}  // namespace ci2v
