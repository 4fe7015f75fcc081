#include "app/model_probe.h"

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
    r.ok = true;
  } catch (const std::exception& e) {
    r.error = QString::fromUtf8(e.what());
  }
  return r;
}

QString huggingFaceCacheDir() { return QString::fromStdString(ci2v::io::default_hf_cache_repo_dir()); }

}  // namespace studio
