"""The timeline: every dated item placed on one time axis, on a lane per kind,
with the case's key moments and the time between each key moment and the
threat nearest to it. Shared by the terminal view (`timeline_draw`) and the
workbook's Timeline sheet. Only kinds and times; nothing is weighed.

Where a mark sits
    An item's `low`/`high` are its earliest and latest possible instants (see
    `When.bounds`). A mark with both is drawn as the span between them, its
    letter at the middle; an exact when is a point. A "before" when has no
    earliest instant and an "after" when no latest: the mark sits at the one
    bound there is, with a short tail toward the open side.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from case_workbook.model.chronology import KEY_MOMENT_PHRASE, KeyMomentRef, item_sort_key
from case_workbook.model.interval import Interval
from case_workbook.model.items import ID_PREFIX, KIND_LABELS, AnyItem, KeyMoment, Kind

LANES: list[Kind] = [Kind.THREAT, Kind.WITNESS, Kind.COMMUNICATION, Kind.ACTION, Kind.EVENT,
                     Kind.EXHIBIT]
LETTER: dict[Kind, str] = {**{k: ID_PREFIX[k] for k in LANES if k in ID_PREFIX}, Kind.EXHIBIT: "X"}
LANE_NAME: dict[Kind, str] = {Kind.THREAT: "Threats", Kind.WITNESS: "Witnesses",
                              Kind.COMMUNICATION: "Comms", Kind.ACTION: "Actions",
                              Kind.EVENT: "Events", Kind.EXHIBIT: "Exhibits"}
SERIES_NAME: dict[Kind, str] = {k: KIND_LABELS[k] for k in LANES}


def moment_label(moment: KeyMoment) -> str:
    """'act began', 'threat ended', 'arrest': the key moment's short name."""
    return KEY_MOMENT_PHRASE[moment].removeprefix("the ")


@dataclass(frozen=True, slots=True)
class Mark:
    """One dated item on its lane."""

    item_id: str
    kind: Kind
    low: datetime | None  # earliest possible instant, aware; None: no earlier bound known
    high: datetime | None  # latest possible instant; None: no later bound known
    at: datetime  # where its letter sits: the middle of a span, or its one bound

    @classmethod
    def of(cls, item_id: str, kind: Kind, low: datetime | None, high: datetime | None) -> Mark:
        if low is not None and high is not None:
            at = low + (high - low) / 2
        else:
            found = low if low is not None else high
            assert found is not None
            at = found
        return cls(item_id, kind, low, high, at)

    @property
    def first(self) -> datetime:
        return self.low if self.low is not None else self.at

    @property
    def last(self) -> datetime:
        return self.high if self.high is not None else self.at

    @property
    def is_point(self) -> bool:
        return self.low is not None and self.low == self.high


@dataclass(frozen=True, slots=True)
class Moment:
    """A key moment: the event that marks it, where it is drawn, its name."""

    moment: KeyMoment
    mark: Mark

    @property
    def label(self) -> str:
        return moment_label(self.moment)


@dataclass(frozen=True, slots=True)
class Gap:
    """The time between a key moment and the threat nearest to it."""

    moment: Moment
    threat: Mark
    interval: Interval  # the threat's time minus the moment's, carrying both uncertainties

    @property
    def label(self) -> str:
        return span_words(self.interval)

    @property
    def words(self) -> str:
        """'≈ 26 h before act began': the size, the side, the moment."""
        low, high, zero = self.interval.low, self.interval.high, timedelta(0)
        if high is not None and high <= zero:
            return f"{self.label} before {self.moment.label}"
        if low is not None and low >= zero:
            return f"{self.label} after {self.moment.label}"
        if self.label.endswith(" after"):  # "50 min before to 30 min after"
            return f"{self.label} {self.moment.label}"
        return f"{self.label} around {self.moment.label}"


def span_words(found: Interval) -> str:
    """The size of an interval without its side: '≈ 26 h', '45 min',
    'between 20 and 28 h', 'at least 3 h'. The picture shows the side."""
    mark = "\x00"
    text = found.describe(mark)
    if text.startswith("between ") and " before and " in text:
        # Either side of the moment: "50 min before to 30 min after".
        text = text.removeprefix("between ").replace(" before and ", " before to ")
        text = text.replace(f" after {mark}", " after")
    for tail in (f" before {mark}", f" after {mark}", f" as {mark}", f" relative to {mark}"):
        text = text.replace(tail, "")
    text = text.replace(mark, "").strip()
    if found.low is not None and found.low == found.high:
        size = abs(found.low)
        unit = timedelta(minutes=1) if size < timedelta(hours=1) else timedelta(hours=1)
        if size % unit and not text.startswith("less than"):
            text = "≈ " + text
    return text


class Timeline:
    """The marks of `items` (dated ones only, as the chronology orders them),
    lane by lane, with the case's key moments and their gaps."""

    def __init__(self, items: Iterable[AnyItem], moments: dict[KeyMoment, KeyMomentRef], *,
                 in_order: bool = False, known: dict[str, tuple[AnyItem, Mark]] | None = None
                 ) -> None:
        """`in_order`: the items are in chronology order already (a filtered
        chronology is). `known`: marks made before, by item id with the item
        they were made from, reused while the item is the same object (a
        filter keystroke rebuilds the timeline from the same items)."""
        dated = [i for i in items if i.kind in LETTER
                 and (w := i.when_value()) is not None and w.is_dated()]
        if not in_order:
            dated.sort(key=item_sort_key)
        known = known if known is not None else {}
        self.marks: list[Mark] = []
        for item in dated:
            found = known.get(item.id)
            if found is None or found[0] is not item:
                found = known[item.id] = (item, _mark(item))
            self.marks.append(found[1])
        self.position = {m.item_id: n for n, m in enumerate(self.marks)}
        self.lanes: list[Kind] = [k for k in LANES if any(m.kind is k for m in self.marks)]
        self._by_lane: dict[Kind, list[Mark]] = {k: [] for k in self.lanes}
        for mark in self.marks:
            self._by_lane[mark.kind].append(mark)
        for marks in self._by_lane.values():
            marks.sort(key=lambda m: m.first)
        self._firsts = {k: [m.first for m in marks] for k, marks in self._by_lane.items()}
        self._longest = {k: max((m.last - m.first for m in marks), default=timedelta(0))
                         for k, marks in self._by_lane.items()}
        self.moments: list[Moment] = sorted(
            (Moment(moment, _mark(ref.event)) for moment, ref in moments.items()),
            key=lambda m: m.mark.at)
        threats = self._by_lane.get(Kind.THREAT, [])
        self.gaps: list[Gap] = [g for m in self.moments if (g := _gap(m, threats)) is not None]

    def lane_marks(self, kind: Kind) -> list[Mark]:
        return self._by_lane.get(kind, [])

    def visible(self, kind: Kind, start: datetime, end: datetime) -> list[Mark]:
        """The marks of a lane that may show between `start` and `end`: found
        by bisection, so a screenful costs the same in a case of any size."""
        marks, firsts = self._by_lane.get(kind, []), self._firsts.get(kind, [])
        try:
            reach = start - self._longest.get(kind, timedelta(0))
        except OverflowError:  # a span of centuries near the calendar's start
            reach = datetime.min.replace(tzinfo=start.tzinfo)
        low = bisect_left(firsts, reach)
        high = bisect_right(firsts, end)
        return [m for m in marks[low:high] if m.last >= start]

    def extent(self) -> tuple[datetime, datetime] | None:
        """The first and last instant anything is drawn at."""
        times = [t for m in self.marks for t in (m.first, m.last)]
        times += [t for m in self.moments for t in (m.mark.first, m.mark.last)]
        return (min(times), max(times)) if times else None

    def nearest_in_lane(self, kind: Kind, when: datetime) -> Mark | None:
        marks = self._by_lane.get(kind, [])
        return min(marks, key=lambda m: abs(m.at - when), default=None)


def _mark(item: AnyItem) -> Mark:
    when = item.when_value()
    assert when is not None
    low, high = when.bounds()
    return Mark.of(item.id, item.kind, low, high)


def _gap(moment: Moment, threats: list[Mark]) -> Gap | None:
    """The threat nearest to the moment (by the middle of each); among equals, the earlier."""
    if not threats:
        return None
    centre = moment.mark.at
    nearest = min(threats, key=lambda t: (abs(t.at - centre), t.at))
    m = moment.mark
    low = nearest.low - m.high if nearest.low is not None and m.high is not None else None
    high = nearest.high - m.low if nearest.high is not None and m.low is not None else None
    return Gap(moment, nearest, Interval(low, high))
