// The camera path editor and the FrameInit preview in the studio window, driven by mouse events: drawing,
// moving, resizing and deleting crop keyframes on the canvas; moving keyframes and adding them on the
// timeline; easing; presets and their FrameInit defaults; JSON save/load; the dry run; and the live FrameInit
// preview with the tiny model. Screenshots of the editor (three keyframes) and the preview panel.
#include <QComboBox>
#include <QFile>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QToolButton>

#include "app/camera_edit.h"
#include "app/document.h"
#include "app/engine_worker.h"
#include "app/main_window.h"
#include "app/settings.h"
#include "gui_test_util.h"
#include "widgets/camera_editor.h"
#include "widgets/camera_timeline.h"
#include "widgets/easing_editor.h"
#include "widgets/first_frame_canvas.h"
#include "widgets/frameinit_panel.h"
#include "widgets/history_view.h"
#include "widgets/parameter_panel.h"

using namespace studio;
using ci2v::sampling::Easing;

namespace {

using testing::examplePicture;

using testing::drag;

ci2v::sampling::CameraPath pathOf(Document* doc) { return doc->cameraPath(); }

struct Window {
  QTemporaryDir tmp;
  std::unique_ptr<MainWindow> w;
  Window() {
    w = std::make_unique<MainWindow>(new StudioSettings(tmp.filePath(QStringLiteral("studio.ini"))));
    w->resize(1440, 900);
    w->show();
    auto p = testing::tinyParams();
    p.width = 128;
    p.height = 128;
    p.frames = 8;
    w->document()->setParams(p);
    QString error;
    if (!w->document()->loadFirstFrame(examplePicture(), &error)) qFatal("%s", qPrintable(error));
  }
  MainWindow* operator->() const { return w.get(); }
};

void saveShot(QWidget* w, const QString& name) {
  const QString file = testing::outDir(QStringLiteral("screenshots")) + QLatin1Char('/') + name;
  QVERIFY(w->grab().save(file));
  qInfo("screenshot: %s", qPrintable(file));
}

}  // namespace

class TestCamera : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void keyframesAreDrawnMovedResizedAndDeletedWithTheMouse() {
    Window win;
    Document* doc = win->document();
    FirstFrameCanvas* canvas = win->canvas();
    CameraEditor* editor = win->cameraEditor();
    QVERIFY(QTest::qWaitForWindowExposed(win.w.get()));
    QVERIFY(!doc->cameraEnabled());
    QVERIFY(!canvas->cameraOverlay().enabled);

    // The first keyframe comes from "+ Key": the model's view of the picture, at the output aspect (1:1).
    editor->findChild<QToolButton*>(QStringLiteral("camera_add"))->click();
    QVERIFY(doc->cameraEnabled());
    QCOMPARE(pathOf(doc).keyframes.size(), size_t(1));
    QVERIFY(canvas->cameraOverlay().enabled);
    auto k0 = pathOf(doc).keyframes[0];
    QCOMPARE(k0.time, 0.0);
    QCOMPARE(k0.w, k0.h);  // square output -> square crop
    // The camera mode switched FrameInit to the paper's camera settings, visibly.
    QCOMPARE(doc->params().noise_level, 750);
    QCOMPARE(doc->params().cutoff_spatial, 0.5);
    QCOMPARE(doc->params().cutoff_temporal, 0.5);
    QVERIFY(win->parameterPanel()->isFlashing());
    QCOMPARE(win->parameterPanel()->params().noise_level, 750);

    // Draw the crop of the last frame on free picture (right of the first crop, toward the upper left): a new
    // keyframe there, square, where the mouse went.
    editor->setCurrentFrame(7);
    QVERIFY(!camera::keyframeRect(k0).contains(QPointF(490, 230)));
    const QPointF a = canvas->toWidget(QPointF(490, 230)), b = canvas->toWidget(QPointF(330, 90));
    drag(canvas, a, b);
    auto path = pathOf(doc);
    QCOMPARE(path.keyframes.size(), size_t(2));
    const auto k1 = path.keyframes[1];
    QCOMPARE(k1.time, 1.0);
    QVERIFY2(std::abs(k1.w - k1.h) < 1e-6, "the drawn crop keeps the output's aspect");
    QVERIFY2(k1.cx > 330 && k1.cx < 490 && k1.cy > 70 && k1.cy < 230, qPrintable(QStringLiteral("%1, %2").arg(k1.cx).arg(k1.cy)));
    QCOMPARE(editor->selected(), 1);

    // Move it: drag from inside by 40 picture pixels right and 20 down.
    const QPointF inside = canvas->toWidget(QPointF(k1.cx, k1.cy));
    drag(canvas, inside, inside + (canvas->toWidget(QPointF(40, 20)) - canvas->toWidget(QPointF(0, 0))));
    auto moved = pathOf(doc).keyframes[1];
    QVERIFY2(std::abs(moved.cx - (k1.cx + 40)) < 2 && std::abs(moved.cy - (k1.cy + 20)) < 2,
             qPrintable(QStringLiteral("%1, %2").arg(moved.cx).arg(moved.cy)));
    QCOMPARE(moved.w, k1.w);

    // Resize it from its bottom-right handle: larger, still square, top-left corner fixed.
    const QPointF handle = canvas->handlePoint(1, 2);
    QVERIFY(!handle.isNull());
    const double left = moved.cx - moved.w / 2, top = moved.cy - moved.h / 2;
    drag(canvas, handle, handle + QPointF(30, 30));
    auto resized = pathOf(doc).keyframes[1];
    QVERIFY2(resized.w > moved.w + 10, qPrintable(QString::number(resized.w)));
    QVERIFY(std::abs(resized.w - resized.h) < 1e-6);
    QVERIFY(std::abs((resized.cx - resized.w / 2) - left) < 1e-6);
    QVERIFY(std::abs((resized.cy - resized.h / 2) - top) < 1e-6);

    // A third keyframe in the middle from the timeline (double-click on frame 4): it takes the crop the path
    // has there and splits the segment.
    CameraTimeline* tl = editor->timeline();
    const QPointF f4(tl->xOfFrame(3), tl->trackY() + 14);
    QTest::mouseDClick(tl, Qt::LeftButton, Qt::NoModifier, f4.toPoint());
    path = pathOf(doc);
    QCOMPARE(path.keyframes.size(), size_t(3));
    QCOMPARE(camera::keyframeFrame(path, 8, 1), 3);
    const QRectF expectedMid = camera::cropAtFrame(path, 8, 3);
    QVERIFY(camera::keyframeRect(path.keyframes[1]).contains(expectedMid.center()));

    // Drag that keyframe's diamond on the timeline to frame 5: it snaps to the frame.
    drag(tl, tl->keyframePoint(1), QPointF(tl->xOfFrame(5) + 3, tl->trackY()));
    path = pathOf(doc);
    QCOMPARE(camera::keyframeFrame(path, 8, 1), 5);
    QCOMPARE(path.keyframes[1].time, 5.0 / 7.0);
    // ... and never past its neighbour.
    drag(tl, tl->keyframePoint(1), QPointF(tl->xOfFrame(7) + 20, tl->trackY()));
    QCOMPARE(camera::keyframeFrame(pathOf(doc), 8, 1), 6);

    // Easing of the first segment.
    editor->setSelected(0);
    editor->easingCombo()->setCurrentIndex(editor->easingCombo()->findData(static_cast<int>(Easing::EaseInOut)));
    Q_EMIT editor->easingCombo()->activated(editor->easingCombo()->currentIndex());
    QCOMPARE(pathOf(doc).keyframes[0].easing, Easing::EaseInOut);

    // A custom curve: its handles drag in the easing editor, and the path takes them.
    editor->setSelected(1);
    editor->setEasing(1, Easing::CubicBezier);
    EasingEditor* curve = editor->easingEditor();
    QCOMPARE(curve->easing(), Easing::CubicBezier);
    const QPointF h0 = curve->toWidget(curve->handle(0).x(), curve->handle(0).y());
    drag(curve, h0, curve->toWidget(0.6, 0.9));
    const auto bez = pathOf(doc).keyframes[1];
    QCOMPARE(bez.easing, Easing::CubicBezier);
    QVERIFY2(std::abs(bez.x1 - 0.6) < 0.03 && std::abs(bez.y1 - 0.9) < 0.03,
             qPrintable(QStringLiteral("%1, %2").arg(bez.x1).arg(bez.y1)));
    QCOMPARE(ci2v::sampling::ease(bez.easing, 1.0, bez.x1, bez.y1, bez.x2, bez.y2), 1.0);

    // Screenshot: the editor with a three-keyframe path.
    editor->setSelected(1);
    editor->setCurrentFrame(4);
    QTest::qWait(50);
    saveShot(win.w.get(), QStringLiteral("camera_editor_three_keyframes.png"));

    // Delete the selected keyframe with the Delete key on the canvas.
    canvas->setFocus();
    QTest::keyClick(canvas, Qt::Key_Delete);
    QCOMPARE(pathOf(doc).keyframes.size(), size_t(2));
    // ... and on the timeline: a click there takes the keyboard from the results list, so Delete removes the
    // keyframe, not a generated clip
    ResultClip clip;
    clip.id = 900;
    clip.frames << QImage(8, 8, QImage::Format_RGB888);
    doc->addResult(clip);
    win->historyView()->setFocus();
    CameraTimeline* timeline = editor->timeline();
    QCOMPARE(timeline->focusPolicy(), Qt::ClickFocus);
    editor->setSelected(1);
    QTest::mouseClick(timeline, Qt::LeftButton, {}, QPoint(2, timeline->height() - 2));
    editor->setSelected(1);
    // (whether the click moved the focus depends on the window being active, which a test cannot count on: the
    // policy is checked above, the key goes to the timeline here)
    QTest::keyClick(timeline, Qt::Key_Delete);
    QCOMPARE(pathOf(doc).keyframes.size(), size_t(1));
    QCOMPARE(doc->resultCount(), 1);
    editor->deleteKeyframe(0);  // back to two below: add one again
    editor->setSelected(-1);
    // Deleting all keyframes returns to the still camera and FrameInit's still defaults.
    QVERIFY(!doc->cameraEnabled());
    QCOMPARE(doc->params().noise_level, 850);
    QCOMPARE(doc->params().cutoff_spatial, 0.25);
    QVERIFY(!canvas->cameraOverlay().enabled);
  }

  void aDragOnTheStillPictureStartsAPath() {
    Window win;
    Document* doc = win->document();
    FirstFrameCanvas* canvas = win->canvas();
    QVERIFY(QTest::qWaitForWindowExposed(win.w.get()));
    QVERIFY(!doc->cameraEnabled());
    QVERIFY(canvas->cameraOverlay().canStart);
    drag(canvas, canvas->toWidget(QPointF(100, 80)), canvas->toWidget(QPointF(260, 240)));
    QVERIFY(doc->cameraEnabled());
    const auto path = pathOf(doc);
    QCOMPARE(path.keyframes.size(), size_t(1));
    QCOMPARE(path.keyframes[0].time, 0.0);
    QVERIFY(std::abs(path.keyframes[0].cx - 180) < 4 && std::abs(path.keyframes[0].w - path.keyframes[0].h) < 1e-6);
    QVERIFY(canvas->cameraOverlay().enabled);
    QVERIFY(!canvas->cameraOverlay().canStart);
  }

  void tunedFrameInitValuesAreKeptWhenTheCameraModeChanges() {
    Window win;
    Document* doc = win->document();
    auto p = doc->params();
    p.noise_level = 600;
    doc->setParams(p);
    QVERIFY(doc->setCameraPreset(QStringLiteral("pan_right")));
    QCOMPARE(doc->params().noise_level, 600);
    QCOMPARE(doc->params().cutoff_spatial, 0.25);
  }

  void presetsAreEditableAfterTheyAreApplied() {
    Window win;
    Document* doc = win->document();
    QVERIFY(doc->setCameraPreset(QStringLiteral("pan_right")));
    QCOMPARE(doc->params().camera_preset, std::string("pan_right"));  // exact reference crops until edited
    QCOMPARE(doc->params().noise_level, 750);
    auto path = pathOf(doc);
    QCOMPARE(path.keyframes.size(), size_t(2));
    QVERIFY(win->canvas()->cameraOverlay().enabled);
    // The preset's crops over the picture are the reference's (pipeline_pan_right) scaled to the picture:
    // full height, output-aspect window sliding right.
    const auto crops = doc->cameraCrops();
    QCOMPARE(crops.size(), 8);
    QVERIFY(crops.first().left() <= 1);
    QVERIFY(crops.last().left() > crops.first().left());
    QVERIFY(std::abs(crops.first().height() - 384) <= 1);
    // Editing it (move the end keyframe on the canvas) turns it into a custom path, kept as JSON.
    win->cameraEditor()->setSelected(1);
    const QPointF c = win->canvas()->toWidget(path.keyframes[1].cx > 0 ? QPointF(path.keyframes[1].cx, path.keyframes[1].cy)
                                                                        : QPointF());
    drag(win->canvas(), c, c + QPointF(0, 12));
    QVERIFY(doc->params().camera_preset.empty());
    QVERIFY(!doc->params().camera_path.is_null());
    QCOMPARE(pathOf(doc).keyframes.size(), size_t(2));
    QVERIFY(pathOf(doc).keyframes[1].cy > path.keyframes[1].cy + 4);
    QCOMPARE(doc->params().noise_level, 750);  // still camera mode

    // Zoom presets need a square video: a clear message, nothing changed.
    auto p = doc->params();
    p.width = 192;
    doc->setParams(p);
    QString error;
    QVERIFY(!doc->setCameraPreset(QStringLiteral("zoom_in"), &error));
    QVERIFY2(error.contains(QLatin1String("square")), qPrintable(error));
    QVERIFY(!doc->params().camera_path.is_null());
  }

  void pathsRoundTripThroughJson() {
    Window win;
    Document* doc = win->document();
    ci2v::sampling::CameraPath path;
    path.keyframes.push_back({0.0, 200, 190, 180, 180, Easing::CubicBezier, 0.1, 0.7, 0.3, 1.2});
    path.keyframes.push_back({0.5, 260, 190, 150, 150, Easing::Hold});
    path.keyframes.push_back({1.0, 300, 200, 120, 120, Easing::Linear});
    QVERIFY(doc->setCameraPath(path));
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("path.json"));
    QString error;
    QVERIFY2(doc->saveCameraPath(file, &error), qPrintable(error));
    // The CLI reads the same file: it is the engine's camera-path format.
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const auto parsed = ci2v::sampling::CameraPath::from_json(nlohmann::json::parse(f.readAll().toStdString()));
    QCOMPARE(parsed.to_json(), path.to_json());

    doc->clearCamera();
    QVERIFY(!doc->cameraEnabled());
    QVERIFY2(doc->loadCameraPath(file, &error), qPrintable(error));
    QCOMPARE(doc->cameraPath().to_json(), path.to_json());

    // A broken file: the message names the file and the field; the current path is kept.
    const QString bad = tmp.filePath(QStringLiteral("bad.json"));
    QFile b(bad);
    QVERIFY(b.open(QIODevice::WriteOnly));
    b.write(R"({"version": 1, "keyframes": [{"time": 0, "cx": 1, "cy": 1, "w": -4, "h": 3}]})");
    b.close();
    QVERIFY(!doc->loadCameraPath(bad, &error));
    QVERIFY2(error.contains(QLatin1String("bad.json")) && error.contains(QLatin1String("keyframes[0]")), qPrintable(error));
    QCOMPARE(doc->cameraPath().to_json(), path.to_json());
    QVERIFY(!doc->saveCameraPath(tmp.filePath(QStringLiteral("no/such/dir/p.json")), &error));
    QVERIFY2(error.contains(QLatin1String("p.json")), qPrintable(error));
  }

  void dryRunPlaysTheCameraVideoAtOnce() {
    Window win;
    Document* doc = win->document();
    QVERIFY(doc->setCameraPreset(QStringLiteral("zoom_in")));
    win->cameraEditor()->findChild<QToolButton*>(QStringLiteral("camera_dry_run"))->click();
    FrameInitPanel* panel = win->frameInitPanel();
    QCOMPARE(win->viewTabs()->currentIndex(), 1);
    QVERIFY(panel->isPlaying());
    // The frames are the engine's layout video (no model needed), one per frame at the output size.
    const auto expected = ci2v::camera_layout_frames(doc->params(), toRgbImage(doc->firstFrame()));
    QCOMPARE(panel->cameraFrames().size(), 8);
    for (int i = 0; i < 8; ++i) QVERIFY(panel->cameraFrames()[i] == toQImage(expected[static_cast<size_t>(i)]));
    QCOMPARE(panel->cameraFrames()[0].size(), QSize(128, 128));
    QVERIFY(panel->cameraFrames()[0] != panel->cameraFrames()[7]);  // it zooms
    // Playing moves the current frame, and the canvas shows that frame's crop.
    const QRectF first = win->canvas()->cameraOverlay().current;
    QTRY_VERIFY_WITH_TIMEOUT(panel->currentFrame() >= 3, 3000);
    QTRY_VERIFY(win->canvas()->cameraOverlay().current != first);
    QCOMPARE(win->cameraEditor()->currentFrame(), panel->currentFrame());
  }

  void frameInitPreviewUpdatesLiveWithTheModel() {
    Window win;
    Document* doc = win->document();
    auto p = doc->params();
    p.width = 64;
    p.height = 64;
    p.seed = 5;
    doc->setParams(p);
    win->chooseModel(testing::tinyModel());
    QTRY_VERIFY_WITH_TIMEOUT(doc->modelState() == Document::ModelState::Ready, 60000);
    QSignalSpy ready(win->engine(), &EngineController::frameInitPreviewReady);
    win->showFrameInitPreview();
    QTRY_VERIFY_WITH_TIMEOUT(!win->frameInitPanel()->bands().empty(), 60000);
    const FrameInitImages still = win->frameInitPanel()->bands();
    QCOMPARE(still.low.size(), 8);
    QVERIFY(win->frameInitPanel()->statusText().contains(QLatin1String("ms")));

    // τ changes the low band; D0 changes the mask and the mixed noise.
    p = doc->params();
    p.noise_level = 500;
    doc->setParams(p);
    QTRY_VERIFY_WITH_TIMEOUT(win->frameInitPanel()->bands().low[4] != still.low[4], 60000);
    const FrameInitImages tau = win->frameInitPanel()->bands();
    const int dc = static_cast<int>(still.mask.size()) / 2;  // the slice through the lowest temporal frequency
    QVERIFY(tau.mask[dc] == still.mask[dc]);
    p.cutoff_spatial = 0.7;
    doc->setParams(p);
    QTRY_VERIFY_WITH_TIMEOUT(win->frameInitPanel()->bands().mask[dc] != still.mask[dc], 60000);
    // A camera path changes the layout video and so the low band.
    const FrameInitImages d0 = win->frameInitPanel()->bands();
    QVERIFY(doc->setCameraPreset(QStringLiteral("pan_left")));
    QTRY_VERIFY_WITH_TIMEOUT(win->frameInitPanel()->bands().low[4] != d0.low[4], 60000);
    QCOMPARE(win->frameInitPanel()->cameraFrames().size(), 8);
    win->frameInitPanel()->setCurrentFrame(4);
    QTest::qWait(50);
    saveShot(win->viewTabs(), QStringLiteral("frameinit_preview_panel.png"));
    // While a keyframe is dragged only the camera video follows (a path change costs a VAE encoding); the
    // bands follow on release.
    QTest::qWait(200);
    int before = ready.count();
    const auto path = doc->cameraPath();
    QRectF r = camera::keyframeRect(path.keyframes[1]);
    win->cameraEditor()->editKeyframeRect(1, r.translated(0, -10), true);
    QTest::qWait(300);
    QCOMPARE(ready.count(), before);
    QVERIFY(win->frameInitPanel()->cameraFrames()[7] != win->frameInitPanel()->cameraFrames()[0]);
    win->cameraEditor()->editKeyframeRect(1, r.translated(0, -10), false);
    QTRY_VERIFY_WITH_TIMEOUT(ready.count() > before, 60000);
    // A prompt edit does not touch FrameInit: no new request.
    QTest::qWait(200);
    before = ready.count();
    doc->setPrompt(QStringLiteral("a different prompt"));
    QTest::qWait(300);
    QCOMPARE(ready.count(), before);
  }
};

CI2V_GUI_TEST_MAIN(TestCamera)
#include "tst_camera.moc"
