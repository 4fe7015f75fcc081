// bench_export: export time per format for 16 and 128 frames at 256x256 and 512x512 (consisti2v_media only).
// usage: bench_export [--sizes 256,512] [--frames 16,128] [--formats mp4,gif,webp,png] [--dir DIR] [--repeat N]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "engine/files.h"
#include "engine/media/export.h"

namespace fs = std::filesystem;
using namespace ci2v::media;

namespace {

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> v;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) v.push_back(item);
  return v;
}

// wall ms: elapsed time; cpu ms: process CPU time (all threads), which a busy shared machine inflates less.

// Content like a generated clip: smooth gradients, slow texture drift, a moving soft-edged blob.
Video make_clip(int size, int frames) {
  Video v;
  v.width = v.height = size;
  v.fps = 8;
  for (int t = 0; t < frames; ++t) {
    Image img(size, size);
    const double cx = size * (0.3 + 0.4 * std::sin(0.2 * t)), cy = size * (0.5 + 0.2 * std::cos(0.15 * t));
    for (int y = 0; y < size; ++y)
      for (int x = 0; x < size; ++x) {
        uint8_t* p = img.at(x, y);
        const double u = double(x) / size, w = double(y) / size;
        const double d = std::hypot(x - cx, y - cy) / (0.15 * size);
        const double blob = std::exp(-d * d);
        p[0] = uint8_t(std::clamp(60 + 120 * u + 70 * blob + 12 * std::sin(0.11 * x + 0.05 * t), 0.0, 255.0));
        p[1] = uint8_t(std::clamp(80 + 90 * w + 20 * std::sin(0.07 * (x + y) - 0.1 * t), 0.0, 255.0));
        p[2] = uint8_t(std::clamp(140 - 60 * u + 40 * w - 50 * blob, 0.0, 255.0));
      }
    v.frames.push_back(std::move(img));
  }
  return v;
}

uint64_t output_bytes(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    uint64_t n = 0;
    for (const auto& e : fs::directory_iterator(path)) n += e.file_size();
    return n;
  }
  return fs::file_size(path, ec);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> sizes = {"256", "512"}, frames = {"16", "128"}, formats = {"mp4", "gif", "webp", "png"};
  std::string dir = (fs::temp_directory_path() / ("bench_export_" + std::to_string(getpid()))).string();
  int repeat = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--sizes") sizes = split(v);
    else if (k == "--frames") frames = split(v);
    else if (k == "--formats") formats = split(v);
    else if (k == "--dir") dir = v;
    else if (k == "--repeat") repeat = std::max(1, std::atoi(v.c_str()));
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      return 2;
    }
  }
  set_ffmpeg_quiet(true);
  fs::create_directories(dir);
  std::printf("bench_export: %u hardware threads, libx264 %s, libwebp_anim %s; best of %d run(s)\n",
              std::max(1u, static_cast<unsigned>(sysconf(_SC_NPROCESSORS_ONLN))),
              encoder_available("libx264") ? "yes" : "no", encoder_available("libwebp_anim") ? "yes" : "no", repeat);
  std::printf("%-6s %7s %7s %10s %10s %10s %12s\n", "format", "size", "frames", "wall ms", "cpu ms", "ms/frame",
              "output KiB");
  for (const auto& s : sizes)
    for (const auto& f : frames) {
      const int size = std::atoi(s.c_str()), n = std::atoi(f.c_str());
      const Video clip = make_clip(size, n);
      for (const auto& fmt : formats) {
        const std::string path = dir + "/out" + (fmt == "png" ? std::string() : "." + fmt);
        double best = 1e300, best_cpu = 0;
        uint64_t bytes = 0;
        for (int r = 0; r < repeat; ++r) {
          ci2v::remove_tree(path);
          ExportOptions o;
          o.params_json = R"({"prompt":"bench","seed":1})";
          const auto t0 = std::chrono::steady_clock::now();
          const std::clock_t c0 = std::clock();
          try {
            export_video(clip, path, o);
          } catch (const std::exception& e) {
            std::printf("%-6s %7s %7d  failed: %s\n", fmt.c_str(), (s + "^2").c_str(), n, e.what());
            best = -1;
            break;
          }
          const double wall = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
          if (wall < best) best = wall, best_cpu = 1000.0 * double(std::clock() - c0) / CLOCKS_PER_SEC;
          bytes = output_bytes(path);
        }
        if (best >= 0)
          std::printf("%-6s %7s %7d %10.0f %10.0f %10.1f %12.1f\n", fmt.c_str(), (s + "^2").c_str(), n, best, best_cpu,
                      best / n, bytes / 1024.0);
        ci2v::remove_tree(path);
        std::fflush(stdout);
      }
    }
  ci2v::remove_tree(dir);
  return 0;
}
