"""When a push runs: once, or on a cron-like rhythm, on the local wall clock.

Occurrences are named by their local wall time ("2026-10-25T02:30"), not by an instant, so
the autumn night's repeated 02:30 is one occurrence (it runs at the first 02:30), and the
spring night's missing 02:30 runs at 03:30. Pure Python: no scheduler library here; the
scheduler in bot/ only wakes up at the times computed here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flows.hours import PROGRAMME_TZ
from flows.texts import TextError, default_texts

_DAYS = {
    "mon": 0, "man": 0, "mandag": 0, "monday": 0,
    "tue": 1, "tir": 1, "tirsdag": 1, "tuesday": 1,
    "wed": 2, "ons": 2, "onsdag": 2, "wednesday": 2,
    "thu": 3, "tor": 3, "torsdag": 3, "thursday": 3,
    "fri": 4, "fre": 4, "fredag": 4, "friday": 4,
    "sat": 5, "lør": 5, "lor": 5, "lørdag": 5, "saturday": 5,
    "sun": 6, "søn": 6, "son": 6, "søndag": 6, "sunday": 6,
}  # fmt: skip
_DAILY = {"daily", "dagligt", "hver", "every", "*", "alle"}
_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
SEARCH_DAYS = 800  # how far ahead to look for the next matching day


class ScheduleError(TextError):
    """A rhythm or time the coordinator wrote that cannot be understood."""

    section = "broadcast_errors"


@dataclass(frozen=True)
class Rhythm:
    """A cron-like rhythm. Weekdays are Python's (Monday = 0)."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int] | None = None  # day of month; None = any
    months: frozenset[int] | None = None
    weekdays: frozenset[int] | None = None

    @classmethod
    def parse(cls, spec: str) -> Rhythm:
        """ "mon 18:00", "man,tor 18:00", "daily 02:30", or cron "30 2 * * *"."""
        words = spec.strip().lower().split()
        if len(words) == 5:
            return _cron(words)
        if len(words) == 1 and _TIME.match(words[0]):
            words = ["daily", words[0]]
        if len(words) != 2:
            raise ScheduleError("rhythm_format", spec=spec)
        day_part, time_part = words
        match = _TIME.match(time_part)
        if not match:
            raise ScheduleError("time_format", spec=spec, part=time_part)
        hour, minute = int(match.group(1)), int(match.group(2))
        weekdays: frozenset[int] | None
        if day_part in _DAILY:
            weekdays = None
        else:
            try:
                weekdays = frozenset(_day(d) for d in day_part.split(",") if d)
            except KeyError as exc:
                raise ScheduleError("unknown_day", spec=spec, day=exc.args[0]) from None
        return cls(frozenset({minute}), frozenset({hour}), weekdays=weekdays)

    def describe(self, language: str = "en") -> str:
        """A normal form that parses back to the same rhythm, in the reader's language."""
        if self.days is None and self.months is None and len(self.minutes) == 1 == len(self.hours):
            at = f"{next(iter(self.hours)):02d}:{next(iter(self.minutes)):02d}"
            words = default_texts().raw(language, "schedule.days").split(",")
            if self.weekdays is None:
                return f"{default_texts().raw(language, 'schedule.daily')} {at}"
            return ",".join(words[d] for d in sorted(self.weekdays)) + f" {at}"
        return " ".join(
            [
                _field(self.minutes),
                _field(self.hours),
                _field(self.days),
                _field(self.months),
                "*"
                if self.weekdays is None
                else ",".join(_DAY_NAMES[d] for d in sorted(self.weekdays)),
            ]
        )

    def _day_matches(self, d: date) -> bool:
        if self.months is not None and d.month not in self.months:
            return False
        dom = self.days is None or d.day in self.days
        dow = self.weekdays is None or d.weekday() in self.weekdays
        if self.days is not None and self.weekdays is not None:
            return dom or dow  # cron's rule when both are restricted
        return dom and dow

    def wall_times(self, start: date) -> Iterator[datetime]:
        """Naive local wall times from `start` on, in order."""
        slots = sorted((h, m) for h in self.hours for m in self.minutes)
        for offset in range(SEARCH_DAYS):
            d = start + timedelta(days=offset)
            if self._day_matches(d):
                for h, m in slots:
                    yield datetime.combine(d, time(h, m))


def _day(word: str) -> int:
    if word.isdigit():
        n = int(word)
        if not 0 <= n <= 7:
            raise KeyError(word)
        return (n - 1) % 7  # cron: 0 and 7 are Sunday
    return _DAYS[word]


def _field(values: frozenset[int] | None) -> str:
    return "*" if values is None else ",".join(str(v) for v in sorted(values))


def _values(text: str, low: int, high: int, *, names: bool = False) -> frozenset[int] | None:
    if text == "*":
        return None
    out: set[int] = set()
    for part in text.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if base == "*":
            first, last = low, high
        elif "-" in base:
            a, _, b = base.partition("-")
            first, last = (_day(a), _day(b)) if names else (int(a), int(b))
        else:
            first = _day(base) if names else int(base)
            last = first if not step_text else high
        if step < 1 or (not names and not (low <= first <= last <= high)):
            raise ValueError(part)
        if names and first > last:
            out.update(range(first, 7))
            first = 0
        out.update(range(first, last + 1, step))
    return frozenset(out)


def _cron(words: list[str]) -> Rhythm:
    minute, hour, dom, month, dow = words
    try:
        minutes = _values(minute, 0, 59)
        hours = _values(hour, 0, 23)
        return Rhythm(
            minutes=minutes if minutes is not None else frozenset(range(60)),
            hours=hours if hours is not None else frozenset(range(24)),
            days=_values(dom, 1, 31),
            months=_values(month, 1, 12),
            weekdays=_values(dow, 0, 6, names=True),
        )
    except (ValueError, KeyError) as exc:
        raise ScheduleError("cron_field", spec=" ".join(words), field=exc) from None


@dataclass(frozen=True)
class Occurrence:
    """One run: its name (local wall time) and the instant it is due (UTC)."""

    key: str
    due: datetime


def local_key(wall: datetime) -> str:
    return wall.strftime("%Y-%m-%dT%H:%M")


def localise(wall: datetime, tz: ZoneInfo) -> datetime:
    """A wall time as an instant: the first of a repeated hour, and a time in the spring gap
    moved forward by the gap (02:30 becomes 03:30)."""
    return wall.replace(tzinfo=tz, fold=0).astimezone(UTC)


def parse_local(text: str, tz: str = PROGRAMME_TZ) -> datetime:
    """ "2026-11-24 18:00" or "2026-11-24T18:00" in local time, as a UTC instant."""
    try:
        wall = datetime.strptime(text.strip().replace("T", " "), "%Y-%m-%d %H:%M")
    except ValueError:
        raise ScheduleError("datetime_format", text=text) from None
    return localise(wall, ZoneInfo(tz))


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ScheduleError("date_format", text=text) from None


@dataclass(frozen=True)
class Schedule:
    """Once at an instant, or a rhythm between optional bounds."""

    kind: str  # "now" | "once" | "rhythm"
    run_at: datetime | None = None
    rhythm: Rhythm | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    tz: str = PROGRAMME_TZ

    def __post_init__(self) -> None:
        if self.kind in ("now", "once") and self.run_at is None:
            raise ScheduleError("needs_time")
        if self.kind == "rhythm" and self.rhythm is None:
            raise ScheduleError("needs_rhythm")

    def key_for(self, at: datetime) -> str:
        return local_key(at.astimezone(ZoneInfo(self.tz)).replace(tzinfo=None))

    def next_after(self, after: datetime) -> Occurrence | None:
        """The first occurrence due strictly after `after`; None when there is none."""
        if self.kind != "rhythm":
            assert self.run_at is not None
            return (
                Occurrence(self.key_for(self.run_at), self.run_at) if self.run_at > after else None
            )
        assert self.rhythm is not None
        zone = ZoneInfo(self.tz)
        floor = after if self.starts_at is None else max(after, self.starts_at - _EPSILON)
        start_day = floor.astimezone(zone).date() - timedelta(days=1)
        for wall in self.rhythm.wall_times(start_day):
            due = localise(wall, zone)
            if self.ends_at is not None and due > self.ends_at:
                return None
            if due > floor:
                return Occurrence(local_key(wall), due)
        return None

    def first(self, created_at: datetime) -> Occurrence | None:
        """The first occurrence of a schedule created at `created_at`."""
        if self.kind != "rhythm":
            assert self.run_at is not None
            return Occurrence(self.key_for(self.run_at), self.run_at)
        return self.next_after(created_at)

    def describe(self, language: str = "da") -> str:
        from flows.hours import format_local

        texts = default_texts()
        if self.kind == "now":
            return texts.raw(language, "schedule.now")
        if self.kind == "once":
            assert self.run_at is not None
            return format_local(self.run_at, language)
        assert self.rhythm is not None
        text = self.rhythm.describe(language)
        zone = ZoneInfo(self.tz)
        if self.starts_at is not None:
            since = self.starts_at.astimezone(zone).date().isoformat()
            text += f" {texts.raw(language, 'schedule.from')} {since}"
        if self.ends_at is not None:
            until = self.ends_at.astimezone(zone).date().isoformat()
            text += f" {texts.raw(language, 'schedule.until')} {until}"
        return text


_EPSILON = timedelta(microseconds=1)


def day_start(d: date, tz: str = PROGRAMME_TZ) -> datetime:
    return localise(datetime.combine(d, time(0, 0)), ZoneInfo(tz))


def day_end(d: date, tz: str = PROGRAMME_TZ) -> datetime:
    """The last moment of a local day: an 'until' date includes that whole day."""
    return day_start(d + timedelta(days=1), tz) - _EPSILON
