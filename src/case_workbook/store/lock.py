"""One editor at a time: an advisory lock on a file beside the case.

The kernel drops an flock when its process dies, so a lock file left by a
crashed process is simply taken over by the next opener (stale lock recovery
needs no guessing about pids).

A holder removes the lock file before unlocking it, so another process may
lock a file that is no longer at the path (it opened it just before the
removal) while a third creates and locks a new one: a lock counts only if
the file locked is still the one at the path, else the opener tries again.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from case_workbook.store.errors import CaseFileError, CaseLockedError

_ATTEMPTS = 20  # each retry follows another process's removal of the lock file


def lock_path_for(case_path: Path) -> Path:
    return case_path.with_name(case_path.name + ".lock")


class CaseLock:
    def __init__(self, case_path: Path) -> None:
        self.path = lock_path_for(case_path)
        self._fd: int | None = None

    def acquire(self) -> None:
        for _ in range(_ATTEMPTS):
            fd = self._open_and_lock()
            if _still_at(fd, self.path):
                break
            os.close(fd)  # a removed lock file: it guards nothing any more
        else:
            raise CaseLockedError("This case is being opened and closed by another window or "
                                  "program right now; try again in a moment.")
        # Who holds it, for the refusal's sentence; on a full disk, nobody is named.
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def _open_and_lock(self) -> int:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            raise CaseFileError(
                f"Could not open the case for editing: the lock file {self.path} "
                f"cannot be created ({error.strerror})."
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            who = f" (process {holder})" if holder else ""
            raise CaseLockedError(
                f"This case is already open in another window or program{who}; "
                "close it there first."
            ) from None
        except OSError as error:
            os.close(fd)
            raise CaseFileError(f"Could not lock the case file: {error.strerror}.") from None
        return fd

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        with contextlib.suppress(OSError):
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None


def _still_at(fd: int, path: Path) -> bool:
    """Whether the open file `fd` is still the file at `path`."""
    try:
        at_path = os.stat(path)
    except OSError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (at_path.st_dev, at_path.st_ino)


def _read_holder(fd: int) -> str:
    with contextlib.suppress(OSError, ValueError):
        text = os.pread(fd, 32, 0).decode("ascii").strip()
        if text.isdigit():
            return text
    return ""
