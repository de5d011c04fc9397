"""Splitting a mailbox (mbox) into its messages line by line, so a mailbox
of gigabytes is never held whole.

A message starts at a line beginning "From " (the classic "From sender
date", Thunderbird's "From - ", Gmail Takeout's "From 1234@xxx") that is
the first line of the file or is followed by a header line ("Name: value").
The second test is ours: writers of the old mbox form (mboxo) leave body
lines starting "From " unescaped, and such a line is followed by more text,
not by a header; and some mailboxes (Thunderbird's) put no blank line
before a separator, so a preceding blank line is not required.

Body lines written ">From " are kept as written: the file does not say
whether the writer escaped them (mboxrd) or not (mboxo), so undoing the
escape could change a line the sender wrote. Messages delimited only by a
Content-Length header (mboxcl) are split at their "From " lines like the
others.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

HEADER_LINE = re.compile(rb"[!-9;-~]+[ \t]*:")
_CUT_FIELD_NAME = re.compile(rb"[!-9;-~]*")  # a header line the end of the file cut short


def _starts_headers(line: bytes) -> bool:
    return bool(HEADER_LINE.match(line)) or (
        not line.endswith(b"\n") and bool(_CUT_FIELD_NAME.fullmatch(line)))
SEPARATOR = b"From "


@dataclass(frozen=True)
class MailChunk:
    offset: int  # where its first line starts
    end: int  # where the next message starts (or the file ends)
    separator: bytes  # the "From " line without its line break; b"" when there is none
    data: bytes  # the message itself: the bytes after the separator line
    sha256: str  # of the bytes offset..end exactly as in the file
    cut: bool  # the file ends part way through it


class _Building:
    def __init__(self, offset: int, separator: bytes = b"") -> None:
        self.offset = offset
        self.separator = separator
        self.lines: list[bytes] = []
        self.digest = hashlib.sha256(separator)

    def add(self, line: bytes) -> None:
        self.lines.append(line)
        self.digest.update(line)

    def worth_keeping(self) -> bool:
        return bool(self.separator) or any(line.strip() for line in self.lines)

    def finish(self, end: int, *, at_end: bool) -> MailChunk:
        data = b"".join(self.lines)
        cut = at_end and (not data or not data.endswith(b"\n"))
        # The blank line a writer puts after each message is the mailbox's, not the message's.
        if data.endswith(b"\r\n\r\n"):
            data = data[:-2]
        elif data.endswith(b"\n\n"):
            data = data[:-1]
        separator = self.separator.rstrip(b"\r\n")
        return MailChunk(self.offset, end, separator, data, self.digest.hexdigest(), cut)


def split_mailbox(lines: Iterable[bytes], start: int = 0) -> Iterator[MailChunk]:
    """The messages in `lines` (the file's lines, line breaks kept), with
    offsets counted from `start`."""
    building = _Building(start)
    position = start
    pending: tuple[bytes, int] | None = None  # a "From " line not yet known to be a separator
    for line in lines:
        if pending is not None:
            from_line, from_offset = pending
            pending = None
            if _starts_headers(line):
                if building.worth_keeping():
                    yield building.finish(from_offset, at_end=False)
                building = _Building(from_offset, from_line)
            else:
                building.add(from_line)
        if line.startswith(SEPARATOR):
            if position == start:
                building = _Building(start, line)
            else:
                pending = (line, position)
        else:
            building.add(line)
        position += len(line)
    if pending is not None:  # the file ends just after a "From " line: a message cut short
        from_line, from_offset = pending
        if building.worth_keeping():
            yield building.finish(from_offset, at_end=False)
        building = _Building(from_offset, from_line)
    if building.worth_keeping():
        yield building.finish(position, at_end=True)
