// (3d) The programme's figures, as coordinators get them with /tal and operators with
// `tryghedsbot figures`: per area for the last four weeks (active ambassadors, messages in,
// diversions to 1-1-2 / 1-1-4, replies, median answer time in office hours, pushes delivered,
// the tryghed pulse where at least three answered), and the same chart image.

import { api } from "./api.js";
import { $, el } from "./dom.js";
import { withBusy } from "./live.js";

const COLUMNS = [
  ["ambassadors_active", "Aktive"],
  ["messages_in", "Beskeder"],
  ["acute", "1-1-2"],
  ["report", "1-1-4"],
  ["replies", "Svar"],
  ["median_reply_office_minutes", "Median svartid (min.)"],
  ["pushes_delivered", "Udsendelser"],
  ["pulse_mean", "Tryghed (1–5)"],
];

function cell(value) {
  return value === null || value === undefined ? "–" : String(value);
}

function renderTable(data) {
  const rows = [...data.areas.map((a) => [a.name, a]), ["I alt", data.totals]];
  return el("table", { class: "figures-table", "data-testid": "figures-table" },
    el("caption", { text: `${data.from} – ${data.to}` }),
    el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Område" }), COLUMNS.map(([, label]) => el("th", { scope: "col", text: label })))),
    el("tbody", {}, rows.map(([name, row]) => el("tr", { "data-testid": `figures-row-${row.id || "total"}` },
      el("th", { scope: "row", text: name }),
      COLUMNS.map(([key]) => el("td", { "data-key": key, text: cell(row[key]) }))))));
}

async function load() {
  const data = await api("/figures", undefined, "GET");
  $("figures-result").replaceChildren(
    renderTable(data),
    el("img", { class: "figures-chart", "data-testid": "figures-chart", alt: "Beskeder pr. uge og tryghed pr. område", src: `/sandbox/api/figures/chart.png?t=${Date.now()}` }),
    el("p", { class: "hint", text: "Tryghed vises kun, hvor mindst tre har svaret, så ingen enkelt ambassadørs svar kan aflæses." }),
  );
  $("figures-result").hidden = false;
}

export function setupFigures() {
  $("figures-refresh").addEventListener("click", () => withBusy($("figures-refresh"), $("figures-error"), load));
}

/** After a reset: the figures shown belong to the old demo. */
export function forgetFigures() {
  $("figures-result").hidden = true;
  $("figures-result").replaceChildren();
}
