// (2) The officers' group: the thread list (one thread per ambassador, marked when acute),
// the selected thread with its messages, the composer (who writes, replying to a message,
// `#intern` notes, `/rute` corrections) and the group's general messages. What the server
// does not know lives here: which thread is open, which message is being answered, and
// whether the officer was chosen by hand.

import { api } from "./api.js";
import { $, clearError, el, reconcile, resetList, setOptions, showError } from "./dom.js";
import { CHANNEL_LABELS, STATE_LABELS, formatTime, snippet } from "./format.js";
import { withBusy } from "./live.js";
import { fromLabel, plainText, renderMessageList } from "./messages.js";
import { officerName, store } from "./store.js";

const ui = {
  selectedThread: null, // ambassador_id
  replyTo: null, // message id in the selected thread
  officerTouched: false,
};

function threads() {
  const { state } = store;
  return state && state.group && Array.isArray(state.group.threads) ? state.group.threads : [];
}
function currentThread() {
  return threads().find((t) => t.ambassador_id === ui.selectedThread) || null;
}
function ambassadorInfo(ambassadorId) {
  for (const p of store.state.phones || []) {
    if (p.ambassador && p.ambassador.id === ambassadorId) return { phone: p, amb: p.ambassador };
  }
  return null;
}

function renderThreadItem(t) {
  const msgs = Array.isArray(t.messages) ? t.messages : [];
  const last = msgs[msgs.length - 1];
  // AKUT while an alert in the thread is still open: answering or ✅ Klaret clears it.
  const alert = Boolean(t.open_alert);
  const waiting = Array.isArray(t.open_cases) ? t.open_cases.length : 0;
  const selected = t.ambassador_id === ui.selectedThread;
  const unread = Number(t.unread) || 0;
  const btn = el("button", {
    type: "button",
    class: `thread${selected ? " is-selected" : ""}${alert ? " has-alert" : ""}`,
    "data-testid": `thread-${t.ambassador_id}`,
    "data-ambassador": String(t.ambassador_id),
    "aria-current": selected ? "true" : null,
  },
  el("span", { class: "thread__top" },
    el("span", { class: "thread__title", text: t.title || `Ambassadør ${t.ambassador_id}` }),
    last && last.at ? el("time", { class: "thread__time", datetime: last.at, text: formatTime(last.at) }) : null),
  el("span", { class: "thread__bottom" },
    el("span", { class: "thread__last", text: last ? snippet(plainText(last), 60) : "Ingen beskeder" }),
    alert ? el("span", { class: "badge badge--acute", "data-testid": `thread-alert-${t.ambassador_id}`, text: "AKUT" }) : null,
    waiting > 0 && !alert ? el("span", { class: "badge badge--open", "data-testid": `thread-open-${t.ambassador_id}`, title: "ubesvarede beskeder", text: `${waiting} ubesvaret` }) : null,
    unread > 0 ? el("span", { class: "unread", "data-testid": `thread-unread-${t.ambassador_id}` },
      el("span", { "aria-hidden": "true", text: String(unread) }),
      el("span", { class: "visually-hidden", text: ` ${unread} ulæste` })) : null));
  return el("li", {}, btn);
}

export function renderGroup() {
  const { state } = store;
  const group = state.group || {};
  $("group-title").textContent = group.title || "Betjentgruppe";
  $("group-mode").textContent = group.mode === "topics" ? "forum med ét emne pr. ambassadør" : group.mode === "replies" ? "almindelig gruppe med svar-tråde" : "";

  const list = threads();
  if (list.length && !list.some((t) => t.ambassador_id === ui.selectedThread)) {
    selectThread(list[0].ambassador_id, false, false);
  } else if (!list.length) {
    ui.selectedThread = null;
  }
  $("threads-empty").hidden = list.length > 0;
  reconcile($("thread-list"), list, (t) => String(t.ambassador_id),
    (t) => JSON.stringify([t.title, t.unread, t.messages && t.messages.length, t.messages && t.messages[t.messages.length - 1], ui.selectedThread === t.ambassador_id, t.open_alert, t.open_cases]),
    renderThreadItem);

  // Officer selector
  const officers = (state.officers || []).map((o) => ({ value: o.id, label: o.name }));
  setOptions($("officer-select"), officers);

  // Selected thread
  const t = currentThread();
  const container = $("group-messages");
  const title = $("group-thread-title");
  const meta = $("group-thread-meta");
  if (t) {
    title.textContent = t.title || `Ambassadør ${t.ambassador_id}`;
    const info = ambassadorInfo(t.ambassador_id);
    const bits = [];
    if (info) {
      bits.push(CHANNEL_LABELS[info.phone.channel] || info.phone.channel);
      if (info.amb.state) bits.push(STATE_LABELS[info.amb.state] || info.amb.state);
      if (info.amb.officer) bits.push(`kontaktbetjent: ${officerName(info.amb.officer)}`);
      if (!ui.officerTouched && info.amb.officer && officers.some((o) => o.value === info.amb.officer)) {
        $("officer-select").value = info.amb.officer;
      }
    }
    meta.textContent = bits.join(" · ");
    const msgs = Array.isArray(t.messages) ? t.messages : [];
    if (ui.replyTo && !msgs.some((m) => m.id === ui.replyTo)) ui.replyTo = null;
    renderMessageList(container, msgs, { place: "group", selectedId: ui.replyTo, openCases: t.open_cases }, JSON.stringify(t.open_cases || []));
  } else {
    title.textContent = list.length ? "Vælg en tråd" : "Ingen tråde endnu";
    meta.textContent = "";
    resetList(container);
    ui.replyTo = null;
  }
  const canWrite = Boolean(t);
  $("group-input").disabled = !canWrite;
  $("group-send").disabled = !canWrite;
  renderReplyIndicator();

  const general = Array.isArray(group.general) ? group.general : [];
  const generalBox = $("group-general");
  renderMessageList(generalBox, general, { place: "general" });
  generalBox.dataset.empty = general.length ? "false" : "true";
}

function selectThread(ambassadorId, focus = true, rerender = true) {
  if (ui.selectedThread === ambassadorId) return;
  ui.selectedThread = ambassadorId;
  ui.replyTo = null;
  ui.officerTouched = false;
  const container = $("group-messages");
  // Switching threads should not make screen readers read the whole history aloud.
  container.setAttribute("aria-live", "off");
  resetList(container);
  container._filled = false;
  if (store.state && rerender) renderGroup();
  requestAnimationFrame(() => container.setAttribute("aria-live", "polite"));
  if (focus) $("group-input").focus({ preventScroll: true });
}

function setReplyTo(id) {
  ui.replyTo = ui.replyTo === id ? null : id;
  if (store.state) renderGroup();
  if (ui.replyTo) $("group-input").focus({ preventScroll: true });
}

function renderReplyIndicator() {
  const box = $("reply-indicator");
  const t = currentThread();
  const msg = t && ui.replyTo ? (t.messages || []).find((m) => m.id === ui.replyTo) : null;
  if (!msg) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  $("reply-indicator-text").textContent = `${msg.sender || fromLabel(msg)}: ${snippet(plainText(msg), 90)}`;
}

function updateComposerMode() {
  const input = $("group-input");
  const note = /^\s*#intern/i.test(input.value);
  input.classList.toggle("is-note", note);
  $("group-send").textContent = note ? "Gem note" : "Send";
}

function insertIntoGroupInput(text, replace) {
  const input = $("group-input");
  if (input.disabled) return;
  if (replace) input.value = text;
  else if (!input.value.startsWith(text)) input.value = text + input.value.replace(/^\s*#intern\s*/i, "");
  updateComposerMode();
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length);
}

export function setupGroup() {
  $("thread-list").addEventListener("click", (ev) => {
    const btn = ev.target.closest("button[data-ambassador]");
    if (!btn) return;
    const t = threads().find((x) => String(x.ambassador_id) === btn.dataset.ambassador);
    if (t) selectThread(t.ambassador_id);
  });
  $("group-messages").addEventListener("click", (ev) => {
    const pressed = ev.target.closest("button[data-group-button]");
    if (pressed) {
      withBusy(pressed, $("group-error"), () => api("/group/button", {
        officer_id: $("officer-select").value, message_id: pressed.dataset.messageId, data: pressed.dataset.groupButton,
      }));
      return;
    }
    if (ev.target.closest("a, .msg__quote")) return;
    const article = ev.target.closest("article[data-id]");
    if (!article || article.dataset.from === "system") return;
    if (window.getSelection && String(window.getSelection()).length > 0 && !ev.target.closest("button")) return;
    setReplyTo(article.dataset.id);
  });
  $("reply-cancel").addEventListener("click", () => {
    ui.replyTo = null;
    renderGroup();
    $("group-input").focus();
  });
  $("officer-select").addEventListener("change", () => { ui.officerTouched = true; });
  const input = $("group-input");
  input.addEventListener("input", () => { updateComposerMode(); clearError($("group-error")); });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      $("group-form").requestSubmit();
    } else if (ev.key === "Escape" && ui.replyTo) {
      ui.replyTo = null;
      renderGroup();
    }
  });
  $("insert-intern").addEventListener("click", () => insertIntoGroupInput("#intern ", false));
  for (const b of document.querySelectorAll("[data-route]")) {
    b.addEventListener("click", () => insertIntoGroupInput(`/rute ${b.dataset.route}`, true));
  }
  $("group-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const t = currentThread();
    const error = $("group-error");
    if (!t) {
      showError(error, "Vælg først en tråd.");
      return;
    }
    const text = input.value.trim();
    if (!text) {
      input.focus();
      return;
    }
    if (/^\/rute\b/i.test(text) && !ui.replyTo) {
      showError(error, "En rute rettes som svar på en videresendt besked: klik først på beskeden, og send så kommandoen.");
      return;
    }
    const officer = $("officer-select").value;
    withBusy($("group-send"), error, async () => {
      await api("/group/send", { officer_id: officer, ambassador_id: t.ambassador_id, text, reply_to: ui.replyTo || null });
      input.value = "";
      ui.replyTo = null;
      updateComposerMode();
      // The new state may have arrived before this answer: redraw so "Valgt" goes away,
      // and follow the conversation to its end.
      renderGroup();
      const chat = $("group-messages");
      chat.scrollTop = chat.scrollHeight;
      input.focus();
    });
  });
}

/** After a reset: no thread open, nothing being answered. */
export function forgetGroup() {
  ui.selectedThread = null;
  ui.replyTo = null;
  ui.officerTouched = false;
}
