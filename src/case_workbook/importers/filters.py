"""Narrowing a parsed export down to the messages that matter: by who took
part, by date, by words in the text. The same filter serves the command
line's options and the preview screen's fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from case_workbook.importers.parsed import ParsedMessage
from case_workbook.importers.people import name_key
from case_workbook.model.when import WhenError, parse_when, to_instant


def message_instant(message: ParsedMessage, zone: str) -> datetime | None:
    """When the message was sent, as an aware instant: the export's own, or
    its device clock read in `zone`; None when the export has no time."""
    stamp = message.stamp
    if stamp.instant is not None:
        return stamp.instant
    if stamp.local is not None:
        try:
            return to_instant(stamp.local, zone)
        except (OverflowError, ValueError):  # year 9999 late in the day, west of UTC
            return None
    return None


def date_bound(text: str, zone: str, *, end: bool) -> datetime:
    """A --from/--to value as an instant: "2024-03-05" starts at that day's
    first moment and, as an end, runs to its last (an end is exclusive).
    WhenError says what is wrong."""
    when = parse_when(text, zone)
    low, high = when.bounds()
    if end and high is not None and low == high:
        # "--to 21:00" takes in the minute 21:00; "--to 21:00:30" that second.
        high += timedelta(seconds=1) if high.second or high.microsecond else timedelta(minutes=1)
    bound = high if end else low
    if bound is None:
        raise WhenError(f"{text!r} does not name a date to filter by; write a date such as "
                        "2024-03-05.")
    return bound


@dataclass(frozen=True)
class MessageFilter:
    participant: str = ""  # who sent it, or the only one it went to
    start: datetime | None = None  # aware; messages at or after it
    end: datetime | None = None  # aware; messages before it
    text: str = ""  # words the text, details or an attachment's name contain
    zone: str = "UTC"  # how a device clock time is read

    @property
    def active(self) -> bool:
        return bool(self.participant or self.text) or self.start is not None \
            or self.end is not None

    def matches(self, message: ParsedMessage) -> bool:
        if self.participant and not self.involves(message):
            return False
        if self.start is not None or self.end is not None:
            moment = message_instant(message, self.zone)
            if moment is None:
                return False
            if self.start is not None and moment < self.start:
                return False
            if self.end is not None and moment >= self.end:
                return False
        if self.text:
            needle = self.text.casefold()
            haystack = "\n".join((message.text, message.details,
                                  *(a.name for a in message.attachments))).casefold()
            if needle not in haystack:
                return False
        return True

    def involves(self, message: ParsedMessage) -> bool:
        """The participant sent the message, or it was sent to them alone. (In a
        group chat every member is a recipient of every message, which tells
        nothing; the sender does.)"""
        wanted = name_key(self.participant)
        if name_key(message.sender) == wanted:
            return True
        return len(message.recipients) == 1 and name_key(message.recipients[0]) == wanted

    def apply(self, messages: list[ParsedMessage]) -> list[int]:
        """Indexes of the messages that pass."""
        if not self.active:
            return list(range(len(messages)))
        return [i for i, message in enumerate(messages) if self.matches(message)]
