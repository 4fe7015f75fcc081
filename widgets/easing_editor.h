// The easing of one segment as a curve (progress over time) with, for a custom cubic bezier, its two handles
// to drag (x within [0, 1], y may overshoot to [-0.5, 1.5]).
#pragma once
#include <QWidget>

#include "engine/camera_path.h"

namespace studio {

class EasingEditor : public QWidget {
  Q_OBJECT
public:
  explicit EasingEditor(QWidget* parent = nullptr);

  void setEasing(ci2v::sampling::Easing easing, double x1, double y1, double x2, double y2);
  ci2v::sampling::Easing easing() const { return easing_; }
  QPointF handle(int i) const { return i == 0 ? QPointF(x1_, y1_) : QPointF(x2_, y2_); }
  // Curve space (u, e) <-> widget coordinates.
  QPointF toWidget(double u, double e) const;
  QPointF toCurve(const QPointF& widget) const;

  QSize sizeHint() const override { return {96, 96}; }
  QSize minimumSizeHint() const override { return {80, 80}; }

Q_SIGNALS:
  void handlesEdited(double x1, double y1, double x2, double y2, bool interim);

protected:
  void paintEvent(QPaintEvent*) override;
  void mousePressEvent(QMouseEvent*) override;
  void mouseMoveEvent(QMouseEvent*) override;
  void mouseReleaseEvent(QMouseEvent*) override;

private:
  QRectF plot() const;
  ci2v::sampling::Easing easing_ = ci2v::sampling::Easing::Linear;
  double x1_ = 0.25, y1_ = 0.1, x2_ = 0.25, y2_ = 1.0;
  int dragging_ = -1;
};

}  // namespace studio
