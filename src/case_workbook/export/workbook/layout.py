"""What each sheet of the workbook shows: its columns, in order, and how each
cell is worked out from an item. Every field of every kind has a column.

A getter returns plain text, a `Link` (text that links to a row elsewhere in
the workbook), a `Stamp` (a real date-time), an int, or None for an empty cell.
A cell naming one id links to that id's row; a cell listing several ids (one
per line) has no link, because LibreOffice prints a linked cell on one line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from case_workbook.model.items import (
    KIND_LABELS,
    AnyItem,
    Communication,
    Event,
    Exhibit,
    Kind,
    Person,
    PostEventAction,
    Threat,
    Witness,
)
from case_workbook.model.when import Precision, When
from case_workbook.views.columns import yes_no
from case_workbook.views.index import CaseIndex

from .cells import Link, Stamp, location

SHEET_OF_KIND: dict[Kind, str] = {
    Kind.THREAT: "Threats",
    Kind.WITNESS: "Witnesses",
    Kind.COMMUNICATION: "Communications",
    Kind.ACTION: "Post-Event Actions",
    Kind.EVENT: "Events",
    Kind.PERSON: "People",
    Kind.EXHIBIT: "Exhibits",
}
TABLE_OF_KIND: dict[Kind, str] = {kind: name.replace("-", "").replace(" ", "")
                                  for kind, name in SHEET_OF_KIND.items()}

Value = str | Link | Stamp | int | None


@dataclass(frozen=True)
class Col:
    title: str
    get: Callable[[Any, Context], Value]
    width: float = 16


class WholeItems:
    """Items read whole from the case a batch at a time, in the order of
    `ids`: the index holds only slimmed items (see views.index.slimmed)."""

    def __init__(self, index: CaseIndex, ids: list[str], batch: int = 500) -> None:
        self.index, self.ids, self.batch = index, ids, batch

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self):
        if self.index.whole is not None:
            yield from (self.index.whole[i] for i in self.ids)
            return
        for start in range(0, len(self.ids), self.batch):
            yield from self.index.case.items_by_ids(self.ids[start:start + self.batch])


class Context:
    """The open case, and where each item's row is in the workbook."""

    def __init__(self, index: CaseIndex, exhibit_links: dict[str, str] | None = None) -> None:
        self.index = index
        self.exhibit_links = exhibit_links or {}
        self.tables: dict[str, list[tuple[str, ...]]] = {}  # sheet -> header of each table
        self.rows: dict[str, str] = {}
        for kind, sheet in SHEET_OF_KIND.items():
            for row, item in enumerate(index.of_kind(kind), start=2):
                self.rows[item.id] = location(sheet, row)

    def ids(self, ids: list[str], label: Callable[[str], str] | None = None) -> Value:
        if not ids:
            return None
        text = "\n".join(label(i) if label else i for i in ids)
        # LibreOffice shows a linked cell on one line, unwrapped: link single ids only.
        return Link(text, self.rows.get(ids[0])) if len(ids) == 1 else text

    def people(self, ids: list[str]) -> Value:
        return self.ids(ids, lambda p: f"{self.index.person_name(p)} ({p})")

    def items(self, ids: list[str]) -> Value:
        def label(item_id: str) -> str:
            item = self.index.get(item_id)
            return f"{item_id} {item.summary}".rstrip() if item else item_id
        return self.ids(ids, label)

    def case_note(self, key: str) -> str | None:
        return self.index.case.counsel_notes.get(key) or None

    def link(self, item_id: str, text: str | None = None) -> Link:
        return Link(text if text is not None else item_id, self.rows.get(item_id))


def _text(value: object) -> str | None:
    if value is None or value == "":
        return None
    return str(value)


_FORMATS = {Precision.DAY: "yyyy-mm-dd", Precision.MONTH: "yyyy-mm"}


def when_stamp(when: When | None) -> Stamp | None:
    if when is None or not when.is_dated() or when.anchor_local() is None:
        return None
    return Stamp(when.anchor_local(), _FORMATS.get(when.precision, "yyyy-mm-dd hh:mm"))


def when_cols(prefix: str = "When") -> list[Col]:
    """A date cell, the honest precision, the zone, the words, what was typed."""
    def w(item: AnyItem) -> When | None:
        return item.when_value()
    return [
        Col(prefix, lambda i, c: when_stamp(w(i)), 17),
        Col(f"{prefix}: precision", lambda i, c: w(i).precision_text() if w(i) else None, 18),
        Col(f"{prefix}: time zone", lambda i, c: w(i).tz if w(i) else None, 14),
        Col(f"{prefix}: in words", lambda i, c: w(i).describe() if w(i) else None, 28),
        Col(f"{prefix}: as typed", lambda i, c: _text(w(i).source_text) if w(i) else None, 18),
    ]


def _themes(item: AnyItem, ctx: Context) -> Value:
    lines = [ctx.index.theme_name(link.theme_id) + (f" — {link.note}" if link.note else "")
             for link in item.themes]
    return "\n".join(lines) or None


def _file_name(item: Exhibit, ctx: Context) -> Value:
    """The original name; with --with-exhibits, a link to the copy beside the workbook."""
    if item.file is None or not item.file.original_name:
        return None
    target = ctx.exhibit_links.get(item.id)
    return Link(item.file.original_name, target=target) if target else item.file.original_name


def _stamp_text(value) -> str | None:
    return value.isoformat() if value is not None else None


HEAD = [Col("Id", lambda i, c: i.id, 10), Col("Summary", lambda i, c: _text(i.summary), 36)]
TAIL = [
    Col("Details", lambda i, c: _text(i.details), 40),
    Col("My notes", lambda i, c: _text(i.notes), 30),
    Col("Themes (with notes)", _themes, 26),
    Col("Linked people", lambda i, c: c.people(i.people), 22),
    Col("Exhibits", lambda i, c: c.items(i.exhibits), 22),
    Col("Related items", lambda i, c: c.items(i.related), 22),
    Col("Linked from", lambda i, c: c.items(c.index.referrers(i.id)), 22),
    Col("Created", lambda i, c: _stamp_text(i.created), 20),
    Col("Last changed", lambda i, c: _stamp_text(i.edited), 20),
]
COUNSEL = Col("Counsel notes", lambda i, c: _text(i.counsel_notes), 40)


def _join(values) -> str | None:
    return "\n".join(str(v) for v in values) or None


KIND_COLS: dict[Kind, list[Col]] = {
    Kind.THREAT: when_cols() + [
        Col("Made by", lambda i, c: c.people(i.made_by), 22),
        Col("Against", lambda i, c: _join(i.against), 14),
        Col("Who exactly", lambda i, c: _text(i.against_detail), 20),
        Col("How delivered", lambda i, c: _text(i.delivery), 14),
        Col("Harm threatened", lambda i, c: _text(i.harm_threatened), 26),
        Col("Demanded", lambda i, c: _text(i.demand), 26),
        Col("Weapon shown", lambda i, c: yes_no(i.weapon_shown), 10),
        Col("Weapon", lambda i, c: _text(i.weapon), 16),
        Col("Where", lambda i, c: _text(i.place), 18),
        Col("Present", lambda i, c: c.people(i.present), 22)],
    Kind.WITNESS: [
        Col("Person", lambda i, c: c.people([i.person] if i.person else []), 22),
        Col("Saw or heard", lambda i, c: _text(i.observed), 36)] + when_cols() + [
        Col("How to reach", lambda i, c: _text(i.contact), 20),
        Col("Relation", lambda i, c: _text(i.relation), 16),
        Col("Contacted yet", lambda i, c: yes_no(i.contacted), 10)],
    Kind.COMMUNICATION: when_cols() + [
        Col("Channel", lambda i, c: _text(i.channel), 14),
        Col("Direction", lambda i, c: _text(i.direction), 12),
        Col("From", lambda i, c: c.people(i.sender), 22),
        Col("To", lambda i, c: c.people(i.recipients), 22),
        Col("Content (verbatim)", lambda i, c: _text(i.content), 40),
        Col("Original kept at", lambda i, c: _text(i.original_location), 20),
        Col("Preserved", lambda i, c: _text(i.preserved), 10),
        Col("Came from", lambda i, c: _text(i.provenance), 20)],
    Kind.ACTION: [Col("Action", lambda i, c: _text(i.action), 18)] + when_cols() + [
        Col("With whom", lambda i, c: c.people(i.with_whom), 22),
        Col("Where", lambda i, c: _text(i.place), 18)],
    Kind.EVENT: when_cols() + [
        Col("Key moment", lambda i, c: _text(i.key_moment), 18),
        Col("Where", lambda i, c: _text(i.place), 18)],
    Kind.PERSON: [
        Col("Name", lambda i, c: _text(i.name), 22),
        Col("Role", lambda i, c: _text(i.role), 14),
        Col("Aliases", lambda i, c: _join(i.aliases), 18),
        Col("Contact", lambda i, c: _text(i.contact), 22),
        Col("Relation", lambda i, c: _text(i.relation), 16)],
    Kind.EXHIBIT: [
        Col("Form", lambda i, c: _text(i.form), 12),
        Col("Original file name", _file_name, 24),
        Col("SHA-256", lambda i, c: i.file.sha256 if i.file else None, 24),
        Col("Size (bytes)", lambda i, c: i.file.size if i.file else None, 12),
        Col("File modified", lambda i, c: _stamp_text(i.file.modified) if i.file else None, 20),
        Col("Kept as", lambda i, c: _text(i.file.storage) if i.file else None, 14),
        Col("Reference path", lambda i, c: _text(i.file.reference_path) if i.file else None, 20),
        Col("Custody", lambda i, c: _text(i.custody), 24),
        Col("Bates range", lambda i, c: _text(i.bates), 16)] + when_cols("When made"),
}


# The columns each sheet prints, in order, with their widths; Counsel notes
# follows them. The other columns come after Counsel notes, outside the print
# area: a page that tried to hold twenty columns would print too small to read.
PRINTED: dict[Kind, dict[str, float]] = {
    Kind.THREAT: {"Id": 9, "Summary": 26, "When: in words": 20, "Made by": 19,
                  "Harm threatened": 20, "Demanded": 20, "Details": 28,
                  "Themes (with notes)": 22},
    Kind.WITNESS: {"Id": 9, "Summary": 24, "Person": 18, "Saw or heard": 32,
                   "When: in words": 20, "How to reach": 18, "Contacted yet": 9,
                   "Themes (with notes)": 22},
    Kind.COMMUNICATION: {"Id": 9, "Summary": 24, "When: in words": 20, "Channel": 11,
                         "Direction": 10, "From": 19, "To": 19, "Content (verbatim)": 40},
    Kind.ACTION: {"Id": 9, "Summary": 26, "Action": 16, "When: in words": 20,
                  "With whom": 18, "Where": 16, "Details": 32, "Themes (with notes)": 22},
    Kind.EVENT: {"Id": 9, "Summary": 30, "When: in words": 20, "Key moment": 16,
                 "Where": 16, "Details": 36, "Themes (with notes)": 22},
    Kind.PERSON: {"Id": 9, "Summary": 28, "Name": 20, "Role": 12, "Aliases": 16,
                  "Contact": 20, "Relation": 20, "Themes (with notes)": 22},
    Kind.EXHIBIT: {"Number": 10, "Description": 30, "Original file name": 22,
                   "SHA-256": 17, "Bates range": 14, "When made: in words": 20,
                   "Custody": 26, "Linked from": 18},
}
NOTES_WIDTH = 24


def printed_first(cols: list[Col], printed: dict[str, float]) -> list[Col]:
    """The printed columns (in `printed` order, at its widths), Counsel notes,
    then every other column. Each column appears once."""
    by_title = {c.title: c for c in cols}
    first = [replace(by_title[t], width=w) for t, w in printed.items()]
    notes = replace(by_title[COUNSEL.title], width=NOTES_WIDTH)
    rest = [c for c in cols if c.title not in printed and c.title != COUNSEL.title]
    return first + [notes] + rest


def kind_columns(kind: Kind) -> list[Col]:
    """Every column of a kind's sheet, printed ones first (see PRINTED)."""
    head = HEAD
    if kind is Kind.EXHIBIT:
        head = [Col("Number", HEAD[0].get, 11), Col("Description", HEAD[1].get, 36)]
    return printed_first(head + KIND_COLS[kind] + TAIL + [COUNSEL], PRINTED[kind])


def printed_count(cols: list[Col]) -> int:
    """How many leading columns print: up to and including Counsel notes."""
    return [c.title for c in cols].index(COUNSEL.title) + 1


def chronology_columns(index: CaseIndex) -> list[Col]:
    rows = {row.item.id: row for row in index.chronology()}

    last = list(index.key_moments())[-1:]

    def interval(moment):
        def get(item, ctx):
            row = rows[item.id]
            text = row.interval_text(moment, short=True)
            if [moment] == last:
                row._intervals = None  # a row's intervals are not needed again: free them
            return _text(text)
        return get

    from case_workbook.model.chronology import KEY_MOMENT_PHRASE

    moments = [Col(f"From {KEY_MOMENT_PHRASE[m].removeprefix('the ')}", interval(m), 12)
               for m in index.key_moments()]
    return [
        Col("When", lambda i, c: when_stamp(i.when_value()), 15),
        Col("Precision", lambda i, c: i.when_value().precision_text(), 15),
        Col("Kind", lambda i, c: KIND_LABELS[i.kind], 14),
        Col("Id", lambda i, c: c.link(i.id), 9),
        Col("Summary", lambda i, c: _text(i.summary), 34),
        Col("People", lambda i, c: c.people(i.person_refs()), 18),
        Col("Themes", lambda i, c: _join(c.index.theme_name(t) for t in i.theme_ids()), 16),
    ] + moments + [replace(COUNSEL, width=NOTES_WIDTH),
                   Col("Time zone", lambda i, c: i.when_value().tz, 14),
                   Col("Exhibits", lambda i, c: c.ids(i.exhibits), 12)]


KIND_MODELS = {Kind.THREAT: Threat, Kind.WITNESS: Witness, Kind.COMMUNICATION: Communication,
               Kind.ACTION: PostEventAction, Kind.EVENT: Event, Kind.PERSON: Person,
               Kind.EXHIBIT: Exhibit}
