// safetensors reader/writer (Torch-free): memory-mapped, header fully validated.
// Format: u64 little-endian header length N, N bytes of JSON header, then the raw tensor bytes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ci2v::io {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL, F8_E4M3, F8_E5M2 };

const char* dtype_name(DType d);
size_t dtype_size(DType d);
bool dtype_from_name(const std::string& s, DType* out);

struct TensorInfo {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  uint64_t begin = 0;  // byte offsets relative to the start of the data section
  uint64_t end = 0;
  int64_t numel() const;
};

struct SafetensorsHeader {
  std::vector<TensorInfo> tensors;           // in header order
  std::map<std::string, std::string> metadata;
  uint64_t data_offset = 0;                  // 8 + N
};

// Largest header accepted (the format's own reference limit is 100 MB).
inline constexpr uint64_t kMaxSafetensorsHeader = 100ull * 1024 * 1024;

// Parse and validate a complete safetensors image (header + data of `size` bytes).
// `what` names the file in error messages. Throws ci2v::Error.
SafetensorsHeader parse_safetensors(const uint8_t* bytes, size_t size, const std::string& what);

// A memory-mapped, validated safetensors file.
class SafetensorsFile {
public:
  static std::shared_ptr<SafetensorsFile> open(const std::string& path);
  ~SafetensorsFile();
  SafetensorsFile(const SafetensorsFile&) = delete;
  SafetensorsFile& operator=(const SafetensorsFile&) = delete;

  const std::string& path() const { return path_; }
  const std::vector<TensorInfo>& tensors() const { return header_.tensors; }
  const std::map<std::string, std::string>& metadata() const { return header_.metadata; }
  const TensorInfo* find(const std::string& name) const;
  const uint8_t* data(const TensorInfo& t) const { return base_ + header_.data_offset + t.begin; }
  size_t file_size() const { return size_; }

private:
  SafetensorsFile() = default;
  std::string path_;
  const uint8_t* base_ = nullptr;
  size_t size_ = 0;
  SafetensorsHeader header_;
  std::map<std::string, size_t> index_;
};

struct RawTensor {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  const void* data = nullptr;  // dtype_size * numel bytes, little-endian
};

// Write a safetensors file: to `path`.tmp-XXXX in the same folder, then rename (no partial file on failure).
void write_safetensors(const std::string& path, const std::vector<RawTensor>& tensors,
                       const std::map<std::string, std::string>& metadata = {{"format", "pt"}});

}  // namespace ci2v::io
