#include "engine/env_check.h"

#include <unistd.h>  // environ

#include <algorithm>
#include <cctype>

namespace ci2v {

const std::vector<EnvVarSpec>& environment_variables() {
  static const std::vector<EnvVarSpec> specs = {
      {"CONSISTI2V_LANG", {"en", "ko"}, "the studio's interface language (else its setting)", true},
      {"CONSISTI2V_CUDA_GRAPHS", {"0", "1"}, "1: the UNet replayed from CUDA graphs (generate, the studio)"},
      {"CONSISTI2V_FUSED", {"0", "1"}, "0: no fused CUDA kernels (GEGLU, GroupNorm+SiLU, temporal combine)"},
      {"CONSISTI2V_FUSED_TEMPORAL", {"0", "1"}, "0: no fused CUDA kernel for the temporal GEMM's combine"},
      {"CONSISTI2V_CHANNELS_LAST", {"0", "1"}, "0: the UNet in NCHW on CUDA"},
      {"CONSISTI2V_TEMPORAL_CONV", {"gemm", "conv3d", "auto"}, "how the temporal convolutions run"},
      {"CONSISTI2V_FFT", {"torch", "cufft"}, "torch: FrameInit's FFT by torch.fft instead of raw cuFFT on CUDA"},
      {"CONSISTI2V_DEMO_MODEL", {}, "the demo model folder (the studio's default model; the demo tests and benchmarks); "
                                    "none: the studio starts without one"},
      {"CONSISTI2V_DEMO_DUMP", {}, "a folder where the demo tests write the clips they generate"},
      {"CONSISTI2V_PARITY_DIR", {}, "a parity fixture folder for the parity test"},
      {"CONSISTI2V_BUILD_DIR", {}, "the build folder of scripts/setup, scripts/test, scripts/run"},
      {"CONSISTI2V_BUILD_TARGETS", {}, "what scripts/setup builds (default: everything; scripts/run: the apps)"},
      {"CONSISTI2V_SKIP_APT", {"0", "1"}, "1: scripts/setup installs no Debian packages"},
      {"CONSISTI2V_JOBS", {}, "parallel compile jobs of scripts/setup (default: the cores, one per 1.5 GB free)"},
  };
  return specs;
}

namespace {

std::string normalised(std::string v, bool ignore_case) {
  if (!ignore_case) return v;
  const char* kSpace = " \t\r\n\v\f";  // what the studio's QString::trimmed strips too
  const auto b = v.find_first_not_of(kSpace), e = v.find_last_not_of(kSpace);
  v = b == std::string::npos ? std::string() : v.substr(b, e - b + 1);
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return v;
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string joined(const std::vector<std::string>& v, const std::string& sep) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

}  // namespace

std::vector<std::string> environment_warnings(const std::vector<std::string>& env) {
  static const std::string kPrefix = "CONSISTI2V_";
  std::vector<std::string> out;
  for (const auto& entry : env) {
    const auto eq = entry.find('=');
    const std::string name = entry.substr(0, eq), value = eq == std::string::npos ? "" : entry.substr(eq + 1);
    std::string upper = name;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (upper.compare(0, kPrefix.size(), kPrefix) != 0) continue;  // consisti2v_fused is a misspelling too
    const auto& specs = environment_variables();
    const auto it = std::find_if(specs.begin(), specs.end(), [&](const EnvVarSpec& s) { return s.name == name; });
    if (it == specs.end()) {
      // a near miss: the part after the prefix, upper-cased, within a fifth of its length in edits (at least 1)
      const std::string tail = upper.substr(kPrefix.size());
      const EnvVarSpec* best = nullptr;
      size_t best_d = 0;
      for (const auto& s : specs) {
        const std::string known_tail = s.name.substr(kPrefix.size());
        const size_t d = edit_distance(tail, known_tail);
        if (d <= std::max<size_t>(1, known_tail.size() / 5) && (!best || d < best_d)) best_d = d, best = &s;
      }
      std::vector<std::string> names;
      for (const auto& s : specs) names.push_back(s.name);
      out.push_back("environment variable " + name + " is not one this program reads (ignored)" +
                    (best ? "; did you mean " + best->name + "?" : "; known: " + joined(names, ", ")));
      continue;
    }
    if (it->values.empty()) continue;
    const auto v = normalised(value, it->ignore_case);
    if (std::find(it->values.begin(), it->values.end(), v) == it->values.end())
      out.push_back("environment variable " + name + "='" + value + "' has no effect: the accepted values are " +
                    joined(it->values, ", ") + " (" + it->what + ")");
  }
  return out;
}

std::vector<std::string> environment_warnings() {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) env.emplace_back(*e);
  return environment_warnings(env);
}

}  // namespace ci2v
