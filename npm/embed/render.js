// Showing findings the GOV.UK way: a message above each field (tied with aria-describedby and
// aria-invalid, announced when it appears outside a submit), and on submit a summary at the top
// (role="alert", focused, each entry a link to its field). The summary is built in one pass, lists
// errors before warnings, and lists at most SUMMARY_LIMIT of each with the count of the rest, so it
// never hides that errors exist and never grows with the size of the form. While errors stand the
// page title starts with "错误：" / "Error: ".
import { el, on, pageLabel, prepend, removeAttr, setAttr, attr, queryAll } from "./dom.js";
import { isGrouped } from "./controls.js";
import { localMessage } from "./text.js";

/** @typedef {import("./dom.js").Control} Control */
/** @typedef {import("./controls.js").ControlIndex} ControlIndex */
/** @typedef {import("./text.js").Text} Text */
/** @typedef {import("./text.js").Locale} Locale */
/** @typedef {{ path: string, code: string, severity: string, message: string, label?: string }} Finding */

/** How many errors (and how many warnings) the summary lists; the rest are counted. */
export const SUMMARY_LIMIT = 50;

let uid = 0;
const nextId = (/** @type {string} */ prefix) => `${prefix}-${(uid += 1)}`;

/** Forms with errors standing, for the page title. @type {Set<Messages>} */
const standing = new Set();
/** @type {string | undefined} */
let untitled;

function updateTitle() {
  const prefix = [...standing][0]?.text.titlePrefix;
  if (untitled === undefined) untitled = document.title;
  const base = untitled;
  document.title = prefix ? `${prefix}${base}` : base;
  if (!prefix) untitled = undefined;
}

export class Messages {
  /**
   * @param {HTMLFormElement} form
   * @param {ControlIndex} index
   * @param {Text} text
   * @param {Locale} locale
   * @param {HTMLElement} after the node the summary goes after (the status line)
   * @param {AbortSignal} signal
   */
  constructor(form, index, text, locale, after, signal) {
    this.form = form;
    this.index = index;
    this.text = text;
    this.locale = locale;
    this.after = after;
    this.signal = signal;
    /** @type {Map<string, { node: HTMLElement, kind: "error" | "warning", controls: Control[] }>} control name → message shown */
    this.shown = new Map();
    /** @type {HTMLElement[]} the summary and warnings panels */
    this.panels = [];
    this.titled = false;
    this.rendering = false;
    /** @type {string[]} messages shown during a render, tied to their controls at its end */
    this.tie = [];
    /** @type {Map<string, Element> | undefined} */
    this.labelsFor = undefined;
    /** @type {Map<string, string> | undefined} the page's label of each control, during a render */
    this.pageLabels = undefined;
    // Inline messages that appear as the person moves between fields are read out from here: a
    // live region must exist before its text changes to be announced.
    this.announcer = el("div", { class: "formseal-visually-hidden formseal-announcer", "aria-live": "polite" });
    prepend(form, this.announcer);
  }

  /** A finding's message with the page's label and local times. @param {Finding} f @param {string | undefined} name */
  message(f, name) {
    const control = name === undefined ? undefined : this.index.controlsNamed(name)[0];
    if (!control || f.path !== name || !f.label) return localMessage(f, undefined, this.locale);
    let label = this.pageLabels?.get(name);
    if (label === undefined) {
      label = pageLabel(control, isGrouped(control, this.index.fieldOf(name)), this.labelsFor) ?? "";
      this.pageLabels?.set(name, label);
    }
    return localMessage(f, label || undefined, this.locale);
  }

  /** Where a field's message goes: after a fieldset's legend for a group, else before the control (or the label around it). @param {Control} control */
  anchorFor(control) {
    if (isGrouped(control, this.index.fieldOf(control.name))) {
      const fieldset = control.closest("fieldset");
      if (fieldset) {
        const legend = fieldset.querySelector(":scope > legend");
        return { parent: fieldset, before: legend ? legend.nextSibling : fieldset.firstChild };
      }
    }
    // Never inside a <label>: the message would become part of the control's accessible name.
    let target = /** @type {Element} */ (control);
    for (let l = control.closest("label"); l; l = l.parentElement?.closest("label") ?? null) target = l;
    return { parent: target.parentNode, before: target };
  }

  /** @param {string} name */
  clear(name) {
    const shown = this.shown.get(name);
    if (!shown) return;
    shown.node.remove();
    for (const c of shown.controls) {
      const ids = (attr(c, "aria-describedby") ?? "").split(/\s+/).filter((id) => id && id !== shown.node.id);
      if (ids.length) setAttr(c, "aria-describedby", ids.join(" "));
      else removeAttr(c, "aria-describedby");
      removeAttr(c, "aria-invalid");
      c.setCustomValidity("");
    }
    this.shown.delete(name);
  }

  clearAll() {
    for (const name of [...this.shown.keys()]) this.clear(name);
    for (const p of this.panels) p.remove();
    this.panels = [];
    this.syncTitle();
  }

  /**
   * Shows the findings of one control (errors; warnings when there is no error).
   * @param {string} name
   * @param {Finding[]} findings
   * @param {{ announce?: boolean }} [options]
   */
  show(name, findings, { announce = false } = {}) {
    const before = this.shown.get(name);
    this.clear(name);
    const controls = this.index.controlsNamed(name);
    const first = controls[0];
    if (!first) return;
    const errors = findings.filter((f) => f.severity === "error");
    const list = errors.length ? errors : findings.filter((f) => f.severity === "warning");
    if (!list.length) {
      if (!this.rendering) this.syncTitle();
      return;
    }
    const kind = errors.length ? "error" : "warning";
    const text = list.map((f) => this.message(f, name)).join(" ");
    const prefix = kind === "error" ? this.text.errorPrefix : this.text.warningPrefix;
    const node = el("p", { id: nextId("formseal-message"), class: `formseal-message formseal-message--${kind}`, "data-codes": list.map((f) => f.code).join(" ") },
      el("span", { class: "formseal-visually-hidden" }, prefix), text);
    const { parent, before: ref } = this.anchorFor(first);
    parent?.insertBefore(node, ref);
    this.shown.set(name, { node, kind, controls });
    // While a whole report renders, the controls' attributes are set after every message is in
    // place (one pass of writes, not a write between each insertion).
    if (this.rendering) this.tie.push(name);
    else this.tieControls(name, text);
    if (announce && (before?.node.textContent !== node.textContent)) this.announcer.textContent = `${prefix}${text}`;
    if (!this.rendering) this.syncTitle();
  }

  /** Ties a shown message to its controls: aria-describedby, aria-invalid, setCustomValidity. @param {string} name @param {string} [text] */
  tieControls(name, text) {
    const shown = this.shown.get(name);
    if (!shown) return;
    const message = text ?? shown.node.lastChild?.textContent ?? "";
    for (const c of shown.controls) {
      const ids = (attr(c, "aria-describedby") ?? "").split(/\s+/).filter(Boolean);
      setAttr(c, "aria-describedby", [...ids, shown.node.id].join(" "));
      if (shown.kind === "error") {
        setAttr(c, "aria-invalid", "true");
        c.setCustomValidity(message);
      }
    }
  }

  /** Whether the control shows an error. @param {string} name */
  hasError(name) {
    return this.shown.get(name)?.kind === "error";
  }

  /**
   * Renders a whole report: every field's message, then the summary. Returns whether it holds no error.
   * @param {{ valid?: boolean, findings: Finding[], counts?: { errors?: number, warnings?: number } }} report
   * @param {Finding[]} [extra] findings the embed adds (unreadable values)
   */
  render(report, extra = []) {
    this.clearAll();
    /** @type {Map<string, Finding[]>} */
    const byName = new Map();
    /** @type {{ f: Finding, name?: string }[]} */
    const errors = [];
    /** @type {{ f: Finding, name?: string }[]} */
    const warnings = [];
    // A value the module could not take was checked as empty: its "required" is not the point.
    const replaced = new Set(extra.map((f) => f.path));
    const dropped = replaced.size ? report.findings.filter((f) => f.severity === "error" && replaced.has(f.path)).length : 0;
    const findings = replaced.size ? [...extra, ...report.findings.filter((f) => !replaced.has(f.path))] : report.findings;
    this.rendering = true;
    /** @type {Map<string, Element> | undefined} labels by their `for`, looked up once for the whole report */
    this.labelsFor = new Map();
    this.pageLabels = new Map();
    for (const l of document.querySelectorAll("label[for]")) {
      const id = attr(l, "for");
      if (id && !this.labelsFor.has(id)) this.labelsFor.set(id, l);
    }
    for (const f of findings) {
      if (f.severity !== "error" && f.severity !== "warning") continue;
      const name = this.index.nameFor(f.path);
      if (name !== undefined) {
        const list = byName.get(name);
        if (list) list.push(f);
        else byName.set(name, [f]);
      }
      (f.severity === "error" ? errors : warnings).push({ f, name });
    }
    this.tie = [];
    for (const [name, list] of byName) this.show(name, list);
    for (const name of this.tie) this.tieControls(name);
    this.tie = [];
    this.rendering = false;
    const errorCount = Math.max(errors.length, (report.counts?.errors ?? 0) - dropped + extra.length);
    const warningCount = Math.max(warnings.length, report.counts?.warnings ?? 0);
    const valid = errorCount === 0 && report.valid !== false;
    // Built in order, inserted once: errors first, then warnings.
    const panels = [];
    if (!valid) {
      const summary = el("div", { class: "formseal-summary", role: "alert", tabindex: "-1" }, el("h2", {}, this.text.summaryTitle),
        this.list(errors, errorCount, this.text.moreErrors));
      if (errors.length === 0) summary.append(el("p", {}, this.text.errorsWithoutPlace(errorCount)));
      panels.push(summary);
    }
    if (warnings.length) {
      panels.push(el("div", { class: "formseal-warnings", role: "status" }, el("h2", {}, this.text.warningsTitle),
        this.list(warnings, warningCount, this.text.moreWarnings)));
    }
    this.after.after(...panels);
    this.panels = panels;
    this.labelsFor = undefined;
    this.pageLabels = undefined;
    this.syncTitle(!valid);
    if (!valid) panels[0]?.focus();
    return valid;
  }

  /**
   * @param {{ f: Finding, name?: string }[]} items
   * @param {number} total
   * @param {(n: number) => string} more
   */
  list(items, total, more) {
    const ul = el("ul");
    for (const { f, name } of items.slice(0, SUMMARY_LIMIT)) {
      const control = name === undefined ? undefined : this.index.controlsNamed(name)[0];
      const text = this.message(f, name);
      if (!control) {
        ul.append(el("li", { "data-path": f.path, "data-code": f.code }, text));
        continue;
      }
      control.id ||= nextId("formseal-field");
      ul.append(el("li", {}, el("a", { href: `#${control.id}`, "data-path": f.path, "data-code": f.code }, text)));
    }
    if (total > SUMMARY_LIMIT) ul.append(el("li", { class: "formseal-more", "data-more": String(total - Math.min(items.length, SUMMARY_LIMIT)) }, more(total - Math.min(items.length, SUMMARY_LIMIT))));
    on(ul, "click", (/** @type {MouseEvent} */ ev) => {
      const link = ev.target instanceof Element ? ev.target.closest("a[href^='#']") : null;
      if (!link) return;
      const target = document.getElementById(decodeURIComponent((attr(link, "href") ?? "").slice(1)));
      if (!target) return;
      ev.preventDefault();
      target.focus();
      target.scrollIntoView({ block: "center" });
    }, this.signal);
    return ul;
  }

  /** Keeps the title prefix while errors stand. @param {boolean} [submitted] a submit just found errors */
  syncTitle(submitted = false) {
    const errors = submitted || (this.titled && [...this.shown.values()].some((s) => s.kind === "error"));
    this.titled = errors;
    if (errors) standing.add(this);
    else standing.delete(this);
    updateTitle();
  }

  /** Removes everything it added. */
  destroy() {
    this.clearAll();
    standing.delete(this);
    updateTitle();
    this.announcer.remove();
    for (const n of queryAll(this.form, ".formseal-message")) n.remove();
  }
}
