// Every error shown to the user is a sentence that says what happened and what to do, with the engine's own
// message as details.
#pragma once
#include <QString>

#include "engine/pipeline.h"

namespace studio {

struct UserMessage {
  QString title;
  QString text;     // what happened and what to do
  QString details;  // the engine's message
};

bool isOutOfMemory(const QString& engineMessage);
// dtype: the precision the model was loaded in ("fp32", "fp16", "bf16"; "" = not known): out of memory at half
// precision already, the advice is another.
UserMessage modelErrorMessage(const QString& path, const QString& engineMessage, const std::string& dtype = "");
UserMessage generationErrorMessage(const QString& engineMessage, const ci2v::GenerationParams& params);
UserMessage exportErrorMessage(const QString& path, const QString& engineMessage);
UserMessage firstFrameErrorMessage(const QString& path, const QString& engineMessage);

}  // namespace studio
