// Reading the form: which control is which field, and the data the way formseal reads it.
//
// Controls map to fields by `name` (`unit_name`, `principal.mobile`, `domains[0]`,
// `websites[0].domains[1]`), once: the index is built when the form is upgraded and again only when
// controls are added, removed or renamed (a MutationObserver marks it stale), so a check costs one
// pass over the controls however many findings there are. Data is assembled from own properties
// only, and a path through `__proto__`, `constructor` or `prototype` is never followed, whatever a
// definition names its fields.
import { formControls, isControl, onAbort } from "./dom.js";

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
export function safePath(parts) {
  for (let i = 0; i < parts.length; i += 1) {
    const p = parts[i];
    if (typeof p !== "number" && UNSAFE_KEYS.has(/** @type {string} */ (p))) return false;
  }
  return parts.length > 0;
}

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
    // A list of values (the usual list, a multiple choice): one plain loop, holes skipped as
    // `every` skips them (a submit runs this once per page, before the JIT has compiled it).
    let values = true;
    let empty = true;
    for (let i = 0; i < value.length; i += 1) {
      const v = value[i];
      if (v === undefined && !(i in value)) continue;
      if (typeof v === "object" && v !== null) {
        values = false;
        break;
      }
      if (v !== null && v !== "") empty = false;
    }
    if (values) return [value, empty];
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
  const list = [...entries];
  const [pruned] = prune(assembleByTree(list) ?? assembleBySetIn(list), true);
  return /** @type {FormInput} */ (pruned ?? {});
}

/**
 * What `assemble` makes before pruning, by `setIn` one entry after another: the reference for
 * `assembleByTree`, and what is used when a form's names are not a tree of groups and lists.
 * @param {[string | (string | number)[], unknown][]} entries
 */
export function assembleBySetIn(entries) {
  /** @type {Record<string, unknown>} */
  const data = {};
  for (const [name, value] of entries) if (value !== undefined) setIn(data, typeof name === "string" ? parsePath(name) : name, value);
  return data;
}

/** A group (`array` false) or a list while data is assembled: its parts by key, in the order first set. */
class Branch {
  /** @param {boolean} array */
  constructor(array) {
    this.array = array;
    /** @type {Map<string | number, unknown>} */
    this.children = new Map();
  }
}

/**
 * The same data as `assembleBySetIn` (the same keys in the same order, the same holes), built as a
 * tree of Maps and made into objects and arrays at the end: a list comes out of one `Array.from`
 * instead of a `defineProperty` per item (a submit of 5,000 controls spent most of its assembling
 * there). Both define, never assign, so no setter or prototype is reached. `undefined` when the
 * names are not a plain tree (an index under a group, a name under a value), which
 * `assembleBySetIn` handles.
 * @param {[string | (string | number)[], unknown][]} entries
 * @returns {Record<string, unknown> | undefined}
 */
export function assembleByTree(entries) {
  // Plain loops, no callbacks: a submit runs this once per page, before the JIT has compiled it.
  const root = new Branch(false);
  for (let e = 0; e < entries.length; e += 1) {
    const entry = /** @type {[string | (string | number)[], unknown]} */ (entries[e]);
    const value = entry[1];
    if (value === undefined) continue;
    const parts = typeof entry[0] === "string" ? parsePath(entry[0]) : entry[0];
    if (!safePath(parts)) continue;
    const last = parts.length - 1;
    let node = root;
    for (let i = 0; i < last; i += 1) {
      const key = /** @type {string | number} */ (parts[i]);
      if ((typeof key === "number") !== node.array) return undefined;
      const next = node.children.get(key);
      if (next instanceof Branch) {
        node = next;
        continue;
      }
      if (next !== null && typeof next === "object") return undefined; // setIn would go into the value
      const branch = new Branch(typeof parts[i + 1] === "number");
      node.children.set(key, branch);
      node = branch;
    }
    const key = /** @type {string | number} */ (parts[last]);
    if ((typeof key === "number") !== node.array) return undefined;
    node.children.set(key, value);
  }
  return /** @type {Record<string, unknown>} */ (built(root));
}

/** @param {unknown} node @returns {unknown} */
function built(node) {
  if (!(node instanceof Branch)) return node;
  const { children } = node;
  if (node.array) {
    let max = -1;
    for (const k of children.keys()) if (/** @type {number} */ (k) > max) max = /** @type {number} */ (k);
    // Every index there: one array, its items defined in order (Array.from defines, never assigns).
    if (max + 1 === children.size) return Array.from({ length: children.size }, (_, i) => built(children.get(i)));
  }
  /** @type {any} */
  const out = node.array ? [] : {};
  for (const [k, v] of children) Object.defineProperty(out, k, { value: built(v), writable: true, enumerable: true, configurable: true });
  return out;
}

const IGNORED_TYPES = new Set(["submit", "button", "reset", "image"]);
/** Control types whose value is not just their text: valueOfControls reads them its own way. */
const READ_APART = new Set(["radio", "checkbox", "select-multiple", "file", "number"]);

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
    /** @type {Map<string, FieldDescription | undefined>} control name → its field */
    this.fieldByName = new Map();
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
    onAbort(signal, () => this.observer.disconnect());
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
    this.fieldByName.clear();
    for (const e of formControls(this.form)) {
      if (!isControl(e) || !e.name || IGNORED_TYPES.has(e.type)) continue;
      const same = this.byName.get(e.name);
      if (same) {
        same.push(e);
        continue;
      }
      const field = this.fields.get(shape(e.name));
      if (!field) continue;
      this.byName.set(e.name, [e]);
      this.fieldByName.set(e.name, field);
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
    // A control's field is looked up when the index is built (rendering a report asks once per message).
    return (this.stale ? undefined : this.fieldByName.get(name)) ?? this.fields.get(shape(name));
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

  /**
   * The whole form's data and the findings `refuse` makes of the values the module cannot take,
   * reading each control once: what `unreadable` and then `data(skip)` give, in one pass (a check
   * or a submit of a form of thousands of controls read each control three times). `refuse` is
   * called with the value of each control that holds text, in order, until it refuses one; a name
   * with a refused value counts as empty.
   * @template T
   * @param {(name: string, value: string) => T | undefined} refuse
   * @returns {{ data: FormInput, refused: T[] }}
   */
  read(refuse) {
    this.refresh();
    /** @type {[(string | number)[], unknown][]} */
    const entries = [];
    /** @type {T[]} */
    const refused = [];
    for (const [name, controls] of this.byName) {
      const parts = this.parts.get(name) ?? [];
      const first = /** @type {Control} */ (controls[0]);
      const type = first.type;
      if (controls.length === 1 && !READ_APART.has(type)) {
        // One control holding text, the most common case: read once (what valueOfControls reads).
        const value = first.value;
        const no = refuse(name, value);
        if (no !== undefined) refused.push(no);
        entries.push([parts, no !== undefined ? null : first.disabled ? undefined : value === "" ? null : value]);
        continue;
      }
      let no;
      for (const c of controls) {
        const t = c.type;
        if (t === "file" || t === "radio" || t === "checkbox") continue;
        no = refuse(name, c.value);
        if (no !== undefined) break;
      }
      if (no !== undefined) refused.push(no);
      entries.push([parts, no !== undefined ? null : this.valueOfControls(name, controls)]);
    }
    return { data: assemble(entries), refused };
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
