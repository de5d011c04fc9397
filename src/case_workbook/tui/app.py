"""The terminal application: start screen, first-run notice, the case screen."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from case_workbook.bulk import release_long_lived
from case_workbook.store.case_file import CaseFile
from case_workbook.store.driver import WrongPassphraseError
from case_workbook.store.errors import CaseFileError
from case_workbook.tui import terminal_guard
from case_workbook.tui.screens.dialogs import ErrorScreen
from case_workbook.user_state import UserState, load_state, save_state

THEMES = ("textual-dark", "textual-light")


class CaseWorkbookApp(App[None]):
    TITLE = "case-workbook"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("f2", "toggle_theme", "Light/dark", show=False, id="app.theme"),
    ]

    def __init__(self, case_path: Path | None = None, *, state: UserState | None = None,
                 passphrase: str | None = None) -> None:
        terminal_guard.install()
        super().__init__()
        self.case_path = case_path
        self.passphrase = passphrase  # of an encrypted case_path, if given on the command line
        self.state = state if state is not None else load_state()
        if self.state.theme in THEMES:
            self.theme = self.state.theme

    def on_mount(self) -> None:
        from case_workbook.tui.screens.start import StartScreen

        self.push_screen(StartScreen())
        if self.case_path is not None:
            self.open_case(self.case_path, passphrase=self.passphrase)
            self.passphrase = None
        if not self.state.notice_dismissed:
            from case_workbook.tui.screens.notice import NoticeScreen

            self.push_screen(NoticeScreen(), self._notice_closed)

    def _notice_closed(self, remember: bool | None) -> None:
        if remember:
            self.state.notice_dismissed = True
            save_state(self.state)

    # --- cases -------------------------------------------------------------------

    def open_case(self, path: Path, passphrase: str | None = None) -> bool:
        """Open a case file and show it; a problem is shown in one sentence.
        A workbook (from counsel) leads to the dialog that rebuilds a case from
        it; an encrypted case, to the dialog that asks its passphrase."""
        from case_workbook.core import is_workbook_file
        from case_workbook.store.inspect import is_encrypted_case
        from case_workbook.tui.screens.case_screen import CaseScreen

        path = Path(path).expanduser()
        if path.is_file() and is_workbook_file(path):
            self.open_workbook(path)
            return False  # no case is open yet; the dialog opens the new one
        if passphrase is None and is_encrypted_case(path):
            self.ask_passphrase(path)
            return False
        self.close_case()
        try:
            # The file's check runs while the screen reads the items (see
            # store/check_alongside.py); a damaged file or item is refused here.
            case = CaseFile.open(path, check_alongside=True, passphrase=passphrase)
            screen = CaseScreen(case)
        except WrongPassphraseError as error:
            self.ask_passphrase(path, str(error))
            return False
        except CaseFileError as error:
            self.show_error("This case could not be opened", str(error))
            return False
        # The list of recent cases lives outside the case file: an encrypted
        # case is listed by its file name only, never by its title.
        self.state.remember(path, "" if case.encrypted else case.header.title)
        save_state(self.state)
        self.push_screen(screen)
        if case.migrated_from is not None and case.backup_path is not None:
            self.notify(f"This case was upgraded to the current file format; the earlier "
                        f"file was kept as {case.backup_path.name}.", markup=False, timeout=10)
        return True

    def ask_passphrase(self, path: Path, problem: str = "") -> None:
        from case_workbook.tui.screens.passphrase import AskPassphraseScreen

        def typed(passphrase: str | None) -> None:
            if passphrase is not None:
                self.open_case(path, passphrase)

        self.push_screen(AskPassphraseScreen(path, problem), typed)

    def change_passphrase(self, case: CaseFile) -> None:
        from case_workbook.tui.screens.passphrase import ChangePassphraseScreen

        def chosen(new: str | None) -> None:
            if new is None:
                return
            try:
                case.change_passphrase(new)
            except CaseFileError as error:
                self.show_error("The passphrase was not changed", str(error))
                return
            self.notify("The passphrase was changed; the old one no longer opens this case.",
                        markup=False, timeout=8)

        self.push_screen(ChangePassphraseScreen(), chosen)

    def open_workbook(self, path: Path) -> None:
        """Rebuild a case file from a workbook, then open it if the person asks."""
        from case_workbook.tui.screens.open_workbook import OpenWorkbookScreen

        dialog = OpenWorkbookScreen(path)

        def opened(made: Path | None) -> None:
            if made is not None:
                self.open_case(made, dialog.passphrase)

        self.push_screen(dialog, opened)

    def close_case(self) -> None:
        """Leave the open case (everything is already saved) for the start screen."""
        from case_workbook.tui.screens.case_screen import CaseScreen
        from case_workbook.tui.screens.start import StartScreen

        for screen in self.screen_stack:
            if isinstance(screen, CaseScreen):
                screen.case.close()  # now, so the same file can be opened again at once
        while len(self.screen_stack) > 1 and not isinstance(self.screen, StartScreen):
            self.pop_screen()
        release_long_lived()  # even for a case screen never drawn (see bulk)

    def show_error(self, title: str, message: str) -> None:
        self.push_screen(ErrorScreen(title, message))

    def report_unexpected(self, error: BaseException) -> None:
        """An error from a background job: its sentence if it has one."""
        from case_workbook.cli import user_message

        message = user_message(error) if isinstance(error, Exception) else None
        self.show_error("Something went wrong", message or (
            "Something unexpected went wrong, so that step was not finished. Everything "
            "saved before it is safe in the case file."))

    def _fatal_error(self) -> None:
        # Textual would print a traceback with local variables, which can hold
        # case content; the person gets one sentence instead.
        self.bell()
        self._exit_renderables.append(Text(
            "case-workbook closed after an unexpected problem; every change saved before "
            "it is in the case file."))
        self._close_messages_no_wait()

    # --- look ----------------------------------------------------------------------

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]

    def watch_theme(self, theme: str) -> None:
        if theme in THEMES and self.state.theme != theme:
            self.state.theme = theme
            save_state(self.state)

    # --- the command palette -----------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Textual's own screenshot command would write case content to a file,
        # so only these are offered.
        from case_workbook.tui.commands import case_commands

        yield SystemCommand("Light or dark theme", "Switch between the light and the dark look",
                            self.action_toggle_theme)
        yield from case_commands(self, screen)
        yield SystemCommand("Quit", "Close case-workbook (everything is already saved)",
                            self.exit)


def run(case_path: Path | None = None, passphrase: str | None = None) -> int:
    CaseWorkbookApp(case_path, passphrase=passphrase).run()
    return 0
