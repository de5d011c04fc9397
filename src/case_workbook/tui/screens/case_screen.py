"""The case: a tab per view, a status line, and every action on items."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import MountError
from textual.widgets import Footer, Static, TabbedContent, TabPane

from case_workbook.bulk import hold_collector, release_long_lived, settle_long_lived
from case_workbook.model.items import AnyItem, Kind
from case_workbook.store.case_file import CaseFile
from case_workbook.store.errors import CaseFileError
from case_workbook.tui.screens.dialogs import (
    ConfirmScreen,
    KindChooser,
    ShowsWorkerErrors,
)
from case_workbook.tui.widgets.list_pane import ListPane
from case_workbook.views.index import load_confirmed

TABS: list[tuple[str, str, Kind | None]] = [
    ("chronology", "Chronology", None),
    ("threat", "Threats", Kind.THREAT),
    ("witness", "Witnesses", Kind.WITNESS),
    ("communication", "Communications", Kind.COMMUNICATION),
    ("action", "Actions", Kind.ACTION),
    ("event", "Events", Kind.EVENT),
    ("person", "People", Kind.PERSON),
    ("exhibit", "Exhibits", Kind.EXHIBIT),
]


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text; padding: 0 1; }
    """


class CaseScreen(ShowsWorkerErrors, Screen):
    BINDINGS = [
        Binding("n", "new", "New", id="case.new"),
        Binding("e", "edit", "Edit", id="case.edit"),
        Binding("t", "tag", "Tag", id="case.tag"),
        Binding("slash", "filter", "Filter", id="case.filter"),
        Binding("d,delete", "delete", "Delete", id="case.delete"),
        Binding("ctrl+z", "undo", "Undo", id="case.undo"),
        Binding("h", "history", "History", show=False, id="case.history"),
        Binding("a", "add_file", "Add file", show=False, id="case.add_file"),
        Binding("i", "import_messages", "Import messages", show=False,
                id="case.import_messages"),
        Binding("v", "verify", "Verify files", show=False, id="case.verify"),
        Binding("x", "export", "Export", id="case.export"),
        Binding("question_mark", "help", "Help", id="case.help"),
        Binding("l", "timeline", "Timeline", id="case.timeline"),
        Binding("escape", "focus_list", "To list", show=False, id="case.focus_list"),
        Binding("q", "quit_app", "Quit", id="case.quit"),
        *[Binding(str(n), f"show_tab({n - 1})", title, show=False, id=f"case.tab_{tab_id}")
          for n, (tab_id, title) in enumerate(
              [(t[0], t[1]) for t in TABS] + [("themes", "Themes")], start=1)],
    ]

    def __init__(self, case: CaseFile) -> None:
        super().__init__()
        self.case = case
        hold_collector()  # until the first list is on screen (see bulk)
        try:
            self.index = load_confirmed(case)
        except BaseException:
            release_long_lived()
            case.close()  # the screen will not show, so it will not close the case
            raise
        self._themes_stale = True  # the themes view is filled when first shown
        self._filled = False  # every tab has its content (see compose)
        self._go_to_later: str | None = None
        self._focus_later = False

    def compose(self) -> ComposeResult:
        # Only the first tab's list is built now; the other tabs are filled
        # right after it shows (_fill_other_tabs), so a large case lists its
        # rows sooner.
        with TabbedContent(id="tabs"):
            for number, (tab_id, title, kind) in enumerate(TABS):
                with TabPane(title, id=f"tab-{tab_id}"):
                    if number == 0:
                        yield ListPane(kind, self.index, id=f"list-{tab_id}")
            yield TabPane("Themes", id="tab-themes")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.update_status()
        self.call_after_refresh(self._first_show)

    def _left(self) -> bool:
        """The case was closed (this screen popped), perhaps before it was drawn."""
        return self not in self.app.screen_stack

    def _first_show(self) -> None:
        if self._left():
            release_long_lived()
            return
        try:
            self._show_current()
        finally:
            settle_long_lived()  # the index and the lists stay while the case is open
        self.call_after_refresh(self._fill_other_tabs)

    async def _fill_other_tabs(self) -> None:
        from case_workbook.tui.widgets.themes_pane import ThemesPane

        fillings = [(f"#tab-{tab_id}", ListPane(kind, self.index, id=f"list-{tab_id}"))
                    for tab_id, _, kind in TABS[1:]]
        fillings.append(("#tab-themes", ThemesPane(self.index, id="themes")))
        for tab, content in fillings:
            if self._left():  # the case was closed at once
                return
            pane = self.query_one(tab, TabPane)
            if not pane.is_attached:  # the screen is being taken down (another case opened)
                return
            try:
                await pane.mount(content)
            except MountError:  # taken down while this tab was being filled
                return
        if self._left():
            return
        self._filled = True
        # A tab chosen, or an item asked for, while they were being filled.
        self._show_current()
        if self._focus_later and (pane := self.current_list()) is not None:
            pane.focus_main()
        self._focus_later = False
        self._refresh_themes_if_shown()
        if self._go_to_later is not None:
            self.go_to(self._go_to_later)

    def _show_current(self, keep: str | None = None) -> None:
        if (pane := self.current_list()) is not None:
            pane.ensure_fresh(keep)
            if self.focused is None or self.focused is self:
                pane.focus_main()

    @on(TabbedContent.TabActivated)
    def _tab_shown(self) -> None:
        if (pane := self.current_list()) is not None:
            pane.ensure_fresh()
        self._refresh_themes_if_shown()

    # --- helpers ---------------------------------------------------------------

    def current_list(self) -> ListPane | None:
        """The shown tab's list; None on the Themes tab, or on a tab whose list
        is not there yet (the first moment after opening)."""
        active = self.query_one(TabbedContent).active
        if not active or active == "tab-themes":
            return None
        found = self.query(f"#list-{active.removeprefix('tab-')}")
        pane = found.first() if found else None
        return pane if isinstance(pane, ListPane) else None

    def current_item(self) -> AnyItem | None:
        pane = self.current_list()
        return pane.table.current if pane is not None else None

    def current_kind(self) -> Kind | None:
        pane = self.current_list()
        return pane.kind if pane is not None else None

    def update_status(self) -> None:
        saved = self.case.last_saved
        when = "saved " + saved.astimezone().strftime("%H:%M:%S") if saved else "all saved"
        text = (f"{self.case.path.name} · {self.case.framework.name} · {when} · "
                "no legal advice")
        self.query_one(StatusLine).update(Text(text))

    def refresh_lists(self, keep: str | None = None) -> None:
        """After any change: every list, the themes view and the status line."""
        for pane in self.query(ListPane):
            pane.mark_stale()
        if (pane := self.current_list()) is not None:
            pane.ensure_fresh(keep)
        self._themes_stale = True
        self._refresh_themes_if_shown()
        self.update_status()

    def _refresh_themes_if_shown(self) -> None:
        from case_workbook.tui.widgets.themes_pane import ThemesPane

        if (self._themes_stale and self._filled
                and self.query_one(TabbedContent).active == "tab-themes"):
            self._themes_stale = False
            self.query_one(ThemesPane).refresh_view()

    def report(self, error: Exception, doing: str) -> None:
        self.app.show_error(f"Could not {doing}", str(error))

    def go_to(self, item_id: str) -> None:
        """Show an item in its own tab and select it."""
        item = self.index.get(item_id)
        if item is None:
            return
        if not self._filled:
            self._go_to_later = item_id
            return
        self._go_to_later = None
        self.query_one(TabbedContent).active = f"tab-{item.kind.value}"
        pane = self.query_one(f"#list-{item.kind.value}", ListPane)
        pane.ensure_fresh()
        pane.select_item(item_id)
        pane.focus_main()

    # --- actions -----------------------------------------------------------------

    def action_show_tab(self, position: int) -> None:
        tab_ids = [f"tab-{t[0]}" for t in TABS] + ["tab-themes"]
        self.query_one(TabbedContent).active = tab_ids[position]
        self.action_focus_list()

    def action_focus_list(self) -> None:
        if (pane := self.current_list()) is not None:
            pane.focus_main()
        elif not self._filled:
            self._focus_later = True

    def action_timeline(self) -> None:
        """The chronology drawn on a time axis; pressed again, the list."""
        if not self._filled:
            return
        tabs = self.query_one(TabbedContent)
        pane = self.query_one("#list-chronology", ListPane)
        if tabs.active != "tab-chronology":
            tabs.active = "tab-chronology"
            pane.ensure_fresh()
            if pane.showing_timeline:
                pane.focus_main()
                return
        pane.toggle_timeline()

    def action_filter(self) -> None:
        if (pane := self.current_list()) is not None:
            pane.focus_filter()

    @work(exit_on_error=False)
    async def action_new(self) -> None:
        kind = self.current_kind()
        if kind is None:
            kind = await self.app.push_screen_wait(KindChooser())
            if kind is None:
                return
        await self.open_form(kind, None)

    @work(exit_on_error=False)
    async def action_edit(self) -> None:
        item = self.current_item()
        if item is not None:
            await self.open_form(item.kind, item)

    @on(ListPane.ItemChosen)
    def _chosen(self, event: ListPane.ItemChosen) -> None:
        self.action_edit()

    async def open_form(self, kind: Kind, item: AnyItem | None) -> None:
        from case_workbook.tui.screens.item_form import ItemFormScreen

        stored = await self.app.push_screen_wait(
            ItemFormScreen(kind, self.index, item, save=self.save_item))
        # Even a cancelled form may have added a person or an exhibit file.
        self.refresh_lists(keep=stored.id if stored is not None else None)
        if stored is not None and self.current_kind() not in (None, stored.kind):
            self.go_to(stored.id)

    def save_item(self, item: AnyItem) -> AnyItem:
        """Add or update through the store, then keep the index current.
        Raises CaseFileError with a sentence; the caller keeps what was typed."""
        stored = self.case.update(item) if item.id else self.case.add(item)
        self.index.put(stored)
        return stored

    @work(exit_on_error=False)
    async def action_tag(self) -> None:
        from case_workbook.tui.screens.tag_screen import TagScreen

        item = self.current_item()
        if item is None:
            return
        stored = await self.app.push_screen_wait(TagScreen(item, self.index, save=self.save_item))
        if stored is not None:
            self.refresh_lists(keep=stored.id)

    @work(exit_on_error=False)
    async def action_delete(self) -> None:
        item = self.current_item()
        if item is None:
            return
        label = item.summary or getattr(item, "name", "") or item.id
        if not await self.app.push_screen_wait(ConfirmScreen(
                f"Delete {item.id} ({label[:80]})? You can bring it back with Undo (ctrl+z).",
                yes="Delete")):
            return
        try:
            self.case.delete(item.id)
        except CaseFileError as error:
            self.report(error, f"delete {item.id}")
            return
        self.index.remove(item.id)
        self.refresh_lists()
        self.notify(f"Deleted {item.id}. Press ctrl+z to undo.", markup=False)

    def action_undo(self) -> None:
        try:
            message = self.case.undo()
        except CaseFileError as error:
            self.report(error, "undo")
            return
        if message is None:
            self.notify("There is nothing to undo.", markup=False)
            return
        self.index.reload()
        self.refresh_lists()
        self.notify(message, markup=False)

    def action_history(self) -> None:
        from case_workbook.tui.screens.history import HistoryScreen

        item = self.current_item()
        if item is not None:
            self.app.push_screen(HistoryScreen(item.id, self.case.activity(item.id)))

    @work(exit_on_error=False)
    async def action_add_file(self) -> None:
        from case_workbook.tui.screens.add_file import AddFileScreen

        stored = await self.app.push_screen_wait(AddFileScreen(self.case))
        if stored is not None:
            self.index.put(stored)
            self.refresh_lists(keep=stored.id)
            self.go_to(stored.id)
            name = stored.file.original_name if stored.file else ""
            self.notify(f"Added {stored.id}: {name}", markup=False)

    @work(exit_on_error=False)
    async def action_import_messages(self) -> None:
        from case_workbook.tui.screens.import_flow import import_messages_flow

        await import_messages_flow(self)

    def action_verify(self) -> None:
        from case_workbook.store.exhibits import verify_exhibits

        results = verify_exhibits(self.case)
        problems = [f"{r.exhibit_id}: {r.status} — {r.detail}" for r in results if r.status != "ok"]
        if problems:
            self.app.show_error("Some exhibit files are not as they were", "\n".join(problems))
        else:
            self.notify(f"All {len(results)} exhibit files match their SHA-256.", markup=False)

    def action_export(self) -> None:
        from case_workbook.tui.screens.export_screen import ExportScreen

        self.app.push_screen(ExportScreen(self.case))

    def action_help(self) -> None:
        from case_workbook.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def action_quit_app(self) -> None:
        self.app.exit()

    def filter_by_theme(self, theme_id: str) -> None:
        """From the palette: show the chronology with only this theme's items."""
        self.query_one(TabbedContent).active = "tab-chronology"
        pane = self.query_one("#list-chronology", ListPane)
        pane.ensure_fresh()
        pane.show_theme(theme_id)

    def on_unmount(self) -> None:
        self.case.close()
        release_long_lived()  # the index and lists may go now (see bulk)
