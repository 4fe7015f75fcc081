#include "engine/io/state_dict.h"


#include <algorithm>
#include <filesystem>
#include <set>
#include <fstream>
#include <sstream>

#include "engine/error.h"
#include "engine/io/torch_zip.h"

namespace ci2v::io {

torch::ScalarType to_torch_dtype(DType d) {
  switch (d) {
    case DType::F64: return torch::kFloat64;
    case DType::F32: return torch::kFloat32;
    case DType::F16: return torch::kFloat16;
    case DType::BF16: return torch::kBFloat16;
    case DType::I64: return torch::kInt64;
    case DType::I32: return torch::kInt32;
    case DType::I16: return torch::kInt16;
    case DType::I8: return torch::kInt8;
    case DType::U8: return torch::kUInt8;
    case DType::BOOL: return torch::kBool;
    default: break;
  }
  throw Error(std::string("dtype ") + io::dtype_name(d) + " is not supported by this LibTorch");
}

static bool ends_with(const std::string& s, const std::string& suf) {
  return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}

StateDict StateDict::from_files(const std::vector<std::string>& files) {
  StateDict sd;
  for (const auto& f : files) {
    if (ends_with(f, ".safetensors")) {
      auto file = SafetensorsFile::open(f);
      for (const auto& t : file->tensors()) {
        if (sd.entries_.count(t.name)) throw Error(f + ": tensor '" + t.name + "' also appears in " + sd.entries_[t.name].source);
        Entry e;
        e.file = file;
        e.info = &t;
        e.source = f;
        sd.entries_[t.name] = std::move(e);
      }
    } else {
      std::error_code ec;
      const auto status = std::filesystem::status(f, ec);
      if (std::filesystem::is_directory(status)) throw Error(f + ": is a folder, expected a PyTorch checkpoint file");
      if (!ec && !std::filesystem::is_regular_file(status))  // a FIFO would block the read below
        throw Error(f + ": not a regular file (a pipe or a device), expected a PyTorch checkpoint file");
      const std::map<std::string, torch::Tensor> tensors = read_torch_zip_checkpoint(f);
      for (auto& [k, t] : tensors) {
        if (sd.entries_.count(k)) throw Error(f + ": tensor '" + k + "' also appears in " + sd.entries_[k].source);
        Entry e;
        e.tensor = t;
        e.source = f;
        sd.entries_[k] = std::move(e);
      }
    }
  }
  return sd;
}

void StateDict::remove_substring_from_keys(const std::string& s) {
  if (s.empty()) return;
  std::map<std::string, Entry> out;
  for (auto& [k, e] : entries_) {
    std::string nk = k;
    for (size_t p; (p = nk.find(s)) != std::string::npos;) nk.erase(p, s.size());
    if (out.count(nk)) throw Error(e.source + ": keys collide after removing '" + s + "': " + nk);
    out[nk] = std::move(e);
  }
  entries_ = std::move(out);
}

StateDict StateDict::sub(const std::string& prefix) const {
  StateDict r;
  for (const auto& [k, e] : entries_)
    if (k.compare(0, prefix.size(), prefix) == 0) r.entries_[k.substr(prefix.size())] = e;
  return r;
}

std::vector<std::string> StateDict::keys() const {
  std::vector<std::string> k;
  for (const auto& [key, e] : entries_) k.push_back(key);
  return k;
}

const StateDict::Entry& StateDict::entry(const std::string& key) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) throw Error("state dict: no key '" + key + "'");
  return it->second;
}

std::vector<int64_t> StateDict::shape(const std::string& key) const {
  const Entry& e = entry(key);
  if (e.info) return e.info->shape;
  auto s = e.tensor.sizes();
  return {s.begin(), s.end()};
}

std::string StateDict::dtype_name(const std::string& key) const {
  const Entry& e = entry(key);
  if (e.info) return io::dtype_name(e.info->dtype);
  return std::string(c10::toString(e.tensor.scalar_type()));
}

int64_t StateDict::nbytes(const std::string& key) const {
  const Entry& e = entry(key);
  if (e.info) return static_cast<int64_t>(e.info->end - e.info->begin);
  return static_cast<int64_t>(e.tensor.nbytes());
}

bool StateDict::is_floating_point(const std::string& key) const {
  const Entry& e = entry(key);
  if (!e.info) return e.tensor.is_floating_point();
  switch (e.info->dtype) {
    case DType::F64: case DType::F32: case DType::F16: case DType::BF16: case DType::F8_E4M3: case DType::F8_E5M2:
      return true;
    default:
      return false;
  }
}

std::string StateDict::source(const std::string& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? std::string() : it->second.source;
}

torch::Tensor StateDict::view(const std::string& key) const {
  const Entry& e = entry(key);
  if (!e.info) return e.tensor;
  torch::ScalarType dt;
  try {
    dt = to_torch_dtype(e.info->dtype);
  } catch (const Error& x) {
    throw Error(e.source + ": tensor '" + key + "': " + x.what());
  }
  // the view keeps the mapping alive (a shared owner of the file), so it may outlive this StateDict
  return torch::from_blob(const_cast<uint8_t*>(e.file->data(*e.info)), e.info->shape, [keep = e.file](void*) {},
                          torch::TensorOptions().dtype(dt));
}

torch::Tensor StateDict::get(const std::string& key) const {
  const Entry& e = entry(key);
  return e.info ? view(key).clone() : e.tensor;
}

void StateDict::insert(const std::string& key, const torch::Tensor& t, const std::string& source) {
  Entry e;
  e.tensor = t;
  e.source = source;
  entries_[key] = std::move(e);
}

void load_module(torch::nn::Module& module, const StateDict& sd, const LoadOptions& opt) {
  torch::NoGradGuard no_grad;
  std::vector<std::string> missing, mismatched, wrong_type, failed;
  std::set<std::string> used;
  auto visit = [&](const std::string& name, torch::Tensor& p) {
    if (!sd.contains(name)) {
      missing.push_back(name + " " + shape_str(std::vector<int64_t>(p.sizes().begin(), p.sizes().end())));
      return;
    }
    used.insert(name);
    auto shape = sd.shape(name);
    std::vector<int64_t> want(p.sizes().begin(), p.sizes().end());
    if (shape != want) {
      mismatched.push_back(name + ": checkpoint has " + shape_str(shape) + ", the model expects " + shape_str(want));
      return;
    }
    // integers where weights go (a mislabelled or converted file) would be cast to numbers without a word
    if (p.is_floating_point() && !sd.is_floating_point(name)) {
      wrong_type.push_back(name + ": checkpoint stores " + sd.dtype_name(name) +
                           ", the model expects a floating-point tensor");
      return;
    }
    if (opt.shapes_only) return;
    if (opt.between) opt.between(sd.nbytes(name));  // outside the try: a cancel is not an unreadable tensor
    try {
      // straight from the mapped file into the parameter, converting the dtype on the way: one pass over the
      // bytes (a copy first, then a converted copy, then the copy into the parameter were three)
      p.copy_(sd.view(name));
    } catch (const std::exception& ex) {
      failed.push_back(name + ": " + ex.what());
    }
  };
  for (auto& item : module.named_parameters(/*recurse=*/true)) visit(item.key(), item.value());
  for (auto& item : module.named_buffers(/*recurse=*/true)) visit(item.key(), item.value());
  std::vector<std::string> unexpected;
  for (const auto& k : sd.keys())
    if (!used.count(k) && !(opt.ignore && opt.ignore(k))) unexpected.push_back(k);
  if (missing.empty() && mismatched.empty() && wrong_type.empty() && unexpected.empty() && failed.empty()) return;
  std::ostringstream msg;
  msg << (opt.what.empty() ? std::string("checkpoint") : opt.what) << " does not match the model:";
  auto list = [&](const char* title, const std::vector<std::string>& v) {
    if (v.empty()) return;
    msg << "\n  " << v.size() << " " << title << ":";
    size_t n = 0;
    for (const auto& s : v) {
      if (++n > 20) {
        msg << "\n    ... and " << (v.size() - 20) << " more";
        break;
      }
      msg << "\n    " << s;
    }
  };
  list("missing key(s)", missing);
  list("unexpected key(s)", unexpected);
  list("shape mismatch(es)", mismatched);
  list("type mismatch(es)", wrong_type);
  list("unreadable tensor(s)", failed);
  throw Error(msg.str());
}

void save_tensors_safetensors(const std::map<std::string, torch::Tensor>& tensors, const std::string& path) {
  std::vector<torch::Tensor> keep;
  std::vector<RawTensor> raw;
  for (const auto& [name, t0] : tensors) {
    auto t = t0.detach().to(torch::kCPU).contiguous();
    keep.push_back(t);
    RawTensor r;
    r.name = name;
    switch (t.scalar_type()) {
      case torch::kFloat32: r.dtype = DType::F32; break;
      case torch::kFloat16: r.dtype = DType::F16; break;
      case torch::kBFloat16: r.dtype = DType::BF16; break;
      case torch::kFloat64: r.dtype = DType::F64; break;
      case torch::kInt64: r.dtype = DType::I64; break;
      case torch::kInt32: r.dtype = DType::I32; break;
      case torch::kInt16: r.dtype = DType::I16; break;
      case torch::kInt8: r.dtype = DType::I8; break;
      case torch::kUInt8: r.dtype = DType::U8; break;
      case torch::kBool: r.dtype = DType::BOOL; break;
      default: throw Error(path + ": cannot save tensor '" + name + "' of dtype " + std::string(c10::toString(t.scalar_type())));
    }
    r.shape.assign(t.sizes().begin(), t.sizes().end());
    r.data = t.data_ptr();
    raw.push_back(std::move(r));
  }
  write_safetensors(path, raw);
}

void save_module_safetensors(const torch::nn::Module& module, const std::string& path) {
  std::map<std::string, torch::Tensor> m;
  for (const auto& item : module.named_parameters(true)) m[item.key()] = item.value();
  for (const auto& item : module.named_buffers(true)) m[item.key()] = item.value();
  save_tensors_safetensors(m, path);
}

size_t count_parameters(const torch::nn::Module& module) {
  size_t n = 0;
  for (const auto& p : module.parameters(true)) n += static_cast<size_t>(p.numel());
  return n;
}

}  // namespace ci2v::io
