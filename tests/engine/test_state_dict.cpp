#include <gtest/gtest.h>

#include "engine/error.h"
#include "engine/io/state_dict.h"

TEST(StateDict, Placeholder) { GTEST_FAIL() << "not written yet"; }
