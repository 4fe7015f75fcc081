// The "Language" submenu: System language / English / 한국어. The choice is saved in QSettings ("ui/language",
// see app_setup.h) and applies the next time the studio starts.
#pragma once

class QMenu;
class QSettings;
class QWidget;

namespace studio {

// Adds the submenu to `parent`; `settings` must outlive the menu; `window` parents the "applies after a
// restart" note.
QMenu* addLanguageMenu(QMenu* parent, QSettings& settings, QWidget* window);

}  // namespace studio
