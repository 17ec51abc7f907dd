import { FormValidator, isFormsealError } from "formseal";

const validator = FormValidator.builtin("user-filing"); // messages in zh-CN; { locale: "en" } for English
const form = document.querySelector("form");
const list = document.querySelector("#findings");

function check() {
  try {
    const report = validator.validate(Object.fromEntries(new FormData(form)));
    list.replaceChildren(...report.findings.map((f) => {
      const item = document.createElement("li");
      Object.assign(item.dataset, { path: f.path, code: f.code, severity: f.severity });
      item.textContent = f.message; // names the field and cites the article
      return item;
    }));
    form.dataset.valid = String(report.valid);
  } catch (e) {
    if (!isFormsealError(e)) throw e;
    list.textContent = `${e.code}: ${e.message}`; // data that is not a form at all
  }
}

form.addEventListener("input", check);
check();
