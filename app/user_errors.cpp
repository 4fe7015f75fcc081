#include "app/user_errors.h"

#include <QDir>
#include <QObject>

namespace studio {

bool isOutOfMemory(const QString& m) {
  return m.contains(QLatin1String("out of memory"), Qt::CaseInsensitive) ||
         m.contains(QLatin1String("not enough memory"), Qt::CaseInsensitive) ||
         m.contains(QLatin1String("bad_alloc"), Qt::CaseInsensitive) ||
         m.contains(QLatin1String("can't allocate memory"), Qt::CaseInsensitive) ||
         m.contains(QLatin1String("CUBLAS_STATUS_ALLOC_FAILED"));
}

UserMessage modelErrorMessage(const QString& path, const QString& m, const std::string& dtype) {
  UserMessage u;
  u.details = m;
  if (isOutOfMemory(m)) {
    u.title = QObject::tr("Not enough memory for the model");
    u.text = dtype == "fp16" || dtype == "bf16"
                 ? QObject::tr("The model does not fit into memory even at %1 precision. Close other programs that "
                               "use the GPU, or choose Device → CPU (slower).")
                       .arg(QString::fromStdString(dtype))
                 : QObject::tr("The model does not fit into memory. Choose fp16 precision (Hardware → Precision) or "
                               "close other programs that use the GPU.");
    return u;
  }
  u.title = QObject::tr("The model cannot be used");
  const bool missing = m.contains(QLatin1String("no model_index.json")) || m.contains(QLatin1String("does not exist")) ||
                       m.contains(QLatin1String("not a model folder"));
  if (missing) {
    u.text = QObject::tr("%1 is not a ConsistI2V model folder. Choose the folder that contains model_index.json "
                         "(with unet, vae, text_encoder, tokenizer and scheduler inside), or a Hugging Face cache "
                         "folder of TIGER-Lab/ConsistI2V.")
                 .arg(QDir::toNativeSeparators(path));
  } else if (m.contains(QLatin1String("CUDA"), Qt::CaseInsensitive) || m.contains(QLatin1String("cuda"))) {
    u.text = QObject::tr("The GPU cannot be used: %1\nChoose Device → CPU or Automatic.").arg(m);
  } else {
    u.text = QObject::tr("The model in %1 is incomplete or damaged: %2\nDownload it again, or choose another folder.")
                 .arg(QDir::toNativeSeparators(path), m);
  }
  return u;
}

UserMessage generationErrorMessage(const QString& m, const ci2v::GenerationParams& p) {
  UserMessage u;
  u.details = m;
  if (isOutOfMemory(m)) {
    const bool gpu = m.contains(QLatin1String("CUDA"), Qt::CaseInsensitive) || p.device == "cuda";
    u.title = QObject::tr("Out of memory");
    u.text = QObject::tr("The %1 ran out of memory for a %2 × %3 clip of %4 frames. Try a smaller size (for example "
                         "256 × 256), fewer frames%5.")
                 .arg(gpu ? QObject::tr("GPU") : QObject::tr("computer"))
                 .arg(p.width)
                 .arg(p.height)
                 .arg(p.frames)
                 .arg(p.dtype == "fp32" ? QObject::tr(", or fp16 precision (Hardware → Precision)") : QString());
    return u;
  }
  if (m.startsWith(QLatin1String("parameter")) || m.startsWith(QLatin1String("parameters"))) {
    u.title = QObject::tr("A setting is out of range");
    u.text = QObject::tr("%1\nChange it in the settings panel and generate again.").arg(m);
    return u;
  }
  u.title = QObject::tr("The generation failed");
  u.text = QObject::tr("The engine stopped with an error: %1").arg(m);
  return u;
}

UserMessage exportErrorMessage(const QString& path, const QString& m) {
  UserMessage u;
  u.title = QObject::tr("Export failed");
  u.details = m;
  u.text = QObject::tr("The clip could not be written to %1: %2\nCheck that the folder exists and is writable, or "
                       "try another format.")
               .arg(QDir::toNativeSeparators(path), m);
  return u;
}

UserMessage firstFrameErrorMessage(const QString& path, const QString& m) {
  UserMessage u;
  u.title = QObject::tr("Cannot open the picture");
  u.details = m;
  u.text = QObject::tr("%1 could not be read as a picture: %2\nUse a PNG, JPEG or WebP file.")
               .arg(QDir::toNativeSeparators(path), m);
  return u;
}

}  // namespace studio
