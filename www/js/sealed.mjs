// Decodes a sealed envelope (the last one this browser sent, or one pasted) and shows the
// receiver's receipt for it. Everything goes into the page as text.
const en = document.documentElement.lang.startsWith("en");
const T = en
  ? { header: "Protected header", payload: "Payload", receipt: "The receiver's receipt", none: "No envelope yet: submit a form first, or paste one.", bad: "Not an envelope", verdict: "Verdict", accepted: "accepted and stored", unknown: "no receipt for this envelope in this browser" }
  : { header: "受保护头", payload: "载荷", receipt: "接收端回执", none: "还没有信封：请先提交一个表单，或粘贴一个信封。", bad: "不是有效的信封", verdict: "结论", accepted: "已验签、复核并存储", unknown: "本浏览器没有该信封的回执" };

const out = document.getElementById("decoded");
const area = document.getElementById("envelope");

const el = (tag, text) => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  return node;
};
const decode = (part) => JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0))));

async function show(text) {
  out.replaceChildren();
  if (!text) {
    out.append(el("p", T.none));
    return;
  }
  let envelope;
  try {
    envelope = JSON.parse(text);
    out.append(el("h2", T.header), el("pre", JSON.stringify(decode(envelope.protected), null, 2)));
    out.append(el("h2", T.payload), el("pre", JSON.stringify(decode(envelope.payload), null, 2)));
  } catch (e) {
    out.append(el("p", `${T.bad}: ${e.message}`));
    return;
  }
  out.append(el("h2", T.receipt));
  const last = JSON.parse(sessionStorage.getItem("formseal:last-receipt") ?? "null");
  const mine = last && sessionStorage.getItem("formseal:last") === text;
  if (!mine) {
    out.append(el("p", `${T.verdict}: ${T.unknown}`));
    return;
  }
  const response = await fetch(`/api/submissions/${encodeURIComponent(last.id)}`, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  out.append(el("p", `${T.verdict}: ${response.ok ? T.accepted : JSON.stringify(body.error ?? response.status)}`), el("pre", JSON.stringify(body, null, 2)));
}

document.getElementById("inspect").addEventListener("submit", (e) => {
  e.preventDefault();
  show(area.value.trim());
});
const last = sessionStorage.getItem("formseal:last");
if (last) area.value = last;
show(last ?? "");
