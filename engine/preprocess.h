// First-frame preprocessing exactly as the reference does it on a tensor (torchvision ToTensor, Resize
// without antialias, CenterCrop with round-half-even offsets, Normalize(0.5, 0.5)).
#pragma once
#include <torch/torch.h>

#include "engine/pipeline.h"

namespace ci2v {

// RGB24 image -> [3, H, W] float32 in [0, 1].
torch::Tensor image_to_tensor(const RgbImage& im);
// [3, H, W] -> [3, H', W'] with the shorter side = `size`, the longer int(size * long / short) (truncated);
// bilinear, align_corners=False, no antialias. Unchanged when the shorter side already equals `size`.
torch::Tensor resize_shorter_side(const torch::Tensor& chw, int64_t size);
// Before a first frame is resized to rw x rh (a cover before the crop, or a camera preset's canvas): a very
// elongated picture (2000000 x 1) would need gigapixels. Throws ci2v::Error naming the picture's size, `purpose`
// ("a 256x256 clip") and the resize when it is more than 64 megapixels.
void check_first_frame_resize(const RgbImage& im, int64_t rw, int64_t rh, const std::string& purpose);
// Centre crop to (h, w): offsets round((H - h) / 2) with round-half-to-even; zero padding where the crop
// is larger than the image (torchvision semantics).
torch::Tensor center_crop(const torch::Tensor& chw, int64_t h, int64_t w);
// The reference's default preprocessing: resize shorter side to `height`, centre crop, normalise to [-1, 1].
// Returns [3, height, width]. cover: for an output wider than the resized picture, enlarge it further so that it
// covers height x width (the studio's and CLI's choice); false: exactly the reference's Resize + CenterCrop,
// whose crop then takes black bars beside the picture (what parity runs use).
torch::Tensor preprocess_first_frame(const RgbImage& im, int64_t height, int64_t width, bool cover = true);
// Fit by padding instead: scale to fit inside, pad with mid grey (0 after normalisation). [3, height, width].
torch::Tensor preprocess_first_frame_pad(const RgbImage& im, int64_t height, int64_t width);
// Python's round() on a double (round half to even).
int64_t round_half_even(double v);

}  // namespace ci2v
