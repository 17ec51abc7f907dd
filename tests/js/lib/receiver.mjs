// The reference receiver (`formseal serve`, the real binary, its SQLite store in a temp dir)
// serving www/ and pkg/, and the Chromium launch options, for the browser tests of the portal and
// the embed.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PKG_DIR, REPO_DIR } from "./project.mjs";
import { cliPath } from "./cli.mjs";

export const LAUNCH = {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
  timeout: 60_000,
};

/** Starts `formseal serve` on a free port with a fresh data dir; resolves { url, stop }. */
export async function startReceiver() {
  const data = mkdtempSync(join(tmpdir(), "formseal-receiver-"));
  const child = spawn(await cliPath(), ["serve", "--addr", "127.0.0.1:0", "--data", data, "--www", join(REPO_DIR, "www"), "--pkg", PKG_DIR], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`receiver did not start: ${stderr}`)), 30_000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`receiver exited ${code}: ${stderr}`)));
  });
  return {
    url,
    stop: () => {
      child.kill("SIGTERM");
      rmSync(data, { recursive: true, force: true });
    },
  };
}
