#include "cli/op_profile.h"

#include <torch/csrc/autograd/profiler_kineto.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <stdexcept>

namespace ci2v::cli {
namespace {

namespace prof = torch::autograd::profiler;
namespace impl = torch::profiler::impl;

// Kineto's activity types (libkineto ActivityType; the first eight are the same in LibTorch 1.13 and 2.x).
constexpr int kCpuOp = 0, kGpuMemcpy = 3, kGpuMemset = 4, kKernel = 5;

// An event's start and duration in microseconds: LibTorch 1.13 reports microseconds (startUs/durationUs),
// 2.x nanoseconds (startNs/durationNs).
template <class E>
std::pair<double, double> span_us(const E& e) {
  if constexpr (requires { e.startNs(); })
    return {static_cast<double>(e.startNs()) / 1000.0, static_cast<double>(e.durationNs()) / 1000.0};
  else
    return {static_cast<double>(e.startUs()), static_cast<double>(e.durationUs())};
}

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

bool is_launch(const std::string& n) {
  return contains(n, "LaunchKernel") || contains(n, "GraphLaunch") || n.rfind("cudaMemcpy", 0) == 0 ||
         n.rfind("cudaMemset", 0) == 0 || n.rfind("cuMemcpy", 0) == 0 || n.rfind("cuMemset", 0) == 0;
}

struct Span {
  double start, end;
  std::string name;
  double child = 0;
};

// Self time of nested spans (one thread or one stream): sort by start, longer first on ties, and walk with a stack.
void add_self_times(std::vector<Span>& spans, std::map<std::string, ProfileEntry>& out) {
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return a.start != b.start ? a.start < b.start : a.end > b.end;
  });
  std::vector<Span*> stack;
  for (auto& s : spans) {
    while (!stack.empty() && stack.back()->end <= s.start) stack.pop_back();
    if (!stack.empty()) stack.back()->child += std::min(s.end, stack.back()->end) - s.start;
    stack.push_back(&s);
  }
  for (const auto& s : spans) {
    auto& e = out[s.name];
    e.name = s.name;
    e.self_us += std::max(0.0, (s.end - s.start) - s.child);
    e.calls += 1;
  }
}

}  // namespace

std::string kernel_category(const std::string& raw) {
  std::string n(raw.size(), ' ');
  std::transform(raw.begin(), raw.end(), n.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (contains(n, "memcpy") || contains(n, "memset") || contains(n, "copy_") || n == "aten::to" ||
      n == "aten::_to_copy" || contains(n, "contiguous"))
    return "copy";
  if (contains(n, "flash") || contains(n, "fmha") || contains(n, "attention") || contains(n, "attn") ||
      contains(n, "_efficient_"))
    return "attention";
  if (contains(n, "softmax")) return "softmax";
  if ((contains(n, "conv") && !contains(n, "convert")) || contains(n, "fprop") || contains(n, "dgrad") || contains(n, "wgrad") ||
      contains(n, "implicit_gemm") || contains(n, "cudnn"))
    return "convolution";
  if (contains(n, "gemm") || contains(n, "xmma") || contains(n, "cutlass") || contains(n, "matmul") ||
      contains(n, "aten::mm") || contains(n, "aten::bmm") || contains(n, "aten::addmm") || contains(n, "linear") ||
      contains(n, "cublas") || contains(n, "nvjet"))
    return "matmul";
  if (contains(n, "normal_") || contains(n, "random") || contains(n, "randn")) return "other";  // RNG kernels
  if (contains(n, "norm") || contains(n, "rowwisemoments") || contains(n, "computefusedparams") ||
      contains(n, "welford"))
    return "normalization";
  if (contains(n, "fft")) return "fft";
  if (contains(n, "reduce") || contains(n, "aten::sum") || contains(n, "aten::mean") || contains(n, "aten::max") ||
      contains(n, "aten::std") || contains(n, "aten::var"))
    return "reduction";
  if (contains(n, "elementwise") || contains(n, "vectorized") || contains(n, "unrolled") || contains(n, "aten::add") ||
      contains(n, "aten::mul") || contains(n, "aten::sub") || contains(n, "aten::div") || contains(n, "silu") ||
      contains(n, "gelu") || contains(n, "tanh") || contains(n, "sigmoid") || contains(n, "aten::cat") || contains(n, "cat_") || contains(n, "aten::exp") ||
      contains(n, "aten::cos") || contains(n, "aten::sin") || contains(n, "aten::fill") || contains(n, "aten::zero"))
    return "elementwise";
  return "other";
}

void profile_begin(bool cuda) {
  std::set<impl::ActivityType> activities{impl::ActivityType::CPU};
  if (cuda) activities.insert(impl::ActivityType::CUDA);
  const impl::ProfilerConfig config(impl::ProfilerState::KINETO);
  try {
    prof::prepareProfiler(config, activities);
    prof::enableProfiler(config, activities);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("the LibTorch profiler cannot start here: ") + e.what());
  }
}

ProfileSummary profile_end(const std::string& trace_path) {
  auto result = prof::disableProfiler();
  if (!result) throw std::runtime_error("the LibTorch profiler returned no result");
  ProfileSummary s;
  std::map<std::string, std::vector<Span>> device_streams, host_threads;
  for (const auto& e : result->events()) {
    const int type = static_cast<int>(e.activityType());
    const std::string name = e.name();
    const auto [t0, dur] = span_us(e);
    const double t1 = t0 + dur;
    if (type == kKernel || type == kGpuMemcpy || type == kGpuMemset) {
      s.device = true;
      device_streams[std::to_string(e.deviceIndex()) + ":" + std::to_string(e.deviceResourceId())].push_back(
          {t0, t1, name});
    } else if (type == kCpuOp) {
      host_threads[std::to_string(e.startThreadId())].push_back({t0, t1, name});
    } else if (is_launch(name)) {
      ++s.launches;
    }
  }
  std::map<std::string, ProfileEntry> by_name;
  for (auto& [key, spans] : s.device ? device_streams : host_threads) add_self_times(spans, by_name);
  std::map<std::string, ProfileEntry> by_cat;
  for (const auto& [name, e] : by_name) {
    s.entries.push_back(e);
    s.busy_us += e.self_us;
    auto& c = by_cat[kernel_category(name)];
    c.name = kernel_category(name);
    c.self_us += e.self_us;
    c.calls += e.calls;
  }
  auto larger = [](const ProfileEntry& a, const ProfileEntry& b) { return a.self_us > b.self_us; };
  std::sort(s.entries.begin(), s.entries.end(), larger);
  for (const auto& [name, e] : by_cat) s.categories.emplace_back(name, e);
  std::sort(s.categories.begin(), s.categories.end(), [&](const auto& a, const auto& b) { return larger(a.second, b.second); });
  if (!trace_path.empty()) {
    try {
      result->save(trace_path);
      s.trace_note = "trace written to " + trace_path;
    } catch (const c10::Error& e) {
      s.trace_note = "no trace written to " + trace_path + ": " + e.what_without_backtrace();
    }
  }
  return s;
}

std::string format_profile(const ProfileSummary& s, int top, int per, const std::string& per_name) {
  per = std::max(per, 1);
  const double scale = 1.0 / 1000.0 / per;  // us in all -> ms per unit
  std::string out;
  char line[512];
  long calls = 0;
  for (const auto& e : s.entries) calls += e.calls;
  if (s.device)
    std::snprintf(line, sizeof line, "GPU busy per %s: %.2f ms in %.0f kernels/copies, %.0f host launch calls\n",
                  per_name.c_str(), s.busy_us * scale, double(calls) / per, double(s.launches) / per);
  else
    std::snprintf(line, sizeof line, "host op self time per %s: %.2f ms in %.0f op calls\n", per_name.c_str(),
                  s.busy_us * scale, double(calls) / per);
  out += line;
  if (!s.trace_note.empty()) out += "  " + s.trace_note + "\n";
  const std::string ms = "ms/" + per_name, n = "n/" + per_name;
  std::snprintf(line, sizeof line, "  %-14s %10s %7s %9s\n", "kind", ms.c_str(), "share", n.c_str());
  out += line;
  auto share = [&](double us) { return s.busy_us > 0 ? 100.0 * us / s.busy_us : 0.0; };
  for (const auto& [cat, e] : s.categories) {
    std::snprintf(line, sizeof line, "  %-14s %10.3f %6.1f%% %9.0f\n", cat.c_str(), e.self_us * scale, share(e.self_us),
                  double(e.calls) / per);
    out += line;
  }
  std::snprintf(line, sizeof line, "  %-14s %10s %7s %9s %9s  %s (top %d by self time)\n", "kind", ms.c_str(), "share",
                n.c_str(), "us/call", "name", top);
  out += line;
  for (int i = 0; i < top && i < static_cast<int>(s.entries.size()); ++i) {
    const auto& e = s.entries[static_cast<size_t>(i)];
    const std::string name = e.name.size() > 120 ? e.name.substr(0, 117) + "..." : e.name;
    std::snprintf(line, sizeof line, "  %-14s %10.3f %6.1f%% %9.1f %9.1f  %s\n", kernel_category(e.name).c_str(),
                  e.self_us * scale, share(e.self_us), double(e.calls) / per, e.calls ? e.self_us / e.calls : 0.0,
                  name.c_str());
    out += line;
  }
  return out;
}

}  // namespace ci2v::cli
