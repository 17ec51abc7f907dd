// Submitting: nothing ever leaves the page as an ordinary form post. Until the module is ready a
// submit is held (the form is aria-busy and says it is loading the checks) and carried out once it
// is; if the module cannot load, the form says so and keeps every value. While a submission is in
// flight another is refused, so a double click files once. A valid form is sealed with the
// portal's signer, offered in a cancellable `formseal:sealed` event, else POSTed as JSON to the
// form's `action`; the receipt then replaces the status, takes focus, scrolls into view and locks
// the form. Anything that goes wrong on the way is said in the page's language, values kept.
import { attr, dispatch, el, formAction, formControls, isControl, removeAttr, setAttr } from "./dom.js";
import { formatTime } from "./text.js";
// Generated into the package from src/limits.rs by scripts/pkg-finish.mjs (so, like
// ../web/formseal.js, it exists only in pkg/): values longer than this cannot be checked.
import { MAX_VALUE_CHARS } from "./limits.js";

/** @typedef {import("./form.js").FormsealForm} FormsealForm */
/** @typedef {import("./render.js").Finding} Finding */

/** A receipt id in groups of four, to read aloud and type. @param {string} id */
export const groupReceipt = (id) => (id.match(/.{1,4}/g) ?? []).join(" ");

/** @param {string} s */
const wellFormed = (s) => (typeof s.isWellFormed === "function" ? s.isWellFormed() : !/\p{Cs}/u.test(s));

/**
 * Findings for values the module cannot take: a lone surrogate (a broken emoji pasted), a value
 * past the length that can be checked. Such a value is never sent to the module.
 * @param {FormsealForm} f
 * @param {string[]} names
 * @returns {Finding[]}
 */
export function unreadable(f, names) {
  /** @type {Finding[]} */
  const out = [];
  for (const name of names) {
    for (const c of f.index.controlsNamed(name)) {
      const type = c.type;
      if (type === "file" || type === "radio" || type === "checkbox") continue;
      const problem = refusal(f, name, c.value);
      if (problem === undefined) continue;
      out.push(problem);
      break;
    }
  }
  return out;
}

/**
 * The finding for one control's text the module cannot take, if it cannot.
 * @param {FormsealForm} f
 * @param {string} name
 * @param {string} v
 * @returns {Finding | undefined}
 */
export function refusal(f, name, v) {
  if (!wellFormed(v)) return { path: name, code: "embed_unreadable_character", severity: "error", message: f.text.unreadableCharacter };
  if (v.length > MAX_VALUE_CHARS) return { path: name, code: "embed_too_long_to_check", severity: "error", message: f.text.tooLongToCheck(v.length, MAX_VALUE_CHARS) };
  return undefined;
}

/**
 * The whole form's data with the values the module cannot take left out, and the findings for
 * those: `unreadable` and `data(skip)` in one read of each control.
 * @param {FormsealForm} f
 */
export function readable(f) {
  const { data, refused } = f.index.read((name, v) => refusal(f, name, v));
  return { data, problems: refused };
}

export class Submission {
  /** @param {FormsealForm} f */
  constructor(f) {
    this.f = f;
    this.inFlight = false;
    this.held = false;
    /** Whether a submit has checked the whole form (the idle warm-up is then not needed). */
    this.checked = false;
    /** @type {HTMLElement | undefined} */
    this.receipt = undefined;
  }

  /** The submit handler: always prevents the browser's own post. @param {SubmitEvent} e */
  onSubmit(e) {
    e.preventDefault();
    const f = this.f;
    if (f.state === "loading") {
      this.held = true;
      f.say(f.text.loading, "info");
      return;
    }
    if (f.state === "failed") {
      f.say(f.text.loadFailed, "error");
      return;
    }
    if (f.state !== "ready" || this.inFlight) return;
    void this.run();
  }

  /**
   * Marks the form busy (or not) for assistive technology. The submit buttons stay operable: a
   * press while busy is held or ignored, and the status line says why.
   * @param {boolean} busy
   */
  busy(busy) {
    if (busy) setAttr(this.f.form, "aria-busy", "true");
    else removeAttr(this.f.form, "aria-busy");
  }

  async run() {
    const f = this.f;
    this.inFlight = true;
    this.busy(true);
    try {
      await this.file();
    } catch (err) {
      f.say(f.text.unexpected(codeOf(err)), "error");
    } finally {
      this.inFlight = false;
      if (f.state !== "sent") this.busy(false);
    }
  }

  async file() {
    const f = this.f;
    const validator = f.validator;
    if (!validator) return;
    await f.index.settled();
    f.rechecks.clear(); // the whole form is checked now
    f.say("");
    // The values the module cannot take are left out, so every other problem is shown too.
    const { data, problems } = readable(f);
    let report;
    this.checked = true;
    try {
      report = validator.validate(data, { locale: f.locale });
    } catch (err) {
      f.say(f.text.unexpected(codeOf(err)), "error");
      return;
    }
    if (!f.messages.render(report, problems) || problems.length) return;
    const signer = await resolveSigner(f.options.signer ?? f.defaults.signer);
    if (!signer) {
      f.say(f.text.noSigner, "error");
      return;
    }
    f.say(f.text.sealing);
    let result;
    try {
      result = await validator.seal(data, signer, { locale: f.locale });
    } catch (err) {
      f.say(f.text.sealFailed(/** @type {{ message?: string, code?: string }} */ (err ?? {})), "error");
      return;
    }
    if (!result.sealed) {
      f.say("");
      f.messages.render(result.report);
      return;
    }
    const event = new CustomEvent("formseal:sealed", { bubbles: true, cancelable: true, detail: result });
    if (!dispatch(f.form, event)) {
      f.say(f.text.sealedOnly, "success");
      return;
    }
    await this.send(result.envelope);
  }

  /** @param {unknown} envelope */
  async send(envelope) {
    const f = this.f;
    let response;
    try {
      response = await fetch(formAction(f.form), {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(envelope),
      });
    } catch (err) {
      f.say(f.text.network(err instanceof Error ? err.message : String(err)), "error");
      return;
    }
    const body = await response.json().catch(() => ({}));
    if (response.ok) {
      f.drafts?.remove();
      f.state = "sent";
      f.say("");
      this.showReceipt(body);
      this.lock();
      dispatch(f.form, new CustomEvent("formseal:receipt", { bubbles: true, detail: body }));
    } else {
      const error = body?.error ?? { code: String(response.status) };
      f.say(f.text.refused(error), "error");
      dispatch(f.form, new CustomEvent("formseal:refused", { bubbles: true, detail: body?.error ?? {} }));
    }
  }

  /** The confirmation: a panel at the top of the form that takes focus. @param {{ id?: unknown, received_at?: unknown }} body */
  showReceipt(body) {
    const f = this.f;
    const id = typeof body.id === "string" ? body.id : "";
    const when = formatTime(body.received_at, f.locale);
    const title = el("h2", { id: `${f.uid}-receipt-title` }, f.text.receiptTitle);
    const panel = el("div", { class: "formseal-receipt", role: "region", "aria-labelledby": title.id, tabindex: "-1", "data-receipt": id },
      title,
      el("p", {}, `${f.text.receiptNumber} `, el("strong", { class: "formseal-receipt-number", translate: "no" }, groupReceipt(id))),
      ...(when ? [el("p", {}, `${f.text.receivedAt}: `, el("time", { datetime: String(body.received_at) }, when))] : []),
      el("p", {}, f.text.receiptKeep));
    f.status.after(panel);
    this.receipt = panel;
    panel.scrollIntoView({ block: "start" });
    panel.focus({ preventScroll: true });
  }

  /** After filing, the form shows what was filed and cannot be changed or filed again. */
  lock() {
    const form = this.f.form;
    setAttr(form, "data-formseal-state", "sent");
    for (const c of formControls(form)) {
      if (isControl(c) && (c instanceof HTMLTextAreaElement || (c instanceof HTMLInputElement && !["radio", "checkbox", "file", "submit", "button", "reset", "image", "range", "color"].includes(c.type)))) {
        c.readOnly = true;
      } else if (c instanceof HTMLButtonElement || isControl(c)) {
        c.disabled = true;
      }
    }
    if (attr(form, "aria-busy") !== null) removeAttr(form, "aria-busy");
  }
}

/** @param {unknown} err */
function codeOf(err) {
  const code = typeof err === "object" && err !== null ? /** @type {{ code?: unknown }} */ (err).code : undefined;
  return typeof code === "string" ? code : "error";
}

/** @param {unknown} signer */
async function resolveSigner(signer) {
  return typeof signer === "function" ? signer() : signer;
}
