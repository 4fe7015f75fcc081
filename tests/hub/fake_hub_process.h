// Starts tests/hub/fake_hub.py (a stand-in for the Hugging Face hub) on a free port of 127.0.0.1 and stops it.
#pragma once
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

#ifndef CONSISTI2V_PYTHON
#define CONSISTI2V_PYTHON "python3"
#endif

namespace ci2v::testing {

class FakeHub {
public:
  // `faults`: fake_hub.py switches, e.g. {"--drop", "unet/diffusion_pytorch_model.safetensors:1000000"}.
  FakeHub(const std::filesystem::path& log_file, const std::vector<std::string>& faults = {}) : log_(log_file) {
    std::filesystem::remove(log_);
    std::vector<std::string> args = {CONSISTI2V_PYTHON, CONSISTI2V_FAKE_HUB, "--folder", CONSISTI2V_FIXTURES "/tiny_pipeline",
                                     "--log", log_.string()};
    args.insert(args.end(), faults.begin(), faults.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    const int rc = posix_spawnp(&pid_, CONSISTI2V_PYTHON, &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
      close(fds[0]);
      throw std::runtime_error("cannot start " CONSISTI2V_PYTHON " " CONSISTI2V_FAKE_HUB);
    }
    out_ = fdopen(fds[0], "r");
    char line[256];
    while (std::fgets(line, sizeof line, out_)) {
      std::string s(line);
      if (s.rfind("PORT ", 0) == 0) port_ = std::stoi(s.substr(5));
      if (s.rfind("COMMIT ", 0) == 0) {
        commit_ = s.substr(7, 40);
        break;
      }
    }
    if (port_ == 0 || commit_.size() != 40) throw std::runtime_error("fake_hub.py did not start (no PORT/COMMIT line)");
  }
  ~FakeHub() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int st = 0;
      waitpid(pid_, &st, 0);
    }
    if (out_) std::fclose(out_);
  }
  FakeHub(const FakeHub&) = delete;
  FakeHub& operator=(const FakeHub&) = delete;

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& commit() const { return commit_; }
  // Every request so far, one line each: "GET /path range=bytes=N-".
  std::string log() const {
    std::ifstream in(log_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

private:
  std::filesystem::path log_;
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  int port_ = 0;
  std::string commit_;
};

}  // namespace ci2v::testing
