// DOM helpers that a hostile or unlucky page cannot derail. A form's controls are also its
// properties (`form.action` is the control named "action" when there is one, and so are
// `form.elements`, `form.reset`, `form.dataset`, `form.prepend` …), so the form is only ever read
// and changed through the prototypes' own getters and methods, never as `form.x`. Nodes are made
// with `el()`, which puts strings in as text, never as markup.

/**
 * @param {object} proto
 * @param {string} name
 * @returns {(this: any) => any}
 */
function getterOf(proto, name) {
  let p = proto;
  while (p) {
    const d = Object.getOwnPropertyDescriptor(p, name);
    if (d?.get) return d.get;
    p = Object.getPrototypeOf(p);
  }
  throw new TypeError(`no getter ${name}`);
}

/** The form's controls, in document order, as an array. @param {HTMLFormElement} form */
export function formControls(form) {
  return /** @type {Element[]} */ ([...getterOf(HTMLFormElement.prototype, "elements").call(form)]);
}

/** The form's `action` URL, resolved. @param {HTMLFormElement} form @returns {string} */
export function formAction(form) {
  return getterOf(HTMLFormElement.prototype, "action").call(form);
}

/** @param {HTMLFormElement} form */
export function formNoValidate(form) {
  return /** @type {boolean} */ (getterOf(HTMLFormElement.prototype, "noValidate").call(form));
}

/** @param {HTMLFormElement} form @param {boolean} value */
export function setFormNoValidate(form, value) {
  Object.getOwnPropertyDescriptor(HTMLFormElement.prototype, "noValidate")?.set?.call(form, value);
}

/** @param {HTMLFormElement} form */
export function resetForm(form) {
  HTMLFormElement.prototype.reset.call(form);
}

/** @param {Element} node @param {string} name @returns {string | null} */
export const attr = (node, name) => Element.prototype.getAttribute.call(node, name);
/** @param {Element} node @param {string} name @param {string} value */
export const setAttr = (node, name, value) => Element.prototype.setAttribute.call(node, name, value);
/** @param {Element} node @param {string} name */
export const removeAttr = (node, name) => Element.prototype.removeAttribute.call(node, name);
/** @param {Element} node @param {string} selector @returns {Element[]} */
export const queryAll = (node, selector) => [...Element.prototype.querySelectorAll.call(node, selector)];
/** @param {Element} node @param {...(Node | string)} nodes */
export const prepend = (node, ...nodes) => Element.prototype.prepend.call(node, ...nodes);
/** @param {Node} node @param {Node | null} other */
export const contains = (node, other) => Node.prototype.contains.call(node, other);
/** @param {EventTarget} target @param {Event} event */
export const dispatch = (target, event) => EventTarget.prototype.dispatchEvent.call(target, event);

/**
 * Runs `fn` once when `signal` aborts (at once if it has). Not `on(signal, "abort", fn, signal)`:
 * a listener registered with a signal is removed when it aborts, before its abort event is
 * fired, so that one never runs.
 * @param {AbortSignal} signal
 * @param {() => void} fn
 */
export function onAbort(signal, fn) {
  if (signal.aborted) fn();
  else EventTarget.prototype.addEventListener.call(signal, "abort", fn, { once: true });
}

/**
 * Listens until `signal` aborts.
 * @param {EventTarget} target
 * @param {string} type
 * @param {(event: any) => void} listener
 * @param {AbortSignal} signal
 * @param {boolean} [capture]
 */
export function on(target, type, listener, signal, capture = false) {
  EventTarget.prototype.addEventListener.call(target, type, listener, { signal, capture });
}

/**
 * A new element; strings become text nodes, never markup.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | number>} [attrs]
 * @param {...(Node | string)} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  node.append(...children);
  return node;
}

/** A control of a form: what `form.elements` holds and formseal reads. */
/** @typedef {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} Control */

/** @param {Element} e @returns {e is Control} */
export function isControl(e) {
  return e instanceof HTMLInputElement || e instanceof HTMLSelectElement || e instanceof HTMLTextAreaElement;
}

/**
 * The control's text a person reads as its label: its `<label>`, or its fieldset's `<legend>` for a group.
 * @param {Control} control
 * @param {boolean} grouped a radio or tick-box group, named by its fieldset's legend
 * @param {Map<string, Element>} [labelsFor] `label[for]` by id, when many controls are labelled at once
 * @returns {string | undefined}
 */
export function pageLabel(control, grouped, labelsFor) {
  /** @type {Element | null | undefined} */
  let source;
  if (grouped) source = control.closest("fieldset")?.querySelector(":scope > legend");
  // Not `control.labels`: it searches the whole document each time (seconds over 1,000 controls).
  else source = control.closest("label") ?? (control.id ? (labelsFor ? labelsFor.get(control.id) : document.querySelector(`label[for="${CSS.escape(control.id)}"]`)) : undefined);
  if (!source) return undefined;
  const text = labelText(source).replace(/\s+/g, " ").trim();
  return text || undefined;
}

/** What a label says without the controls and messages inside it. */
const NOT_LABEL_TEXT = "input, select, textarea, .formseal-message, .formseal-visually-hidden";

/**
 * The text of `source` leaving out the subtrees that are not its label text: what `textContent`
 * of a copy with those removed gives, without copying (a report labels up to a thousand fields).
 * @param {Element} source
 * @returns {string}
 */
export function labelText(source) {
  if (source.firstElementChild === null) return source.textContent ?? "";
  let text = "";
  const walk = document.createTreeWalker(source, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n instanceof Element && n.matches(NOT_LABEL_TEXT) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  for (let n = walk.nextNode(); n; n = walk.nextNode()) if (n.nodeType === Node.TEXT_NODE) text += /** @type {Text} */ (n).data;
  return text;
}
