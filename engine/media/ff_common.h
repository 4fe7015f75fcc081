// Internal: small RAII wrappers and helpers around the FFmpeg C API (not part of the public media API).
#pragma once
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "engine/error.h"
#include "engine/media/image.h"

namespace ci2v::media::ff {

std::string err2str(int errnum);

struct FrameDeleter {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketDeleter {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct CodecCtxDeleter {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct SwsDeleter {
  void operator()(SwsContext* s) const { sws_freeContext(s); }
};
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using CodecCtxPtr = std::unique_ptr<AVCodecContext, CodecCtxDeleter>;
using SwsPtr = std::unique_ptr<SwsContext, SwsDeleter>;

FramePtr make_frame();
PacketPtr make_packet();

// Read a whole file into memory (throws naming the path and errno's cause).
std::vector<uint8_t> read_file(const std::string& path, size_t max_bytes = size_t(1) << 31);

// An input opened through a FILE*-backed AVIOContext: no protocols, no image-sequence patterns,
// the container is probed from the content only.
class InputFile {
public:
  explicit InputFile(const std::string& path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  AVFormatContext* fmt() const { return fmt_; }
  const std::string& path() const { return path_; }

private:
  std::string path_;
  std::FILE* file_ = nullptr;
  int64_t size_ = 0;
  AVIOContext* avio_ = nullptr;
  AVFormatContext* fmt_ = nullptr;
  void close();
  static int read_cb(void* opaque, uint8_t* buf, int n);
  static int64_t seek_cb(void* opaque, int64_t offset, int whence);
};

// Throws the "more than N megapixels" error naming `path` when FFmpeg refused a picture of this thread for the pixel
// limit since the last InputFile was opened (it says so only in its log); else nothing.
void throw_if_refused_for_size(const std::string& path);

// Decodes the best video stream of an InputFile frame by frame.
class VideoDecoder {
public:
  explicit VideoDecoder(InputFile& in);
  // Next decoded frame into `out` (unreferenced first); false at the end of the stream.
  bool next(AVFrame* out);
  AVStream* stream() const { return stream_; }
  AVCodecContext* ctx() const { return ctx_.get(); }

private:
  InputFile& in_;
  AVStream* stream_ = nullptr;
  int index_ = -1;
  CodecCtxPtr ctx_;
  PacketPtr pkt_;
  bool flushed_ = false;
};

// Decode one self-contained packet (e.g. a whole WebP or PNG file) with the decoder for `id`.
FramePtr decode_single(AVCodecID id, const uint8_t* data, size_t size, const std::string& what);

// Largest image accepted (128 Mi pixels, e.g. 16384 x 8192): its RGBA16 copy alone takes 1 GiB.
inline constexpr int64_t kMaxPixels = int64_t(1) << 27;
// decode_video stops with an error when the decoded RGB frames would exceed this (pass max_frames instead).
inline constexpr uint64_t kMaxDecodedBytes = uint64_t(4) << 30;

// A decoded frame as RGBA with 8 or 16 bits per sample (values in [0, 2^bits - 1]), each depth in its own
// buffer: an 8-bit picture takes 4 bytes a pixel, not 8.
struct Rgba {
  int width = 0, height = 0;
  int bits = 8;
  bool has_alpha = false;
  std::vector<uint8_t> px8;    // bits == 8: RGBA interleaved
  std::vector<uint16_t> px16;  // bits == 16: RGBA interleaved
  bool empty() const { return px8.empty() && px16.empty(); }
  // Sizes the buffer of `bits` for width x height (zeroed) and empties the other.
  void allocate(int bits_per_sample);
};
Rgba frame_to_rgba(const AVFrame* frame, const std::string& what);

// Composite on a background and reduce to RGB24.
Image rgba_to_image(const Rgba& src, Rgb background, bool composite_alpha, bool round16);

// Frame durations in stream time base -> the mean rate.
double frame_rate_from(const std::vector<int64_t>& durations, const std::vector<int64_t>& timestamps, AVRational tb,
                       AVRational avg_frame_rate, AVRational r_frame_rate);

// Frame duration of the decoded frame (pkt_duration on FFmpeg 5, duration on 6+), in stream time base.
int64_t frame_duration(const AVFrame* f);

}  // namespace ci2v::media::ff
