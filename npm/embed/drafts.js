// Drafts: what the person typed, kept per form so a reload or a crash loses nothing.
//
// Kept in sessionStorage by default (gone when the tab closes), in localStorage only when the
// portal opts in (`drafts: "local"`), never when it opts out (`drafts: false`); either way a draft
// expires (`draftMaxAge`, default 12 hours) and is removed when the form is sent or the person
// discards it. Each form on a page has its own draft (two forms of the same id are told apart by
// their `id` attribute, else by their order). A draft is saved 250 ms after typing stops and at
// once when the page is hidden or left (`visibilitychange`, `pagehide`). Another tab writing the
// same draft is noticed (each page signs what it writes) and said; a draft that cannot be read is
// removed and said; files are not kept (a page cannot put a file back).
import { on, onAbort } from "./dom.js";
import { formatTime } from "./text.js";

/** @typedef {import("./controls.js").ControlIndex} ControlIndex */
/** @typedef {import("./text.js").Text} Text */
/** @typedef {import("./text.js").Locale} Locale */
/** @typedef {{ v: 2, savedAt: string, expiresAt: string, writer: string, rev: number, values: Record<string, unknown> }} Draft */

export const DEFAULT_MAX_AGE = 12 * 60 * 60 * 1000;

/** @param {unknown} d @returns {d is Draft} */
function isDraft(d) {
  if (typeof d !== "object" || d === null) return false;
  const r = /** @type {Record<string, unknown>} */ (d);
  return r.v === 2 && typeof r.savedAt === "string" && !Number.isNaN(Date.parse(r.savedAt))
    && typeof r.expiresAt === "string" && !Number.isNaN(Date.parse(r.expiresAt))
    && typeof r.writer === "string" && typeof r.rev === "number"
    && typeof r.values === "object" && r.values !== null && !Array.isArray(r.values)
    && Object.values(r.values).every((v) => typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x === "string")));
}

export class Drafts {
  /**
   * @param {{ key: string, storage: "session" | "local" | false, maxAge: number, index: ControlIndex, text: Text, locale: Locale,
   *   say: (message: string | Node, kind?: string) => void, button: (label: string, onClick: () => void) => HTMLButtonElement,
   *   active: () => boolean, signal: AbortSignal }} options
   */
  constructor(options) {
    this.o = options;
    this.key = options.key;
    this.writer = typeof crypto.randomUUID === "function" ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
    /** The draft as this page last saw it: another writer after it is another tab. @type {{ writer: string, rev: number } | undefined} */
    this.seen = undefined;
    this.rev = 0;
    this.warned = false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    const { signal } = options;
    on(window, "pagehide", () => this.flush(), signal);
    on(document, "visibilitychange", () => {
      if (document.visibilityState === "hidden") this.flush();
    }, signal);
    on(window, "storage", (/** @type {StorageEvent} */ e) => {
      if (e.key !== this.key || e.newValue === null) return;
      const d = this.parse(e.newValue);
      if (d && d.writer !== this.writer) this.otherTab(d);
    }, signal);
    onAbort(signal, () => clearTimeout(this.timer));
  }

  /** @returns {Storage | undefined} */
  get store() {
    try {
      if (this.o.storage === "local") return window.localStorage;
      if (this.o.storage === "session") return window.sessionStorage;
    } catch {
      // storage blocked (a sandboxed frame, privacy settings): no drafts
    }
    return undefined;
  }

  /** @param {string} text @returns {Draft | undefined} */
  parse(text) {
    try {
      const d = JSON.parse(text);
      return isDraft(d) ? d : undefined;
    } catch {
      return undefined;
    }
  }

  /** @param {Draft} d */
  otherTab(d) {
    this.seen = { writer: d.writer, rev: d.rev };
    if (this.warned) return;
    this.warned = true;
    this.o.say(this.o.text.draftOtherTab(formatTime(d.savedAt, this.o.locale) ?? d.savedAt), "warning");
  }

  /** Puts the draft back into the form, if there is one; says so with a button to discard it. */
  restore() {
    const store = this.store;
    if (!store) return;
    let text;
    try {
      text = store.getItem(this.key);
    } catch {
      return;
    }
    if (text === null) return;
    const draft = this.parse(text);
    if (!draft) {
      this.remove();
      this.o.say(this.o.text.draftCorrupt, "warning");
      return;
    }
    if (Date.parse(draft.expiresAt) <= Date.now()) {
      this.remove();
      return;
    }
    this.seen = { writer: draft.writer, rev: draft.rev };
    this.o.index.apply(draft.values);
    const when = formatTime(draft.savedAt, this.o.locale);
    const button = this.o.button(this.o.text.discardDraft, () => this.o.signal.aborted || this.onDiscard?.());
    const span = document.createElement("span");
    span.append(when ? this.o.text.draftRestored(when) : this.o.text.draftRestoredUndated, " ", button);
    this.o.say(span, "info");
  }

  /** @type {(() => void) | undefined} set by the form: what the discard button does */
  onDiscard = undefined;

  saveSoon() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.save(), 250);
  }

  /** Saves now if a save is pending. */
  flush() {
    if (this.timer === undefined) return;
    this.save();
  }

  save() {
    clearTimeout(this.timer);
    this.timer = undefined;
    const store = this.store;
    if (!store || !this.o.active()) return;
    try {
      const current = store.getItem(this.key);
      const other = current === null ? undefined : this.parse(current);
      if (other && other.writer !== this.writer && (other.writer !== this.seen?.writer || other.rev !== this.seen?.rev)) this.otherTab(other);
      this.rev += 1;
      const now = Date.now();
      /** @type {Draft} */
      const draft = { v: 2, savedAt: new Date(now).toISOString(), expiresAt: new Date(now + this.o.maxAge).toISOString(), writer: this.writer, rev: this.rev, values: this.o.index.snapshot() };
      store.setItem(this.key, JSON.stringify(draft));
      this.seen = { writer: this.writer, rev: this.rev };
    } catch {
      // Storage full or blocked: the values are still in the form.
    }
  }

  remove() {
    clearTimeout(this.timer);
    this.timer = undefined;
    try {
      this.store?.removeItem(this.key);
    } catch {
      // nothing stored
    }
  }
}
