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

// The channels-last UNet mixes layouts in no more elementwise ops than the standard (NCHW) one, with either
// temporal convolution route: a mix of NCHW and NHWC operands would be a strided, transposing CUDA kernel. The
// standard UNet's own mixes are the rotary embedding's, which reads the permuted queries and keys and writes
// its result contiguous on purpose (a transpose folded into the product instead of a copy). Prints the
// channels-last GEMM-route audit (the CUDA default; on the CPU the attention and GEGLU take the ATen math
// forms, whose head permutes are most of the copies).
TEST(OpAudit, ChannelsLastUNetMixesNoMoreLayoutsThanTheStandardOne) {
  auto unet = ci2v::unet::load_video_unet(ci2v::unet::unet_component_from_dir(kUNetDir));
  torch::NoGradGuard ng;
  const auto& c = unet->config();
  auto gen = at::make_generator<at::CPUGeneratorImpl>(5);
  auto sample = at::randn({2, c.in_channels, 3, 8, 8}, gen), text = at::randn({2, 7, c.cross_attention_dim[0]}, gen),
       first = at::randn({2, c.in_channels, 1, 8, 8}, gen);
  struct Restore {  // the process-wide temporal route and the UNet's layout, also when a check throws
    ci2v::unet::TemporalConvMode mode;
    ci2v::unet::VideoUNet& unet;
    ~Restore() { ci2v::unet::set_temporal_conv_mode(mode), unet->use_channels_last(false); }
  } restore{ci2v::unet::temporal_conv_mode(), unet};
  unet->forward(sample, 300, text, first, 3);  // builds the rotary tables (cached from then on)
  int64_t standard = -1, rotary = 0;
  for (bool cl : {false, true}) {
    unet->use_channels_last(cl);
    for (auto mode : {ci2v::unet::TemporalConvMode::Conv3d, ci2v::unet::TemporalConvMode::Gemm}) {
      ci2v::unet::set_temporal_conv_mode(mode);
      ci2v::nn::OpAudit audit;
      unet->forward(sample, 300, text, first, 3);
      const auto ew = audit.total(ci2v::nn::OpKind::Elementwise);
      EXPECT_GT(ew.calls, 200) << "the audit saw the forward's ops";
      if (standard < 0) {
        standard = ew.transposed;
        for (const auto& e : audit.entries(ci2v::nn::OpKind::Elementwise))
          if (e.name == "aten::mul" || e.name == "aten::addcmul_") rotary += e.transposed;
      }
      EXPECT_EQ(ew.transposed, standard) << "channels-last " << cl << ", mode " << static_cast<int>(mode) << "\n"
                                         << audit.format(20);
      if (cl && mode == ci2v::unet::TemporalConvMode::Gemm) std::printf("%s", audit.format(12).c_str());
    }
  }
  EXPECT_EQ(standard, rotary) << "the standard UNet's only layout mixes are the rotary embedding's";
  EXPECT_GT(rotary, 0);
}

// The classification on ops whose layouts are known.
TEST(OpAudit, ClassifiesOperandLayoutsAsTheCudaTensorIteratorWould) {
  torch::NoGradGuard ng;
  auto x = torch::randn({2, 8, 4, 4});
  auto nhwc = x.contiguous(at::MemoryFormat::ChannelsLast);
  auto bias = torch::randn({8, 1, 1});
  auto pooled = torch::randn({2, 8, 1, 1});
  ci2v::nn::OpAudit audit;
  auto a = x + x;                                  // vectorisable
  auto b = x + bias;                               // broadcast
  auto c = x + nhwc;                               // two layouts: transposed
  auto d = x.narrow(1, 0, 4) * x.narrow(1, 4, 4);  // slices: strided, not dense
  auto h = pooled + pooled.contiguous(at::MemoryFormat::ChannelsLast);  // size-1 dims: one layout
  auto k = at::addcmul(x, nhwc, bias);             // a broadcast and two layouts
  auto m = x * 2;                                  // one multiplication (not also the one it makes of the 2)
  auto e = nhwc.contiguous();                      // a transposing copy (copy_ inside clone)
  auto f = torch::empty({2, 8, 4, 4});
  f.copy_(bias.expand({2, 8, 4, 4}));              // a fill from an expanded view: broadcast
  auto g = torch::cat({x, x}, 1);
  (void)a, (void)b, (void)c, (void)d, (void)e, (void)g, (void)h, (void)k, (void)m;
  const auto ew = audit.entries(ci2v::nn::OpKind::Elementwise);
  auto find = [](const std::vector<ci2v::nn::OpAuditEntry>& v, const std::string& n) {
    for (const auto& e : v)
      if (e.name == n) return e;
    return ci2v::nn::OpAuditEntry{};
  };
  const auto add = find(ew, "aten::add"), mul = find(ew, "aten::mul"), acm = find(ew, "aten::addcmul");
  EXPECT_EQ(add.calls, 4);
  EXPECT_EQ(add.broadcast, 1);
  EXPECT_EQ(add.strided, 1);
  EXPECT_EQ(add.transposed, 1);
  EXPECT_EQ(mul.calls, 2);
  EXPECT_EQ(mul.strided, 1);
  EXPECT_EQ(mul.broadcast, 0);
  ASSERT_EQ(mul.patterns.size(), 1u);
  EXPECT_EQ(mul.patterns[0].first, "[2, 4, 4, 4] s[128, 16, 4, 1] , [2, 4, 4, 4] s[128, 16, 4, 1]");
  EXPECT_EQ(acm.calls, 1);
  EXPECT_EQ(acm.broadcast, 1);
  EXPECT_EQ(acm.transposed, 1);
  const auto copies = audit.entries(ci2v::nn::OpKind::Copy);
  const auto copy = find(copies, "aten::copy_");
  EXPECT_EQ(copy.calls, 2);
  EXPECT_EQ(copy.transposed, 1);
  EXPECT_EQ(copy.broadcast, 1);
  EXPECT_EQ(find(copies, "aten::cat").calls, 1);
  EXPECT_EQ(audit.total(ci2v::nn::OpKind::Elementwise).calls, 7);
  EXPECT_EQ(audit.total(ci2v::nn::OpKind::Elementwise).transposed, 2);
  EXPECT_NE(audit.format().find("aten::addcmul"), std::string::npos);
  EXPECT_THROW(ci2v::nn::OpAudit second, ci2v::Error);  // one per thread
}

TEST(OpAudit, StopsCountingWhenItEnds) {
  auto x = torch::randn({4, 4});
  {
    ci2v::nn::OpAudit audit;
    auto y = x * 2 + x;
    (void)y;
    EXPECT_EQ(audit.total(ci2v::nn::OpKind::Elementwise).calls, 2);
  }
  auto unseen = x * x + x;  // no audit: its callback is gone
  (void)unseen;
  ci2v::nn::OpAudit again;  // a new one can start once the first is gone, and counts only its own ops
  auto z = x - x;
  (void)z;
  EXPECT_EQ(again.total(ci2v::nn::OpKind::Elementwise).calls, 1);
  EXPECT_EQ(again.entries(ci2v::nn::OpKind::Elementwise).at(0).name, "aten::sub");
}
