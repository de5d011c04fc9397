"""Reading an XML file from outside as a stream of element events, safely.

The file is fed to expat in blocks, so a backup of several GB (base64 media)
never sits in memory whole, and it is hashed on the way. A DOCTYPE or an
entity declaration stops the reading at once (`DeclaresEntities`): nothing
is expanded and no external file is ever opened.

Two things real exports do that strict XML refuses are handled here:
- UTF-16 surrogate halves written as numeric references (`&#55357;&#56846;`
  for one emoji) are rewritten to the one character they stand for before
  expat sees them; a half with no partner becomes U+FFFD. The rewrite keeps
  every byte offset and line number of the file (it pads with zeros).
- A file broken part way: reading stops at the break, and when the caller
  names what a record's start tag looks like (`resume`), picks up again at
  the next record. Each break is reported as a `Break` event.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO
from xml.parsers import expat

BLOCK = 1024 * 1024
MAX_BREAKS = 1000  # a file broken this often is not worth picking through further
TAIL = 256  # how much of the file's end is kept to see whether it closes its root

_SURROGATE_REF = re.compile(rb"&#(?:x0{0,4}[dD][89a-fA-F][0-9a-fA-F]{2}|0{0,4}5[5-7][0-9]{3});")
_SURROGATE_REF_END = re.compile(_SURROGATE_REF.pattern + rb"\Z")
_HOLD = 64  # bytes kept back from each block so a reference (or a pair) is never split
_REF_REACH = 24  # the longest reference the rewrite looks for, with room to spare

# expat errors that mean the file simply stopped (copied in part, cut off)
_CUT_SHORT = {expat.errors.codes[message] for message in (
    expat.errors.XML_ERROR_NO_ELEMENTS, expat.errors.XML_ERROR_UNCLOSED_TOKEN,
    expat.errors.XML_ERROR_PARTIAL_CHAR, expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION)}

# expat errors reported where the next token starts (not inside the broken one)
_AT_NEXT_TOKEN = {expat.errors.codes[message] for message in (
    expat.errors.XML_ERROR_INVALID_TOKEN, expat.errors.XML_ERROR_SYNTAX)}

_PLAIN_REASONS = {
    expat.errors.XML_ERROR_SYNTAX: "the XML is not well-formed here",
    expat.errors.XML_ERROR_INVALID_TOKEN: "the XML is not well-formed here",
    expat.errors.XML_ERROR_TAG_MISMATCH: "an element is closed that was not the one open",
    expat.errors.XML_ERROR_UNDEFINED_ENTITY: "it uses an entity (&name;) that XML does not know",
    expat.errors.XML_ERROR_BAD_CHAR_REF: "it refers to a character that cannot exist",
    expat.errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT: "more XML follows the end of the backup",
    expat.errors.XML_ERROR_DUPLICATE_ATTRIBUTE: "an element names the same attribute twice",
    expat.errors.XML_ERROR_NO_ELEMENTS: "the file ends here",
    expat.errors.XML_ERROR_UNCLOSED_TOKEN: "the file ends in the middle of a tag",
    expat.errors.XML_ERROR_PARTIAL_CHAR: "the file ends in the middle of a character",
}


class DeclaresEntities(Exception):
    """The file has a DOCTYPE or declares entities; it was not read further.
    `only_doctype`: a bare `<!DOCTYPE name>`, with no entities or DTD named."""

    def __init__(self, only_doctype: bool = False) -> None:
        super().__init__()
        self.only_doctype = only_doctype


class NotXml(Exception):
    """The file is not XML: it broke before its first element. str() is why."""


class UnknownEncoding(NotXml):
    """The XML declaration names an encoding that cannot be read; str() is its name."""


@dataclass(slots=True)
class Start:
    name: str
    attrs: dict[str, str]
    line: int


@dataclass(slots=True)
class End:
    name: str
    line: int


@dataclass(slots=True)
class Text:
    data: str
    line: int


@dataclass(slots=True)
class Break:
    """The XML stops making sense at `line`. `resumed_line` is where reading
    picked up again (None when it never did); `at_end` says the file ends
    without closing its root element (it was cut short). `started_line` is
    where the record it breaks began, when that is in the same block."""

    line: int
    reason: str
    resumed_line: int | None = None
    at_end: bool = False
    started_line: int | None = None  # where the broken record began, when `resume` finds it


Event = Start | End | Text | Break


def _plain_reason(code: int) -> str:
    message = expat.errors.messages.get(code, "")
    return _PLAIN_REASONS.get(message, f"the XML is broken here ({message or 'unknown error'})")


def _ref_value(ref: bytes) -> int:
    digits = ref[2:-1]
    return int(digits[1:], 16) if digits.startswith(b"x") else int(digits)


def _padded_ref(code_point: int, length: int) -> bytes:
    """`&#...;` for `code_point`, zero-padded to exactly `length` bytes."""
    return b"&#" + str(code_point).encode().rjust(length - 3, b"0") + b";"


class SurrogateMender:
    """Rewrites numeric references to UTF-16 surrogate halves, block by block."""

    def __init__(self) -> None:
        self.held = b""
        self.paired = 0  # pairs made into one character
        self.lone = 0  # halves with no partner, made U+FFFD

    def mend(self, block: bytes) -> bytes:
        data = self.held + block
        cut = max(0, len(data) - _HOLD)
        reach = data.find(b"&", max(0, cut - _REF_REACH), cut)
        if reach >= 0:  # a reference may run over the cut: keep it whole
            cut = reach
            before = _SURROGATE_REF_END.search(data, max(0, cut - _REF_REACH), cut)
            if before and 0xD800 <= _ref_value(before.group()) <= 0xDBFF:
                cut = before.start()  # and a first half just before it, with it
        self.held = data[cut:]
        return self._rewrite(data[:cut])

    def flush(self) -> bytes:
        data, self.held = self.held, b""
        return self._rewrite(data)

    def _rewrite(self, data: bytes) -> bytes:
        if b"&#" not in data:
            return data
        matches = list(_SURROGATE_REF.finditer(data))
        if not matches:
            return data
        out, position, index = [], 0, 0
        while index < len(matches):
            match = matches[index]
            value = _ref_value(match.group())
            index += 1
            if not 0xD800 <= value <= 0xDFFF:
                continue  # 55,000-55,295 and the like: ordinary characters, left alone
            out.append(data[position:match.start()])
            partner = matches[index] if index < len(matches) else None
            if (value <= 0xDBFF and partner is not None and partner.start() == match.end()
                    and 0xDC00 <= (low := _ref_value(partner.group())) <= 0xDFFF):
                code_point = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                out.append(_padded_ref(code_point, partner.end() - match.start()))
                position = partner.end()
                index += 1
                self.paired += 1
            else:
                out.append(_padded_ref(0xFFFD, match.end() - match.start()))
                position = match.end()
                self.lone += 1
        out.append(data[position:])
        return b"".join(out)


class XmlStream:
    """The element events of one XML file, read in blocks; `sha256` and
    `size` are of the whole file once `events()` is exhausted."""

    def __init__(self, handle: BinaryIO, *, resume: re.Pattern[bytes] | None = None,
                 text: bool = False, block: int = BLOCK) -> None:
        self.handle = handle
        self.resume = resume
        self.text = text
        self.block = block
        self.digest = hashlib.sha256()
        self.size = 0
        self.mender = SurrogateMender()
        self.root = ""
        self.encoding: str | None = None
        self.breaks = 0
        self._events: list[Event] = []
        self._byte_base = 0  # stream position of the current parser's byte 0
        self._line_base = 0  # lines of the file before the current parser's line 1
        self._tail = b""
        self._last_event_at = -1  # stream position of the last element start or end

    @property
    def sha256(self) -> str:
        return self.digest.hexdigest()

    # -- the parser -----------------------------------------------------------------------

    def _refuse(self, *_args: object) -> None:
        raise DeclaresEntities()

    def _refuse_doctype(self, _name: str, system_id: str | None, public_id: str | None,
                        has_internal_subset: int) -> None:
        raise DeclaresEntities(only_doctype=not (system_id or public_id or has_internal_subset))

    def _new_parser(self, byte_base: int, line_base: int) -> expat.XMLParserType:
        parser = expat.ParserCreate(self.encoding)
        parser.StartDoctypeDeclHandler = self._refuse_doctype
        parser.EntityDeclHandler = self._refuse
        parser.UnparsedEntityDeclHandler = self._refuse
        parser.NotationDeclHandler = self._refuse
        parser.ExternalEntityRefHandler = self._refuse
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        events = self._events

        def start(name: str, attrs: dict[str, str]) -> None:
            if not self.root:
                self.root = name
            self._last_event_at = byte_base + parser.CurrentByteIndex
            events.append(Start(name, attrs, line_base + parser.CurrentLineNumber))

        def end(name: str) -> None:
            self._last_event_at = byte_base + parser.CurrentByteIndex
            events.append(End(name, line_base + parser.CurrentLineNumber))

        def declaration(_version: str | None, encoding: str | None, _standalone: int) -> None:
            self.encoding = encoding

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.XmlDeclHandler = declaration
        if self.text:
            parser.buffer_text = True
            parser.CharacterDataHandler = lambda data: events.append(
                Text(data, line_base + parser.CurrentLineNumber))
        self._byte_base, self._line_base = byte_base, line_base
        return parser

    def _restart_parser(self, byte_base: int, line_base: int) -> expat.XMLParserType:
        try:
            return self._new_parser(byte_base, line_base)
        except (ValueError, LookupError):  # an encoding expat does not know: read as UTF-8
            self.encoding = None
            return self._new_parser(byte_base, line_base)

    # -- reading --------------------------------------------------------------------------

    def _chunks(self) -> Iterator[bytes]:
        while block := self.handle.read(self.block):
            self.digest.update(block)
            self.size += len(block)
            yield self.mender.mend(block)
        yield self.mender.flush()

    def events(self) -> Iterator[Event]:
        parser: expat.XMLParserType | None = self._new_parser(0, 0)
        position = 0  # stream position of `data`
        lines = 0  # newlines before `data`
        pending: Break | None = None  # a break still looking for a place to resume
        carry = b""  # the end of the last chunk, while looking
        previous = b""  # the last chunk read
        for data in self._chunks():
            self._tail = (self._tail + data)[-TAIL:]
            if parser is None and carry:  # a record's start tag may run over the chunk edge
                position, lines = position - len(carry), lines - carry.count(b"\n")
                data, previous = carry + data, previous[:-len(carry)]
            offset, resumed_at = 0, -1
            while offset < len(data):
                if parser is None:
                    found = self._find_resume(data, offset)
                    if found is None:
                        carry = data[-16:]
                        break
                    line = lines + data.count(b"\n", 0, found) + 1
                    if pending is not None:
                        pending.resumed_line = line
                        yield pending
                    pending, carry, resumed_at = None, b"", found
                    prefix = f"<{self.root}>".encode()
                    parser = self._restart_parser(position + found - len(prefix), line - 1)
                    self._parse(parser, prefix)
                    offset = found
                try:
                    self._parse(parser, data[offset:] if offset else data)
                    offset = len(data)
                except expat.ExpatError as error:
                    yield from self._drain()
                    pending, at = self._broken(parser, error)
                    parser = None
                    pending.started_line = self._record_line(
                        previous + data, position - len(previous),
                        lines - previous.count(b"\n"), at)
                    # a tag left open just before a good record breaks at that record's
                    # "<", so look from the error on; other errors (an unknown entity in
                    # an attribute) are reported at the start of the broken tag itself
                    after = 0 if error.code in _AT_NEXT_TOKEN else 1
                    offset = max(at - position + after, resumed_at + 1, 0)
                yield from self._drain()
            position += len(data)
            lines += data.count(b"\n")
            previous = data  # a broken record may have begun in it
        if parser is not None:
            try:
                self._parse(parser, b"", final=True)
            except expat.ExpatError as error:
                yield from self._drain()
                pending, at = self._broken(parser, error)
                pending.started_line = self._record_line(
                    previous, position - len(previous), lines - previous.count(b"\n"), at)
                pending.at_end = error.code in _CUT_SHORT or not self._closes_root()
        elif pending is not None:
            pending.at_end = not self._closes_root()
        yield from self._drain()
        if pending is not None:
            yield pending

    def _parse(self, parser: expat.XMLParserType, data: bytes, final: bool = False) -> None:
        try:
            parser.Parse(data, final)
        except (LookupError, ValueError):  # pyexpat's complaint about the declared encoding
            raise UnknownEncoding(str(self.encoding or "")[:40]) from None

    def _broken(self, parser: expat.XMLParserType, error: expat.ExpatError) -> tuple[Break, int]:
        """The break `error` makes, and its position in the stream."""
        if not self.root:
            raise NotXml(_plain_reason(error.code))
        self.breaks += 1
        at = self._byte_base + max(0, parser.ErrorByteIndex)
        return Break(self._line_base + (error.lineno or 1), _plain_reason(error.code)), at

    def _record_line(self, data: bytes, position: int, lines: int, at: int) -> int | None:
        """The line of the last record start between the last good element and `at`."""
        if self.resume is None:
            return None
        low, high = max(0, self._last_event_at + 1 - position), min(len(data), at - position + 1)
        last = None
        for last in self.resume.finditer(data, low, max(low, high)):
            pass
        return None if last is None else lines + data.count(b"\n", 0, last.start()) + 1

    def _find_resume(self, data: bytes, offset: int) -> int | None:
        if self.resume is None or self.breaks >= MAX_BREAKS:
            return None
        match = self.resume.search(data, offset)
        return match.start() if match else None

    def _closes_root(self) -> bool:
        return self._tail.rstrip().endswith(f"</{self.root}>".encode())

    def _drain(self) -> Iterator[Event]:
        if self._events:
            events = self._events[:]
            self._events.clear()
            yield from events
