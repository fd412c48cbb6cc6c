#!/bin/sh
# Suite "data": the desktop entry, AppStream metainfo, GSettings schema and
# Flatpak manifest are valid, and the manifest builds everything the build needs.
set -u
src=$1
build=$2
. "$(dirname "$0")/tap.sh"
check() { desc=$1; shift; if out=$("$@" 2>&1); then ok "$desc"; else not_ok "$desc"; echo "$out" | sed 's/^/# /'; fi; }

check "desktop-file-validate" desktop-file-validate "$src/com.example.Telebot.desktop"
check "appstreamcli validate --no-net" appstreamcli validate --no-net "$src/data/com.example.Telebot.metainfo.xml"
check "glib-compile-schemas --strict --dry-run" glib-compile-schemas --strict --dry-run "$src/data"
check "the icon is an SVG" grep -q '<svg' "$src/data/icons/hicolor/scalable/apps/com.example.Telebot.svg"
check "the symbolic icon is an SVG" grep -q '<svg' "$src/data/icons/hicolor/symbolic/apps/com.example.Telebot-symbolic.svg"

manifest="$src/com.example.Telebot.json"
check "the Flatpak manifest parses as JSON" python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$manifest"
# Every library the build finds outside the GNOME runtime must be a module.
for module in sofia-sip pocketsphinx sphinxbase espeak-ng libphonenumber telebot; do
  check "the manifest builds $module" python3 -c "
import json,sys
m=json.load(open(sys.argv[1]))
def names(mods):
    for x in mods:
        if isinstance(x, dict):
            yield x.get('name')
            yield from names(x.get('modules', []))
sys.exit(0 if sys.argv[2] in set(names(m['modules'])) else 1)" "$manifest" "$module"
done
check "the manifest's app id matches" python3 -c "
import json,sys; m=json.load(open(sys.argv[1])); sys.exit(0 if m['id']=='com.example.Telebot' and m['command']=='telebot' else 1)" "$manifest"

echo "1..$n"
[ "$fail" -eq 0 ]
