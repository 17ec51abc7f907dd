#!/usr/bin/env bash
# Regenerates src/ident/confusables.rs (Cyrillic/Greek letters that look like ASCII) from Unicode's
# confusables data as the `unicode-security` crate (a dev-dependency) ships it. The crate itself
# stays out of the library: see SECURITY.md, "Look-alike domains", for the wasm bytes it would cost.
set -euo pipefail
cd "$(dirname "$0")/.."
out=src/ident/confusables.rs
# The test binary needs the module to exist to compile; an empty table is enough to bootstrap.
if [ ! -s "$out" ]; then
  printf 'pub const LATIN_LOOKALIKES: &[(char, &str)] = &[];\npub fn latin_lookalike(_: char) -> Option<&'"'"'static str> { None }\n' > "$out"
fi
cargo test --quiet --test confusables -- --ignored --exact print_table --nocapture 2>/dev/null \
  | sed -n '/^BEGIN-TABLE$/,/^END-TABLE$/p' | sed '1d;$d' > "$out.new"
[ -s "$out.new" ] || { echo "generator printed nothing" >&2; rm -f "$out.new"; exit 1; }
mv "$out.new" "$out"
cargo fmt -- "$out"
echo "wrote $out: $(grep -c "^    ('" "$out") rows"
