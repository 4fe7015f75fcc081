// export_video: validation, frame order (ping-pong, repeats), temporary file + rename, progress and cancel.
#include "engine/files.h"
#include "engine/media/export.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <nlohmann/json.hpp>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/log.h>
}

#include "engine/media/export_writers.h"

namespace fs = std::filesystem;

namespace ci2v::media {

const char* format_name(Format f) {
  switch (f) {
    case Format::Auto: return "auto";
    case Format::Mp4: return "MP4";
    case Format::Gif: return "GIF";
    case Format::WebP: return "WebP";
    case Format::PngSequence: return "PNG sequence";
  }
  return "?";
}

Format format_from_path(const std::string& path) {
  if (!path.empty() && path.back() == '/') return Format::PngSequence;
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == ".mp4" || ext == ".m4v") return Format::Mp4;
  if (ext == ".gif") return Format::Gif;
  if (ext == ".webp") return Format::WebP;
  if (ext.empty()) return Format::PngSequence;
  throw BadExportOptions("cannot export to '" + path + "': unknown extension '" + ext +
              "' (expected .mp4, .m4v, .gif, .webp, or a folder name without extension for a PNG sequence)");
}

bool encoder_available(const std::string& name) { return avcodec_find_encoder_by_name(name.c_str()) != nullptr; }

void set_ffmpeg_quiet(bool quiet) { av_log_set_level(quiet ? AV_LOG_ERROR : AV_LOG_INFO); }

namespace detail {

void write_bytes(const std::string& path, const std::vector<uint8_t>& data, const std::string& target) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw Error("cannot write '" + target + "': " + std::strerror(errno));
  const size_t n = data.empty() ? 0 : std::fwrite(data.data(), 1, data.size(), f);
  int err = n == data.size() ? 0 : (errno ? errno : EIO);
  if (std::fflush(f) != 0 && !err) err = errno;
  if (std::fclose(f) != 0 && !err) err = errno;
  if (err) throw Error("cannot write '" + target + "': " + std::strerror(err));
}

std::vector<int> distinct_frames(const std::vector<int>& order) {
  std::vector<int> out;
  for (int i : order)
    if (std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
  return out;
}

}  // namespace detail

namespace {

std::atomic<unsigned> g_temp_counter{0};

// A temporary name beside the target, hidden, unique, and short enough for any name the target may have (a name of
// 250 bytes plus ".part-…" would pass the file system's limit of 255).
fs::path temp_beside(const fs::path& parent, const fs::path& name) {
  std::string stem = name.string();
  if (stem.size() > 120) {
    stem.resize(120);
    while (!stem.empty() && (static_cast<unsigned char>(stem.back()) & 0xC0) == 0x80) stem.pop_back();  // UTF-8
    if (!stem.empty() && static_cast<unsigned char>(stem.back()) >= 0xC0) stem.pop_back();
  }
  return parent / ("." + stem + ".part-" + std::to_string(getpid()) + "-" + std::to_string(g_temp_counter.fetch_add(1)));
}

// The written file to the disk before it replaces the old one (a crash right after the rename must not leave an
// empty file where a good one was), and the rename itself after.
void sync_path(const fs::path& p, bool folder) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC | (folder ? O_DIRECTORY : 0));
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

void validate_video(const Video& v, const std::string& path) {
  const std::string where = "cannot export to '" + path + "': ";
  if (v.frames.empty()) throw Error(where + "the video has no frames");
  const int w = v.frames[0].width, h = v.frames[0].height;
  if (w <= 0 || h <= 0) throw Error(where + "frame 0 is empty");
  if ((v.width || v.height) && (v.width != w || v.height != h))
    throw Error(where + "Video says " + std::to_string(v.width) + "x" + std::to_string(v.height) + " but frame 0 is " +
                std::to_string(w) + "x" + std::to_string(h));
  for (size_t i = 0; i < v.frames.size(); ++i) {
    const Image& f = v.frames[i];
    if (f.width != w || f.height != h)
      throw Error(where + "frame " + std::to_string(i) + " is " + std::to_string(f.width) + "x" +
                  std::to_string(f.height) + ", frame 0 is " + std::to_string(w) + "x" + std::to_string(h));
    if (f.rgb.size() != static_cast<size_t>(w) * h * 3)
      throw Error(where + "frame " + std::to_string(i) + " holds " + std::to_string(f.rgb.size()) +
                  " bytes, expected " + std::to_string(static_cast<size_t>(w) * h * 3) + " (RGB24)");
  }
  if (w > 16384 || h > 16384) throw Error(where + "frames larger than 16384 pixels are not supported");
}

// A number for a message: 8, 12.5, 1e+308 (not std::to_string's 300 digits).
std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", v);
  return b;
}

// The options and the frame rate (nothing of the video).
void check_options(const ExportOptions& o, double fps, Format fmt, const std::string& path) {
  const std::string where = "cannot export to '" + path + "': ";
  if (!std::isfinite(fps) || fps <= 0 || fps > 1000)
    throw BadExportOptions(where + "frame rate " + num(fps) + " is out of range (0, 1000]");
  if (fmt == Format::Gif && fps > kMaxGifFps)
    throw BadExportOptions(where + "a GIF plays at most 50 frames per second (browsers show frame delays under 2 "
                "centiseconds as 10, so a faster GIF plays slower), got " + num(fps) + " (use MP4 or WebP for more)");
  if ((fmt == Format::Mp4 || fmt == Format::WebP) && fps < kMinVideoFps)  // (their time bases fail below)
    throw BadExportOptions(where + "the frame rate must be >= " + num(kMinVideoFps) + " (a frame every 100 s), got " +
                           num(fps));
  if (fmt == Format::Gif && fps < 100.0 / 65535.0)
    throw BadExportOptions(where + "a GIF frame lasts at most 655.35 s, so the frame rate must be >= 0.0016, got " + num(fps));
  if (fmt == Format::Mp4) {
    static const char* kPresets[] = {"ultrafast", "superfast", "veryfast", "faster", "fast",
                                     "medium",    "slow",      "slower",   "veryslow", "placebo"};
    if (std::none_of(std::begin(kPresets), std::end(kPresets), [&](const char* p) { return o.preset == p; }))
      throw BadExportOptions(where + "unknown x264 preset '" + o.preset +
                  "' (expected ultrafast, superfast, veryfast, faster, fast, medium, slow, slower, veryslow or "
                  "placebo)");
  }
  if (o.crf < 0 || o.crf > 51) throw BadExportOptions(where + "crf " + std::to_string(o.crf) + " is out of range 0..51");
  if (o.loop < 0 || o.loop > 65535) throw BadExportOptions(where + "loop " + std::to_string(o.loop) + " is out of range 0..65535");
  if (o.webp_quality < 0 || o.webp_quality > 100)
    throw BadExportOptions(where + "WebP quality " + std::to_string(o.webp_quality) + " is out of range 0..100");
  if (!o.params_json.empty() && !nlohmann::json::accept(o.params_json))
    throw BadExportOptions(where + "the generation parameters are not valid JSON");
}

}  // namespace

namespace {

struct Target {
  Format format;
  fs::path target, parent, name;
};

// The target's format, its folder and its name, checked: the folder exists, a file is not a folder and a PNG
// folder is absent or empty; the options are in range.
Target check_target(const std::string& path, const ExportOptions& opt, double fps) {
  Target t;
  t.format = opt.format == Format::Auto ? format_from_path(path) : opt.format;
  if (opt.format != Format::Auto) {  // a name that says another format would mislead every program that opens it
    std::optional<Format> named;
    try {
      named = format_from_path(path);
    } catch (const Error&) {  // an extension of no format of ours: the chosen format is written under it
    }
    if (named && *named != t.format)
      throw BadExportOptions("cannot export to '" + path + "': the format is " + format_name(t.format) + " but the name " +
                  (*named == Format::PngSequence ? std::string("has no extension (a PNG folder's name)")
                                                 : "ends in " + fs::path(path).extension().string() + " (" +
                                                       format_name(*named) + ")") +
                  ": give it the format's extension, or let the name choose the format");
  }
  check_options(opt, fps, t.format, path);
  std::string clean = path;
  while (clean.size() > 1 && clean.back() == '/') clean.pop_back();
  fs::path target = fs::path(clean).lexically_normal();
  // A link of one's own is written through (the file it names gets the clip, the link stays a link), also when that
  // file does not exist yet. A link someone else made (in /tmp, say) is replaced, not followed: it could name any
  // file of the user's.
  for (int hops = 0; t.format != Format::PngSequence && hops < 8; ++hops) {
    struct stat ls {};
    if (::lstat(target.c_str(), &ls) != 0 || !S_ISLNK(ls.st_mode) || ls.st_uid != ::geteuid()) break;
    std::error_code link_ec;
    const fs::path to = fs::read_symlink(target, link_ec);
    if (link_ec) break;
    target = (to.is_absolute() ? to : target.parent_path() / to).lexically_normal();
  }
  const fs::path name = target.filename();
  if (name.empty() || name == "." || name == "..") throw Error("cannot export to '" + path + "': no file name");
  fs::path parent = target.parent_path();
  if (parent.empty()) parent = ".";
  std::error_code ec;
  const fs::file_status ps = fs::status(parent, ec);
  if (!fs::exists(ps))
    throw Error("cannot write '" + path + "': the folder '" + parent.string() + "' does not exist");
  if (!fs::is_directory(ps)) throw Error("cannot write '" + path + "': '" + parent.string() + "' is not a folder");
  const fs::file_status ts = fs::status(target, ec);
  if (t.format == Format::PngSequence) {
    if (fs::exists(ts) && !fs::is_directory(ts))
      throw Error("cannot write '" + path + "': a PNG sequence goes into a folder, and this is an existing file");
    if (fs::is_directory(ts) && !fs::is_empty(target, ec))
      throw Error("cannot write '" + path + "': the folder exists and is not empty");
  } else if (fs::is_directory(ts)) {
    throw Error("cannot write '" + path + "': it is an existing folder");
  }
  t.target = target;
  t.parent = parent;
  t.name = name;
  return t;
}

}  // namespace

namespace {
// ExportOptions::fps before the video's own rate is known: 0 (that rate) or a rate; negative or NaN refused.
void check_fps_option(const ExportOptions& opt, const std::string& path) {
  if (std::isnan(opt.fps) || opt.fps < 0)
    throw BadExportOptions("cannot export to '" + path + "': frame rate " + num(opt.fps) +
                " is out of range (0, 1000] (0: the video's own)");
}
}  // namespace

void check_export_target(const std::string& path, const ExportOptions& opt) {
  check_fps_option(opt, path);
  const Target t = check_target(path, opt, opt.fps > 0 ? opt.fps : 8.0);
  // The folder takes a new file (a read-only mount, /proc and the like do not): probed with a temporary name of
  // the form export_video uses (so a name it can write is never refused here), removed at once.
  const fs::path probe = temp_beside(t.parent, t.name);
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0)
    throw Error("cannot write '" + path + "': cannot create a file in '" + t.parent.string() + "': " +
                std::strerror(errno));
  ::close(fd);
  std::error_code ec;
  fs::remove(probe, ec);
}

void export_video(const Video& video, const std::string& path, const ExportOptions& opt) {
  check_fps_option(opt, path);
  const double fps = opt.fps > 0 ? opt.fps : video.fps;
  validate_video(video, path);
  const Target checked = check_target(path, opt, fps);
  const Format fmt = checked.format;
  const fs::path& target = checked.target;
  const fs::path& parent = checked.parent;
  const fs::path& name = checked.name;
  std::error_code ec;

  // Output frame order.
  detail::Job job{video, {}, fps, opt, path, {}, {}};
  const int n = static_cast<int>(video.frames.size());
  std::vector<int> once;
  for (int i = 0; i < n; ++i) once.push_back(i);
  if (opt.pingpong)
    for (int i = n - 2; i >= 1; --i) once.push_back(i);
  const int repeats = (fmt == Format::Mp4 || fmt == Format::PngSequence) && opt.loop > 1 ? opt.loop : 1;
  for (int r = 0; r < repeats; ++r) job.order.insert(job.order.end(), once.begin(), once.end());

  const size_t total = job.order.size();
  job.step = [&](size_t done) {
    if (opt.progress && !opt.progress(std::min(0.99, static_cast<double>(done) / static_cast<double>(total))))
      throw ExportCancelled("export to '" + path + "' cancelled; no file was written");
  };
  job.temp = temp_beside(parent, name).string();
  auto cleanup = [&] {
    std::error_code e;
    ci2v::remove_tree(job.temp, e);
  };
  // Create the temporary file (or folder) first: an unwritable place fails before any encoding.
  if (fmt == Format::PngSequence) {
    if (!fs::create_directory(job.temp, ec) || ec)
      throw Error("cannot write '" + path + "': cannot create a folder in '" + parent.string() +
                  "': " + (ec ? ec.message() : std::string("it already exists")));
  } else {
    const int fd = ::open(job.temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0)
      throw Error("cannot write '" + path + "': cannot create a file in '" + parent.string() + "': " +
                  std::strerror(errno));
    ::close(fd);
  }
  try {
    job.step(0);
    switch (fmt) {
      case Format::Mp4: detail::write_mp4(job); break;
      case Format::Gif: detail::write_gif(job); break;
      case Format::WebP: detail::write_webp(job); break;
      case Format::PngSequence: detail::write_png_sequence(job); break;
      case Format::Auto: break;
    }
    job.step(total);
    if (fmt != Format::PngSequence) {
      // a file replaced keeps its permissions (a private clip stays private)
      struct stat old {};
      if (::stat(target.c_str(), &old) == 0 && S_ISREG(old.st_mode)) (void)::chmod(job.temp.c_str(), old.st_mode & 0777);
      sync_path(job.temp, false);
    }
    fs::rename(job.temp, target, ec);
    if (ec) throw Error("cannot write '" + path + "': renaming the finished temporary file failed: " + ec.message());
    sync_path(parent, true);
  } catch (...) {
    cleanup();
    throw;
  }
  if (opt.progress) opt.progress(1.0);
}

}  // namespace ci2v::media
