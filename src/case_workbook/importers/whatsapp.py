"""WhatsApp's "Export chat": a `.txt` file, or a `.zip` holding it (an
iPhone's `_chat.txt`, Android's `WhatsApp Chat with <name>.txt`) and, when
media were attached, the media files.

The export records no time zone and does not say which author owns the
phone: each stamp is the phone's wall clock (`Stamp.local`), and `from_me`
is left unknown. Day-first or month-first dates are settled from the file
or asked for (see `whatsapp_dates`). Text is kept as written, continuation
lines joined with "\\n".
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from case_workbook.fileio import describe_os_error
from case_workbook.importers.chat_lines import (
    ChatText,
    decode_chat,
    describe_lines,
    inside,
    plain_file_name,
    regular_file,
)
from case_workbook.importers.parsed import (
    Attachment,
    DayOrder,
    ExportReadError,
    Limits,
    MessageKind,
    ParsedMessage,
    ParseResult,
    Skipped,
    Stamp,
)
from case_workbook.importers.source import ExportZip, hash_file, read_bytes, regular_size
from case_workbook.importers.whatsapp_dates import settle_day_order, wall_clock
from case_workbook.importers.whatsapp_lines import (
    IOS,
    Header,
    MediaMention,
    is_encryption_notice,
    looks_like_signal,
    match_header,
    media_mention,
    partial_header,
    poll_details,
    split_author,
)
from case_workbook.model.items import Channel

FORMAT_ANDROID = "WhatsApp chat export (Android)"
FORMAT_IOS = "WhatsApp chat export (iOS)"

NOT_IN_EXPORT = "not included in the export"
LEFT_OUT = "left out of the export by WhatsApp"

# "WhatsApp Chat with Ann.txt" and some of its translations; "WhatsApp Chat - Ann.zip" (iPhone).
_CHAT_FILE_NAME = re.compile(r"(?:WhatsApp Chat|Chat WhatsApp|Chat de WhatsApp)"
                             r"(?: with| mit| con| avec| met| com| s uživatelem| -)? "
                             r"(?P<chat>.+?)\.(?:txt|zip)", re.IGNORECASE)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def chat_name(file_name: str) -> str:
    found = _CHAT_FILE_NAME.fullmatch(file_name)
    return found["chat"].strip() if found else ""


@dataclass
class _Draft:
    """A message being gathered: its header and the lines that follow it."""

    header: Header
    lines: list[str] = field(default_factory=list)


def _is_junk_member(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return not parts or parts[0] == "__MACOSX" or parts[-1].startswith("._")


def _chat_member(names: list[str]) -> str | None:
    usable = [n for n in names if not _is_junk_member(n)]
    for name in usable:
        if PurePosixPath(name).name == "_chat.txt":
            return name
    for name in usable:
        base = PurePosixPath(name).name.lower()
        if "whatsapp" in base and base.endswith(".txt"):
            return name
    return None


def looks_like(path: Path, head: bytes) -> bool:
    """A WhatsApp header in the first lines, or a zip holding a chat file."""
    try:
        if head.startswith(_ZIP_MAGIC) or path.suffix.lower() == ".zip":
            with ExportZip(path) as archive:
                return _chat_member(archive.names()) is not None
        if path.suffix.lower() == ".md":
            return False  # WhatsApp writes .txt; signal-export writes chat.md
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = head.decode("utf-16", errors="replace")
        else:
            text = head.decode("utf-8", errors="replace")
        # An export starts with a header; a few stray lines are allowed for.
        lines = [line for line in text.split("\n")[:200] if line.strip()][:5]
        headers = [match_header(line, n) for n, line in enumerate(lines, 1)]
        return any(h is not None and not looks_like_signal(h) for h in headers)
    except Exception:  # detection never raises: anything odd is "not this format"
        return False


def read(path: Path, *, day_order: DayOrder | None = None) -> ParseResult:
    try:
        return _read(Path(path), day_order)
    except (ExportReadError, MemoryError):
        raise
    except Exception:  # every other failure is one sentence, as readers promise
        raise ExportReadError(f"{Path(path).name} could not be read as a WhatsApp chat "
                              "export.") from None


def _read(path: Path, day_order: DayOrder | None) -> ParseResult:
    regular_size(path)
    try:
        with open(path, "rb") as handle:
            magic = handle.read(4)
    except OSError as error:
        raise ExportReadError(describe_os_error(error, str(path), "read")) from None
    if magic.startswith(_ZIP_MAGIC):
        return _read_zip(path, day_order)
    data, sha256 = read_bytes(path)
    result = ParseResult(FORMAT_ANDROID, path, sha256, len(data))
    media = _MediaBeside(path.parent)
    _parse(decode_chat(data, path.name), path.name, chat_name(path.name), "", media,
           day_order, result)
    return result


def _read_zip(path: Path, day_order: DayOrder | None) -> ParseResult:
    sha256, size = hash_file(path)
    try:
        archive = ExportZip(path)
    except ExportReadError:
        raise
    except Exception:  # zipfile raises more than BadZipFile on hostile input
        raise ExportReadError(f"{path.name} is not a zip file that can be read (it may be "
                              "damaged or only partly copied).") from None
    with archive:
        names = archive.names()
        member = _chat_member(names)
        if member is None:
            raise ExportReadError(f"{path.name} holds no WhatsApp chat (no _chat.txt or "
                                  "“WhatsApp Chat with ….txt” inside).")
        data = archive.read(member, limit=Limits.TEXT_BYTES)
        result = ParseResult(FORMAT_ANDROID, path, sha256, size)
        member_name = PurePosixPath(member).name
        result.notes.append(f"The chat was read from {member} inside the zip "
                            f"(SHA-256 {hashlib.sha256(data).hexdigest()}).")
        chat = chat_name(member_name) or chat_name(path.name)
        media = _MediaInZip(archive, names)
        _parse(decode_chat(data, member_name), path.name, chat, f" of {member}", media,
               day_order, result)
    return result


class _MediaBeside:
    """Files named in a bare .txt export, looked up in its folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.found = 0

    def names(self) -> set[str]:
        return set()

    def attachment(self, name: str) -> Attachment:
        content_type = mimetypes.guess_type(name)[0] or ""
        if (plain_file_name(name) and regular_file(self.folder / name)
                and inside(self.folder, self.folder / name)):
            self.found += 1
            return Attachment(name, path=self.folder / name, content_type=content_type)
        return Attachment(name, content_type=content_type, note=NOT_IN_EXPORT)


class _MediaInZip:
    """Files named in a zipped export, read from the zip's members."""

    def __init__(self, archive: ExportZip, names: list[str]) -> None:
        self.archive = archive
        self.members: dict[str, str] = {}
        for name in names:
            if not _is_junk_member(name):
                self.members.setdefault(PurePosixPath(name).name, name)
        self.found = 0
        self.hashed: dict[str, tuple[str, int]] = {}  # a file sent twice is hashed once

    def names(self) -> set[str]:
        return set(self.members)

    def attachment(self, name: str) -> Attachment:
        content_type = mimetypes.guess_type(name)[0] or ""
        member = self.members.get(name)
        if member is None:
            return Attachment(name, content_type=content_type, note=NOT_IN_EXPORT)
        try:
            sha256, size = self.hashed.get(member) or self.archive.hash_member(member)
            self.hashed[member] = (sha256, size)
        except ExportReadError as error:
            return Attachment(name, content_type=content_type,
                              note=f"in the zip but could not be read: {error}")
        self.found += 1
        return Attachment(name, member=member, sha256=sha256, size=size,
                          content_type=content_type)


def _gather(chat_text: ChatText, where: str,
            result: ParseResult) -> list[_Draft]:
    """Headers and their continuation lines. The file's first header sets
    its family: a line in the other family's shape is message text."""
    drafts: list[_Draft] = []
    family = ""
    before_first: list[int] = []
    for number, line in enumerate(chat_text.lines, 1):
        header = match_header(line, number)
        if header is not None and family in ("", header.family):
            family = header.family
            drafts.append(_Draft(header))
        elif drafts:
            drafts[-1].lines.append(line)
        elif line.strip():
            before_first.append(number)
    if before_first and drafts:
        result.skipped.append(Skipped(
            describe_lines(before_first[0], before_first[-1]) + where,
            "text before the first message header; it belongs to no message"))
    last = drafts[-1] if drafts else None
    if (last is not None and last.lines and not chat_text.ends_with_newline
            and partial_header(last.lines[-1])):
        cut = last.lines.pop()
        result.skipped.append(Skipped(f"line {len(chat_text.lines)}{where}",
                                      f"the file ends part way through a message header "
                                      f"(“{cut}”)"))
        result.truncated = True
    return drafts


def _parse(chat_text: ChatText, file_name: str, chat: str, where: str,
           media: _MediaBeside | _MediaInZip,
           day_order: DayOrder | None, result: ParseResult) -> None:
    if chat_text.encoding_note:
        result.notes.append(chat_text.encoding_note[0].upper() + chat_text.encoding_note[1:]
                            + ".")
    drafts = _gather(chat_text, where, result)
    if not drafts:
        raise ExportReadError(f"{file_name} does not look like a WhatsApp chat export "
                              "(no line starts with a date and time as WhatsApp writes them).")
    if chat_text.cut_character is not None:
        result.skipped.append(chat_text.cut_character)
        result.truncated = True
    if drafts[0].header.family == IOS:
        result.format = FORMAT_IOS
    choice = settle_day_order([d.header for d in drafts], file_name, day_order)
    result.day_order, result.day_order_stated = choice.order, choice.stated
    if choice.note:
        result.notes.append(choice.note)

    present = media.names()
    shaped = [_shape(draft, present) for draft in drafts]
    authors = list(dict.fromkeys(s.sender for s in shaped if s.sender))
    others = {name: tuple(a for a in authors if a != name) for name in ["", *authors]}
    no_time = system = 0
    for record, (draft, shape) in enumerate(zip(drafts, shaped), 1):
        local = wall_clock(draft.header, choice.order)
        details = shape.details
        if local is None:
            no_time += 1
            details = _join(f"The date and time as written ({draft.header.stamp_text}) are not "
                            "a possible date and time, so this message has no time.", details)
        attachments = ()
        if shape.mention is not None:
            mention = shape.mention
            attachments = (Attachment(mention.name, note=LEFT_OUT) if mention.omitted
                           else media.attachment(mention.name),)
        system += shape.kind is MessageKind.SYSTEM
        result.messages.append(ParsedMessage(
            record=record, locator=f"line {draft.header.line_number}{where}",
            stamp=Stamp(local=local, text=draft.header.stamp_text), sender=shape.sender,
            text=shape.text, kind=shape.kind, channel=Channel.MESSENGER,
            recipients=others[shape.sender], from_me=None,
            attachments=attachments, chat=chat, details=details))
    _add_notes(result, system, no_time, media)


@dataclass(frozen=True)
class _Shape:
    sender: str
    text: str
    kind: MessageKind
    mention: MediaMention | None
    details: str


def _shape(draft: _Draft, present: set[str]) -> _Shape:
    rest = draft.header.rest
    split = split_author(rest)
    if split is None:
        return _Shape("", "\n".join([rest, *draft.lines]), MessageKind.SYSTEM, None, "")
    author, first_line = split
    if is_encryption_notice(first_line):
        return _Shape("", "\n".join([rest, *draft.lines]), MessageKind.SYSTEM, None,
                      f"WhatsApp's notice on encryption; the export puts the chat's name "
                      f"(“{author}”) before it.")
    text = "\n".join([first_line, *draft.lines])
    return _Shape(author, text, MessageKind.MESSAGE, media_mention(first_line, present),
                  poll_details(text))


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _add_notes(result: ParseResult, system: int, no_time: int,
               media: _MediaBeside | _MediaInZip) -> None:
    result.notes.append("WhatsApp records no time zone: times are the phone's clock. The "
                        "export does not say which author owns the phone.")
    if system:
        result.notes.append(f"{system} system line{'s' if system != 1 else ''} (encryption "
                            "notice, group created, member added...) "
                            f"{'are' if system != 1 else 'is'} listed as system messages.")
    if no_time:
        result.notes.append(f"{no_time} message{'s' if no_time != 1 else ''} "
                            f"{'have' if no_time != 1 else 'has'} a date or time that is not "
                            "possible as written; kept with no time.")
    named = sum(1 for m in result.messages for a in m.attachments if a.note != LEFT_OUT)
    if named:
        result.notes.append(f"{media.found} of {named} attached file"
                            f"{'s' if named != 1 else ''} named in the chat "
                            f"{'were' if media.found != 1 else 'was'} found in the export.")
