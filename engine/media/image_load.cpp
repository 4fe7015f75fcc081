// load_image: the first frame of an image file through libavformat/libavcodec (WebP through its RIFF
// container), alpha composited, 16-bit reduced, EXIF orientation applied.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

extern "C" {
#include <libavutil/display.h>
}

#include "engine/media/ff_common.h"
#include "engine/media/image.h"
#include "engine/media/webp_container.h"

namespace ci2v::media {

namespace {

// The EXIF orientation of a decoded frame: the "Orientation" metadata that FFmpeg's JPEG decoder exports,
// else the display matrix side data (rotation and a flip), else 1.
int frame_orientation(const AVFrame* f) {
  if (const AVDictionaryEntry* e = av_dict_get(f->metadata, "Orientation", nullptr, 0)) {
    char* end = nullptr;
    const long v = std::strtol(e->value, &end, 10);
    if (end != e->value && v >= 1 && v <= 8) return static_cast<int>(v);
  }
  if (const AVFrameSideData* sd = av_frame_get_side_data(f, AV_FRAME_DATA_DISPLAYMATRIX)) {
    if (sd->size >= 9 * sizeof(int32_t)) {
      const int32_t* m = reinterpret_cast<const int32_t*>(sd->data);
      const double rot = av_display_rotation_get(m);  // counter-clockwise degrees of the display transform
      if (std::isnan(rot)) return 1;
      const bool flip = static_cast<int64_t>(m[0]) * m[4] - static_cast<int64_t>(m[1]) * m[3] < 0;
      int a = static_cast<int>(std::lround(rot / 90.0)) % 4;
      if (a < 0) a += 4;  // 0: none, 1: 90 ccw, 2: 180, 3: 90 cw
      static const int plain[4] = {1, 8, 3, 6}, flipped[4] = {4, 7, 2, 5};
      return flip ? flipped[a] : plain[a];
    }
  }
  return 1;
}

// The EXIF orientation a PNG (its eXIf chunk) or a TIFF (its own first IFD) carries, which FFmpeg's decoders do not
// export; 0 when there is none.
int container_orientation(const std::string& path, const uint8_t* head, size_t n) {
  static const uint8_t kPng[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  if (n >= 8 && std::memcmp(head, kPng, 8) == 0) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!f || std::fseek(f.get(), 8, SEEK_SET) != 0) return 0;
    uint8_t h[8];
    for (int chunks = 0; chunks < 100000 && std::fread(h, 1, 8, f.get()) == 8; ++chunks) {
      const uint32_t len = uint32_t(h[0]) << 24 | uint32_t(h[1]) << 16 | uint32_t(h[2]) << 8 | h[3];
      if (std::memcmp(h + 4, "eXIf", 4) == 0) {
        if (len > (1u << 20)) return 0;
        std::vector<uint8_t> exif(len);
        if (std::fread(exif.data(), 1, len, f.get()) != len) return 0;
        return webp::exif_orientation(exif.data(), exif.size());
      }
      if (std::memcmp(h + 4, "IDAT", 4) == 0 || std::memcmp(h + 4, "IEND", 4) == 0) return 0;  // (eXIf comes first)
      if (std::fseek(f.get(), static_cast<long>(len) + 4, SEEK_CUR) != 0) return 0;
    }
    return 0;
  }
  const bool tiff = n >= 4 && ((head[0] == 'I' && head[1] == 'I' && head[2] == 42 && head[3] == 0) ||
                               (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && head[3] == 42));
  if (tiff) {
    const std::vector<uint8_t> data = ff::read_file(path);  // (its IFD may lie anywhere in it)
    return webp::exif_orientation(data.data(), data.size());
  }
  return 0;
}

}  // namespace

Image apply_orientation(const Image& in, int o) {
  if (o < 2 || o > 8 || in.empty()) return in;
  const int W = in.width, H = in.height;
  const bool swap = o >= 5;
  Image out(swap ? H : W, swap ? W : H);
  for (int Y = 0; Y < out.height; ++Y)
    for (int X = 0; X < out.width; ++X) {
      int x = X, y = Y;
      switch (o) {
        case 2: x = W - 1 - X; break;
        case 3: x = W - 1 - X, y = H - 1 - Y; break;
        case 4: y = H - 1 - Y; break;
        case 5: x = Y, y = X; break;
        case 6: x = Y, y = H - 1 - X; break;
        case 7: x = W - 1 - Y, y = H - 1 - X; break;
        case 8: x = W - 1 - Y, y = X; break;
      }
      std::memcpy(out.at(X, Y), in.at(x, y), 3);
    }
  return out;
}

Image load_image(const std::string& path, const LoadOptions& opt) {
  const bool round16 = opt.depth16 == Depth16::Round;
  uint8_t head[16] = {0};
  size_t n = 0;
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    n = std::fread(head, 1, sizeof(head), f);
    std::fclose(f);
  }
  // WebP: FFmpeg 5.1 cannot demux animated WebP; take its first frame through the RIFF container.
  {
    if (webp::is_webp(head, n)) {
      const std::vector<uint8_t> data = ff::read_file(path);
      const webp::Info info = webp::parse(data.data(), data.size(), path, 1);
      Image out;
      webp::decode_frames(info, path, [&](const ff::Rgba& canvas, int) {
        out = rgba_to_image(canvas, opt.background, opt.composite_alpha, round16);
        return false;
      });
      return opt.apply_exif_orientation ? apply_orientation(out, info.orientation) : out;
    }
  }
  ff::InputFile in(path);
  ff::VideoDecoder dec(in);
  ff::FramePtr frame = ff::make_frame();
  bool got = false;
  try {
    got = dec.next(frame.get());
  } catch (const Error&) {
    ff::throw_if_refused_for_size(path);  // (the decoder's own message says only "invalid data")
    throw;
  }
  if (!got) {
    ff::throw_if_refused_for_size(path);
    throw Error("cannot read '" + path + "': the file holds no decodable image");
  }
  Image img = ff::rgba_to_image(ff::frame_to_rgba(frame.get(), path), opt.background, opt.composite_alpha, round16);
  if (opt.apply_exif_orientation) {
    int o = frame_orientation(frame.get());
    if (o == 1) o = std::max(1, container_orientation(path, head, n));
    img = apply_orientation(img, o);
  }
  return img;
}

}  // namespace ci2v::media
