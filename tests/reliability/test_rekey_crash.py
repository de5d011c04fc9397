"""Changing the passphrase is crash-safe: a process changing it again and
again is killed (SIGKILL) at random moments; after every kill the case opens
with the passphrase last set or with the one being set, SQLite's integrity
check is ok and every item is there. 8 kills here; `pytest --long` makes 100."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rekey_driver import KEYS

from case_workbook.model.case import CaseHeader
from case_workbook.model.framework import load_builtin
from case_workbook.model.items import Threat
from case_workbook.store import driver
from case_workbook.store.case_file import CaseFile

DRIVER = Path(__file__).with_name("rekey_driver.py")
ITEMS = 40

pytestmark = pytest.mark.skipif(not driver.encryption_available(),
                                reason="sqlcipher3 has no build for this platform")


def keys_that_may_open(journal: Path) -> list[int]:
    """The passphrase last set, and the one being set when the kill came."""
    done, begun = 0, None
    for line in journal.read_text().splitlines():
        word, number = line.split()
        if word == "done":
            done, begun = int(number), None
        else:
            begun = int(number)
    return [done] + ([begun] if begun is not None else [])


def test_killed_while_changing_the_passphrase(tmp_path, request):
    kills = 100 if request.config.getoption("--long") else 8
    path = tmp_path / "rekey.cwb"
    with CaseFile.create(path, CaseHeader(title="Rekey"), load_builtin("general"),
                         passphrase=KEYS[0]) as case:
        for n in range(ITEMS):
            case.add(Threat(summary=f"threat {n} " + "words " * 50))
    rng = random.Random(20261124)
    journal = tmp_path / "journal.txt"
    changes = 0
    for kill in range(kills):
        journal.write_text("")
        process = subprocess.Popen([sys.executable, str(DRIVER), str(path), str(journal)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(0.4 + rng.uniform(0, 0.6))  # opening costs a key derivation first
        process.send_signal(signal.SIGKILL)
        process.wait()
        candidates = keys_that_may_open(journal)
        changes += journal.read_text().count("done")
        opened = None
        for number in candidates:
            try:
                opened = CaseFile.open(path, passphrase=KEYS[number])  # quick check included
            except driver.WrongPassphraseError:
                continue
            break
        assert opened is not None, (kill, candidates, process.stderr.read())
        with opened:
            rows = opened.conn.execute("PRAGMA integrity_check").fetchall()
            assert rows == [("ok",)]
            assert len(opened.items()) == ITEMS
            # Start the next round from the first passphrase.
            opened.change_passphrase(KEYS[0])
    assert changes >= kills  # the kills came while passphrases were being changed
