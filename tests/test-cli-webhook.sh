#!/bin/sh
# telebot-cli webhook against hostile input (issue 19 §3): a URL with a line break or without a
# host is refused (it went raw into the request line), and `deliver --once` is bounded in time
# against a server that accepts the connection and never answers.
set -eu
cli=${TELEBOT_CLI:?}
tmp=$(mktemp -d)
srv=""
cleanup() { [ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
. "$(dirname "$0")/tap.sh"
json() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"; }
db="$tmp/t.db"

refused() {
  label=$1; url=$2; why=$3
  if "$cli" --db "$db" webhook set "$url" >/dev/null 2>"$tmp/err"; then
    not_ok "webhook set refuses $label"
  else
    check "webhook set refuses $label, saying why" grep -q "$why" "$tmp/err"
  fi
}
refused "a URL with CR/LF" "$(printf 'http://crm.example/hook\r\nX-Evil: 1')" 'control character'
refused "a URL with a space" "http://crm.example/a b" 'control character'
refused "a URL without a host" "http:///hook" 'names no host'
refused "a non-http URL" "ftp://crm.example/hook" 'not an http or https address'
check "nothing was stored" test -z "$(sqlite3 "$db" "SELECT value FROM settings WHERE key = 'webhook-url'" 2>/dev/null)"

# A server that accepts and never answers; the per-request timeout is long.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
conns = []
while True:
    c, _ = s.accept(); conns.append(c)   # read nothing, answer nothing
' "$port" &
srv=$!
i=0
until python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' \
      "$port" 2>/dev/null || [ $i -ge 50 ]; do sleep 0.1; i=$((i+1)); done
"$cli" --db "$db" webhook set "http://127.0.0.1:$port/hook" --timeout 300 >/dev/null 2>&1
now=$(date +%s)000000
for i in 1 2 3; do
  sqlite3 "$db" "INSERT INTO outbox (event, idempotency_key, payload, next_try_at, created_at)
                 VALUES ('call.completed', 'k$i', '{}', 0, $now)"
done
start=$(date +%s)
status=0
"$cli" --db "$db" webhook deliver --once --max-time 3 >"$tmp/d.json" 2>"$tmp/d.err" || status=$?
took=$(( $(date +%s) - start ))
check "deliver --once --max-time 3 returns in ${took} s against a server that never answers" \
  test "$took" -le 8
check "... with exit status 4 (stopped at its time limit)" test "$status" -eq 4
check "... saying so on stdout and stderr" sh -c "grep -q 'stopped after 3 s' '$tmp/d.err' && \
  python3 -c \"import json; j=json.load(open('$tmp/d.json')); assert j['stopped_at_max_time'] is True\""
check "... and the events stay in the outbox" \
  test "$(sqlite3 "$db" "SELECT count(*) FROM outbox WHERE state = 'pending'")" = 3

echo "1..$n"
[ "$fail" -eq 0 ]
