// The camera layout video (LibTorch): the crops of a CameraPath (engine/camera_path.h) rendered from the
// first frame and resized to the output size.
#pragma once
#include <torch/torch.h>

#include "engine/camera_path.h"

namespace ci2v::sampling {

// The layout video: per crop, the window of `image` ([3, H, W] float, normalised to [−1, 1]) with zeros
// outside the image (torchvision crop padding: 0 = mid grey after normalisation), then resized to
// out_h × out_w with bilinear interpolation, align_corners=False, no antialias, when its size differs.
// Returns [N, 3, out_h, out_w] in the image's dtype and device.
torch::Tensor render_layout_video(const torch::Tensor& image, const std::vector<CropRect>& crops, int64_t out_h,
                                  int64_t out_w);
// One crop with torchvision's zero padding (no resize): [C, height, width].
torch::Tensor crop_with_padding(const torch::Tensor& image, const CropRect& crop);

}  // namespace ci2v::sampling
