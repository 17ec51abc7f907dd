// One upgraded form: wires the concerns together (controls.js reads the form, render.js shows
// findings, drafts.js keeps drafts, submit.js files) and tears down all it set up on destroy():
// every listener is registered with one AbortController, every node it added is removed, every
// attribute it changed is put back.
import { attr, el, formNoValidate, on, onAbort, prepend, queryAll, removeAttr, resetForm, setAttr, setFormNoValidate } from "./dom.js";
import { ControlIndex } from "./controls.js";
import { Messages } from "./render.js";
import { DEFAULT_MAX_AGE, Drafts } from "./drafts.js";
import { Submission, readable, unreadable } from "./submit.js";
import { TEXT, pageLocale } from "./text.js";

/** @typedef {import("./dom.js").Control} Control */
/** @typedef {import("./text.js").Locale} Locale */
/** @typedef {import("./controls.js").FieldDescription} FieldDescription */
/** @typedef {import("../web/formseal.js").FormValidator} FormValidator */
/** @typedef {"loading" | "ready" | "failed" | "sent" | "destroyed"} State */

let forms = 0;
/** How long typing pauses before a field in error is checked again. */
export const RECHECK_MS = 150;
/** The longest the check that warms the module up waits for the page to be idle. */
const WARM_UP_WITHIN_MS = 2000;

export class FormsealForm {
  /**
   * Holds the form at once (before the module loads); `start()` finishes the upgrade.
   * @param {HTMLFormElement} form
   * @param {Record<string, any>} options
   * @param {Record<string, any>} defaults
   */
  constructor(form, options, defaults) {
    this.form = form;
    this.options = options;
    this.defaults = defaults;
    this.abort = new AbortController();
    const { signal } = this.abort;
    this.uid = `formseal-${(forms += 1)}`;
    /** @type {Locale} */
    this.locale = options.locale === "en" || options.locale === "zh-CN" ? options.locale : pageLocale();
    this.text = TEXT[this.locale];
    /** @type {State} */
    this.state = "loading";
    /** @type {FormValidator | undefined} */
    this.validator = undefined;
    /** @type {Drafts | undefined} */
    this.drafts = undefined;
    this.restoreAttrs = { noValidate: formNoValidate(form), busy: attr(form, "aria-busy") };
    setFormNoValidate(form, true); // our messages replace the browser's bubbles; setCustomValidity stays in step
    setAttr(form, "data-formseal-state", "loading");
    this.status = el("div", { class: "formseal-status", role: "status", "aria-live": "polite" });
    prepend(form, this.status);
    this.index = new ControlIndex(form, new Map(), signal);
    this.messages = new Messages(form, this.index, this.text, this.locale, this.status, signal);
    this.submission = new Submission(this);
    this.submission.busy(true);
    /** Controls the person has typed in or changed: only those are checked when left. @type {Set<string>} */
    this.edited = new Set();
    // A message shown on blur moves the page; if the blur came from pressing the pointer on another
    // control (the submit button, a tick-box), the click would land somewhere else. So a blur while
    // the pointer is down is checked only after the click.
    /** @type {Set<string>} */
    this.pending = new Set();
    this.pointerDown = false;
    this.typedEarly = false;
    /** @type {Set<string>} fields in error typed in since their last check */
    this.rechecks = new Set();
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.recheckTimer = undefined;
    onAbort(signal, () => clearTimeout(this.recheckTimer));
    on(document, "pointerdown", () => { this.pointerDown = true; }, signal, true);
    const release = () => {
      this.pointerDown = false;
      setTimeout(() => {
        if (signal.aborted) return;
        for (const name of this.pending) this.check(name, true);
        this.pending.clear();
      }, 0);
    };
    on(document, "pointerup", release, signal, true);
    on(document, "pointercancel", release, signal, true);
    on(form, "submit", (e) => this.submission.onSubmit(e), signal);
    on(form, "focusout", (e) => this.onLeave(e), signal);
    on(form, "input", (e) => this.onInput(e), signal);
    on(form, "change", (e) => this.onChange(e), signal);
  }

  /**
   * Loads the module and compiles the form; then restores a draft and carries out a held submit.
   * @param {() => Promise<unknown>} load
   * @param {(options: Record<string, any>) => FormValidator} compile
   * @param {(bytes: Uint8Array) => { sm3: string }} digest
   */
  async start(load, compile, digest) {
    const { signal } = this.abort;
    this.digest = digest;
    this.say(this.text.loading, "info");
    try {
      await load();
      if (signal.aborted) return this;
      this.validator = compile({ ...this.defaults, ...this.options });
      /** @type {Map<string, FieldDescription>} */
      const fields = new Map();
      /** @param {FieldDescription} f */
      const walk = (f) => {
        fields.set(f.path, f);
        for (const c of f.fields ?? []) walk(c);
        if (f.item) walk(f.item);
      };
      for (const f of this.validator.describe(this.locale).fields) walk(/** @type {FieldDescription} */ (f));
      this.index.fields = fields;
      this.index.stale = true;
    } catch (err) {
      if (signal.aborted) return this;
      this.state = "failed";
      setAttr(this.form, "data-formseal-state", "failed");
      this.submission.busy(false);
      this.say(this.text.loadFailed, "error");
      throw err;
    }
    this.state = "ready";
    setAttr(this.form, "data-formseal-state", "ready");
    this.submission.busy(false);
    this.say("");
    const storage = this.options.drafts ?? this.defaults.drafts ?? "session";
    this.drafts = new Drafts({
      key: this.draftKey(), storage: storage === "local" || storage === "session" ? storage : false,
      maxAge: Number(this.options.draftMaxAge ?? this.defaults.draftMaxAge ?? DEFAULT_MAX_AGE) || DEFAULT_MAX_AGE,
      index: this.index, text: this.text, locale: this.locale, say: (m, k) => this.say(m, k),
      button: (label, onClick) => {
        const b = el("button", { type: "button", class: "formseal-discard" }, label);
        on(b, "click", onClick, signal);
        return b;
      },
      active: () => this.state === "ready", signal,
    });
    this.drafts.onDiscard = () => this.discardDraft(true);
    // A draft comes back only into a form nobody has typed in while the module loaded.
    if (!this.typedEarly) this.drafts.restore();
    for (const [name, controls] of this.index.entries()) {
      const c = controls[0];
      if (c instanceof HTMLInputElement && c.type === "file" && c.files?.length) void this.index.readFile(c, digest);
      else if (c && (c.type === "radio" || c.type === "checkbox" ? controls.some((x) => x instanceof HTMLInputElement && x.checked) : c.value !== "")) this.edited.add(name);
    }
    if (this.submission.held) {
      this.submission.held = false;
      void this.submission.run();
    } else {
      this.warmUpWhenIdle();
    }
    return this;
  }

  /**
   * Checks the whole form once, showing nothing, the next time the page is idle. The first
   * whole-form check in a page runs the module's code before the browser has optimised it (V8
   * compiles WebAssembly lazily and moves hot functions to its optimising compiler only once they
   * have run a while), and the embed's own reading of the form before the JIT has compiled it: on a
   * form of 5,000 controls the module's validate() took 55-130 ms the first time and about 30 ms
   * after. Done while the page is idle, a submit does not pay for it; a submit that comes first
   * is not held for it (and makes it unneeded).
   */
  warmUpWhenIdle() {
    const { signal } = this.abort;
    const warmUp = () => {
      const validator = this.validator;
      if (signal.aborted || this.state !== "ready" || this.submission.inFlight || this.submission.checked || !validator) return;
      try {
        validator.validate(readable(this).data, { locale: this.locale });
      } catch {
        // Only a warm-up: a submit says what is wrong.
      }
    };
    if (typeof requestIdleCallback === "function") {
      const id = requestIdleCallback(warmUp, { timeout: WARM_UP_WITHIN_MS });
      onAbort(signal, () => cancelIdleCallback(id));
    } else {
      const id = setTimeout(warmUp, 0);
      onAbort(signal, () => clearTimeout(id));
    }
  }


  /** Per form and page: the form's `id` attribute, else its place among forms of the same id. */
  draftKey() {
    const id = this.validator?.id ?? "";
    const own = attr(this.form, "id");
    let slot = own ? `#${own}` : "0";
    if (!own) {
      const same = [...document.querySelectorAll("form")].filter((f) => attr(f, "data-formseal") === attr(this.form, "data-formseal") && !attr(f, "id"));
      slot = String(Math.max(0, same.indexOf(this.form)));
    }
    return `formseal:draft:${id}:${location.pathname}:${slot}`;
  }

  /** @param {string | Node} message @param {string} [kind] */
  say(message, kind = "info") {
    this.status.className = `formseal-status formseal-status--${kind}`;
    this.status.replaceChildren(message);
  }

  /** The form's data the way formseal reads it. */
  data() {
    return this.index.data();
  }

  /** The data with the values the module cannot take left out (they are reported by `unreadable`). */
  checkableData() {
    return readable(this).data;
  }

  /** Checks one control's field and shows what it finds. @param {string} name @param {boolean} [announce] */
  check(name, announce = false) {
    const validator = this.validator;
    if (!validator || this.state !== "ready" || !this.index.fieldOf(name)) return;
    const problems = unreadable(this, [name]);
    if (problems.length) {
      this.messages.show(name, problems, { announce });
      return;
    }
    let findings;
    try {
      findings = validator.validateField(name, /** @type {any} */ (this.index.valueOf(name) ?? null), this.checkableData(), { locale: this.locale });
    } catch (err) {
      const code = typeof err === "object" && err !== null && "code" in err ? String(err.code) : "error";
      findings = [{ path: name, code, severity: "error", message: this.text.unexpected(code) }];
    }
    this.messages.show(name, findings.filter((f) => f.path === name || f.path.startsWith(`${name}.`) || f.path.startsWith(`${name}[`)), { announce });
  }

  /** @param {FocusEvent} e */
  onLeave(e) {
    const c = e.target;
    if (!this.index.owns(c) || c.type === "file") return;
    // A radio or checkbox group is left when focus moves outside the group.
    const next = e.relatedTarget;
    if ((c.type === "radio" || c.type === "checkbox") && next instanceof Element && next.getAttribute("name") === c.name) return;
    // Tabbing through a field nobody has typed in says nothing yet; the submit will.
    if (!this.edited.has(c.name) && !this.messages.hasError(c.name)) return;
    this.rechecks.delete(c.name);
    if (this.pointerDown) this.pending.add(c.name);
    else this.check(c.name, true);
  }

  /** @param {Event} e */
  onInput(e) {
    const c = e.target;
    if (this.state === "loading") this.typedEarly = true;
    if (!this.index.owns(c) || this.state !== "ready") return;
    this.edited.add(c.name);
    this.drafts?.saveSoon();
    if (this.messages.hasError(c.name)) this.recheckSoon(c.name);
  }

  /**
   * A field in error is checked again once typing pauses (RECHECK_MS), not on every keystroke: a
   * check reads the whole form, which on a form of thousands of controls takes longer than a key.
   * @param {string} name
   */
  recheckSoon(name) {
    this.rechecks.add(name);
    clearTimeout(this.recheckTimer);
    this.recheckTimer = setTimeout(() => this.flushRechecks(), RECHECK_MS);
  }

  flushRechecks() {
    clearTimeout(this.recheckTimer);
    const names = [...this.rechecks];
    this.rechecks.clear();
    for (const name of names) this.check(name);
  }

  /** @param {Event} e */
  async onChange(e) {
    const c = e.target;
    if (this.state === "loading") this.typedEarly = true;
    if (!this.index.owns(c) || this.state !== "ready") return;
    this.edited.add(c.name);
    this.drafts?.saveSoon();
    if (c instanceof HTMLInputElement && c.type === "file") {
      if (this.digest) await this.index.readFile(c, this.digest);
      this.check(c.name, true);
    } else if (c.type === "radio" || c.type === "checkbox" || c instanceof HTMLSelectElement) {
      this.check(c.name, true);
    }
  }

  /** Removes the draft; with `reset`, empties the form too. @param {boolean} reset */
  discardDraft(reset) {
    this.drafts?.remove();
    if (reset) {
      resetForm(this.form);
      this.edited.clear();
      this.messages.clearAll();
      this.say(this.text.draftDiscarded);
    }
  }

  /** Undoes the upgrade: listeners removed, added nodes gone, attributes back; values stay. */
  destroy() {
    if (this.state === "destroyed") return;
    this.drafts?.flush();
    this.abort.abort();
    this.state = "destroyed";
    this.messages.destroy();
    this.submission.receipt?.remove();
    this.status.remove();
    this.submission.busy(false);
    setFormNoValidate(this.form, this.restoreAttrs.noValidate);
    if (this.restoreAttrs.busy !== null) setAttr(this.form, "aria-busy", this.restoreAttrs.busy);
    removeAttr(this.form, "data-formseal-state");
    for (const n of queryAll(this.form, ".formseal-summary, .formseal-warnings")) n.remove();
    this.validator?.free();
    this.validator = undefined;
  }
}

