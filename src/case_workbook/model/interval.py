"""Plain arithmetic between two whens, carrying both uncertainties.

Interval wording (`Interval.describe`)
    A single known difference is rounded to the nearest unit: whole minutes
    under 1 h, whole hours under 48 h, days and hours from 48 h. A span
    ("between X and Y") takes its unit from its larger end and rounds each end
    outward (the lower down, the upper up), so the words never claim a
    narrower span than the arithmetic gives. Open ends read "at least" /
    "no earlier than" / "no later than". Only arithmetic, never judgment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from case_workbook.model.when import When, fmt_minutes

_MINUTE = timedelta(minutes=1)
_HOUR = timedelta(hours=1)
_TWO_DAYS = timedelta(hours=48)


def _floor(td: timedelta, unit: timedelta) -> int:
    return td // unit


def _ceil(td: timedelta, unit: timedelta) -> int:
    return -((-td) // unit)


def _nearest(td: timedelta, unit: timedelta) -> int:
    whole, rest = divmod(td, unit)
    return whole + (1 if rest * 2 >= unit else 0)


def _amount(count: int, unit: timedelta, days_style: bool) -> str:
    if unit == _MINUTE:
        return f"{count} min"
    if not days_style:
        return f"{count} h"
    return fmt_minutes(count * 60)


@dataclass(frozen=True)
class Interval:
    """The time from a reference to an item: item minus reference, as bounds.

    Positive means the item is after the reference. `None` means unbounded.
    """

    low: timedelta | None
    high: timedelta | None

    def describe(self, reference_label: str) -> str:
        ref = reference_label
        low, high = self.low, self.high
        if low is None and high is None:
            return f"order not known relative to {ref}"
        if low is not None and high is not None:
            if low == high:
                return self._describe_exact(low, ref)
            return self._describe_span(low, high, ref)
        if low is None:
            assert high is not None
            unit, days_style = self._unit(abs(high))
            n = _ceil(high, unit)
            if n < 0:
                return f"at least {_amount(-n, unit, days_style)} before {ref}"
            if n == 0:
                return f"before {ref}" if high < timedelta(0) else f"at or before {ref}"
            return f"no later than {_amount(n, unit, days_style)} after {ref}"
        unit, days_style = self._unit(abs(low))
        n = _floor(low, unit)
        if n > 0:
            return f"at least {_amount(n, unit, days_style)} after {ref}"
        if n == 0:
            return f"after {ref}" if low > timedelta(0) else f"at or after {ref}"
        return f"no earlier than {_amount(-n, unit, days_style)} before {ref}"

    @staticmethod
    def _unit(magnitude: timedelta) -> tuple[timedelta, bool]:
        if magnitude < _HOUR:
            return _MINUTE, False
        return _HOUR, magnitude >= _TWO_DAYS

    @staticmethod
    def _describe_exact(delta: timedelta, ref: str) -> str:
        if delta == timedelta(0):
            return f"at the same time as {ref}"
        side = "after" if delta > timedelta(0) else "before"
        size = abs(delta)
        minutes = _nearest(size, _MINUTE)
        if minutes == 0:
            return f"less than 1 min {side} {ref}"
        if minutes < 60:
            return f"{minutes} min {side} {ref}"
        hours = _nearest(size, _HOUR)
        return f"{_amount(hours, _HOUR, hours >= 48)} {side} {ref}"

    def _describe_span(self, low: timedelta, high: timedelta, ref: str) -> str:
        unit, days_style = self._unit(max(abs(low), abs(high)))
        lo, hi = _floor(low, unit), _ceil(high, unit)
        if lo >= 0 or hi <= 0:
            side = "after" if lo >= 0 else "before"
            small, big = (lo, hi) if lo >= 0 else (-hi, -lo)
            if days_style:
                return f"between {_amount(small, unit, True)} and {_amount(big, unit, True)} {side} {ref}"
            return f"between {small} and {_amount(big, unit, False)} {side} {ref}"
        return (f"between {_amount(-lo, unit, days_style)} before and "
                f"{_amount(hi, unit, days_style)} after {ref}")


def interval(a: When, b: When) -> Interval | None:
    """The time from reference `b` to item `a`, carrying both uncertainties; None if either is unknown."""
    if not a.is_dated() or not b.is_dated():
        return None
    a_low, a_high = a.bounds()
    b_low, b_high = b.bounds()
    low = a_low - b_high if a_low is not None and b_high is not None else None
    high = a_high - b_low if a_high is not None and b_low is not None else None
    return Interval(low=low, high=high)
