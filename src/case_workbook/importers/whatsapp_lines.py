"""The line grammar of a WhatsApp chat export: which lines start a message,
and what a message's body says about media.

A header is a date, a time with an optional 12-hour marker, then either
`] ` (iPhone: the stamp in square brackets) or ` - ` (Android). What follows
is `Author: text`, or a system line with no author. Every quantifier below is
bounded or anchored next to a fixed character, so no line can make the
matching slow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from case_workbook.importers.chat_lines import INVISIBLE

IOS = "iOS"
ANDROID = "Android"

_DATE = (r"(?P<date>(?P<d1>\d{1,4})(?P<sep>[./-]) ?(?P<d2>\d{1,2})(?P=sep) ?(?P<d3>\d{1,4}))")
# A comma or dot, spaces, and perhaps one short word ("klo", "um", "à") before the time.
_BETWEEN = r"\.?,? {0,2}[ \u00a0\u202f](?:[^\W\d_]{1,12}\.? )?"
_TIME = r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2}))?"
_MARKER = r"(?:[ \u00a0\u202f]{0,2}(?P<marker>[AaPp]\.?[ \u00a0\u202f]?[Mm]\.?))?"
_STAMP = f"(?P<stamp>{_DATE}{_BETWEEN}{_TIME}{_MARKER})"

_IOS_HEADER = re.compile(r"\[" + _STAMP + r"\](?: |$)(?P<rest>.*)", re.DOTALL)
_ANDROID_HEADER = re.compile(_STAMP + r" [-\u2013](?: |$)(?P<rest>.*)", re.DOTALL)

# What the last line of a file cut part way through a header can look like.
_PARTIAL_HEADER = re.compile(r"\[?\d{1,4}[./-][\d./\-, :\u00a0\u202fAaPpMm]{0,24}\]?[ -]{0,3}")

# Signal-export's stamp, `[2019-12-24, 12:23]`, is left to the Signal reader.
_SIGNAL_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}, \d{2}:\d{2}")


@dataclass(frozen=True)
class Header:
    line_number: int
    family: str  # IOS or ANDROID
    stamp_text: str  # the date and time exactly as written
    date_text: str
    first: str  # the three date fields as written
    second: str
    third: str
    hour: int
    minute: int
    second_of_minute: int
    marker: str  # "" or the 12-hour marker as written
    rest: str  # everything after the header


def match_header(line: str, line_number: int) -> Header | None:
    start = len(line) - len(line.lstrip(INVISIBLE))
    if start < len(line) and line[start] == "[":
        found, family = _IOS_HEADER.match(line, start), IOS
    else:
        found, family = _ANDROID_HEADER.match(line, start), ANDROID
    if found is None:
        return None
    second = found["second"]
    return Header(line_number, family, found["stamp"], found["date"], found["d1"], found["d2"],
                  found["d3"], int(found["hour"]), int(found["minute"]),
                  int(second) if second else 0, found["marker"] or "", found["rest"])


def looks_like_signal(header: Header) -> bool:
    return header.family == IOS and _SIGNAL_STAMP.fullmatch(header.stamp_text) is not None


def partial_header(line: str) -> bool:
    """A last line that is only the beginning of a header: the file was cut there."""
    return _PARTIAL_HEADER.fullmatch(line.lstrip(INVISIBLE)) is not None


def split_author(rest: str) -> tuple[str, str] | None:
    """(author, first line of the body), or None for a system line. The
    author ends at the first `: `, or at a `:` that ends the line (an empty
    body). `Name:.` and the like are left whole as a system line: we do not
    know that syntax, and the name stays in the text."""
    colon = rest.find(": ")
    if colon > 0:
        return rest[:colon], rest[colon + 2:]
    if rest.endswith(":") and len(rest) > 1 and ":" not in rest[:-1]:
        return rest[:-1], ""
    return None


_ENCRYPTION_NOTICES = (
    "Messages and calls are end-to-end encrypted",
    "Messages to this group are now secured with end-to-end encryption",
    "Messages to this chat and calls are now secured with end-to-end encryption",
    "Messages you send to this chat and calls are now secured with end-to-end encryption",
    "Messages you send to this group are now secured with end-to-end encryption",
)


def is_encryption_notice(body: str) -> bool:
    """WhatsApp's English notice on encryption, which an iPhone export
    attributes to the chat's name. Other languages are not recognised."""
    return body.lstrip(INVISIBLE).startswith(_ENCRYPTION_NOTICES)


@dataclass(frozen=True)
class MediaMention:
    name: str
    omitted: bool  # WhatsApp left the file out of the export
    marker: str  # the words around the name ("attached", "file attached", "omitted")


_IOS_ATTACHED = re.compile(r"<(?P<word>[^<>:\d]{1,30}): (?P<name>[^<>/\\]{1,255}\.\w{1,10})>")
_ANDROID_ATTACHED = re.compile(r"(?P<name>[^/\\]{1,255}\.\w{1,10}) \((?P<word>[^()]{1,40})\)")
_ANDROID_MEDIA_NAME = re.compile(r"(?:IMG|VID|AUD|PTT|STK|DOC)-\d{8}-WA\d{1,6}\.\w{1,10}")
_ANDROID_ATTACHED_WORDS = {"file attached", "datei angehängt"}
_ANDROID_OMITTED = {"<media omitted>", "<medien ausgeschlossen>", "<media weggelaten>",
                    "<média vynechána>"}
_IOS_OMITTED = re.compile(r"(image|video|audio|sticker|GIF|Contact card) omitted")
_IOS_DOCUMENT_OMITTED = re.compile(r"(?P<name>.{1,255}?)[ \u00a0\u200e]*document omitted")


def media_mention(first_line: str, present: set[str]) -> MediaMention | None:
    """The media a message's first line names, if any. `<insert cool place
    here>` is not one: an attachment has `<word: file.ext>`. Android's
    `name (file attached)` is accepted in English and German, for WhatsApp's
    own media names, or when the named file is in the export (`present`)."""
    line = first_line.strip(INVISIBLE + " ")
    if found := _IOS_ATTACHED.fullmatch(line):
        return MediaMention(found["name"], False, found["word"])
    if found := _ANDROID_ATTACHED.fullmatch(line):
        name, word = found["name"], found["word"]
        if (word.lower() in _ANDROID_ATTACHED_WORDS or _ANDROID_MEDIA_NAME.fullmatch(name)
                or name in present):
            return MediaMention(name, False, word)
    if line.lower() in _ANDROID_OMITTED:
        return MediaMention("media", True, line)
    if found := _IOS_OMITTED.fullmatch(line):
        return MediaMention(found[1].lower(), True, line)
    if found := _IOS_DOCUMENT_OMITTED.fullmatch(line):
        name = found["name"].strip(INVISIBLE + " \u00a0")
        return MediaMention(name or "document", True, line)
    return None


def poll_details(text: str) -> str:
    """A poll's question and options in plain words, or "" when not a poll."""
    lines = text.split("\n")
    if lines[0].strip(INVISIBLE + " ") != "POLL:" or len(lines) < 2:
        return ""
    options = [line[len("OPTION: "):] for line in lines[2:] if line.startswith("OPTION: ")]
    shown = "; ".join(options) if options else "none listed"
    return f"A poll: “{lines[1]}”. Options: {shown}."
