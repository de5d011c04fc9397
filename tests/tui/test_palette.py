"""The command palette offers recent cases, filter by theme, and every action."""

from __future__ import annotations

from case_workbook.core import create_case
from case_workbook.model.items import ThemeLink, Threat
from case_workbook.model.when import parse_when
from case_workbook.store.case_file import CaseFile
from case_workbook.tui.app import CaseWorkbookApp
from case_workbook.tui.commands import case_commands
from case_workbook.tui.screens.case_screen import CaseScreen
from case_workbook.tui.widgets.list_pane import ListPane
from case_workbook.user_state import UserState


async def until(pilot, check, tries: int = 60) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause()
    assert check()


async def test_palette_filters_by_theme_and_opens_a_recent_case(tmp_path):
    first, second = tmp_path / "first.cwb", tmp_path / "second.cwb"
    create_case(first, title="First case", framework_id="general")
    create_case(second, title="Second case", framework_id="general")
    with CaseFile.open(first) as case:
        theme = case.framework.themes[2]
        day = parse_when("2026-03-01", "UTC")
        case.add(Threat(summary="linked", when=day, themes=[ThemeLink(theme_id=theme.id)]))
        case.add(Threat(summary="not linked", when=day))
    state = UserState(notice_dismissed=True)
    state.remember(second, "Second case")
    app = CaseWorkbookApp(first, state=state)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, CaseScreen))
        commands = {c.title: c for c in case_commands(app, app.screen)}
        assert f"Filter by theme: {theme.name}" in commands
        assert "Open recent case: Second case" in commands
        assert {"Undo", "Export", "Tag item with themes", "Close case"} <= set(commands)

        commands[f"Filter by theme: {theme.name}"].callback()
        chronology = app.screen.query_one("#list-chronology", ListPane)
        assert len(chronology.table.rows) == 2
        await until(pilot, lambda: chronology.filter.theme == theme.id)
        await until(pilot, lambda: [i.summary for i in chronology.table.rows] == ["linked"])

        commands["Open recent case: Second case"].callback()
        await until(pilot, lambda: isinstance(app.screen, CaseScreen)
                    and app.screen.case.header.title == "Second case")
        await pilot.press("q")
