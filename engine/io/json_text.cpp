#include "engine/io/json_text.h"

#include <algorithm>
#include <unordered_set>
#include <vector>

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
  // A key twice in one object is a damaged or tampered file (which value was meant?), not "the last one wins".
  std::vector<std::unordered_set<std::string>> keys;  // of the objects open now, the innermost last
  std::string twice;
  const nlohmann::json::parser_callback_t watch = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& v) {
    using Event = nlohmann::json::parse_event_t;
    if (event == Event::object_start) {
      keys.emplace_back();
    } else if (event == Event::object_end) {
      if (!keys.empty()) keys.pop_back();
    } else if (event == Event::key && !keys.empty() && v.is_string()) {
      if (!keys.back().insert(v.get_ref<const std::string&>()).second && twice.empty()) twice = v.get<std::string>();
    }
    return true;
  };
  nlohmann::json out;
  try {
    out = nlohmann::json::parse(text.begin(), text.end(), watch);
  } catch (const nlohmann::json::exception& e) {
    throw Error(where + ": not valid JSON (" + e.what() + ")");
  }
  if (!twice.empty()) throw Error(where + ": the key '" + twice + "' appears twice in one object");
  return out;
}

}  // namespace ci2v::io
