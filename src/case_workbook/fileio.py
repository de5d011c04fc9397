"""Writing files safely: owner-only permissions, all or nothing."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

OWNER_ONLY = 0o600


@contextlib.contextmanager
def atomic_write(path: Path, mode: str = "wb") -> Iterator[IO]:
    """Write to a temporary file beside `path` and move it into place only when
    the whole content was written and flushed to disk; on any error nothing is
    left behind and an existing file at `path` is untouched."""
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        os.fchmod(fd, OWNER_ONLY)
        kwargs = {} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def make_private_folder(folder: Path) -> Path:
    """Create `folder` and each missing folder above it owner-only (0700, as
    the XDG spec asks for the user's data and config folders): `mkdir(parents=
    True)` would give the parents whatever the umask allows. Folders that
    already exist are left as they are."""
    folder = Path(folder)
    missing = []
    level = folder
    while not level.exists() and level != level.parent:
        missing.append(level)
        level = level.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made meanwhile by another process
            path.mkdir(mode=0o700)
    return folder


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in `folder` durable."""
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def describe_os_error(error: OSError, path: Path | str, doing: str = "use") -> str:
    """One plain sentence for an operating-system error about `path`."""
    import errno

    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EACCES: "permission was denied",
        errno.EPERM: "permission was denied",
        errno.EROFS: "the disk is read-only",
        errno.ENOENT: "it does not exist",
        errno.EISDIR: "it is a folder",
        errno.ENOTDIR: "part of the path is not a folder",
        errno.EFBIG: "the file grew larger than this system allows",
        errno.ENAMETOOLONG: "the name is too long",
        errno.EIO: "the disk reported an input/output error",
    }
    reason = reasons.get(error.errno or 0, error.strerror or "the system refused")
    if doing == "write" and error.errno == errno.ENOENT:
        reason = "its folder does not exist"
    return f"Could not {doing} {path}: {reason}."
