"""The chronology: every dated item in time order, with the plain interval from
each of the case's key moments. Arithmetic only, never judgment.

Order: by `When.sort_key()` (see model/when.py for the rule), then by kind in
the order of `Kind`, then by id number. Undated items are not in the
chronology; the kind sheets and lists still hold them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from case_workbook.model.items import AnyItem, Event, Kind, KeyMoment
from case_workbook.model.interval import Interval, interval

KIND_ORDER = {kind: index for index, kind in enumerate(Kind)}

# How each key moment reads after "26 h before ..."
KEY_MOMENT_PHRASE: dict[KeyMoment, str] = {
    KeyMoment.ACT_START: "the act began",
    KeyMoment.ACT_END: "the act ended",
    KeyMoment.THREAT_ENDED: "the threat ended",
    KeyMoment.ARREST: "the arrest",
    KeyMoment.SURRENDER: "the surrender",
}

KEY_MOMENT_MARK = "◆"
_MARK = "\x00moment\x00"  # stands for the moment's name while shortening  # shown with the words, never instead of them


def id_number(item_id: str) -> tuple[str, int]:
    prefix, _, number = item_id.rpartition("-")
    return prefix, int(number) if number.isdigit() else 0


def item_sort_key(item: AnyItem) -> tuple:
    when = item.when_value()
    assert when is not None
    return (when.sort_key(), KIND_ORDER[item.kind], id_number(item.id))


@dataclass(frozen=True)
class KeyMomentRef:
    moment: KeyMoment
    event: Event

    @property
    def phrase(self) -> str:
        return KEY_MOMENT_PHRASE[self.moment]


class ChronologyRow:
    """One dated item and its intervals from the key moments, worked out only
    when asked for (a list shows a screenful, not 10,000 rows)."""

    __slots__ = ("item", "moments", "_intervals")

    def __init__(self, item: AnyItem, moments: dict[KeyMoment, KeyMomentRef]) -> None:
        self.item = item
        self.moments = moments
        self._intervals: dict[KeyMoment, Interval | None] | None = None

    @property
    def intervals(self) -> dict[KeyMoment, Interval | None]:
        if self._intervals is None:
            when = self.item.when_value()
            assert when is not None
            self._intervals = {moment: interval(when, ref.event.when)
                               for moment, ref in self.moments.items()}
        return self._intervals

    def interval_text(self, moment: KeyMoment, *, short: bool = False) -> str:
        """'26 h before the act began'; with `short`, for a column already
        headed by the moment: '26 h before'."""
        if isinstance(self.item, Event) and self.item.key_moment == moment \
                and self.moments.get(moment) and self.moments[moment].event.id == self.item.id:
            return "this moment"
        found = self.intervals.get(moment)
        if found is None:
            return ""
        if not short:
            return found.describe(KEY_MOMENT_PHRASE[moment])
        text = found.describe(_MARK)
        for tail in (f" as {_MARK}", f" relative to {_MARK}", f" {_MARK}"):
            text = text.replace(tail, "")
        return text


def dated(items: Iterable[AnyItem]) -> list[AnyItem]:
    return [i for i in items if (w := i.when_value()) is not None and w.is_dated()]


def key_moments(items: Iterable[AnyItem]) -> dict[KeyMoment, KeyMomentRef]:
    """The case's key moments; where two events claim the same moment, the
    earlier one (in chronology order) is used."""
    events = [i for i in items if isinstance(i, Event) and i.key_moment and i.when.is_dated()]
    found: dict[KeyMoment, KeyMomentRef] = {}
    for event in sorted(events, key=item_sort_key):
        if event.key_moment not in found:
            found[event.key_moment] = KeyMomentRef(event.key_moment, event)
    return {m: found[m] for m in KeyMoment if m in found}


def chronology(items: Iterable[AnyItem]) -> list[ChronologyRow]:
    items = list(items)
    moments = key_moments(items)
    return [ChronologyRow(item, moments) for item in sorted(dated(items), key=item_sort_key)]
