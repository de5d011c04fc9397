"""The first-run notice: what this tool is and is not, in plain words."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, Static

from case_workbook.tui.screens.dialogs import DIALOG_CSS


class MarkedCheckbox(Checkbox):
    """A checkbox whose mark is an X when ticked and blank when not: Textual's
    shows an X either way and tells them apart by colour alone."""

    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 - the name Textual reads
        return "X" if self.value else " "


NOTICE = [
    "This tool helps you organize information about your case: what happened, "
    "who saw it, messages, events and files.",
    "It gives no legal advice, and it never rates or judges anything you enter.",
    "Everything stays on this computer. Nothing is sent anywhere.",
    "The case file can be read only by your user account on this computer.",
    "Talk to your attorney about what any of it means for your case.",
]


class NoticeScreen(ModalScreen[bool]):
    """Dismissed with whether to remember it (the app saves that)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="NoticeScreen") + """
    NoticeScreen VerticalScroll { height: auto; max-height: 60vh; }
    NoticeScreen .buttons { align-vertical: middle; }
    NoticeScreen Checkbox { width: 1fr; }
    """
    BINDINGS = [Binding("escape", "dismiss(False)", "Close", id="notice.close")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Before you start", classes="title")
            with VerticalScroll():
                for point in NOTICE:
                    yield Static(f"• {point}", classes="point", markup=False)
            with Horizontal(classes="buttons"):
                yield MarkedCheckbox("Don't show this again", True, id="remember", compact=True)
                yield Button("I understand", id="ok", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    @on(Button.Pressed, "#ok")
    def _understood(self) -> None:
        self.dismiss(self.query_one("#remember", Checkbox).value)
