// Progress of a generation: the stage, a progress bar with the remaining time, and the per-step previews
// (one thumbnail per frame, refreshed after every denoising step) plus the FrameInit bands of the first frame.
#pragma once
#include <QImage>
#include <QVector>
#include <QWidget>

#include "app/studio_types.h"

class QHBoxLayout;
class QLabel;
class QProgressBar;
class QScrollArea;

namespace studio {

class PreviewStrip : public QWidget {
  Q_OBJECT
public:
  explicit PreviewStrip(QWidget* parent = nullptr);

  void reset();                                     // idle, no previews
  void setStage(const QString& text);
  void setProgress(int step, int total, double elapsedSeconds, double etaSeconds);
  void setFrames(const QVector<QImage>& frames);    // the latest step preview, one image per frame
  // FrameInit's bands (a middle frame shows them best).
  void setFrameInit(const QImage& low, const QImage& high, const QImage& mixed);
  void setFrameInitImages(const studio::FrameInitImages& images);
  void setFinished(const QString& text);            // a finished, failed or cancelled run

  int thumbnailCount() const;
  QString progressText() const;
  int progressValue() const;
  int progressMaximum() const;

  static QString formatDuration(double seconds);

private:
  QLabel* thumb(int i);

  QLabel* stage_ = nullptr;
  QProgressBar* bar_ = nullptr;
  QScrollArea* scroll_ = nullptr;
  QWidget* row_ = nullptr;
  QHBoxLayout* rowLayout_ = nullptr;
  QVector<QLabel*> thumbs_;
  QWidget* frameInitBox_ = nullptr;
  QLabel* fiLow_ = nullptr;
  QLabel* fiHigh_ = nullptr;
  QLabel* fiMixed_ = nullptr;
};

}  // namespace studio
