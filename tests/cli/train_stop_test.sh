#!/bin/sh
# consisti2v train stopped by a signal: the run stops after the current step, writes the checkpoint of the steps
# taken (train_state.json, the CSV log and the weights agree) and exits with 128 + the signal. `--resume --out`
# alone then goes on with the stopped run's settings, log and plan; with --steps N it trains N more steps.
# SIGTERM here: a background job of a shell script ignores SIGINT (no job control), as it should (Ctrl+C itself is
# covered by core_tests' StopRequest.*).
# usage: train_stop_test.sh CONSISTI2V FIXTURES WORKDIR
set -eu
cli=$1 fixtures=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
out="$work/model" csv="$work/log.csv"
lines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }
# wait_for_lines N ERRFILE: until the log has N lines (the background run $pid trains); fails after 120 s or when
# the run ends first, showing ERRFILE
wait_for_lines() {
  i=0
  while [ "$(lines "$csv")" -lt "$1" ]; do
    i=$((i + 1))
    if [ $i -gt 600 ] || ! kill -0 $pid 2>/dev/null; then
      echo "FAIL: the log has $(lines "$csv") of $1 lines after $((i / 5)) s"; cat "$2"; kill $pid 2>/dev/null; exit 1
    fi
    sleep 0.2
  done
}

"$cli" train --out "$out" --tokenizer "$fixtures/tiny_pipeline/tokenizer" --steps 100000 --vae-steps 2 --batch 1 \
  --frames 2 --threads 1 --log "$csv" >"$work/stdout" 2>"$work/stderr" &
pid=$!
# wait for a few UNet steps (the CSV gets one line per step, after a header)
wait_for_lines 4 "$work/stderr"
kill -TERM $pid
# it stops after the current step (well under a second here): give it 60 s
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.2; done
if kill -0 $pid 2>/dev/null; then
  kill -KILL $pid; echo "FAIL: still training 60 s after SIGTERM"; tail -3 "$work/stderr"; exit 1
fi
rc=0
wait $pid || rc=$?
cat "$work/stderr" | tail -4
[ $rc -eq 143 ] || { echo "FAIL: exit status $rc after SIGTERM, expected 143"; exit 1; }
grep -q "stopped on request after [0-9]* steps; writing the checkpoint" "$work/stderr" || { echo "FAIL: no stop message"; exit 1; }
steps=$(sed -n 's/^  "steps": \([0-9]*\).*/\1/p' "$out/train_state.json")
logged=$(($(wc -l <"$csv") - 1))
echo "stopped after $steps steps (the log has $logged)"
[ "$steps" -ge 3 ] && [ "$steps" -lt 100000 ] || { echo "FAIL: checkpoint steps '$steps'"; exit 1; }
[ "$steps" -eq "$logged" ] || { echo "FAIL: checkpoint says $steps steps, the log $logged"; exit 1; }
grep -q "the checkpoint in $out holds $steps steps (--resume --out $out goes on with the run)" "$work/stderr" \
  || { echo "FAIL: no resume hint"; exit 1; }
"$cli" info --model "$out" >/dev/null || { echo "FAIL: the checkpoint does not load"; exit 1; }

# --resume --out alone goes on with the stopped run: its settings (batch 1, 2 frames, its log), its plan
"$cli" train --out "$out" --resume --threads 1 >"$work/stdout2" 2>"$work/go_on.err" &
pid=$!
wait_for_lines $((steps + 4)) "$work/go_on.err"
kill -TERM $pid
rc=0
wait $pid || rc=$?
[ $rc -eq 143 ] || { echo "FAIL: exit status $rc after the second SIGTERM, expected 143"; tail -5 "$work/go_on.err"; exit 1; }
grep -q "going on with the run in $out: steps $((steps + 1))..100000 of its plan" "$work/go_on.err" \
  || { echo "FAIL: it did not go on with the plan"; head -5 "$work/go_on.err"; exit 1; }
steps2=$(sed -n 's/^  "steps": \([0-9]*\).*/\1/p' "$out/train_state.json")
logged=$(($(wc -l <"$csv") - 1))
echo "went on to $steps2 steps (the log has $logged)"
[ "$steps2" -gt "$steps" ] && [ "$steps2" -eq "$logged" ] || { echo "FAIL: after going on: checkpoint $steps2, log $logged"; exit 1; }
grep -q '"first_step": 0' "$out/train_state.json" || { echo "FAIL: the plan changed"; cat "$out/train_state.json"; exit 1; }

# --resume --steps N: N more steps as a new plan
"$cli" train --out "$out" --resume --steps 2 --threads 1 >/dev/null 2>"$work/resume.err" \
  || { echo "FAIL: resume"; cat "$work/resume.err"; exit 1; }
resumed=$(sed -n 's/^  "steps": \([0-9]*\).*/\1/p' "$out/train_state.json")
echo "resumed to $resumed steps"
[ "$resumed" -eq $((steps2 + 2)) ] || { echo "FAIL: resumed checkpoint has $resumed steps, expected $((steps2 + 2))"; exit 1; }
[ "$(($(wc -l <"$csv") - 1))" -eq "$resumed" ] || { echo "FAIL: the recorded log was not appended to"; exit 1; }
echo "PASS"
