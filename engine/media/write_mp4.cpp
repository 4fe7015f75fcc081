// MP4: H.264 (libx264, yuv420p, CRF, BT.709 tags, faststart), falling back to another encoder with a notice.
#include <cmath>
#include <cstring>
#include <filesystem>

extern "C" {
#include <libavutil/opt.h>
}

#include "engine/media/export_writers.h"
#include "engine/media/ff_common.h"

namespace ci2v::media::detail {

namespace {

struct OutputCtx {
  AVFormatContext* oc = nullptr;
  ~OutputCtx() {
    if (!oc) return;
    if (oc->pb && !(oc->oformat->flags & AVFMT_NOFILE)) avio_closep(&oc->pb);
    avformat_free_context(oc);
  }
};

struct DictGuard {
  AVDictionary* d = nullptr;
  ~DictGuard() { av_dict_free(&d); }
};

}  // namespace

void write_mp4(const Job& job) {
  const std::string& path = job.target;
  const auto fail = [&](const std::string& what, int ret) {
    throw Error("cannot write '" + path + "': " + what + " (" + ff::err2str(ret) + ")");
  };
  // Encoder: the first available of the preference list.
  const AVCodec* codec = nullptr;
  std::string chosen;
  for (const std::string& name : job.opt.mp4_encoders) {
    if ((codec = avcodec_find_encoder_by_name(name.c_str()))) {
      chosen = name;
      break;
    }
  }
  if (!codec) {
    std::string list;
    for (const auto& n : job.opt.mp4_encoders) list += (list.empty() ? "" : ", ") + n;
    throw Error("cannot write '" + path + "': this FFmpeg has none of the MP4 encoders " + list);
  }
  if (!job.opt.mp4_encoders.empty() && chosen != job.opt.mp4_encoders.front() && job.opt.notice)
    job.opt.notice(job.opt.mp4_encoders.front() + " is not available in this FFmpeg; the MP4 is encoded with " + chosen +
                   " (" + (codec->long_name ? codec->long_name : codec->name) + ") instead");

  const int w = job.video.frames[0].width, h = job.video.frames[0].height;
  // 4:2:0 needs even sizes. The padding stays in the file: H.264 crops 4:2:0 frames in 2-pixel units only (x264
  // refuses crop-rect=0,0,1,1: "not divisible by 2x2"), and 4:4:4 would not play in most players.
  const int ew = w + (w & 1), eh = h + (h & 1);
  if ((ew != w || eh != h) && job.opt.notice)
    job.opt.notice("the frames are " + std::to_string(w) + "x" + std::to_string(h) + "; the MP4 is " + std::to_string(ew) +
                   "x" + std::to_string(eh) + " (edge pixels repeated) because yuv420p needs even sizes");

  OutputCtx out;
  const std::string url = "file:" + std::filesystem::absolute(job.temp).string();
  int ret = avformat_alloc_output_context2(&out.oc, nullptr, "mp4", url.c_str());
  if (ret < 0 || !out.oc) fail("the mp4 muxer is not available", ret);
  AVStream* st = avformat_new_stream(out.oc, nullptr);
  if (!st) throw Error("cannot write '" + path + "': out of memory");

  ff::CodecCtxPtr cc(avcodec_alloc_context3(codec));
  if (!cc) throw Error("cannot write '" + path + "': out of memory");
  const AVRational rate = av_d2q(job.fps, 65535);
  cc->width = ew;
  cc->height = eh;
  cc->pix_fmt = AV_PIX_FMT_YUV420P;
  cc->time_base = av_inv_q(rate);
  cc->framerate = rate;
  cc->sample_aspect_ratio = {1, 1};
  cc->color_primaries = AVCOL_PRI_BT709;
  cc->color_trc = AVCOL_TRC_BT709;
  cc->colorspace = AVCOL_SPC_BT709;
  cc->color_range = AVCOL_RANGE_MPEG;
  cc->thread_count = 0;
  if (out.oc->oformat->flags & AVFMT_GLOBALHEADER) cc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  DictGuard codec_opts;
  if (chosen == "libx264" || chosen == "libx264rgb") {
    if (job.opt.crf == 0 && job.opt.notice)
      job.opt.notice("crf 0 makes lossless H.264 (the High 4:4:4 Predictive profile), which browsers and QuickTime do "
                     "not play; crf 1 or more plays everywhere");
    av_dict_set_int(&codec_opts.d, "crf", job.opt.crf, 0);
    av_dict_set(&codec_opts.d, "preset", job.opt.preset.c_str(), 0);
  } else if (codec->id == AV_CODEC_ID_MPEG4 || codec->id == AV_CODEC_ID_MPEG2VIDEO || codec->id == AV_CODEC_ID_MJPEG) {
    // Constant quantiser: crf 0..51 -> q 1..31 (crf 18 -> q 3).
    const int q = std::clamp(static_cast<int>(std::lround(1 + job.opt.crf / 8.0)), 1, 31);
    cc->flags |= AV_CODEC_FLAG_QSCALE;
    cc->global_quality = FF_QP2LAMBDA * q;
  } else {
    // Bitrate-driven encoders (libopenh264, hardware): about 0.25 bit per pixel at crf 18, halving every 6.
    const double bpp = 0.25 * std::pow(2.0, (18 - job.opt.crf) / 6.0);
    cc->bit_rate = static_cast<int64_t>(bpp * ew * eh * job.fps);
  }
  ret = avcodec_open2(cc.get(), codec, &codec_opts.d);
  if (ret < 0) fail("opening the " + chosen + " encoder failed", ret);
  ret = avcodec_parameters_from_context(st->codecpar, cc.get());
  if (ret < 0) fail("setting up the stream failed", ret);
  st->time_base = cc->time_base;
  st->avg_frame_rate = rate;
  if (!job.opt.params_json.empty()) av_dict_set(&out.oc->metadata, "comment", job.opt.params_json.c_str(), 0);

  ret = avio_open(&out.oc->pb, url.c_str(), AVIO_FLAG_WRITE);
  if (ret < 0) throw Error("cannot write '" + path + "': " + ff::err2str(ret));
  DictGuard mux_opts;
  av_dict_set(&mux_opts.d, "movflags", "+faststart", 0);
  ret = avformat_write_header(out.oc, &mux_opts.d);
  if (ret < 0) fail("writing the MP4 header failed", ret);

  // RGB24 -> yuv420p with BT.709 limited-range coefficients.
  ff::SwsPtr sws(sws_getContext(ew, eh, AV_PIX_FMT_RGB24, ew, eh, AV_PIX_FMT_YUV420P,
                                SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INP, nullptr, nullptr, nullptr));
  if (!sws) throw Error("cannot write '" + path + "': no RGB to yuv420p conversion");
  sws_setColorspaceDetails(sws.get(), sws_getCoefficients(SWS_CS_ITU709), 1, sws_getCoefficients(SWS_CS_ITU709), 0, 0,
                           1 << 16, 1 << 16);
  ff::FramePtr frame = ff::make_frame();
  frame->format = AV_PIX_FMT_YUV420P;
  frame->width = ew;
  frame->height = eh;
  frame->color_primaries = AVCOL_PRI_BT709;
  frame->color_trc = AVCOL_TRC_BT709;
  frame->colorspace = AVCOL_SPC_BT709;
  frame->color_range = AVCOL_RANGE_MPEG;
  if (av_frame_get_buffer(frame.get(), 0) < 0) throw Error("cannot write '" + path + "': out of memory");
  std::vector<uint8_t> padded;
  ff::PacketPtr pkt = ff::make_packet();

  auto drain = [&]() {
    for (;;) {
      int r = avcodec_receive_packet(cc.get(), pkt.get());
      if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return;
      if (r < 0) fail("encoding failed", r);
      av_packet_rescale_ts(pkt.get(), cc->time_base, st->time_base);
      pkt->stream_index = st->index;
      r = av_interleaved_write_frame(out.oc, pkt.get());
      if (r < 0) fail("writing the MP4 failed", r);
      if (out.oc->pb->error < 0) fail("writing the MP4 failed", out.oc->pb->error);
    }
  };

  for (size_t k = 0; k < job.order.size(); ++k) {
    const Image& src = job.video.frames[job.order[k]];
    const uint8_t* rgb = src.rgb.data();
    int stride = w * 3;
    if (ew != w || eh != h) {
      padded.resize(static_cast<size_t>(ew) * eh * 3);
      for (int y = 0; y < eh; ++y)
        for (int x = 0; x < ew; ++x)
          std::memcpy(&padded[(static_cast<size_t>(y) * ew + x) * 3], src.at(std::min(x, w - 1), std::min(y, h - 1)), 3);
      rgb = padded.data();
      stride = ew * 3;
    }
    if (av_frame_make_writable(frame.get()) < 0) throw Error("cannot write '" + path + "': out of memory");
    const uint8_t* src_planes[1] = {rgb};
    const int src_strides[1] = {stride};
    sws_scale(sws.get(), src_planes, src_strides, 0, eh, frame->data, frame->linesize);
    frame->pts = static_cast<int64_t>(k);
    ret = avcodec_send_frame(cc.get(), frame.get());
    if (ret < 0) fail("encoding frame " + std::to_string(k) + " failed", ret);
    drain();
    job.step(k + 1);
  }
  ret = avcodec_send_frame(cc.get(), nullptr);
  if (ret < 0) fail("flushing the encoder failed", ret);
  drain();
  ret = av_write_trailer(out.oc);
  if (ret < 0) fail("finishing the MP4 failed", ret);
  avio_flush(out.oc->pb);
  if (out.oc->pb->error < 0) fail("writing the MP4 failed", out.oc->pb->error);
  ret = avio_closep(&out.oc->pb);
  if (ret < 0) fail("closing the MP4 failed", ret);
}

}  // namespace ci2v::media::detail
