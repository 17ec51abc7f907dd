// formseal-embed: upgrades a form a portal already has, without changing its markup.
//
//   <form data-formseal="network-unit-filing" action="/api/submissions"> … </form>
//   <script type="module" src="/node_modules/formseal/embed.js"></script>
//
// Controls map to fields by `name` (`unit_name`, `principal.mobile`, `domains[0]`,
// `websites[0].domains[1]`). A field is checked when it is left after being typed in, and again as
// the person types once it shows an error; everything is checked on submit. Errors appear the
// GOV.UK way: a summary at the top (role="alert", focused, each entry a link to its field) and a
// message above each field tied with aria-describedby and aria-invalid; warnings look different
// and never block. Text goes into the page only as text. What a person types is kept: a failed
// submit changes no value, and a draft is kept (sessionStorage unless the portal chooses
// localStorage) until it is sent, discarded or expires.
//
// A valid submit is sealed with the signer the portal configures (`configure({ signer })` or
// `upgrade(form, { signer })`), then a cancellable `formseal:sealed` event carries the envelope; if
// no listener cancels it, the envelope is POSTed as JSON to the form's `action` and the server's
// receipt or error is shown. Until the module has loaded a submit is held, never posted.
//
// Works under `Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'`:
// no inline script or style; 'wasm-unsafe-eval' is needed because browsers treat compiling
// WebAssembly like eval unless the policy allows it.
//
// This file is the public surface; the work is in embed/: controls.js (reading the form),
// render.js (messages and the summary), drafts.js, submit.js, form.js (one upgraded form).
import init, { FormValidator, digestAttachment } from "./web/formseal.js";
import { attr, dispatch, queryAll } from "./embed/dom.js";
import { FormsealForm } from "./embed/form.js";

/** @type {Record<string, any>} */
const defaults = {};
/** @type {Promise<unknown> | undefined} */
let ready;
/** Upgraded forms (a WeakMap, not a property of the form: a control can shadow any property). @type {WeakMap<HTMLFormElement, FormsealForm>} */
const upgraded = new WeakMap();
/** @type {WeakMap<FormsealForm, Promise<FormsealForm>>} */
const starting = new WeakMap();

/** Loads the wasm once (it sits beside this module in the package). @param {any} [wasm] */
export function load(wasm) {
  ready ??= init(wasm === undefined ? undefined : { module_or_path: wasm });
  ready.catch(() => {
    ready = undefined; // a later upgrade tries again
  });
  return ready;
}

/** Options for every form upgraded from now on, and for those already upgraded when they submit. @param {Record<string, any>} options */
export function configure(options) {
  Object.assign(defaults, options);
}

/** The upgraded form of a `<form>`, if it is upgraded. @param {HTMLFormElement} form */
export function upgradedForm(form) {
  return upgraded.get(form);
}

/**
 * Upgrades one form. `options`: `form` (a built-in id, default the form's `data-formseal`),
 * `definition` (JSON text or object, for a form of your own), `deadlines`, `locale` (default: the
 * page's `lang`), `signer` (a private JWK, an external signer, or a function returning one),
 * `drafts` ("session", the default; "local"; or false), `draftMaxAge` (ms, default 12 hours),
 * `wasm` (where the wasm is). The form is held (a submit waits) from this call until it resolves.
 * @param {HTMLFormElement} form
 * @param {Record<string, any>} [options]
 * @returns {Promise<FormsealForm>}
 */
export function upgrade(form, options = {}) {
  const existing = upgraded.get(form);
  if (existing && existing.state !== "destroyed") return starting.get(existing) ?? Promise.resolve(existing);
  const f = new FormsealForm(form, { ...options }, defaults);
  upgraded.set(form, f);
  const started = f.start(
    () => load(options.wasm ?? defaults.wasm),
    (o) => {
      const validatorOptions = { deadlines: o.deadlines };
      return options.definition !== undefined
        ? FormValidator.fromDefinition(options.definition, validatorOptions)
        : FormValidator.builtin(options.form ?? attr(form, "data-formseal") ?? "", validatorOptions);
    },
    digestAttachment,
  ).then((done) => {
    if (done.state === "ready") dispatch(form, new CustomEvent("formseal:ready", { bubbles: true, detail: done }));
    return done;
  });
  starting.set(f, started);
  return started;
}

/** Upgrades every `form[data-formseal]` with a built-in form id in the document. @param {ParentNode} [root] */
export function upgradeAll(root = document) {
  const forms = root instanceof Element ? queryAll(root, "form[data-formseal]") : [...root.querySelectorAll("form[data-formseal]")];
  return Promise.all(forms.filter((f) => f instanceof HTMLFormElement && attr(f, "data-formseal")).map((f) => upgrade(/** @type {HTMLFormElement} */ (f))));
}

if (typeof document !== "undefined" && !import.meta.url.includes("noauto")) {
  const start = () => upgradeAll().catch((e) => console.error("formseal:", e));
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
}
