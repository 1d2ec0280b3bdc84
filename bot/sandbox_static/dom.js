// DOM helpers every section uses: `$` and `el` to find and build elements, the error
// boxes, <select> options that survive re-rendering, and keyed list reconciliation that
// reuses unchanged nodes (so focus, scroll positions and screen-reader announcements stay
// right when a new state arrives). Nothing here knows about the sandbox's data.

export const $ = (id) => document.getElementById(id);

/** Create an element. attrs: class, text, dataset keys as "data-x", on<Event> handlers, others as attributes. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "hidden") node.hidden = Boolean(value);
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function showError(node, message) {
  if (!node) return;
  node.textContent = message;
  node.hidden = false;
}
export function clearError(node) {
  if (!node) return;
  node.textContent = "";
  node.hidden = true;
}

/** Replace a <select>'s options only when they changed; keep the chosen value when possible. */
export function setOptions(select, options, fallback) {
  const sig = JSON.stringify(options);
  if (select.dataset.sig !== sig) {
    const old = select.value;
    select.replaceChildren(...options.map((o) => el("option", { value: o.value, text: o.label, disabled: o.disabled })));
    select.dataset.sig = sig;
    if (options.some((o) => o.value === old)) select.value = old;
    else if (fallback !== undefined && options.some((o) => o.value === fallback)) select.value = fallback;
  }
}

/**
 * Keyed list rendering: reuse the node of an unchanged item, replace changed ones, keep order.
 * New nodes are only created for new or changed items, so aria-live regions announce just those.
 */
export function reconcile(container, items, keyOf, sigOf, render) {
  if (!container._cache) container._cache = new Map();
  const cache = container._cache;
  const seen = new Set();
  let prev = null;
  for (const item of items) {
    const key = keyOf(item);
    seen.add(key);
    const sig = sigOf(item);
    let entry = cache.get(key);
    if (!entry || entry.sig !== sig) {
      const node = render(item);
      if (entry) {
        const active = document.activeElement;
        const hadFocus = active && entry.el.contains(active);
        const focusId = hadFocus ? active.getAttribute("data-testid") : null;
        entry.el.replaceWith(node);
        if (hadFocus && focusId) {
          const again = node.querySelector(`[data-testid="${CSS.escape(focusId)}"]`);
          if (again) again.focus({ preventScroll: true });
        }
      }
      entry = { sig, el: node };
      cache.set(key, entry);
    }
    const want = prev ? prev.nextSibling : container.firstChild;
    if (want !== entry.el) container.insertBefore(entry.el, want);
    prev = entry.el;
  }
  for (const [key, entry] of cache) {
    if (!seen.has(key)) {
      entry.el.remove();
      cache.delete(key);
    }
  }
}

export function resetList(container) {
  container._cache = new Map();
  container.replaceChildren();
}

function isAtBottom(node) {
  return node.scrollHeight - node.scrollTop - node.clientHeight < 48;
}

/** Update a chat list; stay at the bottom if we were there (or on first fill). */
export function updateChat(container, update) {
  const first = !container._filled;
  const stick = first || isAtBottom(container);
  // The first fill is history, not news: keep screen readers from reading it all aloud.
  const live = container.getAttribute("aria-live");
  if (first && live && live !== "off") container.setAttribute("aria-live", "off");
  update();
  if (first && live && live !== "off") requestAnimationFrame(() => container.setAttribute("aria-live", live));
  container._filled = true;
  if (stick) container.scrollTop = container.scrollHeight;
}
