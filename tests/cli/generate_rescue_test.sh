#!/bin/sh
# consisti2v generate whose output cannot be written after the generation (a file size limit stands for a full
# disk): the generation is not lost. Its frames are kept in a folder of their own under TMPDIR, the message says
# where, and the command exits with 1.
# usage: generate_rescue_test.sh CONSISTI2V DEMO_MODEL WORKDIR
set -u
cli=$1 model=$2 work=$3
rm -rf "$work"
mkdir -p "$work/out" "$work/rescue"
cd "$work/out" || exit 1
(
  trap '' XFSZ  # a write past the limit fails with EFBIG instead of killing the process
  ulimit -f 40  # 20 KB: the GIF (about 28 KB) is refused, each PNG frame (about 5 KB) is not
  TMPDIR="$work/rescue" exec "$cli" generate --model "$model" --image "$model/example.png" \
    --prompt "a red circle moves right" --steps 2 --seed 5 --threads 2 --quiet --width 64 --height 64 --frames 8 \
    --out clip.gif
) >"$work/stdout" 2>"$work/stderr"
rc=$?
fail() { echo "FAIL: $1"; cat "$work/stderr"; exit 1; }
[ $rc -eq 1 ] || fail "exit status $rc, expected 1"
grep -q "error: cannot write 'clip.gif': File too large" "$work/stderr" || fail "no error naming clip.gif"
kept=$(sed -n 's/^the frames were saved to \(.*\)\/ (consisti2v export .*$/\1/p' "$work/stderr")
[ -n "$kept" ] || fail "the message does not say where the frames are"
case "$kept" in "$work/rescue/"*) ;; *) fail "the frames are not under TMPDIR: $kept" ;; esac
n=$(ls "$kept" | grep -c '^frame_0000[0-7]\.png$')
[ "$n" -eq 8 ] || fail "$n frames kept in $kept, expected 8"
[ ! -e clip.gif ] || fail "a partial clip.gif was left"
echo "PASS: the 8 frames were kept in $kept"
