// Shared helpers of the studio's Qt tests.
#pragma once
#include <QApplication>
#include <QDir>
#include <QImage>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QMouseEvent>
#include <QUrl>
#include <QPainter>
#include <QStandardPaths>
#include <QString>
#include <QVideoFrame>
#include <QVideoSink>
#include <QVideoWidget>
#include <QtTest>

#include "app/app_setup.h"
#include "engine/pipeline.h"
#include "widgets/video_player.h"

namespace studio::testing {

inline QString tinyModel() { return QStringLiteral(CONSISTI2V_FIXTURES "/tiny_pipeline"); }
inline QString firstFramePng() { return QStringLiteral(CONSISTI2V_TEST_DATA "/first_frame.png"); }
inline QString examplePicture() { return QStringLiteral(CONSISTI2V_SOURCE_DIR "/resources/examples/first_frame.png"); }

// Mouse input as a hand gives it: one event (the button held during moves), and a left-button drag in steps.
inline void sendMouse(QWidget* w, QEvent::Type type, QPointF pos, Qt::MouseButtons buttons) {
  const Qt::MouseButton button = type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton;
  QMouseEvent e(type, pos, w->mapToGlobal(pos), button, buttons, Qt::NoModifier);
  QCoreApplication::sendEvent(w, &e);
}
inline void drag(QWidget* w, QPointF from, QPointF to, int steps = 6) {
  sendMouse(w, QEvent::MouseButtonPress, from, Qt::LeftButton);
  for (int i = 1; i <= steps; ++i)
    sendMouse(w, QEvent::MouseMove, from + (to - from) * (double(i) / steps), Qt::LeftButton);
  sendMouse(w, QEvent::MouseButtonRelease, to, Qt::NoButton);
}

// A file dropped on a widget as the desktop does it (drag enter, then drop); true when both were accepted.
inline bool dropFile(QWidget* target, const QString& file) {
  QMimeData mime;
  mime.setUrls({QUrl::fromLocalFile(file)});
  const QPoint pos = target->rect().center();
  QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(target, &enter);
  QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(target, &drop);
  return enter.isAccepted() && drop.isAccepted();
}

inline QString outDir(const QString& sub) {
  const QString d = QStringLiteral(CONSISTI2V_GUI_OUT "/") + sub;
  QDir().mkpath(d);
  return d;
}

// Settings small enough for the tiny fixture model (64 x 64, 6 frames, 3 steps: about a second on a CPU).
inline ci2v::GenerationParams tinyParams() {
  ci2v::GenerationParams p;
  p.prompt = "a red ball rolls";
  p.width = 64;
  p.height = 64;
  p.frames = 6;
  p.steps = 3;
  p.seed = 7;
  p.device = "cpu";
  return p;
}

// A window grab with the video area filled in from the player's video sink (QVideoWidget renders into a native
// surface that QWidget::grab() cannot see). `mode`: how the frame is scaled into the area (Fast shows the
// clip's own pixels, and keeps the PNG small).
inline QImage grabWithVideo(QWidget* window, VideoPlayer* player,
                            Qt::TransformationMode mode = Qt::SmoothTransformation) {
  QPixmap pm = window->grab();
  if (player && player->usesMediaPlayer()) {
    const QVideoFrame f = player->videoSink()->videoFrame();
    if (f.isValid()) {
      const QImage frame = f.toImage();
      QWidget* vw = player->videoWidget();
      const QRect r(vw->mapTo(window, QPoint(0, 0)), vw->size());
      QPainter p(&pm);
      p.fillRect(r, Qt::black);
      const QSize s = frame.size().scaled(r.size(), Qt::KeepAspectRatio);
      p.setRenderHint(QPainter::SmoothPixmapTransform, mode == Qt::SmoothTransformation);
      p.drawImage(QRect(r.center() - QPoint(s.width() / 2, s.height() / 2), s), frame);
    }
  }
  return pm.toImage();
}

}  // namespace studio::testing

// Like QTEST_MAIN, with the studio's process set-up (media backend, high-DPI policy) and test-mode paths.
#define CI2V_GUI_TEST_MAIN(TestClass)                                 \
  int main(int argc, char** argv) {                                   \
    studio::prepareEnvironment();                                     \
    if (!qEnvironmentVariableIsSet("CONSISTI2V_DEMO_MODEL"))          \
      qputenv("CONSISTI2V_DEMO_MODEL", "none");                       \
    QApplication app(argc, argv);                                     \
    studio::setApplicationInfo();                                     \
    QStandardPaths::setTestModeEnabled(true);                         \
    app.setAttribute(Qt::AA_Use96Dpi, true);                          \
    TestClass tc;                                                     \
    QTEST_SET_MAIN_SOURCE_PATH                                        \
    return QTest::qExec(&tc, argc, argv);                             \
  }
