"""A workbook comes back: the case is rebuilt exactly from it, counsel's notes
come in, other changed cells are listed and not applied, a foreign workbook is
refused, and all of it survives LibreOffice re-saving the file."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from hostile_text import HOSTILE, LONG
from hypothesis import given, settings
from hypothesis import strategies as st

from case_workbook.core import export_case, import_case
from case_workbook.demo.build import build_demo
from case_workbook.export.interchange import case_document
from case_workbook.export.workbook import write_workbook
from case_workbook.export.workbook.returned import WorkbookReadError
from case_workbook.model.case import CaseHeader
from case_workbook.model.items import (
    Communication,
    Event,
    KeyMoment,
    Person,
    ThemeLink,
    Threat,
    Witness,
)
from case_workbook.model.when import When
from case_workbook.store.case_file import CaseFile
from case_workbook.store.check import check_case


def document_of(path: Path) -> dict:
    """The whole case as data, without what an export stamps on it."""
    with CaseFile.open(path, readonly=True) as case:
        return case_document(case).model_dump(
            mode="json", exclude={"exported_at", "tool_version", "files"})


def export(case_path: Path, out: Path) -> Path:
    with CaseFile.open(case_path, readonly=True) as case:
        write_workbook(case, out)
    return out


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("rt")
    build_demo(folder / "d.cwb")
    return folder / "d.cwb", export(folder / "d.cwb", folder / "d.xlsx")


def test_demo_comes_back_exactly_with_its_exhibit_files(demo, tmp_path):
    case_path, _ = demo
    export_case(case_path, tmp_path / "d.xlsx", with_exhibits=True)
    report = import_case(tmp_path / "d.xlsx", tmp_path / "back.cwb")
    assert document_of(tmp_path / "back.cwb") == document_of(case_path)
    assert report.notes == [] and report.changes == [] and report.files_missing == []
    assert report.items == 38 and report.files_restored == 4
    assert check_case(tmp_path / "back.cwb").ok


def test_without_its_exhibit_files_the_records_point_to_where_they_were_expected(demo, tmp_path):
    case_path, xlsx = demo
    report = import_case(xlsx, tmp_path / "back.cwb")
    assert report.files_missing == ["DX-0001", "DX-0002", "DX-0003", "DX-0004"]
    before, after = document_of(case_path), document_of(tmp_path / "back.cwb")
    for b, a in zip(before["items"], after["items"], strict=True):
        if a["id"] in report.files_missing:
            assert a["file"]["storage"] == "reference"
            assert a["file"]["reference_path"].endswith(f"d exhibits/{a['id']} "
                                                        f"{b['file']['original_name']}")
            a["file"], b["file"] = None, None
    added = after["activity"][len(before["activity"]):]
    assert [(e["action"], e["entity"]) for e in added] == [("edit", i) for i in report.files_missing]
    after["activity"] = after["activity"][:len(before["activity"])]
    assert before == after
    problems = check_case(tmp_path / "back.cwb").exhibits
    assert [p.status for p in problems] == ["missing"] * 4


def test_hostile_corpus_comes_back_exactly(tmp_path, case):
    person = case.add(Person(name="=cmd|' /C calc'!A0", aliases=HOSTILE[:6]))
    case.add(Threat(summary=HOSTILE[0], details=LONG, notes="\x00\x07\x1b\r\n",
                    demand="_x001B_ literal", harm_threatened="👨‍👩‍👧 שלום <script>",
                    when=When.exact(datetime(2026, 3, 14, 21, 0), "UTC"),
                    made_by=[person.id],
                    themes=[ThemeLink(theme_id=case.framework.themes[0].id, note=" =1+1")]))
    for text in HOSTILE:
        case.add(Communication(summary=text, content=text * 3, provenance=text))
    case.add(Witness(observed=LONG + "\x1b", contact="@here"))
    case.set_header(CaseHeader(title="=1+1 [bold]case[/]", charges=HOSTILE[:3]))
    case.close()
    xlsx = export(case.path, tmp_path / "h.xlsx")
    import_case(xlsx, tmp_path / "back.cwb")
    assert document_of(tmp_path / "back.cwb") == document_of(case.path)


# --- generated cases ---------------------------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
WHEN = st.one_of(
    st.just(None),
    st.builds(lambda d, tz: When.exact(d, tz),
              st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2040, 1, 1)),
              st.sampled_from(["UTC", "America/Los_Angeles", "Asia/Kolkata"])))


@st.composite
def items(draw):
    kind = draw(st.sampled_from(["threat", "witness", "communication", "event", "person"]))
    summary, details, notes = draw(TEXT), draw(TEXT), draw(TEXT)
    when = draw(WHEN)
    extra = {"when": when} if when is not None else {}
    if kind == "threat":
        return Threat(summary=summary, details=details, notes=notes, demand=draw(TEXT), **extra)
    if kind == "witness":
        return Witness(summary=summary, observed=details, contact=notes, **extra)
    if kind == "communication":
        return Communication(summary=summary, content=details, notes=notes, **extra)
    if kind == "event":
        moment = draw(st.sampled_from([None, KeyMoment.ACT_START]))
        return Event(summary=summary, details=details, key_moment=moment, **extra)
    return Person(name=summary or "x", contact=details, notes=notes)


@settings(max_examples=30)  # each example writes and reads a case and a workbook
@given(st.lists(items(), max_size=8), TEXT, st.data())
def test_generated_cases_come_back_exactly(tmp_path_factory, generated, title, data):
    folder = tmp_path_factory.mktemp("gen")
    case = CaseFile.create(folder / "g.cwb", CaseHeader(title=title.strip() or "case"),
                           _framework())
    try:
        theme_ids = [t.id for t in case.framework.themes]
        for item in generated:
            chosen = data.draw(st.lists(st.sampled_from(theme_ids), unique=True, max_size=2))
            item = item.model_copy(update={"themes": [ThemeLink(theme_id=t) for t in chosen]})
            stored = case.add(item)
            if data.draw(st.booleans()):
                case.delete(stored.id)  # removed items stay out; their ids stay used
    finally:
        case.close()
    xlsx = export(folder / "g.cwb", folder / "g.xlsx")
    import_case(xlsx, folder / "back.cwb")
    assert document_of(folder / "back.cwb") == document_of(folder / "g.cwb")


def _framework():
    from case_workbook.model.framework import load_builtin

    return load_builtin("general")


# --- counsel's notes and other changes -----------------------------------------

def _column(ws, title: str) -> int:
    return [c.value for c in ws[1]].index(title) + 1


def _row(ws, key: str, column: int = 1) -> int:
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, column).value == key:
            return row
    raise AssertionError(key)


def annotate(source: Path, out: Path) -> None:
    """What counsel does: notes in three sheets, one table sorted, one stray edit."""
    wb = openpyxl.load_workbook(source)
    threats = wb["Threats"]
    threats.cell(_row(threats, "T-002"), _column(threats, "Counsel notes"),
                 "Ask about the 911 call; =A1 stays text")
    chron = wb["Chronology"]
    chron.cell(_row(chron, "C-001", _column(chron, "Id")), _column(chron, "Counsel notes"),
               "Get the phone records")
    questions = wb["Questions for Counsel"]
    questions.cell(3, _column(questions, "Counsel notes"), "Discuss at our meeting")
    themes = wb["Themes"]
    themes.cell(2, _column(themes, "Counsel notes"), "Central")
    # Counsel sorted the People table backwards and corrected a name.
    people = wb["People"]
    rows = [[c.value for c in r] for r in people.iter_rows(min_row=2, max_row=people.max_row)]
    for offset, values in enumerate(reversed(rows)):
        for column, value in enumerate(values, start=1):
            people.cell(2 + offset, column).value = value  # cell(r, c, None) would not clear
    people.cell(_row(people, "P-001"), _column(people, "Name"), "Someone Else")
    wb.save(out)


def test_counsel_notes_come_back_and_other_changes_are_listed(demo, tmp_path):
    case_path, xlsx = demo
    annotate(xlsx, tmp_path / "noted.xlsx")
    report = import_case(tmp_path / "noted.xlsx", tmp_path / "back.cwb")
    _assert_notes(report, case_path, tmp_path / "back.cwb")


def _assert_notes(report, case_path: Path, back: Path) -> None:
    with CaseFile.open(back, readonly=True) as case:
        assert case.get("T-002").counsel_notes == "Ask about the 911 call; =A1 stays text"
        assert case.get("C-001").counsel_notes == "Get the phone records"
        assert case.get("P-001").name != "Someone Else"  # listed, never applied
        theme, question_theme = case.framework.themes[0], case.framework.themes[0]
        assert case.counsel_notes == {
            f"theme:{theme.id}": "Central",
            f"question:{question_theme.id}:2": "Discuss at our meeting"}
    assert len(report.notes) == 4
    changed = [c for c in report.changes]
    assert len(changed) == 1, [c.line() for c in changed]
    assert changed[0].sheet == "People" and changed[0].new == "Someone Else"
    assert changed[0].old == "J. Doe" and changed[0].cell == "C7"  # where it is now
    # Everything else is exactly the case that was exported.
    before, after = document_of(case_path), document_of(back)
    for doc in (before, after):
        doc.pop("activity"), doc.pop("counsel_notes")
        for item in doc["items"]:
            item.pop("counsel_notes"), item.pop("edited")
            item.pop("file", None)  # the exhibit files stayed behind (see the test above)
    assert before == after


def test_notes_show_in_later_exports(demo, tmp_path):
    _, xlsx = demo
    annotate(xlsx, tmp_path / "noted.xlsx")
    import_case(tmp_path / "noted.xlsx", tmp_path / "back.cwb")
    again = openpyxl.load_workbook(export(tmp_path / "back.cwb", tmp_path / "again.xlsx"))
    threats = again["Threats"]
    assert threats.cell(_row(threats, "T-002"), _column(threats, "Counsel notes")).value == \
        "Ask about the 911 call; =A1 stays text"
    assert again["Themes"].cell(2, _column(again["Themes"], "Counsel notes")).value == "Central"
    questions = again["Questions for Counsel"]
    assert questions.cell(3, _column(questions, "Counsel notes")).value == \
        "Discuss at our meeting"


# --- refusals ------------------------------------------------------------------

def test_a_foreign_workbook_is_refused(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "hello"
    wb.save(tmp_path / "foreign.xlsx")
    with pytest.raises(WorkbookReadError, match="was not written by case-workbook"):
        import_case(tmp_path / "foreign.xlsx", tmp_path / "x.cwb")
    assert not (tmp_path / "x.cwb").exists()


@pytest.mark.parametrize("content", [b"", b"not a workbook at all", b"PK\x03\x04broken"])
def test_not_a_workbook_is_refused(tmp_path, content):
    (tmp_path / "bad.xlsx").write_bytes(content)
    with pytest.raises(WorkbookReadError, match="is not an Excel workbook"):
        import_case(tmp_path / "bad.xlsx", tmp_path / "x.cwb")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlsx"]


def test_damaged_case_data_is_refused(demo, tmp_path):
    _, xlsx = demo
    wb = openpyxl.load_workbook(xlsx)
    data = wb["case-workbook data"]
    data["A2"] = data["A2"].value[:-8] + "AAAAAAAA"
    wb.save(tmp_path / "tampered.xlsx")
    with pytest.raises(WorkbookReadError, match="is damaged"):
        import_case(tmp_path / "tampered.xlsx", tmp_path / "x.cwb")
    assert not (tmp_path / "x.cwb").exists()


def test_an_existing_case_is_never_overwritten(demo, tmp_path):
    _, xlsx = demo
    (tmp_path / "x.cwb").write_bytes(b"mine")
    with pytest.raises(Exception, match="already exists"):
        import_case(xlsx, tmp_path / "x.cwb")
    assert (tmp_path / "x.cwb").read_bytes() == b"mine"


# --- LibreOffice as a real client ------------------------------------------------

def soffice(tmp_path: Path, *args: str) -> None:
    program = shutil.which("soffice") or shutil.which("libreoffice")
    assert program, "LibreOffice (libreoffice-calc) is required"
    env = dict(os.environ, HOME=str(tmp_path / "lo-home"))
    subprocess.run([program, "--headless", *args], env=env, timeout=180,
                   capture_output=True, check=False)


def test_libreoffice_resaved_workbook_with_a_note_imports_losslessly(demo, tmp_path):
    case_path, xlsx = demo
    annotate(xlsx, tmp_path / "noted.xlsx")
    (tmp_path / "lo").mkdir()
    soffice(tmp_path, "--convert-to", "xlsx", "--outdir", str(tmp_path / "lo"),
            str(tmp_path / "noted.xlsx"))
    resaved = tmp_path / "lo" / "noted.xlsx"
    assert resaved.exists(), "LibreOffice wrote nothing"
    with zipfile.ZipFile(resaved) as z:  # really LibreOffice's file, not ours
        assert b"LibreOffice" in z.read("docProps/app.xml")
    report = import_case(resaved, tmp_path / "back.cwb")
    _assert_notes(report, case_path, tmp_path / "back.cwb")


def test_libreoffice_resaved_hostile_workbook_imports_losslessly(tmp_path, case):
    case.add(Threat(summary=HOSTILE[0], details=LONG, notes="\x00\x07\x1b\r\n",
                    demand="_x001B_ literal", harm_threatened="👨‍👩‍👧 שלום"))
    for text in HOSTILE:
        case.add(Communication(summary=text, content=text))
    case.close()
    xlsx = export(case.path, tmp_path / "h.xlsx")
    (tmp_path / "lo").mkdir()
    soffice(tmp_path, "--convert-to", "xlsx", "--outdir", str(tmp_path / "lo"), str(xlsx))
    assert (tmp_path / "lo" / "h.xlsx").exists()
    report = import_case(tmp_path / "lo" / "h.xlsx", tmp_path / "back.cwb")
    assert document_of(tmp_path / "back.cwb") == document_of(case.path)
    # What LibreOffice does to control characters is not reported as counsel's changes.
    assert report.notes == [] and report.changes == [], [c.line() for c in report.changes]


def test_libreoffice_converts_the_workbook_to_csv(demo, tmp_path):
    _, xlsx = demo
    soffice(tmp_path, "--convert-to", "csv", "--outdir", str(tmp_path), str(xlsx))
    csv = tmp_path / "d.csv"
    assert csv.exists(), "LibreOffice wrote no CSV"
    text = csv.read_text(encoding="utf-8", errors="replace")
    assert "Privileged & Confidential" in text  # the Cover, the first sheet


def test_case_data_spans_many_cells_and_checks_every_piece(tmp_path, case):
    import random

    from case_workbook.export.workbook.payload import PIECE, payload_rows, read_payload

    rng = random.Random(4)
    for n in range(40):  # text that does not compress: many 32,000-character pieces
        case.add(Threat(summary=f"t{n}", details="".join(
            chr(rng.randrange(0x20, 0x2FFF)) for _ in range(6000))))
    head = case_document(case)
    rows = list(payload_rows(head, case.items(), case.iter_activity()))
    pieces = rows[1:-1]
    assert len(pieces) > 5 and all(len(p[0]) == PIECE for p in pieces[:-1])
    assert rows[-1][0] == "sha256" and rows[-1][3] == len(pieces)
    back = read_payload(iter(rows), "x.xlsx")
    assert [i.model_dump() for i in back.items] == [i.model_dump() for i in case.items()]
    for broken in (rows[:3] + rows[4:],  # a piece lost
                   rows[:-1],  # the hash row lost
                   rows[:2] + [[rows[2][0][::-1]]] + rows[3:]):  # a piece changed
        with pytest.raises(Exception, match="is damaged"):
            read_payload(iter(broken), "x.xlsx")


def test_a_broken_sheet_inside_a_good_workbook_gets_one_sentence(demo, tmp_path):
    _, xlsx = demo
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(xlsx) as source, zipfile.ZipFile(broken, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/worksheets/sheet3.xml":
                data = data[: len(data) // 2]  # the Threats sheet cut in half
            target.writestr(entry, data)
    with pytest.raises(WorkbookReadError, match="is damaged|not an Excel workbook"):
        import_case(broken, tmp_path / "x.cwb")
    # The sheets are read while the case is built: nothing of it is left behind.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.xlsx"]


@pytest.mark.parametrize("where", [0.05, 0.6], ids=["read-on-opening", "read-with-the-rows"])
def test_a_sheet_whose_compressed_data_is_broken_gets_one_sentence(demo, tmp_path, where):
    # Garbage inside a sheet's deflate stream: zlib, not openpyxl, notices it.
    _, xlsx = demo
    data = bytearray(xlsx.read_bytes())
    with zipfile.ZipFile(xlsx) as z:
        entry = z.getinfo("xl/worksheets/sheet2.xml")  # the Chronology
    start = entry.header_offset + 30 + len(entry.filename) + len(entry.extra)
    start += int(entry.compress_size * where)
    data[start: start + 60] = bytes(60)  # zeros: "invalid distance too far back"
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(bytes(data))
    with pytest.raises(WorkbookReadError, match="is damaged|not an Excel workbook"):
        import_case(broken, tmp_path / "x.cwb")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.xlsx"]
