"""Opening a case builds the first tab's list first and the other tabs right
after; whatever the person asks for in that moment still happens."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, TabbedContent

from case_workbook.model.case import CaseHeader
from case_workbook.model.framework import load_builtin
from case_workbook.model.items import Person, Threat
from case_workbook.store.case_file import CaseFile
from case_workbook.tui.app import CaseWorkbookApp
from case_workbook.tui.widgets.list_pane import ListPane
from case_workbook.tui.widgets.themes_pane import ThemesPane
from case_workbook.user_state import UserState


def make_case(path: Path) -> None:
    case = CaseFile.create(path, CaseHeader(title="Tabs"), load_builtin("general"), actor="t")
    case.add(Threat(summary="First threat"))
    case.add(Threat(summary="Second threat"))
    case.add(Person(name="A. Person"))
    case.close()


def app_for(path: Path) -> CaseWorkbookApp:
    return CaseWorkbookApp(path, state=UserState(notice_dismissed=True))


async def test_only_the_first_list_is_built_before_it_shows(tmp_path):
    make_case(tmp_path / "c.cwb")
    app = app_for(tmp_path / "c.cwb")
    async with app.run_test() as pilot:
        screen = app.screen
        assert [p.id for p in screen.query(ListPane)] == ["list-chronology"]
        await pilot.pause()
        assert len(screen.query(ListPane)) == 8
        assert screen.query_one(ThemesPane)


async def test_a_tab_chosen_while_opening_shows_its_list(tmp_path):
    make_case(tmp_path / "c.cwb")
    app = app_for(tmp_path / "c.cwb")
    async with app.run_test() as pilot:
        assert len(app.screen.query(ListPane)) == 1  # the other tabs are not there yet
        await pilot.press("2")
        await pilot.pause()
        pane = app.screen.current_list()
        assert app.screen.query_one(TabbedContent).active == "tab-threat"
        assert pane is not None and [i.id for i in pane.table.rows] == ["T-001", "T-002"]
        assert app.focused is pane.table


async def test_going_to_an_item_while_opening_gets_there(tmp_path):
    make_case(tmp_path / "c.cwb")
    app = app_for(tmp_path / "c.cwb")
    async with app.run_test() as pilot:
        screen = app.screen
        assert len(screen.query(ListPane)) == 1
        screen.go_to("T-002")
        await pilot.pause()
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "tab-threat"
        assert screen.current_list().table.current.id == "T-002"


async def test_the_themes_tab_chosen_while_opening_is_filled(tmp_path):
    make_case(tmp_path / "c.cwb")
    app = app_for(tmp_path / "c.cwb")
    async with app.run_test() as pilot:
        assert not app.screen.query(ThemesPane)
        await pilot.press("9")
        await pilot.pause()
        pane = app.screen.query_one(ThemesPane)
        assert app.screen.query_one(TabbedContent).active == "tab-themes"
        assert pane.counts and pane.query_one("#theme-list", OptionList).option_count > 0


async def test_closing_the_case_at_once_is_clean(tmp_path):
    make_case(tmp_path / "c.cwb")
    app = app_for(tmp_path / "c.cwb")
    async with app.run_test() as pilot:
        assert len(app.screen.query(ListPane)) == 1
        app.close_case()  # before the other tabs were filled
        await pilot.pause()
        await pilot.pause()
        assert type(app.screen).__name__ == "StartScreen"
    assert app.return_code in (None, 0)


async def test_a_case_with_a_damaged_item_is_refused_in_one_sentence(tmp_path):
    import sqlite3
    from contextlib import closing

    from textual.widgets import Static

    make_case(tmp_path / "c.cwb")
    with closing(sqlite3.connect(tmp_path / "c.cwb")) as raw:
        raw.execute("UPDATE items SET data = '{\"kind\": \"threat\", \"id\": 5}' WHERE id = 'T-002'")
        raw.commit()
    app = app_for(tmp_path / "c.cwb")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "ErrorScreen"
        texts = [str(s.content) for s in app.screen.query(Static)]
        assert any("is damaged: one of its items cannot be read" in t for t in texts), texts
    # Refused cleanly: the file is not left locked by the attempt.
    CaseFile.open(tmp_path / "c.cwb", verify=False).close()


async def test_a_case_closed_before_it_was_drawn_leaves_the_collector_running(tmp_path):
    # The collector is held while a case opens (bulk.py) and given back when
    # its first list shows; a case left before that must give it back too.
    import gc

    make_case(tmp_path / "c.cwb")
    app = app_for(None)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.open_case(tmp_path / "c.cwb")
        app.close_case()  # in the same moment: the case screen was never drawn
        for _ in range(3):
            await pilot.pause()
        assert type(app.screen).__name__ == "StartScreen"
        assert gc.isenabled() and gc.get_freeze_count() == 0
