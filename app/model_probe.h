// The quick, Torch-free model check for the model picker: resolve the folder (plain folder or Hugging Face
// cache) and read model_index.json, every component's config and weight files. The full check is loading it
// on the engine thread (EngineWorker::loadModel).
#pragma once
#include <QString>

namespace studio {

struct ModelProbe {
  bool ok = false;
  QString resolvedDir;  // the pipeline folder actually used
  QString summary;      // one line for the status, e.g. "5 components, weights: safetensors"
  QString error;        // what is wrong, when !ok
};

ModelProbe probeModelFolder(const QString& path);
QString huggingFaceCacheDir();  // the default cache folder of TIGER-Lab/ConsistI2V (may not exist)

}  // namespace studio
