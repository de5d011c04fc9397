"""Email: one message (.eml, RFC 5322) or a mailbox of them (.mbox).

Each email becomes one message: the Date header's instant (its offset
turned into UTC), From as the sender, To, Cc and Bcc as the recipients, the
plain text as the text, every other part as an attachment with its bytes,
and the subject and other headers in the details. How the text, the
attachments and embedded messages are chosen is in email_parts; how a
mailbox is split is in mbox_split.

Choices made here:
- A file of 0 bytes, or of blank space only, is refused in one sentence
  rather than read as a file with no messages: there is nothing in it to
  list, and the person should know the export did not carry any mail.
- A missing or unreadable Date leaves the time unknown; the first Received
  header's time is only mentioned in the details, never used as the time.
- A file that is UTF-16 throughout (byte-order mark, or a NUL beside every
  ASCII byte) is decoded whole and re-encoded as UTF-8 before parsing.
- The last message of a file is reported as possibly cut (kept, with a
  Skipped entry, and truncated=True) when its headers never end, when a
  mailbox does not end with a line break, or when a lone .eml's own
  multipart never closes. A message of a mailbox lacking a closing
  boundary is not taken as cut: complete mailboxes have such messages.
"""

from __future__ import annotations

import codecs
import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from case_workbook.fileio import describe_os_error
from case_workbook.importers.email_details import NO_HEADERS, message_facts
from case_workbook.importers.mbox_split import HEADER_LINE, SEPARATOR, MailChunk, split_mailbox
from case_workbook.importers.parsed import (
    DayOrder,
    ExportReadError,
    Limits,
    ParsedMessage,
    ParseResult,
    Skipped,
)
from case_workbook.importers.source import read_bytes, regular_size
from case_workbook.model.items import Channel

FORMAT_EML = "Email message (.eml)"
FORMAT_MBOX = "Mailbox (.mbox)"
MAIL_BYTES = Limits.ATTACHMENT_BYTES  # a mailbox is read in lines; 2 GiB of mail at most
_MAIL_FIELDS = {b"received", b"from", b"date", b"subject", b"mime-version", b"return-path",
                b"to", b"cc", b"message-id", b"delivered-to", b"reply-to", b"x-gm-thrid",
                b"content-type", b"x-mailer", b"user-agent"}


def looks_like(path: Path, head: bytes) -> bool:
    try:
        if path.name.lower().endswith((".eml", ".mbox", ".mbx")):
            return True
        lines = _readable_head(head).splitlines()[:60]
        if not lines:
            return False
        if lines[0].startswith(SEPARATOR):
            return len(lines) > 1 and bool(HEADER_LINE.match(lines[1]))
        fields = set()
        for line in lines:
            if not line.strip():
                break
            if line[:1] in (b" ", b"\t"):
                continue
            if not HEADER_LINE.match(line):
                return False
            fields.add(line.split(b":", 1)[0].strip().lower())
        return len(fields & _MAIL_FIELDS) >= 2
    except Exception:  # detection must never raise
        return False


def _readable_head(head: bytes) -> bytes:
    encoding = _wide_encoding(head)
    if encoding:
        head = head[: len(head) - len(head) % 2].decode(encoding, errors="replace").encode()
    return head.removeprefix(codecs.BOM_UTF8)


def _wide_encoding(start: bytes) -> str | None:
    """UTF-16 for a file that starts with its byte-order mark, or whose
    first bytes are ASCII with a NUL between every two (UTF-16 without one)."""
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = start[:512]
    half = len(sample) // 2
    if half < 8:
        return None
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    if odd_nuls >= 0.9 * half and even_nuls <= 0.1 * half:
        return "utf-16-le"
    if even_nuls >= 0.9 * half and odd_nuls <= 0.1 * half:
        return "utf-16-be"
    return None


@dataclass
class _Reading:
    path: Path
    notes: list[str] = field(default_factory=list)
    positions: bool = True  # byte offsets are the file's (not those of re-encoded text)
    mailbox: bool = False


def read(path: Path, *, day_order: DayOrder | None = None) -> ParseResult:
    size = regular_size(path)
    name = path.name
    if size == 0:
        raise ExportReadError(f"{name} is empty; there is no email in it.")
    if size > MAIL_BYTES:
        raise ExportReadError(f"{name} is {size / 1024**2:,.0f} MB, more than the "
                              f"{MAIL_BYTES / 1024**2:,.0f} MB of mail read at once.")
    reading = _Reading(path)
    try:
        with open(path, "rb") as handle:
            start = handle.read(4096)
            handle.seek(0)
            lines, digest = _source_lines(handle, start, reading)
            result = _read_chunks(lines, reading)
            result.sha256, result.size = digest.hexdigest(), digest.size
    except OSError as error:
        raise ExportReadError(describe_os_error(error, str(path), "read")) from None
    if result.size > MAIL_BYTES:
        raise ExportReadError(f"{name} changed while it was being read; try again.")
    return result


class _Digest:
    """The SHA-256 and size of the bytes that pass through it."""

    def __init__(self, name: str, data: bytes = b"") -> None:
        self.name = name
        self.hash = hashlib.sha256(data)
        self.size = len(data)

    def lines(self, handle: BinaryIO) -> Iterator[bytes]:
        for line in handle:
            self.hash.update(line)
            self.size += len(line)
            if self.size > MAIL_BYTES:
                raise ExportReadError(f"{self.name} changed while it was being read; try again.")
            yield line

    def hexdigest(self) -> str:
        return self.hash.hexdigest()


def _source_lines(handle: BinaryIO, start: bytes,
                  reading: _Reading) -> tuple[Iterable[bytes], _Digest]:
    """The file's lines (UTF-16 is re-encoded as UTF-8 first) and the
    digest that will hold the hash of its bytes as given."""
    encoding = _wide_encoding(start)
    if encoding is None:
        digest = _Digest(reading.path.name)
        return digest.lines(handle), digest
    data, _ = read_bytes(reading.path, Limits.TEXT_BYTES)
    text = data.decode(encoding, errors="replace").removeprefix("\ufeff")
    reading.notes.append("Read as UTF-16 text: the whole file was turned into UTF-8 before its "
                         "messages were read, so positions are given by message number only.")
    reading.positions = False
    return io.BytesIO(text.encode("utf-8")), _Digest(reading.path.name, data)


def _chunks(lines: Iterable[bytes], reading: _Reading) -> Iterator[MailChunk]:
    iterator = iter(lines)
    first = next(iterator, b"")
    offset = 0
    if first.startswith(codecs.BOM_UTF8):
        first, offset = first[3:], 3
        reading.notes.append("The file starts with a byte-order mark, which was skipped.")
    named_eml = reading.path.name.lower().endswith(".eml")
    reading.mailbox = reading.path.name.lower().endswith((".mbox", ".mbx")) or (
        first.startswith(SEPARATOR) and not named_eml)
    if named_eml and not first.startswith(SEPARATOR):
        # One message: no "From " line inside it can start another.
        data = first + b"".join(iterator)
        if data.strip():
            digest = hashlib.sha256(data).hexdigest()
            yield MailChunk(offset, offset + len(data), b"", data, digest, cut=False)
        return
    yield from split_mailbox(_prepend(first, iterator), offset)


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    if first:
        yield first
    yield from rest


def _read_chunks(lines: Iterable[bytes], reading: _Reading) -> ParseResult:
    path = reading.path
    result = ParseResult(format=FORMAT_EML, source=path, sha256="", size=0, notes=reading.notes)
    tally = _Tally()
    previous: tuple[int, MailChunk] | None = None
    # Each message is kept once the next is found, so the last one is known as the last.
    for number, chunk in enumerate(_chunks(lines, reading), start=1):
        if previous is not None:
            reading.mailbox = True
            _keep(*previous, result, tally, reading, final=False)
        previous = (number, chunk)
    if previous is None:
        raise ExportReadError(f"{path.name} holds only blank space; there is no email in it.")
    _keep(*previous, result, tally, reading, final=True)
    if not result.messages:
        raise ExportReadError(_nothing_read(path.name, result.skipped))
    result.format = FORMAT_MBOX if reading.mailbox else FORMAT_EML
    result.truncated = tally.truncated
    result.notes.extend(tally.sentences(reading.mailbox, len(result.messages)))
    return result


def _nothing_read(name: str, skipped: list[Skipped]) -> str:
    if len(skipped) == 1 and skipped[0].reason == NO_HEADERS:
        return (f"{name} is not an email message: it has no header lines such as From:, "
                "Date: or Subject:.")
    return f"{name} holds no email message that could be read."


def _locator(number: int, chunk: MailChunk, reading: _Reading) -> str:
    if reading.positions:
        return f"message {number} at byte {chunk.offset:,}"
    return f"message {number}"


@dataclass
class _Tally:
    truncated: bool = False
    alternatives: int = 0
    unclosed: int = 0
    undated: int = 0

    def sentences(self, mailbox: bool, count: int) -> list[str]:
        said = []
        if mailbox:
            said.append(f"Read as a mailbox of {_messages(count)}, each starting at a line "
                        "beginning 'From '; body lines beginning '>From ' are kept as written.")
        if self.alternatives:
            said.append(f"{_messages(self.alternatives, 'also carries', 'also carry')} an HTML "
                        "or other version of the same text; the plain-text version is shown, "
                        "and the file keeps both.")
        if self.unclosed:
            said.append(f"{_messages(self.unclosed, 'has', 'have')} a part whose closing "
                        "boundary is missing; what the part holds was read as far as it goes.")
        if self.undated:
            said.append(f"{_messages(self.undated, 'has', 'have')} no Date that could be "
                        "read; the time is left unknown (it is not taken from Received headers).")
        return said


def _messages(count: int, one: str = "", many: str = "") -> str:
    words = f"{count:,} message" if count == 1 else f"{count:,} messages"
    verb = one if count == 1 else many
    return f"{words} {verb}" if verb else words


def _keep(number: int, chunk: MailChunk, result: ParseResult, tally: _Tally,
          reading: _Reading, *, final: bool) -> None:
    locator = _locator(number, chunk, reading)
    # A mailbox's last message cut mid-line, or any last message cut in its headers; a lone
    # .eml whose own multipart never closes (a complete mailbox message may lack it too).
    cut_at_end = final and chunk.cut and bool(chunk.separator)
    facts, reason = message_facts(chunk.data)
    if facts is None:
        if cut_at_end:
            tally.truncated = True
            reason = "The file ends part way through this message, before it could be read."
        result.skipped.append(Skipped(locator, reason))
        return
    if final and (cut_at_end or facts.headers_unended
                  or (not reading.mailbox and facts.top_unclosed)):
        tally.truncated = True
        result.skipped.append(Skipped(locator, "The file seems to end part way through this "
                                               "message; it is kept as far as it goes."))
    tally.alternatives += facts.alternatives_left_out > 0
    tally.unclosed += facts.unclosed
    tally.undated += facts.stamp.instant is None and facts.stamp.local is None
    details = list(facts.details)
    if chunk.separator:
        details.append(f"Mailbox separator line: {_line_text(chunk.separator)}")
    if reading.positions and reading.mailbox:
        details.append(f"In the file: bytes {chunk.offset:,} to {chunk.end - 1:,}, "
                       f"SHA-256 {chunk.sha256}.")
    result.messages.append(ParsedMessage(
        record=number, locator=locator, stamp=facts.stamp, sender=facts.sender, text=facts.text,
        channel=Channel.EMAIL, recipients=facts.recipients, from_me=None,
        attachments=facts.attachments, chat=reading.path.name if reading.mailbox else "",
        details="\n".join(details)))


def _line_text(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("cp1252", errors="replace")
