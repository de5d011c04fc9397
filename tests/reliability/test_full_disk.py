"""A full disk, for real: editing, exporting, copying exhibits and upgrading
an older case when the disk fills or a file may grow no further.

Two real failures, no mocks: a small tmpfs filled to the last page with a
filler file (writes fail with ENOSPC), and the command line run with
RLIMIT_FSIZE (writes past the limit fail with EFBIG). Each failure must be
one plain sentence, leave no partial or temporary file behind, and leave the
case as it was: it opens afterwards, SQLite's integrity check is ok, and
every edit that had been saved is there.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

import pytest
from disk_support import (
    cli_failed_in_one_sentence,
    fill,
    listing,
    mounted_small_disk,
    one_sentence,
    run_cli,
)

from case_workbook.cli import user_message
from case_workbook.model.case import CaseHeader
from case_workbook.model.framework import load_builtin
from case_workbook.model.items import Exhibit, Kind, ThemeLink, Threat
from case_workbook.store.case_file import CaseFile
from case_workbook.store.errors import CaseFileError
from case_workbook.store.exhibits import add_exhibit_file
from case_workbook.store.schema import SCHEMA_VERSION, migrate

FRAMEWORK = load_builtin("general")
BIG = 300_000  # an exhibit file larger than the limits below


@pytest.fixture
def small_disk(tmp_path):
    with mounted_small_disk(tmp_path / "disk", "4m") as disk:
        yield disk


def _integrity(path: Path) -> str:
    with closing(sqlite3.connect(path)) as raw:
        return raw.execute("PRAGMA integrity_check").fetchone()[0]


def _exhibit_case(folder: Path, wordy: bool = False) -> Path:
    """A case with a small exhibit and one of BIG bytes, on a roomy disk;
    `wordy`: with enough text that its workbook is larger than 100 kB."""
    path = folder / "exhibits.cwb"
    with CaseFile.create(path, CaseHeader(title="Exhibits"), FRAMEWORK) as case:
        case.add(Threat(summary="a threat"))
        for _ in range(40 if wordy else 0):
            case.add(Threat(summary="words", details=os.urandom(1500).hex()))
        for name, size in (("note.txt", 2_000), ("video.bin", BIG)):
            source = folder / name
            source.write_bytes(os.urandom(size))
            add_exhibit_file(case, source)
            source.unlink()
    return path


# --- (a) editing through the store when the disk fills ------------------------

@pytest.mark.parametrize("slack", [0, 20_000, 90_000])
def test_edits_on_a_full_disk_fail_in_one_sentence_and_lose_nothing(small_disk, slack):
    path = small_disk / "case.cwb"
    expected: dict[str, str] = {}
    case = CaseFile.create(path, CaseHeader(title="Full disk"), FRAMEWORK, actor="tester")
    for n in range(5):
        expected[case.add(Threat(summary=f"before {n}")).id] = f"before {n}"
    filler = fill(small_disk, leave=slack)
    failures, saved = [], 5
    for step in range(200):
        text = f"step {step} " + "x" * 30_000  # the log must grow to hold it
        try:
            if step % 3 == 2 and len(expected) > 1:
                victim = sorted(expected)[step % len(expected)]
                case.delete(victim)
                del expected[victim]
            elif step % 3 == 1:
                target = case.get(sorted(expected)[0])
                case.update(target.model_copy(update={"summary": text}))
                expected[target.id] = text
            else:
                expected[case.add(Threat(summary=text)).id] = text
            saved += 1
        except CaseFileError as error:
            failures.append(one_sentence(str(error)))
            if len(failures) == 4:
                break
    assert failures, "the disk never filled"
    assert all("disk is full" in f for f in failures), failures
    case.close()
    assert "case.cwb.lock" not in listing(small_disk)

    # Still full: the case opens (or says in one sentence why not) and is whole.
    try:
        with CaseFile.open(path) as again:
            assert {i.id: i.summary for i in again.items()} == expected
    except CaseFileError as error:
        one_sentence(str(error))
    filler.unlink()
    with CaseFile.open(path) as again:
        assert {i.id: i.summary for i in again.items()} == expected
        edits = [e for e in again.activity() if e.entity != "case"]
        assert len(edits) == saved  # one log entry per saved edit, none for a failed one
        assert again.add(Threat(summary="after")).id  # and it takes edits again
    assert _integrity(path) == "ok"
    assert listing(small_disk) == ["case.cwb"]


def test_a_case_closed_on_a_full_disk_opens_once_there_is_room(small_disk):
    """Closing copies the log into the main file; on a full disk that copy
    stops part way, which is safe (the log keeps every page). The case must
    open again once there is room, not be called damaged."""
    path = small_disk / "case.cwb"
    case = CaseFile.create(path, CaseHeader(title="Closed when full"), FRAMEWORK)
    summaries = {case.add(Threat(summary=f"{n} " + "s" * 8_000)).id for n in range(30)}
    filler = fill(small_disk)
    case.close()
    filler.unlink()
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as raw:
        assert raw.execute("SELECT count(*) FROM items").fetchone()[0] == 30  # all there
    with CaseFile.open(path) as again:
        assert {i.id for i in again.items()} == summaries


# --- (b) exporting on a file-size limit and on a full disk -------------------

@pytest.fixture(scope="module")
def demo_case(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    result = run_cli("demo", folder / "demo.cwb", "--no-open")
    assert result.returncode == 0, result.stderr
    return folder / "demo.cwb"


@pytest.mark.parametrize("name, extra", [("out.xlsx", []), ("out.json", []),
                                         ("out.xlsx", ["--password-file", "PW"])])
@pytest.mark.parametrize("existing", [False, True])
def test_export_past_the_file_size_limit_is_one_sentence_and_leaves_nothing(
        demo_case, tmp_path, name, extra, existing):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / name
    if existing:  # --force must not lose the old export when the new one fails
        out.write_bytes(b"the previous export")
    password = tmp_path / "pw.txt"
    password.write_text("a long password\n")
    extra = [str(password) if arg == "PW" else arg for arg in extra]
    before = listing(out_dir), listing(demo_case.parent)
    # Above SQLite's 32 KiB shared-memory file, below every export of the demo.
    result = run_cli("export", demo_case, "-o", out, "--force", *extra, limit=40_000)
    sentence = cli_failed_in_one_sentence(result)
    assert "larger than this system allows" in sentence
    assert (listing(out_dir), listing(demo_case.parent)) == before
    if existing:
        assert out.read_bytes() == b"the previous export"
    assert run_cli("check", demo_case).returncode == 0


def test_a_sheet_cut_short_by_the_file_size_limit_is_one_sentence(demo_case, tmp_path):
    """Below 20 kB a sheet's own temporary file fails, while openpyxl holds it:
    the failure used to print a traceback when the abandoned sheet was
    collected. (A limit this low also stops SQLite's shared-memory file, so
    the case is copied, so that nothing is left beside the original.)"""
    case = tmp_path / "copy.cwb"
    case.write_bytes(demo_case.read_bytes())
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    result = run_cli("export", case, "-o", out_dir / "out.xlsx", limit=20_000)
    assert "larger than this system allows" in cli_failed_in_one_sentence(result)
    assert listing(out_dir) == []


@pytest.mark.parametrize("slack", [0, 30_000, 90_000])
@pytest.mark.parametrize("name, extra", [("out.xlsx", []), ("out.json", []),
                                         ("out.xlsx", ["--with-exhibits"])])
def test_export_to_a_full_disk_is_one_sentence_and_leaves_nothing(
        tmp_path, small_disk, slack, name, extra, request):
    if slack == 30_000 and not request.config.getoption("--long"):
        pytest.skip("one more amount of room left, with --long")
    case = _exhibit_case(tmp_path, wordy=True)
    filler = fill(small_disk, leave=slack)
    result = run_cli("export", case, "-o", small_disk / name, *extra)
    assert "disk is full" in cli_failed_in_one_sentence(result)
    assert listing(small_disk) == ["filler"]
    assert listing(tmp_path) == ["disk", "exhibits.cwb"]
    filler.unlink()
    assert run_cli("export", case, "-o", small_disk / name, *extra).returncode == 0


@pytest.mark.parametrize("slack", [8_192, 30_000])
def test_export_with_a_full_temporary_folder_is_one_sentence(tmp_path, small_disk, slack):
    """The workbook's sheets are written to the temporary folder first (with
    no room at all there, Python picks another temporary folder)."""
    case = _exhibit_case(tmp_path, wordy=True)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    filler = fill(small_disk, leave=slack)
    env = {**os.environ, "TMPDIR": str(small_disk)}
    result = run_cli("export", case, "-o", out_dir / "out.xlsx", env=env)
    one_sentence(cli_failed_in_one_sentence(result))
    assert listing(out_dir) == [] and listing(small_disk) == ["filler"]
    filler.unlink()


@pytest.mark.parametrize("full", ["output", "temporary folder"])
def test_a_failed_export_leaves_no_sheet_text_in_the_temporary_folder(
        tmp_path, small_disk, monkeypatch, full):
    """In a process that goes on (the terminal screens), the sheets' temporary
    files, which hold case text, must go when the export fails, not at exit."""
    from case_workbook.core import export_case

    case = _exhibit_case(tmp_path, wordy=True)
    temp = small_disk if full == "temporary folder" else tmp_path / "temp"
    temp.mkdir(exist_ok=True)
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    out = small_disk / "out.xlsx" if full == "output" else tmp_path / "out.xlsx"
    filler = fill(small_disk, leave=30_000)
    with pytest.raises(CaseFileError) as refused:
        export_case(case, out)
    one_sentence(str(refused.value))
    assert [n for n in listing(temp) if n.startswith("openpyxl")] == []
    assert not out.exists()
    filler.unlink()


# --- (c) the exhibit folder beside the workbook ------------------------------

@pytest.mark.parametrize("existing", [False, True])
def test_exhibit_folder_past_the_file_size_limit_leaves_no_half_folder(tmp_path, existing):
    case = _exhibit_case(tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "for counsel.xlsx"
    if existing:  # an earlier export with its folder, to be replaced (--force)
        assert run_cli("export", case, "-o", out, "--with-exhibits").returncode == 0
        old = {p.name: p.read_bytes() for p in (out_dir / "for counsel exhibits").iterdir()}
        old_workbook = out.read_bytes()
    before = listing(out_dir)
    # The workbook fits under the limit; the large exhibit file does not.
    result = run_cli("export", case, "-o", out, "--with-exhibits", "--force", limit=100_000)
    sentence = cli_failed_in_one_sentence(result)
    assert "for counsel exhibits" in sentence and "larger than" in sentence
    assert listing(out_dir) == before
    if existing:
        folder = out_dir / "for counsel exhibits"
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == old
        assert out.read_bytes() == old_workbook


# --- (d) an exhibit file copied into the case on a full disk -----------------

@pytest.mark.parametrize("slack", [0, 60_000, 200_000])
def test_adding_an_exhibit_on_a_full_disk_adds_nothing(tmp_path, small_disk, slack):
    path = small_disk / "case.cwb"
    source = tmp_path / "photo.jpg"
    source.write_bytes(os.urandom(BIG))
    with CaseFile.create(path, CaseHeader(title="Exhibit"), FRAMEWORK) as case:
        case.add(Threat(summary="kept"))
        filler = fill(small_disk, leave=slack)
        with pytest.raises(CaseFileError) as refused:
            add_exhibit_file(case, source)
        assert "disk is full" in one_sentence(str(refused.value))
        assert case.items(Kind.EXHIBIT) == []
    filler.unlink()
    with CaseFile.open(path) as case:
        assert [i.summary for i in case.items()] == ["kept"]
        assert case.conn.execute("SELECT count(*) FROM exhibit_blobs").fetchone()[0] == 0
        added = add_exhibit_file(case, source)  # the number was not used up
        assert isinstance(added, Exhibit) and added.id.endswith("-0001")
    assert _integrity(path) == "ok"
    assert listing(small_disk) == ["case.cwb"]


ADD_UNDER_LIMIT = """
import resource, signal, sys
from case_workbook.model.items import Threat
from case_workbook.store.case_file import CaseFile
from case_workbook.store.errors import CaseFileError
from case_workbook.store.exhibits import add_exhibit_file
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[3]),) * 2)
with CaseFile.open(sys.argv[1]) as case:
    case.add(Threat(summary="fits"))
    try:
        add_exhibit_file(case, sys.argv[2])
    except CaseFileError as error:
        print(error)
"""


def test_adding_an_exhibit_past_the_file_size_limit_adds_nothing(tmp_path):
    path = tmp_path / "case.cwb"
    with CaseFile.create(path, CaseHeader(title="Limit"), FRAMEWORK):
        pass
    source = tmp_path / "photo.jpg"
    source.write_bytes(os.urandom(BIG))
    child = subprocess.run([sys.executable, "-c", ADD_UNDER_LIMIT, str(path), str(source),
                            str(BIG // 2)], capture_output=True, text=True, timeout=60)
    assert child.returncode == 0 and child.stderr == "", child.stderr
    one_sentence(child.stdout)  # SQLite words EFBIG as an input/output error
    with CaseFile.open(path) as case:
        assert [i.summary for i in case.items()] == ["fits"]
        assert case.conn.execute("SELECT count(*) FROM exhibit_blobs").fetchone()[0] == 0
    assert _integrity(path) == "ok"
    assert listing(tmp_path) == ["case.cwb", "photo.jpg"]


# --- (e) upgrading an older case when the backup or the upgrade cannot be written

def _version_1_case(path: Path, items: int) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        migrate(conn, upto=1)
        meta = {"case_id": "cd" * 16, "created": "2026-01-02T03:04:05+00:00",
                "header": {"title": "Old case"}, "settings": {},
                "framework": FRAMEWORK.model_dump(mode="json")}
        conn.executemany("INSERT INTO meta VALUES (?, ?)",
                         [(k, json.dumps(v)) for k, v in meta.items()])
        theme = FRAMEWORK.themes[0].id
        for n in range(1, items + 1):
            threat = Threat(id=f"T-{n:03d}", summary=f"old {n} " + "w" * 400,
                            themes=[ThemeLink(theme_id=theme)])
            conn.execute("INSERT INTO items (id, kind, seq, data) VALUES (?, 'threat', ?, ?)",
                         (threat.id, n, threat.model_dump_json()))
        conn.execute("INSERT INTO counters VALUES ('T', ?)", (items,))
    os.chmod(path, 0o600)


def _old_content(path: Path) -> tuple:
    """What must survive a refused upgrade: the items, and an intact file."""
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as raw:
        return (raw.execute("SELECT id, data FROM items ORDER BY id").fetchall(),
                raw.execute("PRAGMA integrity_check").fetchone()[0])


def _version(path: Path) -> int:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as raw:
        return raw.execute("PRAGMA user_version").fetchone()[0]


def _upgrade_sweep(disk: Path, reopen: bool = False) -> dict[str, list]:
    """Open an older case for editing with ever more room on the disk: from
    none, through room for part of the backup, room for the backup but not
    the upgrade, to room for both. Each refusal must leave the items as they
    were and the file intact. Returns the outcomes, the sentences, what was
    left beside the case other than a whole backup, and (with `reopen`) how
    opening it again went once there was room."""
    path = disk / "old.cwb"
    found: dict[str, list] = {"outcomes": [], "sentences": [], "fragments": [], "reopen": []}
    for slack in range(0, 1_000_000, 12_288):
        for name in listing(disk):
            (disk / name).unlink()
        _version_1_case(path, 60)
        original = _old_content(path)
        assert _version(path) == 1 and original[1] == "ok"
        filler = fill(disk, leave=slack)
        backup = None
        try:
            with CaseFile.open(path) as case:
                backup = case.backup_path
        except CaseFileError as error:
            found["sentences"].append(one_sentence(str(error)))
        filler.unlink()
        found["outcomes"].append("refused" if backup is None else "upgraded")
        for name in listing(disk):
            # The case's own log may hold a committed upgrade whose copy into
            # the main file failed: it is part of the case, not a leftover.
            if name in ("old.cwb", "old.cwb-wal", "old.cwb-shm") or (
                    backup is not None and name == backup.name):
                continue
            whole = name.startswith("old.schema1-backup-") and name.endswith(".cwb")
            if not whole or _version(disk / name) != 1 or _old_content(disk / name) != original:
                found["fragments"].append(name)
        assert _old_content(path) == original
        if backup is not None:
            assert _version(backup) == 1 and _old_content(backup) == original
            assert stat.S_IMODE(backup.stat().st_mode) == 0o600
            with CaseFile.open(path) as case:
                assert case.schema_version == SCHEMA_VERSION and len(case.items()) == 60
            break
        if reopen:
            try:
                with CaseFile.open(path) as case:
                    assert len(case.items()) == 60
            except (CaseFileError, OSError) as error:
                found["reopen"].append(f"{slack}: {error}")
    return found


def test_upgrade_on_a_full_disk_keeps_the_old_case_and_says_so_in_one_sentence(small_disk):
    found = _upgrade_sweep(small_disk)
    outcomes = found["outcomes"]
    assert outcomes[-1] == "upgraded" and outcomes.count("refused") >= 10, outcomes
    for sentence in found["sentences"]:
        # SQLite reports a full disk as an I/O error when its shared-memory
        # file cannot grow; either way the person learns the disk failed.
        assert "disk is full" in sentence or "input/output error" in sentence, sentence
        # The upgrade's own error, not SQLite's "cannot rollback - no
        # transaction is active", which used to hide it (schema.migrate).
        assert "rollback" not in sentence and "transaction" not in sentence, sentence


def test_a_failed_upgrade_leaves_no_backup_fragment(small_disk):
    assert _upgrade_sweep(small_disk)["fragments"] == []


def test_after_a_refused_upgrade_the_case_opens_once_there_is_room(small_disk):
    assert _upgrade_sweep(small_disk, reopen=True)["reopen"] == []


def test_export_of_a_case_on_a_full_disk_leaves_nothing_beside_it(tmp_path, small_disk):
    case = small_disk / "case.cwb"
    with CaseFile.create(case, CaseHeader(title="On a full disk"), FRAMEWORK) as opened:
        opened.add(Threat(summary="a threat"))
    filler = fill(small_disk, leave=8_192)
    result = run_cli("export", case, "-o", tmp_path / "out.json")
    assert result.returncode == 0 or cli_failed_in_one_sentence(result)
    assert listing(small_disk) == ["case.cwb", "filler"]
    filler.unlink()


# --- the sentence the command line prints for what the store raises ----------

def test_the_command_line_words_a_raw_disk_error_in_one_sentence(tmp_path):
    full = OSError(28, "No space left on device")
    full.filename = str(tmp_path / "x.cwb")
    assert "disk is full" in one_sentence(user_message(full))
