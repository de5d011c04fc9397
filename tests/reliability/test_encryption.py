"""Encrypted case files: nothing of the content in the file's bytes, a wrong or
missing passphrase is one sentence, the passphrase can be changed, and undo,
export, import and migration work as on a plain case."""

from __future__ import annotations

import hashlib
import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from case_workbook.model.case import CaseHeader
from case_workbook.model.items import Communication, Threat
from case_workbook.store import driver
from case_workbook.store.case_file import CaseFile
from case_workbook.store.errors import CaseFileError
from case_workbook.store.inspect import NeedsPassphraseError, is_encrypted_case
from case_workbook.store.schema import SCHEMA_VERSION, migrate

EXE = Path(sys.executable).parent / "case-workbook"
MARK = "Zephyrine-Quillfeather"  # found nowhere but in what the case holds
PASS = "a long passphrase, with 'quotes'"
NEW_PASS = "another one; \"double\" too"

pytestmark = pytest.mark.skipif(not driver.encryption_available(),
                                reason="sqlcipher3 has no build for this platform")


def run(*args: object, cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([str(EXE), *map(str, args)], capture_output=True, text=True,
                            cwd=cwd, timeout=120, stdin=subprocess.DEVNULL)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def refused(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("case-workbook: "), result.stderr
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leaks(data: bytes) -> bool:
    return any(form in data for form in (MARK.encode(), MARK.encode("utf-16-le"),
                                         MARK.lower().encode(), MARK[:12].encode()))


@pytest.fixture
def encrypted(tmp_path, framework) -> Path:
    path = tmp_path / "secret.cwb"
    with CaseFile.create(path, CaseHeader(title=f"{MARK} title", defendant=MARK), framework,
                         passphrase=PASS) as case:
        case.add(Threat(summary=f"{MARK} threat", harm_threatened=MARK * 40))
        case.add(Communication(summary=f"{MARK} message", content=MARK * 200))
    return path


@pytest.fixture
def pass_file(tmp_path) -> Path:
    path = tmp_path / "pass.txt"
    path.write_text(PASS + "\n", encoding="utf-8")
    return path


def test_no_content_in_the_files_bytes_open_or_closed(encrypted, tmp_path):
    # The control: the same content in a plain case is found by the same search.
    plain = tmp_path / "plain.cwb"
    with CaseFile.create(plain, CaseHeader(title=f"{MARK} title"), CaseFile.open(
            encrypted, readonly=True, passphrase=PASS).framework) as case:
        case.add(Threat(summary=f"{MARK} threat"))
    assert leaks(plain.read_bytes())

    assert is_encrypted_case(encrypted) and not leaks(encrypted.read_bytes())
    assert stat.S_IMODE(encrypted.stat().st_mode) == 0o600
    with CaseFile.open(encrypted, passphrase=PASS) as case:
        case.add(Threat(summary=f"{MARK} written while open"))
        beside = [p for p in tmp_path.iterdir() if p.name.startswith("secret.cwb")]
        assert {p.name for p in beside} >= {"secret.cwb", "secret.cwb-wal"}
        for path in beside:
            assert not leaks(path.read_bytes()), path.name
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path.name
    assert not leaks(encrypted.read_bytes())


def test_missing_or_wrong_passphrase_is_one_sentence_and_changes_nothing(encrypted, tmp_path):
    before = digest(encrypted)
    with pytest.raises(NeedsPassphraseError, match="opens only with its passphrase"):
        CaseFile.open(encrypted)
    with pytest.raises(driver.WrongPassphraseError, match="does not open secret.cwb"):
        CaseFile.open(encrypted, passphrase="not the passphrase")
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase\n")
    for args in (("check", encrypted), ("export", encrypted, "-o", tmp_path / "o.xlsx"),
                 ("open", encrypted)):
        line = refused(run(*args, cwd=tmp_path))
        assert "--passphrase-file" in line
        line = refused(run(*args, "--passphrase-file", wrong, cwd=tmp_path))
        assert "does not open secret.cwb" in line and "not the passphrase" not in line
        assert MARK not in line
    assert digest(encrypted) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret.cwb", "wrong.txt"]


def test_cli_new_check_open_with_a_passphrase_file(tmp_path, pass_file):
    made = run("new", "c.cwb", "--title", MARK, "--passphrase-file", pass_file, cwd=tmp_path)
    assert made.returncode == 0 and "encrypted" in made.stdout
    path = tmp_path / "c.cwb"
    assert is_encrypted_case(path) and not leaks(path.read_bytes())
    checked = run("check", path, "--passphrase-file", pass_file, cwd=tmp_path)
    assert checked.returncode == 0 and "All checks passed." in checked.stdout
    assert "Encrypted: yes" in checked.stdout
    shown = run("open", path, "--passphrase-file", pass_file, cwd=tmp_path)
    assert shown.returncode == 0 and MARK in shown.stdout
    short = tmp_path / "short.txt"
    short.write_text("seven7\n")
    line = refused(run("new", "d.cwb", "--title", "x", "--passphrase-file", short,
                       cwd=tmp_path))
    assert "at least 8 characters" in line and not (tmp_path / "d.cwb").exists()
    line = refused(run("new", "e.cwb", "--title", "x", "--encrypt", cwd=tmp_path))
    assert "needs a terminal" in line and not (tmp_path / "e.cwb").exists()


def test_undo_export_and_round_trip_work_the_same(encrypted, tmp_path, pass_file):
    with CaseFile.open(encrypted, passphrase=PASS) as case:
        added = case.add(Threat(summary="to be undone"))
        assert case.undo() is not None
        assert not any(i.id == added.id for i in case.items())
        edited = case.update(case.get("T-001").model_copy(update={"summary": "changed"}))
        assert edited.summary == "changed"
        case.undo()
        assert case.get("T-001").summary == f"{MARK} threat"
    for out in ("o.xlsx", "o.json"):
        result = run("export", encrypted, "-o", out, "--passphrase-file", pass_file,
                     cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    sheets = load_workbook(tmp_path / "o.xlsx", read_only=True)
    assert any(MARK in str(cell) for ws in sheets for row in ws.iter_rows(values_only=True)
               for cell in row)
    sheets.close()
    for source, target in (("o.json", "back-json.cwb"), ("o.xlsx", "back-xlsx.cwb")):
        result = run("import", source, "-o", target, "--passphrase-file", pass_file,
                     cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert is_encrypted_case(tmp_path / target)
        assert not leaks((tmp_path / target).read_bytes())
        with CaseFile.open(tmp_path / target, passphrase=PASS) as back, \
                CaseFile.open(encrypted, passphrase=PASS, readonly=True) as original:
            assert [i.model_dump() for i in back.items()] == \
                   [i.model_dump() for i in original.items()]
    document = json.loads((tmp_path / "o.json").read_text())
    assert document["header"]["title"] == f"{MARK} title"


def test_changing_the_passphrase(encrypted, tmp_path, pass_file):
    new_file = tmp_path / "new.txt"
    new_file.write_text(NEW_PASS + "\n")
    result = run("passphrase", encrypted, "--passphrase-file", pass_file,
                 "--new-passphrase-file", new_file, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "was changed" in result.stdout
    with pytest.raises(driver.WrongPassphraseError):
        CaseFile.open(encrypted, passphrase=PASS)
    with CaseFile.open(encrypted, passphrase=NEW_PASS) as case:
        assert case.get("T-001").summary == f"{MARK} threat"
        assert case.activity("case")[-1].action == "passphrase"
        assert case.activity("case")[-1].after is None  # when, never what
    assert not leaks(encrypted.read_bytes())
    assert not Path(f"{encrypted}-wal").exists()
    plain = tmp_path / "plain.cwb"
    assert run("new", plain, "--title", "p", cwd=tmp_path).returncode == 0
    line = refused(run("passphrase", plain, "--new-passphrase-file", new_file, cwd=tmp_path))
    assert "not encrypted" in line


def test_an_older_encrypted_case_is_backed_up_encrypted_then_migrated(tmp_path, framework):
    path = tmp_path / "old.cwb"
    path.touch(mode=0o600)
    conn = driver.connect(path, key=PASS)
    migrate(conn, upto=1)
    meta = {"case_id": "cd" * 16, "created": "2026-01-02T03:04:05+00:00",
            "header": {"title": f"{MARK} old"}, "settings": {},
            "framework": framework.model_dump(mode="json")}
    conn.executemany("INSERT INTO meta VALUES (?, ?)",
                     [(k, json.dumps(v)) for k, v in meta.items()])
    conn.close()
    with CaseFile.open(path, passphrase=PASS) as case:
        assert case.migrated_from == 1 and case.schema_version == SCHEMA_VERSION
        backup = case.backup_path
    assert backup is not None and is_encrypted_case(backup)
    assert not leaks(backup.read_bytes()) and not leaks(path.read_bytes())
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    with CaseFile.open(backup, passphrase=PASS, readonly=True) as old:
        assert old.schema_version == 1 and old.header.title == f"{MARK} old"


def test_new_passphrase_rules():
    for bad, words in (("short", "at least 8"), (" padded passphrase ", "begin or end"),
                       ("nul\x00inside!", "NUL")):
        with pytest.raises(CaseFileError, match=words):
            driver.check_new_passphrase(bad)
    driver.check_new_passphrase("eight ch")


def _in_a_terminal(args: list[str], answers: list[str], cwd: Path) -> tuple[int, str]:
    """Run the CLI with a pseudo-terminal as its controlling terminal (where
    getpass asks), typing each answer after its prompt; (exit status, screen)."""
    import os
    import pty
    import select

    pid, fd = pty.fork()
    if pid == 0:  # the child: becomes the command
        os.chdir(cwd)
        os.execv(str(EXE), [str(EXE), *args])
    seen, pending, mark = b"", list(answers), 0
    while True:
        ready, _, _ = select.select([fd], [], [], 60)
        if not ready:
            os.kill(pid, 9)
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
        fresh = seen[mark:].strip()  # what came since the last answer
        if pending and fresh.endswith(b":"):
            os.write(fd, (pending.pop(0) + "\n").encode())
            mark = len(seen)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), seen.decode(errors="replace")


def test_passphrases_typed_at_the_prompt(tmp_path):
    code, screen = _in_a_terminal(["new", "t.cwb", "--title", "typed", "--encrypt"],
                                  [PASS, PASS], tmp_path)
    assert code == 0, screen
    assert "New passphrase:" in screen and "The same passphrase again:" in screen
    assert PASS not in screen  # not echoed
    path = tmp_path / "t.cwb"
    assert is_encrypted_case(path)
    code, screen = _in_a_terminal(["check", "t.cwb"], [PASS], tmp_path)
    assert code == 0 and "All checks passed." in screen, screen
    code, screen = _in_a_terminal(["passphrase", "t.cwb"], [PASS, NEW_PASS, "different!"],
                                  tmp_path)
    assert code == 1 and "differ" in screen, screen
    code, screen = _in_a_terminal(["new", "u.cwb", "--title", "x", "--encrypt"],
                                  [PASS, PASS + "x"], tmp_path)
    assert code == 1 and "differ" in screen and not (tmp_path / "u.cwb").exists()
    with CaseFile.open(path, passphrase=PASS) as case:
        assert case.header.title == "typed"
