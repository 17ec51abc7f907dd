// Writes the demo portal's form pages (www/forms/*.html, www/en/forms/*.html) and indexes as
// plain HTML, the kind a portal writes without formseal: labels, hints, fieldsets, named controls.
// The only formseal-specific markup is `data-formseal="<form id>"` on the <form> and one script.
// Run after `make pkg`: node www/tools/build-pages.mjs (the pages are committed; `make www`
// rebuilds them and the JS tests check they are up to date).
import { createRequire } from "node:module";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
// FORMSEAL_WWW_OUT writes elsewhere (the tests compare that with the committed pages).
const www = process.env.FORMSEAL_WWW_OUT ?? join(here, "..");
const require = createRequire(import.meta.url);
const fs = require(process.env.FORMSEAL_NODE ?? join(www, "../pkg/node/formseal.js"));

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const idOf = (path) => `f-${path.replace(/[^A-Za-z0-9_-]+/g, "-")}`;

const UI = {
  "zh-CN": {
    site: "网络安全备案（演示）", home: "首页", other: "English", otherHref: (p) => `/en${p}`,
    submit: "提交备案", optional: "（选填）", item: (n) => `第 ${n} 项`, sealedPage: "查看签封内容", customPage: "自定义表单",
    intro: "本站演示在既有表单上加入 formseal：填写时即时检查，提交时在浏览器内签封，服务器验签并复核后出具回执。",
    forms: "可办理的备案", note: "演示站点：不要填写真实个人信息。",
  },
  en: {
    site: "Network security filing (demo)", home: "Home", other: "中文", otherHref: (p) => p,
    submit: "Submit filing", optional: " (optional)", item: (n) => `Item ${n}`, sealedPage: "Inspect a sealed payload", customPage: "Your own form",
    intro: "This site shows formseal added to existing forms: fields are checked as you fill them in, a valid form is sealed in the browser, and the server verifies the seal, checks the data again and issues a receipt.",
    forms: "Filings", note: "A demo site: do not enter real personal data.",
  },
};

function page(locale, path, title, body) {
  const ui = UI[locale];
  const prefix = locale === "en" ? "/en" : "";
  return `<!doctype html>
<html lang="${locale}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${esc(title)} · ${esc(ui.site)}</title>
  <link rel="icon" href="/favicon.svg">
  <link rel="stylesheet" href="/css/site.css">
  <link rel="stylesheet" href="/pkg/embed.css">
  <script type="module" src="/js/site.mjs"></script>
</head>
<body>
  <a class="skip" href="#main">${locale === "en" ? "Skip to main content" : "跳到正文"}</a>
  <header class="masthead">
    <a class="brand" href="${prefix}/">${esc(ui.site)}</a>
    <nav><a href="${prefix}/sealed.html">${esc(ui.sealedPage)}</a> <a href="${prefix}/custom.html">${esc(ui.customPage)}</a> <a lang="${locale === "en" ? "zh-CN" : "en"}" href="${ui.otherHref(path)}">${esc(ui.other)}</a></nav>
  </header>
  <main id="main">
${body}
  </main>
  <footer><p>${esc(ui.note)}</p></footer>
</body>
</html>
`;
}

function hint(f) {
  return f.help ? `<div class="hint" id="${idOf(f.path)}-hint">${esc(f.help)}</div>` : "";
}

function labelText(f, ui) {
  return `${esc(f.label)}${f.required === false ? `<span class="optional">${esc(ui.optional)}</span>` : ""}`;
}

const TEXT_KINDS = { email: "email", url: "url", mobile: "tel", phone: "tel" };

/** One field as ordinary HTML at the concrete path `path` (list indices filled in). */
function control(f, path, ui, indent) {
  const id = idOf(path);
  const described = f.help ? ` aria-describedby="${id}-hint"` : "";
  const pad = " ".repeat(indent);
  switch (f.kind) {
    case "group": {
      const inner = f.fields.map((c) => control(c, `${path}.${c.name}`, ui, indent + 2)).join("\n");
      return `${pad}<fieldset class="group" id="${id}">\n${pad}  <legend>${labelText(f, ui)}</legend>\n${pad}  ${hint(f)}\n${inner}\n${pad}</fieldset>`;
    }
    case "list": {
      const count = f.item.kind === "group" ? 1 : Math.min(Math.max(f.min_items ?? 1, 3), f.max_items ?? 3);
      const items = [];
      for (let i = 0; i < count; i += 1) {
        const item = { ...f.item, label: `${f.item.label} ${ui.item(i + 1)}`, help: undefined, required: i === 0 ? f.required : false };
        items.push(control(item, `${path}[${i}]`, ui, indent + 2));
      }
      return `${pad}<fieldset class="list" id="${id}">\n${pad}  <legend>${labelText(f, ui)}</legend>\n${pad}  ${hint(f)}\n${items.join("\n")}\n${pad}</fieldset>`;
    }
    case "choice": {
      if (f.multiple || f.options.length <= 4) {
        const type = f.multiple ? "checkbox" : "radio";
        const opts = f.options.map((o, i) => `${pad}    <label class="option"><input type="${type}" name="${esc(path)}" id="${id}-${i}" value="${esc(o.value)}"${described}> ${esc(o.label)}</label>`).join("\n");
        return `${pad}<fieldset class="field choice">\n${pad}  <legend>${labelText(f, ui)}</legend>\n${pad}  ${hint(f)}\n${pad}  <div class="options">\n${opts}\n${pad}  </div>\n${pad}</fieldset>`;
      }
      const opts = f.options.map((o) => `${pad}    <option value="${esc(o.value)}">${esc(o.label)}</option>`).join("\n");
      return `${pad}<div class="field">\n${pad}  <label for="${id}">${labelText(f, ui)}</label>\n${pad}  ${hint(f)}\n${pad}  <select name="${esc(path)}" id="${id}"${described}>\n${pad}    <option value=""></option>\n${opts}\n${pad}  </select>\n${pad}</div>`;
    }
    case "boolean":
      return `${pad}<div class="field checkbox">\n${pad}  ${hint(f)}\n${pad}  <label><input type="checkbox" name="${esc(path)}" id="${id}" value="true"${described}> ${esc(f.label)}</label>\n${pad}</div>`;
    case "long_text":
      return `${pad}<div class="field">\n${pad}  <label for="${id}">${labelText(f, ui)}</label>\n${pad}  ${hint(f)}\n${pad}  <textarea name="${esc(path)}" id="${id}" rows="4"${described}></textarea>\n${pad}</div>`;
    default: {
      const type = { date: "date", datetime: "datetime-local", number: "number", attachment: "file" }[f.kind] ?? TEXT_KINDS[f.kind] ?? "text";
      const extra = f.kind === "attachment" && f.media_types ? ` accept="${esc(f.media_types.join(","))}"` : "";
      return `${pad}<div class="field">\n${pad}  <label for="${id}">${labelText(f, ui)}</label>\n${pad}  ${hint(f)}\n${pad}  <input type="${type}" name="${esc(path)}" id="${id}"${extra}${described} autocomplete="off">\n${pad}</div>`;
    }
  }
}

function formPage(id, locale) {
  const ui = UI[locale];
  const d = fs.FormValidator.builtin(id).describe(locale);
  const fields = d.fields.map((f) => control(f, f.name, ui, 6)).join("\n");
  const body = `    <h1>${esc(d.title)}</h1>
    ${d.description ? `<p class="lead">${esc(d.description)}</p>` : ""}
    <form data-formseal="${esc(id)}" action="/api/submissions" method="post" class="filing">
${fields}
      <button type="submit" class="button">${esc(ui.submit)}</button>
    </form>`;
  return page(locale, `/forms/${id}.html`, d.title, body);
}

function indexPage(locale) {
  const ui = UI[locale];
  const prefix = locale === "en" ? "/en" : "";
  const items = fs.forms().map((f) => `      <li><a href="${prefix}/forms/${f.id}.html">${esc(f.title[locale])}</a></li>`).join("\n");
  return page(locale, "/", ui.site, `    <h1>${esc(ui.site)}</h1>
    <p class="lead">${esc(ui.intro)}</p>
    <h2>${esc(ui.forms)}</h2>
    <ul class="forms">
${items}
    </ul>`);
}

const EXTRA = {
  "zh-CN": {
    sealed: { title: "签封内容与服务器结论", body: `    <h1>签封内容与服务器结论</h1>
    <p class="lead">这里显示本浏览器最近一次提交的签封信封：受保护头、载荷（表单、规范化数据、向您显示过的提示、随机数、签发与到期时间）以及接收端出具的回执。也可以粘贴一个信封。</p>
    <form id="inspect" class="filing">
      <div class="field"><label for="envelope">签封信封（JSON）</label><textarea id="envelope" name="envelope" rows="6"></textarea></div>
      <button type="submit" class="button">解析</button>
    </form>
    <section id="decoded" aria-live="polite"></section>
    <script type="module" src="/js/sealed.mjs"></script>` },
    custom: { title: "自定义表单", body: `    <h1>自定义表单</h1>
    <p class="lead">粘贴您自己的表单定义（JSON，格式见 docs/definitions.md），这里会用 describe() 生成一个可用的表单，并用同样的规则检查。签封后的信封显示在页面上，不发送到服务器（接收端只认识内置表单）。</p>
    <form id="definition-form" class="filing">
      <div class="field"><label for="definition">表单定义（JSON）</label><textarea id="definition" name="definition" rows="12"></textarea></div>
      <button type="submit" class="button">生成表单</button>
    </form>
    <div id="definition-error" role="alert"></div>
    <section id="custom-form"></section>
    <script type="module" src="/js/custom.mjs"></script>` },
  },
  en: {
    sealed: { title: "A sealed payload and the server's verdict", body: `    <h1>A sealed payload and the server's verdict</h1>
    <p class="lead">The envelope this browser sealed last: its protected header, its payload (form, normalised data, the warnings you were shown, nonce, issue and expiry times) and the receiver's receipt. You can also paste an envelope.</p>
    <form id="inspect" class="filing">
      <div class="field"><label for="envelope">Sealed envelope (JSON)</label><textarea id="envelope" name="envelope" rows="6"></textarea></div>
      <button type="submit" class="button">Decode</button>
    </form>
    <section id="decoded" aria-live="polite"></section>
    <script type="module" src="/js/sealed.mjs"></script>` },
    custom: { title: "Your own form", body: `    <h1>Your own form</h1>
    <p class="lead">Paste a form definition of your own (JSON, see docs/definitions.md) and get a working form built from describe(), checked by the same rules. The sealed envelope is shown here and not sent (the receiver knows only the built-in forms).</p>
    <form id="definition-form" class="filing">
      <div class="field"><label for="definition">Form definition (JSON)</label><textarea id="definition" name="definition" rows="12"></textarea></div>
      <button type="submit" class="button">Build the form</button>
    </form>
    <div id="definition-error" role="alert"></div>
    <section id="custom-form"></section>
    <script type="module" src="/js/custom.mjs"></script>` },
  },
};


const write = (rel, text) => {
  const file = join(www, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text.replace(/\n[ \t]+\n/g, "\n"));
};

for (const locale of ["zh-CN", "en"]) {
  const dir = locale === "en" ? "en/" : "";
  write(`${dir}index.html`, indexPage(locale));
  for (const f of fs.forms()) write(`${dir}forms/${f.id}.html`, formPage(f.id, locale));
  for (const [name, { title, body }] of Object.entries(EXTRA[locale])) write(`${dir}${name}.html`, page(locale, `/${name}.html`, title, body));
}
console.log("www: pages written");
