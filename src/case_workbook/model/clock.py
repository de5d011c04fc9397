"""Clock and calendar helpers for `When`: zones, instants, and the words used
to write days, times and durations (in English, whatever the machine's locale)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = timezone.utc
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# Far enough for any real case, near enough that no arithmetic can overflow.
MIN_YEAR = 1800
MAX_YEAR = 2199
DEFAULT_TOLERANCE_MINUTES = 60
MAX_TOLERANCE_MINUTES = 366 * 24 * 60

# English names written out: strftime would follow the machine's locale.
WEEKDAY_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_LONG = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_LONG = ("January", "February", "March", "April", "May", "June", "July",
              "August", "September", "October", "November", "December")


class WhenError(ValueError):
    """A when that cannot be read or does not hold together.

    str() is one plain sentence for the person, saying what to type instead.
    """



# Only plain zone-name characters: keeps paths like "../x" away from zoneinfo.
_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*")
_ETC_GMT = re.compile(r"Etc/GMT([+-])(\d{1,2})")


@lru_cache(maxsize=512)
def get_zone(name: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name, or WhenError."""
    if not isinstance(name, str) or not _ZONE_NAME.fullmatch(name):
        raise WhenError(f"{str(name)[:40]!r} is not a time zone name; "
                        "use one such as 'Europe/Berlin' or 'UTC'.")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise WhenError(f"The time zone '{name}' is not known here; "
                        "use a name such as 'Europe/Berlin' or 'UTC'.") from None


def zone_label(tz: str) -> str:
    """The zone as shown to people: Etc/GMT-1 (whose sign is inverted) reads UTC+01:00."""
    m = _ETC_GMT.fullmatch(tz)
    if m:
        hours = int(m.group(2))
        if hours == 0:
            return "UTC"
        sign = "-" if m.group(1) == "+" else "+"
        return f"UTC{sign}{hours:02d}:00"
    if tz in ("Etc/UTC", "Etc/GMT", "Etc/Zulu", "Etc/Universal", "Zulu", "Universal"):
        return "UTC"
    return tz


def to_instant(local: datetime, tz: str) -> datetime:
    """A naive wall-clock time in `tz` as an aware UTC instant (fold as documented above)."""
    return local.replace(tzinfo=get_zone(tz)).astimezone(UTC)


def wall_time_kind(local: datetime, tz: str) -> str:
    """'clear', 'gap' (the clocks skipped it) or 'twice' (the clocks went back over it) in zone `tz`."""
    zone = get_zone(tz)
    first, second = local.replace(tzinfo=zone, fold=0), local.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return "clear"
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != local.replace(fold=0):
        return "gap"
    return "twice"


def fmt_offset(offset: timedelta) -> str:
    """'+02:00', '-05:00', '+05:30'."""
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(offset) // timedelta(minutes=1)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _micros(instant: datetime) -> int:
    # Integer microseconds: floats lose microseconds for far-off years.
    return (instant - _EPOCH) // timedelta(microseconds=1)


def _next_month(d: datetime) -> datetime:
    return d.replace(year=d.year + (d.month == 12), month=d.month % 12 + 1, day=1)


# --- text helpers -------------------------------------------------------------

def fmt_day(d: date) -> str:
    """'Sat 14 Mar 2026'."""
    return f"{WEEKDAY_SHORT[d.weekday()]} {d.day} {MONTH_SHORT[d.month - 1]} {d.year}"


def _fmt_day_plain(d: date) -> str:
    return f"{d.day} {MONTH_SHORT[d.month - 1]} {d.year}"


def fmt_time(t: datetime | time) -> str:
    """'21:30', or '21:30:05' / '21:30:05.250000' when seconds were recorded."""
    text = f"{t.hour:02d}:{t.minute:02d}"
    if t.second or t.microsecond:
        text += f":{t.second:02d}"
    if t.microsecond:
        text += f".{t.microsecond:06d}"
    return text


def fmt_minutes(minutes: int) -> str:
    """A give-or-take: '30 min', '1 h', '1 h 30 min', '1 day', '2 days 3 h'."""
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} day" + ("s" if days != 1 else ""))
    if hours:
        parts.append(f"{hours} h")
    if mins or not parts:
        parts.append(f"{mins} min")
    return " ".join(parts)
