// bench_project: what saving a studio project costs the window, for clips of generated-looking frames.
// usage: bench_project [--size 512] [--frames 121] [--results 2] [--dir DIR]
//
// Rows (wall ms):
//   encode, 1 thread, no cache    what every Save did before the shared PNG cache (all on the GUI thread)
//   encode, all threads, no cache a Save whose frames are not encoded yet (parallel PNG encoding)
//   result arrives -> encoded     the background encoding of a new result's frames (one pool thread)
//   Save (document)               Document::saveProjectFile after that: the GUI thread writes, encodes nothing
//   Open (document)               Document::openProjectFile of that file (checks and decodes every picture)
//   autosave, GUI thread          Autosaver's part on the GUI thread (a snapshot); the write runs on a pool thread
//   autosave, whole               until the background save reports back
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QTemporaryDir>
#include <QThread>
#include <QThreadPool>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "app/autosave.h"
#include "app/document.h"
#include "app/project.h"

using namespace studio;

namespace {

// Like a generated frame: smooth gradients, a drifting texture, a soft moving blob, a little noise.
QImage frame(int size, int t, int seed) {
  QImage img(size, size, QImage::Format_RGB888);
  unsigned state = 1234567u + 7919u * static_cast<unsigned>(seed) + 104729u * static_cast<unsigned>(t);
  const double bx = size * (0.3 + 0.4 * std::sin(0.05 * t + seed)), by = size * (0.5 + 0.2 * std::cos(0.07 * t));
  for (int y = 0; y < size; ++y) {
    uchar* line = img.scanLine(y);
    for (int x = 0; x < size; ++x) {
      state = state * 1664525u + 1013904223u;
      const double d = std::hypot(x - bx, y - by) / (0.15 * size);
      const double blob = std::exp(-d * d);
      const double tex = 12 * std::sin(0.11 * x + 0.03 * t) * std::cos(0.09 * y - 0.02 * t);
      const int n = static_cast<int>(state >> 29) - 4;
      const auto c = [&](double v) { return static_cast<uchar>(std::clamp(v + n, 0.0, 255.0)); };
      line[3 * x] = c(60 + 120.0 * x / size + tex + 90 * blob);
      line[3 * x + 1] = c(80 + 100.0 * y / size - tex + 40 * blob);
      line[3 * x + 2] = c(140 - 60.0 * x / size + tex);
    }
  }
  return img;
}

}  // namespace

int main(int argc, char** argv) {
  QGuiApplication app(argc, argv);  // offscreen is fine: QT_QPA_PLATFORM=offscreen
  int size = 512, frames = 121, results = 2;
  QString dir;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    if (k == "--size") size = std::atoi(argv[i + 1]);
    else if (k == "--frames") frames = std::atoi(argv[i + 1]);
    else if (k == "--results") results = std::atoi(argv[i + 1]);
    else if (k == "--dir") dir = QString::fromLocal8Bit(argv[i + 1]);
    else {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      return 2;
    }
  }
  if (size < 16 || frames < 1 || results < 1) {
    std::fprintf(stderr, "--size must be >= 16, --frames and --results >= 1\n");
    return 2;
  }
  QTemporaryDir tmp(dir.isEmpty() ? QDir::tempPath() + QStringLiteral("/bench_project-XXXXXX") : dir + QStringLiteral("/bench_project-XXXXXX"));
  if (!tmp.isValid()) {
    std::fprintf(stderr, "cannot create a temporary folder\n");
    return 1;
  }
  std::printf("bench_project: %d result(s) of %d frames at %d x %d, %d threads (QThread::idealThreadCount)\n", results,
              frames, size, size, QThread::idealThreadCount());

  QVector<ResultClip> clips;
  for (int r = 0; r < results; ++r) {
    ResultClip c;
    c.id = static_cast<quint64>(r + 1);
    for (int t = 0; t < frames; ++t) c.frames.push_back(frame(size, t, r));
    clips.push_back(c);
  }
  Project p;
  p.firstFrame = clips.front().frames.front().copy();
  p.results = clips;
  QString error;
  const auto row = [](const char* what, double ms, qint64 bytes = -1) {
    if (bytes >= 0) std::printf("  %-32s %9.1f ms   %.1f MB\n", what, ms, bytes / 1048576.0);
    else std::printf("  %-32s %9.1f ms\n", what, ms);
  };
  const QString file = tmp.filePath(QStringLiteral("p.ci2v"));
  QElapsedTimer t;
  for (int threads : {1, 0}) {
    t.start();
    if (!project::save(p, file, &error, nullptr, threads)) {
      std::fprintf(stderr, "%s\n", qPrintable(error));
      return 1;
    }
    row(threads == 1 ? "encode, 1 thread, no cache" : "encode, all threads, no cache", t.nsecsElapsed() / 1e6,
        QFileInfo(file).size());
  }

  Document d;
  d.setFirstFrame(p.firstFrame, QStringLiteral("bench"));
  t.start();
  for (const ResultClip& c : clips) d.addResult(c);
  QThreadPool::globalInstance()->waitForDone();
  row("result arrives -> encoded", t.nsecsElapsed() / 1e6);
  t.start();
  if (!d.saveProjectFile(file, &error)) {
    std::fprintf(stderr, "%s\n", qPrintable(error));
    return 1;
  }
  row("Save (document)", t.nsecsElapsed() / 1e6, QFileInfo(file).size());
  {
    Document opened;
    t.start();
    if (!opened.openProjectFile(file, &error)) {
      std::fprintf(stderr, "%s\n", qPrintable(error));
      return 1;
    }
    row("Open (document)", t.nsecsElapsed() / 1e6);
  }

  Autosaver a(&d, tmp.filePath(QStringLiteral("autosave")), 1);
  bool saved = false;
  QObject::connect(&a, &Autosaver::saved, [&saved] { saved = true; });
  d.setPrompt(QStringLiteral("changed"));
  QElapsedTimer whole;
  whole.start();
  qint64 guiNs = 0;
  while (!a.isSaving() && whole.elapsed() < 10000) {
    QElapsedTimer step;
    step.start();
    QCoreApplication::processEvents(QEventLoop::AllEvents, 1);
    guiNs = std::max(guiNs, step.nsecsElapsed());
  }
  row("autosave, GUI thread", guiNs / 1e6);
  while (!saved && a.lastError().isEmpty() && whole.elapsed() < 600000)
    QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
  if (!saved) {
    std::fprintf(stderr, "the autosave did not report back: %s\n", qPrintable(a.lastError()));
    return 1;
  }
  row("autosave, whole", whole.nsecsElapsed() / 1e6, QFileInfo(a.recoveryFile()).size());
  a.finish();
  return 0;
}
