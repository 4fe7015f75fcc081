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

}  // namespace ci2v
