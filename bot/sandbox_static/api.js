// The sandbox's HTTP contract, seen from the page: `api()` calls an endpoint under
// /sandbox/api and turns every failure into an `ApiError` with a Danish message the page can
// show as it is; `openEvents()` opens the live state stream (SSE, /sandbox/events).

const API = "/sandbox/api";
const EVENTS = "/sandbox/events";

export class ApiError extends Error {}

/** Call the sandbox API. Resolves to parsed JSON (or null); rejects with a Danish message. */
export async function api(path, body, method = "POST") {
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

/** The live state stream: one `state` event with the whole state after every change. */
export function openEvents() {
  return new EventSource(EVENTS);
}
