// Fitting a first frame to the model size. CropCenter reproduces the reference preprocessing
// (torchvision ToTensor -> Resize(short side, bilinear, no antialias) -> CenterCrop) exactly in float.
#pragma once
#include <vector>

#include "engine/media/image.h"

namespace ci2v::media {

enum class FitMode {
  CropCenter,  // resize so the image covers the target, then centre crop (the reference for square targets)
  Pad,         // resize so the image fits inside the target, then pad with the background colour
};

// The reference's resize + centre crop for a source of src_w x src_h and a target of width x height:
// the side that limits the cover becomes the target (the other side int(target * long / short), truncated),
// then crop offsets round((H' - height) / 2), round((W' - width) / 2) with round-half-to-even.
// For square targets this is torchvision's Resize(height) + CenterCrop(height).
struct ResizeCropPlan {
  int resize_width = 0, resize_height = 0;
  int top = 0, left = 0;
};
ResizeCropPlan plan_resize_center_crop(int src_w, int src_h, int width, int height);

// torch.nn.functional.interpolate(mode="bilinear", align_corners=False, antialias=False) on a float tensor
// [c, h, w] (contiguous CHW) -> [c, out_h, out_w], with torch's index/weight arithmetic in float.
std::vector<float> resize_bilinear_f32(const float* chw, int c, int h, int w, int out_h, int out_w);

// ToTensor: [3, H, W] float, v / 255.
std::vector<float> image_to_chw_f32(const Image& image);

// Crop a [c, h, w] tensor to rows [top, top + out_h) and columns [left, left + out_w).
std::vector<float> crop_chw_f32(const float* chw, int c, int h, int w, int top, int left, int out_h, int out_w);

// The reference first-frame preprocessing: ToTensor, resize + centre crop (plan_resize_center_crop),
// Normalize(0.5, 0.5). Returns [3, height, width] in [-1, 1].
std::vector<float> preprocess_reference(const Image& image, int width, int height);

// Fit an image to width x height (uint8 result, computed with the float resize above, rounded).
Image fit_image(const Image& image, int width, int height, FitMode mode = FitMode::CropCenter,
                Rgb background = {0, 0, 0});

}  // namespace ci2v::media
