#include "app/model_probe.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStringList>


#include "engine/io/diffusers_folder.h"

namespace studio {

ModelProbe probeModelFolder(const QString& path) {
  ModelProbe r;
  if (path.trimmed().isEmpty()) {
    r.error = QObject::tr("No model folder chosen.");
    return r;
  }
  if (!QFileInfo::exists(path)) {
    r.error = QObject::tr("The folder %1 does not exist.").arg(QDir::toNativeSeparators(path));
    return r;
  }
  try {
    const std::string dir = ci2v::io::resolve_model_dir(path.toStdString());
    const ci2v::io::ModelFolder folder = ci2v::io::open_model_folder(dir);
    ci2v::io::check_weight_files(folder);  // a weight file cut short is said now, not after a load
    r.resolvedDir = QString::fromStdString(dir);
    QStringList formats;
    for (const char* needed : {"unet", "vae", "text_encoder", "tokenizer", "scheduler"}) {
      const ci2v::io::Component& c = folder.get(needed);  // throws naming the missing component
      if (!c.weight_format.empty() && !formats.contains(QString::fromStdString(c.weight_format)))
        formats << QString::fromStdString(c.weight_format);
    }
    r.summary = QObject::tr("%1 components, weights: %2")
                    .arg(folder.components.size())
                    .arg(formats.isEmpty() ? QObject::tr("none") : formats.join(QStringLiteral(", ")));
    const ci2v::io::DemoSettings rec = ci2v::io::demo_settings(folder.model_index);
    r.demo = rec.demo;
    if (r.demo) {
      r.recommended = {rec.width, rec.height, rec.frames, rec.steps, rec.cfg_text, QString::fromStdString(rec.prompt), {},
                       rec.frameinit};
      if (!rec.example.empty()) {
        const QString ex = QDir(r.resolvedDir).filePath(QString::fromStdString(rec.example));
        if (QFileInfo(ex).isFile()) r.recommended.example = ex;
      }
    }
    r.ok = true;
    if (r.demo) r.summary = QObject::tr("demo model (trained on toy clips) · %1").arg(r.summary);
  } catch (const std::exception& e) {
    r.error = QString::fromUtf8(e.what());
  }
  return r;
}

QString bundledDemoModel() {
  QStringList candidates;
  const QString env = qEnvironmentVariable("CONSISTI2V_DEMO_MODEL");
  if (env == QLatin1String("none")) return {};  // tests: start without a model
  if (!env.isEmpty()) candidates << env;
  const QString bin = QCoreApplication::applicationDirPath();
  candidates << bin + QStringLiteral("/../share/consisti2v-studio/models/demo")
             << bin + QStringLiteral("/../../resources/models/demo")
             // a build folder elsewhere (CONSISTI2V_BUILD_DIR): the source tree it was configured from
             << QStringLiteral(CONSISTI2V_SOURCE_DIR "/resources/models/demo");
  for (const QString& c : candidates)
    if (QFileInfo::exists(c + QStringLiteral("/model_index.json"))) return QDir(c).absolutePath();
  return {};
}

QString huggingFaceCacheDir() { return QString::fromStdString(ci2v::io::default_hf_cache_repo_dir()); }

}  // namespace studio
