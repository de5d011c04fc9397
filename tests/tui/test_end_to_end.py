"""Issue 3's walk through the app: create a case, add, filter by text and by
theme, delete and undo, quit, open again in a new app and find everything."""

from __future__ import annotations

from textual.widgets import Input, Select, TabbedContent

from case_workbook.core import create_case
from case_workbook.model.items import Delivery, ThemeLink, Threat
from case_workbook.store.case_file import CaseFile
from case_workbook.tui.app import CaseWorkbookApp
from case_workbook.tui.screens.case_screen import CaseScreen
from case_workbook.tui.screens.dialogs import ConfirmScreen
from case_workbook.tui.screens.item_form import ItemFormScreen
from case_workbook.tui.widgets.list_pane import ListPane
from case_workbook.user_state import UserState


async def until(pilot, check, tries: int = 60) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause()
    assert check(), "the screen did not get there"


def threats_pane(app) -> ListPane:
    return app.screen.query_one("#list-threat", ListPane)


def ids(pane: ListPane) -> list[str]:
    return [item.id for item in pane.table.rows]


async def test_create_add_filter_delete_undo_quit_and_reopen(tmp_path):
    path = tmp_path / "walk.cwb"
    create_case(path, title="Walk-through", framework_id="general")
    app = CaseWorkbookApp(path, state=UserState(notice_dismissed=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, CaseScreen))
        screen = app.screen
        await pilot.press("2")  # the Threats tab
        await until(pilot, lambda: screen.query_one(TabbedContent).active == "tab-threat")

        # Add two threats through the form, typing as a person would.
        for summary in ("Knife shown [/x] at the car", "Phone call about money"):
            await pilot.press("n")
            await until(pilot, lambda: isinstance(app.screen, ItemFormScreen))
            app.screen.query_one("#f-summary", Input).focus()
            await pilot.press(*summary)
            await pilot.press("ctrl+s")
            await until(pilot, lambda: isinstance(app.screen, CaseScreen))
        pane = threats_pane(app)
        await until(pilot, lambda: ids(pane) == ["T-001", "T-002"])

        # Link T-001 to a theme through the store path the tag dialog uses.
        theme = screen.case.framework.themes[1]
        first = screen.case.get("T-001")
        screen.save_item(first.model_copy(update={
            "themes": [ThemeLink(theme_id=theme.id, note="at the car")],
            "delivery": Delivery.IN_PERSON}))
        screen.refresh_lists()

        # Filter by words: typed into the filter box.
        await pilot.press("slash")
        await pilot.press(*"money")
        await until(pilot, lambda: ids(pane) == ["T-002"])
        assert "1 of 2" in str(pane.query_one(".count").render())
        await pilot.press(*["backspace"] * 5)
        await until(pilot, lambda: ids(pane) == ["T-001", "T-002"])

        # Filter by theme.
        pane.query_one("#filter-theme", Select).value = theme.id
        await until(pilot, lambda: ids(pane) == ["T-001"])
        pane.query_one("#filter-theme", Select).clear()
        await until(pilot, lambda: ids(pane) == ["T-001", "T-002"])

        # Delete T-002 (after confirming), then undo brings it back.
        pane.table.focus()
        pane.table.cursor = 1
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.click("#yes")
        await until(pilot, lambda: ids(pane) == ["T-001"])
        assert not screen.case.exists("T-002")
        await pilot.press("ctrl+z")
        await until(pilot, lambda: ids(pane) == ["T-001", "T-002"])

        await pilot.press("q")
    assert app.return_code in (0, None)

    # A new app instance on the same file finds everything.
    again = CaseWorkbookApp(path, state=UserState(notice_dismissed=True))
    async with again.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(again.screen, CaseScreen))
        await pilot.press("2")
        pane = threats_pane(again)
        await until(pilot, lambda: ids(pane) == ["T-001", "T-002"])
        assert pane.table.rows[0].summary == "Knife shown [/x] at the car"
        assert pane.table.rows[0].themes[0].note == "at the car"
        await pilot.press("q")
    with CaseFile.open(path) as case:
        assert [e.action for e in case.activity("T-002")] == ["create", "delete", "undo"]


HOSTILE = ["[/x] [bold]not markup[/bold] [link=http://x]y[/link]", "👨‍👩‍👧 family 🚗",
           "שלום, مرحبا — mixed ltr", "=cmd|' /C calc'!A0", "tab\there\x1b[31mred\x07",
           "word " * 2000]


async def test_hostile_text_is_shown_verbatim_in_every_view(tmp_path):
    from case_workbook.model.items import Communication, Person
    from case_workbook.tui.widgets.item_table import visible
    from case_workbook.tui.widgets.list_pane import DetailPane

    path = tmp_path / "hostile.cwb"
    create_case(path, title="[b]Hostile[/b] 🙂", framework_id="general")
    with CaseFile.open(path) as case:
        person = case.add(Person(name=HOSTILE[0]))
        for text in HOSTILE:
            case.add(Threat(summary=text, details=text, made_by=[person.id]))
            case.add(Communication(summary=text, content=text, sender=[person.id]))
    app = CaseWorkbookApp(path, state=UserState(notice_dismissed=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, CaseScreen))
        for key in "123456789":
            await pilot.press(key)
            await pilot.pause()
            await pilot.press("down", "down", "end", "home")
        await pilot.press("2")
        pane = threats_pane(app)
        await until(pilot, lambda: len(pane.table.rows) == len(HOSTILE))
        for row, text in enumerate(HOSTILE):
            pane.table.cursor = row
            await pilot.pause()
            shown = str(pane.query_one(DetailPane).query_one("#detail-text").render())
            assert visible(text) in shown  # control characters drawn as ␛ ␇ …
            assert "\x1b" not in shown and "\x07" not in shown
        await pilot.press("q")


async def test_a_store_error_while_saving_keeps_the_form_and_its_text(tmp_path):
    path = tmp_path / "gone.cwb"
    create_case(path, title="Gone", framework_id="general")
    app = CaseWorkbookApp(path, state=UserState(notice_dismissed=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, CaseScreen))
        await pilot.press("2", "n")
        await until(pilot, lambda: isinstance(app.screen, ItemFormScreen))
        form = app.screen
        form.query_one("#f-summary", Input).focus()
        await pilot.press(*"typed before the file vanished")
        path.rename(tmp_path / "elsewhere.cwb")  # the file goes away underneath
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # still open, nothing lost
        assert form.query_one("#f-summary", Input).value == "typed before the file vanished"
        assert "moved, replaced or deleted" in " ".join(
            str(w.render()) for w in form.query("Static"))


def test_key_moments_are_marked_by_symbol_and_word_in_the_chronology(tmp_path):
    from case_workbook.demo.build import build_demo
    from case_workbook.views.index import CaseIndex

    path = build_demo(tmp_path / "demo.cwb")
    with CaseFile.open(path, readonly=True) as case:
        index = CaseIndex(case)
        kind_column = next(c for c in index.columns(None) if c.key == "kind")
        marks = {item.id: kind_column.text(item, index) for item in index.listing(None)}
        headers = [c.title for c in index.columns(None)]
    assert marks["E-002"] == "◆ act start" and marks["E-006"] == "◆ arrest"
    assert marks["T-001"] == "Threat"
    assert {"From act began", "From act ended", "From threat ended", "From arrest"} <= set(headers)


async def test_empty_lists_say_what_to_do(tmp_path):
    path = tmp_path / "empty.cwb"
    create_case(path, title="Empty", framework_id="general")
    app = CaseWorkbookApp(path, state=UserState(notice_dismissed=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, CaseScreen))
        await pilot.press("2")
        await pilot.pause()
        pane = threats_pane(app)
        assert pane.table.empty_text == "No threats yet. Press n to add a threat."
        assert "No threats yet" in "".join(seg.text for seg in pane.table.render_line(2))
        await pilot.press("8")
        await pilot.pause()
        exhibits = app.screen.query_one("#list-exhibit", ListPane)
        assert exhibits.table.empty_text == ("No exhibits yet. Press a to add a file, "
                                             "or n for a physical object.")
