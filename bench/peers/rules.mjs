// The checks formseal makes on `network-unit-filing`, written the way a portal team would write
// them for a JavaScript validator: plain functions the Ajv keywords, the Zod and the Valibot
// refinements all call, so the three peers run the same rules on the same data. Portable (Node and
// browsers): domains go through the WHATWG URL parser (`new URL`), as `url.domainToASCII` would.
// What they leave out compared with formseal is listed in GAPS (and in bench/results/latest.md).

export const GAPS = [
  "warnings: none of Ajv, Zod or Valibot has a severity below error, so the two deadline rules (30 days after go-live, the 2005-06-30 campaign) and unknown fields are collected on the side, outside the schema's result",
  "legal basis per finding (第十二条, 第二十三条 ...): no place for it in any of the three error objects",
  "the GB/T 2260 county list of resident IDs (formseal's `resident_id_county_unknown` warning) and 15-digit legacy IDs: left out, a 17 KB table",
  "the .cn/.中国 registry rules and the mixed-script (homograph) policy on domains: left out; only what `new URL` (UTS #46) refuses is refused",
  "normalised data: Zod and Valibot return it through transforms; Ajv only checks (its `modifying` keywords are not used)",
];

const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";
const PROVINCES = new Set([11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
  50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83]);

/** Trimmed, full-width ASCII folded to half-width, invisible characters dropped. */
export function clean(s) {
  return String(s).normalize("NFKC").replace(/[\u200B-\u200D\u2060\uFEFF]/g, "").trim();
}

export function uscc(input) {
  const s = clean(input).toUpperCase();
  if (s.length !== 18) return "uscc_length";
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(s[i]);
    if (v < 0) return "uscc_character";
    sum += v * USCC_WEIGHTS[i];
  }
  if (USCC_ALPHABET.indexOf(s[17]) < 0) return "uscc_character";
  return USCC_ALPHABET[(31 - (sum % 31)) % 31] === s[17] ? null : "uscc_check_char";
}

export function orgCode(input) {
  const s = clean(input).toUpperCase().replace(/-/, "");
  if (s.length !== 9) return "org_code_length";
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = s.charCodeAt(i);
    const v = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 90 ? c - 55 : -1;
    if (v < 0) return "org_code_character";
    sum += v * ORG_WEIGHTS[i];
  }
  const r = 11 - (sum % 11);
  const check = r === 10 ? "X" : r === 11 ? "0" : String(r);
  return check === s[8] ? null : "org_code_check_char";
}

function validDate(y, m, d) {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1];
}

/** Beijing calendar date (YYYY-MM-DD) of a Date. */
export function beijingDay(now) {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export function residentId(input, today) {
  const s = clean(input).toUpperCase();
  if (s.length !== 18) return "resident_id_length";
  if (!/^\d{17}[\dX]$/.test(s)) return "resident_id_character";
  if (!PROVINCES.has(Number(s.slice(0, 2)))) return "resident_id_province";
  const y = Number(s.slice(6, 10)), m = Number(s.slice(10, 12)), d = Number(s.slice(12, 14));
  if (!validDate(y, m, d)) return "resident_id_birth_date";
  if (y < 1850) return "resident_id_birth_too_early";
  if (today && `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}` > today) return "resident_id_birth_future";
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (s.charCodeAt(i) - 48) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11] === s[17] ? null : "resident_id_check_char";
}

/** A mainland mobile number: the normalised "+86…" form, or null. */
export function mobile(input) {
  const s = clean(input).replace(/[\s\-()]/g, "").replace(/^(\+86|0086)/, "");
  return /^1[3-9]\d{9}$/.test(s) ? `+86${s}` : null;
}

export function phone(input) {
  const s = clean(input).replace(/[\s()]/g, "");
  return /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/.test(s) || /^[48]00-?\d{3}-?\d{4}$/.test(s) || mobile(s) !== null;
}

/** A domain as its A-label form (lower case), or null when `new URL` or the DNS limits refuse it. */
export function domain(input) {
  const s = clean(input).replace(/\.$/, "");
  if (!s || /[\s/?#@:[\]\\%]/.test(s)) return null;
  let host;
  try {
    host = new URL(`http://${s}/`).hostname;
  } catch {
    return null;
  }
  if (host.length > 253 || /^[\d.]+$/.test(host)) return null;
  const labels = host.split(".");
  if (labels.length < 2) return null;
  for (const l of labels) {
    if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(l)) return null;
    if (l.slice(2, 4) === "--" && !l.startsWith("xn--")) return null;
  }
  return /^(?:[a-z]{2,63}|xn--[a-z0-9-]+)$/.test(labels[labels.length - 1]) ? host : null;
}

export function email(input) {
  const s = clean(input);
  const at = s.lastIndexOf("@");
  if (at < 1 || at > 64) return false;
  return /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$/.test(s.slice(0, at)) && !/^\.|\.\.|\.$/.test(s.slice(0, at))
    && domain(s.slice(at + 1)) !== null;
}

export function httpUrl(input) {
  const s = clean(input);
  if (s.length > 2048) return false;
  try {
    const u = new URL(s);
    return (u.protocol === "http:" || u.protocol === "https:") && domain(u.hostname) !== null;
  } catch {
    return false;
  }
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
export function ip(input) {
  const s = clean(input);
  if (IPV4.test(s)) return true;
  if (!s.includes(":") || /[^0-9a-fA-F:.]/.test(s)) return false;
  try {
    new URL(`http://[${s}]/`);
    return true;
  } catch {
    return false;
  }
}

const ICP = /^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]ICP(?:备\d{8}号(?:-\d{1,4})?|证\d{6}号|证[A-Z]\d-\d{8})$/;
export function icp(input) {
  return ICP.test(clean(input).replace(/\s/g, ""));
}

export const DATE = /^\d{4}-\d{2}-\d{2}$/;
export function date(input) {
  const s = clean(input);
  return DATE.test(s) && validDate(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10)));
}

/** The day `days` after `day` (YYYY-MM-DD). */
function addDays(day, days) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export const CERTIFICATE_KINDS = { uscc, org_code: orgCode, resident_id: residentId, hmt_residence_permit: residentId };
export const PERSON_ID_KINDS = { resident_id: residentId, hmt_residence_permit: residentId };
export const PROVIDER_KINDS = { uscc, org_code: orgCode };
export const ALLOWED = {
  enterprise: ["uscc"], individual_business: ["uscc"], institution: ["uscc"], government: ["uscc", "org_code"],
  social_organization: ["uscc"], private_non_enterprise: ["uscc"], foundation: ["uscc"],
  other_organization: ["uscc", "org_code", "other_unit_certificate"],
  individual: ["resident_id", "hmt_residence_permit", "hk_macao_permit", "taiwan_permit", "passport"],
};
export const IMPORTANT = ["national_affairs", "economic_construction", "national_defence", "cutting_edge_science"];
export const KNOWN = new Set(["subject_nature", "unit_name", "certificate_type", "certificate_number", "org_code",
  "address", "admin_area", "server_location", "principal", "security_officer", "emergency_contact", "network_type",
  "access_provider", "access_method", "ip_addresses", "websites", "network_live_date", "important_field",
  "approval_certificate", "accept_security_notice"]);

/**
 * The form's cross-field rules on a document (raw or normalised), at `now`. Returns
 * `[path, code, severity]` triples; each peer turns them into its own issue objects.
 */
export function crossField(data, now) {
  const out = [];
  const today = beijingDay(now);
  const cert = CERTIFICATE_KINDS[data.certificate_type];
  if (cert && typeof data.certificate_number === "string") {
    const code = cert(data.certificate_number, today);
    if (code) out.push(["certificate_number", code, "error"]);
  }
  const allowed = ALLOWED[data.subject_nature];
  if (allowed && data.certificate_type && !allowed.includes(data.certificate_type)) {
    out.push(["certificate_type", "certificate_type_mismatch", "error"]);
  }
  for (const who of ["principal", "security_officer"]) {
    const p = data[who];
    const check = p && PERSON_ID_KINDS[p.id_type];
    if (check && typeof p.id_number === "string") {
      const code = check(p.id_number, today);
      if (code) out.push([`${who}.id_number`, code, "error"]);
    }
  }
  const ap = data.access_provider;
  const apCheck = ap && PROVIDER_KINDS[ap.code_type];
  if (apCheck && typeof ap.code === "string") {
    const code = apCheck(ap.code);
    if (code) out.push(["access_provider.code", code, "error"]);
  }
  const a = data.emergency_contact?.mobile, b = data.principal?.mobile;
  if (typeof a === "string" && typeof b === "string" && mobile(a) !== null && mobile(a) === mobile(b)) {
    out.push(["emergency_contact.mobile", "differs_from", "error"]);
  }
  if (data.org_code != null && data.org_code !== "" && data.subject_nature === "individual") {
    out.push(["org_code", "forbidden", "error"]);
  }
  if (typeof data.network_live_date === "string" && date(data.network_live_date)) {
    const live = clean(data.network_live_date);
    if (live > today) out.push(["network_live_date", "not_in_future", "error"]);
    // Day-counted: the go-live day is not counted, the last day ends at 24:00 Beijing time.
    else if (today > addDays(live, 30)) out.push(["network_live_date", "deadline_passed", "warning"]);
  }
  if (Array.isArray(data.websites)) {
    data.websites.forEach((w, i) => {
      if (w && typeof w.live_date === "string" && date(w.live_date) && clean(w.live_date) > today) {
        out.push([`websites[${i}].live_date`, "not_in_future", "error"]);
      }
      if (w && w.service_type === "interactive" && w.bbs_rules !== true) {
        out.push([`websites[${i}].bbs_rules`, "must_be_ticked", "error"]);
      }
    });
    if (data.websites.length > 0 && today > "2005-06-30") out.push(["", "deadline_passed", "warning"]);
  }
  if (IMPORTANT.includes(data.important_field) && data.approval_certificate == null) {
    out.push(["approval_certificate", "required", "error"]);
  }
  for (const key of Object.keys(data)) if (!KNOWN.has(key)) out.push([key, "unknown_field", "warning"]);
  return out;
}

/** Duplicates in a list after `norm`: the indices of the repeats. */
export function duplicates(items, norm) {
  const seen = new Set();
  const out = [];
  items.forEach((item, i) => {
    const n = typeof item === "string" ? norm(item) ?? clean(item) : item;
    if (seen.has(n)) out.push(i);
    seen.add(n);
  });
  return out;
}
