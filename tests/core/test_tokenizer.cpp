#include <gtest/gtest.h>

#include "engine/text/clip_tokenizer.h"

TEST(ClipTokenizer, Placeholder) {
  GTEST_FAIL() << "tokenizer not implemented yet";
}
