#include "widgets/preview_strip.h"

#include <algorithm>
#include <QHBoxLayout>
#include <QLabel>
#include <QPixmap>
#include <QProgressBar>
#include <QScrollArea>
#include <QVBoxLayout>
#include <cmath>

namespace studio {
namespace {
constexpr int kThumb = 84;  // logical pixels

QPixmap thumbPixmap(const QImage& im, qreal dpr, int size) {
  if (im.isNull()) return {};
  const int px = static_cast<int>(std::lround(size * dpr));
  QPixmap pm = QPixmap::fromImage(im.scaled(px, px, Qt::KeepAspectRatio, Qt::SmoothTransformation));
  pm.setDevicePixelRatio(dpr);
  return pm;
}

QLabel* frameLabel(int size) {
  auto* l = new QLabel;
  l->setFixedSize(size + 4, size + 4);
  l->setAlignment(Qt::AlignCenter);
  l->setFrameShape(QFrame::StyledPanel);
  return l;
}
}  // namespace

PreviewStrip::PreviewStrip(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("preview_strip"));
  auto* root = new QVBoxLayout(this);
  root->setContentsMargins(0, 0, 0, 0);
  auto* top = new QHBoxLayout;
  stage_ = new QLabel;
  stage_->setObjectName(QStringLiteral("stage"));
  stage_->setMinimumWidth(150);
  bar_ = new QProgressBar;
  bar_->setObjectName(QStringLiteral("progress"));
  bar_->setTextVisible(true);
  top->addWidget(stage_);
  top->addWidget(bar_, 1);
  root->addLayout(top);

  auto* bottom = new QHBoxLayout;
  frameInitBox_ = new QWidget;
  auto* fiLayout = new QHBoxLayout(frameInitBox_);
  fiLayout->setContentsMargins(0, 0, 8, 0);
  fiLayout->setSpacing(2);
  auto addFi = [&](QLabel*& l, const QString& tip) {
    auto* col = new QVBoxLayout;
    l = frameLabel(kThumb / 2 + 10);
    l->setToolTip(tip);
    col->addWidget(l);
    auto* cap = new QLabel(tip.section(QLatin1Char(':'), 0, 0));
    cap->setAlignment(Qt::AlignCenter);
    QFont f = cap->font();
    f.setPointSizeF(f.pointSizeF() * 0.85);
    cap->setFont(f);
    col->addWidget(cap);
    fiLayout->addLayout(col);
  };
  addFi(fiLow_, tr("Layout: the blurred first frame FrameInit keeps"));
  addFi(fiHigh_, tr("Detail: the fresh noise FrameInit adds"));
  addFi(fiMixed_, tr("Start: the two mixed, where denoising begins"));
  frameInitBox_->setVisible(false);
  bottom->addWidget(frameInitBox_);

  scroll_ = new QScrollArea;
  scroll_->setWidgetResizable(true);
  scroll_->setFrameShape(QFrame::NoFrame);
  scroll_->setFixedHeight(kThumb + 28);
  scroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
  scroll_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  row_ = new QWidget;
  rowLayout_ = new QHBoxLayout(row_);
  rowLayout_->setContentsMargins(0, 0, 0, 0);
  rowLayout_->setSpacing(3);
  rowLayout_->addStretch(1);
  scroll_->setWidget(row_);
  bottom->addWidget(scroll_, 1);
  root->addLayout(bottom);
  reset();
}

QLabel* PreviewStrip::thumb(int i) {
  while (thumbs_.size() <= i) {
    QLabel* l = frameLabel(kThumb);
    l->setToolTip(tr("Frame %1 as the model currently imagines it").arg(thumbs_.size() + 1));
    rowLayout_->insertWidget(thumbs_.size(), l);
    thumbs_.push_back(l);
  }
  return thumbs_[i];
}

void PreviewStrip::reset() {
  for (QLabel* l : thumbs_) l->deleteLater();
  thumbs_.clear();
  frameInitBox_->setVisible(false);
  stage_->setText(tr("Ready"));
  bar_->setRange(0, 1);
  bar_->setValue(0);
  bar_->setFormat(tr("Not started"));
}

void PreviewStrip::setStage(const QString& text) {
  stage_->setText(text);
  if (bar_->maximum() <= 1 && bar_->value() == 0) {
    bar_->setRange(0, 0);  // busy until the first step
    bar_->setFormat(text);
  }
}

QString PreviewStrip::formatDuration(double s) {
  if (!(s >= 0) || !std::isfinite(s)) return QStringLiteral("–");
  const int t = static_cast<int>(std::lround(s));
  if (t < 60) return tr("%1 s").arg(t);
  if (t < 3600) return tr("%1 min %2 s").arg(t / 60).arg(t % 60, 2, 10, QLatin1Char('0'));
  return tr("%1 h %2 min").arg(t / 3600).arg((t % 3600) / 60, 2, 10, QLatin1Char('0'));
}

void PreviewStrip::setProgress(int step, int total, double elapsed, double eta) {
  bar_->setRange(0, std::max(1, total));
  bar_->setValue(std::clamp(step, 0, std::max(1, total)));
  bar_->setFormat(tr("Step %1 of %2 · %3 elapsed · about %4 left")
                      .arg(step)
                      .arg(total)
                      .arg(formatDuration(elapsed), formatDuration(eta)));
}

void PreviewStrip::setFrames(const QVector<QImage>& frames) {
  const qreal dpr = devicePixelRatioF();
  for (int i = 0; i < frames.size(); ++i) thumb(i)->setPixmap(thumbPixmap(frames[i], dpr, kThumb));
  while (thumbs_.size() > frames.size()) thumbs_.takeLast()->deleteLater();
}

void PreviewStrip::setFrameInitImages(const FrameInitImages& images) {
  auto pick = [](const QVector<QImage>& v) { return v.isEmpty() ? QImage() : v[v.size() / 2]; };
  setFrameInit(pick(images.low), pick(images.high), pick(images.mixed));
}

void PreviewStrip::setFrameInit(const QImage& low, const QImage& high, const QImage& mixed) {
  const qreal dpr = devicePixelRatioF();
  fiLow_->setPixmap(thumbPixmap(low, dpr, kThumb / 2 + 10));
  fiHigh_->setPixmap(thumbPixmap(high, dpr, kThumb / 2 + 10));
  fiMixed_->setPixmap(thumbPixmap(mixed, dpr, kThumb / 2 + 10));
  frameInitBox_->setVisible(true);
}

void PreviewStrip::setFinished(const QString& text) {
  stage_->setText(text);
  if (bar_->maximum() == 0) bar_->setRange(0, 1);
  bar_->setFormat(text);
}

int PreviewStrip::thumbnailCount() const { return thumbs_.size(); }
QString PreviewStrip::progressText() const { return bar_->text(); }
int PreviewStrip::progressValue() const { return bar_->value(); }
int PreviewStrip::progressMaximum() const { return bar_->maximum(); }

}  // namespace studio
