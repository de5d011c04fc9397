"""Reading one phrase (a date and/or a clock time) and turning it into instants."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta
from datetime import tzinfo as tzinfo_type

from case_workbook.model.when import (
    MAX_YEAR,
    MIN_YEAR,
    MONTH_LONG,
    UTC,
    WEEKDAY_LONG,
    WhenError,
    fmt_day,
    fmt_offset,
    fmt_time,
    get_zone,
    wall_time_kind,
    zone_label,
)
from case_workbook.model.when_words import (
    _CLOCK,
    _DMY,
    _EXAMPLES,
    _F,
    _HOUR_AMPM,
    _ISO_DATE,
    _ISO_MONTH,
    _MDY,
    _MON,
    _MONTH_INDEX,
    _MY,
    _NAMED_TIME,
    _NUMERIC_DATE,
    _RELATIVE,
    _WD_WORD,
    _WEEKDAY_INDEX,
    _Parts,
    _zone_cities,
)

# --- one phrase ---------------------------------------------------------------

def _cut(rest: str, m: re.Match[str]) -> str:
    return rest[:m.start()] + " " + rest[m.end():]


def _read_parts(phrase: str, zone: str, now: datetime | None) -> _Parts:
    parts = _Parts(text=phrase)
    # ISO "T" between date and time; "Z"/offsets were taken off the end already.
    rest = " " + re.sub(r"(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})t(?=\d)", r"\1 ", phrase, flags=_F) + " "
    rest = _take_date(rest, parts, zone, now)
    rest = _take_clock(rest, parts)
    _check_leftover(rest, parts)
    return parts


def _take_date(rest: str, p: _Parts, zone: str, now: datetime | None) -> str:
    m = _RELATIVE.search(rest)
    if m:
        day = _today(now, zone) - timedelta(days=m.group("rel").lower() == "yesterday")
        p.year, p.month, p.day = day.year, day.month, day.day
        return _cut(rest, m)
    m = _ISO_DATE.search(rest)
    if m:
        p.year, p.month, p.day = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        return _cut(rest, m)
    m = _NUMERIC_DATE.search(rest)
    if m:
        p.day, p.month, p.year = _numeric_date(m)
        return _cut(rest, m)
    for pattern in (_DMY, _MDY):
        m = pattern.search(rest)
        if m:
            p.day = int(m.group("d"))
            p.month = _MONTH_INDEX[m.group("mon")[:3].lower()]
            p.year = int(m.group("y")) if m.group("y") else None
            if m.group("wd"):
                p.weekday = _WEEKDAY_INDEX[m.group("wd")[:3].lower()]
            return _cut(rest, m)
    m = _ISO_MONTH.search(rest)
    if m:
        p.year, p.month = int(m.group("y")), int(m.group("m"))
        return _cut(rest, m)
    m = _MY.search(rest)
    if m:
        p.year, p.month = int(m.group("y")), _MONTH_INDEX[m.group("mon")[:3].lower()]
        return _cut(rest, m)
    return rest


def _today(now: datetime | None, zone: str) -> date:
    tzinfo = get_zone(zone)
    if now is None:
        return datetime.now(tzinfo).date()
    if now.tzinfo is None:
        return now.date()
    return now.astimezone(tzinfo).date()


def _numeric_date(m: re.Match[str]) -> tuple[int, int, int]:
    """(day, month, year) from 25/12/2026 or 12/25/2026; asks when both numbers could be the month."""
    a, b, year_text = int(m.group("a")), int(m.group("b")), m.group("y")
    if a <= 12 and b <= 12 and a != b:
        if len(year_text) == 4:
            y = int(year_text)
            how = f"type it as '{a} {MONTH_LONG[b - 1]} {y}' or '{y}-{b:02d}-{a:02d}' (year-month-day)"
        else:
            how = ("type it with the month as a word and the full year, "
                   f"such as '{a} {MONTH_LONG[b - 1]} 20{year_text}'")
        raise WhenError(f"'{m.group().strip()}' could be {a} {MONTH_LONG[b - 1]} or {b} {MONTH_LONG[a - 1]}, "
                        f"so it is not clear which number is the day and which the month; {how}.")
    if len(year_text) != 4:
        raise WhenError(f"Type the full four-digit year in '{m.group().strip()}', for example '25/12/2026'.")
    if a > 12 and b > 12:
        raise WhenError(f"'{m.group().strip()}' is not a date because neither {a} nor {b} can be a month; "
                        "type it like '14 March 2026'.")
    day, month = (a, b) if a > 12 or a == b else (b, a)
    return day, month, int(year_text)


def _take_clock(rest: str, p: _Parts) -> str:
    m = _CLOCK.search(rest)
    if m:
        fraction = (m.group("f") or "").ljust(6, "0")
        p.clock = _clock(m.group().strip(), int(m.group("h")), int(m.group("m")), int(m.group("s") or 0),
                         int(fraction or 0), m.group("ap"))
        return _cut(rest, m)
    m = _HOUR_AMPM.search(rest)
    if m:
        p.clock = _clock(m.group().strip(), int(m.group("h")), 0, 0, 0, m.group("ap"))
        return _cut(rest, m)
    m = _NAMED_TIME.search(rest)
    if m:
        p.clock = time(0) if m.group("name").lower() == "midnight" else time(12)
        return _cut(rest, m)
    return rest


def _clock(text: str, hour: int, minute: int, second: int, micro: int, ampm: str | None) -> time:
    if ampm:
        if not 1 <= hour <= 12 or minute > 59 or second > 59:
            raise WhenError(f"'{text}' is not a time; with am or pm the hour runs from 1 to 12 "
                            "(type '12:30 am' or '00:30' for just after midnight).")
        hour = hour % 12 + (12 if ampm.lower() == "p" else 0)
    elif hour == 24 and minute == 0 and second == 0 and micro == 0:
        raise WhenError("24:00 is the end of a day; type 00:00 with the next day's date.")
    elif hour > 23 or minute > 59 or second > 59:
        raise WhenError(f"'{text}' is not a time of day; hours run from 00 to 23 and minutes from 00 to 59.")
    return time(hour, minute, second, micro)


def _check_leftover(rest: str, p: _Parts) -> None:
    left = re.sub(r"(?<!\w)(?:on|at|the|of)(?!\w)|[,;]", " ", rest, flags=_F)
    left = " ".join(left.split())
    if not left:
        return
    frag = left if len(left) <= 40 else left[:40] + "..."
    if re.fullmatch(rf"(?:{_WD_WORD})\.?", left, _F):
        raise WhenError("A weekday alone is not a date; add the date, for example 'Sat 14 Mar 2026'.")
    if p.month is None and re.fullmatch(_MON, left, _F):
        raise WhenError("Add the year to the month, for example 'March 2026', "
                        "or a full date such as '14 March 2026'.")
    if p.month is not None and p.year is None and re.fullmatch(r"\d{1,3}", left):
        raise WhenError("Type the full four-digit year, for example '14 March 2026'.")
    if re.fullmatch(r"\d{1,2}[/.\-]\d{1,2}", left):
        raise WhenError("Add the year and write the month as a word, for example '3 April 2026', "
                        f"instead of '{frag}'.")
    if re.fullmatch(r"\d{1,2}", left) and p.month is not None and p.clock is None:
        raise WhenError(f"Write the time '{frag}' with minutes or am/pm, for example '21:00' or '9 pm'.")
    if re.fullmatch(r"\d{3,4}", left) and p.clock is None:
        raise WhenError(f"'{frag}' is not clear; type a time with a colon such as '21:30' and a date such as "
                        "'14 March 2026'.")
    city = _zone_cities().get(left.lower().replace(" ", "_")) if re.fullmatch(r"[a-z ]+", left, _F) else None
    if city:
        raise WhenError("Put the time zone at the end as its full name, "
                        f"for example '14 March 2026 21:30 {city}'.")
    raise WhenError(f"Could not read '{frag}' as part of a date; type it like {_EXAMPLES}.")


# --- from parts to instants ---------------------------------------------------

def _span(p: _Parts, zone: str) -> tuple[datetime, datetime, str]:
    """(start, end, kind) for a phrase; kind is 'moment', 'day' or 'month'."""
    if p.month is None:
        if p.clock is not None:
            raise WhenError(f"Add the date to that time, for example '{fmt_time(p.clock)} on 14 March 2026'.")
        raise WhenError(f"Type a date, for example {_EXAMPLES}.")
    if p.year is None:
        raise WhenError("Add the year, for example '14 March 2026'; the year is never assumed.")
    if not MIN_YEAR <= p.year <= MAX_YEAR:
        raise WhenError(f"The year {p.year} is outside {MIN_YEAR}-{MAX_YEAR}; check the year.")
    if not 1 <= p.month <= 12:
        raise WhenError(f"There is no month {p.month}; months run from 1 to 12, so check the date.")
    if p.day is None:
        if p.clock is not None:
            raise WhenError("A time needs a day as well as a month; type it like '14 March 2026 21:30'.")
        start = datetime(p.year, p.month, 1)
        following = start.replace(year=p.year + (p.month == 12), month=p.month % 12 + 1)
        return start, following, "month"
    last = calendar.monthrange(p.year, p.month)[1]
    if not 1 <= p.day <= last:
        raise WhenError(f"{MONTH_LONG[p.month - 1]} {p.year} has {last} days, so day {p.day} does not exist; "
                        "check the date.")
    day = date(p.year, p.month, p.day)
    if p.weekday is not None and p.weekday != day.weekday():
        raise WhenError(f"{day.day} {MONTH_LONG[day.month - 1]} {day.year} is a "
                        f"{WEEKDAY_LONG[day.weekday()]}, not a {WEEKDAY_LONG[p.weekday]}; "
                        "check the date, or leave the weekday out.")
    if p.clock is None:
        start = datetime(day.year, day.month, day.day)
        return start, start + timedelta(days=1), "day"
    moment = datetime.combine(day, p.clock)
    _check_wall_time(moment, zone)
    return moment, moment, "moment"


def _check_wall_time(local: datetime, zone: str) -> None:
    """Refuse a wall time the clocks skipped or showed twice in this zone."""
    kind = wall_time_kind(local, zone)
    if kind == "clear":
        return
    tzinfo = get_zone(zone)
    off_first = local.replace(tzinfo=tzinfo, fold=0).utcoffset() or timedelta(0)
    off_second = local.replace(tzinfo=tzinfo, fold=1).utcoffset() or timedelta(0)
    label, when = zone_label(zone), f"{fmt_time(local)} on {fmt_day(local)}"
    if kind == "gap":
        # Skipped: the clocks jumped from (T + old offset) to (T + new offset).
        change = _change_instant(local - off_second, local - off_first, tzinfo)
        before, after = (change + off_first).replace(tzinfo=None), (change + off_second).replace(tzinfo=None)
        raise WhenError(f"{when} did not exist in {label}: the clocks went forward from {fmt_time(before)} "
                        f"to {fmt_time(after)} that night, so type a time outside that gap.")
    stamp = f"{local.date().isoformat()} {fmt_time(local)}"
    raise WhenError(f"{when} happened twice in {label} because the clocks went back that night; "
                    f"add the offset to say which, for example '{stamp} {fmt_offset(off_first)}' "
                    f"for the first or '{stamp} {fmt_offset(off_second)}' for the second.")


def _change_instant(low: datetime, high: datetime, tzinfo: tzinfo_type) -> datetime:
    """The aware UTC instant when the offset changed, between naive-UTC `low` and `high` (whole seconds)."""
    start = low.replace(tzinfo=UTC)
    old = start.astimezone(tzinfo).utcoffset()
    lo, hi = 0, int((high - low).total_seconds())
    while hi - lo > 1:  # invariant: offset at lo is the old one, at hi the new one
        mid = (lo + hi) // 2
        if (start + timedelta(seconds=mid)).astimezone(tzinfo).utcoffset() == old:
            lo = mid
        else:
            hi = mid
    return start + timedelta(seconds=hi)
