// Tryghedsbot — sandkasse. Plain ES module, no build step, no dependencies.
// All state comes from the server (GET /sandbox/api/state and SSE /sandbox/events);
// the page re-renders from it while keeping focus, input contents and scroll positions.

const API = "/sandbox/api";
const EVENTS = "/sandbox/events";
const TZ = "Europe/Copenhagen";

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

const $ = (id) => document.getElementById(id);

/** Create an element. attrs: class, text, dataset keys as "data-x", on<Event> handlers, others as attributes. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "hidden") node.hidden = Boolean(value);
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const fmt = {
  time: new Intl.DateTimeFormat("da-DK", { timeZone: TZ, hour: "2-digit", minute: "2-digit" }),
  day: new Intl.DateTimeFormat("da-DK", { timeZone: TZ, weekday: "long", day: "numeric", month: "long" }),
  dayKey: new Intl.DateTimeFormat("en-CA", { timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit" }),
  full: new Intl.DateTimeFormat("da-DK", {
    timeZone: TZ, weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit",
  }),
};

function parseDate(iso) {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}
function formatTime(iso) {
  const d = parseDate(iso);
  return d ? fmt.time.format(d) : "";
}
function formatFull(iso) {
  const d = parseDate(iso);
  return d ? fmt.full.format(d) : "";
}
function dayKey(iso) {
  const d = parseDate(iso);
  return d ? fmt.dayKey.format(d) : "";
}
function dayLabel(iso) {
  const d = parseDate(iso);
  if (!d) return "";
  const key = fmt.dayKey.format(d);
  const today = fmt.dayKey.format(new Date());
  const yesterday = fmt.dayKey.format(new Date(Date.now() - 86400000));
  if (key === today) return "I dag";
  if (key === yesterday) return "I går";
  return fmt.day.format(d);
}

function snippet(text, max = 80) {
  const t = String(text || "").replace(/\s+/g, " ").trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function plainText(msg) {
  if (!msg) return "";
  if (msg.text) return msg.text;
  if (msg.html) {
    const doc = new DOMParser().parseFromString(msg.html, "text/html");
    return doc.body.textContent || "";
  }
  if (msg.media) return mediaLabel(msg.media.kind) + (msg.media.caption ? `: ${msg.media.caption}` : "");
  return "";
}

class ApiError extends Error {}

/** Call the sandbox API. Resolves to parsed JSON (or null); rejects with a Danish message. */
async function api(path, body, method = "POST") {
  let res;
  try {
    res = await fetch(API + path, {
      method,
      headers: body === undefined ? { Accept: "application/json" } : { "Content-Type": "application/json", Accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
  } catch {
    throw new ApiError("Kunne ikke få forbindelse til sandkassen. Kører serveren stadig?");
  }
  let data = null;
  const text = await res.text();
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    const msg = data && typeof data.error === "string" && data.error ? data.error : `Noget gik galt (fejlkode ${res.status}). Prøv igen.`;
    throw new ApiError(msg);
  }
  return data;
}

function showError(node, message) {
  if (!node) return;
  node.textContent = message;
  node.hidden = false;
}
function clearError(node) {
  if (!node) return;
  node.textContent = "";
  node.hidden = true;
}

/** Run an async action with a button disabled meanwhile; errors go to errorNode. */
async function withBusy(button, errorNode, fn) {
  if (button) {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
  }
  clearError(errorNode);
  try {
    const result = await fn();
    refreshSoon();
    return result;
  } catch (err) {
    showError(errorNode, err instanceof ApiError ? err.message : `Uventet fejl: ${err && err.message ? err.message : err}`);
    return undefined;
  } finally {
    if (button) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
  }
}

/** Replace a <select>'s options only when they changed; keep the chosen value when possible. */
function setOptions(select, options, fallback) {
  const sig = JSON.stringify(options);
  if (select.dataset.sig !== sig) {
    const old = select.value;
    select.replaceChildren(...options.map((o) => el("option", { value: o.value, text: o.label, disabled: o.disabled })));
    select.dataset.sig = sig;
    if (options.some((o) => o.value === old)) select.value = old;
    else if (fallback !== undefined && options.some((o) => o.value === fallback)) select.value = fallback;
  }
}

/**
 * Keyed list rendering: reuse the node of an unchanged item, replace changed ones, keep order.
 * New nodes are only created for new or changed items, so aria-live regions announce just those.
 */
function reconcile(container, items, keyOf, sigOf, render) {
  if (!container._cache) container._cache = new Map();
  const cache = container._cache;
  const seen = new Set();
  let prev = null;
  for (const item of items) {
    const key = keyOf(item);
    seen.add(key);
    const sig = sigOf(item);
    let entry = cache.get(key);
    if (!entry || entry.sig !== sig) {
      const node = render(item);
      if (entry) {
        const active = document.activeElement;
        const hadFocus = active && entry.el.contains(active);
        const focusId = hadFocus ? active.getAttribute("data-testid") : null;
        entry.el.replaceWith(node);
        if (hadFocus && focusId) {
          const again = node.querySelector(`[data-testid="${CSS.escape(focusId)}"]`);
          if (again) again.focus({ preventScroll: true });
        }
      }
      entry = { sig, el: node };
      cache.set(key, entry);
    }
    const want = prev ? prev.nextSibling : container.firstChild;
    if (want !== entry.el) container.insertBefore(entry.el, want);
    prev = entry.el;
  }
  for (const [key, entry] of cache) {
    if (!seen.has(key)) {
      entry.el.remove();
      cache.delete(key);
    }
  }
}

function resetList(container) {
  container._cache = new Map();
  container.replaceChildren();
}

function isAtBottom(node) {
  return node.scrollHeight - node.scrollTop - node.clientHeight < 48;
}

/** Update a chat list; stay at the bottom if we were there (or on first fill). */
function updateChat(container, update) {
  const first = !container._filled;
  const stick = first || isAtBottom(container);
  // The first fill is history, not news: keep screen readers from reading it all aloud.
  const live = container.getAttribute("aria-live");
  if (first && live && live !== "off") container.setAttribute("aria-live", "off");
  update();
  if (first && live && live !== "off") requestAnimationFrame(() => container.setAttribute("aria-live", live));
  container._filled = true;
  if (stick) container.scrollTop = container.scrollHeight;
}

// ---------------------------------------------------------------------------
// Telegram HTML (already sanitised by the server) → DOM, by whitelist
// ---------------------------------------------------------------------------

const ALLOWED_TAGS = new Set(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "blockquote"]);
const ALLOWED_PROTOCOLS = new Set(["http:", "https:", "tel:"]);

function safeHref(href) {
  if (!href) return null;
  try {
    const url = new URL(href, "https://invalid.example/");
    if (!ALLOWED_PROTOCOLS.has(url.protocol)) return null;
    if (url.host === "invalid.example") return null; // relative links are not allowed
    return url.href;
  } catch {
    return null;
  }
}

function copyAllowed(source, target) {
  for (const child of source.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) {
      target.append(document.createTextNode(child.nodeValue));
    } else if (child.nodeType === Node.ELEMENT_NODE) {
      const tag = child.tagName.toLowerCase();
      if (tag === "br") {
        target.append(document.createTextNode("\n"));
      } else if (!ALLOWED_TAGS.has(tag)) {
        target.append(document.createTextNode(child.textContent || ""));
      } else if (tag === "a") {
        const href = safeHref(child.getAttribute("href"));
        const node = href ? el("a", { href, target: "_blank", rel: "noopener noreferrer" }) : el("span", { class: "link-removed" });
        copyAllowed(child, node);
        target.append(node);
      } else {
        const node = document.createElement(tag);
        copyAllowed(child, node);
        target.append(node);
      }
    }
  }
}

function renderTelegramHtml(html) {
  const doc = new DOMParser().parseFromString(`<!doctype html><body>${html}</body>`, "text/html");
  const frag = document.createDocumentFragment();
  copyAllowed(doc.body, frag);
  return frag;
}

// ---------------------------------------------------------------------------
// SMS length (estimate shown while typing; the server's preview is authoritative)
// ---------------------------------------------------------------------------

const GSM_BASIC = new Set(Array.from(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
));
const GSM_EXT = new Set(Array.from("^{}\\[~]|€\f"));

function smsInfo(text) {
  let units = 0;
  let gsm = true;
  for (const ch of text) {
    if (GSM_BASIC.has(ch)) units += 1;
    else if (GSM_EXT.has(ch)) units += 2;
    else { gsm = false; break; }
  }
  if (!gsm) {
    units = 0;
    for (const ch of text) units += ch.codePointAt(0) > 0xffff ? 2 : 1;
  }
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  const segments = units === 0 ? 0 : units <= single ? 1 : Math.ceil(units / multi);
  return { gsm, segments, chars: Array.from(text).length };
}

// ---------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------

const STATE_LABELS = {
  pending: "Afventer accept af aftalen",
  active: "Aktiv",
  paused: "På pause",
  invited: "Inviteret",
};
const CHANNEL_LABELS = { telegram: "Telegram", sms: "SMS" };
const BROADCAST_STATUS = { scheduled: "Planlagt", done: "Udført", cancelled: "Annulleret" };
const COUNT_LABELS = [
  ["queued", "i kø"],
  ["sent", "sendt"],
  ["delivered", "leveret"],
  ["failed", "fejlet"],
  ["skipped", "sprunget over"],
];
const MEDIA_ICONS = { photo: "📷", voice: "🎤", video: "🎬", document: "📄", location: "📍", sticker: "🙂" };

function mediaLabel(kind) {
  return {
    photo: "Foto", voice: "Talebesked", video: "Video", document: "Dokument", location: "Position", sticker: "Sticker",
  }[kind] || "Vedhæftet fil";
}

function areaName(id) {
  const a = state && state.areas ? state.areas.find((x) => x.id === id) : null;
  return a ? a.name : id || "";
}
function officerName(id) {
  const o = state && state.officers ? state.officers.find((x) => x.id === id) : null;
  return o ? o.name : id || "";
}

function flagsOf(msg) {
  return Array.isArray(msg.flags) ? msg.flags : [];
}
function isAcute(msg) {
  return msg.kind === "alert" || msg.kind === "acute" || flagsOf(msg).includes("route:acute");
}
function isReport(msg) {
  return msg.kind === "report" || flagsOf(msg).includes("route:report");
}
function isNote(msg) {
  return msg.kind === "note" || flagsOf(msg).includes("internal") || /^\s*#intern/i.test(msg.text || "");
}

// ---------------------------------------------------------------------------
// Message rendering (phones and group)
// ---------------------------------------------------------------------------

function statusMark(status, place) {
  if (!status) return null;
  if (place === "group") {
    const label = { sent: "sendt", delivered: "leveret ✓", failed: "ikke leveret ⚠" }[status] || status;
    return el("span", { class: `msg__status msg__status--${status}`, "data-testid": "msg-status", text: label });
  }
  const icon = { sent: "✓", delivered: "✓✓", failed: "⚠" }[status] || "";
  const label = { sent: "sendt", delivered: "leveret", failed: "ikke leveret" }[status] || status;
  return el("span", { class: `msg__status msg__status--${status}`, "data-testid": "msg-status", title: label },
    el("span", { "aria-hidden": "true", text: icon }), el("span", { class: "visually-hidden", text: label }));
}

function renderBody(msg) {
  const body = el("div", { class: "msg__text" });
  if (msg.html) body.append(renderTelegramHtml(msg.html));
  else if (msg.text) body.textContent = msg.text;
  else return null;
  return body;
}

function renderMedia(media) {
  if (!media) return null;
  const icon = MEDIA_ICONS[media.kind] || "📎";
  return el("div", { class: `msg__media msg__media--${media.kind}`, "data-testid": "msg-media" },
    el("span", { class: "msg__media-icon", "aria-hidden": "true", text: icon }),
    el("span", { class: "msg__media-label", text: mediaLabel(media.kind) }),
    media.caption ? el("span", { class: "msg__media-caption", text: media.caption }) : null);
}

function renderQuote(msg, byId, onJump) {
  if (!msg.reply_to) return null;
  const target = byId.get(msg.reply_to);
  const who = target ? target.sender || fromLabel(target) : "";
  const text = target ? snippet(plainText(target), 70) : "(ældre besked)";
  return el("button", {
    type: "button",
    class: "msg__quote",
    title: "Vis beskeden, der svares på",
    onclick: (ev) => { ev.stopPropagation(); onJump(msg.reply_to); },
  }, who ? el("span", { class: "msg__quote-who", text: who }) : null, el("span", { class: "msg__quote-text", text }));
}

function fromLabel(msg) {
  return { bot: "Tryghedsbot", me: "Mig", officer: "Betjent", system: "System" }[msg.from] || "";
}

function renderReactions(msg) {
  if (!Array.isArray(msg.reactions) || msg.reactions.length === 0) return null;
  return el("ul", { class: "reactions", "aria-label": "Reaktioner" },
    msg.reactions.map((r) => el("li", { class: "reaction", text: r })));
}

/** A chat message. ctx: {place: "phone"|"group"|"general", phone, byId, onJump} */
function renderMessage(msg, ctx) {
  const place = ctx.place;
  const from = msg.from || "bot";
  const side = from === "system" ? "center" : (place === "phone" ? (from === "me" ? "out" : "in") : (from === "officer" ? "out" : "in"));
  const classes = ["msg", `msg--${side}`, `msg--from-${from}`, `msg--kind-${msg.kind || "normal"}`];
  const acute = isAcute(msg);
  const report = !acute && isReport(msg);
  const note = isNote(msg);
  if (place !== "phone") {
    if (acute) classes.push("msg--acute");
    if (report) classes.push("msg--report");
    if (note) classes.push("msg--note");
  } else if (from !== "me") {
    if (acute) classes.push("msg--acute");
    if (report) classes.push("msg--report");
  }
  const selectable = place === "group" && from !== "system";
  const selected = selectable && ui.replyTo === msg.id;
  if (selected) classes.push("is-selected");

  const node = el("article", {
    class: classes.join(" "),
    "data-testid": `msg-${msg.id}`,
    "data-id": msg.id,
    "data-kind": msg.kind || "normal",
    "data-from": from,
    "data-status": msg.status || null,
    "aria-current": selected ? "true" : null,
  });

  if (from === "system") {
    node.append(el("p", { class: "msg__system" }, plainText(msg), msg.at ? el("time", { datetime: msg.at, class: "msg__time", text: ` · ${formatTime(msg.at)}` }) : null));
    return node;
  }

  const bubble = el("div", { class: "msg__bubble" });

  // Badges: what an officer must notice first.
  if (place !== "phone") {
    const badges = [];
    if (acute) badges.push(el("span", { class: "badge badge--acute", "data-testid": "badge-acute", text: "AKUT" }));
    if (report) badges.push(el("span", { class: "badge badge--report", "data-testid": "badge-report", title: "Henvist til 114 / politi.dk", text: "114" }));
    if (note) badges.push(el("span", { class: "badge badge--note", "data-testid": "badge-note", text: "Intern note" }));
    if (msg.kind === "push") badges.push(el("span", { class: "badge badge--push", text: "Udsendelse" }));
    if (flagsOf(msg).includes("safety_net")) {
      badges.push(el("span", { class: "badge badge--net", "data-testid": "badge-safety-net", title: "Botten var i tvivl og valgte den sikre vej", text: "Sikkerhedsnet" }));
    }
    if (badges.length) bubble.append(el("div", { class: "msg__badges" }, badges));
  } else if (from !== "me" && msg.kind === "push") {
    bubble.append(el("div", { class: "msg__badges" }, el("span", { class: "badge badge--push", text: "Fra politiet" })));
  }

  const sender = msg.sender || (place !== "phone" && from === "bot" ? "Tryghedsbot" : null);
  if (sender && from !== "me") bubble.append(el("p", { class: "msg__sender", text: sender }));

  const quote = renderQuote(msg, ctx.byId, ctx.onJump);
  if (quote) bubble.append(quote);
  const media = renderMedia(msg.media);
  if (media) bubble.append(media);
  const body = renderBody(msg);
  if (body) bubble.append(body);

  const meta = el("p", { class: "msg__meta" });
  if (msg.at) meta.append(el("time", { datetime: msg.at, title: formatFull(msg.at), text: formatTime(msg.at) }));
  if (place === "group" && note) meta.append(el("span", { class: "msg__note-hint", text: "ses kun af betjente" }));
  const status = statusMark(msg.status, place === "phone" ? "phone" : "group");
  if (status && (place !== "phone" || from === "me")) meta.append(status);
  bubble.append(meta);
  node.append(bubble);

  const reactions = renderReactions(msg);
  if (reactions) node.append(reactions);

  if (Array.isArray(msg.buttons) && msg.buttons.length && place === "phone") {
    const kb = el("div", { class: "keyboard", role: "group", "aria-label": "Svarknapper" });
    for (const row of msg.buttons) {
      const r = el("div", { class: "keyboard__row" });
      for (const b of row || []) {
        r.append(el("button", {
          type: "button",
          class: "keyboard__btn",
          "data-testid": `button-${b.data}`,
          "data-message-id": msg.id,
          "data-button": b.data,
          text: b.text,
        }));
      }
      kb.append(r);
    }
    node.append(kb);
  }

  if (selectable) {
    node.append(el("button", {
      type: "button",
      class: "msg__reply-btn",
      "data-testid": `reply-btn-${msg.id}`,
      "aria-pressed": selected ? "true" : "false",
      "aria-label": `Svar på besked fra ${sender || fromLabel(msg)}: ${snippet(plainText(msg), 40)}`,
      text: selected ? "Valgt" : "Svar",
    }));
  }
  return node;
}

/** Messages interleaved with day separators, as keyed items. */
function withDays(messages) {
  const items = [];
  let lastDay = null;
  for (const m of messages) {
    const d = dayKey(m.at);
    if (d && d !== lastDay) {
      items.push({ sep: true, key: `day-${d}`, label: dayLabel(m.at) });
      lastDay = d;
    }
    items.push({ sep: false, key: `m-${m.id}`, msg: m });
  }
  return items;
}

function renderMessageList(container, messages, ctx, extraSig = "") {
  const byId = new Map(messages.map((m) => [m.id, m]));
  const fullCtx = { ...ctx, byId, onJump: (id) => jumpTo(container, id) };
  updateChat(container, () => {
    reconcile(
      container,
      withDays(messages),
      (it) => it.key,
      (it) => (it.sep ? it.label : JSON.stringify(it.msg) + (it.msg.reply_to && byId.get(it.msg.reply_to) ? "q" : "") + extraSig + (ui.replyTo === it.msg.id ? "*" : "")),
      (it) => (it.sep ? el("div", { class: "day-sep", role: "separator" }, el("span", { text: it.label })) : renderMessage(it.msg, fullCtx)),
    );
  });
}

function jumpTo(container, id) {
  const target = container.querySelector(`[data-id="${CSS.escape(id)}"]`);
  if (!target) return;
  target.scrollIntoView({ block: "center", behavior: "smooth" });
  target.classList.add("is-flash");
  setTimeout(() => target.classList.remove("is-flash"), 1500);
}

// ---------------------------------------------------------------------------
// UI state (what the server does not know)
// ---------------------------------------------------------------------------

let state = null;
let lastVersion = -Infinity;
let acceptAnyVersion = true;

const ui = {
  selectedThread: null, // ambassador_id
  replyTo: null, // message id in the selected thread
  officerTouched: false,
  focusPhone: null, // phone id to focus once it appears
  previewSig: null,
};

// ---------------------------------------------------------------------------
// Header
// ---------------------------------------------------------------------------

function renderHeader() {
  const district = state.district && state.district.name ? state.district.name : "";
  $("district-name").textContent = district;
  document.title = district ? `Tryghedsbot — sandkasse · ${district}` : "Tryghedsbot — sandkasse";
  const oh = state.office_hours || {};
  const pill = $("office-hours");
  pill.dataset.open = oh.open_now ? "true" : "false";
  $("office-hours-label").textContent = oh.open_now
    ? `Betjentene har kontortid nu${oh.text ? ` (${oh.text})` : ""}`
    : `Uden for kontortid${oh.text ? ` · kontortid ${oh.text}` : ""}`;
  $("coordinator-name").textContent = state.coordinator && state.coordinator.name ? state.coordinator.name : "Koordinator";
}

// ---------------------------------------------------------------------------
// (1) Phones
// ---------------------------------------------------------------------------

const phoneCards = new Map(); // phone id → {root, parts…}

function latestUnusedInvitation() {
  const list = (state.invitations || []).filter((i) => !i.used && (i.link || !i.phone));
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
  smsInviteBtn.addEventListener("click", () => prefillSmsInvite(id));
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

function renderPhones() {
  const list = $("phone-list");
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
  if (!ui.focusPhone || !phoneCards.has(ui.focusPhone)) return;
  const card = phoneCards.get(ui.focusPhone);
  ui.focusPhone = null;
  card.root.scrollIntoView({ block: "nearest", behavior: "smooth" });
  card.input.focus({ preventScroll: true });
}

async function addPhone(channel, button) {
  await withBusy(button, $("phones-error"), async () => {
    const res = await api("/phones", { channel });
    if (res && res.id) {
      ui.focusPhone = res.id;
      focusPendingPhone();
    }
  });
}

// ---------------------------------------------------------------------------
// (2) Officers' group
// ---------------------------------------------------------------------------

function threads() {
  return state && state.group && Array.isArray(state.group.threads) ? state.group.threads : [];
}
function currentThread() {
  return threads().find((t) => t.ambassador_id === ui.selectedThread) || null;
}
function ambassadorInfo(ambassadorId) {
  for (const p of state.phones || []) {
    if (p.ambassador && p.ambassador.id === ambassadorId) return { phone: p, amb: p.ambassador };
  }
  return null;
}

function renderThreadItem(t) {
  const msgs = Array.isArray(t.messages) ? t.messages : [];
  const last = msgs[msgs.length - 1];
  const alert = msgs.some((m) => isAcute(m));
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
    unread > 0 ? el("span", { class: "unread", "data-testid": `thread-unread-${t.ambassador_id}` },
      el("span", { "aria-hidden": "true", text: String(unread) }),
      el("span", { class: "visually-hidden", text: ` ${unread} ulæste` })) : null));
  return el("li", {}, btn);
}

function renderGroup() {
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
    (t) => JSON.stringify([t.title, t.unread, t.messages && t.messages.length, t.messages && t.messages[t.messages.length - 1], ui.selectedThread === t.ambassador_id, t.messages && t.messages.some(isAcute)]),
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
    renderMessageList(container, msgs, { place: "group" });
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
  if (state && rerender) renderGroup();
  requestAnimationFrame(() => container.setAttribute("aria-live", "polite"));
  if (focus) $("group-input").focus({ preventScroll: true });
}

function setReplyTo(id) {
  ui.replyTo = ui.replyTo === id ? null : id;
  if (state) renderGroup();
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

function setupGroup() {
  $("thread-list").addEventListener("click", (ev) => {
    const btn = ev.target.closest("button[data-ambassador]");
    if (!btn) return;
    const t = threads().find((x) => String(x.ambassador_id) === btn.dataset.ambassador);
    if (t) selectThread(t.ambassador_id);
  });
  $("group-messages").addEventListener("click", (ev) => {
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

// ---------------------------------------------------------------------------
// (3) Coordinator: invitations
// ---------------------------------------------------------------------------

function unonboardedPhones(channel) {
  return (state.phones || []).filter((p) => p.channel === channel && (!p.ambassador || p.ambassador.state === "invited"));
}

function renderInviteForm() {
  const areas = (state.areas || []).map((a) => ({ value: a.id, label: a.name }));
  const officers = (state.officers || []).map((o) => ({ value: o.id, label: o.name }));
  setOptions($("invite-area"), areas);
  setOptions($("invite-officer"), officers);
  const smsPhones = (state.phones || []).filter((p) => p.channel === "sms");
  setOptions($("invite-phone-id"), [
    { value: "", label: "Andet nummer (skriv det)" },
    ...smsPhones.map((p) => ({
      value: p.id,
      label: `${p.label || p.id}${p.address ? ` (${p.address})` : ""}${p.ambassador ? ` – ${p.ambassador.name}` : ""}`,
    })),
  ]);
  $("invite-sms-fields").hidden = $("invite-channel").value !== "sms";

  const invs = Array.isArray(state.invitations) ? state.invitations : [];
  $("invitation-count").textContent = String(invs.length);
  reconcile($("invitation-list"), invs.slice().reverse(), (i) => i.code, (i) => JSON.stringify(i), (i) => el("li", {
    class: `invitation${i.used ? " is-used" : ""}`,
    "data-testid": `invitation-${i.code}`,
  },
  el("code", { class: "code", text: i.code }),
  el("span", { text: ` ${areaName(i.area)} · ${officerName(i.officer)}${i.phone ? ` · SMS til ${i.phone}` : " · Telegram"}` }),
  el("span", { class: `tag ${i.used ? "tag--muted" : "tag--ok"}`, text: i.used ? "brugt" : `gyldig til ${formatFull(i.expires_at) || "–"}` })));
  renderInviteResult();
}

let lastInvite = null; // {code, link, channel, phone}

function renderInviteResult() {
  const box = $("invite-result");
  if (!lastInvite) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  const inv = (state.invitations || []).find((i) => i.code === lastInvite.code);
  const used = inv ? inv.used : false;
  const sig = JSON.stringify([lastInvite, used, unonboardedPhones("telegram").map((p) => [p.id, p.label])]);
  if (box.dataset.sig === sig) return;
  box.dataset.sig = sig;
  box.hidden = false;
  const rows = [
    el("p", { class: "result__title", text: used ? "Invitationen er brugt." : "Invitationen er oprettet." }),
    el("dl", { class: "kv" },
      el("dt", { text: "Kode" }), el("dd", {}, el("code", { class: "code", "data-testid": "invite-code", text: lastInvite.code })),
      lastInvite.link ? el("dt", { text: "Link" }) : null,
      lastInvite.link ? el("dd", {}, el("code", { class: "code code--wrap", "data-testid": "invite-link", text: lastInvite.link })) : null),
  ];
  if (lastInvite.channel === "sms") {
    rows.push(el("p", { class: "hint", text: `Botten har sendt invitationen som SMS${lastInvite.phone ? ` til ${lastInvite.phone}` : ""}. Svar fra SMS-telefonen for at fortsætte.` }));
  } else if (!used) {
    const targets = unonboardedPhones("telegram");
    if (targets.length) {
      rows.push(el("p", { class: "hint", text: "Linket åbnes normalt på ambassadørens telefon. Prøv det her:" }));
      rows.push(el("div", { class: "btn-row" }, targets.map((p) => el("button", {
        type: "button",
        class: "btn btn--secondary btn--small",
        "data-testid": `invite-open-${p.id}`,
        "data-phone": p.id,
        text: `Åbn på ${p.label || p.id}`,
      }))));
    } else {
      rows.push(el("p", { class: "hint", text: "Tilføj en Telegram-telefon under Telefoner, og åbn linket derfra." }));
    }
  }
  if (lastInvite.link && navigator.clipboard) {
    rows.push(el("div", { class: "btn-row" }, el("button", {
      type: "button",
      class: "btn btn--ghost btn--small",
      "data-copy": lastInvite.link,
      text: "Kopiér link",
    })));
  }
  box.replaceChildren(...rows);
}

function prefillSmsInvite(phoneId) {
  const phone = (state.phones || []).find((p) => p.id === phoneId);
  $("invite-channel").value = "sms";
  $("invite-sms-fields").hidden = false;
  renderInviteForm();
  $("invite-phone-id").value = phoneId;
  $("invite-phone").value = phone && phone.address ? phone.address : "";
  const form = $("invite-form");
  form.scrollIntoView({ block: "start", behavior: "smooth" });
  $("invite-area").focus({ preventScroll: true });
}

function setupInvite() {
  $("invite-channel").addEventListener("change", () => {
    $("invite-sms-fields").hidden = $("invite-channel").value !== "sms";
    clearError($("invite-error"));
  });
  $("invite-phone-id").addEventListener("change", () => {
    const p = (state.phones || []).find((x) => x.id === $("invite-phone-id").value);
    if (p && p.address) $("invite-phone").value = p.address;
    else if (!p) $("invite-phone").value = "";
  });
  $("invite-phone").addEventListener("input", () => {
    const p = (state.phones || []).find((x) => x.id === $("invite-phone-id").value);
    if (p && p.address !== $("invite-phone").value.trim()) $("invite-phone-id").value = "";
  });
  $("invite-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const channel = $("invite-channel").value;
    const phoneId = channel === "sms" ? $("invite-phone-id").value || null : null;
    const phone = channel === "sms" ? $("invite-phone").value.trim() || null : null;
    const error = $("invite-error");
    if (channel === "sms" && !phone && !phoneId) {
      showError(error, "Skriv et telefonnummer, eller vælg en SMS-telefon fra sandkassen.");
      $("invite-phone").focus();
      return;
    }
    withBusy($("invite-submit"), error, async () => {
      const res = await api("/invite", {
        area: $("invite-area").value,
        officer: $("invite-officer").value,
        channel,
        phone,
        phone_id: phoneId,
      });
      lastInvite = { code: res && res.code ? res.code : "", link: res && res.link ? res.link : null, channel, phone };
      $("invite-result").dataset.sig = "";
      renderInviteResult();
    });
  });
  $("invite-result").addEventListener("click", (ev) => {
    const open = ev.target.closest("button[data-phone]");
    if (open && lastInvite) {
      const id = open.dataset.phone;
      withBusy(open, $("invite-error"), async () => {
        await api(`/phones/${encodeURIComponent(id)}/open_link`, { code: lastInvite.code });
        ui.focusPhone = id;
        focusPendingPhone();
      });
      return;
    }
    const copy = ev.target.closest("button[data-copy]");
    if (copy) {
      navigator.clipboard.writeText(copy.dataset.copy).then(
        () => { copy.textContent = "Kopieret ✓"; setTimeout(() => { copy.textContent = "Kopiér link"; }, 1500); },
        () => { copy.textContent = "Kunne ikke kopiere"; },
      );
    }
  });
}

// ---------------------------------------------------------------------------
// (3) Coordinator: broadcasts
// ---------------------------------------------------------------------------

function radioValue(name) {
  const r = document.querySelector(`input[name="${name}"]:checked`);
  return r ? r.value : null;
}

function tipTopics() {
  const topics = new Map();
  for (const t of state.tips || []) {
    if (!topics.has(t.topic)) topics.set(t.topic, []);
    topics.get(t.topic).push(t);
  }
  return topics;
}

function capitalise(s) {
  return s ? s.charAt(0).toLocaleUpperCase("da-DK") + s.slice(1) : s;
}

function renderBroadcastForm() {
  const areasBox = $("broadcast-areas");
  const areas = state.areas || [];
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

  const list = Array.isArray(state.broadcasts) ? state.broadcasts.slice().reverse() : [];
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

function syncBroadcastFields() {
  const audience = radioValue("audience");
  const content = radioValue("content");
  const when = radioValue("when");
  $("broadcast-areas").hidden = audience !== "areas";
  $("broadcast-text-field").hidden = content !== "text";
  $("broadcast-tip-field").hidden = content !== "tip";
  $("broadcast-at-field").hidden = when !== "at";
  $("broadcast-every-field").hidden = when !== "every";
  $("broadcast-submit").textContent = when === "now" ? "Send nu" : when === "at" ? "Planlæg" : "Planlæg hver uge";
  const text = $("broadcast-text").value;
  const info = smsInfo(text);
  $("broadcast-text-count").textContent = `${info.chars} tegn · ${info.segments} ${info.segments === 1 ? "SMS-del" : "SMS-dele"} pr. modtager på SMS${info.gsm ? "" : " (emoji eller særtegn: højst 70 tegn pr. del)"}`;
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
  const at = when === "at" ? $("broadcast-at").value || null : null;
  if (when === "at" && !at) throw new ApiError("Vælg dato og klokkeslæt.");
  const time = $("broadcast-every-time").value;
  if (when === "every" && !time) throw new ApiError("Vælg et klokkeslæt for den ugentlige udsendelse.");
  const every = when === "every" ? `${$("broadcast-every-day").value} ${time}` : null;
  return {
    audience: { areas, channel: $("broadcast-channel").value },
    text,
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

function markPreviewStale() {
  const box = $("broadcast-preview-result");
  if (!box.hidden) box.classList.add("is-stale");
  $("broadcast-result").hidden = true;
}

function setupBroadcasts() {
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

// ---------------------------------------------------------------------------
// Reset
// ---------------------------------------------------------------------------

function setupReset() {
  const dialog = $("reset-dialog");
  $("reset").addEventListener("click", () => {
    if (typeof dialog.showModal === "function") {
      dialog.returnValue = "";
      dialog.showModal();
    } else if (window.confirm("Start forfra? Alt i sandkassen slettes.")) {
      doReset();
    }
  });
  dialog.addEventListener("close", () => {
    if (dialog.returnValue === "confirm") doReset();
    else $("reset").focus();
  });
}

function doReset() {
  withBusy($("reset"), $("global-error"), async () => {
    await api("/reset", {});
    acceptAnyVersion = true;
    ui.selectedThread = null;
    ui.replyTo = null;
    ui.officerTouched = false;
    lastInvite = null;
    $("broadcast-preview-result").hidden = true;
    $("broadcast-result").hidden = true;
    for (const card of phoneCards.values()) card.root.remove();
    phoneCards.clear();
    $("reset").focus();
  });
}

// ---------------------------------------------------------------------------
// State intake: SSE with a polling fallback
// ---------------------------------------------------------------------------

function applyState(next) {
  if (!next || typeof next !== "object") return;
  const v = typeof next.version === "number" ? next.version : null;
  if (v !== null && !acceptAnyVersion) {
    if (v < lastVersion) return; // stale
    if (v === lastVersion && state) return; // nothing new
  }
  acceptAnyVersion = false;
  if (v !== null) lastVersion = v;
  state = next;
  render();
}

function render() {
  const sections = [renderHeader, renderPhones, renderGroup, renderInviteForm, renderBroadcastForm];
  for (const fn of sections) {
    try {
      fn();
    } catch (err) {
      console.error("Fejl under visning", fn.name, err);
    }
  }
  document.body.dataset.ready = "true";
}

let refreshTimer = null;
async function refresh() {
  try {
    const s = await api("/state", undefined, "GET");
    applyState(s);
    if (connection.state !== "open") clearError($("global-error"));
  } catch (err) {
    if (!state) showError($("global-error"), err.message);
  }
}
function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, 150);
}

const connection = { es: null, state: "connecting", retry: null, poll: null };

function setConnection(stateName) {
  connection.state = stateName;
  const pill = $("connection");
  pill.dataset.state = stateName;
  $("connection-label").textContent = stateName === "open" ? "Forbundet" : stateName === "connecting" ? "Forbinder …" : "Afbrudt – prøver igen …";
  // While the live stream is down, poll so the page keeps up.
  if (stateName === "open") {
    clearInterval(connection.poll);
    connection.poll = null;
  } else if (!connection.poll) {
    connection.poll = setInterval(refresh, 5000);
  }
}

function connect() {
  if (!("EventSource" in window)) {
    setConnection("closed");
    return;
  }
  const es = new EventSource(EVENTS);
  connection.es = es;
  const onState = (ev) => {
    try {
      applyState(JSON.parse(ev.data));
    } catch (err) {
      console.error("Ugyldig tilstand fra serveren", err);
    }
  };
  es.addEventListener("state", onState);
  es.addEventListener("message", onState);
  es.addEventListener("open", () => {
    acceptAnyVersion = true; // the first event after (re)connecting is the full, current state
    setConnection("open");
    clearError($("global-error"));
  });
  es.addEventListener("error", () => {
    if (es.readyState === EventSource.CLOSED) {
      setConnection("closed");
      clearTimeout(connection.retry);
      connection.retry = setTimeout(connect, 3000);
    } else {
      setConnection("closed");
    }
  });
}

// ---------------------------------------------------------------------------
// Start
// ---------------------------------------------------------------------------

function setup() {
  $("add-telegram-phone").addEventListener("click", (ev) => addPhone("telegram", ev.currentTarget));
  $("add-sms-phone").addEventListener("click", (ev) => addPhone("sms", ev.currentTarget));
  setupGroup();
  setupInvite();
  setupBroadcasts();
  setupReset();
  syncBroadcastFields();
  setConnection("connecting");
  refresh();
  connect();
  // Relative labels ("I dag") and office-hours can change while the page is open.
  setInterval(() => { if (state) renderHeader(); }, 60000);
}

setup();
