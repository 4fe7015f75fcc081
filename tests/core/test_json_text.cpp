// Untrusted JSON (project manifests, markers, configs, safetensors headers): nesting deep enough to overflow the
// stack when a parsed value is copied is refused before parsing, with the file named.
#include <gtest/gtest.h>

#include <string>

#include "engine/error.h"
#include "engine/io/json_text.h"

using namespace ci2v::io;

TEST(JsonText, NestingDepthSkipsStringsAndEscapes) {
  EXPECT_EQ(json_nesting_depth("1"), 0);
  EXPECT_EQ(json_nesting_depth("[]"), 1);
  EXPECT_EQ(json_nesting_depth(R"({"a": [1, {"b": [[2]]}], "c": {}})"), 5);
  EXPECT_EQ(json_nesting_depth(R"({"[[[[": "{{{{"})"), 1);  // brackets in strings do not count
  EXPECT_EQ(json_nesting_depth(R"(["a \" [[[ ", ["\\", [3]]])"), 3);  // an escaped quote does not end a string
}

TEST(JsonText, DeepNestingIsRefusedNamingTheFileAndShallowTextParses) {
  const std::string deep = std::string(1000000, '[') + std::string(1000000, ']');  // 2 MB, a million levels
  try {
    (void)parse_json(deep, "/some/project.json");
    FAIL() << "a million levels were accepted";
  } catch (const ci2v::Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("/some/project.json"), std::string::npos) << m;
    EXPECT_NE(m.find("1000000 levels"), std::string::npos) << m;
    EXPECT_NE(m.find("at most 64"), std::string::npos) << m;
  }
  const std::string ok = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(parse_json(ok, "ok").is_array());
  const std::string one_more = "[" + ok + "]";
  EXPECT_THROW((void)parse_json(one_more, "x"), ci2v::Error);
  EXPECT_EQ(parse_json(one_more, "x", kMaxJsonDepth + 1).dump().size(), one_more.size());
  // a key twice in one object: refused (nested objects have their own keys)
  try {
    (void)parse_json(R"({"a": {"x": 1}, "b": {"x": 2}, "a": 3})", "model_index.json");
    FAIL() << "a key twice was accepted";
  } catch (const ci2v::Error& e) {
    EXPECT_NE(std::string(e.what()).find("model_index.json: the key 'a' appears twice in one object"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(parse_json(R"({"a": {"x": 1}, "b": {"x": 2}})", "ok")["b"]["x"], 2);
  // not JSON at all: named too
  try {
    (void)parse_json("{\"a\": ", "settings.json");
    FAIL();
  } catch (const ci2v::Error& e) {
    EXPECT_NE(std::string(e.what()).find("settings.json: not valid JSON"), std::string::npos) << e.what();
  }
}
