"""What the command palette (ctrl+p) offers: recent cases, filter by theme, and
every action of the current screen, each under a plain name."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.screen import Screen

if TYPE_CHECKING:
    from case_workbook.tui.app import CaseWorkbookApp

CASE_ACTIONS = [
    ("New item", "Add an item of the kind shown (from the chronology: choose the kind)", "new"),
    ("Edit item", "Change the selected item", "edit"),
    ("Tag item with themes", "Link the selected item to themes, with suggestions", "tag"),
    ("Delete item", "Delete the selected item (undo brings it back)", "delete"),
    ("Undo", "Reverse the last change, deletes included", "undo"),
    ("Item history", "What changed in the selected item, and when", "history"),
    ("Timeline", "The chronology drawn on a time axis, lane by kind; press l again for the "
     "list", "timeline"),
    ("Add exhibit file", "Copy a file into the case as a numbered exhibit", "add_file"),
    ("Import messages", "Bring messages in from a phone or email export (WhatsApp, SMS, "
     "Telegram, Signal, Instagram, Messenger, iMessage, email)", "import_messages"),
    ("Verify exhibit files", "Re-check every exhibit file against its SHA-256", "verify"),
    ("Export", "Write the case to a file for counsel", "export"),
    ("Help", "Keys and how things work", "help"),
]


def case_commands(app: CaseWorkbookApp, screen: Screen) -> Iterable[SystemCommand]:
    from case_workbook.tui.screens.case_screen import CaseScreen

    case_screen = next((s for s in reversed(app.screen_stack) if isinstance(s, CaseScreen)),
                       None)
    for recent in app.state.recent:
        label = recent.title or Path(recent.path).name
        yield SystemCommand(f"Open recent case: {label}", recent.path,
                            partial(app.open_case, Path(recent.path)), discover=False)
    if case_screen is None:
        return
    for theme in case_screen.case.framework.themes:
        yield SystemCommand(f"Filter by theme: {theme.name}", theme.source,
                            partial(case_screen.filter_by_theme, theme.id), discover=False)
    for title, help_text, action in CASE_ACTIONS:
        yield SystemCommand(title, help_text, partial(case_screen.run_action, action))
    if case_screen.case.encrypted:
        yield SystemCommand("Change passphrase", "Re-encrypt this case under a new passphrase",
                            partial(app.change_passphrase, case_screen.case))
    yield SystemCommand("Close case", "Go back to the start screen (everything is saved)",
                        app.close_case)
