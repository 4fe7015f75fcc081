#include "engine/io/safetensors.h"

#include <cstdint>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>

#include "engine/entropy.h"
#include "engine/error.h"
#include "engine/files.h"
#include "engine/io/json_text.h"

namespace ci2v::io {
namespace {

struct DTypeEntry {
  DType d;
  const char* name;
  size_t size;
};
constexpr DTypeEntry kDTypes[] = {
    {DType::F64, "F64", 8},  {DType::F32, "F32", 4},         {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2}, {DType::I64, "I64", 8},        {DType::I32, "I32", 4},
    {DType::I16, "I16", 2},  {DType::I8, "I8", 1},           {DType::U64, "U64", 8},
    {DType::U32, "U32", 4},  {DType::U16, "U16", 2},         {DType::U8, "U8", 1},
    {DType::BOOL, "BOOL", 1}, {DType::F8_E4M3, "F8_E4M3", 1}, {DType::F8_E5M2, "F8_E5M2", 1},
};

uint64_t read_u64_le(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

const char* dtype_name(DType d) {
  for (const auto& e : kDTypes)
    if (e.d == d) return e.name;
  return "?";
}
size_t dtype_size(DType d) {
  for (const auto& e : kDTypes)
    if (e.d == d) return e.size;
  return 0;
}
bool dtype_from_name(const std::string& s, DType* out) {
  for (const auto& e : kDTypes)
    if (s == e.name) {
      *out = e.d;
      return true;
    }
  return false;
}

int64_t TensorInfo::numel() const {
  int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

SafetensorsHeader parse_safetensors(const uint8_t* bytes, size_t size, const std::string& what) {
  using nlohmann::json;
  if (size < 8)
    throw Error(what + ": not a safetensors file: " + std::to_string(size) +
                " bytes, expected at least 8 (header length)");
  const uint64_t n = read_u64_le(bytes);
  if (n > kMaxSafetensorsHeader)
    throw Error(what + ": safetensors header length " + std::to_string(n) + " exceeds the limit of " +
                std::to_string(kMaxSafetensorsHeader) + " bytes (corrupt or not a safetensors file)");
  if (n > size - 8)
    throw Error(what + ": truncated: header length " + std::to_string(n) + " but only " +
                std::to_string(size - 8) + " bytes follow");
  const json h = parse_json(std::string_view(reinterpret_cast<const char*>(bytes + 8), n), what + ": safetensors header");
  if (!h.is_object()) throw Error(what + ": safetensors header is not a JSON object");

  SafetensorsHeader out;
  out.data_offset = 8 + n;
  const uint64_t data_size = size - 8 - n;
  for (auto it = h.begin(); it != h.end(); ++it) {
    const std::string& key = it.key();
    const json& v = it.value();
    if (key == "__metadata__") {
      if (!v.is_object()) throw Error(what + ": __metadata__ is not an object");
      for (auto m = v.begin(); m != v.end(); ++m) {
        if (!m.value().is_string())
          throw Error(what + ": __metadata__ value for '" + m.key() + "' is not a string");
        out.metadata[m.key()] = m.value().get<std::string>();
      }
      continue;
    }
    const std::string ctx = what + ": tensor '" + key + "'";
    if (!v.is_object()) throw Error(ctx + ": entry is not an object");
    TensorInfo t;
    t.name = key;
    auto dt = v.find("dtype");
    if (dt == v.end() || !dt->is_string()) throw Error(ctx + ": missing string field 'dtype'");
    if (!dtype_from_name(dt->get<std::string>(), &t.dtype))
      throw Error(ctx + ": unknown dtype '" + dt->get<std::string>() + "'");
    auto sh = v.find("shape");
    if (sh == v.end() || !sh->is_array()) throw Error(ctx + ": missing array field 'shape'");
    uint64_t numel = 1;
    bool overflow = false;
    for (const auto& d : *sh) {
      if (!d.is_number_integer() || d.get<int64_t>() < 0)
        throw Error(ctx + ": shape entries must be non-negative integers");
      const uint64_t dim = d.get<uint64_t>();
      if (dim != 0 && numel > std::numeric_limits<uint64_t>::max() / dim) overflow = true;
      numel *= dim;
      t.shape.push_back(static_cast<int64_t>(dim));
    }
    auto off = v.find("data_offsets");
    if (off == v.end() || !off->is_array() || off->size() != 2 || !(*off)[0].is_number_unsigned() ||
        !(*off)[1].is_number_unsigned())
      throw Error(ctx + ": 'data_offsets' must be two non-negative integers");
    t.begin = (*off)[0].get<uint64_t>();
    t.end = (*off)[1].get<uint64_t>();
    if (t.begin > t.end) throw Error(ctx + ": data_offsets begin > end");
    if (t.end > data_size)
      throw Error(ctx + ": data_offsets [" + std::to_string(t.begin) + ", " + std::to_string(t.end) +
                  ") lie outside the data section of " + std::to_string(data_size) +
                  " bytes (truncated file?)");
    const uint64_t esz = dtype_size(t.dtype);
    if (overflow || (numel != 0 && esz > std::numeric_limits<uint64_t>::max() / numel) ||
        numel * esz != t.end - t.begin)
      throw Error(ctx + ": byte size " + std::to_string(t.end - t.begin) + " does not match dtype " +
                  dtype_name(t.dtype) + " x shape " + shape_str(t.shape) + " = " +
                  (overflow ? std::string("overflow") : std::to_string(numel * esz)) + " bytes");
    out.tensors.push_back(std::move(t));
  }
  // No two tensors may share bytes (an empty tensor holds none: safetensors writers put one at any offset).
  std::vector<const TensorInfo*> sorted;
  for (const auto& t : out.tensors)
    if (t.end > t.begin) sorted.push_back(&t);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->begin < b->begin; });
  for (size_t i = 1; i < sorted.size(); ++i) {
    if (sorted[i]->begin < sorted[i - 1]->end)
      throw Error(what + ": tensors '" + sorted[i - 1]->name + "' and '" + sorted[i]->name +
                  "' overlap in the data section");
  }
  return out;
}

std::shared_ptr<SafetensorsFile> SafetensorsFile::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);  // (a FIFO: refused below, not waited on)
  if (fd < 0) throw Error(path + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    int e = errno;
    ::close(fd);
    throw Error(path + ": cannot stat: " + std::strerror(e));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw Error(path + ": not a regular file (a pipe, a device or a folder), expected a safetensors file");
  }
  std::shared_ptr<SafetensorsFile> f(new SafetensorsFile());
  f->path_ = path;
  f->size_ = static_cast<size_t>(st.st_size);
  if (f->size_ > 0) {
    void* p = mmap(nullptr, f->size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      int e = errno;
      ::close(fd);
      throw Error(path + ": mmap failed: " + std::strerror(e));
    }
    f->base_ = static_cast<const uint8_t*>(p);
  }
  ::close(fd);
  static const uint8_t kEmpty[1] = {0};
  f->header_ = parse_safetensors(f->base_ ? f->base_ : kEmpty, f->size_, path);
  for (size_t i = 0; i < f->header_.tensors.size(); ++i) f->index_[f->header_.tensors[i].name] = i;
  return f;
}

SafetensorsFile::~SafetensorsFile() {
  if (base_) munmap(const_cast<uint8_t*>(base_), size_);
}

const TensorInfo* SafetensorsFile::find(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &header_.tensors[it->second];
}

void write_safetensors(const std::string& path, const std::vector<RawTensor>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  using nlohmann::json;
  // Sorted by name, as the reference writer does.
  std::vector<const RawTensor*> order;
  for (const auto& t : tensors) order.push_back(&t);
  std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->name < b->name; });
  json h = json::object();
  if (!metadata.empty()) h["__metadata__"] = metadata;
  uint64_t off = 0;
  for (const auto* t : order) {
    int64_t numel = 1;
    for (auto d : t->shape) numel *= d;
    const uint64_t nbytes = static_cast<uint64_t>(numel) * dtype_size(t->dtype);
    h[t->name] = {{"dtype", dtype_name(t->dtype)}, {"shape", t->shape}, {"data_offsets", {off, off + nbytes}}};
    off += nbytes;
  }
  std::string hs = h.dump();
  while ((hs.size() + 8) % 8 != 0) hs.push_back(' ');  // align the data section to 8 bytes
  // atomically: a failed write (a full disk) leaves an earlier file of that name as it was
  write_file_atomically(path, [&](const AppendBytes& append) {
    uint8_t len[8];
    uint64_t n = hs.size();
    for (int i = 0; i < 8; ++i) len[i] = static_cast<uint8_t>(n >> (8 * i));
    append(len, 8);
    append(hs.data(), hs.size());
    for (const auto* t : order) {
      int64_t numel = 1;
      for (auto d : t->shape) numel *= d;
      const size_t nbytes = static_cast<size_t>(numel) * dtype_size(t->dtype);
      if (nbytes) append(t->data, nbytes);
    }
  });
}

}  // namespace ci2v::io
