"""Reading a `When` from what a person types.

Accepted (any case, extra spaces fine):
  dates   2026-03-14, 2026/03/14, 14 March 2026, March 14, 2026, Sat 14 Mar 2026
          (a wrong weekday is refused), today, yesterday (taken from `now`);
          25/12/2026 or 12/25/2026 only when one number is above 12 - when both
          could be the month the person is asked which is the day
  months  2026-03, March 2026
  times   21:30, 21:30:05, 9 pm, 9:30pm, 12 am (= 00:00), 12 pm (= 12:00), noon,
          midnight (= 00:00 at the start of that day)
  about   about / around / approximately / roughly / circa / ~ before the when, or a
          give-or-take anywhere: "± 30 min", "+/- 2h", "give or take an hour";
          a plain "about" means ± 1 h; "about" needs a time of day
  bounds  before / by / prior to / no later than, after / since / no earlier than;
          a date without a time means 00:00 at the start of that day, so
          "after 14 March" includes the 14th (the wider reading)
  ranges  X to Y, X - Y, 20:00-23:00, from X to Y, between X and Y; an end without
          a date takes the other end's date (and a day-month without a year takes
          the other end's year); a date-only end means the whole of that day
  zones   at the end: an IANA name (Europe/Berlin), UTC, GMT, Z, or a whole-hour
          offset (+01:00, UTC-5), stored as Etc/GMT-1 / Etc/GMT+5 (the Etc sign is
          inverted; `zone_label` shows them as UTC+01:00). Offsets that are not
          whole hours and abbreviations such as EST or CEST are refused.

Never guessed: the year, the order of numeric day and month, and local times that
did not exist or happened twice because the clocks changed (refused with the way
to say it instead: a time outside the gap, or an offset to pick the occurrence).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from datetime import tzinfo as tzinfo_type
from fractions import Fraction
from functools import lru_cache
from zoneinfo import available_timezones

from pydantic import ValidationError

from case_workbook.model.when import (
    DEFAULT_TOLERANCE_MINUTES, MAX_TOLERANCE_MINUTES, MAX_YEAR, MIN_YEAR, MONTH_LONG, UTC,
    WEEKDAY_LONG, Precision, When, WhenError, fmt_day, fmt_offset, fmt_time, get_zone, wall_time_kind,
    zone_label,
)

MAX_LENGTH = 200
_F = re.IGNORECASE | re.ASCII  # ASCII: no odd Unicode digits or letters slip into int()/lookups

_EXAMPLES = "'2026-03-14 21:30', '14 March 2026' or 'about 21:00 on 14 March 2026'"

_UNKNOWN_WORDS = frozenset({
    "", "unknown", "not sure", "unsure", "?", "??", "???", "don't know", "dont know",
    "do not know", "not known", "no idea", "n/a",
})

_MON = (r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
        r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?![a-z])")
_WD_WORD = (r"mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?"
            r"|sat(?:urday)?|sun(?:day)?")
_WD = rf"(?:(?P<wd>{_WD_WORD})\.?,?\s+)?"
_MONTH_INDEX = {m[:3].lower(): i + 1 for i, m in enumerate(MONTH_LONG)}
_WEEKDAY_INDEX = {w[:3].lower(): i for i, w in enumerate(WEEKDAY_LONG)}

# Dates, tried in this order; each consumes its text from the phrase.
_RELATIVE = re.compile(r"(?<!\w)(?P<rel>today|yesterday)(?!\w)", _F)
_ISO_DATE = re.compile(
    r"(?<![\w/.\-])(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\w/.\-])", _F)
_NUMERIC_DATE = re.compile(
    r"(?<![\w/.\-])(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{1,4})(?![\w/.\-])", _F)
_DMY = re.compile(rf"(?<!\w){_WD}(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}"
                  r"(?:,?\s+(?P<y>\d{4})(?!\d))?", _F)
_MDY = re.compile(rf"(?<!\w){_WD}{_MON}\s+(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:.])"
                  r"(?!\s*[ap]\.?m(?![a-z]))(?:,?\s+(?P<y>\d{4})(?!\d))?", _F)
_ISO_MONTH = re.compile(r"(?<![\w/.\-])(?P<y>\d{4})[-/.](?P<m>\d{1,2})(?![\w/.\-:])", _F)
_MY = re.compile(rf"(?<!\w){_MON},?\s+(?:of\s+)?(?P<y>\d{{4}})(?!\d)", _F)

# Times.
_CLOCK = re.compile(r"(?<![\w:.])(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.(?P<f>\d{1,6}))?)?(?![\d:])"
                    r"(?:\s*(?P<ap>[ap])\.?m\.?(?![a-z]))?", _F)
_HOUR_AMPM = re.compile(r"(?<![\w:.])(?P<h>\d{1,2})\s*(?P<ap>[ap])\.?m\.?(?![a-z])", _F)
_NAMED_TIME = re.compile(r"(?<!\w)(?:12\s*)?(?P<name>noon|midday|midnight)(?!\w)", _F)

# Whole-phrase markers.
_APPROX = re.compile(r"^(?:at\s+)?(?:(?:about|around|approximately|approx|roughly|circa)(?![a-z])\.?"
                     r"|ca\.|c\.|~)\s*", _F)
_BEFORE = re.compile(r"^(?:before|by|prior to|no later than|not after|earlier than)(?![a-z])\s*", _F)
_AFTER = re.compile(r"^(?:after|since|no earlier than|not before|later than)(?![a-z])\s*", _F)
_TOL_MARK = r"(?:±|\+\s*/\s*-|\+-|plus or minus|give or take)"
_TOLERANCE = re.compile(
    rf"\s*{_TOL_MARK}\s*(?:(?P<n>\d{{1,6}}(?:\.\d{{1,3}})?)\s*|(?P<word>half an?|an?|one)\s+)"
    r"(?P<unit>minutes?|mins?|m|hours?|hrs?|h|days?|d)(?![a-z])", _F)
_RANGE_WORD = re.compile(r"(?<!\w)(?P<w>between|from)(?:\s+|$)", _F)
# "to"-like words, a spaced dash, or a dash right after a time ("20:00-23:00"): never a date's own dashes.
_RANGE_SEP = re.compile(
    r"\s+(?:to|until|till|through|thru)\s+|\s+-\s+"
    r"|(?:(?<=\d:\d\d)|(?<=[ap]m)|(?<=[ap]\.m\.)|(?<=noon)|(?<=midnight))\s*-\s*(?=\d|noon|mid)",
    _F)

# Zones at the end of the text.
_ZONE_NAME = re.compile(r"(?:^|\s+)(?:in\s+)?(?P<z>[a-z][a-z0-9_+\-]*(?:/[a-z0-9_+\-]+)+)$", _F)
_OFFSET_NAMED = re.compile(
    r"(?:^|\s+|(?<=\d))(?:utc|gmt)\s*(?P<sign>[+-])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?$", _F)
_OFFSET_PLUS = re.compile(r"(?:\s+|(?<=\d))(?P<sign>\+)(?P<h>\d{2})(?::?(?P<m>\d{2}))?$", _F)
_OFFSET_ISO_MINUS = re.compile(r"(?<=\d)(?P<sign>-)(?P<h>\d{2}):?(?P<m>\d{2})$", _F)
_UTC_WORD = re.compile(r"(?:^|\s+|(?<=\d))(?:in\s+)?(?:z|utc|gmt)$", _F)
_ABBREVIATION = re.compile(
    r"(?:^|\s+)(?P<a>est|edt|cst|cdt|mst|mdt|pst|pdt|akst|akdt|hst|cet|cest|eet|eest|wet|west|bst|ist"
    r"|jst|kst|aest|aedt|acst|acdt|awst|nzst|nzdt|msk)$", _F)

_PUNCTUATION = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
                              "\u2019": "'", "\u00a0": " "})


@dataclass
class _Parts:
    """What one phrase said: any of a date (maybe without day or year) and a clock time."""

    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    clock: time | None = None

    @property
    def empty(self) -> bool:
        return self.month is None and self.clock is None


# --- entry point --------------------------------------------------------------

def parse_when(text: str, tz: str = "UTC", *, now: datetime | None = None) -> When:
    """Read `text` as a When in zone `tz` (a zone at the end of the text wins).

    Raises WhenError, whose message is one sentence saying what to type instead.
    `now` (naive = wall clock in the zone) is used only for "today"/"yesterday".
    """
    if not isinstance(text, str):
        raise WhenError(f"Type the date as text, for example {_EXAMPLES}.")
    if len(text) > MAX_LENGTH:
        raise WhenError(f"That is too long for a date ({len(text)} characters); type something short "
                        f"such as {_EXAMPLES}.")
    get_zone(tz)
    s = _normalise(text)
    if s.lower() in _UNKNOWN_WORDS:
        return When.unknown(tz, source_text=text)
    s, zone = _take_zone(s, tz)
    if s and s.lower() in _UNKNOWN_WORDS:  # "unknown Europe/Berlin"
        return When.unknown(zone, source_text=text)
    if not s:
        raise WhenError(f"Add the date before the time zone, for example '14 March 2026 21:30 {zone}'.")
    s, tolerance = _take_tolerance(s)
    s, approx = _take_prefix(s, _APPROX)
    bound = None
    for word, pattern in (("before", _BEFORE), ("after", _AFTER)):
        s, found = _take_prefix(s, pattern)
        if found:
            bound = word
            break
    if bound:
        s, late_approx = _take_prefix(s, _APPROX)
        approx = approx or late_approx
        if approx or tolerance is not None:
            raise WhenError("Use either 'about' or 'before'/'after', not both; for a window type a range "
                            "such as 'from 20:00 to 23:00 on 14 March 2026'.")
    if not s:
        raise WhenError(f"Add a date, for example {_EXAMPLES}.")

    sides = _split_range(s)
    if sides is not None:
        if approx or tolerance is not None:
            raise WhenError("A range cannot also be 'about' or have a give-or-take; widen the range instead, "
                            "for example 'from 19:00 to 23:00 on 14 March 2026'.")
        if bound:
            raise WhenError("Use either 'before'/'after' or a range, not both, for example "
                            "'from 20:00 to 23:00 on 14 March 2026'.")
        return _range(sides, zone, now, text)

    parts = _read_parts(s, zone, now)
    low, _high, kind = _span(parts, zone)
    if approx or tolerance is not None:
        if kind != "moment":
            raise WhenError("'About' needs a time of day, as in 'about 21:00 on 14 March 2026'; for an "
                            "uncertain day type a range such as 'from 12 March 2026 to 16 March 2026'.")
        return _build(precision=Precision.APPROXIMATE, start=low, tz=zone, source_text=text,
                      tolerance_minutes=tolerance or DEFAULT_TOLERANCE_MINUTES)
    if bound:
        precision = Precision.BEFORE if bound == "before" else Precision.AFTER
        return _build(precision=precision, start=low, tz=zone, source_text=text)
    precision = {"moment": Precision.EXACT, "day": Precision.DAY, "month": Precision.MONTH}[kind]
    return _build(precision=precision, start=low, tz=zone, source_text=text)


def _build(**fields: object) -> When:
    # The parser checks everything it can first; this turns any rule it missed into a WhenError.
    try:
        return When(**fields)  # type: ignore[arg-type]
    except ValidationError as exc:
        message = str(exc.errors()[0].get("msg", "")).removeprefix("Value error, ")
        raise WhenError(message or f"That date could not be stored; type it like {_EXAMPLES}.") from None


# --- whole-phrase pieces ------------------------------------------------------

def _normalise(text: str) -> str:
    s = " ".join(text.translate(_PUNCTUATION).split()).replace(" ,", ",")
    for ch in s:
        if unicodedata.category(ch)[0] == "C":
            raise WhenError("That contains a hidden control character; type the date again, "
                            f"for example {_EXAMPLES}.")
    return s.rstrip(".,; ")


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


@lru_cache(maxsize=1)
def _zone_cities() -> dict[str, str]:
    # "berlin" -> "Europe/Berlin", to point people at the full name.
    return {name.rsplit("/", 1)[-1].lower(): name for name in available_timezones() if "/" in name}


def _take_zone(s: str, default: str) -> tuple[str, str]:
    m = _ZONE_NAME.search(s)
    if m:
        name = _zone_names().get(m.group("z").lower())
        if name is None:
            raise WhenError(f"'{m.group('z')}' is not a time zone name known here; use one such as "
                            "'Europe/Berlin' or 'America/New_York'.")
        return s[:m.start()].strip(), name
    for pattern in (_OFFSET_NAMED, _OFFSET_PLUS, _OFFSET_ISO_MINUS):
        m = pattern.search(s)
        if m is None or (pattern is _OFFSET_ISO_MINUS and not re.search(r"\dt\d", s, _F)):
            continue
        return s[:m.start()].strip(), _offset_zone(m.group("sign"), m.group("h"), m.group("m") or "00")
    m = _UTC_WORD.search(s)
    if m:
        return s[:m.start()].strip(), "UTC"
    m = _ABBREVIATION.search(s)
    if m:
        raise WhenError(f"'{m.group('a').upper()}' can stand for more than one zone; type a zone name "
                        "such as 'America/New_York' or 'Europe/Berlin', or an offset such as '+01:00'.")
    return s, default


def _offset_zone(sign: str, hours_text: str, minutes_text: str) -> str:
    hours = int(hours_text)
    if int(minutes_text):
        raise WhenError(f"An offset that is not a whole number of hours ({sign}{hours:02d}:{minutes_text}) "
                        "cannot be stored; type the zone name instead, such as 'Asia/Kolkata'.")
    if hours > (14 if sign == "+" else 12):
        raise WhenError("UTC offsets run from -12:00 to +14:00; check the offset or type a zone name "
                        "such as 'Europe/Berlin'.")
    if hours == 0:
        return "UTC"
    # Etc/GMT signs are inverted (POSIX): UTC+01:00 is Etc/GMT-1.
    return f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"


def _take_tolerance(s: str) -> tuple[str, int | None]:
    m = _TOLERANCE.search(s)
    minutes = None
    if m:
        unit = m.group("unit").lower()
        per = 1 if unit.startswith("m") else 60 if unit.startswith("h") else 24 * 60
        word = (m.group("word") or "").lower()
        amount = Fraction(m.group("n")) if m.group("n") else Fraction(1, 2) if word.startswith("half") else 1
        exact = amount * per
        if exact.denominator != 1:
            raise WhenError("Give the give-or-take in whole minutes, for example '± 45 min' or '± 2 h'.")
        minutes = int(exact)
        if minutes <= 0:
            raise WhenError("A give-or-take must be more than zero; for an exact time leave it out.")
        if minutes > MAX_TOLERANCE_MINUTES:
            raise WhenError("A give-or-take over 366 days is too wide to be useful; type a range such as "
                            "'from March 2026 to May 2026' instead.")
        s = (s[:m.start()] + " " + s[m.end():]).strip()
    if re.search(_TOL_MARK, s, _F):
        raise WhenError("Write one give-or-take as a number and unit, for example '± 30 min' or '± 2 h'.")
    return s, minutes


def _take_prefix(s: str, pattern: re.Pattern[str]) -> tuple[str, bool]:
    m = pattern.match(s)
    if not m:
        return s, False
    return s[m.end():].strip(), True


def _split_range(s: str) -> tuple[str, str, str] | None:
    """(left, right, separator) for a range phrase, or None when it is not a range.

    "between"/"from" may follow a shared date ("14 March 2026 between 20:00 and 23:00"):
    the words before them join the left end.
    """
    both_ends = "Say both ends of the range, for example 'from 20:00 to 23:00 on 14 March 2026'."
    m = _RANGE_WORD.search(s)
    word = m.group("w").lower() if m else ""
    if m:
        before, s = s[:m.start()].strip(), s[m.end():].strip()
    if word == "between":
        ends = re.fullmatch(r"(?P<l>.+?)\s+and\s+(?P<r>.+)", s, _F)
        if ends is None:
            raise WhenError("Say both ends of the range, for example "
                            "'between 20:00 and 23:00 on 14 March 2026'.")
        return f"{before} {ends.group('l')}".strip(), ends.group("r"), "and"
    sep = _RANGE_SEP.search(s)
    if sep is None:
        if word:
            raise WhenError(both_ends)
        return None
    left, right = s[:sep.start()].strip(), s[sep.end():].strip()
    if word:
        left = f"{before} {left}".strip()
    if not left or not right:
        raise WhenError(both_ends)
    return left, right, sep.group().strip()


def _range(sides: tuple[str, str, str], zone: str, now: datetime | None, text: str) -> When:
    left_text, right_text, separator = sides
    left, right = _read_parts(left_text, zone, now), _read_parts(right_text, zone, now)
    if left.empty or right.empty:
        raise WhenError("Each end of a range needs a date or a time, for example "
                        "'from 20:00 to 23:00 on 14 March 2026'.")
    shared_date = False
    if left.month is None or right.month is None:
        giver = right if left.month is None else left
        if giver.day is None:
            raise WhenError("Give a day for a range of times, for example "
                            "'from 20:00 to 23:00 on 14 March 2026'.")
        fill = {"year": giver.year, "month": giver.month, "day": giver.day, "weekday": giver.weekday}
        left, right = (replace(left, **fill), right) if left.month is None else (left, replace(right, **fill))
        shared_date = True
    elif left.year is None and right.year is not None:
        left = replace(left, year=right.year)  # "13 March to 15 March 2026"
    elif right.year is None and left.year is not None:
        right = replace(right, year=left.year)  # "13 March 2026 to 15 March"
    start, _, left_kind = _span(left, zone)
    _, end, right_kind = _span(right, zone)
    # Equal ends are fine only for two typed moments ("20:00 to 20:00"); with days they mean reversed days.
    reversed_days = end == start and (left_kind != "moment" or right_kind != "moment")
    if end < start or reversed_days:
        # "21:30 -05:00" reads as a range here; say how to write an offset instead.
        hint = " (a UTC offset is written like 'UTC-05:00')" if separator == "-" else ""
        if shared_date:
            raise WhenError("That range ends before it starts; if it runs past midnight give both dates, "
                            f"for example '2026-03-14 22:00 to 2026-03-15 02:00'{hint}.")
        raise WhenError(f"That range ends before it starts; put the earlier date or time first{hint}.")
    return _build(precision=Precision.RANGE, start=start, end=end, tz=zone, source_text=text)


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
