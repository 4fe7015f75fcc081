// libFuzzer target: arbitrary bytes as a safetensors image through ci2v::io::parse_safetensors.
// A ci2v::Error is the expected answer to bad input; any other exception, a sanitizer report or a broken
// invariant of an accepted header is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>

#include "engine/error.h"
#include "engine/io/safetensors.h"

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ci2v::io;
  SafetensorsHeader h;
  try {
    h = parse_safetensors(data, size, "fuzz.safetensors");
  } catch (const ci2v::Error&) {
    return 0;
  }
  // Accepted: every tensor lies inside the data section, its byte size is dtype x shape, no two overlap.
  require(h.data_offset >= 8 && h.data_offset <= size);
  const uint64_t data_size = size - h.data_offset;
  std::set<std::string> names;
  for (const auto& t : h.tensors) {
    require(t.begin <= t.end && t.end <= data_size);
    uint64_t numel = 1;
    for (int64_t d : t.shape) {
      require(d >= 0);
      numel *= static_cast<uint64_t>(d);
    }
    require(numel * dtype_size(t.dtype) == t.end - t.begin);
    require(names.insert(t.name).second);
    require(t.name != "__metadata__");
  }
  return 0;
}
