"""Reading an export file from outside: its bytes within limits, its hash,
its text, and the members of a zip without letting one inflate without end.
Every failure is an ExportReadError with one sentence.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import stat
import zipfile
import zlib
from pathlib import Path

from case_workbook.fileio import describe_os_error
from case_workbook.importers.parsed import ExportReadError, Limits

BLOCK = 1024 * 1024


def _size_text(size: int) -> str:
    return f"{size / 1024**2:,.0f} MB" if size >= 1024**2 else f"{size:,} bytes"


def regular_size(path: Path) -> int:
    """The size of the regular file at `path`; one sentence when it is not one."""
    try:
        info = os.stat(path)
    except OSError as error:
        raise ExportReadError(describe_os_error(error, str(path), "read")) from None
    if stat.S_ISDIR(info.st_mode):
        raise ExportReadError(f"{path} is a folder; choose the export file inside it.")
    if not stat.S_ISREG(info.st_mode):
        raise ExportReadError(f"{path} is not a regular file.")
    return info.st_size


def read_bytes(path: Path, limit: int = Limits.TEXT_BYTES) -> tuple[bytes, str]:
    """The whole file and its SHA-256, refusing files above `limit`."""
    size = regular_size(path)
    if size > limit:
        raise ExportReadError(f"{path.name} is {_size_text(size)}, more than the "
                              f"{_size_text(limit)} an export of this kind is read up to.")
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise ExportReadError(describe_os_error(error, str(path), "read")) from None
    if len(data) > limit:  # it grew while we read it
        raise ExportReadError(f"{path.name} changed while it was being read; try again.")
    return data, hashlib.sha256(data).hexdigest()


def hash_file(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file read in blocks (a backup of many GB)."""
    digest, size = hashlib.sha256(), 0
    try:
        with open(path, "rb") as handle:
            while block := handle.read(BLOCK):
                digest.update(block)
                size += len(block)
    except OSError as error:
        raise ExportReadError(describe_os_error(error, str(path), "read")) from None
    return digest.hexdigest(), size


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """The text of an export and a note on its encoding ("" for plain UTF-8).
    A byte-order mark chooses UTF-8/16/32; otherwise UTF-8, and a file that
    is not UTF-8 is read as Windows-1252, which every byte maps to."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise ExportReadError(f"{name} says it is {codec.upper().replace('-SIG', '')} "
                                      "text but is not; it was not read.") from None
            return text, "" if codec == "utf-8-sig" else f"read as {codec.upper()} text"
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), ("not UTF-8 text; read as Windows-1252 "
                                                        "(Western European)")


class ExportZip:
    """A zip from outside, checked before any member is inflated: methods
    we can stop part way (stored, deflate), no encryption, member count,
    stated sizes and their ratio within `Limits`; and each member read in
    blocks that stop at its stated size, so a size that lies is caught."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise ExportReadError(f"{path.name} is not a zip file that can be read (it may be "
                                  "damaged or only partly copied).") from None
        except OSError as error:
            raise ExportReadError(describe_os_error(error, str(path), "read")) from None
        members = self.zip.infolist()
        if len(members) > Limits.ZIP_MEMBERS:
            self._refuse(f"it holds {len(members):,} files")
        total = 0
        for member in members:
            if member.flag_bits & 0x1:
                self._refuse("its files are encrypted; unpack it with its password first")
            if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                self._refuse("it is compressed in a way phones do not use")
            if member.file_size > max(Limits.RATIO_FLOOR, Limits.ZIP_RATIO * member.compress_size):
                self._refuse(f"{member.filename!r} would inflate far beyond its packed size")
            total += member.file_size
        if total > Limits.ZIP_TOTAL:
            self._refuse(f"its files add up to {_size_text(total)}")

    def _refuse(self, why: str) -> None:
        self.zip.close()
        raise ExportReadError(f"{self.path.name} was not read: {why}.")

    def names(self) -> list[str]:
        return [m.filename for m in self.zip.infolist() if not m.is_dir()]

    def hash_member(self, name: str) -> tuple[str, int]:
        """SHA-256 and size of a member, inflated a block at a time (never whole)."""
        digest, size = hashlib.sha256(), 0
        for block in self._blocks(name):
            digest.update(block)
            size += len(block)
        return digest.hexdigest(), size

    def _blocks(self, name: str):
        try:
            member = self.zip.getinfo(name)
        except KeyError:  # the zip was replaced since it was read
            raise ExportReadError(f"{self.path.name} no longer holds {name}; read it "
                                  "again.") from None
        size = 0
        try:
            with self.zip.open(member) as handle:
                while block := handle.read(BLOCK):
                    size += len(block)
                    if size > member.file_size:
                        break
                    yield block
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
            raise ExportReadError(f"{name} in {self.path.name} is damaged and could not be "
                                  "unpacked.") from None
        if size != member.file_size:
            raise ExportReadError(f"{name} in {self.path.name} is not the size the zip says; "
                                  "the zip is damaged.")

    def stream(self, name: str) -> BlockReader:
        """A member as a file-like object read in blocks, for copying it."""
        return BlockReader(self._blocks(name))

    def read(self, name: str, limit: int = Limits.ATTACHMENT_BYTES) -> bytes:
        member = self.zip.getinfo(name)
        if member.file_size > limit:
            raise ExportReadError(f"{name} in {self.path.name} is {_size_text(member.file_size)}, "
                                  "more than can be read.")
        return b"".join(self._blocks(name))

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> ExportZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class BlockReader:
    """read(n) over an iterator of byte blocks (what a copy into the case reads)."""

    def __init__(self, blocks) -> None:
        self.blocks = iter(blocks)
        self.pending = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self.pending) < size:
            block = next(self.blocks, None)
            if block is None:
                break
            self.pending += block
        if size < 0:
            out, self.pending = self.pending, b""
        else:
            out, self.pending = self.pending[:size], self.pending[size:]
        return out
