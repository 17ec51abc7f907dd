// What the embed itself says to the person filing, in zh-CN and en, and how it shows times. The
// findings' own messages come from the module (src/messages/*.json); these are the embed's words
// around them: the summary, the status line, drafts, sending and the receipt.

/** @typedef {"zh-CN" | "en"} Locale */

/** @typedef {typeof zh} Text */
const zh = {
  summaryTitle: "提交前请更正以下问题",
  warningsTitle: "请注意（不影响提交）",
  errorPrefix: "错误：",
  warningPrefix: "提示：",
  titlePrefix: "错误：",
  /** @param {number} n */
  moreErrors: (n) => `另有 ${n} 个错误未在此列出，已在各栏目旁标出。`,
  /** @param {number} n */
  moreWarnings: (n) => `另有 ${n} 条提示未在此列出。`,
  /** @param {number} n */
  errorsWithoutPlace: (n) => `表单中有 ${n} 个错误。`,
  loading: "正在加载检查程序，请稍候……您填写的内容不会丢失。",
  loadFailed: "检查程序未能加载，表单暂时无法提交。您填写的内容都还在；请检查网络后刷新页面重试。",
  checking: "正在检查……",
  /** @param {string} code */
  unexpected: (code) => `表单暂时无法检查（${code}）。您填写的内容都还在，请稍后重试。`,
  unreadableCharacter: "此栏含有无法识别的字符（可能是粘贴时损坏的表情或符号），请删除后重新输入。",
  /** @param {number} n @param {number} max */
  tooLongToCheck: (n, max) => `此栏有 ${n} 个字符，超过可检查的 ${max} 个，请删减。`,
  /** @param {string} t */
  draftRestored: (t) => `已恢复您在 ${t} 保存的草稿。`,
  draftRestoredUndated: "已恢复您保存的草稿。",
  draftCorrupt: "保存的草稿已损坏，无法恢复，已将其删除。",
  /** @param {string} t */
  draftOtherTab: (t) => `这份表单在另一个标签页中也在填写（${t} 保存）。两个页面会互相覆盖草稿：请只在一个标签页中继续填写。`,
  discardDraft: "丢弃草稿",
  draftDiscarded: "草稿已丢弃。",
  sealing: "正在签封并提交……",
  receiptTitle: "备案已提交",
  receiptNumber: "回执编号",
  receivedAt: "接收时间",
  receiptKeep: "请记下回执编号，查询时需要。",
  sealedOnly: "已签封。",
  /** @param {{ message?: string, code?: string }} e */
  refused: (e) => `服务器拒绝了提交：${e.message ?? ""}（${e.code ?? "error"}）。您填写的内容都还在。`,
  /** @param {string} m */
  network: (m) => `提交失败，您填写的内容都还在，请稍后重试：${m}`,
  noSigner: "无法签封：页面没有配置签名密钥。您填写的内容都还在。",
  /** @param {{ message?: string, code?: string }} e */
  sealFailed: (e) => `签封失败，您填写的内容都还在：${e.message ?? ""}（${e.code ?? "error"}）`,
};

/** @type {Text} */
const en = {
  summaryTitle: "There is a problem",
  warningsTitle: "Please note (you can still submit)",
  errorPrefix: "Error: ",
  warningPrefix: "Note: ",
  titlePrefix: "Error: ",
  moreErrors: (n) => `${n} more ${n === 1 ? "error is" : "errors are"} not listed here; each is marked at its field.`,
  moreWarnings: (n) => `${n} more ${n === 1 ? "note is" : "notes are"} not listed here.`,
  errorsWithoutPlace: (n) => `The form has ${n} ${n === 1 ? "error" : "errors"}.`,
  loading: "Loading the checks… Everything you enter is kept.",
  loadFailed: "The checks could not be loaded, so the form cannot be sent yet. Everything you entered is still here: check your connection and reload the page.",
  checking: "Checking…",
  unexpected: (code) => `The form could not be checked just now (${code}). Everything you entered is still here; please try again.`,
  unreadableCharacter: "This field holds a character that cannot be read (perhaps an emoji or symbol broken when pasted): delete it and type it again.",
  tooLongToCheck: (n, max) => `This field holds ${n} characters, more than the ${max} that can be checked: please shorten it.`,
  draftRestored: (t) => `Your draft saved at ${t} has been restored.`,
  draftRestoredUndated: "Your saved draft has been restored.",
  draftCorrupt: "A saved draft was damaged and could not be restored, so it has been removed.",
  draftOtherTab: (t) => `This form is also being filled in in another tab (saved at ${t}). The two pages overwrite each other's draft: please carry on in one tab only.`,
  discardDraft: "Discard draft",
  draftDiscarded: "The draft has been discarded.",
  sealing: "Sealing and sending…",
  receiptTitle: "Filing submitted",
  receiptNumber: "Receipt number",
  receivedAt: "Received",
  receiptKeep: "Keep the receipt number: you need it to ask about this filing.",
  sealedOnly: "Sealed.",
  refused: (e) => `The server refused the submission: ${e.message ?? ""} (${e.code ?? "error"}). Everything you entered is still here.`,
  network: (m) => `Sending failed; everything you entered is still here. Please try again: ${m}`,
  noSigner: "Cannot seal: the page has no signing key configured. Everything you entered is still here.",
  sealFailed: (e) => `Sealing failed; everything you entered is still here: ${e.message ?? ""} (${e.code ?? "error"})`,
};

/** @type {Record<Locale, Text>} */
export const TEXT = { "zh-CN": zh, en };

/** The page's language as a formseal locale: "en" when `lang` starts with "en", else "zh-CN". */
export function pageLocale() {
  const lang = typeof document === "undefined" ? "" : document.documentElement.lang;
  return (lang || "zh-CN").toLowerCase().startsWith("en") ? "en" : "zh-CN";
}

/** How the embed shows a moment (a draft's, a receipt's): date, hours and minutes, and the zone. */
export const LOCAL_TIME = /** @type {const} */ ({ year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });

/**
 * An RFC 3339 time in the person's locale and time zone, with the zone named; `undefined` when
 * `value` is not a time (never "Invalid Date").
 * @param {unknown} value
 * @param {Locale} locale
 * @returns {string | undefined}
 */
export function formatTime(value, locale) {
  if (typeof value !== "string" || value === "") return undefined;
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) return undefined;
  return new Intl.DateTimeFormat(locale, LOCAL_TIME).format(time);
}

const RFC3339 = /\b(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;

/**
 * An RFC 3339 time in a message, in the person's locale, at the wall-clock time it was given in
 * (the messages name the zone: "Beijing time").
 * @param {string} whole
 * @param {string[]} parts year, month, day, hour, minute, second
 * @param {Locale} locale
 */
function wallClock(whole, parts, locale) {
  const [y, mo, d, h, mi, sec] = parts.map((p) => Number(p ?? 0));
  const t = Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, sec ?? 0);
  if (Number.isNaN(t)) return whole;
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(t);
}

/**
 * A finding's message as the page shows it: RFC 3339 times in the person's locale, and the
 * definition's label (where the message quotes it, “…”) replaced by the page's own label for the
 * control, when the page has one that says something else.
 * @param {{ message: string, label?: string }} finding
 * @param {string | undefined} pageLabel
 * @param {Locale} locale
 */
export function localMessage(finding, pageLabel, locale) {
  let message = finding.message.replace(RFC3339, (whole, ...groups) => wallClock(whole, groups.slice(0, 6), locale));
  const label = finding.label;
  if (label && pageLabel && !pageLabel.includes(label)) message = message.split(`“${label}”`).join(`“${pageLabel}”`);
  return message;
}
