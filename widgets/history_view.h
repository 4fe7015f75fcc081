// The history of generations: one thumbnail per clip (the clip plays in its thumbnail while the mouse is over
// it), favourites marked with a star, the full parameters in the tooltip, and a context menu to restore the
// settings, re-run with a new seed, mark as favourite or delete. Thin: rows are the document's results in
// order; the window rebuilds or updates them.
#pragma once
#include <QImage>
#include <QListWidget>
#include <QVector>

#include "app/studio_types.h"

class QTimer;

namespace studio {

class HistoryView : public QListWidget {
  Q_OBJECT
public:
  explicit HistoryView(QWidget* parent = nullptr);

  // Replaces all rows / updates one (label, star, tooltip, thumbnails).
  void setClips(const QVector<const ResultClip*>& clips);
  void updateClip(int row, const ResultClip& clip);
  void appendClip(const ResultClip& clip);  // a new last row (only its thumbnails are made)
  void removeClip(int row);                 // the rows after it are renumbered, no thumbnail is made again
  // The row whose thumbnail is playing (-1: none) and its current frame (tests).
  int animatedRow() const { return hoverRow_; }
  int animatedFrame() const { return hoverFrame_; }
  void setHoverRow(int row);  // what the mouse does; public for tests

  static QString describe(const ResultClip& clip);  // the tooltip: every parameter of the clip

Q_SIGNALS:
  void restoreRequested(int row);
  void rerunRequested(int row);
  void favouriteToggled(int row);
  void deleteRequested(int row);

protected:
  void mouseMoveEvent(QMouseEvent*) override;
  void leaveEvent(QEvent*) override;
  bool viewportEvent(QEvent*) override;
  void contextMenuEvent(QContextMenuEvent*) override;
  void keyPressEvent(QKeyEvent*) override;

private:
  void fill(QListWidgetItem* item, int row, const ResultClip& clip);
  void label(QListWidgetItem* item, int row);  // "★ #3 · seed 7" from the item's data
  void showFrame(int row, int frame);

  QVector<QVector<QPixmap>> thumbs_;  // per row, small frames
  QTimer* timer_ = nullptr;
  int hoverRow_ = -1, hoverFrame_ = 0;
};

}  // namespace studio
