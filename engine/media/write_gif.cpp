// GIF: one palette for the whole clip, libavcodec's GIF encoder (delta frames) and GIF muxer (delays, loop),
// then a comment extension with the generation parameters.
#include <algorithm>
#include <cmath>
#include <cstring>

extern "C" {
#include <libavutil/opt.h>
}

#include "engine/media/container_meta.h"
#include "engine/media/export_writers.h"
#include "engine/media/ff_common.h"
#include "engine/media/gif_palette.h"

namespace ci2v::media::detail {

namespace {

struct DynOutput {
  AVFormatContext* oc = nullptr;
  bool open = false;  // header written, trailer not yet
  ~DynOutput() {
    if (!oc) return;
    // FFmpeg 5.1's GIF muxer frees its held-back packet only in write_trailer (it has no deinit), so a
    // cancelled or failed export still finishes the (discarded) in-memory stream.
    if (open) av_write_trailer(oc);
    if (oc->pb) {
      uint8_t* buf = nullptr;
      avio_close_dyn_buf(oc->pb, &buf);
      av_free(buf);
      oc->pb = nullptr;
    }
    avformat_free_context(oc);
  }
  std::vector<uint8_t> take() {
    uint8_t* buf = nullptr;
    const int n = avio_close_dyn_buf(oc->pb, &buf);
    oc->pb = nullptr;
    std::vector<uint8_t> v(buf, buf + std::max(n, 0));
    av_free(buf);
    return v;
  }
};

}  // namespace

void write_gif(const Job& job) {
  const std::string& path = job.target;
  const auto fail = [&](const std::string& what, int ret) {
    throw Error("cannot write '" + path + "': " + what + " (" + ff::err2str(ret) + ")");
  };
  const int w = job.video.frames[0].width, h = job.video.frames[0].height;
  if (w > 65535 || h > 65535) throw Error("cannot write '" + path + "': GIF frames are at most 65535 pixels wide");

  // One palette for the clip (255 colours; entry 255 stays free for the encoder's transparency trick).
  const std::vector<int> sources = distinct_frames(job.order);
  std::vector<const Image*> frames;
  for (int i : sources) frames.push_back(&job.video.frames[i]);
  const gif::Palette pal = gif::build_palette(frames, 255);
  gif::Mapper mapper(pal, job.opt.dither);
  uint32_t argb[256];
  for (int i = 0; i < 256; ++i) argb[i] = 0xFF000000u;
  for (size_t i = 0; i < pal.colors.size(); ++i)
    argb[i] = 0xFF000000u | uint32_t(pal.colors[i][0]) << 16 | uint32_t(pal.colors[i][1]) << 8 | pal.colors[i][2];
  argb[255] = 0;  // fully transparent: unchanged pixels of delta frames

  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_GIF);
  if (!codec) throw Error("cannot write '" + path + "': this FFmpeg has no GIF encoder");
  ff::CodecCtxPtr cc(avcodec_alloc_context3(codec));
  if (!cc) throw Error("cannot write '" + path + "': out of memory");
  cc->width = w;
  cc->height = h;
  cc->pix_fmt = AV_PIX_FMT_PAL8;
  cc->time_base = {1, 100};
  int ret = avcodec_open2(cc.get(), codec, nullptr);
  if (ret < 0) fail("opening the GIF encoder failed", ret);

  DynOutput out;
  ret = avformat_alloc_output_context2(&out.oc, nullptr, "gif", nullptr);
  if (ret < 0 || !out.oc) fail("the GIF muxer is not available", ret);
  AVStream* st = avformat_new_stream(out.oc, nullptr);
  if (!st) throw Error("cannot write '" + path + "': out of memory");
  ret = avcodec_parameters_from_context(st->codecpar, cc.get());
  if (ret < 0) fail("setting up the stream failed", ret);
  st->time_base = {1, 100};
  ret = avio_open_dyn_buf(&out.oc->pb);
  if (ret < 0) fail("out of memory", ret);

  // Frame k starts at round(k * 100 / fps) centiseconds, so the delays add up to the exact clip length.
  const size_t n = job.order.size();
  auto start_cs = [&](size_t k) { return static_cast<int64_t>(std::llround(static_cast<double>(k) * 100.0 / job.fps)); };
  // Loop: ours 0 = forever, N = play N times; the muxer's -1 = once, 0 = forever, N = repeat N more times.
  const int mux_loop = job.opt.loop == 0 ? 0 : job.opt.loop == 1 ? -1 : job.opt.loop - 1;
  AVDictionary* mux_opts = nullptr;
  av_dict_set_int(&mux_opts, "loop", mux_loop, 0);
  av_dict_set_int(&mux_opts, "final_delay", std::max<int64_t>(1, start_cs(n) - start_cs(n - 1)), 0);
  ret = avformat_write_header(out.oc, &mux_opts);
  av_dict_free(&mux_opts);
  if (ret < 0) fail("writing the GIF header failed", ret);
  out.open = true;

  ff::FramePtr frame = ff::make_frame();
  frame->format = AV_PIX_FMT_PAL8;
  frame->width = w;
  frame->height = h;
  if (av_frame_get_buffer(frame.get(), 0) < 0) throw Error("cannot write '" + path + "': out of memory");
  ff::PacketPtr pkt = ff::make_packet();
  std::vector<std::vector<uint8_t>> indices(job.video.frames.size());
  auto drain = [&]() {
    for (;;) {
      int r = avcodec_receive_packet(cc.get(), pkt.get());
      if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return;
      if (r < 0) fail("encoding failed", r);
      av_packet_rescale_ts(pkt.get(), cc->time_base, st->time_base);
      pkt->stream_index = 0;
      r = av_write_frame(out.oc, pkt.get());
      av_packet_unref(pkt.get());
      if (r < 0) fail("writing the GIF failed", r);
    }
  };
  for (size_t k = 0; k < n; ++k) {
    const int src = job.order[k];
    if (indices[src].empty()) {
      indices[src].resize(static_cast<size_t>(w) * h);
      mapper.map(job.video.frames[src], indices[src].data());
    }
    if (av_frame_make_writable(frame.get()) < 0) throw Error("cannot write '" + path + "': out of memory");
    for (int y = 0; y < h; ++y)
      std::memcpy(frame->data[0] + static_cast<ptrdiff_t>(y) * frame->linesize[0], indices[src].data() + static_cast<size_t>(y) * w, w);
    std::memcpy(frame->data[1], argb, sizeof(argb));
    frame->pts = start_cs(k);
    ret = avcodec_send_frame(cc.get(), frame.get());
    if (ret < 0) fail("encoding frame " + std::to_string(k) + " failed", ret);
    drain();
    if (indices[src].size() && std::count(job.order.begin() + static_cast<ptrdiff_t>(k) + 1, job.order.end(), src) == 0)
      std::vector<uint8_t>().swap(indices[src]);  // not needed again
    job.step(k + 1);
  }
  ret = avcodec_send_frame(cc.get(), nullptr);
  if (ret < 0) fail("flushing the encoder failed", ret);
  drain();
  out.open = false;
  ret = av_write_trailer(out.oc);
  if (ret < 0) fail("finishing the GIF failed", ret);
  std::vector<uint8_t> bytes = out.take();
  meta::gif_drop_redundant_local_palettes(bytes);
  if (!job.opt.params_json.empty()) meta::gif_add_comment(bytes, job.opt.params_json);
  write_bytes(job.temp, bytes, path);
}

}  // namespace ci2v::media::detail
