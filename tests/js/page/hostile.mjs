// tests/js/hostile.test.mjs in Chromium: the web build under lib/hostile-cases.mjs.
import init, * as api from "/formseal/formseal.js";
import { runHostile } from "/lib/hostile-cases.mjs";

const status = document.getElementById("status");
try {
  const exports = await init();
  const valid = await (await fetch("/examples/user-filing.valid.json")).json();
  window.__hostile = await runHostile(api, { valid, now: "2005-06-01T10:00:00+08:00", memory: exports.memory, subtle: crypto.subtle });
  status.textContent = `${window.__hostile.length} cases`;
  document.body.dataset.done = "ok";
} catch (e) {
  status.textContent = `${e?.name}: ${e?.message}`;
  document.body.dataset.done = "error";
}
