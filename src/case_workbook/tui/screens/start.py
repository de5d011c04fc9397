"""The first screen: what this is, the recent cases, and ways to begin."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from case_workbook.model.framework import FrameworkError
from case_workbook.store.errors import CaseFileError
from case_workbook.tui.screens.dialogs import ShowsWorkerErrors
from case_workbook.tui.widgets.item_table import one_line
from case_workbook.user_state import RecentCase, save_state

PRODUCT = "case-workbook"
PURPOSE = ("Keeps the facts of a duress defense in order: threats, witnesses, messages, "
           "events, exhibits; in one file on this computer. It gives no legal advice.")
MISSING = "(file not found)"


def describe_recent(recent: RecentCase) -> Text:
    """Two lines: the title, then where the file is and when it was last opened."""
    path = Path(recent.path)
    title = one_line(recent.title or path.stem)
    opened = recent.opened.astimezone().strftime("%a %d %b %Y, %H:%M")
    text = Text(title, style="bold")
    if not path.exists():
        text.append(f"  {MISSING}")
    text.append("\n  ")
    text.append(one_line(str(path)), style="dim")
    text.append(f"  · last opened {opened}", style="dim")
    return text


class StartScreen(ShowsWorkerErrors, Screen):
    DEFAULT_CSS = """
    StartScreen { align: center top; }
    StartScreen > Vertical { width: 100; max-width: 100%; height: 1fr; padding: 1 2 0 2; }
    StartScreen #product { text-style: bold; }
    StartScreen #purpose { margin-bottom: 1; }
    StartScreen #recent-title { text-style: bold; }
    StartScreen #recent-hint { color: $text-muted; }
    StartScreen #recent { height: 1fr; min-height: 3; }
    StartScreen #no-recent { height: auto; margin: 1 0; }
    StartScreen #actions { height: auto; margin-top: 1; }
    StartScreen #actions Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("n", "new_case", "New case", id="start.new"),
        Binding("o", "open_file", "Open a file", id="start.open"),
        Binding("d", "demo", "Demo case", id="start.demo"),
        Binding("delete,r", "forget", "Remove from list", show=False, id="start.forget"),
        Binding("question_mark", "help", "Help", id="start.help"),
        Binding("q", "quit", "Quit", id="start.quit"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(PRODUCT, id="product")
            yield Static(PURPOSE, id="purpose", markup=False)
            yield Label("Recent cases", id="recent-title")
            yield Static("enter opens the highlighted case; r removes it from this list "
                         "(the file stays)", id="recent-hint", markup=False)
            yield OptionList(id="recent")
            yield Static("No recent cases yet. Start a new case, open a case file, "
                         "or look around the demo case.", id="no-recent", markup=False)
            with Horizontal(id="actions"):
                yield Button("New case (n)", id="new", variant="primary")
                yield Button("Open a file (o)", id="open")
                yield Button("Demo case (d)", id="demo")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_recent()

    def on_screen_resume(self) -> None:
        # Coming back from a case: the list of recent cases has changed.
        self.refresh_recent()

    def refresh_recent(self) -> None:
        recent_list = self.query_one("#recent", OptionList)
        index = recent_list.highlighted
        was = recent_list.get_option_at_index(index).id if index is not None else None
        recent_list.clear_options()
        recent_list.add_options(Option(describe_recent(r), id=r.path)
                                for r in self.app.state.recent)
        paths = [r.path for r in self.app.state.recent]
        recent_list.display = bool(paths)
        self.query_one("#recent-hint").display = bool(paths)
        self.query_one("#no-recent").display = not paths
        if paths:
            # Stay on the same case (after an error dialog, say), else the nearest.
            index = paths.index(was) if was in paths else min(index or 0, len(paths) - 1)
            recent_list.highlighted = index
            recent_list.focus()
        else:
            self.query_one("#new", Button).focus()

    # --- recent cases ------------------------------------------------------------

    @on(OptionList.OptionSelected, "#recent")
    def _open_recent(self, event: OptionList.OptionSelected) -> None:
        path = Path(event.option.id or "")
        if not path.exists():
            self.app.show_error(
                "This case file is not there any more",
                f"There is no file at {path}; it may have been moved, renamed or deleted. "
                "Open it from its new place with Open a file, or press r to remove it "
                "from this list.")
            return
        self.app.open_case(path)

    def action_forget(self) -> None:
        recent_list = self.query_one("#recent", OptionList)
        index = recent_list.highlighted
        if not recent_list.display or index is None:
            return
        path = recent_list.get_option_at_index(index).id or ""
        self.app.state.forget(path)
        save_state(self.app.state)
        self.refresh_recent()
        self.notify("Removed from the list; the case file itself is untouched.", markup=False)

    # --- ways to begin -----------------------------------------------------------

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        actions = {"new": self.action_new_case, "open": self.action_open_file,
                   "demo": self.action_demo}
        if (action := actions.get(event.button.id or "")) is not None:
            action()

    @work(exit_on_error=False)
    async def action_new_case(self) -> None:
        from case_workbook.tui.screens.new_case import NewCaseScreen

        form = NewCaseScreen()
        path = await self.app.push_screen_wait(form)
        if path is not None:
            self.app.open_case(path, form.passphrase)

    @work(exit_on_error=False)
    async def action_open_file(self) -> None:
        from case_workbook.tui.screens.open_file import OpenFileScreen

        path = await self.app.push_screen_wait(OpenFileScreen())
        if path is not None:
            self.app.open_case(path)

    def action_demo(self) -> None:
        from case_workbook.core import write_demo

        try:
            path, _fresh = write_demo(None)
        except (CaseFileError, FrameworkError) as error:
            self.app.show_error("The demo case could not be made", str(error))
            return
        except OSError as error:
            self.app.show_error("The demo case could not be made",
                                f"It could not be written to {error.filename or 'its folder'} "
                                f"({(error.strerror or str(error)).lower()}).")
            return
        self.app.open_case(path)

    def action_help(self) -> None:
        from case_workbook.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def action_quit(self) -> None:
        self.app.exit()
