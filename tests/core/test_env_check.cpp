// The environment check (engine/env_check.h): misspelt CONSISTI2V_* names and values the engine would ignore
// silently are named, with the near miss or the accepted values; correct ones and other variables pass.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "engine/env_check.h"

using ci2v::environment_warnings;

TEST(EnvCheck, NamesMisspeltVariablesAndValuesTheEngineWouldIgnore) {
  EXPECT_TRUE(environment_warnings({"PATH=/usr/bin", "CONSISTI2V_FUSED=0", "CONSISTI2V_FUSED_TEMPORAL=1",
                                    "CONSISTI2V_TEMPORAL_CONV=gemm", "CONSISTI2V_LANG= KO ",
                                    "CONSISTI2V_DEMO_MODEL=/any/folder", "CONSISTI2V_CUDA_GRAPHS=1",
                                    "HOME=/root", "GPU_CHECK_STEPS=train"})
                  .empty());

  auto w = environment_warnings({"CONSISTI2V_FUSSED=0"});
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("CONSISTI2V_FUSSED is not one this program reads"), std::string::npos) << w[0];
  EXPECT_NE(w[0].find("did you mean CONSISTI2V_FUSED?"), std::string::npos) << w[0];

  w = environment_warnings({"CONSISTI2V_SOMETHING_ELSE=1"});  // no near miss: the known names are listed
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("known: CONSISTI2V_LANG"), std::string::npos) << w[0];

  // "off" would leave the fused kernels on (only "0" turns them off): said, with the accepted values
  w = environment_warnings({"CONSISTI2V_FUSED=off", "CONSISTI2V_TEMPORAL_CONV=GEMM", "CONSISTI2V_LANG=fr",
                            "CONSISTI2V_CHANNELS_LAST="});
  ASSERT_EQ(w.size(), 4u);
  EXPECT_NE(w[0].find("CONSISTI2V_FUSED='off' has no effect: the accepted values are 0, 1"), std::string::npos) << w[0];
  EXPECT_NE(w[1].find("CONSISTI2V_TEMPORAL_CONV='GEMM' has no effect: the accepted values are gemm, conv3d, auto"),
            std::string::npos) << w[1];  // the engine compares exactly
  EXPECT_NE(w[2].find("CONSISTI2V_LANG='fr' has no effect: the accepted values are en, ko"), std::string::npos) << w[2];
  EXPECT_NE(w[3].find("CONSISTI2V_CHANNELS_LAST=''"), std::string::npos) << w[3];

  // near misses only when close: a lower-case name, one edit in a long name; not a CMake option two edits from a
  // short one
  w = environment_warnings({"consisti2v_fused=0", "CONSISTI2V_CHANELS_LAST=0", "CONSISTI2V_BUILD_GUI=OFF"});
  ASSERT_EQ(w.size(), 3u);
  EXPECT_NE(w[0].find("consisti2v_fused is not one this program reads (ignored); did you mean CONSISTI2V_FUSED?"),
            std::string::npos) << w[0];
  EXPECT_NE(w[1].find("did you mean CONSISTI2V_CHANNELS_LAST?"), std::string::npos) << w[1];
  EXPECT_EQ(w[2].find("did you mean"), std::string::npos) << w[2];
  // the studio trims the language like this
  EXPECT_TRUE(environment_warnings({"CONSISTI2V_LANG=ko\r\n"}).empty());

  // the process's own environment is read (whatever else the caller's environment holds)
  const char* before = std::getenv("CONSISTI2V_FFT");
  const std::string saved = before ? before : "";
  ::setenv("CONSISTI2V_FFT", "fftw", 1);
  w = environment_warnings();
  if (before) ::setenv("CONSISTI2V_FFT", saved.c_str(), 1);
  else ::unsetenv("CONSISTI2V_FFT");
  EXPECT_EQ(std::count_if(w.begin(), w.end(), [](const std::string& m) { return m.find("CONSISTI2V_FFT='fftw'") != std::string::npos; }),
            1);
}

TEST(EnvCheck, EveryVariableTheSourcesReadIsKnown) {
  // The list is the sources' own: every getenv / qEnvironmentVariable / setenv("CONSISTI2V_...") in the C++
  // sources and every ${CONSISTI2V_...} in scripts/ names a listed variable.
  namespace fs = std::filesystem;
  std::set<std::string> known;
  for (const auto& s : ci2v::environment_variables()) known.insert(s.name);
  const fs::path root = CONSISTI2V_SOURCE_DIR;
  const std::regex read(R"((getenv|qEnvironmentVariable\w*|qgetenv|qputenv|qunsetenv|setenv|unsetenv)\(\s*"(CONSISTI2V_[A-Z0-9_]+)\")"),
      script(R"((\$\{?|\benv\s+|&&\s+|\bexport\s+)(CONSISTI2V_[A-Z0-9_]+))"),
      cmake(R"((\bENV\s+|ENVIRONMENT\s+"?)(CONSISTI2V_[A-Z0-9_]+))");
  std::set<std::string> seen;
  for (const char* dir : {"engine", "cli", "app", "widgets", "bench", "tests", "scripts", "fuzz", "packaging", ".ci"}) {
    if (!fs::exists(root / dir)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
      if (!e.is_regular_file()) continue;
      const auto ext = e.path().extension().string();
      const bool is_script = std::string(dir) == "scripts" || ext == ".sh" || ext == ".py";
      const bool is_cmake = ext == ".cmake" || e.path().filename() == "CMakeLists.txt";
      if (!is_script && !is_cmake && ext != ".cpp" && ext != ".h" && ext != ".cu") continue;
      if (e.path().string().find("/fixtures/") != std::string::npos) continue;
      std::ifstream in(e.path());
      std::stringstream ss;
      ss << in.rdbuf();
      const std::string text = ss.str();
      const auto& re = is_script ? script : is_cmake ? cmake : read;
      for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it) {
        const std::string name = (*it)[it->size() - 1].str();
        EXPECT_TRUE(known.count(name)) << name << " read in " << e.path() << " is not in environment_variables()";
        seen.insert(name);
      }
    }
  }
  // and every listed variable is still read somewhere (the list holds no stale names)
  for (const auto& n : known) EXPECT_TRUE(seen.count(n)) << n << " is listed but no source reads it";
}
