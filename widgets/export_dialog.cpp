#include "widgets/export_dialog.h"

#include "app/save_name.h"

#include <algorithm>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>
#include <cmath>
#include <cstring>

namespace studio {

QString ExportSettings::extension(Format f) {
  switch (f) {
    case Format::Mp4: return QStringLiteral(".mp4");
    case Format::Gif: return QStringLiteral(".gif");
    case Format::WebP: return QStringLiteral(".webp");
    case Format::PngSequence: return QString();
  }
  return {};
}

QString ExportSettings::name(Format f) {
  switch (f) {
    case Format::Mp4: return QObject::tr("MP4 video (H.264)");
    case Format::Gif: return QObject::tr("Animated GIF");
    case Format::WebP: return QObject::tr("Animated WebP");
    case Format::PngSequence: return QObject::tr("PNG sequence (a folder)");
  }
  return {};
}

namespace {
// "/a/b/clip.mp4" -> "/a/b/clip", "/a/b/clip_frames" -> "/a/b/clip"
QString stripExtension(QString p) {
  for (const char* ext : {".mp4", ".gif", ".webp"})
    if (p.endsWith(QLatin1String(ext), Qt::CaseInsensitive)) return p.left(p.size() - static_cast<int>(strlen(ext)));
  while (p.endsWith(QLatin1Char('/'))) p.chop(1);
  if (p.endsWith(QLatin1String("_frames"))) p.chop(7);
  return p;
}
QString withFormat(const QString& base, ExportSettings::Format f) {
  return f == ExportSettings::Format::PngSequence ? base + QStringLiteral("_frames") : base + ExportSettings::extension(f);
}
}  // namespace

ExportDialog::ExportDialog(QWidget* parent) : QDialog(parent) {
  setObjectName(QStringLiteral("export_dialog"));
  setWindowTitle(tr("Export clip"));
  auto* root = new QVBoxLayout(this);
  auto* form = new QFormLayout;
  format_ = new QComboBox;
  format_->setObjectName(QStringLiteral("format"));
  for (auto f : {ExportSettings::Format::Mp4, ExportSettings::Format::Gif, ExportSettings::Format::WebP,
                 ExportSettings::Format::PngSequence})
    format_->addItem(ExportSettings::name(f), static_cast<int>(f));
  format_->setToolTip(tr("MP4 for editors and players, GIF and WebP for the web and chats, PNG frames for "
                         "compositing."));
  form->addRow(tr("Format"), format_);
  fps_ = new QDoubleSpinBox;
  fps_->setObjectName(QStringLiteral("fps"));
  fps_->setRange(1, 60);
  fps_->setDecimals(1);
  fps_->setSuffix(tr(" fps"));
  fps_->setToolTip(tr("Frames per second. The model's frames are about 8 fps apart at the reference frame stride."));
  form->addRow(tr("Frame rate"), fps_);
  connect(fps_, &QDoubleSpinBox::valueChanged, this, [this](double v) { fpsChosen_ = v; });
  quality_ = new QSlider(Qt::Horizontal);
  quality_->setObjectName(QStringLiteral("quality"));
  quality_->setRange(0, 100);
  qualityLabel_ = new QLabel;
  qualityLabel_->setMinimumWidth(90);
  auto* qRow = new QHBoxLayout;
  qRow->addWidget(quality_, 1);
  qRow->addWidget(qualityLabel_);
  form->addRow(tr("Quality"), qRow);
  loops_ = new QSpinBox;
  loops_->setObjectName(QStringLiteral("loops"));
  loops_->setRange(0, 100);
  loops_->setSpecialValueText(tr("Forever"));
  loops_->setToolTip(tr("GIF and WebP: how often the animation plays (Forever = loop). MP4 and PNG: the clip is "
                        "written that many times."));
  form->addRow(tr("Loop"), loops_);
  pingpong_ = new QCheckBox(tr("Ping-pong (forward, then backward)"));
  pingpong_->setObjectName(QStringLiteral("pingpong"));
  pingpong_->setToolTip(tr("Plays the clip forward then backward, so a loop has no jump."));
  form->addRow(QString(), pingpong_);
  path_ = new QLineEdit;
  path_->setObjectName(QStringLiteral("path"));
  browse_ = new QPushButton(tr("Browse…"));
  auto* pRow = new QHBoxLayout;
  pRow->addWidget(path_, 1);
  pRow->addWidget(browse_);
  form->addRow(tr("Save to"), pRow);
  root->addLayout(form);
  // A typed name whose extension says a format picks that format (a GIF written under a .mp4 name would be refused).
  // A name typed without it gets the chosen format's extension (a file is written under its format's name).
  connect(path_, &QLineEdit::editingFinished, this, [this] {
    const QString p = path_->text().trimmed();
    if (p.isEmpty()) return;
    for (auto f : {ExportSettings::Format::Mp4, ExportSettings::Format::Gif, ExportSettings::Format::WebP})
      if (p.endsWith(ExportSettings::extension(f), Qt::CaseInsensitive)) {
        if (settings().format != f) format_->setCurrentIndex(format_->findData(static_cast<int>(f)));  // keeps the name
        return;
      }
    if (settings().format != ExportSettings::Format::PngSequence) path_->setText(withFormat(stripExtension(p), settings().format));
  });

  progress_ = new QProgressBar;
  progress_->setObjectName(QStringLiteral("export_progress"));
  progress_->setRange(0, 1000);
  progress_->setValue(0);
  progress_->setTextVisible(true);
  progress_->setFormat(QStringLiteral("%p%"));
  root->addWidget(progress_);
  status_ = new QLabel;
  status_->setObjectName(QStringLiteral("export_status"));
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  root->addWidget(status_);

  auto* buttons = new QDialogButtonBox;
  exportButton_ = buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
  exportButton_->setObjectName(QStringLiteral("export_button"));
  exportButton_->setDefault(true);
  closeButton_ = buttons->addButton(QDialogButtonBox::Close);
  closeButton_->setObjectName(QStringLiteral("close_button"));
  root->addWidget(buttons);

  connect(format_, &QComboBox::currentIndexChanged, this, &ExportDialog::formatChanged);
  connect(quality_, &QSlider::valueChanged, this, [this] { formatChanged(); });
  connect(browse_, &QPushButton::clicked, this, &ExportDialog::browse);
  connect(exportButton_, &QPushButton::clicked, this, [this] {
    if (path_->text().trimmed().isEmpty()) {
      setFailed(tr("Choose where to save the clip."));
      return;
    }
    Q_EMIT path_->editingFinished();  // a name just typed gets its extension (or picks its format) first
    // an existing file is replaced only when the user says so (a PNG folder must be new or empty: the export
    // refuses any other)
    const QString target = settings().path;
    if (settings().format != ExportSettings::Format::PngSequence && !confirmReplace(this, target)) return;
    Q_EMIT exportRequested(settings());
  });
  connect(closeButton_, &QPushButton::clicked, this, &ExportDialog::reject);

  setSettings(ExportSettings{});
  resize(sizeHint().expandedTo(QSize(520, 0)));
}

void ExportDialog::setSettings(const ExportSettings& s) {
  format_->setCurrentIndex(format_->findData(static_cast<int>(s.format)));
  fps_->setValue(s.fps);
  quality_->setValue(s.quality);
  loops_->setValue(s.loops);
  pingpong_->setChecked(s.pingpong);
  if (!s.path.isEmpty()) {
    path_->setText(s.path);
    base_ = stripExtension(s.path);
  }
  formatChanged();
}

ExportSettings ExportDialog::settings() const {
  ExportSettings s;
  s.format = static_cast<ExportSettings::Format>(format_->currentData().toInt());
  s.fps = fps_->value();
  s.quality = quality_->value();
  s.loops = loops_->value();
  s.pingpong = pingpong_->isChecked();
  s.path = path_->text().trimmed();
  // a bare name ("clip.gif") goes into the suggested folder, not wherever the studio was started from
  if (!s.path.isEmpty() && QFileInfo(s.path).isRelative() && !base_.isEmpty())
    s.path = QDir(QFileInfo(base_).absolutePath()).filePath(s.path);
  return s;
}

void ExportDialog::setBaseName(const QString& base) {
  base_ = base;
  path_->setText(withFormat(base_, settings().format));
}

void ExportDialog::formatChanged() {
  const auto f = settings().format;
  const bool lossy = f == ExportSettings::Format::Mp4 || f == ExportSettings::Format::WebP;
  quality_->setEnabled(lossy && !running_);
  quality_->setToolTip(lossy ? tr("Higher = better picture, bigger file")
                             : tr("GIF uses a 256-colour palette and PNG is lossless: no quality setting"));
  qualityLabel_->setText(lossy ? tr("%1 %").arg(quality_->value()) : tr("lossless"));
  if (f == ExportSettings::Format::Gif) qualityLabel_->setText(tr("256 colours"));
  // a GIF plays at most 50 fps (browsers show faster frames at 10 fps); the rate the user chose comes back with
  // another format
  {
    QSignalBlocker quiet(fps_);
    fps_->setMaximum(f == ExportSettings::Format::Gif ? 50 : 60);
    fps_->setValue(fpsChosen_);
  }
  if (!path_->text().isEmpty()) {
    const QString base = stripExtension(path_->text().trimmed());
    const QString want = withFormat(base, f);
    if (want != path_->text()) path_->setText(want);
  }
}

void ExportDialog::browse() {
  const auto f = settings().format;
  QString chosen;
  if (f == ExportSettings::Format::PngSequence) {
    chosen = QFileDialog::getExistingDirectory(this, tr("Folder for the PNG frames"), QFileInfo(path_->text()).path());
    if (!chosen.isEmpty()) chosen += QStringLiteral("/consisti2v_frames");
  } else {
    const QString ext = ExportSettings::extension(f);
    // no overwrite question here: the extension may still be added, and Export asks about the final name
    chosen = QFileDialog::getSaveFileName(this, tr("Export clip"), path_->text(),
                                          ExportSettings::name(f) + QStringLiteral(" (*") + ext + QStringLiteral(")"),
                                          nullptr, QFileDialog::DontConfirmOverwrite);
    if (!chosen.isEmpty() && !chosen.endsWith(ext, Qt::CaseInsensitive)) chosen += ext;
  }
  if (!chosen.isEmpty()) path_->setText(chosen);
}

void ExportDialog::setRunning(bool running) {
  running_ = running;
  for (QWidget* w : {static_cast<QWidget*>(format_), static_cast<QWidget*>(fps_), static_cast<QWidget*>(loops_),
                     static_cast<QWidget*>(pingpong_), static_cast<QWidget*>(path_), static_cast<QWidget*>(browse_),
                     static_cast<QWidget*>(exportButton_)})
    w->setEnabled(!running);
  formatChanged();
  closeButton_->setText(running ? tr("Cancel") : tr("Close"));
  closeButton_->setToolTip(running ? tr("Stop the export (no partial file is left)") : QString());
  if (running) {
    progress_->setValue(0);
    status_->setText(tr("Exporting…"));
  }
}

void ExportDialog::setProgress(double fraction) {
  progress_->setValue(static_cast<int>(std::lround(std::clamp(fraction, 0.0, 1.0) * 1000)));
}

void ExportDialog::setFinished(const QString& message) {
  setRunning(false);
  progress_->setValue(1000);
  status_->setText(message);
}

void ExportDialog::setFailed(const QString& message) {
  setRunning(false);
  progress_->setValue(0);
  status_->setText(QStringLiteral("<span style='color:#c0392b'>%1</span>").arg(message.toHtmlEscaped()));
}

void ExportDialog::clearOutcome() {
  if (running_) return;
  progress_->setValue(0);
  status_->clear();
}

void ExportDialog::reject() {
  if (running_) {
    Q_EMIT cancelRequested();
    return;
  }
  QDialog::reject();
}

}  // namespace studio
