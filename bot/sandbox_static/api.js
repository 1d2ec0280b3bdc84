// The sandbox's HTTP contract, seen from the page: `api()` calls an endpoint under
// /sandbox/api and turns every failure into an `ApiError` with a Danish message the page can
// show as it is; `openEvents()` opens the live state stream (SSE, /sandbox/events). Every
// request that changes something goes out as JSON with its Content-Type, which the server
// requires of its callers (a plain HTML form on another site cannot send that).

const API = "/sandbox/api";
const EVENTS = "/sandbox/events";

export class ApiError extends Error {}

/** Call the sandbox API. Resolves to parsed JSON (or null); rejects with a Danish message. */
export async function api(path, body, method = "POST") {
  const payload = body === undefined && method !== "GET" ? {} : body;
  let res;
  try {
    res = await fetch(API + path, {
      method,
      headers: payload === undefined ? { Accept: "application/json" } : { "Content-Type": "application/json", Accept: "application/json" },
      body: payload === undefined ? undefined : JSON.stringify(payload),
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

/** The live state stream: one `state` event with the whole state after every change. */
export function openEvents() {
  return new EventSource(EVENTS);
}
