#!/bin/sh
# Suite "data": the tree itself. No merge leftovers (conflict markers) in any tracked file, and
# every document the code cites exists: in the repository, or among the steering documents
# beside it (../shared: DESIGN.md, COMPLIANCE.md, STYLE.md, as README.md says).
set -u
src=$1
. "$(dirname "$0")/tap.sh"
cd "$src" || exit 1

markers=$(git grep -n -I -E '^(<<<<<<<|>>>>>>>) |^=======$' -- . ':!*.po' 2>/dev/null || true)
if [ -z "$markers" ]; then ok "no conflict markers in the tree"
else not_ok "no conflict markers in the tree"; echo "$markers" | sed 's/^/# /'; fi

missing=""
for doc in $(git grep -h -o -E '[A-Za-z0-9_./-]*[A-Z][A-Z0-9_-]+\.md' -- 'app/*' 'tests/*' 'bench/*' \
             'data/*' 'dev' 2>/dev/null | sort -u); do
  base=$(basename "$doc")
  if [ -e "$doc" ] || git ls-files | grep -q "/$base\$\|^$base\$" || [ -e "../shared/$base" ]; then
    :
  elif [ ! -d ../shared ] && { [ "$base" = DESIGN.md ] || [ "$base" = COMPLIANCE.md ] ||
                               [ "$base" = STYLE.md ]; }; then
    :   # a checkout without the steering documents beside it (a CI clone elsewhere)
  else
    missing="$missing $doc"
  fi
done
if [ -z "$missing" ]; then ok "every document the code cites exists"
else not_ok "every document the code cites exists"; echo "# missing:$missing"; fi

echo "1..$n"
[ "$fail" -eq 0 ]
