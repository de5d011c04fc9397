"""The Themes tab (counts, details, linked items, jumping to one, the framework's
notes) and an item's history from the activity log."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import OptionList, Static, TabbedContent

from case_workbook.model.activity import ActivityEntry
from case_workbook.model.case import CaseHeader
from case_workbook.model.framework import load_builtin
from case_workbook.model.items import Delivery, Threat, ThemeLink
from case_workbook.store.case_file import CaseFile
from case_workbook.tui.app import CaseWorkbookApp
from case_workbook.tui.screens.history import HistoryScreen, entry_text, short
from case_workbook.tui.screens.tag_screen import TagScreen
from case_workbook.tui.widgets.themes_pane import ThemesPane
from case_workbook.user_state import UserState

NOTE = "He said it twice [b]loud[/b] 😨"


def make_case(path: Path) -> None:
    """T-001 unlinked; T-002 linked to "Nature of the threat" with a note."""
    case = CaseFile.create(path, CaseHeader(title="Themes"), load_builtin("general"),
                           actor="tester")
    case.add(Threat(summary="A knife in the kitchen", delivery=Delivery.IN_PERSON))
    case.add(Threat(summary="Called at night [/x]",
                    themes=[ThemeLink(theme_id="nature_of_threat", note=NOTE)]))
    case.close()


def app_for(path: Path) -> CaseWorkbookApp:
    return CaseWorkbookApp(path, state=UserState(notice_dismissed=True))


def prompt(pane: ThemesPane, option_id: str) -> str:
    value = pane.query_one("#theme-list", OptionList).get_option(option_id).prompt
    return value.plain if isinstance(value, Text) else str(value)


def about(pane: ThemesPane) -> str:
    return str(pane.query_one("#theme-about", Static).content)


async def show_themes(app, pilot) -> ThemesPane:
    await pilot.pause()
    app.screen.query_one(TabbedContent).active = "tab-themes"
    await pilot.pause()
    pane = app.screen.query_one(ThemesPane)
    pane.query_one("#theme-list", OptionList).focus()
    await pilot.pause()
    return pane


async def test_themes_tab_shows_counts_details_and_linked_items(tmp_path):
    path = tmp_path / "case.cwb"
    make_case(path)
    framework = load_builtin("general")
    theme = framework.theme("nature_of_threat")
    app = app_for(path)
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await show_themes(app, pilot)
        assert prompt(pane, "nature_of_threat").endswith("1 item")
        assert prompt(pane, "immediacy").endswith("0 items")
        text = about(pane)
        assert theme.description in text
        assert f"Source: {theme.source}" in text
        for question in theme.questions:
            assert f"• {question}" in text
        assert [item.id for item in pane.table.rows] == ["T-002"]
        cells = pane.table._cells(0)
        assert cells[:2] == ["T-002", "Threat"] and "Called at night [/x]" in cells[2]
        assert cells[3] == NOTE

        await pilot.press("down")  # "Immediacy": nothing linked yet
        assert "\n0 items\n" in about(pane)
        assert not pane.table.display
        label = str(pane.query_one("#linked-title").content)
        assert label.startswith("Linked items: 0 items")


async def test_enter_on_a_linked_item_shows_it_in_its_tab(tmp_path):
    path = tmp_path / "case.cwb"
    make_case(path)
    app = app_for(path)
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await show_themes(app, pilot)
        await pilot.press("enter")  # to the linked items
        assert app.focused is pane.table
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "tab-threat"
        threats = app.screen.query_one("#list-threat")
        assert threats.table.current.id == "T-002"  # not the first row


async def test_tagging_updates_the_themes_tab(tmp_path):
    path = tmp_path / "case.cwb"
    make_case(path)
    app = app_for(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one(TabbedContent).active = "tab-threat"
        await pilot.pause()
        app.screen.current_list().table.focus()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TagScreen)
        await pilot.press("a", "ctrl+s")  # accept "Nature of the threat" for T-001
        await pilot.pause()
        pane = await show_themes(app, pilot)
        assert prompt(pane, "nature_of_threat").endswith("2 items")
        assert [item.id for item in pane.table.rows] == ["T-001", "T-002"]


async def test_framework_notes_are_shown_read_only(tmp_path):
    path = tmp_path / "case.cwb"
    make_case(path)
    framework = load_builtin("general")
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await show_themes(app, pilot)
        await pilot.press("end")
        text = about(pane)
        for note in framework.limits + framework.distinctions:
            assert note.topic in text and note.text in text and note.source in text
        assert not pane.table.display


async def test_themes_tab_fits_a_small_terminal(tmp_path):
    path = tmp_path / "case.cwb"
    make_case(path)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await show_themes(app, pilot)
        await pilot.pause()
        table = pane.table
        assert table.region.height >= 2 and table.region.bottom <= 22  # above status and keys
        assert pane.query_one("#theme-list").region.width >= 24


def history_entries(path: Path) -> list[ActivityEntry]:
    with CaseFile.open(path, readonly=True) as case:
        return case.activity("T-001")


async def test_history_shows_created_and_edited_newest_first(tmp_path):
    path = tmp_path / "case.cwb"
    make_case(path)
    with CaseFile.open(path, actor="paralegal") as case:
        item = case.get("T-001")
        case.update(item.model_copy(update={"summary": "A knife [/x] in the hall",
                                            "delivery": Delivery.CALL}))
    app = app_for(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one(TabbedContent).active = "tab-threat"
        await pilot.pause()
        app.screen.current_list().table.focus()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        texts = [str(s.content) for s in app.screen.query(".entry").results(Static)]
        assert len(texts) == 2
        assert "paralegal · edited" in texts[0] and "tester · created" in texts[1]
        assert 'summary: "A knife in the kitchen" → "A knife [/x] in the hall"' in texts[0]
        assert 'delivery: "in person" → "phone call"' in texts[0]
        assert "edited" not in texts[1]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HistoryScreen)


async def test_history_of_a_delete_and_its_undo(tmp_path):
    path = tmp_path / "case.cwb"
    make_case(path)
    with CaseFile.open(path) as case:
        case.delete("T-001")
        case.undo()
    entries = history_entries(path)
    texts = [entry_text(e).plain for e in sorted(entries, key=lambda e: e.id, reverse=True)]
    assert "undone · the delete was undone; the item is back" in texts[0]
    assert "deleted (later undone)" in texts[1]
    assert texts[2].endswith("created")


async def test_long_history_keeps_the_close_button_in_view(tmp_path):
    path = tmp_path / "case.cwb"
    make_case(path)
    with CaseFile.open(path) as case:
        for n in range(15):
            item = case.get("T-001")
            case.update(item.model_copy(update={"summary": f"version {n}"}))
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(HistoryScreen("T-001", history_entries(path)))
        await pilot.pause()
        close = app.screen.query_one("#close")
        assert 0 < close.region.bottom <= 24
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, HistoryScreen)


def test_values_are_short_and_on_one_line():
    assert short("x" * 500) == '"' + "x" * 28 + "…"
    assert len(short("word " * 100)) == 30
    assert short("two\nlines") == '"two⏎lines"'
    assert short("") == "(empty)"
    assert short(None) == "(not set)"
    assert short(True) == "yes"
    assert short([]) == "(none)"
    assert short([{"theme_id": "immediacy", "note": ""}]) == "immediacy"


async def test_opening_a_case_leaves_the_garbage_collector_running(tmp_path):
    # The collector is held while the case loads (bulk.py), and must run again
    # once the first list is on screen; leaving the case hands its objects back.
    import gc

    path = tmp_path / "case.cwb"
    make_case(path)
    app = app_for(path)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.screen.query_one(TabbedContent)
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
        app.close_case()
        for _ in range(5):
            await pilot.pause()
        assert gc.get_freeze_count() == 0
    assert gc.isenabled()
