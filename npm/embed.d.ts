// Types of formseal-embed (embed.js): the drop-in upgrade of an existing form.
import type { ExternalSigner, Jwk, Locale, DeadlineOverride, SealResult, FormValidator } from "./web/formseal.js";

/** A private JWK, an external signer, or a function giving one when the person submits. */
export type EmbedSigner = Jwk | ExternalSigner | (() => Jwk | ExternalSigner | undefined | Promise<Jwk | ExternalSigner | undefined>);

export interface UpgradeOptions {
  /** A built-in form id; default: the form's `data-formseal` attribute. */
  form?: string;
  /** A definition of your own (JSON text or object) instead of a built-in form. */
  definition?: string | object;
  deadlines?: { [name: string]: DeadlineOverride };
  /** Default: "en" when the page's `lang` starts with "en", else "zh-CN". */
  locale?: Locale;
  signer?: EmbedSigner;
  /** Where drafts are kept: "session" (the default: gone when the tab closes), "local" (kept across visits), or false (none). */
  drafts?: "session" | "local" | false;
  /** How long a draft is kept, in milliseconds; default 12 hours. */
  draftMaxAge?: number;
  /** Where the wasm is, when not beside web/formseal.js. */
  wasm?: string | URL | Response | BufferSource | WebAssembly.Module;
}

/** "loading" until the module is ready (a submit is held), "failed" if it could not load, "sent" once filed. */
export type UpgradedFormState = "loading" | "ready" | "failed" | "sent" | "destroyed";

export interface UpgradedForm {
  readonly form: HTMLFormElement;
  /** Undefined until the module has loaded. */
  readonly validator: FormValidator | undefined;
  readonly state: UpgradedFormState;
  /** The form's data the way formseal reads it. */
  data(): { [field: string]: unknown };
  discardDraft(reset: boolean): void;
  /** Removes every listener, node and attribute the upgrade added; the values stay. */
  destroy(): void;
}

/** What `formseal:sealed` carries: the seal, the envelope and the report. */
export type SealedDetail = Extract<SealResult, { sealed: true }>;
/** What the receiver answered (`formseal:receipt`). */
export interface ReceiptDetail { id: string; received_at: string; [key: string]: unknown }
/** What the receiver refused with (`formseal:refused`). */
export interface RefusedDetail { code?: string; message?: string }

/** Loads the wasm once. */
export function load(wasm?: UpgradeOptions["wasm"]): Promise<unknown>;
/** Options for every form (e.g. the signer), also those already upgraded. */
export function configure(options: Omit<UpgradeOptions, "form" | "definition">): void;
export function upgrade(form: HTMLFormElement, options?: UpgradeOptions): Promise<UpgradedForm>;
/** The upgraded form of a `<form>`, if there is one. */
export function upgradedForm(form: HTMLFormElement): UpgradedForm | undefined;
/** Upgrades every `form[data-formseal]`; done automatically on load unless imported as `embed.js?noauto`. */
export function upgradeAll(root?: ParentNode): Promise<UpgradedForm[]>;

/** The embed's events: dispatched on the form, and they bubble (so a listener on `document` hears them too). */
export interface FormsealEventMap {
  /** Cancellable: cancel it to send the envelope your own way. */
  "formseal:sealed": CustomEvent<SealedDetail>;
  "formseal:receipt": CustomEvent<ReceiptDetail>;
  "formseal:refused": CustomEvent<RefusedDetail>;
  "formseal:ready": CustomEvent<UpgradedForm>;
}

declare global {
  // HTMLFormElement's addEventListener reads HTMLElementEventMap; bubbling brings the events to document and window.
  interface HTMLElementEventMap extends FormsealEventMap {}
  interface DocumentEventMap extends FormsealEventMap {}
  interface WindowEventMap extends FormsealEventMap {}
}
