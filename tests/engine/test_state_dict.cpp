#include <gtest/gtest.h>
#include <torch/torch.h>
#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/serialization/pickle.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "engine/files.h"
#include "engine/entropy.h"
#include "engine/error.h"
#include "engine/io/state_dict.h"
#include "engine/nn/layers.h"

using namespace ci2v;
namespace fs = std::filesystem;

namespace {

std::string tmpdir() {
  auto d = fs::temp_directory_path() / ("ci2v_sd_" + std::to_string(ci2v::entropy64()));
  fs::create_directories(d);
  return d.string();
}

// A small module tree with checkpoint-style names: block.proj.{weight,bias}, block.norm.{weight,bias}, out.weight
struct BlockImpl : torch::nn::Module {
  BlockImpl() {
    proj = register_module("proj", nn::Linear(3, 4));
    norm = register_module("norm", nn::GroupNorm(2, 4, 1e-5));
  }
  nn::Linear proj{nullptr};
  nn::GroupNorm norm{nullptr};
};
TORCH_MODULE(Block);

struct TinyImpl : torch::nn::Module {
  TinyImpl() {
    block = register_module("block", Block());
    out = register_module("out", nn::Linear(4, 2, /*bias=*/false));
  }
  Block block{nullptr};
  nn::Linear out{nullptr};
};
TORCH_MODULE(Tiny);

std::map<std::string, torch::Tensor> tiny_weights() {
  torch::manual_seed(0);
  return {{"block.proj.weight", torch::randn({4, 3})}, {"block.proj.bias", torch::randn({4})},
          {"block.norm.weight", torch::randn({4})},   {"block.norm.bias", torch::randn({4})},
          {"out.weight", torch::randn({2, 4})}};
}

std::string load_error(const io::StateDict& sd) {
  Tiny m;
  try {
    io::load_module(*m, sd, {nullptr, "tiny.safetensors"});
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(StateDict, SafetensorsRoundTripAndLoad) {
  const auto dir = tmpdir();
  auto w = tiny_weights();
  io::save_tensors_safetensors(w, dir + "/tiny.safetensors");
  auto sd = io::StateDict::from_file(dir + "/tiny.safetensors");
  EXPECT_EQ(sd.size(), 5u);
  EXPECT_EQ(sd.shape("block.proj.weight"), (std::vector<int64_t>{4, 3}));
  EXPECT_EQ(sd.dtype_name("out.weight"), "F32");
  Tiny m;
  io::load_module(*m, sd);
  EXPECT_TRUE(torch::equal(m->block->proj->weight, w["block.proj.weight"]));
  EXPECT_TRUE(torch::equal(m->out->weight, w["out.weight"]));
  EXPECT_EQ(io::count_parameters(*m), 12u + 4 + 4 + 4 + 8);
  // a view reads the mapped file without a copy; the loaded parameters own their memory (the file's mapping and
  // the file itself may go)
  const auto v = sd.view("out.weight");
  EXPECT_TRUE(torch::equal(v, w["out.weight"]));
  EXPECT_NE(v.data_ptr(), m->out->weight.data_ptr());
  sd = io::StateDict();
  ci2v::remove_tree(dir);
  EXPECT_TRUE(torch::equal(m->block->proj->weight, w["block.proj.weight"]));
  EXPECT_TRUE(torch::equal(m->out->weight, w["out.weight"]));
  EXPECT_TRUE(torch::equal(v, w["out.weight"]));  // the view keeps the mapping alive
}

TEST(StateDict, ConvertsHalfAndBFloat16ToTheModuleDtype) {
  const auto dir = tmpdir();
  auto w = tiny_weights();
  std::map<std::string, torch::Tensor> half;
  for (auto& [k, v] : w) half[k] = k.find("norm") != std::string::npos ? v.to(torch::kBFloat16) : v.to(torch::kFloat16);
  io::save_tensors_safetensors(half, dir + "/h.safetensors");
  auto sd = io::StateDict::from_file(dir + "/h.safetensors");
  EXPECT_EQ(sd.dtype_name("block.proj.weight"), "F16");
  EXPECT_EQ(sd.dtype_name("block.norm.weight"), "BF16");
  Tiny m;
  io::load_module(*m, sd);
  EXPECT_EQ(m->block->proj->weight.scalar_type(), torch::kFloat32);
  EXPECT_TRUE(torch::allclose(m->block->proj->weight, w["block.proj.weight"], 1e-2, 1e-2));
  EXPECT_TRUE(torch::allclose(m->block->norm->weight, w["block.norm.weight"], 2e-2, 2e-2));
  ci2v::remove_tree(dir);
}

TEST(StateDict, MissingRenamedAndMisshapedKeysAreReportedTogether) {
  auto w = tiny_weights();
  io::StateDict sd;
  for (auto& [k, v] : w) {
    if (k == "block.norm.bias") continue;                                         // removed
    if (k == "out.weight") sd.insert("out.weights", v);                           // renamed
    else if (k == "block.proj.bias") sd.insert(k, torch::zeros({5}));             // wrong shape
    else sd.insert(k, v);
  }
  const std::string m = load_error(sd);
  EXPECT_NE(m.find("tiny.safetensors"), std::string::npos) << m;
  EXPECT_NE(m.find("missing"), std::string::npos) << m;
  EXPECT_NE(m.find("block.norm.bias"), std::string::npos) << m;
  EXPECT_NE(m.find("out.weight [2, 4]"), std::string::npos) << m;     // missing under its real name
  EXPECT_NE(m.find("unexpected"), std::string::npos) << m;
  EXPECT_NE(m.find("out.weights"), std::string::npos) << m;           // the renamed key is unexpected
  EXPECT_NE(m.find("block.proj.bias: checkpoint has [5], the model expects [4]"), std::string::npos) << m;
}

// A weight stored as integers (a mislabelled header, a bad conversion) is refused naming its dtype, from a file
// as from memory; it would otherwise be cast to numbers without a word.
TEST(StateDict, IntegerWeightsAreRefusedNamingTheirType) {
  auto w = tiny_weights();
  io::StateDict sd;
  for (auto& [k, v] : w) sd.insert(k, k == "block.proj.weight" ? v.to(torch::kInt32) : v);
  std::string m = load_error(sd);
  EXPECT_NE(m.find("type mismatch"), std::string::npos) << m;
  EXPECT_NE(m.find("block.proj.weight: checkpoint stores Int, the model expects a floating-point tensor"), std::string::npos) << m;
  const std::string file = tmpdir() + "/int_weight.safetensors";
  std::map<std::string, torch::Tensor> tensors(w.begin(), w.end());
  tensors["out.weight"] = tensors["out.weight"].to(torch::kInt32);
  io::save_tensors_safetensors(tensors, file);
  m = load_error(io::StateDict::from_file(file));
  EXPECT_NE(m.find("out.weight: checkpoint stores I32, the model expects a floating-point tensor"), std::string::npos) << m;
}

TEST(StateDict, IgnoredKeysAreAccepted) {
  io::StateDict sd;
  for (auto& [k, v] : tiny_weights()) sd.insert(k, v);
  sd.insert("block.rotary_emb.freqs", torch::ones({3}));
  EXPECT_NE(load_error(sd).find("block.rotary_emb.freqs"), std::string::npos);
  Tiny m;
  io::load_module(*m, sd, {[](const std::string& k) { return k.find("rotary_emb") != std::string::npos; }, "x"});
}

TEST(StateDict, TorchSaveZipWithModulePrefixAndStateDictWrapper) {
  const auto dir = tmpdir();
  auto w = tiny_weights();
  c10::Dict<std::string, at::Tensor> inner;
  for (auto& [k, v] : w) inner.insert("module." + k, v);
  c10::impl::GenericDict outer(c10::StringType::get(), c10::AnyType::get());
  outer.insert("state_dict", inner);
  outer.insert("global_step", int64_t(1234));
  auto bytes = torch::jit::pickle_save(outer);
  std::ofstream(dir + "/ckpt.pt", std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  auto sd = io::StateDict::from_file(dir + "/ckpt.pt");
  EXPECT_TRUE(sd.contains("module.block.proj.weight"));
  sd.remove_substring_from_keys("module.");
  Tiny m;
  io::load_module(*m, sd);
  EXPECT_TRUE(torch::equal(m->block->norm->bias, w["block.norm.bias"]));
  ci2v::remove_tree(dir);
}

TEST(StateDict, CorruptOrTruncatedFilesNameTheFile) {
  const auto dir = tmpdir();
  std::ofstream(dir + "/junk.bin", std::ios::binary) << "this is not a checkpoint at all";
  try {
    io::StateDict::from_file(dir + "/junk.bin");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("junk.bin"), std::string::npos) << e.what();
  }
  io::save_tensors_safetensors(tiny_weights(), dir + "/t.safetensors");
  fs::resize_file(dir + "/t.safetensors", fs::file_size(dir + "/t.safetensors") - 7);
  try {
    io::StateDict::from_file(dir + "/t.safetensors");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("t.safetensors"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("out.weight"), std::string::npos) << e.what();  // the last tensor is cut
  }
  EXPECT_THROW(io::StateDict::from_file(dir + "/absent.safetensors"), Error);
  ci2v::remove_tree(dir);
}

TEST(StateDict, PickledTensorsPointingPastTheirStorageAreRefused) {
  // The unpickler takes a tensor's sizes, strides and storage offset from the file as they are; a damaged or
  // crafted checkpoint (tests/data/pickles/make.py) must give an error naming the file and key, not a read past
  // the buffer (it crashed, or silently read heap memory, before).
  const std::string dir = std::string(CONSISTI2V_SOURCE_DIR) + "/tests/data/pickles/";
  auto ok = io::StateDict::from_file(dir + "view_ok.bin");  // a view of elements 2 and 3 of a storage of 4
  EXPECT_TRUE(torch::equal(ok.get("w"), torch::tensor({2.0f, 3.0f})));
  EXPECT_FALSE(ok.contains("step"));
  for (const char* name : {"past_end.bin", "far_offset.bin"}) {
    try {
      io::StateDict::from_file(dir + name);
      ADD_FAILURE() << name << " was accepted";
    } catch (const Error& e) {
      const std::string m = e.what();
      EXPECT_NE(m.find(name), std::string::npos) << m;
      EXPECT_NE(m.find("tensor 'w'"), std::string::npos) << m;
      EXPECT_NE(m.find("which has 4"), std::string::npos) << m;  // the storage's bytes
    }
  }
}

// torch.save checkpoints are read by our own restricted unpickler (engine/io/torch_zip.cpp): the OrderedDict of
// torch.save(model.state_dict()) loads; a storage claiming more elements than its record holds, malformed pickles
// and globals that could run code are refused naming the file; a stride-0 view stays a view.
TEST(StateDict, TorchSaveCheckpointsAreReadByARestrictedUnpickler) {
  const std::string dir = std::string(CONSISTI2V_SOURCE_DIR) + "/tests/data/pickles/";
  auto ordered = io::StateDict::from_file(dir + "ordered.bin");
  EXPECT_TRUE(torch::equal(ordered.get("w"), torch::tensor({0.0f, 1.0f, 2.0f, 3.0f}).reshape({2, 2})));
  EXPECT_FALSE(ordered.contains("step"));
  // a billion elements seen through one (stride 0): not expanded before the model's shapes are compared
  auto repeated = io::StateDict::from_file(dir + "stride0.bin");
  EXPECT_EQ(repeated.shape("w"), (std::vector<int64_t>{1000000, 1000}));
  EXPECT_EQ(repeated.get("w")[999999][999].item<float>(), 0.0f);
  struct Bad {
    const char* file;
    const char* expected;
  };
  // protocol 4 (torch.save(..., pickle_protocol=4)): STACK_GLOBAL, MEMOIZE, FRAME, SHORT_BINUNICODE
  auto p4 = io::StateDict::from_file(dir + "protocol4.bin");
  EXPECT_TRUE(torch::equal(p4.get("w"), torch::tensor({0.0f, 1.0f, 2.0f, 3.0f}).reshape({2, 2})));
  for (const Bad& b : {Bad{"numel_lie.bin", "the storage '0' claims 100000001 elements of 4 bytes, but its record holds 4 bytes"},
                       Bad{"self_list.bin", "a dict or list is placed inside itself"},
                       Bad{"short_stack.bin", "a tuple of 3 finds fewer values on the stack"},
                       Bad{"reduce_empty.bin", "finds its stack empty"},
                       Bad{"deep.bin", "nested more than 64 deep"},
                       Bad{"system.bin", "it uses 'os system'"}}) {
    try {
      io::StateDict::from_file(dir + b.file);
      ADD_FAILURE() << b.file << " was accepted";
    } catch (const Error& e) {
      const std::string m = e.what();
      EXPECT_NE(m.find(std::string(b.file) + ": not a usable PyTorch checkpoint"), std::string::npos) << m;
      EXPECT_NE(m.find(b.expected), std::string::npos) << m;
    }
  }
}

// A small pickle that copies one value millions of times (DUP, BINGET) cannot ask for gigabytes: the stack and the
// memo are held to a number of values, and copies share their strings.
TEST(StateDict, APickleThatCopiesAValueMillionsOfTimesIsRefused) {
  const auto dir = tmpdir();
  const std::string file = dir + "/dups.bin";
  std::string pkl = "\x80\x02X";
  const uint32_t n = 1 << 20;  // a 1 MB string ...
  for (int k = 0; k < 4; ++k) pkl.push_back(static_cast<char>((n >> (8 * k)) & 255));
  pkl.append(n, 'x');
  pkl.append(std::string(5u << 20, '2'));  // ... duplicated five million times (5 MB of DUP)
  pkl.push_back('.');
  {
    caffe2::serialize::PyTorchStreamWriter w(file);
    w.writeRecord("data.pkl", pkl.data(), pkl.size());
    w.writeEndOfFile();
  }
  try {
    io::StateDict::from_file(file);
    ADD_FAILURE() << "accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("its stack grows past"), std::string::npos) << e.what();
  }
  ci2v::remove_tree(dir);
}

TEST(StateDict, DuplicateKeysAcrossShardsAreAnError) {
  const auto dir = tmpdir();
  auto w = tiny_weights();
  io::save_tensors_safetensors(w, dir + "/a.safetensors");
  io::save_tensors_safetensors({{"out.weight", w["out.weight"]}}, dir + "/b.safetensors");
  EXPECT_THROW(io::StateDict::from_files({dir + "/a.safetensors", dir + "/b.safetensors"}), Error);
  ci2v::remove_tree(dir);
}

TEST(StateDict, SubAndKeys) {
  io::StateDict sd;
  for (auto& [k, v] : tiny_weights()) sd.insert(k, v);
  auto b = sd.sub("block.");
  EXPECT_EQ(b.size(), 4u);
  EXPECT_TRUE(b.contains("proj.weight"));
  EXPECT_FALSE(b.contains("out.weight"));
}
