// Every engine setting of one generation in one panel: FrameInit (τ, D0 spatial/temporal, filter), guidance,
// sampling, video size and length, seed, device and dtype. The panel is thin: it shows a GenerationParams and
// reports the user's edits as a whole new GenerationParams (paramsEdited); the document owns the state.
#pragma once
#include <QWidget>

#include "engine/pipeline.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QSlider;
class QSpinBox;
class QLineEdit;
class QToolButton;
class QPushButton;

namespace studio {

class ParameterPanel : public QWidget {
  Q_OBJECT
public:
  explicit ParameterPanel(QWidget* parent = nullptr);

  // Show these parameters; emits nothing.
  void setParams(const ci2v::GenerationParams& p);
  // The shown parameters (the last set ones with the panel's fields as the widgets show them).
  ci2v::GenerationParams params() const;
  // FrameInit's defaults that the camera choice switches between (the paper's, or the model's own).
  void setFrameInitDefaults(const ci2v::FrameInitDefaults& d) { frameInitDefaults_ = d; }

  // Draws the eye to τ and D0 for a few seconds (they just changed on their own, e.g. with the camera mode).
  void flashFrameInit(int milliseconds = 2500);
  // Commits what is typed in a field but not yet entered (the spin boxes commit on Return or leaving the field;
  // Ctrl+Return or a toolbar click does neither): call before the parameters are used.
  void commitPendingEdits();
  bool isFlashing() const { return flashing_; }

  // Tooltips in an artist's words (also used by the tests: τ and D0 must be explained).
  static QString tauHelp();
  static QString cutoffSpatialHelp();
  static QString cutoffTemporalHelp();

Q_SIGNALS:
  // The user changed something: the complete new parameters.
  void paramsEdited(const ci2v::GenerationParams& p);

private:
  void build();
  void emitEdited();
  void updateEnabled();
  void rollDice();

  ci2v::GenerationParams shown_;
  ci2v::FrameInitDefaults frameInitDefaults_;
  bool updating_ = false;
  bool flashing_ = false;

  // FrameInit
  QCheckBox* frameinit_ = nullptr;
  QSlider* tauSlider_ = nullptr;
  QSpinBox* tau_ = nullptr;
  QDoubleSpinBox* cutoffSpatial_ = nullptr;
  QDoubleSpinBox* cutoffTemporal_ = nullptr;
  QComboBox* filter_ = nullptr;
  QSpinBox* butterworthOrder_ = nullptr;
  // Guidance
  QDoubleSpinBox* cfgText_ = nullptr;
  QDoubleSpinBox* cfgImage_ = nullptr;
  QDoubleSpinBox* rescale_ = nullptr;
  // Sampling
  QSpinBox* steps_ = nullptr;
  QComboBox* sampler_ = nullptr;
  QDoubleSpinBox* eta_ = nullptr;
  QCheckBox* randomSeed_ = nullptr;
  QLineEdit* seed_ = nullptr;
  QToolButton* dice_ = nullptr;
  // Video
  QSpinBox* frames_ = nullptr;
  QSpinBox* frameStride_ = nullptr;
  QSpinBox* width_ = nullptr;
  QSpinBox* height_ = nullptr;
  QComboBox* sizePreset_ = nullptr;
  QComboBox* fit_ = nullptr;
  QSpinBox* chunks_ = nullptr;
  QComboBox* camera_ = nullptr;
  // Hardware
  QComboBox* device_ = nullptr;
  QComboBox* dtype_ = nullptr;
  QPushButton* reset_ = nullptr;
};

}  // namespace studio
