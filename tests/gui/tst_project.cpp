// Project files (.ci2v), the document's modified flag and history editing, autosave and crash recovery.
#include <QBuffer>
#include <functional>
#include <QDir>
#include <QtEndian>
#include <QFile>
#include <QRandomGenerator>
#include <QSemaphore>
#include <QSignalSpy>
#include <QThread>
#include <QThreadPool>
#include <QTemporaryDir>
#include <csignal>
#include <thread>

#include "app/autosave.h"
#include "app/document.h"
#include "app/project.h"
#include "engine/camera_path.h"
#include "gui_test_util.h"

#if defined(Q_OS_UNIX)
#include <sys/resource.h>
#include <unistd.h>
#endif

using namespace studio;

namespace {

QImage noiseImage(int w, int h, quint32 seed) {
  QImage img(w, h, QImage::Format_RGB888);
  QRandomGenerator rng(seed);
  for (int y = 0; y < h; ++y) {
    uchar* line = img.scanLine(y);
    for (int x = 0; x < 3 * w; ++x) line[x] = static_cast<uchar>(rng.bounded(256));
  }
  return img;
}

ResultClip makeClip(quint64 id, int frames, quint32 seed) {
  ResultClip c;
  c.id = id;
  for (int i = 0; i < frames; ++i) c.frames.push_back(noiseImage(40, 24, seed + i));
  c.seed = 1000 + id;
  c.seconds = 1.234567 * id;
  c.params = testing::tinyParams();
  c.params.seed = c.seed;
  c.params.prompt = "clip " + std::to_string(id);
  c.created = QDateTime::fromMSecsSinceEpoch(1700000000123 + qint64(id) * 1000, Qt::UTC);
  c.previewVideo = QStringLiteral("/tmp/never-stored-%1.mp4").arg(id);
  return c;
}

ci2v::GenerationParams richParams() {
  auto p = testing::tinyParams();
  p.prompt = "Ein Fuchs läuft durch den Schnee — 雪の中の狐";
  p.negative_prompt = "blurry";
  p.noise_level = 750;
  p.cutoff_spatial = 0.5;
  ci2v::sampling::CameraPath path;
  ci2v::sampling::Keyframe a, b;
  a.time = 0; a.cx = 30; a.cy = 20; a.w = 40; a.h = 30;
  b.time = 1; b.cx = 50; b.cy = 25; b.w = 30; b.h = 22; b.easing = ci2v::sampling::Easing::EaseInOut;
  path.keyframes = {a, b};
  p.camera_path = path.to_json();
  return p;
}

// A document with everything a project holds.
void fill(Document& d) {
  d.setFirstFrame(noiseImage(80, 60, 42), QStringLiteral("/pictures/fox.png"));
  d.setParams(richParams());
  d.setModelPath(QStringLiteral("/models/consisti2v"));
  d.setHistories({QStringLiteral("a fox"), QStringLiteral("a cat")}, {QStringLiteral("blurry")});
  d.addResult(makeClip(3, 4, 100));
  d.addResult(makeClip(5, 3, 200));
  d.addResult(makeClip(9, 2, 300));
  d.setFavourite(1, true);
  d.setCurrentResult(1);
}

bool samePixels(const QImage& a, const QImage& b) {
  return a.size() == b.size() &&
         a.convertToFormat(QImage::Format_RGB888) == b.convertToFormat(QImage::Format_RGB888);
}

QByteArray readAll(const QString& file) {
  QFile f(file);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
bool writeAll(const QString& file, const QByteArray& bytes) {
  QFile f(file);
  return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

// The document's state, to check that a failed load changed nothing.
QString fingerprint(const Document& d) {
  QString s = d.paramsJson() + d.modelPath() + d.firstFrameSource() + d.promptHistory().join(QLatin1Char('|')) +
              QString::number(d.resultCount()) + QString::number(d.currentResultIndex()) +
              QString::number(d.isModified()) + d.projectPath();
  s += QString::number(d.firstFrame().cacheKey());
  for (int i = 0; i < d.resultCount(); ++i) s += QString::number(d.result(i).id);
  return s;
}

// A 1x1 PNG whose header claims a huge picture (CRC of the IHDR chunk fixed up).
// A 1 × 1 PNG whose header says side × side (its data is not that big: only the header is read before a limit).
QByteArray pngSaying(quint32 side) {
  QByteArray png;
  QBuffer buf(&png);
  buf.open(QIODevice::WriteOnly);
  QImage(1, 1, QImage::Format_RGB888).save(&buf, "PNG");
  // signature (8) + length (4) + "IHDR" (4) + width (4) + height (4) ... + CRC over type and data (17 bytes)
  qToBigEndian<quint32>(side, png.data() + 16);
  qToBigEndian<quint32>(side, png.data() + 20);
  qToBigEndian<quint32>(project::crc32(png.constData() + 12, 17), png.data() + 29);
  return png;
}
QByteArray hugePng() { return pngSaying(100000); }

#if defined(Q_OS_UNIX)
// Runs `f` with writes past `bytes` failing (EFBIG, SIGXFSZ ignored) as on a full disk; false if the limit could not
// be set. The limit and the signal's handling are restored after.
bool underFileSizeLimit(rlim_t bytes, const std::function<void()>& f) {
  struct rlimit old {};
  if (getrlimit(RLIMIT_FSIZE, &old) != 0) return false;
  const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit limit = old;
  limit.rlim_cur = bytes;
  const bool set = setrlimit(RLIMIT_FSIZE, &limit) == 0;
  if (set) f();
  setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, oldHandler);
  return set;
}
#endif

}  // namespace

class TestProject : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void roundTripKeepsEverything() {
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("fox.ci2v"));
    Document d;
    fill(d);
    QVERIFY(d.isModified());
    QString error;
    QVERIFY2(d.saveProjectFile(file, &error), qPrintable(error));
    QVERIFY(!d.isModified());
    QCOMPARE(d.projectPath(), file);

    Document e;
    QSignalSpy added(&e, &Document::resultAdded), frame(&e, &Document::firstFrameChanged),
        params(&e, &Document::paramsChanged), current(&e, &Document::currentResultChanged);
    QVERIFY2(e.openProjectFile(file, &error), qPrintable(error));
    QCOMPARE(added.count(), 3);
    QCOMPARE(frame.count(), 1);
    QCOMPARE(params.count(), 1);
    QCOMPARE(current.last().at(0).toInt(), 1);
    QVERIFY(!e.isModified());
    QCOMPARE(e.projectPath(), file);

    QCOMPARE(e.params().to_json(), d.params().to_json());
    QCOMPARE(e.params().prompt, richParams().prompt);
    QCOMPARE(e.params().camera_path, richParams().camera_path);
    QVERIFY(samePixels(e.firstFrame(), d.firstFrame()));
    QCOMPARE(e.firstFrameSource(), QStringLiteral("/pictures/fox.png"));
    QCOMPARE(e.modelPath(), QStringLiteral("/models/consisti2v"));
    QCOMPARE(e.promptHistory(), d.promptHistory());
    QCOMPARE(e.negativeHistory(), d.negativeHistory());
    QCOMPARE(e.resultCount(), 3);
    QCOMPARE(e.currentResultIndex(), 1);
    for (int i = 0; i < 3; ++i) {
      const ResultClip &a = d.result(i), &b = e.result(i);
      QCOMPARE(b.id, a.id);
      QCOMPARE(b.seed, a.seed);
      QCOMPARE(b.seconds, a.seconds);
      QCOMPARE(b.created, a.created);
      QCOMPARE(b.created.toMSecsSinceEpoch(), a.created.toMSecsSinceEpoch());
      QCOMPARE(b.favourite, i == 1);
      QCOMPARE(b.params.to_json(), a.params.to_json());
      QCOMPARE(b.frames.size(), a.frames.size());
      for (int k = 0; k < a.frames.size(); ++k) QVERIFY2(samePixels(b.frames[k], a.frames[k]), "frame differs");
      QVERIFY(b.previewVideo.isEmpty());  // temporary files are not stored
    }
    // The file is the documented container: signature, format 1.
    const QByteArray bytes = readAll(file);
    QVERIFY(bytes.startsWith(QByteArray("\x89" "CI2V\r\n\x1a", 8)));
    quint32 version = 99;
    QVector<project::Entry> entries;
    QVERIFY(project::unpackContainer(bytes, file, &version, &entries, &error));
    QCOMPARE(version, 1u);
    QCOMPARE(entries.size(), 1 + 1 + 4 + 3 + 2);  // manifest, first frame, frames
    // Saving again over the file works (and gives a loadable file).
    d.setPrompt(QStringLiteral("changed"));
    QVERIFY2(d.saveProjectFile(file, &error), qPrintable(error));
    Project p;
    QVERIFY2(project::load(file, &p, &error), qPrintable(error));
    QCOMPARE(p.params.prompt, std::string("changed"));
    QCOMPARE(p.formatVersion, 1u);
  }

  void emptyDocumentRoundTrip() {
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("empty.ci2v"));
    Document d;
    QString error;
    QVERIFY2(d.saveProjectFile(file, &error), qPrintable(error));
    Document e;
    fill(e);
    QVERIFY2(e.openProjectFile(file, &error), qPrintable(error));
    QVERIFY(!e.hasFirstFrame());
    QCOMPARE(e.resultCount(), 0);
    QCOMPARE(e.currentResultIndex(), -1);
    QCOMPARE(e.params().to_json(), ci2v::GenerationParams().to_json());
    QVERIFY(e.promptHistory().isEmpty());
  }

  void corruptFileIsRefusedAndDocumentKept() {
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("corrupt.ci2v"));
    Document d;
    fill(d);
    QString error;
    QVERIFY(d.saveProjectFile(file, &error));
    QByteArray bytes = readAll(file);
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x5A);
    QVERIFY(writeAll(file, bytes));

    Document e;
    e.setFirstFrame(noiseImage(16, 16, 1), QStringLiteral("/keep.png"));
    e.setPrompt(QStringLiteral("keep me"));
    e.addResult(makeClip(77, 2, 7));
    const QString before = fingerprint(e);
    QSignalSpy anySignal(&e, &Document::paramsChanged);
    QVERIFY(!e.openProjectFile(file, &error));
    qInfo().noquote() << error;
    QVERIFY2(error.contains(file), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("damaged")) && error.contains(QLatin1String("CRC")), qPrintable(error));
    QCOMPARE(fingerprint(e), before);
    QCOMPARE(anySignal.count(), 0);
    QCOMPARE(e.params().prompt, std::string("keep me"));

    // A damaged header / table of contents is caught by its own CRC.
    bytes = readAll(tmp.filePath(QStringLiteral("corrupt.ci2v")));
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x5A);  // undo
    bytes[40] = static_cast<char>(bytes[40] ^ 0x01);
    QVERIFY(writeAll(file, bytes));
    QVERIFY(!e.openProjectFile(file, &error));
    QVERIFY2(error.contains(file) && error.contains(QLatin1String("table of contents")), qPrintable(error));
    QCOMPARE(fingerprint(e), before);
  }

  void truncatedFileIsRefused() {
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("cut.ci2v"));
    Document d;
    fill(d);
    QString error;
    QVERIFY(d.saveProjectFile(file, &error));
    const QByteArray bytes = readAll(file);
    for (const qint64 keep : {bytes.size() - 1, bytes.size() / 2, qint64(40), qint64(20)}) {
      QVERIFY(writeAll(file, bytes.left(keep)));
      Document e;
      e.setPrompt(QStringLiteral("keep me"));
      const QString before = fingerprint(e);
      QVERIFY(!e.openProjectFile(file, &error));
      QVERIFY2(error.contains(file) && error.contains(QLatin1String("truncated")), qPrintable(error));
      QCOMPARE(fingerprint(e), before);
    }
    // Extra bytes at the end are refused too (the header states the size).
    QVERIFY(writeAll(file, bytes + QByteArray("xyz")));
    Document e;
    QVERIFY(!e.openProjectFile(file, &error));
    QVERIFY2(error.contains(QLatin1String("extra data")), qPrintable(error));
  }

  void notAProjectFile() {
    QTemporaryDir tmp;
    Document e;
    e.setPrompt(QStringLiteral("keep me"));
    const QString before = fingerprint(e);
    QString error;
    const QString random = tmp.filePath(QStringLiteral("random.ci2v"));
    QByteArray noise(5000, '\0');
    QRandomGenerator rng(5);
    for (auto& c : noise) c = static_cast<char>(rng.bounded(256));
    QVERIFY(writeAll(random, noise));
    QVERIFY(!e.openProjectFile(random, &error));
    QVERIFY2(error.contains(random) && error.contains(QLatin1String("not a ConsistI2V Studio project")), qPrintable(error));

    QVERIFY(!e.openProjectFile(testing::firstFramePng(), &error));  // a PNG
    QVERIFY2(error.contains(QLatin1String("first_frame.png")) && error.contains(QLatin1String("not a ConsistI2V")),
             qPrintable(error));

    const QString empty = tmp.filePath(QStringLiteral("empty.ci2v"));
    QVERIFY(writeAll(empty, {}));
    QVERIFY(!e.openProjectFile(empty, &error));
    QVERIFY2(error.contains(empty) && error.contains(QLatin1String("not a ConsistI2V")), qPrintable(error));

    const QString missing = tmp.filePath(QStringLiteral("missing.ci2v"));
    QVERIFY(!e.openProjectFile(missing, &error));
    QVERIFY2(error.contains(missing), qPrintable(error));
    QCOMPARE(fingerprint(e), before);
  }

  void badContentInAValidContainer() {
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("bad.ci2v"));
    Document e;
    e.setPrompt(QStringLiteral("keep me"));
    const QString before = fingerprint(e);
    QString error;
    const QByteArray png = hugePng();
    struct Case {
      const char* what;
      QVector<project::Entry> entries;
      quint32 version;
      const char* expected;
    };
    const nlohmann::json okManifest = {{"format", 1}, {"first_frame", nullptr}, {"params", nlohmann::json::object()},
                                       {"model_path", ""}, {"histories", {{"prompt", nlohmann::json::array()}, {"negative", nlohmann::json::array()}}},
                                       {"current_result", -1}, {"results", nlohmann::json::array()}};
    auto manifest = [](const nlohmann::json& j) {
      return project::Entry{QStringLiteral("project.json"), QByteArray::fromStdString(j.dump())};
    };
    nlohmann::json missingEntry = okManifest;
    missingEntry["first_frame"] = {{"entry", "nowhere.png"}, {"source", ""}};
    nlohmann::json huge = okManifest;
    huge["first_frame"] = {{"entry", "huge.png"}, {"source", ""}};
    nlohmann::json badParams = okManifest;
    badParams["params"] = {{"steps", "many"}};
    nlohmann::json badCamera = okManifest;
    badCamera["params"] = {{"camera_path", {{"keyframes", nlohmann::json::array()}}}};
    nlohmann::json badCurrent = okManifest;
    badCurrent["current_result"] = 4;
    // (a string of a million '[' in the params: text that parses, but whose copies recurse a million deep)
    nlohmann::json deepCamera = okManifest;
    deepCamera["params"] = {{"camera_path", "@@"}};
    std::string deepText = deepCamera.dump();
    deepText.replace(deepText.find("\"@@\""), 4, std::string(1000000, '[') + std::string(1000000, ']'));
    nlohmann::json noHistories = okManifest;
    noHistories.erase("histories");
    // frames of 8192 × 8192, each within the per-picture limit, more than the project's limit in all (2 gigapixels,
    // or a quarter of this machine's memory): refused from the headers
    const size_t bigFrames = size_t(project::maxProjectPixels() / (qint64(8192) * 8192)) + 1;
    QVERIFY(project::maxProjectPixels() >= qint64(2) << 30);
    nlohmann::json manyBig = okManifest;
    manyBig["results"] = {{{"id", 1}, {"seed", 1}, {"seconds", 1.0}, {"favourite", false},
                           {"params", nlohmann::json::object()}, {"frames", std::vector<std::string>(bigFrames, "big.png")}}};
    // a result's picture_size (optional): [width, height] of whole positive pixels
    auto withPictureSize = [&](const nlohmann::json& size) {
      nlohmann::json j = okManifest;
      j["results"] = {{{"id", 1}, {"seed", 1}, {"seconds", 1.0}, {"favourite", false}, {"picture_size", size},
                       {"params", nlohmann::json::object()}, {"frames", {"f.png"}}}};
      QByteArray png;
      QBuffer buf(&png);
      buf.open(QIODevice::WriteOnly);
      QImage frame(8, 8, QImage::Format_RGB888);
      frame.fill(Qt::red);
      frame.save(&buf, "PNG");
      return QVector<project::Entry>{manifest(j), {QStringLiteral("f.png"), png}};
    };
    // one small picture referred to by more frames than a project has entries
    nlohmann::json manyRefs = okManifest;
    manyRefs["results"] = {{{"id", 1}, {"seed", 1}, {"seconds", 1.0}, {"favourite", false},
                            {"params", nlohmann::json::object()},
                            {"frames", std::vector<std::string>(project::kMaxEntries + 1, "f.png")}}};
    const std::vector<Case> cases = {
        {"more frame references than entries", {manifest(manyRefs)}, 1, "more than the 200000 pictures a project holds"},
        {"picture_size a string", withPictureSize("64x64"), 1, "picture_size must be [width, height]"},
        {"picture_size of one number", withPictureSize({64}), 1, "picture_size must be [width, height]"},
        {"picture_size zero", withPictureSize({0, 64}), 1, "picture_size must be [width, height]"},
        {"picture_size negative", withPictureSize({64, -1}), 1, "picture_size must be [width, height]"},
        {"picture_size fractional", withPictureSize({64.5, 64}), 1, "picture_size must be [width, height]"},
        {"picture_size huge", withPictureSize({64, 4000000000LL}), 1, "picture_size must be [width, height]"},
        {"bad JSON", {{QStringLiteral("project.json"), QByteArray("{\"format\": 1, ")}}, 1, "not valid JSON"},
        {"a camera path nested a million levels deep",
         {{QStringLiteral("project.json"), QByteArray::fromStdString(deepText)}}, 1, "levels deep; at most 64"},
        {"no manifest", {{QStringLiteral("other"), QByteArray("x")}}, 1, "no manifest"},
        {"missing entry", {manifest(missingEntry)}, 1, "nowhere.png"},
        {"huge picture", {manifest(huge), {QStringLiteral("huge.png"), png}}, 1, "larger than the limit"},
        {"not a PNG", {manifest(huge), {QStringLiteral("huge.png"), QByteArray("GIF89a....")}}, 1, "huge.png"},
        {"bad params", {manifest(badParams)}, 1, "steps"},
        {"bad camera", {manifest(badCamera)}, 1, "camera path"},
        {"bad current", {manifest(badCurrent)}, 1, "current_result"},
        {"v1 without histories", {manifest(noHistories)}, 1, "histories"},
        {"too many pixels in all", {manifest(manyBig), {QStringLiteral("big.png"), pngSaying(8192)}}, 1,
         "pictures add up to more than"},
        {"newer format", {manifest(okManifest)}, 2, "newer version"},
        {"format mismatch", {manifest(okManifest)}, 0, "format"},
    };
    for (const Case& c : cases) {
      QVERIFY(writeAll(file, project::packContainer(c.version, c.entries)));
      QVERIFY2(!e.openProjectFile(file, &error), c.what);
      QVERIFY2(error.contains(file) && error.contains(QLatin1String(c.expected)),
               qPrintable(QString::fromLatin1(c.what) + QStringLiteral(": ") + error));
      QCOMPARE(fingerprint(e), before);
    }
    // The good manifest itself loads, and so does a result with a good picture size (kept).
    QVERIFY(writeAll(file, project::packContainer(1, {manifest(okManifest)})));
    Project p;
    QVERIFY2(project::load(file, &p, &error), qPrintable(error));
    QVERIFY(writeAll(file, project::packContainer(1, withPictureSize({640, 480}))));
    QVERIFY2(project::load(file, &p, &error), qPrintable(error));
    QCOMPARE(p.results.size(), 1);
    QCOMPARE(p.results[0].pictureSize, QSize(640, 480));
  }

  void absurdSizesAreRefusedWithoutAllocating() {
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("absurd.ci2v"));
    QString error;
    // A header and table of contents (with a valid CRC) announcing a 1 TiB entry and 2^32-1 entries.
    for (const bool manyEntries : {false, true}) {
      QByteArray b = project::packContainer(1, {{QStringLiteral("project.json"), QByteArray("{}")}});
      const int sizeAt = 32 + 2 + 12 + 8;  // u16 name length, "project.json", u64 offset, then the u64 size
      if (manyEntries) qToLittleEndian<quint32>(0xFFFFFFFFu, b.data() + 12);
      else qToLittleEndian<quint64>(quint64(1) << 40, b.data() + sizeAt);
      qToLittleEndian<quint64>(quint64(b.size()), b.data() + 16);
      quint32 tocSize = qFromLittleEndian<quint32>(b.constData() + 24);
      quint32 crc = project::crc32(b.constData(), 28);
      crc = project::crc32(b.constData() + 32, tocSize, crc);
      qToLittleEndian<quint32>(crc, b.data() + 28);
      QVERIFY(writeAll(file, b));
      Project p;
      QVERIFY(!project::load(file, &p, &error));
      QVERIFY2(error.contains(file) && error.contains(QLatin1String("limit")), qPrintable(error));
    }
  }

  void version0FileOpensThroughTheMigration() {
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("old.ci2v"));
    const ResultClip a = makeClip(4, 3, 400), b = makeClip(8, 2, 800);
    auto png = [](const QImage& img) {
      QByteArray bytes;
      QBuffer buf(&bytes);
      buf.open(QIODevice::WriteOnly);
      img.save(&buf, "PNG");
      return bytes;
    };
    // Version 0 as documented in app/project.h: no histories, no favourites, no current result, "created" in
    // seconds since the epoch.
    QVector<project::Entry> entries;
    nlohmann::json results = nlohmann::json::array();
    int n = 0;
    for (const ResultClip* c : {&a, &b}) {
      nlohmann::json frames = nlohmann::json::array();
      for (int k = 0; k < c->frames.size(); ++k) {
        const QString name = QStringLiteral("results/%1/%2.png").arg(n).arg(k);
        entries.push_back({name, png(c->frames[k])});
        frames.push_back(name.toStdString());
      }
      results.push_back({{"id", c->id}, {"seed", c->seed}, {"seconds", c->seconds},
                         {"created", c->created.toSecsSinceEpoch()}, {"params", c->params.to_json()},
                         {"frames", frames}});
      ++n;
    }
    const QImage first = noiseImage(50, 30, 9);
    entries.push_back({QStringLiteral("first_frame.png"), png(first)});
    const nlohmann::json manifest = {{"format", 0}, {"app_version", "0.0.9"},
                                     {"first_frame", {{"entry", "first_frame.png"}, {"source", "/old/pic.png"}}},
                                     {"params", richParams().to_json()}, {"model_path", "/models/old"},
                                     {"results", results}};
    entries.prepend({QStringLiteral("project.json"), QByteArray::fromStdString(manifest.dump())});
    QVERIFY(writeAll(file, project::packContainer(0, entries)));

    Project p;
    QString error;
    QVERIFY2(project::load(file, &p, &error), qPrintable(error));
    QCOMPARE(p.formatVersion, 0u);
    QCOMPARE(p.appVersion, QStringLiteral("0.0.9"));

    Document d;
    QVERIFY2(d.openProjectFile(file, &error), qPrintable(error));
    QCOMPARE(d.params().to_json(), richParams().to_json());
    QVERIFY(samePixels(d.firstFrame(), first));
    QCOMPARE(d.firstFrameSource(), QStringLiteral("/old/pic.png"));
    QCOMPARE(d.modelPath(), QStringLiteral("/models/old"));
    QVERIFY(d.promptHistory().isEmpty() && d.negativeHistory().isEmpty());
    QCOMPARE(d.resultCount(), 2);
    QCOMPARE(d.currentResultIndex(), 1);  // the newest
    QCOMPARE(d.result(1).id, quint64(8));
    QVERIFY(!d.result(0).favourite && !d.result(1).favourite);
    QCOMPARE(d.result(0).created.toSecsSinceEpoch(), a.created.toSecsSinceEpoch());
    QCOMPARE(d.result(0).seed, a.seed);
    QVERIFY(samePixels(d.result(1).frames[1], b.frames[1]));
    // Saving writes the current format.
    const QString resaved = tmp.filePath(QStringLiteral("new.ci2v"));
    QVERIFY(d.saveProjectFile(resaved, &error));
    QVERIFY(project::load(resaved, &p, &error));
    QCOMPARE(p.formatVersion, 1u);
    QCOMPARE(p.results.size(), 2);
  }

  void failedSaveKeepsThePreviousFile() {
    QTemporaryDir tmp;
    const QString dir = tmp.filePath(QStringLiteral("projects"));
    QVERIFY(QDir().mkpath(dir));
    const QString file = dir + QStringLiteral("/keep.ci2v");
    Document d;
    fill(d);
    QString error;
    QVERIFY(d.saveProjectFile(file, &error));
    const QByteArray previous = readAll(file);
    d.addResult(makeClip(20, 6, 2000));
    d.setPrompt(QStringLiteral("the new state"));

#if defined(Q_OS_UNIX)
    // A full disk: the file size limit makes every write beyond 4 KiB fail (works for root too).
    {
      bool ok = true;
      QVERIFY(underFileSizeLimit(4096, [&] { ok = d.saveProjectFile(file, &error); }));
      QVERIFY(!ok);
      qInfo().noquote() << error;
      QVERIFY2(error.contains(file) && error.contains(QLatin1String("Cannot save")), qPrintable(error));
      QVERIFY2(!error.contains(QLatin1String("Unknown error")), qPrintable(error));  // the cause is named
      QVERIFY2(error.size() > QStringLiteral("Cannot save the project : ").size() + file.size(), qPrintable(error));
      QCOMPARE(readAll(file), previous);
      QVERIFY(d.isModified());  // still unsaved
      QCOMPARE(QDir(dir).entryList(QDir::Files), QStringList{QStringLiteral("keep.ci2v")});  // no temporary left
    }
    // A small file (under the 16 KiB QSaveFile keeps in its buffer, which fails only when it is flushed at the
    // end): still refused, the previous file kept.
    {
      const QString small = dir + QStringLiteral("/small.json");
      QVERIFY(project::writeFileAtomically(small, QByteArray("{\"kept\": true}\n"), &error));
      bool ok = true;
      QVERIFY(underFileSizeLimit(4096, [&] { ok = project::writeFileAtomically(small, QByteArray(6000, 'x'), &error); }));
      QVERIFY(!ok);
      QVERIFY2(!error.isEmpty() && !error.contains(QLatin1String("Unknown error")), qPrintable(error));
      QCOMPARE(readAll(small), QByteArray("{\"kept\": true}\n"));
      QFile::remove(small);
    }
    // An unwritable folder (permissions do not stop root: then only the other cases run).
    if (geteuid() != 0) {
      QVERIFY(QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
      const bool ok = d.saveProjectFile(file, &error);
      QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
      QVERIFY(!ok);
      QVERIFY2(error.contains(file), qPrintable(error));
      QCOMPARE(readAll(file), previous);
    }
#endif
    // A folder that cannot exist (its parent is a file).
    const QString impossible = file + QStringLiteral("/inside.ci2v");
    QVERIFY(!d.saveProjectFile(impossible, &error));
    qInfo().noquote() << error;
    QVERIFY2(error.contains(impossible), qPrintable(error));
    QCOMPARE(readAll(file), previous);
    QCOMPARE(d.projectPath(), file);
    // And afterwards saving works again.
    QVERIFY2(d.saveProjectFile(file, &error), qPrintable(error));
    Project p;
    QVERIFY(project::load(file, &p, &error));
    QCOMPARE(p.results.size(), 4);
  }

  // A run started before another project was opened finishes into it: its clip gets an id of its own (a
  // project file with an id used twice could not be opened again), and later requests get fresh ones.
  void aClipWhoseIdIsTakenGetsAFreshOne() {
    QTemporaryDir tmp;
    Document d;
    fill(d);  // ids 3, 5, 9
    const QString file = tmp.filePath(QStringLiteral("p.ci2v"));
    QString error;
    QVERIFY(d.saveProjectFile(file, &error));
    Document e;
    GenerationRequest running;
    e.setFirstFrame(noiseImage(16, 16, 1), QString());
    e.setModelPath(QStringLiteral("/models/x"));
    QVERIFY2(e.makeRequest(&running, &error), qPrintable(error));
    QCOMPARE(running.id, quint64(1));
    QVERIFY2(e.openProjectFile(file, &error), qPrintable(error));
    ResultClip late = makeClip(5, 2, 700);  // as if request 5 of the old session had been running
    const int i = e.addResult(late);
    QCOMPARE(e.result(i).id, quint64(10));
    QCOMPARE(e.result(i).seed, late.seed);  // the clip itself is unchanged
    e.addResult(makeClip(12, 1, 800));       // a free id stays
    QCOMPARE(e.result(e.resultCount() - 1).id, quint64(12));
    GenerationRequest next;
    QVERIFY2(e.makeRequest(&next, &error), qPrintable(error));
    QCOMPARE(next.id, quint64(13));
    QVERIFY(e.saveProjectFile(file, &error));
    Project p;
    QVERIFY2(project::load(file, &p, &error), qPrintable(error));
    QCOMPARE(p.results.size(), 5);
  }

  void modifiedFlagAndHistoryEditing() {
    Document d;
    QSignalSpy modified(&d, &Document::modifiedChanged);
    QVERIFY(!d.isModified());
    d.setPrompt(QStringLiteral("x"));
    QVERIFY(d.isModified());
    QCOMPARE(modified.count(), 1);
    d.setModified(false);
    d.setFirstFrame(noiseImage(8, 8, 1), QString());
    QVERIFY(d.isModified());
    d.setModified(false);
    d.addResult(makeClip(1, 1, 1));
    d.addResult(makeClip(2, 1, 2));
    d.addResult(makeClip(3, 1, 3));
    QVERIFY(d.isModified());
    d.setModified(false);
    d.setCurrentResult(0);  // looking at another result is not a change
    QVERIFY(!d.isModified());
    d.setModelPath(QStringLiteral("/models/other"));  // the project keeps its model folder
    QVERIFY(d.isModified());
    d.setModified(false);

    QSignalSpy changed(&d, &Document::resultChanged), removed(&d, &Document::resultRemoved),
        current(&d, &Document::currentResultChanged);
    d.setFavourite(2, true);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.last().at(0).toInt(), 2);
    QVERIFY(d.result(2).favourite);
    QVERIFY(d.isModified());
    d.setFavourite(2, true);  // no change
    QCOMPARE(changed.count(), 1);
    d.setFavourite(7, true);  // out of range
    QCOMPARE(changed.count(), 1);

    d.setCurrentResult(1);
    current.clear();
    d.removeResult(0);  // before the current one: the current index moves
    QCOMPARE(removed.last().at(0).toInt(), 0);
    QCOMPARE(d.resultCount(), 2);
    QCOMPARE(d.currentResultIndex(), 0);
    QCOMPARE(d.currentResult()->id, quint64(2));
    QCOMPARE(current.count(), 1);
    d.removeResult(0);  // the current one: the next one becomes current
    QCOMPARE(d.currentResultIndex(), 0);
    QCOMPARE(d.currentResult()->id, quint64(3));
    QVERIFY(d.currentResult()->favourite);
    d.removeResult(0);
    QCOMPARE(d.currentResultIndex(), -1);
    QCOMPARE(d.resultCount(), 0);
    QCOMPARE(removed.count(), 3);
    d.removeResult(0);  // nothing left
    QCOMPARE(removed.count(), 3);
  }

  // An autosave folder that cannot be made (its parent is a file) is said, and the autosaver tries again at every
  // tick: once the way is clear the session starts and the changes made meanwhile are saved.
  // A first frame larger than a project holds (16384 a side, 64 Mi pixels) is scaled down to fit, saying so: saved as
  // it was, the project could not be opened again.
  void aPictureLargerThanAProjectHoldsIsScaledToFit() {
    QTemporaryDir tmp;
    Document d;
    QImage wide(16400, 16, QImage::Format_RGB888);
    wide.fill(Qt::darkCyan);
    d.setFirstFrame(wide, QStringLiteral("wide.png"));
    QVERIFY(d.firstFrame().width() <= project::kMaxImageSide);
    QCOMPARE(d.firstFrame().height(), 15);  // the aspect kept (16 × 16384 / 16400, rounded down)
    QVERIFY2(d.lastPictureNote().contains(QStringLiteral("16400 × 16")), qPrintable(d.lastPictureNote()));
    const QString file = tmp.filePath(QStringLiteral("wide.ci2v"));
    QString error;
    QVERIFY2(d.saveProjectFile(file, &error), qPrintable(error));
    Document back;
    QVERIFY2(back.openProjectFile(file, &error), qPrintable(error));
    QCOMPARE(back.firstFrame().size(), d.firstFrame().size());
    // a picture within the limits is kept as it is, and the note goes
    d.setFirstFrame(QImage(640, 480, QImage::Format_RGB888), QStringLiteral("small.png"));
    QCOMPARE(d.firstFrame().size(), QSize(640, 480));
    QVERIFY(d.lastPictureNote().isEmpty());
  }

  void autosaveThatCannotStartTriesAgain() {
    QTemporaryDir tmp;
    const QString blocker = tmp.filePath(QStringLiteral("blocker"));
    QVERIFY(writeAll(blocker, QByteArray("a file where the folder's parent should be")));
    Document d;
    fill(d);
    Autosaver a(&d, blocker + QStringLiteral("/autosave"), 50);
    QVERIFY(!a.isActive());
    QVERIFY2(a.lastError().contains(blocker), qPrintable(a.lastError()));
    QSignalSpy failed(&a, &Autosaver::failed), saved(&a, &Autosaver::saved);
    QString error;
    QVERIFY(!a.saveNow(&error));  // cannot save now either, and says why
    QVERIFY2(error.contains(blocker), qPrintable(error));
    d.setPrompt(QStringLiteral("work done while autosave was off"));
    QTest::qWait(200);  // ticks: still off, the same reason not said again and again
    QVERIFY(!a.isActive());
    QCOMPARE(failed.count(), 0);
    QCOMPARE(saved.count(), 0);
    QVERIFY(QFile::remove(blocker));
    QTRY_VERIFY(a.isActive());
    QVERIFY(a.lastError().isEmpty());
    QTRY_COMPARE(saved.count(), 1);
    Document back;
    QVERIFY2(Autosaver::recover(a.recoveryFile(), back, &error), qPrintable(error));
    QCOMPARE(back.params().prompt, std::string("work done while autosave was off"));
    a.finish();
  }

  void autosaveWritesOnlyWhenModified() {
    QTemporaryDir tmp;
    const QString folder = tmp.filePath(QStringLiteral("autosave"));
    const QString userFile = tmp.filePath(QStringLiteral("mine.ci2v"));
    Document d;
    fill(d);
    QString error;
    QVERIFY(d.saveProjectFile(userFile, &error));
    const QByteArray userBytes = readAll(userFile);

    Autosaver a(&d, folder, 100);
    QVERIFY2(a.isActive(), qPrintable(a.lastError()));
    QVERIFY(QFileInfo::exists(a.markerFile()));
    QVERIFY(a.recoveryFile().startsWith(QDir(folder).absolutePath()));
    QSignalSpy saved(&a, &Autosaver::saved);
    QTest::qWait(450);  // four intervals without changes
    QCOMPARE(saved.count(), 0);
    QVERIFY(!QFileInfo::exists(a.recoveryFile()));

    d.setPrompt(QStringLiteral("an autosaved prompt"));
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(a.recoveryFile()), 3000);
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 3000);
    QTest::qWait(350);  // no further changes: no further saves
    QCOMPARE(saved.count(), 1);
    Project p;
    QVERIFY2(project::load(a.recoveryFile(), &p, &error), qPrintable(error));
    QCOMPARE(p.params.prompt, std::string("an autosaved prompt"));
    QCOMPARE(p.results.size(), 3);
    QCOMPARE(readAll(userFile), userBytes);  // the user's file is never touched
    QVERIFY(d.isModified());                 // autosave does not count as saving

    d.setFavourite(0, true);
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 2, 3000);
    QVERIFY(project::load(a.recoveryFile(), &p, &error));
    QVERIFY(p.results[0].favourite);

    // The user saves: the recovery file goes (it holds nothing newer), and nothing is written while unmodified.
    QVERIFY(d.saveProjectFile(userFile, &error));
    QVERIFY(!QFileInfo::exists(a.recoveryFile()));
    QTest::qWait(350);
    QVERIFY(!QFileInfo::exists(a.recoveryFile()));
    QCOMPARE(saved.count(), 2);
    a.finish();
    QVERIFY(!QFileInfo::exists(a.markerFile()));
    QVERIFY(Autosaver::recoverable(folder).isEmpty());
  }

  void recoveryAfterACrash() {
    QTemporaryDir tmp;
    const QString folder = tmp.filePath(QStringLiteral("autosave"));
    Document original;
    fill(original);
    original.setProjectPath(tmp.filePath(QStringLiteral("user.ci2v")));
    QString error, crashedFile;
    {
      auto* a = new Autosaver(&original, folder, 60000);
      QVERIFY(a->isActive());
      QVERIFY(Autosaver::recoverable(folder).isEmpty());  // an empty session of a running studio
      QVERIFY2(a->saveNow(&error), qPrintable(error));
      QVERIFY(Autosaver::recoverable(folder).isEmpty());  // the session is still running
      crashedFile = a->recoveryFile();
      delete a;  // the crash: no finish()
    }
    const QStringList found = Autosaver::recoverable(folder);
    QCOMPARE(found, QStringList{crashedFile});
    QCOMPARE(Autosaver::originalProjectPath(crashedFile), original.projectPath());

    Document d;
    d.setPrompt(QStringLiteral("a fresh start"));
    QVERIFY2(Autosaver::recover(crashedFile, d, &error), qPrintable(error));
    QCOMPARE(d.params().to_json(), original.params().to_json());
    QVERIFY(samePixels(d.firstFrame(), original.firstFrame()));
    QCOMPARE(d.resultCount(), 3);
    QCOMPARE(d.currentResultIndex(), 1);
    QVERIFY(d.result(1).favourite);
    QVERIFY(samePixels(d.result(2).frames[1], original.result(2).frames[1]));
    QVERIFY(d.isModified());
    QCOMPARE(d.projectPath(), original.projectPath());
    Autosaver::discard(crashedFile);
    QVERIFY(Autosaver::recoverable(folder).isEmpty());
    QVERIFY(QDir(folder).entryList(QDir::Files).isEmpty());
    // A hostile marker (an object holding half a million nested arrays, under the marker size limit) is read at
    // every start: it is an unreadable marker, not a crash.
    QVERIFY(writeAll(QDir(folder).filePath(QStringLiteral("autosave-hostile.marker")),
                     QByteArray("{\"pid\": ") + QByteArray(500000, '[') + QByteArray(500000, ']') + "}"));
    QVERIFY(Autosaver::recoverable(folder).isEmpty());  // no recovery file with it: nothing to offer
  }

  void recoveryByProcessId() {
    QTemporaryDir tmp;
    const QString folder = tmp.filePath(QStringLiteral("autosave"));
    Document d;
    fill(d);
    Autosaver a(&d, folder, 60000);
    QString error;
    QVERIFY2(a.saveNow(&error), qPrintable(error));
    const QByteArray data = readAll(a.recoveryFile());
    nlohmann::json marker = nlohmann::json::parse(readAll(a.markerFile()).toStdString());
    QCOMPARE(marker["pid"].get<qint64>(), QCoreApplication::applicationPid());
    // Another studio that died (a PID that cannot exist) and one that is still running (PID 1, always there).
    const QDir dir(folder);
    auto forge = [&](const QString& session, qint64 pid) {
      nlohmann::json m = marker;
      m["pid"] = pid;
      m["process_start"] = "";
      m["session"] = session.toStdString();
      QVERIFY(writeAll(dir.filePath(QStringLiteral("autosave-%1.marker").arg(session)),
                       QByteArray::fromStdString(m.dump())));
      QVERIFY(writeAll(dir.filePath(QStringLiteral("autosave-%1.ci2v").arg(session)), data));
    };
    forge(QStringLiteral("dead"), 2147483000);
    forge(QStringLiteral("alive"), 1);
    // A dead session whose PID was reused by a running process (PID 1 with another start time).
    nlohmann::json reused = marker;
    reused["pid"] = 1;
    reused["process_start"] = "123456789123";
    reused["session"] = "reused";
    QVERIFY(writeAll(dir.filePath(QStringLiteral("autosave-reused.marker")), QByteArray::fromStdString(reused.dump())));
    QVERIFY(writeAll(dir.filePath(QStringLiteral("autosave-reused.ci2v")), data));
    // A marker of a dead session without data is stale: removed.
    forge(QStringLiteral("stale"), 2147483001);
    QFile::remove(dir.filePath(QStringLiteral("autosave-stale.ci2v")));

    QStringList found = Autosaver::recoverable(folder);
    found.sort();
    QStringList expected{dir.filePath(QStringLiteral("autosave-dead.ci2v"))};
#if defined(Q_OS_LINUX)
    expected << dir.filePath(QStringLiteral("autosave-reused.ci2v"));
#endif
    expected.sort();
    QCOMPARE(found, expected);
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("autosave-stale.marker"))));

    Document r;
    QVERIFY2(Autosaver::recover(found.first(), r, &error), qPrintable(error));
    QCOMPARE(r.params().to_json(), d.params().to_json());
    QCOMPARE(r.resultCount(), 3);

    // A damaged recovery file: a clear error, the document unchanged.
    const QString damaged = dir.filePath(QStringLiteral("autosave-dead.ci2v"));
    QVERIFY(writeAll(damaged, data.left(data.size() / 3)));
    Document untouched;
    untouched.setPrompt(QStringLiteral("keep"));
    const QString before = fingerprint(untouched);
    QVERIFY(!Autosaver::recover(damaged, untouched, &error));
    QVERIFY2(error.contains(damaged) && error.contains(QLatin1String("truncated")), qPrintable(error));
    QCOMPARE(fingerprint(untouched), before);

    // After a clean finish, this session leaves nothing to recover.
    a.finish();
    QVERIFY(!QFileInfo::exists(a.recoveryFile()) && !QFileInfo::exists(a.markerFile()));
    for (const QString& f : Autosaver::recoverable(folder)) Autosaver::discard(f);
    QVERIFY(Autosaver::recoverable(folder).isEmpty());
    // The running one's files stay (not ours to remove).
    QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("autosave-alive.marker"))));
  }

  void finishedSessionIsNotRecoverable() {
    QTemporaryDir tmp;
    const QString folder = tmp.filePath(QStringLiteral("autosave"));
    Document d;
    fill(d);
    {
      Autosaver a(&d, folder, 100);
      d.setPrompt(QStringLiteral("changed"));
      QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(a.recoveryFile()), 3000);
      a.finish();
    }
    QVERIFY(Autosaver::recoverable(folder).isEmpty());
    QVERIFY(QDir(folder).entryList(QDir::Files).isEmpty());
  }

  // Every picture is encoded once: a new result's frames in the background as it arrives, an opened project's not
  // at all (its PNGs are kept as read); a removed result's PNGs leave the cache at the next save.
  void picturesAreEncodedOnceAcrossSaves() {
    QTemporaryDir tmp;
    Document d;
    fill(d);  // a first frame and 4 + 3 + 2 frames
    QThreadPool::globalInstance()->waitForDone();  // the results' frames, encoded as they arrived
    const auto cache = d.pngCache();
    QCOMPARE(cache->encodedCount(), qint64(9));
    QString error;
    const QString first = tmp.filePath(QStringLiteral("first.ci2v"));
    QVERIFY2(d.saveProjectFile(first, &error), qPrintable(error));
    QCOMPARE(cache->encodedCount(), qint64(10));  // only the first frame was left
    QCOMPARE(cache->size(), 10);
    QVERIFY(d.saveProjectFile(tmp.filePath(QStringLiteral("again.ci2v")), &error));
    QCOMPARE(cache->encodedCount(), qint64(10));
    QCOMPARE(readAll(tmp.filePath(QStringLiteral("again.ci2v"))).size(), readAll(first).size());

    d.removeResult(0);  // its 4 frames go with the next save
    QVERIFY(d.saveProjectFile(first, &error));
    QCOMPARE(cache->size(), 6);
    QCOMPARE(cache->encodedCount(), qint64(10));

    Document opened;
    QVERIFY2(opened.openProjectFile(first, &error), qPrintable(error));
    QCOMPARE(opened.pngCache()->size(), 6);
    const QString copy = tmp.filePath(QStringLiteral("copy.ci2v"));
    QVERIFY2(opened.saveProjectFile(copy, &error), qPrintable(error));
    QCOMPARE(opened.pngCache()->encodedCount(), qint64(0));
    Project a, b;
    QVERIFY2(project::load(first, &a, &error), qPrintable(error));
    QVERIFY2(project::load(copy, &b, &error), qPrintable(error));
    QCOMPARE(b.results.size(), 2);
    QVERIFY(samePixels(a.firstFrame, b.firstFrame));
    for (int r = 0; r < 2; ++r) {
      QCOMPARE(b.results[r].frames.size(), a.results[r].frames.size());
      for (int k = 0; k < a.results[r].frames.size(); ++k) QVERIFY(samePixels(a.results[r].frames[k], b.results[r].frames[k]));
    }
  }

  // Encoding on several threads (as Save does) gives the pictures a single thread gives, in their places.
  void savingOnSeveralThreadsKeepsEveryPictureInItsPlace() {
    QTemporaryDir tmp;
    Document d;
    fill(d);
    d.addResult(makeClip(11, 24, 500));
    const Project p = d.toProject();
    QString error;
    const QString one = tmp.filePath(QStringLiteral("one.ci2v")), many = tmp.filePath(QStringLiteral("many.ci2v"));
    QVERIFY2(project::save(p, one, &error, nullptr, 1), qPrintable(error));
    QVERIFY2(project::save(p, many, &error, nullptr, 4), qPrintable(error));
    PngCache cache;
    const QByteArray inMemory = project::serialize(p, &cache);
    Project a, b, c;
    QVERIFY2(project::load(one, &a, &error), qPrintable(error));
    QVERIFY2(project::load(many, &b, &error), qPrintable(error));
    QVERIFY2(project::parse(inMemory, QStringLiteral("memory"), &c, &error), qPrintable(error));
    QCOMPARE(readAll(many).size(), readAll(one).size());
    QCOMPARE(inMemory.size(), readAll(one).size());
    QCOMPARE(b.results.size(), 4);
    for (int r = 0; r < 4; ++r)
      for (int k = 0; k < p.results[r].frames.size(); ++k) {
        QVERIFY(samePixels(a.results[r].frames[k], p.results[r].frames[k]));
        QVERIFY(samePixels(b.results[r].frames[k], p.results[r].frames[k]));
        QVERIFY(samePixels(c.results[r].frames[k], p.results[r].frames[k]));
      }
  }

  // The timer's save runs on a background thread: the window goes on meanwhile, a save by the user in between
  // leaves no recovery file behind (nor an older snapshot when the user typed on after saving), finish() waits for it, and a failed one is reported and tried again.
  void autosaveRunsInTheBackground() {
    QTemporaryDir tmp;
    const QString folder = tmp.filePath(QStringLiteral("autosave"));
    Document d;
    fill(d);
    QString error;
    QVERIFY(d.saveProjectFile(tmp.filePath(QStringLiteral("mine.ci2v")), &error));
    Autosaver a(&d, folder, 50);
    QSemaphore entered, release;
    a.setBackgroundHook([&] {
      entered.release();
      release.acquire();
    });
    QSignalSpy saved(&a, &Autosaver::saved), failed(&a, &Autosaver::failed);
    const auto waitUntilHeld = [&] {  // a background save has reached the hook
      QTRY_VERIFY_WITH_TIMEOUT(entered.available() > 0, 3000);
      entered.acquire();
    };

    // 1. Held on its thread while this one turns its event loop; the user saves meanwhile.
    d.setPrompt(QStringLiteral("first change"));
    waitUntilHeld();
    QVERIFY(a.isSaving());
    d.setPrompt(QStringLiteral("a change while it saves"));
    QTest::qWait(200);  // ticks while it runs start nothing
    QCOMPARE(entered.available(), 0);
    QVERIFY(d.saveProjectFile(tmp.filePath(QStringLiteral("mine.ci2v")), &error));
    release.release();
    QTRY_VERIFY_WITH_TIMEOUT(!a.isSaving(), 3000);
    QCOMPARE(saved.count(), 0);  // it held nothing newer than the user's file
    QVERIFY(!QFileInfo::exists(a.recoveryFile()));

    // 1b. The same with a change typed after the save, before the held save ends: what it wrote is older than
    // the user's file, so it is not left as the recovery file (a crash would offer it as newer); the new change
    // is saved next.
    d.setPrompt(QStringLiteral("before the save"));
    waitUntilHeld();
    QVERIFY(d.saveProjectFile(tmp.filePath(QStringLiteral("mine.ci2v")), &error));
    d.setPrompt(QStringLiteral("typed after the save"));
    release.release();
    waitUntilHeld();  // the next save, of the new change
    QCOMPARE(saved.count(), 0);
    QVERIFY(!QFileInfo::exists(a.recoveryFile()));
    release.release();
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 3000);
    {
      Project q;
      QVERIFY2(project::load(a.recoveryFile(), &q, &error), qPrintable(error));
      QCOMPARE(q.params.prompt, std::string("typed after the save"));
    }

    // 2. A change saved in the background, then another one while the first is held: saved after it.
    d.setPrompt(QStringLiteral("second change"));
    waitUntilHeld();
    d.setPrompt(QStringLiteral("third change"));
    release.release();
    waitUntilHeld();  // the third change's save
    release.release();
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 3, 3000);
    Project p;
    QVERIFY2(project::load(a.recoveryFile(), &p, &error), qPrintable(error));
    QCOMPARE(p.params.prompt, std::string("third change"));

    // 3. A failed save (a folder where the file should be) is reported, naming the file, and tried again.
    QFile::remove(a.recoveryFile());
    QVERIFY(QDir().mkpath(a.recoveryFile() + QStringLiteral("/in-the-way")));
    a.setBackgroundHook({});
    d.setPrompt(QStringLiteral("fourth change"));
    QTRY_VERIFY_WITH_TIMEOUT(failed.count() >= 2, 3000);
    QVERIFY2(failed.first().first().toString().contains(a.recoveryFile()), qPrintable(failed.first().first().toString()));
    QVERIFY(QDir(a.recoveryFile()).removeRecursively());
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 4, 3000);
    QVERIFY2(project::load(a.recoveryFile(), &p, &error), qPrintable(error));
    QCOMPARE(p.params.prompt, std::string("fourth change"));

    // 4. finish() while a save is held waits for it, then removes both files.
    a.setBackgroundHook([&] {
      entered.release();
      release.acquire();
    });
    d.setPrompt(QStringLiteral("fifth change"));
    waitUntilHeld();
    std::thread later([&] {
      QThread::msleep(100);
      release.release();
    });
    a.finish();
    later.join();
    QVERIFY(!a.isSaving());
    QVERIFY(!QFileInfo::exists(a.recoveryFile()));
    QVERIFY(!QFileInfo::exists(a.markerFile()));
    QVERIFY(Autosaver::recoverable(folder).isEmpty());
  }

  // What arrives while a background autosave runs stays encoded (its PNGs are not pruned by that save), and a
  // Save while a new result is still being encoded waits for the pictures in progress instead of encoding them
  // again: every picture is encoded exactly once.
  void picturesArrivingDuringASaveAreEncodedOnce() {
    QThreadPool::globalInstance()->setMaxThreadCount(std::max(2, QThread::idealThreadCount()));  // held save + encoder
    QTemporaryDir tmp;
    Document d;
    fill(d);
    QString error;
    QVERIFY(d.saveProjectFile(tmp.filePath(QStringLiteral("mine.ci2v")), &error));
    QThreadPool::globalInstance()->waitForDone();
    const auto cache = d.pngCache();
    const qint64 before = cache->encodedCount();
    Autosaver a(&d, tmp.filePath(QStringLiteral("autosave")), 50);
    QSemaphore entered, release;
    a.setBackgroundHook([&] {
      entered.release();
      release.acquire();
    });
    QSignalSpy saved(&a, &Autosaver::saved);
    d.setPrompt(QStringLiteral("changed"));
    QTRY_VERIFY_WITH_TIMEOUT(entered.available() > 0, 3000);
    entered.acquire();
    d.addResult(makeClip(20, 20, 900));  // encoded in the background while the autosave is held
    QTRY_COMPARE_WITH_TIMEOUT(cache->encodedCount(), before + 20, 5000);
    a.setBackgroundHook({});
    release.release();
    QTRY_VERIFY_WITH_TIMEOUT(saved.count() >= 1, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(!a.isSaving(), 5000);
    QVERIFY(d.saveProjectFile(tmp.filePath(QStringLiteral("mine.ci2v")), &error));
    QCOMPARE(cache->encodedCount(), before + 20);

    // A Save right after a long result arrives: the pictures its background encoding is working on are waited
    // for, the others encoded by the Save; none twice.
    d.addResult(makeClip(21, 64, 1000));
    QVERIFY(d.saveProjectFile(tmp.filePath(QStringLiteral("mine.ci2v")), &error));
    QThreadPool::globalInstance()->waitForDone();
    QCOMPARE(cache->encodedCount(), before + 20 + 64);
    a.finish();
  }

  void autosaveNeverWritesTheProjectFile() {
    QTemporaryDir tmp;
    const QString folder = tmp.filePath(QStringLiteral("autosave"));
    Document d;
    fill(d);
    Autosaver a(&d, folder, 60000);
    // A user who saved the project under the recovery file's own name (in the autosave folder).
    QString error;
    QVERIFY(d.saveProjectFile(a.recoveryFile(), &error));
    QVERIFY(QFileInfo::exists(a.recoveryFile()));  // saving (modified -> unmodified) does not remove it
    const QByteArray bytes = readAll(a.recoveryFile());
    Project p;
    QVERIFY(project::parse(bytes, a.recoveryFile(), &p, &error));
    d.setPrompt(QStringLiteral("changed"));
    QVERIFY(!a.saveNow(&error));
    QVERIFY2(error.contains(QLatin1String("project file itself")), qPrintable(error));
    QCOMPARE(readAll(a.recoveryFile()), bytes);
    a.finish();  // nor does the clean shutdown
    QCOMPARE(readAll(a.recoveryFile()), bytes);
  }
};

CI2V_GUI_TEST_MAIN(TestProject)
#include "tst_project.moc"
