// Showing findings the GOV.UK way: a message above each field (tied with aria-describedby and
// aria-invalid, announced when it appears outside a submit), and on submit a summary at the top
// (role="alert", focused, each entry a link to its field). The summary is built in one pass, lists
// errors before warnings, and lists at most SUMMARY_LIMIT of each with the count of the rest, so it
// never hides that errors exist and never grows with the size of the form. While errors stand the
// page title starts with "错误：" / "Error: ".
//
// A whole report is written in passes, so that a form of thousands of controls is laid out once:
// (1) every message is worked out (only the page's tree and text are read, nothing that needs
// layout); (2) the messages go into the page, a message that says what it said before staying as
// it is; (3) each control's attributes are written once, only where they change; (4) the summary
// goes in; (5) focus moves to it in the next animation frame, where the browser lays the page out
// anyway, instead of forcing a synchronous layout of every control inside the submit.
import { el, on, pageLabel, prepend, removeAttr, setAttr, attr, queryAll } from "./dom.js";
import { isGrouped } from "./controls.js";
import { localMessage } from "./text.js";

/** @typedef {import("./dom.js").Control} Control */
/** @typedef {import("./controls.js").ControlIndex} ControlIndex */
/** @typedef {import("./text.js").Text} Text */
/** @typedef {import("./text.js").Locale} Locale */
/** @typedef {{ path: string, code: string, severity: string, message: string, label?: string }} Finding */
/** @typedef {{ kind: "error" | "warning", text: string, codes: string }} Wanted what a control's message says */
/** @typedef {Wanted & { node: HTMLElement, controls: Control[], invalid: boolean }} Shown a message in the page; `invalid`: its controls were marked invalid by it */

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
  const title = prefix ? `${prefix}${base}` : base;
  if (document.title !== title) document.title = title;
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
    /** @type {Map<string, Shown>} control name → message shown */
    this.shown = new Map();
    /** @type {HTMLElement[]} the summary and warnings panels */
    this.panels = [];
    this.titled = false;
    /** @type {HTMLElement | undefined} the summary that takes focus in the next frame */
    this.focusing = undefined;
    /** @type {Map<string, Element> | null | undefined} `label[for]` by id during a render (null: not looked up yet) */
    this.labelsFor = undefined;
    /** @type {Map<string, string> | undefined} the page's label of each control, during a render */
    this.pageLabels = undefined;
    // Inline messages that appear as the person moves between fields are read out from here: a
    // live region must exist before its text changes to be announced.
    this.announcer = el("div", { class: "formseal-visually-hidden formseal-announcer", "aria-live": "polite" });
    prepend(form, this.announcer);
  }

  /**
   * A finding's message with the page's label and local times. The page's label is looked up only
   * for a message that quotes the definition's label (the labels by `for` once per render, when
   * the first is needed).
   * @param {Finding} f
   * @param {string | undefined} name
   */
  message(f, name) {
    const control = name === undefined ? undefined : this.index.controlsNamed(name)[0];
    if (!control || f.path !== name || !f.label || !f.message.includes(`“${f.label}”`)) return localMessage(f, undefined, this.locale);
    let label = this.pageLabels?.get(name);
    if (label === undefined) {
      if (this.labelsFor === null) this.labelsFor = labelsByFor();
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
    for (const c of shown.controls) untie(c, shown.node.id);
    this.shown.delete(name);
  }

  clearAll() {
    for (const name of [...this.shown.keys()]) this.clear(name);
    this.removePanels();
    this.syncTitle();
  }

  removePanels() {
    for (const p of this.panels) p.remove();
    this.panels = [];
  }

  /**
   * What the message of one control says: its errors, else its warnings; undefined when none.
   * Reads the page's labels, never its layout.
   * @param {string} name
   * @param {Finding[]} findings
   * @returns {Wanted | undefined}
   */
  wanted(name, findings) {
    const errors = findings.filter((f) => f.severity === "error");
    const list = errors.length ? errors : findings.filter((f) => f.severity === "warning");
    if (!list.length) return undefined;
    return { kind: errors.length ? "error" : "warning", text: list.map((f) => this.message(f, name)).join(" "), codes: list.map((f) => f.code).join(" ") };
  }

  /**
   * Puts the message of `name` into the page: the one shown stays when it says the same, is
   * replaced in place (same id) when it says something else, else a new one goes before the
   * control. Writes no attribute. Returns whether the controls need tying to it.
   * @param {string} name
   * @param {Wanted} want
   */
  put(name, want) {
    const controls = this.index.controlsNamed(name);
    const first = controls[0];
    const old = this.shown.get(name);
    const same = old !== undefined && old.node.isConnected && old.controls.length === controls.length && old.controls.every((c, i) => c === controls[i]);
    if (same && old.kind === want.kind && old.text === want.text && old.codes === want.codes) return false;
    if (old && !same) this.clear(name);
    if (!first) return false;
    const prefix = want.kind === "error" ? this.text.errorPrefix : this.text.warningPrefix;
    const node = messageNode(same ? old.node.id : nextId("formseal-message"), want, prefix);
    if (same) {
      old.node.replaceWith(node);
    } else {
      const { parent, before } = this.anchorFor(first);
      parent?.insertBefore(node, before);
    }
    this.shown.set(name, { node, controls, kind: want.kind, text: want.text, codes: want.codes, invalid: same ? old.invalid : false });
    return true;
  }

  /**
   * Shows the findings of one control (errors; warnings when there is no error).
   * @param {string} name
   * @param {Finding[]} findings
   * @param {{ announce?: boolean }} [options]
   */
  show(name, findings, { announce = false } = {}) {
    const before = this.shown.get(name)?.node.textContent;
    const want = this.index.controlsNamed(name).length ? this.wanted(name, findings) : undefined;
    if (!want) this.clear(name);
    else if (this.put(name, want)) this.tieControls(name);
    const node = this.shown.get(name)?.node;
    if (announce && node && before !== node.textContent) this.announcer.textContent = node.textContent ?? "";
    this.syncTitle();
  }

  /**
   * Ties a shown message to its controls: aria-describedby, aria-invalid and setCustomValidity,
   * each written only when it changes.
   * @param {string} name
   */
  tieControls(name) {
    const shown = this.shown.get(name);
    if (!shown) return;
    const { id } = shown.node;
    for (const c of shown.controls) {
      const now = attr(c, "aria-describedby");
      // Most controls describe nothing else yet: the ids are split and joined only when there are some.
      const described = now === null || now === "" || now === id ? id : [...now.split(/\s+/).filter((x) => x && x !== id), id].join(" ");
      if (now !== described) setAttr(c, "aria-describedby", described);
      if (shown.kind === "error") {
        if (attr(c, "aria-invalid") !== "true") setAttr(c, "aria-invalid", "true");
        c.setCustomValidity(shown.text);
      } else if (shown.invalid) {
        // An error became a warning: the marks the error made go.
        removeAttr(c, "aria-invalid");
        c.setCustomValidity("");
      }
    }
    shown.invalid = shown.kind === "error";
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
    // (1) What each message says, with the page's labels looked up at most once for the whole report.
    this.labelsFor = null;
    this.pageLabels = new Map();
    /** @type {[string, Wanted][]} */
    const wanted = [];
    for (const [name, list] of byName) {
      const want = this.index.controlsNamed(name).length ? this.wanted(name, list) : undefined;
      if (want) wanted.push([name, want]);
    }
    const errorCount = Math.max(errors.length, (report.counts?.errors ?? 0) - dropped + extra.length);
    const warningCount = Math.max(warnings.length, report.counts?.warnings ?? 0);
    const valid = errorCount === 0 && report.valid !== false;
    // The panels are built off the page, in order: errors first, then warnings.
    /** @type {HTMLElement[]} */
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
    this.labelsFor = undefined;
    this.pageLabels = undefined;
    // (2) The messages into the page: those that no longer apply out, the others in or replaced.
    // The control index need not look at these writes: they add and remove no control.
    this.index.unobserved(() => {
      const keep = new Set(wanted.map(([name]) => name));
      for (const name of [...this.shown.keys()]) if (!keep.has(name)) this.clear(name);
      this.removePanels();
      /** @type {string[]} */
      const tie = [];
      for (const [name, want] of wanted) if (this.put(name, want)) tie.push(name);
      // (3) The controls' attributes, once each.
      for (const name of tie) this.tieControls(name);
      // (4) The panels, in one insertion.
      this.after.after(...panels);
      this.panels = panels;
    });
    this.syncTitle(!valid);
    // (5) Focus, once the page is laid out.
    if (!valid && panels[0]) this.focusSoon(panels[0]);
    return valid;
  }

  /**
   * Moves focus to the summary in the next animation frame and, unless its heading is already in
   * the upper part of the view, scrolls it to the top of the view (focus() would centre a summary
   * taller than the view, cutting its heading off). Focusing an element makes the browser lay the
   * page out first; inside the submit that is a synchronous layout of every control, in the frame
   * it is the layout the frame does anyway (and reading the summary's place after it costs
   * nothing more). Focus is not taken if it moved elsewhere in between or the summary is gone.
   * @param {HTMLElement} panel
   */
  focusSoon(panel) {
    const from = document.activeElement;
    this.focusing = panel;
    requestAnimationFrame(() => {
      if (this.focusing !== panel) return;
      this.focusing = undefined;
      if (this.signal.aborted || !panel.isConnected || !this.panels.includes(panel) || document.activeElement !== from) return;
      panel.focus({ preventScroll: true });
      const { top, bottom } = panel.getBoundingClientRect();
      const view = document.documentElement.clientHeight || innerHeight;
      const headingInView = top >= 0 && top <= view / 3;
      const cutOff = bottom > view && bottom - top <= view; // it would fit, but its end is below the view
      if (!headingInView || cutOff) panel.scrollIntoView({ block: "start" });
    });
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

/**
 * Unties a control from a message that is gone: its id out of aria-describedby, no aria-invalid,
 * no custom validity.
 * @param {Control} c
 * @param {string} id
 */
function untie(c, id) {
  const ids = (attr(c, "aria-describedby") ?? "").split(/\s+/).filter((x) => x && x !== id);
  if (ids.length) setAttr(c, "aria-describedby", ids.join(" "));
  else removeAttr(c, "aria-describedby");
  removeAttr(c, "aria-invalid");
  c.setCustomValidity("");
}

/** `label[for]` elements by their `for`, the first of each in the document. @returns {Map<string, Element>} */
function labelsByFor() {
  /** @type {Map<string, Element>} */
  const byFor = new Map();
  // A static list: a live collection would have to be invalidated by each message put in after.
  for (const l of document.querySelectorAll("label[for]")) {
    const id = /** @type {HTMLLabelElement} */ (l).htmlFor;
    if (id && !byFor.has(id)) byFor.set(id, l);
  }
  return byFor;
}

/**
 * A field's message: `<p id class data-codes><span class="formseal-visually-hidden">prefix</span>text</p>`,
 * text as text (what el() makes, with fewer calls: a report can make a thousand).
 * @param {string} id
 * @param {Wanted} want
 * @param {string} prefix
 */
function messageNode(id, want, prefix) {
  // A copy of one made once per kind and prefix: one native call instead of building the two
  // elements call by call (a report of a thousand errors makes a thousand).
  const key = `${want.kind} ${prefix}`;
  let template = messageTemplates.get(key);
  if (!template) {
    template = document.createElement("p");
    template.className = `formseal-message formseal-message--${want.kind}`;
    const hidden = document.createElement("span");
    hidden.className = "formseal-visually-hidden";
    hidden.textContent = prefix;
    template.append(hidden);
    messageTemplates.set(key, template);
  }
  const node = /** @type {HTMLElement} */ (template.cloneNode(true));
  node.id = id;
  setAttr(node, "data-codes", want.codes);
  node.append(want.text);
  return node;
}

/** A field's message without its id, codes and text, by kind and prefix. @type {Map<string, HTMLElement>} */
const messageTemplates = new Map();
