#include "engine/media/ff_common.h"

extern "C" {
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include <cerrno>
#include <cstdarg>
#include <mutex>
#include <cmath>
#include <cstring>
#include <filesystem>

namespace ci2v::media::ff {

std::string err2str(int errnum) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(errnum, buf, sizeof(buf));
  return buf;
}

FramePtr make_frame() {
  FramePtr f(av_frame_alloc());
  if (!f) throw Error("out of memory allocating an AVFrame");
  return f;
}

PacketPtr make_packet() {
  PacketPtr p(av_packet_alloc());
  if (!p) throw Error("out of memory allocating an AVPacket");
  return p;
}

std::vector<uint8_t> read_file(const std::string& path, size_t max_bytes) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw Error("cannot read '" + path + "': it is a folder, not a file");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw Error("cannot open '" + path + "': " + std::strerror(errno));
  std::vector<uint8_t> data;
  uint8_t buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) {
    data.insert(data.end(), buf, buf + n);
    if (data.size() > max_bytes) {
      std::fclose(f);
      throw Error("cannot read '" + path + "': larger than " + std::to_string(max_bytes) + " bytes");
    }
  }
  const bool bad = std::ferror(f);
  const int e = errno;
  std::fclose(f);
  if (bad) throw Error("cannot read '" + path + "': " + std::strerror(e));
  return data;
}

// ---------------------------------------------------------------------------------------------- InputFile

int InputFile::read_cb(void* opaque, uint8_t* buf, int n) {
  auto* self = static_cast<InputFile*>(opaque);
  size_t r = std::fread(buf, 1, static_cast<size_t>(n), self->file_);
  if (r == 0) return std::ferror(self->file_) ? AVERROR(EIO) : AVERROR_EOF;
  return static_cast<int>(r);
}

int64_t InputFile::seek_cb(void* opaque, int64_t offset, int whence) {
  auto* self = static_cast<InputFile*>(opaque);
  if (whence & AVSEEK_SIZE) return self->size_;
  whence &= ~AVSEEK_FORCE;
  if (fseeko(self->file_, static_cast<off_t>(offset), whence) != 0) return AVERROR(errno);
  return static_cast<int64_t>(ftello(self->file_));
}

namespace {
// The size of the last picture FFmpeg refused on this thread for the pixel limit (0 x 0: none). FFmpeg says it only
// in a log line ("Picture size WxH exceeds specified max pixel count N"): a log callback, which hands every line on
// to FFmpeg's own, notes it, so that the error can name the size.
thread_local unsigned t_refused_w = 0, t_refused_h = 0;

void log_watch(void* avcl, int level, const char* fmt, va_list vl) {
  if (fmt && std::strncmp(fmt, "Picture size %ux%u exceeds", 26) == 0) {
    va_list copy;
    va_copy(copy, vl);
    t_refused_w = va_arg(copy, unsigned);
    t_refused_h = va_arg(copy, unsigned);
    va_end(copy);
  }
  av_log_default_callback(avcl, level, fmt, vl);
}
}  // namespace

void throw_if_refused_for_size(const std::string& path) {
  if (t_refused_w == 0 && t_refused_h == 0) return;
  const std::string size = std::to_string(t_refused_w) + "x" + std::to_string(t_refused_h);
  t_refused_w = t_refused_h = 0;
  throw Error("cannot read '" + path + "': " + size + " pixels is more than the " +
              std::to_string(kMaxPixels / 1000000) + " megapixels supported");
}

InputFile::InputFile(const std::string& path) : path_(path) {
  static std::once_flag watching;
  std::call_once(watching, [] { av_log_set_callback(&log_watch); });
  t_refused_w = t_refused_h = 0;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw Error("cannot read '" + path + "': it is a folder, not a file");
  file_ = std::fopen(path.c_str(), "rb");
  if (!file_) throw Error("cannot open '" + path + "': " + std::strerror(errno));
  fseeko(file_, 0, SEEK_END);
  size_ = static_cast<int64_t>(ftello(file_));
  fseeko(file_, 0, SEEK_SET);
  if (size_ == 0) {
    std::fclose(file_);
    throw Error("cannot read '" + path + "': the file is empty");
  }
  const int bufsize = 1 << 16;
  auto* buffer = static_cast<uint8_t*>(av_malloc(bufsize));
  avio_ = buffer ? avio_alloc_context(buffer, bufsize, 0, this, &InputFile::read_cb, nullptr, &InputFile::seek_cb)
                 : nullptr;
  if (!avio_) {
    av_free(buffer);
    std::fclose(file_);
    throw Error("out of memory opening '" + path + "'");
  }
  fmt_ = avformat_alloc_context();
  if (!fmt_) {
    av_freep(&avio_->buffer);
    avio_context_free(&avio_);
    std::fclose(file_);
    throw Error("out of memory opening '" + path + "'");
  }
  fmt_->pb = avio_;
  fmt_->flags |= AVFMT_FLAG_CUSTOM_IO;
  // Empty URL: the container is probed from the content only (no extension-based image2 patterns).
  int ret = avformat_open_input(&fmt_, "", nullptr, nullptr);
  if (ret < 0) {  // fmt_ is freed by avformat_open_input on failure
    fmt_ = nullptr;
    av_freep(&avio_->buffer);
    avio_context_free(&avio_);
    std::fclose(file_);
    throw Error("cannot read '" + path + "': not a recognised image or video (" + err2str(ret) + ")");
  }
  // Probing decodes a frame: held to the pixel limit too (a 1.7 MB PNG of 15000 x 15000 took 1.9 GB before the
  // decoder's own limit refused it).
  std::vector<AVDictionary*> probe_options(fmt_->nb_streams, nullptr);
  for (AVDictionary*& d : probe_options) av_dict_set_int(&d, "max_pixels", kMaxPixels, 0);
  ret = avformat_find_stream_info(fmt_, probe_options.empty() ? nullptr : probe_options.data());
  for (AVDictionary*& d : probe_options) av_dict_free(&d);
  if (ret < 0) {
    close();
    throw_if_refused_for_size(path);
    throw Error("cannot read '" + path + "': " + err2str(ret));
  }
}

InputFile::~InputFile() { close(); }

void InputFile::close() {
  if (fmt_) avformat_close_input(&fmt_);
  if (avio_) {
    av_freep(&avio_->buffer);
    avio_context_free(&avio_);
  }
  if (file_) std::fclose(file_);
  file_ = nullptr;
}

// ---------------------------------------------------------------------------------------------- VideoDecoder

VideoDecoder::VideoDecoder(InputFile& in) : in_(in), pkt_(make_packet()) {
  const AVCodec* codec = nullptr;
  index_ = av_find_best_stream(in.fmt(), AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
  if (index_ < 0)
    throw Error("cannot read '" + in.path() + "': no image or video stream that this FFmpeg can decode (" +
                err2str(index_) + ")");
  stream_ = in.fmt()->streams[index_];
  // Too many pixels is refused from the header, before a decode that would take gigabytes (a 46 KB PNG can say
  // 6000 x 6000); the decoder is held to the same limit for a header that says less than the data holds.
  const int64_t declared = static_cast<int64_t>(stream_->codecpar->width) * stream_->codecpar->height;
  if (declared > kMaxPixels)
    throw Error("cannot read '" + in.path() + "': " + std::to_string(stream_->codecpar->width) + "x" +
                std::to_string(stream_->codecpar->height) + " pixels is more than the " +
                std::to_string(kMaxPixels / 1000000) + " megapixels supported");
  ctx_.reset(avcodec_alloc_context3(codec));
  if (!ctx_) throw Error("out of memory opening a decoder for '" + in.path() + "'");
  ctx_->max_pixels = kMaxPixels;
  // A JPEG cut short decodes "successfully" with its missing part made up (a flat block); refused instead, as
  // truncated PNG, GIF, BMP, TIFF and WebP files are.
  if (codec->id == AV_CODEC_ID_MJPEG || codec->id == AV_CODEC_ID_JPEG2000) ctx_->err_recognition |= AV_EF_EXPLODE;
  int ret = avcodec_parameters_to_context(ctx_.get(), stream_->codecpar);
  if (ret >= 0) {
    ctx_->pkt_timebase = stream_->time_base;
    ret = avcodec_open2(ctx_.get(), codec, nullptr);
  }
  if (ret < 0)
    throw Error("cannot read '" + in.path() + "': opening the " + std::string(codec->name) +
                " decoder failed (" + err2str(ret) + ")");
}

bool VideoDecoder::next(AVFrame* out) {
  av_frame_unref(out);
  for (;;) {
    int ret = avcodec_receive_frame(ctx_.get(), out);
    if (ret == 0) return true;
    if (ret == AVERROR_EOF) return false;
    if (ret != AVERROR(EAGAIN))
      throw Error("cannot read '" + in_.path() + "': decoding failed (" + err2str(ret) + ")");
    if (flushed_) return false;
    ret = av_read_frame(in_.fmt(), pkt_.get());
    if (ret == AVERROR_EOF) {
      flushed_ = true;
      ret = avcodec_send_packet(ctx_.get(), nullptr);
    } else if (ret < 0) {
      throw Error("cannot read '" + in_.path() + "': " + err2str(ret));
    } else {
      if (pkt_->stream_index != index_) {
        av_packet_unref(pkt_.get());
        continue;
      }
      ret = avcodec_send_packet(ctx_.get(), pkt_.get());
      av_packet_unref(pkt_.get());
    }
    if (ret < 0 && ret != AVERROR(EAGAIN) && ret != AVERROR_EOF)
      throw Error("cannot read '" + in_.path() + "': the " + std::string(ctx_->codec->name) +
                  " data is invalid (" + err2str(ret) + ")");
  }
}

FramePtr decode_single(AVCodecID id, const uint8_t* data, size_t size, const std::string& what) {
  const AVCodec* codec = avcodec_find_decoder(id);
  if (!codec) throw Error("cannot read '" + what + "': this FFmpeg has no " + avcodec_get_name(id) + " decoder");
  CodecCtxPtr ctx(avcodec_alloc_context3(codec));
  if (!ctx) throw Error("out of memory decoding '" + what + "'");
  ctx->max_pixels = kMaxPixels;  // (a lone VP8L frame says its own size: up to 16383 x 16383)
  int ret = avcodec_open2(ctx.get(), codec, nullptr);
  if (ret < 0) throw Error("cannot read '" + what + "': opening the decoder failed (" + err2str(ret) + ")");
  PacketPtr pkt = make_packet();
  if (size > static_cast<size_t>(INT32_MAX - AV_INPUT_BUFFER_PADDING_SIZE) ||
      av_new_packet(pkt.get(), static_cast<int>(size)) < 0)
    throw Error("cannot read '" + what + "': image data too large");
  std::memcpy(pkt->data, data, size);
  ret = avcodec_send_packet(ctx.get(), pkt.get());
  if (ret < 0) throw Error("cannot read '" + what + "': invalid " + codec->name + " data (" + err2str(ret) + ")");
  avcodec_send_packet(ctx.get(), nullptr);
  FramePtr frame = make_frame();
  ret = avcodec_receive_frame(ctx.get(), frame.get());
  if (ret < 0) throw Error("cannot read '" + what + "': invalid " + codec->name + " data (" + err2str(ret) + ")");
  return frame;
}

// ---------------------------------------------------------------------------------------------- RGBA conversion

namespace {

inline uint16_t rd16(const uint8_t* p, bool be) { return be ? uint16_t(p[0] << 8 | p[1]) : uint16_t(p[1] << 8 | p[0]); }

// Convert with swscale (YUV, packed/planar formats we do not handle by hand) to RGBA or RGBA64.
void convert_sws(const AVFrame* f, Rgba& out, const std::string& what) {
  AVPixelFormat src = static_cast<AVPixelFormat>(f->format);
  int full_range = f->color_range == AVCOL_RANGE_JPEG;
  switch (src) {  // the deprecated J formats are the plain ones with full range
    case AV_PIX_FMT_YUVJ420P: src = AV_PIX_FMT_YUV420P; full_range = 1; break;
    case AV_PIX_FMT_YUVJ422P: src = AV_PIX_FMT_YUV422P; full_range = 1; break;
    case AV_PIX_FMT_YUVJ444P: src = AV_PIX_FMT_YUV444P; full_range = 1; break;
    case AV_PIX_FMT_YUVJ440P: src = AV_PIX_FMT_YUV440P; full_range = 1; break;
    case AV_PIX_FMT_YUVJ411P: src = AV_PIX_FMT_YUV411P; full_range = 1; break;
    default: break;
  }
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(src);
  const AVPixelFormat dst = out.bits > 8 ? AV_PIX_FMT_RGBA64 : AV_PIX_FMT_RGBA;
  SwsPtr sws(sws_alloc_context());
  if (!sws) throw Error("out of memory converting '" + what + "'");
  av_opt_set_int(sws.get(), "srcw", f->width, 0);
  av_opt_set_int(sws.get(), "srch", f->height, 0);
  av_opt_set_int(sws.get(), "src_format", src, 0);
  av_opt_set_int(sws.get(), "dstw", f->width, 0);
  av_opt_set_int(sws.get(), "dsth", f->height, 0);
  av_opt_set_int(sws.get(), "dst_format", dst, 0);
  av_opt_set_int(sws.get(), "sws_flags", SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, 0);
  av_opt_set_int(sws.get(), "src_range", full_range, 0);
  av_opt_set_int(sws.get(), "dst_range", 1, 0);
  if (!(d->flags & AV_PIX_FMT_FLAG_RGB) && d->nb_components >= 3 && f->chroma_location != AVCHROMA_LOC_UNSPECIFIED) {
    int xpos = 0, ypos = 0;
#if LIBAVCODEC_VERSION_MAJOR >= 61
    if (av_chroma_location_enum_to_pos(&xpos, &ypos, f->chroma_location) == 0) {
#else
    if (avcodec_enum_to_chroma_pos(&xpos, &ypos, f->chroma_location) == 0) {
#endif
      av_opt_set_int(sws.get(), "src_h_chr_pos", xpos, 0);
      av_opt_set_int(sws.get(), "src_v_chr_pos", ypos, 0);
    }
  }
  int ret = sws_init_context(sws.get(), nullptr, nullptr);
  if (ret < 0)
    throw Error("cannot convert '" + what + "' from " + (d ? d->name : "?") + " to RGB (" + err2str(ret) + ")");
  if (!(d->flags & AV_PIX_FMT_FLAG_RGB)) {
    int cs = SWS_CS_DEFAULT;
    switch (f->colorspace) {
      case AVCOL_SPC_BT709: cs = SWS_CS_ITU709; break;
      case AVCOL_SPC_FCC: cs = SWS_CS_FCC; break;
      case AVCOL_SPC_SMPTE240M: cs = SWS_CS_SMPTE240M; break;
      case AVCOL_SPC_BT2020_NCL:
      case AVCOL_SPC_BT2020_CL: cs = SWS_CS_BT2020; break;
      default: cs = SWS_CS_ITU601; break;
    }
    sws_setColorspaceDetails(sws.get(), sws_getCoefficients(cs), full_range, sws_getCoefficients(SWS_CS_DEFAULT), 1, 0,
                             1 << 16, 1 << 16);
  }
  FramePtr tmp = make_frame();
  tmp->format = dst;
  tmp->width = f->width;
  tmp->height = f->height;
  if (av_frame_get_buffer(tmp.get(), 0) < 0) throw Error("out of memory converting '" + what + "'");
  sws_scale(sws.get(), f->data, f->linesize, 0, f->height, tmp->data, tmp->linesize);
  const int w = f->width;
  for (int y = 0; y < f->height; ++y) {
    const uint8_t* s = tmp->data[0] + static_cast<ptrdiff_t>(y) * tmp->linesize[0];
    if (out.bits > 8)
      std::memcpy(out.px16.data() + static_cast<size_t>(y) * w * 4, s, static_cast<size_t>(w) * 8);
    else
      std::memcpy(out.px8.data() + static_cast<size_t>(y) * w * 4, s, static_cast<size_t>(w) * 4);
  }
}

}  // namespace

void Rgba::allocate(int bits_per_sample) {
  bits = bits_per_sample;
  const size_t n = static_cast<size_t>(width) * static_cast<size_t>(height) * 4;
  if (bits <= 8) {
    std::vector<uint16_t>().swap(px16);
    px8.assign(n, 0);
  } else {
    std::vector<uint8_t>().swap(px8);
    px16.assign(n, 0);
  }
}

Rgba frame_to_rgba(const AVFrame* f, const std::string& what) {
  const AVPixelFormat fmt = static_cast<AVPixelFormat>(f->format);
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(fmt);
  if (!d || f->width <= 0 || f->height <= 0) throw Error("cannot convert '" + what + "': unknown pixel format");
  if (static_cast<int64_t>(f->width) * f->height > kMaxPixels)
    throw Error("cannot read '" + what + "': " + std::to_string(f->width) + "x" + std::to_string(f->height) +
                " pixels is more than the " + std::to_string(kMaxPixels / 1000000) + " megapixels supported");
  Rgba out;
  out.width = f->width;
  out.height = f->height;
  int depth = 0;
  for (int i = 0; i < d->nb_components; ++i) depth = std::max(depth, d->comp[i].depth);
  out.has_alpha = (d->flags & AV_PIX_FMT_FLAG_ALPHA) || fmt == AV_PIX_FMT_PAL8;
  out.allocate((fmt == AV_PIX_FMT_PAL8 || depth <= 8) ? 8 : 16);
  const int w = f->width, h = f->height;
  auto row = [&](int y) { return f->data[0] + static_cast<ptrdiff_t>(y) * f->linesize[0]; };
  auto put = [&](int x, int y, unsigned r, unsigned g, unsigned b, unsigned a) {
    const size_t i = (static_cast<size_t>(y) * w + x) * 4;
    if (out.bits <= 8) {
      uint8_t* o = out.px8.data() + i;
      o[0] = uint8_t(r), o[1] = uint8_t(g), o[2] = uint8_t(b), o[3] = uint8_t(a);
    } else {
      uint16_t* o = out.px16.data() + i;
      o[0] = uint16_t(r), o[1] = uint16_t(g), o[2] = uint16_t(b), o[3] = uint16_t(a);
    }
  };
  // Exact paths for the formats the PNG/BMP/GIF/WebP-lossless decoders produce.
  int ro = -1, go = -1, bo = -1, ao = -1, step = 0;  // 8-bit packed RGB(A) layouts
  switch (fmt) {
    case AV_PIX_FMT_RGB24: ro = 0, go = 1, bo = 2, step = 3; break;
    case AV_PIX_FMT_BGR24: ro = 2, go = 1, bo = 0, step = 3; break;
    case AV_PIX_FMT_RGBA: ro = 0, go = 1, bo = 2, ao = 3, step = 4; break;
    case AV_PIX_FMT_BGRA: ro = 2, go = 1, bo = 0, ao = 3, step = 4; break;
    case AV_PIX_FMT_ARGB: ro = 1, go = 2, bo = 3, ao = 0, step = 4; break;
    case AV_PIX_FMT_ABGR: ro = 3, go = 2, bo = 1, ao = 0, step = 4; break;
    case AV_PIX_FMT_RGB0: ro = 0, go = 1, bo = 2, step = 4; break;
    case AV_PIX_FMT_BGR0: ro = 2, go = 1, bo = 0, step = 4; break;
    case AV_PIX_FMT_0RGB: ro = 1, go = 2, bo = 3, step = 4; break;
    case AV_PIX_FMT_0BGR: ro = 3, go = 2, bo = 1, step = 4; break;
    default: break;
  }
  if (step) {
    for (int y = 0; y < h; ++y) {
      const uint8_t* s = row(y);
      for (int x = 0; x < w; ++x, s += step) put(x, y, s[ro], s[go], s[bo], ao >= 0 ? s[ao] : 255);
    }
    return out;
  }
  const bool be = d->flags & AV_PIX_FMT_FLAG_BE;
  switch (fmt) {
    case AV_PIX_FMT_GRAY8:
    case AV_PIX_FMT_YA8: {
      const int st = fmt == AV_PIX_FMT_YA8 ? 2 : 1;
      for (int y = 0; y < h; ++y) {
        const uint8_t* s = row(y);
        for (int x = 0; x < w; ++x, s += st) put(x, y, s[0], s[0], s[0], st == 2 ? s[1] : 255);
      }
      return out;
    }
    case AV_PIX_FMT_PAL8: {
      const uint32_t* pal = reinterpret_cast<const uint32_t*>(f->data[1]);
      for (int y = 0; y < h; ++y) {
        const uint8_t* s = row(y);
        for (int x = 0; x < w; ++x) {
          const uint32_t v = pal[s[x]];
          put(x, y, (v >> 16) & 255, (v >> 8) & 255, v & 255, v >> 24);
        }
      }
      return out;
    }
    case AV_PIX_FMT_RGB48BE:
    case AV_PIX_FMT_RGB48LE:
    case AV_PIX_FMT_RGBA64BE:
    case AV_PIX_FMT_RGBA64LE: {
      const int n = (fmt == AV_PIX_FMT_RGB48BE || fmt == AV_PIX_FMT_RGB48LE) ? 3 : 4;
      for (int y = 0; y < h; ++y) {
        const uint8_t* s = row(y);
        for (int x = 0; x < w; ++x, s += 2 * n)
          put(x, y, rd16(s, be), rd16(s + 2, be), rd16(s + 4, be), n == 4 ? rd16(s + 6, be) : 65535);
      }
      return out;
    }
    case AV_PIX_FMT_GRAY16BE:
    case AV_PIX_FMT_GRAY16LE:
    case AV_PIX_FMT_YA16BE:
    case AV_PIX_FMT_YA16LE: {
      const int n = (fmt == AV_PIX_FMT_GRAY16BE || fmt == AV_PIX_FMT_GRAY16LE) ? 1 : 2;
      for (int y = 0; y < h; ++y) {
        const uint8_t* s = row(y);
        for (int x = 0; x < w; ++x, s += 2 * n) {
          const uint16_t v = rd16(s, be);
          put(x, y, v, v, v, n == 2 ? rd16(s + 2, be) : 65535);
        }
      }
      return out;
    }
    default: convert_sws(f, out, what); return out;
  }
}

Image rgba_to_image(const Rgba& src, Rgb background, bool composite_alpha, bool round16) {
  Image img(src.width, src.height);
  const size_t n = static_cast<size_t>(src.width) * src.height;
  const unsigned bg[3] = {background.r, background.g, background.b};
  const bool blend = composite_alpha && src.has_alpha;
  for (size_t i = 0; i < n; ++i) {
    uint8_t* o = img.rgb.data() + i * 3;
    if (src.bits <= 8) {
      const uint8_t* p = src.px8.data() + i * 4;
      const unsigned a = p[3];
      for (int c = 0; c < 3; ++c)
        o[c] = blend ? uint8_t((p[c] * a + bg[c] * (255u - a) + 127u) / 255u) : p[c];
    } else {
      const uint16_t* p = src.px16.data() + i * 4;
      const uint64_t a = p[3];
      for (int c = 0; c < 3; ++c) {
        uint64_t v = p[c];
        if (blend) v = (v * a + uint64_t(bg[c]) * 257u * (65535u - a) + 32767u) / 65535u;
        o[c] = round16 ? uint8_t((v * 255u + 32767u) / 65535u) : uint8_t(v >> 8);
      }
    }
  }
  return img;
}

int64_t frame_duration(const AVFrame* f) {
#if LIBAVUTIL_VERSION_MAJOR >= 58
  return f->duration;
#else
  return f->pkt_duration;
#endif
}

double frame_rate_from(const std::vector<int64_t>& durations, const std::vector<int64_t>& timestamps, AVRational tb,
                       AVRational avg_frame_rate, AVRational r_frame_rate) {
  const size_t n = durations.size();
  if (n == 0) return 0;
  bool all = tb.num > 0 && tb.den > 0;
  int64_t sum = 0;
  for (int64_t d : durations) {
    if (d <= 0) all = false;
    sum += d;
  }
  if (all && sum > 0) return static_cast<double>(n) / (static_cast<double>(sum) * av_q2d(tb));
  if (avg_frame_rate.num > 0 && avg_frame_rate.den > 0) return av_q2d(avg_frame_rate);
  if (n >= 2 && timestamps.front() != AV_NOPTS_VALUE && timestamps.back() != AV_NOPTS_VALUE &&
      timestamps.back() > timestamps.front() && tb.num > 0)
    return static_cast<double>(n - 1) / (static_cast<double>(timestamps.back() - timestamps.front()) * av_q2d(tb));
  if (r_frame_rate.num > 0 && r_frame_rate.den > 0) return av_q2d(r_frame_rate);
  return 0;
}

}  // namespace ci2v::media::ff
