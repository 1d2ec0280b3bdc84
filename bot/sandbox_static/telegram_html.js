// Telegram HTML → DOM. The bot's texts are Telegram-flavoured HTML (already sanitised by the
// server); this turns them into DOM nodes by a whitelist of tags and link protocols, so the
// pretend phones, the officers' group and the push preview show them as Telegram would.

import { el } from "./dom.js";

const ALLOWED_TAGS = new Set(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "blockquote"]);
const ALLOWED_PROTOCOLS = new Set(["http:", "https:", "tel:"]);

function safeHref(href) {
  if (!href) return null;
  try {
    const url = new URL(href, "https://invalid.example/");
    if (!ALLOWED_PROTOCOLS.has(url.protocol)) return null;
    if (url.host === "invalid.example") return null; // relative links are not allowed
    return url.href;
  } catch {
    return null;
  }
}

function copyAllowed(source, target) {
  for (const child of source.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) {
      target.append(document.createTextNode(child.nodeValue));
    } else if (child.nodeType === Node.ELEMENT_NODE) {
      const tag = child.tagName.toLowerCase();
      if (tag === "br") {
        target.append(document.createTextNode("\n"));
      } else if (!ALLOWED_TAGS.has(tag)) {
        target.append(document.createTextNode(child.textContent || ""));
      } else if (tag === "a") {
        const href = safeHref(child.getAttribute("href"));
        const node = href ? el("a", { href, target: "_blank", rel: "noopener noreferrer" }) : el("span", { class: "link-removed" });
        copyAllowed(child, node);
        target.append(node);
      } else {
        const node = document.createElement(tag);
        copyAllowed(child, node);
        target.append(node);
      }
    }
  }
}

export function renderTelegramHtml(html) {
  const doc = new DOMParser().parseFromString(`<!doctype html><body>${html}</body>`, "text/html");
  const frag = document.createDocumentFragment();
  copyAllowed(doc.body, frag);
  return frag;
}
