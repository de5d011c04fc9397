"""The command line through real processes: exit codes, one-sentence errors,
no traceback in any output, and the files left as they were."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import zipfile
from contextlib import closing
from pathlib import Path

import pytest

EXE = Path(sys.executable).parent / "case-workbook"


def run(*args, cwd=None, ok=True):
    result = subprocess.run([str(EXE), *map(str, args)], capture_output=True, text=True,
                            cwd=cwd, timeout=120, stdin=subprocess.DEVNULL)
    both = result.stdout + result.stderr
    assert "Traceback" not in both, both
    if ok:
        assert result.returncode == 0, both
    return result


def one_sentence_error(result):
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("case-workbook: ")
    return lines[0]


def test_every_subcommand_has_help():
    for command in ["new", "open", "frameworks", "demo", "check", "export", "import",
                    "schema", "passphrase"]:
        assert "usage: case-workbook " + command in run(command, "--help").stdout
    assert "no legal advice" in run("--help").stdout


def test_frameworks_lists_the_four_with_sources():
    out = run("frameworks").stdout
    for framework_id in ("general", "california", "federal", "mpc"):
        assert f"\n{framework_id}: " in "\n" + out
    assert "CALCRIM 3402" in out and "§2.09" in out and "Bailey" in out
    listed = json.loads(run("frameworks", "--json").stdout)
    assert [f["id"] for f in listed] == ["general", "california", "federal", "mpc"]


def test_new_then_check(tmp_path):
    path = tmp_path / "mine.cwb"
    run("new", path, "--framework", "california", "--title", "My case", "--charge", "PC 459")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    result = run("check", path)
    assert "All checks passed." in result.stdout
    again = run("new", path, "--title", "x", ok=False)
    assert "already exists" in one_sentence_error(again)
    bad = run("new", tmp_path / "x.cwb", "--framework", "nowhere", "--title", "x", ok=False)
    assert "nowhere" in one_sentence_error(bad)
    blank = run("new", tmp_path / "y.cwb", "--title", "  ", ok=False)
    assert "title" in one_sentence_error(blank)
    assert not (tmp_path / "x.cwb").exists() and not (tmp_path / "y.cwb").exists()


def test_demo_check_export_import_round_trip(tmp_path):
    demo = tmp_path / "d.cwb"
    shown = run("demo", demo).stdout
    assert "Chronology" in shown and "before the act began" in shown
    assert run("check", demo).returncode == 0
    with closing(sqlite3.connect(demo)) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert stat.S_IMODE(demo.stat().st_mode) == 0o600
    run("export", demo, "--format", "json", "-o", tmp_path / "a.json")
    run("import", tmp_path / "a.json", "-o", tmp_path / "e.cwb")
    run("export", tmp_path / "e.cwb", "--format", "json", "-o", tmp_path / "b.json")
    a = json.loads((tmp_path / "a.json").read_text())
    b = json.loads((tmp_path / "b.json").read_text())
    a.pop("exported_at"), b.pop("exported_at")
    assert a == b
    assert len(a["items"]) >= 25
    refused = run("export", demo, "-o", tmp_path / "a.json", ok=False)
    assert "already exists" in one_sentence_error(refused)


def test_demo_without_path_goes_to_the_data_folder(private_user_dirs):
    result = run("demo", "--no-open")
    path = private_user_dirs / "xdg_data_home" / "case-workbook" / "demo.cwb"
    assert str(path) in result.stdout and path.exists()
    assert "is at" in run("demo", "--no-open").stdout  # kept, not rebuilt


def _hostile(tmp_path: Path, demo: Path) -> dict[str, Path]:
    out = {}
    out["random"] = tmp_path / "random.cwb"
    out["random"].write_bytes(os.urandom(4096))
    data = demo.read_bytes()
    out["truncated"] = tmp_path / "truncated.cwb"
    out["truncated"].write_bytes(data[: len(data) // 3])
    out["unrelated"] = tmp_path / "unrelated.cwb"
    with closing(sqlite3.connect(out["unrelated"])) as raw:
        raw.execute("CREATE TABLE t (x)")
        raw.commit()
    out["zip"] = tmp_path / "renamed.cwb"
    with zipfile.ZipFile(out["zip"], "w") as archive:
        archive.writestr("a.txt", "hello")
    out["empty"] = tmp_path / "empty.cwb"
    out["empty"].write_bytes(b"")
    out["directory"] = tmp_path / "dir.cwb"
    out["directory"].mkdir()
    out["missing"] = tmp_path / "missing.cwb"
    return out


@pytest.mark.parametrize("kind", ["random", "truncated", "unrelated", "zip", "empty",
                                  "directory", "missing"])
def test_check_refuses_hostile_files_without_changing_them(kind, tmp_path):
    demo = tmp_path / "d.cwb"
    run("demo", demo, "--no-open")
    path = _hostile(tmp_path, demo)[kind]
    before = path.read_bytes() if path.is_file() else None
    listing = sorted(p.name for p in tmp_path.iterdir())
    for command in (["check", path], ["export", path, "-o", tmp_path / "out.json"]):
        message = one_sentence_error(run(*command, ok=False))
        assert str(path.name) in message
    if before is not None:
        assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing


def test_bad_arguments_get_one_sentence(tmp_path):
    result = run("export", ok=False)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    result = run("import", tmp_path / "nothing.json", "-o", tmp_path / "x.cwb", ok=False)
    assert "nothing.json" in one_sentence_error(result)


def test_check_reports_a_changed_referenced_exhibit(tmp_path):
    from case_workbook.model.case import CaseHeader, CaseSettings
    from case_workbook.model.framework import load_builtin
    from case_workbook.store.case_file import CaseFile
    from case_workbook.store.exhibits import add_exhibit_file

    big = tmp_path / "video.bin"
    big.write_bytes(b"0" * 5000)
    path = tmp_path / "c.cwb"
    with CaseFile.create(path, CaseHeader(title="t"), load_builtin("general"),
                         CaseSettings(copy_limit_bytes=1000)) as case:
        exhibit = add_exhibit_file(case, big)
        assert exhibit.file.storage.value == "reference"
    assert run("check", path).returncode == 0
    big.write_bytes(b"1" * 5000)
    result = run("check", path, ok=False)
    assert result.returncode == 1 and "DX-0001: changed" in result.stdout
    big.unlink()
    assert "DX-0001: missing" in run("check", path, ok=False).stdout


def test_schema_prints_json_schema():
    schema = json.loads(run("schema").stdout)
    assert schema["title"] == "CaseDocument" and "items" in schema["properties"]


def test_python_dash_m_works():
    result = subprocess.run([sys.executable, "-m", "case_workbook", "--version"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("case-workbook ")


def test_open_refuses_a_non_case_in_one_sentence(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    assert "not a case-workbook case file" in one_sentence_error(run("open", path, ok=False))
    assert path.read_text() == "hello"


def test_open_without_a_terminal_prints_the_case(tmp_path):
    demo = tmp_path / "d.cwb"
    run("demo", demo, "--no-open")
    shown = run("open", demo).stdout
    assert "People v. Doe (demo)" in shown and "Chronology" in shown


def test_new_case_takes_the_zone_given_or_this_computers(tmp_path):
    from case_workbook.store.case_file import CaseFile

    run("new", tmp_path / "la.cwb", "--title", "LA", "--zone", "America/Los_Angeles")
    with CaseFile.open(tmp_path / "la.cwb", readonly=True) as case:
        assert case.settings.default_tz == "America/Los_Angeles"
    bad = run("new", tmp_path / "x.cwb", "--title", "x", "--zone", "Mars/Olympus", ok=False)
    assert "Mars/Olympus" in one_sentence_error(bad)
    result = subprocess.run([str(EXE), "new", str(tmp_path / "tz.cwb"), "--title", "t"],
                            capture_output=True, text=True, env={**os.environ,
                                                                 "TZ": "Europe/Berlin"})
    assert result.returncode == 0, result.stderr
    with CaseFile.open(tmp_path / "tz.cwb", readonly=True) as case:
        assert case.settings.default_tz == "Europe/Berlin"


def test_export_writes_the_workbook_for_xlsx_and_json_for_json(tmp_path):
    from openpyxl import load_workbook

    demo = tmp_path / "d.cwb"
    run("demo", demo, "--no-open")
    run("export", demo, "-o", tmp_path / "counsel.xlsx")
    book = load_workbook(tmp_path / "counsel.xlsx", read_only=True)
    assert book.sheetnames[0] == "Cover" and "Questions for Counsel" in book.sheetnames
    assert stat.S_IMODE((tmp_path / "counsel.xlsx").stat().st_mode) == 0o600
    run("export", demo, "-o", tmp_path / "whole.json")
    assert json.loads((tmp_path / "whole.json").read_text())["format"] == "case-workbook"
    run("export", demo, "--format", "xlsx", "-o", tmp_path / "book")
    with open(tmp_path / "book", "rb") as handle:  # no ending: openpyxl needs a handle
        assert load_workbook(handle, read_only=True).sheetnames[0] == "Cover"


def _tamper_with_an_item(case: Path) -> None:
    """What an outside program might do: an item's stored data no longer reads."""
    with closing(sqlite3.connect(case)) as raw:
        raw.execute("""UPDATE items SET data = '{"kind": "threat", "id": 5}' WHERE id = 'T-001'""")
        raw.commit()


def test_an_item_changed_outside_the_app_gets_one_sentence(tmp_path):
    demo = tmp_path / "d.cwb"
    run("demo", demo, "--no-open")
    _tamper_with_an_item(demo)
    before = demo.read_bytes()
    result = run("check", demo, ok=False)
    assert result.returncode == 1 and "an item cannot be read" in result.stdout
    for out in ("out.xlsx", "out.json"):
        message = one_sentence_error(run("export", demo, "-o", tmp_path / out, ok=False))
        assert "is damaged: one of its items cannot be read" in message
        assert not (tmp_path / out).exists()
    assert demo.read_bytes() == before
