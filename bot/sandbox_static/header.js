// The page's header: the district's name (also in the window title), whether the officers
// have office hours now, the coordinator's name, and "Start forfra" with its confirmation
// dialog. After a reset, `afterReset` (from app.js) lets each section forget what it kept
// for the old demo.

import { api } from "./api.js";
import { $ } from "./dom.js";
import { acceptAnyState, withBusy } from "./live.js";
import { store } from "./store.js";

export function renderHeader() {
  const { state } = store;
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

export function setupReset(afterReset) {
  const dialog = $("reset-dialog");
  $("reset").addEventListener("click", () => {
    if (typeof dialog.showModal === "function") {
      dialog.returnValue = "";
      dialog.showModal();
    } else if (window.confirm("Start forfra? Alt i sandkassen slettes.")) {
      doReset(afterReset);
    }
  });
  dialog.addEventListener("close", () => {
    if (dialog.returnValue === "confirm") doReset(afterReset);
    else $("reset").focus();
  });
}

function doReset(afterReset) {
  withBusy($("reset"), $("global-error"), async () => {
    await api("/reset", {});
    acceptAnyState();
    afterReset();
    $("reset").focus();
  });
}
