// The package's web build as a plain ES module in a page under a strict CSP. Everything goes into
// the DOM as text; <body data-done="ok|error"> tells the test it has finished.
import init, { FormValidator, checkIdentifier } from "/formseal/formseal.js";

const NOW = "2005-06-01T10:00:00+08:00";
const out = document.getElementById("out");
const status = document.getElementById("status");

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

function show(kind, report) {
  const section = el("section", undefined, { "data-kind": kind, "data-valid": report.valid });
  section.append(el("h2", `${kind}: ${report.valid ? "有效" : "无效"} — ${report.counts.errors} errors, ${report.counts.warnings} warnings`));
  const list = el("ul");
  for (const f of report.findings) {
    const item = el("li", undefined, { "data-path": f.path, "data-code": f.code, "data-severity": f.severity });
    item.append(el("code", f.path || "(form)"), ` ${f.severity} ${f.code}: `, el("span", f.message, { class: "message" }));
    if (f.basis) item.append(el("small", ` — ${f.basis.text}`, { class: "basis" }));
    list.append(item);
  }
  section.append(list);
  out.append(section);
}

try {
  await init(); // fetches formseal_bg.wasm beside formseal.js
  const form = FormValidator.builtin("network-unit-filing");
  for (const kind of ["valid", "invalid"]) {
    const response = await fetch(`/examples/network-unit-filing.${kind}.json`);
    if (!response.ok) throw new Error(`${kind} example: HTTP ${response.status}`);
    show(kind, form.validate(await response.json(), { now: NOW }));
  }
  const domain = checkIdentifier("domain", "测试.中国");
  out.append(el("p", `${domain.display} → ${domain.normalized}`, { id: "domain", "data-valid": domain.valid }));
  const typed = form.validateField("principal.mobile", "123", undefined, { now: NOW, locale: "en" });
  out.append(el("p", typed.map((f) => f.code).join(" "), { id: "field" }));
  status.textContent = "done";
  document.body.dataset.done = "ok";
} catch (e) {
  status.textContent = `${e?.name}: ${e?.code ?? ""} ${e?.message}`;
  document.body.dataset.done = "error";
}
