// Ctrl-C (SIGINT) and SIGTERM for the CLI's long commands (train, download, export). While a StopRequest lives,
// the first such signal only raises a flag: the command stops at its next safe point and finishes cleanly (train
// writes the checkpoint of the steps taken, download keeps its partial files for the next run, export removes its
// unfinished output). A second Ctrl-C ends the process at once (SIGINT's default action); a second SIGTERM does
// not (GNU timeout sends two, and a checkpoint being written must not be cut short).
#pragma once
#include <atomic>

namespace ci2v::cli {

class StopRequest {
public:
  StopRequest();   // installs the handlers (one StopRequest at a time)
  ~StopRequest();  // puts the previous handlers back
  StopRequest(const StopRequest&) = delete;
  StopRequest& operator=(const StopRequest&) = delete;

  bool requested() const { return flag()->load(); }
  const std::atomic<bool>* flag() const;  // for engine options that take a cancel flag
  int signal_number() const;              // SIGINT or SIGTERM once requested, else 0
  // The shell's status for a command a signal ended: 128 + the signal (130 for Ctrl-C, also when none came).
  int exit_code() const;
};

}  // namespace ci2v::cli
