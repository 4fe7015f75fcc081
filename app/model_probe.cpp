#include "app/model_probe.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStringList>

#include <nlohmann/json.hpp>

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
    QFile index(QDir(r.resolvedDir).filePath(QStringLiteral("model_index.json")));
    if (index.open(QIODevice::ReadOnly)) {
      const auto j = nlohmann::json::parse(index.readAll().toStdString(), nullptr, false);
      r.demo = j.is_object() && j.contains("_consisti2v_demo");
      if (r.demo && j["_consisti2v_demo"].is_object() && j["_consisti2v_demo"].contains("recommended")) {
        const auto& rec = j["_consisti2v_demo"]["recommended"];
        auto get = [&](const char* k) { return rec.is_object() && rec.contains(k) && rec[k].is_number_integer() ? rec[k].get<int>() : 0; };
        r.recommended = {get("width"), get("height"), get("frames"), get("steps"),
                         rec.is_object() && rec.contains("cfg_text") && rec["cfg_text"].is_number() ? rec["cfg_text"].get<double>() : 0.0,
                         {}, {}};
        if (rec.is_object() && rec.contains("prompt") && rec["prompt"].is_string())
          r.recommended.prompt = QString::fromStdString(rec["prompt"].get<std::string>());
        if (rec.is_object() && rec.contains("example") && rec["example"].is_string()) {
          const QString ex = QDir(r.resolvedDir).filePath(QString::fromStdString(rec["example"].get<std::string>()));
          if (QFileInfo(ex).isFile()) r.recommended.example = ex;
        }
      }
    }
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
             << bin + QStringLiteral("/../../resources/models/demo");
  for (const QString& c : candidates)
    if (QFileInfo::exists(c + QStringLiteral("/model_index.json"))) return QDir(c).absolutePath();
  return {};
}

QString huggingFaceCacheDir() { return QString::fromStdString(ci2v::io::default_hf_cache_repo_dir()); }

}  // namespace studio
