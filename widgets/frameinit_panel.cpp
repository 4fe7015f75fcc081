#include "widgets/frameinit_panel.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

namespace studio {
namespace {
constexpr int kTile = 150;  // tile size, logical pixels

QImage pick(const QVector<QImage>& v, int i) {
  if (v.isEmpty()) return {};
  return v[std::clamp(i, 0, static_cast<int>(v.size()) - 1)];
}
}  // namespace

FrameInitPanel::FrameInitPanel(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("frameinit_panel"));
  auto* root = new QVBoxLayout(this);
  root->setContentsMargins(6, 6, 6, 6);
  auto* grid = new QGridLayout;
  grid->setHorizontalSpacing(10);
  const QString names[TileCount] = {tr("Camera video (dry run)"), tr("Low band · layout at τ"),
                                    tr("High band · noise"), tr("Mixed initial noise"), tr("Low-pass mask")};
  const QString tips[TileCount] = {
      tr("The crops of your camera path, resized to the video size: the layout the model is guided by."),
      tr("The camera (or still) video pushed to noise level τ, low frequencies only: the motion and layout "
         "FrameInit keeps."),
      tr("The high frequencies of fresh noise: the detail the model is free to invent."),
      tr("Low band + high band: the noise the denoising starts from."),
      tr("The filter over frequency space (centre = lowest frequencies) at this temporal frequency; its size "
         "follows D0 spatial and D0 temporal.")};
  const char* ids[TileCount] = {"camera", "low", "high", "mixed", "mask"};
  for (int t = 0; t < TileCount; ++t) {
    tiles_[t] = new QLabel;
    tiles_[t]->setObjectName(QStringLiteral("frameinit_%1").arg(QLatin1String(ids[t])));
    tiles_[t]->setFixedSize(kTile, kTile);
    tiles_[t]->setAlignment(Qt::AlignCenter);
    tiles_[t]->setFrameShape(QFrame::StyledPanel);
    tiles_[t]->setToolTip(tips[t]);
    tiles_[t]->setWordWrap(true);
    captions_[t] = new QLabel(names[t]);
    captions_[t]->setAlignment(Qt::AlignCenter);
    captions_[t]->setToolTip(tips[t]);
    // Three columns: the layout and its two bands above, the result of the mix and the filter below.
    const int row = (t / 3) * 2, col = t % 3;
    grid->addWidget(tiles_[t], row, col, Qt::AlignHCenter);
    grid->addWidget(captions_[t], row + 1, col, Qt::AlignHCenter);
  }
  status_ = new QLabel;
  status_->setObjectName(QStringLiteral("frameinit_status"));
  status_->setWordWrap(true);
  status_->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
  status_->setFixedWidth(kTile);
  grid->addWidget(status_, 2, 2, 2, 1);
  root->addLayout(grid);

  auto* row = new QHBoxLayout;
  play_ = new QToolButton;
  play_->setObjectName(QStringLiteral("frameinit_play"));
  play_->setCheckable(true);
  play_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
  play_->setToolTip(tr("Play the preview over the frames (the camera editor's Dry run plays it from the first frame)"));
  slider_ = new QSlider(Qt::Horizontal);
  slider_->setObjectName(QStringLiteral("frameinit_frame"));
  slider_->setRange(0, 0);
  frameLabel_ = new QLabel;
  frameLabel_->setMinimumWidth(80);
  row->addWidget(play_);
  row->addWidget(slider_, 1);
  row->addWidget(frameLabel_);
  root->addLayout(row);
  root->addStretch(1);

  timer_ = new QTimer(this);
  timer_->setInterval(125);  // 8 fps, the player's default
  connect(timer_, &QTimer::timeout, this, [this] {
    const int n = frameCount();
    if (n > 0) setCurrentFrame((frame_ + 1) % n);
  });
  connect(play_, &QToolButton::toggled, this, [this](bool on) { setPlaying(on); });
  connect(slider_, &QSlider::valueChanged, this, [this](int v) { setCurrentFrame(v); });
  clearBands(tr("Load a model to see FrameInit's frequency split."));
}

int FrameInitPanel::frameCount() const {
  return std::max<int>({static_cast<int>(camera_.size()), static_cast<int>(bands_.low.size()),
                        static_cast<int>(bands_.mask.size())});
}

void FrameInitPanel::setCameraFrames(const QVector<QImage>& frames, const QString& caption) {
  camera_ = frames;
  captions_[Camera]->setText(caption.isEmpty() ? tr("Camera video (dry run)") : caption);
  refresh();
}

void FrameInitPanel::setBands(const FrameInitImages& images, double milliseconds, const QString& note) {
  bands_ = images;
  updating_ = false;
  note_ = tr("Updated in %1 ms (VAE once per picture or path, then only FFTs).").arg(milliseconds, 0, 'f', 0);
  if (!note.isEmpty()) note_ += QLatin1Char(' ') + note;
  refresh();
}

void FrameInitPanel::clearBands(const QString& reason) {
  bands_ = FrameInitImages();
  updating_ = false;
  note_ = reason;
  refresh();
}

void FrameInitPanel::setUpdating(bool updating) {
  updating_ = updating;
  refresh();
}

QString FrameInitPanel::statusText() const { return status_->text(); }

void FrameInitPanel::setCurrentFrame(int frame) {
  const int n = frameCount();
  const int f = n > 0 ? std::clamp(frame, 0, n - 1) : 0;
  if (f == frame_ && slider_->value() == f) return;
  frame_ = f;
  refresh();
  Q_EMIT currentFrameChanged(frame_);
}

bool FrameInitPanel::isPlaying() const { return timer_->isActive(); }

void FrameInitPanel::setPlaying(bool play) {
  if (play && frameCount() > 1) {
    timer_->start();
  } else {
    timer_->stop();
  }
  QSignalBlocker b(play_);
  play_->setChecked(timer_->isActive());
  play_->setIcon(style()->standardIcon(timer_->isActive() ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
}

QImage FrameInitPanel::shownImage(Tile tile) const {
  switch (tile) {
    case Camera: return pick(camera_, frame_);
    // the bands are the first chunk's (T frames); a camera video over several chunks has more frames
    case Low: return frame_ < bands_.low.size() ? pick(bands_.low, frame_) : QImage();
    case High: return frame_ < bands_.high.size() ? pick(bands_.high, frame_) : QImage();
    case Mixed: return frame_ < bands_.mixed.size() ? pick(bands_.mixed, frame_) : QImage();
    case Mask: return frame_ < bands_.mask.size() ? pick(bands_.mask, frame_) : QImage();
    default: return {};
  }
}

void FrameInitPanel::refresh() {
  const int n = frameCount();
  // fewer frames than before (the frame count went down): the shown frame moves into them, and with one frame or
  // none there is nothing to play
  if (frame_ > std::max(0, n - 1)) {
    frame_ = std::max(0, n - 1);
    QMetaObject::invokeMethod(this, [this] { Q_EMIT currentFrameChanged(frame_); }, Qt::QueuedConnection);  // (as it is then)
  }
  if (n <= 1 && timer_->isActive()) {
    timer_->stop();
    QSignalBlocker b(play_);
    play_->setChecked(false);
    play_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
  }
  {
    QSignalBlocker b(slider_);
    slider_->setRange(0, std::max(0, n - 1));
    slider_->setValue(frame_);
  }
  frameLabel_->setText(n > 0 ? tr("frame %1 / %2").arg(frame_ + 1).arg(n) : QString());
  const qreal dpr = devicePixelRatioF();
  for (int t = 0; t < TileCount; ++t) {
    const QImage im = shownImage(static_cast<Tile>(t));
    if (im.isNull()) {
      tiles_[t]->setPixmap(QPixmap());
      // past the bands' frames: a camera video over several chunks, whose bands are shown for the first chunk
      const bool pastBands = t != Camera && !bands_.low.isEmpty() && frame_ >= bands_.low.size();
      tiles_[t]->setText(t == Camera  ? tr("no first frame")
                         : pastBands ? tr("shown for the first chunk\n(frames 1–%1)").arg(bands_.low.size())
                                     : tr("—"));
      continue;
    }
    // Latents are tiny (1/8 of the video): nearest-neighbour keeps their pixels honest.
    const bool small = im.width() < kTile / 2;
    QImage scaled = im.scaled(QSize(kTile, kTile) * dpr, Qt::KeepAspectRatio,
                              small ? Qt::FastTransformation : Qt::SmoothTransformation);
    scaled.setDevicePixelRatio(dpr);
    tiles_[t]->setPixmap(QPixmap::fromImage(scaled));
  }
  status_->setText(updating_ ? tr("Updating…") + QLatin1Char(' ') + note_ : note_);
}

}  // namespace studio
