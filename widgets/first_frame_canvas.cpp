#include "widgets/first_frame_canvas.h"

#include <algorithm>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QUrl>

namespace studio {

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
  // Fit the union of the picture and the crop (padding can reach outside the picture) into the widget.
  const QRectF content = crop_.isValid() ? crop_.united(QRectF(QPointF(0, 0), image_.size())) : QRectF(QPointF(0, 0), image_.size());
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
  const QRectF cr = cropRectInWidget();
  if (cr.isValid()) {
    // Dim everything the model will not see.
    QPainterPath outside;
    outside.addRect(QRectF(rect()));
    QPainterPath inside;
    inside.addRect(cr);
    p.fillPath(outside.subtracted(inside), QColor(0, 0, 0, 140));
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

void FirstFrameCanvas::mouseReleaseEvent(QMouseEvent* e) {
  if (e->button() == Qt::LeftButton && image_.isNull()) Q_EMIT openRequested();
  QWidget::mouseReleaseEvent(e);
}

}  // namespace studio
