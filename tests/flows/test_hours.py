"""Office hours and quiet hours: edges, Danish holidays, summer-time changes, parsing, text."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from flows.hours import OfficeHours, QuietHours, default_office_hours, format_local

CPH = ZoneInfo("Europe/Copenhagen")


def cph(
    year: int,
    month: int,
    day: int,
    hour: int = 0,
    minute: int = 0,
    second: int = 0,
    *,
    fold: int = 0,
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=CPH, fold=fold)


@pytest.fixture
def office() -> OfficeHours:
    return default_office_hours()


# --- weekly pattern and edges ---------------------------------------------------------------


def test_weekday_open_and_closed(office: OfficeHours) -> None:
    assert date(2026, 11, 23).weekday() == 0
    assert office.is_open(cph(2026, 11, 23, 10, 0))  # Monday
    assert office.is_open(cph(2026, 11, 26, 15, 29))  # Thursday
    assert not office.is_open(cph(2026, 11, 27, 15, 10))  # Friday closes at 15:00
    assert not office.is_open(cph(2026, 11, 28, 10, 0))  # Saturday
    assert not office.is_open(cph(2026, 11, 29, 10, 0))  # Sunday
    assert not office.is_open(cph(2026, 11, 23, 3, 0))  # night


def test_edges_opening_inclusive_closing_exclusive(office: OfficeHours) -> None:
    assert not office.is_open(cph(2026, 11, 23, 7, 59, 59))
    assert office.is_open(cph(2026, 11, 23, 8, 0))
    assert office.is_open(cph(2026, 11, 23, 15, 29, 59))
    assert not office.is_open(cph(2026, 11, 23, 15, 30))
    assert office.is_open(cph(2026, 11, 27, 14, 59, 59))
    assert not office.is_open(cph(2026, 11, 27, 15, 0))


def test_any_timezone_is_accepted(office: OfficeHours) -> None:
    # 07:30 UTC in winter is 08:30 in Copenhagen; 06:30 UTC in summer is 08:30 too.
    assert office.is_open(datetime(2026, 11, 23, 7, 30, tzinfo=UTC))
    assert office.is_open(datetime(2026, 6, 22, 6, 30, tzinfo=UTC))
    assert not office.is_open(datetime(2026, 6, 22, 5, 30, tzinfo=UTC))
    assert office.is_open(datetime(2026, 11, 23, 2, 30, tzinfo=ZoneInfo("America/New_York")))


def test_naive_datetime_rejected(office: OfficeHours) -> None:
    naive = datetime(2026, 11, 23, 10, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        office.is_open(naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        office.next_open(naive)
    quiet = QuietHours.parse("21:00-08:00")
    with pytest.raises(ValueError, match="timezone-aware"):
        quiet.is_quiet(naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        quiet.release_time(naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        format_local(naive, "da")


# --- holidays ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 1, 1), "Nytårsdag"),
        (date(2026, 4, 2), "Skærtorsdag"),
        (date(2026, 4, 3), "Langfredag"),
        (date(2026, 4, 6), "Anden påskedag"),
        (date(2026, 5, 14), "Kristi himmelfartsdag"),
        (date(2026, 5, 25), "Anden pinsedag"),
        (date(2026, 6, 5), "Grundlovsdag"),
        (date(2026, 12, 24), "Juleaftensdag"),
        (date(2026, 12, 25), "Juledag"),
        (date(2026, 12, 31), "Nytårsaften"),
        (date(2027, 3, 25), "Skærtorsdag"),
        (date(2027, 3, 26), "Langfredag"),
        (date(2027, 3, 29), "Anden påskedag"),
        (date(2027, 5, 6), "Kristi himmelfartsdag"),
        (date(2027, 5, 17), "Anden pinsedag"),
        (date(2027, 12, 24), "Juleaftensdag"),
    ],
)
def test_holidays_are_closed(office: OfficeHours, day: date, name: str) -> None:
    assert office.is_holiday(day) == name
    assert day.weekday() < 5  # all of these are weekdays that would otherwise be open
    assert not office.is_open(datetime.combine(day, time(10, 0), tzinfo=CPH))


def test_ordinary_days_are_not_holidays(office: OfficeHours) -> None:
    for day in [date(2026, 4, 1), date(2026, 4, 7), date(2026, 12, 23), date(2026, 5, 1)]:
        assert office.is_holiday(day) is None, day
    assert office.is_open(cph(2026, 12, 23, 10, 0))
    # Store bededag was abolished from 2024: 2026-05-01 is an ordinary Friday.
    assert office.is_open(cph(2026, 5, 1, 10, 0))


def test_extra_closed_days_are_configurable() -> None:
    weekly = {"mon": "08:00-16:00", "tue": "08:00-16:00", "wed": "08:00-16:00",
              "thu": "08:00-16:00", "fri": "08:00-16:00"}  # fmt: skip
    none_extra = OfficeHours.parse(weekly, extra_closed_days=())
    assert none_extra.is_holiday(date(2026, 12, 24)) is None
    assert none_extra.is_open(cph(2026, 12, 24, 10, 0))
    assert none_extra.is_holiday(date(2026, 12, 25)) == "Juledag"
    with_may_day = OfficeHours.parse(weekly, extra_closed_days={"workers_day"})
    assert with_may_day.is_holiday(date(2026, 5, 1)) == "Arbejdernes kampdag"
    with pytest.raises(ValueError, match="unknown extra closed day"):
        OfficeHours.parse(weekly, extra_closed_days={"fastelavn"})


def test_public_holidays_can_be_switched_off() -> None:
    hours = OfficeHours.parse({"fri": "08:00-15:00"}, include_public_holidays=False)
    assert hours.is_holiday(date(2026, 12, 25)) is None
    assert hours.is_open(cph(2026, 12, 25, 10, 0))


def test_configured_closed_dates() -> None:
    hours = OfficeHours.parse({"mon": "08:00-16:00"}, closed_dates=[date(2026, 11, 23)])
    assert not hours.is_open(cph(2026, 11, 23, 10, 0))
    assert hours.is_open(cph(2026, 11, 30, 10, 0))
    assert hours.next_open(cph(2026, 11, 23, 10, 0)) == cph(2026, 11, 30, 8, 0)


# --- next_open --------------------------------------------------------------------------------


def test_next_open_when_open_is_now(office: OfficeHours) -> None:
    at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    result = office.next_open(at)
    assert result == at
    assert result.tzinfo == CPH


def test_next_open_later_today_and_tomorrow(office: OfficeHours) -> None:
    assert office.next_open(cph(2026, 11, 23, 6, 0)) == cph(2026, 11, 23, 8, 0)
    assert office.next_open(cph(2026, 11, 23, 15, 30)) == cph(2026, 11, 24, 8, 0)


def test_next_open_over_weekend(office: OfficeHours) -> None:
    result = office.next_open(cph(2026, 11, 27, 15, 0))  # Friday at closing
    assert result == cph(2026, 11, 30, 8, 0)  # Monday
    assert result.tzinfo == CPH
    assert office.next_open(cph(2026, 11, 28, 23, 59)) == cph(2026, 11, 30, 8, 0)


def test_next_open_over_easter(office: OfficeHours) -> None:
    # Wednesday before Easter 2026 → Thursday, Friday, weekend, Monday closed → Tuesday 7 April.
    assert office.next_open(cph(2026, 4, 1, 16, 0)) == cph(2026, 4, 7, 8, 0)
    # 2027: Easter is 28 March, which is also the summer-time change.
    result = office.next_open(cph(2027, 3, 24, 15, 45))
    assert result == cph(2027, 3, 30, 8, 0)
    assert result.utcoffset() == timedelta(hours=2)


def test_next_open_over_christmas(office: OfficeHours) -> None:
    # 23 Dec 2026 (Wed) → 24, 25, 26, 27 closed → Monday 28 December.
    assert office.next_open(cph(2026, 12, 23, 15, 30)) == cph(2026, 12, 28, 8, 0)
    # 30 Dec 2026 (Wed) → 31 Dec and 1 Jan closed, weekend → Monday 4 January 2027.
    assert office.next_open(cph(2026, 12, 30, 16, 0)) == cph(2027, 1, 4, 8, 0)


def test_next_open_never() -> None:
    hours = OfficeHours.parse({})
    with pytest.raises(ValueError, match="never open"):
        hours.next_open(cph(2026, 1, 5, 8, 0))


# --- summer time --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("friday", "monday", "offset_before", "offset_after"),
    [
        (date(2026, 3, 27), date(2026, 3, 30), 1, 2),  # summer time from Sun 29 March 2026
        (date(2026, 10, 23), date(2026, 10, 26), 2, 1),  # winter time from Sun 25 Oct 2026
        (date(2027, 10, 29), date(2027, 11, 1), 2, 1),  # winter time from Sun 31 Oct 2027
    ],
)
def test_next_open_across_dst_weekend(
    office: OfficeHours, friday: date, monday: date, offset_before: int, offset_after: int
) -> None:
    closing = datetime.combine(friday, time(15, 0), tzinfo=CPH)
    assert closing.utcoffset() == timedelta(hours=offset_before)
    result = office.next_open(closing)
    assert result == datetime.combine(monday, time(8, 0), tzinfo=CPH)
    assert (result.hour, result.minute) == (8, 0)
    assert result.utcoffset() == timedelta(hours=offset_after)
    # Wall-clock 08:00, so the gap is 65 hours ± the hour gained or lost.
    expected_gap = timedelta(hours=65 + offset_before - offset_after)
    assert result.astimezone(UTC) - closing.astimezone(UTC) == expected_gap


def test_office_hours_in_the_dst_week(office: OfficeHours) -> None:
    # Monday after the spring change: 06:00 UTC is 08:00 CEST (open); a week earlier it was
    # 07:00 CET (closed).
    assert office.is_open(datetime(2026, 3, 30, 6, 0, tzinfo=UTC))
    assert not office.is_open(datetime(2026, 3, 23, 6, 0, tzinfo=UTC))
    assert office.is_open(datetime(2026, 10, 26, 7, 0, tzinfo=UTC))
    assert not office.is_open(datetime(2026, 10, 19, 5, 30, tzinfo=UTC))


def test_office_hours_starting_in_the_spring_gap() -> None:
    hours = OfficeHours.parse({"sun": "02:30-05:00"}, include_public_holidays=False)
    # 29 March 2026 has no 02:30: opening moves to 03:30 CEST (01:30 UTC).
    result = hours.next_open(cph(2026, 3, 29, 0, 0))
    assert result.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert (result.hour, result.minute) == (3, 30)


# --- quiet hours --------------------------------------------------------------------------------


def test_quiet_hours_spanning_midnight() -> None:
    quiet = QuietHours.parse("21:00-08:00")
    assert not quiet.is_quiet(cph(2026, 11, 23, 20, 59))
    assert quiet.is_quiet(cph(2026, 11, 23, 21, 0))
    assert quiet.is_quiet(cph(2026, 11, 23, 23, 59))
    assert quiet.is_quiet(cph(2026, 11, 24, 0, 0))
    assert quiet.is_quiet(cph(2026, 11, 24, 7, 59))
    assert not quiet.is_quiet(cph(2026, 11, 24, 8, 0))
    assert not quiet.is_quiet(cph(2026, 11, 24, 12, 0))


def test_quiet_hours_within_a_day() -> None:
    quiet = QuietHours.parse("12:00-13:00")
    assert quiet.is_quiet(cph(2026, 11, 23, 12, 30))
    assert not quiet.is_quiet(cph(2026, 11, 23, 13, 0))
    assert quiet.release_time(cph(2026, 11, 23, 12, 30)) == cph(2026, 11, 23, 13, 0)


def test_no_quiet_hours() -> None:
    quiet = QuietHours.parse("")
    at = cph(2026, 11, 23, 3, 0)
    assert not quiet.is_quiet(at)
    assert quiet.release_time(at) is at


def test_release_time() -> None:
    quiet = QuietHours.parse("21:00-08:00")
    day_time = cph(2026, 11, 23, 12, 0)
    assert quiet.release_time(day_time) is day_time
    assert quiet.release_time(cph(2026, 11, 23, 22, 0)) == cph(2026, 11, 24, 8, 0)
    assert quiet.release_time(cph(2026, 11, 24, 6, 0)) == cph(2026, 11, 24, 8, 0)
    # A UTC input gets an answer in Copenhagen time.
    result = quiet.release_time(datetime(2026, 11, 23, 23, 0, tzinfo=UTC))
    assert result.tzinfo == CPH
    assert (result.day, result.hour) == (24, 8)


@pytest.mark.parametrize(
    ("evening", "offset_after"),
    [
        (cph(2026, 3, 28, 22, 0), 2),  # night into Sunday 29 March 2026, 02:00 → 03:00
        (cph(2026, 10, 24, 22, 0), 1),  # night into Sunday 25 October 2026, 03:00 → 02:00
        (cph(2027, 3, 27, 22, 0), 2),
        (cph(2027, 10, 30, 22, 0), 1),
    ],
)
def test_release_time_across_dst(evening: datetime, offset_after: int) -> None:
    quiet = QuietHours.parse("21:00-08:00")
    result = quiet.release_time(evening)
    assert (result.hour, result.minute) == (8, 0)
    assert result.date() == evening.date() + timedelta(days=1)
    assert result.utcoffset() == timedelta(hours=offset_after)
    # Within the night too (after the change).
    assert quiet.release_time(result - timedelta(hours=1)) == result


def test_release_time_ending_in_the_spring_gap() -> None:
    quiet = QuietHours.parse("22:00-02:30")
    result = quiet.release_time(cph(2026, 3, 28, 23, 0))
    assert result.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST
    assert not quiet.is_quiet(result)
    assert quiet.is_quiet(result - timedelta(seconds=1))


def test_release_time_ending_in_the_autumn_overlap() -> None:
    quiet = QuietHours.parse("22:00-02:30")
    # 02:30 happens twice on 25 October 2026; the quiet period lasts until the second one.
    result = quiet.release_time(cph(2026, 10, 24, 23, 0))
    assert result.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 CET
    first_0215 = cph(2026, 10, 25, 2, 15, fold=0)
    second_0215 = cph(2026, 10, 25, 2, 15, fold=1)
    assert quiet.is_quiet(first_0215) and quiet.is_quiet(second_0215)
    assert quiet.release_time(second_0215).astimezone(UTC) == result.astimezone(UTC)


# --- parsing ----------------------------------------------------------------------------------


def test_parse_danish_and_english_keys() -> None:
    hours = OfficeHours.parse(
        {"man": "08:00-16:00", "tue": "8.30-15:00", "lør": "closed", "soen": "", "fre": "lukket"}
    )
    assert hours.weekly[0] == (time(8, 0), time(16, 0))
    assert hours.weekly[1] == (time(8, 30), time(15, 0))
    assert hours.weekly[2] is None  # missing days are closed
    assert hours.weekly[4] is None
    assert hours.weekly[5] is None and hours.weekly[6] is None
    assert OfficeHours.parse({"loer": "10:00-12:00"}).weekly[5] == (time(10), time(12))
    assert OfficeHours.parse({"søn": "10:00-24:00"}).is_open(cph(2026, 11, 29, 23, 59))


@pytest.mark.parametrize(
    ("weekly", "message"),
    [
        ({"mon": "8-16"}, "'mon'"),
        ({"tue": "08:00"}, "'tue'"),
        ({"wed": "16:00-08:00"}, "'wed'"),
        ({"thu": "08:00-08:00"}, "'thu'"),
        ({"fri": "08:00-25:00"}, "'fri'"),
        ({"fri": "08:60-12:00"}, "'fri'"),
        ({"funday": "08:00-16:00"}, "'funday'"),
        ({"mon": "08:00-16:00", "man": "09:00-15:00"}, "'man'"),
    ],
)
def test_parse_errors_name_the_key(weekly: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        OfficeHours.parse(weekly)


def test_parse_bad_timezone() -> None:
    with pytest.raises(ValueError, match="time zone"):
        OfficeHours.parse({}, tz="Europe/Atlantis")
    with pytest.raises(ValueError, match="time zone"):
        QuietHours.parse("21:00-08:00", tz="Nowhere/Nothing")


@pytest.mark.parametrize(
    "spec", ["21:00", "21:00-08:00-09:00", "9pm-8am", "21:00-21:00", "25:00-08:00"]
)
def test_quiet_hours_parse_errors(spec: str) -> None:
    with pytest.raises(ValueError, match="quiet_hours"):
        QuietHours.parse(spec)


def test_quiet_hours_need_both_ends() -> None:
    with pytest.raises(ValueError):
        QuietHours(time(21), None, CPH)


# --- format_local -------------------------------------------------------------------------------


def test_format_local_danish_and_english() -> None:
    at = cph(2025, 11, 24, 8, 0)
    assert format_local(at, "da") == "mandag 24. november kl. 08:00"
    assert format_local(at, "en") == "Monday 24 November at 08:00"
    assert format_local(at, "en-GB") == "Monday 24 November at 08:00"
    assert format_local(at, "fr") == "mandag 24. november kl. 08:00"  # Danish is the default


def test_format_local_converts_to_copenhagen() -> None:
    assert format_local(datetime(2026, 7, 4, 22, 5, tzinfo=UTC), "da") == (
        "søndag 5. juli kl. 00:05"
    )
    assert format_local(datetime(2026, 3, 1, 7, 0, tzinfo=UTC), "en") == ("Sunday 1 March at 08:00")
    assert format_local(cph(2026, 2, 7, 9, 30), "da") == "lørdag 7. februar kl. 09:30"
