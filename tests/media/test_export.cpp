// export_video: every format decoded back (frame count, size, frame rate, pixel error), metadata round trip,
// loop / ping-pong, progress and cancel, and the error cases (bad folder, read-only place, full disk).
#include <cmath>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/resource.h>

#include <csignal>
#include <fstream>
#include <set>
#include <nlohmann/json.hpp>

extern "C" {
#include <libavformat/avformat.h>
}

#include "engine/files.h"
#include "engine/error.h"
#include "engine/media/export.h"
#include "engine/media/webp_container.h"
#include "tests/media/media_test_util.h"

using namespace ci2v::media;
using namespace ci2v::media::testing;

namespace {

struct Quiet {
  Quiet() { quiet_ffmpeg(); }
} quiet;

const std::string kParams =
    R"({"prompt":"a red panda eating bamboo in the rain, cinematic. \"quoted\" <tag> & ü","seed":20240226,)"
    R"("steps":50,"cfg_txt":7.5,"frameinit":{"tau":850,"d_s":0.25},"model":"ConsistI2V"})";

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const ci2v::Error& e) {
    return e.what();
  }
  return "(no ci2v::Error thrown)";
}

ErrorStats worst_of(const Video& got, const Video& src, const std::vector<int>& order) {
  ErrorStats w{0, 0, 99};
  EXPECT_EQ(got.frames.size(), order.size());
  for (size_t k = 0; k < std::min(got.frames.size(), order.size()); ++k) {
    const ErrorStats s = compare(got.frames[k], src.frames[order[k]]);
    w.mean_abs = std::max(w.mean_abs, s.mean_abs);
    w.max_abs = std::max(w.max_abs, s.max_abs);
    w.psnr = std::min(w.psnr, s.psnr);
  }
  return w;
}

std::vector<int> identity(int n) {
  std::vector<int> v(n);
  for (int i = 0; i < n; ++i) v[i] = i;
  return v;
}

uint32_t be32(const uint8_t* p) { return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3]; }

// Top-level MP4 box types in file order.
std::vector<std::string> mp4_boxes(const std::vector<uint8_t>& d) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos + 8 <= d.size()) {
    uint64_t size = be32(&d[pos]);
    out.emplace_back(reinterpret_cast<const char*>(&d[pos + 4]), 4);
    if (size == 1 && pos + 16 <= d.size()) {
      size = 0;
      for (int i = 0; i < 8; ++i) size = size << 8 | d[pos + 8 + i];
    }
    if (size < 8) break;
    pos += size;
  }
  return out;
}

struct GifFacts {
  bool global_palette = false;
  int local_palettes = 0;
  int images = 0;
  int netscape_loop = -1;  // -1: no NETSCAPE block
};

GifFacts gif_facts(const std::vector<uint8_t>& d) {
  GifFacts g;
  if (d.size() < 13) return g;
  g.global_palette = d[10] & 0x80;
  size_t pos = 13 + (g.global_palette ? 3u * (1u << ((d[10] & 7) + 1)) : 0);
  auto skip_sub = [&](size_t p) {
    while (p < d.size() && d[p]) p += d[p] + 1;
    return p + 1;
  };
  while (pos < d.size()) {
    if (d[pos] == 0x21) {
      if (d[pos + 1] == 0xFF && d[pos + 2] == 11 && std::memcmp(&d[pos + 3], "NETSCAPE2.0", 11) == 0)
        g.netscape_loop = d[pos + 16] | d[pos + 17] << 8;
      pos = skip_sub(pos + 2);
    } else if (d[pos] == 0x2C) {
      ++g.images;
      const uint8_t flags = d[pos + 9];
      pos += 10;
      if (flags & 0x80) ++g.local_palettes, pos += 3u * (1u << ((flags & 7) + 1));
      pos = skip_sub(pos + 1);
    } else {
      break;
    }
  }
  return g;
}

// Little-endian RIFF walk: the ANIM loop count and the VP8X flags.
void webp_facts(const std::vector<uint8_t>& d, int* loop, int* vp8x_flags) {
  *loop = -1, *vp8x_flags = -1;
  size_t pos = 12;
  while (pos + 8 <= d.size()) {
    const uint32_t size = d[pos + 4] | d[pos + 5] << 8 | d[pos + 6] << 16 | uint32_t(d[pos + 7]) << 24;
    if (std::memcmp(&d[pos], "VP8X", 4) == 0) *vp8x_flags = d[pos + 8];
    if (std::memcmp(&d[pos], "ANIM", 4) == 0) *loop = d[pos + 12] | d[pos + 13] << 8;
    pos += 8 + size + (size & 1);
  }
}

// Limit the size of files this process writes (a full disk for the exporter), restored on scope exit.
class FileSizeLimit {
public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &old_);
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit r = old_;
    r.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &r);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &old_);
    std::signal(SIGXFSZ, old_handler_);
  }

private:
  rlimit old_{};
  void (*old_handler_)(int) = nullptr;
};

// Saturated flat colours come back within 2 levels: the RGB <-> YUV matrices and ranges agree.
void expect_flat_colours_survive(const std::string& path) {
  const uint8_t colours[6][3] = {{230, 40, 50}, {20, 200, 60}, {30, 60, 220}, {250, 250, 250}, {5, 5, 5}, {128, 90, 200}};
  Video v;
  v.fps = 8;
  for (const auto& c : colours) {
    Image img(32, 32);
    for (size_t i = 0; i < img.rgb.size(); i += 3) std::memcpy(&img.rgb[i], c, 3);
    v.frames.push_back(img);
  }
  export_video(v, path);
  const Video got = decode_video(path);
  ASSERT_EQ(got.frames.size(), 6u);
  for (size_t k = 0; k < 6; ++k)
    for (int c = 0; c < 3; ++c)
      EXPECT_NEAR(got.frames[k].at(16, 16)[c], colours[k][c], 2) << path << " colour " << k << " channel " << c;
}

}  // namespace

TEST(Export, Mp4RoundTrip) {
  TempDir dir;
  const Video src = synthetic_clip(64, 48, 12);
  ExportOptions o;
  o.params_json = kParams;
  std::vector<std::string> notices;
  o.notice = [&](const std::string& s) { notices.push_back(s); };
  const std::string path = dir / "clip.mp4";
  export_video(src, path, o);
  EXPECT_TRUE(notices.empty()) << notices[0];
  const Video got = decode_video(path);
  ASSERT_EQ(got.frames.size(), 12u);
  EXPECT_EQ(got.width, 64);
  EXPECT_EQ(got.height, 48);
  EXPECT_NEAR(got.fps, 8.0, 1e-9);
  const ErrorStats e = worst_of(got, src, identity(12));
  std::printf("[export] mp4 crf 18: worst frame mean abs %.2f, max %d, PSNR %.1f dB\n", e.mean_abs, e.max_abs, e.psnr);
  // yuv420p alone (crf 0) costs mean 2.1 / PSNR 35.5 dB on this small clip with its soft-edged square.
  EXPECT_LT(e.mean_abs, 3.0);
  EXPECT_GT(e.psnr, 33);
  EXPECT_EQ(read_embedded_params(path), kParams);
  expect_flat_colours_survive(dir / "flat.mp4");

  // Stream facts through libavformat: H.264, yuv420p, BT.709 tags; faststart puts moov before mdat.
  AVFormatContext* fc = nullptr;
  ASSERT_EQ(avformat_open_input(&fc, path.c_str(), nullptr, nullptr), 0);
  ASSERT_GE(avformat_find_stream_info(fc, nullptr), 0);
  const AVCodecParameters* par = fc->streams[0]->codecpar;
  EXPECT_EQ(par->codec_id, AV_CODEC_ID_H264);
  EXPECT_EQ(par->format, AV_PIX_FMT_YUV420P);
  EXPECT_EQ(par->color_primaries, AVCOL_PRI_BT709);
  EXPECT_EQ(par->color_trc, AVCOL_TRC_BT709);
  EXPECT_EQ(par->color_space, AVCOL_SPC_BT709);
  EXPECT_EQ(par->color_range, AVCOL_RANGE_MPEG);
  avformat_close_input(&fc);
  const auto boxes = mp4_boxes(read_all(path));
  const auto moov = std::find(boxes.begin(), boxes.end(), "moov"), mdat = std::find(boxes.begin(), boxes.end(), "mdat");
  ASSERT_NE(moov, boxes.end());
  ASSERT_NE(mdat, boxes.end());
  EXPECT_LT(moov - boxes.begin(), mdat - boxes.begin()) << "faststart: moov must precede mdat";
  for (const auto& n : dir.entries()) EXPECT_EQ(n.find(".part"), std::string::npos) << "temporary file left: " << n;
  EXPECT_EQ(dir.entries().size(), 2u);
}

TEST(Export, GifRoundTripOnePaletteAndLoop) {
  TempDir dir;
  const Video src = synthetic_clip(64, 48, 12);
  ExportOptions o;
  o.params_json = kParams;
  const std::string path = dir / "clip.gif";
  export_video(src, path, o);
  const Video got = decode_video(path);
  ASSERT_EQ(got.frames.size(), 12u);
  EXPECT_EQ(got.width, 64);
  EXPECT_EQ(got.height, 48);
  EXPECT_NEAR(got.fps, 8.0, 1e-9);  // 12.5 cs frames: delays 13, 12, 13, ... add up exactly
  const ErrorStats e = worst_of(got, src, identity(12));
  std::printf("[export] gif dithered: worst frame mean abs %.2f, max %d, PSNR %.1f dB\n", e.mean_abs, e.max_abs, e.psnr);
  EXPECT_LT(e.mean_abs, 6.0);
  EXPECT_GT(e.psnr, 28);
  EXPECT_EQ(read_embedded_params(path), kParams);
  const GifFacts g = gif_facts(read_all(path));
  EXPECT_TRUE(g.global_palette);
  EXPECT_EQ(g.local_palettes, 0) << "one palette for the whole clip";
  EXPECT_EQ(g.images, 12);
  EXPECT_EQ(g.netscape_loop, 0) << "loop = 0: forever";

  ExportOptions plain = o;
  plain.dither = false;
  export_video(src, dir / "plain.gif", plain);
  const ErrorStats p = worst_of(decode_video(dir / "plain.gif"), src, identity(12));
  std::printf("[export] gif no dither: worst frame mean abs %.2f, max %d, PSNR %.1f dB\n", p.mean_abs, p.max_abs, p.psnr);
  EXPECT_LT(p.mean_abs, 6.0);
  EXPECT_NE(read_all(dir / "plain.gif"), read_all(path)) << "the dither option changes the output";

  ExportOptions once = o;
  once.loop = 1;
  export_video(src, dir / "once.gif", once);
  EXPECT_EQ(gif_facts(read_all(dir / "once.gif")).netscape_loop, -1) << "play once: no NETSCAPE block";
  ExportOptions thrice = o;
  thrice.loop = 3;
  export_video(src, dir / "thrice.gif", thrice);
  EXPECT_EQ(gif_facts(read_all(dir / "thrice.gif")).netscape_loop, 2) << "play 3 times: repeat count 2";
}

TEST(Export, GifFrameRates) {
  TempDir dir;
  const Video src = synthetic_clip(32, 24, 16);
  for (double fps : {10.0, 24.0, 7.0, 50.0}) {
    ExportOptions o;
    o.fps = fps;
    const std::string path = dir / ("r" + std::to_string(int(fps)) + ".gif");
    export_video(src, path, o);
    const Video got = decode_video(path);
    ASSERT_EQ(got.frames.size(), 16u);
    // Delays are whole centiseconds; the clip length is rounded once: within 0.5 cs of 16 / fps.
    const double len = 16.0 / got.fps, want = 16.0 / fps;
    EXPECT_NEAR(len, want, 0.005 + 1e-9) << "fps " << fps << " decoded as " << got.fps;
  }
}

TEST(Export, GifWithFewColoursIsLossless) {
  TempDir dir;
  Video v;
  v.fps = 8;
  for (int t = 0; t < 6; ++t) {
    Image img(20, 10);
    for (int y = 0; y < 10; ++y)
      for (int x = 0; x < 20; ++x) {
        uint8_t* p = img.at(x, y);
        p[0] = uint8_t(((x + t) % 5) * 50), p[1] = uint8_t((y % 4) * 60), p[2] = uint8_t(t * 40);
      }
    v.frames.push_back(img);
  }
  v.width = 20, v.height = 10;
  export_video(v, dir / "few.gif");
  const Video got = decode_video(dir / "few.gif");
  const ErrorStats e = worst_of(got, v, identity(6));
  EXPECT_EQ(e.max_abs, 0) << "<= 255 colours: exact palette";
}

// A clip of more than 255 colours crowded into few 5-bit bins (a grey ramp, fog, a night sky) still gets the whole
// palette: the cut splits the exact colours, not only the bins (it gave a 256-level ramp 32 greys, error up to 4).
TEST(Export, GifOfAFineGradientUsesTheWholePalette) {
  TempDir dir;
  Video v;
  v.fps = 8;
  for (int t = 0; t < 2; ++t) {
    Image img(256, 4);
    for (int y = 0; y < 4; ++y)
      for (int x = 0; x < 256; ++x) {
        uint8_t* p = img.at(x, y);
        p[0] = p[1] = p[2] = uint8_t(x);
      }
    uint8_t* red = img.at(0, 0);  // the 257th colour: no exact palette
    red[0] = 255, red[1] = 0, red[2] = 0;
    v.frames.push_back(img);
  }
  v.width = 256, v.height = 4;
  ExportOptions o;
  o.dither = false;
  export_video(v, dir / "ramp.gif", o);
  const Video got = decode_video(dir / "ramp.gif");
  ASSERT_EQ(got.frames.size(), 2u);
  std::set<int> greys;
  int worst = 0;
  for (int x = 1; x < 256; ++x) {
    const uint8_t* p = got.frames[0].at(x, 1);
    greys.insert(p[0]);
    worst = std::max(worst, std::abs(int(p[0]) - x));
  }
  std::printf("[export] 256-level grey ramp + 1 colour as GIF: %zu distinct greys, max error %d\n", greys.size(), worst);
  EXPECT_GE(greys.size(), 200u);
  EXPECT_LE(worst, 1);
}

TEST(Export, WebPRoundTrip) {
  if (!encoder_available("libwebp_anim")) GTEST_FAIL() << "this FFmpeg has no libwebp_anim encoder";
  TempDir dir;
  const Video src = synthetic_clip(64, 48, 12);
  ExportOptions o;
  o.params_json = kParams;
  o.loop = 2;
  const std::string path = dir / "clip.webp";
  export_video(src, path, o);
  const Video got = decode_video(path);
  ASSERT_EQ(got.frames.size(), 12u);
  EXPECT_EQ(got.width, 64);
  EXPECT_EQ(got.height, 48);
  EXPECT_NEAR(got.fps, 8.0, 1e-9);
  const ErrorStats e = worst_of(got, src, identity(12));
  std::printf("[export] webp q90: worst frame mean abs %.2f, max %d, PSNR %.1f dB\n", e.mean_abs, e.max_abs, e.psnr);
  EXPECT_LT(e.mean_abs, 3.0);
  EXPECT_GT(e.psnr, 33);
  EXPECT_EQ(read_embedded_params(path), kParams);
  expect_flat_colours_survive(dir / "flat.webp");
  int loop = 0, flags = 0;
  webp_facts(read_all(path), &loop, &flags);
  EXPECT_EQ(loop, 2);
  EXPECT_TRUE(flags & 0x02) << "animation flag";
  EXPECT_TRUE(flags & 0x04) << "XMP flag";

  ExportOptions ll;
  ll.webp_lossless = true;
  ll.fps = 12;
  export_video(src, dir / "lossless.webp", ll);
  const Video l = decode_video(dir / "lossless.webp");
  EXPECT_EQ(worst_of(l, src, identity(12)).max_abs, 0) << "lossless WebP is exact";
  EXPECT_NEAR(l.fps, 12.0, 0.1);  // 83/84 ms frames
  webp_facts(read_all(dir / "lossless.webp"), &loop, &flags);
  EXPECT_EQ(loop, 0) << "loop = 0: forever";
  EXPECT_EQ(read_embedded_params(dir / "lossless.webp"), "");
  // load_image takes the first frame of an animated WebP.
  EXPECT_EQ(load_image(dir / "lossless.webp").rgb, src.frames[0].rgb);
}

TEST(Export, PngSequenceRoundTrip) {
  TempDir dir;
  const Video src = synthetic_clip(40, 30, 5);
  ExportOptions o;
  o.params_json = kParams;
  o.fps = 12.5;
  const std::string path = dir / "frames";
  export_video(src, path, o);
  ASSERT_TRUE(fs::is_directory(path));
  EXPECT_TRUE(fs::exists(dir / "frames/frame_00000.png"));
  EXPECT_TRUE(fs::exists(dir / "frames/frame_00004.png"));
  const Video got = decode_video(path);
  ASSERT_EQ(got.frames.size(), 5u);
  EXPECT_EQ(worst_of(got, src, identity(5)).max_abs, 0);
  EXPECT_DOUBLE_EQ(got.fps, 12.5);
  EXPECT_EQ(read_embedded_params(path), kParams);
  EXPECT_EQ(read_embedded_params(dir / "frames/frame_00003.png"), kParams);
  EXPECT_EQ(load_image(dir / "frames/frame_00002.png").rgb, src.frames[2].rgb);
  auto has_chunk = [](const std::vector<uint8_t>& d, const char* type) {
    return std::search(d.begin(), d.end(), type, type + 4) != d.end();
  };
  EXPECT_TRUE(has_chunk(read_all(dir / "frames/frame_00000.png"), "iTXt")) << "non-ASCII parameters: iTXt";
  // ASCII parameters go into a tEXt chunk, which every PNG tool shows.
  ExportOptions ascii = o;
  ascii.params_json = R"({"prompt":"a cat","seed":7})";
  export_video(src, dir / "ascii", ascii);
  EXPECT_TRUE(has_chunk(read_all(dir / "ascii/frame_00001.png"), "tEXt"));
  EXPECT_EQ(read_embedded_params(dir / "ascii/frame_00001.png"), ascii.params_json);
  // Auto format: a trailing slash or no extension is a PNG folder; an existing non-empty folder is refused.
  EXPECT_EQ(format_from_path(dir / "x/"), Format::PngSequence);
  const std::string e = error_of([&] { export_video(src, path, o); });
  EXPECT_NE(e.find("not empty"), std::string::npos) << e;
  fs::create_directory(dir / "empty");
  export_video(src, dir / "empty", o);  // an existing empty folder is fine
  EXPECT_EQ(decode_video(dir / "empty").frames.size(), 5u);
}

// For each decoded frame, the index of the closest source frame.
std::vector<int> closest_sources(const Video& got, const Video& src) {
  std::vector<int> out;
  for (const Image& f : got.frames) {
    int best = -1;
    double best_err = 1e9;
    for (size_t s = 0; s < src.frames.size(); ++s) {
      const double e = compare(f, src.frames[s]).mean_abs;
      if (e < best_err) best_err = e, best = static_cast<int>(s);
    }
    out.push_back(best);
  }
  return out;
}

TEST(Export, PingPongAndRepeats) {
  TempDir dir;
  const Video src = synthetic_clip(48, 48, 5);
  ExportOptions o;
  o.pingpong = true;
  export_video(src, dir / "pp", o);
  Video got = decode_video(dir / "pp");
  const std::vector<int> pp = {0, 1, 2, 3, 4, 3, 2, 1};
  ASSERT_EQ(got.frames.size(), pp.size());
  EXPECT_EQ(worst_of(got, src, pp).max_abs, 0);

  o.loop = 2;  // PNG/MP4 have no loop flag: the clip is written twice
  export_video(src, dir / "pp2", o);
  EXPECT_EQ(decode_video(dir / "pp2").frames.size(), 16u);
  std::vector<int> twice = pp;
  twice.insert(twice.end(), pp.begin(), pp.end());
  export_video(src, dir / "pp2.mp4", o);
  got = decode_video(dir / "pp2.mp4");
  EXPECT_EQ(closest_sources(got, src), twice);
  EXPECT_LT(worst_of(got, src, twice).mean_abs, 3.5);
  export_video(src, dir / "pp2.gif", o);  // GIF: the loop count goes into the file instead
  got = decode_video(dir / "pp2.gif");
  EXPECT_EQ(closest_sources(got, src), pp);
  EXPECT_EQ(gif_facts(read_all(dir / "pp2.gif")).netscape_loop, 1);
  if (encoder_available("libwebp_anim")) {
    export_video(src, dir / "pp2.webp", o);
    EXPECT_EQ(closest_sources(decode_video(dir / "pp2.webp"), src), pp);
  }
}

// crf 0 is lossless H.264, a profile most players refuse: written as asked, with a notice saying so (none at 1).
TEST(Export, LosslessMp4IsWrittenWithANotice) {
  if (!encoder_available("libx264")) GTEST_SKIP() << "this FFmpeg has no libx264 (crf is another encoder's quality then)";
  TempDir dir;
  ExportOptions o;
  std::string notice;
  o.notice = [&](const std::string& s) { notice += s; };
  o.crf = 1;
  export_video(synthetic_clip(32, 32, 2), dir / "one.mp4", o);
  EXPECT_EQ(notice.find("crf 0"), std::string::npos) << notice;
  o.crf = 0;
  export_video(synthetic_clip(32, 32, 2), dir / "zero.mp4", o);
  EXPECT_NE(notice.find("crf 0 makes lossless H.264"), std::string::npos) << notice;
  EXPECT_EQ(decode_video(dir / "zero.mp4").frames.size(), 2u);
}

TEST(Export, OddSizedMp4IsPaddedWithANotice) {
  TempDir dir;
  const Video src = synthetic_clip(65, 49, 4);
  ExportOptions o;
  std::string notice;
  o.notice = [&](const std::string& s) { notice += s; };
  export_video(src, dir / "odd.mp4", o);
  EXPECT_NE(notice.find("66x50"), std::string::npos) << notice;
  const Video got = decode_video(dir / "odd.mp4");
  ASSERT_EQ(got.frames.size(), 4u);
  EXPECT_EQ(got.width, 66);
  EXPECT_EQ(got.height, 50);
  double err = 0;
  for (int y = 0; y < 49; ++y)
    for (int x = 0; x < 65; ++x)
      for (int c = 0; c < 3; ++c) err += std::abs(got.frames[1].at(x, y)[c] - src.frames[1].at(x, y)[c]);
  EXPECT_LT(err / (65 * 49 * 3), 3.0);
}

TEST(Export, Mp4FallsBackToAnotherEncoderWithANotice) {
  TempDir dir;
  const Video src = synthetic_clip(64, 48, 8);
  ExportOptions o;
  o.mp4_encoders = {"no_such_encoder_x", "mpeg4"};
  o.params_json = kParams;
  std::string notice;
  o.notice = [&](const std::string& s) { notice += s; };
  export_video(src, dir / "fb.mp4", o);
  EXPECT_NE(notice.find("no_such_encoder_x is not available"), std::string::npos) << notice;
  EXPECT_NE(notice.find("mpeg4"), std::string::npos) << notice;
  const Video got = decode_video(dir / "fb.mp4");
  ASSERT_EQ(got.frames.size(), 8u);
  EXPECT_NEAR(got.fps, 8.0, 1e-9);
  const ErrorStats e = worst_of(got, src, identity(8));
  std::printf("[export] mp4 via mpeg4 fallback: worst frame mean abs %.2f, PSNR %.1f dB\n", e.mean_abs, e.psnr);
  EXPECT_LT(e.mean_abs, 4.0);
  EXPECT_EQ(read_embedded_params(dir / "fb.mp4"), kParams);

  o.mp4_encoders = {"no_such_encoder_x"};
  const std::string err = error_of([&] { export_video(src, dir / "none.mp4", o); });
  EXPECT_NE(err.find("no_such_encoder_x"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(dir / "none.mp4"));
}

TEST(Export, ProgressIsMonotoneAndCancelLeavesNothing) {
  TempDir dir;
  const Video src = synthetic_clip(32, 32, 10);
  for (const char* name : {"c.mp4", "c.gif", "c.webp", "c"}) {
    std::vector<double> seen;
    ExportOptions o;
    o.progress = [&](double p) {
      seen.push_back(p);
      return true;
    };
    export_video(src, dir / name, o);
    ASSERT_GE(seen.size(), 10u) << name;
    EXPECT_EQ(seen.front(), 0.0);
    EXPECT_EQ(seen.back(), 1.0);
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end())) << name;
    ci2v::remove_tree(dir / name);

    int calls = 0;
    o.progress = [&](double) { return ++calls < 4; };
    const std::string target = dir / name;
    try {
      export_video(src, target, o);
      ADD_FAILURE() << name << ": no ExportCancelled";
    } catch (const ExportCancelled& e) {
      EXPECT_NE(std::string(e.what()).find("cancelled"), std::string::npos);
      EXPECT_NE(std::string(e.what()).find(target), std::string::npos);
    }
    EXPECT_TRUE(dir.entries().empty()) << name << ": left " << dir.entries()[0];
  }
}

TEST(Export, BadPathsGiveClearErrorsAndLeaveNothing) {
  TempDir dir;
  const Video src = synthetic_clip(16, 16, 3);
  // A folder that does not exist.
  std::string e = error_of([&] { export_video(src, dir / "nope/clip.mp4"); });
  EXPECT_NE(e.find(dir / "nope/clip.mp4"), std::string::npos) << e;
  EXPECT_NE(e.find("does not exist"), std::string::npos) << e;
  // A regular file used as a folder (root ignores permissions, not this).
  write_file(dir / "file.txt", {'x'});
  for (const char* name : {"file.txt/clip.mp4", "file.txt/clip.gif", "file.txt/clip.webp", "file.txt/frames"}) {
    e = error_of([&] { export_video(src, dir / name); });
    EXPECT_NE(e.find(dir / name), std::string::npos) << e;
    EXPECT_NE(e.find("is not a folder"), std::string::npos) << e;
  }
  // /proc: not writable even for root.
  for (const char* p : {"/proc/ci2v_test.mp4", "/proc/ci2v_test.gif", "/proc/ci2v_test.webp", "/proc/ci2v_frames"}) {
    e = error_of([&] { export_video(src, p); });
    EXPECT_NE(e.find(p), std::string::npos) << e;
    EXPECT_NE(e.find("cannot create a f"), std::string::npos) << e;
    EXPECT_FALSE(fs::exists(p));
  }
  // The target is an existing folder; an unknown extension; invalid parameters JSON.
  fs::create_directory(dir / "d.mp4");
  e = error_of([&] { export_video(src, dir / "d.mp4"); });
  EXPECT_NE(e.find("existing folder"), std::string::npos) << e;
  e = error_of([&] { export_video(src, dir / "clip.avi"); });
  EXPECT_NE(e.find("unknown extension '.avi'"), std::string::npos) << e;
  ExportOptions bad;
  bad.params_json = "{not json";
  e = error_of([&] { export_video(src, dir / "x.mp4", bad); });
  EXPECT_NE(e.find("not valid JSON"), std::string::npos) << e;
  // Bad videos and options.
  e = error_of([&] { export_video(Video{}, dir / "x.mp4"); });
  EXPECT_NE(e.find("no frames"), std::string::npos) << e;
  Video mixed = src;
  mixed.frames[2] = Image(8, 8);
  e = error_of([&] { export_video(mixed, dir / "x.gif"); });
  EXPECT_NE(e.find("frame 2 is 8x8"), std::string::npos) << e;
  ExportOptions fast;  // browsers play frame delays under 2 cs at 10 cs: a GIF of 60 fps would play at 10
  fast.fps = 60;
  e = error_of([&] { export_video(src, dir / "x.gif", fast); });
  EXPECT_NE(e.find("a GIF plays at most 50 frames per second"), std::string::npos) << e;
  EXPECT_NE(e.find("got 60 "), std::string::npos) << e;
  fast.fps = 1e308;  // a number in a message is short
  e = error_of([&] { export_video(src, dir / "x.mp4", fast); });
  EXPECT_NE(e.find("frame rate 1e+308 is out of range"), std::string::npos) << e;
  // an explicit format that the name contradicts: refused naming both (not a GIF under a .mp4 name)
  ExportOptions gif;
  gif.format = Format::Gif;
  e = error_of([&] { export_video(src, dir / "mismatch.mp4", gif); });
  EXPECT_NE(e.find("the format is GIF but the name ends in .mp4 (MP4)"), std::string::npos) << e;
  e = error_of([&] { check_export_target(dir / "no_extension", gif); });
  EXPECT_NE(e.find("the format is GIF but the name has no extension"), std::string::npos) << e;
  ExportOptions png;
  png.format = Format::PngSequence;
  e = error_of([&] { export_video(src, dir / "frames.gif", png); });
  EXPECT_NE(e.find("the format is PNG"), std::string::npos) << e;
  EXPECT_FALSE(fs::exists(dir / "mismatch.mp4"));
  EXPECT_FALSE(fs::exists(dir / "frames.gif"));
  // the format's own extension in any case, or an extension of no format: written as asked
  EXPECT_NO_THROW(check_export_target(dir / "upper.GIF", gif));
  EXPECT_NO_THROW(check_export_target(dir / "frames.v2", png));
  fast.fps = -1;
  Video nofps = src;
  nofps.fps = 0;
  e = error_of([&] { export_video(nofps, dir / "x.mp4", fast); });
  EXPECT_NE(e.find("frame rate"), std::string::npos) << e;
  ExportOptions crf;
  crf.crf = 60;
  e = error_of([&] { export_video(src, dir / "x.mp4", crf); });
  EXPECT_NE(e.find("crf 60"), std::string::npos) << e;
  ExportOptions slow;  // a GIF frame of 1000 s does not fit the format's 16-bit centiseconds
  slow.fps = 0.001;
  e = error_of([&] { export_video(src, dir / "x.gif", slow); });
  EXPECT_NE(e.find("a GIF frame lasts at most 655.35 s"), std::string::npos) << e;
  ExportOptions preset;  // named, not "opening the libx264 encoder failed (Invalid argument)"
  preset.preset = "bogus";
  e = error_of([&] { export_video(src, dir / "x.mp4", preset); });
  EXPECT_NE(e.find("unknown x264 preset 'bogus'"), std::string::npos) << e;
  // the same checks without a video, for a caller with long work ahead (consisti2v generate)
  e = error_of([&] { check_export_target(dir / "x.mp4", preset); });
  EXPECT_NE(e.find("unknown x264 preset 'bogus'"), std::string::npos) << e;
  e = error_of([&] { check_export_target(dir / "clip.avi", ExportOptions{}); });
  EXPECT_NE(e.find("unknown extension '.avi'"), std::string::npos) << e;
  EXPECT_NO_THROW(check_export_target(dir / "fine.mp4", ExportOptions{}));
  for (double fps : {-1.0, std::nan("")}) {  // refused before a long generation, not after it
    ExportOptions o;
    o.fps = fps;
    e = error_of([&] { check_export_target(dir / "x.gif", o); });
    EXPECT_NE(e.find("frame rate"), std::string::npos) << e;
    e = error_of([&] { export_video(src, dir / "x.gif", o); });
    EXPECT_NE(e.find("frame rate"), std::string::npos) << e;
  }
  // A folder that takes no new file (procfs here; a read-only mount alike), found before the work too.
  if (fs::is_directory("/proc/self")) {
    e = error_of([&] { check_export_target(fs::path("/proc/self/clip.gif"), ExportOptions{}); });
    EXPECT_NE(e.find("cannot create a file in '/proc/self'"), std::string::npos) << e;
  }
  for (const auto& name : dir.entries())  // the probes leave nothing behind
    EXPECT_EQ(name.find(".part-"), std::string::npos) << name;
  fs::remove(dir / "file.txt");
  fs::remove(dir / "d.mp4");
  EXPECT_TRUE(dir.entries().empty()) << dir.entries()[0];
}

TEST(Export, FullDiskGivesAClearErrorAndNoPartialFile) {
  TempDir dir;
  const Video src = noise_clip(96, 96, 6);  // incompressible: far larger than the limit in every format
  for (const char* name : {"full.mp4", "full.gif", "full.webp", "full"}) {
    std::string e;
    {
      FileSizeLimit limit(16 * 1024);
      e = error_of([&] { export_video(src, dir / name); });
    }
    EXPECT_NE(e.find(dir / name), std::string::npos) << e;
    EXPECT_NE(e.find("File too large"), std::string::npos) << name << ": " << e;
    EXPECT_TRUE(dir.entries().empty()) << name << ": left " << dir.entries()[0];
  }
  export_video(src, dir / "ok.gif");  // and the limit is gone again
  EXPECT_EQ(decode_video(dir / "ok.gif").frames.size(), 6u);
}

TEST(Export, OverwritesAndOddCharactersInPaths) {
  TempDir dir;
  const std::string path = dir / "my clip: v1 (ü).mp4";
  export_video(synthetic_clip(32, 32, 3), path);
  export_video(synthetic_clip(32, 32, 5), path);  // replaces the first one
  EXPECT_EQ(decode_video(path).frames.size(), 5u);
  EXPECT_EQ(dir.entries().size(), 1u);
}

// Replacing a file keeps what the user set up around it: a link stays a link (the file it names gets the clip), a
// private file stays private; a name near the file system's limit of 255 bytes can be written (the temporary name
// beside it is kept short).
TEST(Export, ReplacingKeepsLinksAndPermissionsAndLongNamesWork) {
  TempDir dir;
  const std::string real = dir / "real.gif";
  export_video(synthetic_clip(32, 32, 2), real);
  ASSERT_EQ(::chmod(real.c_str(), 0600), 0);
  const std::string link = dir / "link.gif";
  std::filesystem::create_symlink("real.gif", link);
  export_video(synthetic_clip(32, 32, 4), link);
  EXPECT_TRUE(std::filesystem::is_symlink(link));
  EXPECT_EQ(decode_video(real).frames.size(), 4u);
  struct stat st {};
  ASSERT_EQ(::stat(real.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // a link to a file not made yet: the file is made where the link points
  const std::string ahead = dir / "ahead.gif";
  std::filesystem::create_symlink("later.gif", ahead);
  export_video(synthetic_clip(32, 32, 2), ahead);
  EXPECT_TRUE(std::filesystem::is_symlink(ahead));
  EXPECT_EQ(decode_video(dir / "later.gif").frames.size(), 2u);
  const std::string longest = dir / (std::string(246, 'a') + ".mp4");  // 250 bytes
  export_video(synthetic_clip(32, 32, 2), longest);
  EXPECT_EQ(decode_video(longest).frames.size(), 2u);
  EXPECT_EQ(dir.entries().size(), 5u);  // no temporary left
  // A link someone else made (as in /tmp) is replaced, not followed: it could name any file of the user's. (Giving a
  // link to another user takes root, which these tests run as; elsewhere this part has nothing to check.)
  if (::geteuid() == 0) {
    const std::string theirs = dir / "theirs.gif";
    std::filesystem::create_symlink("real.gif", theirs);
    ASSERT_EQ(::lchown(theirs.c_str(), 4242, 4242), 0);
    export_video(synthetic_clip(32, 32, 3), theirs);
    EXPECT_FALSE(std::filesystem::is_symlink(theirs));
    EXPECT_EQ(decode_video(theirs).frames.size(), 3u);
    EXPECT_EQ(decode_video(real).frames.size(), 4u);  // untouched
  }
}

// A clip whose frames are all alike: libwebp_anim merges them into one non-animated image (no duration, no loop);
// written as an animation of that frame lasting the whole clip, with its loop count.
TEST(Export, WebPOfAStillClipStaysAnAnimation) {
  if (!encoder_available("libwebp_anim")) GTEST_SKIP() << "this FFmpeg has no libwebp_anim encoder";
  TempDir dir;
  Video still = synthetic_clip(24, 16, 1);
  still.frames.resize(8, still.frames[0]);
  ExportOptions o;
  o.fps = 8;
  o.loop = 3;
  o.webp_lossless = true;
  export_video(still, dir / "still.webp", o);
  std::ifstream f(dir / "still.webp", std::ios::binary);
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  const auto info = ci2v::media::webp::parse(bytes.data(), bytes.size(), "still.webp");
  EXPECT_TRUE(info.animated);
  EXPECT_EQ(info.loop, 3);
  EXPECT_EQ(info.canvas_width, 24);
  int total_ms = 0;
  for (const auto& fr : info.frames) total_ms += fr.duration_ms;
  EXPECT_EQ(total_ms, 1000);  // 8 frames at 8 fps
  const Video back = decode_video(dir / "still.webp");
  ASSERT_FALSE(back.frames.empty());
  EXPECT_EQ(compare(back.frames[0], still.frames[0]).max_abs, 0);  // lossless
}

TEST(Export, SingleFrameInEveryFormat) {
  TempDir dir;
  const Video src = synthetic_clip(32, 24, 1);
  ExportOptions o;
  o.params_json = R"({"seed":3})";
  for (const char* name : {"one.mp4", "one.gif", "one.webp", "one"}) {
    export_video(src, dir / name, o);
    const Video got = decode_video(dir / name);
    ASSERT_EQ(got.frames.size(), 1u) << name;
    EXPECT_EQ(got.width, 32) << name;
    EXPECT_LT(compare(got.frames[0], src.frames[0]).mean_abs, 6.0) << name;
    EXPECT_EQ(read_embedded_params(dir / name), o.params_json) << name;
  }
}

TEST(ReadEmbeddedParams, AbsentInvalidAndMissing) {
  TempDir dir;
  const Video src = synthetic_clip(16, 16, 2);
  for (const char* name : {"a.mp4", "a.gif", "a.webp", "a"}) {
    export_video(src, dir / name);
    EXPECT_EQ(read_embedded_params(dir / name), "") << name;
  }
  // A PNG whose comment-like text is not JSON gives "".
  write_file(dir / "t.png", encode_rgb24("png", test_picture(4, 4)));
  EXPECT_EQ(read_embedded_params(dir / "t.png"), "");
  const std::string e = error_of([&] { read_embedded_params(dir / "missing.mp4"); });
  EXPECT_NE(e.find(dir / "missing.mp4"), std::string::npos) << e;
}

TEST(DecodeVideo, Errors) {
  TempDir dir;
  std::string e = error_of([&] { decode_video(dir / "missing.gif"); });
  EXPECT_NE(e.find("No such file"), std::string::npos) << e;
  write_file(dir / "junk.mp4", std::vector<uint8_t>(1000, 7));
  e = error_of([&] { decode_video(dir / "junk.mp4"); });
  EXPECT_NE(e.find(dir / "junk.mp4"), std::string::npos) << e;
  fs::create_directory(dir / "empty");
  e = error_of([&] { decode_video(dir / "empty"); });
  EXPECT_NE(e.find("no .png files"), std::string::npos) << e;
  // A truncated animated WebP names the broken chunk.
  if (encoder_available("libwebp_anim")) {
    export_video(synthetic_clip(16, 16, 3), dir / "a.webp");
    std::vector<uint8_t> d = read_all(dir / "a.webp");
    d.resize(d.size() / 2);
    write_file(dir / "cut.webp", d);
    e = error_of([&] { decode_video(dir / "cut.webp"); });
    EXPECT_NE(e.find(dir / "cut.webp"), std::string::npos) << e;
  }
}

TEST(DecodeVideo, PngFolderSortsNumbersByValue) {
  TempDir dir;
  fs::create_directory(dir / "seq");
  const Video src = synthetic_clip(8, 8, 11);
  for (int i = 0; i < 11; ++i) write_file(dir / ("seq/f" + std::to_string(i) + ".png"), encode_rgb24("png", src.frames[i]));
  const Video got = decode_video(dir / "seq");
  ASSERT_EQ(got.frames.size(), 11u);
  EXPECT_EQ(worst_of(got, src, identity(11)).max_abs, 0) << "f2 before f10";
  EXPECT_EQ(got.fps, 0.0) << "no frame rate stored";
  EXPECT_EQ(decode_video(dir / "seq", 3).frames.size(), 3u);
}
