// Plain data passed between the UI thread and the engine thread, and the conversions between Qt images and
// the engine's RGB24 images. Torch-free.
#pragma once
#include <memory>
#include <QDateTime>
#include <QImage>
#include <QSize>
#include <QMetaType>
#include <QString>
#include <QVector>

#include "engine/pipeline.h"

namespace studio {

// One generation, as the worker receives it (everything copied: the UI may change meanwhile).
struct GenerationRequest {
  quint64 id = 0;
  QString modelDir;
  ci2v::GenerationParams params;
  // The first frame, shared: a batch's runs, the queue's copies and the FrameInit previews hold one picture (a
  // copy per request was made on the GUI thread, 192 MB each for an 8000 x 8000 picture).
  std::shared_ptr<const ci2v::RgbImage> firstFrame;
  QString previewDir;  // where the worker writes the temporary MP4 for the player ("" = none)
  double previewFps = 8;
};

// A finished generation.
struct ResultClip {
  quint64 id = 0;
  QVector<QImage> frames;  // RGB888
  qint64 seed = 0;         // the seed actually used
  double seconds = 0;      // generation time
  ci2v::GenerationParams params;  // as run (seed resolved)
  QString previewVideo;    // temporary MP4 of the frames ("" when it could not be written) ...
  int previewRepeats = 1;  // ... holding the clip this many times in a row (the player loops rarely)
  QString previewError;    // why there is no preview video
  QDateTime created;
  bool favourite = false;  // marked by the user in the history (kept in project files)
  QSize pictureSize;       // the first frame it was made from (its camera path is in that picture's pixels)
  bool empty() const { return frames.isEmpty(); }
};

// FrameInit's frequency split, one image per frame (mask: one per temporal frequency), through the
// latent-to-RGB approximation.
struct FrameInitImages {
  QVector<QImage> low;    // low band of the diffused layout video
  QVector<QImage> high;   // high band of the noise
  QVector<QImage> mixed;  // the mixed initial noise
  QVector<QImage> mask;   // the low-pass filter, a slice per temporal frequency
  bool empty() const { return low.isEmpty(); }
};
FrameInitImages toFrameInitImages(const ci2v::FrameInitPreview& p);

QImage toQImage(const ci2v::RgbImage& im);           // deep copy, Format_RGB888
ci2v::RgbImage toRgbImage(const QImage& image);      // any format -> RGB24 (alpha composited on white)
QVector<QImage> toQImages(const std::vector<ci2v::RgbImage>& frames);

}  // namespace studio

Q_DECLARE_METATYPE(studio::GenerationRequest)
Q_DECLARE_METATYPE(studio::ResultClip)
Q_DECLARE_METATYPE(studio::FrameInitImages)
