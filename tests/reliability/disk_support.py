"""Real disk failures for the reliability tests: a small filesystem that can
be filled (ENOSPC), and the command line run under a file-size limit (EFBIG).

The small filesystem is a tmpfs mounted for one test and unmounted after it;
a test that cannot mount one (not root, no mount namespace) is skipped and
says why. The file-size limit needs nothing special: RLIMIT_FSIZE in the
child, with SIGXFSZ ignored so that a write past the limit fails with EFBIG
instead of killing the process.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

EXE = Path(sys.executable).parent / "case-workbook"
CHUNKS = (1024 * 1024, 65536, 4096, 512)


@contextlib.contextmanager
def mounted_small_disk(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                        str(where)], check=True, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as error:
        detail = getattr(error, "stderr", b"") or str(error).encode()
        pytest.skip("a small filesystem cannot be mounted here (needs root and mount "
                    f"permission): {detail.decode(errors='replace').strip()}")
    try:
        yield where
    finally:
        unmount(where)


def unmount(where: Path) -> None:
    for _ in range(50):  # a process of the test may still be closing a file
        if subprocess.run(["umount", str(where)], capture_output=True).returncode == 0:
            return
        time.sleep(0.1)
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


def fill(folder: Path, leave: int = 0) -> Path:
    """Fill the filesystem of `folder` with one file until the disk is full,
    then give back about `leave` bytes; returns the filler (unlink it to free)."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for size in CHUNKS:
            block = b"\0" * size
            try:
                while True:
                    os.write(fd, block)
            except OSError as error:
                assert error.errno == errno.ENOSPC, error
    finally:
        os.close(fd)
    if leave:
        os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


def run_cli(*args, limit: int | None = None, umask: int | None = None,
            env: dict | None = None) -> subprocess.CompletedProcess:
    """The CLI as a real process, optionally with files limited to `limit` bytes."""
    def before():
        if umask is not None:
            os.umask(umask)
        if limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([str(EXE), *map(str, args)], capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL, preexec_fn=before,
                          env=env)


# A Python exception's name or text, or a traceback, must never reach the person.
_TECHNICAL = re.compile(r"Traceback|Exception|Error\b|Errno|\[Errno|sqlite3|File \"|line \d+,")


def one_sentence(text: str, prefix: str = "") -> str:
    """`text` is one line, one sentence, in plain words; returns it."""
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    line = lines[0]
    assert line.startswith(prefix), line
    assert line.endswith("."), line
    assert not _TECHNICAL.search(line), line
    return line


def cli_failed_in_one_sentence(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert result.stdout == "", result.stdout
    return one_sentence(result.stderr, "case-workbook: ")


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())
