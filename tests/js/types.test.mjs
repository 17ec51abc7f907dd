// Issue 13, item 3: `tsc --strict` over a file using the whole public API (types/api.ts), the
// README's example (types/readme.ts, shown in README.md as it is) and a Node server's file
// (types/node.mts, `lib: ["ES2022"]` without DOM), against the packed tarball's .d.ts files, with
// no skipLibCheck, in TypeScript 5.9 (`tsc`) and TypeScript 7 (`tsgo`, @typescript/native-preview).
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { REPO_DIR, installedProject, run } from "./lib/project.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const bin = (name) => join(here, "node_modules", ".bin", name);

describe("tsc --strict over the public API, from the packed tarball", { timeout: 300_000 }, () => {
  let dir;
  before(async () => {
    dir = await installedProject();
    cpSync(join(here, "types"), join(dir, "types"), { recursive: true });
    const spec = join(dir, "node_modules", "@standard-schema", "spec");
    mkdirSync(dirname(spec), { recursive: true });
    if (!existsSync(spec)) symlinkSync(join(here, "node_modules", "@standard-schema", "spec"), spec, "dir");
  }, { timeout: 240_000 });

  for (const [compiler, name] of [["tsc", "TypeScript 5.9"], ["tsgo", "TypeScript 7"]]) {
    for (const config of ["tsconfig.json", "tsconfig.node.json"]) {
      test(`${name}: ${config} type-checks with no errors`, { timeout: 120_000 }, async () => {
        const r = await run(bin(compiler), ["-p", join(dir, "types", config)], { cwd: dir }).catch((e) => e);
        assert.ok(!(r instanceof Error), r.message);
      });
    }
  }

  test("TypeScript 5.9 is 5.9 and tsgo is 7", async () => {
    assert.match((await run(bin("tsc"), ["--version"])).stdout, /Version 5\.9\./);
    assert.match((await run(bin("tsgo"), ["--version"])).stdout, /Version 7\./);
  });

  test("README.md shows types/readme.ts as it is", () => {
    const readme = readFileSync(join(REPO_DIR, "README.md"), "utf8");
    assert.ok(readme.includes(readFileSync(join(here, "types/readme.ts"), "utf8")), "README.md differs from tests/js/types/readme.ts");
  });
});
