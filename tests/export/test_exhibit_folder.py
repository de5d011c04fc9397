"""Exhibit files beside the workbook: names, links, bytes, and all-or-nothing writing."""

from __future__ import annotations

import hashlib
import os
import resource
import signal
import stat
import unicodedata
import zipfile
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet.hyperlink import Hyperlink

from case_workbook.demo.build import build_demo
from case_workbook.export.exhibit_folder import (
    ExhibitFolderError,
    ExhibitFolderReport,
    exhibit_file_name,
    folder_for,
    relative_link,
    write_exhibit_folder,
)
from case_workbook.model.case import CaseHeader, CaseSettings
from case_workbook.model.items import Exhibit, ExhibitFile, ExhibitForm, Storage
from case_workbook.store.case_file import CaseFile
from case_workbook.store.exhibits import add_exhibit_file

COPY_LIMIT = 4096  # larger files become references
LONG_NAME = "Statement of the neighbour about the night of the fourteenth " * 2 + "é" * 40 + ".pdf"
UNSAFE = '<>:"/\\|?*\x00\x01\x1f\x7f'


def _exhibit(name: str, exhibit_id: str = "DX-0001", storage: Storage = Storage.COPY) -> Exhibit:
    return Exhibit(id=exhibit_id, file=ExhibitFile(original_name=name, sha256="0" * 64,
                                                   size=1, storage=storage))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".part", ".old")))


# --- names and links ------------------------------------------------------------

def test_folder_sits_beside_the_workbook():
    assert folder_for(Path("/x/for counsel.xlsx")) == Path("/x/for counsel exhibits")


def test_names_keep_the_original_and_replace_unsafe_characters():
    assert exhibit_file_name(_exhibit("photo with spaces.jpg")) == "DX-0001 photo with spaces.jpg"
    assert exhibit_file_name(_exhibit("10:30 call.m4a")) == "DX-0001 10_30 call.m4a"
    assert exhibit_file_name(_exhibit(f"a{UNSAFE}b.txt")) == "DX-0001 a" + "_" * len(UNSAFE) + "b.txt"
    assert exhibit_file_name(_exhibit("photo\u202egpj.exe")) == "DX-0001 photo_gpj.exe"
    assert exhibit_file_name(_exhibit("notes. . ")) == "DX-0001 notes"
    assert exhibit_file_name(_exhibit("...")) == "DX-0001"
    assert exhibit_file_name(_exhibit("CON.txt")) == "DX-0001 CON.txt"  # the id leads
    decomposed = unicodedata.normalize("NFD", "café.txt")
    assert exhibit_file_name(_exhibit(decomposed)) == "DX-0001 café.txt"  # NFC, as linked


def test_exhibits_without_a_file_have_no_name():
    assert exhibit_file_name(Exhibit(id="DX-0002", form=ExhibitForm.PHYSICAL)) is None
    assert exhibit_file_name(_exhibit("gone.jpg", storage=Storage.NONE)) is None
    assert relative_link(Exhibit(id="DX-0002"), Path("w.xlsx")) is None


def test_long_names_are_cut_in_the_middle_keeping_the_extension():
    name = exhibit_file_name(_exhibit(LONG_NAME))
    assert len(name) <= 150 and len(name.encode()) <= 240
    assert name.startswith("DX-0001 Statement of the neighbour")
    assert name.endswith("éé.pdf") and "…" in name
    emoji = exhibit_file_name(_exhibit("👨‍👩‍👧" * 60 + ".heic"))
    assert len(emoji.encode()) <= 240 and emoji.endswith(".heic")


@given(original=st.text(max_size=400), number=st.integers(1, 9999))
def test_any_name_is_safe_and_can_be_created(tmp_path, original, number):
    exhibit_id = f"DX-{number:04d}"
    name = exhibit_file_name(_exhibit(original, exhibit_id))
    assert name == exhibit_id or name.startswith(exhibit_id + " ")
    assert len(name) <= 150 and len(name.encode()) <= 240
    assert not set(name) & set(UNSAFE) and not name.endswith((".", " "))
    assert all(not unicodedata.category(ch).startswith("Cc") for ch in name)
    path = tmp_path / name
    path.write_bytes(b"x")  # the filesystem takes it as it is
    assert name in os.listdir(tmp_path)
    path.unlink()


def test_link_is_a_percent_encoded_relative_path():
    workbook = Path("/cases/for counsel.xlsx")
    link = relative_link(_exhibit("photo #1 100%.jpg"), workbook)
    assert link == "for%20counsel%20exhibits/DX-0001%20photo%20%231%20100%25.jpg"
    unicode_link = relative_link(_exhibit("über ☕.txt"), workbook)
    assert unicode_link.isascii()
    assert unquote(unicode_link) == "for counsel exhibits/DX-0001 über ☕.txt"


def test_openpyxl_keeps_the_link_as_an_external_relationship(tmp_path):
    link = relative_link(_exhibit("über photo #1.jpg"), tmp_path / "w.xlsx")
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Exhibits")
    cell = WriteOnlyCell(sheet, value="DX-0001")
    cell.hyperlink = Hyperlink(ref="", target=link)
    sheet.append([cell])
    book.save(tmp_path / "w.xlsx")
    with zipfile.ZipFile(tmp_path / "w.xlsx") as archive:
        rels = archive.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
    assert f'Target="{link}"' in rels and 'TargetMode="External"' in rels
    loaded = openpyxl.load_workbook(tmp_path / "w.xlsx")
    assert loaded["Exhibits"]["A1"].hyperlink.target == link
    loaded["Exhibits"]["B1"].hyperlink = link  # the plain (not write-only) way works too
    loaded.save(tmp_path / "w2.xlsx")
    assert openpyxl.load_workbook(tmp_path / "w2.xlsx")["Exhibits"]["B1"].hyperlink.target == link


# --- writing the folder ----------------------------------------------------------

@pytest.fixture
def sources(tmp_path) -> Path:
    folder = tmp_path / "originals"
    folder.mkdir()
    files = {
        "photo with spaces.jpg": b"\xff\xd8\xff" + bytes(range(256)) * 3,
        "Zeugenaussage über café ☕.txt": "Aussage, wörtlich.\n".encode() * 20,
        "10:30 call.m4a": b"\x00\x00\x00\x18ftypM4A " * 40,
        LONG_NAME: b"%PDF-1.7\n" * 100,
        "big video.mov": os.urandom(2 * 1024 * 1024 + 17),  # above the limit, several chunks
        "scan.tiff": os.urandom(COPY_LIMIT + 1),  # a reference too
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture
def case(tmp_path, framework, sources):
    opened = CaseFile.create(tmp_path / "c.cwb", CaseHeader(title="Folder"), framework,
                             settings=CaseSettings(copy_limit_bytes=COPY_LIMIT), actor="t")
    for path in sorted(sources.iterdir()):
        add_exhibit_file(opened, path)
    opened.add(Exhibit(summary="The knife", form=ExhibitForm.PHYSICAL))
    yield opened
    opened.close()


def _by_name(case: CaseFile) -> dict[str, Exhibit]:
    return {e.file.original_name: e for e in case.items() if isinstance(e, Exhibit) and e.file}


def test_every_file_is_written_by_number_with_identical_bytes(case, sources, tmp_path):
    workbook = tmp_path / "out" / "for counsel.xlsx"
    workbook.parent.mkdir()
    report = write_exhibit_folder(case, workbook)
    folder = tmp_path / "out" / "for counsel exhibits"
    assert report.folder == folder and report.problems == []
    exhibits = _by_name(case)
    assert exhibits["big video.mov"].file.storage == Storage.REFERENCE
    assert exhibits["photo with spaces.jpg"].file.storage == Storage.COPY
    assert sorted(report.written) == sorted(e.id for e in exhibits.values())
    assert len(report.no_file) == 1
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    on_disk = sorted(os.listdir(folder))
    assert on_disk == sorted(exhibit_file_name(e) for e in exhibits.values())
    for original, exhibit in exhibits.items():
        written = folder / exhibit_file_name(exhibit)
        assert _sha(written) == exhibit.file.sha256 == _sha(sources / original)
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
        assert written.stat().st_mtime == pytest.approx(exhibit.file.modified.timestamp())
        assert (workbook.parent / unquote(relative_link(exhibit, workbook))) == written
    colon = exhibits["10:30 call.m4a"]
    assert f"{colon.id} 10_30 call.m4a" in on_disk
    assert _leftovers(workbook.parent) == []


def test_changed_and_missing_references_are_reported_not_written(case, sources, tmp_path):
    exhibits = _by_name(case)
    with open(sources / "big video.mov", "r+b") as handle:  # same size, other bytes
        handle.seek(1000)
        handle.write(b"edited")
    (sources / "scan.tiff").unlink()
    report = write_exhibit_folder(case, tmp_path / "w.xlsx")
    changed, missing = exhibits["big video.mov"], exhibits["scan.tiff"]
    problems = dict(report.problems)
    assert set(problems) == {changed.id, missing.id}
    assert "no longer matches its recorded SHA-256" in problems[changed.id]
    assert "is missing" in problems[missing.id]
    assert problems[missing.id] == f"The file at {sources / 'scan.tiff'} is missing, so it was not copied."
    assert changed.id not in report.written and missing.id not in report.written
    names = os.listdir(report.folder)
    assert not any(n.startswith((changed.id + " ", missing.id + " ")) for n in names)
    assert len(names) == len(exhibits) - 2
    lines = report.lines()
    assert lines[0] == f"Wrote {len(exhibits) - 2} exhibit files to {report.folder}."
    assert f"{changed.id}: {problems[changed.id]}" in lines


def test_a_reference_that_grew_is_changed(case, sources, tmp_path):
    with open(sources / "scan.tiff", "ab") as handle:
        handle.write(b"more")
    report = write_exhibit_folder(case, tmp_path / "w.xlsx")
    scan = _by_name(case)["scan.tiff"]
    assert [exhibit_id for exhibit_id, _ in report.problems] == [scan.id]
    assert not (report.folder / exhibit_file_name(scan)).exists()


def test_an_existing_folder_is_refused_unless_replacing(case, tmp_path):
    folder = folder_for(tmp_path / "w.xlsx")
    folder.mkdir()
    (folder / "counsel's own note.txt").write_text("keep me")
    with pytest.raises(ExhibitFolderError) as caught:
        write_exhibit_folder(case, tmp_path / "w.xlsx")
    assert str(caught.value) == f"{folder} already exists; choose another name or allow replacing it."
    assert os.listdir(folder) == ["counsel's own note.txt"]
    report = write_exhibit_folder(case, tmp_path / "w.xlsx", overwrite=True)
    assert "counsel's own note.txt" not in os.listdir(folder)
    assert len(os.listdir(folder)) == len(report.written) > 0
    assert _leftovers(tmp_path) == []


def test_a_file_in_the_way_is_replaced_only_when_asked(case, tmp_path):
    folder_for(tmp_path / "w.xlsx").write_text("not a folder")
    with pytest.raises(ExhibitFolderError):
        write_exhibit_folder(case, tmp_path / "w.xlsx")
    write_exhibit_folder(case, tmp_path / "w.xlsx", overwrite=True)
    assert folder_for(tmp_path / "w.xlsx").is_dir()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_a_read_only_folder_gives_one_sentence_and_leaves_nothing(case, tmp_path):
    out = tmp_path / "locked"
    out.mkdir()
    out.chmod(0o500)
    try:
        with pytest.raises(ExhibitFolderError) as caught:
            write_exhibit_folder(case, out / "w.xlsx")
        assert str(caught.value) == f"Could not write {out / 'w exhibits'}: permission was denied."
        assert os.listdir(out) == []
    finally:
        out.chmod(0o700)


def test_a_name_too_long_for_the_disk_gives_one_sentence(case, tmp_path):
    workbook = tmp_path / ("w" * 250 + ".xlsx")
    with pytest.raises(ExhibitFolderError) as caught:
        write_exhibit_folder(case, workbook)
    assert str(caught.value).endswith(": the name is too long.")
    assert "\n" not in str(caught.value)
    assert _leftovers(tmp_path) == []


def test_running_out_of_space_midway_leaves_the_old_folder_untouched(case, tmp_path):
    folder = folder_for(tmp_path / "w.xlsx")
    folder.mkdir()
    (folder / "earlier.txt").write_text("earlier export")
    # A file-size limit makes the 2 MiB exhibit fail partway, like a full disk.
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024 * 1024, old_limit[1]))
    try:
        with pytest.raises(ExhibitFolderError) as caught:
            write_exhibit_folder(case, tmp_path / "w.xlsx", overwrite=True)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        signal.signal(signal.SIGXFSZ, old_handler)
    assert str(caught.value) == (f"Could not write {folder}: "
                                 "the file grew larger than this system allows.")
    assert os.listdir(folder) == ["earlier.txt"]
    assert _leftovers(tmp_path) == []


def test_a_stale_temporary_folder_is_cleared(case, tmp_path):
    stale = tmp_path / f".w exhibits.{os.getpid()}.part"
    stale.mkdir()
    (stale / "half.jpg").write_bytes(b"half")
    report = write_exhibit_folder(case, tmp_path / "w.xlsx")
    assert not stale.exists() and "half.jpg" not in os.listdir(report.folder)


def test_the_demo_case_exports_all_its_files(tmp_path):
    build_demo(tmp_path / "demo.cwb")
    with CaseFile.open(tmp_path / "demo.cwb", readonly=True) as case:
        report = write_exhibit_folder(case, tmp_path / "demo.xlsx")
        with_files = [e for e in case.items() if isinstance(e, Exhibit) and exhibit_file_name(e)]
    assert with_files and report.problems == []
    assert report.written == [e.id for e in with_files]
    for exhibit in with_files:
        assert _sha(report.folder / exhibit_file_name(exhibit)) == exhibit.file.sha256


def test_report_lines_are_short_and_plain():
    report = ExhibitFolderReport(folder=Path("/x/w exhibits"), written=["DX-0001"],
                                 problems=[("DX-0002", "The file at /y is missing, so it was not copied.")],
                                 no_file=["DX-0003"])
    assert report.lines() == [
        "Wrote 1 exhibit file to /x/w exhibits.",
        "Without a file (not copied): DX-0003.",
        "DX-0002: The file at /y is missing, so it was not copied.",
    ]
