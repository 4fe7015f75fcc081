// The camera path over time: one tick per frame, the keyframes as diamonds snapped to frames, each segment
// drawn with its easing curve and named, and the current frame. Click a frame to go there, drag a diamond to
// move its keyframe in time (it snaps to frames and stays between its neighbours), double-click a frame to add
// a keyframe, right-click a segment to choose its easing. From the keyboard: ←/→ walk the frames (Home/End),
// ↑/↓ the keyframes, Ctrl+←/→ move the selected keyframe, Insert/Enter add one, Delete removes it. Thin: it
// shows a path and reports intentions.
#pragma once
#include <QWidget>

#include "engine/camera_path.h"

namespace studio {

class CameraTimeline : public QWidget {
  Q_OBJECT
public:
  explicit CameraTimeline(QWidget* parent = nullptr);

  void setPath(const ci2v::sampling::CameraPath& path, int frames);
  void setSelected(int keyframe);
  void setCurrentFrame(int frame);
  int selected() const { return selected_; }
  int currentFrame() const { return current_; }
  int frames() const { return frames_; }

  // Geometry (widget coordinates), for hit tests and tests.
  double xOfFrame(double frame) const;
  int frameAt(double x) const;  // nearest frame in the timeline's span
  QPointF keyframePoint(int keyframe) const;
  double trackY() const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

Q_SIGNALS:
  void keyframeSelected(int keyframe);
  void keyframeMoved(int keyframe, int frame, bool interim);
  void currentFrameChanged(int frame);
  void addKeyframeRequested(int frame);
  void easingChosen(int keyframe, ci2v::sampling::Easing easing);  // the segment starting at keyframe
  void deleteKeyframeRequested(int keyframe);  // Delete / Backspace with a keyframe selected

protected:
  void paintEvent(QPaintEvent*) override;
  void mousePressEvent(QMouseEvent*) override;
  void mouseMoveEvent(QMouseEvent*) override;
  void mouseReleaseEvent(QMouseEvent*) override;
  void mouseDoubleClickEvent(QMouseEvent*) override;
  void contextMenuEvent(QContextMenuEvent*) override;
  void keyPressEvent(QKeyEvent*) override;
  void keyReleaseEvent(QKeyEvent*) override;
  void focusOutEvent(QFocusEvent*) override;

private:
  void goToFrame(int frame);  // sets the current frame and reports it
  void finishKeyMove();       // the final move of a keyframe moved with Ctrl+arrows (one undo step)
  int hitKeyframe(const QPointF& pos) const;
  int segmentAt(double x) const;  // keyframe starting the segment under x, or -1
  double span() const;

  ci2v::sampling::CameraPath path_;
  int frames_ = 16;
  int selected_ = -1;
  int current_ = 0;
  int dragging_ = -1;   // keyframe being moved
  int dragFrame_ = -1;  // where it is now
  bool scrubbing_ = false;
  int keyMoving_ = -1;  // keyframe moved with Ctrl+arrows until the key is let go
  int keyMoveKey_ = 0;
  int keyMoveFrame_ = -1;
};

}  // namespace studio
