"""The timeline's geometry and words (views/timeline*.py): where marks fall,
how wide an uncertain when is drawn, the axis ticks, the gaps to the nearest
threat, and that drawing looks only at what is on screen."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from case_workbook.model.chronology import key_moments
from case_workbook.model.interval import Interval
from case_workbook.model.items import Event, KeyMoment, Kind, Threat
from case_workbook.model.when import When
from case_workbook.model.when_parse import parse_when
from case_workbook.views.timeline import Timeline, span_words
from case_workbook.views.timeline_draw import GUTTER, draw
from case_workbook.views.timeline_scale import (
    STEPS,
    Scale,
    first_heading,
    fit,
    step_words,
    ticks,
)

ZONE = "America/Los_Angeles"
T0 = datetime.fromisoformat("2026-03-14T20:00:00-07:00")  # 20:00 local, on a column edge


def _threat(n: int, text: str) -> Threat:
    return Threat(id=f"T-{n:03d}", summary=f"threat {n}", when=parse_when(text, ZONE))


def _act(text: str) -> Event:
    return Event(id="E-001", summary="the act", when=parse_when(text, ZONE),
                 key_moment=KeyMoment.ACT_START)


def _lane_text(rows, kind: Kind) -> str:
    row = next(r for r in rows if r.tag == "lane" and r.lane is kind)
    return row.text[GUTTER:]


def test_about_21_00_give_or_take_an_hour_is_a_bracket_two_hours_wide():
    threat = _threat(1, "about 21:00 on 14 March 2026 ± 1 h")
    low, high = threat.when.bounds()
    assert high - low == timedelta(hours=2)
    ten_minutes = Scale(T0, STEPS.index(600))
    assert ten_minutes.cells(low, high) == (0, 11)  # 12 columns: 20:00 to 22:00
    timeline = Timeline([threat], {})
    lane = _lane_text(draw(timeline, ten_minutes, GUTTER + 40, ZONE), Kind.THREAT)
    assert lane.startswith("[─────T────]")  # 12 columns, the letter at 21:00
    assert lane.index("T") == 6
    # Twice the time per column, half the width.
    twenty = Scale(T0, STEPS.index(1200) if 1200 in STEPS else STEPS.index(900))
    first, last = twenty.cells(low, high)
    assert last - first + 1 == -(-7200 // twenty.seconds)


def test_a_day_only_when_spans_the_whole_day():
    threat = _threat(1, "14 March 2026")
    hour = Scale(datetime.fromisoformat("2026-03-14T00:00:00-07:00"), STEPS.index(3600))
    first, last = hour.cells(*threat.when.bounds())
    assert (first, last) == (0, 23)
    lane = _lane_text(draw(Timeline([threat], {}), hour, GUTTER + 30, ZONE), Kind.THREAT)
    assert lane[:24] == "[" + "─" * 11 + "T" + "─" * 10 + "]"


def test_an_exact_when_is_one_letter_and_open_ends_have_tails():
    items = [_threat(1, "14 March 2026 21:00"), _threat(2, "before 14 March 2026 22:00"),
             _threat(3, "after 14 March 2026 23:00")]
    scale = Scale(T0, STEPS.index(600))
    lane = _lane_text(draw(Timeline(items, {}), scale, GUTTER + 40, ZONE), Kind.THREAT)
    assert lane[6] == "T" and lane[5] == " " and lane[7] == " "
    assert lane[9:13] == "◂┈┈T"  # before 22:00: the tail points into the past
    assert lane[18:22] == "T┈┈▸"


def test_items_in_one_column_are_counted_and_the_selected_one_is_shown_by_its_letter():
    items = [_threat(1, "14 March 2026 21:00"), _threat(2, "14 March 2026 21:05")]
    scale = Scale(T0, STEPS.index(600))
    timeline = Timeline(items, {})
    assert _lane_text(draw(timeline, scale, GUTTER + 20, ZONE), Kind.THREAT)[6] == "2"
    rows = draw(timeline, scale, GUTTER + 20, ZONE, selected="T-002")
    row = next(r for r in rows if r.tag == "lane")
    at = GUTTER + 6
    cell = "".join(t for t, _ in row.runs)[at]
    roles = [role for text, role in row.runs for _ in text]
    assert cell == "T" and roles[at] == "selected"


def test_key_moments_are_marked_on_the_axis_and_named():
    act = _act("14 March 2026 23:00")
    threat = _threat(1, "13 March 2026 21:00")
    timeline = Timeline([threat, act], key_moments([act]))
    scale = Scale(datetime.fromisoformat("2026-03-13T12:00:00-07:00"), STEPS.index(3600))
    rows = draw(timeline, scale, GUTTER + 60, ZONE)
    axis = next(r for r in rows if r.tag == "axis").text[GUTTER:]
    assert axis[35] == "◆"  # 23:00 the next day is 35 hours from noon
    names = next(r for r in rows if r.tag == "moments").text
    assert "◆ act began" in names
    # The gap from the threat to the act: 26 hours, drawn between them and labelled.
    [gap] = timeline.gaps
    assert gap.threat.item_id == "T-001" and gap.label == "26 h"
    line = next(r for r in rows if r.tag == "gap").text[GUTTER:]
    assert line[9] == "├" and line[35] == "┤" and " 26 h " in line[9:36]


def test_gap_words_say_size_and_uncertainty_never_judgment():
    hour = timedelta(hours=1)
    assert span_words(Interval(-26 * hour, -26 * hour)) == "26 h"
    assert span_words(Interval(-26 * hour - timedelta(minutes=20),
                               -26 * hour - timedelta(minutes=20))) == "≈ 26 h"
    assert span_words(Interval(-28 * hour, -20 * hour)) == "between 20 and 28 h"
    assert span_words(Interval(timedelta(minutes=45), timedelta(minutes=45))) == "45 min"
    assert span_words(Interval(None, -3 * hour)) == "at least 3 h"
    assert span_words(Interval(-50 * hour / 60, hour / 2)) == "50 min before to 30 min after"


def test_the_nearest_threat_is_measured_to_each_key_moment():
    act = _act("about 23:00 on 14 March 2026 ± 1 h")
    near = _threat(1, "14 March 2026 21:00")
    far = _threat(2, "10 March 2026 21:00")
    [gap] = Timeline([far, near, act], key_moments([act])).gaps
    assert gap.threat.item_id == "T-001"
    assert gap.label == "between 1 and 3 h"


def test_ticks_follow_the_case_zone_and_the_scale():
    hour = Scale(datetime.fromisoformat("2026-03-14T20:00:00-07:00"), STEPS.index(600))
    found = ticks(hour, 60, ZONE)
    assert [t.label for t in found][:3] == ["20:00", "22:00", "00:00"]
    assert [t.column for t in found][:3] == [0, 12, 24]
    assert found[2].heading == "Sun 15 Mar 2026"
    weeks = ticks(Scale(hour.origin, STEPS.index(2 * 86400)), 60, ZONE)
    assert [t.label for t in weeks][:3] == ["Apr", "May", "Jun"]  # a month a tick
    assert first_heading(Scale(hour.origin, STEPS.index(2 * 86400)), ZONE) == "2026"
    assert step_words(600) == "10 min" and step_words(7 * 86400) == "1 week"


def test_fit_shows_everything_and_zoom_keeps_the_anchor_in_place():
    first = datetime.fromisoformat("2026-03-11T00:00:00-07:00")
    last = datetime.fromisoformat("2026-03-18T00:00:00-07:00")
    scale = fit(first, last, 70)
    assert 0 <= scale.column(first) and scale.column(last) < 70
    finer = scale.zoomed(1, last, scale.column(last))
    assert finer.seconds < scale.seconds
    assert abs(finer.column(last) - scale.column(last)) < 1e-6
    coarser = scale.zoomed(-50, last, 10)
    assert coarser.seconds == STEPS[-1]


def test_drawing_a_screen_of_a_large_case_looks_only_at_what_is_visible():
    base = datetime(2020, 1, 1, 12)
    items = [Threat(id=f"T-{n:05d}", summary="t",
                    when=When.exact(base + timedelta(minutes=37 * n), ZONE)) for n in range(10_000)]
    started = time.perf_counter()
    timeline = Timeline(items, {})
    built = time.perf_counter() - started
    scale = Scale(timeline.marks[5000].at, STEPS.index(600))
    visible = timeline.visible(Kind.THREAT, scale.instant(0), scale.instant(70))
    assert 0 < len(visible) <= 70 * 10 // 37 + 2
    started = time.perf_counter()
    for _ in range(10):
        draw(timeline, scale, 80, ZONE, selected="T-05000")
    per_frame = (time.perf_counter() - started) / 10
    print(f"\n10,000 items: built in {built * 1000:.0f} ms, a frame drawn in "
          f"{per_frame * 1000:.1f} ms")
    assert per_frame < 0.05


def test_the_calendar_edges_any_zoom_and_any_pan_draw_full_rows():
    texts = ["1 January 1800 00:00", "31 December 2199 23:00", "before 2 January 1800",
             "after 30 December 2199", "March 2026"]
    items = [_threat(n, text) for n, text in enumerate(texts, 1)] + [_act("March 2026")]
    timeline = Timeline(items, key_moments(items))
    first, last = timeline.extent()
    for width in (11, 80, 200):
        scale = fit(first, last, max(width - GUTTER, 1))
        for zoom in (0, 5, 25, -25):
            zoomed = scale.zoomed(zoom, timeline.marks[-1].at, 3)
            for pan in (0, 1e9, -1e9):
                rows = draw(timeline, zoomed.panned(pan), width, ZONE, selected="T-001")
                assert all(len(r.text) == width for r in rows if r.tag != "legend")


def test_a_gap_too_short_for_its_sentence_keeps_its_size_inside_the_bracket():
    act = _act("14 March 2026 23:00")
    threat = _threat(1, "13 March 2026 21:00")
    timeline = Timeline([threat, act], key_moments([act]))
    two_hours = Scale(datetime.fromisoformat("2026-03-13T12:00:00-07:00"), STEPS.index(7200))
    line = next(r for r in draw(timeline, two_hours, GUTTER + 40, ZONE)
                if r.tag == "gap").text[GUTTER:]
    low, high = line.index("├"), line.index("┤")
    assert (low, high) == (4, 17)
    assert line[low:high + 1] == "├─── 26 h ───┤"
    assert "act began" not in line
