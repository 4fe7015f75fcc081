#!/bin/sh
# consisti2v train stopped by a signal: the run stops after the current step, writes the checkpoint of the steps
# taken (train_state.json, the CSV log and the weights agree), exits with 128 + the signal, and --resume goes on
# from it. SIGTERM here: a background job of a shell script ignores SIGINT (no job control), as it should (Ctrl+C
# itself is covered by core_tests' StopRequest.*).
# usage: train_stop_test.sh CONSISTI2V FIXTURES WORKDIR
set -eu
cli=$1 fixtures=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
out="$work/model" csv="$work/log.csv"
lines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }

"$cli" train --out "$out" --tokenizer "$fixtures/tiny_pipeline/tokenizer" --steps 100000 --vae-steps 2 --batch 1 \
  --frames 2 --threads 1 --log "$csv" >"$work/stdout" 2>"$work/stderr" &
pid=$!
# wait for a few UNet steps (the CSV gets one line per step, after a header)
i=0
while [ "$(lines "$csv")" -lt 4 ]; do
  i=$((i + 1))
  if [ $i -gt 600 ] || ! kill -0 $pid 2>/dev/null; then
    echo "FAIL: no training steps after $((i / 5)) s"; cat "$work/stderr"; kill $pid 2>/dev/null; exit 1
  fi
  sleep 0.2
done
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
steps=$(sed -n 's/.*"steps": \([0-9]*\).*/\1/p' "$out/train_state.json")
logged=$(($(wc -l <"$csv") - 1))
echo "stopped after $steps steps (the log has $logged)"
[ "$steps" -ge 3 ] && [ "$steps" -lt 100000 ] || { echo "FAIL: checkpoint steps '$steps'"; exit 1; }
[ "$steps" -eq "$logged" ] || { echo "FAIL: checkpoint says $steps steps, the log $logged"; exit 1; }
grep -q "the checkpoint in $out holds $steps steps (--resume --out $out goes on from it)" "$work/stderr" \
  || { echo "FAIL: no resume hint"; exit 1; }
"$cli" info --model "$out" >/dev/null || { echo "FAIL: the checkpoint does not load"; exit 1; }

# --resume goes on from the stopped run's checkpoint
"$cli" train --out "$out" --resume --steps 2 --batch 1 --frames 2 --threads 1 --log "$csv" >/dev/null 2>"$work/resume.err" \
  || { echo "FAIL: resume"; cat "$work/resume.err"; exit 1; }
resumed=$(sed -n 's/.*"steps": \([0-9]*\).*/\1/p' "$out/train_state.json")
echo "resumed to $resumed steps"
[ "$resumed" -eq $((steps + 2)) ] || { echo "FAIL: resumed checkpoint has $resumed steps, expected $((steps + 2))"; exit 1; }
echo "PASS"
