// The result player. Main path: Qt Multimedia (QMediaPlayer into a QVideoWidget) playing a temporary MP4 of
// the result. When there is no video file or the media backend fails, it falls back to showing the frames
// themselves, driven by a timer. Play/pause, loop, frame step, speed, a frame slider.
//
// Qt 6.4's GStreamer backend blocks the UI thread on seeks (about 300 ms per seek while paused, about 100 ms
// when a loop wraps around, measured under Xvfb). So: frame steps and scrubbing while paused show the exact
// frame from memory (no seek; the media position is set once when playback resumes), and the temporary MP4
// holds the clip several times over (`repeats`) so that looping wraps around rarely; playing once stops at
// the end of the first copy by a timer.
#pragma once
#include <QImage>
#include <QPointer>
#include <QVector>
#include <QWidget>

class QComboBox;
class QLabel;
class QMediaPlayer;
class QSlider;
class QStackedWidget;
class QTimer;
class QToolButton;
class QVideoSink;
class QVideoWidget;

namespace studio {

class VideoPlayer : public QWidget {
  Q_OBJECT
public:
  explicit VideoPlayer(QWidget* parent = nullptr);
  ~VideoPlayer() override;

  // frames: the clip (RGB); fps: its rate; videoFile: an MP4 of the same frames, `repeats` times in a row
  // ("" -> frame mode).
  void setClip(const QVector<QImage>& frames, double fps, const QString& videoFile, int repeats = 1);
  void clear();

  bool hasClip() const { return !frames_.isEmpty(); }
  bool isPlaying() const { return playing_; }
  bool loop() const { return loop_; }
  double speed() const { return speed_; }
  double fps() const { return fps_; }
  int currentFrame() const { return frame_; }
  int frameCount() const { return frames_.size(); }
  bool usesMediaPlayer() const { return mediaMode_; }
  QString fallbackReason() const { return fallbackReason_; }
  // A video that has not loaded after this long (a media backend stuck while it loads) falls back to showing the
  // frames from memory, so the clip is never a black box.
  int loadTimeoutMs() const;
  void setLoadTimeoutMs(int ms);

  QMediaPlayer* mediaPlayer() const { return player_; }
  QVideoSink* videoSink() const;
  QVideoWidget* videoWidget() const { return video_; }
  // What is on screen now: the last video frame from the sink in media mode, else the frame image.
  QImage currentImage() const;

public Q_SLOTS:
  void play();
  void pause();
  void togglePlay();
  void stepForward();
  void stepBackward();
  void seekFrame(int frame);
  void setLoop(bool loop);
  void setSpeed(double speed);

Q_SIGNALS:
  void frameChanged(int frame);
  void playingChanged(bool playing);
  void fallbackActivated(const QString& reason);

protected:
  void resizeEvent(QResizeEvent*) override;

private:
  void useFrameMode(const QString& reason);
  void showFrameImage();
  void showPage(int page);
  void armEndTimer();
  double clipMs() const;
  void setFrameInternal(int frame);
  void setPlayingInternal(bool playing);
  void updateControls();
  int frameAt(qint64 positionMs) const;
  qint64 positionOf(int frame) const;

  QVector<QImage> frames_;
  double fps_ = 8;
  double speed_ = 1;
  bool loop_ = true;
  bool playing_ = false;
  bool resumeAfterScrub_ = false;  // the slider is being dragged over a playing clip
  bool mediaMode_ = false;
  int frame_ = 0;
  int repeats_ = 1;
  bool needsSeek_ = false;  // media mode: the shown frame was stepped to; seek when playback resumes
  QString videoFile_;
  QString fallbackReason_;

  QMediaPlayer* player_ = nullptr;
  QVideoWidget* video_ = nullptr;
  QStackedWidget* stack_ = nullptr;
  QWidget* frameView_ = nullptr;
  QLabel* placeholder_ = nullptr;
  QTimer* timer_ = nullptr;     // frame mode: the next frame
  QTimer* endTimer_ = nullptr;  // media mode, loop off: pause at the end of the first copy
  QTimer* loadTimer_ = nullptr;  // media mode: the video must start within loadTimeoutMs(), else frame mode
  QToolButton* playButton_ = nullptr;
  QToolButton* back_ = nullptr;
  QToolButton* forward_ = nullptr;
  QToolButton* loopButton_ = nullptr;
  QSlider* slider_ = nullptr;
  QLabel* frameLabel_ = nullptr;
  QComboBox* speedBox_ = nullptr;
};

}  // namespace studio
