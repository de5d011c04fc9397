"""The workbook family of the hostile-file corpus: zips that are cut short or
inflate to gigabytes, XML with entity expansion or a DTD, the hidden case
data missing, edited or a bomb itself, sheets missing, renamed or stating
absurd sizes. Each is fed to `case-workbook import W.xlsx -o new.cwb`.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import zipfile
from pathlib import Path

from deflate_bomb import crc32_repeating, deflate_repeating, zlib_zeros
from hostile_corpus import Base, entry, noise
from hostile_zip import BZIP2, DEFLATED, STORED, Member, read_members, write_workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CHRONOLOGY = "xl/worksheets/sheet2.xml"
DATA = "xl/worksheets/sheet13.xml"  # the hidden case data (the last sheet)
GIB = 1 << 30

LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">'
                    for n in range(1, 10)).replace("&lol0;", "&lol;") + "]>")


def _import(folder: Path) -> list[str]:
    return ["import", "w.xlsx", "-o", "new.cwb"]


def _members(base: Base) -> dict[str, bytes]:
    members = read_members(base.workbook)
    assert CHRONOLOGY in members and b"case-workbook data" in members[DATA]
    return members


def _rewrite(folder: Path, base: Base, name: str, change) -> list[str]:
    members = _members(base)
    members[name] = change(members[name])
    write_workbook(folder / "w.xlsx", members)
    return _import(folder)


def _sub(pattern: bytes, new: bytes, count: int = 1):
    def change(data: bytes) -> bytes:
        changed, made = re.subn(pattern, new, data, count=count)
        assert made, pattern
        return changed
    return change


def _bomb(name: str, unit: bytes, total: int, head: bytes = b"", tail: bytes = b"") -> Member:
    """A member that truly inflates to `total` bytes (with its true CRC)."""
    return Member(name, deflate_repeating(unit, total, head, tail), DEFLATED,
                  crc32_repeating(unit, total, head, tail), len(head) + total + len(tail))


@entry("workbook", "truncated-zip")
def _(folder, base):
    data = base.workbook.read_bytes()
    (folder / "w.xlsx").write_bytes(data[: len(data) // 2])
    return _import(folder)


@entry("workbook", "central-directory-cut")
def _(folder, base):
    (folder / "w.xlsx").write_bytes(base.workbook.read_bytes()[:-30])
    return _import(folder)


@entry("workbook", "zip-bomb-sheet-2-gib")
def _(folder, base):
    # Valid rows (no size stated) to 2 GiB: read as rows it would fill any memory.
    row = b"<row><c t=\"inlineStr\"><is><t>x</t></is></c></row>".ljust(64)
    head = f'<worksheet xmlns="{MAIN}"><sheetData>'.encode()
    write_workbook(folder / "w.xlsx", _members(base), {
        CHRONOLOGY: _bomb(CHRONOLOGY, row, 2 * GIB, head, b"</sheetData></worksheet>")})
    return _import(folder)


@entry("workbook", "zip-bomb-workbook-xml")
def _(folder, base):
    original = _members(base)["xl/workbook.xml"]
    cut = original.index(b"<sheets>")
    name = "xl/workbook.xml"
    write_workbook(folder / "w.xlsx", _members(base), {
        name: _bomb(name, b" ", GIB + GIB // 2, original[:cut], original[cut:])})
    return _import(folder)


@entry("workbook", "zip-bomb-with-lying-size")
def _(folder, base):
    # The headers state the part's true small size; the stream inflates to 1.5 GiB.
    name = "[Content_Types].xml"
    true = _members(base)[name]
    bomb = deflate_repeating(b" ", GIB + GIB // 2, true)
    members = _members(base)
    write_workbook(folder / "w.xlsx", members, {
        name: Member(name, bomb, DEFLATED, zipfile.crc32(true), len(true))})
    return _import(folder)


@entry("workbook", "bzip2-member")
def _(folder, base):
    members = _members(base)
    write_workbook(folder / "w.xlsx", members,
                   {DATA: Member.of(DATA, members[DATA], method=BZIP2)})
    return _import(folder)


@entry("workbook", "billion-laughs-in-sheet")
def _(folder, base):
    return _rewrite(folder, base, CHRONOLOGY, lambda data: LAUGHS.encode() + data.replace(
        b"<t>", b"<t>&lol9;", 1))


@entry("workbook", "billion-laughs-in-shared-strings")
def _(folder, base):
    members = _members(base)
    members["xl/sharedStrings.xml"] = (LAUGHS + f'<sst xmlns="{MAIN}" count="1" uniqueCount="1">'
                                       "<si><t>&lol9;</t></si></sst>").encode()
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings" Target="/xl/sharedStrings.xml" '
        b'Id="rIdS" /></Relationships>')
    write_workbook(folder / "w.xlsx", members)
    return _import(folder)


@entry("workbook", "billion-laughs-in-workbook-xml")
def _(folder, base):
    return _rewrite(folder, base, "xl/workbook.xml", lambda data: LAUGHS.encode() + data.replace(
        b'name="Cover"', b'name="&lol9;"', 1))


@entry("workbook", "external-entity-in-sheet")
def _(folder, base):
    dtd = b'<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    return _rewrite(folder, base, CHRONOLOGY, lambda data: dtd + data.replace(
        b"<t>", b"<t>&secret;", 1))


@entry("workbook", "internal-dtd-in-content-types")
def _(folder, base):
    # Harmless on its face, and no program that saves a workbook writes one.
    dtd = b'<!DOCTYPE Types [<!ENTITY x "unused">]>'
    return _rewrite(folder, base, "[Content_Types].xml", lambda data: dtd + data)


@entry("workbook", "external-dtd-in-styles")
def _(folder, base):
    dtd = b'<!DOCTYPE styleSheet SYSTEM "http://example.invalid/styles.dtd">'
    return _rewrite(folder, base, "xl/styles.xml", lambda data: dtd + data)


@entry("workbook", "doctype-in-utf16-theme")
def _(folder, base):
    dtd = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY x "y">]>'
    return _rewrite(folder, base, "xl/theme/theme1.xml",
                    lambda data: (dtd + data.decode("utf-8")).encode("utf-16"))


@entry("workbook", "hidden-data-missing")
def _(folder, base):
    return _rewrite(folder, base, "xl/workbook.xml",
                    _sub(rb'<sheet name="case-workbook data"[^>]*/>', b""))


@entry("workbook", "hidden-data-renamed")
def _(folder, base):
    return _rewrite(folder, base, "xl/workbook.xml",
                    _sub(b'name="case-workbook data"', b'name="Sheet13"'))


def _piece_edit(data: bytes) -> bytes:
    at = data.index(b"<t>", data.index(b'r="A2"')) + 20
    swapped = b"B" if data[at:at + 1] != b"B" else b"C"
    return data[:at] + swapped + data[at + 1:]


@entry("workbook", "hidden-data-edited")
def _(folder, base):
    return _rewrite(folder, base, DATA, _piece_edit)


@entry("workbook", "hidden-data-wrong-piece-count")
def _(folder, base):
    return _rewrite(folder, base, DATA, _sub(rb"<v>(\d+)</v></c></row></sheetData>",
                                             b"<v>999</v></c></row></sheetData>"))


@entry("workbook", "hidden-data-newer-version")
def _(folder, base):
    return _rewrite(folder, base, DATA, _sub(b'<c r="B1" t="n"><v>1</v>',
                                             b'<c r="B1" t="n"><v>2</v>'))


@entry("workbook", "hidden-data-is-a-zlib-bomb")
def _(folder, base):
    # The case data inflates to 1.25 GiB; its stated hash is that of what it inflates to.
    size = GIB + GIB // 4
    text = base64.b64encode(zlib_zeros(size)).decode()
    pieces = [text[n:n + 32_000] for n in range(0, len(text), 32_000)]
    digest = hashlib.sha256()
    zeros = bytes(1 << 24)
    for _ in range(size // len(zeros)):
        digest.update(zeros)
    rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>case-workbook data</t></is></c>'
            '<c r="B1" t="n"><v>1</v></c></row>']
    rows += [f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{piece}</t></is></c></row>'
             for n, piece in enumerate(pieces, start=2)]
    n = len(pieces) + 2
    rows.append(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>sha256</t></is></c>'
                f'<c r="B{n}" t="inlineStr"><is><t>{digest.hexdigest()}</t></is></c>'
                f'<c r="C{n}" t="inlineStr"><is><t>pieces</t></is></c>'
                f'<c r="D{n}" t="n"><v>{len(pieces)}</v></c></row>')
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>{"".join(rows)}</sheetData></worksheet>'
    # Stored, not deflated: the zip's own ratio check is not what refuses it.
    write_workbook(folder / "w.xlsx", _members(base),
                   {DATA: Member.of(DATA, sheet.encode(), method=STORED)})
    return _import(folder)


@entry("workbook", "hidden-data-row-number-beyond-excel")
def _(folder, base):
    # No stated size, and a row numbered 10^11 between the pieces.
    renumber = _sub(b'<row r="3"', b'<row r="99999999999"')
    return _rewrite(folder, base, DATA,
                    lambda data: renumber(re.sub(rb"<dimension [^>]*/>", b"", data)))


@entry("workbook", "sheet-row-number-beyond-excel")
def _(folder, base):
    renumber = _sub(b'<row r="3"', b'<row r="2000000000"')
    return _rewrite(folder, base, CHRONOLOGY,
                    lambda data: renumber(re.sub(rb"<dimension [^>]*/>", b"", data)))


@entry("workbook", "sheet-states-absurd-size")
def _(folder, base):
    # 18,278 columns stated, and 60,000 short rows: padded, over a billion cells.
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n * 7919 % 100_003}</v></c></row>'
                   for n in range(2, 60_002))
    return _rewrite(folder, base, CHRONOLOGY, lambda data: re.sub(
        rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:ZZZ1048576"/>', data).replace(
        b"</sheetData>", rows.encode() + b"</sheetData>"))


@entry("workbook", "shared-string-index-out-of-range")
def _(folder, base):
    return _rewrite(folder, base, CHRONOLOGY, _sub(
        rb'<c r="E2" s="2" t="inlineStr"><is><t>[^<]*</t></is></c>',
        b'<c r="E2" t="s"><v>99999</v></c>'))


@entry("workbook", "hidden-data-part-missing")
def _(folder, base):
    members = _members(base)
    del members[DATA]
    write_workbook(folder / "w.xlsx", members)
    return _import(folder)


@entry("workbook", "sheet-is-not-xml")
def _(folder, base):
    members = _members(base)
    members[CHRONOLOGY] = noise(64 * 1024)
    write_workbook(folder / "w.xlsx", members)
    return _import(folder)


@entry("workbook", "part-encrypted-by-zip")
def _(folder, base):
    # Flagged as encrypted the old zip way, which no spreadsheet program uses.
    members = _members(base)
    part = Member.of(DATA, members[DATA])
    part.flags = 0x1
    write_workbook(folder / "w.xlsx", members, {DATA: part})
    return _import(folder)


@entry("workbook", "zip-that-is-not-a-workbook")
def _(folder, base):
    write_workbook(folder / "w.xlsx", {"notes.txt": b"hello\n", "photo.jpg": noise(2048)})
    return _import(folder)


@entry("workbook", "encrypted-looking-but-not")
def _(folder, base):
    (folder / "w.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + noise(16 * 1024))
    return _import(folder)


@entry("workbook", "empty")
def _(folder, base):
    (folder / "w.xlsx").write_bytes(b"")
    return _import(folder)


@entry("workbook", "fifo")
def _(folder, base):
    os.mkfifo(folder / "w.xlsx")
    return _import(folder)
