"""The actions both faces (command line and terminal UI) call.

Each takes plain values, does one whole job, and raises an error whose str()
is one sentence for the person.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from case_workbook.bulk import collector_paused
from case_workbook.model.case import CaseHeader, CaseSettings
from case_workbook.model.framework import Framework, load_builtin, load_framework_file
from case_workbook.store.case_file import CaseFile
from case_workbook.store.errors import CaseFileError

if TYPE_CHECKING:
    from case_workbook.export.workbook.returned import WorkbookImport as ImportReport

APP_NAME = "case-workbook"


def data_dir() -> Path:
    """Where the product keeps its own files (recent cases, the demo case)."""
    return platformdirs.user_data_path(APP_NAME)


def ensure_private_dir(folder: Path) -> Path:
    """The folder, made owner-only with each missing folder above it."""
    from case_workbook.fileio import make_private_folder

    return make_private_folder(folder)


def local_zone_name() -> str:
    """This computer's time zone as an IANA name (e.g. America/Los_Angeles),
    so times typed into a new case mean what the person meant; UTC if unknown."""
    from zoneinfo import ZoneInfo

    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        link = os.readlink("/etc/localtime")
        candidates.append(link.partition("zoneinfo/")[2])
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    for name in candidates:
        if name and "/" in name or name == "UTC":
            with contextlib.suppress(Exception):
                ZoneInfo(name)
                return name
    return "UTC"


def resolve_framework(framework_id: str = "general",
                      framework_file: Path | None = None) -> Framework:
    if framework_file is not None:
        return load_framework_file(framework_file)
    return load_builtin(framework_id)


def create_case(path: Path, *, title: str, framework_id: str = "general",
                framework_file: Path | None = None, exhibit_prefix: str = "DX",
                zone: str | None = None, passphrase: str | None = None,
                **header_fields) -> Path:
    from pydantic import ValidationError

    from case_workbook.export.interchange import explain

    framework = resolve_framework(framework_id, framework_file)
    try:
        header = CaseHeader(title=title, **header_fields)
        settings = CaseSettings(exhibit_prefix=exhibit_prefix,
                                default_tz=zone or local_zone_name())
    except ValidationError as error:
        raise CaseFileError("The case details are not valid: "
                            f"{explain(error, from_file=False)}.") from None
    CaseFile.create(path, header, framework, settings, passphrase=passphrase).close()
    return path


EXPORT_FORMATS = {"xlsx": ".xlsx", "json": ".json"}


def format_for(out: Path, fmt: str | None = None) -> str:
    """The export format asked for, or the one the file name's ending names
    (a workbook for counsel unless it ends in .json)."""
    if fmt is not None:
        return fmt
    return "json" if Path(out).suffix.lower() == ".json" else "xlsx"


def export_to(case: CaseFile, out: Path, fmt: str, *, password: str | None = None,
              with_exhibits: bool = False, overwrite: bool = False) -> list[str]:
    """Write an open case to `out` as a workbook or as JSON; all or nothing.
    Returns what to tell the person (one line, more with --with-exhibits)."""
    from case_workbook.export.interchange import export_json
    from case_workbook.fileio import describe_os_error

    out = Path(out)
    if fmt not in EXPORT_FORMATS:
        raise CaseFileError(f"'{fmt}' is not an export format; use xlsx or json.")
    if fmt == "json":
        if password is not None or with_exhibits:
            raise CaseFileError("A password and --with-exhibits apply to the workbook (.xlsx), "
                                "not to a JSON export.")
        export_json(case, out)
        return [f"Wrote {out}."]
    try:
        return _export_workbook(case, out, password, with_exhibits, overwrite)
    except OSError as error:
        raise CaseFileError(describe_os_error(error, out, "write")) from None


def _export_workbook(case: CaseFile, out: Path, password: str | None, with_exhibits: bool,
                     overwrite: bool) -> list[str]:
    import io

    from case_workbook.export.exhibit_folder import relative_link, write_exhibit_folder
    from case_workbook.export.workbook import write_workbook
    from case_workbook.export.workbook.crypt import encrypt_to
    from case_workbook.fileio import fsync_dir
    from case_workbook.model.items import Exhibit, Kind

    links: dict[str, str] = {}
    if with_exhibits:
        for exhibit in case.items(Kind.EXHIBIT):
            assert isinstance(exhibit, Exhibit)
            if link := relative_link(exhibit, out):
                links[exhibit.id] = link
    lines = [f"Wrote {out}" + (", protected by a password." if password else ".")]
    # Written under a temporary name, and put in place only with its exhibit folder.
    temp = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        if password is None:
            write_workbook(case, temp, exhibit_links=links)
        else:
            # The plain workbook stays in memory: it never touches the disk unencrypted.
            plain = io.BytesIO()
            write_workbook(case, plain, exhibit_links=links)
            encrypt_to(plain.getvalue(), temp, password)
        if with_exhibits:
            lines += write_exhibit_folder(case, out, overwrite=overwrite).lines()
        os.replace(temp, out)
        fsync_dir(out.parent)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    return lines


def export_case(case_path: Path, out: Path, *, fmt: str | None = None,
                overwrite: bool = False, password: str | None = None,
                with_exhibits: bool = False, passphrase: str | None = None) -> list[str]:
    out = Path(out)
    if out.is_dir():
        raise CaseFileError(f"{out} is a folder; give a file name to write.")
    if out.exists() and not overwrite:
        raise CaseFileError(f"{out} already exists; choose another name or add --force.")
    with CaseFile.open(case_path, readonly=True, passphrase=passphrase) as case:
        return export_to(case, out, format_for(out, fmt), password=password,
                         with_exhibits=with_exhibits, overwrite=overwrite)


def is_workbook_file(path: Path) -> bool:
    """A workbook (plain or password-protected) rather than a JSON export."""
    if Path(path).suffix.lower() in {".xlsx", ".xlsm"}:
        return True
    if not Path(path).is_file():  # a pipe or a device would be read forever
        return False
    try:
        with open(path, "rb") as handle:
            start = handle.read(8)
    except OSError:
        return False
    return start.startswith(b"PK\x03\x04") or start == bytes.fromhex("d0cf11e0a1b11ae1")


def needs_password(path: Path) -> bool:
    from case_workbook.export.workbook.crypt import is_encrypted

    try:
        return is_workbook_file(path) and is_encrypted(Path(path))
    except OSError:
        return False


@collector_paused()
def import_case(source: Path, target: Path, *, password: str | None = None,
                passphrase: str | None = None) -> ImportReport:
    """A new case at `target` from a JSON export or from a returned workbook;
    `password` opens a protected workbook, `passphrase` encrypts the new case."""
    from case_workbook.export.interchange import read_json
    from case_workbook.export.workbook.returned import WorkbookImport, import_workbook
    from case_workbook.store.build import build_case

    if is_workbook_file(source):
        return import_workbook(source, target, password=password, passphrase=passphrase)
    document = read_json(source)
    return WorkbookImport(build_case(document, target, passphrase=passphrase),
                          len(document.items), from_workbook=False)


def write_demo(target: Path | None = None) -> tuple[Path, bool]:
    """Write the bundled demo case; returns its path and whether it was new.
    An existing demo case at the default place is reused, so that its edits
    survive; an explicit path must not exist yet."""
    from case_workbook.demo.build import build_demo

    if target is None:
        target = ensure_private_dir(data_dir()) / "demo.cwb"
        if target.exists():
            return target, False
    return build_demo(target), True


def case_overview(case_path: Path, width: int = 100, passphrase: str | None = None) -> list[str]:
    """A plain-text view of a case: header, counts, and the chronology with
    the interval from each key moment."""
    from case_workbook.model.chronology import KEY_MOMENT_MARK, chronology, key_moments
    from case_workbook.model.items import KIND_LABELS, Event, count_text

    with CaseFile.open(case_path, readonly=True, passphrase=passphrase) as case:
        items = case.items()
        header, framework, counts = case.header, case.framework, case.counts()
    lines = [header.title, f"Framework: {framework.name}",
             "Holds: " + ", ".join(count_text(k, n) for k, n in counts.items()),
             "", "Chronology (earliest first):"]
    moments = key_moments(items)
    for row in chronology(items):
        item = row.item
        when = item.when_value()
        mark = ""
        if isinstance(item, Event) and item.key_moment:
            mark = f" {KEY_MOMENT_MARK} key moment: {item.key_moment.value}"
        lines.append(f"  {when.describe()}")
        summary = item.summary or getattr(item, "name", "")
        lines.append(f"    {item.id} {KIND_LABELS[item.kind]}: {summary[:width]}{mark}")
        for moment in moments:
            text = row.interval_text(moment)
            if text and text != "this moment":
                lines.append(f"      {text}")
    lines.append("")
    lines.append("This tool organizes information; it gives no legal advice.")
    return lines
