"""The workbook from the command line, as a person runs it: export with a
password and with the exhibit files, import it back, and the refusals."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

EXE = Path(sys.executable).parent / "case-workbook"


def run(*args, ok=True):
    result = subprocess.run([str(EXE), *map(str, args)], capture_output=True, text=True,
                            timeout=180, stdin=subprocess.DEVNULL)
    both = result.stdout + result.stderr
    assert "Traceback" not in both, both
    if ok:
        assert result.returncode == 0, both
    else:
        assert result.returncode != 0, both
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    run("demo", folder / "d.cwb", "--no-open")
    return folder / "d.cwb"


def _json(case: Path, tmp: Path, name: str) -> dict:
    import json

    run("export", case, "-o", tmp / name)
    body = json.loads((tmp / name).read_text(encoding="utf-8"))
    body.pop("exported_at")
    return body


def test_encrypted_export_imports_with_the_password(demo, tmp_path):
    (tmp_path / "pw").write_text("correct horse\n", encoding="utf-8")
    out = run("export", demo, "-o", tmp_path / "sealed.xlsx", "--password-file", tmp_path / "pw",
              "--with-exhibits")
    assert "protected by a password" in out.stdout
    sealed = tmp_path / "sealed.xlsx"
    assert stat.S_IMODE(os.stat(sealed).st_mode) == 0o600
    assert sealed.read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")  # not a plain zip
    with pytest.raises(Exception):
        openpyxl.load_workbook(sealed)

    (tmp_path / "wrong").write_text("wrong horse\n", encoding="utf-8")
    refused = run("import", sealed, "-o", tmp_path / "x.cwb", "--password-file",
                  tmp_path / "wrong", ok=False)
    assert refused.stderr.strip() == "case-workbook: The password for sealed.xlsx is not correct."
    assert not (tmp_path / "x.cwb").exists()
    asked = run("import", sealed, "-o", tmp_path / "x.cwb", ok=False)  # no terminal to ask on
    assert "--password-file" in asked.stderr

    run("import", sealed, "-o", tmp_path / "back.cwb", "--password-file", tmp_path / "pw")
    assert _json(tmp_path / "back.cwb", tmp_path, "b.json")["items"] == \
        _json(demo, tmp_path, "a.json")["items"]


def test_with_exhibits_writes_verified_files_linked_from_the_sheet(demo, tmp_path):
    out = tmp_path / "for counsel.xlsx"
    result = run("export", demo, "-o", out, "--with-exhibits")
    assert "Wrote 4 exhibit files" in result.stdout
    folder = tmp_path / "for counsel exhibits"
    names = sorted(p.name for p in folder.iterdir())
    assert names[0].startswith("DX-0001 ") and len(names) == 4
    ws = openpyxl.load_workbook(out)["Exhibits"]
    headers = [c.value for c in ws[1]]
    column = headers.index("Original file name")
    targets = []
    for row in ws.iter_rows(min_row=2):
        link = row[column].hyperlink
        assert link is not None and link.target and not link.target.startswith(("/", "file:"))
        targets.append(link.target)
    from urllib.parse import unquote

    for target in targets:
        assert (tmp_path / unquote(target)).is_file(), target
    # Every copied file is byte-for-byte what the case recorded.
    wb = openpyxl.load_workbook(out)["Exhibits"]
    sha_column = headers.index("SHA-256")
    recorded = {r[0].value: r[sha_column].value for r in wb.iter_rows(min_row=2)}
    for path in folder.iterdir():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == recorded[path.name.split()[0]]

    # The same export again is refused, nothing changed; --force replaces both.
    before = out.read_bytes()
    run("export", demo, "-o", out, "--with-exhibits", ok=False)
    assert out.read_bytes() == before
    run("export", demo, "-o", out, "--with-exhibits", "--force")

    # Brought back: the files come in from the folder and check finds them whole.
    imported = run("import", out, "-o", tmp_path / "back.cwb")
    assert "Exhibit files brought back and verified: 4." in imported.stdout
    check = run("check", tmp_path / "back.cwb")
    assert "4 unchanged, 0 changed, 0 missing" in check.stdout


def test_import_reports_notes_and_changed_cells(demo, tmp_path):
    run("export", demo, "-o", tmp_path / "w.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "w.xlsx")
    ws = wb["Threats"]
    headers = [c.value for c in ws[1]]
    ws.cell(2, headers.index("Counsel notes") + 1).value = "Call me about this one"
    ws.cell(2, headers.index("Summary") + 1).value = "edited by counsel"
    wb.save(tmp_path / "w.xlsx")
    result = run("import", tmp_path / "w.xlsx", "-o", tmp_path / "back.cwb")
    assert "Counsel's notes brought in: 1." in result.stdout
    assert "(listed, not applied): 1." in result.stdout
    assert '→ "edited by counsel"' in result.stdout


def test_foreign_and_broken_workbooks_get_one_sentence(tmp_path):
    wb = openpyxl.Workbook()
    wb.save(tmp_path / "other.xlsx")
    refused = run("import", tmp_path / "other.xlsx", "-o", tmp_path / "x.cwb", ok=False)
    assert "was not written by case-workbook" in refused.stderr
    (tmp_path / "junk.xlsx").write_bytes(os.urandom(4000))
    refused = run("import", tmp_path / "junk.xlsx", "-o", tmp_path / "x.cwb", ok=False)
    assert "is not an Excel workbook" in refused.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.xlsx", "other.xlsx"]


def test_password_options_apply_to_workbooks_only(demo, tmp_path):
    (tmp_path / "pw").write_text("x\n", encoding="utf-8")
    refused = run("export", demo, "-o", tmp_path / "a.json", "--password-file", tmp_path / "pw",
                  ok=False)
    assert "not to a JSON export" in refused.stderr
    (tmp_path / "empty").write_text("\n", encoding="utf-8")
    refused = run("export", demo, "-o", tmp_path / "a.xlsx", "--password-file",
                  tmp_path / "empty", ok=False)
    assert "empty" in refused.stderr
    assert not (tmp_path / "a.xlsx").exists() and not (tmp_path / "a.json").exists()
