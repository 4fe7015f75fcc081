#include "widgets/history_view.h"

#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QTimer>

namespace studio {

HistoryView::HistoryView(QWidget* parent) : QListWidget(parent) {
  setObjectName(QStringLiteral("results"));
  setViewMode(QListView::IconMode);
  setFlow(QListView::LeftToRight);
  setWrapping(false);
  setIconSize(QSize(56, 56));
  setMovement(QListView::Static);
  setMouseTracking(true);
  setToolTip(tr("Every clip of this project. Hover to play one, select it to watch it; right-click to restore its "
                "settings, re-run it with a new seed, mark it as favourite or delete it."));
  timer_ = new QTimer(this);
  timer_->setInterval(125);  // 8 fps
  connect(timer_, &QTimer::timeout, this, [this] {
    if (hoverRow_ < 0 || hoverRow_ >= thumbs_.size() || thumbs_[hoverRow_].isEmpty()) return;
    showFrame(hoverRow_, (hoverFrame_ + 1) % thumbs_[hoverRow_].size());
  });
}

QString HistoryView::describe(const ResultClip& c) {
  const auto& p = c.params;
  QString camera = QString::fromStdString(p.camera_preset);
  if (!p.camera_path.is_null()) camera = tr("custom path (%n keyframe(s))", nullptr, static_cast<int>(p.camera_path.value("keyframes", nlohmann::json::array()).size()));
  if (camera.isEmpty()) camera = tr("still");
  QString text = tr("<b>%1</b><br>").arg(QString::fromStdString(p.prompt).toHtmlEscaped());
  if (!p.negative_prompt.empty()) text += tr("Not: %1<br>").arg(QString::fromStdString(p.negative_prompt).toHtmlEscaped());
  text += tr("Seed %1 · %2 × %3 · %4 frames (stride %5) · %6 steps %7 · generated in %8 s<br>")
              .arg(c.seed)
              .arg(p.width)
              .arg(p.height)
              .arg(c.frames.size())
              .arg(p.frame_stride)
              .arg(p.steps)
              .arg(QString::fromLatin1(ci2v::to_string(p.sampler)))
              .arg(c.seconds, 0, 'f', 1);
  text += tr("CFG text %1 · image %2 · rescale %3<br>").arg(p.cfg_text).arg(p.cfg_image).arg(p.guidance_rescale);
  text += p.frameinit ? tr("FrameInit τ %1 · D0 %2 / %3 · %4 filter<br>")
                            .arg(p.noise_level)
                            .arg(p.cutoff_spatial)
                            .arg(p.cutoff_temporal)
                            .arg(QString::fromLatin1(ci2v::to_string(p.filter)))
                      : tr("FrameInit off<br>");
  text += tr("Camera: %1 · %2 chunk(s) · %3 %4<br>")
              .arg(camera)
              .arg(p.chunks)
              .arg(QString::fromStdString(p.device), QString::fromStdString(p.dtype));
  text += c.created.toString(Qt::ISODate);
  return text;
}

namespace {
constexpr int kSeedRole = Qt::UserRole + 1, kFavouriteRole = Qt::UserRole + 2;
}

void HistoryView::label(QListWidgetItem* item, int row) {
  item->setText((item->data(kFavouriteRole).toBool() ? QStringLiteral("★ ") : QString()) +
                tr("#%1 · seed %2").arg(row + 1).arg(item->data(kSeedRole).toLongLong()));
}

void HistoryView::fill(QListWidgetItem* item, int row, const ResultClip& clip) {
  item->setData(kSeedRole, static_cast<qlonglong>(clip.seed));
  item->setData(kFavouriteRole, clip.favourite);
  label(item, row);
  item->setToolTip(describe(clip));
  item->setData(Qt::UserRole, clip.id);
  QVector<QPixmap> t;
  const int step = std::max(1, static_cast<int>(clip.frames.size()) / 32);  // at most ~32 thumbnails
  for (int i = 0; i < clip.frames.size(); i += step)
    t.push_back(QPixmap::fromImage(clip.frames[i].scaled(iconSize(), Qt::KeepAspectRatio, Qt::SmoothTransformation)));
  if (row >= thumbs_.size()) thumbs_.resize(row + 1);
  thumbs_[row] = t;
  item->setIcon(t.isEmpty() ? QIcon() : QIcon(t[t.size() / 2]));
}

void HistoryView::setClips(const QVector<const ResultClip*>& clips) {
  setHoverRow(-1);
  clear();
  thumbs_.clear();
  for (int i = 0; i < clips.size(); ++i) {
    auto* item = new QListWidgetItem;
    fill(item, i, *clips[i]);
    addItem(item);
  }
}

void HistoryView::appendClip(const ResultClip& clip) {
  auto* item = new QListWidgetItem;
  fill(item, count(), clip);
  addItem(item);
}

void HistoryView::removeClip(int row) {
  if (row < 0 || row >= count()) return;
  if (hoverRow_ == row) setHoverRow(-1);
  delete takeItem(row);
  if (row < thumbs_.size()) thumbs_.remove(row);
  if (hoverRow_ > row) --hoverRow_;
  for (int i = row; i < count(); ++i) label(item(i), i);  // the numbers after it move up; thumbnails stay
}

void HistoryView::updateClip(int row, const ResultClip& clip) {
  if (QListWidgetItem* it = item(row)) fill(it, row, clip);
}

void HistoryView::showFrame(int row, int frame) {
  if (row < 0 || row >= thumbs_.size() || thumbs_[row].isEmpty()) return;
  hoverFrame_ = frame;
  if (QListWidgetItem* it = item(row)) it->setIcon(QIcon(thumbs_[row][frame]));
}

void HistoryView::setHoverRow(int row) {
  if (row == hoverRow_) return;
  if (hoverRow_ >= 0 && hoverRow_ < thumbs_.size() && !thumbs_[hoverRow_].isEmpty())
    showFrame(hoverRow_, static_cast<int>(thumbs_[hoverRow_].size()) / 2);  // back to its still
  hoverRow_ = row;
  hoverFrame_ = 0;
  if (row >= 0) {
    showFrame(row, 0);
    timer_->start();
  } else {
    timer_->stop();
  }
}

void HistoryView::mouseMoveEvent(QMouseEvent* e) {
  const QListWidgetItem* it = itemAt(e->position().toPoint());
  setHoverRow(it ? row(it) : -1);
  QListWidget::mouseMoveEvent(e);
}

bool HistoryView::viewportEvent(QEvent* e) {
  // the mouse leaving the rows for the scroll bar (still inside the list) stops the thumbnail too
  if (e->type() == QEvent::Leave) setHoverRow(-1);
  return QListWidget::viewportEvent(e);
}

void HistoryView::leaveEvent(QEvent* e) {
  setHoverRow(-1);
  QListWidget::leaveEvent(e);
}

void HistoryView::contextMenuEvent(QContextMenuEvent* e) {
  const QListWidgetItem* it = itemAt(e->pos());
  if (!it) return;
  const int r = row(it);
  QMenu menu(this);
  menu.addAction(tr("Restore these settings"), this, [this, r] { Q_EMIT restoreRequested(r); });
  menu.addAction(tr("Re-run with a new seed"), this, [this, r] { Q_EMIT rerunRequested(r); });
  menu.addAction(it->text().startsWith(QStringLiteral("★")) ? tr("Remove from favourites") : tr("Mark as favourite"),
                 this, [this, r] { Q_EMIT favouriteToggled(r); });
  menu.addSeparator();
  menu.addAction(tr("Delete"), this, [this, r] { Q_EMIT deleteRequested(r); });
  menu.exec(e->globalPos());
}

void HistoryView::keyPressEvent(QKeyEvent* e) {
  if ((e->key() == Qt::Key_Delete || e->key() == Qt::Key_Backspace) && currentRow() >= 0) {
    Q_EMIT deleteRequested(currentRow());
    return;
  }
  QListWidget::keyPressEvent(e);
}

}  // namespace studio
