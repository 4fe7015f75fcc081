// What the studio remembers between sessions (QSettings): model folder, device and dtype, output folder,
// the last parameters, prompt histories, export choices and the window layout.
#pragma once
#include <QByteArray>
#include <QSettings>
#include <QString>
#include <memory>

#include "widgets/export_dialog.h"

namespace studio {

class Document;

class StudioSettings {
public:
  // Uses the application's default QSettings (organisation / application names) ...
  StudioSettings();
  // ... or a given INI file (tests).
  explicit StudioSettings(const QString& iniFile);

  void load(Document& doc) const;  // model folder, last parameters (with device and dtype), histories
  void save(const Document& doc);

  QString outputFolder() const;
  void setOutputFolder(const QString& dir);
  ExportSettings exportSettings() const;
  void saveExportSettings(const ExportSettings& s);
  QByteArray windowGeometry() const;
  QByteArray windowState() const;
  void saveWindow(const QByteArray& geometry, const QByteArray& state);
  void sync();

  QSettings& raw() { return *settings_; }

private:
  std::unique_ptr<QSettings> settings_;
};

}  // namespace studio
