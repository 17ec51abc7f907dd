// The types as a Node server sees them: `lib: ["ES2022"]` only (no DOM), the "node" condition.
import { FormValidator, digestAttachment, isFormsealError, verify } from "formseal";
import type { Report } from "formseal";

const validator = FormValidator.builtin("user-filing", { locale: "en" });
const report: Report = validator.validate({ full_name: "陈晓东" }, { now: "2005-06-01T10:00:00+08:00" });
export function check(): string {
  try {
    return verify("{}", { keys: [] }).nonce;
  } catch (e) {
    if (isFormsealError(e)) return `${e.code} ${report.valid} ${digestAttachment(new Uint8Array(3)).sha256}`;
    throw e;
  }
}
