// PyTorch checkpoints written by torch.save (the zip format: <archive>/data.pkl and <archive>/data/<key>), read
// with a restricted unpickler of our own. It knows only what torch.save writes for a state dict (dicts and
// OrderedDicts, tuples, lists, numbers, strings, tensors rebuilt from storages) and refuses anything else: no
// arbitrary globals, no opcode on a stack too short for it, no nesting deeper than kMaxPickleDepth, no storage
// larger than its record in the zip, no tensor view past its storage. LibTorch's own unpickler crashed on
// malformed opcodes, trusted the element count the pickle claims for a storage (a heap over-read), and refused
// the OrderedDict that torch.save(model.state_dict()) writes.
#pragma once
#include <map>
#include <string>

#include <torch/types.h>

namespace ci2v::io {

inline constexpr int kMaxPickleDepth = 64;

// The tensors of the checkpoint's state dict by name (a {"state_dict": {...}} wrapper is opened; entries that
// are not tensors, such as a step count, are left out). Throws ci2v::Error naming the file, and the key where
// there is one.
std::map<std::string, torch::Tensor> read_torch_zip_checkpoint(const std::string& file);

}  // namespace ci2v::io
