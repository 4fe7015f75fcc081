// The first frame: shows the picture, the region the model will see at the chosen size (a frame drawn over the
// picture, the rest dimmed), and takes pictures by drag-and-drop. Thin: the document decides what is shown.
#pragma once
#include <QImage>
#include <QRectF>
#include <QSize>
#include <QWidget>

namespace studio {

class FirstFrameCanvas : public QWidget {
  Q_OBJECT
public:
  explicit FirstFrameCanvas(QWidget* parent = nullptr);

  void setImage(const QImage& image);
  QImage image() const { return image_; }
  // The part of the picture the model sees, in picture pixels (may extend beyond it when padding).
  void setCropRect(const QRectF& rect, const QSize& modelSize);
  QRectF cropRect() const { return crop_; }
  // Where the picture is drawn inside the widget (for tests and hit testing).
  QRectF imageRectInWidget() const;
  QRectF cropRectInWidget() const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

Q_SIGNALS:
  void fileDropped(const QString& path);
  void imageDropped(const QImage& image);
  void openRequested();  // a click on the empty canvas

protected:
  void paintEvent(QPaintEvent*) override;
  void dragEnterEvent(QDragEnterEvent*) override;
  void dragLeaveEvent(QDragLeaveEvent*) override;
  void dropEvent(QDropEvent*) override;
  void mouseReleaseEvent(QMouseEvent*) override;

private:
  QImage image_;
  QRectF crop_;
  QSize modelSize_;
  bool dragging_ = false;
};

}  // namespace studio
