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

  // Where the studio keeps its own files: the untitled session (restored at the next start) and the autosave
  // folder. Beside the INI file for a given INI (tests), else the application data folder.
  QString dataFolder() const;
  QString sessionFile() const { return dataFolder() + QStringLiteral("/session.ci2v"); }
  QString autosaveFolder() const { return dataFolder() + QStringLiteral("/autosave"); }
  // The project open at the last exit ("" = the untitled session).
  QString lastProject() const;
  void setLastProject(const QString& file);

  QSettings& raw() { return *settings_; }

private:
  std::unique_ptr<QSettings> settings_;
  bool iniFile_ = false;
};

}  // namespace studio
