// Limits shared by the CLI and the trainer (torch-free).
#pragma once

namespace ci2v {

// The most CPU threads a command or a training run accepts (--threads, --data-threads; 0 = every hardware thread).
// Far above any machine this runs on, low enough that a mistyped value is refused instead of exhausting threads.
inline constexpr int kMaxThreads = 256;

}  // namespace ci2v
