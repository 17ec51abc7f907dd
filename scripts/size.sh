#!/usr/bin/env bash
# Prints the bytes a page downloads from the package (pkg/web): raw, gzip -9 and brotli -q 11.
# Run after scripts/build-pkg.sh (`make size` does both).
set -euo pipefail
cd "$(dirname "$0")/.."
printf '| file | raw | gzip -9 | brotli -q 11 |\n|---|---:|---:|---:|\n'
total_raw=0 total_gz=0 total_br=0
for f in pkg/web/formseal_bg.wasm pkg/web/formseal.js; do
  raw=$(wc -c < "$f"); gz=$(gzip -9c "$f" | wc -c); br=$(brotli -cq 11 "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz)); total_br=$((total_br + br))
  printf '| %s | %d | %d | %d |\n' "${f#pkg/}" "$raw" "$gz" "$br"
done
printf '| **total before first validation** | %d | %d | %d |\n' "$total_raw" "$total_gz" "$total_br"
