#!/usr/bin/env bash
# Builds pkg/, the npm package `formseal`: web (ES module, the default outside Node), bundler and
# node (CommonJS) variants, each run through `wasm-opt -Oz` by wasm-pack (Cargo.toml's
# [package.metadata.wasm-pack]). Needs wasm-pack, the pinned wasm-bindgen CLI and wasm-opt on PATH
# (`make tools` installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
rm -rf pkg
# Size over speed for the wasm only: opt-level "z" measured 87 KB gzip smaller than 3 (see
# ARCHITECTURE.md); the native CLI keeps the release profile's opt-level 3.
export CARGO_PROFILE_RELEASE_OPT_LEVEL=z
for target in web bundler nodejs; do
  out=pkg/${target/nodejs/node}
  wasm-pack --quiet build --release --target "$target" --out-dir "$out" --out-name formseal --no-pack
  rm -f "$out/.gitignore"
done
# The node variant is CommonJS inside a "type": "module" package.
printf '{ "type": "commonjs" }\n' > pkg/node/package.json
# wasm-bindgen types its low-level init exports with `any`; nothing public should be `any`.
for f in pkg/*/formseal.d.ts pkg/*/formseal_bg.wasm.d.ts; do
  sed -i -E 's/: any\b/: unknown/g; s/=> any\b/=> unknown/g; s/\(any\)/(unknown)/g' "$f"
done
sed "s/@VERSION@/$version/" npm/package.json > pkg/package.json
cp npm/README.md npm/embed.js npm/embed.d.ts npm/embed.css LICENSE-MIT LICENSE-APACHE pkg/
mkdir -p pkg/embed && cp npm/embed/*.js pkg/embed/
echo "pkg/ built: formseal $version"
