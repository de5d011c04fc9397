"""Private by default.

1. Every file and folder the product creates is its owner's only, even when
   it runs with the most permissive umask (0): each flow that writes runs in
   its own process with umask 0, and everything new under the test's folder
   (cases, their lock, -wal and -shm while open, migration backups, exports,
   the exhibit folder and its files, the temporary workbook and folder caught
   half-way, openpyxl's temporary sheets, the user's state file and folders)
   must have no group or other permission bit.
2. No case content reaches error output: a case whose every text field holds
   a unique marker is driven into failures (missing and read-only folders, a
   full disk, a file-size limit, a damaged item, a locked case, bad imports),
   and no marker may appear on stdout or stderr.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from disk_support import EXE, fill, mounted_small_disk, run_cli

from case_workbook.model.case import CaseHeader, CaseSettings
from case_workbook.model.framework import load_builtin
from case_workbook.store.case_file import CaseFile
from case_workbook.store.errors import CaseLockedError
from case_workbook.store.exhibits import add_exhibit_file

PRIVATE = 0o077  # no bit for group or others


class Audit:
    """Everything new under `root` since the last look must be owner-only."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.seen = set(self._walk())
        self.checked: list[str] = []
        self.open: list[str] = []

    def _walk(self) -> list[Path]:
        found = []
        for folder, dirs, files in os.walk(self.root):
            found += [Path(folder, name) for name in dirs + files]
        return found

    def look(self, flow: str) -> int:
        new = [p for p in self._walk() if p not in self.seen]
        for path in new:
            with_mode = stat.S_IMODE(os.lstat(path).st_mode)
            self.checked.append(f"{flow}: {path.relative_to(self.root)}")
            if with_mode & PRIVATE:
                self.open.append(f"{flow}: {path.relative_to(self.root)} {with_mode:o}")
        self.seen.update(new)
        return len(new)

    def ignore(self) -> None:
        """What the test itself just made (its inputs) is not audited."""
        self.seen.update(self._walk())


def _env(home: Path, **more) -> dict:
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(home / "tmp"), **more}
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[var] = str(home / var.lower())
    return env


def _ok(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, (result.stdout, result.stderr)


HOLD_OPEN = textwrap.dedent("""
    import os, sys
    os.umask(0)
    from case_workbook.model.items import Threat
    from case_workbook.store.case_file import CaseFile
    case = CaseFile.open(sys.argv[1])
    case.add(Threat(summary="while open"))  # the log now holds a page
    print("open", flush=True)
    sys.stdin.readline()
    case.close()
""")

RUN_SCREENS = textwrap.dedent("""
    import asyncio, os, sys
    from pathlib import Path
    os.umask(0)
    from case_workbook.tui.app import CaseWorkbookApp

    async def main():
        app = CaseWorkbookApp(Path(sys.argv[1]))
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(30):
                await pilot.pause()
            await pilot.press("q")

    asyncio.run(main())
""")


def _holding_open(case: Path, env: dict, audit: Audit, flow: str) -> int:
    proc = subprocess.Popen([sys.executable, "-c", HOLD_OPEN, str(case)], env=env, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert proc.stdout.readline().strip() == "open"
        names = {p.name for p in case.parent.iterdir()}
        seen = audit.look(flow)
    finally:
        proc.communicate("close\n", timeout=60)
    assert proc.returncode == 0
    return seen, names


def _export_caught_half_way(case: Path, source: Path, out: Path, env: dict,
                            audit: Audit) -> int:
    """The exhibit's file is replaced by a named pipe, so the export stops in
    the middle of copying it, with its temporary workbook and folder on disk;
    they are audited, then the bytes are fed and the export finishes."""
    body = source.read_bytes()
    source.unlink()
    os.mkfifo(source, 0o600)
    proc = subprocess.Popen([str(EXE), "export", str(case), "-o", str(out), "--with-exhibits"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: os.umask(0))
    try:
        temp_folder = out.with_name(f".{out.stem} exhibits.{proc.pid}.part")
        for _ in range(600):
            if temp_folder.is_dir() and any(temp_folder.iterdir()):
                break
            time.sleep(0.05)
        names = {p.name for p in out.parent.iterdir()} | {p.name for p in temp_folder.iterdir()}
        seen = audit.look("export caught half-way")
        with open(source, "wb") as pipe:
            pipe.write(body)
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert f".{out.name}.{proc.pid}.part" in names  # the temporary workbook was seen
    return seen


def test_every_file_and_folder_the_product_writes_is_owner_only(tmp_path):
    world = tmp_path / "world"
    home = world / "home"
    (home / "tmp").mkdir(parents=True)
    for var in ("xdg_data_home", "xdg_config_home", "xdg_cache_home", "xdg_state_home"):
        (home / var).mkdir(mode=0o700)  # as on a set-up system; a later test makes them
    env = _env(home)
    work = world / "work"
    work.mkdir()
    big = work / "recording.bin"  # above the copy limit: kept by reference
    big.write_bytes(os.urandom(4096))
    audit = Audit(world)
    assert audit.look("nothing yet") == 0

    def cli(flow: str, *args, writes: bool = True) -> None:
        _ok(run_cli(*args, umask=0, env=env))
        assert audit.look(flow) or not writes, f"{flow} wrote nothing?"

    cli("new", "new", work / "new.cwb", "--title", "New")
    cli("demo, at a path", "demo", work / "demo.cwb", "--no-open")
    cli("demo, in the data folder", "demo", "--no-open")
    cli("export json", "export", work / "demo.cwb", "-o", work / "demo.json")
    cli("export xlsx", "export", work / "demo.cwb", "-o", work / "demo.xlsx")
    password = work / "password.txt"
    password.write_text("a long password\n")
    audit.ignore()
    cli("export with a password", "export", work / "demo.cwb", "-o", work / "locked.xlsx",
        "--password-file", password)
    cli("export with exhibits", "export", work / "demo.cwb", "-o", work / "counsel.xlsx",
        "--with-exhibits")
    cli("import json", "import", work / "demo.json", "-o", work / "from-json.cwb")
    cli("import xlsx", "import", work / "demo.xlsx", "-o", work / "from-xlsx.cwb")
    cli("check", "check", work / "from-json.cwb", writes=False)  # leaves nothing lasting

    held, names = _holding_open(work / "new.cwb", env, audit, "open for editing")
    assert {"new.cwb.lock", "new.cwb-wal", "new.cwb-shm"} <= names and held >= 3

    old = work / "old.cwb"
    _make_version_1_case(old)
    audit.ignore()
    held, names = _holding_open(old, env, audit, "upgrade with a backup")
    assert any(n.startswith("old.schema1-backup-") for n in names)

    _ok(subprocess.run([sys.executable, "-c", RUN_SCREENS, str(work / "demo.cwb")], env=env,
                       capture_output=True, text=True, timeout=120))
    assert audit.look("terminal screens (state and recent cases)")
    assert (home / "xdg_config_home" / "case-workbook" / "state.json").exists()

    referenced = _case_with_a_referenced_exhibit(work, big)
    audit.ignore()
    assert _export_caught_half_way(referenced, big, work / "half.xlsx", env, audit) >= 3
    assert audit.look("export finished after the pause") >= 2

    assert not audit.open, audit.open
    print(f"\npermission checks: {len(audit.checked)}")  # shown with pytest -s
    assert len(audit.checked) >= 30, audit.checked
    for line in audit.checked:
        print(line)


def test_a_file_being_written_is_owner_only_before_it_is_whole(tmp_path):
    """Every export and the state file go through atomic_write: its temporary
    file is owner-only from its first byte, whatever the umask."""
    from case_workbook.fileio import atomic_write

    audit = Audit(tmp_path)
    before = os.umask(0)
    try:
        with atomic_write(tmp_path / "out.json", "w") as handle:
            handle.write("half")
            handle.flush()
            assert audit.look("atomic_write, half-way") == 1
    finally:
        os.umask(before)
    assert audit.look("atomic_write, done") == 1 and not audit.open, audit.open


def test_the_audit_sees_a_file_others_can_read(tmp_path):
    """Control: the same audit flags what a child with umask 0 makes with
    Python's defaults."""
    audit = Audit(tmp_path)
    subprocess.run([sys.executable, "-c", "import os; os.umask(0); "
                    f"open({str(tmp_path / 'plain.txt')!r}, 'w').write('x'); "
                    f"os.mkdir({str(tmp_path / 'plain')!r})"], check=True)
    audit.look("control")
    assert len(audit.open) == 2


def test_missing_user_folders_are_created_owner_only(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    audit = Audit(tmp_path)
    _ok(run_cli("demo", "--no-open", umask=0, env=_env(home)))
    assert audit.look("demo with no data folder yet") >= 3
    assert not audit.open, audit.open


def test_missing_config_folders_for_the_state_file_are_created_owner_only(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    audit = Audit(tmp_path)
    code = ("import os; os.umask(0); from case_workbook.user_state import UserState, save_state;"
            " save_state(UserState(notice_dismissed=True))")
    subprocess.run([sys.executable, "-c", code], env=_env(home), check=True)
    assert audit.look("state with no config folder yet") >= 3
    assert not audit.open, audit.open


# --- helpers that make the inputs ------------------------------------------------

def _make_version_1_case(path: Path) -> None:
    import sqlite3
    from contextlib import closing

    from case_workbook.store.schema import migrate

    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        migrate(conn, upto=1)
        meta = {"case_id": "ef" * 16, "created": "2026-01-02T03:04:05+00:00",
                "header": {"title": "Old"}, "settings": {},
                "framework": load_builtin("general").model_dump(mode="json")}
        conn.executemany("INSERT INTO meta VALUES (?, ?)",
                         [(k, json.dumps(v)) for k, v in meta.items()])
    os.chmod(path, 0o600)


def _case_with_a_referenced_exhibit(folder: Path, source: Path) -> Path:
    path = folder / "referenced.cwb"
    settings = CaseSettings(copy_limit_bytes=1024)
    with CaseFile.create(path, CaseHeader(title="Ref"), load_builtin("general"),
                         settings) as case:
        add_exhibit_file(case, source)
    return path


# --- 2. no case content in error output ----------------------------------------------

MARK = re.compile(r"MK\d{5}X")
TEXT_FIELDS = {"summary", "details", "notes", "counsel_notes", "name", "contact", "relation",
               "against_detail", "bates", "content", "custody", "demand", "harm_threatened",
               "note", "observed", "original_location", "original_name", "place", "weapon",
               "source_text", "title", "defendant", "jurisdiction", "court", "case_number",
               "counsel", "prepared_by"}
TEXT_LISTS = {"aliases", "charges"}


def _mark(value, counter: list[int], key: str | None = None):
    """Every free-text string gets its own marker (ids, dates, choices do not)."""
    def marker() -> str:
        counter[0] += 1
        return f"MK{counter[0]:05d}X"
    if isinstance(value, dict):
        return {k: _mark(v, counter, k) for k, v in value.items()}
    if isinstance(value, list):
        if key in TEXT_LISTS:
            return [f"{v} {marker()}" for v in value] + [marker()]
        return [_mark(v, counter, key) for v in value]
    if isinstance(value, str) and key in TEXT_FIELDS:
        return f"{value} {marker()}".strip()
    return value


@pytest.fixture(scope="module")
def marked(tmp_path_factory):
    """A case (and its JSON) in which every text holds a unique marker."""
    folder = tmp_path_factory.mktemp("marked")
    _ok(run_cli("demo", folder / "demo.cwb", "--no-open"))
    _ok(run_cli("export", folder / "demo.cwb", "-o", folder / "demo.json"))
    document = json.loads((folder / "demo.json").read_text(encoding="utf-8"))
    counter = [0]
    for part in ("header", "items", "activity"):
        document[part] = _mark(document[part], counter)
    document["counsel_notes"] = {k: f"{v} MK{90000 + n:05d}X" for n, (k, v)
                                 in enumerate(document["counsel_notes"].items())}
    (folder / "marked.json").write_text(json.dumps(document), encoding="utf-8")
    _ok(run_cli("import", folder / "marked.json", "-o", folder / "case.cwb"))
    shown = run_cli("open", folder / "case.cwb").stdout  # control: the markers are in it
    assert len(set(MARK.findall(shown))) > 30 and counter[0] > 150
    return folder / "case.cwb"


def _no_content(result: subprocess.CompletedProcess, label: str) -> str:
    both = result.stdout + result.stderr
    assert not MARK.search(both), f"{label}: {both}"
    return result.stderr


def test_failures_on_a_marked_case_never_show_its_content(marked, tmp_path):
    case = marked
    failures = []

    def expect_failure(label: str, *args, **kwargs) -> None:
        result = run_cli(*args, **kwargs)
        assert result.returncode != 0, (label, result.stdout)
        failures.append(_no_content(result, label))

    expect_failure("missing folder", "export", case, "-o", tmp_path / "nope" / "out.xlsx")
    (tmp_path / "taken.xlsx").write_bytes(b"x")
    expect_failure("file exists", "export", case, "-o", tmp_path / "taken.xlsx")
    for name in ("out.xlsx", "out.json"):
        expect_failure(f"size limit {name}", "export", case, "-o", tmp_path / name,
                       limit=40_000)
    expect_failure("size limit, exhibits", "export", case, "-o", tmp_path / "x.xlsx",
                   "--with-exhibits", limit=33_000)
    expect_failure("json with a password", "export", case, "-o", tmp_path / "p.json",
                   "--with-exhibits")

    long_title = "MK99999X " + "t" * 600
    expect_failure("title too long", "new", tmp_path / "new.cwb", "--title", long_title)

    document = json.loads((case.parent / "marked.json").read_text(encoding="utf-8"))
    threat = next(i for i in document["items"] if i["kind"] == "threat")
    for label, change in (("bad choice", {"delivery": "MK99998X"}),
                          ("unknown field", {"MK99997X": "MK99996X"}),
                          ("bad reference", {"made_by": ["P-999"], "summary": "MK99995X"}),
                          ("wrong type", {"summary": ["MK99994X"]})):
        broken = {**document, "items": [dict(threat, **change)] + [
            i for i in document["items"] if i is not threat]}
        path = tmp_path / f"{label.replace(' ', '-')}.json"
        path.write_text(json.dumps(broken), encoding="utf-8")
        expect_failure(f"import: {label}", "import", path, "-o", tmp_path / f"{label}.cwb")

    workbook = tmp_path / "counsel.xlsx"
    _ok(run_cli("export", case, "-o", workbook))
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(workbook.read_bytes()[: workbook.stat().st_size // 2])
    expect_failure("import of a cut workbook", "import", cut, "-o", tmp_path / "cut.cwb")

    damaged = _with_a_damaged_item(case, tmp_path / "damaged.cwb")
    expect_failure("export of a damaged item", "export", damaged, "-o", tmp_path / "d.xlsx")
    expect_failure("overview of a damaged item", "open", damaged)
    checked = run_cli("check", damaged)
    _no_content(checked, "check of a damaged item")

    assert len(failures) == 14
    assert all(f.startswith("case-workbook: ") for f in failures), failures
    print(*failures, sep="")


def test_a_full_disk_and_a_read_only_disk_never_show_the_content(marked, tmp_path):
    with mounted_small_disk(tmp_path / "disk", "2m") as disk:
        filler = fill(disk)
        for name, extra in (("o.xlsx", []), ("o.json", []), ("w.xlsx", ["--with-exhibits"])):
            result = run_cli("export", marked, "-o", disk / name, *extra)
            assert result.returncode == 1
            _no_content(result, f"full disk {name}")
        filler.unlink()
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        for name in ("r.xlsx", "r.json"):
            result = run_cli("export", marked, "-o", disk / name)
            assert "read-only" in _no_content(result, f"read-only {name}")


def test_a_password_protected_export_puts_no_plain_text_on_disk(marked, tmp_path):
    """With the temporary folder full, an export that needs no temporary file
    still works: so a pass proves no plain sheet went to disk."""
    password = tmp_path / "password.txt"
    password.write_text("a long password\n")
    with mounted_small_disk(tmp_path / "disk", "1m") as disk:
        filler = fill(disk, leave=8_192)  # just room for Python to accept the folder
        result = run_cli("export", marked, "-o", tmp_path / "sealed.xlsx", "--password-file",
                         password, env={**os.environ, "TMPDIR": str(disk)})
        filler.unlink()
    assert result.returncode == 0, result.stderr


def test_a_locked_marked_case_is_refused_without_its_content(marked):
    with CaseFile.open(marked) as _held:
        with pytest.raises(CaseLockedError) as refused:
            CaseFile.open(marked)
    assert not MARK.search(str(refused.value))


def _with_a_damaged_item(case: Path, target: Path) -> Path:
    """A copy of `case` whose first threat's stored data no longer reads
    (and still holds its marker)."""
    import sqlite3
    from contextlib import closing

    target.write_bytes(case.read_bytes())
    with closing(sqlite3.connect(target, isolation_level=None)) as raw:
        data = raw.execute("SELECT data FROM items WHERE kind = 'threat' LIMIT 1").fetchone()[0]
        broken = json.loads(data)
        broken["when"] = {"precision": "MK99993X"}
        raw.execute("UPDATE items SET data = ? WHERE data = ?", (json.dumps(broken), data))
    return target


def test_the_product_writes_no_log_file():
    """Nothing in the product logs (so nothing can log case content); the
    terminal screens' library writes a log only when asked for by environment
    variables (TEXTUAL_LOG, TEXTUAL=debug,devtools), never by default."""
    source = Path(__file__).resolve().parents[2] / "src" / "case_workbook"
    for path in source.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import logging|from logging)", text, re.M), path
        assert "basicConfig" not in text and "FileHandler" not in text, path
