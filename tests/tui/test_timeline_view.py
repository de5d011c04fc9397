"""Issue 8 in the terminal: l shows the chronology on a time axis; the arrow
keys move from item to item and the list's cursor follows (so edit, tag and
delete act on what is selected); ] goes to a key moment; + and - zoom; the
filter applies; enter opens the item's form; l again is the list."""

from __future__ import annotations

from textual.widgets import Input, Select

from case_workbook.demo.build import build_demo
from case_workbook.model.items import Kind
from case_workbook.tui.app import CaseWorkbookApp
from case_workbook.tui.screens.case_screen import CaseScreen
from case_workbook.tui.screens.item_form import ItemFormScreen
from case_workbook.tui.widgets.list_pane import ListPane
from case_workbook.tui.widgets.timeline_view import TimelineView
from case_workbook.user_state import UserState
from tests.tui.pilot_helpers import replace_text
from tests.tui.test_end_to_end import until


async def test_timeline_moves_zooms_filters_and_opens(tmp_path):
    path = build_demo(tmp_path / "demo.cwb")
    app = CaseWorkbookApp(path, state=UserState(notice_dismissed=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, CaseScreen) and app.screen._filled)
        screen = app.screen
        await pilot.press("3")  # from another tab, l goes to the chronology's timeline
        await pilot.press("l")
        pane = screen.query_one("#list-chronology", ListPane)
        view = pane.query_one(TimelineView)
        await until(pilot, lambda: pane.showing_timeline and app.focused is view)
        marks = view.timeline.marks
        assert len(marks) == len(pane.table.rows) > 20
        assert view.selected == marks[0].item_id

        await pilot.press("right", "right")
        assert view.selected == marks[2].item_id
        assert screen.current_item().id == marks[2].item_id  # the list follows

        await pilot.press("right_square_bracket")
        act = view.timeline.moments[0]
        assert view.selected == act.mark.item_id and act.label == "act began"
        seconds = view.scale.seconds
        column = view.scale.column(act.mark.at)
        await pilot.press("plus", "plus")
        assert view.scale.seconds < seconds
        assert abs(view.scale.column(act.mark.at) - column) < 1  # zoomed around it
        await pilot.press("minus")
        assert view.scale.seconds < seconds

        # The filter applies: only threats are drawn.
        kinds = pane.query_one("#filter-kind", Select)
        kinds.value = Kind.THREAT
        await until(pilot, lambda: {m.kind for m in view.timeline.marks} == {Kind.THREAT})
        assert view.timeline.lanes == [Kind.THREAT]
        kinds.clear()
        await until(pilot, lambda: len(view.timeline.marks) == len(marks))
        await replace_text(pilot, pane.query_one("#filter-text", Input), "hospital")
        await until(pilot, lambda: 0 < len(view.timeline.marks) < len(marks))
        await replace_text(pilot, pane.query_one("#filter-text", Input), "")
        await until(pilot, lambda: len(view.timeline.marks) == len(marks))

        view.focus()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ItemFormScreen))
        assert app.screen.item.id == view.selected
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, CaseScreen))

        # A click on a letter selects that item; a double click opens it.
        rows = view._picture()
        y, row = next((y, r) for y, r in enumerate(rows)
                      if r.tag == "lane" and r.lane is Kind.ACTION)
        x = next(x for x, ch in enumerate(row.text) if ch == "A" and x > 10)
        assert view.current.kind is not Kind.ACTION
        await pilot.click(TimelineView, offset=(x, y - view.scroll_offset.y))
        assert view.current.kind is Kind.ACTION
        assert screen.current_item().id == view.selected

        chosen = view.selected
        await pilot.press("l")  # back to the list, on the same item
        await until(pilot, lambda: not pane.showing_timeline and app.focused is pane.table)
        assert pane.table.current.id == chosen


async def test_a_case_with_nothing_dated_says_so(tmp_path):
    from case_workbook.core import create_case

    path = tmp_path / "empty.cwb"
    create_case(path, title="Empty", framework_id="general", zone="UTC")
    app = CaseWorkbookApp(path, state=UserState(notice_dismissed=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, CaseScreen) and app.screen._filled)
        await pilot.press("l")
        view = app.screen.query_one(TimelineView)
        await until(pilot, lambda: app.focused is view)
        text = " ".join(row.text for row in view._picture())
        assert "Nothing dated to draw yet" in text
        await pilot.press("right", "plus", "right_square_bracket", "f", "enter")
        assert isinstance(app.screen, CaseScreen)
