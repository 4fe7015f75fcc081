// The LibTorch (Kineto) profiler around a stretch of work, summarised as a table: for `consisti2v bench --profile`.
// On CUDA it records the GPU's kernels, copies and memsets and the host's launch calls; on the CPU, the ATen ops.
// Each entry gets its self time (its duration minus that of the events nested in it on the same thread), so
// nothing is counted twice; kernels are grouped by kind (matmul, convolution, attention, normalisation,
// elementwise, ...) to show where a denoising step's time goes.
#pragma once
#include <string>
#include <vector>

namespace ci2v::cli {

struct ProfileEntry {
  std::string name;
  double self_us = 0;  // summed over every call
  long calls = 0;
};

struct ProfileSummary {
  bool device = false;  // entries are GPU kernels / copies (true) or host ops (false)
  double busy_us = 0;   // sum of the entries' self time
  long launches = 0;    // host calls that start GPU work (cudaLaunchKernel, cudaGraphLaunch, cudaMemcpyAsync, ...)
  std::string trace_note;  // where the Chrome trace went, or why it could not be written
  std::vector<ProfileEntry> entries;                                  // by self time, largest first
  std::vector<std::pair<std::string, ProfileEntry>> categories;      // by self time, largest first
};

// What a kernel or op name is: "matmul", "convolution", "attention", "normalization", "softmax", "elementwise",
// "reduction", "copy", "fft", or "other".
std::string kernel_category(const std::string& name);

// Begin recording on this thread (CUDA activity too when `cuda`). Throws with the reason when the LibTorch build
// cannot profile.
void profile_begin(bool cuda);
// Stop, and summarise; `trace_path` (when not empty) gets the Chrome trace (chrome://tracing, Perfetto).
ProfileSummary profile_end(const std::string& trace_path);

// The summary as text: the categories, then the `top` largest entries, with times per `per` (e.g. per step).
std::string format_profile(const ProfileSummary& s, int top, int per, const std::string& per_name);

}  // namespace ci2v::cli
