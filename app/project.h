// The studio's project files (.ci2v): the first frame, the parameters (prompts and camera path included), the
// model folder, the prompt histories and every result with its frames, in one file.
//
// Container (all integers little-endian):
//   offset 0   magic        8 bytes  89 'C' 'I' '2' 'V' 0D 0A 1A   (PNG-style: catches text-mode mangling)
//          8   version      u32      format version of the manifest (see below)
//         12   entry_count  u32
//         16   file_size    u64      total size of the file: a shorter file is truncated
//         24   toc_size     u32      bytes of the table of contents that follows the header
//         28   header_crc   u32      CRC-32 (IEEE) of bytes 0..27 and of the table of contents
//         32   table of contents, per entry: u16 name length, UTF-8 name, u64 offset, u64 size, u32 CRC-32 of
//              the entry's bytes
//   then the entries' bytes (every entry lies between the table of contents and file_size, no overlaps).
// Entries: "project.json" (the manifest), "first_frame.png" (when there is a first frame) and
// "results/<i>/<k>.png" (frame k of result i). PNG is lossless (8-bit RGB, like the document's images).
//
// Manifest, format version 1 (current):
//   { "format": 1, "app": "ConsistI2V Studio", "app_version": "0.1.0", "saved": "<ISO 8601 UTC>",
//     "first_frame": null | { "entry": "first_frame.png", "source": "<where it was loaded from>" },
//     "params": <GenerationParams JSON>, "model_path": "...",
//     "histories": { "prompt": [...], "negative": [...] },          newest first
//     "current_result": -1 | index,
//     "results": [ { "id": u64, "seed": i64, "seconds": double, "created_ms": i64 (ms since the epoch, UTC;
//                    absent: unknown), "favourite": bool, "params": <GenerationParams JSON>,
//                    "frames": ["results/0/0000.png", ...] }, ... ] }
// Format version 0 (the first draft, still read): the same container with version 0; the manifest has
//   "format": 0, no "histories", no "current_result" (the newest result becomes current), no "favourite", and
//   a result's time as "created": seconds since the epoch (UTC). migrateManifestV0toV1() turns it into version 1.
//
// Loading checks everything (magic, version, sizes, table of contents, CRCs, JSON, parameters, camera path,
// PNG decoding, sizes of the pictures) and reports the first problem naming the file; nothing is allocated
// for sizes beyond the limits below. Saving goes through QSaveFile: on any failure the previous file is left
// as it was.
#pragma once
#include <QByteArray>
#include <QHash>
#include <QImage>
#include <QMutex>
#include <QSet>
#include <QWaitCondition>
#include <QString>
#include <QStringList>
#include <QVector>
#include <utility>

#include "app/studio_types.h"
#include "engine/pipeline.h"

namespace studio {

// A whole project in memory (what Document::toProject / loadProject exchange).
struct Project {
  static constexpr quint32 kFormatVersion = 1;  // written by this version
  static constexpr quint32 kOldestVersion = 0;  // oldest still read
  quint32 formatVersion = kFormatVersion;  // after loading: the version the file was written with
  QString appVersion;                      // after loading: the version of the studio that wrote it
  QImage firstFrame;                       // null: none
  QString firstFrameSource;
  ci2v::GenerationParams params;
  QString modelPath;
  QStringList promptHistory, negativeHistory;  // newest first
  QVector<ResultClip> results;  // frames, id, seed, seconds, params, created, favourite (no preview video)
  int currentResult = -1;
};

// Encoded PNGs by QImage::cacheKey(), so that saving unchanged frames again (autosave, Save, the session kept at
// exit) does not encode them again. Thread-safe: the document shares one cache between saves on the GUI thread,
// autosaves and the encoding of a new result's frames in the background (Document::addResult), and a loaded
// project's PNGs are kept as they were read. Entries not used by a save are dropped when it ends.
class PngCache {
public:
  // The PNG of `image` (encoded now when not cached); empty when it cannot be encoded.
  QByteArray encode(const QImage& image);
  // The PNGs of `images`, in order; what is not cached is encoded on up to `threads` threads (the caller's
  // among them; 0: QThread::idealThreadCount()).
  QVector<QByteArray> encodeAll(const QVector<QImage>& images, int threads = 0);
  // Encodes what of `images` is not cached yet, on the calling thread (a background job).
  void warm(const QVector<QImage>& images);
  // Keeps `png` as the encoding of `image` (the bytes a project file held for it).
  void insert(const QImage& image, const QByteArray& png);

  // A save begins (call it when its snapshot of the document is taken): what is used or added from now on is
  // marked with the returned number; prune(that number) at its end drops what was used neither by it nor since
  // (a removed result's frames). Saves may overlap.
  quint64 beginSave();
  void prune(quint64 save);

  int size() const;
  qint64 encodedCount() const;  // pictures encoded by this cache so far (for tests and figures)

private:
  struct Entry {
    QByteArray png;
    quint64 lastUse = 0;
  };
  mutable QMutex mutex_;
  QWaitCondition encoded_cv_;  // a pending picture was encoded
  QHash<qint64, Entry> cache_;
  QSet<qint64> pending_;  // being encoded by some thread: others wait for it instead of encoding it again
  quint64 clock_ = 0;
  qint64 encoded_ = 0;
  bool lookup(qint64 key, QByteArray* png);  // with the lock held
};

namespace project {

inline constexpr const char* kSuffix = "ci2v";  // file name suffix, without the dot

// Limits (files beyond them are refused with a message instead of being read).
inline constexpr qint64 kMaxEntrySize = qint64(512) << 20;     // one entry (a PNG, the manifest)
inline constexpr qint64 kMaxManifestSize = qint64(64) << 20;
inline constexpr quint32 kMaxEntries = 200000;
inline constexpr int kMaxNameLength = 1024;
inline constexpr int kMaxImageSide = 16384;
inline constexpr qint64 kMaxImagePixels = qint64(64) << 20;   // per picture
// All pictures of a project: 2 gigapixels (6 GiB as RGB), or a quarter of the machine's memory in pixels where that
// is more (a project saved on a big machine opens there again).
qint64 maxProjectPixels();

// Writes the project to `file` atomically, entry by entry (the file is never built whole in memory). False with a
// message naming the file and the cause; the previous file (if any) is unchanged then. `cache` (optional) reuses
// PNGs of unchanged frames; what must be encoded is encoded on up to `threads` threads (0: all the machine has).
// `cacheSave`: the cache's beginSave() taken when `project` was snapshotted, for a save that runs later on
// another thread (0: begin it now).
bool save(const Project& project, const QString& file, QString* error, PngCache* cache = nullptr, int threads = 0,
          quint64 cacheSave = 0);
// Writes `bytes` to `file` through QSaveFile: on any failure (full disk, no permission) the previous file is left
// as it was and `error` says why (the system's message for a short write).
bool writeFileAtomically(const QString& file, const QByteArray& bytes, QString* error);
// The file's bytes (for tests and in-memory use).
QByteArray serialize(const Project& project, PngCache* cache = nullptr);

// Reads and validates `file`. False with a message naming the file and what is wrong; `out` is unchanged then.
// `cache` (optional) keeps the PNGs read for the pictures of `out`, so that saving them again encodes nothing.
bool load(const QString& file, Project* out, QString* error, PngCache* cache = nullptr);
// The same from bytes; `name` is used in the messages.
bool parse(const QByteArray& bytes, const QString& name, Project* out, QString* error, PngCache* cache = nullptr);

// --- the container, for tools and tests (e.g. writing a version 0 file)
using Entry = std::pair<QString, QByteArray>;  // name, bytes
QByteArray packContainer(quint32 version, const QVector<Entry>& entries);
// Checks the container (not the manifest); false with a message naming `name`.
bool unpackContainer(const QByteArray& bytes, const QString& name, quint32* version, QVector<Entry>* entries,
                     QString* error);
// Turns a version 0 manifest into a version 1 one (throws ci2v::Error naming the field on a bad manifest).
nlohmann::json migrateManifestV0toV1(const nlohmann::json& v0);

quint32 crc32(const char* data, qint64 size, quint32 crc = 0);

}  // namespace project
}  // namespace studio
