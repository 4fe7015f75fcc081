// The first frame: shows the picture, the region the model will see at the chosen size (a frame drawn over the
// picture, the rest dimmed), and takes pictures by drag-and-drop. Thin: the document decides what is shown.
#pragma once
#include <QImage>
#include <QRectF>
#include <QVector>
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

  // --- camera path editing (picture pixels). In camera mode the canvas draws every keyframe's crop (the
  // selected one with resize handles) and the crop of the current frame, and edits them with the mouse:
  // drag inside a crop to move it, drag a corner handle to resize it (the aspect stays the output's), drag
  // on free picture to draw the crop of the current frame (a new keyframe there), Delete removes the selected.
  // From the keyboard: the arrows move the selected crop a pixel (Shift: 10), + and − resize it by 5 %; a held
  // key is one undo step.
  struct CameraOverlay {
    bool enabled = false;
    QVector<QRectF> keyframes;   // crop of each keyframe
    QVector<int> frames;         // the frame of each keyframe (labels)
    int selected = -1;
    QRectF current;              // the crop of the current frame
    int currentFrame = 0;
    double aspect = 1;           // output width / height
    bool canStart = false;       // still camera: a drag on the picture draws the first crop of a new path
  };
  void setCameraOverlay(const CameraOverlay& overlay);
  const CameraOverlay& cameraOverlay() const { return camera_; }
  // Picture pixels <-> widget coordinates (the current view).
  QPointF toWidget(const QPointF& picture) const;
  QRectF toWidget(const QRectF& picture) const;
  QPointF toPicture(const QPointF& widget) const;
  // The widget-space handle of a corner of keyframe i's crop (0 top-left, 1 top-right, 2 bottom-right,
  // 3 bottom-left), for hit tests and tests.
  QPointF handlePoint(int keyframe, int corner) const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

Q_SIGNALS:
  void fileDropped(const QString& path);
  void imageDropped(const QImage& image);
  void openRequested();  // a click on the empty canvas
  // Camera editing (picture pixels). interim: part of a drag (a final edit follows on release).
  void keyframeSelected(int index);
  void keyframeRectEdited(int index, const QRectF& rect, bool interim);
  void cropDrawn(const QRectF& rect);  // a new crop for the current frame
  void deleteKeyframeRequested(int index);

protected:
  void paintEvent(QPaintEvent*) override;
  void dragEnterEvent(QDragEnterEvent*) override;
  void dragLeaveEvent(QDragLeaveEvent*) override;
  void dropEvent(QDropEvent*) override;
  void mousePressEvent(QMouseEvent*) override;
  void mouseMoveEvent(QMouseEvent*) override;
  void mouseReleaseEvent(QMouseEvent*) override;
  void keyPressEvent(QKeyEvent*) override;
  void keyReleaseEvent(QKeyEvent*) override;
  void focusOutEvent(QFocusEvent*) override;

private:
  enum class Drag { None, Move, Resize, Draw };
  void paintCamera(QPainter& p);
  QRectF dragRect(const QPointF& widgetPos) const;  // the crop the current drag gives, picture pixels
  int hitHandle(const QPointF& widgetPos) const;    // corner of the selected crop under the cursor, or -1
  int hitKeyframe(const QPointF& widgetPos) const;  // keyframe whose crop contains the point, or -1
  QRectF keyEditRect(int key, Qt::KeyboardModifiers mods) const;  // the selected crop after that key, or empty
  void finishKeyEdit();  // closes a keyboard edit (one undo step)

  CameraOverlay camera_;
  Drag drag_ = Drag::None;
  int dragIndex_ = -1, dragCorner_ = -1;
  QPointF pressPicture_;
  QRectF pressRect_, liveRect_;
  QRectF viewContent_;  // the picture-space area fitted into the widget (fixed during a drag)
  QImage image_;
  QRectF crop_;
  QSize modelSize_;
  bool dragging_ = false;
  int keyEditing_ = -1;  // the keyframe the keyboard is editing (arrows, +/-), until the key is let go
  int keyEditKey_ = 0;   // ... and that key
};

}  // namespace studio
