// PNG sequence: a folder of frame_00000.png ... written by libavcodec's PNG encoder, each with the
// generation parameters (text chunk "consisti2v") and the frame rate (text chunk "consisti2v:fps").
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>

extern "C" {
#include <libavutil/opt.h>
}

#include "engine/media/container_meta.h"
#include "engine/media/export_writers.h"
#include "engine/media/ff_common.h"

namespace ci2v::media::detail {

void write_png_sequence(const Job& job) {
  const std::string& path = job.target;
  const auto fail = [&](const std::string& what, int ret) {
    throw Error("cannot write '" + path + "': " + what + " (" + ff::err2str(ret) + ")");
  };
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
  if (!codec) throw Error("cannot write '" + path + "': this FFmpeg has no PNG encoder");
  const int w = job.video.frames[0].width, h = job.video.frames[0].height;
  ff::CodecCtxPtr cc(avcodec_alloc_context3(codec));
  if (!cc) throw Error("cannot write '" + path + "': out of memory");
  cc->width = w;
  cc->height = h;
  cc->pix_fmt = AV_PIX_FMT_RGB24;
  cc->time_base = {1, 25};
  cc->compression_level = 6;
  cc->sample_aspect_ratio = {1, 1};  // pHYs 1:1 (0:1 otherwise)
  AVDictionary* opts = nullptr;
  av_dict_set(&opts, "pred", "paeth", 0);
  int ret = avcodec_open2(cc.get(), codec, &opts);
  av_dict_free(&opts);
  if (ret < 0) fail("opening the PNG encoder failed", ret);

  std::ostringstream fps_text;
  fps_text.precision(17);
  fps_text << job.fps;
  ff::FramePtr frame = ff::make_frame();
  frame->format = AV_PIX_FMT_RGB24;
  frame->width = w;
  frame->height = h;
  if (av_frame_get_buffer(frame.get(), 0) < 0) throw Error("cannot write '" + path + "': out of memory");
  ff::PacketPtr pkt = ff::make_packet();
  std::vector<std::vector<uint8_t>> encoded(job.video.frames.size());
  const size_t n = job.order.size();
  const int digits = std::max(5, static_cast<int>(std::to_string(n - 1).size()));
  for (size_t k = 0; k < n; ++k) {
    const int src = job.order[k];
    if (encoded[src].empty()) {
      if (av_frame_make_writable(frame.get()) < 0) throw Error("cannot write '" + path + "': out of memory");
      for (int y = 0; y < h; ++y)
        std::memcpy(frame->data[0] + static_cast<ptrdiff_t>(y) * frame->linesize[0], job.video.frames[src].at(0, y),
                    static_cast<size_t>(w) * 3);
      frame->pts = static_cast<int64_t>(k);
      ret = avcodec_send_frame(cc.get(), frame.get());
      if (ret < 0) fail("encoding frame " + std::to_string(k) + " failed", ret);
      ret = avcodec_receive_packet(cc.get(), pkt.get());
      if (ret < 0) fail("encoding frame " + std::to_string(k) + " failed", ret);
      std::vector<uint8_t> png(pkt->data, pkt->data + pkt->size);
      av_packet_unref(pkt.get());
      meta::png_add_text(png, meta::kPngFpsKeyword, fps_text.str());
      if (!job.opt.params_json.empty()) meta::png_add_text(png, meta::kPngParamsKeyword, job.opt.params_json);
      encoded[src] = std::move(png);
    }
    char name[64];
    std::snprintf(name, sizeof(name), "frame_%0*zu.png", digits, k);
    write_bytes((std::filesystem::path(job.temp) / name).string(), encoded[src], path);
    job.step(k + 1);
  }
}

}  // namespace ci2v::media::detail
