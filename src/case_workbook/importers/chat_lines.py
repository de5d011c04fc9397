"""What the plain-text chat readers (WhatsApp, Signal) share: the export's
text cut into numbered lines, and a file an export names looked up beside it.

Lines end at "\\n" only, with one "\\r" before it dropped: a message may hold
other characters Python would also break lines at (U+2028, form feeds...),
and those are part of what was written.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from case_workbook.importers.parsed import Skipped
from case_workbook.importers.source import decode_text

# Marks a phone writes around headers and names; ignored when matching, kept in the text.
INVISIBLE = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"


@dataclass
class ChatText:
    lines: list[str]  # without their line endings
    ends_with_newline: bool
    encoding_note: str  # "" for plain UTF-8
    cut_character: Skipped | None  # the file ends part way through a UTF-8 character


def decode_chat(data: bytes, name: str) -> ChatText:
    """The text of a chat export. A UTF-8 file cut part way through its last
    character is read as UTF-8 up to the cut (not as Windows-1252 throughout)."""
    cut: Skipped | None = None
    codec = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8"
    try:
        data.decode(codec)
    except UnicodeDecodeError as error:
        at_end = error.reason in ("unexpected end of data", "truncated data")
        if at_end and len(data) - error.start < 4:
            cut_at = error.start
            if codec == "utf-8":
                line_number = data.count(b"\n", 0, cut_at) + 1
            else:
                line_number = data[:cut_at].decode(codec, errors="replace").count("\n") + 1
            cut = Skipped(f"line {line_number}", "the file ends part way through a "
                          "character; the last few bytes were not read")
            data = data[:cut_at]
    text, note = decode_text(data, name)
    lines = text.split("\n")
    ends_with_newline = len(lines) > 1 and lines[-1] == ""
    if ends_with_newline:
        lines.pop()
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    return ChatText(lines, ends_with_newline, note, cut)


def plain_file_name(name: str) -> bool:
    """A name that stays in one folder: no path parts, nothing odd."""
    return bool(name) and name not in (".", "..") and "/" not in name and "\\" not in name \
        and "\x00" not in name and len(name) <= 255


def regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def inside(folder: Path, candidate: Path) -> bool:
    """`candidate` (after following links) lies within `folder`."""
    try:
        real_folder = os.path.realpath(folder)
        real_candidate = os.path.realpath(candidate)
        return os.path.commonpath([real_folder, real_candidate]) == real_folder
    except (OSError, ValueError):
        return False


def describe_lines(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}–{last}"
