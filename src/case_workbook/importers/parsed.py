"""What every message-export reader returns: the messages as the export
records them, untouched, and a report of what was read and what was not.

A reader never decides anything the file does not settle. A time with no zone
stays a naive wall clock (`Stamp.local`) until the person states the device's
zone; a date that could be day-first or month-first raises `NeedsDayOrder`
and the reader is called again with the person's answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from case_workbook.model.items import Channel


class ExportReadError(Exception):
    """A file that cannot be read as a message export at all; str() is one
    sentence. (A file read in part returns a report with what was skipped.)"""


class DayOrder(StrEnum):
    DAY_FIRST = "day-first"
    MONTH_FIRST = "month-first"


class NeedsDayOrder(ExportReadError):
    """The dates in the file read both ways; the person says which."""

    def __init__(self, name: str, examples: list[str]) -> None:
        self.examples = examples
        shown = ", ".join(examples[:3])
        super().__init__(f"The dates in {name} (for example {shown}) could be read day-first "
                         "or month-first, and the file does not settle which; say which.")


class Limits:
    """How much an export may make us read: exports come from outside."""

    TEXT_BYTES = 512 * 1024**2  # a text or JSON export read whole; 50,000 messages are ~5 MB
    ZIP_TOTAL = 4 * 1024**3  # every member of an export zip, inflated
    ZIP_MEMBERS = 200_000
    ZIP_RATIO = 200  # inflated / compressed, for members over RATIO_FLOOR
    RATIO_FLOOR = 1024**2
    ATTACHMENT_BYTES = 2 * 1024**3  # one attachment kept in memory for hashing and copying


@dataclass(frozen=True)
class Attachment:
    """A file a message carries. `data` holds its bytes when the export has
    them inline (a base64 part, an email part); `member` names it inside the
    export's zip (hashed while reading, its `sha256` and `size` kept, and
    copied into the case only at import, so a zip of videos is never held in
    memory); `path` is a file found beside the export; none of them, with
    `note` saying why, when it is missing."""

    name: str
    data: bytes | None = None
    path: Path | None = None
    content_type: str = ""
    note: str = ""
    member: str = ""
    sha256: str = ""
    size: int = 0

    @property
    def available(self) -> bool:
        return self.data is not None or self.path is not None or bool(self.member)


@dataclass(frozen=True)
class Stamp:
    """When a message was sent, as the export records it: an absolute
    `instant` (aware), or only the device's wall clock (`local`, naive), or
    neither. `text` is the time exactly as written in the file."""

    instant: datetime | None = None
    local: datetime | None = None
    text: str = ""

    @property
    def zone_recorded(self) -> bool:
        return self.instant is not None


class MessageKind(StrEnum):
    MESSAGE = "message"
    CALL = "call"
    SYSTEM = "system"  # group created, member added, security notice...


@dataclass(frozen=True)
class ParsedMessage:
    record: int  # 1-based number of the message within the file
    locator: str  # where in the file: "line 14", "record 3", "message 2 (byte 1,024)"
    stamp: Stamp
    sender: str  # as the export names them; "" when no one sent it (a system line)
    text: str  # verbatim
    kind: MessageKind = MessageKind.MESSAGE
    channel: Channel = Channel.MESSENGER
    recipients: tuple[str, ...] = ()
    from_me: bool | None = None  # the export says the exporting person sent it (or not)
    attachments: tuple[Attachment, ...] = ()
    chat: str = ""  # the chat, thread or mailbox the message sits in
    details: str = ""  # other things the export records: a subject, a call's length...

    @property
    def participants(self) -> tuple[str, ...]:
        return tuple(name for name in (self.sender, *self.recipients) if name)


@dataclass(frozen=True)
class Skipped:
    locator: str
    reason: str


@dataclass
class ParseResult:
    format: str  # "WhatsApp chat export (Android)"
    source: Path
    sha256: str  # of the file as given (the whole zip, the whole mbox)
    size: int
    messages: list[ParsedMessage] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how it was read
    day_order: DayOrder | None = None  # the reading used, when the file needed one
    day_order_stated: bool = False  # the person chose it (the file could not settle it)
    truncated: bool = False  # the file ends part way through a record
    # A participant's number or address, where the export names them otherwise
    # ("Alice" for +15551234567): kept as the person's contact, and matched on.
    handles: dict[str, str] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not self.skipped and not self.truncated

    @property
    def needs_zone(self) -> bool:
        """Some messages carry only the device's clock: the person states its zone."""
        return any(m.stamp.local is not None and m.stamp.instant is None for m in self.messages)

    def participants(self) -> list[str]:
        seen: dict[str, None] = {}
        for message in self.messages:
            for name in message.participants:
                seen.setdefault(name, None)
        return list(seen)
