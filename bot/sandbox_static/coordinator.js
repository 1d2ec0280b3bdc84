// (3b) The coordinator's pushes: the form (recipients, own text or a tip from the library,
// now / at a time / weekly), the live SMS counter under the text, the preview of what the
// ambassadors get in Telegram and as SMS with its cost, and the list of pushes with their
// delivery figures and a cancel button for planned ones. The counter's figures come from the
// server (POST /sandbox/api/sms/shape), which counts by the same rule as the SMS sender.

import { ApiError, api } from "./api.js";
import { $, clearError, el, reconcile, setOptions, showError } from "./dom.js";
import { BROADCAST_STATUS, COUNT_LABELS, fmt, formatFull, parseDate, snippet } from "./format.js";
import { withBusy } from "./live.js";
import { store } from "./store.js";
import { renderTelegramHtml } from "./telegram_html.js";

const COUNT_DELAY_MS = 150; // ask the server once typing pauses this long
// `text`: what the figure shown (or the question on its way) is for; `asked`: the latest
// question's number, so an older answer arriving late is dropped.
const counter = { text: null, asked: 0, timer: null };

function radioValue(name) {
  const r = document.querySelector(`input[name="${name}"]:checked`);
  return r ? r.value : null;
}

function tipTopics() {
  const topics = new Map();
  for (const t of store.state.tips || []) {
    if (!topics.has(t.topic)) topics.set(t.topic, []);
    topics.get(t.topic).push(t);
  }
  return topics;
}

function capitalise(s) {
  return s ? s.charAt(0).toLocaleUpperCase("da-DK") + s.slice(1) : s;
}

export function renderBroadcastForm() {
  const areasBox = $("broadcast-areas");
  const areas = store.state.areas || [];
  const sig = JSON.stringify(areas);
  if (areasBox.dataset.sig !== sig) {
    const checked = new Set(Array.from(areasBox.querySelectorAll("input:checked")).map((i) => i.value));
    areasBox.replaceChildren(...areas.map((a) => el("label", { class: "check" },
      el("input", { type: "checkbox", name: "broadcast-area", value: a.id, "data-testid": `broadcast-area-${a.id}`, checked: checked.has(a.id) }),
      ` ${a.name}`)));
    areasBox.dataset.sig = sig;
  }
  const topics = tipTopics();
  setOptions($("broadcast-tip"), Array.from(topics, ([topic, list]) => ({
    value: topic,
    label: `${list[0].topic_title || capitalise(topic)} (${list.length} ${list.length === 1 ? "tip" : "tips"})`,
  })));
  document.querySelector('input[name="content"][value="tip"]').disabled = topics.size === 0;
  renderTipPreview();
  syncBroadcastFields();

  const list = Array.isArray(store.state.broadcasts) ? store.state.broadcasts.slice().reverse() : [];
  $("broadcasts-empty").hidden = list.length > 0;
  reconcile($("broadcast-list"), list, (b) => String(b.id), (b) => JSON.stringify(b), renderBroadcastItem);
}

function renderTipPreview() {
  const box = $("broadcast-tip-preview");
  const topic = $("broadcast-tip").value;
  const list = tipTopics().get(topic) || [];
  if (!list.length) {
    box.replaceChildren(el("p", { class: "hint", text: "Tipbiblioteket er tomt." }));
    return;
  }
  box.replaceChildren(
    el("p", { class: "hint", text: "Botten sender det næste tip i emnet, som modtageren ikke har fået. Tips i emnet:" }),
    el("ul", { class: "tip-list" }, list.map((t) => el("li", {}, el("strong", { text: t.title }), el("span", { class: "tip-text", text: ` ${snippet(t.text, 140)}` })))),
  );
}

export function syncBroadcastFields() {
  const audience = radioValue("audience");
  const content = radioValue("content");
  const when = radioValue("when");
  $("broadcast-areas").hidden = audience !== "areas";
  $("broadcast-text-field").hidden = content !== "text";
  $("broadcast-tip-field").hidden = content !== "tip";
  $("broadcast-question-field").hidden = content !== "pulse";
  $("broadcast-at-field").hidden = when !== "at";
  $("broadcast-every-field").hidden = when !== "every";
  $("broadcast-submit").textContent = when === "now" ? "Send nu" : when === "at" ? "Planlæg" : "Planlæg hver uge";
  countSms();
}

/** The counter under the text, from the server's count (debounced; the latest answer wins). */
function countSms() {
  const text = $("broadcast-text").value;
  if (text === counter.text) return;
  counter.text = text;
  clearTimeout(counter.timer);
  const ask = ++counter.asked;
  if (!text) {
    showCount({ chars: 0, segments: 0, encoding: "gsm7" });
    return;
  }
  counter.timer = setTimeout(async () => {
    try {
      const shape = await api("/sms/shape", { text });
      if (ask === counter.asked) showCount(shape);
    } catch (err) {
      if (ask === counter.asked) $("broadcast-text-count").textContent = err.message;
    }
  }, COUNT_DELAY_MS);
}

function showCount(shape) {
  $("broadcast-text-count").textContent = `${shape.chars} tegn · ${shape.segments} ${shape.segments === 1 ? "SMS-del" : "SMS-dele"} pr. modtager på SMS${shape.encoding === "ucs2" ? " (emoji eller særtegn: højst 70 tegn pr. del)" : ""}`;
}

function tomorrowAt(hhmm) {
  const key = fmt.dayKey.format(new Date(Date.now() + 86400000));
  return `${key}T${hhmm}`;
}

function broadcastBody() {
  const audience = radioValue("audience");
  const content = radioValue("content");
  const when = radioValue("when");
  const areas = audience === "areas" ? Array.from(document.querySelectorAll('input[name="broadcast-area"]:checked')).map((i) => i.value) : [];
  if (audience === "areas" && areas.length === 0) throw new ApiError("Vælg mindst ét område, eller vælg “Alle områder”.");
  const text = content === "text" ? $("broadcast-text").value.trim() : null;
  if (content === "text" && !text) throw new ApiError("Skriv en tekst, eller vælg et tip fra biblioteket.");
  const tip = content === "tip" ? $("broadcast-tip").value || null : null;
  if (content === "tip" && !tip) throw new ApiError("Vælg et emne fra tipbiblioteket.");
  const question = content === "pulse" ? $("broadcast-question").value.trim() : null;
  if (content === "pulse" && !question) throw new ApiError("Skriv spørgsmålet til tryghedsmålingen.");
  const at = when === "at" ? $("broadcast-at").value || null : null;
  if (when === "at" && !at) throw new ApiError("Vælg dato og klokkeslæt.");
  const time = $("broadcast-every-time").value;
  if (when === "every" && !time) throw new ApiError("Vælg et klokkeslæt for den ugentlige udsendelse.");
  const every = when === "every" ? `${$("broadcast-every-day").value} ${time}` : null;
  return {
    audience: { areas, channel: $("broadcast-channel").value },
    kind: content === "pulse" ? "pulse" : "push",
    text: content === "pulse" ? question : text,
    tip_topic: tip,
    at,
    every,
  };
}

function renderPreview(preview, body) {
  const box = $("broadcast-preview-result");
  box.classList.remove("is-stale");
  if (!preview) {
    box.hidden = true;
    return;
  }
  const rec = preview.recipients || {};
  const tg = Number(rec.telegram) || 0;
  const sms = Number(rec.sms) || 0;
  const channel = body.audience.channel;
  const showTg = channel !== "sms";
  const showSms = channel !== "telegram";
  const bubble = (kind) => el("div", { class: `preview__phone preview__phone--${kind}` },
    el("p", { class: "preview__label", text: kind === "sms" ? "Som SMS" : "I Telegram" }),
    el("div", { class: `msg msg--in msg--from-bot preview__msg preview__msg--${kind}` },
      el("div", { class: "msg__bubble" }, kind === "telegram" && preview.html
        ? el("div", { class: "msg__text" }, renderTelegramHtml(preview.html))
        : el("div", { class: "msg__text", text: (kind === "sms" && preview.sms_text) || preview.text || "" }))));
  box.replaceChildren(...[
    el("h4", { class: "preview__title", text: "Forhåndsvisning: sådan ser ambassadørerne beskeden" }),
    el("p", { class: "stale-note", text: "Formularen er ændret siden forhåndsvisningen. Tryk Forhåndsvis igen." }),
    el("div", { class: "preview__phones" }, showTg ? bubble("telegram") : null, showSms ? bubble("sms") : null),
    el("dl", { class: "kv kv--stats", "data-testid": "broadcast-preview-stats" },
      el("dt", { text: "Modtagere på Telegram" }), el("dd", { "data-testid": "broadcast-preview-telegram", text: String(tg) }),
      el("dt", { text: "Modtagere på SMS" }), el("dd", { "data-testid": "broadcast-preview-sms", text: String(sms) }),
      el("dt", { text: "SMS-dele pr. besked" }), el("dd", { "data-testid": "broadcast-preview-segments", text: String(preview.sms_segments ?? "–") }),
      el("dt", { text: "SMS'er i alt" }), el("dd", { "data-testid": "broadcast-preview-sms-total", text: String(preview.sms_total ?? "–") })),
    tg + sms === 0 ? el("p", { class: "hint hint--warn", text: "Ingen modtagere passer til valget lige nu." }) : null,
    heldUntil(preview) ? el("p", { class: "hint hint--warn", "data-testid": "broadcast-preview-held", text: `Stille timer: beskeden sendes først ${formatFull(heldUntil(preview))}, så ingen vækkes om natten.` }) : null,
  ].filter(Boolean));
  box.hidden = false;
}

/** When quiet hours hold a broadcast back: the time it goes out, or null. */
function heldUntil(preview) {
  const due = parseDate(preview && preview.first_run);
  const out = parseDate(preview && preview.goes_out);
  return due && out && out.getTime() - due.getTime() > 60000 ? preview.goes_out : null;
}

function renderBroadcastItem(b) {
  const counts = b.counts || {};
  const total = COUNT_LABELS.reduce((sum, [k]) => sum + (Number(counts[k]) || 0), 0);
  const countParts = total === 0
    ? [b.status === "scheduled" ? "Ikke sendt endnu" : "Ingen beskeder sendt"]
    : COUNT_LABELS.filter(([k]) => Number(counts[k]) > 0 || k === "sent").map(([k, label]) => `${Number(counts[k]) || 0} ${label}`);
  const item = el("li", { class: `broadcast broadcast--${b.status}`, "data-testid": `broadcast-item-${b.id}`, "data-status": b.status },
    el("div", { class: "broadcast__top" },
      el("strong", { class: "broadcast__title", text: b.title || snippet(b.text, 60) || `Udsendelse ${b.id}` }),
      el("span", { class: `tag tag--${b.status}`, "data-testid": `broadcast-status-${b.id}`, text: BROADCAST_STATUS[b.status] || b.status })),
    b.text && b.title ? el("p", { class: "broadcast__text", text: snippet(b.text, 160) }) : null,
    el("p", { class: "broadcast__meta" },
      el("span", { text: `Modtagere: ${b.audience || "alle"}` }),
      el("span", { text: `Tidspunkt: ${b.schedule || "nu"}` }),
      b.next_run && b.status === "scheduled" ? el("span", { text: `Næste: ${formatFull(b.next_run)}` }) : null),
    el("p", { class: "broadcast__counts", "data-testid": `broadcast-counts-${b.id}`, text: countParts.join(" · ") }),
    b.kind === "pulse" && b.results ? el("p", { class: "broadcast__pulse", "data-testid": `pulse-results-${b.id}`, text: pulseSummary(b.results) }) : null,
  );
  if (b.status === "scheduled") {
    item.append(el("div", { class: "btn-row" }, el("button", {
      type: "button",
      class: "btn btn--ghost btn--small",
      "data-testid": `broadcast-cancel-${b.id}`,
      "data-cancel": String(b.id),
      text: "Annullér",
    })));
    item.append(el("p", { class: "error", role: "alert", hidden: true, "data-testid": `broadcast-cancel-error-${b.id}` }));
  }
  return item;
}

/** A pulse's answers: how many, and the mean only where at least three answered. */
function pulseSummary(r) {
  const mean = r.mean === null || r.mean === undefined ? `gennemsnit vises fra ${r.min_group} svar` : `gennemsnit ${r.mean.toFixed(1)}`;
  return `Tryghedsmåling: ${r.responses} ${r.responses === 1 ? "svar" : "svar"} · ${mean}`;
}

function markPreviewStale() {
  const box = $("broadcast-preview-result");
  if (!box.hidden) box.classList.add("is-stale");
  $("broadcast-result").hidden = true;
}

export function setupBroadcasts() {
  const form = $("broadcast-form");
  form.addEventListener("change", (ev) => {
    if (ev.target.name === "when" && ev.target.value === "at" && !$("broadcast-at").value) $("broadcast-at").value = tomorrowAt("18:00");
    if (ev.target.id === "broadcast-tip") renderTipPreview();
    syncBroadcastFields();
    markPreviewStale();
    clearError($("broadcast-error"));
  });
  form.addEventListener("input", () => {
    syncBroadcastFields();
    markPreviewStale();
  });
  $("broadcast-preview").addEventListener("click", () => {
    const error = $("broadcast-error");
    let body;
    try { body = broadcastBody(); } catch (err) { showError(error, err.message); return; }
    withBusy($("broadcast-preview"), error, async () => {
      const res = await api("/broadcasts?dry_run=1", body);
      renderPreview(res && res.preview ? res.preview : res, body);
    });
  });
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const error = $("broadcast-error");
    let body;
    try { body = broadcastBody(); } catch (err) { showError(error, err.message); return; }
    const when = radioValue("when");
    withBusy($("broadcast-submit"), error, async () => {
      const res = await api("/broadcasts", body);
      if (res && res.preview) renderPreview(res.preview, body);
      const result = $("broadcast-result");
      const nr = res && res.id ? ` (nr. ${res.id})` : "";
      const held = heldUntil(res && res.preview);
      result.textContent = when === "now" && held
        ? `Udsendelsen er lagt i kø${nr}. Det er stille timer, så den sendes først ${formatFull(held)}. Se leveringen under Udsendelser.`
        : when === "now"
          ? `Udsendelsen er sendt${nr}. Se leveringen under Udsendelser.`
          : `Udsendelsen er planlagt${nr}. Den kan annulleres under Udsendelser.`;
      result.hidden = false;
      $("broadcast-text").value = "";
      syncBroadcastFields();
    });
  });
  $("broadcast-list").addEventListener("click", (ev) => {
    const btn = ev.target.closest("button[data-cancel]");
    if (!btn) return;
    const id = btn.dataset.cancel;
    const error = btn.closest("li").querySelector(".error");
    withBusy(btn, error, () => api(`/broadcasts/${encodeURIComponent(id)}/cancel`, {}));
  });
}

/** After a reset: the preview and the last result belong to the old demo. */
export function forgetBroadcastResults() {
  $("broadcast-preview-result").hidden = true;
  $("broadcast-result").hidden = true;
}
