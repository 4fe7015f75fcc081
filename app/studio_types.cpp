#include "app/studio_types.h"

#include <QPainter>
#include <cstring>

namespace studio {

QImage toQImage(const ci2v::RgbImage& im) {
  if (im.empty() || im.rgb.size() < static_cast<size_t>(im.width) * im.height * 3) return {};
  QImage out(im.width, im.height, QImage::Format_RGB888);
  const size_t row = static_cast<size_t>(im.width) * 3;
  for (int y = 0; y < im.height; ++y) std::memcpy(out.scanLine(y), im.rgb.data() + y * row, row);
  return out;
}

ci2v::RgbImage toRgbImage(const QImage& image) {
  ci2v::RgbImage out;
  if (image.isNull()) return out;
  QImage src;
  if (image.hasAlphaChannel()) {
    // Transparent pixels on white, as the engine's image loader does by default.
    QImage flat(image.size(), QImage::Format_RGB888);
    flat.fill(Qt::white);
    QPainter p(&flat);
    p.drawImage(0, 0, image);
    p.end();
    src = flat;
  } else {
    src = image.convertToFormat(QImage::Format_RGB888);
  }
  out.width = src.width();
  out.height = src.height();
  const size_t row = static_cast<size_t>(out.width) * 3;
  out.rgb.resize(row * out.height);
  for (int y = 0; y < out.height; ++y) std::memcpy(out.rgb.data() + y * row, src.constScanLine(y), row);
  return out;
}

QVector<QImage> toQImages(const std::vector<ci2v::RgbImage>& frames) {
  QVector<QImage> out;
  out.reserve(static_cast<int>(frames.size()));
  for (const auto& f : frames) out.push_back(toQImage(f));
  return out;
}

FrameInitImages toFrameInitImages(const ci2v::FrameInitPreview& p) {
  FrameInitImages out;
  out.low = toQImages(p.low);
  out.high = toQImages(p.high);
  out.mixed = toQImages(p.mixed);
  out.mask = toQImages(p.mask);
  return out;
}

}  // namespace studio
