"""A small zip writer for hostile workbooks: members can carry a stream
compressed elsewhere (a hand-made deflate bomb), another compression method,
or sizes and CRCs that lie. Python's zipfile writes none of these.
"""

from __future__ import annotations

import bz2
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

STORED, DEFLATED, BZIP2 = 0, 8, 12
_DOS_TIME, _DOS_DATE = 0, (2026 - 1980) << 9 | 1 << 5 | 1


@dataclass
class Member:
    name: str
    data: bytes  # as stored in the zip (already compressed)
    method: int
    crc: int
    size: int  # the uncompressed size the headers state
    flags: int = 0

    @classmethod
    def of(cls, name: str, content: bytes, method: int = DEFLATED) -> Member:
        if method == DEFLATED:
            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            data = packer.compress(content) + packer.flush()
        elif method == BZIP2:
            data = bz2.compress(content)
        else:
            data = content
        return cls(name, data, method, zlib.crc32(content), len(content))


def read_members(path: Path) -> dict[str, bytes]:
    """The uncompressed members of a zip, in order."""
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_zip(path: Path, members: list[Member]) -> None:
    local, central = bytearray(), bytearray()
    for member in members:
        name = member.name.encode("utf-8")
        version = 46 if member.method == BZIP2 else 20
        fields = (version, member.flags, member.method, _DOS_TIME, _DOS_DATE, member.crc,
                  len(member.data), member.size, len(name))
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, version, *fields, 0, 0, 0,
                               0, 0, len(local)) + name
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + name + member.data
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central),
                      len(local), 0)
    path.write_bytes(bytes(local + central + end))


def write_workbook(path: Path, contents: dict[str, bytes],
                   replace: dict[str, Member] | None = None) -> None:
    """A workbook of `contents` (name -> uncompressed bytes, deflated here),
    with some members given ready-made in `replace` (new names go last)."""
    replace = dict(replace or {})
    members = [replace.pop(name, None) or Member.of(name, data) for name, data in contents.items()]
    write_zip(path, members + list(replace.values()))
