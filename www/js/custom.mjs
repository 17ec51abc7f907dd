// A form of one's own: the pasted definition is compiled (errors name their JSON path), its
// describe() output is rendered as ordinary controls with DOM calls (never markup), and
// formseal-embed upgrades it with the same definition. The sealed envelope is shown, not sent.
import { upgrade, upgradedForm, load } from "/pkg/embed.js";
import { FormValidator } from "/pkg/web/formseal.js";

const en = document.documentElement.lang.startsWith("en");
const locale = en ? "en" : "zh-CN";
const T = en ? { submit: "Check and seal", item: "Item", sealed: "Sealed envelope (not sent):" } : { submit: "检查并签封", item: "第 {n} 项", sealed: "签封信封（未发送）：" };

const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  node.append(...children);
  return node;
};
let uid = 0;

function render(f, path) {
  const id = `c-${(uid += 1)}`;
  const hint = f.help ? [el("div", { class: "hint", id: `${id}-hint` }, f.help)] : [];
  const described = f.help ? { "aria-describedby": `${id}-hint` } : {};
  if (f.kind === "group") return el("fieldset", { class: "group" }, el("legend", {}, f.label), ...hint, ...f.fields.map((c) => render(c, `${path}.${c.name}`)));
  if (f.kind === "list") {
    const n = f.item.kind === "group" ? 1 : 2;
    const items = Array.from({ length: n }, (_, i) => render({ ...f.item, label: `${f.item.label} ${en ? `${T.item} ${i + 1}` : T.item.replace("{n}", i + 1)}`, help: undefined }, `${path}[${i}]`));
    return el("fieldset", { class: "list" }, el("legend", {}, f.label), ...hint, ...items);
  }
  if (f.kind === "choice") {
    const type = f.multiple ? "checkbox" : "radio";
    return el("fieldset", { class: "field choice" }, el("legend", {}, f.label), ...hint,
      el("div", { class: "options" }, ...f.options.map((o) => el("label", { class: "option" }, el("input", { type, name: path, value: o.value, ...described }), " ", o.label))));
  }
  if (f.kind === "boolean") return el("div", { class: "field checkbox" }, ...hint, el("label", {}, el("input", { type: "checkbox", name: path, value: "true", id, ...described }), " ", f.label));
  const input = f.kind === "long_text"
    ? el("textarea", { name: path, id, rows: 4, ...described })
    : el("input", { type: { date: "date", datetime: "datetime-local", number: "number", attachment: "file" }[f.kind] ?? "text", name: path, id, autocomplete: "off", ...described });
  return el("div", { class: "field" }, el("label", { for: id }, f.label), ...hint, input);
}

const area = document.getElementById("definition");
const error = document.getElementById("definition-error");
const target = document.getElementById("custom-form");

document.getElementById("definition-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  error.replaceChildren();
  // The form built last time goes, and so does everything its upgrade set up.
  for (const old of target.querySelectorAll("form")) upgradedForm(old)?.destroy();
  target.replaceChildren();
  await load();
  let description;
  try {
    description = FormValidator.fromDefinition(area.value).describe(locale);
  } catch (err) {
    error.append(el("p", { class: "formseal-message formseal-message--error" }, `${err.code}${err.path ? ` @ ${err.path}` : ""}: ${err.message}`));
    return;
  }
  const form = el("form", { class: "filing", action: "#" }, el("h2", {}, description.title),
    ...description.fields.map((f) => render(f, f.name)), el("button", { type: "submit", class: "button" }, T.submit));
  target.append(form);
  form.addEventListener("formseal:sealed", (ev) => {
    ev.preventDefault(); // shown here, not POSTed
    target.append(el("p", {}, T.sealed), el("pre", { id: "custom-envelope" }, JSON.stringify(ev.detail.envelope, null, 2)));
  });
  await upgrade(form, { definition: area.value, locale });
});
