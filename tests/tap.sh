# tap.sh — TAP output for the shell suites, sourced by each: `. "$(dirname "$0")/tap.sh"`.
# ok/not_ok print one numbered result; check DESC CMD… runs CMD and reports it; the suite ends
# with `echo "1..$n"` and exits non-zero when $fail is. free_port and wait_log serve the suites
# that start peers (sipp, kamailio).
n=0; fail=0
ok() { n=$((n+1)); echo "ok $n - $1"; }
not_ok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else not_ok "$desc"; fi; }
# A free UDP port on the loopback.
free_port() {
  python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# wait_log FILE PATTERN: up to 10 s for PATTERN to appear in FILE.
wait_log() {
  i=0
  while ! grep -q "$2" "$1" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
  grep -q "$2" "$1"
}
