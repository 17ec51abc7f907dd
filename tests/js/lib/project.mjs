// A throwaway npm project with the built package installed from its packed tarball, the way a
// user gets it from the registry. Built once per test process; removed when the process exits.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const PKG_DIR = resolve(process.env.FORMSEAL_PKG ?? join(here, "../../../pkg"));
export const REPO_DIR = resolve(here, "../../..");
export const EXAMPLES_DIR = join(REPO_DIR, "forms/examples");

const temps = [];
process.on("exit", () => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** Runs a command; resolves { stdout, stderr }, rejects with both in the message. */
export function run(file, args, options = {}) {
  return new Promise((resolveRun, reject) => {
    execFile(
      file,
      args,
      { timeout: 120_000, maxBuffer: 64 * 1024 * 1024, encoding: "utf8", ...options },
      (error, stdout, stderr) => {
        if (error) {
          error.message += `\n--- stdout\n${stdout}\n--- stderr\n${stderr}`;
          reject(error);
        } else resolveRun({ stdout, stderr });
      },
    );
  });
}

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const quiet = ["--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"];

let project;
let tarball;

/** The temp project's directory, with `formseal` installed from `npm pack` of PKG_DIR. */
export function installedProject() {
  project ??= (async () => {
    const packDir = tempDir("formseal-pack-");
    await run(npm, ["pack", PKG_DIR, "--pack-destination", packDir, ...quiet]);
    const tarballs = readdirSync(packDir).filter((f) => f.endsWith(".tgz"));
    if (tarballs.length !== 1) throw new Error(`npm pack gave ${tarballs.join(", ") || "nothing"}`);
    tarball = join(packDir, tarballs[0]);
    const dir = tempDir("formseal-project-");
    await run(npm, ["init", "-y", ...quiet], { cwd: dir });
    await run(npm, ["install", join(packDir, tarballs[0]), ...quiet], { cwd: dir });
    return dir;
  })();
  return project;
}

/** The path of the tarball `npm pack` wrote (what a user downloads from the registry). */
export async function packedTarball() {
  await installedProject();
  return tarball;
}

/** The installed package's own directory inside the temp project. */
export async function installedPackage() {
  return join(await installedProject(), "node_modules", "formseal");
}

/**
 * Writes `source` as `name` in the temp project, runs it with `node` there and returns its
 * stdout parsed as JSON. `env` is added to the environment.
 */
export async function runScript(name, source, env = {}) {
  const dir = await installedProject();
  writeFileSync(join(dir, name), source);
  const { stdout } = await run(process.execPath, [name], {
    cwd: dir,
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return JSON.parse(stdout);
}
