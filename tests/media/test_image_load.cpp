// load_image: formats, bit depths, alpha, EXIF orientation, errors.
#include <gtest/gtest.h>
extern "C" {
#include <libavutil/crc.h>
}

#include "engine/error.h"
#include "engine/media/ff_common.h"
#include "engine/media/image.h"
#include "engine/media/webp_container.h"
#include "tests/media/media_test_util.h"

using namespace ci2v::media;
using namespace ci2v::media::testing;

namespace {

struct Quiet {
  Quiet() { quiet_ffmpeg(); }
} quiet;

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const ci2v::Error& e) {
    return e.what();
  }
  return "(no ci2v::Error thrown)";
}

// A JPEG with an APP1 EXIF segment holding only the Orientation tag, inserted after SOI.
std::vector<uint8_t> with_exif_orientation(std::vector<uint8_t> jpeg, int orientation, bool big_endian) {
  std::vector<uint8_t> tiff;
  if (big_endian)
    tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, uint8_t(orientation), 0, 0, 0, 0, 0, 0};
  else
    tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, uint8_t(orientation), 0, 0, 0, 0, 0, 0, 0};
  std::vector<uint8_t> app1 = {0xFF, 0xE1, 0, 0, 'E', 'x', 'i', 'f', 0, 0};
  app1.insert(app1.end(), tiff.begin(), tiff.end());
  const size_t len = app1.size() - 2;
  app1[2] = uint8_t(len >> 8), app1[3] = uint8_t(len & 255);
  jpeg.insert(jpeg.begin() + 2, app1.begin(), app1.end());
  return jpeg;
}

}  // namespace

TEST(LoadImage, Png8BitIsExact) {
  TempDir dir;
  const Image src = test_picture(37, 23);
  write_file(dir / "a.png", encode_rgb24("png", src));
  const Image got = load_image(dir / "a.png");
  EXPECT_EQ(got.width, 37);
  EXPECT_EQ(got.height, 23);
  EXPECT_EQ(got.rgb, src.rgb);
}

TEST(LoadImage, BmpIsExact) {
  TempDir dir;
  const Image src = test_picture(19, 13);
  write_file(dir / "a.bmp", encode_rgb24("bmp", src, {}, AV_PIX_FMT_BGR24));
  EXPECT_EQ(load_image(dir / "a.bmp").rgb, src.rgb);
}

TEST(LoadImage, WebPLosslessIsExactAndLossyIsClose) {
  if (!avcodec_find_encoder_by_name("libwebp")) GTEST_FAIL() << "this FFmpeg has no libwebp encoder";
  TempDir dir;
  const Image src = test_picture(40, 30);
  auto webp = [&](bool lossless) {
    return encode_still("libwebp", AV_PIX_FMT_RGB32, src.width, src.height, [&](AVFrame* f) {
      for (int y = 0; y < src.height; ++y) {
        uint32_t* row = reinterpret_cast<uint32_t*>(f->data[0] + y * f->linesize[0]);
        for (int x = 0; x < src.width; ++x) {
          const uint8_t* s = src.at(x, y);
          row[x] = 0xFF000000u | s[0] << 16 | s[1] << 8 | s[2];
        }
      }
    }, {{"lossless", lossless ? "1" : "0"}, {"quality", "100"}});
  };
  write_file(dir / "l.webp", webp(true));
  EXPECT_EQ(load_image(dir / "l.webp").rgb, src.rgb);
  // Smooth content for the lossy check (the test picture is high-frequency on purpose).
  write_file(dir / "q.webp", encode_still("libwebp", AV_PIX_FMT_RGB32, 48, 32, [&](AVFrame* f) {
    for (int y = 0; y < 32; ++y) {
      uint32_t* row = reinterpret_cast<uint32_t*>(f->data[0] + y * f->linesize[0]);
      for (int x = 0; x < 48; ++x) row[x] = 0xFF000000u | (60 + 3 * x) << 16 | (50 + 4 * y) << 8 | 120;
    }
  }, {{"lossless", "0"}, {"quality", "95"}}));
  const Image q = load_image(dir / "q.webp");
  ASSERT_EQ(q.width, 48);
  ASSERT_EQ(q.height, 32);
  double err = 0;
  for (int y = 0; y < 32; ++y)
    for (int x = 0; x < 48; ++x) {
      const uint8_t* p = q.at(x, y);
      err += std::abs(p[0] - (60 + 3 * x)) + std::abs(p[1] - (50 + 4 * y)) + std::abs(p[2] - 120);
    }
  EXPECT_LT(err / (48 * 32 * 3), 3.0);
}

TEST(LoadImage, RgbaPngIsCompositedOnTheBackgroundOrAlphaDropped) {
  TempDir dir;
  const int w = 16, h = 4;
  write_file(dir / "a.png", encode_still("png", AV_PIX_FMT_RGBA, w, h, [&](AVFrame* f) {
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        uint8_t* p = f->data[0] + y * f->linesize[0] + x * 4;
        p[0] = 200, p[1] = 100, p[2] = 10, p[3] = uint8_t(x * 17);
      }
  }));
  LoadOptions o;
  o.background = {0, 50, 255};
  const Image got = load_image(dir / "a.png", o);
  for (int x = 0; x < w; ++x) {
    const unsigned a = x * 17;
    const uint8_t* p = got.at(x, 2);
    EXPECT_EQ(p[0], (200 * a + 0 * (255 - a) + 127) / 255) << x;
    EXPECT_EQ(p[1], (100 * a + 50 * (255 - a) + 127) / 255) << x;
    EXPECT_EQ(p[2], (10 * a + 255 * (255 - a) + 127) / 255) << x;
  }
  o.composite_alpha = false;  // PIL's convert("RGB"): the colour as stored
  const Image raw = load_image(dir / "a.png", o);
  EXPECT_EQ(raw.at(0, 0)[0], 200);
  EXPECT_EQ(raw.at(0, 0)[1], 100);
  EXPECT_EQ(raw.at(0, 0)[2], 10);
}

TEST(LoadImage, SixteenBitPngHighByteOrRounded) {
  TempDir dir;
  const uint16_t vals[4] = {0x12FF, 0xFF80, 0x0080, 0x7F7F};
  write_file(dir / "a.png", encode_still("png", AV_PIX_FMT_RGB48BE, 4, 1, [&](AVFrame* f) {
    for (int x = 0; x < 4; ++x)
      for (int c = 0; c < 3; ++c) {
        uint8_t* p = f->data[0] + x * 6 + c * 2;
        const uint16_t v = uint16_t(vals[x] - c);
        p[0] = uint8_t(v >> 8), p[1] = uint8_t(v & 255);
      }
  }));
  const Image hi = load_image(dir / "a.png");
  LoadOptions o;
  o.depth16 = Depth16::Round;
  const Image rd = load_image(dir / "a.png", o);
  for (int x = 0; x < 4; ++x)
    for (int c = 0; c < 3; ++c) {
      const unsigned v = uint16_t(vals[x] - c);
      EXPECT_EQ(hi.at(x, 0)[c], v >> 8) << x << "," << c;
      EXPECT_EQ(rd.at(x, 0)[c], (v * 255 + 32767) / 65535) << x << "," << c;
    }
}

TEST(LoadImage, SixteenBitRgbaAndGrayPng) {
  TempDir dir;
  write_file(dir / "a.png", encode_still("png", AV_PIX_FMT_RGBA64BE, 2, 1, [&](AVFrame* f) {
    const uint16_t px[2][4] = {{65535, 0, 32768, 65535}, {65535, 65535, 65535, 0}};
    for (int x = 0; x < 2; ++x)
      for (int c = 0; c < 4; ++c) f->data[0][x * 8 + c * 2] = uint8_t(px[x][c] >> 8), f->data[0][x * 8 + c * 2 + 1] = uint8_t(px[x][c]);
  }));
  LoadOptions o;
  o.background = {10, 20, 30};
  const Image a = load_image(dir / "a.png", o);
  EXPECT_EQ(a.at(0, 0)[0], 255);
  EXPECT_EQ(a.at(0, 0)[1], 0);
  EXPECT_EQ(a.at(0, 0)[2], 128);
  EXPECT_EQ(a.at(1, 0)[0], 10);  // fully transparent: the background
  EXPECT_EQ(a.at(1, 0)[1], 20);
  EXPECT_EQ(a.at(1, 0)[2], 30);
  write_file(dir / "g.png", encode_still("png", AV_PIX_FMT_GRAY16BE, 3, 1, [&](AVFrame* f) {
    const uint16_t v[3] = {0, 0x8081, 0xFFFF};
    for (int x = 0; x < 3; ++x) f->data[0][x * 2] = uint8_t(v[x] >> 8), f->data[0][x * 2 + 1] = uint8_t(v[x]);
  }));
  const Image g = load_image(dir / "g.png");
  for (int c = 0; c < 3; ++c) {
    EXPECT_EQ(g.at(0, 0)[c], 0);
    EXPECT_EQ(g.at(1, 0)[c], 0x80);
    EXPECT_EQ(g.at(2, 0)[c], 255);
  }
}

TEST(LoadImage, GrayAndPalettePng) {
  TempDir dir;
  write_file(dir / "g.png", encode_still("png", AV_PIX_FMT_GRAY8, 5, 2, [&](AVFrame* f) {
    for (int y = 0; y < 2; ++y)
      for (int x = 0; x < 5; ++x) f->data[0][y * f->linesize[0] + x] = uint8_t(x * 60 + y);
  }));
  const Image g = load_image(dir / "g.png");
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 5; ++x)
      for (int c = 0; c < 3; ++c) EXPECT_EQ(g.at(x, y)[c], x * 60 + y);
  write_file(dir / "p.png", encode_still("png", AV_PIX_FMT_PAL8, 3, 1, [&](AVFrame* f) {
    uint32_t* pal = reinterpret_cast<uint32_t*>(f->data[1]);
    pal[0] = 0xFF102030u, pal[1] = 0x00FFFFFFu, pal[2] = 0x80FF0000u;
    f->data[0][0] = 0, f->data[0][1] = 1, f->data[0][2] = 2;
  }));
  LoadOptions o;
  o.background = {0, 0, 0};
  const Image p = load_image(dir / "p.png", o);
  EXPECT_EQ(p.at(0, 0)[0], 0x10);
  EXPECT_EQ(p.at(0, 0)[1], 0x20);
  EXPECT_EQ(p.at(0, 0)[2], 0x30);
  EXPECT_EQ(p.at(1, 0)[0], 0);  // transparent white on black
  EXPECT_EQ(p.at(2, 0)[0], (255 * 128 + 127) / 255);
  EXPECT_EQ(p.at(2, 0)[1], 0);
}

TEST(LoadImage, JpegIsCloseToTheSource) {
  TempDir dir;
  Image src(64, 48);
  for (int y = 0; y < 48; ++y)
    for (int x = 0; x < 64; ++x) {
      uint8_t* p = src.at(x, y);
      p[0] = uint8_t(30 + 3 * x), p[1] = uint8_t(40 + 4 * y), p[2] = uint8_t(200 - 2 * x);
    }
  write_file(dir / "a.jpg", encode_still("mjpeg", AV_PIX_FMT_YUVJ444P, 64, 48, [&](AVFrame* f) {
    for (int y = 0; y < 48; ++y)
      for (int x = 0; x < 64; ++x) {
        const uint8_t* p = src.at(x, y);
        const double r = p[0], g = p[1], b = p[2];  // BT.601 full range
        f->data[0][y * f->linesize[0] + x] = uint8_t(std::lround(0.299 * r + 0.587 * g + 0.114 * b));
        f->data[1][y * f->linesize[1] + x] = uint8_t(std::lround(128 - 0.168736 * r - 0.331264 * g + 0.5 * b));
        f->data[2][y * f->linesize[2] + x] = uint8_t(std::lround(128 + 0.5 * r - 0.418688 * g - 0.081312 * b));
      }
  }));
  const ErrorStats s = compare(load_image(dir / "a.jpg"), src);
  EXPECT_LT(s.mean_abs, 1.5);
  EXPECT_LE(s.max_abs, 8);
}

TEST(LoadImage, ExifOrientationIsAppliedForEveryCode) {
  TempDir dir;
  // A plain JPEG (yuvj444p) without EXIF as the reference decode.
  const std::vector<uint8_t> plain = encode_still("mjpeg", AV_PIX_FMT_YUVJ444P, 24, 16, [&](AVFrame* f) {
    for (int y = 0; y < 16; ++y)
      for (int x = 0; x < 24; ++x) {
        f->data[0][y * f->linesize[0] + x] = uint8_t(x * 10);
        f->data[1][y * f->linesize[1] + x] = uint8_t(128 + y * 4);
        f->data[2][y * f->linesize[2] + x] = uint8_t(100);
      }
  });
  write_file(dir / "plain.jpg", plain);
  const Image base = load_image(dir / "plain.jpg");
  ASSERT_EQ(base.width, 24);
  for (int o = 1; o <= 8; ++o)
    for (bool be : {false, true}) {
      const std::string p = dir / ("o" + std::to_string(o) + (be ? "m" : "i") + ".jpg");
      write_file(p, with_exif_orientation(plain, o, be));
      const Image got = load_image(p);
      const Image want = apply_orientation(base, o);
      EXPECT_EQ(got.width, o >= 5 ? 16 : 24) << "orientation " << o;
      EXPECT_EQ(got.rgb, want.rgb) << "orientation " << o << (be ? " (Motorola)" : " (Intel)");
      LoadOptions keep;
      keep.apply_exif_orientation = false;
      EXPECT_EQ(load_image(p, keep).rgb, base.rgb) << "orientation " << o << " ignored";
    }
}

// A PNG's orientation is in its eXIf chunk (a TIFF block), which FFmpeg's PNG decoder does not export.
TEST(LoadImage, PngExifOrientationIsApplied) {
  TempDir dir;
  const Image src = test_picture(24, 16);
  const std::vector<uint8_t> png = encode_rgb24("png", src);
  const std::vector<uint8_t> tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0};
  std::vector<uint8_t> chunk = {0, 0, 0, uint8_t(tiff.size()), 'e', 'X', 'I', 'f'};
  chunk.insert(chunk.end(), tiff.begin(), tiff.end());
  const uint32_t crc = ~av_crc(av_crc_get_table(AV_CRC_32_IEEE_LE), 0xFFFFFFFFu, chunk.data() + 4, chunk.size() - 4);
  for (int k = 3; k >= 0; --k) chunk.push_back(uint8_t(crc >> (8 * k)));
  std::vector<uint8_t> rotated = png;
  rotated.insert(rotated.begin() + 33, chunk.begin(), chunk.end());  // after the signature and IHDR (8 + 25 bytes)
  write_file(dir / "plain.png", png);
  write_file(dir / "rotated.png", rotated);
  const Image base = load_image(dir / "plain.png");
  const Image got = load_image(dir / "rotated.png");
  EXPECT_EQ(got.width, 16);
  EXPECT_EQ(got.rgb, apply_orientation(base, 6).rgb);
  LoadOptions keep;
  keep.apply_exif_orientation = false;
  EXPECT_EQ(load_image(dir / "rotated.png", keep).rgb, base.rgb);
}

TEST(ApplyOrientation, MapsCornersAsExifDefines) {
  // 3x2 image with distinct pixels: value = 10 * y + x in the red channel.
  Image img(3, 2);
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 3; ++x) img.at(x, y)[0] = uint8_t(10 * y + x);
  auto red = [](const Image& i) {
    std::vector<int> v;
    for (int y = 0; y < i.height; ++y)
      for (int x = 0; x < i.width; ++x) v.push_back(i.at(x, y)[0]);
    return v;
  };
  // Source rows: [0 1 2] [10 11 12].
  EXPECT_EQ(red(apply_orientation(img, 1)), (std::vector<int>{0, 1, 2, 10, 11, 12}));
  EXPECT_EQ(red(apply_orientation(img, 2)), (std::vector<int>{2, 1, 0, 12, 11, 10}));   // mirror
  EXPECT_EQ(red(apply_orientation(img, 3)), (std::vector<int>{12, 11, 10, 2, 1, 0}));   // 180
  EXPECT_EQ(red(apply_orientation(img, 4)), (std::vector<int>{10, 11, 12, 0, 1, 2}));   // flip
  EXPECT_EQ(red(apply_orientation(img, 5)), (std::vector<int>{0, 10, 1, 11, 2, 12}));   // transpose
  EXPECT_EQ(red(apply_orientation(img, 6)), (std::vector<int>{10, 0, 11, 1, 12, 2}));   // 90 cw
  EXPECT_EQ(red(apply_orientation(img, 7)), (std::vector<int>{12, 2, 11, 1, 10, 0}));   // transverse
  EXPECT_EQ(red(apply_orientation(img, 8)), (std::vector<int>{2, 12, 1, 11, 0, 10}));   // 90 ccw
  EXPECT_EQ(apply_orientation(img, 6).width, 2);
  EXPECT_EQ(apply_orientation(img, 6).height, 3);
}

// A TIFF carries its orientation in its own first IFD (tag 274), which FFmpeg's TIFF decoder does not export.
// The file is written by hand (FFmpeg's TIFF encoder writes no Orientation): a baseline uncompressed RGB picture,
// 3 x 2 pixels, in either byte order.
std::vector<uint8_t> tiff_rgb_3x2(const uint8_t (&px)[18], int orientation, bool big_endian) {
  std::vector<uint8_t> out;
  auto u16 = [&](unsigned v) {
    if (big_endian) out.insert(out.end(), {uint8_t(v >> 8), uint8_t(v)});
    else out.insert(out.end(), {uint8_t(v), uint8_t(v >> 8)});
  };
  auto u32 = [&](uint32_t v) {
    if (big_endian) out.insert(out.end(), {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)});
    else out.insert(out.end(), {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)});
  };
  const uint16_t kEntries = 11;
  const uint32_t ifd = 8, bits = ifd + 2 + 12 * kEntries + 4, data = bits + 6;
  out.insert(out.end(), big_endian ? std::initializer_list<uint8_t>{'M', 'M'} : std::initializer_list<uint8_t>{'I', 'I'});
  u16(42);
  u32(ifd);
  u16(kEntries);
  auto entry = [&](unsigned tag, unsigned type, uint32_t count, uint32_t value) {
    u16(tag);
    u16(type);
    u32(count);
    if (type == 3 && count == 1) {  // a SHORT sits in the first two bytes of the value field
      u16(value);
      u16(0);
    } else {
      u32(value);
    }
  };
  entry(256, 3, 1, 3);             // ImageWidth
  entry(257, 3, 1, 2);             // ImageLength
  entry(258, 3, 3, bits);          // BitsPerSample 8, 8, 8 (at `bits`)
  entry(259, 3, 1, 1);             // no compression
  entry(262, 3, 1, 2);             // RGB
  entry(273, 4, 1, data);          // StripOffsets
  entry(274, 3, 1, orientation);   // Orientation
  entry(277, 3, 1, 3);             // SamplesPerPixel
  entry(278, 3, 1, 2);             // RowsPerStrip
  entry(279, 4, 1, 18);            // StripByteCounts
  entry(284, 3, 1, 1);             // PlanarConfiguration: chunky
  u32(0);                          // no next IFD
  u16(8), u16(8), u16(8);
  out.insert(out.end(), std::begin(px), std::end(px));
  return out;
}

TEST(LoadImage, TiffOrientationIsApplied) {
  TempDir dir;
  const uint8_t px[18] = {10, 0, 0, 20, 0, 0, 30, 0, 0,  // row 0: three reds
                          0, 40, 0, 0, 50, 0, 0, 60, 0};  // row 1: three greens
  for (bool be : {false, true}) {
    const std::string plain = dir / (be ? "plain_m.tif" : "plain_i.tif");
    write_file(plain, tiff_rgb_3x2(px, 1, be));
    const Image base = load_image(plain);
    ASSERT_EQ(base.width, 3);
    ASSERT_EQ(base.height, 2);
    ASSERT_EQ(std::vector<uint8_t>(base.rgb.begin(), base.rgb.end()), std::vector<uint8_t>(std::begin(px), std::end(px)));
    for (int o = 2; o <= 8; ++o) {
      const std::string p = dir / ("o" + std::to_string(o) + (be ? "m" : "i") + ".tif");
      write_file(p, tiff_rgb_3x2(px, o, be));
      const Image got = load_image(p);
      EXPECT_EQ(got.width, o >= 5 ? 2 : 3) << "orientation " << o;
      EXPECT_EQ(got.rgb, apply_orientation(base, o).rgb) << "orientation " << o << (be ? " (Motorola)" : " (Intel)");
      LoadOptions keep;
      keep.apply_exif_orientation = false;
      EXPECT_EQ(load_image(p, keep).rgb, base.rgb) << "orientation " << o << " ignored";
    }
  }
  // orientation 6 (the camera turned right): the first column, top to bottom, becomes the first row, right to left
  const Image turned = load_image(dir / "o6i.tif");
  EXPECT_EQ(turned.rgb[0 * 3 + 1], 40);  // top left: the green below the first red
  EXPECT_EQ(turned.rgb[1 * 3 + 0], 10);  // top right: the first red
}

TEST(LoadImage, FirstFrameOfAnAnimation) {
  TempDir dir;
  // An animated WebP written by our exporter is covered in test_export; here a GIF from libavcodec.
  write_file(dir / "a.gif", encode_still("gif", AV_PIX_FMT_RGB8, 8, 8, [&](AVFrame* f) {
    for (int y = 0; y < 8; ++y)
      for (int x = 0; x < 8; ++x) f->data[0][y * f->linesize[0] + x] = uint8_t(x * 32 + y);
  }));
  const Image g = load_image(dir / "a.gif");
  EXPECT_EQ(g.width, 8);
  EXPECT_EQ(g.height, 8);
}

TEST(LoadImage, AnimatedWebPWithoutVp8xIsHeldToThePixelLimit) {
  // An ANMF frame (16 x 16) at offset 40000, 40000 and no VP8X chunk: the canvas would come from the offset,
  // 40016 x 40016 RGBA16 (12.8 GB); refused by name instead.
  static const uint8_t bytes[] = {0x52, 0x49, 0x46, 0x46, 0x6a, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x41, 0x4e, 0x4d, 0x46, 0x5e, 0x00, 0x00, 0x00, 0x20, 0x4e, 0x00, 0x20, 0x4e, 0x00, 0x0f, 0x00, 0x00, 0x0f, 0x00, 0x00, 0x64, 0x00, 0x00, 0x00, 0x56, 0x50, 0x38, 0x20, 0x46, 0x00, 0x00, 0x00, 0x30, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x10, 0x00, 0x10, 0x00, 0x00, 0xc0, 0x12, 0x25, 0xb0, 0x02, 0x74, 0xba, 0x00, 0x03, 0x09, 0x32, 0xe8, 0xb2, 0xde, 0x10, 0x00, 0xfe, 0xff, 0xed, 0x7a, 0xce, 0x46, 0xa7, 0x7b, 0x07, 0x6e, 0x95, 0x54, 0x43, 0x3f, 0xd0, 0x53, 0x7f, 0xf9, 0x3b, 0xd5, 0xff, 0xf0, 0xb4, 0x1a, 0xff, 0xdd, 0x9e, 0x85, 0xfc, 0xb5, 0x43, 0xf9, 0xc6, 0xfa, 0xbf, 0xdf, 0x8e, 0x11, 0x49, 0x34, 0x00, 0x00, 0x00};
  TempDir dir;
  write_file(dir / "offset.webp", std::vector<uint8_t>(std::begin(bytes), std::end(bytes)));
  const std::string e = error_of([&] { load_image(dir / "offset.webp"); });
  EXPECT_NE(e.find(dir / "offset.webp"), std::string::npos) << e;
  EXPECT_NE(e.find("40016x40016 canvas"), std::string::npos) << e;
  EXPECT_NE(e.find("megapixels supported"), std::string::npos) << e;
}

// A phone's WebP carries its rotation in an EXIF chunk: applied as for a JPEG (it was ignored: the picture came in
// sideways). The tag is read from little- and big-endian TIFF blocks; a malformed block counts as no rotation.
TEST(LoadImage, WebPExifOrientationIsApplied) {
  if (!avcodec_find_encoder_by_name("libwebp")) GTEST_FAIL() << "this FFmpeg has no libwebp encoder";
  TempDir dir;
  const Image src = test_picture(6, 4);
  std::vector<uint8_t> file = encode_still("libwebp", AV_PIX_FMT_RGB32, src.width, src.height, [&](AVFrame* f) {
    for (int y = 0; y < src.height; ++y) {
      uint32_t* row = reinterpret_cast<uint32_t*>(f->data[0] + y * f->linesize[0]);
      for (int x = 0; x < src.width; ++x) {
        const uint8_t* p = src.at(x, y);
        row[x] = 0xFF000000u | p[0] << 16 | p[1] << 8 | p[2];
      }
    }
  }, {{"lossless", "1"}});
  // "Exif\0\0" + a little-endian TIFF block whose IFD0 holds Orientation = 6 (rotate 90° clockwise to view)
  const std::vector<uint8_t> exif = {'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0,
                                     0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0};
  file.insert(file.end(), {'E', 'X', 'I', 'F', uint8_t(exif.size()), 0, 0, 0});
  file.insert(file.end(), exif.begin(), exif.end());
  const uint32_t riff = static_cast<uint32_t>(file.size() - 8);
  for (int i = 0; i < 4; ++i) file[4 + i] = uint8_t(riff >> (8 * i));
  write_file(dir / "rotated.webp", file);
  const Image got = load_image(dir / "rotated.webp");
  EXPECT_EQ(got.width, 4);
  EXPECT_EQ(got.height, 6);
  EXPECT_EQ(got.rgb, apply_orientation(src, 6).rgb);
  LoadOptions raw;
  raw.apply_exif_orientation = false;
  EXPECT_EQ(load_image(dir / "rotated.webp", raw).rgb, src.rgb);

  using ci2v::media::webp::exif_orientation;
  EXPECT_EQ(exif_orientation(exif.data(), exif.size()), 6);
  const std::vector<uint8_t> big = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 3, 0, 0, 0, 0};
  EXPECT_EQ(exif_orientation(big.data(), big.size()), 3);
  EXPECT_EQ(exif_orientation(exif.data(), 20), 1);  // cut inside the entry
  std::vector<uint8_t> far = exif;
  far[10] = 0xF0;  // IFD0 beyond the block
  EXPECT_EQ(exif_orientation(far.data(), far.size()), 1);
  EXPECT_EQ(exif_orientation(nullptr, 0), 1);
}

TEST(LoadImage, TooManyPixelsIsRefusedFromTheHeader) {
  // A 1 KB file that says 12000 x 12000 (144 megapixels, over the limit): refused from its header, by name, not
  // after a decode of gigabytes.
  TempDir dir;
  std::string pgm = "P5\n12000 12000\n255\n";
  pgm.append(1000, '\0');
  write_file(dir / "huge.pgm", std::vector<uint8_t>(pgm.begin(), pgm.end()));
  const std::string e = error_of([&] { load_image(dir / "huge.pgm"); });
  EXPECT_NE(e.find(dir / "huge.pgm"), std::string::npos) << e;
  EXPECT_NE(e.find("12000x12000 pixels is more than the 134 megapixels supported"), std::string::npos) << e;
}

TEST(LoadImage, ErrorsNameThePathAndTheCause) {
  TempDir dir;
  const std::string missing = dir / "missing.png";
  std::string e = error_of([&] { load_image(missing); });
  EXPECT_NE(e.find(missing), std::string::npos) << e;
  EXPECT_NE(e.find("No such file"), std::string::npos) << e;

  write_file(dir / "text.png", std::vector<uint8_t>(300, 'x'));
  e = error_of([&] { load_image(dir / "text.png"); });
  EXPECT_NE(e.find(dir / "text.png"), std::string::npos) << e;
  EXPECT_NE(e.find("cannot read"), std::string::npos) << e;

  write_file(dir / "empty.jpg", {});
  e = error_of([&] { load_image(dir / "empty.jpg"); });
  EXPECT_NE(e.find("empty"), std::string::npos) << e;

  e = error_of([&] { load_image(dir.path().string()); });
  EXPECT_NE(e.find("folder"), std::string::npos) << e;

  // A JPEG cut short (70 % of it): refused, not decoded with its bottom made up.
  std::vector<uint8_t> jpeg = encode_still("mjpeg", AV_PIX_FMT_YUVJ444P, 64, 64, [](AVFrame* f) {
    for (int p = 0; p < 3; ++p)
      for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 64; ++x) f->data[p][y * f->linesize[p] + x] = static_cast<uint8_t>((x * 7 + y * 13 + p * 50) & 255);
  });
  write_file(dir / "whole.jpg", jpeg);
  EXPECT_NO_THROW(load_image(dir / "whole.jpg"));
  jpeg.resize(jpeg.size() * 7 / 10);
  write_file(dir / "cut.jpg", jpeg);
  e = error_of([&] { load_image(dir / "cut.jpg"); });
  EXPECT_NE(e.find(dir / "cut.jpg"), std::string::npos) << e;

  // A truncated PNG: signature and half an IHDR.
  std::vector<uint8_t> png = encode_rgb24("png", test_picture(8, 8));
  png.resize(20);
  write_file(dir / "cut.png", png);
  e = error_of([&] { load_image(dir / "cut.png"); });
  EXPECT_NE(e.find(dir / "cut.png"), std::string::npos) << e;
}

TEST(LoadImage, EightBitFramesAreDecodedInEightBitBuffers) {
  // An 8-bit frame takes 4 bytes a pixel on its way to RGB (a 134-megapixel picture: 0.5 GB, not 1 GB), a 16-bit one
  // 8; the values are the frame's.
  auto frame_of = [](AVPixelFormat fmt, int w, int h) {
    ci2v::media::ff::FramePtr f = ci2v::media::ff::make_frame();
    f->format = fmt;
    f->width = w;
    f->height = h;
    EXPECT_GE(av_frame_get_buffer(f.get(), 0), 0);
    return f;
  };
  auto rgb = frame_of(AV_PIX_FMT_RGB24, 5, 3);
  for (int y = 0; y < 3; ++y)
    for (int x = 0; x < 15; ++x) rgb->data[0][y * rgb->linesize[0] + x] = static_cast<uint8_t>(10 * y + x);
  const auto a = ci2v::media::ff::frame_to_rgba(rgb.get(), "rgb24");
  EXPECT_EQ(a.bits, 8);
  EXPECT_EQ(a.px8.size(), 5u * 3u * 4u);
  EXPECT_TRUE(a.px16.empty());
  EXPECT_EQ(a.px8[(2 * 5 + 1) * 4 + 2], 10 * 2 + 3 + 2);  // pixel (1, 2), blue
  EXPECT_EQ(a.px8[3], 255);                              // opaque
  const Image ai = ci2v::media::ff::rgba_to_image(a, {0, 0, 0}, true, true);
  EXPECT_EQ(ai.at(1, 2)[2], 10 * 2 + 3 + 2);
  // through swscale (4:2:0): 8-bit as well
  auto yuv = frame_of(AV_PIX_FMT_YUV420P, 4, 4);
  for (int p = 0; p < 3; ++p)
    for (int y = 0; y < (p ? 2 : 4); ++y)
      for (int x = 0; x < (p ? 2 : 4); ++x) yuv->data[p][y * yuv->linesize[p] + x] = p ? 128 : 180;
  const auto b = ci2v::media::ff::frame_to_rgba(yuv.get(), "yuv420p");
  EXPECT_EQ(b.bits, 8);
  EXPECT_EQ(b.px8.size(), 4u * 4u * 4u);
  EXPECT_TRUE(b.px16.empty());
  EXPECT_NEAR(b.px8[0], (180 - 16) * 255 / 219, 2);  // grey, limited range expanded
  // 16 bits a sample: the 16-bit buffer
  auto deep = frame_of(AV_PIX_FMT_RGB48LE, 2, 2);
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 6; ++x) reinterpret_cast<uint16_t*>(deep->data[0] + y * deep->linesize[0])[x] = 40000;
  const auto c = ci2v::media::ff::frame_to_rgba(deep.get(), "rgb48");
  EXPECT_EQ(c.bits, 16);
  EXPECT_EQ(c.px16.size(), 2u * 2u * 4u);
  EXPECT_TRUE(c.px8.empty());
  EXPECT_EQ(c.px16[0], 40000);
}
