// The page's copy of the server's state (the JSON of GET /sandbox/api/state and of each SSE
// event). Every section reads `store.state`; only live.js replaces it. Also the look-ups
// several sections share: an area's and an officer's name by id.

export const store = { state: null };

export function areaName(id) {
  const { state } = store;
  const a = state && state.areas ? state.areas.find((x) => x.id === id) : null;
  return a ? a.name : id || "";
}
export function officerName(id) {
  const { state } = store;
  const o = state && state.officers ? state.officers.find((x) => x.id === id) : null;
  return o ? o.name : id || "";
}
