#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "engine/files.h"
#include "engine/entropy.h"
#include "engine/error.h"
#include "engine/io/safetensors.h"

using namespace ci2v::io;
namespace fs = std::filesystem;

namespace {

std::string tmpdir() {
  auto d = fs::temp_directory_path() / ("ci2v_st_" + std::to_string(ci2v::entropy64()));
  fs::create_directories(d);
  return d.string();
}

// Build a safetensors image from a header JSON string and a data section.
std::vector<uint8_t> image(const std::string& header, const std::vector<uint8_t>& data, uint64_t len_override = ~0ull) {
  std::vector<uint8_t> out;
  out.reserve(8 + header.size() + data.size());  // (also keeps GCC 12's -Wstringop-overread false positive away)
  const uint64_t n = len_override == ~0ull ? header.size() : len_override;
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(n >> (8 * i)));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

std::string parse_error(const std::vector<uint8_t>& img) {
  try {
    parse_safetensors(img.data(), img.size(), "test.safetensors");
  } catch (const ci2v::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Safetensors, RoundTripAllDtypes) {
  const std::string dir = tmpdir();
  const std::string path = dir + "/t.safetensors";
  std::vector<float> f32 = {1.5f, -2.0f, 3.25f, 0.0f, 7.0f, 8.0f};
  std::vector<uint16_t> f16 = {0x3C00, 0xC000};  // 1.0, -2.0
  std::vector<uint16_t> bf16 = {0x3F80, 0x4000, 0x4040};
  std::vector<int64_t> i64 = {0, 1, 76, -5};
  std::vector<uint8_t> u8 = {0, 255, 7};
  std::vector<double> f64 = {3.141592653589793};
  std::vector<RawTensor> ts = {
      {"a.f32", DType::F32, {2, 3}, f32.data()},  {"b.f16", DType::F16, {2}, f16.data()},
      {"c.bf16", DType::BF16, {3}, bf16.data()}, {"d.i64", DType::I64, {1, 4}, i64.data()},
      {"e.u8", DType::U8, {3}, u8.data()},       {"f.f64", DType::F64, {}, f64.data()},
      {"g.empty", DType::F32, {0, 4}, nullptr},
  };
  write_safetensors(path, ts, {{"format", "pt"}});
  auto f = SafetensorsFile::open(path);
  EXPECT_EQ(f->tensors().size(), ts.size());
  EXPECT_EQ(f->metadata().at("format"), "pt");
  auto* a = f->find("a.f32");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->dtype, DType::F32);
  EXPECT_EQ(a->shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(std::memcmp(f->data(*a), f32.data(), 24), 0);
  auto* b = f->find("c.bf16");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->dtype, DType::BF16);
  EXPECT_EQ(std::memcmp(f->data(*b), bf16.data(), 6), 0);
  auto* d = f->find("d.i64");
  EXPECT_EQ(std::memcmp(f->data(*d), i64.data(), 32), 0);
  auto* s = f->find("f.f64");
  EXPECT_TRUE(s->shape.empty());
  EXPECT_EQ(s->numel(), 1);
  EXPECT_EQ(f->find("g.empty")->numel(), 0);
  EXPECT_EQ(f->find("nope"), nullptr);
  // No temporary file left behind.
  int files = 0;
  for (auto& e : fs::directory_iterator(dir)) (void)e, ++files;
  EXPECT_EQ(files, 1);
  ci2v::remove_tree(dir);
}

TEST(Safetensors, ReadsTheFixtureCheckpoint) {
  auto f = SafetensorsFile::open(std::string(CONSISTI2V_FIXTURES) + "/tiny_pipeline/unet/diffusion_pytorch_model.safetensors");
  EXPECT_EQ(f->tensors().size(), 595u);
  EXPECT_EQ(f->metadata().at("format"), "pt");
  auto* t = f->find("conv_in.weight");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->shape, (std::vector<int64_t>{32, 4, 3, 3}));
}

TEST(Safetensors, MalformedHeaders) {
  const std::vector<uint8_t> four(4, 0);
  struct Case {
    const char* what;
    std::vector<uint8_t> img;
    const char* expect;
  };
  const std::string ok = R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})";
  std::vector<Case> cases = {
      {"too short", {1, 2, 3}, "at least 8"},
      {"huge header length", image("{}", {}, 1ull << 40), "exceeds the limit"},
      {"header longer than file", image(ok, four, ok.size() + 100), "truncated"},
      {"not json", image("{nope", {}), "not valid JSON"},
      {"a tensor twice", image(R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", four),
       "safetensors header: the key 'x' appears twice"},
      {"nested a million levels deep", image(std::string(1000000, '[') + std::string(1000000, ']'), {}),
       "safetensors header: not valid JSON here (nested 1000000 levels"},
      {"not an object", image("[1,2]", {}), "not a JSON object"},
      {"entry not object", image(R"({"x":3})", {}), "entry is not an object"},
      {"missing dtype", image(R"({"x":{"shape":[1],"data_offsets":[0,4]}})", four), "dtype"},
      {"unknown dtype", image(R"({"x":{"dtype":"Q7","shape":[1],"data_offsets":[0,4]}})", four), "unknown dtype 'Q7'"},
      {"negative dim", image(R"({"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", four), "non-negative"},
      {"bad offsets", image(R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[0]}})", four), "data_offsets"},
      {"begin > end", image(R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}})", four), "begin > end"},
      {"out of file", image(ok, {0, 0}), "outside the data section"},
      {"size mismatch", image(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}})", four), "does not match dtype F32"},
      {"overflowing shape", image(R"({"x":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,4]}})", four), "overflow"},
      {"overlap", image(R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"y":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}})", std::vector<uint8_t>(8)), "overlap"},
      {"metadata not strings", image(R"({"__metadata__":{"a":1}})", {}), "not a string"},
  };
  for (const auto& c : cases) {
    const std::string err = parse_error(c.img);
    EXPECT_NE(err.find(c.expect), std::string::npos) << c.what << ": got '" << err << "'";
    EXPECT_NE(err.find("test.safetensors"), std::string::npos) << c.what << ": the message must name the file";
  }
  // And a valid one parses.
  EXPECT_EQ(parse_error(image(ok, four)), "");
}

// An empty tensor holds no bytes: the reference writer places one at the offset where the next tensor starts.
TEST(Safetensors, AnEmptyTensorSharesNoBytes) {
  const auto img = image(R"({"z":{"dtype":"F64","shape":[0],"data_offsets":[0,0]},"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})",
                         std::vector<uint8_t>(16));
  const auto h = parse_safetensors(img.data(), img.size(), "test.safetensors");
  EXPECT_EQ(h.tensors.size(), 2u);
}

TEST(Safetensors, TruncatedFileNamesFileAndTensor) {
  const std::string dir = tmpdir();
  const std::string path = dir + "/w.safetensors";
  std::vector<float> v(100, 1.0f);
  write_safetensors(path, {{"layer.weight", DType::F32, {10, 10}, v.data()}});
  fs::resize_file(path, fs::file_size(path) - 10);
  try {
    SafetensorsFile::open(path);
    FAIL() << "expected an error";
  } catch (const ci2v::Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find(path), std::string::npos) << m;
    EXPECT_NE(m.find("layer.weight"), std::string::npos) << m;
    EXPECT_NE(m.find("truncated"), std::string::npos) << m;
  }
  ci2v::remove_tree(dir);
}

TEST(Safetensors, MissingFileAndDirectory) {
  EXPECT_THROW(SafetensorsFile::open("/nonexistent/x.safetensors"), ci2v::Error);
  EXPECT_THROW(SafetensorsFile::open("/tmp"), ci2v::Error);
}

TEST(Safetensors, UnwritableTargetLeavesNothing) {
  std::vector<float> v(4, 1.0f);
  EXPECT_THROW(write_safetensors("/nonexistent_dir/x.safetensors", {{"a", DType::F32, {4}, v.data()}}), ci2v::Error);
}

TEST(Entropy, CallsGiveDistinctValues) {
  // Temporary file names and random seeds rely on it: a thousand draws, no repeats.
  std::set<uint64_t> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(ci2v::entropy64());
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(RemoveTree, RemovesFoldersFilesAndLinksButNotLinkTargets) {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / ("ci2v_rt_" + std::to_string(ci2v::entropy64()));
  const fs::path outside = root.string() + "_outside";
  fs::create_directories(root / "a" / "b");
  fs::create_directories(outside);
  std::ofstream(root / "a" / "b" / "f.bin") << "x";
  std::ofstream(root / "top.txt") << "y";
  std::ofstream(outside / "keep.txt") << "z";
  fs::create_directory_symlink(outside, root / "a" / "link");
  EXPECT_EQ(ci2v::remove_tree(root), 6u);  // root, a, b, f.bin, top.txt, link
  EXPECT_FALSE(fs::exists(root));
  EXPECT_TRUE(fs::exists(outside / "keep.txt"));  // the link was removed, not followed
  EXPECT_EQ(ci2v::remove_tree(root), 0u);         // nothing there: not an error
  // A path through a file: reported, with the path in the message.
  std::error_code ec;
  EXPECT_EQ(ci2v::remove_tree(outside / "keep.txt" / "x", ec), 0u);
  EXPECT_TRUE(ec);
  try {
    ci2v::remove_tree(outside / "keep.txt" / "x");
    FAIL() << "no error";
  } catch (const ci2v::Error& e) {
    EXPECT_NE(std::string(e.what()).find("keep.txt/x"), std::string::npos) << e.what();
  }
  EXPECT_EQ(ci2v::remove_tree(outside), 2u);
}
