"""Case files on disk: one editor at a time, migrations, and files that are not
ours (or are damaged) refused without a byte changing."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
from contextlib import closing
import stat
import struct
import subprocess
import sys
import textwrap
import zipfile

import pytest

from case_workbook.model.items import Threat, ThemeLink
from case_workbook.store.case_file import CaseFile
from case_workbook.store.errors import CaseFileError, CaseLockedError
from case_workbook.store.lock import lock_path_for
from case_workbook.store.schema import APPLICATION_ID, SCHEMA_VERSION, migrate

HOLD_OPEN = textwrap.dedent("""
    import sys, time
    from case_workbook.store.case_file import CaseFile
    case = CaseFile.open(sys.argv[1])
    print("open", flush=True)
    time.sleep(60)
""")


def _hold_in_other_process(path):
    proc = subprocess.Popen([sys.executable, "-c", HOLD_OPEN, str(path)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "open"
    return proc


def test_second_editor_in_another_process_is_refused(case, case_path):
    case.close()
    holder = _hold_in_other_process(case_path)
    try:
        with pytest.raises(CaseLockedError, match=f"already open.*process {holder.pid}"):
            CaseFile.open(case_path)
    finally:
        holder.kill()
        holder.wait()


def test_second_editor_in_this_process_is_refused(case, case_path):
    with pytest.raises(CaseLockedError, match="already open"):
        CaseFile.open(case_path)


def test_lock_of_a_killed_process_is_recovered(case, case_path):
    case.close()
    holder = _hold_in_other_process(case_path)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert lock_path_for(case_path).exists()  # left behind by the dead process
    with CaseFile.open(case_path) as again:
        assert again.header.title == "Test case"


def test_leftover_lock_file_without_holder_is_recovered(case, case_path):
    case.close()
    lock_path_for(case_path).write_text("999999\n")
    with CaseFile.open(case_path) as again:
        assert again.header.title == "Test case"


def _make_version_1_case(path, framework):
    """A case file as version 1 of the schema wrote it (no theme/ref index)."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, upto=1)
    meta = {"case_id": "ab" * 16, "created": "2026-01-02T03:04:05+00:00",
            "header": {"title": "Old case"}, "settings": {},
            "framework": framework.model_dump(mode="json")}
    for key, value in meta.items():
        conn.execute("INSERT INTO meta VALUES (?, ?)", (key, json.dumps(value)))
    theme = framework.themes[0].id
    threat = Threat(id="T-001", summary="old threat", themes=[ThemeLink(theme_id=theme)])
    conn.execute("INSERT INTO items (id, kind, seq, data) VALUES ('T-001', 'threat', 1, ?)",
                 (threat.model_dump_json(),))
    conn.execute("INSERT INTO counters VALUES ('T', 1)")
    conn.close()
    os.chmod(path, 0o600)
    return theme


def test_older_file_is_backed_up_then_migrated(tmp_path, framework):
    path = tmp_path / "old.cwb"
    theme = _make_version_1_case(path, framework)
    original = path.read_bytes()
    with CaseFile.open(path) as case:
        assert case.migrated_from == 1
        assert case.schema_version == SCHEMA_VERSION
        assert case.backup_path is not None and case.backup_path.exists()
        assert stat.S_IMODE(case.backup_path.stat().st_mode) == 0o600
        assert case.get("T-001").summary == "old threat"
        assert case.theme_counts()[theme] == 1  # the new index was filled
        assert case.add(Threat(summary="new")).id == "T-002"
        assert case.activity("case")[-1].action == "migrate"
        backup = case.backup_path
    with closing(sqlite3.connect(backup)) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
        assert raw.execute("SELECT count(*) FROM items").fetchone()[0] == 1
    assert original[:16] == b"SQLite format 3\x00"


def _hostile_files(tmp_path, case_path):
    files = {}
    files["random"] = tmp_path / "random.cwb"
    files["random"].write_bytes(os.urandom(8192))
    files["empty"] = tmp_path / "empty.cwb"
    files["empty"].write_bytes(b"")
    half = case_path.read_bytes()
    files["truncated"] = tmp_path / "truncated.cwb"
    files["truncated"].write_bytes(half[: len(half) // 2])
    files["short-header"] = tmp_path / "short.cwb"
    files["short-header"].write_bytes(half[:60])
    files["foreign-sqlite"] = tmp_path / "foreign.cwb"
    with closing(sqlite3.connect(files["foreign-sqlite"])) as raw:
        raw.execute("CREATE TABLE notes (x)")
        raw.execute("INSERT INTO notes VALUES ('hello')")
    files["zip"] = tmp_path / "archive.cwb"
    with zipfile.ZipFile(files["zip"], "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    newer = bytearray(case_path.read_bytes())
    newer[60:64] = struct.pack(">I", SCHEMA_VERSION + 7)
    files["newer"] = tmp_path / "newer.cwb"
    files["newer"].write_bytes(bytes(newer))
    zero = bytearray(case_path.read_bytes())
    page = struct.unpack(">H", zero[16:18])[0]
    zero[page: 2 * page] = bytes(page)  # a zeroed page inside the file
    files["zeroed-page"] = tmp_path / "zeroed.cwb"
    files["zeroed-page"].write_bytes(bytes(zero))
    files["folder"] = tmp_path / "folder.cwb"
    files["folder"].mkdir()
    return files


def _open_and_read(path, alongside: bool) -> None:
    from case_workbook.views.index import load_confirmed

    if not alongside:
        with CaseFile.open(path) as opened:
            opened.items()  # a damaged page may only show when read
        return
    # How the TUI opens a case: the quick check runs while the items are read.
    opened = CaseFile.open(path, check_alongside=True)
    try:
        load_confirmed(opened)
    finally:
        opened.close()


@pytest.mark.parametrize("alongside", [False, True], ids=["checked-first", "check-alongside"])
@pytest.mark.parametrize("kind", ["random", "empty", "truncated", "short-header",
                                  "foreign-sqlite", "zip", "newer", "zeroed-page", "folder"])
def test_hostile_file_is_refused_and_left_untouched(kind, alongside, tmp_path, case, case_path):
    for n in range(30):
        case.add(Threat(summary=f"padding {n} " * 40))
    case.close()
    path = _hostile_files(tmp_path, case_path)[kind]
    before = None if path.is_dir() else path.read_bytes()
    listing = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(CaseFileError) as caught:
        _open_and_read(path, alongside)
    message = str(caught.value)
    assert "\n" not in message and message.endswith(".")
    if kind == "zeroed-page":
        assert "damaged" in message
    if before is not None:
        assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # no -wal, -shm, lock


def test_messages_say_what_the_file_is(tmp_path, case, case_path):
    case.close()
    files = _hostile_files(tmp_path, case_path)
    expect = {"random": "not a plain case file; if it is an encrypted case", "empty": "empty",
              "truncated": "truncated", "foreign-sqlite": "not a case-workbook case file",
              "zip": "zip archive", "newer": "newer version", "folder": "folder"}
    for kind, words in expect.items():
        with pytest.raises(CaseFileError, match=words):
            CaseFile.open(files[kind])
    assert APPLICATION_ID == 0x43574231


def test_an_intact_case_opens_with_the_check_alongside(case, case_path):
    from case_workbook.views.index import load_confirmed

    case.add(Threat(summary="one"))
    case.close()
    with CaseFile.open(case_path, check_alongside=True) as opened:
        assert [i.summary for i in load_confirmed(opened).items.values()] == ["one"]
        opened.add(Threat(summary="two"))  # writing after the confirmation works
