// Checks that a component's weights fit the network its config describes (used by `consisti2v info`).
#pragma once
#include <string>

#include "engine/io/diffusers_folder.h"
#include "engine/io/state_dict.h"

namespace ci2v {

// Builds the component's network from its config and loads `sd` into it. Returns a one-line summary
// ("all N tensors match the ... architecture") or throws ci2v::Error naming every missing, unexpected
// or mis-shaped key.
std::string check_component(const io::Component& c, const io::StateDict& sd);

}  // namespace ci2v
