#!/usr/bin/env bash
# Regenerates src/ident/scripts.rs (the Script property the homograph policy reads) from Unicode's
# Scripts.txt as the `unicode-script` crate (a dev-dependency) ships it. The crate itself stays out
# of the library: see bench/results/changes.md for the wasm bytes the table saves.
set -euo pipefail
cd "$(dirname "$0")/.."
out=src/ident/scripts.rs
# The test binary needs the module to exist to compile; a table of one run is enough to bootstrap.
if [ ! -s "$out" ]; then
  cat > "$out" <<'RS'
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Script(u8);
impl Script { pub fn name(self) -> &'static str { "" } pub fn id(self) -> u8 { self.0 } pub fn from_id(id: u8) -> Option<Script> { Some(Script(id)) } }
pub const COUNT: usize = 6;
pub const LATIN: Script = Script(0); pub const HAN: Script = Script(1); pub const HIRAGANA: Script = Script(2);
pub const KATAKANA: Script = Script(3); pub const BOPOMOFO: Script = Script(4); pub const HANGUL: Script = Script(5);
pub fn script(_: char) -> Option<Script> { None }
RS
fi
cargo test --quiet --test scripts -- --ignored --exact print_table --nocapture 2>/dev/null \
  | sed -n '/^BEGIN-TABLE$/,/^END-TABLE$/p' | sed '1d;$d' > "$out.new"
[ -s "$out.new" ] || { echo "generator printed nothing" >&2; rm -f "$out.new"; exit 1; }
mv "$out.new" "$out"
cargo fmt -- "$out"
echo "wrote $out: $(grep -o 'const STARTS: \[u32; [0-9]*\]' "$out")"
