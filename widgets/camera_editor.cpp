#include "widgets/camera_editor.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "app/camera_edit.h"
#include "widgets/camera_timeline.h"
#include "widgets/easing_editor.h"

namespace studio {

using ci2v::sampling::CameraPath;
using ci2v::sampling::Easing;

namespace {
QToolButton* tool(const QString& id, const QString& text, const QString& tip) {
  auto* b = new QToolButton;
  b->setObjectName(id);
  b->setText(text);
  b->setToolTip(tip);
  b->setToolButtonStyle(Qt::ToolButtonTextOnly);
  b->setAutoRaise(true);
  return b;
}
}  // namespace

CameraEditor::CameraEditor(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("camera_editor"));
  auto* root = new QVBoxLayout(this);
  root->setContentsMargins(0, 0, 0, 0);
  root->setSpacing(2);

  auto* bar = new QHBoxLayout;
  bar->setSpacing(2);
  presets_ = tool(QStringLiteral("camera_presets"), tr("Presets"),
                  tr("The paper's camera moves, built from your picture; edit them afterwards on the picture "
                     "and the timeline"));
  presets_->setPopupMode(QToolButton::InstantPopup);
  auto* menu = new QMenu(presets_);
  menu->setToolTipsVisible(true);  // a disabled zoom says why
  const std::pair<QString, QString> names[] = {
      {tr("Pan left"), QStringLiteral("pan_left")}, {tr("Pan right"), QStringLiteral("pan_right")},
      {tr("Zoom in"), QStringLiteral("zoom_in")},   {tr("Zoom out"), QStringLiteral("zoom_out")},
      {tr("Tilt up"), QStringLiteral("tilt_up")},   {tr("Tilt down"), QStringLiteral("tilt_down")}};
  for (const auto& [label, id] : names) {
    QAction* a = menu->addAction(label);
    a->setObjectName(QStringLiteral("preset_") + id);
    connect(a, &QAction::triggered, this, [this, id = id] { Q_EMIT presetChosen(id); });
  }
  presets_->setMenu(menu);
  add_ = tool(QStringLiteral("camera_add"), tr("+ Key"),
              tr("Add a keyframe on the current frame with the crop the path has there (or draw a crop on the "
                 "picture)"));
  remove_ = tool(QStringLiteral("camera_remove"), tr("− Key"), tr("Delete the selected keyframe (Delete)"));
  easing_ = new QComboBox;
  easing_->setObjectName(QStringLiteral("camera_easing"));
  easing_->setToolTip(tr("How the crop moves from the selected keyframe to the next"));
  for (Easing e : {Easing::Linear, Easing::EaseIn, Easing::EaseOut, Easing::EaseInOut, Easing::Hold, Easing::CubicBezier})
    easing_->addItem(camera::easingName(e), static_cast<int>(e));
  load_ = tool(QStringLiteral("camera_load"), tr("Load…"), tr("Load a camera path (JSON, the CLI's --camera format)"));
  save_ = tool(QStringLiteral("camera_save"), tr("Save…"), tr("Save the camera path as JSON (for the CLI's --camera)"));
  dryRun_ = tool(QStringLiteral("camera_dry_run"), tr("▶ Dry run"),
                 tr("Play the camera video the model will be guided by, at once, before any diffusion"));
  clear_ = tool(QStringLiteral("camera_clear"), tr("Still"), tr("Remove the camera move (still camera)"));
  bar->addWidget(presets_);
  bar->addWidget(add_);
  bar->addWidget(remove_);
  bar->addWidget(easing_);
  bar->addStretch(1);
  bar->addWidget(dryRun_);
  bar->addWidget(load_);
  bar->addWidget(save_);
  bar->addWidget(clear_);
  root->addLayout(bar);

  auto* row = new QHBoxLayout;
  timeline_ = new CameraTimeline;
  easingEditor_ = new EasingEditor;
  easingEditor_->setFixedSize(78, 78);
  row->addWidget(timeline_, 1);
  row->addWidget(easingEditor_);
  root->addLayout(row);
  summary_ = new QLabel;
  summary_->setObjectName(QStringLiteral("camera_summary"));
  summary_->setWordWrap(true);  // the crop's numbers do not fit a narrow editor on one line
  root->addWidget(summary_);

  connect(add_, &QToolButton::clicked, this, &CameraEditor::addKeyframeAtCurrentFrame);
  connect(remove_, &QToolButton::clicked, this, &CameraEditor::deleteSelected);
  connect(load_, &QToolButton::clicked, this, &CameraEditor::loadRequested);
  connect(save_, &QToolButton::clicked, this, &CameraEditor::saveRequested);
  connect(dryRun_, &QToolButton::clicked, this, &CameraEditor::dryRunRequested);
  connect(clear_, &QToolButton::clicked, this, &CameraEditor::clearPath);
  connect(easing_, &QComboBox::activated, this, [this](int i) {
    setEasing(selected_, static_cast<Easing>(easing_->itemData(i).toInt()));
  });
  connect(easingEditor_, &EasingEditor::handlesEdited, this,
          [this](double x1, double y1, double x2, double y2, bool interim) {
            if (selected_ < 0 || selected_ >= static_cast<int>(path_.keyframes.size())) return;
            auto& k = path_.keyframes[selected_];
            editText_ = tr("Edit the easing curve of K%1").arg(selected_ + 1);
            k.easing = Easing::CubicBezier;
            k.x1 = x1;
            k.y1 = y1;
            k.x2 = x2;
            k.y2 = y2;
            emitEdited(interim);
          });
  connect(timeline_, &CameraTimeline::keyframeSelected, this, &CameraEditor::setSelected);
  connect(timeline_, &CameraTimeline::currentFrameChanged, this, &CameraEditor::setCurrentFrame);
  connect(timeline_, &CameraTimeline::keyframeMoved, this, &CameraEditor::moveKeyframe);
  connect(timeline_, &CameraTimeline::addKeyframeRequested, this, [this](int frame) {
    setCurrentFrame(frame);
    addKeyframeAtCurrentFrame();
  });
  connect(timeline_, &CameraTimeline::easingChosen, this, &CameraEditor::setEasing);
  connect(timeline_, &CameraTimeline::deleteKeyframeRequested, this, &CameraEditor::deleteKeyframe);
  updateControls();
}

void CameraEditor::setPath(const CameraPath& path, int frames, double aspect, const QRectF& defaultCrop,
                           const QString& preset) {
  path_ = path;
  frames_ = std::max(frames, 2);
  aspect_ = aspect > 0 ? aspect : 1.0;
  defaultCrop_ = defaultCrop;
  preset_ = preset;
  const bool square = std::abs(aspect_ - 1) < 1e-9;  // the zoom presets need a square video (the reference's)
  for (const char* zoom : {"preset_zoom_in", "preset_zoom_out"})
    if (auto* a = presets_->menu()->findChild<QAction*>(QString::fromLatin1(zoom))) {
      a->setEnabled(square);
      a->setToolTip(square ? QString() : tr("The zoom presets need a square video (width = height)."));
    }
  if (selected_ >= static_cast<int>(path_.keyframes.size())) selected_ = path_.keyframes.empty() ? -1 : 0;
  current_ = std::clamp(current_, 0, frames_ - 1);
  timeline_->setPath(path_, frames_);
  timeline_->setSelected(selected_);
  timeline_->setCurrentFrame(current_);
  updateControls();
}

void CameraEditor::setSelected(int keyframe) {
  const int k = keyframe >= 0 && keyframe < static_cast<int>(path_.keyframes.size()) ? keyframe : -1;
  if (k == selected_) return;
  selected_ = k;
  timeline_->setSelected(k);
  updateControls();
  Q_EMIT selectionChanged(k);
}

void CameraEditor::setCurrentFrame(int frame) {
  const int f = std::clamp(frame, 0, frames_ - 1);
  if (f == current_) return;
  current_ = f;
  timeline_->setCurrentFrame(f);
  updateControls();
  Q_EMIT currentFrameChanged(f);
}

QRectF CameraEditor::currentCrop() const { return camera::cropAtFrame(path_, frames_, current_); }

void CameraEditor::emitEdited(bool interim) {
  timeline_->setPath(path_, frames_);
  timeline_->setSelected(selected_);
  updateControls();
  Q_EMIT pathEdited(path_, interim);
}

void CameraEditor::editKeyframeRect(int index, const QRectF& rect, bool interim) {
  if (index < 0 || index >= static_cast<int>(path_.keyframes.size())) return;
  const QRectF old = camera::keyframeRect(path_.keyframes[index]);
  auto same = [](double a, double b) { return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)}); };
  if (same(old.left(), rect.left()) && same(old.top(), rect.top()) && same(old.width(), rect.width()) &&
      same(old.height(), rect.height())) {
    emitEdited(interim);  // the end of a drag or a held key where it already is: closes the step, changes nothing
    return;
  }
  editText_ = same(old.width(), rect.width()) && same(old.height(), rect.height())
                  ? tr("Move keyframe K%1").arg(index + 1)
                  : tr("Resize keyframe K%1").arg(index + 1);
  camera::setKeyframeRect(path_.keyframes[index], rect);
  emitEdited(interim);
}

void CameraEditor::addCrop(const QRectF& rect) {
  const int k = camera::addKeyframe(path_, frames_, current_, camera::withAspect(rect, aspect_));
  editText_ = tr("Add a keyframe on frame %1").arg(current_ + 1);
  selected_ = -2;  // force the selection signal
  emitEdited(false);
  setSelected(k);
}

void CameraEditor::addKeyframeAtCurrentFrame() {
  QRectF crop = currentCrop();
  if (!crop.isValid()) crop = camera::withAspect(defaultCrop_, aspect_);
  if (!crop.isValid()) return;  // no picture yet
  addCrop(crop);
}

void CameraEditor::deleteKeyframe(int index) {
  if (index < 0 || index >= static_cast<int>(path_.keyframes.size())) return;
  editText_ = tr("Delete keyframe K%1").arg(index + 1);
  camera::removeKeyframe(path_, index);
  const int next = path_.keyframes.empty() ? -1 : std::min(index, static_cast<int>(path_.keyframes.size()) - 1);
  selected_ = next;
  emitEdited(false);
  timeline_->setSelected(next);
  Q_EMIT selectionChanged(next);
}

void CameraEditor::moveKeyframe(int index, int frame, bool interim) {
  if (index < 0 || index >= static_cast<int>(path_.keyframes.size())) return;
  const int f = camera::moveKeyframe(path_, frames_, index, frame);
  editText_ = tr("Move keyframe K%1 to frame %2").arg(index + 1).arg(f + 1);
  emitEdited(interim);
}

void CameraEditor::setEasing(int index, Easing easing) {
  if (index < 0 || index >= static_cast<int>(path_.keyframes.size())) return;
  path_.keyframes[index].easing = easing;
  editText_ = tr("Set the easing after K%1 to %2").arg(index + 1).arg(camera::easingName(easing));
  emitEdited(false);
}

void CameraEditor::clearPath() {
  path_.keyframes.clear();
  editText_ = tr("Remove the camera move");
  selected_ = -1;
  emitEdited(false);
  Q_EMIT selectionChanged(-1);
}

void CameraEditor::updateControls() {
  const int n = static_cast<int>(path_.keyframes.size());
  const bool hasSel = selected_ >= 0 && selected_ < n;
  remove_->setEnabled(hasSel);
  const bool segment = hasSel && selected_ + 1 < n;  // the easing belongs to the segment after a keyframe
  easing_->setEnabled(segment);
  save_->setEnabled(n > 0);
  clear_->setEnabled(n > 0);
  dryRun_->setEnabled(n > 0);
  add_->setEnabled(defaultCrop_.isValid() || n > 0);
  if (hasSel) {
    const auto& k = path_.keyframes[selected_];
    QSignalBlocker b(easing_);
    easing_->setCurrentIndex(easing_->findData(static_cast<int>(k.easing)));
    easingEditor_->setEasing(k.easing, k.x1, k.y1, k.x2, k.y2);
  } else {
    easingEditor_->setEasing(Easing::Linear, 0.25, 0.1, 0.25, 1.0);
  }
  easingEditor_->setEnabled(segment);
  QString text;
  if (n == 0)
    text = tr("Still camera");
  else if (!preset_.isEmpty()) {
    QString name = preset_;  // the menu's words for it ("Zoom in"), not the id ("zoom_in")
    if (auto* a = presets_->menu()->findChild<QAction*>(QStringLiteral("preset_") + preset_)) name = a->text();
    text = tr("Preset %1 · %2 keyframes · edit it on the picture").arg(name).arg(n);
  }
  else
    text = tr("Custom path · %n keyframe(s)", nullptr, n);
  if (n > 0) {
    const QRectF c = currentCrop();
    text += tr(" · frame %1: crop %2 × %3 at (%4, %5)")
                .arg(current_ + 1)
                .arg(qRound(c.width()))
                .arg(qRound(c.height()))
                .arg(qRound(c.left()))
                .arg(qRound(c.top()));
  }
  summary_->setText(text);
}

}  // namespace studio
