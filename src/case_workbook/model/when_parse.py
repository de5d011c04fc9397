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

import re
import unicodedata
from dataclasses import replace
from datetime import datetime
from fractions import Fraction

from pydantic import ValidationError

from case_workbook.model.when import (
    DEFAULT_TOLERANCE_MINUTES,
    MAX_TOLERANCE_MINUTES,
    Precision,
    When,
    WhenError,
    get_zone,
)
from case_workbook.model.when_phrase import (
    _read_parts,
    _span,
)
from case_workbook.model.when_words import (
    _ABBREVIATION,
    _AFTER,
    _APPROX,
    _BEFORE,
    _EXAMPLES,
    _F,
    _OFFSET_ISO_MINUS,
    _OFFSET_NAMED,
    _OFFSET_PLUS,
    _PUNCTUATION,
    _RANGE_SEP,
    _RANGE_WORD,
    _TOL_MARK,
    _TOLERANCE,
    _UNKNOWN_WORDS,
    _UTC_WORD,
    _ZONE_NAME,
    MAX_LENGTH,
    _zone_names,
)

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
