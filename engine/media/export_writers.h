// Internal: one writer per output format, called by export_video with a temporary path.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/media/export.h"

namespace ci2v::media::detail {

struct Job {
  const Video& video;
  std::vector<int> order;  // source frame index of each output frame
  double fps = 8;
  const ExportOptions& opt;
  std::string target;  // the final path (for messages)
  std::string temp;    // where the writer writes (a file, or a folder for PNG sequences)
  std::function<void(size_t frames_done)> step;  // reports progress; throws ExportCancelled
};

void write_mp4(const Job& job);
void write_gif(const Job& job);
void write_webp(const Job& job);
void write_png_sequence(const Job& job);

// Write bytes to a new file; throws "cannot write '<target>': <cause>".
void write_bytes(const std::string& path, const std::vector<uint8_t>& data, const std::string& target);

// Distinct source frames in first-use order.
std::vector<int> distinct_frames(const std::vector<int>& order);

}  // namespace ci2v::media::detail
