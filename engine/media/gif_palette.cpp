#include "engine/media/gif_palette.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <unordered_map>

namespace ci2v::media::gif {

namespace {

struct Point {
  float c[3];
  double weight;
};

struct Box {
  std::vector<int> points;  // indices into the point list
  double sse = 0;           // weighted squared error around the mean
  float mean[3] = {0, 0, 0};
};

void measure(const std::vector<Point>& pts, Box& b) {
  double w = 0, s[3] = {0, 0, 0};
  for (int i : b.points) {
    w += pts[i].weight;
    for (int c = 0; c < 3; ++c) s[c] += pts[i].weight * pts[i].c[c];
  }
  for (int c = 0; c < 3; ++c) b.mean[c] = w > 0 ? static_cast<float>(s[c] / w) : 0.f;
  double e = 0;
  for (int i : b.points)
    for (int c = 0; c < 3; ++c) {
      const double d = pts[i].c[c] - b.mean[c];
      e += pts[i].weight * d * d;
    }
  b.sse = b.points.size() > 1 ? e : 0;
}

// Split along the axis of largest variance at the weighted median.
bool split(const std::vector<Point>& pts, Box& b, Box& out) {
  if (b.points.size() < 2) return false;
  double var[3] = {0, 0, 0};
  for (int i : b.points)
    for (int c = 0; c < 3; ++c) {
      const double d = pts[i].c[c] - b.mean[c];
      var[c] += pts[i].weight * d * d;
    }
  const int axis = static_cast<int>(std::max_element(var, var + 3) - var);
  std::sort(b.points.begin(), b.points.end(), [&](int a, int c) { return pts[a].c[axis] < pts[c].c[axis]; });
  double total = 0;
  for (int i : b.points) total += pts[i].weight;
  double acc = 0;
  size_t cut = 1;
  for (size_t k = 0; k + 1 < b.points.size(); ++k) {
    acc += pts[b.points[k]].weight;
    cut = k + 1;
    if (acc >= total / 2) break;
  }
  out.points.assign(b.points.begin() + static_cast<ptrdiff_t>(cut), b.points.end());
  b.points.resize(cut);
  measure(pts, b);
  measure(pts, out);
  return true;
}

}  // namespace

Palette build_palette(const std::vector<const Image*>& frames, int max_colors) {
  max_colors = std::clamp(max_colors, 1, 256);
  Palette pal;
  // Exact palette when the clip has few colours.
  {
    std::vector<uint64_t> seen(size_t(1) << 18, 0);
    std::vector<std::array<uint8_t, 3>> colors;
    bool few = true;
    for (const Image* f : frames) {
      const size_t n = static_cast<size_t>(f->width) * f->height;
      const uint8_t* p = f->rgb.data();
      for (size_t i = 0; i < n && few; ++i, p += 3) {
        const uint32_t key = uint32_t(p[0]) << 16 | uint32_t(p[1]) << 8 | p[2];
        uint64_t& word = seen[key >> 6];
        const uint64_t bit = uint64_t(1) << (key & 63);
        if (!(word & bit)) {
          word |= bit;
          colors.push_back({p[0], p[1], p[2]});
          if (static_cast<int>(colors.size()) > max_colors) few = false;
        }
      }
      if (!few) break;
    }
    if (few) {
      pal.colors = std::move(colors);
      if (pal.colors.empty()) pal.colors.push_back({0, 0, 0});
      pal.exact = true;
      return pal;
    }
  }
  // Histogram on 5 bits per channel, with the mean colour of each bin.
  constexpr int kBins = 1 << 15;
  std::vector<uint64_t> count(kBins, 0), sum(kBins * 3, 0);
  for (const Image* f : frames) {
    const size_t n = static_cast<size_t>(f->width) * f->height;
    const uint8_t* p = f->rgb.data();
    for (size_t i = 0; i < n; ++i, p += 3) {
      const int bin = (p[0] >> 3) << 10 | (p[1] >> 3) << 5 | (p[2] >> 3);
      ++count[bin];
      sum[bin * 3] += p[0], sum[bin * 3 + 1] += p[1], sum[bin * 3 + 2] += p[2];
    }
  }
  std::vector<Point> pts;
  for (int b = 0; b < kBins; ++b)
    if (count[b]) {
      const double w = static_cast<double>(count[b]);
      pts.push_back({{static_cast<float>(sum[b * 3] / w), static_cast<float>(sum[b * 3 + 1] / w),
                      static_cast<float>(sum[b * 3 + 2] / w)},
                     w});
    }
  // Few occupied bins (a grey ramp, fog, a night sky): the cut can only split between bins, so it would leave most
  // of the palette unused (a 256-level ramp got 32 greys). The clip's exact colours then, unless there are so many
  // (up to 512 a bin) that the cut would be slow: the bins' means stay then.
  constexpr size_t kMaxExactColors = 16384;
  std::unordered_map<uint32_t, uint64_t> exact;
  if (pts.size() < static_cast<size_t>(2 * max_colors)) {
    exact.reserve(pts.size() * 64);
    for (const Image* f : frames) {
      const size_t n = static_cast<size_t>(f->width) * f->height;
      const uint8_t* p = f->rgb.data();
      for (size_t i = 0; i < n && exact.size() <= kMaxExactColors; ++i, p += 3)
        ++exact[uint32_t(p[0]) << 16 | uint32_t(p[1]) << 8 | p[2]];
    }
  }
  if (pts.size() < static_cast<size_t>(2 * max_colors) && exact.size() <= kMaxExactColors) {
    pts.clear();
    for (const auto& [key, n] : exact)
      pts.push_back({{static_cast<float>(key >> 16), static_cast<float>((key >> 8) & 255), static_cast<float>(key & 255)},
                     static_cast<double>(n)});
    std::sort(pts.begin(), pts.end(), [](const Point& a, const Point& b) {  // a stable palette, run after run
      return std::lexicographical_compare(a.c, a.c + 3, b.c, b.c + 3);
    });
  }
  // Median cut: split the box with the largest squared error until max_colors boxes.
  std::vector<Box> boxes(1);
  boxes[0].points.resize(pts.size());
  std::iota(boxes[0].points.begin(), boxes[0].points.end(), 0);
  measure(pts, boxes[0]);
  while (static_cast<int>(boxes.size()) < max_colors) {
    auto it = std::max_element(boxes.begin(), boxes.end(), [](const Box& a, const Box& b) { return a.sse < b.sse; });
    if (it->sse <= 0) break;
    Box other;
    if (!split(pts, *it, other)) break;
    boxes.push_back(std::move(other));
  }
  std::vector<std::array<float, 3>> centers(boxes.size());
  for (size_t k = 0; k < boxes.size(); ++k)
    for (int c = 0; c < 3; ++c) centers[k][c] = boxes[k].mean[c];
  // k-means (Lloyd) refinement on the weighted bins.
  std::vector<int> assign(pts.size(), 0);
  for (int iter = 0; iter < 6; ++iter) {
    for (size_t i = 0; i < pts.size(); ++i) {
      float best = std::numeric_limits<float>::max();
      for (size_t k = 0; k < centers.size(); ++k) {
        const float d0 = pts[i].c[0] - centers[k][0], d1 = pts[i].c[1] - centers[k][1], d2 = pts[i].c[2] - centers[k][2];
        const float d = d0 * d0 + d1 * d1 + d2 * d2;
        if (d < best) best = d, assign[i] = static_cast<int>(k);
      }
    }
    std::vector<double> acc(centers.size() * 4, 0.0);
    for (size_t i = 0; i < pts.size(); ++i) {
      double* a = &acc[assign[i] * 4];
      for (int c = 0; c < 3; ++c) a[c] += pts[i].weight * pts[i].c[c];
      a[3] += pts[i].weight;
    }
    for (size_t k = 0; k < centers.size(); ++k)
      if (acc[k * 4 + 3] > 0)
        for (int c = 0; c < 3; ++c) centers[k][c] = static_cast<float>(acc[k * 4 + c] / acc[k * 4 + 3]);
  }
  for (const auto& c : centers)
    pal.colors.push_back({static_cast<uint8_t>(std::clamp(std::lround(c[0]), 0L, 255L)),
                          static_cast<uint8_t>(std::clamp(std::lround(c[1]), 0L, 255L)),
                          static_cast<uint8_t>(std::clamp(std::lround(c[2]), 0L, 255L))});
  return pal;
}

Mapper::Mapper(const Palette& palette, bool dither)
    : cache_(size_t(1) << 24, 0), known_(size_t(1) << 18, 0), dither_(dither && !palette.exact) {
  std::vector<int> order(palette.colors.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) { return palette.colors[a][0] < palette.colors[b][0]; });
  for (int k : order) {
    sorted_.push_back({palette.colors[k][0], palette.colors[k][1], palette.colors[k][2]});
    sorted_index_.push_back(static_cast<uint8_t>(k));
  }
  if (dither_) {
    // Dither amplitude: the median distance from a palette colour to its nearest neighbour (the local step).
    std::vector<float> nn;
    for (size_t a = 0; a < sorted_.size(); ++a) {
      int best = std::numeric_limits<int>::max();
      for (size_t b = 0; b < sorted_.size(); ++b) {
        if (a == b) continue;
        const int d0 = sorted_[a][0] - sorted_[b][0], d1 = sorted_[a][1] - sorted_[b][1], d2 = sorted_[a][2] - sorted_[b][2];
        best = std::min(best, d0 * d0 + d1 * d1 + d2 * d2);
      }
      if (best != std::numeric_limits<int>::max()) nn.push_back(std::sqrt(static_cast<float>(best)));
    }
    if (!nn.empty()) {
      std::nth_element(nn.begin(), nn.begin() + static_cast<ptrdiff_t>(nn.size() / 2), nn.end());
      amplitude_ = std::clamp(nn[nn.size() / 2], 2.0f, 32.0f);
    } else {
      dither_ = false;
    }
  }
}

uint8_t Mapper::nearest(int r, int g, int b) {
  const uint32_t key = uint32_t(r) << 16 | uint32_t(g) << 8 | uint32_t(b);
  uint64_t& word = known_[key >> 6];
  const uint64_t bit = uint64_t(1) << (key & 63);
  if (word & bit) return cache_[key];
  // Palette sorted by red: start where red matches and walk outwards while the red distance alone can win.
  const int n = static_cast<int>(sorted_.size());
  int lo = static_cast<int>(std::lower_bound(sorted_.begin(), sorted_.end(), r,
                                             [](const std::array<int, 3>& c, int v) { return c[0] < v; }) -
                            sorted_.begin());
  int hi = lo;
  --lo;
  int best = std::numeric_limits<int>::max(), best_k = 0;
  auto test = [&](int k) {
    const int d0 = sorted_[k][0] - r, d1 = sorted_[k][1] - g, d2 = sorted_[k][2] - b;
    const int d = d0 * d0 + d1 * d1 + d2 * d2;
    if (d < best || (d == best && sorted_index_[k] < sorted_index_[best_k])) best = d, best_k = k;
  };
  while (lo >= 0 || hi < n) {
    if (hi < n) {
      const int dr = sorted_[hi][0] - r;
      if (dr * dr > best) hi = n;
      else test(hi++);
    }
    if (lo >= 0) {
      const int dr = r - sorted_[lo][0];
      if (dr * dr > best) lo = -1;
      else test(lo--);
    }
  }
  word |= bit;
  return cache_[key] = sorted_index_[best_k];
}

void Mapper::map(const Image& f, uint8_t* out) {
  // Bayer 8x8 thresholds in (-0.5, 0.5).
  static const int kBayer[8][8] = {{0, 32, 8, 40, 2, 34, 10, 42},  {48, 16, 56, 24, 50, 18, 58, 26},
                                   {12, 44, 4, 36, 14, 46, 6, 38},  {60, 28, 52, 20, 62, 30, 54, 22},
                                   {3, 35, 11, 43, 1, 33, 9, 41},   {51, 19, 59, 27, 49, 17, 57, 25},
                                   {15, 47, 7, 39, 13, 45, 5, 37},  {63, 31, 55, 23, 61, 29, 53, 21}};
  int offset[8][8];
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 8; ++x)
      offset[y][x] = dither_ ? static_cast<int>(std::lround(((kBayer[y][x] + 0.5f) / 64.0f - 0.5f) * amplitude_)) : 0;
  for (int y = 0; y < f.height; ++y) {
    const uint8_t* p = f.at(0, y);
    uint8_t* o = out + static_cast<size_t>(y) * f.width;
    const int* off = offset[y & 7];
    for (int x = 0; x < f.width; ++x, p += 3) {
      const int d = off[x & 7];
      o[x] = nearest(std::clamp(p[0] + d, 0, 255), std::clamp(p[1] + d, 0, 255), std::clamp(p[2] + d, 0, 255));
    }
  }
}

}  // namespace ci2v::media::gif
