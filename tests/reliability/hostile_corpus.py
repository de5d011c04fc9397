"""The hostile-file corpus: files made to break case-workbook's readers, each
with the command that feeds it to the CLI.

Every file is built by code at test time, from files the product itself
wrote (the demo case and its exports, see `build_base`) or from scratch.
`CORPUS` maps an entry's name to its family, its builder and its memory
bound; a builder fills an empty folder and returns the command's arguments
(paths relative to that folder, where the command runs). The families:
case files (.cwb), workbooks (.xlsx, in hostile_workbooks.py), JSON exports
and framework files (.toml).
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import struct
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

EXE = Path(sys.executable).parent / "case-workbook"


@dataclass(frozen=True)
class Base:
    """Valid files the product wrote, to be broken."""
    case: Path
    workbook: Path
    json: Path
    framework: str  # the text of the built-in general.toml


Builder = Callable[[Path, Base], list[str]]


@dataclass(frozen=True)
class Entry:
    family: str
    build: Builder
    peak_mib: int  # the child's peak resident memory may not exceed this


CORPUS: dict[str, Entry] = {}
DEFAULT_PEAK_MIB = 200  # an ordinary command peaks at 40-60 MiB


def noise(size: int) -> bytes:
    """Bytes that look random, the same in every run (a failure can be replayed)."""
    return random.Random(size).randbytes(size)


def entry(family: str, name: str, peak_mib: int = DEFAULT_PEAK_MIB) -> Callable[[Builder], Builder]:
    def register(build: Builder) -> Builder:
        key = f"{family}-{name}"
        assert key not in CORPUS, key
        CORPUS[key] = Entry(family, build, peak_mib)
        return build
    return register


def build_base(folder: Path) -> Base:
    """The demo case, its workbook and its JSON export, written by the CLI."""
    folder.mkdir(parents=True, exist_ok=True)
    case = folder / "demo.cwb"
    for args in (["demo", case, "--no-open"], ["export", case, "-o", folder / "demo.xlsx"],
                 ["export", case, "-o", folder / "demo.json"]):
        subprocess.run([str(EXE), *map(str, args)], check=True, capture_output=True,
                       stdin=subprocess.DEVNULL, timeout=120)
    text = (files("case_workbook") / "templates" / "general.toml").read_text(encoding="utf-8")
    return Base(case, folder / "demo.xlsx", folder / "demo.json", text)


# --- Case files ------------------------------------------------------------------

def _case_copy(folder: Path, base: Base, name: str = "c.cwb") -> Path:
    target = folder / name
    shutil.copyfile(base.case, target)
    return target


def _patched(folder: Path, base: Base, offset: int, data: bytes) -> Path:
    target = _case_copy(folder, base)
    raw = bytearray(target.read_bytes())
    raw[offset:offset + len(data)] = data
    target.write_bytes(bytes(raw))
    return target


def _edited_with_sqlite(folder: Path, base: Base, *statements: str) -> Path:
    """A copy changed through SQLite itself, in a scratch folder, so that no
    -wal or -shm file is left beside the entry's case."""
    scratch = folder.parent / f"{folder.name}.scratch"
    scratch.mkdir()
    work = _case_copy(scratch, base)
    with closing(sqlite3.connect(work)) as raw:
        for statement in statements:
            raw.execute(statement)
        raw.commit()
    target = folder / "c.cwb"
    shutil.move(work, target)
    shutil.rmtree(scratch)
    return target


@entry("case", "truncated-half")
def _(folder, base):
    size = base.case.stat().st_size
    (folder / "c.cwb").write_bytes(base.case.read_bytes()[:size // 2])
    return ["check", "c.cwb"]


@entry("case", "header-only")
def _(folder, base):
    (folder / "c.cwb").write_bytes(base.case.read_bytes()[:100])
    return ["open", "c.cwb"]


@entry("case", "zeroed-page")
def _(folder, base):
    page = struct.unpack(">H", base.case.read_bytes()[16:18])[0]
    _patched(folder, base, 2 * page, bytes(page))
    return ["export", "c.cwb", "-o", "out.xlsx"]


@entry("case", "zeroed-first-page")
def _(folder, base):
    _patched(folder, base, 0, bytes(4096))
    return ["check", "c.cwb"]


@entry("case", "wrong-application-id")
def _(folder, base):
    _patched(folder, base, 68, struct.pack(">I", 0x12345678))
    return ["check", "c.cwb"]


@entry("case", "newer-user-version")
def _(folder, base):
    _patched(folder, base, 60, struct.pack(">I", 9999))
    return ["open", "c.cwb"]


@entry("case", "plain-text")
def _(folder, base):
    (folder / "c.cwb").write_text("This is a note, not a case.\n" * 200)
    return ["check", "c.cwb"]


@entry("case", "empty")
def _(folder, base):
    (folder / "c.cwb").write_bytes(b"")
    return ["export", "c.cwb", "-o", "out.json"]


@entry("case", "folder")
def _(folder, base):
    (folder / "c.cwb").mkdir()
    return ["check", "c.cwb"]


@entry("case", "symlink-loop")
def _(folder, base):
    os.symlink("b.cwb", folder / "a.cwb")
    os.symlink("a.cwb", folder / "b.cwb")
    return ["check", "a.cwb"]


@entry("case", "fifo")
def _(folder, base):
    os.mkfifo(folder / "c.cwb")
    return ["export", "c.cwb", "-o", "out.xlsx"]


@entry("case", "sqlite-magic-then-noise")
def _(folder, base):
    (folder / "c.cwb").write_bytes(b"SQLite format 3\0" + noise(64 * 1024))
    return ["check", "c.cwb"]


@entry("case", "page-size-invalid")
def _(folder, base):
    _patched(folder, base, 16, struct.pack(">H", 3))
    return ["open", "c.cwb"]


@entry("case", "truncated-with-garbage-wal")
def _(folder, base):
    size = base.case.stat().st_size
    (folder / "c.cwb").write_bytes(base.case.read_bytes()[:size * 3 // 4])
    (folder / "c.cwb-wal").write_bytes(b"\x37\x7f\x06\x82" + noise(32 * 1024))
    return ["check", "c.cwb"]


@entry("case", "items-table-dropped")
def _(folder, base):
    _edited_with_sqlite(folder, base, "DROP TABLE items")
    return ["check", "c.cwb"]


@entry("case", "item-row-not-json")
def _(folder, base):
    _edited_with_sqlite(folder, base, "UPDATE items SET data = '{\"id\": \"T-001\", ' "
                                      "WHERE id = (SELECT min(id) FROM items)")
    return ["export", "c.cwb", "-o", "out.xlsx"]


@entry("case", "item-row-deeply-nested")
def _(folder, base):
    _edited_with_sqlite(folder, base, "UPDATE items SET data = '" + "[" * 50_000 + "]" * 50_000
                        + "' WHERE id = (SELECT min(id) FROM items)")
    return ["export", "c.cwb", "-o", "out.json"]


@entry("case", "framework-row-wrong-type")
def _(folder, base):
    _edited_with_sqlite(folder, base, "UPDATE meta SET value = '[1, 2, 3]' "
                                      "WHERE key = 'framework'")
    return ["open", "c.cwb"]


@entry("case", "garbage-wal-beside")
def _(folder, base):
    _case_copy(folder, base)
    (folder / "c.cwb-wal").write_bytes(noise(64 * 1024))
    return ["export", "c.cwb", "-o", "out.json"]


@entry("case", "time-zone-unknown")
def _(folder, base):
    _edited_with_sqlite(folder, base, "UPDATE meta SET value = json_set(value, '$.default_tz', "
                                      "'Mars/Olympus_Mons') WHERE key = 'settings'")
    return ["export", "c.cwb", "-o", "out.xlsx"]


@entry("case", "activity-row-not-json")
def _(folder, base):
    _edited_with_sqlite(folder, base, "UPDATE activity SET at = 'not a time', after = x'ff00ff' "
                                      "WHERE id = (SELECT min(id) FROM activity)")
    return ["export", "c.cwb", "-o", "out.json"]


@entry("case", "zip-named-cwb")
def _(folder, base):
    shutil.copyfile(base.workbook, folder / "c.cwb")
    return ["check", "c.cwb"]


# --- Framework files ---------------------------------------------------------------

def _framework(folder: Path, data: str | bytes) -> list[str]:
    path = folder / "f.toml"
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return ["new", "n.cwb", "--title", "T", "--framework-file", "f.toml"]


def _framework_edit(base: Base, old: str, new: str, count: int = 1) -> str:
    assert old in base.framework, old
    return base.framework.replace(old, new, count)


_FRAMEWORKS: dict[str, Callable[[Base], str | bytes]] = {
    "invalid-toml": lambda b: b.framework + "\nthis is = = not toml\n",
    "binary": lambda b: noise(4096),
    "themes-is-text": lambda b: 'id = "x"\nname = "X"\njurisdiction = "J"\nsummary = "S"\n'
                                'sources = ["s"]\nthemes = "none"\n',
    "themes-missing": lambda b: b.framework[: b.framework.index("[[themes]]")],
    "duplicate-theme-ids": lambda b: _framework_edit(
        b, 'id = "nature_of_threat"', 'id = "nature_of_threat"\n[[themes]]\nid = "nature_of_threat"'
        '\nname = "n"\ndescription = "d"\nsource = "s"\nquestions = ["q"]\n[[themes]]\n'
        'id = "nature_of_threat"'),
    "larger-than-a-mebibyte": lambda b: b.framework + ("# padding\n" * 120_000),
    "nested-10000-deep-arrays": lambda b: "x = " + "[" * 10_000 + "]" * 10_000 + "\n"
                                           + b.framework,
    "nested-3000-deep-tables": lambda b: "x = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n"
                                          + b.framework,
    "huge-integer": lambda b: _framework_edit(b, "version = 1", "version = 1" + "0" * 5000),
    "infinite-version": lambda b: _framework_edit(b, "version = 1", "version = inf"),
    "utf16": lambda b: b.framework.encode("utf-16"),
    "empty": lambda b: b"",
    "nul-bytes": lambda b: b.framework[:200] + "\0\0\0" + b.framework[200:],
    "uppercase-id": lambda b: _framework_edit(b, 'id = "general"', 'id = "GENERAL"'),
    "unknown-cue-kind": lambda b: _framework_edit(b, "[[themes.cues]]\n",
                                                  '[[themes.cues]]\nkinds = ["rumour"]\n'),
    "reason-placeholder-attribute": lambda b: _framework_edit(
        b, 'reason = "', 'reason = "{words.__class__} '),
    "field-name-of-900-kilobytes": lambda b: b.framework.replace(
        "version = 1", "version = 1\n" + "k" * 900_000 + " = 1"),
}

for _name, _make in _FRAMEWORKS.items():
    entry("framework", _name)(lambda folder, base, make=_make: _framework(folder, make(base)))


@entry("framework", "folder")
def _(folder, base):
    (folder / "f.toml").mkdir()
    return ["new", "n.cwb", "--title", "T", "--framework-file", "f.toml"]


@entry("framework", "fifo")
def _(folder, base):
    os.mkfifo(folder / "f.toml")
    return ["new", "n.cwb", "--title", "T", "--framework-file", "f.toml"]


@entry("framework", "endless-device")
def _(folder, base):
    os.symlink("/dev/zero", folder / "f.toml")
    return ["new", "n.cwb", "--title", "T", "--framework-file", "f.toml"]


import hostile_json  # noqa: E402,F401  (registers the JSON family)
import hostile_workbooks  # noqa: E402,F401  (registers the workbook family)
