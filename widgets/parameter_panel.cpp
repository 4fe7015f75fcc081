#include "widgets/parameter_panel.h"

#include <algorithm>
#include <cmath>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QStandardItemModel>
#include <QRegularExpressionValidator>
#include <QSignalBlocker>
#include <QSlider>
#include <QTimer>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace studio {
namespace {

QDoubleSpinBox* doubleSpin(const char* name, double lo, double hi, double step, int decimals) {
  auto* s = new QDoubleSpinBox;
  s->setObjectName(QString::fromLatin1(name));
  s->setRange(lo, hi);
  s->setSingleStep(step);
  s->setDecimals(decimals);
  s->setKeyboardTracking(false);
  s->setAccelerated(true);
  return s;
}

QSpinBox* intSpin(const char* name, int lo, int hi, int step = 1) {
  auto* s = new QSpinBox;
  s->setObjectName(QString::fromLatin1(name));
  s->setRange(lo, hi);
  s->setSingleStep(step);
  s->setKeyboardTracking(false);
  s->setAccelerated(true);
  return s;
}

QComboBox* combo(const char* name, const QList<QPair<QString, QString>>& items) {
  auto* c = new QComboBox;
  c->setObjectName(QString::fromLatin1(name));
  for (const auto& [label, data] : items) c->addItem(label, data);
  return c;
}

void selectData(QComboBox* c, const QString& data) {
  const int i = c->findData(data);
  c->setCurrentIndex(i >= 0 ? i : 0);
}

QString comboData(const QComboBox* c) { return c->currentData().toString(); }

// A label whose tooltip is the same as its field's, so hovering the name explains it too.
QLabel* label(const QString& text, QWidget* buddy) {
  auto* l = new QLabel(text);
  l->setBuddy(buddy);
  l->setToolTip(buddy->toolTip());
  return l;
}

int roundTo8(int v) { return std::max(8, (v + 4) / 8 * 8); }

}  // namespace

QString ParameterPanel::tauHelp() {
  return tr("<b>τ — how much of your picture's layout seeds the motion</b><br>"
            "Before animating, FrameInit takes a blurred copy of your first frame and buries it under noise "
            "up to this level (1–999). <b>Lower</b> τ (e.g. 600–750) keeps more of the picture's layout and "
            "colours: steadier, more faithful clips with gentler motion. <b>Higher</b> τ (up to 999) gives "
            "the model more freedom: livelier motion, but the scene may drift from your picture.<br>"
            "Reference: 850 (750 with a camera move).");
}

QString ParameterPanel::cutoffSpatialHelp() {
  return tr("<b>D0 spatial — how much picture detail guides every frame</b><br>"
            "The size of the blur filter FrameInit applies in space, from 0 to 1. <b>Small</b> values pass only "
            "broad shapes and colours of your picture to every frame (the model invents the details, so things "
            "can move more). <b>Large</b> values pass finer structure too: frames stick closer to the first "
            "frame but can look frozen.<br>Reference: 0.25 (0.5 with a camera move).");
}

QString ParameterPanel::cutoffTemporalHelp() {
  return tr("<b>D0 temporal — how quickly the layout may change over time</b><br>"
            "The same blur filter along time, from 0 to 1. <b>Small</b> values keep one stable layout through "
            "the whole clip (calm, consistent scenes). <b>Large</b> values let the layout change from frame to "
            "frame (faster changes, more risk of flicker).<br>Reference: 0.25 (0.5 with a camera move).");
}

ParameterPanel::ParameterPanel(QWidget* parent) : QWidget(parent) {
  build();
  setParams(ci2v::GenerationParams{});
}

void ParameterPanel::build() {
  auto* root = new QVBoxLayout(this);
  root->setContentsMargins(6, 6, 6, 6);

  // --- FrameInit
  auto* fi = new QGroupBox(tr("Motion && consistency (FrameInit)"));
  auto* fiForm = new QFormLayout(fi);
  frameinit_ = new QCheckBox(tr("Seed the motion with the first frame's layout"));
  frameinit_->setObjectName(QStringLiteral("frameinit"));
  frameinit_->setToolTip(tr("FrameInit: start from a blurred, noised copy of your picture instead of pure noise. "
                            "Keeps the clip consistent with the first frame. Leave it on unless you want wild motion."));
  fiForm->addRow(frameinit_);
  tau_ = intSpin("noise_level", 1, 999, 10);
  tau_->setToolTip(tauHelp());
  tauSlider_ = new QSlider(Qt::Horizontal);
  tauSlider_->setObjectName(QStringLiteral("noise_level_slider"));
  tauSlider_->setRange(1, 999);
  tauSlider_->setPageStep(50);
  tauSlider_->setToolTip(tauHelp());
  auto* tauRow = new QHBoxLayout;
  tauRow->addWidget(tauSlider_, 1);
  tauRow->addWidget(tau_);
  fiForm->addRow(label(tr("Noise level τ"), tau_), tauRow);
  // (0: the reference's zero filter, no low band; a project or --params file may hold it)
  cutoffSpatial_ = doubleSpin("cutoff_spatial", 0.0, 1.0, 0.05, 2);
  cutoffSpatial_->setToolTip(cutoffSpatialHelp());
  fiForm->addRow(label(tr("D0 spatial"), cutoffSpatial_), cutoffSpatial_);
  cutoffTemporal_ = doubleSpin("cutoff_temporal", 0.0, 1.0, 0.05, 2);
  cutoffTemporal_->setToolTip(cutoffTemporalHelp());
  fiForm->addRow(label(tr("D0 temporal"), cutoffTemporal_), cutoffTemporal_);
  filter_ = combo("filter", {{tr("Gaussian (soft)"), QStringLiteral("gaussian")},
                             {tr("Butterworth"), QStringLiteral("butterworth")},
                             {tr("Ideal (sharp cut)"), QStringLiteral("ideal")},
                             {tr("Box"), QStringLiteral("box")}});
  filter_->setToolTip(tr("The shape of the FrameInit blur. Gaussian is soft and the reference; Ideal and Box cut "
                         "hard (can ring); Butterworth is in between (see its order)."));
  fiForm->addRow(label(tr("Filter"), filter_), filter_);
  butterworthOrder_ = intSpin("butterworth_order", 1, 16);
  butterworthOrder_->setToolTip(tr("Butterworth filter order: higher = a sharper cut between kept and new detail."));
  fiForm->addRow(label(tr("Butterworth order"), butterworthOrder_), butterworthOrder_);
  root->addWidget(fi);

  // --- Guidance
  auto* gd = new QGroupBox(tr("Guidance"));
  auto* gdForm = new QFormLayout(gd);
  cfgText_ = doubleSpin("cfg_text", 0.0, 50.0, 0.5, 1);
  cfgText_->setToolTip(tr("How strongly the clip follows the prompt. Higher = closer to the words, but colours can "
                          "burn and motion stiffen. Reference: 7.5."));
  gdForm->addRow(label(tr("Prompt strength (text CFG)"), cfgText_), cfgText_);
  cfgImage_ = doubleSpin("cfg_image", 0.0, 50.0, 0.1, 2);
  cfgImage_->setToolTip(tr("How strongly the clip follows the first frame. 1 = off (the reference); above 1 adds a "
                           "third guidance pass (slower) that pulls every frame toward your picture."));
  gdForm->addRow(label(tr("Picture strength (image CFG)"), cfgImage_), cfgImage_);
  rescale_ = doubleSpin("guidance_rescale", 0.0, 1.0, 0.05, 2);
  rescale_->setToolTip(tr("Tames over-saturated colours at high prompt strength (0 = off, 0.7 is common). "
                          "Cannot be combined with picture strength above 1."));
  gdForm->addRow(label(tr("Guidance rescale"), rescale_), rescale_);
  root->addWidget(gd);

  // --- Sampling
  auto* sm = new QGroupBox(tr("Sampling"));
  auto* smForm = new QFormLayout(sm);
  steps_ = intSpin("steps", 1, 1000);
  steps_->setToolTip(tr("Denoising steps. More = finer detail and slower. Reference: 50; 20–25 for quick drafts."));
  smForm->addRow(label(tr("Steps"), steps_), steps_);
  sampler_ = combo("sampler", {{tr("DDIM (reference)"), QStringLiteral("ddim")},
                               {tr("DPM-Solver++ 2M (fewer steps)"), QStringLiteral("dpmpp_2m")}});
  sampler_->setToolTip(tr("The denoising method. DDIM is the reference; DPM-Solver++ reaches similar quality in fewer "
                          "steps."));
  smForm->addRow(label(tr("Sampler"), sampler_), sampler_);
  eta_ = doubleSpin("eta", 0.0, 1.0, 0.1, 2);
  eta_->setToolTip(tr("DDIM randomness per step: 0 = deterministic (the reference)."));
  smForm->addRow(label(tr("DDIM eta"), eta_), eta_);
  randomSeed_ = new QCheckBox(tr("Random"));
  randomSeed_->setObjectName(QStringLiteral("random_seed"));
  randomSeed_->setToolTip(tr("A new random seed for every run (the seed used is shown with each result)."));
  seed_ = new QLineEdit;
  seed_->setObjectName(QStringLiteral("seed"));
  seed_->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("\\d{1,15}")), seed_));
  seed_->setToolTip(tr("The same seed with the same settings gives the same clip."));
  dice_ = new QToolButton;
  dice_->setObjectName(QStringLiteral("dice"));
  dice_->setIcon(QIcon(QStringLiteral(":/icons/dice.svg")));
  dice_->setText(tr("Roll"));
  dice_->setToolTip(tr("Roll a new fixed seed"));
  auto* seedRow = new QHBoxLayout;
  seedRow->addWidget(randomSeed_);
  seedRow->addWidget(seed_, 1);
  seedRow->addWidget(dice_);
  smForm->addRow(label(tr("Seed"), seed_), seedRow);
  root->addWidget(sm);

  // --- Video
  auto* vd = new QGroupBox(tr("Video"));
  auto* vdForm = new QFormLayout(vd);
  frames_ = intSpin("frames", 2, 128);
  frames_->setToolTip(tr("Frames per chunk, your first frame included. Reference: 16."));
  vdForm->addRow(label(tr("Frames"), frames_), frames_);
  frameStride_ = intSpin("frame_stride", 1, 30);
  frameStride_->setToolTip(tr("Time between generated frames, in frames of the training videos. Larger = more motion "
                              "per frame (faster action); smaller = slow motion. Reference: 3."));
  vdForm->addRow(label(tr("Frame stride"), frameStride_), frameStride_);
  sizePreset_ = new QComboBox;
  sizePreset_->setObjectName(QStringLiteral("size_preset"));
  sizePreset_->addItem(tr("256 × 256 (reference)"), QSize(256, 256));
  sizePreset_->addItem(tr("512 × 512"), QSize(512, 512));
  sizePreset_->addItem(tr("384 × 256 (wide)"), QSize(384, 256));
  sizePreset_->addItem(tr("64 × 64 (demo model)"), QSize(64, 64));
  sizePreset_->addItem(tr("Custom"), QSize());
  sizePreset_->setToolTip(tr("The size the model works at; the canvas shows which part of your picture it sees."));
  vdForm->addRow(label(tr("Size"), sizePreset_), sizePreset_);
  width_ = intSpin("width", 8, 2048, 8);
  width_->setSuffix(tr(" px"));
  width_->setToolTip(tr("Width in pixels, a multiple of 8. Bigger needs much more memory and time."));
  height_ = intSpin("height", 8, 2048, 8);
  height_->setSuffix(tr(" px"));
  height_->setToolTip(tr("Height in pixels, a multiple of 8. Bigger needs much more memory and time."));
  auto* sizeRow = new QHBoxLayout;
  sizeRow->addWidget(width_);
  sizeRow->addWidget(new QLabel(QStringLiteral("×")));
  sizeRow->addWidget(height_);
  vdForm->addRow(QString(), sizeRow);
  fit_ = combo("center_crop", {{tr("Crop the centre"), QStringLiteral("crop")}, {tr("Fit inside (pad)"), QStringLiteral("pad")}});
  fit_->setToolTip(tr("How your picture is fitted to the size: crop the centre (the reference) or fit it whole with "
                      "grey bars."));
  vdForm->addRow(label(tr("Fit"), fit_), fit_);
  chunks_ = intSpin("chunks", 1, 32);
  chunks_->setToolTip(tr("Longer clips: each extra chunk continues from the last frame of the previous one."));
  vdForm->addRow(label(tr("Chunks"), chunks_), chunks_);
  camera_ = combo("camera_preset", {{tr("Still (no camera move)"), QString()},
                                    {tr("Pan left"), QStringLiteral("pan_left")},
                                    {tr("Pan right"), QStringLiteral("pan_right")},
                                    {tr("Zoom in"), QStringLiteral("zoom_in")},
                                    {tr("Zoom out"), QStringLiteral("zoom_out")},
                                    {tr("Tilt up"), QStringLiteral("tilt_up")},
                                    {tr("Tilt down"), QStringLiteral("tilt_down")},
                                    {tr("Custom path (camera editor)"), QStringLiteral("custom")}});
  camera_->setToolTip(tr("A camera move built from your picture (FrameInit follows it). Choosing one switches τ and D0 "
                         "to the paper's camera values when they are still at their defaults."));
  vdForm->addRow(label(tr("Camera"), camera_), camera_);
  root->addWidget(vd);

  // --- Hardware
  auto* hw = new QGroupBox(tr("Hardware"));
  auto* hwForm = new QFormLayout(hw);
  device_ = combo("device", {{tr("Automatic (GPU when present)"), QStringLiteral("auto")},
                             {tr("CPU"), QStringLiteral("cpu")},
                             {tr("GPU (CUDA)"), QStringLiteral("cuda")}});
  device_->setToolTip(tr("Where the model runs."));
  hwForm->addRow(label(tr("Device"), device_), device_);
  dtype_ = combo("dtype", {{tr("fp32 (exact)"), QStringLiteral("fp32")},
                           {tr("fp16 (half the memory, GPU)"), QStringLiteral("fp16")},
                           {tr("bf16 (half the memory)"), QStringLiteral("bf16")}});
  dtype_->setToolTip(tr("Number precision. fp16/bf16 halve the memory on a GPU (use them when the GPU runs out of "
                        "memory)."));
  hwForm->addRow(label(tr("Precision"), dtype_), dtype_);
  root->addWidget(hw);

  reset_ = new QPushButton(tr("Reset to the reference settings"));
  reset_->setObjectName(QStringLiteral("reset_params"));
  reset_->setToolTip(tr("Every setting back to the reference defaults (prompts and seed are kept)."));
  root->addWidget(reset_);
  root->addStretch(1);

  // --- wiring: every edit -> one paramsEdited with the whole parameter set
  auto edited = [this] { emitEdited(); };
  for (QSpinBox* s : {tau_, butterworthOrder_, steps_, frames_, frameStride_, chunks_})
    connect(s, &QSpinBox::valueChanged, this, edited);
  for (QDoubleSpinBox* s : {cutoffSpatial_, cutoffTemporal_, cfgText_, cfgImage_, rescale_, eta_})
    connect(s, &QDoubleSpinBox::valueChanged, this, edited);
  for (QComboBox* c : {filter_, sampler_, fit_, device_, dtype_})
    connect(c, &QComboBox::currentIndexChanged, this, edited);
  connect(frameinit_, &QCheckBox::toggled, this, edited);
  connect(randomSeed_, &QCheckBox::toggled, this, [this](bool random) {
    if (updating_) return;
    if (!random && seed_->text().isEmpty()) seed_->setText(QString::number(QRandomGenerator::global()->bounded(100000000)));
    emitEdited();
  });
  connect(seed_, &QLineEdit::editingFinished, this, edited);
  connect(dice_, &QToolButton::clicked, this, &ParameterPanel::rollDice);
  connect(tauSlider_, &QSlider::valueChanged, this, [this](int v) {
    if (!updating_) tau_->setValue(v);  // -> tau_ valueChanged -> edited
  });
  for (QSpinBox* s : {width_, height_}) {
    connect(s, &QSpinBox::valueChanged, this, [this, s](int v) {
      if (updating_) return;
      if (v % 8 != 0) {
        s->setValue(roundTo8(v));  // re-enters with a multiple of 8
        return;
      }
      emitEdited();
    });
  }
  connect(sizePreset_, &QComboBox::activated, this, [this](int i) {
    const QSize sz = sizePreset_->itemData(i).toSize();
    if (!sz.isValid()) return;
    {
      QSignalBlocker b1(width_), b2(height_);
      width_->setValue(sz.width());
      height_->setValue(sz.height());
    }
    emitEdited();
  });
  connect(camera_, &QComboBox::currentIndexChanged, this, [this] {
    if (updating_) return;
    // FrameInit's camera settings (the paper's τ 750, D0 0.5, or the model's own) when the user has not tuned them.
    auto p = params();
    if (p.switch_frameinit_defaults(shown_.camera_enabled(), frameInitDefaults_)) {
      QSignalBlocker b1(tau_), b2(cutoffSpatial_), b3(cutoffTemporal_);
      tau_->setValue(p.noise_level);
      cutoffSpatial_->setValue(p.cutoff_spatial);
      cutoffTemporal_->setValue(p.cutoff_temporal);
    }
    emitEdited();
  });
  connect(reset_, &QPushButton::clicked, this, [this] {
    ci2v::GenerationParams d;
    d.prompt = shown_.prompt;
    d.negative_prompt = shown_.negative_prompt;
    d.seed = shown_.seed;
    d.device = shown_.device;  // hardware choices are the machine's, not the recipe's
    d.dtype = shown_.dtype;
    setParams(d);
    Q_EMIT paramsEdited(d);
  });
}

void ParameterPanel::setParams(const ci2v::GenerationParams& p) {
  shown_ = p;
  updating_ = true;  // every handler returns early: showing values is not an edit

  frameinit_->setChecked(p.frameinit);
  tau_->setValue(p.noise_level);
  tauSlider_->setValue(p.noise_level);
  cutoffSpatial_->setValue(p.cutoff_spatial);
  cutoffTemporal_->setValue(p.cutoff_temporal);
  selectData(filter_, QString::fromLatin1(ci2v::to_string(p.filter)));
  butterworthOrder_->setValue(p.butterworth_order);
  cfgText_->setValue(p.cfg_text);
  cfgImage_->setValue(p.cfg_image);
  rescale_->setValue(p.guidance_rescale);
  steps_->setValue(p.steps);
  selectData(sampler_, QString::fromLatin1(ci2v::to_string(p.sampler)));
  eta_->setValue(p.eta);
  randomSeed_->setChecked(p.seed < 0);
  if (p.seed >= 0) seed_->setText(QString::number(p.seed));
  frames_->setValue(p.frames);
  frameStride_->setValue(p.frame_stride);
  width_->setValue(p.width);
  height_->setValue(p.height);
  int preset = sizePreset_->count() - 1;
  for (int i = 0; i < sizePreset_->count(); ++i)
    if (sizePreset_->itemData(i).toSize() == QSize(p.width, p.height)) preset = i;
  sizePreset_->setCurrentIndex(preset);
  selectData(fit_, p.center_crop ? QStringLiteral("crop") : QStringLiteral("pad"));
  chunks_->setValue(p.chunks);
  selectData(camera_, p.camera_path.is_null() ? QString::fromStdString(p.camera_preset) : QStringLiteral("custom"));
  selectData(device_, QString::fromStdString(p.device));
  selectData(dtype_, QString::fromStdString(p.dtype));
  updating_ = false;
  updateEnabled();
}

ci2v::GenerationParams ParameterPanel::params() const {
  ci2v::GenerationParams p = shown_;
  // A value finer than its box shows (D0 0.001, guidance 7.25) or outside its range stays as it was while the box
  // still shows it: an edit of another field must not round it.
  const auto kept = [](const QDoubleSpinBox* box, double was) {
    const double scale = std::pow(10.0, box->decimals());
    const double shown = std::clamp(std::round(was * scale) / scale, box->minimum(), box->maximum());
    return std::abs(box->value() - shown) < 0.5 / scale ? was : box->value();
  };
  p.frameinit = frameinit_->isChecked();
  p.noise_level = tau_->value();
  p.cutoff_spatial = kept(cutoffSpatial_, shown_.cutoff_spatial);
  p.cutoff_temporal = kept(cutoffTemporal_, shown_.cutoff_temporal);
  p.filter = ci2v::GenerationParams::from_json({{"filter", comboData(filter_).toStdString()}}).filter;
  p.butterworth_order = butterworthOrder_->value();
  p.cfg_text = kept(cfgText_, shown_.cfg_text);
  p.cfg_image = kept(cfgImage_, shown_.cfg_image);
  p.guidance_rescale = kept(rescale_, shown_.guidance_rescale);
  p.steps = steps_->value();
  p.sampler = ci2v::GenerationParams::from_json({{"sampler", comboData(sampler_).toStdString()}}).sampler;
  p.eta = kept(eta_, shown_.eta);
  if (randomSeed_->isChecked()) {
    p.seed = -1;
  } else {
    bool ok = false;
    const qlonglong s = seed_->text().toLongLong(&ok);
    p.seed = ok ? s : 0;
  }
  p.frames = frames_->value();
  p.frame_stride = frameStride_->value();
  p.width = width_->value();
  p.height = height_->value();
  p.center_crop = comboData(fit_) == QStringLiteral("crop");
  p.chunks = chunks_->value();
  const QString cam = comboData(camera_);
  if (cam == QStringLiteral("custom")) {
    // the path comes from the camera editor; choosing this entry without one keeps the still camera
  } else if (cam.toStdString() != p.camera_preset || !p.camera_path.is_null()) {
    p.camera_preset = cam.toStdString();
    p.camera_path = nullptr;  // a preset (or the still camera) replaces a custom path
  }
  p.device = comboData(device_).toStdString();
  p.dtype = comboData(dtype_).toStdString();
  return p;
}

void ParameterPanel::emitEdited() {
  if (updating_) return;
  const ci2v::GenerationParams p = params();
  shown_ = p;
  {
    QSignalBlocker b(tauSlider_);
    tauSlider_->setValue(p.noise_level);
  }
  int preset = sizePreset_->count() - 1;
  for (int i = 0; i < sizePreset_->count(); ++i)
    if (sizePreset_->itemData(i).toSize() == QSize(p.width, p.height)) preset = i;
  {
    QSignalBlocker b(sizePreset_);
    sizePreset_->setCurrentIndex(preset);
  }
  updateEnabled();
  Q_EMIT paramsEdited(p);
}

void ParameterPanel::flashFrameInit(int milliseconds) {
  const QString style = QStringLiteral("background-color: rgba(255, 214, 10, 110);");
  for (QWidget* w : {static_cast<QWidget*>(tau_), static_cast<QWidget*>(cutoffSpatial_),
                     static_cast<QWidget*>(cutoffTemporal_)})
    w->setStyleSheet(style);
  flashing_ = true;
  QTimer::singleShot(milliseconds, this, [this] {
    for (QWidget* w : {static_cast<QWidget*>(tau_), static_cast<QWidget*>(cutoffSpatial_),
                       static_cast<QWidget*>(cutoffTemporal_)})
      w->setStyleSheet(QString());
    flashing_ = false;
  });
}

void ParameterPanel::updateEnabled() {
  const bool fi = frameinit_->isChecked();
  for (QWidget* w : {static_cast<QWidget*>(tau_), static_cast<QWidget*>(tauSlider_),
                     static_cast<QWidget*>(cutoffSpatial_), static_cast<QWidget*>(cutoffTemporal_),
                     static_cast<QWidget*>(filter_)})
    w->setEnabled(fi);
  butterworthOrder_->setEnabled(fi && comboData(filter_) == QStringLiteral("butterworth"));
  eta_->setEnabled(comboData(sampler_) == QStringLiteral("ddim"));
  seed_->setEnabled(!randomSeed_->isChecked());
  // Zooms need a square video (the reference's); "Custom path" is what the camera editor made, not a choice.
  if (auto* model = qobject_cast<QStandardItemModel*>(camera_->model())) {
    const bool square = width_->value() == height_->value();
    for (const char* zoom : {"zoom_in", "zoom_out"})
      if (QStandardItem* item = model->item(camera_->findData(QString::fromLatin1(zoom)))) {
        item->setEnabled(square);
        item->setToolTip(square ? QString() : tr("The zoom presets need a square video (width = height)."));
      }
    if (QStandardItem* item = model->item(camera_->findData(QStringLiteral("custom")))) {
      const bool custom = !shown_.camera_path.is_null();
      item->setEnabled(custom);
      item->setToolTip(custom ? QString()
                              : tr("Draw a crop on the first frame, or edit a preset there, to make a path of your own."));
    }
  }
}

void ParameterPanel::rollDice() {
  {
    QSignalBlocker b1(randomSeed_), b2(seed_);
    randomSeed_->setChecked(false);
    seed_->setText(QString::number(QRandomGenerator::global()->bounded(100000000)));
  }
  emitEdited();
}

void ParameterPanel::commitPendingEdits() {
  // interpretText() emits valueChanged (-> paramsEdited) when the typed text differs from the value
  for (QAbstractSpinBox* s : findChildren<QAbstractSpinBox*>()) s->interpretText();
  if (seed_->isModified()) {
    seed_->setModified(false);
    emitEdited();
  }
}

}  // namespace studio
