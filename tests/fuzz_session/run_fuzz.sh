#!/usr/bin/env bash
# run_fuzz.sh FUZZER SYNTH SECONDS - run the session-reader fuzz target for a
# bounded time on a seed corpus made fresh from a small synthetic session
# (one self-contained file: journal mode DELETE), in a temporary directory.
# The inputs in regress/ (past findings) run first, every time; new units go
# to the temporary corpus only.
set -euo pipefail
fuzzer=$1
synth=$2
secs=$3
start=$PWD
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/rs-fuzz-XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/corpus"
"$synth" "$dir/seed.rsession" 3
python3 - "$dir/seed.rsession" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); db.execute("PRAGMA journal_mode=DELETE"); db.close()
PY
cp "$dir/seed.rsession" "$dir/corpus/seed"
printf 'SQLite format 3\0' > "$dir/corpus/header"
cd "$dir"
TMPDIR="$dir" "$fuzzer" corpus "$here/regress" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=1024 -timeout=10 \
  -print_final_stats=1 -artifact_prefix="$dir/" 2>&1 | tail -15
rc=${PIPESTATUS[0]}
if [ "$rc" -ne 0 ]; then
  # keep the crashing input where the developer can find it
  # (the test's working directory in the build tree unless RS_FUZZ_ARTIFACTS says otherwise)
  out=${RS_FUZZ_ARTIFACTS:-$start}
  mkdir -p "$out" && cp "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$out/" 2>/dev/null || true
  echo "failing inputs copied to $out" >&2
fi
exit "$rc"
