// error_text: what a person is shown of an exception; LibTorch's source location and backtrace are cut off.
#include <gtest/gtest.h>

#include <stdexcept>

#include "engine/error.h"

TEST(ErrorText, CutsLibTorchsBacktraceAndKeepsOtherMessagesWhole) {
  const std::runtime_error c10_like(
      "index out of range in self\nException raised from operator() at ./aten/src/ATen/native/TensorAdvancedIndexing.cpp:1189 "
      "(most recent call first):\nframe #0: c10::Error::Error(c10::SourceLocation, std::string) + 0x9e (0x7f in libc10.so)\n");
  EXPECT_EQ(ci2v::error_text(c10_like), "index out of range in self");
  const ci2v::Error plain("model.safetensors: tensor 'w' is cut short\n(the file is 12 bytes)");
  EXPECT_EQ(ci2v::error_text(plain), "model.safetensors: tensor 'w' is cut short\n(the file is 12 bytes)");
}
