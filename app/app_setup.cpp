#include "app/app_setup.h"

#include <QApplication>
#include <QIcon>

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

}  // namespace studio
