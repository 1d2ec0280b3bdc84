"""Office hours and quiet hours in Europe/Copenhagen.

Officers are not on duty around the clock (DESIGN.md, rule 5): outside office hours the bot
tells an ambassador when an answer can be expected, and broadcasts wait out the quiet hours
rather than wake people up. Both must be right on public holidays and across the summer-time
changes, so all arithmetic is done on the local wall clock and then localised, with the
nonexistent (spring) and ambiguous (autumn) local times resolved explicitly.

Pure Python: stdlib plus the `holidays` data library.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

__all__ = [
    "DEFAULT_EXTRA_CLOSED_DAYS",
    "EXTRA_CLOSED_DAYS",
    "LOCAL_TZ",
    "PROGRAMME_TZ",
    "OfficeHours",
    "QuietHours",
    "default_office_hours",
    "format_local",
]

# The programme lives in Denmark: local times shown, office hours and schedules use this zone.
PROGRAMME_TZ = "Europe/Copenhagen"
LOCAL_TZ = ZoneInfo(PROGRAMME_TZ)

# Days that are not public holidays in law but on which the police's non-emergency service
# is closed all the same. Keys are what configuration uses; values (month, day, Danish name).
EXTRA_CLOSED_DAYS: Mapping[str, tuple[int, int, str]] = MappingProxyType(
    {
        "christmas_eve": (12, 24, "Juleaftensdag"),
        "new_years_eve": (12, 31, "Nytårsaften"),
        "constitution_day": (6, 5, "Grundlovsdag"),
        "workers_day": (5, 1, "Arbejdernes kampdag"),
    }
)
DEFAULT_EXTRA_CLOSED_DAYS: frozenset[str] = frozenset(
    {"christmas_eve", "new_years_eve", "constitution_day"}
)

_DAY_KEYS: Mapping[str, int] = MappingProxyType(
    {
        "mon": 0,
        "man": 0,
        "monday": 0,
        "mandag": 0,
        "tue": 1,
        "tir": 1,
        "tuesday": 1,
        "tirsdag": 1,
        "wed": 2,
        "ons": 2,
        "wednesday": 2,
        "onsdag": 2,
        "thu": 3,
        "tor": 3,
        "thursday": 3,
        "torsdag": 3,
        "fri": 4,
        "fre": 4,
        "friday": 4,
        "fredag": 4,
        "sat": 5,
        "lør": 5,
        "loer": 5,
        "lor": 5,
        "saturday": 5,
        "lørdag": 5,
        "sun": 6,
        "søn": 6,
        "soen": 6,
        "son": 6,
        "sunday": 6,
        "søndag": 6,
    }
)
_CLOSED_WORDS = frozenset({"", "closed", "lukket", "-", "none"})
_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")
_END_OF_DAY = time(23, 59, 59, 999999)  # "24:00" as an end time
_SEARCH_DAYS = 3 * 366  # how far next_open looks before deciding the office never opens


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def _parse_time(text: str, *, what: str, allow_24: bool = False) -> time:
    match = _TIME.match(text)
    if not match:
        raise ValueError(f"{what}: {text.strip()!r} is not a time like 08:00")
    hour, minute = int(match[1]), int(match[2])
    if allow_24 and (hour, minute) == (24, 0):
        return _END_OF_DAY
    if hour > 23 or minute > 59:
        raise ValueError(f"{what}: {text.strip()!r} is not a valid time of day")
    return time(hour, minute)


def _require_aware(at: datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"datetime must be timezone-aware, got naive {at.isoformat()}")


def _localise(day: date, wall: time, tz: ZoneInfo) -> list[datetime]:
    """The instants (in UTC) at which a local wall-clock time occurs, earliest first.

    A time in the autumn overlap occurs twice (fold=0 and fold=1): both are returned. A time
    in the spring-forward gap does not exist: fold=0 and a UTC round trip map it to the same
    distance past the gap, e.g. 02:30 → 03:30 CEST. Results are UTC because Python compares
    two datetimes with the *same* tzinfo by wall clock, ignoring fold.
    """
    naive = datetime.combine(day, wall)
    found: list[datetime] = []
    for fold in (0, 1):
        instant = naive.replace(tzinfo=tz, fold=fold).astimezone(UTC)
        exists = instant.astimezone(tz).replace(tzinfo=None, fold=0) == naive
        if exists and instant not in found:
            found.append(instant)
    if not found:
        found.append(naive.replace(tzinfo=tz, fold=0).astimezone(UTC))
    return sorted(found)


@dataclass(frozen=True)
class OfficeHours:
    """When officers answer: a weekly pattern minus holidays and configured closed days."""

    weekly: Mapping[int, tuple[time, time] | None] = field(hash=False)
    tz: ZoneInfo = field(default_factory=lambda: LOCAL_TZ)
    closed_dates: frozenset[date] = frozenset()
    include_public_holidays: bool = True
    extra_closed_days: frozenset[str] = DEFAULT_EXTRA_CLOSED_DAYS
    _holidays: Any = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        weekly: dict[int, tuple[time, time] | None] = {}
        for day, hours in self.weekly.items():
            if day not in range(7):
                raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {day!r}")
            if hours is not None and not hours[0] < hours[1]:
                raise ValueError(
                    f"weekday {day}: opening {hours[0]:%H:%M} is not before closing "
                    f"{hours[1]:%H:%M} (office hours cannot span midnight)"
                )
            weekly[day] = hours
        # Missing days are closed; a read-only copy keeps the frozen dataclass honest.
        full = {day: weekly.get(day) for day in range(7)}
        object.__setattr__(self, "weekly", MappingProxyType(full))
        object.__setattr__(self, "closed_dates", frozenset(self.closed_dates))
        unknown = set(self.extra_closed_days) - set(EXTRA_CLOSED_DAYS)
        if unknown:
            raise ValueError(
                f"unknown extra closed day(s) {sorted(unknown)}; known: {sorted(EXTRA_CLOSED_DAYS)}"
            )
        object.__setattr__(self, "extra_closed_days", frozenset(self.extra_closed_days))
        # The holidays object fills in years lazily as they are looked up.
        object.__setattr__(self, "_holidays", holidays.country_holidays("DK", language="da"))

    @classmethod
    def parse(
        cls,
        weekly: Mapping[str, str],
        *,
        tz: str = PROGRAMME_TZ,
        closed_dates: Iterable[date] = (),
        include_public_holidays: bool = True,
        extra_closed_days: Iterable[str] = DEFAULT_EXTRA_CLOSED_DAYS,
    ) -> OfficeHours:
        """Build from configuration: {"mon": "08:00-16:00", "sat": "closed", ...}.

        Keys may be English or Danish ("man", "lør"/"loer", "søn"/"soen"); days not given are
        closed. Errors name the offending key so an operator can find it in the file.
        """
        parsed: dict[int, tuple[time, time] | None] = {}
        seen: dict[int, str] = {}
        for key, value in weekly.items():
            day = _DAY_KEYS.get(str(key).strip().lower())
            if day is None:
                raise ValueError(f"office hours: unknown weekday key {key!r} (use mon..sun)")
            if day in seen:
                raise ValueError(f"office hours: {key!r} repeats {seen[day]!r}")
            seen[day] = key
            if not isinstance(value, str):
                raise ValueError(f"office hours[{key!r}]: expected a string like '08:00-16:00'")
            if value.strip().lower() in _CLOSED_WORDS:
                parsed[day] = None
                continue
            parts = value.split("-")
            if len(parts) != 2:
                raise ValueError(
                    f"office hours[{key!r}]: {value!r} is not a range like '08:00-16:00' "
                    "or 'closed'"
                )
            what = f"office hours[{key!r}]"
            start = _parse_time(parts[0], what=what)
            end = _parse_time(parts[1], what=what, allow_24=True)
            if not start < end:
                raise ValueError(f"{what}: {value!r} must open before it closes, on the same day")
            parsed[day] = (start, end)
        return cls(
            weekly=parsed,
            tz=_zone(tz),
            closed_dates=frozenset(closed_dates),
            include_public_holidays=include_public_holidays,
            extra_closed_days=frozenset(extra_closed_days),
        )

    def is_holiday(self, d: date) -> str | None:
        """The holiday's (Danish) name if `d` is a public holiday or an extra closed day."""
        if not self.include_public_holidays:
            return None
        name: str | None = self._holidays.get(d)
        if name:
            return name
        for key in self.extra_closed_days:
            month, day, extra_name = EXTRA_CLOSED_DAYS[key]
            if (d.month, d.day) == (month, day):
                return extra_name
        return None

    def _hours_on(self, d: date) -> tuple[time, time] | None:
        if d in self.closed_dates or self.is_holiday(d) is not None:
            return None
        return self.weekly[d.weekday()]

    def is_open(self, at: datetime) -> bool:
        """Whether officers are in the office at the instant `at` (opening inclusive)."""
        _require_aware(at)
        day = at.astimezone(self.tz).date()
        hours = self._hours_on(day)
        if hours is None:
            return False
        start, end = hours
        # Compare instants, not wall-clock times, so that the repeated autumn hour is right.
        opens = _localise(day, start, self.tz)[0]
        closes = _localise(day, end, self.tz)[-1]
        return opens <= at.astimezone(UTC) < closes

    def open_between(self, start: datetime, end: datetime) -> timedelta:
        """How much of [start, end) falls inside office hours: the time officers could have
        answered in (a message written on Friday evening and answered on Monday at 09:00 has
        waited one office hour, not sixty)."""
        _require_aware(start)
        _require_aware(end)
        if end <= start:
            return timedelta(0)
        begin, finish = start.astimezone(UTC), end.astimezone(UTC)
        total = timedelta(0)
        day = start.astimezone(self.tz).date()
        last = end.astimezone(self.tz).date()
        while day <= last:
            hours = self._hours_on(day)
            if hours is not None:
                opens = _localise(day, hours[0], self.tz)[0]
                closes = _localise(day, hours[1], self.tz)[-1]
                overlap = min(closes, finish) - max(opens, begin)
                if overlap > timedelta(0):
                    total += overlap
            day += timedelta(days=1)
        return total

    def next_open(self, at: datetime) -> datetime:
        """When office hours next begin, in `self.tz`; `at` itself if the office is open now."""
        _require_aware(at)
        if self.is_open(at):
            return at.astimezone(self.tz)
        now = at.astimezone(UTC)
        day = at.astimezone(self.tz).date()
        for _ in range(_SEARCH_DAYS):
            hours = self._hours_on(day)
            if hours is not None:
                opens = _localise(day, hours[0], self.tz)[0]
                if opens > now:
                    return opens.astimezone(self.tz)
            day += timedelta(days=1)
        raise ValueError(f"office hours never open within {_SEARCH_DAYS} days of {at.isoformat()}")


def default_office_hours() -> OfficeHours:
    """Mon-Thu 08:00-15:30, Fri 08:00-15:00, weekends and Danish holidays closed."""
    return OfficeHours.parse(
        {
            "mon": "08:00-15:30",
            "tue": "08:00-15:30",
            "wed": "08:00-15:30",
            "thu": "08:00-15:30",
            "fri": "08:00-15:00",
            "sat": "closed",
            "sun": "closed",
        }
    )


@dataclass(frozen=True)
class QuietHours:
    """A nightly window (it may span midnight) in which broadcasts are held back."""

    start: time | None
    end: time | None
    tz: ZoneInfo = field(default_factory=lambda: LOCAL_TZ)

    def __post_init__(self) -> None:
        if (self.start is None) != (self.end is None):
            raise ValueError("quiet hours need both a start and an end, or neither")
        if self.start is not None and self.start == self.end:
            raise ValueError(f"quiet hours start and end are both {self.start:%H:%M}")

    @classmethod
    def parse(cls, spec: str, tz: str = PROGRAMME_TZ) -> QuietHours:
        """ "21:00-08:00" (spans midnight), "13:00-14:00", or "" for no quiet hours."""
        zone = _zone(tz)
        if not spec.strip():
            return cls(None, None, zone)
        parts = spec.split("-")
        if len(parts) != 2:
            raise ValueError(f"quiet_hours: {spec!r} is not a range like '21:00-08:00' or ''")
        start = _parse_time(parts[0], what="quiet_hours")
        end = _parse_time(parts[1], what="quiet_hours")
        if start == end:
            raise ValueError(f"quiet_hours: {spec!r} starts and ends at the same time")
        return cls(start, end, zone)

    def _window(self, at: datetime) -> tuple[datetime, datetime] | None:
        """The quiet period containing `at` as UTC instants (start, end), or None."""
        if self.start is None or self.end is None:
            return None
        now = at.astimezone(UTC)
        today = at.astimezone(self.tz).date()
        spans_midnight = self.end < self.start
        candidates: list[tuple[date, date]] = (
            [(today - timedelta(days=1), today), (today, today + timedelta(days=1))]
            if spans_midnight
            else [(today, today)]
        )
        for start_day, end_day in candidates:
            begins = _localise(start_day, self.start, self.tz)[0]
            ends = _localise(end_day, self.end, self.tz)[-1]
            if begins <= now < ends:
                return begins, ends
        return None

    def is_quiet(self, at: datetime) -> bool:
        """Whether `at` falls in quiet hours (start inclusive, end exclusive)."""
        _require_aware(at)
        return self._window(at) is not None

    def release_time(self, at: datetime) -> datetime:
        """`at` if not quiet, else the end of the quiet period, aware in `self.tz`."""
        _require_aware(at)
        window = self._window(at)
        return at if window is None else window[1].astimezone(self.tz)


_DA_WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
_DA_MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
_EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_local(at: datetime, language: str, tz: ZoneInfo | None = None) -> str:
    """ "mandag 24. november kl. 08:00" / "Monday 24 November at 08:00", in Copenhagen time.

    The names are hard-coded because the server's locale is not ours to rely on. Languages
    other than English ("en", "en-GB", ...) get Danish, the programme's first language.
    """
    _require_aware(at)
    local = at.astimezone(tz or LOCAL_TZ)
    if language.lower().split("-")[0].split("_")[0] == "en":
        weekday, month = _EN_WEEKDAYS[local.weekday()], _EN_MONTHS[local.month - 1]
        return f"{weekday} {local.day} {month} at {local:%H:%M}"
    weekday, month = _DA_WEEKDAYS[local.weekday()], _DA_MONTHS[local.month - 1]
    return f"{weekday} {local.day}. {month} kl. {local:%H:%M}"
