#!/bin/sh
# consisti2v download against tests/hub/fake_hub.py: into a hub cache (HF_HUB_CACHE), then `consisti2v info`
# accepts the printed folder; a second run fetches nothing; an unreachable hub falls back to the cache.
# usage: cli_download_test.sh CONSISTI2V FAKE_HUB_PY FIXTURE_FOLDER WORK_DIR
set -eu
cli=$1 hub=$2 fixture=$3 work=$4
rm -rf "$work"
mkdir -p "$work"
python3 "$hub" --folder "$fixture" --log "$work/requests.log" >"$work/server.out" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q '^COMMIT' "$work/server.out" 2>/dev/null && break; sleep 0.1; done
port=$(awk '/^PORT/{print $2}' "$work/server.out")
commit=$(awk '/^COMMIT/{print $2}' "$work/server.out")
[ -n "$port" ] || { echo "fake hub did not start"; exit 1; }

export HF_ENDPOINT="http://127.0.0.1:$port" HF_HUB_CACHE="$work/hub"
dir=$("$cli" download)
[ "$dir" = "$work/hub/models--TIGER-Lab--ConsistI2V/snapshots/$commit" ] || { echo "unexpected folder: $dir"; exit 1; }
[ "$(cat "$work/hub/models--TIGER-Lab--ConsistI2V/refs/main")" = "$commit" ]
"$cli" info --model "$dir" >"$work/info.txt"
grep -q "VideoLDMUNet3DConditionModel" "$work/info.txt"
n=$(grep -c resolve "$work/requests.log")
again=$("$cli" download --quiet)
[ "$again" = "$dir" ]
[ "$(grep -c resolve "$work/requests.log")" = "$n" ] || { echo "the second run fetched files again"; exit 1; }
# The hub is gone: the cached snapshot is used.
kill $server
offline=$(HF_ENDPOINT=http://127.0.0.1:9 "$cli" download)
[ "$offline" = "$dir" ]
# A plain folder.
python3 "$hub" --folder "$fixture" >"$work/server2.out" &
server=$!
for _ in $(seq 100); do grep -q '^COMMIT' "$work/server2.out" 2>/dev/null && break; sleep 0.1; done
port=$(awk '/^PORT/{print $2}' "$work/server2.out")
plain=$(HF_ENDPOINT="http://127.0.0.1:$port" "$cli" download --to "$work/plain")
[ "$plain" = "$work/plain" ]
"$cli" info --model "$plain" >/dev/null
echo "cli download: ok ($dir)"
