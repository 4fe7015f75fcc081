#!/bin/sh
# consisti2v generate stopped by a signal: the generation stops at its next step, nothing is written (no output, no
# partial file), and the command exits with 128 + the signal. SIGTERM here: a background job of a shell script
# ignores SIGINT (no job control), as it should (Ctrl+C itself is covered by core_tests' StopRequest.*).
# usage: generate_stop_test.sh CONSISTI2V FIXTURES FIRST_FRAME WORKDIR
set -eu
cli=$1 fixtures=$2 image=$3 work=$4
rm -rf "$work"
mkdir -p "$work/out"
"$cli" generate --model "$fixtures/tiny_pipeline" --image "$image" --prompt "a red circle moves right" \
  --steps 500 --frames 6 --width 64 --height 64 --device cpu --threads 1 --out "$work/out/clip.gif" \
  >"$work/stdout" 2>"$work/stderr" &
pid=$!
# wait until the denoising runs (the progress bar reaches step 3), at most 120 s
i=0
while ! grep -q "step [3-9]/500" "$work/stderr" 2>/dev/null; do
  i=$((i + 1))
  if [ $i -gt 600 ] || ! kill -0 $pid 2>/dev/null; then
    echo "FAIL: no denoising step after $((i / 5)) s"; tr '\r' '\n' <"$work/stderr" | tail -5; kill $pid 2>/dev/null; exit 1
  fi
  sleep 0.2
done
kill -TERM $pid
# it stops at its next step (well under a second here): give it 60 s
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.2; done
if kill -0 $pid 2>/dev/null; then
  kill -KILL $pid; echo "FAIL: still generating 60 s after SIGTERM"; exit 1
fi
rc=0
wait $pid || rc=$?
tr '\r' '\n' <"$work/stderr" | tail -2
[ $rc -eq 143 ] || { echo "FAIL: exit status $rc after SIGTERM, expected 143"; exit 1; }
grep -q "stopped on request; nothing written to $work/out/clip.gif" "$work/stderr" || { echo "FAIL: no stop message"; exit 1; }
left=$(ls -A "$work/out")
[ -z "$left" ] || { echo "FAIL: files left in the output folder: $left"; exit 1; }
[ ! -s "$work/stdout" ] || { echo "FAIL: the output path was printed as written"; exit 1; }
echo "stopped after SIGTERM with status 143, nothing written"
