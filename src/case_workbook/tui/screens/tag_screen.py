"""Link an item to the framework's themes, each with a note in the person's words.

Suggestions come from the framework's cues. They are shown as suggestions with
their reasons and become links only when the person accepts one; rejecting sets
a suggestion aside for this dialog. Nothing here is weighed or ranked: themes
appear in the framework's own order.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from case_workbook.model.framework import Theme
from case_workbook.model.items import KIND_LABELS, AnyItem, ThemeLink
from case_workbook.model.suggest import Suggestion, suggestions_for
from case_workbook.store.errors import CaseFileError
from case_workbook.tui.screens.dialogs import ConfirmScreen
from case_workbook.tui.widgets.item_table import one_line
from case_workbook.views.index import CaseIndex

NOTE_LABEL = "Why this relates (your words)"


def _cut(text: str, limit: int) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class TagScreen(ModalScreen[AnyItem | None]):
    DEFAULT_CSS = """
    TagScreen { align: center middle; }
    TagScreen > #tag-dialog { width: 110; max-width: 100%; height: 1fr; max-height: 34;
                              border: thick $primary; background: $surface; padding: 0 1; }
    TagScreen .title { text-style: bold; }
    TagScreen .hint { color: $text-muted; }
    TagScreen #tag-body { height: 1fr; margin-top: 1; }
    TagScreen #theme-choices { width: 34; max-width: 45%; height: 1fr; }
    TagScreen #tag-detail { width: 1fr; height: 1fr; padding: 0 1; }
    TagScreen .section { color: $text-muted; text-style: bold; margin-top: 1; }
    TagScreen #suggestion-box, TagScreen #note-box { height: auto; }
    TagScreen #suggestion-buttons { height: auto; margin-top: 1; }
    TagScreen #suggestion-buttons Button { margin-right: 2; }
    TagScreen #tag-error { color: $text-error; text-style: bold; height: auto; }
    TagScreen #tag-buttons { height: auto; align-horizontal: right; }
    TagScreen #tag-buttons Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("space", "toggle", "Link/unlink", id="tag.toggle"),
        Binding("a", "accept", "Accept", id="tag.accept"),
        Binding("r", "reject", "Reject", id="tag.reject"),
        Binding("ctrl+s", "save", "Save", id="tag.save"),
        Binding("escape", "cancel", "Cancel", id="tag.cancel"),
    ]

    def __init__(self, item: AnyItem, index: CaseIndex,
                 save: Callable[[AnyItem], AnyItem]) -> None:
        super().__init__()
        self.item = item
        self.index = index
        self._save = save
        framework = index.case.framework
        self.themes: list[Theme] = list(framework.themes)
        self.linked: set[str] = set(item.theme_ids())
        self.notes: dict[str, str] = {link.theme_id: link.note for link in item.themes}
        self.suggested: dict[str, Suggestion] = {
            s.theme_id: s for s in suggestions_for(item, framework)}
        self.rejected: set[str] = set()
        # Links to themes this framework does not have are kept as they are.
        self.others = [link for link in item.themes if framework.theme(link.theme_id) is None]

    # --- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        label = self.item.summary or getattr(self.item, "name", "")
        with Vertical(id="tag-dialog"):
            yield Label(Text(_cut(f"Themes for {self.item.id} "
                                  f"({KIND_LABELS[self.item.kind]}): {label}", 200)),
                        classes="title")
            yield Static(Text("A suggestion becomes a link only when you accept it."),
                         classes="hint")
            with Horizontal(id="tag-body"):
                yield OptionList(*[Option(self._prompt(t), id=t.id) for t in self.themes],
                                 id="theme-choices")
                with VerticalScroll(id="tag-detail"):
                    yield Static(id="theme-head")
                    with Vertical(id="suggestion-box"):
                        yield Static(Text("Suggested because"), classes="section")
                        yield Static(id="reasons")
                        with Horizontal(id="suggestion-buttons"):
                            yield Button("Accept (a)", id="accept", compact=True)
                            yield Button("Reject (r)", id="reject", compact=True)
                    with Vertical(id="note-box"):
                        yield Static(Text(NOTE_LABEL), classes="section")
                        yield Input(placeholder=NOTE_LABEL, id="note")
                    yield Static(id="theme-about")
            yield Static(id="tag-error")
            with Horizontal(id="tag-buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#tag-error").display = False
        choices = self.query_one("#theme-choices", OptionList)
        choices.highlighted = 0
        choices.focus()
        self._show_detail()

    # --- state in words ------------------------------------------------------------

    def _state(self, theme_id: str) -> str:
        if theme_id in self.linked:
            return "[x] linked"
        if theme_id in self.suggested:
            if theme_id in self.rejected:
                return "[ ] not linked · rejected"
            return "[ ] not linked · suggested"
        return "[ ] not linked"

    def _prompt(self, theme: Theme) -> Text:
        text = Text(theme.name, style="bold")
        text.append("\n  " + self._state(theme.id))
        return text

    @property
    def current(self) -> Theme | None:
        try:
            index = self.query_one("#theme-choices", OptionList).highlighted
        except NoMatches:  # asked before the dialog is built
            return None
        return self.themes[index] if index is not None and 0 <= index < len(self.themes) else None

    def _open_suggestion(self, theme_id: str) -> bool:
        return theme_id in self.suggested and theme_id not in self.linked

    def _show_detail(self) -> None:
        theme = self.current
        if theme is None:
            return
        head = Text(theme.name, style="bold")
        head.append("\n" + self._state(theme.id))
        self.query_one("#theme-head", Static).update(head)
        about = Text("\n" + theme.description)
        about.append("\n\nSource: ", style="italic")
        about.append(theme.source)
        self.query_one("#theme-about", Static).update(about)
        suggestion = self.suggested.get(theme.id)
        box = self.query_one("#suggestion-box")
        box.display = suggestion is not None and theme.id not in self.linked
        if suggestion is not None:
            reasons = Text("\n".join(f"• {reason}" for reason in suggestion.reasons))
            if theme.id in self.rejected:
                reasons.append("\n\nYou rejected this suggestion. Press a to accept it after all.")
            self.query_one("#reasons", Static).update(reasons)
            self.query_one("#reject", Button).display = theme.id not in self.rejected
        note_box = self.query_one("#note-box")
        note_box.display = theme.id in self.linked
        note = self.query_one("#note", Input)
        with note.prevent(Input.Changed):
            note.value = self.notes.get(theme.id, "")
        self.refresh_bindings()

    def _redraw(self, theme_id: str) -> None:
        theme = next(t for t in self.themes if t.id == theme_id)
        self.query_one("#theme-choices", OptionList).replace_option_prompt(
            theme_id, self._prompt(theme))
        self._show_detail()

    # --- changing links ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("accept", "reject"):
            theme = self.current
            if theme is None or not self._open_suggestion(theme.id):
                return False
            if action == "reject" and theme.id in self.rejected:
                return False
        return True

    def action_toggle(self) -> None:
        theme = self.current
        if theme is None:
            return
        if theme.id in self.linked:
            self.linked.discard(theme.id)  # its note is kept in case it is linked again
        else:
            self.linked.add(theme.id)
        self._redraw(theme.id)

    def action_accept(self) -> None:
        theme = self.current
        if theme is None or not self._open_suggestion(theme.id):
            return
        self.linked.add(theme.id)
        self.rejected.discard(theme.id)
        self._redraw(theme.id)
        self.query_one("#note", Input).focus()

    def action_reject(self) -> None:
        theme = self.current
        if theme is None or not self._open_suggestion(theme.id):
            return
        self.rejected.add(theme.id)
        self._redraw(theme.id)
        self.query_one("#theme-choices", OptionList).focus()

    @on(OptionList.OptionHighlighted, "#theme-choices")
    def _highlighted(self) -> None:
        self._show_detail()

    @on(OptionList.OptionSelected, "#theme-choices")
    def _selected(self) -> None:
        """Enter on a theme: link it if needed, then go to its note."""
        theme = self.current
        if theme is None:
            return
        if theme.id not in self.linked:
            self.linked.add(theme.id)
            self._redraw(theme.id)
        self.query_one("#note", Input).focus()

    @on(Input.Changed, "#note")
    def _note_changed(self, event: Input.Changed) -> None:
        theme = self.current
        if theme is not None and theme.id in self.linked:
            self.notes[theme.id] = event.value

    @on(Input.Submitted, "#note")
    def _note_done(self) -> None:
        self.query_one("#theme-choices", OptionList).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {"accept": self.action_accept, "reject": self.action_reject,
                   "save": self.action_save, "cancel": self.action_cancel}
        if (action := actions.get(event.button.id or "")) is not None:
            action()

    # --- save or leave ---------------------------------------------------------------------

    def links(self) -> list[ThemeLink]:
        """The links as they stand, in the framework's order."""
        ordered = [ThemeLink(theme_id=t.id, note=self.notes.get(t.id, "").strip())
                   for t in self.themes if t.id in self.linked]
        return ordered + self.others

    @property
    def changed(self) -> bool:
        return self.links() != list(self.item.themes)

    def action_save(self) -> None:
        new_item = self.item.model_copy(update={"themes": self.links()})
        try:
            stored = self._save(new_item)
        except (CaseFileError, ValueError) as error:
            # Everything chosen and typed stays in the dialog.
            message = self.query_one("#tag-error", Static)
            message.update(Text(f"Not saved: {error}"))
            message.display = True
            return
        self.dismiss(stored)

    def action_cancel(self) -> None:
        if not self.changed:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(
            "Leave without saving? The theme links and notes you changed here will be lost.",
            yes="Discard changes", no="Keep editing"), answered)
