// Tryghedsbot — sandkasse. Plain ES modules, no build step, no dependencies.
// All state comes from the server (GET /sandbox/api/state and SSE /sandbox/events); the page
// re-renders from it while keeping focus, input contents and scroll positions. This module
// only wires the sections together: each section's module owns its part of the page.

import { forgetBroadcastResults, renderBroadcastForm, setupBroadcasts, syncBroadcastFields } from "./coordinator.js";
import { forgetFigures, setupFigures } from "./figures.js";
import { forgetGroup, renderGroup, setupGroup } from "./group.js";
import { renderHeader, setupReset } from "./header.js";
import { forgetInvite, prefillSmsInvite, renderInviteForm, setupInvite } from "./invitations.js";
import { startLive } from "./live.js";
import { forgetPhones, renderPhones, setupPhones } from "./phones.js";
import { renderRegister, setupRegister } from "./register.js";
import { store } from "./store.js";

function render() {
  const sections = [renderHeader, renderPhones, renderGroup, renderInviteForm, renderBroadcastForm, renderRegister];
  for (const fn of sections) {
    try {
      fn();
    } catch (err) {
      console.error("Fejl under visning", fn.name, err);
    }
  }
  document.body.dataset.ready = "true";
}

function afterReset() {
  forgetGroup();
  forgetInvite();
  forgetBroadcastResults();
  forgetPhones();
  forgetFigures();
}

function setup() {
  setupPhones({ onInvitePhone: prefillSmsInvite });
  setupGroup();
  setupInvite();
  setupBroadcasts();
  setupRegister();
  setupFigures();
  setupReset(afterReset);
  syncBroadcastFields();
  startLive(render);
  // Relative labels ("I dag") and office-hours can change while the page is open.
  setInterval(() => { if (store.state) renderHeader(); }, 60000);
}

setup();
