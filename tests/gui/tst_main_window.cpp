// The main window keeps the user's work (offscreen): it asks before a project, a dropped project or a recovery
// replaces unsaved changes; crash recovery offers the newest file and writes the recovered work to disk before
// the old file goes; a close whose untitled session cannot be written keeps the work for the next start; a
// damaged autosave marker or a project with absurd values does not stop or freeze the studio.
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFocusEvent>
#include <QKeyEvent>
#include <QTabWidget>
#include <QFile>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "app/autosave.h"
#include "app/document.h"
#include "app/export_runner.h"
#include "app/edit_history.h"
#include "widgets/camera_editor.h"
#include "widgets/export_dialog.h"
#include "widgets/frameinit_panel.h"
#include "widgets/history_view.h"
#include "widgets/parameter_panel.h"
#include "widgets/prompt_edit.h"
#include "widgets/video_player.h"
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QMediaPlayer>
#include <QSlider>
#include <QSpinBox>
#ifdef CONSISTI2V_HAVE_MEDIA
#include "engine/media/video.h"
#include "engine/media/export.h"
#endif
#include "app/engine_worker.h"
#include "app/main_window.h"
#include "app/project.h"
#include "app/save_name.h"
#include "app/settings.h"
#include "gui_test_util.h"

using namespace studio;

namespace {

// Answers the next modal message box with `button` once it is shown (polling from the event loop its exec()
// runs); its text goes to *text.
void answerNextBox(QMessageBox::StandardButton button, QString* text = nullptr) {
  auto* poll = new QTimer;
  auto tries = std::make_shared<int>(0);
  QObject::connect(poll, &QTimer::timeout, [=] {
    auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
    if (!box || !box->isVisible()) {
      if (++*tries > 500) poll->deleteLater();  // 5 s: the test's own check fails
      return;
    }
    if (text) *text = box->text();
    if (QAbstractButton* b = box->button(button)) b->click();
    poll->deleteLater();
  });
  poll->start(10);
}

QImage picture() {
  QImage im(64, 48, QImage::Format_RGB888);
  im.fill(QColor(200, 80, 40));
  return im;
}

// A recovery file and its marker as a studio that died (a PID that cannot exist) leaves them.
void forgeCrash(const QString& folder, const QString& session, const QString& prompt, const QDateTime& when,
                const QString& projectPath = QString()) {
  QDir().mkpath(folder);
  Document d;
  d.setFirstFrame(picture(), QString());
  d.setPrompt(prompt);
  QString error;
  const QString data = folder + QStringLiteral("/autosave-%1.ci2v").arg(session);
  QVERIFY2(project::save(d.toProject(), data, &error), qPrintable(error));
  nlohmann::json m = {{"pid", 2147483000}, {"process_start", ""}, {"session", session.toStdString()},
                      {"project_path", projectPath.toStdString()}};
  QFile marker(folder + QStringLiteral("/autosave-%1.marker").arg(session));
  QVERIFY(marker.open(QIODevice::WriteOnly));
  marker.write(QByteArray::fromStdString(m.dump()));
  marker.close();
  QFile f(data);
  QVERIFY(f.open(QIODevice::ReadWrite));
  QVERIFY(f.setFileTime(when, QFileDevice::FileModificationTime));
}

QStringList ci2vFiles(const QString& folder) {
  return QDir(folder).entryList({QStringLiteral("*.ci2v")}, QDir::Files, QDir::Name);
}

}  // namespace

class TestMainWindow : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void replacingTheDocumentAsksFirst() {
    QTemporaryDir tmp;
    MainWindow w(new StudioSettings(tmp.filePath(QStringLiteral("s.ini"))));
    Document* doc = w.document();
    const QString a = tmp.filePath(QStringLiteral("a.ci2v")), b = tmp.filePath(QStringLiteral("b.ci2v"));
    {
      Document other;
      other.setPrompt(QStringLiteral("project b"));
      QString error;
      QVERIFY2(other.saveProjectFile(b, &error), qPrintable(error));
    }
    doc->setPrompt(QStringLiteral("project a"));
    QString error;
    QVERIFY2(doc->saveProjectFile(a, &error), qPrintable(error));
    doc->setPrompt(QStringLiteral("an edit not saved yet"));  // only a prompt: still asked (a named project)
    QVERIFY(doc->isModified());

    QString asked;
    answerNextBox(QMessageBox::Cancel, &asked);
    QVERIFY(!w.openProjectFile(b));
    QVERIFY2(asked.contains(QLatin1String("a.ci2v")), qPrintable(asked));
    QCOMPARE(doc->params().prompt, std::string("an edit not saved yet"));
    QCOMPARE(doc->projectPath(), a);

    asked.clear();
    answerNextBox(QMessageBox::Cancel, &asked);
    w.newProject();
    QVERIFY(!asked.isEmpty());
    QCOMPARE(doc->params().prompt, std::string("an edit not saved yet"));

    answerNextBox(QMessageBox::Save);  // saves a.ci2v, then opens b
    QVERIFY(w.openProjectFile(b));
    QCOMPARE(doc->projectPath(), b);
    QCOMPARE(doc->params().prompt, std::string("project b"));
    Project saved;
    QVERIFY2(project::load(a, &saved, &error), qPrintable(error));
    QCOMPARE(saved.params.prompt, std::string("an edit not saved yet"));

    doc->setPrompt(QStringLiteral("dropped"));
    answerNextBox(QMessageBox::Discard);
    w.openDroppedFile(a);
    QCOMPARE(doc->projectPath(), a);
    QCOMPARE(doc->params().prompt, std::string("an edit not saved yet"));
    // nothing unsaved: no question (a box left unanswered would fail the next check)
    QVERIFY(!doc->isModified());
    QVERIFY(w.openProjectFile(b));
    QCOMPARE(doc->projectPath(), b);
    QVERIFY(!QApplication::activeModalWidget());
  }

  // The untitled work restored from the last session lives only in the session file, which the next close
  // replaces: opening a project over it asks first, although nothing changed since it was restored. A session
  // file that cannot be restored is moved aside and named, never overwritten or removed by the next close.
  void restoredUntitledWorkIsAskedAboutAndAnUnreadableSessionIsKept() {
    QTemporaryDir tmp;
    const QString ini = tmp.filePath(QStringLiteral("s.ini"));
    const QString b = tmp.filePath(QStringLiteral("b.ci2v"));
    {
      Document other;
      other.setPrompt(QStringLiteral("project b"));
      QString error;
      QVERIFY2(other.saveProjectFile(b, &error), qPrintable(error));
    }
    {
      MainWindow w(new StudioSettings(ini));
      w.document()->setFirstFrame(picture(), QString());
      w.document()->setPrompt(QStringLiteral("untitled work"));
      QVERIFY(w.close());
    }
    const QString session = StudioSettings(ini).sessionFile();
    QVERIFY(QFileInfo::exists(session));
    {
      MainWindow w(new StudioSettings(ini));
      Document* doc = w.document();
      QVERIFY(doc->hasFirstFrame());
      QCOMPARE(doc->params().prompt, std::string("untitled work"));
      QVERIFY(!doc->isModified());
      QString asked;
      answerNextBox(QMessageBox::Cancel, &asked);
      QVERIFY(!w.openProjectFile(b));
      QVERIFY2(asked.contains(QLatin1String("untitled")), qPrintable(asked));
      QCOMPARE(doc->params().prompt, std::string("untitled work"));
      asked.clear();
      answerNextBox(QMessageBox::Cancel, &asked);
      w.newProject();
      QVERIFY(!asked.isEmpty());
      QVERIFY(doc->hasFirstFrame());
      answerNextBox(QMessageBox::Discard);  // discarded on purpose: then it goes
      QVERIFY(w.openProjectFile(b));
      QCOMPARE(doc->params().prompt, std::string("project b"));
    }

    // a damaged session file: moved aside with its bytes, and the message names where
    QVERIFY(QFile::remove(session));
    const QByteArray garbage("CI2V not really a project");
    {
      QFile f(session);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(garbage);
    }
    QVERIFY(StudioSettings(ini).lastProject() == b);
    QVERIFY(QFile::remove(b));  // the last project is gone, so the session is tried
    MainWindow w(new StudioSettings(ini));
    QVERIFY(!QFileInfo::exists(session));
    const QStringList kept =
        QFileInfo(session).dir().entryList({QStringLiteral("session-unreadable-*.ci2v")}, QDir::Files);
    QCOMPARE(kept.size(), 1);
    const QString keptFile = QFileInfo(session).dir().filePath(kept[0]);
    {
      QFile f(keptFile);
      QVERIFY(f.open(QIODevice::ReadOnly));
      QCOMPARE(f.readAll(), garbage);
    }
    const auto boxes = w.findChildren<QMessageBox*>(QStringLiteral("message_box"));
    QCOMPARE(boxes.size(), 1);
    QVERIFY2(boxes[0]->text().contains(kept[0]), qPrintable(boxes[0]->text()));
    boxes[0]->close();
    w.document()->setFirstFrame(picture(), QString());
    QVERIFY(w.close());
    QVERIFY(QFileInfo::exists(session));  // this session's work
    QVERIFY(QFileInfo::exists(keptFile));  // and the unreadable one, untouched
  }

  // Save dialogs add the format's suffix; the question about replacing a file is asked about that final name
  // (the dialog's own question saw the name as typed: "clip" would have replaced clip.ci2v without a word).
  void aSaveAsksAboutTheFinalName() {
    QTemporaryDir tmp;
    const QString existing = tmp.filePath(QStringLiteral("clip.ci2v"));
    {
      QFile f(existing);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write("keep me");
    }
    QWidget parent;
    QString asked;
    answerNextBox(QMessageBox::Cancel, &asked);
    QCOMPARE(confirmSaveName(&parent, tmp.filePath(QStringLiteral("clip")), QStringLiteral(".ci2v")), QString());
    QVERIFY2(asked.contains(QLatin1String("clip.ci2v")), qPrintable(asked));
    answerNextBox(QMessageBox::Yes);
    QCOMPARE(confirmSaveName(&parent, tmp.filePath(QStringLiteral("clip")), QStringLiteral(".ci2v")), existing);
    // a new name, or the suffix typed in another case: no question, no second suffix
    QCOMPARE(confirmSaveName(&parent, tmp.filePath(QStringLiteral("new")), QStringLiteral(".ci2v")),
             tmp.filePath(QStringLiteral("new.ci2v")));
    QCOMPARE(confirmSaveName(&parent, tmp.filePath(QStringLiteral("NEW.CI2V")), QStringLiteral(".ci2v")),
             tmp.filePath(QStringLiteral("NEW.CI2V")));
    QCOMPARE(confirmSaveName(&parent, QString(), QStringLiteral(".ci2v")), QString());  // the dialog was cancelled
    QVERIFY(!QApplication::activeModalWidget());
    QFile f(existing);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("keep me"));
  }

  // Delete on the results list (or its button) asks before a clip goes: it cannot be undone.
  void deletingAClipAsksFirst() {
    QTemporaryDir tmp;
    MainWindow w(new StudioSettings(tmp.filePath(QStringLiteral("s.ini"))));
    ResultClip clip;
    clip.id = 5;
    clip.seed = 77;
    clip.frames << QImage(8, 8, QImage::Format_RGB888);
    w.document()->addResult(clip);
    auto* list = w.historyView();
    list->setCurrentRow(0);
    QString asked;
    answerNextBox(QMessageBox::Cancel, &asked);
    QTest::keyClick(list, Qt::Key_Delete);
    QVERIFY2(asked.contains(QLatin1String("seed 77")), qPrintable(asked));
    QCOMPARE(w.document()->resultCount(), 1);
    auto* poll = new QTimer;  // then the destructive answer
    QObject::connect(poll, &QTimer::timeout, [poll] {
      auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
      if (!box) return;
      for (QAbstractButton* b : box->buttons())
        if (box->buttonRole(b) == QMessageBox::DestructiveRole) b->click();
      poll->deleteLater();
    });
    poll->start(10);
    QTest::keyClick(list, Qt::Key_Delete);
    QCOMPARE(w.document()->resultCount(), 0);
  }

  void deletingAnEarlierClipLeavesTheWatchedOneAndItsFileGoes() {
    QTemporaryDir tmp;
    MainWindow w(new StudioSettings(tmp.filePath(QStringLiteral("s.ini"))));
    Document* doc = w.document();
    const QString ownVideo = QDir(w.engine()->previewDir()).filePath(QStringLiteral("result_1.mp4"));
    const QString userFile = tmp.filePath(QStringLiteral("mine.mp4"));
    for (const QString& f : {ownVideo, userFile}) {
      QFile file(f);
      QVERIFY(file.open(QIODevice::WriteOnly));
    }
    for (int i = 0; i < 3; ++i) {
      ResultClip clip;
      clip.id = 1 + i;
      clip.seed = 11 * (i + 1);
      for (int f = 0; f < 4; ++f) {
        QImage im(8, 8, QImage::Format_RGB888);
        im.fill(QColor(60 * f, 20 * i, 0));
        clip.frames << im;
      }
      doc->addResult(clip);
    }
    doc->setCurrentResult(2);
    w.player()->pause();
    w.player()->seekFrame(2);
    // #1 goes: #3 (now #2) is still the clip shown, paused on its frame; the list is renumbered, not rebuilt
    doc->removeResult(0);
    QCOMPARE(doc->currentResultIndex(), 1);
    QCOMPARE(w.player()->currentFrame(), 2);
    QVERIFY(!w.player()->isPlaying());
    QCOMPARE(w.historyView()->count(), 2);
    QCOMPARE(w.historyView()->item(0)->text(), QStringLiteral("#1 · seed 22"));
    QCOMPARE(w.historyView()->item(1)->text(), QStringLiteral("#2 · seed 33"));
    QCOMPARE(w.historyView()->currentRow(), 1);
    // A deleted clip's preview video goes with it when the engine made it; a file elsewhere is never touched.
    auto withVideo = [&](quint64 id, const QString& file) {
      ResultClip clip;
      clip.id = id;
      clip.frames << QImage(8, 8, QImage::Format_RGB888);
      clip.previewVideo = file;
      doc->addResult(clip);
    };
    withVideo(10, ownVideo);
    withVideo(11, userFile);
    doc->removeResult(doc->resultCount() - 1);
    doc->removeResult(doc->resultCount() - 1);
    QTRY_VERIFY(!QFile::exists(ownVideo));
    QTest::qWait(20);
    QVERIFY(QFile::exists(userFile));
  }

  void aBareExportNameGoesIntoTheSuggestedFolder() {
    ExportDialog d;
    d.setBaseName(QStringLiteral("/tmp/ci2v-videos/consisti2v_20261128_seed7"));
    auto* path = d.findChild<QLineEdit*>(QStringLiteral("path"));
    QVERIFY(path);
    path->setText(QStringLiteral("clip.gif"));
    QCOMPARE(d.settings().path, QStringLiteral("/tmp/ci2v-videos/clip.gif"));
    path->setText(QStringLiteral("/elsewhere/clip.gif"));
    QCOMPARE(d.settings().path, QStringLiteral("/elsewhere/clip.gif"));
  }

  void anotherPrecisionLoadsTheModelForIt() {
    QTemporaryDir tmp;
    MainWindow w(new StudioSettings(tmp.filePath(QStringLiteral("s.ini"))));
    Document* doc = w.document();
    auto p = testing::tinyParams();
    doc->setParams(p);
    w.chooseModel(testing::tinyModel());
    QTRY_VERIFY_WITH_TIMEOUT(doc->modelState() == Document::ModelState::Ready, 60000);
    QVERIFY2(doc->modelMessage().contains(QLatin1String("fp32")), qPrintable(doc->modelMessage()));
    p.dtype = "bf16";
    doc->setParams(p);  // as the precision menu does
    QCOMPARE(doc->modelState(), Document::ModelState::Loading);
    QTRY_VERIFY_WITH_TIMEOUT(doc->modelState() == Document::ModelState::Ready, 60000);
    QVERIFY2(doc->modelMessage().contains(QLatin1String("bf16")), qPrintable(doc->modelMessage()));
    // Changed while a generation runs (with bf16): fp32 is loaded when the queue is done.
    QString error;
    QVERIFY2(doc->loadFirstFrame(testing::examplePicture(), &error), qPrintable(error));
    p.steps = 2;
    doc->setParams(p);
    QCOMPARE(w.queueGenerations({doc->params()}), 1);
    QVERIFY(w.engine()->isBusy());
    p.dtype = "fp32";
    doc->setParams(p);
    QTRY_VERIFY_WITH_TIMEOUT(!w.engine()->isBusy(), 120000);
    QTRY_VERIFY_WITH_TIMEOUT(doc->modelState() == Document::ModelState::Ready &&
                                 doc->modelMessage().contains(QLatin1String("fp32")),
                             60000);
    QCOMPARE(doc->resultCount(), 1);
    QCOMPARE(doc->result(0).params.dtype, std::string("bf16"));  // the run kept the precision it was queued with
  }

  void playbackKeysDriveWhatIsShown() {
    QTemporaryDir tmp;
    MainWindow w(new StudioSettings(tmp.filePath(QStringLiteral("s.ini"))));
    w.resize(1200, 800);
    w.show();
    Document* doc = w.document();
    auto p = testing::tinyParams();
    p.frames = 8;
    doc->setParams(p);
    QString error;
    QVERIFY2(doc->loadFirstFrame(testing::examplePicture(), &error), qPrintable(error));
    QVERIFY(doc->setCameraPreset(QStringLiteral("pan_right")));
    ResultClip clip;
    clip.id = 1;
    for (int f = 0; f < 4; ++f) clip.frames << QImage(8, 8, QImage::Format_RGB888);
    doc->addResult(clip);
    QAction* play = w.findChild<QAction*>(QStringLiteral("action_play"));
    QAction* next = w.findChild<QAction*>(QStringLiteral("action_step_forward"));
    QVERIFY(play && next);
    // A check box or button the keyboard chose (Tab) takes its Space (the shortcut would toggle playback instead);
    // one that was just clicked does not (Space after clicking Delete or Re-run would press it again).
    auto* box = w.parameterPanel()->findChild<QCheckBox*>();
    QVERIFY(box);
    auto spaceTaken = [](QWidget* target) {
      QKeyEvent over(QEvent::ShortcutOverride, Qt::Key_Space, Qt::NoModifier, QStringLiteral(" "));
      over.ignore();
      QCoreApplication::sendEvent(target, &over);
      return over.isAccepted();
    };
    QFocusEvent byTab(QEvent::FocusIn, Qt::TabFocusReason);
    QCoreApplication::sendEvent(box, &byTab);
    QVERIFY(spaceTaken(box));
    QFocusEvent byMouse(QEvent::FocusIn, Qt::MouseFocusReason);
    QCoreApplication::sendEvent(box, &byMouse);
    QVERIFY(!spaceTaken(box));
    QCoreApplication::sendEvent(box, &byTab);
    QKeyEvent list(QEvent::ShortcutOverride, Qt::Key_Space, Qt::NoModifier, QStringLiteral(" "));
    list.ignore();
    QCoreApplication::sendEvent(w.historyView(), &list);
    QVERIFY(!list.isAccepted());  // the results list leaves Space to the player
    // On the FrameInit tab the keys drive its camera video; the result's player pauses there.
    w.player()->play();
    w.viewTabs()->setCurrentIndex(1);
    QVERIFY(!w.player()->isPlaying());
    FrameInitPanel* panel = w.frameInitPanel();
    QTRY_COMPARE(panel->frameCount(), 8);
    QTRY_VERIFY(play->isEnabled());
    panel->setCurrentFrame(2);
    next->trigger();
    QCOMPARE(panel->currentFrame(), 3);
    play->trigger();
    QVERIFY(panel->isPlaying());
    play->trigger();
    QVERIFY(!panel->isPlaying());
    play->trigger();
    // Back on the result: the dry run stops (it would keep moving the editing frame), the keys drive the player.
    w.viewTabs()->setCurrentIndex(0);
    QVERIFY(!panel->isPlaying());
    w.player()->pause();
    const int at = w.player()->currentFrame();
    next->trigger();
    QCOMPARE(w.player()->currentFrame(), (at + 1) % 4);
    // Fewer frames: the panel's shown frame moves into them.
    panel->setCurrentFrame(7);
    panel->setCameraFrames(QVector<QImage>(3, QImage(8, 8, QImage::Format_RGB888)), QString());
    QCOMPARE(panel->currentFrame(), 2);
  }

  void recoveryOffersTheNewestAndWritesItBeforeRemovingIt() {
    QTemporaryDir tmp;
    const QString ini = tmp.filePath(QStringLiteral("s.ini"));
    const QString folder = StudioSettings(ini).autosaveFolder();
    const QDateTime now = QDateTime::currentDateTime();
    forgeCrash(folder, QStringLiteral("old"), QStringLiteral("three days ago"), now.addDays(-3));
    forgeCrash(folder, QStringLiteral("new"), QStringLiteral("five minutes ago"), now.addSecs(-300));
    // a marker whose fields have the wrong types: read as a dead session, not an exception at start-up
    {
      QFile bad(folder + QStringLiteral("/autosave-typo.marker"));
      QVERIFY(bad.open(QIODevice::WriteOnly));
      bad.write(R"({"pid": "1234", "session": 5, "process_start": []})");
    }
    MainWindow w(new StudioSettings(ini));
    QWidget* bar = w.findChild<QWidget*>(QStringLiteral("recovery_bar"));
    QVERIFY(bar && !bar->isHidden());
    QVERIFY(w.recoverAutosave());
    QCOMPARE(w.document()->params().prompt, std::string("five minutes ago"));
    QVERIFY(w.document()->isModified());
    // the recovered work is in this session's recovery file; the file it came from is gone, the older one stays
    const QString mine = QFileInfo(w.autosaver()->recoveryFile()).fileName();
    QTRY_VERIFY(QFileInfo::exists(w.autosaver()->recoveryFile()));
    QStringList expected{QStringLiteral("autosave-old.ci2v"), mine};
    expected.sort();
    QCOMPARE(ci2vFiles(folder), expected);
    Project p;
    QString error;
    QVERIFY2(project::load(w.autosaver()->recoveryFile(), &p, &error), qPrintable(error));
    QCOMPARE(p.params.prompt, std::string("five minutes ago"));
    QVERIFY(bar->isHidden());
  }

  // Work recovered from a crash is older than its project when the project was saved since (in another session):
  // it comes back untitled, so that Save does not put the older work over the newer file, and both the bar and the
  // status bar say so.
  void recoveryOlderThanItsSavedProjectComesBackUntitled() {
    QTemporaryDir tmp;
    const QString ini = tmp.filePath(QStringLiteral("s.ini"));
    const QString folder = StudioSettings(ini).autosaveFolder();
    const QString saved = tmp.filePath(QStringLiteral("mine.ci2v"));
    {
      Document newer;
      newer.setPrompt(QStringLiteral("saved later"));
      QString error;
      QVERIFY2(newer.saveProjectFile(saved, &error), qPrintable(error));
    }
    forgeCrash(folder, QStringLiteral("stale"), QStringLiteral("older work"),
               QDateTime::currentDateTime().addSecs(-3600), saved);
    MainWindow w(new StudioSettings(ini));
    auto* text = w.findChild<QLabel*>(QStringLiteral("recovery_text"));
    QVERIFY(text);
    QVERIFY2(text->text().contains(QLatin1String("which was saved after it")), qPrintable(text->text()));
    QVERIFY(w.recoverAutosave());
    QCOMPARE(w.document()->params().prompt, std::string("older work"));
    QVERIFY(w.document()->projectPath().isEmpty());
    QVERIFY(w.document()->isModified());
    QVERIFY2(w.statusBar()->currentMessage().contains(QLatin1String("mine.ci2v was saved after this work")),
             qPrintable(w.statusBar()->currentMessage()));
    Project p;
    QString error;
    QVERIFY2(project::load(saved, &p, &error), qPrintable(error));
    QCOMPARE(p.params.prompt, std::string("saved later"));  // untouched
  }

  // Discard removes the only copy of crashed work: asked first; called off, the work and the bar stay.
  void discardingRecoverableWorkAsksFirst() {
    QTemporaryDir tmp;
    const QString ini = tmp.filePath(QStringLiteral("s.ini"));
    const QString folder = StudioSettings(ini).autosaveFolder();
    forgeCrash(folder, QStringLiteral("gone"), QStringLiteral("crashed work"), QDateTime::currentDateTime().addSecs(-60));
    MainWindow w(new StudioSettings(ini));
    w.show();
    QWidget* bar = w.findChild<QWidget*>(QStringLiteral("recovery_bar"));
    QVERIFY(bar && !bar->isHidden());
    QString asked;
    answerNextBox(QMessageBox::Cancel, &asked);
    w.discardAutosave();
    QVERIFY2(asked.contains(QLatin1String("cannot be recovered afterwards")), qPrintable(asked));
    QVERIFY(QFileInfo::exists(folder + QStringLiteral("/autosave-gone.ci2v")));
    QVERIFY(!bar->isHidden());
    answerNextBox(QMessageBox::Discard);
    w.discardAutosave();
    QVERIFY(!QFileInfo::exists(folder + QStringLiteral("/autosave-gone.ci2v")));
    QVERIFY(bar->isHidden());
  }

  void closeKeepsTheWorkWhenTheSessionCannotBeWritten() {
    QTemporaryDir tmp;
    const QString ini = tmp.filePath(QStringLiteral("s.ini"));
    QString recovery;
    {
      MainWindow w(new StudioSettings(ini));
      StudioSettings probe(ini);
      QVERIFY(QDir().mkpath(probe.sessionFile()));  // a folder where the session file goes: it cannot be written
      w.show();
      w.document()->setFirstFrame(picture(), QString());
      w.document()->setPrompt(QStringLiteral("untitled work"));
      recovery = w.autosaver()->recoveryFile();

      QString asked;
      answerNextBox(QMessageBox::Cancel, &asked);
      QVERIFY(!w.close());  // called off: the window stays
      QVERIFY2(asked.contains(QLatin1String("could not be kept")), qPrintable(asked));
      QVERIFY(w.isVisible());

      answerNextBox(QMessageBox::Close);
      QVERIFY(w.close());
      QVERIFY(QFileInfo::exists(recovery));  // closed anyway: the work is in the recovery file, not deleted
    }
    Project p;
    QString error;
    QVERIFY2(project::load(recovery, &p, &error), qPrintable(error));
    QCOMPARE(p.params.prompt, std::string("untitled work"));
    // the next start offers it
    MainWindow again(new StudioSettings(ini));
    QWidget* bar = again.findChild<QWidget*>(QStringLiteral("recovery_bar"));
    QVERIFY(bar && !bar->isHidden());
    QVERIFY(again.recoverAutosave());
    QCOMPARE(again.document()->params().prompt, std::string("untitled work"));
  }

  void engineSignalsAreMatchedToTheirModelAndRun() {
    QTemporaryDir tmp;
    MainWindow w(new StudioSettings(tmp.filePath(QStringLiteral("s.ini"))));
    Document* doc = w.document();
    // a load of a model the user has since replaced says nothing of the current one
    doc->setModelPath(tmp.filePath(QStringLiteral("model-b")));
    doc->setModelStatus(Document::ModelState::Failed, QStringLiteral("B is broken"));
    Q_EMIT w.engine()->modelLoading(tmp.filePath(QStringLiteral("model-a")));
    Q_EMIT w.engine()->modelLoaded(tmp.filePath(QStringLiteral("model-a")), QStringLiteral("cpu"), QStringLiteral("fp32"), 1.0);
    QCOMPARE(doc->modelState(), Document::ModelState::Failed);
    Q_EMIT w.engine()->modelLoaded(tmp.filePath(QStringLiteral("model-b")), QStringLiteral("cpu"), QStringLiteral("fp32"), 1.0);
    QCOMPARE(doc->modelState(), Document::ModelState::Ready);
    // a load's progress and its stop: only the current model's show
    const QString a = tmp.filePath(QStringLiteral("model-a")), b = tmp.filePath(QStringLiteral("model-b"));
    Q_EMIT w.engine()->modelLoadProgress(a, 42);
    Q_EMIT w.engine()->modelLoadStopped(a);
    QCOMPARE(doc->modelState(), Document::ModelState::Ready);
    Q_EMIT w.engine()->modelLoading(b);
    Q_EMIT w.engine()->modelLoadProgress(b, 42);
    QCOMPARE(doc->modelState(), Document::ModelState::Loading);
    QVERIFY2(doc->modelMessage().contains(QLatin1String("42 %")), qPrintable(doc->modelMessage()));
    Q_EMIT w.engine()->modelLoadStopped(b);
    QCOMPARE(doc->modelState(), Document::ModelState::None);
    QVERIFY2(doc->modelMessage().contains(QLatin1String("stopped")), qPrintable(doc->modelMessage()));

    // two queued runs that fail (no model there): each failure is reported with its own request, although the
    // next one is already running when the first's failed() arrives
    EngineController* engine = w.engine();
    QList<QPair<quint64, quint64>> seen;  // (failed id, endedRequest().id)
    connect(engine, &EngineController::failed, this,
            [&](quint64 id, const QString&) { seen.append({id, engine->endedRequest().id}); });
    GenerationRequest r;
    r.modelDir = tmp.filePath(QStringLiteral("no-model-here"));
    r.params = testing::tinyParams();
    r.firstFrame = std::make_shared<const ci2v::RgbImage>();
    r.id = 101;
    r.params.width = 64;
    const quint64 first = engine->generate(r);
    r.id = 102;
    r.params.width = 128;
    const quint64 second = engine->generate(r);
    QTRY_COMPARE_WITH_TIMEOUT(seen.size(), 2, 30000);
    QCOMPARE(seen[0].first, first);
    QCOMPARE(seen[0].second, first);
    QCOMPARE(seen[1].first, second);
    QCOMPARE(seen[1].second, second);
    for (QMessageBox* b : w.findChildren<QMessageBox*>()) b->done(QMessageBox::Ok);
  }

  void shortcutListIsMadeFromTheActions() {
    QTemporaryDir tmp;
    MainWindow w(new StudioSettings(tmp.filePath(QStringLiteral("s.ini"))));
    QAction* a = w.findChild<QAction*>(QStringLiteral("action_shortcuts"));
    QVERIFY(a);
    a->trigger();
    const QString text = w.lastMessage().text;
    for (const QString& line : {QKeySequence(QKeySequence::Save).toString(QKeySequence::NativeText) + QStringLiteral("   Save project"),
                                QKeySequence(QKeySequence::Undo).toString(QKeySequence::NativeText),
                                QStringLiteral("Ctrl+B   Queue a batch"), QStringLiteral("Ctrl+E   Export")})
      QVERIFY2(text.contains(line), qPrintable(line + QStringLiteral(" not in:\n") + text));
    QVERIFY2(!text.contains(QLatin1String("save the settings")), qPrintable(text));
    for (QMessageBox* b : w.findChildren<QMessageBox*>()) b->done(QMessageBox::Ok);
  }

  void typedValuesAreCommittedBeforeAGeneration() {
    // a spin box commits on Return or when it loses focus; Ctrl+Return does neither
    QTemporaryDir tmp;
    MainWindow w(new StudioSettings(tmp.filePath(QStringLiteral("s.ini"))));
    auto* steps = w.parameterPanel()->findChild<QSpinBox*>(QStringLiteral("steps"));
    QVERIFY(steps);
    QLineEdit* text = steps->findChild<QLineEdit*>();
    QVERIFY(text);
    text->selectAll();
    QTest::keyClicks(text, QStringLiteral("37"));
    QCOMPARE(w.document()->params().steps, 50);  // typed, not entered
    w.generate();  // refused (no first frame), but the value is taken first
    QCOMPARE(w.document()->params().steps, 37);
    for (QMessageBox* b : w.findChildren<QMessageBox*>()) b->done(QMessageBox::Ok);
  }

  void aNegativePromptWithoutGuidanceIsSaidToHaveNoEffect() {
    QTemporaryDir tmp;
    MainWindow w(new StudioSettings(tmp.filePath(QStringLiteral("s.ini"))));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* note = w.findChild<QLabel*>(QStringLiteral("negative_note"));
    QVERIFY(note);
    QLineEdit* negative = w.findChild<PromptEdit*>(QStringLiteral("negative_prompt"))->comboBox()->lineEdit();
    auto* textScale = w.parameterPanel()->findChild<QDoubleSpinBox*>(QStringLiteral("cfg_text"));
    QVERIFY(textScale);
    QVERIFY(!note->isVisible());
    QTest::keyClicks(negative, QStringLiteral("blurry"));
    QCOMPARE(w.document()->params().negative_prompt, std::string("blurry"));
    QVERIFY(!note->isVisible());  // guidance 7.5: it steers
    textScale->setValue(1.0);
    QCOMPARE(w.document()->params().cfg_text, 1.0);
    QVERIFY(note->isVisible());
    QVERIFY(note->text().contains(QLatin1String("no effect")));
    {
      const QString shot = testing::outDir(QStringLiteral("screenshots")) + QStringLiteral("/negative_prompt_note.png");
      QVERIFY(note->parentWidget()->grab().save(shot));
      qInfo("screenshot: %s", qPrintable(shot));
    }
    auto* imageScale = w.parameterPanel()->findChild<QDoubleSpinBox*>(QStringLiteral("cfg_image"));
    QVERIFY(imageScale);
    imageScale->setValue(1.5);  // image guidance: the negative prompt is its unconditional text again
    QVERIFY(!note->isVisible());
    imageScale->setValue(1.0);
    QVERIFY(note->isVisible());
    negative->clear();
    Q_EMIT w.findChild<PromptEdit*>(QStringLiteral("negative_prompt"))->textEdited(QString());
    QVERIFY(!note->isVisible());
  }

  void escapeInThePromptDoesNotCancelTheRun() {
    QTemporaryDir tmp;
    MainWindow w(new StudioSettings(tmp.filePath(QStringLiteral("s.ini"))));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    QAction* cancel = w.findChild<QAction*>(QStringLiteral("action_cancel"));
    QVERIFY(cancel);
    cancel->setEnabled(true);  // as during a run
    QSignalSpy fired(cancel, &QAction::triggered);
    QLineEdit* prompt = w.findChild<PromptEdit*>()->comboBox()->lineEdit();
    prompt->setFocus();
    QTRY_VERIFY(prompt->hasFocus());
    QTest::keyClicks(prompt, QStringLiteral("a cat "));
    QTest::keyClick(prompt, Qt::Key_Escape);
    QCOMPARE(fired.count(), 0);
    QVERIFY(!prompt->hasFocus());  // Esc left the field
    QCOMPARE(prompt->text(), QStringLiteral("a cat "));
    QTest::keyClick(&w, Qt::Key_Escape);  // elsewhere Esc still cancels
    QCOMPARE(fired.count(), 1);
  }

  void draggingTheSliderPausesAndResumes() {
    VideoPlayer player;
    QVector<QImage> frames(6, QImage(16, 16, QImage::Format_RGB888));
    for (int i = 0; i < frames.size(); ++i) frames[i].fill(QColor(40 * i, 0, 0));
    player.setClip(frames, 8, QString());
    player.play();
    auto* slider = player.findChild<QSlider*>();
    QVERIFY(slider);
    Q_EMIT slider->sliderPressed();
    QVERIFY(!player.isPlaying());  // a drag seeks paused (from memory)
    Q_EMIT slider->sliderMoved(4);
    QCOMPARE(player.currentFrame(), 4);
    Q_EMIT slider->sliderReleased();
    QVERIFY(player.isPlaying());
    player.pause();
    Q_EMIT slider->sliderPressed();
    Q_EMIT slider->sliderReleased();
    QVERIFY(!player.isPlaying());  // paused before: stays paused
  }

  void aClipWithoutVideoStopsThePreviousOne() {
    VideoPlayer player;
    QVector<QImage> frames(3, QImage(16, 16, QImage::Format_RGB888));
    for (QImage& f : frames) f.fill(Qt::red);
    player.setClip(frames, 8, QStringLiteral(CONSISTI2V_SOURCE_DIR "/no-such-clip.mp4"));
    QVERIFY(!player.mediaPlayer()->source().isEmpty());
    player.setClip(frames, 8, QString());  // e.g. a result from a project: no preview video
    QVERIFY(player.mediaPlayer()->source().isEmpty());
    QCOMPARE(player.mediaPlayer()->playbackState(), QMediaPlayer::StoppedState);
  }

#ifdef CONSISTI2V_HAVE_MEDIA
  // A video the media backend does not start in time (it hung on "loading" in a test process that had played
  // another window's video) falls back to the frames from memory, saying why: the clip is never a black box.
  void aVideoThatDoesNotStartFallsBackToTheFrames() {
    QTemporaryDir tmp;
    ci2v::media::Video v;
    v.width = v.height = 16;
    v.fps = 8;
    for (int i = 0; i < 3; ++i) v.frames.push_back(ci2v::RgbImage(16, 16));
    const QString mp4 = tmp.filePath(QStringLiteral("clip.mp4"));
    ci2v::media::export_video(v, mp4.toStdString());
    VideoPlayer player;
    QCOMPARE(player.loadTimeoutMs(), 10000);
    player.setLoadTimeoutMs(1);  // far less than any backend takes to load
    QSignalSpy fellBack(&player, &VideoPlayer::fallbackActivated);
    QVector<QImage> frames(3, QImage(16, 16, QImage::Format_RGB888));
    for (QImage& f : frames) f.fill(Qt::red);
    player.setClip(frames, 8, mp4);
    QVERIFY(player.usesMediaPlayer());
    QTRY_VERIFY_WITH_TIMEOUT(!player.usesMediaPlayer(), 5000);
    QCOMPARE(fellBack.count(), 1);
    QVERIFY2(player.fallbackReason().contains(QLatin1String("did not start")), qPrintable(player.fallbackReason()));
    QCOMPARE(player.currentImage().pixelColor(0, 0), QColor(Qt::red));
  }

  void exportWritesItsOwnClipAndAsksBeforeReplacing() {
    QTemporaryDir tmp;
    MainWindow w(new StudioSettings(tmp.filePath(QStringLiteral("s.ini"))));
    auto clip = [](quint64 id, int n, QColor c) {
      ResultClip r;
      r.id = id;
      r.seed = static_cast<qint64>(id);
      for (int i = 0; i < n; ++i) {
        QImage f(64, 64, QImage::Format_RGB888);
        f.fill(c);
        r.frames << f;
      }
      r.created = QDateTime::currentDateTime();
      return r;
    };
    w.document()->addResult(clip(111, 3, Qt::red));
    w.showExportDialog();  // for #111
    ExportDialog* dlg = w.exportDialog();
    QVERIFY(dlg);
    w.document()->addResult(clip(222, 5, Qt::blue));  // a queued run ends meanwhile and becomes current
    dlg->findChild<QComboBox*>(QStringLiteral("format"))
        ->setCurrentIndex(dlg->findChild<QComboBox*>(QStringLiteral("format"))->findData(int(ExportSettings::Format::Gif)));
    const QString gif = tmp.filePath(QStringLiteral("clip.gif"));
    dlg->findChild<QLineEdit*>(QStringLiteral("path"))->setText(gif);
    auto* exportButton = dlg->findChild<QPushButton*>(QStringLiteral("export_button"));
    QSignalSpy finished(w.exportRunner(), &ExportRunner::finished);
    exportButton->click();
    QVERIFY(finished.wait(30000));
    QCOMPARE(int(ci2v::media::decode_video(gif.toStdString()).frames.size()), 3);  // #111's frames, not #222's
    const QByteArray before = [&] {
      QFile f(gif);
      return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();
    // the file exists now: Export asks; Cancel leaves it as it is
    dlg->findChild<QCheckBox*>(QStringLiteral("pingpong"))->setChecked(true);
    QString asked;
    answerNextBox(QMessageBox::Cancel, &asked);
    exportButton->click();
    QVERIFY2(asked.contains(QLatin1String("already exists")), qPrintable(asked));
    QVERIFY(!w.exportRunner()->isRunning());
    QFile again(gif);
    QVERIFY(again.open(QIODevice::ReadOnly));
    QCOMPARE(again.readAll(), before);
    again.close();
    answerNextBox(QMessageBox::Yes);
    exportButton->click();
    QVERIFY(finished.wait(30000));
    QCOMPARE(int(ci2v::media::decode_video(gif.toStdString()).frames.size()), 3 + 1);  // ping-pong: 0 1 2 1

    // a GIF plays at most 50 fps: the frame rate is held there while GIF is chosen
    auto* fps = dlg->findChild<QDoubleSpinBox*>(QStringLiteral("fps"));
    QVERIFY(fps);
    QCOMPARE(fps->maximum(), 50.0);
    // a name typed with another format's extension picks that format (no WebP written under a .gif name)
    auto* format = dlg->findChild<QComboBox*>(QStringLiteral("format"));
    auto* path = dlg->findChild<QLineEdit*>(QStringLiteral("path"));
    const QString webp = tmp.filePath(QStringLiteral("typed.webp"));
    path->setText(webp);
    Q_EMIT path->editingFinished();
    QCOMPARE(format->currentData().toInt(), int(ExportSettings::Format::WebP));
    QCOMPARE(path->text(), webp);
    QCOMPARE(fps->maximum(), 60.0);
    fps->setValue(60);
    format->setCurrentIndex(format->findData(int(ExportSettings::Format::Gif)));
    QCOMPARE(fps->value(), 50.0);
    QCOMPARE(path->text(), tmp.filePath(QStringLiteral("typed.gif")));
    format->setCurrentIndex(format->findData(int(ExportSettings::Format::Mp4)));
    QCOMPARE(fps->value(), 60.0);  // the rate chosen comes back
    // a name typed without an extension gets the format's
    path->setText(tmp.filePath(QStringLiteral("bare")));
    Q_EMIT path->editingFinished();
    QCOMPARE(path->text(), tmp.filePath(QStringLiteral("bare.mp4")));
  }
#endif

  void aRefusedCameraDragClosesItsUndoStep() {
    // a drag whose crop the engine refuses (25000 px wide) must not leave its undo step open: the next camera
    // edit would merge into it and one Undo would take back both
    QTemporaryDir tmp;
    MainWindow w(new StudioSettings(tmp.filePath(QStringLiteral("s.ini"))));
    QImage picture(400, 300, QImage::Format_RGB888);
    picture.fill(Qt::darkGreen);
    w.document()->setFirstFrame(picture, QString());
    QUndoStack* stack = w.editHistory()->stack();
    Q_EMIT w.cameraEditor()->presetChosen(QStringLiteral("pan_left"));
    {  // the summary names the preset in the menu's words, not by its id
      auto* summary = w.cameraEditor()->findChild<QLabel*>(QStringLiteral("camera_summary"));
      QVERIFY(summary);
      QVERIFY2(summary->text().contains(QLatin1String("Preset Pan left")), qPrintable(summary->text()));
    }
    const int afterPreset = stack->count();
    const auto presetParams = w.document()->params().to_json();
    auto path = w.document()->cameraPath();
    QVERIFY(!path.keyframes.empty());
    auto bigger = path;  // the drag's first steps are fine ...
    bigger.keyframes[0].w *= 1.1;
    bigger.keyframes[0].h *= 1.1;
    Q_EMIT w.cameraEditor()->pathEdited(bigger, true);
    const auto dragged = w.document()->params().to_json();
    QVERIFY(dragged != presetParams);
    auto huge = path;  // ... then it goes too far, to its end: refused
    huge.keyframes[0].w = 25000;
    huge.keyframes[0].h = 18750;
    Q_EMIT w.cameraEditor()->pathEdited(huge, true);
    Q_EMIT w.cameraEditor()->pathEdited(huge, false);
    QCOMPARE(w.document()->params().to_json(), dragged);
    Q_EMIT w.cameraEditor()->presetChosen(QStringLiteral("tilt_up"));
    QCOMPARE(w.document()->params().camera_preset, std::string("tilt_up"));
    QVERIFY(stack->count() > afterPreset);
    stack->undo();  // takes back the tilt only, not the drag with it
    QCOMPARE(w.document()->params().to_json(), dragged);
    stack->undo();
    QCOMPARE(w.document()->params().to_json(), presetParams);
  }

  void projectWithAbsurdValuesIsRefused() {
    // 2e9 frames made the camera timeline draw a tick per frame on every repaint (the studio froze at start)
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("absurd.ci2v"));
    Project p;
    p.params.frames = 2000000000;
    QString error;
    QVERIFY2(project::save(p, file, &error), qPrintable(error));
    Document d;
    d.setPrompt(QStringLiteral("kept"));
    QVERIFY(!d.openProjectFile(file, &error));
    QVERIFY2(error.contains(QLatin1String("'frames' = 2000000000")) && error.contains(file), qPrintable(error));
    QCOMPARE(d.params().prompt, std::string("kept"));
  }
};

CI2V_GUI_TEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
