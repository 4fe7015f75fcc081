#include "widgets/video_player.h"

#include <algorithm>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMediaPlayer>
#include <QPainter>
#include <QSignalBlocker>
#include <QSlider>
#include <QStackedWidget>
#include <QTimer>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>
#include <QVideoFrame>
#include <QVideoSink>
#include <QVideoWidget>
#include <cmath>

namespace studio {
namespace {

enum Page { kPlaceholder = 0, kVideo = 1, kFrames = 2 };

// The frame-mode view: one image fitted into the widget, aspect kept, smooth scaling.
class FrameView : public QWidget {
public:
  QImage image;
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    p.fillRect(rect(), Qt::black);
    if (image.isNull()) return;
    const QSizeF s = QSizeF(image.size()).scaled(QSizeF(size()), Qt::KeepAspectRatio);
    const QRectF r(QPointF((width() - s.width()) / 2, (height() - s.height()) / 2), s);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    p.drawImage(r, image);
  }
};

QToolButton* toolButton(const char* name, const QString& icon, const QString& tip) {
  auto* b = new QToolButton;
  b->setObjectName(QString::fromLatin1(name));
  b->setIcon(QIcon(icon));
  b->setToolTip(tip);
  b->setAutoRaise(true);
  b->setIconSize(QSize(22, 22));
  return b;
}

}  // namespace

VideoPlayer::VideoPlayer(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("player"));
  auto* root = new QVBoxLayout(this);
  root->setContentsMargins(0, 0, 0, 0);
  root->setSpacing(4);

  stack_ = new QStackedWidget;
  auto* placeholder = new QLabel(tr("The result plays here.\nLoad a first frame and a model, then press Generate (Ctrl+Return)."));
  placeholder->setAlignment(Qt::AlignCenter);
  placeholder->setWordWrap(true);
  placeholder->setAutoFillBackground(true);
  QPalette pal = placeholder->palette();
  pal.setColor(QPalette::Window, QColor(24, 24, 28));
  pal.setColor(QPalette::WindowText, QColor(190, 190, 200));
  placeholder->setPalette(pal);
  placeholder_ = placeholder;
  video_ = new QVideoWidget;
  video_->setObjectName(QStringLiteral("video_widget"));
  video_->setAspectRatioMode(Qt::KeepAspectRatio);
  auto* fv = new FrameView;
  fv->setObjectName(QStringLiteral("frame_view"));
  frameView_ = fv;
  stack_->addWidget(placeholder_);
  stack_->addWidget(video_);
  stack_->addWidget(frameView_);
  stack_->setMinimumSize(240, 200);
  root->addWidget(stack_, 1);

  auto* controls = new QHBoxLayout;
  back_ = toolButton("step_back", QStringLiteral(":/icons/step-back.svg"), tr("Previous frame (,)"));
  playButton_ = toolButton("play", QStringLiteral(":/icons/play.svg"), tr("Play / pause (Space)"));
  forward_ = toolButton("step_forward", QStringLiteral(":/icons/step-forward.svg"), tr("Next frame (.)"));
  loopButton_ = toolButton("loop", QStringLiteral(":/icons/loop.svg"), tr("Loop"));
  loopButton_->setCheckable(true);
  loopButton_->setChecked(loop_);
  slider_ = new QSlider(Qt::Horizontal);
  slider_->setObjectName(QStringLiteral("frame_slider"));
  slider_->setToolTip(tr("Drag to scrub through the frames"));
  frameLabel_ = new QLabel;
  frameLabel_->setObjectName(QStringLiteral("frame_label"));
  frameLabel_->setMinimumWidth(64);
  speedBox_ = new QComboBox;
  speedBox_->setObjectName(QStringLiteral("speed"));
  speedBox_->setToolTip(tr("Playback speed"));
  for (double s : {0.25, 0.5, 1.0, 1.5, 2.0}) speedBox_->addItem(QStringLiteral("%1×").arg(s), s);
  speedBox_->setCurrentIndex(2);
  controls->addWidget(back_);
  controls->addWidget(playButton_);
  controls->addWidget(forward_);
  controls->addWidget(slider_, 1);
  controls->addWidget(frameLabel_);
  controls->addWidget(loopButton_);
  controls->addWidget(speedBox_);
  root->addLayout(controls);

  player_ = new QMediaPlayer(this);
  player_->setVideoOutput(video_);
  timer_ = new QTimer(this);
  timer_->setTimerType(Qt::PreciseTimer);

  connect(playButton_, &QToolButton::clicked, this, &VideoPlayer::togglePlay);
  connect(back_, &QToolButton::clicked, this, &VideoPlayer::stepBackward);
  connect(forward_, &QToolButton::clicked, this, &VideoPlayer::stepForward);
  connect(loopButton_, &QToolButton::toggled, this, &VideoPlayer::setLoop);
  connect(speedBox_, &QComboBox::currentIndexChanged, this,
          [this](int i) { setSpeed(speedBox_->itemData(i).toDouble()); });
  connect(slider_, &QSlider::sliderMoved, this, &VideoPlayer::seekFrame);
  // A drag pauses and resumes on release: each seek of the media backend blocks the UI (100-300 ms with GStreamer),
  // while paused frames come from memory.
  connect(slider_, &QSlider::sliderPressed, this, [this] {
    resumeAfterScrub_ = playing_;
    if (playing_) pause();
  });
  connect(slider_, &QSlider::sliderReleased, this, [this] {
    if (resumeAfterScrub_) play();
    resumeAfterScrub_ = false;
  });
  connect(slider_, &QSlider::actionTriggered, this, [this](int action) {
    if (action != QAbstractSlider::SliderMove) QTimer::singleShot(0, this, [this] { seekFrame(slider_->value()); });
  });

  endTimer_ = new QTimer(this);
  endTimer_->setSingleShot(true);
  endTimer_->setTimerType(Qt::PreciseTimer);
  connect(endTimer_, &QTimer::timeout, this, [this] {
    // Play once: stop on the last frame (shown from memory: no seek).
    pause();
    seekFrame(frames_.size() - 1);
  });

  loadTimer_ = new QTimer(this);
  loadTimer_->setSingleShot(true);
  loadTimer_->setInterval(10000);
  connect(loadTimer_, &QTimer::timeout, this, [this] {
    if (mediaMode_)
      useFrameMode(tr("the video did not start within %1 s").arg(loadTimer_->interval() / 1000.0, 0, 'g', 3));
  });
  // started means a frame on screen (a backend can say "loaded" and then show nothing)
  connect(video_->videoSink(), &QVideoSink::videoFrameChanged, this, [this](const QVideoFrame& f) {
    if (f.isValid()) loadTimer_->stop();
  });

  connect(timer_, &QTimer::timeout, this, [this] {
    if (frame_ + 1 < frames_.size()) {
      setFrameInternal(frame_ + 1);
    } else if (loop_) {
      setFrameInternal(0);
    } else {
      timer_->stop();
      setPlayingInternal(false);
    }
    showFrameImage();
  });
  connect(player_, &QMediaPlayer::positionChanged, this, [this](qint64 pos) {
    if (mediaMode_ && playing_ && !needsSeek_) setFrameInternal(frameAt(pos));
  });
  connect(player_, &QMediaPlayer::playbackStateChanged, this, [this](QMediaPlayer::PlaybackState s) {
    if (mediaMode_ && s != QMediaPlayer::PlayingState) {
      endTimer_->stop();
      setPlayingInternal(false);
    }
  });
  connect(player_, &QMediaPlayer::mediaStatusChanged, this, [this](QMediaPlayer::MediaStatus s) {
    if (!mediaMode_) return;
    if (s == QMediaPlayer::EndOfMedia) {
      setFrameInternal(frames_.size() - 1);
      setPlayingInternal(false);
    } else if (s == QMediaPlayer::InvalidMedia) {
      useFrameMode(tr("the video could not be played: %1").arg(player_->errorString()));
    }
  });
  connect(player_, &QMediaPlayer::errorOccurred, this, [this](QMediaPlayer::Error, const QString& text) {
    if (mediaMode_) useFrameMode(tr("the video could not be played: %1").arg(text));
  });
  updateControls();
}

VideoPlayer::~VideoPlayer() {
  timer_->stop();
  endTimer_->stop();
  loadTimer_->stop();
  player_->stop();
}

QVideoSink* VideoPlayer::videoSink() const { return video_->videoSink(); }

int VideoPlayer::loadTimeoutMs() const { return loadTimer_->interval(); }
void VideoPlayer::setLoadTimeoutMs(int ms) { loadTimer_->setInterval(std::max(1, ms)); }

void VideoPlayer::showPage(int page) {
  if (stack_->currentIndex() != page) stack_->setCurrentIndex(page);
}

double VideoPlayer::clipMs() const { return frames_.size() * 1000.0 / fps_; }

void VideoPlayer::setClip(const QVector<QImage>& frames, double fps, const QString& videoFile, int repeats) {
  timer_->stop();
  endTimer_->stop();
  frames_ = frames;
  fps_ = fps > 0 ? fps : 8;
  repeats_ = std::max(1, repeats);
  videoFile_ = videoFile;
  fallbackReason_.clear();
  needsSeek_ = false;
  setPlayingInternal(false);
  frame_ = 0;
  if (frames_.isEmpty()) {
    clear();
    return;
  }
  if (!videoFile.isEmpty()) {
    mediaMode_ = true;
    showPage(kVideo);
    player_->setLoops(QMediaPlayer::Infinite);  // the file holds `repeats` copies: it rarely wraps around
    player_->setPlaybackRate(speed_);
    player_->setSource(QUrl::fromLocalFile(videoFile));
    loadTimer_->start();
  } else {
    // the previous clip's video must not go on playing hidden (and keep its file open)
    player_->stop();
    if (!player_->source().isEmpty()) player_->setSource(QUrl());
    mediaMode_ = false;
    useFrameMode(tr("no video file"));
  }
  setFrameInternal(0);
  showFrameImage();
  updateControls();
}

void VideoPlayer::clear() {
  timer_->stop();
  endTimer_->stop();
  loadTimer_->stop();
  if (!player_->source().isEmpty()) player_->setSource(QUrl());
  frames_.clear();
  mediaMode_ = false;
  needsSeek_ = false;
  frame_ = 0;
  setPlayingInternal(false);
  showPage(kPlaceholder);
  updateControls();
}

void VideoPlayer::useFrameMode(const QString& reason) {
  const bool wasPlaying = playing_;
  endTimer_->stop();
  loadTimer_->stop();
  if (mediaMode_) player_->pause();
  mediaMode_ = false;
  fallbackReason_ = reason;
  showPage(frames_.isEmpty() ? kPlaceholder : kFrames);
  showFrameImage();
  if (!videoFile_.isEmpty()) Q_EMIT fallbackActivated(reason);
  if (wasPlaying) {
    playing_ = false;
    play();
  }
}

void VideoPlayer::showFrameImage() {
  auto* fv = static_cast<FrameView*>(frameView_);
  fv->image = (frame_ >= 0 && frame_ < frames_.size()) ? frames_[frame_] : QImage();
  fv->update();
}

void VideoPlayer::armEndTimer() {
  endTimer_->stop();
  if (!mediaMode_ || loop_ || !playing_) return;
  // From the middle of the current frame to the end of the first copy, at the playback speed.
  const double left = clipMs() - (frame_ + 0.5) * 1000.0 / fps_;
  endTimer_->start(std::max(1, static_cast<int>(std::lround(left / speed_))));
}

void VideoPlayer::play() {
  if (frames_.isEmpty()) return;
  if (mediaMode_) {
    if (!loop_ && frame_ + 1 >= frames_.size()) {  // play once from the end: start over
      frame_ = 0;
      needsSeek_ = true;
    }
    if (needsSeek_) {
      player_->setPosition(positionOf(frame_));  // the one seek (blocks the UI briefly with GStreamer)
      needsSeek_ = false;
    }
    showPage(kVideo);
    player_->play();
    setPlayingInternal(true);
    armEndTimer();
  } else {
    if (!loop_ && frame_ + 1 >= frames_.size()) setFrameInternal(0);
    timer_->start(std::max(1, static_cast<int>(std::lround(1000.0 / (fps_ * speed_)))));
    setPlayingInternal(true);
  }
}

void VideoPlayer::pause() {
  if (player_->playbackState() == QMediaPlayer::PlayingState) player_->pause();
  timer_->stop();
  endTimer_->stop();
  setPlayingInternal(false);
}

void VideoPlayer::togglePlay() { playing_ ? pause() : play(); }

void VideoPlayer::stepForward() {
  if (frames_.isEmpty()) return;
  pause();
  seekFrame(frame_ + 1 < frames_.size() ? frame_ + 1 : (loop_ ? 0 : frame_));
}

void VideoPlayer::stepBackward() {
  if (frames_.isEmpty()) return;
  pause();
  seekFrame(frame_ > 0 ? frame_ - 1 : (loop_ ? frames_.size() - 1 : 0));
}

void VideoPlayer::seekFrame(int frame) {
  if (frames_.isEmpty()) return;
  frame = std::clamp(frame, 0, static_cast<int>(frames_.size()) - 1);
  if (mediaMode_) {
    if (playing_) {
      // Scrubbing while playing: jump there and keep playing.
      setFrameInternal(frame);
      player_->setPosition(positionOf(frame));
      armEndTimer();
      return;
    }
    // Paused: show the exact frame from memory; the media position follows when playback resumes.
    needsSeek_ = true;
    showPage(kFrames);
  }
  setFrameInternal(frame);
  showFrameImage();
}

void VideoPlayer::setLoop(bool loop) {
  loop_ = loop;
  if (loopButton_->isChecked() != loop) loopButton_->setChecked(loop);
  armEndTimer();
}

void VideoPlayer::setSpeed(double speed) {
  speed_ = std::clamp(speed, 0.05, 8.0);
  player_->setPlaybackRate(speed_);
  if (timer_->isActive()) timer_->start(std::max(1, static_cast<int>(std::lround(1000.0 / (fps_ * speed_)))));
  if (endTimer_->isActive()) armEndTimer();
  const int i = speedBox_->findData(speed_);
  if (i >= 0 && i != speedBox_->currentIndex()) speedBox_->setCurrentIndex(i);
}

QImage VideoPlayer::currentImage() const {
  if (mediaMode_ && stack_->currentIndex() == kVideo) {
    const QVideoFrame f = videoSink()->videoFrame();
    if (f.isValid()) return f.toImage();
    return {};
  }
  return (frame_ >= 0 && frame_ < frames_.size()) ? frames_[frame_] : QImage();
}

int VideoPlayer::frameAt(qint64 positionMs) const {
  // The file holds the clip `repeats_` times: the frame within the clip.
  const int n = std::max(1, static_cast<int>(frames_.size()));
  const int f = static_cast<int>(std::floor(static_cast<double>(positionMs) * fps_ / 1000.0 + 1e-6));
  return std::clamp(f, 0, n * repeats_ - 1) % n;
}

qint64 VideoPlayer::positionOf(int frame) const {
  return static_cast<qint64>(std::lround((frame + 0.5) * 1000.0 / fps_));
}

void VideoPlayer::setFrameInternal(int frame) {
  if (frame == frame_ && slider_->value() == frame) return;
  frame_ = frame;
  updateControls();
  Q_EMIT frameChanged(frame_);
}

void VideoPlayer::setPlayingInternal(bool playing) {
  if (playing == playing_) return;
  playing_ = playing;
  updateControls();
  Q_EMIT playingChanged(playing_);
}

void VideoPlayer::updateControls() {
  const bool has = !frames_.isEmpty();
  for (QWidget* w : {static_cast<QWidget*>(playButton_), static_cast<QWidget*>(back_), static_cast<QWidget*>(forward_),
                     static_cast<QWidget*>(slider_)})
    w->setEnabled(has);
  playButton_->setIcon(QIcon(playing_ ? QStringLiteral(":/icons/pause.svg") : QStringLiteral(":/icons/play.svg")));
  {
    const QSignalBlocker b(slider_);
    slider_->setRange(0, std::max(0, static_cast<int>(frames_.size()) - 1));
    slider_->setValue(frame_);
  }
  frameLabel_->setText(has ? tr("%1 / %2").arg(frame_ + 1).arg(frames_.size()) : QStringLiteral("– / –"));
}

void VideoPlayer::resizeEvent(QResizeEvent* e) {
  QWidget::resizeEvent(e);
  frameView_->update();
}

}  // namespace studio
