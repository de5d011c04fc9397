"""The JSON family of the hostile-file corpus: exports with wrong types in
many places, numbers too long or not numbers, nesting 10,000 and 100,000
deep, repeated names, other encodings, names and texts of a megabyte and a
string of 100 MB. Each is fed to `case-workbook import in.json -o new.cwb`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from hostile_corpus import Base, entry


def _document(base: Base) -> dict:
    return json.loads(base.json.read_text(encoding="utf-8"))


def _write_json(folder: Path, document: object, name: str = "in.json") -> list[str]:
    (folder / name).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return ["import", name, "-o", "new.cwb"]


def _write_text(folder: Path, text: str | bytes) -> list[str]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    (folder / "in.json").write_bytes(data)
    return ["import", "in.json", "-o", "new.cwb"]


def _changed(base: Base, change: Callable[[dict], object]) -> dict:
    document = _document(base)
    change(document)
    return document


def _wrong_type(name: str, change: Callable[[dict], object]) -> None:
    entry("json", f"wrong-type-{name}")(lambda folder, base: _write_json(
        folder, _changed(base, change)))


_wrong_type("items-is-an-object", lambda d: d.update(items={"T-001": d["items"][0]}))
_wrong_type("header-is-text", lambda d: d.update(header="People v. Doe"))
_wrong_type("when-is-a-number", lambda d: d["items"][0].update(when=20240101))
_wrong_type("counter-is-text", lambda d: d["counters"].update(T="three"))
_wrong_type("themes-is-null", lambda d: d["framework"].update(themes=None))
_wrong_type("created-is-a-list", lambda d: d.update(created=[2024, 1, 1]))
_wrong_type("item-id-is-a-number", lambda d: d["items"][0].update(id=7))
_wrong_type("file-content-not-base64", lambda d: d["files"].update(
    {"0" * 64: "%%% not base64 %%%"}))


def _replaced(base: Base, old: str, new: str) -> str:
    text = base.json.read_text(encoding="utf-8")
    assert old in text, old
    return text.replace(old, new, 1)


@entry("json", "top-level-array")
def _(folder, base):
    return _write_json(folder, [_document(base)])


@entry("json", "huge-integer-version")
def _(folder, base):
    return _write_text(folder, _replaced(base, '"version": 1', '"version": 1' + "0" * 5000))


@entry("json", "huge-integer-counter")
def _(folder, base):
    return _write_text(folder, _replaced(base, '"counters": {', '"counters": {"Z": '
                                         + "9" * 100_000 + ","))


@entry("json", "float-overflow")
def _(folder, base):
    return _write_text(folder, _replaced(base, '"copy_limit_bytes": ', '"copy_limit_bytes": 1e400'
                                         ', "x": '))


@entry("json", "nan-counter")
def _(folder, base):
    return _write_text(folder, _replaced(base, '"counters": {', '"counters": {"Z": NaN, '))


@entry("json", "nested-10000-deep")
def _(folder, base):
    return _write_text(folder, _replaced(base, '"counsel_notes": {', '"counsel_notes": {"x": '
                                         + "[" * 10_000 + "]" * 10_000 + ", "))


@entry("json", "nested-100000-deep-objects")
def _(folder, base):
    return _write_text(folder, '{"a": ' * 100_000 + "1" + "}" * 100_000)


@entry("json", "duplicate-keys")
def _(folder, base):
    # A second "items" would silently win over the first: which is meant?
    return _write_text(folder, _replaced(base, '"items": [', '"items": [], "items": ['))


@entry("json", "utf16-with-bom")
def _(folder, base):
    return _write_text(folder, base.json.read_text(encoding="utf-8").encode("utf-16"))


@entry("json", "utf8-byte-order-mark")
def _(folder, base):
    return _write_text(folder, b"\xef\xbb\xbf" + base.json.read_bytes())


@entry("json", "invalid-utf8")
def _(folder, base):
    data = base.json.read_bytes()
    at = data.index(b'"summary": "') + 12
    return _write_text(folder, data[:at] + b"\xff\xfe\xc0\xaf" + data[at:])


@entry("json", "lone-surrogate")
def _(folder, base):
    return _write_text(folder, _replaced(base, '"summary": "', '"summary": "\\ud800'))


@entry("json", "truncated")
def _(folder, base):
    data = base.json.read_bytes()
    return _write_text(folder, data[: len(data) // 2])


@entry("json", "empty")
def _(folder, base):
    return _write_text(folder, b"")


@entry("json", "folder")
def _(folder, base):
    (folder / "in.json").mkdir()
    return ["import", "in.json", "-o", "new.cwb"]


@entry("json", "fifo")
def _(folder, base):
    os.mkfifo(folder / "in.json")
    return ["import", "in.json", "-o", "new.cwb"]


@entry("json", "unknown-kind-of-one-megabyte")
def _(folder, base):
    return _write_json(folder, _changed(base, lambda d: d["items"][0].update(kind="k" * 2**20)))


@entry("json", "duplicate-long-ids")
def _(folder, base):
    def change(d):
        d["items"][0]["id"] = d["items"][1]["id"] = "I" * 2**20
    return _write_json(folder, _changed(base, change))


@entry("json", "field-name-of-one-megabyte")
def _(folder, base):
    return _write_json(folder, _changed(base, lambda d: d["header"].update({"f" * 2**20: 1})))


@entry("json", "string-of-100-megabytes", peak_mib=300)
def _(folder, base):
    # The string is streamed to disk: the test itself never holds it.
    head, tail = json.dumps(_changed(base, lambda d: d["items"][0].update(kind="@@"))).split(
        '"@@"', 1)
    with open(folder / "in.json", "w", encoding="utf-8") as out:
        out.write(head + '"')
        for _ in range(100):
            out.write("A" * 2**20)
        out.write('"' + tail)
    return ["import", "in.json", "-o", "new.cwb"]


