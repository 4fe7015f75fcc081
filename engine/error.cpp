#include "engine/error.h"

#include <cstdint>
#include <sstream>
#include <vector>

namespace ci2v {

std::string shape_str(const std::vector<int64_t>& shape) {
  std::ostringstream s;
  s << '[';
  for (size_t i = 0; i < shape.size(); ++i) s << (i ? ", " : "") << shape[i];
  s << ']';
  return s.str();
}

std::string error_text(const std::exception& e) {
  std::string m = e.what();
  for (const char* tail : {"\nException raised from ", "Exception raised from ", "\nframe #0: "}) {
    const size_t at = m.find(tail);
    if (at != std::string::npos) m.erase(at);
  }
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

}  // namespace ci2v
