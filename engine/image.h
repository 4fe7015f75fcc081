// The one image type of the engine, the media library, the CLI and the app: RGB24, row-major, no padding
// (rgb.size() == width * height * 3). Torch-free, Qt-free.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ci2v {

struct RgbImage {
  int width = 0, height = 0;
  std::vector<uint8_t> rgb;

  RgbImage() = default;
  RgbImage(int w, int h) : width(w), height(h), rgb(static_cast<size_t>(w) * h * 3, 0) {}
  bool empty() const { return width <= 0 || height <= 0; }
  uint8_t* at(int x, int y) { return rgb.data() + (static_cast<size_t>(y) * width + x) * 3; }
  const uint8_t* at(int x, int y) const { return rgb.data() + (static_cast<size_t>(y) * width + x) * 3; }
};

}  // namespace ci2v
