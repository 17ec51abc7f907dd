// Reading the form: which control is which field, and the data the way formseal reads it.
//
// Controls map to fields by `name` (`unit_name`, `principal.mobile`, `domains[0]`,
// `websites[0].domains[1]`), once: the index is built when the form is upgraded and again only when
// controls are added, removed or renamed (a MutationObserver marks it stale), so a check costs one
// pass over the controls however many findings there are. Data is assembled from own properties
// only, and a path through `__proto__`, `constructor` or `prototype` is never followed, whatever a
// definition names its fields.
import { formControls, isControl, on } from "./dom.js";

/** @typedef {import("./dom.js").Control} Control */
/** @typedef {{ path: string, kind: string, label?: string, fields?: FieldDescription[], item?: FieldDescription }} FieldDescription */
/** @typedef {{ name: string, media_type: string, size: number, sha256: string, sm3?: string }} Attachment */
/** @typedef {import("../web/formseal.js").FormInput} FormInput */

const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * `websites[0].domains[1]` → ["websites", 0, "domains", 1].
 * @param {string} name
 * @returns {(string | number)[]}
 */
export function parsePath(name) {
  /** @type {(string | number)[]} */
  const parts = [];
  for (const m of name.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) parts.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? ""));
  return parts;
}

/** The describe() path of a concrete path: indices become `[]`. @param {string} path */
export const shape = (path) => path.replace(/\[\d+\]/g, "[]");

/** Whether a path is one data may be assembled along. @param {(string | number)[]} parts */
export const safePath = (parts) => parts.length > 0 && parts.every((p) => typeof p === "number" || !UNSAFE_KEYS.has(p));

/**
 * Sets `value` at `parts` in `target`, following own properties only and defining (never
 * assigning) each step, so no setter or prototype is reached. Refuses an unsafe path.
 * @param {Record<string, unknown> | unknown[]} target
 * @param {(string | number)[]} parts
 * @param {unknown} value
 * @returns {boolean} whether it was set
 */
export function setIn(target, parts, value) {
  if (!safePath(parts)) return false;
  /** @type {any} */
  let node = target;
  for (let i = 0; i < parts.length - 1; i += 1) {
    const key = /** @type {string | number} */ (parts[i]);
    let next = Object.hasOwn(node, key) ? node[key] : undefined;
    if (next === null || typeof next !== "object") {
      next = typeof parts[i + 1] === "number" ? [] : {};
      Object.defineProperty(node, key, { value: next, writable: true, enumerable: true, configurable: true });
    }
    node = next;
  }
  Object.defineProperty(node, /** @type {string | number} */ (parts[parts.length - 1]), { value, writable: true, enumerable: true, configurable: true });
  return true;
}

/**
 * [value with blank groups and list items as null, whether it is blank]. A group or list item left
 * wholly blank (an unticked box counts as blank) is "not filled in", so one "required" message
 * replaces one per sub-field.
 * @param {unknown} value
 * @param {boolean} [top]
 * @returns {[unknown, boolean]}
 */
export function prune(value, top = false) {
  if (value === null || value === undefined || value === "" || value === false) return [value ?? null, true];
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== "object" || v === null)) return [value, value.every((v) => v === null || v === "")];
    const items = value.map((v) => prune(v));
    return [items.map(([v, blank]) => (blank ? null : v)), items.every(([, blank]) => blank)];
  }
  if (typeof value === "object" && !Object.hasOwn(value, "sha256")) {
    /** @type {Record<string, unknown>} */
    const out = {};
    let blank = true;
    for (const [k, v] of Object.entries(value)) {
      const [pv, b] = prune(v);
      setIn(out, [k], pv);
      blank &&= b;
    }
    return [blank && !top ? null : out, blank];
  }
  return [value, false];
}

/**
 * Data from (control name or its parsed path, value) pairs, the way formseal reads it.
 * @param {Iterable<[string | (string | number)[], unknown]>} entries
 * @returns {FormInput}
 */
export function assemble(entries) {
  /** @type {Record<string, unknown>} */
  const data = {};
  for (const [name, value] of entries) if (value !== undefined) setIn(data, typeof name === "string" ? parsePath(name) : name, value);
  const [pruned] = prune(data, true);
  return /** @type {FormInput} */ (pruned ?? {});
}

const IGNORED_TYPES = new Set(["submit", "button", "reset", "image"]);

/** A radio or a tick-box of a multiple choice: one of several controls with one name. @param {Control} c @param {FieldDescription | undefined} desc */
export const isGrouped = (c, desc) => c.type === "radio" || (c.type === "checkbox" && desc?.kind !== "boolean");

/** The controls of one form that belong to its definition, by name and by field path. */
export class ControlIndex {
  /**
   * @param {HTMLFormElement} form
   * @param {Map<string, FieldDescription>} fields describe() path → field
   * @param {AbortSignal} signal
   */
  constructor(form, fields, signal) {
    this.form = form;
    this.fields = fields;
    /** @type {Map<string, Control[]>} control name → its controls, in document order */
    this.byName = new Map();
    /** @type {Map<string, string>} a field path or any path above it → the first control name under it */
    this.byPath = new Map();
    /** @type {Map<string, (string | number)[]>} control name → its parsed path */
    this.parts = new Map();
    /** @type {Map<string, Attachment | Promise<Attachment | undefined>>} */
    this.attachments = new Map();
    this.stale = true;
    /** @param {MutationRecord[]} records */
    const seen = (records) => {
      if (!this.stale && records.some(touchesControls)) this.stale = true;
    };
    this.observer = new MutationObserver(seen);
    this.seen = seen;
    this.signal = signal;
    this.watch();
    on(signal, "abort", () => this.observer.disconnect(), signal);
  }

  /** @private */
  watch() {
    if (this.signal.aborted) return;
    this.observer.observe(this.form, { childList: true, subtree: true, attributes: true, attributeFilter: ["name", "disabled", "type"] });
  }

  /**
   * Runs `write`, which adds and removes only nodes without controls (the messages of a report),
   * without the observer: a thousand messages would otherwise make a thousand records to look
   * through. What changed before is looked at first.
   * @param {() => void} write
   */
  unobserved(write) {
    this.seen(this.observer.takeRecords());
    this.observer.disconnect();
    try {
      write();
    } finally {
      this.watch();
    }
  }

  /** Rebuilds the maps when the form's controls changed. */
  refresh() {
    if (!this.stale) return;
    this.stale = false;
    this.byName.clear();
    this.byPath.clear();
    this.parts.clear();
    for (const e of formControls(this.form)) {
      if (!isControl(e) || !e.name || IGNORED_TYPES.has(e.type) || !this.fields.has(shape(e.name))) continue;
      const same = this.byName.get(e.name);
      if (same) {
        same.push(e);
        continue;
      }
      this.byName.set(e.name, [e]);
      this.parts.set(e.name, parsePath(e.name));
      this.byPath.set(e.name, e.name);
      // Every path above the control (`a`, `a.b`, `a.b[0]`) finds it too, for a finding on a group.
      for (const m of e.name.matchAll(/[.[]/g)) {
        const above = e.name.slice(0, m.index);
        if (!this.byPath.has(above)) this.byPath.set(above, e.name);
      }
    }
  }

  /** @returns {IterableIterator<[string, Control[]]>} */
  entries() {
    this.refresh();
    return this.byName.entries();
  }

  /** @param {string} name @returns {Control[]} */
  controlsNamed(name) {
    this.refresh();
    return this.byName.get(name) ?? [];
  }

  /** The control name a finding at `path` belongs to: the control of that path, or the first under it. @param {string} path */
  nameFor(path) {
    this.refresh();
    return this.byPath.get(path);
  }

  /** @param {string} name @returns {FieldDescription | undefined} */
  fieldOf(name) {
    return this.fields.get(shape(name));
  }

  /** Whether the control belongs to the definition. @param {EventTarget | null} target @returns {target is Control} */
  owns(target) {
    if (!(target instanceof Element) || !isControl(target) || !target.name) return false;
    return this.controlsNamed(target.name).includes(target);
  }

  /**
   * The value of the controls named `name`, as formseal reads it.
   * @param {string} name
   * @returns {unknown}
   */
  valueOf(name) {
    return this.valueOfControls(name, this.controlsNamed(name));
  }

  /**
   * @param {string} name
   * @param {Control[]} named the controls named `name`
   * @returns {unknown}
   */
  valueOfControls(name, named) {
    // One control (most fields) is read with as few DOM calls as can be: a form of thousands of
    // controls reads each on every check.
    const controls = named.length === 1 ? (named[0]?.disabled ? [] : named) : named.filter((c) => !c.disabled);
    const first = controls[0];
    if (!first) return undefined;
    switch (first.type) {
      case "radio":
        return controls.find((c) => /** @type {HTMLInputElement} */ (c).checked)?.value ?? null;
      case "checkbox":
        if (this.fieldOf(name)?.kind === "boolean") return /** @type {HTMLInputElement} */ (first).checked;
        return controls.filter((c) => /** @type {HTMLInputElement} */ (c).checked).map((c) => c.value);
      case "select-multiple":
        return [.../** @type {HTMLSelectElement} */ (first).selectedOptions].map((o) => o.value);
      case "file": {
        const meta = this.attachments.get(name);
        return meta && !(meta instanceof Promise) ? meta : null;
      }
      case "number": {
        const input = /** @type {HTMLInputElement} */ (first);
        return input.value === "" ? null : (Number.isFinite(input.valueAsNumber) ? input.valueAsNumber : input.value);
      }
      default: {
        const value = first.value;
        return value === "" ? null : value;
      }
    }
  }

  /** The whole form's data; controls named in `skip` count as empty. @param {Set<string>} [skip] @returns {FormInput} */
  data(skip) {
    /** @type {[(string | number)[], unknown][]} */
    const entries = [];
    for (const [name, controls] of this.entries()) entries.push([this.parts.get(name) ?? [], skip?.has(name) ? null : this.valueOfControls(name, controls)]);
    return assemble(entries);
  }

  /** Every control's value by name for a draft (files cannot be put back by a page, so not kept). */
  snapshot() {
    /** @type {Record<string, string | string[]>} */
    const values = Object.create(null);
    for (const [name, controls] of this.entries()) {
      const first = /** @type {Control} */ (controls[0]);
      if (first.type === "file") continue;
      if (first.type === "radio" || first.type === "checkbox") {
        values[name] = controls.filter((c) => /** @type {HTMLInputElement} */ (c).checked).map((c) => c.value);
      } else if (first.type === "select-multiple") {
        values[name] = [.../** @type {HTMLSelectElement} */ (first).selectedOptions].map((o) => o.value);
      } else {
        values[name] = first.value;
      }
    }
    return values;
  }

  /** Puts a draft's values back; values of the wrong shape are skipped. @param {Record<string, unknown>} values */
  apply(values) {
    for (const [name, controls] of this.entries()) {
      if (!Object.hasOwn(values, name)) continue;
      const v = values[name];
      for (const c of controls) {
        if (c.type === "file") continue;
        if (c instanceof HTMLInputElement && (c.type === "radio" || c.type === "checkbox")) {
          if (Array.isArray(v)) c.checked = v.includes(c.value);
        } else if (c instanceof HTMLSelectElement && c.multiple) {
          if (Array.isArray(v)) for (const o of c.options) o.selected = v.includes(o.value);
        } else if (typeof v === "string") {
          c.value = v;
        }
      }
    }
  }

  /**
   * Reads a chosen file into attachment metadata with its SHA-256 (WebCrypto) and SM3 digests.
   * @param {HTMLInputElement} control
   * @param {(bytes: Uint8Array) => { sm3: string }} digest the module's digestAttachment
   */
  async readFile(control, digest) {
    const file = control.files?.[0];
    if (!file) {
      this.attachments.delete(control.name);
      return;
    }
    const pending = (async () => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const sha = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
      const sha256 = [...sha].map((b) => b.toString(16).padStart(2, "0")).join("");
      const { sm3 } = digest(bytes);
      return { name: file.name, media_type: file.type || "application/octet-stream", size: file.size, sha256, sm3 };
    })();
    this.attachments.set(control.name, pending);
    try {
      this.attachments.set(control.name, await pending);
    } catch {
      this.attachments.delete(control.name);
    }
  }

  /** Waits for files still being read. */
  async settled() {
    await Promise.all([...this.attachments.values()]);
  }
}

/** @param {Node} n */
const hasControl = (n) => n instanceof Element && (isControl(n) || (n.firstElementChild !== null && n.querySelector("input, select, textarea") !== null));

/** @param {NodeList} nodes */
function anyControl(nodes) {
  for (let i = 0; i < nodes.length; i += 1) if (hasControl(/** @type {Node} */ (nodes[i]))) return true;
  return false;
}

/** Whether a change can add, remove or rename a control (a report adds a thousand messages: cheap per record). @param {MutationRecord} r */
function touchesControls(r) {
  if (r.type === "attributes") return r.target instanceof Element && isControl(r.target);
  return anyControl(r.addedNodes) || anyControl(r.removedNodes);
}
