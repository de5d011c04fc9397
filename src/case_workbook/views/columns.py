"""What each list shows: the columns per kind, as plain text and sort keys.

Shared by the terminal UI and the workbook so both show the same things under
the same names. No UI code here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from case_workbook.model.chronology import id_number
from case_workbook.model.items import KIND_LABELS, AnyItem, Event, Kind

if TYPE_CHECKING:
    from case_workbook.views.index import CaseIndex

Getter = Callable[[Any, "CaseIndex"], str]


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    text: Getter
    width: int = 12  # preferred width in cells; the summary column takes the rest
    flexible: bool = False
    sort: Callable[[Any, CaseIndex], Any] | None = None

    def sort_value(self, item: AnyItem, index: CaseIndex) -> Any:
        if self.sort is not None:
            return self.sort(item, index)
        return self.text(item, index).casefold()


def yes_no(value: bool | None) -> str:
    return "not known" if value is None else ("yes" if value else "no")


def _when(item: AnyItem, index: CaseIndex) -> str:
    when = item.when_value()
    if when is None or not when.is_dated():
        return "—"
    # The case's own zone goes without saying in a list; any other is shown.
    return when.describe().removesuffix(f", {index.case.settings.default_tz}")


def _when_sort(item: AnyItem, index: CaseIndex) -> Any:
    when = item.when_value()
    return when.sort_key() if when is not None else (9,)


def _id_sort(item: AnyItem, index: CaseIndex) -> Any:
    return id_number(item.id)


def _summary(item: AnyItem, index: CaseIndex) -> str:
    return item.summary


def _themes(item: AnyItem, index: CaseIndex) -> str:
    return ", ".join(index.theme_name(t) for t in item.theme_ids())


def _names(ids: list[str], index: CaseIndex) -> str:
    return ", ".join(index.person_name(p) for p in ids)


ID = Column("id", "Id", lambda i, x: i.id, 8, sort=_id_sort)
WHEN = Column("when", "When", _when, 30, sort=_when_sort)
SUMMARY = Column("summary", "Summary", _summary, 30, flexible=True)
THEMES = Column("themes", "Themes", _themes, 20)
def _kind(item: AnyItem, index: CaseIndex) -> str:
    # A key moment shows its symbol and its name where the kind would be.
    return key_moment_text(item) or KIND_LABELS[item.kind]


KIND = Column("kind", "Kind", _kind, 18)

COLUMNS: dict[Kind, list[Column]] = {
    Kind.THREAT: [
        ID, WHEN, SUMMARY,
        Column("made_by", "Made by", lambda i, x: _names(i.made_by, x), 16),
        Column("against", "Against", lambda i, x: ", ".join(i.against), 12),
        Column("delivery", "How", lambda i, x: i.delivery or "", 12),
        THEMES,
    ],
    Kind.WITNESS: [
        ID, Column("person", "Person", lambda i, x: x.person_name(i.person) if i.person else "",
                   16),
        Column("observed", "Saw or heard", lambda i, x: i.observed, 30, flexible=True),
        WHEN, Column("contacted", "Contacted", lambda i, x: yes_no(i.contacted), 9), THEMES,
    ],
    Kind.COMMUNICATION: [
        ID, WHEN,
        Column("content", "Content", lambda i, x: i.content or i.summary, 30, flexible=True),
        Column("sender", "From", lambda i, x: _names(i.sender, x), 14),
        Column("channel", "Channel", lambda i, x: i.channel or "", 12),
        Column("direction", "Direction", lambda i, x: i.direction or "", 9),
        Column("preserved", "Preserved", lambda i, x: i.preserved, 9), THEMES,
    ],
    Kind.ACTION: [
        ID, WHEN,
        Column("action", "Action", lambda i, x: i.action or "", 16), SUMMARY,
        Column("with_whom", "With whom", lambda i, x: _names(i.with_whom, x), 14),
        THEMES,
    ],
    Kind.EVENT: [
        ID, WHEN,
        Column("key_moment", "Key moment", lambda i, x: key_moment_text(i), 16),
        SUMMARY, Column("place", "Place", lambda i, x: i.place, 14), THEMES,
    ],
    Kind.PERSON: [
        ID, Column("name", "Name", lambda i, x: i.name, 20),
        Column("role", "Role", lambda i, x: i.role, 13),
        Column("aliases", "Aliases", lambda i, x: ", ".join(i.aliases), 14),
        Column("contact", "Contact", lambda i, x: i.contact, 16, flexible=True),
        Column("linked", "Linked items", lambda i, x: str(len(x.referrers(i.id))), 7,
               sort=lambda i, x: len(x.referrers(i.id))),
    ],
    Kind.EXHIBIT: [
        ID, SUMMARY,
        Column("file", "File", lambda i, x: i.file.original_name if i.file else i.form, 18),
        Column("size", "Size", lambda i, x: size_text(i.file.size) if i.file else "", 9,
               sort=lambda i, x: i.file.size if i.file else -1),
        Column("sha256", "SHA-256", lambda i, x: i.file.sha256[:12] + "…" if i.file else "", 13),
        Column("bates", "Bates", lambda i, x: i.bates, 12),
        Column("linked", "Linked items", lambda i, x: str(len(x.referrers(i.id))), 7,
               sort=lambda i, x: len(x.referrers(i.id))),
    ],
}

CHRONOLOGY_COLUMNS: list[Column] = [WHEN, KIND, ID, SUMMARY,
                                    Column("people", "People", lambda i, x: _names(
                                        i.person_refs(), x), 16), THEMES]


def key_moment_text(item: AnyItem) -> str:
    if isinstance(item, Event) and item.key_moment:
        return f"◆ {item.key_moment.value}"
    return ""


def size_text(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"

