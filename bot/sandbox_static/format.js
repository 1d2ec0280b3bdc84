// How things read on the page: dates and times in Danish time (Europe/Copenhagen, whatever
// the browser's zone), short one-line snippets, and the Danish labels for ambassador states,
// channels, push statuses and delivery counts, and media kinds.

const TZ = "Europe/Copenhagen";

export const fmt = {
  time: new Intl.DateTimeFormat("da-DK", { timeZone: TZ, hour: "2-digit", minute: "2-digit" }),
  day: new Intl.DateTimeFormat("da-DK", { timeZone: TZ, weekday: "long", day: "numeric", month: "long" }),
  dayKey: new Intl.DateTimeFormat("en-CA", { timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit" }),
  full: new Intl.DateTimeFormat("da-DK", {
    timeZone: TZ, weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit",
  }),
};

export function parseDate(iso) {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}
export function formatTime(iso) {
  const d = parseDate(iso);
  return d ? fmt.time.format(d) : "";
}
export function formatFull(iso) {
  const d = parseDate(iso);
  return d ? fmt.full.format(d) : "";
}
export function dayKey(iso) {
  const d = parseDate(iso);
  return d ? fmt.dayKey.format(d) : "";
}
export function dayLabel(iso) {
  const d = parseDate(iso);
  if (!d) return "";
  const key = fmt.dayKey.format(d);
  const today = fmt.dayKey.format(new Date());
  const yesterday = fmt.dayKey.format(new Date(Date.now() - 86400000));
  if (key === today) return "I dag";
  if (key === yesterday) return "I går";
  return fmt.day.format(d);
}

export function snippet(text, max = 80) {
  const t = String(text || "").replace(/\s+/g, " ").trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

export const STATE_LABELS = {
  pending: "Afventer accept af aftalen",
  active: "Aktiv",
  paused: "På pause",
  invited: "Inviteret",
};
export const CHANNEL_LABELS = { telegram: "Telegram", sms: "SMS" };
export const BROADCAST_STATUS = { scheduled: "Planlagt", done: "Udført", cancelled: "Annulleret" };
export const COUNT_LABELS = [
  ["queued", "i kø"],
  ["sent", "sendt"],
  ["delivered", "leveret"],
  ["failed", "fejlet"],
  ["skipped", "sprunget over"],
];
export const MEDIA_ICONS = { photo: "📷", voice: "🎤", video: "🎬", document: "📄", location: "📍", sticker: "🙂" };

export function mediaLabel(kind) {
  return {
    photo: "Foto", voice: "Talebesked", video: "Video", document: "Dokument", location: "Position", sticker: "Sticker",
  }[kind] || "Vedhæftet fil";
}
