// Keeping the page in step with the server. The state arrives whole: first from GET
// /sandbox/api/state, then from the SSE stream after every change, with polling while the
// stream is down; a state older than the one shown is ignored. Each new state goes into
// `store.state` and the page is redrawn (the `render` given to `startLive`). Also the
// connection pill in the header, and `withBusy`, which runs a page action and then asks for
// the new state.

import { ApiError, api, openEvents } from "./api.js";
import { $, clearError, showError } from "./dom.js";
import { store } from "./store.js";

let lastVersion = -Infinity;
let acceptAnyVersion = true;
let render = () => {}; // set by startLive

/** Run an async action with a button disabled meanwhile; errors go to errorNode. */
export async function withBusy(button, errorNode, fn) {
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

function applyState(next) {
  if (!next || typeof next !== "object") return;
  const v = typeof next.version === "number" ? next.version : null;
  if (v !== null && !acceptAnyVersion) {
    if (v < lastVersion) return; // stale
    if (v === lastVersion && store.state) return; // nothing new
  }
  acceptAnyVersion = false;
  if (v !== null) lastVersion = v;
  store.state = next;
  render();
}

let refreshTimer = null;
async function refresh() {
  try {
    const s = await api("/state", undefined, "GET");
    applyState(s);
    if (connection.state !== "open") clearError($("global-error"));
  } catch (err) {
    if (!store.state) showError($("global-error"), err.message);
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
  const es = openEvents();
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

/** After a reset: take the next state whatever its version (the new demo counts afresh). */
export function acceptAnyState() {
  acceptAnyVersion = true;
}

/** Fetch the state now, then follow the live stream; `renderPage` draws each new state. */
export function startLive(renderPage) {
  render = renderPage;
  setConnection("connecting");
  refresh();
  connect();
}
