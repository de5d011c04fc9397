"""The JSON interchange format: export → import → export gives the same case."""

from __future__ import annotations

import json

import pytest

from case_workbook.export.interchange import InterchangeError, export_json, read_json
from case_workbook.model.document import CaseDocument
from case_workbook.model.items import Person, ThemeLink, Threat
from case_workbook.model.when import parse_when
from case_workbook.store.build import build_case
from case_workbook.store.case_file import CaseFile
from case_workbook.store.errors import CaseFileError
from case_workbook.store.exhibits import add_exhibit_file, read_blob

HOSTILE = ["=SUM(A1:A9)", "+1 555 0100", "-- see you", "@here", "[/x] [bold]no[/bold]",
           "\x00\x07\x1b[31m", "👨‍👩‍👧 family", "שלום עליכם", "x" * 40_000]


def _same_case(a: dict, b: dict) -> None:
    for doc in (a, b):
        doc.pop("exported_at")
    assert a == b


def test_export_import_export_is_lossless(case, tmp_path):
    person = case.add(Person(name="R. C."))
    blob = tmp_path / "voicemail.txt"
    blob.write_bytes(bytes(range(256)) * 50)
    exhibit = add_exhibit_file(case, blob, bates="B-1")
    theme = case.framework.themes[1].id
    for n, text in enumerate(HOSTILE):
        case.add(Threat(summary=text, details=text, made_by=[person.id],
                        exhibits=[exhibit.id], when=parse_when(f"2026-03-{n + 1:02d}", "UTC"),
                        themes=[ThemeLink(theme_id=theme, note=text)]))
    deleted = case.add(Threat(summary="gone"))
    case.delete(deleted.id)

    a = tmp_path / "a.json"
    export_json(case, a)
    rebuilt = build_case(read_json(a), tmp_path / "e.cwb")
    b = tmp_path / "b.json"
    with CaseFile.open(rebuilt) as again:
        export_json(again, b)
        assert b"".join(read_blob(again, exhibit.file.sha256)) == blob.read_bytes()
        assert again.add(Threat(summary="next")).id == "T-011"  # T-010 stays retired
    _same_case(json.loads(a.read_text()), json.loads(b.read_text()))
    assert (a.stat().st_mode & 0o777) == 0o600


def test_json_is_readable_and_files_are_base64(case, tmp_path):
    doc = tmp_path / "doc.txt"
    doc.write_text("hello")
    add_exhibit_file(case, doc)
    out = tmp_path / "a.json"
    export_json(case, out)
    data = json.loads(out.read_text())
    assert data["format"] == "case-workbook" and data["version"] == 1
    assert list(data["files"].values()) == ["aGVsbG8="]
    assert data["items"][0]["id"] == "DX-0001"
    CaseDocument.model_validate(data)


@pytest.mark.parametrize("content, words", [
    (b"", "not valid JSON"),
    (b"\xff\xfe", "not UTF-8"),
    (b"[1, 2]", "not a case-workbook export"),
    (b'{"format": "case-workbook", "version": 7}', "version 7"),
    (b'{"format": "case-workbook", "version": 1}', "not a valid case export: case_id"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply|not a case-workbook"),
])
def test_bad_json_gets_one_sentence(tmp_path, content, words):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(InterchangeError, match=words) as caught:
        read_json(path)
    assert "\n" not in str(caught.value)


def test_wrong_item_field_names_its_place(case, tmp_path):
    case.add(Threat(summary="x"))
    out = tmp_path / "a.json"
    export_json(case, out)
    data = json.loads(out.read_text())
    data["items"][0]["made_by"] = "P-001"
    out.write_text(json.dumps(data))
    with pytest.raises(InterchangeError, match=r"items\[0\]\.made_by"):
        read_json(out)


def test_a_refused_value_from_the_file_is_not_repeated(case, tmp_path):
    out = tmp_path / "a.json"
    export_json(case, out)
    data = json.loads(out.read_text())
    data["settings"]["default_tz"] = "Zq9secret/Place"
    out.write_text(json.dumps(data))
    with pytest.raises(InterchangeError, match="settings.default_tz") as caught:
        read_json(out)
    assert "Zq9secret" not in str(caught.value) and "not known here" in str(caught.value)


def test_import_with_broken_links_leaves_no_file(case, tmp_path):
    case.add(Threat(summary="x"))
    out = tmp_path / "a.json"
    export_json(case, out)
    data = json.loads(out.read_text())
    data["items"][0]["made_by"] = ["P-404"]
    out.write_text(json.dumps(data))
    target = tmp_path / "new.cwb"
    listing = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(CaseFileError, match="P-404"):
        build_case(read_json(out), target)
    assert sorted(p.name for p in tmp_path.iterdir()) == listing


@pytest.mark.parametrize("bad_id, named", [("X-001", "The id X-001"),
                                           ("Q" * 5000, "The id of item 1"),
                                           ("T\n\x1b[2J", "The id of item 1")])
def test_an_id_that_does_not_fit_its_kind_is_named_only_when_short(case, tmp_path, bad_id,
                                                                   named):
    case.add(Threat(summary="x"))
    out = tmp_path / "a.json"
    export_json(case, out)
    data = json.loads(out.read_text())
    data["items"][0]["id"] = bad_id
    out.write_text(json.dumps(data))
    with pytest.raises(CaseFileError) as raised:
        build_case(read_json(out), tmp_path / "new.cwb")
    sentence = str(raised.value)
    assert sentence.startswith(named) and "does not fit its kind" in sentence
    assert len(sentence) < 120
