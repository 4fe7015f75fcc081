// engine/nn/op_audit.h: the layout audit sees the ops a forward runs and classifies them as the CUDA
// TensorIterator would (vectorisable, broadcast, strided); the channels-last UNet is audited with it.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdio>
#include <string>

#include "engine/error.h"
#include "engine/nn/op_audit.h"
#include "engine/unet/temporal_resnet.h"
#include "engine/unet/video_unet.h"

namespace {
const std::string kUNetDir = std::string(CONSISTI2V_FIXTURES) + "/tiny_pipeline/unet";
}  // namespace

// Every elementwise op of the UNet's forward takes its operands in one layout, in the standard (NCHW) and the
// channels-last UNet, with both temporal convolution routes: a mix would be a strided (or transposing) CUDA
// kernel. Prints the channels-last GEMM-route audit (the CUDA default; on the CPU the attention and GEGLU take
// the ATen math forms, whose head permutes are most of the copies).
TEST(OpAudit, NoElementwiseOpOfTheUNetMixesLayouts) {
  auto unet = ci2v::unet::load_video_unet(ci2v::unet::unet_component_from_dir(kUNetDir));
  torch::NoGradGuard ng;
  const auto& c = unet->config();
  auto gen = at::make_generator<at::CPUGeneratorImpl>(5);
  auto sample = at::randn({2, c.in_channels, 3, 8, 8}, gen), text = at::randn({2, 7, c.cross_attention_dim[0]}, gen),
       first = at::randn({2, c.in_channels, 1, 8, 8}, gen);
  const auto before = ci2v::unet::temporal_conv_mode();
  for (bool cl : {false, true}) {
    unet->use_channels_last(cl);
    for (auto mode : {ci2v::unet::TemporalConvMode::Conv3d, ci2v::unet::TemporalConvMode::Gemm}) {
      ci2v::unet::set_temporal_conv_mode(mode);
      ci2v::nn::OpAudit audit;
      unet->forward(sample, 300, text, first, 3);
      const auto ew = audit.total(ci2v::nn::OpKind::Elementwise);
      EXPECT_GT(ew.calls, 200) << "the audit saw the forward's ops";
      EXPECT_EQ(ew.transposed, 0) << "channels-last " << cl << ", mode " << static_cast<int>(mode) << "\n"
                                  << audit.format(20);
      if (cl && mode == ci2v::unet::TemporalConvMode::Gemm) std::printf("%s", audit.format(12).c_str());
    }
  }
  ci2v::unet::set_temporal_conv_mode(before);
}

// The classification on ops whose layouts are known.
TEST(OpAudit, ClassifiesOperandLayoutsAsTheCudaTensorIteratorWould) {
  torch::NoGradGuard ng;
  auto x = torch::randn({2, 8, 4, 4});
  auto nhwc = x.contiguous(at::MemoryFormat::ChannelsLast);
  auto bias = torch::randn({8, 1, 1});
  ci2v::nn::OpAudit audit;
  auto a = x + x;                      // vectorisable
  auto b = x + bias;                   // broadcast
  auto c = x + nhwc;                   // two layouts: transposed
  auto d = x.narrow(1, 0, 4) * x.narrow(1, 4, 4);  // slices: strided, not dense
  auto e = nhwc.contiguous();          // a transposing copy (clone + copy_)
  auto f = torch::empty({2, 8, 4, 4});
  f.copy_(bias.expand({2, 8, 4, 4}));  // a fill from an expanded view: broadcast
  auto g = torch::cat({x, x}, 1);
  (void)a, (void)b, (void)c, (void)d, (void)e, (void)g;
  const auto ew = audit.entries(ci2v::nn::OpKind::Elementwise);
  auto find = [](const std::vector<ci2v::nn::OpAuditEntry>& v, const std::string& n) {
    for (const auto& e : v)
      if (e.name == n) return e;
    return ci2v::nn::OpAuditEntry{};
  };
  const auto add = find(ew, "aten::add"), mul = find(ew, "aten::mul");
  EXPECT_EQ(add.calls, 3);
  EXPECT_EQ(add.broadcast, 1);
  EXPECT_EQ(add.strided, 1);
  EXPECT_EQ(add.transposed, 1);
  EXPECT_EQ(mul.calls, 1);
  EXPECT_EQ(mul.strided, 1);
  EXPECT_EQ(mul.transposed, 0);
  ASSERT_EQ(mul.patterns.size(), 1u);
  EXPECT_EQ(mul.patterns[0].first, "[2, 4, 4, 4] s[128, 16, 4, 1] , [2, 4, 4, 4] s[128, 16, 4, 1]");
  const auto copies = audit.entries(ci2v::nn::OpKind::Copy);
  const auto copy = find(copies, "aten::copy_");
  EXPECT_EQ(copy.calls, 2);
  EXPECT_EQ(copy.transposed, 1);
  EXPECT_EQ(copy.broadcast, 1);
  EXPECT_EQ(find(copies, "aten::cat").calls, 1);
  EXPECT_EQ(audit.total(ci2v::nn::OpKind::Elementwise).calls, 4);
  EXPECT_NE(audit.format().find("aten::add"), std::string::npos);
  EXPECT_THROW(ci2v::nn::OpAudit second, ci2v::Error);  // one per thread
}

TEST(OpAudit, SeesNothingAfterItEnds) {
  auto x = torch::randn({4, 4});
  std::vector<ci2v::nn::OpAuditEntry> seen;
  {
    ci2v::nn::OpAudit audit;
    auto y = x * 2 + x;
    (void)y;
    seen = audit.entries(ci2v::nn::OpKind::Elementwise);
  }
  EXPECT_EQ(seen.size(), 2u);
  ci2v::nn::OpAudit again;  // a new one can start once the first is gone
  auto z = x - x;
  (void)z;
  EXPECT_EQ(again.total(ci2v::nn::OpKind::Elementwise).calls, 1);
}
