// Step previews through PreviewQueue (issue #9: no host synchronisation inside the denoising loop). On the CPU
// a submitted preview is delivered at once, in step order, with the same pixels as the synchronous path.
#include <gtest/gtest.h>

#include "engine/error.h"
#include "engine/sampling/latent_preview.h"
#include "engine/sampling/preview_queue.h"

using namespace ci2v;
using namespace ci2v::sampling;

TEST(PreviewQueue, DeviceSideConversionMatchesTheHostPath) {
  LatentPreviewer pv;
  auto z = torch::randn({3, 4, 5, 6}, torch::TensorOptions().dtype(torch::kFloat32));
  const auto direct = pv.to_rgb(z);
  const auto u8 = pv.to_rgb_u8(z);
  ASSERT_EQ(u8.sizes(), (std::vector<int64_t>{3, 5, 6, 3}));
  ASSERT_EQ(u8.scalar_type(), torch::kUInt8);
  const auto imgs = u8_to_images(u8);
  ASSERT_EQ(imgs.size(), 3u);
  for (size_t i = 0; i < imgs.size(); ++i) {
    EXPECT_EQ(imgs[i].width, 6);
    EXPECT_EQ(imgs[i].height, 5);
    EXPECT_EQ(imgs[i].rgb, direct[i].rgb);
  }
  // fp16 latents (the fp16 pipeline) convert too
  EXPECT_EQ(u8_to_images(pv.to_rgb_u8(z.to(torch::kHalf)))[0].rgb.size(), 5u * 6u * 3u);
  EXPECT_THROW(u8_to_images(torch::zeros({2, 5, 6}, torch::kUInt8)), Error);
  EXPECT_THROW(pv.to_rgb_u8(torch::zeros({2, 3, 5, 6})), Error);  // 3 channels, the map has 4
}

TEST(PreviewQueue, DeliversEveryPreviewInStepOrder) {
  LatentPreviewer pv;
  std::vector<int> steps;
  std::vector<std::vector<RgbImage>> got;
  {
    PreviewQueue q([&](int i, int n, std::vector<RgbImage> frames) {
      EXPECT_EQ(n, 4);
      steps.push_back(i);
      got.push_back(std::move(frames));
    });
    EXPECT_FALSE(q.pending());
    q.flush();  // nothing pending: nothing happens
    for (int i = 1; i <= 4; ++i) {
      q.submit(i, 4, pv.to_rgb_u8(torch::full({2, 4, 3, 3}, 0.1 * i)));
      q.poll();
    }
    q.flush();
    EXPECT_FALSE(q.pending());
  }
  EXPECT_EQ(steps, (std::vector<int>{1, 2, 3, 4}));
  ASSERT_EQ(got.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(got[static_cast<size_t>(i)].size(), 2u);
    EXPECT_EQ(got[static_cast<size_t>(i)][0].rgb, pv.to_rgb(torch::full({2, 4, 3, 3}, 0.1 * (i + 1)))[0].rgb);
  }
  EXPECT_NE(got[0][0].rgb, got[3][0].rgb);  // each step's own pixels, not a reused buffer
}
