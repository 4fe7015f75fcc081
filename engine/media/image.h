// Still images for the first frame: decode with the FFmpeg libraries (PNG, JPEG, WebP, BMP, ... 8 and 16 bit),
// alpha composited on a background colour, EXIF orientation applied. Torch-free, Qt-free.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "engine/image.h"

namespace ci2v::media {

struct Rgb {
  uint8_t r = 0, g = 0, b = 0;
  bool operator==(const Rgb&) const = default;
};

// RGB24, row-major, no padding: the engine's image type (engine/image.h).
using Image = ci2v::RgbImage;

// How 16-bit samples become 8-bit.
enum class Depth16 {
  HighByte,  // v >> 8: what PIL does for 16-bit RGB(A) PNGs, so the reference's preprocessing sees the same values
  Round,     // round(v * 255 / 65535)
};

struct LoadOptions {
  Rgb background{255, 255, 255};     // transparent pixels are composited on this colour
  bool composite_alpha = true;       // false: drop the alpha channel as PIL's convert("RGB") does
  bool apply_exif_orientation = true;  // the reference (PIL) ignores EXIF orientation; phones need it
  Depth16 depth16 = Depth16::HighByte;
};

// Decode the first frame of an image (or video) file. Throws ci2v::Error naming the path and the cause.
Image load_image(const std::string& path, const LoadOptions& options = {});

// Apply an EXIF orientation code (1..8) to an image: 2 mirror, 3 rotate 180, 4 flip, 5 transpose,
// 6 rotate 90 clockwise, 7 transverse, 8 rotate 90 counter-clockwise. Other codes return the image unchanged.
Image apply_orientation(const Image& image, int exif_orientation);

}  // namespace ci2v::media
