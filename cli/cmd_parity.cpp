#include <algorithm>
#include <cstdlib>
#include <thread>
#include <iostream>

#include "cli/args.h"
#include "engine/parity/parity.h"

namespace ci2v::cli {

int cmd_parity(int argc, char** argv) {
  Args a(argc, argv, 2, {"verbose"});
  if (auto u = a.unknown({"fixtures", "device", "dtype", "case", "verbose", "atol", "rtol", "threads"}); !u.empty())
    throw UsageError("unknown option " + u[0]);
  a.refuse_extra_positionals(a.has("fixtures") ? 0 : 1);
  parity::Options o;
  o.fixtures = a.get("fixtures");
  if (o.fixtures.empty() && !a.positional().empty()) o.fixtures = a.positional()[0];
  if (o.fixtures.empty())
    if (const char* e = std::getenv("CONSISTI2V_PARITY_DIR"); e && *e) o.fixtures = e;
  if (o.fixtures.empty()) throw UsageError("--fixtures DIR is required (or CONSISTI2V_PARITY_DIR)");
  o.device = a.get("device", "cpu");
  o.dtype = a.get("dtype", "fp32");
  o.only = a.all("case");
  o.verbose = a.has("verbose");
  o.atol_override = a.get_double("atol", -1);
  o.rtol_override = a.get_double("rtol", -1);
  for (const char* k : {"atol", "rtol"})  // given: a tolerance (absent: the manifest's)
    if (a.has(k) && !(a.get_double(k, 0) >= 0))
      throw UsageError(std::string("--") + k + ": expected a tolerance >= 0, got '" + a.get(k) + "'");
  if (a.has("threads")) torch_set_threads(a.get_threads("threads"));
  auto results = parity::run(o, std::cout);
  if (results.empty()) {
    std::cerr << "parity: no case was run\n";
    return 1;
  }
  for (const auto& r : results)
    if (!r.pass) return 1;
  return 0;
}

}  // namespace ci2v::cli

namespace ci2v::cli {

// n <= 0: every hardware thread (Debian's LibTorch otherwise uses the physical-core count, often 1).
void torch_set_threads(int n) {
  if (n <= 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(n);
}

}  // namespace ci2v::cli
