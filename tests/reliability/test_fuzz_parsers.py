"""Fuzzing every parser the person's text reaches: dates as typed, framework
files, JSON imports, returned workbooks and the command line. Each either
gives a value or refuses in one sentence (its own error class), never a
traceback, and an import refused leaves nothing behind.

Example counts are the constants below (`pytest --long` runs ten times as many).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
import tempfile
import tomllib
import zipfile
from datetime import date, datetime
from importlib.resources import files
from pathlib import Path

import openpyxl
import pytest
from fuzz_support import (
    NASTY_PIECES,
    assert_one_sentence,
    examples,
    files_in,
    nasty_text,
)
from hypothesis import event, example, given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from case_workbook.core import create_case, export_case, import_case, write_demo
from case_workbook.export.interchange import InterchangeError
from case_workbook.export.workbook.returned import WorkbookReadError
from case_workbook.model.framework import FrameworkError, parse_framework
from case_workbook.model.when import WhenError, parse_when
from case_workbook.store.case_file import CaseFile
from case_workbook.store.errors import CaseFileError

# Examples per target in an ordinary run (ten times as many with --long).
WHEN_EXAMPLES = 500
WHEN_RAW_EXAMPLES = 300
FRAMEWORK_TEXT_EXAMPLES = 300
FRAMEWORK_SHAPE_EXAMPLES = 300
JSON_IMPORT_EXAMPLES = 150
JSON_BYTES_EXAMPLES = 100
WORKBOOK_CELL_EXAMPLES = 60  # each one saves a workbook with openpyxl and imports it
WORKBOOK_BYTES_EXAMPLES = 100
CLI_EXAMPLES = 150

SECRET = "Zq9secret"  # put into case text; must never show in a refusal
# Ids are named in refusals (to say which item); the secret goes into text only.
ID_KEYS = {"id", "entity", "people", "exhibits", "related", "made_by", "present", "with_whom",
           "person", "files", "themes", "theme", "sha256"}


# --- when-parsing -------------------------------------------------------------

ZONES = ["UTC", "Europe/Berlin", "America/St_Johns", "Asia/Kathmandu", "Australia/Lord_Howe",
         "Pacific/Kiritimati", "Pacific/Pago_Pago", "Etc/GMT-14", "America/Los_Angeles"]
MONTHS = ["March", "mar", "Feb", "February", "Sept", "décembre", "Mär", "MAY", "Sat", "Sun"]
# Mostly numbers a date could hold, sometimes ones it cannot.
number = st.one_of(st.integers(0, 13), st.integers(1, 32), st.integers(0, 61),
                   st.sampled_from([1899, 1900, 1970, 2026, 2026, 2100, 9999]),
                   st.integers(0, 10**30), st.integers(-99, -1))
digits = st.sampled_from([str.maketrans("", ""), str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),
                          str.maketrans("0123456789", "０１２３４５６７８９"),
                          str.maketrans("0123456789", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗")])
zone_text = st.one_of(
    st.just(""), st.just(""), st.sampled_from([" UTC", " Z", " GMT", " +01:00", " UTC-5",
                                               " Europe/Berlin", " europe/berlin"]),
    st.sampled_from([" EST", " UTC+14", " UTC-13", " -99:99", " +05:45", " Etc/GMT+15",
                     " Europe/Nowhere", " ../../etc/passwd"]),
    st.builds(lambda s, h: f" UTC{s}{h}", st.sampled_from("+-"), number))


@st.composite
def near_valid_when(draw) -> str:
    # year, month, day, hour, minute, second: mostly plausible, sometimes any number
    plausible = [(1990, 2030), (1, 12), (1, 28), (0, 23), (0, 59), (0, 59)]
    n = [draw(st.one_of(*[st.integers(low, high)] * 3, number)) for low, high in plausible]
    month = draw(st.sampled_from(MONTHS))
    shapes = [f"{n[0]}-{n[1]:02d}-{n[2]:02d}", f"{n[0]}-{n[1]}-{n[2]} {n[3]}:{n[4]}",
              f"{n[2]} {month} {n[0]}", f"{month} {n[2]}, {n[0]}", f"{n[2]}/{n[1]}/{n[0]}",
              f"{n[3]}:{n[4]}:{n[5]}", f"{n[3]} pm", f"{n[0]}-{n[1]}", f"{month} {n[0]}",
              f"about {n[3]}:{n[4]} on {n[2]} {month} {n[0]} ± {n[5]} min",
              f"from {n[3]}:00 to {n[4]}:00 on {n[2]} {month} {n[0]}",
              f"between {n[2]} {month} and {n[1]} {month} {n[0]}", f"+/- {n[5]}h {n[3]}:00",
              f"before {n[0]}-{n[1]}-{n[2]}T{n[3]}:{n[4]}", f"after {n[2]} {month}",
              f"{n[0]}-{n[1]}-{n[2]} {n[3]}:{n[4]}:{n[5]}.{n[5]}", "today", "yesterday",
              f"{n[2]}/{n[1]}/{n[0] % 100}", "noon - midnight"]
    text = draw(st.sampled_from(shapes)) + draw(zone_text)
    if draw(st.integers(0, 3)) == 0:
        text = text.translate(draw(digits))
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):  # something nasty somewhere
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(NASTY_PIECES)) + text[at:]
    return text


def check_when(text: str, tz: str, now: datetime | None) -> None:
    try:
        when = parse_when(text, tz, now=now)
    except WhenError as error:
        assert_one_sentence(str(error), typed=(text, tz))
        event("refused")
        return
    event("read")
    assert when.source_text == text
    when.describe(), when.precision_text(), when.canonical_text(), when.sort_key()
    when.bounds()


def test_near_valid_dates_give_a_when_or_one_sentence(request):
    @examples(request, WHEN_EXAMPLES)
    @given(near_valid_when(), st.sampled_from(ZONES),
           st.none() | st.datetimes(datetime(1900, 1, 1), datetime(2100, 1, 1)))
    @example("31 December 9999 23:59 +14:00", "UTC", None)
    @example("1 January 1 00:00 Etc/GMT+12", "UTC", None)
    @example("yesterday", "Pacific/Kiritimati", datetime(1900, 1, 1))
    def check(text, tz, now):
        check_when(text, tz, now)
    check()


def test_any_text_in_any_zone_gives_a_when_or_one_sentence(request):
    @examples(request, WHEN_RAW_EXAMPLES)
    @given(nasty_text, st.one_of(st.sampled_from(ZONES), nasty_text))
    def check(text, tz):
        check_when(text, tz, None)
    check()


# --- frameworks ---------------------------------------------------------------

GENERAL = (files("case_workbook") / "templates" / "general.toml").read_text(encoding="utf-8")
LINES = GENERAL.splitlines(keepends=True)


@st.composite
def framework_text(draw) -> bytes:
    """The general framework's text, cut, spliced and sprinkled with TOML-ish pieces."""
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "repeat", "splice", "swap", "replace"]))
        if op == "drop":
            del lines[at]
        elif op == "repeat":
            lines.insert(at, lines[at])
        elif op == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        else:
            piece = draw(st.one_of(nasty_text, st.sampled_from(
                ['"', "'''", "[[themes]]\n", "[themes]\n", "id = 1\n", "= ", "{", "}", "[",
                 "]", "#", "\\u0000", "\\", "version = -1\n", "questions = []\n",
                 "kinds = [\"threat\", 3]\n", "reason = \"{nope}\"\n", "in_fields = [\"\"]\n",
                 "x.y.z = 1\n", "1979-05-27T07:32:00Z", "inf", "nan", "\ufeff"])))
            cut = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:cut] + piece + (lines[at][cut:] if op == "splice" else "\n")
    data = "".join(lines).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=4)) + data[at:]
    return data


def check_framework(data: bytes) -> None:
    try:
        parse_framework(data, "fw.toml")
    except FrameworkError as error:
        message = str(error)
        assert message.startswith("fw.toml: ")
        assert_one_sentence(message)
        event("refused")
        return
    event("loaded")


def test_framework_text_gives_a_framework_or_one_sentence(request):
    @examples(request, FRAMEWORK_TEXT_EXAMPLES)
    @given(framework_text())
    @example(b"\xef\xbb\xbf\xef\xbb\xbf" + GENERAL.encode())
    def check(data):
        check_framework(data)
    check()


toml_scalar = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=20), st.sampled_from(["", " "]),
    st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=False), st.booleans(),
    st.dates(), st.datetimes())
toml_value = st.recursive(toml_scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=8)


def to_toml(value) -> str:
    """A value as TOML (inline tables and arrays, so any structure fits on a line)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return {float("inf"): "inf", float("-inf"): "-inf"}.get(value, repr(value))
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(map(to_toml, value)) + "]"
    return "{" + ", ".join(f"{to_toml(str(k))} = {to_toml(v)}" for k, v in value.items()) + "}"


def paths_in(value, here=()):
    yield here
    children = value.items() if isinstance(value, dict) else enumerate(value) \
        if isinstance(value, list) else ()
    for key, child in children:
        yield from paths_in(child, (*here, key))


@st.composite
def mutated(draw, document, values):
    """`document` (JSON-like) with a few places dropped, replaced or retyped."""
    document = json.loads(json.dumps(document, default=str))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(paths_in(document))))
        if not path:
            continue
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        key, old = path[-1], parent[path[-1]]
        op = draw(st.sampled_from(["drop", "replace", "retype", "repeat"]))
        if op == "drop":
            del parent[key]
        elif op == "replace":
            parent[key] = draw(values)
            if ID_KEYS.intersection(map(str, path)):
                parent[key] = json.loads(json.dumps(parent[key], default=str).replace(SECRET, "Zid"))
        elif op == "retype":
            parent[key] = [old] if not isinstance(old, list) else {"0": old}
        elif isinstance(parent, list):
            parent.insert(key, old)
        else:
            secret = "" if ID_KEYS.intersection(map(str, path)) else SECRET
            parent[key] = draw(st.sampled_from([str(old), secret + str(old)[:20], 0, -1]))
    return document


def test_framework_shapes_give_a_framework_or_one_sentence(request):
    shape = tomllib.loads(GENERAL)

    @examples(request, FRAMEWORK_SHAPE_EXAMPLES)
    @given(mutated(shape, toml_value))
    def check(document):
        text = "".join(f"{to_toml(str(k))} = {to_toml(v)}\n" for k, v in document.items())
        tomllib.loads(text)  # the test's own TOML is valid: the shape is what is tested
        check_framework(text.encode("utf-8"))
    check()


# --- JSON import --------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_exports(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("demo")
    case, _ = write_demo(folder / "d.cwb")
    export_case(case, folder / "d.json")
    export_case(case, folder / "d.xlsx")
    return folder / "d.json", folder / "d.xlsx"


def check_import(source: Path, folder: Path, password: str | None = None) -> None:
    """Imported into a case that then opens, or refused in one sentence that
    echoes no case text, with nothing left in the target folder."""
    target = folder / "new.cwb"
    try:
        import_case(source, target, password=password)
    except (InterchangeError, WorkbookReadError, CaseFileError) as error:
        assert_one_sentence(str(error))
        assert SECRET not in str(error)
        assert files_in(folder) == [], "a refused import left files behind"
        event(f"refused ({type(error).__name__})")
        return
    event("imported")
    with CaseFile.open(target, readonly=True) as case:
        case.items(), case.counts()


json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | nasty_text
    | st.just(SECRET) | st.sampled_from(["threat", "exact", "P-001", "2026-03-14T21:00:00",
                                         "Europe/Berlin", "copy", "-1"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3), max_leaves=6)


def test_an_odd_version_is_refused_without_python_words_or_file_content(tmp_path):
    # Was "uses export format version None", and any value was echoed whole.
    for version in ["missing", SECRET * 100, None, [1], True, 2]:
        data = {"format": "case-workbook"} | ({} if version == "missing" else
                                              {"version": version})
        source = tmp_path / "odd.json"
        source.write_text(json.dumps(data))
        with pytest.raises(InterchangeError) as refused:
            import_case(source, tmp_path / "new.cwb")
        assert_one_sentence(str(refused.value))
        assert SECRET not in str(refused.value)
    assert files_in(tmp_path) == ["odd.json"]


def new_folder(tmp_path: Path) -> Path:
    return Path(tempfile.mkdtemp(dir=tmp_path))


def test_json_export_with_changed_values_imports_or_is_refused(request, demo_exports, tmp_path):
    document = json.loads(demo_exports[0].read_text(encoding="utf-8"))
    document["files"] = {}  # the exhibit files are large and need no fuzzing here
    for item in document["items"]:
        if item.get("file"):
            item["file"] = None

    @examples(request, JSON_IMPORT_EXAMPLES)
    @given(mutated(document, json_value))
    def check(changed):
        source = new_folder(tmp_path) / "in.json"
        source.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
        check_import(source, new_folder(tmp_path))
    check()


@st.composite
def byte_damage(draw, data: bytes) -> bytes:
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            return draw(st.binary(max_size=8))
        at = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        if op == "flip":
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
        elif op == "cut":
            data = data[:at] + data[at + draw(st.integers(1, 64)):]
        elif op == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        else:
            data = data[:at]
    return data


def test_json_export_with_damaged_bytes_imports_or_is_refused(request, demo_exports, tmp_path):
    @examples(request, JSON_BYTES_EXAMPLES)
    @given(byte_damage(demo_exports[0].read_bytes()))
    def check(data):
        source = new_folder(tmp_path) / "in.json"
        source.write_bytes(data)
        check_import(source, new_folder(tmp_path))
    check()


# --- workbook import ----------------------------------------------------------

cell_value = st.one_of(
    nasty_text.map(lambda t: ILLEGAL_CHARACTERS_RE.sub("", t)), st.just(SECRET),
    st.sampled_from(["=1+1", "=A1", "=SUM(A:A)", "=\"x\"&\"y\"", "#REF!", "TRUE"]),
    st.integers(-(2**53), 2**53), st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(datetime(1900, 3, 1), datetime(9999, 1, 1)), st.none(), st.booleans())


def test_workbook_with_changed_cells_imports_or_is_refused(request, demo_exports, tmp_path):
    sent = demo_exports[1]
    names = openpyxl.load_workbook(sent, read_only=True).sheetnames

    @examples(request, WORKBOOK_CELL_EXAMPLES)
    @given(st.lists(st.tuples(st.sampled_from(names), st.integers(1, 60), st.integers(1, 14),
                              cell_value), min_size=1, max_size=4), st.booleans())
    def check(changes, drop_a_sheet):
        wb = openpyxl.load_workbook(sent)
        for sheet, row, column, value in changes:
            wb[sheet].cell(row, column).value = value
        if drop_a_sheet:
            del wb[changes[0][0]]
        source = new_folder(tmp_path) / "back.xlsx"
        wb.save(source)
        check_import(source, new_folder(tmp_path))
    check()


@st.composite
def damaged_workbook(draw, data: bytes) -> bytes:
    """Either bytes damaged anywhere, or one part inside the zip damaged and the
    zip written again whole (so the damage gets past the zip's checksums)."""
    if draw(st.booleans()):
        return draw(byte_damage(data))
    with zipfile.ZipFile(io.BytesIO(data)) as old:
        parts = {info.filename: old.read(info) for info in old.infolist()}
    name = draw(st.sampled_from(sorted(parts)))
    parts[name] = draw(byte_damage(parts[name]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for part, content in parts.items():
            new.writestr(part, content)
    return out.getvalue()


def test_damaged_workbook_imports_or_is_refused(request, demo_exports, tmp_path):
    @examples(request, WORKBOOK_BYTES_EXAMPLES)
    @given(damaged_workbook(demo_exports[1].read_bytes()))
    def check(data):
        source = new_folder(tmp_path) / "back.xlsx"
        source.write_bytes(data)
        check_import(source, new_folder(tmp_path))
    check()


# --- the command line ---------------------------------------------------------

OPTIONS = ["--framework", "--framework-file", "--title", "--charge", "--zone", "--exhibit-prefix",
           "--defendant", "-o", "--output", "--format", "--force", "--password-file",
           "--password", "--with-exhibits", "--json", "--no-open", "--help", "--version", "-h",
           "--", "-", "--case-number", "--titl", "-ox.json"]
PATHS = ["c.cwb", "d.json", "folder", "notes.txt", "pw.txt", "new.cwb", "out.xlsx", "out.json",
         "a b.cwb", "ünï \u202e.cwb", "-dash.cwb", "x\x00.cwb", "x\n.cwb", "n" * 300 + ".cwb",
         "folder/", "folder/x.cwb", "missing/x.cwb", "c.cwb/x", "", " ", "notes.txt.xlsx"]
VALUES = ["general", "nope", "UTC", "Mars/Base", "+01:00", "xlsx", "json", "DX", "", "[bold]"]


def safe_word(text: str) -> bool:
    # Never a path that leads out of the test's folder.
    return not text.startswith(("/", "~")) and ".." not in text


COMMAND_OPTIONS = {
    "new": ["--framework", "--framework-file", "--title", "--charge", "--zone",
            "--exhibit-prefix", "--defendant", "--case-number"],
    "open": [], "frameworks": ["--json"], "demo": ["--no-open"], "check": [], "schema": [],
    "export": ["-o", "--format", "--force", "--password-file", "--password", "--with-exhibits"],
    "import": ["-o", "--password-file"],
}
FLAGS = {"--json", "--no-open", "--force", "--password", "--with-exhibits"}
word = st.one_of(st.sampled_from(PATHS), st.sampled_from(VALUES), nasty_text.filter(safe_word))


@st.composite
def command_line(draw) -> list[str]:
    """Mostly well-formed commands with odd values, sometimes anything at all."""
    if draw(st.integers(0, 4)) == 0:
        return draw(st.lists(st.one_of(st.sampled_from(OPTIONS), word), max_size=6))
    command = draw(st.sampled_from(sorted(COMMAND_OPTIONS)))
    args = [command]
    if command in {"new", "open", "check", "export", "import"}:
        args.append(draw(word))
    if command == "new":
        args += ["--title", draw(word)]
    if command in {"export", "import"}:
        args += ["-o", draw(word)]
    for option in draw(st.lists(st.sampled_from(COMMAND_OPTIONS[command] or ["--help"]),
                                max_size=3)):
        args += [option] if option in FLAGS | {"--help"} else [option, draw(word)]
    if draw(st.integers(0, 4)) == 0:
        args.insert(draw(st.integers(0, len(args))), draw(st.one_of(st.sampled_from(OPTIONS),
                                                                    word)))
    return args


def prepare_folder(folder: Path, case: Path, json_export: Path) -> None:
    shutil.copy(case, folder / "c.cwb")
    shutil.copy(json_export, folder / "d.json")
    (folder / "folder").mkdir()
    (folder / "notes.txt").write_text("not a case\n")
    (folder / "notes.txt.xlsx").write_text("not a workbook\n")
    (folder / "pw.txt").write_text("a password\n")


def test_command_line_arguments_never_fail_unexpectedly(request, demo_exports, tmp_path,
                                                        monkeypatch, capsys):
    from case_workbook.cli import main

    case = tmp_path / "small.cwb"
    create_case(case, title="Fuzz " + SECRET, zone="UTC")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal: no prompt, no screen
    start = os.getcwd()

    @examples(request, CLI_EXAMPLES)
    @given(command_line())
    @example(["new", "x.cwb", "--title", "t", "--zone", "Mars/Base"])
    @example(["export", "c.cwb", "-o", "out.xlsx", "--password"])
    @example(["import", "notes.txt.xlsx", "-o", "new.cwb"])
    def check(args):
        folder = new_folder(tmp_path)
        prepare_folder(folder, case, demo_exports[0])
        os.chdir(folder)
        capsys.readouterr()
        try:
            try:
                code = main(args)
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else 1
        finally:
            os.chdir(start)
        out, err = capsys.readouterr()
        event(f"exit {code}")
        assert code in (0, 1, 2, 130), (code, err)
        assert "Traceback" not in out + err
        if err.strip():
            lines = err.strip().splitlines()
            assert len(lines) == 1, err
            assert lines[0].startswith("case-workbook")
            assert_one_sentence(lines[0], typed=tuple(args))
    check()


def test_a_path_with_a_line_break_is_refused_on_one_line(tmp_path, monkeypatch, capsys):
    from case_workbook.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["open", "a\rb\nc\x1b[2J.cwb"]) == 1
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "\x1b" not in err, err
