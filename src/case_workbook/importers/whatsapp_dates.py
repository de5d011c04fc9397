"""Turning a WhatsApp header's date and time into a wall-clock datetime.

The order of day and month follows the exporting phone's language. The file
settles it only when some date could not be read the other way (a first
number above 12 is a day; a second number above 12 is a day). Otherwise
the person is asked: guessing from how often a field changes could put a
message on the wrong day of a case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from case_workbook.importers.parsed import DayOrder, NeedsDayOrder
from case_workbook.importers.whatsapp_lines import Header


def year_first(header: Header) -> bool:
    return len(header.first) >= 3


def _is_day_only(number: str) -> bool:
    return 12 < int(number) <= 31


@dataclass(frozen=True)
class DayOrderChoice:
    order: DayOrder | None  # None: every date reads the same either way
    stated: bool  # the person chose it
    note: str


def settle_day_order(headers: list[Header], name: str,
                     stated: DayOrder | None) -> DayOrderChoice:
    """The reading to use for the file's dates; raises NeedsDayOrder when
    the file cannot settle it and the caller has not said."""
    two_way = [h for h in headers if not year_first(h) and h.first != h.second]
    day_shown = next((h for h in two_way if _is_day_only(h.first)), None)
    month_shown = next((h for h in two_way if _is_day_only(h.second)), None)
    if not two_way:
        return DayOrderChoice(stated, stated is not None, "")
    if stated is not None:
        note = f"Dates were read {stated.value}, as you said."
        against = month_shown if stated is DayOrder.DAY_FIRST else day_shown
        if against is not None:
            note += (f" Some dates in the file, such as {against.date_text}, cannot be read "
                     "that way; those messages have no time.")
        return DayOrderChoice(stated, True, note)
    if day_shown and not month_shown:
        return DayOrderChoice(DayOrder.DAY_FIRST, False,
                              f"Dates were read day-first: the file has dates such as "
                              f"{day_shown.date_text}, whose first number is above 12.")
    if month_shown and not day_shown:
        return DayOrderChoice(DayOrder.MONTH_FIRST, False,
                              f"Dates were read month-first: the file has dates such as "
                              f"{month_shown.date_text}, whose second number is above 12.")
    examples = [h.date_text for h in (day_shown, month_shown) if h is not None]
    for header in two_way:
        if len(examples) >= 3:
            break
        if header.date_text not in examples:
            examples.append(header.date_text)
    raise NeedsDayOrder(name, examples)


def _year(text: str) -> int | None:
    if len(text) <= 2:
        return 2000 + int(text)  # WhatsApp began in 2009
    return int(text) if len(text) == 4 else None


def _hour(header: Header) -> int | None:
    """The hour on a 24-hour clock. With a 12-hour marker, 12 is noon or
    midnight as usual, and 0 is read as on clocks that count 0-11 (some
    phone languages do): `00:08 a. m.` is 00:08, `0:08 p. m.` is 12:08."""
    hour = header.hour
    if not header.marker:
        return hour if hour <= 23 else None
    if hour > 12:
        return None
    afternoon = header.marker[0] in "Pp"
    return (hour % 12) + (12 if afternoon else 0)


def wall_clock(header: Header, order: DayOrder | None) -> datetime | None:
    """The date and time as the phone showed them, or None when they are not
    a possible date and time under this reading."""
    if year_first(header):
        year, month, day = _year(header.first), int(header.second), int(header.third)
    else:
        year = _year(header.third)
        day, month = int(header.first), int(header.second)
        if order is DayOrder.MONTH_FIRST:
            day, month = month, day
    hour = _hour(header)
    if year is None or hour is None:
        return None
    try:
        return datetime(year, month, day, hour, header.minute, header.second_of_minute)
    except ValueError:
        return None
