"""Header fields of an email as written: unfolded, RFC 2047 words decoded,
addresses listed one by one, and the Date read into a Stamp.

Headers are taken from the parser as raw text (compat32 keeps them as the
file has them) and decoded here, so a malformed header never raises: what
cannot be decoded is kept as written.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from datetime import datetime, timezone
from email import policy as email_policy
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from case_workbook.importers.parsed import Stamp

_FOLD = re.compile(r"\r?\n|\r")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_UTC_UNKNOWN_LOCAL = re.compile(r"(?<![\d+-])-0000(?!\d)")
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_EMPTY_GROUP = re.compile(r"[^:@<>]*:\s*;?\s*")


def raw_to_text(raw: str) -> str:
    """A raw header value (bytes kept as surrogate escapes by the parser)
    as text: UTF-8 when it is, else Windows-1252, which every byte maps to."""
    try:
        raw.encode("utf-8")
        return raw  # no escaped bytes in it
    except UnicodeEncodeError:
        data = raw.encode("utf-8", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def unfold(value: str) -> str:
    """RFC 5322 unfolding: the line breaks go, the spaces after them stay."""
    return _FOLD.sub("", value).strip()


class Headers:
    """A message's header fields by lower-case name, each occurrence in file
    order, turned into unfolded text when asked for."""

    def __init__(self, message: Message) -> None:
        self._raw: dict[str, list[str]] = {}
        for key, raw in message.raw_items():
            if isinstance(key, str):
                self._raw.setdefault(key.lower(), []).append(
                    raw if isinstance(raw, str) else str(raw))

    def all(self, name: str) -> list[str]:
        return [unfold(raw_to_text(raw)) for raw in self._raw.get(name, ())]

    def first(self, name: str) -> str | None:
        raws = self._raw.get(name)
        return unfold(raw_to_text(raws[0])) if raws else None


def decode_words(value: str) -> str:
    """RFC 2047 encoded-words decoded (several words, any charset Python
    knows); a value whose words are damaged is kept as written."""
    if "=?" not in value or not _words_sound(value):
        return value
    try:
        header = email_policy.default.header_factory("x-unstructured", value)
        if header.defects:
            return value
        return str(header)
    except Exception:  # the header parser has raised on hostile input before
        return value


def _words_sound(value: str) -> bool:
    """Every encoded-word names a charset Python knows and, in base64, is
    base64 (the decoder would silently drop a damaged one)."""
    for charset, encoding, text in _ENCODED_WORD.findall(value):
        try:
            codecs.lookup(charset.split("*", 1)[0])
            if encoding in "bB":
                base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
        except (LookupError, binascii.Error, ValueError):
            return False
    return True


def format_address(name: str, address: str) -> str:
    name, address = decode_words(name).strip(), address.strip()
    if name and address:
        return f"{name} <{address}>"
    return name or address


def addresses(value: str) -> list[str]:
    """Each address of an address-list header as "Name <addr>" or addr;
    the value as written when it holds nothing that reads as an address."""
    try:
        pairs = getaddresses([value])
    except Exception:
        pairs = []
    found = [format_address(name, address) for name, address in pairs]
    found = [entry for entry in found if entry]
    if not found and value.strip() and not _EMPTY_GROUP.fullmatch(value):
        return [decode_words(value)]
    return found


def sender_of(value: str) -> str:
    """The From header: one address as "Name <addr>"; otherwise (several
    senders, or nothing that parses) the header as written, words decoded."""
    found = addresses(value)
    if len(found) == 1:
        return found[0]
    return decode_words(value)


def first_received_time(headers: Headers) -> str | None:
    """The time the nearest server wrote in its Received header, as written."""
    received = headers.first("received")
    if received and ";" in received:
        return received.rsplit(";", 1)[1].strip() or None
    return None


def date_stamp(value: str | None) -> tuple[Stamp, str]:
    """The Date header as a Stamp and a sentence when it needs one.
    An offset makes an instant (converted to UTC); `-0000` means "UTC, the
    sender's own zone not given" (RFC 5322), so it is an instant too; a
    date naming no zone is the sender's clock (`local`); anything else is
    only text."""
    if value is None:
        return Stamp(text=""), "The message has no Date header, so its time is not known."
    try:
        stamp = _rfc_date(value) or _iso_date(value)
    except (ValueError, OverflowError, TypeError, IndexError):
        stamp = None
    if stamp is None:
        return Stamp(text=value), (f"The Date header ({value}) is not a date this reader can "
                                   "read, so its time is not known.")
    if stamp.instant is None:
        return stamp, (f"The Date header ({value}) names no time zone that can be read, so it "
                       "is the sender's clock time.")
    if _ISO_DATE.match(value):
        return stamp, ("The Date header is written in ISO 8601 form, not the email standard's; "
                       "it states its zone and is read as that time.")
    if _UTC_UNKNOWN_LOCAL.search(value):
        return stamp, "The Date header gives the time in UTC (-0000) without the sender's zone."
    return stamp, ""


def _rfc_date(value: str) -> Stamp | None:
    try:
        when = parsedate_to_datetime(value)
    except (ValueError, TypeError, IndexError):  # not an RFC 5322 date
        return None
    if when.tzinfo is None and _UTC_UNKNOWN_LOCAL.search(value):
        when = when.replace(tzinfo=timezone.utc)
    if when.tzinfo is None:
        return Stamp(local=when, text=value)
    return Stamp(instant=when.astimezone(timezone.utc), text=value)


def _iso_date(value: str) -> Stamp | None:
    if not _ISO_DATE.match(value):
        return None
    when = datetime.fromisoformat(value)
    if when.tzinfo is None:
        return Stamp(local=when, text=value)
    return Stamp(instant=when.astimezone(timezone.utc), text=value)
