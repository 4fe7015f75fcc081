// The CLI's Ctrl-C handling (cli/interrupt.h), in child processes: the first SIGINT / SIGTERM only raises the
// flag, a second SIGINT ends the process (a second SIGTERM does not), and the previous handlers come back.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <stdexcept>

#include "cli/interrupt.h"

using ci2v::cli::StopRequest;

namespace {

// Runs `body` in a child process; returns its wait status. The body reports a failed check by _exit(code != 0).
int in_child(const std::function<void()>& body) {
  const pid_t pid = fork();
  if (pid == 0) {
    body();
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

std::atomic<int> g_previous_calls{0};
extern "C" void previous_handler(int) { g_previous_calls.fetch_add(1); }

}  // namespace

TEST(StopRequest, FirstSignalRaisesTheFlagSecondEndsTheProcess) {
  const int status = in_child([] {
    StopRequest stop;
    if (stop.requested() || stop.signal_number() != 0) _exit(2);
    raise(SIGTERM);  // handled: the process goes on
    if (!stop.requested() || stop.signal_number() != SIGTERM || stop.exit_code() != 128 + SIGTERM) _exit(3);
    if (!stop.flag()->load()) _exit(4);
    raise(SIGTERM);  // a repeated SIGTERM (GNU timeout sends two) does not cut the clean stop short
    if (stop.signal_number() != SIGTERM) _exit(6);
    raise(SIGINT);  // the second one: the default action, the process ends here
    _exit(5);
  });
  ASSERT_TRUE(WIFSIGNALED(status)) << "exit status " << (WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  EXPECT_EQ(WTERMSIG(status), SIGINT);
}

TEST(StopRequest, PutsThePreviousHandlersBackAndStartsClearAgain) {
  const int status = in_child([] {
    signal(SIGINT, previous_handler);
    signal(SIGTERM, previous_handler);
    {
      StopRequest stop;
      if (stop.exit_code() != 130) _exit(2);  // no signal yet: Ctrl-C's status
      raise(SIGINT);
      if (!stop.requested() || stop.signal_number() != SIGINT || stop.exit_code() != 130) _exit(3);
      if (g_previous_calls.load() != 0) _exit(4);
      bool refused = false;
      try {
        StopRequest second;  // one at a time
      } catch (const std::logic_error&) {
        refused = true;
      }
      if (!refused) _exit(5);
    }
    raise(SIGINT);
    raise(SIGTERM);
    if (g_previous_calls.load() != 2) _exit(6);
    StopRequest again;  // a new request starts without the old one's flag
    if (again.requested() || again.signal_number() != 0) _exit(7);
  });
  ASSERT_TRUE(WIFEXITED(status)) << "ended by signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the child's failed check";
}

TEST(StopRequest, AnInheritedIgnoreOfSigintIsKept) {
  // a background job of a script without job control ignores SIGINT (a terminal's Ctrl+C is not for it)
  const int status = in_child([] {
    signal(SIGINT, SIG_IGN);
    {
      StopRequest stop;
      raise(SIGINT);
      if (stop.requested()) _exit(2);  // still ignored
      raise(SIGTERM);
      if (!stop.requested() || stop.signal_number() != SIGTERM) _exit(3);
    }
    struct sigaction now {};
    sigaction(SIGINT, nullptr, &now);
    if (now.sa_handler != SIG_IGN) _exit(4);
  });
  ASSERT_TRUE(WIFEXITED(status)) << "ended by signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the child's failed check";
}
