// Helpers shared by the CLI's generate and preview commands (defined in cmd_generate.cpp).
#pragma once
#include <memory>
#include <string>

#include "engine/pipeline.h"

namespace ci2v::cli {

// The first frame from an image file; errors name the file.
RgbImage load_first_frame(const std::string& path);
// Loads the model for `params`' device and dtype, saying so on stderr (unless quiet) with the share of the weights
// read when stderr is a terminal.
// `cancel` (optional): stops the load before its next tensor (it throws).
std::unique_ptr<Pipeline> load_pipeline(const std::string& model, const GenerationParams& params, bool quiet,
                                        const CancelToken* cancel = nullptr);

}  // namespace ci2v::cli
