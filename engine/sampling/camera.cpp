#include "engine/sampling/camera.h"

#include "engine/error.h"

namespace ci2v::sampling {

// ---------------------------------------------------------------------------------------------------------
// Layout video

torch::Tensor crop_with_padding(const torch::Tensor& image, const CropRect& c) {
  if (!image.defined() || image.dim() != 3)
    throw Error("camera crop: the image must be [C, H, W], got " +
                (image.defined() ? shape_str(image.sizes().vec()) : std::string("an undefined tensor")));
  if (c.width < 1 || c.height < 1)
    throw Error("camera crop: size must be positive, got " + std::to_string(c.width) + "x" + std::to_string(c.height));
  const int64_t H = image.size(1), W = image.size(2);
  torch::Tensor out = torch::zeros({image.size(0), c.height, c.width}, image.options());  // [C, h, w]
  const int64_t x0 = std::max<int64_t>(c.left, 0), x1 = std::min<int64_t>(c.left + c.width, W);
  const int64_t y0 = std::max<int64_t>(c.top, 0), y1 = std::min<int64_t>(c.top + c.height, H);
  if (x1 > x0 && y1 > y0) {
    out.slice(1, y0 - c.top, y1 - c.top)
        .slice(2, x0 - c.left, x1 - c.left)
        .copy_(image.slice(1, y0, y1).slice(2, x0, x1));
  }
  return out;
}

torch::Tensor render_layout_video(const torch::Tensor& image, const std::vector<CropRect>& crops, int64_t out_h,
                                  int64_t out_w) {
  if (crops.empty()) throw Error("layout video: no crops");
  if (out_h < 1 || out_w < 1)
    throw Error("layout video: output size must be positive, got " + std::to_string(out_h) + "x" + std::to_string(out_w));
  std::vector<torch::Tensor> frames;
  frames.reserve(crops.size());
  for (const CropRect& c : crops) {
    torch::Tensor f = crop_with_padding(image, c);  // [3, h, w]
    if (c.height != out_h || c.width != out_w) {
      namespace F = torch::nn::functional;
      f = F::interpolate(f.unsqueeze(0), F::InterpolateFuncOptions()
                                              .size(std::vector<int64_t>{out_h, out_w})
                                              .mode(torch::kBilinear)
                                              .align_corners(false))
              .squeeze(0);  // [3, out_h, out_w]
    }
    frames.push_back(f);
  }
  return torch::stack(frames);  // [N, 3, out_h, out_w]
}

}  // namespace ci2v::sampling
