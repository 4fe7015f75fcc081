// Errors are values with context: what failed, where (file, key), what was expected and what was found.
#pragma once
#include <stdexcept>
#include <cstdint>
#include <string>
#include <vector>

namespace ci2v {

class Error : public std::runtime_error {
public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Concatenate any streamable arguments into a string (for error messages).
std::string shape_str(const std::vector<int64_t>& shape);

// An exception's message for a person: LibTorch's errors (c10::Error) append where they were raised and a C++
// backtrace ("Exception raised from …", "frame #0: …"), which are cut off here.
std::string error_text(const std::exception& e);

}  // namespace ci2v
