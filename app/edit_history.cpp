#include "app/edit_history.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QTemporaryFile>
#include <QUndoCommand>
#include <QUndoStack>

#include <map>
#include <memory>

#include "app/document.h"

namespace studio {
namespace {


// One edit: the parameters before and after.
class ParamsCommand : public QUndoCommand {
public:
  ParamsCommand(Document* doc, ci2v::GenerationParams before, ci2v::GenerationParams after, const QString& text,
                QString key, bool open, bool windowMerge, qint64 at, const EditHistory* history)
      : QUndoCommand(text),
        doc_(doc),
        before_(std::move(before)),
        after_(std::move(after)),
        key_(std::move(key)),
        open_(open),
        windowMerge_(windowMerge),
        last_(at),
        history_(history) {}

  int id() const override { return 0x0C12; }
  bool isOpenWith(const QString& key) const { return open_ && key == key_; }
  // Only the fields this edit changed: what changed without an undo step since (a model's own settings, the
  // FrameInit defaults a camera switch brought) stays as it is.
  void undo() override { doc_->setParams(changedFields(after_, before_, doc_->params())); }
  void redo() override { doc_->setParams(changedFields(before_, after_, doc_->params())); }

  // `current` with every field that differs between `from` and `to` set to its value in `to`.
  static ci2v::GenerationParams changedFields(const ci2v::GenerationParams& from, const ci2v::GenerationParams& to,
                                              const ci2v::GenerationParams& current) {
    const nlohmann::json a = from.to_json(), b = to.to_json();
    nlohmann::json c = current.to_json();
    for (auto it = b.begin(); it != b.end(); ++it)
      if (!a.contains(it.key()) || a[it.key()] != it.value()) c[it.key()] = it.value();
    for (auto it = a.begin(); it != a.end(); ++it)  // a field `to` leaves out (none today): its default
      if (!b.contains(it.key())) c.erase(it.key());
    return ci2v::GenerationParams::from_json(c);
  }

  bool mergeWith(const QUndoCommand* other) override {
    const auto* o = static_cast<const ParamsCommand*>(other);
    if (key_.isEmpty() || o->key_ != key_) return false;
    const bool inWindow = windowMerge_ && o->last_ - last_ <= history_->mergeWindowMs();
    if (!open_ && !inWindow) return false;
    after_ = o->after_;
    open_ = o->open_;
    last_ = o->last_;
    if (!o->text().isEmpty()) setText(o->text());
    if (after_.to_json() == before_.to_json()) setObsolete(true);  // a drag that came back where it began
    return true;
  }

private:
  Document* doc_;
  ci2v::GenerationParams before_, after_;
  QString key_;
  bool open_;         // a drag in progress: the next edit of the same key joins this step
  bool windowMerge_;  // field edits: quick successive edits join
  qint64 last_;
  const EditHistory* history_;
};

// A picture kept on disk instead of in memory (raw pixels in a temporary file: fast to write and read back).
class SpilledPicture {
public:
  // False (nothing kept) when the file cannot be written: the picture then stays in memory.
  bool write(const QImage& picture) {
    const QImage rgb = picture.convertToFormat(QImage::Format_RGB888);
    file_ = std::make_unique<QTemporaryFile>(QDir::tempPath() + QStringLiteral("/consisti2v-undo-XXXXXX.raw"));
    if (!file_->open()) return false;
    const qint64 n = static_cast<qint64>(rgb.width()) * 3;
    for (int y = 0; y < rgb.height(); ++y)
      if (file_->write(reinterpret_cast<const char*>(rgb.constScanLine(y)), n) != n) return false;
    if (!file_->flush()) return false;
    size_ = rgb.size();
    return true;
  }
  QImage read() const {
    QImage out(size_, QImage::Format_RGB888);
    if (!file_ || out.isNull() || !file_->seek(0)) return {};
    const qint64 n = static_cast<qint64>(out.width()) * 3;
    for (int y = 0; y < out.height(); ++y)
      if (file_->read(reinterpret_cast<char*>(out.scanLine(y)), n) != n) return {};
    return out;
  }

private:
  QSize size_;
  std::unique_ptr<QTemporaryFile> file_;
};

// A new first frame: the picture, its source and the picture size paths are in, before and after, and the camera
// path the change moved (only the fields it changed are put back, as for ParamsCommand).
class PictureCommand : public QUndoCommand {
public:
  struct State {
    QImage picture;
    QString source;
    QSize pathPicture;
    ci2v::GenerationParams params;
    std::shared_ptr<SpilledPicture> spilled;  // set (and `picture` null) while the picture is kept on disk
    QImage image() const { return spilled ? spilled->read() : picture; }
  };
  PictureCommand(Document* doc, State before, State after, const QString& text)
      : QUndoCommand(text), doc_(doc), before_(std::move(before)), after_(std::move(after)) {}
  void undo() override { put(after_, before_); }
  void redo() override {
    if (done_) put(before_, after_);
    done_ = true;  // pushed once the document has it already
  }

  State& before() { return before_; }
  State& after() { return after_; }

private:
  void put(const State& from, const State& to) {
    doc_->restoreFirstFrame(to.image(), to.source, to.pathPicture);
    doc_->setParams(ParamsCommand::changedFields(from.params, to.params, doc_->params()));
  }
  Document* doc_;
  State before_, after_;
  bool done_ = false;
};

struct FieldName {
  const char* field;
  const char* label;
};

// The parameters as the user knows them (in the panel's words).
const FieldName kFields[] = {
    {"prompt", QT_TRANSLATE_NOOP("studio::EditHistory", "the prompt")},
    {"negative_prompt", QT_TRANSLATE_NOOP("studio::EditHistory", "the negative prompt")},
    {"width", QT_TRANSLATE_NOOP("studio::EditHistory", "the width")},
    {"height", QT_TRANSLATE_NOOP("studio::EditHistory", "the height")},
    {"frames", QT_TRANSLATE_NOOP("studio::EditHistory", "frames")},
    {"steps", QT_TRANSLATE_NOOP("studio::EditHistory", "steps")},
    {"sampler", QT_TRANSLATE_NOOP("studio::EditHistory", "the sampler")},
    {"eta", QT_TRANSLATE_NOOP("studio::EditHistory", "DDIM eta")},
    {"cfg_text", QT_TRANSLATE_NOOP("studio::EditHistory", "prompt strength")},
    {"cfg_image", QT_TRANSLATE_NOOP("studio::EditHistory", "picture strength")},
    {"guidance_rescale", QT_TRANSLATE_NOOP("studio::EditHistory", "guidance rescale")},
    {"frame_stride", QT_TRANSLATE_NOOP("studio::EditHistory", "frame stride")},
    {"seed", QT_TRANSLATE_NOOP("studio::EditHistory", "the seed")},
    {"noise_method", QT_TRANSLATE_NOOP("studio::EditHistory", "the noise")},
    {"noise_alpha", QT_TRANSLATE_NOOP("studio::EditHistory", "noise alpha")},
    {"frameinit", QT_TRANSLATE_NOOP("studio::EditHistory", "FrameInit")},
    {"noise_level", QT_TRANSLATE_NOOP("studio::EditHistory", "noise level τ")},
    {"cutoff_spatial", QT_TRANSLATE_NOOP("studio::EditHistory", "D0 spatial")},
    {"cutoff_temporal", QT_TRANSLATE_NOOP("studio::EditHistory", "D0 temporal")},
    {"filter", QT_TRANSLATE_NOOP("studio::EditHistory", "the filter")},
    {"butterworth_order", QT_TRANSLATE_NOOP("studio::EditHistory", "the Butterworth order")},
    {"camera_preset", QT_TRANSLATE_NOOP("studio::EditHistory", "the camera")},
    {"camera_path", QT_TRANSLATE_NOOP("studio::EditHistory", "the camera path")},
    {"chunks", QT_TRANSLATE_NOOP("studio::EditHistory", "chunks")},
    {"center_crop", QT_TRANSLATE_NOOP("studio::EditHistory", "the fit")},
    {"device", QT_TRANSLATE_NOOP("studio::EditHistory", "the device")},
    {"dtype", QT_TRANSLATE_NOOP("studio::EditHistory", "the precision")},
};

QString valueText(const nlohmann::json& v) {
  if (v.is_string()) {
    const QString s = QString::fromStdString(v.get<std::string>());
    return s.size() > 24 ? s.left(22) + QStringLiteral("…") : s;
  }
  if (v.is_boolean()) return v.get<bool>() ? QCoreApplication::translate("studio::EditHistory", "on") : QCoreApplication::translate("studio::EditHistory", "off");
  if (v.is_number_float()) return QString::number(v.get<double>(), 'g', 4);
  return QString::fromStdString(v.dump());
}

}  // namespace

EditHistory::EditHistory(Document* doc, QObject* parent) : QObject(parent), doc_(doc), stack_(new QUndoStack(this)) {
  clock_.start();
  stack_->setUndoLimit(500);
  connect(doc, &Document::firstFrameReplaced, this,
          [this](const QImage& before, const QString& beforeSource, QSize pathPictureBefore,
                 const ci2v::GenerationParams& paramsBefore) {
            const QImage now = doc_->firstFrame();
            const QString source = doc_->firstFrameSource();
            QString text;
            if (now.isNull()) text = tr("Remove the first frame");
            else if (QFileInfo(source).isAbsolute()) text = tr("Open the picture %1").arg(QFileInfo(source).fileName());
            else if (!source.isEmpty()) text = tr("Use the %1").arg(source);  // "dropped picture", "pasted picture"
            else text = tr("Change the first frame");
            stack_->push(new PictureCommand(doc_, {before, beforeSource, pathPictureBefore, paramsBefore, {}},
                                            {now, source, doc_->cameraPictureSize(), doc_->params(), {}}, text));
            keepPicturesWithinBudget();
          });
}

// The states of the picture steps, oldest first (the stack hands out const commands; they are ours).
static std::vector<PictureCommand::State*> pictureStates(const QUndoStack* stack) {
  std::vector<PictureCommand::State*> states;
  for (int i = 0; i < stack->count(); ++i)
    if (auto* c = dynamic_cast<const PictureCommand*>(stack->command(i))) {
      auto* pc = const_cast<PictureCommand*>(c);
      states.push_back(&pc->before());
      states.push_back(&pc->after());
    }
  return states;
}

// The memory their pictures take besides the document's own (`current`): shared copies count once.
static qint64 heldBytes(const std::vector<PictureCommand::State*>& states, qint64 current) {
  std::map<qint64, qint64> bytes;
  for (const auto* s : states)
    if (!s->picture.isNull() && s->picture.cacheKey() != current) bytes[s->picture.cacheKey()] = s->picture.sizeInBytes();
  qint64 sum = 0;
  for (const auto& [key, b] : bytes) sum += b;
  return sum;
}

// While the pictures take more than the budget, the oldest go to temporary files (each picture once, however many
// steps share it) and come back from there on undo or redo.
void EditHistory::keepPicturesWithinBudget() {
  const auto states = pictureStates(stack_);
  const qint64 current = doc_->firstFrame().cacheKey();
  for (auto* s : states) {
    if (heldBytes(states, current) <= pictureBudget_) return;
    if (s->picture.isNull() || s->picture.cacheKey() == current) continue;
    const qint64 key = s->picture.cacheKey();
    auto spill = std::make_shared<SpilledPicture>();
    if (!spill->write(s->picture)) return;  // no room on disk either: they stay in memory
    for (auto* same : states)  // every step holding this picture lets it go
      if (!same->picture.isNull() && same->picture.cacheKey() == key) {
        same->picture = QImage();
        same->spilled = spill;
      }
  }
}

qint64 EditHistory::picturesHeldBytes() const { return heldBytes(pictureStates(stack_), doc_->firstFrame().cacheKey()); }

QString EditHistory::describe(const ci2v::GenerationParams& before, const ci2v::GenerationParams& after, QString* key) {
  const auto a = before.to_json(), b = after.to_json();
  QStringList changed;
  for (auto it = b.begin(); it != b.end(); ++it)
    if (!a.contains(it.key()) || a[it.key()] != it.value()) changed << QString::fromStdString(it.key());
  if (changed.contains(QLatin1String("camera_path")) || changed.contains(QLatin1String("camera_preset"))) {
    if (key) *key = QStringLiteral("camera");
    return tr("Change the camera");
  }
  if (changed.size() == 1) {
    const QString f = changed.first();
    if (key) *key = QStringLiteral("param:") + f;
    for (const auto& n : kFields) {
      if (f != QLatin1String(n.field)) continue;
      const QString label = tr(n.label);
      if (f == QLatin1String("prompt") || f == QLatin1String("negative_prompt")) return tr("Edit %1").arg(label);
      return tr("Set %1 to %2").arg(label, valueText(b[f.toStdString()]));
    }
    return tr("Change %1").arg(f);
  }
  if (key) *key = QStringLiteral("settings");
  return tr("Change %n settings", nullptr, static_cast<int>(changed.size()));
}

bool EditHistory::apply(const ci2v::GenerationParams& after, const QString& text, const QString& key, bool interim) {
  const auto& before = doc_->params();
  if (before.to_json() == after.to_json() && !interim) {
    // Nothing new; a drag's last (final) step may equal the interim one: close the open step.
    const auto* top = stack_->index() > 0 ? dynamic_cast<const ParamsCommand*>(stack_->command(stack_->index() - 1))
                                          : nullptr;
    if (top && top->isOpenWith(key))
      stack_->push(new ParamsCommand(doc_, before, after, QString(), key, false, false, clock_.elapsed(), this));
    return false;
  }
  QString described;
  QString mergeKey = key;
  const QString autoText = describe(before, after, &described);
  if (mergeKey.isEmpty()) mergeKey = described;
  const bool fieldEdit = mergeKey.startsWith(QLatin1String("param:"));
  stack_->push(new ParamsCommand(doc_, before, after, text.isEmpty() ? autoText : text, mergeKey, interim, fieldEdit,
                                 clock_.elapsed(), this));
  return true;
}

}  // namespace studio
