#include "widgets/easing_editor.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>

namespace studio {

using ci2v::sampling::Easing;

EasingEditor::EasingEditor(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("easing_editor"));
  setToolTip(tr("The easing of the selected segment: how the crop moves from one keyframe to the next over "
                "time. With a custom curve, drag its two handles."));
}

void EasingEditor::setEasing(Easing easing, double x1, double y1, double x2, double y2) {
  easing_ = easing;
  x1_ = x1;
  y1_ = y1;
  x2_ = x2;
  y2_ = y2;
  update();
}

QRectF EasingEditor::plot() const {
  // e in [-0.5, 1.5] fits; the unit square sits in the middle half.
  const double side = std::min(width(), height()) - 8.0;
  return QRectF((width() - side) / 2, (height() - side) / 2, side, side);
}

QPointF EasingEditor::toWidget(double u, double e) const {
  const QRectF r = plot();
  return {r.left() + u * r.width(), r.bottom() - (e + 0.5) / 2.0 * r.height()};
}

QPointF EasingEditor::toCurve(const QPointF& w) const {
  const QRectF r = plot();
  return {(w.x() - r.left()) / r.width(), (r.bottom() - w.y()) / r.height() * 2.0 - 0.5};
}

void EasingEditor::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const QPalette pal = palette();
  p.fillRect(rect(), pal.color(QPalette::Base));
  const QRectF unit(toWidget(0, 1), toWidget(1, 0));
  p.setPen(QPen(pal.color(QPalette::Mid), 1, Qt::DotLine));
  p.drawRect(unit);
  QPainterPath curve;
  for (int s = 0; s <= 60; ++s) {
    const double u = s / 60.0;
    const QPointF pt = toWidget(u, ci2v::sampling::ease(easing_, u, x1_, y1_, x2_, y2_));
    if (s == 0)
      curve.moveTo(pt);
    else
      curve.lineTo(pt);
  }
  p.setPen(QPen(QColor(255, 214, 10).darker(115), 2));
  p.drawPath(curve);
  if (easing_ == Easing::CubicBezier) {
    const QPointF a = toWidget(0, 0), b = toWidget(1, 1), h1 = toWidget(x1_, y1_), h2 = toWidget(x2_, y2_);
    p.setPen(QPen(pal.color(QPalette::Text), 1));
    p.drawLine(a, h1);
    p.drawLine(b, h2);
    p.setBrush(QColor(80, 200, 255));
    p.drawEllipse(h1, 4.5, 4.5);
    p.drawEllipse(h2, 4.5, 4.5);
  }
}

void EasingEditor::mousePressEvent(QMouseEvent* e) {
  dragging_ = -1;
  if (easing_ != Easing::CubicBezier) return;
  for (int i = 0; i < 2; ++i) {
    const QPointF h = toWidget(handle(i).x(), handle(i).y());
    if (QLineF(h, e->position()).length() <= 8) dragging_ = i;
  }
}

void EasingEditor::mouseMoveEvent(QMouseEvent* e) {
  if (dragging_ < 0) return;
  const QPointF c = toCurve(e->position());
  const double x = std::clamp(c.x(), 0.0, 1.0), y = std::clamp(c.y(), -0.5, 1.5);
  (dragging_ == 0 ? x1_ : x2_) = x;
  (dragging_ == 0 ? y1_ : y2_) = y;
  update();
  Q_EMIT handlesEdited(x1_, y1_, x2_, y2_, true);
}

void EasingEditor::mouseReleaseEvent(QMouseEvent*) {
  if (dragging_ >= 0) Q_EMIT handlesEdited(x1_, y1_, x2_, y2_, false);
  dragging_ = -1;
}

}  // namespace studio
