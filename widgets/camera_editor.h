// The camera path editor's controls under the first frame: presets (pan left/right, zoom in/out, tilt
// up/down), add / delete keyframe, the easing of the selected segment (with a curve editor for a custom
// bezier), load / save the path as JSON, the dry run, and the timeline. The crops themselves are edited on
// the canvas, whose signals come to the slots below. Every edit is reported as a whole new path
// (pathEdited); the document owns the path and hands it back through setPath.
#pragma once
#include <QRectF>
#include <QWidget>

#include "engine/camera_path.h"

class QComboBox;
class QLabel;
class QToolButton;

namespace studio {

class CameraTimeline;
class EasingEditor;

class CameraEditor : public QWidget {
  Q_OBJECT
public:
  explicit CameraEditor(QWidget* parent = nullptr);

  // The path to show (picture pixels), the clip's frame count, the output aspect (width / height), the
  // crop a first keyframe starts from (the model's view of the picture), and the preset it comes from ("").
  void setPath(const ci2v::sampling::CameraPath& path, int frames, double aspect, const QRectF& defaultCrop,
               const QString& preset);
  const ci2v::sampling::CameraPath& path() const { return path_; }
  int frames() const { return frames_; }
  int selected() const { return selected_; }
  int currentFrame() const { return current_; }
  void setSelected(int keyframe);
  void setCurrentFrame(int frame);
  // What the last edit did, in words for the Edit menu ("Move keyframe K2").
  QString lastEditText() const { return editText_; }
  // The crop of the current frame (picture pixels; empty for a still camera).
  QRectF currentCrop() const;

  CameraTimeline* timeline() const { return timeline_; }
  EasingEditor* easingEditor() const { return easingEditor_; }
  QComboBox* easingCombo() const { return easing_; }

public Q_SLOTS:
  void editKeyframeRect(int index, const QRectF& rect, bool interim);
  void addCrop(const QRectF& rect);  // a keyframe on the current frame with this crop
  void addKeyframeAtCurrentFrame();  // with the crop the path has there now
  void deleteKeyframe(int index);
  void deleteSelected() { deleteKeyframe(selected_); }
  void moveKeyframe(int index, int frame, bool interim);
  void setEasing(int index, ci2v::sampling::Easing easing);
  void clearPath();

Q_SIGNALS:
  void pathEdited(const ci2v::sampling::CameraPath& path, bool interim);
  void presetChosen(const QString& name);
  void loadRequested();
  void saveRequested();
  void dryRunRequested();
  void selectionChanged(int keyframe);
  void currentFrameChanged(int frame);

private:
  void emitEdited(bool interim);
  void updateControls();

  ci2v::sampling::CameraPath path_;
  int frames_ = 16;
  double aspect_ = 1;
  QRectF defaultCrop_;
  QString preset_;
  int selected_ = -1;
  int current_ = 0;
  QString editText_;

  CameraTimeline* timeline_ = nullptr;
  EasingEditor* easingEditor_ = nullptr;
  QComboBox* easing_ = nullptr;
  QToolButton* presets_ = nullptr;
  QToolButton* add_ = nullptr;
  QToolButton* remove_ = nullptr;
  QToolButton* load_ = nullptr;
  QToolButton* save_ = nullptr;
  QToolButton* dryRun_ = nullptr;
  QToolButton* clear_ = nullptr;
  QLabel* summary_ = nullptr;
};

}  // namespace studio
