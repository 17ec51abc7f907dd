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
  /** Where the wasm is, when not beside web/formseal.js. */
  wasm?: string | URL | Response | BufferSource | WebAssembly.Module;
}

export interface UpgradedForm {
  readonly form: HTMLFormElement;
  readonly validator: FormValidator;
  /** The form's data the way formseal reads it. */
  data(): { [field: string]: unknown };
  discardDraft(reset: boolean): void;
}

/** Loads the wasm once. */
export function load(wasm?: UpgradeOptions["wasm"]): Promise<unknown>;
/** Options for every form (e.g. the signer), also those already upgraded. */
export function configure(options: Omit<UpgradeOptions, "form" | "definition">): void;
export function upgrade(form: HTMLFormElement, options?: UpgradeOptions): Promise<UpgradedForm>;
/** Upgrades every `form[data-formseal]`; done automatically on load unless imported as `embed.js?noauto`. */
export function upgradeAll(root?: ParentNode): Promise<UpgradedForm[]>;

declare global {
  interface HTMLFormElementEventMap {
    /** Cancellable: cancel it to send the envelope your own way. */
    "formseal:sealed": CustomEvent<Extract<SealResult, { sealed: true }>>;
    "formseal:receipt": CustomEvent<{ id: string; received_at: string; [key: string]: unknown }>;
    "formseal:refused": CustomEvent<{ code?: string; message?: string }>;
    "formseal:ready": CustomEvent<UpgradedForm>;
  }
}
