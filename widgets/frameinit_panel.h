// FrameInit at a glance, before any diffusion: the camera (layout) video the model is guided by, the low band
// of that video diffused to τ, the high band of the noise, the mixed initial noise and the low-pass mask (a
// slice through frequency space per temporal frequency), all playable over the frames with one slider.
// Thin: it shows what it is given; the window asks the engine for the bands when a setting changes.
#pragma once
#include <QImage>
#include <QVector>
#include <QWidget>

#include "app/studio_types.h"

class QLabel;
class QSlider;
class QTimer;
class QToolButton;

namespace studio {

class FrameInitPanel : public QWidget {
  Q_OBJECT
public:
  enum Tile { Camera = 0, Low, High, Mixed, Mask, TileCount };
  explicit FrameInitPanel(QWidget* parent = nullptr);

  // The synthetic camera video (the dry run): shown at once, no model needed.
  void setCameraFrames(const QVector<QImage>& frames, const QString& caption);
  // The bands for the current settings and how long the engine took.
  void setBands(const FrameInitImages& images, double milliseconds, const QString& note);
  // No bands (no model yet, or an error): the reason is shown instead.
  void clearBands(const QString& reason);
  void setUpdating(bool updating);  // a newer preview is on its way

  int frameCount() const;
  int currentFrame() const { return frame_; }
  void setCurrentFrame(int frame);
  bool isPlaying() const;
  void setPlaying(bool play);
  // What a tile shows now (tests, screenshots).
  QImage shownImage(Tile tile) const;
  const FrameInitImages& bands() const { return bands_; }
  const QVector<QImage>& cameraFrames() const { return camera_; }
  QString statusText() const;

Q_SIGNALS:
  void currentFrameChanged(int frame);

private:
  void refresh();

  QVector<QImage> camera_;
  FrameInitImages bands_;
  QLabel* tiles_[TileCount] = {};
  QLabel* captions_[TileCount] = {};
  QSlider* slider_ = nullptr;
  QToolButton* play_ = nullptr;
  QLabel* frameLabel_ = nullptr;
  QLabel* status_ = nullptr;
  QTimer* timer_ = nullptr;
  int frame_ = 0;
  bool updating_ = false;
  QString note_;
};

}  // namespace studio
