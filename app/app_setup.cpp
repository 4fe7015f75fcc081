#include "app/app_setup.h"

#include <QApplication>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QPointer>
#include <QSettings>
#include <QTranslator>

#ifdef CONSISTI2V_HAVE_MEDIA
#include "engine/media/export.h"
#endif

static void initStudioResourcesForSetup() { Q_INIT_RESOURCE(studio); }

namespace studio {

void prepareEnvironment() {
  if (qEnvironmentVariableIsEmpty("QT_MEDIA_BACKEND")) qputenv("QT_MEDIA_BACKEND", "gstreamer");
  QGuiApplication::setHighDpiScaleFactorRoundingPolicy(Qt::HighDpiScaleFactorRoundingPolicy::PassThrough);
}

void setApplicationInfo() {
  initStudioResourcesForSetup();
  QApplication::setOrganizationName(QStringLiteral("ConsistI2V"));
  QApplication::setOrganizationDomain(QStringLiteral("consisti2v.invalid"));
  QApplication::setApplicationName(QStringLiteral("ConsistI2V Studio"));
  QApplication::setApplicationVersion(QStringLiteral(CONSISTI2V_VERSION));
  QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/app.svg")));
  QApplication::setDesktopFileName(QStringLiteral("io.github.consisti2v.Studio"));  // packaging/linux/<id>.desktop
#ifdef CONSISTI2V_HAVE_MEDIA
  ci2v::media::set_ffmpeg_quiet(true);  // FFmpeg errors only; the studio reports failures itself
#endif
}

// --- language

namespace {
const QString kLanguageKey = QStringLiteral("ui/language");
const QString kSystem = QStringLiteral("system");

// The translators installed by the last installTranslations call (children of the application).
QPointer<QTranslator> g_studioTranslator;
QPointer<QTranslator> g_qtTranslator;

void removeTranslator(QApplication& app, QPointer<QTranslator>& t) {
  if (!t) return;
  QCoreApplication::removeTranslator(t);
  if (t->parent() == &app) delete t;
  t = nullptr;
}
}  // namespace

QStringList uiLanguages() { return {QStringLiteral("en"), QStringLiteral("ko")}; }

QString languageSetting(const QSettings& settings) {
  const QString v = settings.value(kLanguageKey, kSystem).toString().trimmed().toLower();
  return uiLanguages().contains(v) ? v : kSystem;
}

void setLanguageSetting(QSettings& settings, const QString& language) {
  const QString v = language.trimmed().toLower();
  settings.setValue(kLanguageKey, uiLanguages().contains(v) ? v : kSystem);
}

QString resolveLanguage(const QString& language) {
  const QString env = qEnvironmentVariable("CONSISTI2V_LANG").trimmed().toLower();
  if (uiLanguages().contains(env)) return env;
  const QString v = language.trimmed().toLower();
  if (uiLanguages().contains(v)) return v;
  return QLocale::system().language() == QLocale::Korean ? QStringLiteral("ko") : QStringLiteral("en");
}

QString installTranslations(QApplication& app, const QString& language) {
  const QString lang = resolveLanguage(language);
  removeTranslator(app, g_studioTranslator);
  removeTranslator(app, g_qtTranslator);

  // English has a catalogue too: it carries the plural forms of the "%n ..." strings.
  auto* own = new QTranslator(&app);
  if (own->load(QStringLiteral(":/i18n/consisti2v_%1.qm").arg(lang)) && QCoreApplication::installTranslator(own)) {
    g_studioTranslator = own;
  } else {
    qWarning("ConsistI2V Studio: no translation for language '%s' (:/i18n/consisti2v_%s.qm)", qPrintable(lang),
             qPrintable(lang));
    delete own;
  }
  if (lang != QLatin1String("en")) {
    // Qt's own strings (QDialogButtonBox, QFileDialog, QMessageBox ...): qt_<lang>.qm pulls in qtbase_<lang>.qm
    // and the other modules'.
    const QString dir = QLibraryInfo::path(QLibraryInfo::TranslationsPath);
    auto* qt = new QTranslator(&app);
    if ((qt->load(QStringLiteral("qt_%1").arg(lang), dir) || qt->load(QStringLiteral("qtbase_%1").arg(lang), dir)) &&
        QCoreApplication::installTranslator(qt)) {
      g_qtTranslator = qt;
    } else {
      // Not fatal: the studio's own strings are translated; Qt's standard buttons stay English.
      qWarning("ConsistI2V Studio: Qt's translations for '%s' not found in %s (install qt6-translations-l10n)",
               qPrintable(lang), qPrintable(dir));
      delete qt;
    }
  }
  return lang;
}

}  // namespace studio
