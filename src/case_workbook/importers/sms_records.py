"""One SMS Backup & Restore record (an `<sms>`, `<mms>` or `<call>`, its
attributes read as strings) into one ParsedMessage.

The backup says which messages the phone's owner sent (`type`, `msg_box`),
so their sender is `ME` and the other party is the recipient; a received
message names its sender as the phone's contacts did (`contact_name`), or
by number when the contact was not saved, and the number is kept in
`details`. Times come from `date`, epoch milliseconds (UTC).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from case_workbook.importers.parsed import Attachment, Limits, MessageKind, ParsedMessage, Stamp
from case_workbook.importers.people import ME
from case_workbook.model.items import Channel

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NO_VALUE = {"", "null"}
NO_NAME = NO_VALUE | {"(Unknown)"}
DAMAGED = "the backup's copy of this file is damaged"
NOT_INCLUDED = "not included in the backup"
TOO_LARGE = "too large to be read from the backup"

# `type` of an <sms>: what happened to a message the owner wrote (1 is received, 2 sent)
UNSENT_SMS = {"3": "draft, never sent", "4": "in the outbox, not sent yet",
              "5": "failed to send", "6": "queued to send, not sent yet"}
SMS_STATUS = {"32": "delivery pending", "64": "delivery failed"}
# `msg_box` of an <mms>
UNSENT_MMS = {"3": "draft, never sent", "4": "in the outbox, not sent yet"}
ADDRESS_ROLES = {"137": "from", "151": "to", "130": "cc", "129": "bcc"}
# `type` of a <call>: (words, the owner placed it)
CALL_TYPES = {"1": ("Incoming call", False), "2": ("Outgoing call", True),
              "3": ("Missed call", False), "4": ("Voicemail", False),
              "5": ("Rejected call", False), "6": ("Blocked call", False)}
PRESENTATION = {"2": "the caller withheld their number", "3": "the number was not known",
                "4": "from a payphone"}


@dataclass
class Tally:
    """What the notes of a whole backup report."""

    sms: int = 0
    mms: int = 0
    calls: int = 0
    unsent: int = 0
    damaged: int = 0
    not_included: int = 0
    no_time: int = 0
    unclosed: int = 0
    handles: dict[str, str] = field(default_factory=dict)  # contact name -> number


@dataclass
class MmsPart:
    seq: int
    content_type: str
    text: str | None  # the text of a text/plain part
    attachment: Attachment | None


@dataclass
class MmsRecord:
    attrs: dict[str, str]
    line: int
    record: int
    parts: list[MmsPart] = field(default_factory=list)
    addresses: list[tuple[str, str]] = field(default_factory=list)  # (role, address)


def value(attrs: dict[str, str], name: str) -> str:
    """An attribute, "" when absent or the literal "null" the app writes for none."""
    text = attrs.get(name, "")
    return "" if text in NO_VALUE else text


def epoch_instant(raw: str) -> datetime | None:
    """Epoch milliseconds (or seconds, for the small numbers some MMS fields hold)."""
    try:
        number = int(raw.strip())
    except ValueError:
        return None
    if number <= 0:
        return None
    try:
        return EPOCH + (timedelta(milliseconds=number) if number >= 10**11
                        else timedelta(seconds=number))
    except OverflowError:
        return None


def utc_text(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%d %H:%M:%S UTC")


def stamp_of(attrs: dict[str, str], tally: Tally) -> tuple[Stamp, list[str]]:
    raw = attrs.get("date", "")
    instant = epoch_instant(raw)
    shown = value(attrs, "readable_date") or raw
    if instant is None:
        tally.no_time += 1
        return Stamp(text=shown), [f"its time could not be read ({raw!r})" if raw
                                   else "no time recorded"]
    details = []
    sent = epoch_instant(attrs.get("date_sent", ""))
    if sent is not None and sent != instant:
        details.append(f"sent at {utc_text(sent)} by the sender's or network's clock")
    return Stamp(instant=instant, text=shown), details


def party(attrs: dict[str, str], tally: Tally,
          address_field: str = "address") -> tuple[str, list[str]]:
    """The other party as the phone names them, and the number in details
    when a contact name stands in for it (noted in the tally's handles)."""
    address = attrs.get(address_field, "")
    name = attrs.get("contact_name", "")
    if name not in NO_NAME:
        if address and address != name:
            tally.handles.setdefault(name, address)
            return name, [f"address: {address}"]
        return name, []
    return address, []


def sms_message(attrs: dict[str, str], record: int, line: int, tally: Tally) -> ParsedMessage:
    tally.sms += 1
    stamp, details = stamp_of(attrs, tally)
    other, about = party(attrs, tally)
    kind = attrs.get("type", "")
    if kind == "1":
        sender, recipients, from_me = other, (ME,), False
    elif kind == "2" or kind in UNSENT_SMS:
        sender, recipients, from_me = ME, (other,) if other else (), True
        if kind in UNSENT_SMS:
            tally.unsent += 1
            details.insert(0, UNSENT_SMS[kind])
    else:
        sender, recipients, from_me = other, (), None
        details.insert(0, f"message type {kind!r}, which SMS Backup & Restore does not document")
    if subject := value(attrs, "subject"):
        details.append(f"subject: {subject}")
    if status := SMS_STATUS.get(attrs.get("status", "")):
        details.append(status)
    return ParsedMessage(
        record=record, locator=f"line {line}", stamp=stamp, sender=sender,
        text=attrs.get("body", ""), channel=Channel.TEXT, recipients=recipients,
        from_me=from_me, chat=other, details="; ".join(details + about))


def mms_part(attrs: dict[str, str], tally: Tally) -> MmsPart | None:
    """A part of an MMS: its text, or the file it carries. The SMIL layout is not kept."""
    content_type = attrs.get("ct", "")
    try:
        seq = int(attrs.get("seq", "0"))
    except ValueError:
        seq = 0
    if content_type.lower() == "application/smil":
        return None
    if content_type.lower() == "text/plain" and "data" not in attrs:
        return MmsPart(seq, content_type, attrs.get("text", ""), None)
    name = next((value(attrs, key) for key in ("name", "fn", "cl") if value(attrs, key)),
                f"part {seq}")
    encoded = attrs.get("data")
    if encoded is None:
        if content_type.lower().startswith("text/") and value(attrs, "text"):
            data = attrs["text"].encode("utf-8", "surrogatepass")
            return MmsPart(seq, content_type, None, Attachment(name, data=data,
                                                               content_type=content_type))
        tally.not_included += 1
        return MmsPart(seq, content_type, None, Attachment(name, content_type=content_type,
                                                           note=NOT_INCLUDED))
    return MmsPart(seq, content_type, None, _decoded(name, content_type, encoded, tally))


def _decoded(name: str, content_type: str, encoded: str, tally: Tally) -> Attachment:
    if len(encoded) // 4 * 3 > Limits.ATTACHMENT_BYTES:
        tally.damaged += 1
        return Attachment(name, content_type=content_type, note=TOO_LARGE)
    try:
        raw = encoded.encode("ascii").translate(None, b" \t\r\n")
        data = base64.b64decode(raw, validate=True)
    except (UnicodeError, binascii.Error, ValueError):
        tally.damaged += 1
        return Attachment(name, content_type=content_type, note=DAMAGED)
    return Attachment(name, data=data, content_type=content_type)


def mms_message(mms: MmsRecord, tally: Tally, *, unclosed: bool = False) -> ParsedMessage:
    tally.mms += 1
    attrs = mms.attrs
    stamp, details = stamp_of(attrs, tally)
    chat, about = party(attrs, tally)
    box = attrs.get("msg_box", "")
    by_role: dict[str, list[str]] = {role: [] for role in ADDRESS_ROLES.values()}
    for role, address in mms.addresses:
        if address and address not in by_role[role]:
            by_role[role].append(address)
    to = [a for role in ("to", "cc", "bcc") for a in by_role[role]
          if a != "insert-address-token"]
    single = attrs.get("address", "")
    others = [address for address in single.split("~") if address]  # everyone but the owner
    if box == "1":
        from_addr = by_role["from"][0] if by_role["from"] else single
        if len(others) > 1:  # a group: the To list also names the owner, whom `address` omits
            sender = from_addr
            rest = [a for a in to if a in others and a != from_addr] or [
                a for a in others if a != from_addr]
            recipients: tuple[str, ...] = (ME, *rest)
        else:
            sender = chat if from_addr == single else from_addr
            recipients = (ME,)
            if from_addr != single and single:
                about.append(f"the backup files it under {chat} but names {from_addr} as "
                             "its sender")
        from_me: bool | None = False
    elif box == "2" or box in UNSENT_MMS:
        sender, from_me = ME, True
        recipients = (chat,) if len(others) == 1 and to in ([], others) else tuple(to or others)
        if box in UNSENT_MMS:
            tally.unsent += 1
            details.insert(0, UNSENT_MMS[box])
    else:
        sender, recipients, from_me = chat, tuple(to), None
        details.insert(0, f"message box {box!r}, which SMS Backup & Restore does not document")
    if len(by_role["from"]) > 1:
        about.append("senders listed: " + ", ".join(by_role["from"]))
    if subject := value(attrs, "sub"):
        details.append(f"subject: {subject}")
    if unclosed:
        details.append("its record in the backup is not closed before the next one begins")
    ordered = sorted(mms.parts, key=lambda part: part.seq)
    text = "\n".join(part.text for part in ordered if part.text is not None)
    attachments = tuple(part.attachment for part in ordered if part.attachment is not None)
    return ParsedMessage(
        record=mms.record, locator=f"line {mms.line}", stamp=stamp, sender=sender, text=text,
        channel=Channel.TEXT, recipients=tuple(recipients), from_me=from_me,
        attachments=attachments, chat=chat, details="; ".join(["MMS", *details, *about]))


def duration_text(raw: str) -> str:
    try:
        seconds = int(raw)
    except ValueError:
        return f"duration {raw!r}" if raw else ""
    if seconds < 0:
        return f"duration {raw!r}"
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{hours} h"] if hours else []
    parts += [f"{minutes} min"] if minutes else []
    parts += [f"{seconds} s"] if seconds or not parts else []
    return " ".join(parts)


def call_message(attrs: dict[str, str], record: int, line: int, tally: Tally) -> ParsedMessage:
    tally.calls += 1
    stamp, time_details = stamp_of(attrs, tally)
    other, about = party(attrs, tally, "number")
    placed: bool | None
    words, placed = CALL_TYPES.get(attrs.get("type", ""), (
        f"Call of type {attrs.get('type', '')!r}, which SMS Backup & Restore does not document",
        None))
    answered = attrs.get("type") in ("1", "2", "4")
    heading = f"{words}, {duration_text(attrs.get('duration', ''))}" if answered else words
    details = [heading.rstrip(", ")]
    if presented := PRESENTATION.get(attrs.get("presentation", "")):
        details.append(presented)
    if not other:
        details.append("no number recorded")
    if placed is None:  # a type the app does not document: who called whom is not known
        sender, recipients, from_me = other, (), None
    elif placed:
        sender, recipients, from_me = ME, (other,) if other else (), True
    else:
        sender, recipients, from_me = other, (ME,), False
    channel = Channel.VOICEMAIL if attrs.get("type") == "4" else Channel.CALL
    return ParsedMessage(
        record=record, locator=f"line {line}", stamp=stamp, sender=sender, text="",
        kind=MessageKind.CALL, channel=channel, recipients=recipients, from_me=from_me,
        chat=other, details="; ".join(details + time_details + about))
