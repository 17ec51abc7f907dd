// network-unit-filing in Zod 4 with its zh-CN locale: the identifiers as refinements that also
// normalise (transforms), uniqueness after normalisation and the cross-field rules as superRefine.
// Cross-field rules run on the parsed data, or on the raw data when parsing failed (Zod skips an
// object's refinements once a field inside has failed), so the findings match formseal's.
import * as z from "zod";
import { zhCN } from "zod/locales";
import * as r from "./rules.mjs";

z.config(zhCN());

const text = (max) => z.string().trim().min(1).max(max);
const refined = (fn, code) => z.string().transform((s, ctx) => {
  const out = fn(s);
  if (out === null || out === false) {
    ctx.addIssue({ code: "custom", message: code, params: { code } });
    return z.NEVER;
  }
  return typeof out === "string" ? out : r.clean(s);
});
const mobile = refined(r.mobile, "mobile_invalid");
const phone = refined(r.phone, "phone_invalid");
const email = refined(r.email, "email_invalid");
const domain = refined(r.domain, "domain_invalid");
const unique = (kind) => (items, ctx) => {
  for (const i of r.duplicates(items, kind === "domain" ? r.domain : r.clean)) {
    ctx.addIssue({ code: "custom", message: "duplicate_item", path: [i] });
  }
};
const ID_TYPES = ["resident_id", "hmt_residence_permit", "hk_macao_permit", "taiwan_permit", "passport"];
const person = z.object({
  name: text(50), id_type: z.enum(ID_TYPES), id_number: text(50), mobile, phone: phone.optional(), email,
});
const date = z.string().trim().refine(r.date, { message: "date_invalid" });

export const schema = z.object({
  subject_nature: z.enum(Object.keys(r.ALLOWED)),
  unit_name: text(100),
  certificate_type: z.enum(["uscc", "org_code", "other_unit_certificate", ...ID_TYPES]),
  certificate_number: text(50),
  org_code: refined((s) => r.orgCode(s) === null, "org_code_invalid").optional(),
  address: text(200),
  admin_area: text(6).regex(/^[1-9][0-9]{5}$/),
  server_location: z.string().trim().max(200).optional(),
  principal: person,
  security_officer: person,
  emergency_contact: z.object({ name: text(50), mobile, phone: phone.optional(), email: email.optional() }),
  network_type: z.enum(["interconnecting_unit", "access_unit", "networked_organization"]),
  access_provider: z.object({ name: text(100), code_type: z.enum(["uscc", "org_code"]), code: text(50) }),
  access_method: z.enum(["dedicated_line", "fibre", "adsl", "dial_up", "wireless", "server_hosting", "virtual_hosting", "other"]),
  ip_addresses: z.array(refined(r.ip, "ip_invalid")).min(1).max(256).superRefine(unique("ip")),
  websites: z.array(z.object({
    name: text(100),
    domains: z.array(z.string()).min(1).max(100).superRefine(unique("domain")).pipe(z.array(domain)),
    homepage: refined(r.httpUrl, "url_invalid"),
    icp_number: refined(r.icp, "icp_invalid").optional(),
    service_type: z.enum(["interactive", "non_interactive"]),
    bbs_rules: z.boolean().optional(),
    live_date: date,
  })).max(100).optional(),
  network_live_date: date,
  important_field: z.enum([...r.IMPORTANT, "none"]),
  approval_certificate: z.object({
    name: text(255), media_type: z.enum(["application/pdf", "image/jpeg", "image/png"]),
    size: z.number().int().min(1).max(10485760), sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }).optional(),
  accept_security_notice: z.literal(true),
});

/** `(data, now) => { valid, errors, warnings, data }`. */
export function compile() {
  return function run(data, now) {
    const parsed = schema.safeParse(data);
    const errors = parsed.success ? [] : parsed.error.issues.slice();
    const warnings = [];
    for (const [path, code, severity] of r.crossField(parsed.success ? parsed.data : data, now)) {
      if (severity === "error") errors.push({ code: "custom", path: [path], message: code });
      else warnings.push({ path, code });
    }
    return { valid: errors.length === 0, errors, warnings, data: parsed.success ? parsed.data : undefined };
  };
}

/** One field as typed: the mobile number. */
export function compileField() {
  return (value) => {
    const p = mobile.safeParse(value);
    return p.success ? [] : p.error.issues;
  };
}
