// The quick, Torch-free model check for the model picker: resolve the folder (plain folder or Hugging Face
// cache) and read model_index.json, every component's config and weight files. The full check is loading it
// on the engine thread (EngineWorker::loadModel).
#pragma once
#include <QString>

#include "engine/pipeline.h"  // FrameInitDefaults (no Torch)

namespace studio {

struct ModelProbe {
  bool ok = false;
  QString resolvedDir;  // the pipeline folder actually used
  QString summary;      // one line for the status, e.g. "5 components, weights: safetensors"
  QString error;        // what is wrong, when !ok
  bool demo = false;    // a small model the project trained on toy clips (model_index.json "_consisti2v_demo")
  // The settings a demo model was trained for ("_consisti2v_demo": {"recommended": {...}}); 0 = not given.
  struct Recommended {
    int width = 0, height = 0, frames = 0, steps = 0;
    double cfg_text = 0;
    QString prompt;   // an example prompt in the model's vocabulary
    QString example;  // an example first frame inside the model folder (absolute path), "" when none
    // FrameInit's defaults: the paper's, with the model's own camera setting where it gives one
    ci2v::FrameInitDefaults frameinit;
    bool any() const { return width > 0 || height > 0 || frames > 0 || steps > 0 || cfg_text > 0; }
  } recommended;
};

ModelProbe probeModelFolder(const QString& path);
QString huggingFaceCacheDir();  // the default cache folder of TIGER-Lab/ConsistI2V (may not exist)
// The bundled demo model, when there is one: CONSISTI2V_DEMO_MODEL, else share/consisti2v-studio/models/demo
// beside an installed binary, else resources/models/demo of the source tree beside build/bin. "" when none
// (or when CONSISTI2V_DEMO_MODEL=none).
QString bundledDemoModel();

}  // namespace studio
