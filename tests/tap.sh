# tap.sh — TAP output for the shell suites, sourced by each: `. "$(dirname "$0")/tap.sh"`.
# ok/not_ok print one numbered result; check DESC CMD… runs CMD and reports it; the suite ends
# with `echo "1..$n"` and exits non-zero when $fail is.
n=0; fail=0
ok() { n=$((n+1)); echo "ok $n - $1"; }
not_ok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else not_ok "$desc"; fi; }
