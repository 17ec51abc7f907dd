// A tiny static server for the browser test: `/` → tests/js/page/, `/formseal/` → the installed
// package's web/ folder, `/examples/` → forms/examples/. Every response carries a strict
// Content-Security-Policy; `?csp=no-wasm` on the page swaps in one without 'wasm-unsafe-eval'
// (the negative control).
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join, normalize, sep, extname } from "node:path";

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
export const CSP_NO_WASM = "default-src 'self'; script-src 'self'";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
};

/** Starts the server on 127.0.0.1 and an ephemeral port. `mounts`: URL prefix → directory. */
export function startServer(mounts) {
  const prefixes = Object.entries(mounts).sort((a, b) => b[0].length - a[0].length);
  const served = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://localhost");
    const csp = url.searchParams.get("csp") === "no-wasm" ? CSP_NO_WASM : CSP;
    const headers = { "Content-Security-Policy": csp, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };
    let pathname = decodeURIComponent(url.pathname);
    if (pathname.endsWith("/")) pathname += "index.html";
    const mount = prefixes.find(([prefix]) => pathname.startsWith(prefix));
    const type = TYPES[extname(pathname)];
    if (req.method !== "GET" || !mount || !type) {
      res.writeHead(404, headers).end("not found");
      served.push({ path: url.pathname, status: 404 });
      return;
    }
    const [prefix, dir] = mount;
    const file = normalize(join(dir, pathname.slice(prefix.length)));
    if (!file.startsWith(normalize(dir) + sep)) {
      res.writeHead(403, headers).end("forbidden");
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { ...headers, "Content-Type": type, "Content-Length": body.length }).end(body);
      served.push({ path: url.pathname, status: 200, type });
    } catch {
      res.writeHead(404, headers).end("not found");
      served.push({ path: url.pathname, status: 404 });
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        served,
        close: () => new Promise((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}
