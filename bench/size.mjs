// Bytes a page downloads: formseal's web build (wasm + JS glue) with and without the `seal`
// feature, against esbuild-minified bundles of the JavaScript stacks that do the same job.
// gzip -9 and brotli -q 11 through Node's zlib. Expects pkg/web (make pkg) and
// out/pkg-forms-only (the --no-default-features build, see run.sh). Writes out/size.json.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const sizes = (buf) => ({
  raw: buf.length,
  gzip: gzipSync(buf, { level: 9 }).length,
  brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length } }).length,
});
const add = (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });
const sub = (a, b) => ({ raw: a.raw - b.raw, gzip: a.gzip - b.gzip, brotli: a.brotli - b.brotli });

function pkgSizes(dir) {
  const wasm = sizes(readFileSync(join(dir, "formseal_bg.wasm")));
  const glue = sizes(readFileSync(join(dir, "formseal.js")));
  return { wasm, glue, total: add(wasm, glue) };
}

async function bundle(name, contents) {
  const result = await esbuild.build({
    stdin: { contents, resolveDir: here, loader: "js" }, bundle: true, minify: true, format: "esm",
    platform: "browser", write: false, logLevel: "error", legalComments: "none",
  });
  const text = result.outputFiles[0].contents;
  mkdirSync(join(here, "out/bundles"), { recursive: true });
  writeFileSync(join(here, `out/bundles/${name}.js`), text);
  return sizes(Buffer.from(text));
}

const full = pkgSizes(join(root, "pkg/web"));
const formsOnlyDir = join(here, "out/pkg-forms-only");
const formsOnly = existsSync(formsOnlyDir) ? pkgSizes(formsOnlyDir) : null;
const peers = {
  // The validation stacks, each with the same rules as formseal (bench/peers/*.mjs).
  "Ajv + ajv-formats + ajv-i18n (zh) + tldts": await bundle("ajv",
    'export * from "./peers/ajv.mjs"; export { parse as parseDomain } from "tldts";'),
  "Zod 4 + zh-CN locale": await bundle("zod", 'export * from "./peers/zod.mjs";'),
  "Valibot": await bundle("valibot", 'export * from "./peers/valibot.mjs";'),
  // The signing part: JWS with WebCrypto keys (Ed25519, ES256), and SM2/SM3 in JavaScript.
  "jose (FlattenedSign, flattenedVerify, importJWK)": await bundle("jose",
    'export { FlattenedSign, flattenedVerify, importJWK, exportJWK, generateKeyPair } from "jose";'),
  "sm-crypto (sm2, sm3)": await bundle("sm-crypto", 'import smc from "sm-crypto"; export const { sm2, sm3 } = smc;'),
};
const version = (p) => JSON.parse(readFileSync(join(here, "node_modules", p, "package.json"), "utf8")).version;
const result = {
  formseal: { full, formsOnly, sealAdds: formsOnly ? sub(full.total, formsOnly.total) : null },
  peers,
  versions: Object.fromEntries(["ajv", "ajv-formats", "ajv-i18n", "tldts", "zod", "valibot", "jose", "sm-crypto", "esbuild"].map((p) => [p, version(p)])),
};
writeFileSync(join(here, "out/size.json"), JSON.stringify(result, null, 1));
console.log(JSON.stringify(result, null, 1));
