#!/usr/bin/env bash
# Builds pkg/, the npm package `formseal`: web (ES module; `web/auto.js`, which initialises itself,
# is the default outside Node and for bundlers) and node (CommonJS) variants, each run through
# `wasm-opt -Oz` by wasm-pack (Cargo.toml's [package.metadata.wasm-pack]), then finished by
# scripts/pkg-finish.mjs. Needs wasm-pack, the pinned wasm-bindgen CLI, wasm-opt and node on PATH
# (`make tools` installs them). There is no wasm-bindgen `bundler` build: it needs
# vite-plugin-wasm in Vite and `experiments.asyncWebAssembly` in webpack 5, and fails in Node;
# `formseal/bundler` routes to the self-initialising web entry (Node: the node build).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
rm -rf pkg
# Size over speed for the wasm only: opt-level "z" measured 87 KB gzip smaller than 3 (see
# ARCHITECTURE.md); the native CLI keeps the release profile's opt-level 3.
export CARGO_PROFILE_RELEASE_OPT_LEVEL=z
for target in web nodejs; do
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
node scripts/pkg-finish.mjs
sed "s/@VERSION@/$version/" npm/package.json > pkg/package.json
cp npm/README.md npm/embed.js npm/embed.d.ts npm/embed.css CHANGELOG.md LICENSE-MIT LICENSE-APACHE pkg/
mkdir -p pkg/embed && cp npm/embed/*.js pkg/embed/
echo "pkg/ built: formseal $version"
