#include "app/settings.h"

#include <algorithm>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include "app/document.h"
#include "engine/io/json_text.h"

namespace studio {
namespace {
const QString kModel = QStringLiteral("model/folder");
const QString kDevice = QStringLiteral("engine/device");
const QString kDtype = QStringLiteral("engine/dtype");
const QString kParams = QStringLiteral("generation/last_params");
const QString kPrompts = QStringLiteral("history/prompts");
const QString kNegatives = QStringLiteral("history/negative_prompts");
const QString kOutput = QStringLiteral("export/folder");
const QString kExportFormat = QStringLiteral("export/format");
const QString kExportFps = QStringLiteral("export/fps");
const QString kExportQuality = QStringLiteral("export/quality");
const QString kExportLoops = QStringLiteral("export/loops");
const QString kExportPingpong = QStringLiteral("export/pingpong");
const QString kGeometry = QStringLiteral("window/geometry");
const QString kState = QStringLiteral("window/state");
}  // namespace

StudioSettings::StudioSettings() : settings_(std::make_unique<QSettings>()) {}
StudioSettings::StudioSettings(const QString& iniFile)
    : settings_(std::make_unique<QSettings>(iniFile, QSettings::IniFormat)), iniFile_(true) {}

QString StudioSettings::dataFolder() const {
  const QString dir = iniFile_ ? QFileInfo(settings_->fileName()).absolutePath() + QStringLiteral("/studio-data")
                               : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
  QDir().mkpath(dir);
  return dir;
}

QString StudioSettings::lastProject() const { return settings_->value(QStringLiteral("project/last")).toString(); }
void StudioSettings::setLastProject(const QString& file) { settings_->setValue(QStringLiteral("project/last"), file); }

void StudioSettings::load(Document& doc) const {
  const QSettings& s = *settings_;
  ci2v::GenerationParams p;
  const QString json = s.value(kParams).toString();
  if (!json.isEmpty()) {
    try {
      p = ci2v::GenerationParams::from_json(ci2v::io::parse_json(json.toStdString(), "settings"));
      p.validate_ranges();  // an edit left half-done (e.g. image guidance with rescaling) is kept: Generate says it
    } catch (const std::exception&) {
      p = ci2v::GenerationParams{};  // stale or hand-edited settings: back to the reference
    }
  }
  // Device and dtype are machine choices, kept on their own too.
  const QString device = s.value(kDevice).toString();
  const QString dtype = s.value(kDtype).toString();
  if (device == QLatin1String("auto") || device == QLatin1String("cpu") || device == QLatin1String("cuda"))
    p.device = device.toStdString();
  if (dtype == QLatin1String("fp32") || dtype == QLatin1String("fp16") || dtype == QLatin1String("bf16"))
    p.dtype = dtype.toStdString();
  doc.setParams(p);
  doc.setHistories(s.value(kPrompts).toStringList(), s.value(kNegatives).toStringList());
  doc.setModelPath(s.value(kModel).toString());
}

void StudioSettings::save(const Document& doc) {
  QSettings& s = *settings_;
  s.setValue(kModel, doc.modelPath());
  s.setValue(kDevice, QString::fromStdString(doc.params().device));
  s.setValue(kDtype, QString::fromStdString(doc.params().dtype));
  s.setValue(kParams, QString::fromStdString(doc.params().to_json().dump()));
  s.setValue(kPrompts, doc.promptHistory());
  s.setValue(kNegatives, doc.negativeHistory());
}

QString StudioSettings::outputFolder() const {
  QString d = settings_->value(kOutput).toString();
  if (d.isEmpty()) d = QStandardPaths::writableLocation(QStandardPaths::MoviesLocation);
  if (d.isEmpty()) d = QDir::homePath();
  return d;
}

void StudioSettings::setOutputFolder(const QString& dir) { settings_->setValue(kOutput, dir); }

ExportSettings StudioSettings::exportSettings() const {
  ExportSettings e;
  const int f = settings_->value(kExportFormat, static_cast<int>(e.format)).toInt();
  if (f >= 0 && f <= static_cast<int>(ExportSettings::Format::PngSequence)) e.format = static_cast<ExportSettings::Format>(f);
  e.fps = std::clamp(settings_->value(kExportFps, e.fps).toDouble(), 1.0, 60.0);
  e.quality = std::clamp(settings_->value(kExportQuality, e.quality).toInt(), 0, 100);
  e.loops = std::clamp(settings_->value(kExportLoops, e.loops).toInt(), 0, 100);
  e.pingpong = settings_->value(kExportPingpong, e.pingpong).toBool();
  return e;
}

void StudioSettings::saveExportSettings(const ExportSettings& e) {
  settings_->setValue(kExportFormat, static_cast<int>(e.format));
  settings_->setValue(kExportFps, e.fps);
  settings_->setValue(kExportQuality, e.quality);
  settings_->setValue(kExportLoops, e.loops);
  settings_->setValue(kExportPingpong, e.pingpong);
}

QByteArray StudioSettings::windowGeometry() const { return settings_->value(kGeometry).toByteArray(); }
QByteArray StudioSettings::windowState() const { return settings_->value(kState).toByteArray(); }
void StudioSettings::saveWindow(const QByteArray& g, const QByteArray& st) {
  settings_->setValue(kGeometry, g);
  settings_->setValue(kState, st);
}
void StudioSettings::sync() { settings_->sync(); }

}  // namespace studio
