#include "cli/interrupt.h"

#include <signal.h>

#include <stdexcept>

namespace ci2v::cli {
namespace {

std::atomic<bool> g_requested{false};
std::atomic<int> g_signal{0};
std::atomic<bool> g_installed{false};
struct sigaction g_old_int {}, g_old_term {};

extern "C" void on_stop_signal(int sig) {
  // A second Ctrl-C: the default action, now (async-signal-safe calls only). A repeated SIGTERM does not
  // escalate: GNU timeout sends it twice (to the process, then to its group) and the first one's clean stop
  // (a checkpoint being written) must not be cut short by the second.
  if (g_requested.load()) {
    if (sig == SIGINT) {
      ::signal(sig, SIG_DFL);
      ::raise(sig);
    }
    return;
  }
  g_signal.store(sig);
  g_requested.store(true);
}

static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free,
              "the signal handler needs lock-free atomics");

}  // namespace

StopRequest::StopRequest() {
  if (g_installed.exchange(true)) throw std::logic_error("StopRequest: one at a time");
  g_requested = false;
  g_signal = 0;
  struct sigaction sa {};
  sa.sa_handler = &on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;  // blocking reads and writes go on; the command polls the flag
  // a command started in the background by a script without job control inherits "ignore SIGINT" (a terminal's
  // Ctrl+C is not for it): that stays so, as it was before this handler existed
  sigaction(SIGINT, nullptr, &g_old_int);
  if (g_old_int.sa_handler != SIG_IGN) sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, &g_old_term);
}

StopRequest::~StopRequest() {
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGTERM, &g_old_term, nullptr);
  g_installed = false;
}

const std::atomic<bool>* StopRequest::flag() const { return &g_requested; }
int StopRequest::signal_number() const { return g_signal.load(); }
int StopRequest::exit_code() const { return 128 + (signal_number() ? signal_number() : SIGINT); }

}  // namespace ci2v::cli
