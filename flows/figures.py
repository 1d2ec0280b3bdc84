"""The programme's figures per area and week: active ambassadors, messages in (and how many
were diverted to 1-1-2 / 1-1-4), officers' replies, the median time to a first reply counted
in office hours only, pushes delivered and the tryghed pulse.

Coordinators report on the programme with these; the command line, the Telegram `/tal`
answer and the sandbox all compute them here. Pulse means are shown only where at least
`MIN_GROUP` ambassadors answered, so no single answer can be read off them.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flows.broadcasts.model import PulseAnswer
from flows.hours import LOCAL_TZ, OfficeHours
from flows.model import Directory

MIN_GROUP = 3  # fewer answers than this: no mean, no distribution (one person could be read)
DEFAULT_WEEKS = 8


@dataclass(frozen=True, slots=True)
class StatePoint:
    """From `at` on, this ambassador was in this state, area (until their next point)."""

    ambassador_id: int
    state: str
    area_id: str
    at: datetime


@dataclass(frozen=True, slots=True)
class InboundFact:
    ambassador_id: int
    area_id: str
    route: str
    created_at: datetime
    answered_at: datetime | None


@dataclass(frozen=True, slots=True)
class Event:
    area_id: str
    at: datetime


@dataclass(frozen=True)
class Week:
    key: str  # ISO week, "2026-W48"
    starts: datetime  # Monday 00:00 local, as an instant
    ends: datetime


@dataclass
class Tally:
    """One area (or all areas) in one week (or the whole period)."""

    ambassadors: set[int] = field(default_factory=set)
    routes: dict[str, int] = field(default_factory=lambda: {"acute": 0, "report": 0, "officer": 0})
    replies: int = 0
    waits: list[float] = field(default_factory=list)  # office minutes to the first reply
    pushes: int = 0
    pulse: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        median = round(statistics.median(self.waits), 1) if self.waits else None
        enough = len(self.pulse) >= MIN_GROUP
        return {
            "ambassadors_active": len(self.ambassadors),
            "messages_in": sum(self.routes.values()),
            **self.routes,
            "replies": self.replies,
            "answered": len(self.waits),
            "median_reply_office_minutes": median,
            "pushes_delivered": self.pushes,
            "pulse_responses": len(self.pulse),
            "pulse_mean": round(statistics.fmean(self.pulse), 2) if enough else None,
        }


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive

    @property
    def since(self) -> datetime:
        return _local_midnight(self.first)

    @property
    def until(self) -> datetime:
        return _local_midnight(self.last + timedelta(days=1))

    def weeks(self) -> list[Week]:
        monday = self.first - timedelta(days=self.first.weekday())
        out = []
        while monday <= self.last:
            year, number, _ = monday.isocalendar()
            starts = max(_local_midnight(monday), self.since)
            ends = min(_local_midnight(monday + timedelta(days=7)), self.until)
            out.append(Week(f"{year}-W{number:02d}", starts, ends))
            monday += timedelta(days=7)
        return out


def _local_midnight(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=LOCAL_TZ)


def default_period(
    now: datetime,
    first: date | None = None,
    last: date | None = None,
    *,
    weeks: int = DEFAULT_WEEKS,
) -> Period:
    """The last `weeks` calendar weeks up to today, unless told otherwise."""
    today = now.astimezone(LOCAL_TZ).date()
    last = last or today
    if first is None:
        first = last - timedelta(days=last.weekday()) - timedelta(weeks=weeks - 1)
    if first > last:
        raise ValueError(f"the period starts ({first}) after it ends ({last})")
    return Period(first, last)


@dataclass(frozen=True)
class Figures:
    period: Period
    weeks: list[Week]
    areas: list[tuple[str, str]]  # (id, name), configured areas first
    cells: dict[tuple[str, str], Tally]  # (area or "*", week or "*") -> tally

    def cell(self, area: str, week: str) -> Tally:
        return self.cells.get((area, week)) or Tally()

    def to_json(self) -> dict[str, Any]:
        def block(area: str) -> dict[str, Any]:
            return {
                **self.cell(area, "*").to_json(),
                "weeks": [
                    {"week": w.key, "starts": w.starts.date().isoformat(),
                     **self.cell(area, w.key).to_json()}
                    for w in self.weeks
                ],
            }  # fmt: skip

        return {
            "from": self.period.first.isoformat(),
            "to": self.period.last.isoformat(),
            "areas": [{"id": a, "name": name, **block(a)} for a, name in self.areas],
            "totals": block("*"),
        }


def _active_spans(
    history: Sequence[StatePoint],
) -> dict[int, list[tuple[str, datetime, datetime | None]]]:
    """Per ambassador: (area, from, until) spans in which they were active."""
    by_amb: dict[int, list[StatePoint]] = defaultdict(list)
    for point in history:
        by_amb[point.ambassador_id].append(point)
    spans: dict[int, list[tuple[str, datetime, datetime | None]]] = {}
    for amb, points in by_amb.items():
        points.sort(key=lambda p: p.at)
        for index, point in enumerate(points):
            if point.state != "active":
                continue
            until = points[index + 1].at if index + 1 < len(points) else None
            spans.setdefault(amb, []).append((point.area_id, point.at, until))
    return spans


def compute(
    period: Period,
    directory: Directory,
    hours: OfficeHours | None,
    *,
    history: Sequence[StatePoint],
    inbound: Iterable[InboundFact],
    replies: Iterable[Event],
    deliveries: Iterable[Event],
    pulse: Iterable[PulseAnswer],
    areas: Sequence[str] = (),
) -> Figures:
    weeks = period.weeks()
    wanted = set(areas)
    cells: dict[tuple[str, str], Tally] = defaultdict(Tally)

    def week_of(at: datetime) -> str | None:
        return next((w.key for w in weeks if w.starts <= at < w.ends), None)

    def add(area: str, at: datetime, apply: Any) -> None:
        if wanted and area not in wanted:
            return
        week = week_of(at)
        if week is None:
            return
        for key in ((area, week), (area, "*"), ("*", week), ("*", "*")):
            apply(cells[key])

    for amb, spans in _active_spans(history).items():
        for area, start, end in spans:
            if wanted and area not in wanted:
                continue
            for week in weeks:
                if start < week.ends and (end is None or end > week.starts):
                    for key in ((area, week.key), ("*", week.key)):
                        cells[key].ambassadors.add(amb)
            if start < period.until and (end is None or end > period.since):
                for key in ((area, "*"), ("*", "*")):
                    cells[key].ambassadors.add(amb)

    for fact in inbound:
        route = fact.route if fact.route in ("acute", "report", "officer") else "officer"

        def count(t: Tally, route: str = route, fact: InboundFact = fact) -> None:
            t.routes[route] += 1
            if fact.answered_at is not None:
                wait = (
                    hours.open_between(fact.created_at, fact.answered_at)
                    if hours is not None
                    else fact.answered_at - fact.created_at
                )
                t.waits.append(wait.total_seconds() / 60)

        add(fact.area_id, fact.created_at, count)
    for event in replies:
        add(event.area_id, event.at, lambda t: setattr(t, "replies", t.replies + 1))
    for event in deliveries:
        add(event.area_id, event.at, lambda t: setattr(t, "pushes", t.pushes + 1))
    for answer in pulse:
        add(answer.area_id, answer.answered_at, lambda t, v=answer.value: t.pulse.append(v))

    known = [(a.id, a.name) for a in directory.areas if not wanted or a.id in wanted]
    extra = sorted({k[0] for k in cells if k[0] != "*"} - {a for a, _ in known})
    return Figures(period, weeks, known + [(a, a) for a in extra], dict(cells))
