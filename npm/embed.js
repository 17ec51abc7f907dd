// formseal-embed: upgrades a form a portal already has, without changing its markup.
//
//   <form data-formseal="network-unit-filing" action="/api/submissions"> … </form>
//   <script type="module" src="/node_modules/formseal/embed.js"></script>
//
// Controls map to fields by `name` (`unit_name`, `principal.mobile`, `domains[0]`,
// `websites[0].domains[1]`). A field is checked when it loses focus, and again as the person types
// once it shows an error; everything is checked on submit. Errors appear the GOV.UK way: a summary
// at the top (role="alert", focused, each entry a link to its field) and a message above each field
// tied with aria-describedby and aria-invalid; warnings look different and never block. Text goes
// into the page only as text. What a person types is kept: a failed submit changes no value, and a
// draft is kept in localStorage per form until it is sent or discarded.
//
// A valid submit is sealed with the signer the portal configures (`configure({ signer })` or
// `upgrade(form, { signer })`), then a cancellable `formseal:sealed` event carries the envelope; if
// no listener cancels it, the envelope is POSTed as JSON to the form's `action` and the server's
// receipt or error is shown.
//
// Works under `Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'`:
// no inline script or style; 'wasm-unsafe-eval' is needed because browsers treat compiling
// WebAssembly like eval unless the policy allows it.
import init, { FormValidator, digestAttachment } from "./web/formseal.js";

const TEXT = {
  "zh-CN": {
    summaryTitle: "提交前请更正以下问题",
    warningsTitle: "请注意（不影响提交）",
    errorPrefix: "错误：",
    warningPrefix: "提示：",
    draftRestored: (t) => `已恢复您在 ${t} 保存的草稿。`,
    discardDraft: "丢弃草稿",
    draftDiscarded: "草稿已丢弃。",
    sealing: "正在签封并提交……",
    sent: (r) => `已提交。回执编号 ${r.id}，接收时间 ${r.received_at}。`,
    sealedOnly: "已签封。",
    refused: (e) => `服务器拒绝了提交：${e.message ?? ""}（${e.code ?? "error"}）`,
    network: (m) => `提交失败，您填写的内容都还在，请稍后重试：${m}`,
    noSigner: "无法签封：页面没有配置签名密钥。您填写的内容都还在。",
    sealFailed: (e) => `签封失败，您填写的内容都还在：${e.message}（${e.code ?? "error"}）`,
    fileReading: "正在读取附件……",
  },
  en: {
    summaryTitle: "There is a problem",
    warningsTitle: "Please note (you can still submit)",
    errorPrefix: "Error: ",
    warningPrefix: "Note: ",
    draftRestored: (t) => `Your draft saved at ${t} has been restored.`,
    discardDraft: "Discard draft",
    draftDiscarded: "The draft has been discarded.",
    sealing: "Sealing and sending…",
    sent: (r) => `Submitted. Receipt ${r.id}, received at ${r.received_at}.`,
    sealedOnly: "Sealed.",
    refused: (e) => `The server refused the submission: ${e.message ?? ""} (${e.code ?? "error"})`,
    network: (m) => `Sending failed; everything you entered is still here. Please try again: ${m}`,
    noSigner: "Cannot seal: the page has no signing key configured. Everything you entered is still here.",
    sealFailed: (e) => `Sealing failed; everything you entered is still here: ${e.message} (${e.code ?? "error"})`,
    fileReading: "Reading the attachment…",
  },
};

const defaults = {};
let ready;

/** Loads the wasm once (it sits beside this module in the package). */
export function load(wasm) {
  ready ??= init(wasm === undefined ? undefined : { module_or_path: wasm });
  return ready;
}

/** Options for every form upgraded from now on, and for those already upgraded when they submit. */
export function configure(options) {
  Object.assign(defaults, options);
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const c of children) node.append(c); // strings become text nodes, never markup
  return node;
}

/** `websites[0].domains[1]` → ["websites", 0, "domains", 1]. */
function parsePath(name) {
  const parts = [];
  for (const m of name.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) parts.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return parts;
}

/** The describe() path of a concrete path: indices become `[]`. */
const shape = (path) => path.replace(/\[\d+\]/g, "[]");

function setIn(target, parts, value) {
  let node = target;
  for (let i = 0; i < parts.length - 1; i += 1) {
    const key = parts[i];
    node[key] ??= typeof parts[i + 1] === "number" ? [] : {};
    node = node[key];
  }
  node[parts[parts.length - 1]] = value;
}

let uid = 0;

class Upgraded {
  constructor(form, validator, options) {
    this.form = form;
    this.validator = validator;
    this.options = options;
    this.locale = options.locale ?? ((document.documentElement.lang || "zh-CN").toLowerCase().startsWith("en") ? "en" : "zh-CN");
    this.text = TEXT[this.locale];
    this.fields = new Map(); // describe() path → field description
    const walk = (f) => {
      this.fields.set(f.path, f);
      for (const c of f.fields ?? []) walk(c);
      if (f.item) walk(f.item);
    };
    for (const f of validator.describe(this.locale).fields) walk(f);
    this.shown = new Map(); // control name → { control, node }
    this.attachments = new Map(); // control name → metadata or a promise of it
    this.draftKey = `formseal:draft:${validator.id}:${location.pathname}`;
    form.noValidate = true; // our messages replace the browser's bubbles; setCustomValidity stays in step
    form.classList.add("formseal");
    this.status = el("div", { class: "formseal-status", role: "status", "aria-live": "polite" });
    form.prepend(this.status);
    // A message shown on blur moves the page; if the blur came from pressing the pointer on another
    // control (the submit button, a tick-box), the click would land somewhere else. So a blur while
    // the pointer is down is checked only after the click.
    this.pending = new Set();
    this.pointerDown = false;
    document.addEventListener("pointerdown", () => { this.pointerDown = true; }, true);
    const release = () => {
      this.pointerDown = false;
      setTimeout(() => {
        for (const c of this.pending) this.check(c);
        this.pending.clear();
      }, 0);
    };
    document.addEventListener("pointerup", release, true);
    document.addEventListener("pointercancel", release, true);
    form.addEventListener("focusout", (e) => this.onLeave(e));
    form.addEventListener("input", (e) => this.onInput(e));
    form.addEventListener("change", (e) => this.onChange(e));
    form.addEventListener("submit", (e) => this.onSubmit(e));
    this.restoreDraft();
  }

  /** The controls that belong to the form definition (others, e.g. a CSRF token, are left alone). */
  controls() {
    return [...this.form.elements].filter((c) => c.name && !c.disabled && c.type !== "submit" && c.type !== "button"
      && this.fields.has(shape(c.name)));
  }

  /**
   * The form's data the way formseal reads it. A group or list item left wholly blank (an unticked
   * box counts as blank) is "not filled in", so one "required" message replaces one per sub-field.
   */
  data() {
    const [data] = prune(this.raw(), true);
    return data ?? {};
  }

  raw() {
    const data = {};
    const seen = new Set();
    for (const c of this.controls()) {
      if (seen.has(c.name)) continue;
      const desc = this.fields.get(shape(c.name));
      const value = this.valueOf(c, desc);
      if (value !== undefined) setIn(data, parsePath(c.name), value);
      if (c.type === "radio" || c.type === "checkbox") seen.add(c.name);
    }
    return data;
  }

  valueOf(control, desc) {
    const group = () => [...this.form.elements].filter((c) => c.name === control.name);
    switch (control.type) {
      case "radio":
        return group().find((c) => c.checked)?.value ?? null;
      case "checkbox":
        if (desc.kind === "boolean") return control.checked;
        return group().filter((c) => c.checked).map((c) => c.value);
      case "select-multiple":
        return [...control.selectedOptions].map((o) => o.value);
      case "file": {
        const meta = this.attachments.get(control.name);
        return meta && !(meta instanceof Promise) ? meta : null;
      }
      case "number":
        return control.value === "" ? null : (Number.isFinite(control.valueAsNumber) ? control.valueAsNumber : control.value);
      default:
        return control.value === "" ? null : control.value;
    }
  }

  /** Reads a chosen file into attachment metadata with its SHA-256 (WebCrypto) and SM3 digests. */
  async readFile(control) {
    const file = control.files?.[0];
    if (!file) {
      this.attachments.delete(control.name);
      return;
    }
    const pending = (async () => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const sha = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
      const sha256 = [...sha].map((b) => b.toString(16).padStart(2, "0")).join("");
      await load();
      const { sm3 } = digestAttachment(bytes);
      return { name: file.name, media_type: file.type || "application/octet-stream", size: file.size, sha256, sm3 };
    })();
    this.attachments.set(control.name, pending);
    this.attachments.set(control.name, await pending);
  }

  controlFor(path) {
    const controls = this.controls();
    return controls.find((c) => c.name === path)
      ?? controls.find((c) => c.name.startsWith(`${path}.`) || c.name.startsWith(`${path}[`));
  }

  /** Where a field's message goes: after a fieldset's legend for grouped controls, else before the control. */
  anchorFor(control) {
    if (control.type === "radio" || (control.type === "checkbox" && this.fields.get(shape(control.name))?.kind !== "boolean")) {
      const fieldset = control.closest("fieldset");
      if (fieldset) return { parent: fieldset, before: fieldset.querySelector("legend")?.nextSibling ?? fieldset.firstChild };
    }
    const label = control.closest("label");
    const target = label && label.contains(control) && control.type === "checkbox" ? label : control;
    return { parent: target.parentNode, before: target };
  }

  clear(name) {
    const shown = this.shown.get(name);
    if (!shown) return;
    shown.node.remove();
    for (const c of this.sameName(shown.control)) {
      const ids = (c.getAttribute("aria-describedby") ?? "").split(/\s+/).filter((id) => id && id !== shown.node.id);
      if (ids.length) c.setAttribute("aria-describedby", ids.join(" "));
      else c.removeAttribute("aria-describedby");
      c.removeAttribute("aria-invalid");
      c.setCustomValidity("");
    }
    this.shown.delete(name);
  }

  sameName(control) {
    return [...this.form.elements].filter((c) => c.name === control.name);
  }

  /** Shows the findings of one control (errors first; warnings when there is no error). */
  show(control, findings) {
    this.clear(control.name);
    const errors = findings.filter((f) => f.severity === "error");
    const list = errors.length ? errors : findings.filter((f) => f.severity === "warning");
    if (!list.length) return;
    const kind = errors.length ? "error" : "warning";
    uid += 1;
    const node = el("p", { id: `formseal-message-${uid}`, class: `formseal-message formseal-message--${kind}`, "data-codes": list.map((f) => f.code).join(" ") },
      el("span", { class: "formseal-visually-hidden" }, kind === "error" ? this.text.errorPrefix : this.text.warningPrefix),
      list.map((f) => f.message).join(" "));
    const { parent, before } = this.anchorFor(control);
    parent.insertBefore(node, before);
    for (const c of this.sameName(control)) {
      const ids = (c.getAttribute("aria-describedby") ?? "").split(/\s+/).filter(Boolean);
      c.setAttribute("aria-describedby", [...ids, node.id].join(" "));
      if (kind === "error") {
        c.setAttribute("aria-invalid", "true");
        c.setCustomValidity(list.map((f) => f.message).join(" "));
      }
    }
    this.shown.set(control.name, { control, node, kind });
  }

  check(control) {
    if (!this.fields.has(shape(control.name))) return;
    const data = this.data();
    const desc = this.fields.get(shape(control.name));
    let findings;
    try {
      findings = this.validator.validateField(control.name, this.valueOf(control, desc) ?? null, data, { locale: this.locale });
    } catch (e) {
      findings = [{ path: control.name, code: e.code ?? "error", severity: "error", message: e.message }];
    }
    this.show(control, findings.filter((f) => f.path === control.name || f.path.startsWith(`${control.name}.`) || f.path.startsWith(`${control.name}[`)));
  }

  onLeave(e) {
    const c = e.target;
    if (!c.name || c.type === "file") return;
    // A radio or checkbox group is left when focus moves outside the group.
    if ((c.type === "radio" || c.type === "checkbox") && e.relatedTarget?.name === c.name) return;
    if (this.pointerDown) this.pending.add(c);
    else this.check(c);
  }

  onInput(e) {
    const c = e.target;
    if (c.name) this.saveDraftSoon();
    if (c.name && this.shown.get(c.name)?.kind === "error") this.check(c);
  }

  async onChange(e) {
    const c = e.target;
    if (!c.name) return;
    this.saveDraftSoon();
    if (c.type === "file") {
      await this.readFile(c);
      this.check(c);
    } else if (c.type === "radio" || c.type === "checkbox" || c.tagName === "SELECT") {
      this.check(c);
    }
  }

  renderAll(report) {
    for (const name of [...this.shown.keys()]) this.clear(name);
    this.form.querySelectorAll(":scope > .formseal-summary, :scope > .formseal-warnings").forEach((n) => n.remove());
    const byControl = new Map();
    const unplaced = [];
    for (const f of report.findings) {
      if (f.severity === "info") continue;
      const control = this.controlFor(f.path);
      if (!control) {
        unplaced.push({ f });
        continue;
      }
      const key = control.name;
      if (!byControl.has(key)) byControl.set(key, { control, findings: [] });
      byControl.get(key).findings.push(f);
    }
    for (const { control, findings } of byControl.values()) this.show(control, findings);
    const entries = (severity) => [
      ...[...byControl.values()].flatMap(({ control, findings }) =>
        findings.filter((f) => f.severity === severity).map((f) => ({ f, control }))),
      ...unplaced.filter(({ f }) => f.severity === severity),
    ];
    const list = (items) => el("ul", {}, ...items.map(({ f, control }) => {
      if (!control) return el("li", { "data-path": f.path, "data-code": f.code }, f.message);
      control.id ||= `formseal-field-${(uid += 1)}`;
      const link = el("a", { href: `#${control.id}`, "data-path": f.path, "data-code": f.code }, f.message);
      link.addEventListener("click", (ev) => {
        ev.preventDefault();
        control.focus();
        control.scrollIntoView({ block: "center" });
      });
      return el("li", {}, link);
    }));
    const warnings = entries("warning");
    if (warnings.length) {
      this.status.after(el("div", { class: "formseal-warnings", role: "status" }, el("h2", {}, this.text.warningsTitle), list(warnings)));
    }
    const errors = entries("error");
    if (errors.length) {
      const summary = el("div", { class: "formseal-summary", role: "alert", tabindex: "-1" }, el("h2", {}, this.text.summaryTitle), list(errors));
      this.status.after(summary);
      summary.focus();
    }
    return errors.length === 0;
  }

  say(message, kind = "info") {
    this.status.className = `formseal-status formseal-status--${kind}`;
    this.status.replaceChildren(message);
  }

  async onSubmit(e) {
    e.preventDefault();
    await Promise.all([...this.attachments.values()]);
    const report = this.validator.validate(this.data(), { locale: this.locale });
    this.say("");
    if (!this.renderAll(report)) return;
    const signer = await resolveSigner(this.options.signer ?? defaults.signer);
    if (!signer) {
      this.say(this.text.noSigner, "error");
      return;
    }
    this.say(this.text.sealing);
    let result;
    try {
      result = await this.validator.seal(this.data(), signer, { locale: this.locale });
    } catch (err) {
      this.say(this.text.sealFailed(err), "error");
      return;
    }
    if (!result.sealed) {
      this.renderAll(result.report);
      return;
    }
    const event = new CustomEvent("formseal:sealed", { bubbles: true, cancelable: true, detail: result });
    if (!this.form.dispatchEvent(event)) {
      this.say(this.text.sealedOnly, "success");
      return;
    }
    await this.send(result.envelope);
  }

  async send(envelope) {
    let response;
    try {
      response = await fetch(this.form.action, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(envelope),
      });
    } catch (err) {
      this.say(this.text.network(err.message), "error");
      return;
    }
    const body = await response.json().catch(() => ({}));
    if (response.ok) {
      this.discardDraft(false);
      this.say(this.text.sent(body), "success");
      this.status.dataset.receipt = body.id ?? "";
      this.form.dispatchEvent(new CustomEvent("formseal:receipt", { bubbles: true, detail: body }));
    } else {
      this.say(this.text.refused(body.error ?? { code: String(response.status) }), "error");
      this.form.dispatchEvent(new CustomEvent("formseal:refused", { bubbles: true, detail: body.error ?? {} }));
    }
  }

  // Drafts: control values by name, files excepted (a browser cannot put a file back).
  saveDraftSoon() {
    clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => this.saveDraft(), 250);
  }

  saveDraft() {
    const values = {};
    for (const c of this.controls()) {
      if (c.type === "file") continue;
      if (c.type === "radio" || c.type === "checkbox") {
        values[c.name] ??= [];
        if (c.checked) values[c.name].push(c.value);
      } else if (c.type === "select-multiple") {
        values[c.name] = [...c.selectedOptions].map((o) => o.value);
      } else {
        values[c.name] = c.value;
      }
    }
    try {
      localStorage.setItem(this.draftKey, JSON.stringify({ savedAt: new Date().toISOString(), values }));
    } catch {
      // Storage full or blocked: the values are still in the form.
    }
  }

  restoreDraft() {
    let draft;
    try {
      draft = JSON.parse(localStorage.getItem(this.draftKey) ?? "null");
    } catch {
      draft = null;
    }
    if (!draft?.values) return;
    for (const c of this.controls()) {
      if (!(c.name in draft.values) || c.type === "file") continue;
      const v = draft.values[c.name];
      if (c.type === "radio" || c.type === "checkbox") c.checked = Array.isArray(v) && v.includes(c.value);
      else if (c.type === "select-multiple") for (const o of c.options) o.selected = Array.isArray(v) && v.includes(o.value);
      else if (typeof v === "string") c.value = v;
    }
    const button = el("button", { type: "button", class: "formseal-discard" }, this.text.discardDraft);
    button.addEventListener("click", () => this.discardDraft(true));
    const when = new Date(draft.savedAt).toLocaleString(this.locale);
    this.say(el("span", {}, this.text.draftRestored(when), " ", button), "info");
  }

  discardDraft(reset) {
    clearTimeout(this.draftTimer);
    try {
      localStorage.removeItem(this.draftKey);
    } catch {
      // nothing stored
    }
    if (reset) {
      this.form.reset();
      for (const name of [...this.shown.keys()]) this.clear(name);
      this.say(this.text.draftDiscarded);
    }
  }
}

/** [value with blank groups and list items as null, whether it is blank]. */
function prune(value, top = false) {
  if (value === null || value === undefined || value === "" || value === false) return [value ?? null, true];
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== "object" || v === null)) return [value, value.every((v) => v === null || v === "")];
    const items = value.map((v) => prune(v));
    return [items.map(([v, blank]) => (blank ? null : v)), items.every(([, blank]) => blank)];
  }
  if (typeof value === "object" && !("sha256" in value)) {
    const out = {};
    let blank = true;
    for (const [k, v] of Object.entries(value)) {
      const [pv, b] = prune(v);
      out[k] = pv;
      blank &&= b;
    }
    return [blank && !top ? null : out, blank];
  }
  return [value, false];
}

async function resolveSigner(signer) {
  return typeof signer === "function" ? signer() : signer;
}

/**
 * Upgrades one form. `options`: `form` (a built-in id, default the form's `data-formseal`),
 * `definition` (JSON text or object, for a form of your own), `deadlines`, `locale` (default: the
 * page's `lang`), `signer` (a private JWK, an external signer, or a function returning one).
 */
export async function upgrade(form, options = {}) {
  if (form.formseal) return form.formseal;
  await load(options.wasm ?? defaults.wasm);
  const validatorOptions = { deadlines: options.deadlines ?? defaults.deadlines };
  const validator = options.definition !== undefined
    ? FormValidator.fromDefinition(options.definition, validatorOptions)
    : FormValidator.builtin(options.form ?? form.dataset.formseal, validatorOptions);
  form.formseal = new Upgraded(form, validator, { ...options });
  form.dispatchEvent(new CustomEvent("formseal:ready", { bubbles: true, detail: form.formseal }));
  return form.formseal;
}

/** Upgrades every `form[data-formseal]` with a built-in form id in the document. */
export function upgradeAll(root = document) {
  return Promise.all([...root.querySelectorAll("form[data-formseal]")].filter((f) => f.dataset.formseal).map((f) => upgrade(f)));
}

if (typeof document !== "undefined" && !import.meta.url.includes("noauto")) {
  const start = () => upgradeAll().catch((e) => console.error("formseal:", e));
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
}
