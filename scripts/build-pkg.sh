#!/usr/bin/env bash
# Builds pkg/, the npm package `formseal`: web (ES module; `web/auto.js`, which initialises itself,
# is the default outside Node and for bundlers) and node (CommonJS) variants, each run through
# `wasm-opt -Oz` by wasm-pack (Cargo.toml's [package.metadata.wasm-pack]), then finished by
# scripts/pkg-finish.mjs. Needs wasm-pack, the pinned wasm-bindgen CLI, wasm-opt and node on PATH
# (`make tools` installs them). There is no wasm-bindgen `bundler` build: it needs
# vite-plugin-wasm in Vite and `experiments.asyncWebAssembly` in webpack 5, and fails in Node;
# `formseal/bundler` routes to the self-initialising web entry (Node: the node build). The node
# glue reads web/formseal_bg.wasm: the package holds the wasm once. Next to it the build writes
# formseal_bg.wasm.br and .gz for servers that send pre-compressed files (`formseal serve`); they
# are not in the npm tarball (package.json `files`).
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
# Pre-compressed variants (gzip and brotli keep the wasm's modification time, so a server can tell
# a stale variant from a fresh one), each checked to decompress to the wasm.
wasm=pkg/web/formseal_bg.wasm
gzip -9 -n -k -f "$wasm"
if command -v brotli >/dev/null; then
  brotli -q 11 -k -f "$wasm"
else # Node's zlib has the same brotli encoder (`make tools` installs the CLI).
  node -e 'const z = require("zlib"), fs = require("fs"), f = process.argv[1], b = fs.readFileSync(f);
    fs.writeFileSync(f + ".br", z.brotliCompressSync(b, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11, [z.constants.BROTLI_PARAM_SIZE_HINT]: b.length } }));
    const t = fs.statSync(f); fs.utimesSync(f + ".br", t.atime, t.mtime);' "$wasm"
fi
gzip -dc "$wasm.gz" | cmp -s - "$wasm" || { echo "$wasm.gz does not decompress to the wasm" >&2; exit 1; }
node -e 'const z = require("zlib"), fs = require("fs"), f = process.argv[1];
  if (!z.brotliDecompressSync(fs.readFileSync(f + ".br")).equals(fs.readFileSync(f))) process.exit(1);' "$wasm" \
  || { echo "$wasm.br does not decompress to the wasm" >&2; exit 1; }
sed "s/@VERSION@/$version/" npm/package.json > pkg/package.json
cp npm/README.md npm/embed.js npm/embed.d.ts npm/embed.css CHANGELOG.md LICENSE-MIT LICENSE-APACHE pkg/
mkdir -p pkg/embed && cp npm/embed/*.js pkg/embed/
echo "pkg/ built: formseal $version"
