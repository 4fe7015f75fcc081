// Where a save goes: the name typed in a save dialog, with the format's suffix added, and one question before an
// existing file of that final name is replaced. (The file dialog's own question is turned off: it asks about the
// name as typed, before the suffix is added, so "clip" would replace "clip.ci2v" without a word.)
#pragma once
#include <QString>

class QWidget;

namespace studio {

// Asks "… already exists. Replace it?" when `file` is an existing file; true when it is not, or the user says so.
bool confirmReplace(QWidget* parent, const QString& file);
// `typed` with `suffix` (e.g. ".ci2v") added when it does not end with it (in any case); "" when `typed` is empty
// or the final file exists and the user does not want it replaced.
QString confirmSaveName(QWidget* parent, const QString& typed, const QString& suffix);
// A save dialog (no overwrite question of its own), then confirmSaveName. "" when cancelled.
QString askSaveFileName(QWidget* parent, const QString& title, const QString& proposed, const QString& filter,
                        const QString& suffix);

}  // namespace studio
