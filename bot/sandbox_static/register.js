// (3c) The ambassador register: everyone invited, with channel, area, contact officer, state,
// when they joined and last wrote, and the coordinator's verbs (move to another area or
// officer, pause, resume, end, rename); below it the open invitations, which can be
// withdrawn. Every change goes through the same register flows as /flyt and
// `tryghedsbot ambassadors`, so the pretend phones and the group are told as for real.

import { api } from "./api.js";
import { $, el, reconcile } from "./dom.js";
import { STATE_LABELS, formatFull } from "./format.js";
import { withBusy } from "./live.js";
import { areaName, officerName, store } from "./store.js";

const STATE_TEXT = { ...STATE_LABELS, ended: "Afsluttet", invited: "Inviteret" };

function options(list, chosen) {
  return list.map((x) => el("option", { value: x.id, text: x.name, selected: x.id === chosen }));
}

function renderAmbassador(a) {
  const member = a.state === "active" || a.state === "paused";
  const row = el("li", { class: `register-item register-item--${a.state}`, "data-testid": `register-${a.id}`, "data-id": String(a.id) },
    el("div", { class: "register-item__top" },
      el("strong", { text: `${a.id} · ${a.name}` }),
      el("span", { class: `tag tag--${a.state === "active" ? "ok" : "muted"}`, "data-testid": `register-state-${a.id}`, text: STATE_TEXT[a.state] || a.state })),
    el("p", { class: "register-item__meta", "data-testid": `register-meta-${a.id}`,
      text: `${a.channel === "sms" ? "SMS" : "Telegram"} · ${areaName(a.area)} · ${officerName(a.officer)} · tilmeldt ${a.joined ? formatFull(a.joined) : "–"} · skrev sidst ${a.last_message ? formatFull(a.last_message) : "aldrig"}` }),
  );
  if (a.state === "ended") return row;
  const state = store.state;
  row.append(el("div", { class: "register-item__actions" },
    el("label", { class: "visually-hidden", for: `move-area-${a.id}`, text: "Område" }),
    el("select", { id: `move-area-${a.id}`, "data-testid": `register-area-${a.id}` }, options(state.areas || [], a.area)),
    el("label", { class: "visually-hidden", for: `move-officer-${a.id}`, text: "Kontaktbetjent" }),
    el("select", { id: `move-officer-${a.id}`, "data-testid": `register-officer-${a.id}` }, options(state.officers || [], a.officer)),
    el("button", { type: "button", class: "btn btn--secondary btn--small", "data-verb": "move", "data-testid": `register-move-${a.id}`, text: "Flyt" }),
    member && a.state === "active" ? el("button", { type: "button", class: "btn btn--ghost btn--small", "data-verb": "pause", "data-testid": `register-pause-${a.id}`, text: "Pause" }) : null,
    a.state === "paused" ? el("button", { type: "button", class: "btn btn--ghost btn--small", "data-verb": "resume", "data-testid": `register-resume-${a.id}`, text: "Genoptag" }) : null,
    el("button", { type: "button", class: "btn btn--ghost btn--small", "data-verb": "rename", "data-testid": `register-rename-${a.id}`, text: "Omdøb" }),
    el("button", { type: "button", class: "btn btn--danger btn--small", "data-verb": "end", "data-testid": `register-end-${a.id}`, text: "Afslut" })));
  row.append(el("p", { class: "error", role: "alert", hidden: true, "data-testid": `register-error-${a.id}` }));
  return row;
}

function renderInvitation(i) {
  const who = i.name || i.phone || "Telegram-link";
  return el("li", { class: "invitation", "data-testid": `open-invitation-${i.id}` },
    el("span", { text: `${i.id} · ${who} · ${areaName(i.area)} · ${officerName(i.officer)} · gyldig til ${formatFull(i.expires_at)}` }),
    el("button", { type: "button", class: "btn btn--ghost btn--small", "data-revoke": String(i.id), "data-testid": `revoke-${i.id}`, text: "Træk tilbage" }));
}

export function renderRegister() {
  const reg = (store.state && store.state.register) || { ambassadors: [], invitations: [] };
  $("register-empty").hidden = reg.ambassadors.length > 0;
  reconcile($("register-list"), reg.ambassadors, (a) => String(a.id),
    (a) => JSON.stringify([a, store.state.areas, store.state.officers]), renderAmbassador);
  $("open-invitation-count").textContent = String(reg.invitations.length);
  reconcile($("open-invitation-list"), reg.invitations, (i) => String(i.id), (i) => JSON.stringify(i), renderInvitation);
}

export function setupRegister() {
  $("register-list").addEventListener("click", (ev) => {
    const btn = ev.target.closest("button[data-verb]");
    if (!btn) return;
    const item = btn.closest("li[data-id]");
    const id = item.dataset.id;
    const verb = btn.dataset.verb;
    const body = {};
    if (verb === "move") {
      body.area = $(`move-area-${id}`).value;
      body.officer = $(`move-officer-${id}`).value;
    } else if (verb === "rename") {
      const name = window.prompt("Nyt navn:");
      if (!name) return;
      body.name = name;
    } else if (verb === "end" && !window.confirm("Afslut samarbejdet? Ambassadøren skal have en ny invitation for at komme tilbage.")) {
      return;
    }
    withBusy(btn, item.querySelector(".error"), () => api(`/ambassadors/${encodeURIComponent(id)}/${verb}`, body));
  });
  $("open-invitation-list").addEventListener("click", (ev) => {
    const btn = ev.target.closest("button[data-revoke]");
    if (btn) withBusy(btn, $("register-error"), () => api(`/invitations/${encodeURIComponent(btn.dataset.revoke)}/revoke`, {}));
  });
}
