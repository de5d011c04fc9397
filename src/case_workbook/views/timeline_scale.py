"""The timeline's time axis: how much time one column of the terminal holds,
where the axis starts, and where its ticks fall in the case's time zone.

A scale is a step from a fixed ladder (a minute per column up to years per
column) and the instant at the left edge of column 0. Zooming keeps one
instant (the selected item) under the same column, so the picture does not
jump away from what the person is looking at.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from case_workbook.model.clock import MONTH_SHORT, WEEKDAY_SHORT, get_zone, to_instant

MINUTE, HOUR, DAY = 60, 3600, 86400
# Seconds per column, finest first.
STEPS = [MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR,
         2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY,
         91 * DAY, 182 * DAY, 365 * DAY, 730 * DAY, 1826 * DAY]
_EDGE = datetime(1, 1, 2, tzinfo=get_zone("UTC"))  # keeps arithmetic inside datetime's range
_END = datetime(9999, 12, 30, tzinfo=get_zone("UTC"))


def step_words(seconds: int) -> str:
    """'10 min', '2 h', '1 day', '2 weeks': what one column holds."""
    if seconds < HOUR:
        return f"{seconds // MINUTE} min"
    if seconds < DAY:
        return f"{seconds // HOUR} h"
    days = seconds // DAY
    if days % 7 == 0 and days < 30:
        return "1 week" if days == 7 else f"{days // 7} weeks"
    if days >= 365:
        return "1 year" if days < 730 else f"{round(days / 365.25)} years"
    if days >= 30:
        return "1 month" if days < 60 else f"{round(days / 30.44)} months"
    return "1 day" if days == 1 else f"{days} days"


@dataclass(frozen=True)
class Scale:
    origin: datetime  # the instant at the left edge of column 0 (aware)
    step: int  # an index into STEPS

    @property
    def seconds(self) -> int:
        return STEPS[self.step]

    def column(self, when: datetime) -> float:
        return (when - self.origin).total_seconds() / self.seconds

    def instant(self, column: float) -> datetime:
        seconds = column * self.seconds
        limit_low = (_EDGE - self.origin).total_seconds()
        limit_high = (_END - self.origin).total_seconds()
        return self.origin + timedelta(seconds=min(max(seconds, limit_low), limit_high))

    def cells(self, low: datetime, high: datetime) -> tuple[int, int]:
        """The first and last column a span from `low` to `high` touches:
        every column whose time overlaps it, so ±1 h at 10 min a column is
        12 columns when `low` falls on a column's edge."""
        first = math.floor(self.column(low))
        last = max(first, math.ceil(self.column(high)) - 1)
        return first, last

    def zoomed(self, by: int, anchor: datetime, at_column: float) -> Scale:
        """`by` steps finer (negative: coarser), `anchor` kept at `at_column`."""
        step = min(max(self.step - by, 0), len(STEPS) - 1)
        origin = _clamped(anchor - timedelta(seconds=at_column * STEPS[step]))
        return Scale(origin, step)

    def panned(self, columns: float) -> Scale:
        return replace(self, origin=self.instant(columns))

    def centred_on(self, when: datetime, width: int) -> Scale:
        return replace(self, origin=_clamped(when - timedelta(seconds=width / 2 * self.seconds)))


def _clamped(when: datetime) -> datetime:
    return min(max(when, _EDGE), _END)


def fit(first: datetime, last: datetime, width: int) -> Scale:
    """The finest scale showing `first` to `last` in `width` columns with a
    little room at each side, centred on them."""
    room = max(width - 4, 1)
    span = (last - first).total_seconds()
    step = next((n for n, s in enumerate(STEPS) if span / s <= room), len(STEPS) - 1)
    if span == 0:
        step = STEPS.index(10 * MINUTE)
    return Scale(first, step).centred_on(first + (last - first) / 2, width)


# --- ticks --------------------------------------------------------------------

# (approximate seconds, unit, count): a tick every `count` units.
TICK_UNITS = [(MINUTE, "minute", 1), (5 * MINUTE, "minute", 5), (10 * MINUTE, "minute", 10),
              (15 * MINUTE, "minute", 15), (30 * MINUTE, "minute", 30), (HOUR, "hour", 1),
              (2 * HOUR, "hour", 2), (3 * HOUR, "hour", 3), (6 * HOUR, "hour", 6),
              (12 * HOUR, "hour", 12), (DAY, "day", 1), (2 * DAY, "day", 2), (7 * DAY, "week", 1),
              (30 * DAY, "month", 1), (91 * DAY, "month", 3), (365 * DAY, "year", 1),
              (5 * 365 * DAY, "year", 5), (10 * 365 * DAY, "year", 10),
              (50 * 365 * DAY, "year", 50), (100 * 365 * DAY, "year", 100)]
MIN_TICK_COLUMNS = 12  # room for a label such as "Sat 14 Mar" between ticks


@dataclass(frozen=True)
class Tick:
    column: int
    local: datetime  # the wall-clock time of the tick in the case's zone
    label: str  # under the tick: "21:00", "14 Mar", "Mar", "2026"
    heading: str  # above, where a larger unit begins: "Sat 14 Mar 2026", "Mar 2026", ""


def ticks(scale: Scale, width: int, zone: str) -> list[Tick]:
    seconds, unit, count = next((u for u in TICK_UNITS if u[0] / scale.seconds >= MIN_TICK_COLUMNS),
                                TICK_UNITS[-1])
    tz = get_zone(zone)
    local = scale.instant(0).astimezone(tz).replace(tzinfo=None)
    wall = _floor(local, unit, count)
    found: list[Tick] = []
    previous: datetime | None = None
    for _ in range(width + 2):
        try:
            column = math.floor(scale.column(to_instant(wall, zone)))
        except (OverflowError, ValueError):
            break
        if column >= width:
            break
        if column >= 0:
            found.append(Tick(column, wall, _label(wall, unit), _heading(wall, previous, unit)))
        previous = wall
        try:
            wall = _advance(wall, unit, count)
        except (OverflowError, ValueError):
            break
    return found


def first_heading(scale: Scale, zone: str) -> str:
    """What the upper label row says at the left edge, before any tick."""
    seconds, unit, _ = next((u for u in TICK_UNITS if u[0] / scale.seconds >= MIN_TICK_COLUMNS),
                            TICK_UNITS[-1])
    local = scale.instant(0).astimezone(get_zone(zone)).replace(tzinfo=None)
    return _heading(local, None, unit)


def _floor(t: datetime, unit: str, count: int) -> datetime:
    if unit == "minute":
        return t.replace(minute=t.minute - t.minute % count, second=0, microsecond=0)
    if unit == "hour":
        return t.replace(hour=t.hour - t.hour % count, minute=0, second=0, microsecond=0)
    day = t.replace(hour=0, minute=0, second=0, microsecond=0)
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1, month=t.month - (t.month - 1) % count)
    return day.replace(day=1, month=1, year=max(t.year - t.year % count, 1))


def _advance(t: datetime, unit: str, count: int) -> datetime:
    if unit == "minute":
        return t + timedelta(minutes=count)
    if unit == "hour":
        return t + timedelta(hours=count)
    if unit == "day":
        return t + timedelta(days=count)
    if unit == "week":
        return t + timedelta(weeks=count)
    if unit == "month":
        months = t.year * 12 + t.month - 1 + count
        return t.replace(year=months // 12, month=months % 12 + 1)
    return t.replace(year=t.year + count)


def _label(t: datetime, unit: str) -> str:
    if unit in ("minute", "hour"):
        return f"{t:%H:%M}"
    if unit in ("day", "week"):
        return f"{t.day} {MONTH_SHORT[t.month - 1]}"
    if unit == "month":
        return MONTH_SHORT[t.month - 1]
    return str(t.year)


def _heading(t: datetime, previous: datetime | None, unit: str) -> str:
    """A day's, month's or year's name where it begins (or at the left edge)."""
    if unit in ("minute", "hour"):
        if previous is None or previous.date() != t.date():
            return f"{WEEKDAY_SHORT[t.weekday()]} {t.day} {MONTH_SHORT[t.month - 1]} {t.year}"
        return ""
    if unit in ("day", "week"):
        if previous is None or (previous.year, previous.month) != (t.year, t.month):
            return f"{MONTH_SHORT[t.month - 1]} {t.year}"
        return ""
    if unit == "month":
        return str(t.year) if previous is None or previous.year != t.year else ""
    return ""
