"""Crash safety: a process editing a case is killed (SIGKILL) at random
moments, again and again. After every kill the case opens, SQLite's integrity
check is ok, every edit whose store call had returned is there, the one that
may have been under way is there whole or not at all, the derived index rows
agree with each item, and the activity log has one entry per edit made.

25 kills here; `pytest --long` makes 500.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from edit_driver import ACTOR

from case_workbook.model.case import CaseHeader
from case_workbook.model.framework import load_builtin
from case_workbook.model.items import Threat
from case_workbook.store.case_file import CaseFile
from case_workbook.store.index import search_text

DRIVER = Path(__file__).with_name("edit_driver.py")
State = dict[str, tuple[str, tuple[str, ...]]]  # live id -> (summary, theme ids)


class Model:
    """What the case must hold, from the edits known to have been committed;
    undo reverses the latest change not yet undone, as the store's does."""

    def __init__(self, state: State) -> None:
        self.state = dict(state)
        self.stack: list[tuple[str, str, tuple | None]] = [("add", i, None) for i in state]
        self.entries = 0  # activity entries the driver's edits made

    def apply(self, op: dict, new_id: str | None = None) -> None:
        kind = op["begin"]
        if kind == "undo":
            if self.stack:
                _, item_id, before = self.stack.pop()
                if before is None:
                    del self.state[item_id]
                else:
                    self.state[item_id] = before
                self.entries += 1
            return
        item_id = new_id or op["id"]
        before = self.state.get(item_id)
        if kind == "delete":
            del self.state[item_id]
        else:
            self.state[item_id] = (op["summary"], tuple(op["themes"]))
        self.stack.append((kind, item_id, before))
        self.entries += 1


def read_journal(path: Path) -> tuple[list[tuple[dict, dict]], dict | None]:
    """(begin, done) pairs of the committed edits, and the edit under way."""
    begun: dict[int, dict] = {}
    done: list[tuple[dict, dict]] = []
    for line in path.read_text().splitlines():
        entry = json.loads(line)
        if "begin" in entry:
            begun[entry["k"]] = entry
        else:
            done.append((begun.pop(entry["k"]), entry))
    assert len(begun) <= 1, begun
    return done, next(iter(begun.values()), None)


def actual_state(case: CaseFile) -> State:
    return {i.id: (i.summary, tuple(t.theme_id for t in i.themes)) for i in case.items()}


def assert_whole(case: CaseFile, ids: set[str]) -> None:
    """No item half-written: its derived rows match what it holds (the items
    this round touched; the others were checked when they were)."""
    for item in case.items_by_ids(sorted(ids)):
        search = case.conn.execute("SELECT search FROM items WHERE id = ?",
                                   (item.id,)).fetchone()[0]
        assert search == search_text(item), item.id
        rows = set(case.conn.execute("SELECT theme_id, note FROM item_themes WHERE item_id = ?",
                                     (item.id,)))
        assert rows == {(t.theme_id, t.note) for t in item.themes}, item.id


def verify_after_kill(path: Path, journal: Path, model: Model) -> None:
    done, under_way = read_journal(journal)
    journal.unlink()
    before_round = dict(model.state)
    for begin, end in done:
        model.apply(begin, end.get("id") if begin["begin"] == "add" else None)
    with CaseFile.open(path) as case:  # the killed holder's lock is recovered
        assert case.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        state = actual_state(case)
        assert_whole(case, {i for i in state if state[i] != before_round.get(i)})
        entries = case.conn.execute("SELECT count(*) FROM activity WHERE actor = ?",
                                    (ACTOR,)).fetchone()[0]
    if state != model.state:
        # Only the edit under way may account for the difference, and whole.
        assert under_way is not None, "a committed edit is missing or changed"
        new = set(state) - set(model.state)
        model.apply(under_way, new.pop() if under_way["begin"] == "add" and new else None)
        assert state == model.state, f"edit under way half-applied: {under_way}"
    assert entries == model.entries, "the activity log disagrees with the edits made"


def run_driver(path: Path, journal: Path, seed: int, rng: random.Random) -> None:
    proc = subprocess.Popen([sys.executable, str(DRIVER), str(path), str(journal), str(seed)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        time.sleep(rng.uniform(0.0, 0.25))
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read()  # it was still editing


def test_kills_at_random_moments_lose_nothing(tmp_path, request):
    kills = 500 if request.config.getoption("--long") else 25
    path = tmp_path / "crash.cwb"
    case = CaseFile.create(path, CaseHeader(title="Crash"), load_builtin("general"),
                           actor="tester")
    for n in range(5):
        case.add(Threat(summary=f"first {n}"))
    model = Model(actual_state(case))
    case.close()
    rng = random.Random(20261124)
    for round_number in range(kills):
        journal = tmp_path / f"journal-{round_number}.jsonl"
        run_driver(path, journal, seed=rng.randrange(1 << 30), rng=rng)
        verify_after_kill(path, journal, model)
    with CaseFile.open(path) as case:  # and the case still works as before
        case.add(Threat(summary="after the kills"))
    print(f"{kills} kills survived; {model.entries} edits made; {len(model.state)} items left")
