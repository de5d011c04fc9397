"""The words and patterns `parse_when` recognises, and what one phrase said."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from functools import lru_cache
from zoneinfo import available_timezones

from case_workbook.model.when import (
    MONTH_LONG,
    WEEKDAY_LONG,
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


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


@lru_cache(maxsize=1)
def _zone_cities() -> dict[str, str]:
    # "berlin" -> "Europe/Berlin", to point people at the full name.
    return {name.rsplit("/", 1)[-1].lower(): name for name in available_timezones() if "/" in name}
