// Internal: one palette for a whole clip (variance-based median cut refined by k-means) and the mapping of
// frames to palette indices, optionally with an ordered (Bayer 8x8) dither that is stable across frames.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "engine/media/image.h"

namespace ci2v::media::gif {

struct Palette {
  std::vector<std::array<uint8_t, 3>> colors;  // at most max_colors entries
  bool exact = false;                          // the clip has no more colours than the palette holds
};

// `frames` are the distinct source frames. max_colors <= 256.
Palette build_palette(const std::vector<const Image*>& frames, int max_colors);

// Maps RGB to palette indices; keeps a cache of every colour seen (16 MiB), so reuse one mapper per clip.
class Mapper {
public:
  Mapper(const Palette& palette, bool dither);
  // indices: width * height bytes.
  void map(const Image& frame, uint8_t* indices);

private:
  uint8_t nearest(int r, int g, int b);
  std::vector<std::array<int, 3>> sorted_;  // palette sorted by red
  std::vector<uint8_t> sorted_index_;       // position in the palette of sorted_[k]
  std::vector<uint8_t> cache_;
  std::vector<uint64_t> known_;
  bool dither_;
  float amplitude_ = 0;
};

}  // namespace ci2v::media::gif
