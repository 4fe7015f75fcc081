// The "Download model…" dialog against tests/hub/fake_hub.py (the hub's URL shapes on 127.0.0.1): a complete
// download into the hub cache ends with modelReady(snapshot); a corrupt file shows the error naming it and the
// hashes; cancel stops the transfer and keeps the partial file for the next try.
#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QTimer>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

#include "app/app_setup.h"
#include "app/main_window.h"
#include "app/settings.h"
#include "widgets/model_picker.h"
#include "app/model_download.h"
#include "app/model_download_dialog.h"
#include "engine/io/diffusers_folder.h"
#include "tests/hub/fake_hub_process.h"

using namespace studio;
namespace fs = std::filesystem;

class TestModelDownload : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;

  void useServer(const ci2v::testing::FakeHub& hub, const QString& cache) {
    qputenv("HF_ENDPOINT", QByteArray::fromStdString(hub.endpoint()));
    qputenv("HF_HUB_CACHE", cache.toUtf8());
  }

private Q_SLOTS:
  void initTestCase() {
    setApplicationInfo();
    QVERIFY(tmp_.isValid());
  }

  void downloadsIntoTheHubCacheAndReportsTheModel() {
    const QString cache = tmp_.filePath(QStringLiteral("ok/hub"));
    ci2v::testing::FakeHub hub(tmp_.filePath(QStringLiteral("ok.log")).toStdString());
    useServer(hub, cache);
    ModelDownloadDialog dlg;
    dlg.show();
    QSignalSpy ready(&dlg, &ModelDownloadDialog::modelReady);
    auto* start = dlg.findChild<QPushButton*>(QStringLiteral("download_start"));
    QVERIFY(start);
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(dlg.isDownloading() || ready.count() == 1);
    QVERIFY(ready.wait(60000));
    const QString dir = ready.at(0).at(0).toString();
    QCOMPARE(dir, cache + QStringLiteral("/models--TIGER-Lab--ConsistI2V/snapshots/") + QString::fromStdString(hub.commit()));
    QVERIFY(ci2v::io::open_model_folder(dir.toStdString()).find("unet") != nullptr);
    auto* bar = dlg.findChild<QProgressBar*>(QStringLiteral("download_progress"));
    QCOMPARE(bar->value(), bar->maximum());
    QCOMPARE(dlg.result(), int(QDialog::Accepted));
    QCOMPARE(ModelDownload::cachedModel(cache), dir);
  }

  void unreachableHubDoesNotPassForADownload() {
    // a complete copy in the cache and no hub: the dialog stays open, says nothing was downloaded, and offers it
    const QString cache = tmp_.filePath(QStringLiteral("ok/hub"));  // filled by the test above
    QVERIFY(!ModelDownload::cachedModel(cache).isEmpty());
    qputenv("HF_ENDPOINT", QByteArrayLiteral("http://127.0.0.1:9"));
    qputenv("HF_HUB_CACHE", cache.toUtf8());
    ModelDownloadDialog dlg;
    dlg.show();
    QSignalSpy ready(&dlg, &ModelDownloadDialog::modelReady);
    QTest::mouseClick(dlg.findChild<QPushButton*>(QStringLiteral("download_start")), Qt::LeftButton);
    auto* use = dlg.findChild<QPushButton*>(QStringLiteral("download_use"));
    QVERIFY(use);
    QTRY_VERIFY_WITH_TIMEOUT(!use->isHidden(), 60000);
    QVERIFY2(dlg.statusText().contains(QLatin1String("nothing was downloaded")), qPrintable(dlg.statusText()));
    QCOMPARE(ready.count(), 0);
    QVERIFY(dlg.isVisible());
    QTest::mouseClick(use, Qt::LeftButton);
    QCOMPARE(ready.count(), 1);
    QCOMPARE(ready.at(0).at(0).toString(), ModelDownload::cachedModel(cache));
    QCOMPARE(dlg.result(), int(QDialog::Accepted));
  }

  void corruptFileShowsTheHashError() {
    const QString cache = tmp_.filePath(QStringLiteral("bad/hub"));
    ci2v::testing::FakeHub hub(tmp_.filePath(QStringLiteral("bad.log")).toStdString(),
                               {"--corrupt", "vae/diffusion_pytorch_model.safetensors"});
    useServer(hub, cache);
    ModelDownloadDialog dlg;
    dlg.show();
    QSignalSpy ready(&dlg, &ModelDownloadDialog::modelReady);
    QTest::mouseClick(dlg.findChild<QPushButton*>(QStringLiteral("download_start")), Qt::LeftButton);
    auto* error = dlg.findChild<QLabel*>(QStringLiteral("download_error"));
    QTRY_VERIFY_WITH_TIMEOUT(!error->isHidden(), 60000);
    QVERIFY2(error->text().contains(QStringLiteral("vae/diffusion_pytorch_model.safetensors")), qPrintable(error->text()));
    QVERIFY2(error->text().contains(QStringLiteral("sha256 expected ")), qPrintable(error->text()));
    QVERIFY(!dlg.isDownloading());
    QCOMPARE(ready.count(), 0);
    QVERIFY(dlg.findChild<QPushButton*>(QStringLiteral("download_start"))->isEnabled());
  }

  void cancelStopsAndKeepsThePartialFile() {
    const QString cache = tmp_.filePath(QStringLiteral("cancel/hub"));
    ci2v::testing::FakeHub hub(tmp_.filePath(QStringLiteral("cancel.log")).toStdString(),
                               {"--slow", "text_encoder/model.safetensors:1000000"});
    useServer(hub, cache);
    ModelDownloadDialog dlg;
    dlg.show();
    QTest::mouseClick(dlg.findChild<QPushButton*>(QStringLiteral("download_start")), Qt::LeftButton);
    auto* file = dlg.findChild<QLabel*>(QStringLiteral("download_file"));
    QTRY_VERIFY_WITH_TIMEOUT(file->text().contains(QStringLiteral("text_encoder/model.safetensors")), 30000);
    auto* status = dlg.findChild<QLabel*>(QStringLiteral("download_status"));
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("/s")), 10000);  // speed shown
    QVERIFY2(status->text().contains(QStringLiteral("left")), qPrintable(status->text()));  // and the time left
    QTest::mouseClick(dlg.findChild<QPushButton*>(QStringLiteral("download_cancel")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!dlg.isDownloading(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(dlg.statusText().startsWith(QStringLiteral("Cancelled")), 5000);
    bool partial = false;
    for (const auto& e : fs::directory_iterator(cache.toStdString() + "/models--TIGER-Lab--ConsistI2V/blobs"))
      partial = partial || e.path().extension() == ".incomplete";
    QVERIFY(partial);
    QVERIFY(dlg.isVisible());  // the dialog stays open to try again
  }

  // The main window's File > Download model… opens the dialog; once done, the model picker shows the snapshot.
  void mainWindowActionDownloadsAndChoosesTheModel() {
    const QString cache = tmp_.filePath(QStringLiteral("window/hub"));
    ci2v::testing::FakeHub hub(tmp_.filePath(QStringLiteral("window.log")).toStdString());
    useServer(hub, cache);
    MainWindow w(new StudioSettings(tmp_.filePath(QStringLiteral("window.ini"))));
    w.show();
    auto* action = w.findChild<QAction*>(QStringLiteral("action_download_model"));
    QVERIFY(action);
    bool clicked = false;
    QTimer::singleShot(0, &w, [&clicked] {
      auto* dlg = qobject_cast<ModelDownloadDialog*>(QApplication::activeModalWidget());
      if (!dlg) return;
      QTest::mouseClick(dlg->findChild<QPushButton*>(QStringLiteral("download_start")), Qt::LeftButton);
      clicked = true;
    });
    action->trigger();  // exec() returns when the download has finished
    QVERIFY(clicked);
    const QString snapshot =
        cache + QStringLiteral("/models--TIGER-Lab--ConsistI2V/snapshots/") + QString::fromStdString(hub.commit());
    QCOMPARE(w.modelPicker()->path(), snapshot);
  }
};

QTEST_MAIN(TestModelDownload)
#include "tst_model_download.moc"
