"""Rebuild a case from a workbook that counsel sends back.

The case comes back exactly from the hidden data sheet (see `payload`). Then
the workbook is written again, as it was sent, and compared with what came
back (see `compare`): what counsel typed into a *Counsel notes* column becomes
counsel's notes in the case (on the item, or on the theme or question), and
every other changed cell is listed and left alone. Exhibit files come back
from the folder that `--with-exhibits` wrote beside the workbook, each one
checked against its SHA-256; a file not there makes its exhibit a reference to
where it was expected, which `check` reports as missing.
"""

from __future__ import annotations

import hashlib
import io
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import CellCoordinatesException, InvalidFileException

from case_workbook.bulk import collector_paused
from case_workbook.export.exhibit_folder import exhibit_file_name, folder_for
from case_workbook.model.document import CaseDocument
from case_workbook.model.items import Exhibit, Storage
from case_workbook.store.build import build_case_with, fill_case
from case_workbook.store.case_file import CaseFile
from case_workbook.store.exhibits import CHUNK, store_blob

from . import each_sent_sheet
from .compare import Block, CellChange, NoteFound, compare_sheet
from .package import UnsafeWorkbook, check_package
from .payload import SHEET, PayloadError, read_payload
from .sheet_values import MAX_ROWS, sheet_values
from .sheets import question_note_key, theme_note_key


class WorkbookReadError(Exception):
    """A workbook cannot be read back; str() is one sentence."""


@dataclass
class WorkbookImport:
    path: Path
    items: int
    notes: list[NoteFound] = field(default_factory=list)
    changes: list[CellChange] = field(default_factory=list)
    files_restored: int = 0
    files_missing: list[str] = field(default_factory=list)  # exhibit ids
    expected: dict[str, str] = field(default_factory=dict)  # exhibit id -> path looked at
    from_workbook: bool = True  # False: a JSON import, nothing to compare

    def lines(self, limit: int = 50) -> list[str]:
        out = [f"Created {self.path} with {self.items} items."]
        if not self.from_workbook:
            return out
        if self.notes:
            out.append(f"Counsel's notes brought in: {len(self.notes)}.")
            out += [f"  {n.sheet}, cell {n.cell}: on {' '.join(n.key)}"
                    for n in self.notes[:limit]]
        else:
            out.append("No new notes from counsel.")
        if self.changes:
            out.append(f"Cells changed outside the Counsel notes columns (listed, not applied):"
                       f" {len(self.changes)}.")
            out += [f"  {c.line()}" for c in self.changes[:limit]]
            if len(self.changes) > limit:
                out.append(f"  … and {len(self.changes) - limit} more.")
        if self.files_missing:
            out.append(f"Exhibit files not found beside the workbook: "
                       f"{', '.join(self.files_missing)}. Their records came back and now "
                       "point to where the files were expected; 'case-workbook check' lists "
                       "them as missing until the files are there.")
        if self.files_restored:
            out.append(f"Exhibit files brought back and verified: {self.files_restored}.")
        return out


def open_workbook(source: Path, password: str | None = None) -> openpyxl.Workbook:
    """Open a workbook read-only, decrypting it first when it has a password."""
    from .crypt import is_encrypted

    name = source.name
    try:
        if source.is_dir():
            raise WorkbookReadError(f"{source} is a folder, not a workbook.")
        if not stat.S_ISREG(source.stat().st_mode):  # a pipe or a device: reading may never end
            raise WorkbookReadError(f"{source} is not a regular file, so not a workbook.")
        if is_encrypted(source):
            if password is None:
                raise WorkbookReadError(f"{name} is protected by a password; "
                                        "give the password to open it.")
            from .crypt import decrypt_bytes

            data: Path | io.BytesIO = io.BytesIO(decrypt_bytes(source, password))
        else:
            data = source
        check_package(data, name)  # a zip bomb or a DTD: refused before openpyxl reads it
        return openpyxl.load_workbook(data, read_only=True, data_only=False)
    except UnsafeWorkbook as error:
        raise WorkbookReadError(str(error)) from None
    except MemoryError:
        raise _too_large(source) from None
    except OSError as error:
        from case_workbook.fileio import describe_os_error

        raise WorkbookReadError(describe_os_error(error, source, "read")) from None
    except NOT_A_WORKBOOK:
        raise WorkbookReadError(f"{name} is not an Excel workbook that can be read.") from None


# openpyxl raises many kinds of error for a file that is not a workbook, some
# only when the rows are read (a broken sheet inside a good zip).
NOT_A_WORKBOOK = (InvalidFileException, zipfile.BadZipFile, zlib.error, CellCoordinatesException,
                  KeyError, ValueError, TypeError, IndexError, AttributeError, SyntaxError,
                  EOFError)


def read_document(wb: openpyxl.Workbook, name: str) -> CaseDocument:
    if SHEET not in wb.sheetnames:
        raise WorkbookReadError(f"{name} was not written by case-workbook, so there is no "
                                "case in it to rebuild.")
    rows = (row[:4] for row in wb[SHEET].iter_rows(max_col=4, values_only=True))
    try:
        return read_payload(_within_excel(rows), name)
    except PayloadError as error:
        raise WorkbookReadError(str(error)) from None


def _within_excel(rows: Iterator[tuple]) -> Iterator[tuple]:
    # openpyxl yields every row missing before a numbered one: a row numbered
    # 10^11 would keep it busy for hours.
    for count, row in enumerate(rows, start=1):
        if count > MAX_ROWS:
            raise ValueError("a row beyond Excel's last row")
        yield row


@collector_paused()
def import_workbook(source: Path | str, target: Path | str, *,
                    password: str | None = None,
                    passphrase: str | None = None) -> WorkbookImport:
    """A new case at `target` (encrypted with `passphrase`, if given) from a
    workbook this tool wrote, protected by `password` if it is."""
    source, target = Path(source), Path(target)
    wb = open_workbook(source, password)
    try:
        try:
            document = read_document(wb, source.name)
        except NOT_A_WORKBOOK:
            raise _damaged(source) from None
        report = WorkbookImport(target, len(document.items))
        found = _find_files(document, folder_for(source), report)

        def read_back(title: str) -> list[tuple] | None:
            # One visible sheet at a time, compared and let go: a 50,000-item
            # workbook is not held whole twice (as sent and as returned).
            if title not in wb.sheetnames:
                return None
            try:
                return sheet_values(wb[title])
            except NOT_A_WORKBOOK:
                raise _damaged(source) from None
            except MemoryError:
                pass  # raised below, once this block has let go of the rows read so far
            raise _too_large(source)

        def fill(case: CaseFile) -> None:
            try:
                _restore_files(case, found, report)  # before the items that refer to them
                fill_case(case, document)
                _bring_in_notes(case, document, read_back, report)  # compares with what was sent
                for item_id, path in report.expected.items():
                    case.point_file_to(item_id, path)
                return
            except MemoryError:
                report.changes.clear()  # let go before the half-made case is removed
                report.notes.clear()
            raise _too_large(source)  # out here, the failed work's memory is free again

        build_case_with(target, document.header, document.framework, document.settings, fill,
                        passphrase=passphrase)
    except MemoryError:  # the half-made case is already gone (build_case_with)
        raise _too_large(source) from None
    finally:
        wb.close()
    return report


def _too_large(source: Path) -> WorkbookReadError:
    return WorkbookReadError(f"{source.name} is too large to read with the memory this "
                             "computer has; no case was made from it.")


def _damaged(source: Path) -> WorkbookReadError:
    return WorkbookReadError(f"{source.name} is damaged: a sheet in it cannot be read.")


def _find_files(document: CaseDocument, folder: Path,
                report: WorkbookImport) -> dict[str, tuple[Path, int]]:
    """Which copied exhibit files are in the folder beside the workbook, whole;
    the others are listed in the report, with where they were expected."""
    found: dict[str, tuple[Path, int]] = {}
    for item in document.items:
        if isinstance(item, Exhibit) and item.file and item.file.storage == Storage.COPY:
            path = (folder / (exhibit_file_name(item) or "")).absolute()
            if item.file.sha256 in found or _sha256(path) == item.file.sha256:
                found.setdefault(item.file.sha256, (path, item.file.size))
            else:
                report.files_missing.append(item.id)
                report.expected[item.id] = str(path)
    return found


def _restore_files(case: CaseFile, found: dict[str, tuple[Path, int]],
                   report: WorkbookImport) -> None:
    for sha, (path, size) in found.items():
        with case.transaction("bring an exhibit file into"), open(path, "rb") as handle:
            store_blob(case.conn, sha, iter(lambda: handle.read(CHUNK), b""), size)
        report.files_restored += 1


def _sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def blocks_of(sheet: str, headers: list[tuple[str, ...]]) -> list[Block]:
    """Which titles key a row of each table: an item's id, a theme's id, or a
    question's theme and number."""
    def keys(titles: tuple[str, ...]) -> tuple[str, ...]:
        if sheet == "Chronology":
            return ("Id",)
        if sheet == "Questions for Counsel":
            return ("Theme", "No.")
        return (titles[0],)
    return [Block(titles, keys(titles)) for titles in headers]


def _bring_in_notes(case: CaseFile, document: CaseDocument,
                    read_back: Callable[[str], list[tuple] | None],
                    report: WorkbookImport) -> None:
    assert document.exported_at is not None
    item_notes: dict[str, list[str]] = {}
    case_notes = dict(case.counsel_notes)
    question_keys = {(t.name, str(n)): question_note_key(t.id, n)
                     for t in case.framework.themes for n in range(1, len(t.questions) + 1)}

    def compare(title: str, sent: list[tuple], headers: list[tuple[str, ...]]) -> None:
        back = read_back(title)
        if back is None:
            report.changes.append(CellChange(title, "the whole sheet", "present", "removed"))
            return
        diff = compare_sheet(title, sent, back, blocks_of(title, headers))
        report.changes.extend(diff.changes)
        for note in diff.notes:
            report.notes.append(note)
            if title == "Themes":
                case_notes[theme_note_key(note.key[0])] = note.new
            elif title == "Questions for Counsel":
                if key := question_keys.get(note.key):
                    case_notes[key] = note.new
            else:
                item_notes.setdefault(note.key[0], []).append(note.new)

    each_sent_sheet(case, compare, now=document.exported_at, version=document.tool_version,
                    items=document.items)
    for item_id, texts in item_notes.items():
        item = case.get(item_id)
        unique = list(dict.fromkeys(t for t in texts if t)) if len(texts) > 1 else texts
        case.update(item.model_copy(update={"counsel_notes": "\n\n".join(unique)}))
    case.set_counsel_notes(case_notes)
