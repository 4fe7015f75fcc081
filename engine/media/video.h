// Decoded video clips (RGB24 frames) and reading them back from files.
#pragma once
#include <string>
#include <vector>

#include "engine/media/image.h"

namespace ci2v::media {

struct Video {
  int width = 0, height = 0;
  double fps = 0;  // 0 when unknown (e.g. a PNG folder without our fps text chunk)
  std::vector<Image> frames;
};

// Decode every frame of a video or animation: MP4/MOV/MKV/... and GIF through libavformat, animated WebP
// through its RIFF container and libavcodec's WebP decoder (FFmpeg 5.1 cannot demux animated WebP), or a
// folder of PNG files (sorted by name, numbers compared by value). max_frames > 0 stops early.
// The frame rate comes from the frame durations (exact for GIF centiseconds and WebP milliseconds).
// Throws ci2v::Error naming the path and the cause.
Video decode_video(const std::string& path, int max_frames = 0);

}  // namespace ci2v::media
