// Autosave and crash recovery. An Autosaver writes the document as a project (app/project.h) into a folder
// of its own (never the user's project file) every few seconds while the document has unsaved changes, one
// recovery file per session, beside a marker file naming the process. A clean shutdown (finish()) removes
// both; after a crash they stay, and recoverable() lists them at the next start. The timer's saves run on a
// background thread (a snapshot of the document is taken on the GUI thread; its pictures are shared, not
// copied, and encoded once through the document's PNG cache), so a large project never freezes the window.
//
// Files in the folder, per session <s> ("yyyyMMdd-HHmmss-<pid>-<random>"):
//   autosave-<s>.ci2v    the recovery file (a normal project file; written once there are unsaved changes,
//                        removed again when the document is saved by the user)
//   autosave-<s>.marker  JSON: pid, process start time (Linux), session, the user's project path, app version,
//                        start time. Written when the session starts.
// A session is over (its file recoverable) when its marker's process is not running (PID gone, or reused by
// another process: the start time differs) or, in this process, when its Autosaver was destroyed without
// finish().
#pragma once
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <functional>
#include <memory>

#include "app/project.h"

namespace studio {

class Document;

class Autosaver : public QObject {
  Q_OBJECT
public:
  static constexpr int kDefaultIntervalMs = 60 * 1000;
  // QStandardPaths::AppDataLocation + "/autosave".
  static QString defaultFolder();

  // Starts a session for `document` (which must outlive this object): creates the folder, writes the marker
  // and starts the timer. When the folder or the marker cannot be written, isActive() is false and lastError()
  // says why; every tick tries again (failed() says each new reason once), and the session starts when it can.
  explicit Autosaver(Document* document, QObject* parent = nullptr);
  Autosaver(Document* document, const QString& folder, int intervalMs, QObject* parent = nullptr);
  // Without finish() the files stay behind, as after a crash.
  ~Autosaver() override;

  QString folder() const { return folder_; }
  int intervalMs() const { return timer_.interval(); }
  QString recoveryFile() const { return recoveryFile_; }  // where this session writes (may not exist yet)
  QString markerFile() const { return markerFile_; }
  bool isActive() const { return active_; }
  QString lastError() const { return lastError_; }

  // Writes the recovery file now (modified or not), on this thread, after a background save still running.
  // False with a message naming the file.
  bool saveNow(QString* error = nullptr);
  // Whether a background save is running.
  bool isSaving() const { return job_ != nullptr; }
  // Waits for a background save still running and reports it (saved / failed) before returning.
  void waitForSave();
  // Clean shutdown: stops the timer, waits for a background save and removes this session's recovery file and
  // marker.
  void finish();
  // For tests: called on the background thread before each background save is written (to hold one there).
  void setBackgroundHook(std::function<void()> hook) { hook_ = std::move(hook); }

  // Recovery files in `folder` whose session did not end cleanly, newest first. Markers of ended sessions
  // that never wrote a recovery file are removed on the way.
  static QStringList recoverable(const QString& folder = defaultFolder());
  // Loads a recovery file into `document` (which then counts as modified and gets the project path the
  // crashed session had). The file stays until discard(). False with a message naming the file; the
  // document is unchanged then.
  static bool recover(const QString& file, Document& document, QString* error);
  // Removes a recovery file and its marker.
  static void discard(const QString& file);
  // The user's project file recorded for a recovery file's session ("" when none / unknown), and its time.
  static QString originalProjectPath(const QString& file);

Q_SIGNALS:
  void saved(const QString& file);
  void failed(const QString& message);

private:
  QPointer<Document> doc_;  // the document may go first
  QString folder_, session_, recoveryFile_, markerFile_, lastError_;
  QTimer timer_;
  bool active_ = false;
  bool dirty_ = false;  // changes since the last autosave began
  quint64 cleanCount_ = 0;  // how often the document became unmodified (saved by the user, a project opened)
  struct Job;
  std::shared_ptr<Job> job_;  // the background save running (null: none)
  std::function<void()> hook_;

  void start(int intervalMs);
  bool activate();  // the folder and the marker; true when the session is (now) active
  void tick();
  void startBackgroundSave();
  void complete(const std::shared_ptr<Job>& job);  // on this thread, once per job
  void reportSaved();  // the recovery file was written: the marker is there, saved() emitted
  bool checkTarget(QString* why) const;
  bool writeMarker(QString* error);
  void removeRecoveryFile();  // never the user's project file
};

}  // namespace studio
