#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "engine/files.h"
#include "engine/entropy.h"
#include "engine/error.h"
#include "engine/io/diffusers_folder.h"

using namespace ci2v::io;
namespace fs = std::filesystem;

static const std::string kTiny = std::string(CONSISTI2V_FIXTURES) + "/tiny_pipeline";

TEST(DiffusersFolder, OpensTheFixturePipeline) {
  auto mf = open_model_folder(kTiny);
  EXPECT_EQ(mf.model_index["_class_name"], "ConditionalAnimationPipeline");
  ASSERT_NE(mf.find("unet"), nullptr);
  EXPECT_EQ(mf.get("unet").class_name, "VideoLDMUNet3DConditionModel");
  EXPECT_EQ(mf.get("unet").weight_format, "safetensors");
  ASSERT_EQ(mf.get("unet").weight_files.size(), 1u);
  EXPECT_EQ(mf.get("vae").config["scaling_factor"], 0.18215);
  EXPECT_EQ(mf.get("text_encoder").weight_files.size(), 1u);
  EXPECT_EQ(mf.get("scheduler").config["beta_schedule"], "linear");
  EXPECT_NE(mf.find("tokenizer"), nullptr);
  EXPECT_THROW(mf.get("controlnet"), ci2v::Error);
}

TEST(DiffusersFolder, ResolvesHuggingFaceCacheLayout) {
  auto root = fs::temp_directory_path() / ("ci2v_hf_" + std::to_string(ci2v::entropy64()));
  auto repo = root / "models--TIGER-Lab--ConsistI2V";
  fs::create_directories(repo / "refs");
  fs::create_directories(repo / "snapshots");
  fs::copy(kTiny, repo / "snapshots" / "abc123", fs::copy_options::recursive);
  std::ofstream(repo / "refs" / "main") << "abc123";
  EXPECT_EQ(resolve_model_dir(repo.string()), (repo / "snapshots" / "abc123").string());
  EXPECT_EQ(resolve_model_dir(root.string()), (repo / "snapshots" / "abc123").string());
  auto mf = open_model_folder(root.string());
  EXPECT_EQ(mf.get("unet").weight_files.size(), 1u);
  ci2v::remove_tree(root);
}

TEST(DiffusersFolder, ShardedIndexAndVariants) {
  auto d = fs::temp_directory_path() / ("ci2v_sh_" + std::to_string(ci2v::entropy64()));
  fs::create_directories(d);
  std::ofstream(d / "diffusion_pytorch_model.safetensors.index.json")
      << R"({"metadata":{},"weight_map":{"a":"diffusion_pytorch_model-00001-of-00002.safetensors","b":"diffusion_pytorch_model-00002-of-00002.safetensors"}})";
  std::ofstream(d / "diffusion_pytorch_model-00001-of-00002.safetensors") << "x";
  std::string fmt;
  EXPECT_THROW(find_weight_files(d.string(), "diffusion_pytorch_model", "", &fmt), ci2v::Error);  // shard 2 missing
  std::ofstream(d / "diffusion_pytorch_model-00002-of-00002.safetensors") << "x";
  auto files = find_weight_files(d.string(), "diffusion_pytorch_model", "", &fmt);
  EXPECT_EQ(files.size(), 2u);
  EXPECT_EQ(fmt, "safetensors");
  std::ofstream(d / "diffusion_pytorch_model.fp16.safetensors") << "x";
  files = find_weight_files(d.string(), "diffusion_pytorch_model", "fp16", &fmt);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_NE(files[0].find(".fp16.safetensors"), std::string::npos);
  // A variant that does not exist falls back to the plain files.
  files = find_weight_files(d.string(), "diffusion_pytorch_model", "bf16", &fmt);
  EXPECT_EQ(files.size(), 2u);
  ci2v::remove_tree(d);

  // Without plain weights, a component holding one variant only (`consisti2v download --variant fp16`) uses it
  // unasked; two variants are ambiguous (no weights found, the loader's error then names what it expected).
  fs::create_directories(d);
  std::ofstream(d / "model.fp16.safetensors") << "x";
  files = find_weight_files(d.string(), "model", "", &fmt);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_NE(files[0].find("model.fp16.safetensors"), std::string::npos);
  EXPECT_EQ(fmt, "safetensors");
  std::ofstream(d / "model.bf16.safetensors") << "x";
  EXPECT_TRUE(find_weight_files(d.string(), "model", "", &fmt).empty());
  EXPECT_EQ(find_weight_files(d.string(), "model", "bf16", &fmt).size(), 1u);
  ci2v::remove_tree(d);
}

TEST(DiffusersFolder, BrokenFoldersGiveClearErrors) {
  auto d = fs::temp_directory_path() / ("ci2v_br_" + std::to_string(ci2v::entropy64()));
  fs::create_directories(d);
  try {
    open_model_folder(d.string());
    FAIL();
  } catch (const ci2v::Error& e) {
    EXPECT_NE(std::string(e.what()).find("model_index.json"), std::string::npos);
  }
  fs::copy(kTiny, d / "m", fs::copy_options::recursive);
  fs::permissions(d / "m", fs::perms::owner_all, fs::perm_options::add);
  for (auto& e : fs::recursive_directory_iterator(d / "m")) fs::permissions(e.path(), fs::perms::owner_all, fs::perm_options::add);
  fs::remove(d / "m" / "vae" / "diffusion_pytorch_model.safetensors");
  try {
    open_model_folder((d / "m").string());
    FAIL();
  } catch (const ci2v::Error& e) {
    EXPECT_NE(std::string(e.what()).find("vae"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("no weights"), std::string::npos) << e.what();
  }
  // a component name that leads out of the model folder is refused, naming it
  {
    const fs::path o = d / "outside";
    fs::create_directories(o / "m2");
    std::ofstream(o / "m2" / "model_index.json") << R"({"_class_name": "X", "../m": ["diffusers", "UNet"]})";
    try {
      open_model_folder((o / "m2").string());
      FAIL() << "a component outside the folder was accepted";
    } catch (const ci2v::Error& e) {
      EXPECT_NE(std::string(e.what()).find("component name '../m' is not a folder name inside the model folder"),
                std::string::npos) << e.what();
    }
  }
  std::ofstream(d / "m" / "unet" / "config.json") << "{broken";
  EXPECT_THROW(open_model_folder((d / "m").string()), ci2v::Error);
  // a folder where a JSON file goes is named as such, not as "invalid JSON ... unexpected end of input"
  fs::create_directories(d / "folder.json");
  try {
    read_json_file((d / "folder.json").string());
    FAIL();
  } catch (const ci2v::Error& e) {
    EXPECT_NE(std::string(e.what()).find("folder.json: is a folder, expected a file"), std::string::npos) << e.what();
  }
  ci2v::remove_tree(d);
}

// The demo block of model_index.json: a released model (the fixture) is no demo and recommends nothing; a
// folder without model_index.json, or with a broken one, is an error naming the file; a demo block gives what it
// holds and 0 / "" for the rest.
TEST(DiffusersFolder, DemoSettingsComeFromModelIndexAndErrorsNameTheFile) {
  const auto none = read_demo_settings(kTiny);
  EXPECT_FALSE(none.demo);
  EXPECT_EQ(none.width, 0);
  EXPECT_EQ(none.cfg_text, 0.0);
  EXPECT_TRUE(none.prompt.empty());
  auto d = fs::temp_directory_path() / ("ci2v_demo_" + std::to_string(ci2v::entropy64()));
  fs::create_directories(d);
  try {
    read_demo_settings(d.string());
    FAIL() << "a folder without model_index.json accepted";
  } catch (const ci2v::Error& e) {
    EXPECT_NE(std::string(e.what()).find("model_index.json: cannot open"), std::string::npos) << e.what();
  }
  std::ofstream(d / "model_index.json") << "{\"_consisti2v_demo\": ";
  try {
    read_demo_settings(d.string());
    FAIL() << "broken JSON accepted";
  } catch (const ci2v::Error& e) {
    EXPECT_NE(std::string(e.what()).find("model_index.json: not valid JSON"), std::string::npos) << e.what();
  }
  std::ofstream(d / "model_index.json")
      << R"({"_consisti2v_demo": {"recommended": {"width": 128, "cfg_text": 2.5, "prompt": "a red circle"}}})";
  const auto some = read_demo_settings(d.string());
  EXPECT_TRUE(some.demo);
  EXPECT_EQ(some.width, 128);
  EXPECT_EQ(some.height, 0);
  EXPECT_EQ(some.cfg_text, 2.5);
  EXPECT_EQ(some.prompt, "a red circle");
  EXPECT_TRUE(some.example.empty());
  std::ofstream(d / "model_index.json") << R"({"_consisti2v_demo": {"trained_by": "consisti2v train"}})";
  const auto marked = read_demo_settings(d.string());
  EXPECT_TRUE(marked.demo);
  EXPECT_EQ(marked.steps, 0);
  EXPECT_EQ(marked.frameinit, ci2v::FrameInitDefaults{});  // no camera setting: the paper's
  // a demo model's own FrameInit setting for camera moves
  std::ofstream(d / "model_index.json")
      << R"({"_consisti2v_demo": {"recommended": {"camera": {"noise_level": 300, "cutoff_spatial": 1.0}}}})";
  const auto camera = read_demo_settings(d.string());
  EXPECT_EQ(camera.frameinit.camera.noise_level, 300);
  EXPECT_EQ(camera.frameinit.camera.cutoff_spatial, 1.0);
  EXPECT_EQ(camera.frameinit.camera.cutoff_temporal, 0.5);  // not given: the paper's
  EXPECT_EQ(camera.frameinit.still, ci2v::FrameInitDefaults{}.still);
  // a size that does not fit an int (a cast of 1e10 was undefined behaviour) names the key
  std::ofstream(d / "model_index.json") << R"({"_consisti2v_demo": {"recommended": {"width": 1e10}}})";
  try {
    read_demo_settings(d.string());
    ADD_FAILURE() << "a width of 1e10 accepted";
  } catch (const ci2v::Error& e) {
    EXPECT_NE(std::string(e.what()).find("recommended.width is 10000000000.0: expected a whole number in 0..4096"),
              std::string::npos) << e.what();
  }
  // out of range or of the wrong type: the error names the file, the key, the value and what was expected
  for (const auto& [bad, needle] : std::vector<std::pair<std::string, std::string>>{
           {R"({"noise_level": 1000})", "camera.noise_level is 1000: expected a whole number, 1..999"},
           {R"({"noise_level": 0})", "camera.noise_level is 0: expected a whole number, 1..999"},
           {R"({"noise_level": 300.5})", "camera.noise_level is 300.5: expected a whole number, 1..999"},
           {R"({"cutoff_spatial": 0})", "camera.cutoff_spatial is 0: expected a number in 0.001..1"},
           {R"({"cutoff_temporal": 1.5})", "camera.cutoff_temporal is 1.5: expected a number in 0.001..1"},
           {R"({"cutoff_temporal": "high"})", "camera.cutoff_temporal is \"high\": expected a number in 0.001..1"},
           // below what a generation accepts: refused here, not blamed on the user's --ds at Generate
           {R"({"cutoff_spatial": 0.00001})", "camera.cutoff_spatial is 1e-05: expected a number in 0.001..1"}}) {
    std::ofstream(d / "model_index.json") << R"({"_consisti2v_demo": {"recommended": {"camera": )" << bad << "}}}";
    try {
      read_demo_settings(d.string());
      ADD_FAILURE() << bad << " accepted";
    } catch (const ci2v::Error& e) {
      EXPECT_NE(std::string(e.what()).find("model_index.json: _consisti2v_demo.recommended." + needle), std::string::npos)
          << e.what();
    }
  }
  ci2v::remove_tree(d);
}
