// A checkpoint's tensors by key, from safetensors files (memory-mapped) or PyTorch torch.save zip files,
// and a generic loader that fills a module's parameters by name and reports every problem at once.
#pragma once
#include <torch/torch.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/io/safetensors.h"

namespace ci2v::io {

class StateDict {
public:
  StateDict() = default;
  // Each file: *.safetensors (mmap, lazy) or a torch.save zip (pickle; a top-level "state_dict" entry is used
  // when present). Duplicate keys across files are an error.
  static StateDict from_files(const std::vector<std::string>& files);
  static StateDict from_file(const std::string& file) { return from_files({file}); }

  // Remove every occurrence of `s` from every key (the reference's "module." handling).
  void remove_substring_from_keys(const std::string& s);
  // Keep only keys starting with `prefix`, with the prefix removed.
  StateDict sub(const std::string& prefix) const;

  bool contains(const std::string& key) const { return entries_.count(key) != 0; }
  std::vector<std::string> keys() const;
  size_t size() const { return entries_.size(); }
  std::vector<int64_t> shape(const std::string& key) const;
  std::string dtype_name(const std::string& key) const;
  bool is_floating_point(const std::string& key) const;  // from the header, nothing read
  int64_t nbytes(const std::string& key) const;           // its size as stored, from the header
  std::string source(const std::string& key) const;  // the file a key comes from
  // The tensor on the CPU in its stored dtype: a copy owning its memory for a safetensors entry, the stored tensor
  // itself for a pickled or inserted one. Throws naming the key.
  torch::Tensor get(const std::string& key) const;
  // The tensor without a copy: a read-only view of the mapped file (it keeps the file mapped; never write to it),
  // or the materialised tensor itself. Throws naming the key.
  torch::Tensor view(const std::string& key) const;
  void insert(const std::string& key, const torch::Tensor& t, const std::string& source = "<memory>");

private:
  struct Entry {
    std::shared_ptr<SafetensorsFile> file;  // safetensors source, or
    const TensorInfo* info = nullptr;
    torch::Tensor tensor;                   // an already materialised tensor
    std::string source;
  };
  std::map<std::string, Entry> entries_;
  const Entry& entry(const std::string& key) const;  // throws naming a missing key
};

torch::ScalarType to_torch_dtype(DType d);  // throws for dtypes LibTorch lacks

// Called by a load before each network is allocated (0 bytes) and before each tensor is read (its size as stored):
// progress and cancel. What it throws stops the load and propagates as it is.
using LoadStep = std::function<void(int64_t bytes)>;

struct LoadOptions {
  // Keys the checkpoint may carry that the module does not use (accepted silently).
  std::function<bool(const std::string&)> ignore;
  std::string what;  // names the source in messages, e.g. "unet (…/diffusion_pytorch_model.safetensors)"
  // Names and shapes only: nothing is read or copied. The loaders check a module built on the meta device this
  // way before the real one is allocated, so a checkpoint that does not fit is refused at once.
  bool shapes_only = false;
  // Called before each tensor is read (not in a shapes_only pass); the module is partly filled when it throws.
  LoadStep between;
};

// Fill every parameter and buffer of `module` from `sd` (keys = the module's dotted names).
// Converts dtype to the parameter's dtype and copies to its device. Collects missing keys, unexpected keys
// and shape mismatches and throws one ci2v::Error listing them all.
void load_module(torch::nn::Module& module, const StateDict& sd, const LoadOptions& opt = {});

// Save a module's parameters (and buffers) as safetensors (for tests, training and conversion).
void save_module_safetensors(const torch::nn::Module& module, const std::string& path);
// Save named tensors as safetensors.
void save_tensors_safetensors(const std::map<std::string, torch::Tensor>& tensors, const std::string& path);

size_t count_parameters(const torch::nn::Module& module);

}  // namespace ci2v::io
