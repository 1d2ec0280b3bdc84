// (1) The ambassadors' pretend phones, Telegram and SMS: one card per phone with its chat,
// the onboarding helpers for a phone that is not an ambassador yet (open the invitation
// link; or, for SMS, invite the number from the coordinator panel), the composer and the
// demo attachments. Cards are built once and updated in place, so typing survives updates.

import { api } from "./api.js";
import { $, el, showError } from "./dom.js";
import { CHANNEL_LABELS, STATE_LABELS } from "./format.js";
import { withBusy } from "./live.js";
import { renderMessageList } from "./messages.js";
import { areaName, officerName, store } from "./store.js";

const hooks = { onInvitePhone: () => {} }; // set by setupPhones
let pendingFocus = null; // phone id to focus once its card appears

const phoneCards = new Map(); // phone id → {root, parts…}

function latestUnusedInvitation() {
  const list = (store.state.invitations || []).filter((i) => !i.used && (i.link || !i.phone));
  return list.length ? list[list.length - 1] : null;
}

function createPhoneCard(phone) {
  const id = phone.id;
  const channel = phone.channel === "sms" ? "sms" : "telegram";
  const title = el("h3", { class: "phone__title", id: `phone-title-${id}`, "data-testid": `phone-title-${id}` });
  const stateBadge = el("span", { class: "state-badge", "data-testid": `phone-state-${id}` });
  const sub = el("p", { class: "phone__sub", "data-testid": `phone-sub-${id}` });
  const messages = el("div", {
    class: `chat chat--${channel}`,
    role: "log",
    "aria-live": "polite",
    "aria-relevant": "additions",
    "aria-label": "Beskeder",
    tabindex: "0",
    "data-testid": `phone-messages-${id}`,
  });
  const empty = el("p", { class: "chat-empty", text: channel === "sms" ? "Ingen SMS'er endnu." : "Ingen beskeder endnu." });

  // Onboarding helpers (only for phones that are not yet ambassadors)
  const codeInput = el("input", {
    id: `open-link-code-${id}`,
    "data-testid": `open-link-code-${id}`,
    type: "text",
    autocomplete: "off",
    spellcheck: "false",
    placeholder: "Invitationskode",
  });
  codeInput.addEventListener("input", () => { codeInput.dataset.touched = "true"; });
  const openBtn = el("button", { type: "button", class: "btn btn--primary btn--small", "data-testid": `open-link-${id}`, text: "Åbn invitationslink" });
  const onboardInfo = el("p", { class: "onboard__info" });
  const onboardTelegram = el("div", { class: "onboard", hidden: true, "data-testid": `onboard-${id}` },
    onboardInfo,
    el("div", { class: "onboard__row" },
      el("label", { class: "visually-hidden", for: `open-link-code-${id}`, text: "Invitationskode" }),
      codeInput,
      openBtn));
  const smsInviteBtn = el("button", { type: "button", class: "btn btn--secondary btn--small", "data-testid": `invite-this-${id}`, text: "Inviter denne telefon" });
  const onboardSms = el("div", { class: "onboard", hidden: true, "data-testid": `onboard-${id}` },
    el("p", { class: "onboard__info", text: "Ikke ambassadør endnu. Send en SMS-invitation til nummeret fra koordinatorpanelet." }),
    smsInviteBtn);

  // Composer
  const input = el("input", {
    id: `phone-input-${id}`,
    "data-testid": `phone-input-${id}`,
    type: "text",
    autocomplete: "off",
    enterkeyhint: "send",
    placeholder: channel === "sms" ? "Skriv en SMS …" : "Skriv en besked …",
  });
  const send = el("button", { type: "submit", class: "btn btn--send", "data-testid": `phone-send-${id}`, "aria-label": "Send besked" },
    el("span", { "aria-hidden": "true", text: "➤" }), el("span", { class: "send-label", text: "Send" }));
  const mediaKinds = channel === "sms" ? [["photo", "📷", "Billede (MMS)"]] : [["photo", "📷", "Foto"], ["location", "📍", "Position"], ["sticker", "🙂", "Sticker"]];
  const mediaBtns = mediaKinds.map(([kind, icon, label]) => el("button", {
    type: "button",
    class: "chip-btn chip-btn--media",
    "data-testid": `phone-media-${kind}-${id}`,
    "data-media": kind,
    title: `Send et demo-${label.toLowerCase()}`,
  }, el("span", { "aria-hidden": "true", text: icon }), ` ${label}`));
  const error = el("p", { class: "error", role: "alert", hidden: true, "data-testid": `phone-error-${id}` });
  const form = el("form", { class: "phone__composer", novalidate: true },
    el("label", { class: "visually-hidden", for: `phone-input-${id}` }, "Besked fra ", el("span", { "data-label": "1" })),
    el("div", { class: "phone__input-row" }, input, send));

  const screen = el("div", { class: "phone__screen" },
    el("div", { class: "phone__appbar" },
      el("span", { class: "phone__avatar", "aria-hidden": "true", text: channel === "sms" ? "✉" : "🛡" }),
      el("div", {},
        el("p", { class: "phone__appname", text: "Tryghedsbot" }),
        el("p", { class: "phone__appsub", text: channel === "sms" ? "SMS fra politiet" : "bot" }))),
    messages,
    empty,
    onboardTelegram,
    onboardSms,
    el("div", { class: "phone__media", role: "group", "aria-label": "Send demo-vedhæftning" }, mediaBtns),
    form);

  const root = el("article", {
    class: `phone phone--${channel}`,
    "data-testid": `phone-${id}`,
    "data-channel": channel,
    "aria-labelledby": `phone-title-${id}`,
  },
  el("header", { class: "phone__head" }, el("div", { class: "phone__head-text" }, title, sub), stateBadge),
  screen,
  error);

  // Behaviour
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) { input.focus(); return; }
    withBusy(send, error, async () => {
      await api(`/phones/${encodeURIComponent(id)}/send`, { text });
      input.value = "";
      input.focus();
    });
  });
  openBtn.addEventListener("click", () => {
    const code = codeInput.value.trim();
    if (!code) {
      showError(error, "Der er ingen invitationskode. Opret en invitation i koordinatorpanelet, eller skriv en kode.");
      codeInput.focus();
      return;
    }
    withBusy(openBtn, error, async () => {
      await api(`/phones/${encodeURIComponent(id)}/open_link`, { code });
      codeInput.value = "";
      delete codeInput.dataset.touched;
      input.focus();
    });
  });
  codeInput.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") { ev.preventDefault(); openBtn.click(); }
  });
  smsInviteBtn.addEventListener("click", () => hooks.onInvitePhone(id));
  for (const b of mediaBtns) {
    b.addEventListener("click", () => {
      const kind = b.dataset.media;
      const caption = input.value.trim();
      withBusy(b, error, async () => {
        await api(`/phones/${encodeURIComponent(id)}/media`, caption ? { kind, caption } : { kind });
        if (caption) input.value = "";
      });
    });
  }
  messages.addEventListener("click", (ev) => {
    const btn = ev.target.closest("button[data-button]");
    if (!btn || !messages.contains(btn)) return;
    withBusy(btn, error, () => api(`/phones/${encodeURIComponent(id)}/button`, { message_id: btn.dataset.messageId, data: btn.dataset.button }));
  });

  return { root, title, stateBadge, sub, messages, empty, onboardTelegram, onboardSms, onboardInfo, codeInput, openBtn, input, form, channel };
}

function updatePhoneCard(card, phone) {
  const amb = phone.ambassador;
  const channel = card.channel;
  card.title.textContent = amb ? amb.name : "Ny telefon (ikke ambassadør endnu)";
  card.root.dataset.state = amb ? amb.state : "none";
  card.stateBadge.textContent = amb ? STATE_LABELS[amb.state] || amb.state : "Ikke tilmeldt";
  card.stateBadge.dataset.state = amb ? amb.state : "none";
  const phoneLabel = phone.label || phone.id;
  // An SMS phone invited by number is labelled with it: say the number once.
  const parts = phone.address && phoneLabel.includes(phone.address) ? [] : [phoneLabel];
  parts.push(CHANNEL_LABELS[channel]);
  if (phone.address) parts.push(phone.address);
  if (amb && amb.area) parts.push(areaName(amb.area));
  if (amb && amb.officer) parts.push(`betjent: ${officerName(amb.officer)}`);
  card.sub.textContent = parts.join(" · ");
  card.messages.setAttribute("aria-label", `Beskeder på ${phone.label || phone.id}${amb ? ` (${amb.name})` : ""}`);
  const label = card.form.querySelector("[data-label]");
  if (label) label.textContent = amb ? amb.name : phone.label || phone.id;

  const notOnboarded = !amb || amb.state === "invited";
  card.onboardTelegram.hidden = !(notOnboarded && channel === "telegram");
  card.onboardSms.hidden = !(notOnboarded && channel === "sms" && !amb);
  if (channel === "telegram" && notOnboarded) {
    const inv = latestUnusedInvitation();
    if (inv) {
      card.onboardInfo.textContent = `Ikke ambassadør endnu. Seneste invitation: ${areaName(inv.area)}, ${officerName(inv.officer)}. Tryk for at åbne linket, som ambassadøren ville gøre.`;
      if (!card.codeInput.dataset.touched && document.activeElement !== card.codeInput) card.codeInput.value = inv.code;
    } else {
      card.onboardInfo.textContent = "Ikke ambassadør endnu. Opret en invitation i koordinatorpanelet, eller skriv en kode.";
      if (!card.codeInput.dataset.touched && document.activeElement !== card.codeInput) card.codeInput.value = "";
    }
  }

  const msgs = Array.isArray(phone.messages) ? phone.messages : [];
  card.empty.hidden = msgs.length > 0;
  card.messages.classList.toggle("is-empty", msgs.length === 0);
  renderMessageList(card.messages, msgs, { place: "phone", phone });
}

export function renderPhones() {
  const list = $("phone-list");
  const { state } = store;
  const phones = Array.isArray(state.phones) ? state.phones : [];
  $("phones-empty").hidden = phones.length > 0;
  const seen = new Set();
  let prev = $("phones-empty");
  for (const phone of phones) {
    seen.add(phone.id);
    let card = phoneCards.get(phone.id);
    if (!card) {
      card = createPhoneCard(phone);
      phoneCards.set(phone.id, card);
    }
    // Attach before filling, so the chat can measure itself and start at the bottom.
    if (prev.nextSibling !== card.root) list.insertBefore(card.root, prev.nextSibling);
    updatePhoneCard(card, phone);
    prev = card.root;
  }
  for (const [id, card] of phoneCards) {
    if (!seen.has(id)) {
      card.root.remove();
      phoneCards.delete(id);
    }
  }
  focusPendingPhone();
}

/** Focus the input of a phone we just added or acted on, once its card exists. */
function focusPendingPhone() {
  if (!pendingFocus || !phoneCards.has(pendingFocus)) return;
  const card = phoneCards.get(pendingFocus);
  pendingFocus = null;
  card.root.scrollIntoView({ block: "nearest", behavior: "smooth" });
  card.input.focus({ preventScroll: true });
}

async function addPhone(channel, button) {
  await withBusy(button, $("phones-error"), async () => {
    const res = await api("/phones", { channel });
    if (res && res.id) focusPhone(res.id);
  });
}

/** Focus a phone's input now, or as soon as its card exists. */
export function focusPhone(id) {
  pendingFocus = id;
  focusPendingPhone();
}

/** The add-phone buttons; `onInvitePhone(id)` opens the SMS invitation for a phone. */
export function setupPhones({ onInvitePhone }) {
  hooks.onInvitePhone = onInvitePhone;
  $("add-telegram-phone").addEventListener("click", (ev) => addPhone("telegram", ev.currentTarget));
  $("add-sms-phone").addEventListener("click", (ev) => addPhone("sms", ev.currentTarget));
}

/** After a reset: drop every card (the new demo's phones get new ones). */
export function forgetPhones() {
  for (const card of phoneCards.values()) card.root.remove();
  phoneCards.clear();
}
