#include "app/project.h"

#include <unistd.h>

#include <QBuffer>
#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QImageWriter>
#include <QSaveFile>
#include <QSet>
#include <QThread>
#include <QThreadPool>
#include <QWaitCondition>
#include <QtEndian>
#include <algorithm>
#include <array>
#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <cerrno>
#include <cstring>
#include <limits>

#include "engine/camera_path.h"
#include "engine/error.h"
#include "engine/io/json_text.h"

namespace studio {

// ---------------------------------------------------------------- PNG cache

namespace {

QByteArray encodePng(const QImage& image) {
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  QImageWriter writer(&buffer, "PNG");
  // RGB888 (and any format without alpha) is stored as 8-bit RGB; a picture with alpha keeps it.
  const QImage img = image.hasAlphaChannel() ? image.convertToFormat(QImage::Format_RGBA8888)
                                             : image.convertToFormat(QImage::Format_RGB888);
  if (!writer.write(img)) return {};
  return bytes;
}

// Runs f(0) .. f(n - 1) on up to `threads` threads (0: QThread::idealThreadCount()): the caller's and helpers from
// Qt's global pool. The caller works through the items too, so this finishes even when the pool is busy (or when
// it is called from a pool thread); a helper that starts late finds nothing left to do.
void parallelFor(int n, int threads, const std::function<void(int)>& f) {
  if (n <= 0) return;
  if (threads <= 0) threads = QThread::idealThreadCount();
  const int helpers = std::clamp(threads, 1, n) - 1;
  if (helpers == 0) {
    for (int i = 0; i < n; ++i) f(i);
    return;
  }
  struct Shared {
    std::atomic<int> next{0};
    QMutex mutex;
    QWaitCondition allDone;
    int done = 0;
    std::exception_ptr error;  // the first item's exception, rethrown by the caller once every item is done
  };
  auto shared = std::make_shared<Shared>();
  // f is only called for claimed items, and the caller waits until every item is done (thrown or not): f's
  // references stay valid.
  auto work = [shared, n, &f] {
    for (int i; (i = shared->next.fetch_add(1)) < n;) {
      std::exception_ptr e;
      try {
        f(i);
      } catch (...) {
        e = std::current_exception();
      }
      QMutexLocker lock(&shared->mutex);
      if (e && !shared->error) shared->error = e;
      if (++shared->done == n) shared->allDone.wakeAll();
    }
  };
  for (int h = 0; h < helpers; ++h) QThreadPool::globalInstance()->start(work);
  work();
  QMutexLocker lock(&shared->mutex);
  while (shared->done < n) shared->allDone.wait(&shared->mutex);
  if (shared->error) std::rethrow_exception(shared->error);
}

}  // namespace

bool PngCache::lookup(qint64 key, QByteArray* png) {
  auto it = cache_.find(key);
  if (it == cache_.end()) return false;
  it->lastUse = clock_;
  *png = it->png;
  return true;
}

void PngCache::insert(const QImage& image, const QByteArray& png) {
  if (image.isNull() || png.isEmpty()) return;
  QMutexLocker lock(&mutex_);
  Entry& e = cache_[image.cacheKey()];
  e.png = png;
  e.lastUse = clock_;
}

QByteArray PngCache::encode(const QImage& image) {
  const qint64 key = image.cacheKey();
  QByteArray png;
  {
    QMutexLocker lock(&mutex_);
    for (;;) {
      if (lookup(key, &png)) return png;
      if (!pending_.contains(key)) break;
      encoded_cv_.wait(&mutex_);  // another thread encodes it right now
    }
    pending_.insert(key);
  }
  try {
    png = encodePng(image);  // outside the lock: other threads go on meanwhile
  } catch (...) {            // out of memory: whoever waits for this picture tries it again
    QMutexLocker lock(&mutex_);
    pending_.remove(key);
    encoded_cv_.wakeAll();
    throw;
  }
  QMutexLocker lock(&mutex_);
  pending_.remove(key);
  ++encoded_;
  if (!png.isEmpty()) {
    Entry& e = cache_[key];
    e.png = png;
    e.lastUse = clock_;
  }
  encoded_cv_.wakeAll();
  return png;
}

QVector<QByteArray> PngCache::encodeAll(const QVector<QImage>& images, int threads) {
  QVector<QByteArray> out(images.size());
  QVector<int> missing;
  {
    QMutexLocker lock(&mutex_);
    for (int i = 0; i < images.size(); ++i)
      if (!lookup(images[i].cacheKey(), &out[i])) missing.push_back(i);
  }
  parallelFor(static_cast<int>(missing.size()), threads, [&](int k) { out[missing[k]] = encode(images[missing[k]]); });
  return out;
}

void PngCache::warm(const QVector<QImage>& images) {
  for (const QImage& img : images)
    if (!img.isNull()) encode(img);
}

quint64 PngCache::beginSave() {
  QMutexLocker lock(&mutex_);
  return ++clock_;
}

void PngCache::prune(quint64 save) {
  QMutexLocker lock(&mutex_);
  for (auto it = cache_.begin(); it != cache_.end();) {
    if (it->lastUse < save) it = cache_.erase(it);
    else ++it;
  }
}

int PngCache::size() const {
  QMutexLocker lock(&mutex_);
  return static_cast<int>(cache_.size());
}

qint64 PngCache::encodedCount() const {
  QMutexLocker lock(&mutex_);
  return encoded_;
}

namespace project {

qint64 maxProjectPixels() {
  qint64 physical = 0;
#if defined(_SC_PHYS_PAGES) && defined(_SC_PAGE_SIZE)
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  if (pages > 0 && page > 0) physical = qint64(pages) * page;
#endif
  return std::max<qint64>(qint64(2) << 30, physical / 4);
}

namespace {

constexpr std::array<unsigned char, 8> kMagic = {0x89, 'C', 'I', '2', 'V', 0x0D, 0x0A, 0x1A};
constexpr int kHeaderSize = 32;
const char* const kManifest = "project.json";
const char* const kFirstFrame = "first_frame.png";


// A problem with the file's content (the message is completed with the file name by the caller).
struct Bad : std::runtime_error {
  explicit Bad(const QString& m) : std::runtime_error(m.toStdString()) {}
};

std::array<quint32, 256> makeCrcTable() {
  std::array<quint32, 256> t{};
  for (quint32 i = 0; i < 256; ++i) {
    quint32 c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}

void putU16(QByteArray& b, quint16 v) {
  char s[2];
  qToLittleEndian(v, s);
  b.append(s, 2);
}
void putU32(QByteArray& b, quint32 v) {
  char s[4];
  qToLittleEndian(v, s);
  b.append(s, 4);
}
void putU64(QByteArray& b, quint64 v) {
  char s[8];
  qToLittleEndian(v, s);
  b.append(s, 8);
}
template <typename T>
T getLE(const char* p) {
  return qFromLittleEndian<T>(p);
}

QString hex32(quint32 v) { return QStringLiteral("0x%1").arg(v, 8, 16, QLatin1Char('0')); }

std::string utf8(const QString& s) { return s.toStdString(); }
QString qs(const std::string& s) { return QString::fromStdString(s); }

nlohmann::json stringList(const QStringList& l) {
  auto a = nlohmann::json::array();
  for (const auto& s : l) a.push_back(utf8(s));
  return a;
}

// --- manifest readers: every wrong type or missing key names the key
const nlohmann::json& member(const nlohmann::json& obj, const char* key, const QString& where) {
  if (!obj.is_object()) throw Bad(QCoreApplication::translate("studio::Project", "%1 is not a JSON object").arg(where));
  auto it = obj.find(key);
  if (it == obj.end()) throw Bad(QCoreApplication::translate("studio::Project", "%1 has no \"%2\"").arg(where, QLatin1String(key)));
  return *it;
}
QString getString(const nlohmann::json& obj, const char* key, const QString& where) {
  const auto& v = member(obj, key, where);
  if (!v.is_string()) throw Bad(QCoreApplication::translate("studio::Project", "%1: \"%2\" must be a string").arg(where, QLatin1String(key)));
  return qs(v.get<std::string>());
}
QStringList getStringList(const nlohmann::json& obj, const char* key, const QString& where) {
  const auto& v = member(obj, key, where);
  if (!v.is_array()) throw Bad(QCoreApplication::translate("studio::Project", "%1: \"%2\" must be a list of strings").arg(where, QLatin1String(key)));
  QStringList out;
  for (const auto& s : v) {
    if (!s.is_string()) throw Bad(QCoreApplication::translate("studio::Project", "%1: \"%2\" must be a list of strings").arg(where, QLatin1String(key)));
    out << qs(s.get<std::string>());
  }
  return out;
}
qint64 getInt(const nlohmann::json& obj, const char* key, const QString& where) {
  const auto& v = member(obj, key, where);
  if (!v.is_number_integer()) throw Bad(QCoreApplication::translate("studio::Project", "%1: \"%2\" must be an integer").arg(where, QLatin1String(key)));
  return v.get<qint64>();
}
quint64 getUInt(const nlohmann::json& obj, const char* key, const QString& where) {
  const auto& v = member(obj, key, where);
  if (v.is_number_unsigned()) return v.get<quint64>();
  if (v.is_number_integer() && v.get<qint64>() >= 0) return static_cast<quint64>(v.get<qint64>());
  throw Bad(QCoreApplication::translate("studio::Project", "%1: \"%2\" must be a non-negative integer").arg(where, QLatin1String(key)));
}
double getDouble(const nlohmann::json& obj, const char* key, const QString& where) {
  const auto& v = member(obj, key, where);
  if (!v.is_number()) throw Bad(QCoreApplication::translate("studio::Project", "%1: \"%2\" must be a number").arg(where, QLatin1String(key)));
  return v.get<double>();
}
bool getBool(const nlohmann::json& obj, const char* key, const QString& where) {
  const auto& v = member(obj, key, where);
  if (!v.is_boolean()) throw Bad(QCoreApplication::translate("studio::Project", "%1: \"%2\" must be true or false").arg(where, QLatin1String(key)));
  return v.get<bool>();
}

ci2v::GenerationParams readParams(const nlohmann::json& j, const QString& where) {
  ci2v::GenerationParams p;
  try {
    p = ci2v::GenerationParams::from_json(j);
  } catch (const std::exception& e) {
    throw Bad(QCoreApplication::translate("studio::Project", "%1: invalid parameters: %2").arg(where, QString::fromUtf8(e.what())));
  }
  if (!p.camera_path.is_null()) {
    try {
      ci2v::sampling::CameraPath::from_json(p.camera_path);
    } catch (const std::exception& e) {
      throw Bad(QCoreApplication::translate("studio::Project", "%1: invalid camera path: %2").arg(where, QString::fromUtf8(e.what())));
    }
  }
  try {
    // every value in its range (a frame count of 2e9 froze the timeline); combinations are checked at Generate
    p.validate_ranges();
  } catch (const std::exception& e) {
    throw Bad(QCoreApplication::translate("studio::Project", "%1: invalid parameters: %2").arg(where, QString::fromUtf8(e.what())));
  }
  if (!p.camera_preset.empty()) {
    try {
      ci2v::sampling::camera_preset_from_string(p.camera_preset);
    } catch (const std::exception& e) {
      throw Bad(QCoreApplication::translate("studio::Project", "%1: invalid camera preset: %2").arg(where, QString::fromUtf8(e.what())));
    }
  }
  return p;
}

// A PNG's size from its header (nothing decoded); an invalid size when the header is unreadable (decodePng says why).
QSize pngSize(const QByteArray& bytes) {
  QBuffer buffer;
  buffer.setData(bytes);
  buffer.open(QIODevice::ReadOnly);
  QImageReader reader(&buffer, "PNG");
  return reader.size();
}

QImage decodePng(const QByteArray& bytes, const QString& entry) {
  QBuffer buffer;
  buffer.setData(bytes);
  buffer.open(QIODevice::ReadOnly);
  QImageReader reader(&buffer, "PNG");
  reader.setAutoTransform(false);
  const QSize s = reader.size();  // from the header, before anything is allocated
  if (!s.isValid() || s.isEmpty())
    throw Bad(QCoreApplication::translate("studio::Project", "entry \"%1\" is not a readable PNG picture: %2").arg(entry, reader.errorString()));
  if (s.width() > kMaxImageSide || s.height() > kMaxImageSide ||
      qint64(s.width()) * s.height() > kMaxImagePixels)
    throw Bad(QCoreApplication::translate("studio::Project", "entry \"%1\" is a %2 × %3 picture, larger than the limit of %4 pixels a side / %5 pixels")
                  .arg(entry)
                  .arg(s.width())
                  .arg(s.height())
                  .arg(kMaxImageSide)
                  .arg(kMaxImagePixels));
  QImage img = reader.read();
  if (img.isNull()) throw Bad(QCoreApplication::translate("studio::Project", "entry \"%1\" cannot be decoded as PNG: %2").arg(entry, reader.errorString()));
  return img.hasAlphaChannel() ? img : img.convertToFormat(QImage::Format_RGB888);
}

// The manifest; `names` and `images` get the pictures it refers to (encoded by encodeEntries).
nlohmann::json makeManifest(const Project& p, QStringList* names, QVector<QImage>* images) {
  auto encode = [&](const QImage& img, const QString& name) {
    names->push_back(name);
    images->push_back(img);
  };
  nlohmann::json m;
  m["format"] = Project::kFormatVersion;
  m["app"] = "ConsistI2V Studio";
  m["app_version"] = utf8(QCoreApplication::applicationVersion());
  m["saved"] = utf8(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
  if (p.firstFrame.isNull()) {
    m["first_frame"] = nullptr;
  } else {
    encode(p.firstFrame, QLatin1String(kFirstFrame));
    m["first_frame"] = {{"entry", kFirstFrame}, {"source", utf8(p.firstFrameSource)}};
  }
  m["params"] = p.params.to_json();
  m["model_path"] = utf8(p.modelPath);
  m["histories"] = {{"prompt", stringList(p.promptHistory)}, {"negative", stringList(p.negativeHistory)}};
  m["current_result"] = p.currentResult;
  auto results = nlohmann::json::array();
  for (int i = 0; i < p.results.size(); ++i) {
    const ResultClip& c = p.results[i];
    nlohmann::json r;
    r["id"] = c.id;
    r["seed"] = c.seed;
    r["seconds"] = c.seconds;
    if (c.created.isValid()) r["created_ms"] = c.created.toMSecsSinceEpoch();
    r["favourite"] = c.favourite;
    if (!c.pictureSize.isEmpty()) r["picture_size"] = {c.pictureSize.width(), c.pictureSize.height()};
    r["params"] = c.params.to_json();
    auto frames = nlohmann::json::array();
    for (int k = 0; k < c.frames.size(); ++k) {
      const QString name = QStringLiteral("results/%1/%2.png").arg(i).arg(k, 4, 10, QLatin1Char('0'));
      encode(c.frames[k], name);
      frames.push_back(utf8(name));
    }
    r["frames"] = frames;
    results.push_back(r);
  }
  m["results"] = results;
  return m;
}

// Builds the project from a version 1 manifest and the container's entries.
// `keep` (optional) gets every picture read with its PNG bytes.
Project readManifest(const nlohmann::json& m, const QHash<QString, const QByteArray*>& entries,
                     const std::function<void(const QImage&, const QByteArray&)>& keep) {
  auto entry = [&](const QString& name) -> const QByteArray& {
    auto it = entries.find(name);
    if (it == entries.end()) throw Bad(QCoreApplication::translate("studio::Project", "the manifest refers to \"%1\", which the file does not contain").arg(name));
    return **it;
  };
  const QString where = QLatin1String(kManifest);
  // The pictures' pixels in all, from their headers before each is decoded: a small file of many huge, flat PNGs
  // would otherwise decode to more memory than the machine has.
  qint64 pixels = 0;
  const qint64 limit = maxProjectPixels();
  auto budget = [&](const QByteArray& bytes) {
    const QSize s = pngSize(bytes);  // one picture over its own limit: decodePng names it
    if (s.isValid() && s.width() <= kMaxImageSide && s.height() <= kMaxImageSide &&
        qint64(s.width()) * s.height() <= kMaxImagePixels)
      pixels += qint64(s.width()) * s.height();
    if (pixels > limit)
      throw Bad(QCoreApplication::translate("studio::Project", "its pictures add up to more than %1 megapixels (%2 GiB in memory), the limit of a project")
                    .arg(limit >> 20)
                    .arg((limit * 3) >> 30));
  };
  Project p;
  p.appVersion = m.contains("app_version") && m["app_version"].is_string() ? qs(m["app_version"].get<std::string>())
                                                                          : QString();
  const auto& ff = member(m, "first_frame", where);
  if (!ff.is_null()) {
    const QString w = where + QStringLiteral(" first_frame");
    const QString name = getString(ff, "entry", w);
    budget(entry(name));
    p.firstFrame = decodePng(entry(name), name);
    if (keep) keep(p.firstFrame, entry(name));
    p.firstFrameSource = getString(ff, "source", w);
  }
  p.params = readParams(member(m, "params", where), where + QStringLiteral(" params"));
  p.modelPath = getString(m, "model_path", where);
  const auto& h = member(m, "histories", where);
  p.promptHistory = getStringList(h, "prompt", where + QStringLiteral(" histories"));
  p.negativeHistory = getStringList(h, "negative", where + QStringLiteral(" histories"));
  const auto& results = member(m, "results", where);
  if (!results.is_array()) throw Bad(QCoreApplication::translate("studio::Project", "%1: \"results\" must be a list").arg(where));
  // Every frame of a project is an entry of its own: a manifest that refers to more frames than a project has entries
  // (the same small picture 300 000 times took seconds and most of a gigabyte) is refused before any is decoded.
  size_t frameRefs = 0;
  for (const auto& r : results)
    if (r.is_object() && r.contains("frames") && r["frames"].is_array()) frameRefs += r["frames"].size();
  if (results.size() > kMaxEntries || frameRefs > kMaxEntries)
    throw Bad(QCoreApplication::translate("studio::Project", "%1: %2 results with %3 frames in all, more than the %4 "
                                                             "pictures a project holds")
                  .arg(where)
                  .arg(results.size())
                  .arg(frameRefs)
                  .arg(kMaxEntries));
  QSet<quint64> ids;
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    const QString w = QCoreApplication::translate("studio::Project", "%1 result %2").arg(where).arg(i);
    ResultClip c;
    c.id = getUInt(r, "id", w);
    if (ids.contains(c.id)) throw Bad(QCoreApplication::translate("studio::Project", "%1: the id %2 is used twice").arg(w).arg(c.id));
    ids.insert(c.id);
    c.seed = getInt(r, "seed", w);
    c.seconds = getDouble(r, "seconds", w);
    if (r.contains("created_ms")) c.created = QDateTime::fromMSecsSinceEpoch(getInt(r, "created_ms", w), Qt::UTC);
    c.favourite = getBool(r, "favourite", w);
    if (r.contains("picture_size")) {  // optional (older files have none): [width, height]
      const auto& s = r["picture_size"];
      if (!s.is_array() || s.size() != 2 || !s[0].is_number_integer() || !s[1].is_number_integer() || s[0].get<int64_t>() < 1 ||
          s[1].get<int64_t>() < 1 || s[0].get<int64_t>() > 1000000 || s[1].get<int64_t>() > 1000000)
        throw Bad(QCoreApplication::translate("studio::Project", "%1: picture_size must be [width, height] in pixels")
                      .arg(w));
      c.pictureSize = QSize(static_cast<int>(s[0].get<int64_t>()), static_cast<int>(s[1].get<int64_t>()));
    }
    c.params = readParams(member(r, "params", w), w + QStringLiteral(" params"));
    const QStringList frames = getStringList(r, "frames", w);
    if (frames.isEmpty()) throw Bad(QCoreApplication::translate("studio::Project", "%1 has no frames").arg(w));
    // The clip's frames are decoded on every thread the machine has (a long clip has hundreds); the first
    // problem in the file's order is reported.
    QVector<const QByteArray*> bytes;
    for (const QString& name : frames) {
      bytes.push_back(entries.value(name, nullptr));  // a missing one: below
      if (bytes.back()) budget(*bytes.back());
    }
    QVector<QImage> decoded(frames.size());
    QVector<QString> problems(frames.size());
    parallelFor(static_cast<int>(frames.size()), 0, [&](int k) {
      if (!bytes[k]) return;
      try {
        decoded[k] = decodePng(*bytes[k], frames[k]);
      } catch (const std::exception& e) {
        problems[k] = QString::fromUtf8(e.what());
      }
    });
    for (int k = 0; k < frames.size(); ++k) {
      if (!bytes[k]) entry(frames[k]);  // throws, naming the entry the file does not contain
      if (!problems[k].isEmpty()) throw Bad(problems[k]);
      const QImage& img = decoded[k];
      if (!c.frames.isEmpty() && img.size() != c.frames.front().size())
        throw Bad(QCoreApplication::translate("studio::Project", "%1: frame \"%2\" is %3 × %4, the first frame of the clip %5 × %6")
                      .arg(w, frames[k])
                      .arg(img.width())
                      .arg(img.height())
                      .arg(c.frames.front().width())
                      .arg(c.frames.front().height()));
      c.frames.push_back(std::move(decoded[k]));
      if (keep) keep(c.frames.back(), *bytes[k]);
    }
    p.results.push_back(std::move(c));
  }
  const qint64 cur = getInt(m, "current_result", where);
  if (cur < -1 || cur >= p.results.size())
    throw Bad(QCoreApplication::translate("studio::Project", "%1: \"current_result\" = %2 is not -1 or the index of one of the %3 results")
                  .arg(where)
                  .arg(cur)
                  .arg(p.results.size()));
  p.currentResult = static_cast<int>(cur);
  return p;
}

}  // namespace

quint32 crc32(const char* data, qint64 size, quint32 crc) {
  static const std::array<quint32, 256> table = makeCrcTable();
  crc = ~crc;
  for (qint64 i = 0; i < size; ++i) crc = table[(crc ^ static_cast<unsigned char>(data[i])) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

namespace {

// The container's header and table of contents for `entries` (their bytes follow it in order).
QByteArray containerHead(quint32 version, const QVector<Entry>& entries) {
  QByteArray toc;
  qint64 tocSize = 0;
  for (const auto& e : entries) tocSize += 2 + e.first.toUtf8().size() + 8 + 8 + 4;
  qint64 offset = kHeaderSize + tocSize;
  for (const auto& e : entries) {
    const QByteArray name = e.first.toUtf8();
    putU16(toc, static_cast<quint16>(name.size()));
    toc.append(name);
    putU64(toc, static_cast<quint64>(offset));
    putU64(toc, static_cast<quint64>(e.second.size()));
    putU32(toc, crc32(e.second.constData(), e.second.size()));
    offset += e.second.size();
  }
  QByteArray out;
  out.reserve(kHeaderSize + toc.size());
  out.append(reinterpret_cast<const char*>(kMagic.data()), 8);
  putU32(out, version);
  putU32(out, static_cast<quint32>(entries.size()));
  putU64(out, static_cast<quint64>(offset));
  putU32(out, static_cast<quint32>(toc.size()));
  quint32 crc = crc32(out.constData(), out.size());
  crc = crc32(toc.constData(), toc.size(), crc);
  putU32(out, crc);
  out.append(toc);
  return out;
}

}  // namespace

QByteArray packContainer(quint32 version, const QVector<Entry>& entries) {
  QByteArray out = containerHead(version, entries);
  qint64 total = out.size();
  for (const auto& e : entries) total += e.second.size();
  out.reserve(total);
  for (const auto& e : entries) out.append(e.second);
  return out;
}

bool unpackContainer(const QByteArray& bytes, const QString& name, quint32* version, QVector<Entry>* entries,
                     QString* error) {
  auto fail = [&](const QString& what) {
    if (error) *error = QCoreApplication::translate("studio::Project", "%1 cannot be opened: %2").arg(name, what);
    return false;
  };
  const qint64 n = bytes.size();
  const char* d = bytes.constData();
  if (n < 8 || std::memcmp(d, kMagic.data(), 8) != 0)
    return fail(QCoreApplication::translate("studio::Project", "it is not a ConsistI2V Studio project file (its first bytes are not the project signature)"));
  if (n < kHeaderSize) return fail(QCoreApplication::translate("studio::Project", "the file is truncated (%1 bytes, shorter than the %2-byte header)").arg(n).arg(kHeaderSize));
  const quint32 ver = getLE<quint32>(d + 8);
  const quint32 count = getLE<quint32>(d + 12);
  const quint64 fileSize = getLE<quint64>(d + 16);
  const quint32 tocSize = getLE<quint32>(d + 24);
  const quint32 headerCrc = getLE<quint32>(d + 28);
  if (fileSize > static_cast<quint64>(n))
    return fail(QCoreApplication::translate("studio::Project", "the file is truncated: it has %1 bytes, its header announces %2").arg(n).arg(fileSize));
  if (fileSize < static_cast<quint64>(n))
    return fail(QCoreApplication::translate("studio::Project", "the file has %1 bytes, its header announces %2: extra data after the end").arg(n).arg(fileSize));
  if (static_cast<quint64>(tocSize) > fileSize - kHeaderSize)
    return fail(QCoreApplication::translate("studio::Project", "the table of contents (%1 bytes) does not fit into the file").arg(tocSize));
  quint32 crc = crc32(d, 28);
  crc = crc32(d + kHeaderSize, tocSize, crc);
  if (crc != headerCrc)
    return fail(QCoreApplication::translate("studio::Project", "the header or table of contents is damaged (CRC-32 %1, expected %2)").arg(hex32(crc), hex32(headerCrc)));
  if (ver > Project::kFormatVersion)
    return fail(QCoreApplication::translate("studio::Project", "it was written by a newer version of the studio (project format %1; this version reads formats "
                   "up to %2)")
                    .arg(ver)
                    .arg(Project::kFormatVersion));
  if (count > kMaxEntries) return fail(QCoreApplication::translate("studio::Project", "it announces %1 entries (the limit is %2)").arg(count).arg(kMaxEntries));
  const quint64 dataStart = kHeaderSize + static_cast<quint64>(tocSize);
  QVector<Entry> out;
  out.reserve(static_cast<int>(std::min<quint32>(count, tocSize / 22 + 1)));
  QSet<QString> names;
  quint64 pos = kHeaderSize, expectedOffset = dataStart;
  for (quint32 i = 0; i < count; ++i) {
    if (pos + 2 > dataStart) return fail(QCoreApplication::translate("studio::Project", "the table of contents ends inside entry %1 of %2").arg(i).arg(count));
    const quint16 len = getLE<quint16>(d + pos);
    if (len == 0 || len > kMaxNameLength) return fail(QCoreApplication::translate("studio::Project", "entry %1 has a name of %2 bytes").arg(i).arg(len));
    if (pos + 2 + len + 20 > dataStart) return fail(QCoreApplication::translate("studio::Project", "the table of contents ends inside entry %1 of %2").arg(i).arg(count));
    const QString entryName = QString::fromUtf8(d + pos + 2, len);
    const quint64 off = getLE<quint64>(d + pos + 2 + len);
    const quint64 size = getLE<quint64>(d + pos + 2 + len + 8);
    const quint32 entryCrc = getLE<quint32>(d + pos + 2 + len + 16);
    pos += 2 + len + 20;
    if (names.contains(entryName)) return fail(QCoreApplication::translate("studio::Project", "the entry \"%1\" appears twice").arg(entryName));
    names.insert(entryName);
    if (size > static_cast<quint64>(kMaxEntrySize))
      return fail(QCoreApplication::translate("studio::Project", "the entry \"%1\" announces %2 bytes (the limit is %3)").arg(entryName).arg(size).arg(kMaxEntrySize));
    if (off != expectedOffset || off > fileSize || size > fileSize - off)
      return fail(QCoreApplication::translate("studio::Project", "the entry \"%1\" lies outside the file or overlaps another one (offset %2, %3 bytes, file %4 bytes)")
                      .arg(entryName)
                      .arg(off)
                      .arg(size)
                      .arg(fileSize));
    expectedOffset = off + size;
    const quint32 actual = crc32(d + off, static_cast<qint64>(size));
    if (actual != entryCrc)
      return fail(QCoreApplication::translate("studio::Project", "the entry \"%1\" is damaged (CRC-32 %2, expected %3)").arg(entryName, hex32(actual), hex32(entryCrc)));
    out.push_back({entryName, QByteArray(d + off, static_cast<qsizetype>(size))});
  }
  if (pos != dataStart) return fail(QCoreApplication::translate("studio::Project", "the table of contents has %1 bytes left over").arg(dataStart - pos));
  if (expectedOffset != fileSize)
    return fail(QCoreApplication::translate("studio::Project", "%1 bytes after the last entry belong to no entry").arg(fileSize - expectedOffset));
  if (version) *version = ver;
  if (entries) *entries = std::move(out);
  return true;
}

nlohmann::json migrateManifestV0toV1(const nlohmann::json& v0) {
  if (!v0.is_object()) throw ci2v::Error("project.json (format 0): expected a JSON object");
  nlohmann::json m = v0;
  m["format"] = 1;
  if (!m.contains("histories")) m["histories"] = {{"prompt", nlohmann::json::array()}, {"negative", nlohmann::json::array()}};
  if (!m.contains("results")) m["results"] = nlohmann::json::array();
  if (!m["results"].is_array()) throw ci2v::Error("project.json (format 0): \"results\" must be a list");
  for (auto& r : m["results"]) {
    if (!r.is_object()) throw ci2v::Error("project.json (format 0): every result must be a JSON object");
    if (!r.contains("favourite")) r["favourite"] = false;
    if (r.contains("created")) {
      if (!r["created"].is_number_integer())
        throw ci2v::Error("project.json (format 0): a result's \"created\" must be seconds since the epoch");
      r["created_ms"] = r["created"].get<qint64>() * 1000;
      r.erase("created");
    }
  }
  if (!m.contains("current_result")) m["current_result"] = static_cast<qint64>(m["results"].size()) - 1;
  return m;
}

namespace {

// The container's entries: the manifest, then the pictures as PNG (through `cache` when given, on up to `threads`
// threads). Throws Bad naming a picture that cannot be encoded.
QVector<Entry> encodeEntries(const Project& project, PngCache* cache, int threads) {
  QStringList names;
  QVector<QImage> images;
  const nlohmann::json manifest = makeManifest(project, &names, &images);
  QVector<QByteArray> pngs;
  if (cache) {
    pngs = cache->encodeAll(images, threads);
  } else {
    pngs.resize(images.size());
    parallelFor(static_cast<int>(images.size()), threads, [&](int i) { pngs[i] = encodePng(images[i]); });
  }
  QVector<Entry> entries;
  entries.reserve(images.size() + 1);
  entries.push_back({QLatin1String(kManifest), QByteArray::fromStdString(manifest.dump(1))});
  for (int i = 0; i < images.size(); ++i) {
    if (pngs[i].isEmpty())
      throw Bad(QCoreApplication::translate("studio::Project", "the picture \"%1\" cannot be encoded as PNG").arg(names[i]));
    entries.push_back({names[i], std::move(pngs[i])});
  }
  return entries;
}

// Writes `pieces` one after the other through QSaveFile (see writeFileAtomically).
bool writePiecesAtomically(const QString& file, const QVector<const QByteArray*>& pieces, QString* error) {
  auto fail = [&](const QString& cause) {
    if (error) *error = cause;
    return false;
  };
  QSaveFile f(file);
  if (!f.open(QIODevice::WriteOnly)) return fail(f.errorString());
  // A short write (full disk, file size limit) leaves Qt without a message: take the system's.
  auto writeFailed = [&] {
    const int sysErr = errno;
    QString why = f.error() != QFileDevice::NoError ? f.errorString() : QString();
    if ((why.isEmpty() || why == QLatin1String("Unknown error")) && sysErr != 0) why = qt_error_string(sysErr);
    if (why.isEmpty()) why = QCoreApplication::translate("studio::Project", "the file could not be written completely (is the disk full?)");
    f.cancelWriting();
    return fail(why);
  };
  constexpr qint64 kChunk = qint64(4) << 20;
  for (const QByteArray* bytes : pieces) {
    for (qint64 pos = 0; pos < bytes->size(); pos += kChunk) {
      const qint64 n = std::min(kChunk, bytes->size() - pos);
      errno = 0;
      if (f.write(bytes->constData() + pos, n) != n) return writeFailed();
    }
  }
  // What QSaveFile still buffers (up to 16 KiB: all of a small file) is written here, not left to commit(), which
  // in Qt 6.4 renames a file whose last write failed into place and returns true.
  errno = 0;
  if (!f.flush() || f.error() != QFileDevice::NoError) return writeFailed();
  if (!f.commit()) return fail(f.errorString());
  return true;
}

}  // namespace

QByteArray serialize(const Project& project, PngCache* cache) {
  const quint64 use = cache ? cache->beginSave() : 0;
  const QVector<Entry> entries = encodeEntries(project, cache, 0);
  if (cache) cache->prune(use);
  QByteArray out = containerHead(Project::kFormatVersion, entries);
  for (const auto& e : entries) out.append(e.second);
  return out;
}

bool save(const Project& project, const QString& file, QString* error, PngCache* cache, int threads,
          quint64 cacheSave) {
  auto fail = [&](const QString& cause) {
    if (error) *error = QCoreApplication::translate("studio::Project", "Cannot save the project %1: %2").arg(file, cause);
    return false;
  };
  const quint64 use = !cache ? 0 : cacheSave ? cacheSave : cache->beginSave();
  QVector<Entry> entries;
  try {
    entries = encodeEntries(project, cache, threads);
  } catch (const std::exception& e) {
    return fail(QString::fromUtf8(e.what()));
  }
  if (cache) cache->prune(use);
  const QByteArray head = containerHead(Project::kFormatVersion, entries);
  QVector<const QByteArray*> pieces{&head};
  for (const auto& e : entries) pieces.push_back(&e.second);
  QString why;
  if (!writePiecesAtomically(file, pieces, &why)) return fail(why);
  return true;
}

bool writeFileAtomically(const QString& file, const QByteArray& bytes, QString* error) {
  return writePiecesAtomically(file, {&bytes}, error);
}

bool parse(const QByteArray& bytes, const QString& name, Project* out, QString* error, PngCache* cache) {
  quint32 version = 0;
  QVector<Entry> entries;
  if (!unpackContainer(bytes, name, &version, &entries, error)) return false;
  auto fail = [&](const QString& what) {
    if (error) *error = QCoreApplication::translate("studio::Project", "%1 cannot be opened: %2").arg(name, what);
    return false;
  };
  QHash<QString, const QByteArray*> byName;
  for (const auto& e : entries) byName.insert(e.first, &e.second);
  auto it = byName.find(QLatin1String(kManifest));
  if (it == byName.end()) return fail(QCoreApplication::translate("studio::Project", "it has no manifest (%1)").arg(QLatin1String(kManifest)));
  if ((*it)->size() > kMaxManifestSize)
    return fail(QCoreApplication::translate("studio::Project", "the manifest has %1 bytes (the limit is %2)").arg((*it)->size()).arg(kMaxManifestSize));
  nlohmann::json manifest;
  try {
    manifest = ci2v::io::parse_json(std::string_view((*it)->constData(), static_cast<size_t>((*it)->size())), kManifest);
  } catch (const std::exception& e) {
    return fail(QString::fromUtf8(e.what()));  // "project.json: not valid JSON (…)"
  }
  try {
    const qint64 declared = getInt(manifest, "format", QLatin1String(kManifest));
    if (declared != static_cast<qint64>(version))
      throw Bad(QCoreApplication::translate("studio::Project", "the manifest says format %1, the container format %2").arg(declared).arg(version));
    if (version == 0) manifest = migrateManifestV0toV1(manifest);
    QVector<QPair<QImage, QByteArray>> read;  // kept only when the whole project is good
    std::function<void(const QImage&, const QByteArray&)> keep;
    if (cache) keep = [&read](const QImage& img, const QByteArray& png) { read.push_back({img, png}); };
    Project p = readManifest(manifest, byName, keep);
    for (const auto& [img, png] : read) cache->insert(img, png);
    p.formatVersion = version;
    *out = std::move(p);
    return true;
  } catch (const std::exception& e) {
    return fail(QString::fromUtf8(e.what()));
  }
}

bool load(const QString& file, Project* out, QString* error, PngCache* cache) {
  QFile f(file);
  if (!f.open(QIODevice::ReadOnly)) {
    if (error) *error = QCoreApplication::translate("studio::Project", "Cannot open the project %1: %2").arg(file, f.errorString());
    return false;
  }
  const qint64 size = f.size();
  // Guard before allocating: a project is at most all of its entries at their limit (and a file at least the header).
  constexpr qint64 kMaxFile = qint64(64) << 30;
  if (size > kMaxFile) {
    if (error) *error = QCoreApplication::translate("studio::Project", "%1 cannot be opened: it has %2 bytes, more than a project can hold").arg(file).arg(size);
    return false;
  }
  QByteArray bytes;
  if (uchar* mapped = f.map(0, size)) {
    bytes = QByteArray::fromRawData(reinterpret_cast<const char*>(mapped), static_cast<qsizetype>(size));
  } else {
    bytes = f.readAll();
    if (bytes.size() != size) {
      if (error) *error = QCoreApplication::translate("studio::Project", "Cannot read the project %1: %2").arg(file, f.errorString());
      return false;
    }
  }
  // The entries are copied out of the mapping by unpackContainer, so `bytes` may go with the file.
  return parse(bytes, file, out, error, cache);
}

}  // namespace project
}  // namespace studio
