// Process-wide set-up shared by the app and its tests.
#pragma once
#include <QString>
#include <QStringList>

class QApplication;
class QSettings;

namespace studio {

// Before QApplication: Qt Multimedia's GStreamer backend (the FFmpeg backend crashes without an audio device,
// see env-setup.md §3.4) unless QT_MEDIA_BACKEND is set, and the high-DPI rounding policy (fractional scales
// stay fractional).
void prepareEnvironment();
// After QApplication: organisation / application names (QSettings), version, window icon.
void setApplicationInfo();

// --- Language of the user interface: "system" (Korean when QLocale::system() is Korean, else English), "en"
// or "ko". The choice lives in QSettings under "ui/language"; it applies at the next start (main.cpp installs
// the translators before the window is built). The environment variable CONSISTI2V_LANG=en|ko overrides it
// (tests, screenshots).
QStringList uiLanguages();                                              // {"en", "ko"}: translations built in
QString languageSetting(const QSettings& settings);                     // "system" | "en" | "ko"
void setLanguageSetting(QSettings& settings, const QString& language);  // an unknown value is stored as "system"
// The language actually used for `language` ("system" | "en" | "ko"): CONSISTI2V_LANG when it names a
// built-in language, else `language`, with "system" (or anything unknown) resolved from QLocale::system().
QString resolveLanguage(const QString& language);
// Installs the studio's translation (:/i18n/consisti2v_<lang>.qm) and, for Korean, Qt's own (qt_ko.qm from
// QLibraryInfo::TranslationsPath: standard dialogs and buttons) into `app`, replacing the ones an earlier call
// installed. Widgets built afterwards are translated. Returns the language used ("en" or "ko").
QString installTranslations(QApplication& app, const QString& language);

}  // namespace studio
