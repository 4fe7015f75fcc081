#include "widgets/camera_timeline.h"

#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

#include "app/camera_edit.h"

namespace studio {
namespace {
constexpr double kMargin = 18;
constexpr double kDiamond = 7;
const QColor kKey(255, 214, 10);
const QColor kPlayhead(80, 200, 255);
}  // namespace

CameraTimeline::CameraTimeline(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("camera_timeline"));
  setMouseTracking(true);
  // a click (or Tab) gives it the keyboard: Delete then removes the keyframe picked here (not what had the focus
  // before, e.g. a clip of the results list), and the arrows walk the frames and keyframes
  setFocusPolicy(Qt::StrongFocus);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  setToolTip(tr("The camera path over time. Click a frame to see its crop, drag a keyframe to move it in time, "
                "double-click a frame to add a keyframe, right-click a segment to change its easing.<br>Keys: "
                "←/→ frame, Home/End first/last frame, ↑/↓ previous/next keyframe, Ctrl+←/→ move the keyframe, "
                "Insert or Enter add a keyframe, Delete remove it."));
}

QSize CameraTimeline::sizeHint() const { return {360, 78}; }
QSize CameraTimeline::minimumSizeHint() const { return {160, 78}; }

void CameraTimeline::setPath(const ci2v::sampling::CameraPath& path, int frames) {
  path_ = path;
  // the whole video's frames: up to 32 chunks x 127 + 1 = 4065 (ticks and numbers thin out to fit)
  frames_ = std::clamp(frames, 2, 8192);
  if (selected_ >= static_cast<int>(path_.keyframes.size())) selected_ = -1;
  current_ = std::clamp(current_, 0, frames_ - 1);
  update();
}

void CameraTimeline::setSelected(int keyframe) {
  selected_ = keyframe >= 0 && keyframe < static_cast<int>(path_.keyframes.size()) ? keyframe : -1;
  update();
}

void CameraTimeline::setCurrentFrame(int frame) {
  current_ = std::clamp(frame, 0, frames_ - 1);
  update();
}

double CameraTimeline::span() const { return camera::frameSpan(path_, frames_); }

double CameraTimeline::xOfFrame(double frame) const {
  return kMargin + frame / span() * (width() - 2 * kMargin);
}

int CameraTimeline::frameAt(double x) const {
  const double f = (x - kMargin) / std::max(1.0, width() - 2 * kMargin) * span();
  return std::clamp(static_cast<int>(std::lround(f)), 0, static_cast<int>(std::lround(span())));
}

double CameraTimeline::trackY() const { return 22; }

QPointF CameraTimeline::keyframePoint(int i) const {
  if (i < 0 || i >= static_cast<int>(path_.keyframes.size())) return {};
  const double f = i == dragging_ && dragFrame_ >= 0 ? dragFrame_ : camera::frameOfTime(path_, frames_, path_.keyframes[i].time);
  return {xOfFrame(f), trackY()};
}

int CameraTimeline::hitKeyframe(const QPointF& pos) const {
  for (int i = static_cast<int>(path_.keyframes.size()) - 1; i >= 0; --i) {
    const QPointF k = keyframePoint(i);
    if (std::abs(pos.x() - k.x()) <= kDiamond + 3 && std::abs(pos.y() - k.y()) <= kDiamond + 5) return i;
  }
  return -1;
}

int CameraTimeline::segmentAt(double x) const {
  for (int i = 0; i + 1 < static_cast<int>(path_.keyframes.size()); ++i)
    if (x > keyframePoint(i).x() && x < keyframePoint(i + 1).x()) return i;
  return -1;
}

void CameraTimeline::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const QPalette pal = palette();
  p.fillRect(rect(), pal.color(QPalette::Base));
  const double y = trackY();
  const int lastFrame = static_cast<int>(std::lround(span()));
  // Frame ticks, numbered every few frames; a reference-timed path ends one frame past the clip.
  p.setPen(QPen(pal.color(QPalette::Mid), 1));
  p.drawLine(QPointF(xOfFrame(0), y), QPointF(xOfFrame(lastFrame), y));
  // numbers at least 30 pixels apart, a tick per frame while they are 3 pixels apart
  const double perFrame = std::abs(xOfFrame(1) - xOfFrame(0));
  int every = 1;
  for (int e : {1, 5, 10, 20, 50, 100, 200, 500, 1000}) {
    every = e;
    if (perFrame * e >= 30) break;
  }
  const bool everyTick = perFrame >= 3;
  QFont small = font();
  small.setPointSizeF(small.pointSizeF() * 0.8);
  p.setFont(small);
  for (int f = 0; f <= lastFrame; ++f) {
    const double x = xOfFrame(f);
    const bool past = f >= frames_;  // the "end" of a reference-timed path, never shown
    if (!everyTick && f % every != 0 && f != frames_ - 1 && !past) continue;
    p.setPen(QPen(past ? pal.color(QPalette::Mid) : pal.color(QPalette::Text), 1));
    p.drawLine(QPointF(x, y - 4), QPointF(x, y + 4));
    // (a number too close to the last frame's gives way to it)
    const bool crowdsLast = f < frames_ - 1 && std::abs(xOfFrame(frames_ - 1) - x) < 28;
    if ((f % every == 0 && !crowdsLast) || f == frames_ - 1 || past)
      p.drawText(QRectF(x - 14, 2, 28, 12), Qt::AlignCenter, past ? tr("end") : QString::number(f + 1));
  }
  // Segments: the easing curve (progress over time) in a strip under the track, and its name.
  const double top = y + 10, bottom = height() - 18;
  for (int i = 0; i + 1 < static_cast<int>(path_.keyframes.size()); ++i) {
    const auto& k = path_.keyframes[i];
    const double x0 = keyframePoint(i).x(), x1 = keyframePoint(i + 1).x();
    if (x1 - x0 < 2) continue;
    QPainterPath curve;
    for (int s = 0; s <= 40; ++s) {
      const double u = s / 40.0;
      const double e = ci2v::sampling::ease(k.easing, u, k.x1, k.y1, k.x2, k.y2);
      const QPointF pt(x0 + u * (x1 - x0), bottom - e * (bottom - top));
      if (s == 0)
        curve.moveTo(pt);
      else
        curve.lineTo(pt);
    }
    p.fillRect(QRectF(x0, top, x1 - x0, bottom - top), i == selected_ ? QColor(255, 214, 10, 36) : QColor(128, 128, 128, 24));
    p.setPen(QPen(kKey.darker(i == selected_ ? 100 : 130), 1.6));
    p.drawPath(curve);
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRectF(x0, bottom + 1, x1 - x0, 16), Qt::AlignCenter,
               p.fontMetrics().elidedText(camera::easingName(k.easing), Qt::ElideRight, static_cast<int>(x1 - x0)));
  }
  // Current frame.
  const double xc = xOfFrame(current_);
  p.setPen(QPen(kPlayhead, 2));
  p.drawLine(QPointF(xc, 14), QPointF(xc, height() - 2));
  // Keyframes.
  for (int i = 0; i < static_cast<int>(path_.keyframes.size()); ++i) {
    const QPointF c = keyframePoint(i);
    QPainterPath d;
    d.moveTo(c.x(), c.y() - kDiamond);
    d.lineTo(c.x() + kDiamond, c.y());
    d.lineTo(c.x(), c.y() + kDiamond);
    d.lineTo(c.x() - kDiamond, c.y());
    d.closeSubpath();
    p.setPen(QPen(Qt::black, i == selected_ ? 2 : 1));
    p.setBrush(i == selected_ ? kKey : kKey.darker(140));
    p.drawPath(d);
  }
  if (path_.keyframes.empty()) {
    p.setPen(pal.color(QPalette::Text));
    p.setFont(font());
    p.drawText(QRectF(6, y + 8, width() - 12, height() - y - 8), Qt::AlignCenter | Qt::TextWordWrap,
               tr("Still camera. Choose a preset, or draw a crop on the picture to start a path."));
  }
}

void CameraTimeline::mousePressEvent(QMouseEvent* e) {
  if (e->button() != Qt::LeftButton) return QWidget::mousePressEvent(e);
  const int k = hitKeyframe(e->position());
  if (k >= 0) {
    dragging_ = k;
    dragFrame_ = -1;
    if (k != selected_) {
      selected_ = k;
      Q_EMIT keyframeSelected(k);
    }
    const int f = std::min(camera::keyframeFrame(path_, frames_, k), frames_ - 1);
    if (f != current_) {
      current_ = f;
      Q_EMIT currentFrameChanged(f);
    }
  } else {
    scrubbing_ = true;
    const int f = std::min(frameAt(e->position().x()), frames_ - 1);
    if (f != current_) {
      current_ = f;
      Q_EMIT currentFrameChanged(f);
    }
  }
  update();
  e->accept();
}

void CameraTimeline::mouseMoveEvent(QMouseEvent* e) {
  if (dragging_ >= 0) {
    auto moved = path_;
    const int f = camera::moveKeyframe(moved, frames_, dragging_, frameAt(e->position().x()));
    if (f != dragFrame_ && f >= 0) {
      dragFrame_ = f;
      Q_EMIT keyframeMoved(dragging_, f, true);
    }
    update();
  } else if (scrubbing_) {
    const int f = std::min(frameAt(e->position().x()), frames_ - 1);
    if (f != current_) {
      current_ = f;
      Q_EMIT currentFrameChanged(f);
      update();
    }
  } else {
    setCursor(hitKeyframe(e->position()) >= 0 ? Qt::SizeHorCursor : Qt::ArrowCursor);
  }
  e->accept();
}

void CameraTimeline::mouseReleaseEvent(QMouseEvent* e) {
  if (dragging_ >= 0 && dragFrame_ >= 0) Q_EMIT keyframeMoved(dragging_, dragFrame_, false);
  dragging_ = -1;
  dragFrame_ = -1;
  scrubbing_ = false;
  update();
  e->accept();
}

void CameraTimeline::mouseDoubleClickEvent(QMouseEvent* e) {
  if (e->button() != Qt::LeftButton || hitKeyframe(e->position()) >= 0) return;
  const int f = std::min(frameAt(e->position().x()), frames_ - 1);
  Q_EMIT addKeyframeRequested(f);
  e->accept();
}

void CameraTimeline::contextMenuEvent(QContextMenuEvent* e) {
  int seg = hitKeyframe(e->pos());
  if (seg < 0) seg = segmentAt(e->pos().x());
  if (seg < 0 || seg + 1 >= static_cast<int>(path_.keyframes.size())) return;
  using ci2v::sampling::Easing;
  QMenu menu(this);
  menu.setTitle(tr("Easing"));
  for (Easing easing : {Easing::Linear, Easing::EaseIn, Easing::EaseOut, Easing::EaseInOut, Easing::Hold,
                        Easing::CubicBezier}) {
    QAction* a = menu.addAction(camera::easingName(easing));
    a->setCheckable(true);
    a->setChecked(path_.keyframes[seg].easing == easing);
    connect(a, &QAction::triggered, this, [this, seg, easing] { Q_EMIT easingChosen(seg, easing); });
  }
  menu.exec(e->globalPos());
}

void CameraTimeline::goToFrame(int frame) {
  const int f = std::clamp(frame, 0, frames_ - 1);
  if (f == current_) return;
  current_ = f;
  update();
  Q_EMIT currentFrameChanged(f);
}

void CameraTimeline::keyReleaseEvent(QKeyEvent* e) {
  if (!e->isAutoRepeat() && keyMoving_ >= 0 && e->key() == keyMoveKey_) {
    finishKeyMove();
    e->accept();
    return;
  }
  QWidget::keyReleaseEvent(e);
}

void CameraTimeline::focusOutEvent(QFocusEvent* e) {
  finishKeyMove();
  QWidget::focusOutEvent(e);
}

void CameraTimeline::finishKeyMove() {
  const int k = keyMoving_;
  keyMoving_ = -1;
  if (k >= 0 && k < static_cast<int>(path_.keyframes.size())) Q_EMIT keyframeMoved(k, keyMoveFrame_, false);
}

void CameraTimeline::keyPressEvent(QKeyEvent* e) {
  const int n = static_cast<int>(path_.keyframes.size());
  const bool ctrl = e->modifiers() & Qt::ControlModifier;
  switch (e->key()) {
    case Qt::Key_Delete:
    case Qt::Key_Backspace:
      if (selected_ < 0) break;
      Q_EMIT deleteKeyframeRequested(selected_);
      e->accept();
      return;
    case Qt::Key_Left:
    case Qt::Key_Right: {
      const int step = e->key() == Qt::Key_Left ? -1 : 1;
      if (ctrl) {  // the selected keyframe one frame earlier / later (it stays between its neighbours)
        if (selected_ < 0 || dragging_ >= 0) break;
        auto moved = path_;
        const int from = camera::keyframeFrame(path_, frames_, selected_);
        const int f = camera::moveKeyframe(moved, frames_, selected_, from + step);
        if (f >= 0 && f != from) {
          // a held key is one undo step: interim moves while it repeats, the final one when it is let go
          keyMoving_ = selected_;
          keyMoveKey_ = e->key();
          keyMoveFrame_ = f;
          Q_EMIT keyframeMoved(selected_, f, true);
          goToFrame(std::min(f, frames_ - 1));
        }
      } else {
        goToFrame(current_ + step);
      }
      e->accept();
      return;
    }
    case Qt::Key_Home:
    case Qt::Key_End:
      goToFrame(e->key() == Qt::Key_Home ? 0 : frames_ - 1);
      e->accept();
      return;
    case Qt::Key_Up:
    case Qt::Key_Down: {  // the previous / next keyframe, and its frame
      if (n == 0) break;
      int k = selected_;
      if (k < 0) {  // none selected: the nearest one on that side of the current frame
        k = e->key() == Qt::Key_Down ? n - 1 : 0;
        for (int i = 0; i < n; ++i) {
          const int f = camera::keyframeFrame(path_, frames_, i);
          if (e->key() == Qt::Key_Down && f >= current_) { k = i; break; }
          if (e->key() == Qt::Key_Up && f <= current_) k = i;
        }
      } else {
        k = std::clamp(k + (e->key() == Qt::Key_Up ? -1 : 1), 0, n - 1);
      }
      if (k != selected_) {
        selected_ = k;
        Q_EMIT keyframeSelected(k);
      }
      goToFrame(std::min(camera::keyframeFrame(path_, frames_, k), frames_ - 1));
      update();
      e->accept();
      return;
    }
    case Qt::Key_Insert:
    case Qt::Key_Return:
    case Qt::Key_Enter:
      Q_EMIT addKeyframeRequested(current_);
      e->accept();
      return;
    default: break;
  }
  QWidget::keyPressEvent(e);
}

}  // namespace studio
