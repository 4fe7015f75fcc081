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

// A synthetic picture for benchmarks and checks without an image file: red and green ramps with a blue checker.
inline RgbImage test_pattern(int width, int height) {
  RgbImage im(width, height);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      uint8_t* p = im.at(x, y);
      p[0] = static_cast<uint8_t>(x * 255 / width);
      p[1] = static_cast<uint8_t>(y * 255 / height);
      p[2] = static_cast<uint8_t>(((x / 16 + y / 16) % 2) * 200);
    }
  return im;
}

}  // namespace ci2v
