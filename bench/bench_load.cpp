// Benchmark of loading the released UNet configuration (1.25 B parameters) from a safetensors file on the CPU:
// seconds and GB/s of weights, for a checkpoint stored in fp32 and in fp16 (loaded as fp32), with the file in the
// page cache: the figures are the best of --repeat loads after a first one ("first": from the disk only when the
// file was there before the run; a file just written is mostly in the page cache already). The checkpoints are
// written into --dir (about 5 GB + 2.5 GB; a cheap pattern) unless they are there, and removed at the end unless
// --keep is given or they were there before. Not a test.
//   bench_load [--dir DIR] [--repeat N] [--threads N] [--keep]
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "engine/io/state_dict.h"
#include "engine/limits.h"
#include "engine/unet/video_unet.h"

using namespace ci2v;
namespace fs = std::filesystem;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The released configuration with every weight set to a cheap deterministic pattern, saved in `dtype`.
void write_checkpoint(const std::string& path, torch::ScalarType dtype) {
  torch::NoGradGuard ng;
  unet::VideoUNet net(unet::UNetConfig::released(), torch::TensorOptions().dtype(dtype));
  int64_t i = 0;
  for (auto& p : net->parameters(true)) p.fill_(static_cast<double>(++i % 97) / 97.0);
  for (auto& b : net->buffers(true)) b.zero_();
  io::save_module_safetensors(*net, path);
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = (fs::temp_directory_path() / "ci2v_bench_load").string();
  int repeat = 2, threads = 0;
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--dir" && i + 1 < argc) dir = argv[++i];
    else if (a == "--repeat" && i + 1 < argc) repeat = std::max(1, std::atoi(argv[++i]));
    else if (a == "--threads" && i + 1 < argc) threads = std::atoi(argv[++i]);
    else if (a == "--keep") keep = true;
    else {
      std::fprintf(stderr, "usage: bench_load [--dir DIR] [--repeat N] [--threads N] [--keep]\n");
      return 2;
    }
  }
  if (threads < 0 || threads > kMaxThreads) {
    std::fprintf(stderr, "bench_load: --threads must be in 0..%d (0: LibTorch's default)\n", kMaxThreads);
    return 2;
  }
  if (threads > 0) torch::set_num_threads(threads);
  fs::create_directories(dir);
  const nlohmann::json config = unet::UNetConfig::released().to_json();
  std::printf("released UNet configuration, %d CPU threads\n", torch::get_num_threads());
  std::printf("%-10s %10s %12s %12s %10s\n", "stored", "file GB", "first s", "best s", "GB/s");
  for (const auto dtype : {torch::kFloat32, torch::kFloat16}) {
    const std::string name = dtype == torch::kFloat32 ? "fp32" : "fp16";
    const std::string path = dir + "/unet_" + name + ".safetensors";
    const bool existed = fs::exists(path);
    if (!existed) {
      const auto t0 = std::chrono::steady_clock::now();
      write_checkpoint(path, dtype);
      std::printf("(wrote %s in %.1f s)\n", path.c_str(), seconds_since(t0));
    }
    const double gb = static_cast<double>(fs::file_size(path)) / 1e9;
    double first = 0, best = 1e30;
    for (int r = 0; r <= repeat; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      auto net = unet::load_video_unet(config, {path}, torch::kCPU, torch::kFloat32);
      const double s = seconds_since(t0);
      if (r == 0) first = s;
      else best = std::min(best, s);
    }
    std::printf("%-10s %10.2f %12.2f %12.2f %10.2f\n", name.c_str(), gb, first, best, gb / best);
    if (!keep && !existed) fs::remove(path);
  }
  return 0;
}
