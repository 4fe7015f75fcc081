#include "engine/io/json_text.h"

#include <algorithm>

#include "engine/error.h"

namespace ci2v::io {

int json_nesting_depth(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    switch (c) {
      case '"': in_string = true; break;
      case '[':
      case '{': deepest = std::max(deepest, ++depth); break;
      case ']':
      case '}': depth = std::max(0, depth - 1); break;
      default: break;
    }
  }
  return deepest;
}

nlohmann::json parse_json(std::string_view text, const std::string& where, int max_depth) {
  const int depth = json_nesting_depth(text);
  if (depth > max_depth)
    throw Error(where + ": not valid JSON here (nested " + std::to_string(depth) + " levels deep; at most " +
                std::to_string(max_depth) + " are accepted)");
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {
    throw Error(where + ": not valid JSON (" + e.what() + ")");
  }
}

}  // namespace ci2v::io
