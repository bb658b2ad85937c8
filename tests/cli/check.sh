# check.sh - sourced by the shell tests of tests/cli: a private temporary
# directory $tmp (removed on exit), `check NAME CONDITION...` that prints
# ok/FAIL and counts, and `finish` that prints the counts and sets the exit
# status (0 only when nothing failed).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
passes=0
check() { # check NAME CONDITION...
  local name=$1; shift
  if "$@"; then echo "ok   $name"; passes=$((passes + 1)); else echo "FAIL $name"; fails=$((fails + 1)); fi
}
finish() {
  echo "$passes passed, $fails failed"
  test $fails -eq 0
}
