"""A returned workbook's zip, looked over before openpyxl reads any of it.

A workbook comes back from outside, so it may be made to hurt the reader:
a part that inflates to gigabytes (a zip bomb, with sizes stated honestly or
not), a compression method whose decompressor cannot be stopped part way
(bzip2, LZMA), or XML with a DTD, whose entities can expand a few bytes into
gigabytes or point at files on this computer. Excel and LibreOffice write
none of these: parts deflated or stored, no DTD, sizes that add up. So a
workbook with any of them is refused in one sentence before it is read.

Every part is inflated once here, a block at a time, so what the parts truly
hold is counted and checked against their stated size and CRC, and the start
of each XML part is given to expat to see whether a DTD comes before its
first element. openpyxl (without defusedxml, which is not installed) and our
own sheet reader parse these same bytes with the same expat afterwards, and
would expand internal entities. This costs about 0.7 s on a 50,000-item
workbook (240 MB inflated), about 4% of reading it back.
"""

from __future__ import annotations

import contextlib
import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO
from xml.parsers import expat

MAX_TOTAL = 2 * 1024**3  # every part inflated; a 50,000-item export is about 240 MB
# Our parts inflate 3 to 10 times, and spreadsheet programs' similarly; a
# deflate bomb 160 to 1,000 times. Small parts may compress better (repeated tags).
MAX_RATIO = 100
RATIO_FLOOR = 1024**2
PROLOG_LIMIT = 1024**2  # what may come before a part's first element
BLOCK = 1024**2


class UnsafeWorkbook(Exception):
    """A workbook refused before it is read; str() is one sentence."""


class _Doctype(Exception):
    pass


class _Element(Exception):
    pass


class _NoStart(Exception):
    pass


def check_package(source: Path | io.BytesIO, name: str) -> None:
    """Raise UnsafeWorkbook if the zip at `source` has a part that is a bomb,
    compressed by a method other than deflate, encrypted, or XML with a DTD.
    A zip that is broken raises zipfile's or zlib's own errors."""
    with zipfile.ZipFile(source) as package:
        parts = package.infolist()
        total = 0
        for part in parts:
            if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) \
                    or part.flag_bits & 0x1:
                raise UnsafeWorkbook(f"{name} was not read: it is packed in a way (compression "
                                     "or encryption of its parts) that spreadsheet programs "
                                     "do not use.")
            total += part.file_size
            if part.file_size > max(RATIO_FLOOR, MAX_RATIO * part.compress_size):
                raise _bomb(name)
        if total > MAX_TOTAL:
            raise _bomb(name)
    with _opened(source) as handle:
        for part in parts:
            try:
                doctype = _has_doctype(_blocks(handle, part, name))
            except _NoStart:
                raise UnsafeWorkbook(f"{name} is damaged: one of its parts does not start "
                                     "as the parts of a workbook do.") from None
            if doctype:
                raise UnsafeWorkbook(f"{name} was not read: it holds XML with a document type "
                                     "declaration (DTD), which spreadsheet programs never "
                                     "write and which can be used to attack the reader.")


def _bomb(name: str) -> UnsafeWorkbook:
    return UnsafeWorkbook(f"{name} was not read: its parts would expand to far more than a "
                          "workbook holds (it may be a zip bomb).")


@contextlib.contextmanager
def _opened(source: Path | io.BytesIO) -> Iterator[BinaryIO]:
    if isinstance(source, io.BytesIO):
        yield source
        return
    with open(source, "rb") as handle:
        yield handle


def _blocks(handle: BinaryIO, part: zipfile.ZipInfo, name: str) -> Iterator[bytes]:
    """The part's bytes, inflated here a block at a time rather than by
    zipfile: zipfile stops a stream at the size the headers state, but its
    read() of a whole part inflates all there is first, which a part that
    states a small size can make gigabytes."""
    handle.seek(part.header_offset)
    head = handle.read(30)
    if len(head) != 30 or head[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("no local header")
    name_length, extra_length = struct.unpack("<HH", head[26:30])
    handle.seek(part.header_offset + 30 + name_length + extra_length)
    inflate = zlib.decompressobj(-15) if part.compress_type == zipfile.ZIP_DEFLATED else None
    left, made, crc = part.compress_size, 0, 0
    while left:
        data = handle.read(min(BLOCK, left))
        if not data:
            raise zipfile.BadZipFile("cut short")
        left -= len(data)
        while data:
            if inflate is None:
                out, data = data, b""
            else:
                out = inflate.decompress(data, BLOCK)
                data = inflate.unconsumed_tail
            made += len(out)
            if made > part.file_size:
                raise _bomb(name)
            crc = zlib.crc32(out, crc)
            yield out
    if made != part.file_size or crc != part.CRC:
        raise zipfile.BadZipFile("a part is not what its headers say")


def _has_doctype(blocks: Iterator[bytes]) -> bool:
    """Read all the blocks; True if they are XML whose prolog declares a
    document type (a DTD comes only before the first element)."""
    parser = expat.ParserCreate()

    def doctype(*_: object) -> None:
        raise _Doctype

    def element(*_: object) -> None:
        raise _Element

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = element
    looking, seen, found = True, 0, False
    for block in blocks:
        if not looking:
            continue  # read on: the size and the CRC are checked at the end
        seen += len(block)
        try:
            parser.Parse(block, False)
        except _Doctype:
            found, looking = True, False
        except (_Element, expat.ExpatError):  # its first element, or not XML at all
            looking = False
        if looking and seen > PROLOG_LIMIT:
            raise _NoStart
    return found
