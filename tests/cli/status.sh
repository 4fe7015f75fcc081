#!/bin/sh
# Runs a command with its error output on the standard output and prints its exit status last,
# "[exit status N]": a CTest PASS_REGULAR_EXPRESSION (which makes CTest ignore the status) then asserts the
# status together with the output (tests/CMakeLists.txt, ci2v_cli_expect).
"$@" 2>&1
echo "[exit status $?]"
