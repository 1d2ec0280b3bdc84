// (3a) The coordinator's invitations: the form (area, contact officer, Telegram link or SMS
// to a number), the result with its code and link and buttons to open it on a pretend
// phone, and the list of recent invitations. Also `prefillSmsInvite`, which a pretend SMS
// phone's "Inviter denne telefon" uses to fill in the form.

import { api } from "./api.js";
import { $, clearError, el, reconcile, setOptions, showError } from "./dom.js";
import { formatFull } from "./format.js";
import { withBusy } from "./live.js";
import { focusPhone } from "./phones.js";
import { areaName, officerName, store } from "./store.js";

function unonboardedPhones(channel) {
  return (store.state.phones || []).filter((p) => p.channel === channel && (!p.ambassador || p.ambassador.state === "invited"));
}

export function renderInviteForm() {
  const areas = (store.state.areas || []).map((a) => ({ value: a.id, label: a.name }));
  const officers = (store.state.officers || []).map((o) => ({ value: o.id, label: o.name }));
  setOptions($("invite-area"), areas);
  setOptions($("invite-officer"), officers);
  const smsPhones = (store.state.phones || []).filter((p) => p.channel === "sms");
  setOptions($("invite-phone-id"), [
    { value: "", label: "Andet nummer (skriv det)" },
    ...smsPhones.map((p) => ({
      value: p.id,
      label: `${p.label || p.id}${p.address ? ` (${p.address})` : ""}${p.ambassador ? ` – ${p.ambassador.name}` : ""}`,
    })),
  ]);
  $("invite-sms-fields").hidden = $("invite-channel").value !== "sms";

  const invs = Array.isArray(store.state.invitations) ? store.state.invitations : [];
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
  const inv = (store.state.invitations || []).find((i) => i.code === lastInvite.code);
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

export function prefillSmsInvite(phoneId) {
  const phone = (store.state.phones || []).find((p) => p.id === phoneId);
  $("invite-channel").value = "sms";
  $("invite-sms-fields").hidden = false;
  renderInviteForm();
  $("invite-phone-id").value = phoneId;
  $("invite-phone").value = phone && phone.address ? phone.address : "";
  const form = $("invite-form");
  form.scrollIntoView({ block: "start", behavior: "smooth" });
  $("invite-area").focus({ preventScroll: true });
}

export function setupInvite() {
  $("invite-channel").addEventListener("change", () => {
    $("invite-sms-fields").hidden = $("invite-channel").value !== "sms";
    clearError($("invite-error"));
  });
  $("invite-phone-id").addEventListener("change", () => {
    const p = (store.state.phones || []).find((x) => x.id === $("invite-phone-id").value);
    if (p && p.address) $("invite-phone").value = p.address;
    else if (!p) $("invite-phone").value = "";
  });
  $("invite-phone").addEventListener("input", () => {
    const p = (store.state.phones || []).find((x) => x.id === $("invite-phone-id").value);
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
        name: $("invite-name").value.trim() || null,
        area: $("invite-area").value,
        officer: $("invite-officer").value,
        channel,
        phone,
        phone_id: phoneId,
      });
      lastInvite = { code: res && res.code ? res.code : "", link: res && res.link ? res.link : null, channel, phone };
      $("invite-name").value = "";
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
        focusPhone(id);
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

/** After a reset: the last invitation's result belongs to the old demo. */
export function forgetInvite() {
  lastInvite = null;
}
