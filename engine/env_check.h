// The CONSISTI2V_* environment variables the programs and scripts read, with the values each accepts, and a
// check of an environment against them. The engine reads its switches leniently (CONSISTI2V_FUSED=off leaves the
// fused kernels on: only "0" turns them off), so a misspelt name or value would otherwise change nothing,
// silently; `consisti2v` and the studio print these warnings at start.
#pragma once
#include <string>
#include <vector>

namespace ci2v {

struct EnvVarSpec {
  std::string name;                 // "CONSISTI2V_FUSED"
  std::vector<std::string> values;  // the accepted values; empty: any (a path, a folder)
  std::string what;                 // one line: what it does
  bool ignore_case = false;         // values compared case-insensitively, spaces around trimmed
};

// Every CONSISTI2V_* variable read at run time by the engine, the CLI, the studio, the tests and the scripts.
const std::vector<EnvVarSpec>& environment_variables();

// One warning per CONSISTI2V_* entry of `env` ("NAME=value", as environ holds them) whose name is not known
// (naming the closest known one when it is a near miss) or whose value is not accepted (naming the accepted
// ones; such a value has the effect of the variable being unset). Other variables are not looked at.
std::vector<std::string> environment_warnings(const std::vector<std::string>& env);
// The same for this process's environment.
std::vector<std::string> environment_warnings();

}  // namespace ci2v
