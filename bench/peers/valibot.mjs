// network-unit-filing in Valibot: the same refinements as the Zod version (transforms that check
// and normalise), cross-field rules beside the schema. Valibot has no zh-CN messages of its own
// in the core package (they live in @valibot/i18n); the custom checks carry their codes.
import * as v from "valibot";
import * as r from "./rules.mjs";

const text = (max) => v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(max));
const refined = (fn, code) => v.pipe(v.string(), v.rawTransform(({ dataset, addIssue, NEVER }) => {
  const out = fn(dataset.value);
  if (out === null || out === false) {
    addIssue({ message: code });
    return NEVER;
  }
  return typeof out === "string" ? out : r.clean(dataset.value);
}));
const mobile = refined(r.mobile, "mobile_invalid");
const phone = refined(r.phone, "phone_invalid");
const email = refined(r.email, "email_invalid");
const domain = refined(r.domain, "domain_invalid");
const unique = (kind) => v.rawCheck(({ dataset, addIssue }) => {
  if (!dataset.typed) return;
  for (const i of r.duplicates(dataset.value, kind === "domain" ? r.domain : r.clean)) {
    addIssue({ message: `duplicate_item[${i}]` });
  }
});
const ID_TYPES = ["resident_id", "hmt_residence_permit", "hk_macao_permit", "taiwan_permit", "passport"];
const person = v.object({
  name: text(50), id_type: v.picklist(ID_TYPES), id_number: text(50), mobile, phone: v.optional(phone), email,
});
const date = v.pipe(v.string(), v.trim(), v.check(r.date, "date_invalid"));

export const schema = v.object({
  subject_nature: v.picklist(Object.keys(r.ALLOWED)),
  unit_name: text(100),
  certificate_type: v.picklist(["uscc", "org_code", "other_unit_certificate", ...ID_TYPES]),
  certificate_number: text(50),
  org_code: v.optional(refined((s) => r.orgCode(s) === null, "org_code_invalid")),
  address: text(200),
  admin_area: v.pipe(text(6), v.regex(/^[1-9][0-9]{5}$/)),
  server_location: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200))),
  principal: person,
  security_officer: person,
  emergency_contact: v.object({ name: text(50), mobile, phone: v.optional(phone), email: v.optional(email) }),
  network_type: v.picklist(["interconnecting_unit", "access_unit", "networked_organization"]),
  access_provider: v.object({ name: text(100), code_type: v.picklist(["uscc", "org_code"]), code: text(50) }),
  access_method: v.picklist(["dedicated_line", "fibre", "adsl", "dial_up", "wireless", "server_hosting", "virtual_hosting", "other"]),
  ip_addresses: v.pipe(v.array(refined(r.ip, "ip_invalid")), v.minLength(1), v.maxLength(256), unique("ip")),
  websites: v.optional(v.pipe(v.array(v.object({
    name: text(100),
    domains: v.pipe(v.array(v.string()), v.minLength(1), v.maxLength(100), unique("domain"), v.array(domain)),
    homepage: refined(r.httpUrl, "url_invalid"),
    icp_number: v.optional(refined(r.icp, "icp_invalid")),
    service_type: v.picklist(["interactive", "non_interactive"]),
    bbs_rules: v.optional(v.boolean()),
    live_date: date,
  })), v.maxLength(100))),
  network_live_date: date,
  important_field: v.picklist([...r.IMPORTANT, "none"]),
  approval_certificate: v.optional(v.object({
    name: text(255), media_type: v.picklist(["application/pdf", "image/jpeg", "image/png"]),
    size: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10485760)),
    sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
  })),
  accept_security_notice: v.literal(true),
});

/** `(data, now) => { valid, errors, warnings, data }`. */
export function compile() {
  return function run(data, now) {
    const parsed = v.safeParse(schema, data);
    const errors = parsed.success ? [] : parsed.issues.slice();
    const warnings = [];
    for (const [path, code, severity] of r.crossField(parsed.success ? parsed.output : data, now)) {
      if (severity === "error") errors.push({ path, message: code });
      else warnings.push({ path, code });
    }
    return { valid: errors.length === 0, errors, warnings, data: parsed.success ? parsed.output : undefined };
  };
}

/** One field as typed: the mobile number. */
export function compileField() {
  return (value) => {
    const p = v.safeParse(mobile, value);
    return p.success ? [] : p.issues;
  };
}
