// Chat messages, as the pretend phones and the officers' group show them: one bubble per
// message (badges for acute, 114 and internal notes, sender, quoted reply, media, body,
// time and delivery status, reactions, inline keyboard, reply button), day separators, and
// lists that stay scrolled to the bottom as messages arrive. Which message the officer is
// answering is the group's business; it comes in as `ctx.selectedId`.

import { el, reconcile, updateChat } from "./dom.js";
import { MEDIA_ICONS, dayKey, dayLabel, formatFull, formatTime, mediaLabel, snippet } from "./format.js";
import { renderTelegramHtml } from "./telegram_html.js";

export function plainText(msg) {
  if (!msg) return "";
  if (msg.text) return msg.text;
  if (msg.html) {
    const doc = new DOMParser().parseFromString(msg.html, "text/html");
    return doc.body.textContent || "";
  }
  if (msg.media) return mediaLabel(msg.media.kind) + (msg.media.caption ? `: ${msg.media.caption}` : "");
  return "";
}

function flagsOf(msg) {
  return Array.isArray(msg.flags) ? msg.flags : [];
}
export function isAcute(msg) {
  return msg.kind === "alert" || msg.kind === "acute" || flagsOf(msg).includes("route:acute");
}
function isReport(msg) {
  return msg.kind === "report" || flagsOf(msg).includes("route:report");
}
function isNote(msg) {
  return msg.kind === "note" || flagsOf(msg).includes("internal") || /^\s*#intern/i.test(msg.text || "");
}

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

export function fromLabel(msg) {
  return { bot: "Tryghedsbot", me: "Mig", officer: "Betjent", system: "System" }[msg.from] || "";
}

function renderReactions(msg) {
  if (!Array.isArray(msg.reactions) || msg.reactions.length === 0) return null;
  return el("ul", { class: "reactions", "aria-label": "Reaktioner" },
    msg.reactions.map((r) => el("li", { class: "reaction", text: r })));
}

/** A chat message. ctx: {place: "phone"|"group"|"general", phone, selectedId, byId, onJump} */
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
  const selected = selectable && ctx.selectedId === msg.id;
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

  // In the group: the ✅ button under a relayed message or alert while its case is open.
  const open = new Set((ctx.openCases || []).map((id) => `case:${id}`));
  const caseButtons = place === "group" && Array.isArray(msg.buttons)
    ? msg.buttons.flat().filter((b) => b && open.has(b.data)) : [];
  if (caseButtons.length) {
    node.append(el("div", { class: "keyboard", role: "group", "aria-label": "Sagen" }, el("div", { class: "keyboard__row" },
      caseButtons.map((b) => el("button", {
        type: "button",
        class: "keyboard__btn",
        "data-testid": `group-button-${b.data}`,
        "data-message-id": msg.id,
        "data-group-button": b.data,
        text: b.text,
      })))));
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

export function renderMessageList(container, messages, ctx, extraSig = "") {
  const byId = new Map(messages.map((m) => [m.id, m]));
  const fullCtx = { ...ctx, byId, onJump: (id) => jumpTo(container, id) };
  updateChat(container, () => {
    reconcile(
      container,
      withDays(messages),
      (it) => it.key,
      (it) => (it.sep ? it.label : JSON.stringify(it.msg) + (it.msg.reply_to && byId.get(it.msg.reply_to) ? "q" : "") + extraSig + (ctx.selectedId === it.msg.id ? "*" : "")),
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
