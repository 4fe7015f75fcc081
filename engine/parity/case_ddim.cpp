#include "engine/error.h"
#include "engine/parity/parity.h"

namespace ci2v::parity {

void run_ddim_case(CaseContext&) { throw Error("engine part not implemented yet"); }

}  // namespace ci2v::parity
