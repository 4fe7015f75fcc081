// The profiler summary behind `consisti2v bench --profile` (cli/op_profile.h): kernel and op names land in the
// right kind, and a profiled stretch of CPU work is reported op by op with self times that add up.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <chrono>

#include "cli/op_profile.h"

using ci2v::cli::kernel_category;

TEST(OpProfile, NamesKernelsAndOpsByKind) {
  const std::pair<const char*, const char*> cases[] = {
      // CUDA kernel names as the profiler reports them (H100, LibTorch 2.x, cuBLAS / cuDNN / flash attention)
      {"sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize128x128x64_warpgroupsize1x1x1", "matmul"},
      {"nvjet_tst_128x192_64x4_1x2_h_bz_coopA_TNT", "matmul"},
      {"sm90_xmma_fprop_implicit_gemm_bf16bf16_bf16f32_f32_nhwckrsc_nchw", "convolution"},
      {"void pytorch_flash::flash_fwd_kernel<Flash_fwd_kernel_traits<64, 128>>", "attention"},
      {"fmha_cutlassF_bf16_aligned_64x64_rf_sm80(PyTorchMemEffAttention::AttentionKernel)", "attention"},
      {"void (anonymous namespace)::softmax_warp_forward<float, float, float, 7, false>", "softmax"},
      {"void at::native::(anonymous namespace)::RowwiseMomentsCUDAKernel<c10::BFloat16>", "normalization"},
      {"void at::native::vectorized_elementwise_kernel<4, at::native::silu_kernel>", "elementwise"},
      {"void at::native::reduce_kernel<512, 1, at::native::ReduceOp<float>>", "reduction"},
      {"Memcpy HtoD (Pageable -> Device)", "copy"},
      {"void regular_fft<256u, EPT_16>", "fft"},
      // host ops (the CPU profile)
      {"aten::addmm", "matmul"},
      {"aten::mkldnn_convolution", "convolution"},
      {"aten::native_group_norm", "normalization"},
      {"aten::copy_", "copy"},
      {"aten::mul", "elementwise"},
      {"aten::tanh", "elementwise"},
      {"aten::as_strided", "other"},
      // names that only look like another kind
      {"aten::topk", "other"},
      {"void at::native::normal_kernel<at::CUDAGeneratorImpl*>", "other"},
      {"void convert_bf16_to_fp32_kernel", "other"},
  };
  for (const auto& [name, kind] : cases) EXPECT_EQ(kernel_category(name), kind) << name;
}

TEST(OpProfile, CpuOpsAreCountedOnceWithSelfTimes) {
  torch::NoGradGuard ng;
  at::set_num_threads(1);  // the matrix products clearly dominate (about 65 MFLOP against 0.1 M elementwise)
  auto a = torch::randn({320, 320}), b = torch::randn({320, 320});
  constexpr int kCalls = 20;
  ci2v::cli::profile_begin(false);
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < kCalls; ++i) a = torch::tanh(torch::matmul(a, b) * 0.01);
  const double wall_us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
  const auto s = ci2v::cli::profile_end("");
  EXPECT_FALSE(s.device);
  long mm = -1, tanh = -1, matmul = -1;
  double mm_us = 0, matmul_us = 0;
  for (const auto& e : s.entries) {
    if (e.name == "aten::mm") mm = e.calls, mm_us = e.self_us;
    if (e.name == "aten::tanh") tanh = e.calls;
    if (e.name == "aten::matmul") matmul = e.calls, matmul_us = e.self_us;
  }
  EXPECT_EQ(mm, kCalls);
  EXPECT_EQ(tanh, kCalls);
  EXPECT_EQ(matmul, kCalls);
  // aten::matmul wraps aten::mm: the work is the mm's own, matmul's self time is only its dispatch
  EXPECT_GT(mm_us, matmul_us);
  // self times partition the profiled time: their sum cannot exceed the wall time of the loop
  EXPECT_GT(s.busy_us, 0.0);
  EXPECT_LE(s.busy_us, wall_us * 1.02 + 50.0);
  ASSERT_FALSE(s.entries.empty());
  for (size_t i = 1; i < s.entries.size(); ++i) EXPECT_GE(s.entries[i - 1].self_us, s.entries[i].self_us);
  ASSERT_FALSE(s.categories.empty());
  // each category is the sum of its entries, sorted by self time (which of matmul or elementwise comes first is a
  // matter of timing: on a loaded machine a preempted tanh outweighed the products, 2 runs in 30)
  for (size_t i = 1; i < s.categories.size(); ++i)
    EXPECT_GE(s.categories[i - 1].second.self_us, s.categories[i].second.self_us);
  for (const auto& [name, cat] : s.categories) {
    double sum = 0;
    long calls = 0;
    for (const auto& e : s.entries)
      if (ci2v::cli::kernel_category(e.name) == name) sum += e.self_us, calls += e.calls;
    EXPECT_NEAR(cat.self_us, sum, 1e-6 * std::max(1.0, sum)) << name;
    EXPECT_EQ(cat.calls, calls) << name;
  }
  EXPECT_EQ(ci2v::cli::kernel_category("aten::mm"), "matmul");
  EXPECT_EQ(ci2v::cli::kernel_category("aten::tanh"), "elementwise");
  const auto text = ci2v::cli::format_profile(s, 5, kCalls, "call");
  EXPECT_NE(text.find("host op self time per call"), std::string::npos) << text;
  EXPECT_NE(text.find("aten::mm"), std::string::npos) << text;
}
