#include "app/autosave.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QRandomGenerator>
#include <QSet>
#include <QStandardPaths>
#include <QThreadPool>
#include <QWaitCondition>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "app/document.h"
#include "engine/io/json_text.h"

#if defined(Q_OS_WIN)
#include <windows.h>
#elif defined(Q_OS_UNIX)
#include <cerrno>
#include <signal.h>
#include <sys/types.h>
#endif

namespace studio {
namespace {

const QString kPrefix = QStringLiteral("autosave-");
const QString kMarkerSuffix = QStringLiteral(".marker");

// Sessions of this process whose Autosaver is alive (a destroyed one without finish() counts as crashed).
QMutex liveMutex;
QSet<QString>& liveSessions() {
  static QSet<QString> s;
  return s;
}
bool sessionLive(const QString& session) {
  QMutexLocker lock(&liveMutex);
  return liveSessions().contains(session);
}

// An identifier of the process's start, to tell a reused PID from the process itself ("" where unknown).
QString processStartId(qint64 pid) {
#if defined(Q_OS_LINUX)
  QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
  if (!f.open(QIODevice::ReadOnly)) return {};
  const QByteArray s = f.readAll();
  const int close = s.lastIndexOf(')');  // the command name may contain spaces and parentheses
  if (close < 0) return {};
  const QList<QByteArray> fields = s.mid(close + 2).split(' ');
  // Fields after the name start with field 3 (state); the start time is field 22.
  return fields.size() > 19 ? QString::fromLatin1(fields[19]) : QString();
#else
  Q_UNUSED(pid);
  return {};
#endif
}

bool processRunning(qint64 pid, const QString& startId) {
  if (pid <= 0) return false;
#if defined(Q_OS_LINUX)
  if (!QFileInfo::exists(QStringLiteral("/proc/%1").arg(pid))) return false;
  if (startId.isEmpty()) return true;
  const QString now = processStartId(pid);
  return now.isEmpty() || now == startId;  // another start time: the PID was reused
#elif defined(Q_OS_WIN)
  Q_UNUSED(startId);
  HANDLE h = OpenProcess(SYNCHRONIZE, FALSE, static_cast<DWORD>(pid));
  if (!h) return GetLastError() == ERROR_ACCESS_DENIED;
  const bool running = WaitForSingleObject(h, 0) == WAIT_TIMEOUT;
  CloseHandle(h);
  return running;
#elif defined(Q_OS_UNIX)
  Q_UNUSED(startId);
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
#else
  Q_UNUSED(startId);
  return true;  // cannot tell: never offer a file a running studio may still be writing
#endif
}

QString markerFor(const QString& recoveryFile) {
  const QFileInfo fi(recoveryFile);
  return fi.dir().filePath(fi.completeBaseName() + kMarkerSuffix);
}
QString recoveryFor(const QString& markerFile) {
  const QFileInfo fi(markerFile);
  return fi.dir().filePath(fi.completeBaseName() + QLatin1Char('.') + QLatin1String(project::kSuffix));
}

// The marker's JSON (null when it cannot be read).
nlohmann::json readMarker(const QString& file) {
  QFile f(file);
  if (!f.open(QIODevice::ReadOnly) || f.size() > (1 << 20)) return nullptr;
  try {
    auto j = ci2v::io::parse_json(f.readAll().toStdString(), file.toStdString());
    return j.is_object() ? j : nlohmann::json(nullptr);
  } catch (const std::exception&) {
    return nullptr;
  }
}

// Whether the session of a marker is over (crashed or killed).
bool sessionEnded(const QString& markerFile) {
  const nlohmann::json m = readMarker(markerFile);
  if (m.is_null()) return true;  // unreadable: no running studio writes such a marker (it is written atomically)
  // a field of the wrong type reads as absent (nlohmann's value() would throw, and the studio would not start)
  auto text = [&](const char* key) {
    const auto it = m.find(key);
    return it != m.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()) : QString();
  };
  const auto pid_it = m.find("pid");
  const qint64 pid = pid_it != m.end() && pid_it->is_number_integer() ? pid_it->get<qint64>() : 0;
  if (pid == QCoreApplication::applicationPid()) return !sessionLive(text("session"));
  return !processRunning(pid, text("process_start"));
}

bool sameFile(const QString& a, const QString& b) {
  if (a.isEmpty() || b.isEmpty()) return false;
  const QFileInfo fa(a), fb(b);
  const QString ca = fa.canonicalFilePath(), cb = fb.canonicalFilePath();
  if (!ca.isEmpty() && ca == cb) return true;
  return fa.absoluteFilePath() == fb.absoluteFilePath();
}

}  // namespace

struct Autosaver::Job {
  QMutex mutex;
  QWaitCondition finished;
  bool done = false;
  bool ok = false;
  QString error;
  quint64 cleanCount = 0;  // the autosaver's cleanCount_ when the snapshot was taken
};

QString Autosaver::defaultFolder() {
  return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/autosave");
}

Autosaver::Autosaver(Document* document, QObject* parent)
    : Autosaver(document, defaultFolder(), kDefaultIntervalMs, parent) {}

Autosaver::Autosaver(Document* document, const QString& folder, int intervalMs, QObject* parent)
    : QObject(parent), doc_(document), folder_(QDir(folder).absolutePath()) {
  const qint64 pid = QCoreApplication::applicationPid();
  session_ = QStringLiteral("%1-%2-%3")
                 .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss")))
                 .arg(pid)
                 .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
  const QDir dir(folder_);
  recoveryFile_ = dir.filePath(kPrefix + session_ + QLatin1Char('.') + QLatin1String(project::kSuffix));
  markerFile_ = dir.filePath(kPrefix + session_ + kMarkerSuffix);
  start(intervalMs);
}

Autosaver::~Autosaver() {
  if (job_) {  // never leave a thread writing for an autosaver that is gone
    QMutexLocker lock(&job_->mutex);
    while (!job_->done) job_->finished.wait(&job_->mutex);
  }
  QMutexLocker lock(&liveMutex);
  liveSessions().remove(session_);
}

void Autosaver::start(int intervalMs) {
  const auto changed = [this] { dirty_ = true; };
  connect(doc_, &Document::paramsChanged, this, changed);
  connect(doc_, &Document::firstFrameChanged, this, changed);
  connect(doc_, &Document::historiesChanged, this, changed);
  connect(doc_, &Document::modelPathChanged, this, changed);
  connect(doc_, &Document::resultAdded, this, changed);
  connect(doc_, &Document::resultChanged, this, changed);
  connect(doc_, &Document::resultRemoved, this, changed);
  connect(doc_, &Document::modifiedChanged, this, [this](bool modified) {
    if (modified) {
      dirty_ = true;
    } else if (active_) {
      // Saved by the user (or a project was opened): the recovery file holds nothing newer, nor does a
      // background save still running.
      ++cleanCount_;
      removeRecoveryFile();
      dirty_ = false;
    }
  });
  connect(doc_, &Document::projectPathChanged, this, [this] {
    if (active_) writeMarker(nullptr);
  });
  dirty_ = doc_->isModified();
  timer_.setInterval(std::max(1, intervalMs));
  connect(&timer_, &QTimer::timeout, this, &Autosaver::tick);
  timer_.start();  // also while inactive: every tick tries to start the session again
  activate();
}

bool Autosaver::activate() {
  if (active_) return true;
  QString error;
  if (!QDir().mkpath(folder_)) {
    error = tr("Cannot create the autosave folder %1.").arg(folder_);
  } else {
    {
      QMutexLocker lock(&liveMutex);
      liveSessions().insert(session_);
    }
    if (writeMarker(&error)) {
      active_ = true;
      lastError_.clear();
      return true;
    }
    QMutexLocker lock(&liveMutex);
    liveSessions().remove(session_);
  }
  const bool news = error != lastError_;  // said once, not at every tick
  lastError_ = error;
  if (news) Q_EMIT failed(error);
  return false;
}

bool Autosaver::writeMarker(QString* error) {
  const qint64 pid = QCoreApplication::applicationPid();
  nlohmann::json m;
  m["pid"] = pid;
  m["process_start"] = processStartId(pid).toStdString();
  m["session"] = session_.toStdString();
  m["project_path"] = doc_ ? doc_->projectPath().toStdString() : std::string();
  m["app_version"] = QCoreApplication::applicationVersion().toStdString();
  m["started"] = session_.left(15).toStdString();
  QString why;
  if (!project::writeFileAtomically(markerFile_, QByteArray::fromStdString(m.dump(2) + "\n"), &why)) {
    if (error) *error = tr("Cannot write the autosave marker %1: %2").arg(markerFile_, why);
    return false;
  }
  return true;
}

void Autosaver::tick() {
  if (!doc_ || (!active_ && !activate()) || !dirty_ || !doc_->isModified() || job_) return;
  startBackgroundSave();
}

bool Autosaver::checkTarget(QString* why) const {
  if (sameFile(recoveryFile_, doc_->projectPath())) {
    *why = tr("Autosave refuses to write %1: it is the project file itself.").arg(recoveryFile_);
    return false;
  }
  return true;
}

void Autosaver::startBackgroundSave() {
  QString why;
  if (!checkTarget(&why)) {
    lastError_ = why;
    Q_EMIT failed(why);
    return;
  }
  auto job = std::make_shared<Job>();
  job->cleanCount = cleanCount_;
  job_ = job;
  dirty_ = false;  // a change from now on calls for another save
  // The snapshot shares the document's pictures; one thread encodes what the cache lacks (the rest of the machine
  // may be generating).
  QThreadPool::globalInstance()->start(
      [job, cache = doc_->pngCache(), use = doc_->pngCache()->beginSave(), project = doc_->toProject(),
       file = recoveryFile_, hook = hook_, self = this] {
        if (hook) hook();
        QString error;
        bool ok = false;
        try {
          ok = project::save(project, file, &error, cache.get(), 1, use);
        } catch (const std::exception& e) {  // out of memory: reported like any failed save, never lost
          error = QStringLiteral("%1: %2").arg(file, QString::fromUtf8(e.what()));
        }
        QMutexLocker lock(&job->mutex);
        job->ok = ok;
        job->error = error;
        // Report on the autosaver's thread. Posted before `done`: the destructor waits for `done`, so the
        // autosaver is still there now, and Qt drops the call if it is gone when its turn comes.
        QMetaObject::invokeMethod(self, [self, job] { self->complete(job); }, Qt::QueuedConnection);
        job->done = true;
        job->finished.wakeAll();
      });
}

void Autosaver::waitForSave() {
  const std::shared_ptr<Job> job = job_;
  if (!job) return;
  {
    QMutexLocker lock(&job->mutex);
    while (!job->done) job->finished.wait(&job->mutex);
  }
  complete(job);
}

void Autosaver::complete(const std::shared_ptr<Job>& job) {
  if (job != job_) return;  // reported already (by waitForSave)
  job_.reset();
  if (!job->ok) {
    dirty_ = true;  // try again at the next tick
    lastError_ = job->error;
    Q_EMIT failed(job->error);
    return;
  }
  if (!doc_ || !doc_->isModified() || job->cleanCount != cleanCount_) {
    // Saved by the user (or another project opened) since the snapshot was taken: what was just written is
    // older than the saved file, even when there are new changes (the next tick saves those).
    removeRecoveryFile();
    return;
  }
  reportSaved();
}

void Autosaver::reportSaved() {
  if (!QFileInfo::exists(markerFile_)) writeMarker(nullptr);  // removed by someone: recovery needs it
  lastError_.clear();
  Q_EMIT saved(recoveryFile_);
}

bool Autosaver::saveNow(QString* error) {
  auto fail = [&](const QString& m) {
    lastError_ = m;
    if (error) *error = m;
    Q_EMIT failed(m);
    return false;
  };
  if (!doc_) return fail(tr("Autosave is not running."));
  if (!active_ && !activate()) {  // (activate said why)
    if (error) *error = lastError_;
    return false;
  }
  waitForSave();  // one writer of the recovery file at a time
  QString why;
  if (!checkTarget(&why)) return fail(why);
  if (!project::save(doc_->toProject(), recoveryFile_, &why, doc_->pngCache().get())) return fail(why);
  dirty_ = false;
  reportSaved();
  return true;
}

void Autosaver::removeRecoveryFile() {
  if (!doc_ || !sameFile(recoveryFile_, doc_->projectPath())) QFile::remove(recoveryFile_);
}

void Autosaver::finish() {
  timer_.stop();
  waitForSave();
  if (active_) {
    removeRecoveryFile();  // first the data, then the marker: a crash in between leaves a stale marker
    QFile::remove(markerFile_);
  }
  active_ = false;
  QMutexLocker lock(&liveMutex);
  liveSessions().remove(session_);
}

QStringList Autosaver::recoverable(const QString& folder) {
  const QDir dir(folder);
  if (!dir.exists()) return {};
  QStringList out;
  const QFileInfoList markers =
      dir.entryInfoList({kPrefix + QLatin1Char('*') + kMarkerSuffix}, QDir::Files, QDir::Time);
  QSet<QString> seen;
  for (const QFileInfo& m : markers) {
    const QString data = recoveryFor(m.absoluteFilePath());
    seen.insert(QFileInfo(data).fileName());
    if (!sessionEnded(m.absoluteFilePath())) continue;
    if (QFileInfo::exists(data)) {
      out << data;
    } else {
      QFile::remove(m.absoluteFilePath());  // ended before writing anything (or after a clean finish of the data)
    }
  }
  // Recovery files without a marker (its writing failed, or it was removed): nothing runs them any more.
  const QFileInfoList files = dir.entryInfoList(
      {kPrefix + QLatin1Char('*') + QLatin1Char('.') + QLatin1String(project::kSuffix)}, QDir::Files, QDir::Time);
  for (const QFileInfo& f : files)
    if (!seen.contains(f.fileName())) out << f.absoluteFilePath();
  std::stable_sort(out.begin(), out.end(), [](const QString& a, const QString& b) {
    return QFileInfo(a).lastModified() > QFileInfo(b).lastModified();
  });
  return out;
}

bool Autosaver::recover(const QString& file, Document& document, QString* error) {
  Project p;
  if (!project::load(file, &p, error, document.pngCache().get())) return false;
  if (!document.loadProject(p, error)) {
    if (error) *error = tr("%1 cannot be recovered: %2").arg(file, *error);
    return false;
  }
  document.setProjectPath(originalProjectPath(file));
  document.setModified(true);  // nothing of it is saved where the user expects it
  return true;
}

void Autosaver::discard(const QString& file) {
  QFile::remove(file);
  QFile::remove(markerFor(file));
}

QString Autosaver::originalProjectPath(const QString& file) {
  const nlohmann::json m = readMarker(markerFor(file));
  if (m.is_null()) return {};
  const auto it = m.find("project_path");
  return it != m.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()) : QString();
}

}  // namespace studio
