#!/bin/sh
# Suite "data": translations compile, POTFILES names every file with
# translatable strings, and zh_CN translates every one of them.
set -u
src=$1
. "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$src" || exit 1

for po in po/*.po; do
  if out=$(msgfmt --check --check-format -o /dev/null "$po" 2>&1); then ok "msgfmt --check $po"
  else not_ok "msgfmt --check $po"; echo "$out" | sed 's/^/# /'; fi
done

# Every tracked source file that marks strings must be in POTFILES, and every POTFILES entry must exist.
git ls-files 'app/*.c' 'app/*.h' 'ui/*.ui' 'data/*.xml' 2>/dev/null | sort >"$tmp/all"
: >"$tmp/marked"
while read -r f; do
  if grep -qE '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|g_dngettext|ngettext)\s*\(\s*"|translatable="yes"|<summary>' "$f"; then
    echo "$f" >>"$tmp/marked"
  fi
done <"$tmp/all"
grep -v '^#' po/POTFILES | sed '/^$/d' | sort >"$tmp/listed"
missing=$(comm -23 "$tmp/marked" "$tmp/listed")
if [ -z "$missing" ]; then ok "POTFILES lists every file with translatable strings"
else not_ok "POTFILES lists every file with translatable strings"; echo "$missing" | sed 's/^/# missing: /'; fi
gone=""
while read -r f; do [ -e "$f" ] || gone="$gone $f"; done <"$tmp/listed"
if [ -z "$gone" ]; then ok "every POTFILES entry exists"; else not_ok "every POTFILES entry exists"; echo "# gone:$gone"; fi

# zh_CN is complete: no untranslated or fuzzy message against a fresh template.
xgettext --from-code=UTF-8 --files-from=po/POTFILES --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
  --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 --add-comments -o "$tmp/telebot.pot" 2>"$tmp/xg" || true
for po in po/*.po; do
  msgmerge --quiet --no-fuzzy-matching "$po" "$tmp/telebot.pot" -o "$tmp/merged.po" 2>/dev/null
  stats=$(msgfmt --statistics -o /dev/null "$tmp/merged.po" 2>&1)
  if ! echo "$stats" | grep -qE 'untranslated|fuzzy'; then ok "$po translates every string ($stats)"
  else
    not_ok "$po translates every string ($stats)"
    msgattrib --untranslated --no-obsolete "$tmp/merged.po" | grep '^msgid ' | sed 's/^/# /' | head -40
  fi
done

# Chinese is one language: one term per concept (po/GLOSSARY), full-width punctuation.
if out=$(python3 tests/check-po-terms.py po/GLOSSARY po/zh_CN.po 2>&1); then
  ok "zh_CN keeps po/GLOSSARY's terms and full-width punctuation"
else
  not_ok "zh_CN keeps po/GLOSSARY's terms and full-width punctuation"; echo "$out" | sed 's/^/# /' | head -40
fi

echo "1..$n"
[ "$fail" -eq 0 ]
