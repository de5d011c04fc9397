"""One editor at a time: an advisory lock on a file beside the case.

The kernel drops an flock when its process dies, so a lock file left by a
crashed process is simply taken over by the next opener (stale lock recovery
needs no guessing about pids).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from case_workbook.store.errors import CaseFileError, CaseLockedError


def lock_path_for(case_path: Path) -> Path:
    return case_path.with_name(case_path.name + ".lock")


class CaseLock:
    def __init__(self, case_path: Path) -> None:
        self.path = lock_path_for(case_path)
        self._fd: int | None = None

    def acquire(self) -> None:
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
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

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


def _read_holder(fd: int) -> str:
    with contextlib.suppress(OSError, ValueError):
        text = os.pread(fd, 32, 0).decode("ascii").strip()
        if text.isdigit():
            return text
    return ""
