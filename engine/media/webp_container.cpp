#include "engine/media/webp_container.h"

#include <algorithm>
#include <cstring>

namespace ci2v::media::webp {

namespace {

uint32_t le32(const uint8_t* p) { return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24; }
uint32_t le24(const uint8_t* p) { return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16; }
void put32(std::vector<uint8_t>& v, uint32_t x) {
  for (int i = 0; i < 4; ++i) v.push_back(uint8_t(x >> (8 * i)));
}
void put24(std::vector<uint8_t>& v, uint32_t x) {
  for (int i = 0; i < 3; ++i) v.push_back(uint8_t(x >> (8 * i)));
}
void set32(uint8_t* p, uint32_t x) {
  for (int i = 0; i < 4; ++i) p[i] = uint8_t(x >> (8 * i));
}

struct Chunk {
  uint32_t fourcc;
  size_t offset;   // of the chunk header
  size_t size;     // payload size
  const uint8_t* payload;
};

constexpr uint32_t tag(const char* s) { return uint32_t(uint8_t(s[0])) | uint32_t(uint8_t(s[1])) << 8 | uint32_t(uint8_t(s[2])) << 16 | uint32_t(uint8_t(s[3])) << 24; }

// Chunks in [begin, end) of data; throws on a truncated chunk.
std::vector<Chunk> chunks(const uint8_t* data, size_t begin, size_t end, const std::string& what) {
  std::vector<Chunk> out;
  size_t pos = begin;
  while (pos + 8 <= end) {
    const uint32_t size = le32(data + pos + 4);
    if (size > end - pos - 8)
      throw Error("cannot read '" + what + "': WebP chunk at byte " + std::to_string(pos) + " claims " +
                  std::to_string(size) + " bytes, only " + std::to_string(end - pos - 8) + " remain");
    out.push_back({le32(data + pos), pos, size, data + pos + 8});
    pos += 8 + size + (size & 1);
  }
  return out;
}

size_t riff_end(const uint8_t* data, size_t size) {
  return std::min<size_t>(size, size_t(8) + le32(data + 4));
}

void append_chunk(std::vector<uint8_t>& v, const Chunk& c) {
  const uint8_t* start = c.payload - 8;
  v.insert(v.end(), start, start + 8 + c.size);
  if (c.size & 1) v.push_back(0);
}

}  // namespace

bool is_webp(const uint8_t* data, size_t size) {
  return size >= 12 && std::memcmp(data, "RIFF", 4) == 0 && std::memcmp(data + 8, "WEBP", 4) == 0;
}

int exif_orientation(const uint8_t* data, size_t size) {
  if (size >= 6 && std::memcmp(data, "Exif\0\0", 6) == 0) data += 6, size -= 6;
  if (size < 8) return 1;
  const bool le = data[0] == 'I' && data[1] == 'I';
  if (!le && !(data[0] == 'M' && data[1] == 'M')) return 1;
  auto u16 = [&](size_t at) { return le ? uint32_t(data[at] | data[at + 1] << 8) : uint32_t(data[at] << 8 | data[at + 1]); };
  auto u32 = [&](size_t at) { return le ? u16(at) | u16(at + 2) << 16 : u16(at) << 16 | u16(at + 2); };
  if (u16(2) != 42) return 1;
  const size_t ifd = u32(4);
  if (ifd > size - 2) return 1;
  const uint32_t n = u16(ifd);
  for (uint32_t i = 0; i < n; ++i) {
    const size_t e = ifd + 2 + size_t(i) * 12;
    if (e + 12 > size) return 1;
    if (u16(e) == 0x0112 && u16(e + 2) == 3) {  // Orientation, SHORT: the value sits in the entry itself
      const uint32_t v = u16(e + 8);
      return v >= 1 && v <= 8 ? static_cast<int>(v) : 1;
    }
  }
  return 1;
}

Info parse(const uint8_t* data, size_t size, const std::string& what, int max_frames) {
  if (!is_webp(data, size)) throw Error("cannot read '" + what + "': not a WebP file (no RIFF/WEBP header)");
  Info info;
  const size_t end = riff_end(data, size);
  for (const Chunk& c : chunks(data, 12, end, what)) {
    if (c.fourcc == tag("VP8X")) {
      if (c.size < 10) throw Error("cannot read '" + what + "': VP8X chunk is " + std::to_string(c.size) + " bytes, expected 10");
      info.animated = c.payload[0] & 0x02;
      info.canvas_width = int(le24(c.payload + 4)) + 1;
      info.canvas_height = int(le24(c.payload + 7)) + 1;
      if (static_cast<int64_t>(info.canvas_width) * info.canvas_height > ff::kMaxPixels)
        throw Error("cannot read '" + what + "': WebP canvas " + std::to_string(info.canvas_width) + "x" +
                    std::to_string(info.canvas_height) + " is larger than supported");
    } else if (c.fourcc == tag("EXIF")) {
      info.orientation = exif_orientation(c.payload, c.size);
    } else if (c.fourcc == tag("ANIM")) {
      if (c.size < 6) throw Error("cannot read '" + what + "': ANIM chunk is " + std::to_string(c.size) + " bytes, expected 6");
      info.loop = c.payload[4] | c.payload[5] << 8;
    } else if (c.fourcc == tag("ANMF")) {
      if (c.size < 16) throw Error("cannot read '" + what + "': ANMF chunk is " + std::to_string(c.size) + " bytes, expected >= 16");
      if (max_frames > 0 && static_cast<int>(info.frames.size()) >= max_frames) continue;
      Frame f;
      f.x = int(le24(c.payload)) * 2;
      f.y = int(le24(c.payload + 3)) * 2;
      f.width = int(le24(c.payload + 6)) + 1;
      f.height = int(le24(c.payload + 9)) + 1;
      f.duration_ms = int(le24(c.payload + 12));
      f.blend = !(c.payload[15] & 0x02);
      f.dispose = c.payload[15] & 0x01;
      const size_t sub_begin = static_cast<size_t>(c.payload - data) + 16;
      const Chunk* alph = nullptr;
      const Chunk* image = nullptr;
      auto subs = chunks(data, sub_begin, sub_begin + c.size - 16, what);
      for (const Chunk& s : subs) {
        if (s.fourcc == tag("ALPH") && !alph) alph = &s;
        if ((s.fourcc == tag("VP8 ") || s.fourcc == tag("VP8L")) && !image) image = &s;
      }
      if (!image)
        throw Error("cannot read '" + what + "': WebP animation frame " + std::to_string(info.frames.size()) +
                    " has no VP8/VP8L image data");
      std::vector<uint8_t>& b = f.bitstream;
      b = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'};
      if (alph && image->fourcc == tag("VP8 ")) {
        b.insert(b.end(), {'V', 'P', '8', 'X'});
        put32(b, 10);
        b.push_back(0x10);  // alpha
        b.insert(b.end(), {0, 0, 0});
        put24(b, uint32_t(f.width - 1));
        put24(b, uint32_t(f.height - 1));
        append_chunk(b, *alph);
      }
      append_chunk(b, *image);
      set32(b.data() + 4, uint32_t(b.size() - 8));
      info.frames.push_back(std::move(f));
    } else if ((c.fourcc == tag("VP8 ") || c.fourcc == tag("VP8L")) && info.frames.empty()) {
      Frame f;  // a still image: the whole file is the bitstream
      f.bitstream.assign(data, data + end);
      set32(f.bitstream.data() + 4, uint32_t(f.bitstream.size() - 8));
      info.frames.push_back(std::move(f));
    }
  }
  if (info.frames.empty()) throw Error("cannot read '" + what + "': the WebP file holds no image");
  return info;
}

void decode_frames(const Info& info, const std::string& what,
                   const std::function<bool(const ff::Rgba& canvas, int duration_ms)>& sink) {
  ff::Rgba canvas;
  for (size_t i = 0; i < info.frames.size(); ++i) {
    const Frame& f = info.frames[i];
    ff::FramePtr av = ff::decode_single(AV_CODEC_ID_WEBP, f.bitstream.data(), f.bitstream.size(),
                                        what + " (frame " + std::to_string(i) + ")");
    // VP8 chroma is sited at the centre of each 2x2 block (libwebp averages the block when encoding).
    if (av->chroma_location == AVCHROMA_LOC_UNSPECIFIED) av->chroma_location = AVCHROMA_LOC_CENTER;
    ff::Rgba img = ff::frame_to_rgba(av.get(), what);
    if (f.width == 0) {  // still image
      if (!sink(img, f.duration_ms)) return;
      continue;
    }
    if (img.width != f.width || img.height != f.height)
      throw Error("cannot read '" + what + "': WebP frame " + std::to_string(i) + " decodes to " +
                  std::to_string(img.width) + "x" + std::to_string(img.height) + ", its ANMF header says " +
                  std::to_string(f.width) + "x" + std::to_string(f.height));
    if (img.bits != 8)  // VP8 and VP8L are 8-bit formats
      throw Error("cannot read '" + what + "': WebP frame " + std::to_string(i) + " decodes to " +
                  std::to_string(img.bits) + "-bit samples, expected 8");
    if (canvas.empty()) {
      canvas.width = info.canvas_width > 0 ? info.canvas_width : f.x + f.width;
      canvas.height = info.canvas_height > 0 ? info.canvas_height : f.y + f.height;
      // without a VP8X chunk the first frame's offset sets the canvas: held to the decoder's pixel limit too
      if (static_cast<int64_t>(canvas.width) * canvas.height > ff::kMaxPixels)
        throw Error("cannot read '" + what + "': its " + std::to_string(canvas.width) + "x" +
                    std::to_string(canvas.height) + " canvas is more than the " +
                    std::to_string(ff::kMaxPixels / 1000000) + " megapixels supported");
      canvas.has_alpha = true;
      canvas.allocate(8);
    }
    if (f.x + f.width > canvas.width || f.y + f.height > canvas.height)
      throw Error("cannot read '" + what + "': WebP frame " + std::to_string(i) + " lies outside the " +
                  std::to_string(canvas.width) + "x" + std::to_string(canvas.height) + " canvas");
    for (int y = 0; y < f.height; ++y)
      for (int x = 0; x < f.width; ++x) {
        const uint8_t* s = img.px8.data() + (static_cast<size_t>(y) * f.width + x) * 4;
        uint8_t* d = canvas.px8.data() + (static_cast<size_t>(y + f.y) * canvas.width + x + f.x) * 4;
        if (!f.blend || s[3] == 255 || !img.has_alpha) {
          std::copy(s, s + 4, d);
          if (!img.has_alpha) d[3] = 255;
        } else {  // non-premultiplied "over"
          const unsigned sa = s[3], da = d[3];
          const unsigned da2 = da * (255 - sa) / 255;
          const unsigned oa = sa + da2;
          for (int c = 0; c < 3; ++c) d[c] = oa ? uint8_t((s[c] * sa + d[c] * da2 + oa / 2) / oa) : 0;
          d[3] = uint8_t(oa);
        }
      }
    if (!sink(canvas, f.duration_ms)) return;
    if (f.dispose)
      for (int y = 0; y < f.height; ++y)
        std::fill_n(canvas.px8.data() + (static_cast<size_t>(y + f.y) * canvas.width + f.x) * 4, f.width * 4, 0);
  }
}

void make_animated(std::vector<uint8_t>& file, int width, int height, int duration_ms, int loop_count) {
  if (!is_webp(file.data(), file.size())) throw Error("internal: the WebP encoder output has no RIFF/WEBP header");
  const auto cs = chunks(file.data(), 12, riff_end(file.data(), file.size()), "WebP output");
  std::vector<uint8_t> image;  // the still's ALPH / VP8 / VP8L chunks, as they are
  bool alpha = false;
  for (const Chunk& c : cs) {
    if (c.fourcc == tag("ANIM")) return;  // animated already
    if (c.fourcc == tag("ALPH") || c.fourcc == tag("VP8 ") || c.fourcc == tag("VP8L")) {
      alpha |= c.fourcc == tag("ALPH");
      append_chunk(image, c);
    }
  }
  std::vector<uint8_t> out = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X'};
  put32(out, 10);
  out.push_back(uint8_t(0x02 | (alpha ? 0x10 : 0)));  // animation (and alpha)
  out.insert(out.end(), {0, 0, 0});
  put24(out, uint32_t(width - 1));
  put24(out, uint32_t(height - 1));
  out.insert(out.end(), {'A', 'N', 'I', 'M'});
  put32(out, 6);
  out.insert(out.end(), {255, 255, 255, 255});  // background colour (white, opaque)
  out.push_back(uint8_t(loop_count & 255));
  out.push_back(uint8_t((loop_count >> 8) & 255));
  out.insert(out.end(), {'A', 'N', 'M', 'F'});
  put32(out, uint32_t(16 + image.size()));
  put24(out, 0);  // x / 2
  put24(out, 0);  // y / 2
  put24(out, uint32_t(width - 1));
  put24(out, uint32_t(height - 1));
  put24(out, uint32_t(std::clamp(duration_ms, 1, 0xFFFFFF)));
  out.push_back(0x02);  // no blending, no disposal
  out.insert(out.end(), image.begin(), image.end());
  set32(out.data() + 4, uint32_t(out.size() - 8));
  file = std::move(out);
}

void set_loop_count(std::vector<uint8_t>& file, int loop_count) {
  if (!is_webp(file.data(), file.size())) return;
  for (const Chunk& c : chunks(file.data(), 12, riff_end(file.data(), file.size()), "WebP output"))
    if (c.fourcc == tag("ANIM") && c.size >= 6) {
      uint8_t* p = file.data() + c.offset + 8 + 4;
      p[0] = uint8_t(loop_count & 255);
      p[1] = uint8_t((loop_count >> 8) & 255);
    }
}

void add_xmp(std::vector<uint8_t>& file, const std::string& xmp, int width, int height) {
  if (!is_webp(file.data(), file.size())) throw Error("internal: the WebP encoder output has no RIFF/WEBP header");
  file.resize(riff_end(file.data(), file.size()));
  auto cs = chunks(file.data(), 12, file.size(), "WebP output");
  bool has_vp8x = false;
  for (const Chunk& c : cs)
    if (c.fourcc == tag("VP8X")) {
      file[c.offset + 8] |= 0x04;  // XMP flag
      has_vp8x = true;
    }
  if (!has_vp8x) {  // a simple (one-frame) file: insert VP8X so that readers look for metadata
    bool alpha = false;
    for (const Chunk& c : cs) alpha |= c.fourcc == tag("ALPH");
    std::vector<uint8_t> x = {'V', 'P', '8', 'X'};
    put32(x, 10);
    x.push_back(uint8_t(0x04 | (alpha ? 0x10 : 0)));
    x.insert(x.end(), {0, 0, 0});
    put24(x, uint32_t(width - 1));
    put24(x, uint32_t(height - 1));
    file.insert(file.begin() + 12, x.begin(), x.end());
  }
  file.insert(file.end(), {'X', 'M', 'P', ' '});
  put32(file, uint32_t(xmp.size()));
  file.insert(file.end(), xmp.begin(), xmp.end());
  if (xmp.size() & 1) file.push_back(0);
  set32(file.data() + 4, uint32_t(file.size() - 8));
}

std::string find_xmp(const uint8_t* data, size_t size) {
  if (!is_webp(data, size)) return {};
  for (const Chunk& c : chunks(data, 12, riff_end(data, size), "WebP file"))
    if (c.fourcc == tag("XMP ")) return std::string(reinterpret_cast<const char*>(c.payload), c.size);
  return {};
}

}  // namespace ci2v::media::webp
