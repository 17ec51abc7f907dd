import React, { useMemo, useState } from "react";
import { createRoot } from "react-dom/client";
import { useForm } from "react-hook-form";
import { standardSchemaResolver } from "@hookform/resolvers/standard-schema";
import { FormValidator } from "formseal";

// A FormValidator is a Standard Schema: react-hook-form takes it as it is.
const validators = { "zh-CN": FormValidator.builtin("user-filing"), en: FormValidator.builtin("user-filing", { locale: "en" }) };
const FIELDS = ["user_type", "full_name", "id_type", "id_number", "address", "phone", "mobile", "email",
  "access_provider_name", "access_method", "account_name", "connection_date"];
const TICKS = ["no_account_transfer", "declaration"];

function Filing({ locale }) {
  const resolver = useMemo(() => standardSchemaResolver(validators[locale]), [locale]);
  const { register, handleSubmit, formState: { errors, isSubmitSuccessful } } = useForm({ resolver });
  const [sent, setSent] = useState(null);
  return (
    <form lang={locale} noValidate onSubmit={handleSubmit((normalized) => setSent(normalized))}>
      {FIELDS.map((name) => (
        <p key={name}>
          <label htmlFor={name}>{name}</label>
          <input id={name} {...register(name)} aria-invalid={errors[name] ? "true" : undefined} />
          {errors[name] && <span className="error" data-error-for={name}>{errors[name].message}</span>}
        </p>
      ))}
      {TICKS.map((name) => (
        <p key={name}>
          <label><input type="checkbox" {...register(name)} /> {name}</label>
          {errors[name] && <span className="error" data-error-for={name}>{errors[name].message}</span>}
        </p>
      ))}
      <button type="submit">{locale === "en" ? "Check" : "检查"}</button>
      {isSubmitSuccessful && sent && <output data-valid="true">{JSON.stringify(sent)}</output>}
    </form>
  );
}

function App() {
  const [locale, setLocale] = useState("zh-CN");
  return (
    <>
      <button type="button" id="locale" onClick={() => setLocale(locale === "en" ? "zh-CN" : "en")}>
        {locale === "en" ? "中文" : "English"}
      </button>
      <Filing key={locale} locale={locale} />
    </>
  );
}

createRoot(document.getElementById("root")).render(<App />);
