// Helpers for the media tests: temporary folders, synthetic clips, still images encoded with FFmpeg,
// pixel error measures.
#pragma once
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
}
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "engine/files.h"
#include "engine/media/image.h"
#include "engine/media/video.h"

namespace ci2v::media::testing {

namespace fs = std::filesystem;

// A fresh folder per test, removed afterwards.
class TempDir {
public:
  TempDir() {
    static int counter = 0;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string("ci2v_media_") + (info ? info->name() : "x") + "_" + std::to_string(getpid()) + "_" +
                       std::to_string(counter++);
    path_ = fs::temp_directory_path() / name;
    ci2v::remove_tree(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    ci2v::remove_tree(path_, ec);
  }
  std::string operator/(const std::string& n) const { return (path_ / n).string(); }
  const fs::path& path() const { return path_; }
  std::vector<std::string> entries() const {
    std::vector<std::string> v;
    for (const auto& e : fs::directory_iterator(path_)) v.push_back(e.path().filename().string());
    return v;
  }

private:
  fs::path path_;
};

inline void quiet_ffmpeg() { av_log_set_level(AV_LOG_ERROR); }

// Smooth gradients, a moving square and a little texture: something every codec must keep close.
inline Video synthetic_clip(int w, int h, int frames, double fps = 8) {
  Video v;
  v.width = w, v.height = h, v.fps = fps;
  for (int t = 0; t < frames; ++t) {
    Image img(w, h);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        uint8_t* p = img.at(x, y);
        p[0] = uint8_t(std::lround(40 + 160.0 * x / std::max(1, w - 1)));
        p[1] = uint8_t(std::lround(60 + 120.0 * y / std::max(1, h - 1)));
        p[2] = uint8_t(std::lround(128 + 60 * std::sin(0.15 * (x + y) + 0.4 * t)));
        // A moving square with soft (4 px) edges: lossy 4:2:0 codecs keep it, a hard edge would bleed chroma.
        const double sx = (t * 3) % std::max(1, w - w / 4), sy = h / 3.0, sw = w / 4.0, sh = h / 4.0;
        const double dx = std::min(x - sx, sx + sw - 1 - x), dy = std::min(y - sy, sy + sh - 1 - y);
        const double a = std::clamp((std::min(dx, dy) + 1) / 4.0, 0.0, 1.0);
        p[0] = uint8_t(std::lround(p[0] * (1 - a) + 230 * a));
        p[1] = uint8_t(std::lround(p[1] * (1 - a) + 40 * a));
        p[2] = uint8_t(std::lround(p[2] * (1 - a) + 50 * a));
      }
    v.frames.push_back(std::move(img));
  }
  return v;
}

inline Video noise_clip(int w, int h, int frames, unsigned seed = 1) {
  std::mt19937 rng(seed);
  Video v;
  v.width = w, v.height = h, v.fps = 8;
  for (int t = 0; t < frames; ++t) {
    Image img(w, h);
    for (auto& b : img.rgb) b = uint8_t(rng());
    v.frames.push_back(std::move(img));
  }
  return v;
}

struct ErrorStats {
  double mean_abs = 0;
  int max_abs = 0;
  double psnr = 0;
};

inline ErrorStats compare(const Image& a, const Image& b) {
  ErrorStats s;
  EXPECT_EQ(a.width, b.width);
  EXPECT_EQ(a.height, b.height);
  if (a.rgb.size() != b.rgb.size() || a.rgb.empty()) return {1e9, 255, 0};
  double sum = 0, sq = 0;
  for (size_t i = 0; i < a.rgb.size(); ++i) {
    const int d = std::abs(int(a.rgb[i]) - int(b.rgb[i]));
    sum += d, sq += double(d) * d;
    s.max_abs = std::max(s.max_abs, d);
  }
  s.mean_abs = sum / double(a.rgb.size());
  const double mse = sq / double(a.rgb.size());
  s.psnr = mse > 0 ? 10 * std::log10(255.0 * 255.0 / mse) : 99;
  return s;
}

// Encode one still image with an FFmpeg encoder; `fill` writes the frame's planes.
inline std::vector<uint8_t> encode_still(const char* encoder, AVPixelFormat fmt, int w, int h,
                                         const std::function<void(AVFrame*)>& fill,
                                         const std::vector<std::pair<std::string, std::string>>& opts = {}) {
  const AVCodec* codec = avcodec_find_encoder_by_name(encoder);
  if (!codec) throw std::runtime_error(std::string("no encoder ") + encoder);
  AVCodecContext* cc = avcodec_alloc_context3(codec);
  cc->width = w, cc->height = h, cc->pix_fmt = fmt, cc->time_base = {1, 25};
  if (std::strcmp(encoder, "mjpeg") == 0) {
    cc->flags |= AV_CODEC_FLAG_QSCALE;
    cc->global_quality = FF_QP2LAMBDA * 2;
    cc->color_range = AVCOL_RANGE_JPEG;
  }
  AVDictionary* d = nullptr;
  for (const auto& [k, v] : opts) av_dict_set(&d, k.c_str(), v.c_str(), 0);
  if (avcodec_open2(cc, codec, &d) < 0) throw std::runtime_error(std::string("cannot open ") + encoder);
  av_dict_free(&d);
  AVFrame* f = av_frame_alloc();
  f->format = fmt, f->width = w, f->height = h;
  av_frame_get_buffer(f, 0);
  fill(f);
  f->pts = 0;
  std::vector<uint8_t> out;
  AVPacket* p = av_packet_alloc();
  avcodec_send_frame(cc, f);
  avcodec_send_frame(cc, nullptr);
  while (avcodec_receive_packet(cc, p) == 0) {
    out.insert(out.end(), p->data, p->data + p->size);
    av_packet_unref(p);
  }
  av_packet_free(&p);
  av_frame_free(&f);
  avcodec_free_context(&cc);
  return out;
}

inline void write_file(const std::string& path, const std::vector<uint8_t>& data) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr) << path;
  if (!data.empty()) std::fwrite(data.data(), 1, data.size(), f);
  std::fclose(f);
}

inline std::vector<uint8_t> read_all(const std::string& path) {
  std::vector<uint8_t> v;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return v;
  uint8_t buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) v.insert(v.end(), buf, buf + n);
  std::fclose(f);
  return v;
}

// A deterministic test picture (w x h RGB).
inline Image test_picture(int w, int h) {
  Image img(w, h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      uint8_t* p = img.at(x, y);
      p[0] = uint8_t((x * 37 + y * 11) & 255);
      p[1] = uint8_t((x * 5 + y * 29 + 7) & 255);
      p[2] = uint8_t((x * y + 3 * x) & 255);
    }
  return img;
}

inline std::vector<uint8_t> encode_rgb24(const char* encoder, const Image& img,
                                         const std::vector<std::pair<std::string, std::string>>& opts = {},
                                         AVPixelFormat fmt = AV_PIX_FMT_RGB24) {
  return encode_still(encoder, fmt, img.width, img.height, [&](AVFrame* f) {
    for (int y = 0; y < img.height; ++y) {
      uint8_t* row = f->data[0] + y * f->linesize[0];
      for (int x = 0; x < img.width; ++x) {
        const uint8_t* s = img.at(x, y);
        if (fmt == AV_PIX_FMT_BGR24) row[x * 3] = s[2], row[x * 3 + 1] = s[1], row[x * 3 + 2] = s[0];
        else std::memcpy(row + x * 3, s, 3);
      }
    }
  }, opts);
}

}  // namespace ci2v::media::testing
