// Animated WebP through libavcodec's libwebp_anim encoder (it returns the whole file as one packet at the
// end), then the loop count and an XMP chunk with the generation parameters.
#include <cmath>
#include <cstring>

extern "C" {
#include <libavutil/opt.h>
}

#include "engine/media/container_meta.h"
#include "engine/media/export_writers.h"
#include "engine/media/ff_common.h"
#include "engine/media/webp_container.h"

namespace ci2v::media::detail {

void write_webp(const Job& job) {
  const std::string& path = job.target;
  const auto fail = [&](const std::string& what, int ret) {
    throw Error("cannot write '" + path + "': " + what + " (" + ff::err2str(ret) + ")");
  };
  const AVCodec* codec = avcodec_find_encoder_by_name("libwebp_anim");
  if (!codec)
    throw Error("cannot write '" + path +
                "': this FFmpeg has no animated WebP encoder (libwebp_anim); export as MP4 or GIF instead");
  const int w = job.video.frames[0].width, h = job.video.frames[0].height;
  if (w > 16383 || h > 16383) throw Error("cannot write '" + path + "': WebP frames are at most 16383 pixels wide");
  ff::CodecCtxPtr cc(avcodec_alloc_context3(codec));
  if (!cc) throw Error("cannot write '" + path + "': out of memory");
  // One time-base tick per frame: the encoder derives each frame's timestamp (and the last frame's
  // duration, one tick) from it, in milliseconds.
  const AVRational rate = av_d2q(job.fps, 100000);
  cc->width = w;
  cc->height = h;
  cc->pix_fmt = AV_PIX_FMT_RGB32;  // BGRA bytes on little-endian machines
  cc->time_base = av_inv_q(rate);
  cc->framerate = rate;
  AVDictionary* opts = nullptr;
  av_dict_set_int(&opts, "lossless", job.opt.webp_lossless ? 1 : 0, 0);
  av_dict_set_int(&opts, "quality", job.opt.webp_lossless ? 75 : job.opt.webp_quality, 0);
  int ret = avcodec_open2(cc.get(), codec, &opts);
  av_dict_free(&opts);
  if (ret < 0) fail("opening the libwebp_anim encoder failed", ret);

  ff::FramePtr frame = ff::make_frame();
  frame->format = AV_PIX_FMT_RGB32;
  frame->width = w;
  frame->height = h;
  if (av_frame_get_buffer(frame.get(), 0) < 0) throw Error("cannot write '" + path + "': out of memory");
  ff::PacketPtr pkt = ff::make_packet();
  std::vector<uint8_t> file;
  auto drain = [&]() {
    for (;;) {
      int r = avcodec_receive_packet(cc.get(), pkt.get());
      if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return;
      if (r < 0) fail("encoding failed", r);
      file.insert(file.end(), pkt->data, pkt->data + pkt->size);
      av_packet_unref(pkt.get());
    }
  };
  for (size_t k = 0; k < job.order.size(); ++k) {
    const Image& src = job.video.frames[job.order[k]];
    if (av_frame_make_writable(frame.get()) < 0) throw Error("cannot write '" + path + "': out of memory");
    for (int y = 0; y < h; ++y) {
      uint32_t* o = reinterpret_cast<uint32_t*>(frame->data[0] + static_cast<ptrdiff_t>(y) * frame->linesize[0]);
      const uint8_t* s = src.at(0, y);
      for (int x = 0; x < w; ++x, s += 3) o[x] = 0xFF000000u | uint32_t(s[0]) << 16 | uint32_t(s[1]) << 8 | s[2];
    }
    frame->pts = static_cast<int64_t>(k);
    ret = avcodec_send_frame(cc.get(), frame.get());
    if (ret < 0) fail("encoding frame " + std::to_string(k) + " failed", ret);
    drain();
    job.step(k + 1);
  }
  ret = avcodec_send_frame(cc.get(), nullptr);
  if (ret < 0) fail("flushing the encoder failed", ret);
  drain();
  if (!webp::is_webp(file.data(), file.size()))
    throw Error("cannot write '" + path + "': the libwebp_anim encoder returned no WebP file");
  if (job.order.size() > 1)  // frames all alike: one frame for the whole clip's time, still an animation
    webp::make_animated(file, w, h, static_cast<int>(std::lround(1000.0 * job.order.size() / job.fps)), job.opt.loop);
  webp::set_loop_count(file, job.opt.loop);
  if (!job.opt.params_json.empty()) webp::add_xmp(file, meta::xmp_wrap_params(job.opt.params_json), w, h);
  write_bytes(job.temp, file, path);
}

}  // namespace ci2v::media::detail
