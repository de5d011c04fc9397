"""When something happened, recorded only as precisely as the person knows it.

A `When` has a precision (exact, day, month, approximate, before, after, range,
unknown), naive local wall-clock times in an IANA zone `tz`, and the text the
person typed. `parse_when` (in `when_parse`) reads what people type.

Local times
    `start`/`end` are naive wall-clock times in `tz`; an aware datetime given
    to the model is converted to that wall clock. They become instants through
    zoneinfo, so a day on which the clocks change has 23 or 25 hours. A wall
    time that happened twice (clocks went back) is its first occurrence unless
    the datetime carries fold=1; that fold is kept, and JSON writes such a time
    with its UTC offset so it survives a round trip. A wall time that never
    happened (clocks went forward) is read with the offset in force before the
    change. `parse_when` refuses both kinds of time rather than pick one.

Sorting rule (`When.sort_key`)
    Dated whens come first, in order of their earliest possible instant; a
    "before" when, which has no earliest instant, sorts at its bound. Ties are
    broken by the latest possible instant (the narrower when first, a when
    with no upper bound, "after", last), then by precision in the order exact,
    day, month, approximate, before, after, range. Unknown whens come after all
    dated ones. Callers append the item id as the final tie-breaker.

Intervals between whens are in `interval.py`.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cached_property

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_serializer, field_validator, model_validator

from case_workbook.model.clock import (  # noqa: F401 (re-exported for callers)
    UTC, _EPOCH, MIN_YEAR, MAX_YEAR, DEFAULT_TOLERANCE_MINUTES, MAX_TOLERANCE_MINUTES,
    WEEKDAY_SHORT, WEEKDAY_LONG, MONTH_SHORT, MONTH_LONG, WhenError, _ZONE_NAME, _ETC_GMT,
    get_zone, zone_label, to_instant, wall_time_kind, fmt_offset, _micros, _next_month,
    fmt_day, _fmt_day_plain, fmt_time, fmt_minutes,
)

class Precision(StrEnum):
    EXACT = "exact"
    DAY = "day"
    MONTH = "month"
    APPROXIMATE = "approximate"
    BEFORE = "before"
    AFTER = "after"
    RANGE = "range"
    UNKNOWN = "unknown"


_PRECISION_RANK = {p: i for i, p in enumerate(Precision)}


# --- the model ----------------------------------------------------------------

class When(BaseModel):
    """What the person knows about when something happened; see the module docstring."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    precision: Precision
    # tz comes before start/end so their validator can read it.
    tz: str = "UTC"
    start: datetime | None = None
    end: datetime | None = None
    tolerance_minutes: int | None = None
    source_text: str = ""

    @field_validator("tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        get_zone(value)
        return value

    @field_validator("start", "end")
    @classmethod
    def _local_in_range(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        if value is None:
            return value
        tz = info.data.get("tz")
        if tz is None:  # the zone itself was refused; that error is reported
            return value
        zone = get_zone(tz)
        if value.tzinfo is not None:
            # An instant: keep it as this zone's wall clock (astimezone sets fold).
            value = value.astimezone(zone).replace(tzinfo=None)
        elif value.fold and wall_time_kind(value, tz) != "twice":
            value = value.replace(fold=0)  # fold means something only in a repeated hour
        # A range that runs to the end of 31 Dec MAX_YEAR ends at 00:00 on 1 Jan of the next year.
        too_late = value >= datetime(MAX_YEAR + 1, 1, 1) and not (
            info.field_name == "end" and value == datetime(MAX_YEAR + 1, 1, 1))
        if value.year < MIN_YEAR or too_late:
            raise ValueError(f"The year {value.year} is outside {MIN_YEAR}-{MAX_YEAR}; check the year.")
        return value

    @field_serializer("start", "end", when_used="json")
    def _keep_second_occurrence(self, value: datetime | None) -> str | None:
        # JSON has no fold: the second 02:30 of a night the clocks went back is written with its offset.
        if value is None:
            return None
        if value.fold and wall_time_kind(value, self.tz) == "twice":
            return value.replace(tzinfo=get_zone(self.tz)).isoformat()
        return value.isoformat()

    @model_validator(mode="after")
    def _consistent(self) -> When:
        p, start, end, tol = self.precision, self.start, self.end, self.tolerance_minutes
        if p is Precision.UNKNOWN:
            if start is not None or end is not None or tol is not None:
                raise ValueError("An unknown when has no date, end or give-or-take.")
            return self
        if start is None:
            raise ValueError(f"A when of precision '{p}' needs a start date.")
        if p is Precision.RANGE:
            if end is None:
                raise ValueError("A range needs an end as well as a start.")
            # Compared as instants: in a repeated hour the second 02:10 comes after the first 02:30.
            if to_instant(end, self.tz) < to_instant(start, self.tz):
                raise ValueError("A range cannot end before it starts.")
        elif end is not None:
            raise ValueError("Only a range has an end.")
        if p is Precision.APPROXIMATE:
            if tol is None or not 0 < tol <= MAX_TOLERANCE_MINUTES:
                raise ValueError("An approximate when needs a give-or-take between 1 and "
                                 f"{MAX_TOLERANCE_MINUTES} minutes.")
        elif tol is not None:
            raise ValueError("Only an approximate when has a give-or-take.")
        if p in (Precision.DAY, Precision.MONTH) and start.time() != time(0):
            raise ValueError("A day-only or month-only when starts at 00:00.")
        if p is Precision.MONTH and start.day != 1:
            raise ValueError("A month-only when starts on the first day of the month.")
        return self

    # --- constructors ---------------------------------------------------------

    @classmethod
    def unknown(cls, tz: str = "UTC", source_text: str = "") -> When:
        return cls(precision=Precision.UNKNOWN, tz=tz, source_text=source_text)

    @classmethod
    def exact(cls, dt: datetime, tz: str = "UTC", source_text: str = "") -> When:
        return cls(precision=Precision.EXACT, start=dt, tz=tz, source_text=source_text)

    @classmethod
    def day(cls, d: date, tz: str = "UTC", source_text: str = "") -> When:
        start = datetime(d.year, d.month, d.day)
        return cls(precision=Precision.DAY, start=start, tz=tz, source_text=source_text)

    @classmethod
    def month(cls, year: int, month: int, tz: str = "UTC", source_text: str = "") -> When:
        return cls(precision=Precision.MONTH, start=datetime(year, month, 1), tz=tz, source_text=source_text)

    @classmethod
    def approximate(cls, centre: datetime, tolerance_minutes: int = DEFAULT_TOLERANCE_MINUTES,
                    tz: str = "UTC", source_text: str = "") -> When:
        return cls(precision=Precision.APPROXIMATE, start=centre,
                   tolerance_minutes=tolerance_minutes, tz=tz, source_text=source_text)

    @classmethod
    def before(cls, bound: datetime, tz: str = "UTC", source_text: str = "") -> When:
        return cls(precision=Precision.BEFORE, start=bound, tz=tz, source_text=source_text)

    @classmethod
    def after(cls, bound: datetime, tz: str = "UTC", source_text: str = "") -> When:
        return cls(precision=Precision.AFTER, start=bound, tz=tz, source_text=source_text)

    @classmethod
    def between(cls, start: datetime, end: datetime, tz: str = "UTC", source_text: str = "") -> When:
        return cls(precision=Precision.RANGE, start=start, end=end,
                   tz=tz, source_text=source_text)

    # --- instants -------------------------------------------------------------

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """(earliest, latest) possible instants, aware UTC; None where unbounded."""
        return self._bounds

    @cached_property
    def _bounds(self) -> tuple[datetime | None, datetime | None]:
        # Cached: the model is frozen, and lists sort and compare whens often.
        p, s = self.precision, self.start
        if p is Precision.UNKNOWN or s is None:
            return None, None
        if p is Precision.EXACT:
            moment = to_instant(s, self.tz)
            return moment, moment
        if p is Precision.DAY:
            return to_instant(s, self.tz), to_instant(s + timedelta(days=1), self.tz)
        if p is Precision.MONTH:
            return to_instant(s, self.tz), to_instant(_next_month(s), self.tz)
        if p is Precision.APPROXIMATE:
            centre = to_instant(s, self.tz)
            spread = timedelta(minutes=self.tolerance_minutes or 0)
            return centre - spread, centre + spread
        if p is Precision.BEFORE:
            return None, to_instant(s, self.tz)
        if p is Precision.AFTER:
            return to_instant(s, self.tz), None
        assert self.end is not None  # RANGE, guaranteed by the validator
        return to_instant(s, self.tz), to_instant(self.end, self.tz)

    def earliest(self) -> datetime | None:
        return self.bounds()[0]

    def latest(self) -> datetime | None:
        return self.bounds()[1]

    def is_dated(self) -> bool:
        return self.precision is not Precision.UNKNOWN

    def sort_key(self) -> tuple[int, int, int, int, int]:
        """Key for the sorting rule in the module docstring (all ints, always comparable)."""
        return self._sort_key

    @cached_property
    def _sort_key(self) -> tuple[int, int, int, int, int]:
        rank = _PRECISION_RANK[self.precision]
        low, high = self.bounds()
        if low is None and high is None:
            return (1, 0, 0, 0, rank)
        first = low if low is not None else high
        assert first is not None
        if high is None:
            return (0, _micros(first), 1, 0, rank)
        return (0, _micros(first), 0, _micros(high), rank)

    def anchor_local(self) -> datetime | None:
        """The naive local time for a spreadsheet date cell (the centre when approximate)."""
        return self.start

    # --- words ----------------------------------------------------------------

    def _whole_days(self) -> bool:
        s, e = self.start, self.end
        return (s is not None and e is not None and e > s
                and s.time() == time(0) and e.time() == time(0))

    def _clock(self, d: datetime) -> str:
        # In the hour the clocks went back over, say which of the two it was.
        if wall_time_kind(d, self.tz) != "twice":
            return fmt_time(d)
        offset = d.replace(tzinfo=get_zone(self.tz)).utcoffset() or timedelta(0)
        return f"{fmt_time(d)} ({'second' if d.fold else 'first'} time, UTC{fmt_offset(offset)})"

    def describe(self) -> str:
        """The full reading shown back to the person before saving."""
        p, s = self.precision, self.start
        if p is Precision.UNKNOWN or s is None:
            return "unknown"
        zone = zone_label(self.tz)
        if p is Precision.EXACT:
            return f"{fmt_day(s)}, {self._clock(s)}, {zone}"
        if p is Precision.DAY:
            return f"{fmt_day(s)} (day only), {zone}"
        if p is Precision.MONTH:
            return f"{MONTH_LONG[s.month - 1]} {s.year} (month only), {zone}"
        if p is Precision.APPROXIMATE:
            spread = fmt_minutes(self.tolerance_minutes or 0)
            return f"{fmt_day(s)}, about {self._clock(s)} ± {spread}, {zone}"
        if p in (Precision.BEFORE, Precision.AFTER):
            return f"{p.value} {fmt_day(s)}, {self._clock(s)}, {zone}"
        e = self.end
        assert e is not None
        if self._whole_days():
            last = (e - timedelta(days=1)).date()
            if last == s.date():
                return f"{fmt_day(s)} (whole day), {zone}"
            return f"from {fmt_day(s)} to {fmt_day(last)} (whole days), {zone}"
        if s.date() == e.date():
            return f"{fmt_day(s)}, from {self._clock(s)} to {self._clock(e)}, {zone}"
        return f"from {fmt_day(s)}, {self._clock(s)} to {fmt_day(e)}, {self._clock(e)}, {zone}"

    def precision_text(self) -> str:
        """Short text for the column beside a spreadsheet date-time cell (no zone)."""
        p, s = self.precision, self.start
        if p is Precision.UNKNOWN or s is None:
            return "unknown"
        if p is Precision.EXACT:
            return "exact"
        if p is Precision.DAY:
            return "day only"
        if p is Precision.MONTH:
            return "month only"
        if p is Precision.APPROXIMATE:
            return f"about {fmt_time(s)} ± {fmt_minutes(self.tolerance_minutes or 0)}"
        if p in (Precision.BEFORE, Precision.AFTER):
            return f"{p.value} {_fmt_day_plain(s)} {fmt_time(s)}"
        e = self.end
        assert e is not None
        if self._whole_days():
            last = (e - timedelta(days=1)).date()
            return f"from {_fmt_day_plain(s)} to {_fmt_day_plain(last)} (whole days)"
        if s.date() == e.date():
            return f"from {fmt_time(s)} to {fmt_time(e)}"
        return f"from {_fmt_day_plain(s)} {fmt_time(s)} to {_fmt_day_plain(e)} {fmt_time(e)}"

    def canonical_text(self) -> str:
        """Text that `parse_when` reads back to this same when (e.g. to pre-fill an edit form).

        A time the clocks showed twice is written plainly, so reading it back asks which one.
        """
        p, s = self.precision, self.start
        if p is Precision.UNKNOWN or s is None:
            return "unknown"
        zone = self.tz

        def stamp(d: datetime) -> str:
            return f"{d.date().isoformat()} {fmt_time(d)}"

        if p is Precision.EXACT:
            body = stamp(s)
        elif p is Precision.DAY:
            body = s.date().isoformat()
        elif p is Precision.MONTH:
            body = f"{s.year:04d}-{s.month:02d}"
        elif p is Precision.APPROXIMATE:
            body = f"about {stamp(s)} ± {self.tolerance_minutes} min"
        elif p in (Precision.BEFORE, Precision.AFTER):
            body = f"{p.value} {stamp(s)}"
        else:
            e = self.end
            assert e is not None
            if self._whole_days():
                body = f"from {s.date().isoformat()} to {(e - timedelta(days=1)).date().isoformat()}"
            else:
                body = f"{stamp(s)} to {stamp(e)}"
        return f"{body} {zone}"


def parse_when(text: str, tz: str = "UTC", *, now: datetime | None = None) -> When:
    """Read what a person typed; see `when_parse` for the accepted forms."""
    # Imported here because when_parse builds on this module.
    from case_workbook.model.when_parse import parse_when as _parse

    return _parse(text, tz, now=now)


__all__ = [
    "Precision", "When", "WhenError", "parse_when",
    "get_zone", "zone_label", "to_instant", "wall_time_kind",
]
