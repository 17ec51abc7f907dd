// The native `formseal` CLI for interop tests: built once (debug, the same features as
// `make test-native`, so usually already there), run with arguments, files in a temp dir.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_DIR, run } from "./project.mjs";

let built;
const dir = mkdtempSync(join(tmpdir(), "formseal-cli-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

/** The CLI's path: $FORMSEAL_CLI, or target/debug/formseal after `cargo build`. */
export function cliPath() {
  built ??= process.env.FORMSEAL_CLI
    ? Promise.resolve(process.env.FORMSEAL_CLI)
    : run("cargo", ["build", "--quiet", "--all-features", "--bin", "formseal"], { cwd: REPO_DIR, timeout: 900_000 })
      .then(() => join(REPO_DIR, "target", "debug", "formseal"));
  return built;
}

/** Runs the CLI; resolves { stdout, stderr } on exit 0, rejects otherwise (with both). */
export async function cli(args) {
  return run(await cliPath(), args, { timeout: 60_000 });
}

let count = 0;
/** Writes `content` to a new file in the temp dir and returns its path. */
export function tempFile(name, content) {
  count += 1;
  const path = join(dir, `${count}-${name}`);
  writeFileSync(path, content);
  return path;
}
