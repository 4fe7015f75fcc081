#include <gtest/gtest.h>

#include "engine/error.h"
#include "engine/pipeline.h"

using ci2v::GenerationParams;

namespace {
std::string validation_error(const GenerationParams& p) {
  try {
    p.validate();
  } catch (const ci2v::Error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(GenerationParams, DefaultsAreTheReferenceConfigurationAndValid) {
  GenerationParams p;
  EXPECT_EQ(p.width, 256);
  EXPECT_EQ(p.height, 256);
  EXPECT_EQ(p.frames, 16);
  EXPECT_EQ(p.steps, 50);
  EXPECT_DOUBLE_EQ(p.cfg_text, 7.5);
  EXPECT_DOUBLE_EQ(p.cfg_image, 1.0);
  EXPECT_EQ(p.frame_stride, 3);
  EXPECT_EQ(p.noise_level, 850);
  EXPECT_DOUBLE_EQ(p.cutoff_spatial, 0.25);
  EXPECT_DOUBLE_EQ(p.cutoff_temporal, 0.25);
  EXPECT_EQ(validation_error(p), "");
}

TEST(GenerationParams, JsonRoundTrip) {
  GenerationParams p;
  p.prompt = "a red panda, cinematic!";
  p.negative_prompt = "blurry";
  p.width = 320;
  p.height = 192;
  p.frames = 8;
  p.sampler = ci2v::SamplerType::DpmSolverPP;
  p.seed = 1234567890123;
  p.noise_method = ci2v::NoiseMethod::PyocoProgressive;
  p.filter = ci2v::FilterType::Butterworth;
  p.noise_level = 750;
  p.cutoff_spatial = 0.5;
  p.camera_path = {{"keyframes", {{{"time", 0.0}}}}};
  p.chunks = 3;
  p.dtype = "bf16";
  auto q = GenerationParams::from_json(nlohmann::json::parse(p.to_json().dump()));
  EXPECT_EQ(q.to_json(), p.to_json());
  EXPECT_EQ(q.prompt, p.prompt);
  EXPECT_EQ(q.seed, p.seed);
  EXPECT_EQ(q.sampler, ci2v::SamplerType::DpmSolverPP);
  EXPECT_EQ(q.filter, ci2v::FilterType::Butterworth);
  EXPECT_EQ(q.camera_path, p.camera_path);
}

TEST(GenerationParams, PartialJsonKeepsDefaultsAndBadTypesAreNamed) {
  auto p = GenerationParams::from_json({{"steps", 25}});
  EXPECT_EQ(p.steps, 25);
  EXPECT_EQ(p.frames, 16);
  try {
    GenerationParams::from_json({{"steps", "many"}});
    FAIL();
  } catch (const ci2v::Error& e) {
    EXPECT_NE(std::string(e.what()).find("'steps'"), std::string::npos);
  }
  try {
    GenerationParams::from_json({{"filter", "triangle"}});
    FAIL();
  } catch (const ci2v::Error& e) {
    EXPECT_NE(std::string(e.what()).find("triangle"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("butterworth"), std::string::npos);
  }
  EXPECT_THROW(GenerationParams::from_json(nlohmann::json::array()), ci2v::Error);
}

TEST(GenerationParams, BadValuesNameTheParameterAndRange) {
  struct Case {
    std::function<void(GenerationParams&)> set;
    const char* expect;
  };
  std::vector<Case> cases = {
      {[](auto& p) { p.frames = 1; }, "'frames' = 1"},
      {[](auto& p) { p.width = 250; }, "'width' = 250 is out of range: expected a multiple of 8"},
      {[](auto& p) { p.height = 100; }, "'height' = 100"},
      {[](auto& p) { p.noise_level = 0; }, "noise_level (tau)' = 0 is out of range: expected 1..999"},
      {[](auto& p) { p.noise_level = 1000; }, "1..999"},
      {[](auto& p) { p.cutoff_spatial = 0.0005; }, "cutoff_spatial (D0 spatial)' = 0.0005 is out of range: expected 0 or 0.001..1"},
      {[](auto& p) { p.width = 0; }, "'width' = 0 is out of range: expected 8..2048 pixels"},
      {[](auto& p) { p.cutoff_spatial = 1e-200; }, "cutoff_spatial (D0 spatial)' = 1e-200"},
      {[](auto& p) { p.cutoff_temporal = 1.5; }, "cutoff_temporal (D0 temporal)' = 1.5"},
      {[](auto& p) { p.steps = 0; }, "'steps' = 0"},
      {[](auto& p) { p.camera_path = {{"keyframes", nlohmann::json::array()}}; }, "camera path: no keyframes"},
      {[](auto& p) { p.camera_preset = "spin"; }, "unknown preset 'spin'"},
      {[](auto& p) { p.dtype = "fp8"; }, "'dtype' = 'fp8'"},
      {[](auto& p) { p.guidance_rescale = 0.5; p.cfg_image = 2; }, "guidance_rescale"},
      {[](auto& p) { p.camera_preset = "zoom_in"; p.width = 384; }, "camera preset 'zoom_in' needs a square output (width = height), got 384x256"},
  };
  for (const auto& c : cases) {
    GenerationParams p;
    c.set(p);
    const auto err = validation_error(p);
    EXPECT_NE(err.find(c.expect), std::string::npos) << "expected '" << c.expect << "' in '" << err << "'";
  }
}

TEST(GenerationParams, IntegersMustFitAndBeWhole) {
  // nlohmann's get<int> wraps 4294967297 to 1 and truncates 64.9 to 64: the parameters name such values instead
  for (const auto& [j, key] : std::vector<std::pair<nlohmann::json, std::string>>{
           {{{"steps", 4294967297LL}}, "'steps'"},
           {{{"steps", -4294967294LL}}, "'steps'"},
           {{{"width", 64.9}}, "'width'"},
           {{{"frames", 18446744073709551615ULL}}, "'frames'"},
           {{{"seed", 18446744073709551615ULL}}, "'seed'"}}) {
    try {
      (void)GenerationParams::from_json(j);
      ADD_FAILURE() << j.dump() << " was accepted";
    } catch (const ci2v::Error& e) {
      const std::string m = e.what();
      EXPECT_NE(m.find(key), std::string::npos) << m;
      EXPECT_NE(m.find("expected an integer from"), std::string::npos) << m;
      EXPECT_NE(m.find(j.begin().value().dump()), std::string::npos) << m;  // the value as given
    }
  }
  EXPECT_EQ(GenerationParams::from_json({{"seed", 9007199254740993LL}}).seed, 9007199254740993LL);  // int64 stays exact
  EXPECT_EQ(GenerationParams::from_json({{"steps", 2147483647}}).steps, 2147483647);             // then out of range:
  EXPECT_THROW(GenerationParams::from_json({{"steps", 2147483647}}).validate_ranges(), ci2v::Error);
}

TEST(GenerationParams, RangesAloneLeaveTheCombinationsToValidate) {
  // what a loaded project must pass (each value in range) and what only Generate asks (the combinations)
  GenerationParams combo;
  combo.guidance_rescale = 0.5;
  combo.cfg_image = 2;
  EXPECT_NO_THROW(combo.validate_ranges());
  EXPECT_THROW(combo.validate(), ci2v::Error);
  GenerationParams both;
  both.camera_preset = "pan_left";
  both.camera_path = {{"keyframes", {{{"time", 0.0}, {"cx", 100.0}, {"cy", 100.0}, {"w", 64.0}, {"h", 64.0}}}}};
  EXPECT_NO_THROW(both.validate_ranges());
  EXPECT_NE(validation_error(both).find("both set"), std::string::npos);
  GenerationParams frames;
  frames.frames = 2000000000;
  EXPECT_NE(validation_error(frames).find("'frames' = 2000000000"), std::string::npos);
  try {
    frames.validate_ranges();
    ADD_FAILURE() << "2e9 frames passed the ranges";
  } catch (const ci2v::Error& e) {
    EXPECT_NE(std::string(e.what()).find("at most 128"), std::string::npos) << e.what();
  }
}

TEST(GenerationParams, TheWholeVideoIsBounded) {
  // each value in its range, but 32 chunks of 128 frames at 2048² would need hundreds of GB after the denoising
  GenerationParams p;
  p.width = p.height = 2048;
  p.frames = 128;
  p.chunks = 32;
  const auto err = validation_error(p);
  EXPECT_NE(err.find("4065 frames of that size are more than the 512 megapixels"), std::string::npos) << err;
  EXPECT_NO_THROW(p.validate_ranges());  // a combination: a loaded project or settings file keeps it
  p.chunks = 1;  // 128 frames of 2048² are the most at that size
  EXPECT_EQ(validation_error(p), "");
  p.width = p.height = 512;
  p.frames = 16;
  p.chunks = 32;  // 481 frames of 512²
  EXPECT_EQ(validation_error(p), "");
}

TEST(GenerationParams, FrameInitDefaultsFollowTheCameraModeAndTheModel) {
  // the paper's: τ 850, D0 0.25 for a still camera; τ 750, D0 0.5 with a camera move
  GenerationParams p;
  EXPECT_EQ(p.frameinit_setting(), ci2v::FrameInitDefaults{}.still);
  p.camera_preset = "pan_right";
  ASSERT_TRUE(p.switch_frameinit_defaults(false));
  EXPECT_EQ(p.noise_level, 750);
  EXPECT_EQ(p.cutoff_spatial, 0.5);
  EXPECT_EQ(p.cutoff_temporal, 0.5);
  EXPECT_FALSE(p.switch_frameinit_defaults(true));  // no change of mode
  p.camera_preset.clear();
  ASSERT_TRUE(p.switch_frameinit_defaults(true));
  EXPECT_EQ(p.frameinit_setting(), ci2v::FrameInitDefaults{}.still);

  // a model's own camera setting: only what it gives replaces the paper's
  const auto demo = ci2v::FrameInitDefaults::with_camera(300, 1.0, 0);
  EXPECT_EQ(demo.still, ci2v::FrameInitDefaults{}.still);
  EXPECT_EQ(demo.camera.noise_level, 300);
  EXPECT_EQ(demo.camera.cutoff_spatial, 1.0);
  EXPECT_EQ(demo.camera.cutoff_temporal, 0.5);
  p.camera_preset = "zoom_in";
  ASSERT_TRUE(p.switch_frameinit_defaults(false, demo));
  EXPECT_EQ(p.frameinit_setting(), demo.camera);
  // values the user tuned stay, in both directions
  p.noise_level = 420;
  p.camera_preset.clear();
  EXPECT_FALSE(p.switch_frameinit_defaults(true, demo));
  EXPECT_EQ(p.noise_level, 420);
  p.noise_level = 850;
  p.cutoff_temporal = 0.3;
  p.camera_preset = "zoom_in";
  EXPECT_FALSE(p.switch_frameinit_defaults(false, demo));
  EXPECT_EQ(p.cutoff_temporal, 0.3);

  // a model change moves settings that sat at the old model's defaults, for the current camera mode only
  GenerationParams q;
  q.camera_preset = "pan_left";
  q.set_frameinit_setting(ci2v::FrameInitDefaults{}.camera);
  ASSERT_TRUE(q.change_frameinit_defaults({}, demo));
  EXPECT_EQ(q.frameinit_setting(), demo.camera);
  ASSERT_TRUE(q.change_frameinit_defaults(demo, {}));
  EXPECT_EQ(q.frameinit_setting(), ci2v::FrameInitDefaults{}.camera);
  q.noise_level = 600;  // tuned: kept
  EXPECT_FALSE(q.change_frameinit_defaults({}, demo));
  EXPECT_EQ(q.noise_level, 600);
  GenerationParams still;  // still camera: the demo's still defaults are the paper's, nothing moves
  EXPECT_FALSE(still.change_frameinit_defaults({}, demo));
  EXPECT_EQ(still.frameinit_setting(), ci2v::FrameInitDefaults{}.still);
}
