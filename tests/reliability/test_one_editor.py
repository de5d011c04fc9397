"""One editor at a time, under contention: several processes take and give
back the lock of one case as fast as they can, and at no moment do two of
them hold it.

Each holder appends "begin PID" when it has the lock and "end PID" just
before giving it back, each line one `os.write` to a file opened with
O_APPEND, so the lines of all processes land whole and in the order they
happened. Two editors at once shows as a "begin" between another process's
"begin" and "end". (The race this guards against: a process that opened the
lock file just before the holder removed it could lock the removed file
while a third process created and locked a new one.)
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

HAMMER = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from case_workbook.store.errors import CaseLockedError
    from case_workbook.store.lock import CaseLock

    case, journal, rounds = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    log = os.open(journal, os.O_WRONLY | os.O_APPEND)
    pid = os.getpid()
    print("ready", flush=True)
    sys.stdin.readline()  # every process starts at once
    held = 0
    for _ in range(rounds):
        lock = CaseLock(case)
        try:
            lock.acquire()
        except CaseLockedError:
            continue
        os.write(log, f"begin {pid}\\n".encode())
        held += 1
        os.write(log, f"end {pid}\\n".encode())
        lock.release()
    print(held, flush=True)
""")


def _overlaps(lines: list[str]) -> list[int]:
    """Line numbers where a holder began while another still held the lock."""
    holder, bad = None, []
    for number, line in enumerate(lines):
        what, pid = line.split()
        if what == "begin":
            if holder is not None:
                bad.append(number)
            holder = pid
        elif holder == pid:
            holder = None
    return bad


def test_overlap_check_sees_two_holders():
    assert _overlaps(["begin 1", "end 1", "begin 2", "end 2"]) == []
    assert _overlaps(["begin 1", "begin 2", "end 1", "end 2"]) == [1]


def test_at_most_one_holder_while_processes_hammer_the_lock(tmp_path, request):
    case = tmp_path / "case.cwb"  # the lock sits beside it; the case need not exist
    journal = tmp_path / "holders.log"
    journal.touch()
    rounds = 200_000 if request.config.getoption("--long") else 20_000
    procs = [subprocess.Popen([sys.executable, "-c", HAMMER, str(case), str(journal),
                               str(rounds)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True) for _ in range(4)]
    try:
        for proc in procs:
            assert proc.stdout.readline().strip() == "ready"
        for proc in procs:
            proc.stdin.write("go\n")
            proc.stdin.flush()
        held = [int(proc.communicate(timeout=300)[0]) for proc in procs]
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()
    lines = journal.read_text().splitlines()
    assert len(lines) == 2 * sum(held) and sum(held) > 0
    assert sum(1 for h in held if h) >= 2, "the processes never contended"
    overlaps = _overlaps(lines)
    assert not overlaps, f"two holders at once at {len(overlaps)} places, first at line " \
                         f"{overlaps[0]}: {lines[max(0, overlaps[0] - 3):overlaps[0] + 3]}"
