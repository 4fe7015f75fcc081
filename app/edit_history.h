// Undo/redo for every edit of the parameters and the camera path (the path is part of the parameters): each
// edit is one QUndoCommand holding the parameters before and after, named for the Edit menu ("Undo Set noise
// level τ to 700"). A new first frame (Document::setFirstFrame: open, paste, drop) is a step too, with the camera
// path it moved: the steps before it keep their paths in the old picture's pixels, which undo puts back first. Edits merge into one step while a drag is open (interim edits of one key), and quick
// successive edits of the same field (typing, spin-box steps, a slider drag) merge within a short window.
#pragma once
#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include "engine/pipeline.h"

class QUndoStack;

namespace studio {

class Document;

class EditHistory : public QObject {
  Q_OBJECT
public:
  explicit EditHistory(Document* doc, QObject* parent = nullptr);

  QUndoStack* stack() const { return stack_; }
  // Applies `after` to the document as one undoable step. text: what the Edit menu shows ("" = described
  // from the change); key: edits with the same key merge while the previous one is open (interim) or, for
  // field edits, within the merge window. Returns false when nothing changed.
  bool apply(const ci2v::GenerationParams& after, const QString& text = QString(), const QString& key = QString(),
             bool interim = false);
  // A readable name for a change and the key it merges under ("param:<field>", "camera", "settings").
  static QString describe(const ci2v::GenerationParams& before, const ci2v::GenerationParams& after, QString* key);

  // The pictures of the history's picture steps, besides the document's own, are kept in memory up to this many
  // bytes; beyond it the oldest wait in temporary files (a 24 MP photo is 72 MB as RGB).
  void setPictureBudgetBytes(qint64 bytes) { pictureBudget_ = bytes; }
  qint64 picturesHeldBytes() const;  // in memory now

  int mergeWindowMs() const { return mergeWindowMs_; }
  void setMergeWindowMs(int ms) { mergeWindowMs_ = ms; }
  qint64 elapsedMs() const { return clock_.elapsed(); }

private:
  Document* doc_;
  QUndoStack* stack_;
  QElapsedTimer clock_;
  int mergeWindowMs_ = 1200;
  qint64 pictureBudget_ = qint64(512) << 20;
  void keepPicturesWithinBudget();
};

}  // namespace studio
