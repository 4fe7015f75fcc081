// decode_video and read_embedded_params.
#include <algorithm>
#include <cmath>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "engine/media/container_meta.h"
#include "engine/media/export.h"
#include "engine/media/ff_common.h"
#include "engine/media/video.h"
#include "engine/media/webp_container.h"

namespace fs = std::filesystem;

namespace ci2v::media {

namespace {

// "frame_2.png" < "frame_10.png": digit runs compare by value.
bool natural_less(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      size_t i2 = i, j2 = j;
      while (i2 < a.size() && std::isdigit(static_cast<unsigned char>(a[i2]))) ++i2;
      while (j2 < b.size() && std::isdigit(static_cast<unsigned char>(b[j2]))) ++j2;
      std::string da = a.substr(i, i2 - i), db = b.substr(j, j2 - j);
      da.erase(0, std::min(da.find_first_not_of('0'), da.size()));
      db.erase(0, std::min(db.find_first_not_of('0'), db.size()));
      if (da.size() != db.size()) return da.size() < db.size();
      if (da != db) return da < db;
      i = i2, j = j2;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i, ++j;
    }
  }
  if ((a.size() - i) != (b.size() - j)) return (a.size() - i) < (b.size() - j);
  return a < b;
}

std::vector<std::string> png_files(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string ext = e.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext == ".png" && e.is_regular_file(ec)) names.push_back(e.path().filename().string());
  }
  if (ec) throw Error("cannot read the folder '" + dir + "': " + ec.message());
  std::sort(names.begin(), names.end(), natural_less);
  for (auto& n : names) n = (fs::path(dir) / n).string();
  return names;
}

void check_memory(const Video& v, const std::string& path) {
  const uint64_t bytes = static_cast<uint64_t>(v.frames.size()) * v.frames.back().rgb.size();
  if (bytes > ff::kMaxDecodedBytes)
    throw Error("cannot read '" + path + "': its decoded frames exceed " + std::to_string(ff::kMaxDecodedBytes >> 30) +
                " GiB after " + std::to_string(v.frames.size()) + " frames; read fewer frames (consisti2v export " +
                "--max-frames N)");
}

std::vector<uint8_t> read_head(const std::string& path, size_t n) {
  std::vector<uint8_t> head(n, 0);
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return {};
  head.resize(std::fread(head.data(), 1, n, f));
  std::fclose(f);
  return head;
}

Video decode_png_folder(const std::string& dir, int max_frames) {
  const auto files = png_files(dir);
  if (files.empty()) throw Error("cannot read '" + dir + "': the folder holds no .png files");
  Video v;
  LoadOptions lo;
  lo.background = {0, 0, 0};
  lo.apply_exif_orientation = false;
  lo.depth16 = Depth16::Round;
  for (const auto& f : files) {
    if (max_frames > 0 && static_cast<int>(v.frames.size()) >= max_frames) break;
    Image img = load_image(f, lo);
    if (!v.frames.empty() && (img.width != v.width || img.height != v.height))
      throw Error("cannot read '" + dir + "': '" + f + "' is " + std::to_string(img.width) + "x" +
                  std::to_string(img.height) + ", the first frame is " + std::to_string(v.width) + "x" +
                  std::to_string(v.height));
    v.width = img.width, v.height = img.height;
    v.frames.push_back(std::move(img));
    check_memory(v, dir);  // the same cap as a video's frames
  }
  const std::vector<uint8_t> first = ff::read_file(files[0]);
  bool found = false;
  const std::string fps = meta::png_find_text(first.data(), first.size(), meta::kPngFpsKeyword, &found);
  if (found) {
    try {
      v.fps = std::stod(fps);
    } catch (const std::exception&) {
      v.fps = 0;
    }
  }
  return v;
}

Video decode_webp(const std::string& path, int max_frames) {
  const std::vector<uint8_t> data = ff::read_file(path);
  const webp::Info info = webp::parse(data.data(), data.size(), path, max_frames);
  Video v;
  int64_t total_ms = 0;
  bool all_timed = true;
  webp::decode_frames(info, path, [&](const ff::Rgba& canvas, int duration_ms) {
    v.frames.push_back(ff::rgba_to_image(canvas, {0, 0, 0}, true, true));
    check_memory(v, path);
    total_ms += duration_ms;
    all_timed &= duration_ms > 0;
    return true;
  });
  v.width = v.frames[0].width, v.height = v.frames[0].height;
  v.fps = all_timed && total_ms > 0 ? static_cast<double>(v.frames.size()) * 1000.0 / static_cast<double>(total_ms) : 0;
  return v;
}

std::string valid_json_or_empty(const std::string& s) { return !s.empty() && nlohmann::json::accept(s) ? s : std::string(); }

}  // namespace

Video decode_video(const std::string& path, int max_frames) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return decode_png_folder(path, max_frames);
  const std::vector<uint8_t> head = read_head(path, 16);
  if (webp::is_webp(head.data(), head.size())) return decode_webp(path, max_frames);
  ff::InputFile in(path);
  ff::VideoDecoder dec(in);
  {
    // What the container says it holds, before anything is decoded: a 67 KB GIF of 100 frames of 4000 x 4000 took
    // 4.5 GB before the decoded frames reached the limit.
    const AVStream* st = dec.stream();
    double frames = static_cast<double>(st->nb_frames);
    if (frames <= 0 && in.fmt()->duration > 0 && st->avg_frame_rate.num > 0 && st->avg_frame_rate.den > 0)
      frames = static_cast<double>(in.fmt()->duration) / AV_TIME_BASE * av_q2d(st->avg_frame_rate);
    if (max_frames > 0) frames = std::min<double>(frames, max_frames);
    // in doubles: a crafted container's counts cannot overflow (or wrap past the limit)
    const double bytes = std::max(frames, 0.0) * st->codecpar->width * st->codecpar->height * 3;
    if (bytes > static_cast<double>(ff::kMaxDecodedBytes))
      throw Error("cannot read '" + path + "': it holds about " + std::to_string(std::llround(std::min(frames, 1e18))) +
                  " frames of " +
                  std::to_string(st->codecpar->width) + "x" + std::to_string(st->codecpar->height) + ", more than the " +
                  std::to_string(ff::kMaxDecodedBytes >> 30) + " GiB its decoded frames may take; read fewer " +
                  "frames (consisti2v export --max-frames N)");
  }
  Video v;
  std::vector<int64_t> durations, stamps;
  ff::FramePtr f = ff::make_frame();
  while ((max_frames <= 0 || static_cast<int>(v.frames.size()) < max_frames) && dec.next(f.get())) {
    Image img = ff::rgba_to_image(ff::frame_to_rgba(f.get(), path), {0, 0, 0}, true, true);
    if (!v.frames.empty() && (img.width != v.width || img.height != v.height))
      throw Error("cannot read '" + path + "': frame " + std::to_string(v.frames.size()) + " is " +
                  std::to_string(img.width) + "x" + std::to_string(img.height) + ", the first frame is " +
                  std::to_string(v.width) + "x" + std::to_string(v.height));
    v.width = img.width, v.height = img.height;
    v.frames.push_back(std::move(img));
    check_memory(v, path);
    durations.push_back(ff::frame_duration(f.get()));
    stamps.push_back(f->best_effort_timestamp);
  }
  if (v.frames.empty()) throw Error("cannot read '" + path + "': the file holds no decodable frame");
  AVStream* st = dec.stream();
  v.fps = ff::frame_rate_from(durations, stamps, st->time_base, st->avg_frame_rate, st->r_frame_rate);
  return v;
}

std::string read_embedded_params(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    const auto files = png_files(path);
    if (files.empty()) return {};
    const auto data = ff::read_file(files[0]);
    return valid_json_or_empty(meta::png_find_text(data.data(), data.size(), meta::kPngParamsKeyword));
  }
  const std::vector<uint8_t> head = read_head(path, 16);
  if (meta::is_png(head.data(), head.size())) {
    const auto data = ff::read_file(path);
    return valid_json_or_empty(meta::png_find_text(data.data(), data.size(), meta::kPngParamsKeyword));
  }
  if (meta::is_gif(head.data(), head.size())) {
    const auto data = ff::read_file(path);
    return valid_json_or_empty(meta::gif_find_comment(data.data(), data.size()));
  }
  if (webp::is_webp(head.data(), head.size())) {
    const auto data = ff::read_file(path);
    return valid_json_or_empty(meta::xmp_unwrap_params(webp::find_xmp(data.data(), data.size())));
  }
  ff::InputFile in(path);
  if (const AVDictionaryEntry* e = av_dict_get(in.fmt()->metadata, "comment", nullptr, 0))
    return valid_json_or_empty(e->value);
  return {};
}

}  // namespace ci2v::media
