#include "widgets/first_frame_canvas.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QKeyEvent>
#include <QMimeData>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QUrl>

#include "app/camera_edit.h"
#include "engine/camera_path.h"

namespace studio {
namespace {
// Darkens the widget outside `keep` (what the model does not see).
void dimOutside(QPainter& p, const QRectF& area, const QRectF& keep, int alpha) {
  QPainterPath outside;
  outside.addRect(area);
  QPainterPath inside;
  inside.addRect(keep);
  p.fillPath(outside.subtracted(inside), QColor(0, 0, 0, alpha));
}
}  // namespace

FirstFrameCanvas::FirstFrameCanvas(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("first_frame_canvas"));
  setAcceptDrops(true);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  setToolTip(tr("Your first frame. Drop a picture here, open one (Ctrl+O) or paste one (Ctrl+V).\n"
                "The bright frame is what the model sees at the chosen size."));
}

QSize FirstFrameCanvas::sizeHint() const { return {360, 300}; }
QSize FirstFrameCanvas::minimumSizeHint() const { return {160, 120}; }

void FirstFrameCanvas::setImage(const QImage& image) {
  image_ = image;
  update();
}

void FirstFrameCanvas::setCropRect(const QRectF& rect, const QSize& modelSize) {
  crop_ = rect;
  modelSize_ = modelSize;
  update();
}

QRectF FirstFrameCanvas::imageRectInWidget() const {
  if (image_.isNull()) return {};
  // Fit the union of the picture and the crop (padding can reach outside the picture) into the widget; in
  // camera mode the picture with a margin and the keyframes' crops (fixed while dragging).
  const QRectF picture(QPointF(0, 0), image_.size());
  const QRectF content = camera_.enabled && viewContent_.isValid() ? viewContent_
                         : crop_.isValid()                         ? crop_.united(picture)
                                                                   : picture;
  const QRectF area = QRectF(rect()).adjusted(12, 12, -12, -30);
  if (area.width() <= 1 || area.height() <= 1) return {};
  const double s = std::min(area.width() / content.width(), area.height() / content.height());
  const QPointF origin(area.center().x() - content.width() * s / 2 - content.left() * s,
                       area.center().y() - content.height() * s / 2 - content.top() * s);
  return {origin, QSizeF(image_.width() * s, image_.height() * s)};
}

QRectF FirstFrameCanvas::cropRectInWidget() const {
  const QRectF ir = imageRectInWidget();
  if (ir.isEmpty() || !crop_.isValid()) return {};
  const double s = ir.width() / image_.width();
  return {ir.left() + crop_.left() * s, ir.top() + crop_.top() * s, crop_.width() * s, crop_.height() * s};
}

void FirstFrameCanvas::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  p.setRenderHint(QPainter::SmoothPixmapTransform);
  const QPalette pal = palette();
  p.fillRect(rect(), pal.color(QPalette::Base).darker(dragging_ ? 125 : 108));

  if (image_.isNull()) {
    // The empty state says what to do.
    QPen dash(pal.color(QPalette::Mid), 2, Qt::DashLine);
    p.setPen(dash);
    p.drawRoundedRect(QRectF(rect()).adjusted(14, 14, -14, -14), 10, 10);
    p.setPen(pal.color(QPalette::Text));
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.25);
    p.setFont(f);
    p.drawText(rect().adjusted(20, 20, -20, -20), Qt::AlignCenter | Qt::TextWordWrap,
               tr("Drop your first frame here\n\nor click to open a picture (Ctrl+O),\nor paste one (Ctrl+V)"));
    return;
  }

  const QRectF ir = imageRectInWidget();
  p.drawImage(ir, image_);
  if (camera_.enabled) {
    paintCamera(p);
    return;
  }
  const QRectF cr = cropRectInWidget();
  if (cr.isValid()) {
    dimOutside(p, QRectF(rect()), cr, 140);  // everything the model will not see
    // Padding (fit inside): show the grey bars the model gets.
    QPainterPath bars;
    bars.addRect(cr);
    QPainterPath pic;
    pic.addRect(ir);
    p.fillPath(bars.subtracted(pic), QColor(128, 128, 128));
    p.setPen(QPen(QColor(255, 214, 10), 2));
    p.setBrush(Qt::NoBrush);
    p.drawRect(cr.adjusted(-1, -1, 1, 1));
    // Corner ticks make the frame readable on bright pictures too.
    p.setPen(QPen(Qt::black, 1));
    p.drawRect(cr.adjusted(-2.5, -2.5, 2.5, 2.5));
  }
  if (drag_ == Drag::Draw && liveRect_.isValid()) {  // the first crop of a new camera path
    p.setBrush(QColor(255, 214, 10, 40));
    p.setPen(QPen(QColor(255, 214, 10), 2, Qt::DashLine));
    p.drawRect(toWidget(liveRect_));
    p.setBrush(Qt::NoBrush);
  }
  // Caption: what the model sees.
  p.setPen(pal.color(QPalette::Text));
  const QString caption = modelSize_.isValid()
                              ? tr("Model sees %1 × %2 · picture %3 × %4")
                                    .arg(modelSize_.width())
                                    .arg(modelSize_.height())
                                    .arg(image_.width())
                                    .arg(image_.height())
                              : tr("Picture %1 × %2").arg(image_.width()).arg(image_.height());
  p.drawText(QRectF(0, height() - 26, width(), 22), Qt::AlignCenter, caption);
}

namespace {
bool acceptable(const QMimeData* m) {
  if (m->hasImage()) return true;
  if (m->hasUrls())
    for (const QUrl& u : m->urls())
      if (u.isLocalFile()) return true;
  return false;
}
}  // namespace

void FirstFrameCanvas::dragEnterEvent(QDragEnterEvent* e) {
  if (acceptable(e->mimeData())) {
    e->acceptProposedAction();
    dragging_ = true;
    update();
  }
}

void FirstFrameCanvas::dragLeaveEvent(QDragLeaveEvent*) {
  dragging_ = false;
  update();
}

void FirstFrameCanvas::dropEvent(QDropEvent* e) {
  dragging_ = false;
  update();
  const QMimeData* m = e->mimeData();
  if (m->hasUrls()) {
    for (const QUrl& u : m->urls()) {
      if (u.isLocalFile()) {
        e->acceptProposedAction();
        Q_EMIT fileDropped(u.toLocalFile());
        return;
      }
    }
  }
  if (m->hasImage()) {
    e->acceptProposedAction();
    Q_EMIT imageDropped(qvariant_cast<QImage>(m->imageData()));
  }
}

// --- camera path editing

namespace {
constexpr double kHandle = 7;  // half size of a resize handle, widget pixels
const QColor kKeyColor(255, 214, 10);
const QColor kCurrentColor(80, 200, 255);
}  // namespace

void FirstFrameCanvas::setCameraOverlay(const CameraOverlay& overlay) {
  const bool was = camera_.enabled;
  camera_ = overlay;
  if (drag_ == Drag::None || !was) {
    QRectF content(QPointF(0, 0), image_.size());
    const double m = 0.08 * std::max(image_.width(), image_.height());
    content.adjust(-m, -m, m, m);
    for (const QRectF& r : camera_.keyframes) content = content.united(r);
    viewContent_ = content;
  }
  setFocusPolicy(camera_.enabled ? Qt::StrongFocus : Qt::NoFocus);
  setToolTip(camera_.enabled
                 ? tr("The camera path's crops. Drag a crop to move it, a corner to resize it, or drag on free picture "
                      "to draw the crop of the current frame.\nKeys: the arrows move the selected crop a pixel "
                      "(Shift: 10), + and − resize it, Delete removes its keyframe.")
                 : tr("Your first frame. Drop a picture here, open one (Ctrl+O) or paste one (Ctrl+V).\n"
                      "The bright frame is what the model sees at the chosen size."));
  setCursor(camera_.enabled || camera_.canStart ? Qt::CrossCursor : Qt::ArrowCursor);
  update();
}

QPointF FirstFrameCanvas::toWidget(const QPointF& pt) const {
  const QRectF ir = imageRectInWidget();
  if (ir.isEmpty()) return {};
  const double s = ir.width() / image_.width();
  return {ir.left() + pt.x() * s, ir.top() + pt.y() * s};
}

QRectF FirstFrameCanvas::toWidget(const QRectF& r) const {
  return QRectF(toWidget(r.topLeft()), toWidget(r.bottomRight()));
}

QPointF FirstFrameCanvas::toPicture(const QPointF& w) const {
  const QRectF ir = imageRectInWidget();
  if (ir.isEmpty()) return {};
  const double s = ir.width() / image_.width();
  return {(w.x() - ir.left()) / s, (w.y() - ir.top()) / s};
}

QPointF FirstFrameCanvas::handlePoint(int keyframe, int corner) const {
  if (keyframe < 0 || keyframe >= camera_.keyframes.size()) return {};
  const QRectF r = toWidget(camera_.keyframes[keyframe]);
  switch (corner) {
    case 0: return r.topLeft();
    case 1: return r.topRight();
    case 2: return r.bottomRight();
    default: return r.bottomLeft();
  }
}

int FirstFrameCanvas::hitHandle(const QPointF& pos) const {
  if (camera_.selected < 0) return -1;
  for (int c = 0; c < 4; ++c) {
    const QPointF h = handlePoint(camera_.selected, c);
    if (std::abs(pos.x() - h.x()) <= kHandle + 2 && std::abs(pos.y() - h.y()) <= kHandle + 2) return c;
  }
  return -1;
}

int FirstFrameCanvas::hitKeyframe(const QPointF& pos) const {
  if (camera_.selected >= 0 && camera_.selected < camera_.keyframes.size() &&
      toWidget(camera_.keyframes[camera_.selected]).contains(pos))
    return camera_.selected;
  for (int i = static_cast<int>(camera_.keyframes.size()) - 1; i >= 0; --i)
    if (toWidget(camera_.keyframes[i]).contains(pos)) return i;
  return -1;
}

QRectF FirstFrameCanvas::dragRect(const QPointF& widgetPos) const {
  const QPointF pt = toPicture(widgetPos);
  const double aspect = camera_.aspect > 0 ? camera_.aspect : 1.0;
  const double minSide = 8;
  auto anchored = [&](const QPointF& anchor, const QPointF& to) {
    // The crop from a fixed corner toward the cursor, with the output's aspect: the larger extent wins.
    const double dx = to.x() - anchor.x(), dy = to.y() - anchor.y();
    double w = std::max(std::abs(dx), std::abs(dy) * aspect);
    w = std::max(w, minSide * std::max(1.0, aspect));
    // no larger than a camera path may hold (16384 pixels a side, 64 megapixels), so a drag far off the picture is
    // held at the limit instead of being refused
    using ci2v::sampling::kMaxCropArea, ci2v::sampling::kMaxCropSide;
    w = std::min({w, kMaxCropSide, kMaxCropSide * aspect, 0.999 * std::sqrt(kMaxCropArea * aspect)});
    const double h = w / aspect;
    const double x = dx < 0 ? anchor.x() - w : anchor.x();
    const double y = dy < 0 ? anchor.y() - h : anchor.y();
    return QRectF(x, y, w, h);
  };
  switch (drag_) {
    case Drag::Move: return pressRect_.translated(pt - pressPicture_);
    case Drag::Resize: {
      const QPointF corners[4] = {pressRect_.bottomRight(), pressRect_.bottomLeft(), pressRect_.topLeft(),
                                  pressRect_.topRight()};  // the corner opposite the dragged one
      return anchored(corners[dragCorner_], pt);
    }
    case Drag::Draw: return anchored(pressPicture_, pt);
    default: return {};
  }
}

void FirstFrameCanvas::mousePressEvent(QMouseEvent* e) {
  if ((!camera_.enabled && !camera_.canStart) || image_.isNull() || e->button() != Qt::LeftButton) {
    QWidget::mousePressEvent(e);
    return;
  }
  setFocus(Qt::MouseFocusReason);
  const QPointF pos = e->position();
  pressPicture_ = toPicture(pos);
  dragIndex_ = -1;
  if (!camera_.enabled) {
    drag_ = Drag::Draw;  // a still camera: the first crop of a new path
  } else if ((dragCorner_ = hitHandle(pos)) >= 0) {
    drag_ = Drag::Resize;
    dragIndex_ = camera_.selected;
  } else if ((dragIndex_ = hitKeyframe(pos)) >= 0) {
    drag_ = Drag::Move;
    if (dragIndex_ != camera_.selected) Q_EMIT keyframeSelected(dragIndex_);
  } else {
    drag_ = Drag::Draw;
  }
  pressRect_ = dragIndex_ >= 0 ? camera_.keyframes[dragIndex_] : QRectF();
  liveRect_ = QRectF();
  e->accept();
}

void FirstFrameCanvas::mouseMoveEvent(QMouseEvent* e) {
  if (drag_ == Drag::None) {
    if (camera_.enabled) {
      const QPointF pos = e->position();
      const int c = hitHandle(pos);
      setCursor(c == 0 || c == 2   ? Qt::SizeFDiagCursor
                : c == 1 || c == 3 ? Qt::SizeBDiagCursor
                : hitKeyframe(pos) >= 0 ? Qt::SizeAllCursor
                                        : Qt::CrossCursor);
    }
    QWidget::mouseMoveEvent(e);
    return;
  }
  liveRect_ = dragRect(e->position());
  if (drag_ == Drag::Draw) {
    update();  // the rubber band; the keyframe is added on release
  } else if (dragIndex_ >= 0) {
    Q_EMIT keyframeRectEdited(dragIndex_, liveRect_, true);
  }
  e->accept();
}

void FirstFrameCanvas::mouseReleaseEvent(QMouseEvent* e) {
  if (e->button() == Qt::LeftButton && image_.isNull()) Q_EMIT openRequested();
  if (drag_ != Drag::None && e->button() == Qt::LeftButton) {
    const Drag d = drag_;
    const QRectF r = liveRect_.isValid() ? liveRect_ : dragRect(e->position());
    const bool moved = liveRect_.isValid();
    drag_ = Drag::None;
    liveRect_ = QRectF();
    if (d == Drag::Draw) {
      // A click without a drag only selects nothing; a drag of a few pixels is not a crop.
      const QRectF w = toWidget(r);
      if (moved && std::max(w.width(), w.height()) >= 6) Q_EMIT cropDrawn(r);
    } else if (moved && dragIndex_ >= 0) {
      Q_EMIT keyframeRectEdited(dragIndex_, r, false);
    }
    setCameraOverlay(camera_);  // refit the view now that the drag is over
    e->accept();
    return;
  }
  QWidget::mouseReleaseEvent(e);
}

QRectF FirstFrameCanvas::keyEditRect(int key, Qt::KeyboardModifiers mods) const {
  const QRectF r = camera_.keyframes[camera_.selected];
  const double step = (mods & Qt::ShiftModifier) ? 10 : 1;  // picture pixels
  switch (key) {
    case Qt::Key_Left: return r.translated(-step, 0);
    case Qt::Key_Right: return r.translated(step, 0);
    case Qt::Key_Up: return r.translated(0, -step);
    case Qt::Key_Down: return r.translated(0, step);
    case Qt::Key_Plus:
    case Qt::Key_Equal:
    case Qt::Key_Minus:
    case Qt::Key_Underscore: {
      // about the centre, the aspect kept, 5 % a press (whatever Shift does on the layout: "+" is often Shift+"=");
      // a shrink stops at 8 pixels on the shorter side (a crop already smaller keeps its size)
      const bool grow = key == Qt::Key_Plus || key == Qt::Key_Equal;
      double f = grow ? 1.05 : 1 / 1.05;
      const double shorter = std::min(r.width(), r.height()), minSide = 8;
      if (!grow && shorter * f < minSide) f = std::min(1.0, minSide / shorter);
      const double w = r.width() * f, h = r.height() * f;
      return camera::withinCropLimits(QRectF(r.center().x() - w / 2, r.center().y() - h / 2, w, h));
    }
    default: return {};
  }
}

void FirstFrameCanvas::keyPressEvent(QKeyEvent* e) {
  const bool editing = camera_.enabled && camera_.selected >= 0 && camera_.selected < camera_.keyframes.size() &&
                       drag_ == Drag::None;
  if (editing && (e->key() == Qt::Key_Delete || e->key() == Qt::Key_Backspace)) {
    Q_EMIT deleteKeyframeRequested(camera_.selected);
    e->accept();
    return;
  }
  if (editing) {
    const QRectF r = keyEditRect(e->key(), e->modifiers());
    if (r.isValid()) {
      // one undo step for a held key: interim edits while it repeats, the final one when it is let go
      if (keyEditing_ >= 0 && (keyEditing_ != camera_.selected || keyEditKey_ != e->key())) finishKeyEdit();
      keyEditing_ = camera_.selected;
      keyEditKey_ = e->key();
      Q_EMIT keyframeRectEdited(camera_.selected, r, true);
      e->accept();
      return;
    }
  }
  QWidget::keyPressEvent(e);
}

void FirstFrameCanvas::keyReleaseEvent(QKeyEvent* e) {
  if (!e->isAutoRepeat() && keyEditing_ >= 0 && e->key() == keyEditKey_) {
    finishKeyEdit();
    e->accept();
    return;
  }
  QWidget::keyReleaseEvent(e);
}

void FirstFrameCanvas::focusOutEvent(QFocusEvent* e) {
  finishKeyEdit();
  QWidget::focusOutEvent(e);
}

void FirstFrameCanvas::finishKeyEdit() {
  int k = keyEditing_;
  if (k < 0) return;
  keyEditing_ = -1;
  // the step stays open until a final edit comes: of that keyframe, else (the path changed meanwhile) the selected
  if (k >= camera_.keyframes.size()) k = camera_.selected;
  if (k >= 0 && k < camera_.keyframes.size()) Q_EMIT keyframeRectEdited(k, camera_.keyframes[k], false);
}

void FirstFrameCanvas::paintCamera(QPainter& p) {
  const QRectF ir = imageRectInWidget();
  // The current frame's crop: what the model's layout video shows now (the rest dimmed).
  const QRectF cur = camera_.current.isValid() ? toWidget(camera_.current) : QRectF();
  if (cur.isValid()) {
    dimOutside(p, QRectF(rect()), cur, 110);
    p.setPen(QPen(kCurrentColor, 2, Qt::DashLine));
    p.setBrush(Qt::NoBrush);
    p.drawRect(cur);
  }
  p.setPen(QPen(QColor(255, 255, 255, 90), 1));
  p.drawRect(ir);
  // The path of the crop centres through the keyframes.
  if (camera_.keyframes.size() > 1) {
    QPainterPath trail;
    trail.moveTo(toWidget(camera_.keyframes[0].center()));
    for (int i = 1; i < camera_.keyframes.size(); ++i) trail.lineTo(toWidget(camera_.keyframes[i].center()));
    p.setPen(QPen(QColor(255, 214, 10, 170), 1.5, Qt::DotLine));
    p.drawPath(trail);
  }
  QFont f = font();
  f.setBold(true);
  p.setFont(f);
  for (int i = 0; i < camera_.keyframes.size(); ++i) {
    const bool sel = i == camera_.selected;
    QRectF r = toWidget(camera_.keyframes[i]);
    if (sel && drag_ != Drag::None && drag_ != Drag::Draw && liveRect_.isValid()) r = toWidget(liveRect_);
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(Qt::black, sel ? 4 : 3));
    p.drawRect(r);
    p.setPen(QPen(kKeyColor, sel ? 2.5 : 1.5));
    p.drawRect(r);
    const QString label = i < camera_.frames.size() ? tr("K%1 · frame %2").arg(i + 1).arg(camera_.frames[i] + 1)
                                                    : tr("K%1").arg(i + 1);
    const QRectF tag(r.left(), r.top() - 18, p.fontMetrics().horizontalAdvance(label) + 10, 17);
    p.fillRect(tag, sel ? kKeyColor : QColor(0, 0, 0, 170));
    p.setPen(sel ? Qt::black : kKeyColor);
    p.drawText(tag, Qt::AlignCenter, label);
    if (sel) {
      p.setPen(QPen(Qt::black, 1));
      p.setBrush(kKeyColor);
      for (const QPointF c : {r.topLeft(), r.topRight(), r.bottomRight(), r.bottomLeft()})
        p.drawRect(QRectF(c.x() - kHandle / 2 - 1, c.y() - kHandle / 2 - 1, kHandle + 2, kHandle + 2));
    }
  }
  if (drag_ == Drag::Draw && liveRect_.isValid()) {
    p.setBrush(QColor(255, 214, 10, 40));
    p.setPen(QPen(kKeyColor, 2, Qt::DashLine));
    p.drawRect(toWidget(liveRect_));
  }
  p.setFont(font());
  p.setPen(palette().color(QPalette::Text));
  const QString caption =
      camera_.keyframes.isEmpty()
          ? tr("Camera path: drag on the picture to draw the crop of frame %1").arg(camera_.currentFrame + 1)
          : tr("Frame %1 · drag: move · corners: resize · keys: arrows, +/−, Delete").arg(camera_.currentFrame + 1);
  // elided rather than cut at both ends when the canvas is narrow (the tooltip says it all)
  p.drawText(QRectF(0, height() - 26, width(), 22), Qt::AlignCenter,
             p.fontMetrics().elidedText(caption, Qt::ElideRight, width() - 8));
}

}  // namespace studio
