"""Loading a JSON export from outside: within the size limit, refusing
nesting no export has, and turning every way `json` can fail into one
sentence. Shared by the Telegram and Meta (Instagram/Messenger) readers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path, PurePosixPath

from case_workbook.importers.parsed import ExportReadError, Limits
from case_workbook.importers.source import decode_text, read_bytes

MAX_DEPTH = 200  # real exports nest about 6 levels; deeper is a hostile or broken file
LONGEST_INT = 4000  # Python refuses to turn more than 4,300 digits into an int
BOM = b"\xef\xbb\xbf"

# A JSON string token, written so the regex engine never backtracks.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
# `\xNN` preceded by an even number of backslashes (so `\\x41` is left alone).
_HEX_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\x([0-9a-fA-F]{2})")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_TOKEN_FRAGMENT = re.compile(r"[\w.+\-]*\s*\Z")


@dataclass
class LoadedJson:
    data: object
    sha256: str
    size: int
    notes: list[str] = field(default_factory=list)


def json_start(head: bytes) -> bytes:
    """The head without a UTF-8 byte-order mark and leading white space."""
    if head.startswith(BOM):
        head = head[len(BOM):]
    return head.lstrip()


def load_json_export(path: Path, *, hex_escapes: bool = False) -> LoadedJson:
    """The parsed JSON at `path` and how it was read. `hex_escapes` accepts
    the `\\xNN` escapes Telegram Desktop writes for control characters."""
    raw, sha256 = read_bytes(path, Limits.TEXT_BYTES)
    name = path.name
    text, encoding_note = decode_text(raw, name)
    notes = [f"{encoding_note[0].upper()}{encoding_note[1:]}."] if encoding_note else []
    if not text.strip():
        raise ExportReadError(f"{name} is empty.")
    depth, still_open = _nesting(text)
    if depth > MAX_DEPTH:
        raise ExportReadError(f"{name} nests its data more than {MAX_DEPTH} levels deep, "
                              "which no message export does; it was not read.")
    try:
        data = _loads(text, name)
    except json.JSONDecodeError as error:
        if not (hex_escapes and "\\x" in text):
            raise ExportReadError(_why_not_json(name, text, error, still_open)) from None
        rewritten, count = _HEX_ESCAPE.subn(r"\1\\u00\2", text)
        try:
            data = _loads(rewritten, name)
        except json.JSONDecodeError as again:
            raise ExportReadError(_why_not_json(name, rewritten, again, still_open)) from None
        notes.append("Control characters written as \\xNN (a Telegram Desktop quirk that is "
                     f"not valid JSON) were read as those characters: {count:,}.")
    if _SURROGATE_ESCAPE.search(text):
        replaced = _replace_lone_surrogates(data)
        if replaced:
            notes.append("Half of an escaped character pair, which no text can hold, is "
                         f"shown as \ufffd in {counted(replaced, 'text', 'texts')}.")
    return LoadedJson(data, sha256, len(raw), notes)


def _loads(text: str, name: str) -> object:
    """json.loads; its syntax errors pass through, anything else is a sentence."""
    try:
        # Very long integers stay the digits as written: int() refuses them.
        return json.loads(text, strict=False,
                          parse_int=lambda digits: int(digits) if len(digits) <= LONGEST_INT
                          else digits)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise ExportReadError(f"{name} nests its data too deeply to be read.") from None
    except ValueError:  # anything else json or int() refuses
        raise ExportReadError(f"{name} holds a value that cannot be read as JSON.") from None


def _nesting(text: str) -> tuple[int, int]:
    """The deepest nesting of brackets outside strings, and how many are
    still open at the end (above 0: the file stops part way)."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    if not brackets:
        return 0, 0
    levels = list(accumulate(_STEP[b] for b in brackets))
    return max(levels), levels[-1]


def _why_not_json(name: str, text: str, error: json.JSONDecodeError, still_open: int) -> str:
    # Cut off: something is still open and the error is at the very end (or
    # in a string or word that never finishes).
    ends_early = (error.msg.startswith("Unterminated string")
                  or _TOKEN_FRAGMENT.match(text, error.pos) is not None)
    if still_open > 0 and ends_early:
        return (f"{name} ends part way through (it was cut off, perhaps while copying), and "
                "JSON cannot be read in part; export it again.")
    return (f"{name} is not valid JSON (it goes wrong at line {error.lineno:,}, column "
            f"{error.colno:,}), so it was not read.")


def _replace_lone_surrogates(data: object) -> int:
    """Replace half surrogate pairs (from lone `\\udXXX` escapes), which no
    text encoding can store, with U+FFFD in place; how many strings changed."""
    changed = 0

    def fix(value: object) -> object:
        nonlocal changed
        if isinstance(value, str) and _LONE_SURROGATE.search(value):
            changed += 1
            return _LONE_SURROGATE.sub("\ufffd", value)
        return value

    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            for index, item in enumerate(node):
                node[index] = fix(item)
                stack.append(item)
        elif isinstance(node, dict):
            items = [(fix(key), fix(value), value) for key, value in node.items()]
            node.clear()
            for key, value, original in items:
                node[key] = value
                stack.append(original)
    return changed


def scalar(value: object) -> str:
    """A recorded single value as written ("" for anything nested)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    return ""


def counted(count: int, one: str, many: str) -> str:
    """"1 message", "2,000 messages"."""
    return f"{count:,} {one if count == 1 else many}"


def relative_parts(written: str) -> tuple[str, ...] | None:
    """The folder steps of a path an export wrote for one of its files, or
    None when it would lead out of the export (absolute, a drive, `..`)."""
    if not written or "\x00" in written:
        return None
    unified = written.replace("\\", "/")
    if unified.startswith("/") or re.match(r"[A-Za-z]:", unified):
        return None
    parts = tuple(p for p in PurePosixPath(unified).parts if p not in ("", "."))
    if not parts or ".." in parts:
        return None
    return parts


def file_inside(root: Path, parts: tuple[str, ...]) -> Path | None:
    """The regular file `root/parts...` when it exists and, links followed,
    is still inside `root`; else None."""
    candidate = root.joinpath(*parts)
    try:
        real_root = root.resolve()
        real = candidate.resolve()
        if not real.is_relative_to(real_root) or not real.is_file():
            return None
    except (OSError, ValueError, RuntimeError):
        return None
    return candidate
