// FrameInit timings: the low-pass filter build (first call and cached) and the 3-D FFT frequency mix
// (freq_mix_3d, and the preview split into low/high bands), for the released latent shape
// [1, 4, 16, 32, 32] (256² frames) and a 512² shape. Prints milliseconds (median of the repeats).
//
//   bench_frameinit [--threads N] [--repeats N] [--device cpu|cuda] [--backend torch|cufft]
// (cufft: the raw cuFFT backend of a CUDA build, compared with torch.fft on the same tensors)
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "engine/sampling/frameinit.h"
#include "engine/sampling/scheduler.h"

using namespace ci2v::sampling;
using ci2v::FilterType;

namespace {

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void sync(torch::Device d) {
  if (d.is_cuda()) torch::cuda::synchronize();
}

template <class F>
double median_ms(int repeats, torch::Device d, F f) {
  std::vector<double> t;
  for (int i = 0; i < repeats; ++i) {
    sync(d);
    const double t0 = now_ms();
    f();
    sync(d);
    t.push_back(now_ms() - t0);
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 1, repeats = 20;  // 2 OpenMP threads oversubscribe the shared 2-core build machine
  std::string device = "cpu", backend = "torch";
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) threads = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--repeats") && i + 1 < argc) repeats = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--device") && i + 1 < argc) device = argv[++i];
    else if (!std::strcmp(argv[i], "--backend") && i + 1 < argc) backend = argv[++i];
    else {
      std::fprintf(stderr, "usage: bench_frameinit [--threads N] [--repeats N] [--device cpu|cuda] [--backend torch|cufft]\n");
      return 2;
    }
  }
  torch::set_num_threads(threads);
  const torch::Device dev(device == "cuda" ? torch::kCUDA : torch::kCPU);
  torch::NoGradGuard no_grad;
  auto spectral = backend == "cufft" ? cufft_backend() : torch_fft_backend();
  if (!spectral) {
    std::fprintf(stderr, "bench_frameinit: this build has no cuFFT backend (CONSISTI2V_HAVE_CUDA_KERNELS)\n");
    return 2;
  }
  std::printf("FrameInit bench: device %s, backend %s, %d threads, median of %d\n", dev.str().c_str(),
              spectral->name().c_str(), threads, repeats);
  std::printf("%-22s %-12s %10s %10s %10s %10s %10s\n", "shape", "filter", "build_ms", "cached_ms", "mix_ms",
              "split_ms", "run_ms");

  DdimScheduler scheduler;
  struct Shape {
    const char* name;
    std::vector<int64_t> dims;
  };
  const std::vector<Shape> shapes = {{"1x4x16x32x32 (256^2)", {1, 4, 16, 32, 32}},
                                     {"1x4x16x64x64 (512^2)", {1, 4, 16, 64, 64}}};
  for (const auto& s : shapes) {
    for (FilterType type : {FilterType::Gaussian, FilterType::Butterworth}) {
      LowPassFilterSpec spec;
      spec.type = type;
      FrameInit fi(spec, 850);
      fi.set_backend(spectral);
      const double t0 = now_ms();
      fi.filter(s.dims, dev);  // first: computed in double per element
      sync(dev);
      const double build = now_ms() - t0;
      const double cached = median_ms(repeats, dev, [&] { fi.filter(s.dims, dev); });
      torch::manual_seed(0);
      const auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(dev);
      const auto x = torch::randn(s.dims, opts), noise = torch::randn(s.dims, opts);
      fi.mix(x, noise);  // warm-up (FFT plans)
      const double mix = median_ms(repeats, dev, [&] { fi.mix(x, noise); });
      const double split = median_ms(repeats, dev, [&] { fi.split(x, noise); });
      const double run = median_ms(repeats, dev, [&] { fi.run(scheduler, x, noise); });
      std::printf("%-22s %-12s %10.3f %10.4f %10.3f %10.3f %10.3f", s.name, ci2v::to_string(type), build, cached,
                  mix, split, run);
      if (spectral->name() != "torch.fft") {  // agreement with the reference path on these tensors
        const auto lpf = fi.filter(s.dims, dev);
        const float err = (spectral->mix(x, noise, lpf) - torch_fft_backend()->mix(x, noise, lpf)).abs().max().item<float>();
        std::printf("   max |cufft - torch| %.2e", err);
      }
      std::printf("\n");
    }
  }
  return 0;
}
