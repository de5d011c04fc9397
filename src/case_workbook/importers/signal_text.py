"""A Signal chat written as text by signal-export (Signal itself has no text
export): `[2019-12-24, 12:23] Name: text` in older versions, `[2019-12-24
12:23:45] Name: text` in newer ones, one file per chat (`chat.md` in a
folder named after the chat). Lines that do not start with a stamp continue
the message before them.

Images are `![name](path)` and other files `[name](path)`, the path relative
to the export's folder (signal-export writes spaces as %20). The stamp is
the exporting computer's wall clock, with no zone. signal-export names the
exporting person "Me"; when a file uses that name, "Me" is taken as sent by
the exporting person and every other sender as received.
"""

from __future__ import annotations

import mimetypes
import os
import re
from datetime import datetime
from pathlib import Path

from case_workbook.importers.chat_lines import (
    INVISIBLE,
    decode_chat,
    describe_lines,
    inside,
    regular_file,
)
from case_workbook.importers.parsed import (
    Attachment,
    DayOrder,
    ExportReadError,
    MessageKind,
    ParsedMessage,
    ParseResult,
    Skipped,
    Stamp,
)
from case_workbook.importers.source import read_bytes
from case_workbook.model.items import Channel

FORMAT = "Signal chat export (signal-export text)"
ME = "Me"  # signal-export's name for the exporting person

_HEADER = re.compile(r"\[(?P<stamp>(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2}),? "
                     r"(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)\](?: |$)"
                     r"(?P<rest>.*)", re.DOTALL)
_PARTIAL_HEADER = re.compile(r"\[\d{1,4}(?:-[\d\-, :]{0,15}\]?)?")
_OLD_STYLE = re.compile(r"\[\d{4}-\d{2}-\d{2}, \d{2}:\d{2}\] ")
_LINK = re.compile(r"(?P<image>!?)\[(?P<name>[^\[\]\n]{0,255})\]\((?P<target>[^()\s]{1,1024})\)")
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_CALL = re.compile(r"(?:(?:Incoming|Outgoing) (?:voice |video )?call(?: \([^()]{1,60}\))?"
                   r"|Missed (?:voice |video )?call)")


def looks_like(path: Path, head: bytes) -> bool:
    """An old-style stamp (`[2019-12-24, 12:23] `) opening the file, or the
    newer one (`[2019-12-24 12:23:45] `) in a `.md` file: WhatsApp in some
    languages writes the newer shape too."""
    try:
        text = head.decode("utf-8", errors="replace").lstrip(INVISIBLE + "\r\n ")
        first = text.split("\n", 1)[0]
        if _OLD_STYLE.match(first):
            return True
        return path.suffix.lower() == ".md" and _HEADER.match(first) is not None
    except Exception:  # detection never raises
        return False


def read(path: Path, *, day_order: DayOrder | None = None) -> ParseResult:
    """`day_order` is accepted and ignored: the stamps are year-month-day."""
    try:
        return _read(Path(path))
    except (ExportReadError, MemoryError):
        raise
    except Exception:  # every other failure is one sentence, as readers promise
        raise ExportReadError(f"{Path(path).name} could not be read as a Signal chat "
                              "export.") from None


def _read(path: Path) -> ParseResult:
    data, sha256 = read_bytes(path)
    result = ParseResult(FORMAT, path, sha256, len(data))
    chat_text = decode_chat(data, path.name)
    if chat_text.encoding_note:
        note = chat_text.encoding_note
        result.notes.append(note[0].upper() + note[1:] + ".")
    drafts: list[tuple[int, re.Match[str], list[str]]] = []
    before_first: list[int] = []
    for number, line in enumerate(chat_text.lines, 1):
        found = _HEADER.match(line.lstrip(INVISIBLE))
        if found is not None:
            drafts.append((number, found, []))
        elif drafts:
            drafts[-1][2].append(line)
        elif line.strip():
            before_first.append(number)
    if not drafts:
        raise ExportReadError(f"{path.name} does not look like a Signal chat export "
                              "(no line starts with a stamp such as [2020-01-17, 21:49]).")
    last_lines = drafts[-1][2]
    if (last_lines and not chat_text.ends_with_newline
            and _PARTIAL_HEADER.fullmatch(last_lines[-1])):
        cut = last_lines.pop()
        result.skipped.append(Skipped(f"line {len(chat_text.lines)}", "the file ends part "
                                      f"way through a message's stamp (“{cut}”)"))
        result.truncated = True
    if before_first:
        result.skipped.append(Skipped(describe_lines(before_first[0], before_first[-1]),
                                      "text before the first message; it belongs to no "
                                      "message"))
    if chat_text.cut_character is not None:
        result.skipped.append(chat_text.cut_character)
        result.truncated = True

    parts = [_split(found["rest"], lines) for _, found, lines in drafts]
    authors = list(dict.fromkeys(sender for sender, _, _ in parts if sender))
    me_named = ME in authors
    chat = path.parent.name if path.name.lower() == "chat.md" else ""
    no_time = 0
    for record, ((number, found, _), (sender, text, kind)) in enumerate(zip(drafts, parts), 1):
        local = _wall_clock(found)
        details = _details(text, kind)
        if local is None:
            no_time += 1
            details = (f"The date and time as written ({found['stamp']}) are not a possible "
                       "date and time, so this message has no time. " + details).strip()
        from_me = (sender == ME) if me_named and sender else None
        result.messages.append(ParsedMessage(
            record=record, locator=f"line {number}",
            stamp=Stamp(local=local, text=found["stamp"]), sender=sender, text=text,
            kind=kind, channel=Channel.MESSENGER,
            recipients=tuple(a for a in authors if a != sender), from_me=from_me,
            attachments=_attachments(text, path), chat=chat, details=details))
    _add_notes(result, me_named, no_time)
    return result


def _split(rest: str, lines: list[str]) -> tuple[str, str, MessageKind]:
    colon = rest.find(": ")
    if colon <= 0:
        return "", "\n".join([rest, *lines]), MessageKind.SYSTEM
    text = "\n".join([rest[colon + 2:], *lines])
    call = _CALL.fullmatch(text.rstrip(" "))
    return rest[:colon], text, MessageKind.CALL if call else MessageKind.MESSAGE


def _wall_clock(found: re.Match[str]) -> datetime | None:
    try:
        return datetime(int(found["year"]), int(found["month"]), int(found["day"]),
                        int(found["hour"]), int(found["minute"]), int(found["second"] or 0))
    except ValueError:
        return None


def _details(text: str, kind: MessageKind) -> str:
    said = []
    if kind is MessageKind.CALL:
        said.append("A call, as signal-export records it.")
    if text.rstrip(" ") == "(This message was deleted)":
        said.append("signal-export marks this message as deleted.")
    if "\n> " in text:
        said.append("The message quotes an earlier one (the lines starting with “> ”).")
    if "\n(- " in text:
        said.append("Reactions are listed in the text (the line in “(- … -)”).")
    return " ".join(said)


def _unescape(target: str) -> str:
    return _PERCENT.sub(lambda m: chr(int(m[1], 16)), target)


def _attachments(text: str, export: Path) -> tuple[Attachment, ...]:
    found = []
    for link in _LINK.finditer(text):
        name, target = link["name"], link["target"]
        if ":" in target.split("/", 1)[0] or target.startswith(("/", "\\")):
            continue  # a web link or an absolute path is not a file of the export
        found.append(_attachment(name or Path(target).name, target, export))
    return tuple(found)


def _attachment(name: str, target: str, export: Path) -> Attachment:
    content_type = mimetypes.guess_type(target)[0] or ""
    folder = export.parent
    # Stickers sit beside the chat folders, in the export's exported_stickers.
    allowed = (folder, folder.parent / "exported_stickers")
    for relative in dict.fromkeys((target, _unescape(target))):
        candidate = Path(os.path.normpath(folder / relative))
        if not any(inside(root, candidate) for root in allowed):
            return Attachment(name, content_type=content_type,
                              note=f"the export names {target}, outside its own folder")
        if regular_file(candidate):
            return Attachment(name, path=candidate, content_type=content_type)
    return Attachment(name, content_type=content_type, note="not included in the export")


def _add_notes(result: ParseResult, me_named: bool, no_time: int) -> None:
    result.notes.append("The times are the exporting computer's clock; no time zone is "
                        "recorded.")
    if me_named:
        result.notes.append("signal-export names the exporting person “Me”: messages from "
                            "“Me” are marked as sent by them, all others as received.")
    if no_time:
        result.notes.append(f"{no_time} message{'s' if no_time != 1 else ''} "
                            f"{'have' if no_time != 1 else 'has'} a date or time that is not "
                            "possible as written; kept with no time.")
