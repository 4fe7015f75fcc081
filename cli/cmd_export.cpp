// consisti2v export IN --out FILE: re-encode a PNG folder or a video (MP4, GIF, WebP, ...) with the media
// library (the same code `generate --out` uses).
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

#include "cli/args.h"
#include "cli/interrupt.h"
#include "engine/error.h"

#if defined(CONSISTI2V_HAVE_MEDIA)
#include "engine/media/export.h"
#endif

namespace ci2v::cli {

#if defined(CONSISTI2V_HAVE_MEDIA)

int cmd_export(int argc, char** argv) {
  Args a(argc, argv, 2, {"pingpong", "no-dither", "lossless", "verbose"});
  if (auto u = a.unknown({"out", "fps", "crf", "loop", "pingpong", "no-dither", "format", "quality", "lossless", "params",
                          "preset", "verbose", "max-frames"});
      !u.empty())
    throw UsageError("unknown option " + u[0]);
  if (a.positional().size() != 1)
    throw UsageError("expected one input (a PNG folder or a video file), got " +
                     std::to_string(a.positional().size()));
  const std::string in = a.positional()[0];
  const std::string out = a.get("out");
  if (out.empty()) throw UsageError("--out FILE is required (.mp4, .gif, .webp, or a folder for PNGs)");
  media::set_ffmpeg_quiet(!a.has("verbose"));

  media::ExportOptions o;
  // checked before the input is decoded
  constexpr media::Format kFormats[] = {media::Format::Auto, media::Format::Mp4, media::Format::Gif,
                                        media::Format::WebP, media::Format::PngSequence};
  o.format = kFormats[a.get_choice("format", "auto", {"auto", "mp4", "gif", "webp", "png"})];
  o.fps = a.get_double("fps", 0);  // 0: the input's own rate
  o.crf = a.get_int32("crf", o.crf);
  o.loop = a.get_int32("loop", o.loop);
  o.pingpong = a.has("pingpong");
  o.dither = !a.has("no-dither");
  o.webp_quality = a.get_int32("quality", o.webp_quality);
  o.webp_lossless = a.has("lossless");
  o.preset = a.get("preset", o.preset);
  const media::Format f = o.format == media::Format::Auto ? media::format_from_path(out) : o.format;
  // options the chosen format does not use are not checked (--quality 500 means nothing to a GIF)
  if (f != media::Format::WebP && a.has("quality")) o.webp_quality = media::ExportOptions{}.webp_quality;
  if (f != media::Format::Mp4 && a.has("crf")) o.crf = media::ExportOptions{}.crf;
  // the target and the options before the input is decoded (a long video takes a while and much memory)
  media::check_export_target(out, o);
  const int max_frames = a.get_int32("max-frames", 0);  // 0: all of them
  if (max_frames < 0) throw UsageError("--max-frames: expected a number of frames >= 1 (0: all), got " + a.get("max-frames"));
  media::Video video = media::decode_video(in, max_frames);
  if (o.fps == 0) {
    o.fps = video.fps > 0 ? video.fps : 8.0;
    if (f == media::Format::Gif && o.fps > media::kMaxGifFps) {  // the input's own rate, too fast for a GIF
      std::cerr << "consisti2v export: note: a GIF plays at most " << media::kMaxGifFps << " fps: written at "
                << media::kMaxGifFps << " fps, slower than the input's " << o.fps << " (--fps sets another rate)\n";
      o.fps = media::kMaxGifFps;
    }
  }
  if (a.has("params")) {
    if (std::filesystem::is_directory(a.get("params")))
      throw UsageError("--params: '" + a.get("params") + "' is a folder, not a JSON file");
    std::ifstream f(a.get("params"), std::ios::binary);
    if (!f) throw UsageError("--params: cannot read '" + a.get("params") + "'");
    std::ostringstream s;
    s << f.rdbuf();
    o.params_json = s.str();
    while (!o.params_json.empty() && std::isspace(static_cast<unsigned char>(o.params_json.back())))
      o.params_json.pop_back();
  } else {
    o.params_json = media::read_embedded_params(in);  // keep what the input carries
  }
  const bool tty = isatty(fileno(stderr));
  int last = -1;
  StopRequest stop;  // Ctrl-C cancels the export: no partial file is left
  o.progress = [&](double p) {
    const int pct = static_cast<int>(p * 100);
    if (tty && pct != last) {
      std::fprintf(stderr, "\rexport: %3d%%", pct);
      std::fflush(stderr);
      last = pct;
    }
    return !stop.requested();
  };
  o.notice = [](const std::string& s) { std::cerr << "consisti2v export: note: " << s << "\n"; };
  try {
    media::export_video(video, out, o);
  } catch (const media::ExportCancelled&) {
    if (tty) std::fprintf(stderr, "\n");
    std::cerr << "consisti2v export: cancelled; nothing written to " << out << "\n";
    return stop.exit_code();
  } catch (...) {
    if (tty) std::fprintf(stderr, "\n");
    throw;
  }
  if (tty) std::fprintf(stderr, "\n");
  // the frames written (ping-pong plays them back, MP4 and PNG repeat them for --loop), and from how many
  const size_t n = video.frames.size();
  const size_t once = n + (o.pingpong && n > 2 ? n - 2 : 0);
  const size_t written =
      once * ((f == media::Format::Mp4 || f == media::Format::PngSequence) && o.loop > 1 ? static_cast<size_t>(o.loop) : 1);
  std::cout << "wrote " << out << ": " << media::format_name(f) << ", " << written << " frames"
            << (written != n ? " from " + std::to_string(n) : std::string()) << (o.pingpong ? " (ping-pong)" : "")
            << ", " << video.width << "x" << video.height << " at " << o.fps
            << " fps" << (o.params_json.empty() ? "" : ", generation parameters embedded") << "\n";
  return 0;
}

#else

int cmd_export(int, char**) {
  throw std::runtime_error("this build has no FFmpeg (consisti2v_media was not built), so it cannot export video");
}

#endif

}  // namespace ci2v::cli
