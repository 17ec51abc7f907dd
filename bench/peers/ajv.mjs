// network-unit-filing as a JSON Schema compiled by Ajv, with ajv-formats, custom formats for the
// identifiers, a custom keyword for uniqueness after normalisation and one for the cross-field and
// deadline rules, and ajv-i18n's zh messages: what a portal team would build with Ajv.
import Ajv from "ajv";
import addFormats from "ajv-formats";
import localizeZh from "ajv-i18n/localize/zh/index.js";
import * as r from "./rules.mjs";

const str = (max, extra = {}) => ({ type: "string", minLength: 1, maxLength: max, ...extra });
const ID_TYPES = ["resident_id", "hmt_residence_permit", "hk_macao_permit", "taiwan_permit", "passport"];
const person = {
  type: "object",
  required: ["name", "id_type", "id_number", "mobile", "email"],
  properties: {
    name: str(50), id_type: { enum: ID_TYPES }, id_number: str(50),
    mobile: { type: "string", format: "cn-mobile" }, phone: { type: "string", format: "cn-phone" },
    email: { type: "string", format: "idn-email-cn" },
  },
};

export const schema = {
  type: "object",
  required: ["subject_nature", "unit_name", "certificate_type", "certificate_number", "address", "admin_area",
    "principal", "security_officer", "emergency_contact", "network_type", "access_provider", "access_method",
    "ip_addresses", "network_live_date", "important_field", "accept_security_notice"],
  properties: {
    subject_nature: { enum: Object.keys(r.ALLOWED) },
    unit_name: str(100),
    certificate_type: { enum: ["uscc", "org_code", "other_unit_certificate", ...ID_TYPES] },
    certificate_number: str(50),
    org_code: { type: "string", format: "org-code" },
    address: str(200),
    admin_area: str(6, { pattern: "^[1-9][0-9]{5}$" }),
    server_location: { type: "string", maxLength: 200 },
    principal: person,
    security_officer: person,
    emergency_contact: {
      type: "object",
      required: ["name", "mobile"],
      properties: {
        name: str(50), mobile: { type: "string", format: "cn-mobile" }, phone: { type: "string", format: "cn-phone" },
        email: { type: "string", format: "idn-email-cn" },
      },
    },
    network_type: { enum: ["interconnecting_unit", "access_unit", "networked_organization"] },
    access_provider: {
      type: "object",
      required: ["name", "code_type", "code"],
      properties: { name: str(100), code_type: { enum: ["uscc", "org_code"] }, code: str(50) },
    },
    access_method: { enum: ["dedicated_line", "fibre", "adsl", "dial_up", "wireless", "server_hosting", "virtual_hosting", "other"] },
    ip_addresses: {
      type: "array", minItems: 1, maxItems: 256, uniqueNormalized: "ip",
      items: { type: "string", format: "ip-any" },
    },
    websites: {
      type: "array", maxItems: 100,
      items: {
        type: "object",
        required: ["name", "domains", "homepage", "service_type", "live_date"],
        properties: {
          name: str(100),
          domains: {
            type: "array", minItems: 1, maxItems: 100, uniqueNormalized: "domain",
            items: { type: "string", format: "idn-domain-cn" },
          },
          homepage: { type: "string", format: "http-url" },
          icp_number: { type: "string", format: "icp-number" },
          service_type: { enum: ["interactive", "non_interactive"] },
          bbs_rules: { type: "boolean" },
          live_date: { type: "string", format: "date" },
        },
      },
    },
    network_live_date: { type: "string", format: "date" },
    important_field: { enum: [...r.IMPORTANT, "none"] },
    approval_certificate: {
      type: "object",
      required: ["name", "media_type", "size", "sha256"],
      properties: {
        name: str(255), media_type: { enum: ["application/pdf", "image/jpeg", "image/png"] },
        size: { type: "integer", minimum: 1, maximum: 10485760 }, sha256: { type: "string", pattern: "^[0-9a-f]{64}$" },
      },
    },
    accept_security_notice: { const: true },
  },
  crossField: true,
};

/** Ajv with the formats and keywords; `now` and the warnings travel in a context object. */
export function makeAjv() {
  const ajv = new Ajv({ allErrors: true, strict: false, passContext: true });
  addFormats(ajv, ["date"]);
  ajv.addFormat("cn-mobile", (s) => r.mobile(s) !== null);
  ajv.addFormat("cn-phone", r.phone);
  ajv.addFormat("idn-email-cn", r.email);
  ajv.addFormat("idn-domain-cn", (s) => r.domain(s) !== null);
  ajv.addFormat("http-url", r.httpUrl);
  ajv.addFormat("ip-any", r.ip);
  ajv.addFormat("icp-number", r.icp);
  ajv.addFormat("org-code", (s) => r.orgCode(s) === null);
  ajv.addKeyword({
    keyword: "uniqueNormalized",
    type: "array",
    errors: true,
    validate: function unique(kind, items) {
      const dups = r.duplicates(items, kind === "domain" ? r.domain : r.clean);
      unique.errors = dups.map((i) => ({ keyword: "uniqueNormalized", message: `第 ${i + 1} 项与前面的项重复`, params: { i } }));
      return dups.length === 0;
    },
  });
  ajv.addKeyword({
    keyword: "crossField",
    errors: true,
    validate: function cross(_, data) {
      if (typeof data !== "object" || data === null) return true;
      const findings = r.crossField(data, this.now);
      const errors = [];
      for (const [path, code, severity] of findings) {
        if (severity === "error") errors.push({ keyword: "crossField", instancePath: path, message: code, params: { code } });
        else this.warnings.push({ path, code });
      }
      cross.errors = errors;
      return errors.length === 0;
    },
  });
  return ajv;
}

/** The compiled validator: `(data, now) => { valid, errors, warnings }`, messages in Chinese. */
export function compile() {
  const validate = makeAjv().compile(schema);
  return function run(data, now) {
    const ctx = { now, warnings: [] };
    const valid = validate.call(ctx, data);
    const errors = valid ? [] : validate.errors;
    if (!valid) localizeZh(errors);
    return { valid, errors, warnings: ctx.warnings };
  };
}

/** One field as typed: the mobile number, through its own compiled schema. */
export function compileField() {
  const validate = makeAjv().compile(person.properties.mobile);
  return function field(value) {
    const valid = validate(value);
    if (!valid) localizeZh(validate.errors);
    return valid ? [] : validate.errors;
  };
}
