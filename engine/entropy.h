// A few random bits for names and seeds (temporary file names, a "random" seed), from the kernel.
//
// getrandom(2) rather than std::random_device: a precaution, since the PyTorch wheels' libtorch exports parts of
// its own libstdc++ build that an executable may bind to (engine/files.h has the case that crashed). An early
// suspicion that std::random_device crashed there was wrong; the crash was std::filesystem::remove_all.
#pragma once
#include <cstdint>

namespace ci2v {

// 64 bits from getrandom(2); if the kernel refuses, a mix of the clock, the process id and a counter (unique
// within the process, which is all that temporary names need).
uint64_t entropy64();

}  // namespace ci2v
