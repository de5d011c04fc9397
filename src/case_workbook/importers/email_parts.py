"""The parts of one email: its text, its attachments and the messages
embedded in it.

The text is the first text/plain part that is not an attachment (later
inline text/plain parts follow it, as mail programs show them); in a
multipart/alternative the plain version is chosen and the other versions
of the same text (HTML, rich text) are left out; a message with only HTML
shows the HTML as written. Every other part is an attachment with its
decoded bytes. An embedded message (message/rfc822, and each message of a
multipart/digest) stays whole: its bytes exactly as in the file become an
attachment, and its From, Date and Subject are listed.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from email import policy as email_policy
from email.errors import CloseBoundaryNotFoundDefect
from email.message import Message
from email.parser import BytesHeaderParser, BytesParser

from case_workbook.importers.email_headers import Headers, decode_words, raw_to_text, sender_of
from case_workbook.importers.parsed import Attachment

MAX_DEPTH = 40  # parts nested deeper are not walked (a hostile file can nest thousands)
_ALTERNATIVE_TEXT = ("text/plain", "text/html", "text/enriched", "text/richtext")
_KNOWN_TYPES = mimetypes.MimeTypes(filenames=())  # the built-in table: same on every machine
_EXTENSIONS = {"application/octet-stream": ".bin", "text/plain": ".txt", "image/jpeg": ".jpg",
               "text/html": ".html", "message/rfc822": ".eml", "audio/mpeg": ".mp3"}


class WholeMessage(Message):
    """A message whose message/* parts the parser leaves unparsed, so an
    embedded email keeps its bytes exactly as the file has them."""

    def get_content_type(self) -> str:
        content_type = super().get_content_type()
        return "application/x-embedded" if content_type.startswith("message/") else content_type


def parse_message(data: bytes) -> Message:
    return BytesParser(WholeMessage, policy=email_policy.compat32).parsebytes(data)


def parse_headers(data: bytes) -> Message:
    return BytesHeaderParser(WholeMessage, policy=email_policy.compat32).parsebytes(data)


def true_type(part: Message) -> str:
    return Message.get_content_type(part)


@dataclass
class Body:
    text: str | None = None
    html: tuple[str, Attachment] | None = None  # the HTML text, and the part if text turns up
    attachments: list[Attachment] = field(default_factory=list)
    embedded: list[str] = field(default_factory=list)  # one line per embedded message
    alternatives_left_out: int = 0
    notes: list[str] = field(default_factory=list)
    unclosed: bool = False  # a multipart's closing boundary is missing
    top_unclosed: bool = False  # the message's own one is

    def final_text(self) -> str:
        if self.text is not None:
            if self.html is not None:
                self.attachments.append(self.html[1])
            return self.text
        if self.html is not None:
            self.notes.append("The message has only an HTML body; shown as written.")
            return self.html[0]
        return ""


def read_body(message: Message) -> Body:
    body = Body()
    body.top_unclosed = any(isinstance(defect, CloseBoundaryNotFoundDefect)
                            for defect in message.defects)
    _walk(message, "1" if not message.is_multipart() else "", 0, body, alternative=False)
    return body


def _walk(part: Message, number: str, depth: int, body: Body, *, alternative: bool) -> None:
    if any(isinstance(defect, CloseBoundaryNotFoundDefect) for defect in part.defects):
        body.unclosed = True
    if depth > MAX_DEPTH:
        _note(body, f"Parts nested more than {MAX_DEPTH} deep were not read.")
        return
    children = part.get_payload() if part.is_multipart() else None
    if isinstance(children, list):
        numbers = [f"{number}.{index}" if number else str(index)
                   for index in range(1, len(children) + 1)]
        chosen = _alternative_choice(children) if part.get_content_subtype() == "alternative" \
            else None
        for index, (child, child_number) in enumerate(zip(children, numbers)):
            if chosen is None or index == chosen:
                _walk(child, child_number, depth + 1, body, alternative=alternative)
            else:
                _walk(child, child_number, depth + 1, body, alternative=True)
        return
    try:
        _leaf(part, number or "1", body, alternative=alternative)
    except MemoryError:
        raise
    except Exception:  # one damaged part costs that part, not the message
        body.attachments.append(Attachment(
            name=f"part-{number or '1'}", content_type=true_type(part),
            note="this part is damaged and could not be taken from the message"))


def _note(body: Body, sentence: str) -> None:
    if sentence not in body.notes:
        body.notes.append(sentence)


def _alternative_choice(children: list[Message]) -> int | None:
    """Which version of a multipart/alternative to show: plain text, else
    the first multipart holding one, else the first version."""
    for index, child in enumerate(children):
        if true_type(child) == "text/plain" and not _is_attachment(child):
            return index
    for index, child in enumerate(children):
        if child.get_content_maintype() == "multipart":
            return index
    return 0 if children else None


def _is_attachment(part: Message) -> bool:
    disposition = (part.get("content-disposition") or "")
    if str(disposition).strip().lower().startswith("attachment"):
        return True
    return bool(part.get_filename() or part.get_param("name"))


def _leaf(part: Message, number: str, body: Body, *, alternative: bool) -> None:
    content_type = true_type(part)
    if content_type.startswith("message/"):
        _embedded(part, number, body)
        return
    if part.get_content_maintype() == "multipart":  # said multipart, gave no boundary
        content_type = "text/plain"
        _note(body, "A part says it has parts but gives no boundary; it is read as text.")
    inline = not _is_attachment(part)
    if inline and alternative and content_type in _ALTERNATIVE_TEXT:
        body.alternatives_left_out += 1
        return
    if inline and content_type == "text/plain":
        text = part_text(part, body.notes)
        if not body.text or not text:
            body.text = (body.text or "") + text
        else:  # each part on its own lines, as mail programs show them
            body.text += text if body.text.endswith("\n") else "\n" + text
            _note(body, "The text is in several parts (between attachments); they are shown "
                        "one after another.")
        return
    if inline and content_type == "text/html" and body.html is None and body.text is None:
        body.html = (part_text(part, body.notes), _attachment(part, number, content_type))
        return
    body.attachments.append(_attachment(part, number, content_type))


def _attachment(part: Message, number: str, content_type: str) -> Attachment:
    name = part.get_filename() or part.get_param("name")
    if isinstance(name, tuple):  # RFC 2231 value the parser could not collapse
        name = name[2] if len(name) == 3 else None
    if isinstance(name, str) and name.strip():
        name = decode_words(raw_to_text(name)).strip()
    else:
        name = f"part-{number}{_extension(content_type)}"
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return Attachment(name=name, content_type=content_type,
                          note="the part's bytes could not be taken from the message")
    return Attachment(name=name, data=data, content_type=content_type)


def _extension(content_type: str) -> str:
    return _EXTENSIONS.get(content_type) or _KNOWN_TYPES.guess_extension(content_type) or ".bin"


def _embedded(part: Message, number: str, body: Body) -> None:
    content_type = true_type(part)
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        data = b""
    name = part.get_filename()
    if not isinstance(name, str) or not name.strip():
        name = f"embedded message {len(body.embedded) + 1}.eml"
    body.attachments.append(Attachment(name=name, data=data, content_type=content_type))
    body.embedded.append(f"Embedded message (attached as {name}): {summary(data)}.")


def summary(data: bytes) -> str:
    """From, Date and Subject of an embedded message, in one line."""
    try:
        headers = BytesHeaderParser(policy=email_policy.compat32).parsebytes(data)
    except Exception:  # the parser is not meant to raise; a hostile part still might
        return "its headers could not be read"
    said = []
    table = Headers(headers)
    for label, name in (("From", "from"), ("Date", "date"), ("Subject", "subject")):
        value = table.first(name)
        if value is not None:
            shown = sender_of(value) if name == "from" else decode_words(value)
            said.append(f"{label} {shown}")
    return "; ".join(said) or "it has no From, Date or Subject"


def part_text(part: Message, notes: list[str]) -> str:
    """A text part's decoded text, line breaks as LF (CRLF is how mail is
    carried, not part of the text)."""
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        data = b""
    charset = part.get_content_charset()
    text = _decode(data, charset, notes)
    return text.replace("\r\n", "\n")


def _decode(data: bytes, charset: str | None, notes: list[str]) -> str:
    if charset and charset not in ("us-ascii", "ascii", "unknown-8bit", "x-unknown"):
        try:
            return data.decode(charset)
        except UnicodeDecodeError:
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                pass
            notes.append(f"Some of the text is not valid {charset}; those bytes show as \ufffd.")
            return data.decode(charset, errors="replace")
        except Exception:  # an unknown charset, or a name Python reads as another codec
            notes.append(f"The text's character set ({charset}) is not known; it was read as "
                         "UTF-8, or Windows-1252 where it is not UTF-8.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if not charset or charset in ("us-ascii", "ascii"):
            notes.append("The text has bytes its character set does not allow; it was read as "
                         "Windows-1252.")
        return data.decode("cp1252", errors="replace")
