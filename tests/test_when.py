"""The `When` model, `parse_when` and `interval`: honest precision, plain arithmetic."""

from __future__ import annotations

import re
import time as clock
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import ValidationError

from case_workbook.model.interval import Interval, interval
from case_workbook.model.when import (
    MAX_TOLERANCE_MINUTES, Precision, When, WhenError, parse_when, zone_label,
)

UTC = timezone.utc
P = Precision


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- parsing: accepted forms --------------------------------------------------

D = datetime  # naive local times, for brevity in the table

ACCEPTED = [
    # text, zone argument, precision, start, end, tolerance, stored zone
    ("2026-03-14 21:30", "UTC", P.EXACT, D(2026, 3, 14, 21, 30), None, None, "UTC"),
    ("2026-03-14T21:30", "UTC", P.EXACT, D(2026, 3, 14, 21, 30), None, None, "UTC"),
    ("2026-03-14 21:30:05", "UTC", P.EXACT, D(2026, 3, 14, 21, 30, 5), None, None, "UTC"),
    ("2026-03-14", "Europe/Berlin", P.DAY, D(2026, 3, 14), None, None, "Europe/Berlin"),
    ("2026-03", "UTC", P.MONTH, D(2026, 3, 1), None, None, "UTC"),
    ("14 March 2026 9:30 pm", "UTC", P.EXACT, D(2026, 3, 14, 21, 30), None, None, "UTC"),
    ("14 Mar 2026 21:30", "UTC", P.EXACT, D(2026, 3, 14, 21, 30), None, None, "UTC"),
    ("March 14, 2026 9:30pm", "UTC", P.EXACT, D(2026, 3, 14, 21, 30), None, None, "UTC"),
    ("March 14 2026", "UTC", P.DAY, D(2026, 3, 14), None, None, "UTC"),
    ("14 March 2026", "UTC", P.DAY, D(2026, 3, 14), None, None, "UTC"),
    ("Sat 14 Mar 2026 21:30", "UTC", P.EXACT, D(2026, 3, 14, 21, 30), None, None, "UTC"),
    ("Saturday, 14th of March 2026, 21:30", "UTC", P.EXACT, D(2026, 3, 14, 21, 30), None, None, "UTC"),
    ("March 2026", "UTC", P.MONTH, D(2026, 3, 1), None, None, "UTC"),
    ("Mar 2026", "UTC", P.MONTH, D(2026, 3, 1), None, None, "UTC"),
    ("  MARCH   14 ,  2026  ", "UTC", P.DAY, D(2026, 3, 14), None, None, "UTC"),
    ("about 21:00 on 2026-03-14", "UTC", P.APPROXIMATE, D(2026, 3, 14, 21), None, 60, "UTC"),
    ("around 9 pm on 14 March 2026", "UTC", P.APPROXIMATE, D(2026, 3, 14, 21), None, 60, "UTC"),
    ("about 2026-03-14 21:00", "UTC", P.APPROXIMATE, D(2026, 3, 14, 21), None, 60, "UTC"),
    ("~21:00 2026-03-14", "UTC", P.APPROXIMATE, D(2026, 3, 14, 21), None, 60, "UTC"),
    ("about 21:00 ± 30 min on 2026-03-14", "UTC", P.APPROXIMATE, D(2026, 3, 14, 21), None, 30, "UTC"),
    ("2026-03-14 21:00 +/- 2h", "UTC", P.APPROXIMATE, D(2026, 3, 14, 21), None, 120, "UTC"),
    ("2026-03-14 21:00 give or take half an hour", "UTC", P.APPROXIMATE, D(2026, 3, 14, 21), None, 30, "UTC"),
    ("2026-03-14 21:00 ± 1.5 h", "UTC", P.APPROXIMATE, D(2026, 3, 14, 21), None, 90, "UTC"),
    ("before 2026-03-14 08:00", "UTC", P.BEFORE, D(2026, 3, 14, 8), None, None, "UTC"),
    ("by 2026-03-14 08:00", "UTC", P.BEFORE, D(2026, 3, 14, 8), None, None, "UTC"),
    # A date without a time in before/after means 00:00 at the start of that day.
    ("after 14 March 2026", "UTC", P.AFTER, D(2026, 3, 14), None, None, "UTC"),
    ("2026-03-14 20:00 to 23:00", "UTC", P.RANGE, D(2026, 3, 14, 20), D(2026, 3, 14, 23), None, "UTC"),
    ("2026-03-14 20:00-23:00", "UTC", P.RANGE, D(2026, 3, 14, 20), D(2026, 3, 14, 23), None, "UTC"),
    ("2026-03-14 20:00 - 2026-03-15 02:00", "UTC", P.RANGE, D(2026, 3, 14, 20), D(2026, 3, 15, 2), None, "UTC"),
    # Whole days: the last day is included, so the end is 00:00 the day after it.
    ("from 2026-03-13 to 2026-03-15", "UTC", P.RANGE, D(2026, 3, 13), D(2026, 3, 16), None, "UTC"),
    ("from 13 March to 15 March 2026", "UTC", P.RANGE, D(2026, 3, 13), D(2026, 3, 16), None, "UTC"),
    ("between 20:00 and 23:00 on 2026-03-14", "UTC", P.RANGE, D(2026, 3, 14, 20), D(2026, 3, 14, 23), None, "UTC"),
    ("between 9 pm and 11 pm on Sat 14 March 2026", "UTC", P.RANGE, D(2026, 3, 14, 21), D(2026, 3, 14, 23),
     None, "UTC"),
    ("12 am on 2026-03-14", "UTC", P.EXACT, D(2026, 3, 14, 0), None, None, "UTC"),
    ("12 pm on 2026-03-14", "UTC", P.EXACT, D(2026, 3, 14, 12), None, None, "UTC"),
    ("12:30 am on 2026-03-14", "UTC", P.EXACT, D(2026, 3, 14, 0, 30), None, None, "UTC"),
    ("noon on 2026-03-14", "UTC", P.EXACT, D(2026, 3, 14, 12), None, None, "UTC"),
    ("midnight on 2026-03-14", "UTC", P.EXACT, D(2026, 3, 14, 0), None, None, "UTC"),
    ("14 March 2026 9 a.m.", "UTC", P.EXACT, D(2026, 3, 14, 9), None, None, "UTC"),
    ("2026-03-14 21:30 Europe/Berlin", "UTC", P.EXACT, D(2026, 3, 14, 21, 30), None, None, "Europe/Berlin"),
    ("2026-03-14 21:30 in europe/berlin", "UTC", P.EXACT, D(2026, 3, 14, 21, 30), None, None, "Europe/Berlin"),
    ("2026-03-14 21:30 UTC", "Europe/Berlin", P.EXACT, D(2026, 3, 14, 21, 30), None, None, "UTC"),
    ("2026-03-14T21:30Z", "Europe/Berlin", P.EXACT, D(2026, 3, 14, 21, 30), None, None, "UTC"),
    ("2026-03-14 21:30 +01:00", "UTC", P.EXACT, D(2026, 3, 14, 21, 30), None, None, "Etc/GMT-1"),
    ("2026-03-14T21:30-05:00", "UTC", P.EXACT, D(2026, 3, 14, 21, 30), None, None, "Etc/GMT+5"),
    ("2026-03-14 21:30 UTC-5", "UTC", P.EXACT, D(2026, 3, 14, 21, 30), None, None, "Etc/GMT+5"),
    ("2026-03-14 21:30 +00:00", "Europe/Berlin", P.EXACT, D(2026, 3, 14, 21, 30), None, None, "UTC"),
    ("25/12/2026", "UTC", P.DAY, D(2026, 12, 25), None, None, "UTC"),
    ("12/25/2026", "UTC", P.DAY, D(2026, 12, 25), None, None, "UTC"),
    ("04.04.2026", "UTC", P.DAY, D(2026, 4, 4), None, None, "UTC"),
    ("2026-10-25 02:30 +01:00", "Europe/Berlin", P.EXACT, D(2026, 10, 25, 2, 30), None, None, "Etc/GMT-1"),
    ("14 March 2026 between 20:00 and 23:00", "UTC", P.RANGE, D(2026, 3, 14, 20), D(2026, 3, 14, 23), None, "UTC"),
    ("2026-03-14 from 9:30pm-11pm", "UTC", P.RANGE, D(2026, 3, 14, 21, 30), D(2026, 3, 14, 23), None, "UTC"),
    ("noon – 14:00 on 2026-03-14", "UTC", P.RANGE, D(2026, 3, 14, 12), D(2026, 3, 14, 14), None, "UTC"),
    ("2026-03-14 20:00 to 20:00", "UTC", P.RANGE, D(2026, 3, 14, 20), D(2026, 3, 14, 20), None, "UTC"),
    # A date-only end of a range means the whole of that day.
    ("from 2026-03-14 20:00 to 2026-03-15", "UTC", P.RANGE, D(2026, 3, 14, 20), D(2026, 3, 16), None, "UTC"),
    ("from March 2026 to May 2026", "UTC", P.RANGE, D(2026, 3, 1), D(2026, 6, 1), None, "UTC"),
]


@pytest.mark.parametrize(("text", "tz", "precision", "start", "end", "tolerance", "stored_tz"), ACCEPTED)
def test_accepted_forms_parse_to_what_was_meant(text, tz, precision, start, end, tolerance, stored_tz):
    when = parse_when(text, tz)
    assert when.precision is precision
    assert when.start == start
    assert when.end == end
    assert when.tolerance_minutes == tolerance
    assert when.tz == stored_tz
    assert when.source_text == text


@pytest.mark.parametrize("text", ["", "   ", "unknown", "Unknown", "not sure", "?", "don’t know"])
def test_blank_or_unknown_words_are_unknown(text):
    when = parse_when(text, "Europe/Berlin")
    assert when.precision is P.UNKNOWN
    assert when.start is None and when.end is None
    assert when.tz == "Europe/Berlin"
    assert when.source_text == text


def test_unknown_can_carry_a_zone():
    when = parse_when("unknown Europe/Berlin")
    assert (when.precision, when.tz) == (P.UNKNOWN, "Europe/Berlin")


def test_today_and_yesterday_come_from_now_in_the_zone():
    # 23:30 UTC on 14 March is already 15 March in Berlin.
    now = utc(2026, 3, 14, 23, 30)
    assert parse_when("today", "Europe/Berlin", now=now).start == D(2026, 3, 15)
    assert parse_when("today", "UTC", now=now).start == D(2026, 3, 14)
    yesterday = parse_when("yesterday 21:30", "Europe/Berlin", now=now)
    assert (yesterday.precision, yesterday.start) == (P.EXACT, D(2026, 3, 14, 21, 30))


def test_fractional_seconds_are_kept():
    assert parse_when("2026-03-14 21:30:05.25").start == D(2026, 3, 14, 21, 30, 5, 250000)


# --- parsing: refusals --------------------------------------------------------

REFUSED = [
    # text, zone, words the message must contain
    ("around 9 pm on 14 March", "UTC", ["year"]),
    ("14 March", "UTC", ["year", "14 March 2026"]),
    ("14 March 26", "UTC", ["four-digit year"]),
    ("Fri 14 Mar 2026 21:30", "UTC", ["Saturday", "not a Friday"]),
    ("03/04/2026", "UTC", ["day", "month", "3 April 2026", "2026-04-03"]),
    ("3/4/26", "UTC", ["day", "month", "3 April"]),
    ("03.04.2026", "UTC", ["day", "month"]),
    ("2026-02-30", "UTC", ["February 2026 has 28 days", "30"]),
    ("31 April 2026", "UTC", ["April 2026 has 30 days", "31"]),
    ("2026-13-01", "UTC", ["no month 13"]),
    ("25:00", "UTC", ["25:00", "not a time of day"]),
    ("2026-03-14 25:00", "UTC", ["25:00", "not a time of day"]),
    ("2026-03-14 21:75", "UTC", ["minutes"]),
    ("2026-03-14 24:00", "UTC", ["next day"]),
    ("2026-03-14 at 9", "UTC", ["minutes", "am/pm"]),
    ("between 20:00 and", "UTC", ["both ends"]),
    ("2026-03-14 from 20:00", "UTC", ["both ends"]),
    ("13:00 pm on 2026-03-14", "UTC", ["1 to 12"]),
    ("2026-03-29 02:30", "Europe/Berlin", ["did not exist", "02:00", "03:00"]),
    ("2026-03-08 02:30 America/New_York", "UTC", ["did not exist", "America/New_York"]),
    ("2026-10-25 02:30", "Europe/Berlin", ["happened twice", "+02:00", "+01:00"]),
    ("2026-03-14 23:00 to 20:00", "UTC", ["ends before it starts"]),
    ("2026-03-15 to 2026-03-14", "UTC", ["ends before it starts"]),
    ("2026-03-14 21:30 -05:00", "UTC", ["ends before it starts", "UTC-05:00"]),
    ("2026-03-14 21:30 +05:30", "UTC", ["whole number of hours", "Asia/Kolkata"]),
    ("2026-03-14 21:30 UTC+15", "UTC", ["-12:00", "+14:00"]),
    ("2026-03-14 21:30 EST", "UTC", ["EST", "America/New_York"]),
    ("2026-03-14 21:30 Mars/Olympus", "UTC", ["not a time zone"]),
    ("21:30 Berlin", "UTC", ["Europe/Berlin"]),
    ("21:30", "UTC", ["date"]),
    ("Saturday", "UTC", ["weekday", "date"]),
    ("March", "UTC", ["March 2026"]),
    ("about 14 March 2026", "UTC", ["time of day", "range"]),
    ("about 20:00 to 23:00 on 2026-03-14", "UTC", ["range"]),
    ("before about 21:00 on 2026-03-14", "UTC", ["not both"]),
    ("2026-03-14 21:00 ± 0 min", "UTC", ["more than zero"]),
    ("2026-03-14 21:00 ± 2", "UTC", ["number and unit"]),
    ("from 2026-03-14", "UTC", ["both ends"]),
    ("1492-10-12", "UTC", ["1492", "year"]),
    ("2026-03-14 21:30", "Not/AZone", ["time zone"]),
    ("hello world", "UTC", ["Could not read", "hello world", "14 March 2026"]),
    ("[/x] 2026-03-14", "UTC", ["[/x]"]),
    ("🎉", "UTC", ["Could not read"]),
    ("2026-03-14\x00 21:30", "UTC", ["control character"]),
    ("x" * 10_000, "UTC", ["too long"]),
]


@pytest.mark.parametrize(("text", "tz", "words"), REFUSED)
def test_refusals_say_what_to_type_instead(text, tz, words):
    with pytest.raises(WhenError) as caught:
        parse_when(text, tz)
    message = str(caught.value)
    for word in words:
        assert word in message
    # One sentence: a capital or quote at the start, a single full stop at the very end.
    assert message.endswith(".")
    assert not re.search(r"\.\s+[A-Z]", message.replace("a.m.", "").replace("p.m.", ""))
    assert len(message) < 300


def test_when_error_is_a_value_error():
    assert issubclass(WhenError, ValueError)


def test_garbage_is_refused_fast():
    started = clock.perf_counter()
    for text in ["9" * 200, "1:" * 100, "- " * 100, "to " * 66, "between and " * 16, "(" * 200, "2026-" * 40]:
        with pytest.raises(WhenError):
            parse_when(text)
    assert clock.perf_counter() - started < 1.0


# --- describe, precision_text, anchor -----------------------------------------

@pytest.mark.parametrize(("text", "tz", "expected"), [
    ("2026-03-14 21:30", "Europe/Berlin", "Sat 14 Mar 2026, 21:30, Europe/Berlin"),
    ("about 21:00 on 2026-03-14", "Europe/Berlin", "Sat 14 Mar 2026, about 21:00 ± 1 h, Europe/Berlin"),
    ("about 21:00 ± 30 min on 2026-03-14", "UTC", "Sat 14 Mar 2026, about 21:00 ± 30 min, UTC"),
    ("2026-03-14 21:00 ± 1.5 h", "UTC", "Sat 14 Mar 2026, about 21:00 ± 1 h 30 min, UTC"),
    ("2026-03-14 21:00 give or take a day", "UTC", "Sat 14 Mar 2026, about 21:00 ± 1 day, UTC"),
    ("2026-03-14", "Europe/Berlin", "Sat 14 Mar 2026 (day only), Europe/Berlin"),
    ("March 2026", "UTC", "March 2026 (month only), UTC"),
    ("before 2026-03-14 08:00", "UTC", "before Sat 14 Mar 2026, 08:00, UTC"),
    ("after 2026-03-14 08:00", "UTC", "after Sat 14 Mar 2026, 08:00, UTC"),
    ("2026-03-14 20:00 to 23:00", "UTC", "Sat 14 Mar 2026, from 20:00 to 23:00, UTC"),
    ("2026-03-13 22:00 to 2026-03-14 02:00", "UTC", "from Fri 13 Mar 2026, 22:00 to Sat 14 Mar 2026, 02:00, UTC"),
    ("from 2026-03-13 to 2026-03-15", "UTC", "from Fri 13 Mar 2026 to Sun 15 Mar 2026 (whole days), UTC"),
    ("2026-03-14 21:30 +01:00", "UTC", "Sat 14 Mar 2026, 21:30, UTC+01:00"),
    ("2026-03-14 21:30:05", "UTC", "Sat 14 Mar 2026, 21:30:05, UTC"),
    ("not sure", "UTC", "unknown"),
])
def test_describe_reads_back_what_was_understood(text, tz, expected):
    assert parse_when(text, tz).describe() == expected


@pytest.mark.parametrize(("text", "expected", "anchor"), [
    ("2026-03-14 21:30", "exact", D(2026, 3, 14, 21, 30)),
    ("2026-03-14", "day only", D(2026, 3, 14)),
    ("March 2026", "month only", D(2026, 3, 1)),
    ("about 21:00 on 2026-03-14", "about 21:00 ± 1 h", D(2026, 3, 14, 21)),
    ("before 2026-03-14 08:00", "before 14 Mar 2026 08:00", D(2026, 3, 14, 8)),
    ("after 2026-03-14 08:00", "after 14 Mar 2026 08:00", D(2026, 3, 14, 8)),
    ("2026-03-14 20:00 to 23:00", "from 20:00 to 23:00", D(2026, 3, 14, 20)),
    ("2026-03-13 22:00 to 2026-03-14 02:00", "from 13 Mar 2026 22:00 to 14 Mar 2026 02:00", D(2026, 3, 13, 22)),
    ("from 2026-03-13 to 2026-03-15", "from 13 Mar 2026 to 15 Mar 2026 (whole days)", D(2026, 3, 13)),
    ("?", "unknown", None),
])
def test_precision_text_and_anchor_for_the_spreadsheet(text, expected, anchor):
    when = parse_when(text)
    assert when.precision_text() == expected
    assert when.anchor_local() == anchor


def test_zone_label_turns_inverted_etc_names_into_plain_offsets():
    assert zone_label("Etc/GMT-1") == "UTC+01:00"
    assert zone_label("Etc/GMT+5") == "UTC-05:00"
    assert zone_label("Etc/UTC") == "UTC"
    assert zone_label("Europe/Berlin") == "Europe/Berlin"


# --- the model ----------------------------------------------------------------

@pytest.mark.parametrize(("fields", "words"), [
    ({"precision": "exact"}, "needs a start"),
    ({"precision": "range", "start": D(2026, 3, 14)}, "needs an end"),
    ({"precision": "range", "start": D(2026, 3, 14), "end": D(2026, 3, 13)}, "cannot end before"),
    ({"precision": "exact", "start": D(2026, 3, 14), "end": D(2026, 3, 15)}, "Only a range"),
    ({"precision": "exact", "start": D(2026, 3, 14), "tolerance_minutes": 5}, "Only an approximate"),
    ({"precision": "approximate", "start": D(2026, 3, 14)}, "give-or-take"),
    ({"precision": "approximate", "start": D(2026, 3, 14), "tolerance_minutes": 0}, "give-or-take"),
    ({"precision": "unknown", "start": D(2026, 3, 14)}, "no date"),
    ({"precision": "day", "start": D(2026, 3, 14, 5)}, "00:00"),
    ({"precision": "month", "start": D(2026, 3, 2)}, "first day"),
    ({"precision": "exact", "start": D(2026, 3, 14), "tz": "Mars/Base"}, "not known"),
    ({"precision": "exact", "start": D(2026, 3, 14), "tz": "../../etc/passwd"}, "not a time zone"),
    ({"precision": "exact", "start": D(1700, 3, 14)}, "1700"),
    ({"precision": "exact", "start": D(2026, 3, 14), "colour": "red"}, "Extra inputs"),
])
def test_model_refuses_inconsistent_whens(fields, words):
    with pytest.raises(ValidationError) as caught:
        When(**fields)
    assert words in str(caught.value)


def test_model_is_frozen_and_defaults_to_unknown_utc():
    when = When.unknown()
    assert (when.precision, when.tz, when.source_text) == (P.UNKNOWN, "UTC", "")
    with pytest.raises(ValidationError):
        when.tz = "Europe/Berlin"  # type: ignore[misc]


def test_second_occurrence_of_a_repeated_hour_survives_json():
    # 00:30 UTC on 25 Oct 2026 is the second 02:30 in Berlin (after the clocks went back).
    second = When.exact(utc(2026, 10, 25, 1, 30), "Europe/Berlin")
    first = When.exact(utc(2026, 10, 25, 0, 30), "Europe/Berlin")
    assert second.start == first.start == D(2026, 10, 25, 2, 30)
    assert second.earliest() - first.earliest() == timedelta(hours=1)
    assert second.sort_key() > first.sort_key()
    again = When.model_validate_json(second.model_dump_json())
    assert again.earliest() == utc(2026, 10, 25, 1, 30)
    assert '"2026-10-25T02:30:00+01:00"' in second.model_dump_json()
    assert '"2026-10-25T02:30:00"' in first.model_dump_json()
    assert second.describe() == "Sun 25 Oct 2026, 02:30 (second time, UTC+01:00), Europe/Berlin"
    assert first.describe() == "Sun 25 Oct 2026, 02:30 (first time, UTC+02:00), Europe/Berlin"


def test_a_range_inside_a_repeated_hour_is_ordered_by_instants():
    zone = ZoneInfo("Europe/Berlin")
    first_0230 = D(2026, 10, 25, 2, 30)
    second_0210 = D(2026, 10, 25, 2, 10, fold=1)
    assert When.between(first_0230, second_0210, "Europe/Berlin").latest() == utc(2026, 10, 25, 1, 10)
    with pytest.raises(ValidationError, match="cannot end before"):
        When.between(second_0210.replace(minute=50), first_0230, "Europe/Berlin")
    assert second_0210.replace(tzinfo=zone).utcoffset() == timedelta(hours=1)


def test_fold_is_dropped_where_the_wall_time_is_not_repeated():
    assert When.exact(D(2026, 3, 14, 21, 30, fold=1), "Europe/Berlin").start.fold == 0
    gap = When.exact(D(2026, 3, 29, 2, 30, fold=1), "Europe/Berlin")  # never happened: old offset
    assert gap.start.fold == 0
    assert gap.earliest() == utc(2026, 3, 29, 1, 30)


def test_constructors_move_aware_times_to_the_zone_wall_clock():
    when = When.exact(utc(2026, 3, 14, 20, 30), "Europe/Berlin")
    assert when.start == D(2026, 3, 14, 21, 30)
    assert when.earliest() == utc(2026, 3, 14, 20, 30)
    assert When.between(D(2026, 3, 14, 20), D(2026, 3, 14, 23)).end == D(2026, 3, 14, 23)
    assert When.approximate(D(2026, 3, 14, 21)).tolerance_minutes == 60


# --- earliest / latest --------------------------------------------------------

@pytest.mark.parametrize(("when", "earliest", "latest"), [
    (When.exact(D(2026, 3, 14, 21, 30), "Europe/Berlin"), utc(2026, 3, 14, 20, 30), utc(2026, 3, 14, 20, 30)),
    (When.day(D(2026, 3, 14), "Europe/Berlin"), utc(2026, 3, 13, 23), utc(2026, 3, 14, 23)),
    (When.month(2026, 2, "UTC"), utc(2026, 2, 1), utc(2026, 3, 1)),
    (When.month(2026, 12, "UTC"), utc(2026, 12, 1), utc(2027, 1, 1)),
    (When.approximate(D(2026, 3, 14, 21), 30, "UTC"), utc(2026, 3, 14, 20, 30), utc(2026, 3, 14, 21, 30)),
    (When.before(D(2026, 3, 14, 8), "UTC"), None, utc(2026, 3, 14, 8)),
    (When.after(D(2026, 3, 14, 8), "UTC"), utc(2026, 3, 14, 8), None),
    (When.between(D(2026, 3, 14, 20), D(2026, 3, 15, 2), "UTC"), utc(2026, 3, 14, 20), utc(2026, 3, 15, 2)),
    (When.unknown("Europe/Berlin"), None, None),
    (When.exact(D(2026, 3, 14, 21, 30), "Etc/GMT-1"), utc(2026, 3, 14, 20, 30), utc(2026, 3, 14, 20, 30)),
])
def test_earliest_and_latest_for_each_precision(when, earliest, latest):
    assert when.earliest() == earliest
    assert when.latest() == latest
    for instant in (when.earliest(), when.latest()):
        assert instant is None or instant.utcoffset() == timedelta(0)
    assert when.is_dated() is (when.precision is not P.UNKNOWN)


def test_days_and_months_follow_clock_changes():
    spring = parse_when("2026-03-29", "Europe/Berlin")
    autumn = parse_when("2026-10-25", "Europe/Berlin")
    plain = parse_when("2026-03-28", "Europe/Berlin")
    assert spring.latest() - spring.earliest() == timedelta(hours=23)
    assert autumn.latest() - autumn.earliest() == timedelta(hours=25)
    assert plain.latest() - plain.earliest() == timedelta(hours=24)
    march = parse_when("March 2026", "Europe/Berlin")
    assert march.latest() - march.earliest() == timedelta(days=31, hours=-1)
    # An exact time after the change uses summer time.
    assert parse_when("2026-03-29 03:30", "Europe/Berlin").earliest() == utc(2026, 3, 29, 1, 30)


# --- sorting ------------------------------------------------------------------

def test_sort_rule_on_a_documented_example():
    whens = {
        "unknown": When.unknown(),
        "after-0900": When.after(D(2026, 3, 14, 9)),
        "range-0800-1000": When.between(D(2026, 3, 14, 8), D(2026, 3, 14, 10)),
        "exact-0800": When.exact(D(2026, 3, 14, 8)),
        "before-0800": When.before(D(2026, 3, 14, 8)),
        "day-14": When.day(D(2026, 3, 14)),
        "month-march": When.month(2026, 3),
        "about-0830": When.approximate(D(2026, 3, 14, 8, 30), 30),
        "exact-13th": When.exact(D(2026, 3, 13, 23, 59)),
        "after-0800": When.after(D(2026, 3, 14, 8)),
    }
    order = sorted(whens, key=lambda name: (whens[name].sort_key(), name))
    assert order == [
        "month-march",      # earliest 1 Mar
        "exact-13th",
        "day-14",           # earliest 14 Mar 00:00, latest 15 Mar 00:00
        "exact-0800",       # 08:00; latest 08:00, exact before "before"
        "before-0800",      # unbounded below: sorts at its bound 08:00
        "about-0830",       # earliest 08:00, latest 09:00
        "range-0800-1000",  # earliest 08:00, latest 10:00
        "after-0800",       # earliest 08:00, no latest: last among 08:00
        "after-0900",
        "unknown",          # undated after all dated
    ]


whole_naive = st.datetimes(min_value=D(1950, 1, 1), max_value=D(2150, 12, 31))
ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Etc/GMT-1",
         "America/Sao_Paulo"]


@st.composite
def whens(draw: st.DrawFn) -> When:
    tz = draw(st.sampled_from(ZONES))
    precision = draw(st.sampled_from(list(Precision)))
    moment = draw(whole_naive)
    if precision is P.UNKNOWN:
        return When.unknown(tz)
    if precision is P.EXACT:
        return When.exact(moment, tz)
    if precision is P.DAY:
        return When.day(moment.date(), tz)
    if precision is P.MONTH:
        return When.month(moment.year, moment.month, tz)
    if precision is P.APPROXIMATE:
        return When.approximate(moment, draw(st.integers(1, MAX_TOLERANCE_MINUTES)), tz)
    if precision is P.BEFORE:
        return When.before(moment, tz)
    if precision is P.AFTER:
        return When.after(moment, tz)
    length = draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)))
    start = moment.replace(fold=0)  # start + length has fold 0; a folded start could pass its end
    return When.between(start, start + length, tz)


@given(st.lists(whens(), min_size=2, max_size=12))
def test_sort_key_is_a_total_order_consistent_with_earliest_instants(items):
    keys = [w.sort_key() for w in items]
    ordered = sorted(items, key=When.sort_key)  # never a TypeError: no None inside keys
    dated = [w.is_dated() for w in ordered]
    assert dated == sorted(dated, reverse=True)  # every dated when before every unknown one
    for a, ka in zip(items, keys):
        for b, kb in zip(items, keys):
            assert (ka < kb) + (ka == kb) + (ka > kb) == 1
            if a.earliest() is not None and b.earliest() is not None and a.earliest() < b.earliest():
                assert ka < kb
            if a.is_dated() and not b.is_dated():
                assert ka < kb


# --- round trips --------------------------------------------------------------

@given(whens())
def test_json_round_trip(when):
    again = When.model_validate_json(when.model_dump_json())
    assert again == when
    assert again.sort_key() == when.sort_key()


def _wall_time_is_clear(local: datetime, tz: str) -> bool:
    zone = ZoneInfo(tz)
    first, second = local.replace(tzinfo=zone, fold=0), local.replace(tzinfo=zone, fold=1)
    return first.utcoffset() == second.utcoffset()


@given(st.datetimes(min_value=D(1800, 1, 1), max_value=D(2199, 12, 31)), st.sampled_from(ZONES),
       st.sampled_from([" ", "T"]))
def test_iso_text_round_trips_for_exact_times(moment, tz, sep):
    assume(_wall_time_is_clear(moment, tz))
    text = f"{moment.isoformat(sep=sep)} {tz}"
    when = parse_when(text)
    assert (when.precision, when.start, when.tz) == (P.EXACT, moment, tz)


@given(whens())
def test_canonical_text_round_trips(when):
    for local in (when.start, when.end):
        assume(local is None or _wall_time_is_clear(local, when.tz))
    text = when.canonical_text()
    # The zone written in the text wins over the default; an unknown when carries none.
    again = parse_when(text, when.tz if not when.is_dated() else "Asia/Tokyo")
    assert again == when.model_copy(update={"source_text": text})


def test_canonical_text_of_a_day_that_began_at_01_00():
    # São Paulo moved its clocks forward at midnight on 4 Nov 2018: that day began at 01:00.
    day = When.day(D(2018, 11, 4), "America/Sao_Paulo")
    assert day.canonical_text() == "2018-11-04 America/Sao_Paulo"
    assert parse_when(day.canonical_text()) == day.model_copy(update={"source_text": day.canonical_text()})
    assert day.earliest() == utc(2018, 11, 4, 3)
    assert day.latest() - day.earliest() == timedelta(hours=23)


def test_canonical_text_examples():
    assert parse_when("about 21:00 ± 90 min on 2026-03-14", "Europe/Berlin").canonical_text() == (
        "about 2026-03-14 21:00 ± 90 min Europe/Berlin")
    assert parse_when("from 13 March to 15 March 2026").canonical_text() == "from 2026-03-13 to 2026-03-15 UTC"
    assert parse_when("?").canonical_text() == "unknown"


# --- parsing never fails in another way ---------------------------------------

TOKENS = ["2026-03-14", "21:30", "9", "pm", "am", "about", "before", "after", "to", "-", "from", "between", "and",
          "on", "March", "14", "2026", "Sat", "±", "+/-", "2h", "30", "min", "Z", "UTC", "+01:00", "-05:00",
          "Europe/Berlin", "03/04/2026", "25/12/26", "noon", "midnight", "~", "T", ",", "today", "24:00", "0",
          "99", "2026-02-29", "2026-03", "give or take", "an", "hour", "EST", "in", "the", "of", "13th", "."]


@given(st.text(max_size=250))
def test_arbitrary_text_only_ever_raises_when_error(text):
    try:
        when = parse_when(text, "Europe/Berlin")
    except WhenError as error:
        assert str(error)
    else:
        assert when.source_text == text
        when.describe()


@given(st.lists(st.sampled_from(TOKENS), max_size=9), st.sampled_from(["", " "]))
def test_token_soup_only_ever_raises_when_error(tokens, joiner):
    text = joiner.join(tokens)
    try:
        when = parse_when(text, "America/New_York", now=utc(2026, 3, 14, 12))
    except WhenError as error:
        assert str(error).endswith(".")
    else:
        assert when.describe()
        assert When.model_validate_json(when.model_dump_json()) == when


# --- intervals ----------------------------------------------------------------

ACT = When.exact(D(2026, 3, 15, 22, 0))


@pytest.mark.parametrize(("item", "reference", "label", "expected"), [
    (When.exact(D(2026, 3, 14, 20)), ACT, "the act", "26 h before the act"),
    (When.exact(D(2026, 3, 16, 1)), ACT, "the threat ended", "3 h after the threat ended"),
    (When.exact(D(2026, 3, 15, 21, 15)), ACT, "the act", "45 min before the act"),
    (When.exact(D(2026, 3, 18, 1)), ACT, "the arrest", "2 days 3 h after the arrest"),
    (When.exact(D(2026, 3, 15, 22)), ACT, "the act", "at the same time as the act"),
    (When.exact(D(2026, 3, 15, 21, 59, 50)), ACT, "the act", "less than 1 min before the act"),
    (When.exact(D(2026, 3, 14, 19, 20)), ACT, "the act", "27 h before the act"),  # 26 h 40 min, nearest
    (When.approximate(D(2026, 3, 14, 22), 240), ACT, "the act", "between 20 and 28 h before the act"),
    (When.between(D(2026, 3, 15, 20), D(2026, 3, 15, 23)), ACT, "the act", "between 2 h before and 1 h after the act"),
    (When.approximate(D(2026, 3, 15, 22, 30), 10), ACT, "the act", "between 20 and 40 min after the act"),
    # A day against an exact act: each end rounded outward (46.5 h -> 47, 22.5 h -> 22).
    (When.day(D(2026, 3, 14)), When.exact(D(2026, 3, 15, 22, 30)), "the act", "between 22 and 47 h before the act"),
    (When.between(D(2026, 3, 10, 20), D(2026, 3, 12, 22)), ACT, "the act",
     "between 3 days and 5 days 2 h before the act"),
    (When.before(D(2026, 3, 15, 19)), ACT, "the act", "at least 3 h before the act"),
    (When.after(D(2026, 3, 20, 22)), ACT, "the arrest", "at least 5 days after the arrest"),
    (When.before(D(2026, 3, 16, 0)), ACT, "the act", "no later than 2 h after the act"),
    (When.after(D(2026, 3, 15, 20)), ACT, "the act", "no earlier than 2 h before the act"),
    (When.before(D(2026, 3, 15, 22)), ACT, "the act", "at or before the act"),
    (When.after(D(2026, 3, 15, 22)), ACT, "the act", "at or after the act"),
    (When.before(D(2026, 3, 14)), When.before(D(2026, 3, 15)), "the act", "order not known relative to the act"),
    (When.exact(D(2026, 3, 14)), When.after(D(2026, 3, 15)), "the act", "at least 24 h before the act"),
])
def test_interval_words(item, reference, label, expected):
    found = interval(item, reference)
    assert found is not None
    assert found.describe(label) == expected


def test_interval_bounds_are_the_plain_differences():
    found = interval(When.approximate(D(2026, 3, 14, 22), 240), ACT)
    assert found == Interval(low=timedelta(hours=-28), high=timedelta(hours=-20))
    open_low = interval(When.before(D(2026, 3, 15, 19)), ACT)
    assert open_low == Interval(low=None, high=timedelta(hours=-3))
    across_zones = interval(When.exact(D(2026, 3, 15, 22), "Europe/Berlin"), ACT)
    assert across_zones == Interval(low=timedelta(hours=-1), high=timedelta(hours=-1))


def test_interval_with_an_unknown_is_none():
    assert interval(When.unknown(), ACT) is None
    assert interval(ACT, When.unknown()) is None


BANNED = re.compile(r"\b(score|odds|strong|weak|likely|probabl\w*|percent|good|bad)\b", re.IGNORECASE)


@given(whens(), whens())
def test_interval_low_never_exceeds_high(a, b):
    found = interval(a, b)
    if not a.is_dated() or not b.is_dated():
        assert found is None
        return
    assert found is not None
    if found.low is not None and found.high is not None:
        assert found.low <= found.high
    text = found.describe("the act")
    assert text.endswith("the act")
    assert not BANNED.search(text + " " + a.describe() + " " + a.precision_text())
