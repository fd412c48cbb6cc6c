#!/bin/sh
# Suite "data": DESIGN.md's dependency rules, checked rather than only described.
#   1. Only app/widgets/ and app/main.c include GTK, GDK or libadwaita.
#   2. Only app/store/ writes SQL (sqlite3 calls, SQL statements in string literals).
#   3. app/lines/ knows nothing of campaigns, scripts, the store or the window.
#   4. app/script/ is pure: GLib, json-glib, libc, its own headers and tb-limits.h.
#   5. app/store/ knows only SQLite, GLib/GIO, libc and its own headers.
# Each rule names the file and the line that breaks it.
set -u
src=$1
. "$(dirname "$0")/tap.sh"
cd "$src" || exit 1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

files() { git ls-files "$@" 2>/dev/null | grep -E '\.(c|h|cc)$'; }
rule() {   # rule DESCRIPTION FILE-OF-VIOLATIONS
  if [ -s "$2" ]; then not_ok "$1"; sed 's/^/# /' "$2" | head -20; else ok "$1"; fi
}

# Which folder of app/ each header lives in.
git ls-files 'app/*.h' | while read -r h; do
  d=$(dirname "$h"); printf '%s %s\n' "$(basename "$h")" "${d#app/}"
done >"$tmp/headers"
folder_of() { awk -v h="$1" '$1 == h { print $2; exit }' "$tmp/headers"; }

# 1. GTK in the engine
files 'app/*' | grep -v '^app/widgets/' | grep -v '^app/main\.c$' |
  xargs grep -nE '#include *<(gtk|gdk|adwaita)' /dev/null >"$tmp/1" || true
rule "only app/widgets and app/main.c include GTK, GDK or libadwaita" "$tmp/1"

# 2. SQL outside the store
files 'app/*' | grep -v '^app/store/' |
  xargs grep -nE '#include *<sqlite3\.h>|sqlite3_[a-z_]+ *\(|"[[:space:]]*(SELECT |INSERT INTO |INSERT OR |UPDATE [a-z_]+ SET|DELETE FROM |CREATE (TABLE|INDEX|TRIGGER|TEMP)|ALTER TABLE|DROP (TABLE|INDEX|TRIGGER)|PRAGMA )' \
  /dev/null >"$tmp/2" || true
rule "only app/store writes SQL" "$tmp/2"

# 3, 4, 5: the headers a folder includes, by the folder they live in.
includes() {   # includes FOLDER: "file:line: header" for every #include "x.h" there
  files "app/$1/*" | xargs grep -nE '^#include *"[^"]+"' /dev/null |
    sed -E 's/^([^:]+:[0-9]+):#include *"([^"]+)".*/\1: \2/'
}
: >"$tmp/3"
includes lines | while read -r where header; do
  case "$(folder_of "$header")" in
    campaign|script|store|compliance|widgets|cli|contacts) echo "$where $header" >>"$tmp/3" ;;
  esac
done
rule "app/lines knows nothing of campaigns, scripts, the store or the window" "$tmp/3"

: >"$tmp/4"
includes script | while read -r where header; do
  # tb-understanding-resources.h: the built-in lexicons, compiled in by glib-compile-resources.
  case "$header" in config.h|tb-limits.h|*-resources.h) continue ;; esac
  [ "$(folder_of "$header")" = script ] || echo "$where $header" >>"$tmp/4"
done
files 'app/script/*' | xargs grep -nE '^#include *<' /dev/null |
  grep -vE '<(glib|glib-object|gio/gio|glib/[a-z0-9_]+|json-glib/json-glib)\.h>' |
  grep -vE '<(string|stdlib|stdio|math|ctype|errno|limits|stdint|stdbool)\.h>' >>"$tmp/4" || true
rule "app/script is pure: GLib, json-glib, libc and its own headers" "$tmp/4"

: >"$tmp/5"
includes store | while read -r where header; do
  [ "$header" = config.h ] && continue
  [ "$(folder_of "$header")" = store ] || echo "$where $header" >>"$tmp/5"
done
files 'app/store/*' | xargs grep -nE '^#include *<' /dev/null |
  grep -vE '<(sqlite3|glib|gio/gio|glib/[a-z0-9_]+|glib-object)\.h>' |
  grep -vE '<(string|stdlib|stdio|errno|fcntl|unistd|sys/[a-z]+)\.h>' >>"$tmp/5" || true
rule "app/store knows only SQLite, GLib and its own headers" "$tmp/5"

echo "1..$n"
[ "$fail" -eq 0 ]
