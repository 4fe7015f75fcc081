// Internal: the WebP RIFF container. FFmpeg 5.1 decodes single WebP bitstreams but cannot demux animated
// WebP (ANIM/ANMF chunks), so frames are split out here, decoded by libavcodec one by one and composited.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/media/ff_common.h"

namespace ci2v::media::webp {

struct Frame {
  int x = 0, y = 0, width = 0, height = 0;  // 0 x 0: a still image covering the canvas
  int duration_ms = 0;
  bool blend = true;    // alpha-blend over the canvas (else overwrite)
  bool dispose = false;  // clear the rectangle to transparent after display
  std::vector<uint8_t> bitstream;  // a standalone RIFF WEBP file that libavcodec can decode
};

struct Info {
  bool animated = false;
  int canvas_width = 0, canvas_height = 0;
  int loop = 0;
  int orientation = 1;  // the EXIF chunk's Orientation (1..8; 1 when there is none or it is unreadable)
  std::vector<Frame> frames;
};

// The Orientation tag (0x0112) of an EXIF block (a TIFF header, optionally after "Exif\0\0"): 1..8, or 1 when
// the block has none or is malformed (never throws; every offset is bounds-checked).
int exif_orientation(const uint8_t* data, size_t size);

bool is_webp(const uint8_t* data, size_t size);
Info parse(const uint8_t* data, size_t size, const std::string& what, int max_frames = 0);

// Decode and composite the frames in order; `sink` gets the 8-bit RGBA canvas and the frame duration,
// and returns false to stop.
void decode_frames(const Info& info, const std::string& what,
                   const std::function<bool(const ff::Rgba& canvas, int duration_ms)>& sink);

// Writers for files made by libwebp_anim: loop count in the ANIM chunk, an XMP chunk (adds VP8X if needed).
// make_animated: a still (libwebp_anim merges identical frames, and a clip whose frames are all alike comes out as
// one non-animated image: no duration, no loop) becomes an animation of that one frame lasting duration_ms.
void make_animated(std::vector<uint8_t>& file, int width, int height, int duration_ms, int loop_count);
void set_loop_count(std::vector<uint8_t>& file, int loop_count);
void add_xmp(std::vector<uint8_t>& file, const std::string& xmp, int width, int height);
// The XMP chunk's payload, or "" when there is none.
std::string find_xmp(const uint8_t* data, size_t size);

}  // namespace ci2v::media::webp
