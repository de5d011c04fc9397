"""An open case held in memory for fast lists: every live item, who links to
whom, and the search text, kept current as edits go through.

A filter keystroke is a scan over precomputed lower-case strings (no SQL, no
model validation), which keeps it well inside a frame at 10,000+ items.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from case_workbook.bulk import collector_paused
from case_workbook.model.chronology import (
    KEY_MOMENT_PHRASE,
    KIND_ORDER,
    ChronologyRow,
    KeyMomentRef,
    chronology,
    id_number,
    key_moments,
)
from case_workbook.model.items import AnyItem, Event, KeyMoment, Kind, Person
from case_workbook.model.when import When
from case_workbook.store.case_file import CaseFile
from case_workbook.store.driver import ERRORS
from case_workbook.store.errors import CaseFileError
from case_workbook.store.index import search_text
from case_workbook.store.sqlite_errors import case_error
from case_workbook.views.columns import CHRONOLOGY_COLUMNS, COLUMNS, Column


@dataclass(frozen=True)
class Filter:
    text: str = ""
    theme: str | None = None
    person: str | None = None
    kind: Kind | None = None

    @property
    def active(self) -> bool:
        return bool(self.text.strip() or self.theme or self.person or self.kind)


class _Link:
    __slots__ = ("theme_id",)

    def __init__(self, theme_id: str) -> None:
        self.theme_id = theme_id


_LINKS: dict[str, _Link] = {}  # one per theme id, shared by every brief


def _link(theme_id: str) -> _Link:
    found = _LINKS.get(theme_id)
    if found is None:
        found = _LINKS[theme_id] = _Link(theme_id)
    return found


class BriefWhen:
    """What lists and the chronology ask of a when — dated?, bounds, sort
    key — at a third of a `When`'s memory."""

    __slots__ = ("_dated", "_bounds", "_sort_key")

    def __init__(self, when: When) -> None:
        self._dated, self._bounds, self._sort_key = when.is_dated(), when.bounds(), when.sort_key()

    def is_dated(self) -> bool:
        return self._dated

    def bounds(self) -> tuple:
        return self._bounds

    def sort_key(self) -> tuple[int, int, int, int, int]:
        return self._sort_key


class Brief:
    """What other rows need to know of an item — id, kind, summary, when,
    links — without its texts or its pydantic machinery: an export of a
    large case holds one of these per item and reads items whole only while
    writing them."""

    __slots__ = ("id", "kind", "summary", "themes", "exhibits", "related", "_when", "_people")

    def __init__(self, item: AnyItem) -> None:
        self.id, self.kind, self.summary = item.id, item.kind, item.summary
        self.themes = tuple(_link(link.theme_id) for link in item.themes)
        self.exhibits, self.related = tuple(item.exhibits), tuple(item.related)
        when = item.when_value()
        self._when = BriefWhen(when) if when is not None else None
        self._people = tuple(item.person_refs())

    def when_value(self) -> BriefWhen | None:
        return self._when

    def person_refs(self) -> list[str]:
        return list(self._people)

    def theme_ids(self) -> list[str]:
        return [link.theme_id for link in self.themes]


def brief(item: AnyItem) -> AnyItem:
    # People (their names) and the key-moment events stay whole: they are few.
    if isinstance(item, Person) or (isinstance(item, Event) and item.key_moment):
        return item
    return Brief(item)  # type: ignore[return-value]


class CaseIndex:
    def __init__(self, case: CaseFile, *, slim: bool = False,
                 whole: dict[str, AnyItem] | None = None) -> None:
        """`slim`: for an export, which never filters by text and reads each
        item whole from the case when it writes it: no search texts, and most
        items held as a `Brief`. `whole`: the case's items, already in memory
        in the case's order (a workbook being read back holds them), so that
        the export reads none of them from the case."""
        self.case = case
        self.slim = slim or whole is not None
        self.whole = whole
        self.reload()

    @collector_paused()
    def reload(self) -> None:
        if self.whole is not None:
            loaded = [(brief(item), "") for item in self.whole.values()]
        elif self.slim:
            loaded = [(brief(item), "") for item in self.case.iter_items()]
        else:
            loaded = self.case.items_with_search()
        self.items: dict[str, AnyItem] = {item.id: item for item, _ in loaded}
        self._search = {item.id: text for item, text in loaded if text}
        self._referrers: dict[str, set[str]] | None = None  # built when first asked for
        self._chronology: list[ChronologyRow] | None = None
        self._by_theme: dict[str, list[AnyItem]] | None = None

    # --- keeping current -------------------------------------------------------

    def put(self, item: AnyItem) -> None:
        """After an add or an edit."""
        old = self.items.get(item.id)
        if old is not None:
            self._drop_refs(old)
        self.items[item.id] = item
        self._search[item.id] = search_text(item)
        self._add_refs(item)
        self._chronology = self._by_theme = None

    def remove(self, item_id: str) -> None:
        """After a delete."""
        old = self.items.pop(item_id, None)
        if old is not None:
            self._drop_refs(old)
            self._search.pop(item_id, None)
        self._chronology = self._by_theme = None

    def _targets(self, item: AnyItem) -> Iterable[str]:
        return {*item.person_refs(), *item.exhibits, *item.related}

    def _add_refs(self, item: AnyItem) -> None:
        if self._referrers is not None:
            for target in self._targets(item):
                self._referrers.setdefault(target, set()).add(item.id)

    def _drop_refs(self, item: AnyItem) -> None:
        if self._referrers is not None:
            for target in self._targets(item):
                self._referrers.get(target, set()).discard(item.id)

    # --- lookups ---------------------------------------------------------------

    def get(self, item_id: str) -> AnyItem | None:
        return self.items.get(item_id)

    def person_name(self, person_id: str) -> str:
        person = self.items.get(person_id)
        return person.name if isinstance(person, Person) else person_id

    def theme_name(self, theme_id: str) -> str:
        theme = self.case.framework.theme(theme_id)
        return theme.name if theme else theme_id

    def referrers(self, item_id: str) -> list[str]:
        if self._referrers is None:
            self._referrers = {}
            for item in self.items.values():
                self._add_refs(item)
        return sorted(self._referrers.get(item_id, ()), key=_id_key)

    def of_kind(self, kind: Kind) -> list[AnyItem]:
        return sorted((i for i in self.items.values() if i.kind == kind), key=lambda i: _id_key(i.id))

    def people(self) -> list[Person]:
        return [p for p in self.of_kind(Kind.PERSON) if isinstance(p, Person)]

    def count(self, kind: Kind | None = None) -> int:
        if kind is None:
            return len(self.items)
        return sum(1 for i in self.items.values() if i.kind == kind)

    def theme_items(self, theme_id: str) -> list[AnyItem]:
        """The items linked to a theme, in kind and id order."""
        if self._by_theme is None:  # one pass for every theme: an export asks often
            by_theme: dict[str, list[AnyItem]] = {}
            ordered = sorted(self.items.values(), key=lambda i: (KIND_ORDER[i.kind], _id_key(i.id)))
            for item in ordered:
                for linked in dict.fromkeys(link.theme_id for link in item.themes):
                    by_theme.setdefault(linked, []).append(item)
            self._by_theme = by_theme
        return list(self._by_theme.get(theme_id, ()))

    # --- chronology ------------------------------------------------------------

    def chronology(self) -> list[ChronologyRow]:
        if self._chronology is None:
            self._chronology = chronology(self.items.values())
        return self._chronology

    def key_moments(self) -> dict[KeyMoment, KeyMomentRef]:
        return key_moments(self.items.values())

    def chronology_columns(self) -> list[Column]:
        rows = {row.item.id: row for row in self.chronology()}
        extra = []
        for moment in self.key_moments():
            def text(item, index, moment=moment):
                row = rows.get(item.id)
                return row.interval_text(moment, short=True) if row else ""

            def sort(item, index, moment=moment):
                row = rows.get(item.id)
                found = row.intervals.get(moment) if row else None
                low = found.low if found is not None else None
                return (low is None, low.total_seconds() if low is not None else 0)

            extra.append(Column(f"from_{moment.name.lower()}",
                                f"From {KEY_MOMENT_PHRASE[moment].removeprefix('the ')}",
                                text, 40, sort=sort))
        return CHRONOLOGY_COLUMNS + extra

    # --- lists -------------------------------------------------------------------

    def columns(self, kind: Kind | None) -> list[Column]:
        return self.chronology_columns() if kind is None else COLUMNS[kind]

    def listing(self, kind: Kind | None, filt: Filter = Filter()) -> list[AnyItem]:
        """The items of one tab (a kind, or None for the chronology), filtered,
        in the tab's natural order."""
        if kind is None:
            base = [row.item for row in self.chronology()]
        else:
            base = self.of_kind(kind)
        return self.apply(base, filt)

    def apply(self, items: list[AnyItem], filt: Filter) -> list[AnyItem]:
        if not filt.active:
            return items
        terms = filt.text.casefold().split()
        out = []
        for item in items:
            if filt.kind is not None and item.kind != filt.kind:
                continue
            if filt.theme is not None and filt.theme not in item.theme_ids():
                continue
            if filt.person is not None and filt.person != item.id \
                    and filt.person not in item.person_refs():
                continue
            if terms:
                text = self._search.get(item.id, "")
                if not all(term in text for term in terms):
                    continue
            out.append(item)
        return out

    def sort(self, items: list[AnyItem], column: Column, descending: bool = False) -> list[AnyItem]:
        return sorted(items, key=lambda i: column.sort_value(i, self), reverse=descending)


_id_key = id_number


def load_confirmed(case: CaseFile) -> CaseIndex:
    """The index of a case opened with `check_alongside`: the items are read
    while SQLite checks the file, and the index is given only once the file is
    known to be intact. On a damaged file, the damage is what is reported,
    rather than the item or page it broke."""
    try:
        index = CaseIndex(case)
    except (CaseFileError, *ERRORS) as error:
        case.confirm_intact()
        if isinstance(error, ERRORS):
            raise case_error(error, case.path, "read") from None
        raise
    case.confirm_intact()
    return index
