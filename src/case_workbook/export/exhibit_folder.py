"""Exhibit files beside the workbook (`export … --with-exhibits`).

Each exhibit file is written into `<workbook stem> exhibits/`, named by its
number (`DX-0001 original-name.jpg`) and linked from the Exhibits sheet by a
relative hyperlink. Bytes are streamed in chunks and re-hashed on the way, so
what counsel receives is exactly what was recorded; a file that no longer
matches is left out and listed in the report.

The folder is all or nothing: it is filled under a hidden temporary name and
renamed into place only when every file is written and flushed to disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from case_workbook.fileio import OWNER_ONLY, describe_os_error, fsync_dir
from case_workbook.model.items import Exhibit, Kind, Storage
from case_workbook.store.case_file import CaseFile
from case_workbook.store.driver import ERRORS
from case_workbook.store.errors import CaseFileError
from case_workbook.store.exhibits import CHUNK, read_blob

FOLDER_MODE = 0o700
MAX_NAME_CHARS = 150
MAX_NAME_BYTES = 240  # within the 255-unit name limit of ext4, APFS and NTFS
MAX_EXTENSION_CHARS = 20  # a longer "extension" is just part of the name
ELLIPSIS = "…"

# Path separators, NUL, control characters (C0, DEL, C1), the characters
# Windows refuses in names, and bidirectional controls (which could make
# "photo<RLO>gpj.exe" show as "photoexe.jpg").
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"/\\|?*\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]')
_RESERVED = ({"CON", "PRN", "AUX", "NUL"}
             | {f"{dev}{n}" for dev in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]})


class ExhibitFolderError(Exception):
    """The exhibit folder could not be written; str() is one plain sentence."""


@dataclass
class ExhibitFolderReport:
    folder: Path
    written: list[str] = field(default_factory=list)  # exhibit ids
    problems: list[tuple[str, str]] = field(default_factory=list)  # (exhibit id, sentence)
    no_file: list[str] = field(default_factory=list)  # physical exhibits, nothing to copy

    def lines(self) -> list[str]:
        count = len(self.written)
        files = "1 exhibit file" if count == 1 else f"{count} exhibit files"
        out = [f"Wrote {files} to {self.folder}."]
        if self.no_file:
            out.append(f"Without a file (not copied): {', '.join(self.no_file)}.")
        out.extend(f"{exhibit_id}: {sentence}" for exhibit_id, sentence in self.problems)
        return out


def folder_for(workbook: Path) -> Path:
    """The folder beside the workbook: `for counsel.xlsx` -> `for counsel exhibits`."""
    workbook = Path(workbook)
    return workbook.with_name(f"{workbook.stem} exhibits")


def exhibit_file_name(exhibit: Exhibit) -> str | None:
    """`"<id> <original name>"`, safe on Windows, macOS and Linux; None when the
    exhibit has no file. Unique because the id (no spaces) leads the name."""
    file = exhibit.file
    if file is None or file.storage == Storage.NONE:
        return None
    prefix = _safe(exhibit.id)
    original = _safe(file.original_name).rstrip(". ")
    if not original:
        return _not_reserved(prefix)
    stem, ext = _split_extension(original)
    return _not_reserved(_shorten(f"{prefix} ", stem, ext))


def relative_link(exhibit: Exhibit, workbook: Path) -> str | None:
    """The hyperlink target from the workbook to the exhibit's file, as a
    percent-encoded relative URL path; None when the exhibit has no file."""
    name = exhibit_file_name(exhibit)
    if name is None:
        return None
    return quote(f"{folder_for(workbook).name}/{name}", safe="/")


def _safe(text: str) -> str:
    # NFC so the name on disk and the name in the hyperlink are the same string.
    return _UNSAFE.sub("_", unicodedata.normalize("NFC", text))


def _split_extension(name: str) -> tuple[str, str]:
    dot = name.rfind(".")
    if dot <= 0 or len(name) - dot > MAX_EXTENSION_CHARS + 1:
        return name, ""
    return name[:dot], name[dot:]


def _fits(name: str) -> bool:
    return len(name) <= MAX_NAME_CHARS and len(name.encode("utf-8")) <= MAX_NAME_BYTES


def _shorten(prefix: str, stem: str, ext: str) -> str:
    """Cut the middle of the stem until the name fits, keeping id and extension."""
    name = prefix + stem + ext
    keep = min(len(stem), MAX_NAME_CHARS)  # the loop never starts above what can fit
    while not _fits(name) and keep > 0:
        keep -= 1
        head, tail = stem[:(keep + 1) // 2], stem[len(stem) - keep // 2:]
        name = prefix + head + ELLIPSIS + tail + ext
    return name.rstrip(". ")


def _not_reserved(name: str) -> str:
    # Windows refuses a device name before the first dot, even with a suffix.
    if name.split(".")[0].rstrip(" ").upper() in _RESERVED:
        return "_" + name
    return name


# --- writing the folder ------------------------------------------------------

class _SourceProblem(Exception):
    """An exhibit's own bytes are missing or changed; the export goes on."""


def write_exhibit_folder(case: CaseFile, workbook: Path, *,
                         overwrite: bool = False) -> ExhibitFolderReport:
    """Write every exhibit file into `folder_for(workbook)`, all or nothing.
    An existing folder is refused unless `overwrite` is given."""
    final = folder_for(workbook)
    try:
        present = _present(final)
    except OSError as error:
        raise ExhibitFolderError(describe_os_error(error, final, "write")) from None
    if present and not overwrite:
        raise ExhibitFolderError(
            f"{final} already exists; choose another name or allow replacing it.")
    report = ExhibitFolderReport(folder=final)
    temp = final.with_name(f".{final.name}.{os.getpid()}.part")
    try:
        _make_temp_folder(temp)
        for exhibit in case.items(Kind.EXHIBIT):
            assert isinstance(exhibit, Exhibit)
            name = exhibit_file_name(exhibit)
            if name is None:
                report.no_file.append(exhibit.id)
                continue
            try:
                _copy_exhibit(case, exhibit, temp / name)
            except _SourceProblem as problem:
                report.problems.append((exhibit.id, str(problem)))
            else:
                report.written.append(exhibit.id)
        fsync_dir(temp)
        _move_into_place(temp, final)
    except OSError as error:
        _remove(temp)
        raise ExhibitFolderError(describe_os_error(error, final, "write")) from None
    except BaseException:
        _remove(temp)
        raise
    return report


def _make_temp_folder(temp: Path) -> None:
    if _present(temp):  # left by an earlier run that was killed
        _remove(temp)
    temp.mkdir(mode=FOLDER_MODE)
    os.chmod(temp, FOLDER_MODE)  # exact, whatever the umask


def _copy_exhibit(case: CaseFile, exhibit: Exhibit, target: Path) -> None:
    """Stream one file into `target`, hashing and counting; raise _SourceProblem
    (with `target` removed) when the source is missing or no longer matches."""
    file = exhibit.file
    assert file is not None
    if file.storage == Storage.COPY:
        where = "The copy inside the case"
    else:
        where = f"The file at {file.reference_path}"
    out = os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY), "wb")
    try:
        with out, contextlib.closing(_source_chunks(case, exhibit, where)) as chunks:
            os.fchmod(out.fileno(), OWNER_ONLY)  # exact, whatever the umask
            digest, size = hashlib.sha256(), 0
            for chunk in chunks:
                size += len(chunk)
                if size > file.size:  # grown: stop before copying any more of it
                    break
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size != file.size or digest.hexdigest() != file.sha256:
            raise _SourceProblem(
                f"{where} no longer matches its recorded SHA-256 hash and size, "
                "so it was not copied.")
        if file.modified is not None:  # counsel sees the file's own date
            stamp = file.modified.timestamp()
            os.utime(target, (stamp, stamp))
    except BaseException:
        with contextlib.suppress(OSError):
            target.unlink()
        raise


def _source_chunks(case: CaseFile, exhibit: Exhibit, where: str) -> Iterator[bytes]:
    """The exhibit's recorded bytes, in chunks. Errors reading the source become
    _SourceProblem, so they are never mistaken for errors writing the folder."""
    file = exhibit.file
    assert file is not None
    if file.storage == Storage.COPY:
        try:
            yield from read_blob(case, file.sha256)
        except CaseFileError:
            raise _SourceProblem(f"{where} is missing, so it was not copied.") from None
        except ERRORS:  # a damaged case; `check` says more
            raise _SourceProblem(f"{where} could not be read, so it was not copied.") from None
        return
    # Only opening and reading happen in this frame: a failed write in the
    # caller never arrives here, so every OSError caught is the source's.
    try:
        with open(file.reference_path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk
    except OSError as error:
        raise _SourceProblem(_unreadable(where, error)) from None


def _unreadable(where: str, error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return f"{where} is missing, so it was not copied."
    reason = (error.strerror or "it cannot be read").lower()
    return f"{where} could not be read ({reason}), so it was not copied."


def _move_into_place(temp: Path, final: Path) -> None:
    """Rename the finished folder in; an old one is moved aside first and
    removed only once the new one is in place."""
    if not _present(final):
        os.rename(temp, final)
        fsync_dir(final.parent)
        return
    old = final.with_name(f".{final.name}.{os.getpid()}.old")
    if _present(old):
        _remove(old)
    os.rename(final, old)
    try:
        os.rename(temp, final)
    except OSError:
        with contextlib.suppress(OSError):
            os.rename(old, final)
        raise
    fsync_dir(final.parent)
    _remove(old)  # the new folder is in place; a leftover here harms nothing


def _present(path: Path) -> bool:
    """Whether anything (even a dangling link) has this name; other errors
    (a name too long, no permission) are raised, not taken as "absent"."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return False
    return True


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
