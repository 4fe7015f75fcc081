// consisti2v: the ConsistI2V engine on the command line (no Qt).
#include <cstring>
#include <iostream>
#include <string>

#include "cli/args.h"

namespace {

void usage(std::ostream& o) {
  o << "consisti2v " CONSISTI2V_VERSION " - ConsistI2V image-to-video engine\n\n"
       "usage: consisti2v <command> [options]\n\n"
       "commands:\n"
       "  info    --model DIR                 describe a model folder and check it loads\n"
       "  parity  --fixtures DIR [--device cpu|cuda] [--dtype fp32|fp16|bf16] [--case NAME]...\n"
       "                                      run golden parity cases against the engine\n"
       "  --version                           print the version\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(std::cerr);
    return 2;
  }
  const std::string cmd = argv[1];
  try {
    if (cmd == "--version" || cmd == "version") {
      std::cout << "consisti2v " CONSISTI2V_VERSION "\n";
      return 0;
    }
    if (cmd == "-h" || cmd == "--help" || cmd == "help") {
      usage(std::cout);
      return 0;
    }
    if (cmd == "info") return ci2v::cli::cmd_info(argc, argv);
    if (cmd == "parity") return ci2v::cli::cmd_parity(argc, argv);
    std::cerr << "consisti2v: unknown command '" << cmd << "'\n\n";
    usage(std::cerr);
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "consisti2v " << cmd << ": error: " << e.what() << "\n";
    return 1;
  }
}
