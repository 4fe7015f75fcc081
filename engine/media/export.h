// Video export with the FFmpeg libraries: MP4 (H.264), GIF (one palette for the whole clip), animated WebP,
// PNG sequence. Output goes to a temporary file in the target folder that is renamed at the end, so a failure
// or a cancel leaves no partial file. The generation parameters (JSON) are embedded where the format can
// hold them: MP4 "comment" metadata, a GIF comment extension, a WebP XMP chunk, a PNG tEXt chunk (iTXt when
// the JSON is not ASCII) with the keyword "consisti2v". A PNG sequence is a folder of frame_00000.png, ...
// that also carry the frame rate ("consisti2v:fps"); it must not exist yet or be empty.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "engine/error.h"
#include "engine/media/video.h"

namespace ci2v::media {

enum class Format { Auto, Mp4, Gif, WebP, PngSequence };

const char* format_name(Format f);
// A GIF's fastest frame rate: browsers show frame delays under 2 centiseconds as 10, so a faster GIF plays slower.
constexpr double kMaxGifFps = 50;
constexpr double kMinVideoFps = 0.01;  // MP4 and WebP: a frame every 100 s (their time bases fail far below)
// Auto: by extension: .mp4/.m4v -> Mp4, .gif -> Gif, .webp -> WebP, no extension or a trailing '/' ->
// PngSequence (a folder). Anything else throws ci2v::Error listing the known extensions. An explicit
// ExportOptions::format must agree with a name that says one of these formats (refused otherwise, naming both).
Format format_from_path(const std::string& path);

struct ExportOptions {
  Format format = Format::Auto;
  double fps = 8;           // frames per second; 0 uses Video::fps (negative or NaN is refused)
  int crf = 18;             // MP4 quality (libx264 CRF 0..51; mapped to a quantiser for fallback encoders)
  int loop = 0;             // GIF/WebP: 0 = loop forever, N = play N times. MP4/PNG: N > 1 writes the clip N times
  bool pingpong = false;    // play forward then backward (frames 0..n-1, n-2..1)
  bool dither = true;       // GIF: ordered (Bayer 8x8) dithering, stable from frame to frame
  std::string params_json;  // embedded generation parameters (must be valid JSON, or empty)
  // Called with the fraction done in [0, 1]; return false to cancel (throws ExportCancelled, no file left).
  std::function<bool(double progress)> progress;
  // Non-fatal notices (an encoder fallback, odd sizes padded for 4:2:0). Ignored when empty.
  std::function<void(const std::string&)> notice;
  std::string preset = "medium";  // libx264 preset
  int webp_quality = 90;          // lossy WebP quality 0..100
  bool webp_lossless = false;
  // MP4 encoders in order of preference; the first one this FFmpeg has is used (a notice tells if it is
  // not the first). libopenh264 and mpeg4 are the fallbacks when libx264 is missing.
  std::vector<std::string> mp4_encoders = {"libx264", "libopenh264", "mpeg4"};
};

class ExportCancelled : public Error {
public:
  using Error::Error;
};
// The request itself is wrong (an unknown extension, a name that says another format, an option or frame rate out
// of range), whatever the disk: a command line maps it to a usage error.
class BadExportOptions : public Error {
public:
  using Error::Error;
};

// Throws ci2v::Error (ExportCancelled on cancel, BadExportOptions for the request) whose message names the path and
// the cause.
void export_video(const Video& video, const std::string& path, const ExportOptions& options = {});
// The checks export_video makes before it encodes anything, without a video: the format (from the path or
// options.format), the options and frame rate in range, the folder there, the target not a folder (a PNG folder
// absent or empty), a new file can be created in the folder (probed: a read-only mount fails here). For a caller
// with long work ahead (a generation) to refuse a bad target first. Throws ci2v::Error naming the path and the
// cause (BadExportOptions when the request is wrong, whatever the disk).
void check_export_target(const std::string& path, const ExportOptions& options);

// The embedded generation parameters of a file written by export_video (or any file carrying our JSON in
// the same places), or "" when there are none or they are not valid JSON. Throws if the file cannot be read.
std::string read_embedded_params(const std::string& path);

// Whether this FFmpeg build has an encoder of that name (e.g. "libx264", "libwebp_anim").
bool encoder_available(const std::string& name);

// FFmpeg's own log output: quiet = errors only (default FFmpeg level otherwise).
void set_ffmpeg_quiet(bool quiet);

}  // namespace ci2v::media
