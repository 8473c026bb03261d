#!/usr/bin/env bash
# `npm run check:generated`: fails when a generated file no longer matches what its generator
# produces now, naming the command that refreshes it.
#   - src/intervals/openapi/types.ts: `npm run gen:types` into a temporary file, then compared.
#   - README.md's token tables: `npm run tokens -- --markdown`, each table compared with the
#     README's table of the same header row.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

bash scripts/gen-types.sh "$tmp/types.ts" >/dev/null
if ! diff -q src/intervals/openapi/types.ts "$tmp/types.ts" >/dev/null; then
  diff -u src/intervals/openapi/types.ts "$tmp/types.ts" | head -40 || true
  echo "check-generated: src/intervals/openapi/types.ts is stale; run: npm run gen:types" >&2
  status=1
fi

# tokens.ts exits 1 when an answer is over its budget (the budget test reports that); the tables
# it prints are what matters here. Each one whose header row README.md holds must match it there.
npx tsx scripts/tokens.ts --markdown >"$tmp/tokens.md" || true
if ! grep -q '^| Answer | Tokens | Budget |$' "$tmp/tokens.md"; then
  cat "$tmp/tokens.md" >&2
  echo "check-generated: npm run tokens -- --markdown printed no answer-size table" >&2
  exit 1
fi
# A table runs from its header row to the first line that is not a table row.
table() { awk -v h="$2" '$0 == h { on = 1 } on && !/^\|/ { exit } on' "$1"; }
while IFS= read -r header; do
  grep -qxF -- "$header" README.md || continue
  if ! diff -u <(table README.md "$header") <(table "$tmp/tokens.md" "$header"); then
    echo "check-generated: README.md's table \"$header\" is stale; run: npm run tokens -- --markdown, and paste it over the table" >&2
    status=1
  fi
done < <(awk 'prev !~ /^\|/ && /^\|/ { print } { prev = $0 }' "$tmp/tokens.md")
exit "$status"
