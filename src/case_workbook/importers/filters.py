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
        return to_instant(stamp.local, zone)
    return None


def date_bound(text: str, zone: str, *, end: bool) -> datetime:
    """A --from/--to value as an instant: "2024-03-05" starts at that day's
    first moment and, as an end, runs to its last (an end is exclusive).
    WhenError says what is wrong."""
    when = parse_when(text, zone)
    low, high = when.bounds()
    if end and high is not None and low == high:  # "--to 21:00" takes in the minute 21:00
        high += timedelta(minutes=1)
    bound = high if end else low
    if bound is None:
        raise WhenError(f"{text!r} does not name a date to filter by; write a date such as "
                        "2024-03-05.")
    return bound


@dataclass(frozen=True)
class MessageFilter:
    participant: str = ""  # a sender or recipient, as the export names them
    start: datetime | None = None  # aware; messages at or after it
    end: datetime | None = None  # aware; messages before it
    text: str = ""  # words the text, details or an attachment's name contain
    zone: str = "UTC"  # how a device clock time is read

    @property
    def active(self) -> bool:
        return bool(self.participant or self.text) or self.start is not None \
            or self.end is not None

    def matches(self, message: ParsedMessage) -> bool:
        if self.participant:
            wanted = name_key(self.participant)
            if not any(name_key(name) == wanted for name in message.participants):
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

    def apply(self, messages: list[ParsedMessage]) -> list[int]:
        """Indexes of the messages that pass."""
        if not self.active:
            return list(range(len(messages)))
        return [i for i, message in enumerate(messages) if self.matches(message)]
