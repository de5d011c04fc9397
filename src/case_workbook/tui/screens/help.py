"""The keys and how things work. The keys are read from the bindings themselves,
so this screen cannot fall behind them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from case_workbook.tui.screens.dialogs import DIALOG_CSS

GROUPS = ("Moving", "Items", "Timeline", "Case", "App", "On the start screen")
# Where a binding goes when its id prefix alone would put it in the wrong group.
GROUP_OF = {
    "case.focus_list": "Moving", "case.filter": "Moving", "case.timeline": "Timeline",
    "case.add_file": "Case", "case.verify": "Case", "case.export": "Case",
    "case.import_messages": "Case",
    "case.help": "App", "case.quit": "App",
}
GROUP_BY_PREFIX = {"table": "Moving", "case": "Items", "timeline": "Timeline",
                   "start": "On the start screen"}
TAB_ACTION = "show_tab("  # the number keys: shown together on one line

SENTENCES = [
    "Dates can be typed the way you would say them, for example: 2026-03-14 21:30, "
    "14 March 2026, March 2026, about 21:00 on 14 March 2026, yesterday 9 pm, "
    "before 14 March 2026, 14 March 2026 20:00 to 23:00, or unknown. "
    "The form shows at once what it understood.",
    "Everything is saved as you go: each item, tag and delete is written to the case "
    "file at once, so there is nothing to save before you quit.",
    "ctrl+z undoes the last change, a delete or an edit, and again for the one before.",
    "The command palette (ctrl+p) lists every action by name; it also offers "
    "\"Open recent case …\" and \"Filter by theme …\": type a few letters to find one.",
    "This tool organizes information; it gives no legal advice. "
    "Talk to your attorney about what any of it means.",
]


def _group(binding_id: str) -> str:
    if binding_id in GROUP_OF:
        return GROUP_OF[binding_id]
    if binding_id.startswith("case.tab_"):
        return "Moving"
    return GROUP_BY_PREFIX.get(binding_id.split(".", 1)[0], "App")


def help_bindings() -> list[BindingType]:
    """Every binding a person meets in a case, in the order the groups list them."""
    from case_workbook.tui.app import CaseWorkbookApp
    from case_workbook.tui.screens.case_screen import CaseScreen
    from case_workbook.tui.screens.start import StartScreen
    from case_workbook.tui.widgets.item_table import ItemTable
    from case_workbook.tui.widgets.timeline_view import TimelineView

    palette: list[BindingType] = []
    if CaseWorkbookApp.ENABLE_COMMAND_PALETTE:  # Textual binds it itself, not in BINDINGS
        palette.append(Binding(CaseWorkbookApp.COMMAND_PALETTE_BINDING, "command_palette",
                               "Commands: every action by name", id="app.palette"))
    return [*ItemTable.BINDINGS, *CaseScreen.BINDINGS, *TimelineView.BINDINGS,
            *CaseWorkbookApp.BINDINGS, *palette,
            *StartScreen.BINDINGS]


def action_help_texts() -> dict[str, str]:
    """The palette's longer wording for each case action, to explain a key."""
    from case_workbook.tui.commands import CASE_ACTIONS

    return {action: text for _, text, action in CASE_ACTIONS}


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = DIALOG_CSS.format(name="HelpScreen") + """
    HelpScreen > Vertical { width: 90; height: 90%; }
    HelpScreen VerticalScroll { height: 1fr; }
    HelpScreen .group { text-style: bold; margin-top: 1; }
    HelpScreen .sentence { margin-top: 1; }
    """
    BINDINGS = [Binding("escape,q", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Keys and how things work", classes="title")
            with VerticalScroll(id="help-body"):
                for group, lines in self.key_lines(help_bindings()):
                    yield Label(group, classes="group")
                    for line in lines:
                        yield Static(line)
                for sentence in SENTENCES:
                    yield Static(sentence, classes="sentence", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def key_display(self, binding: Binding) -> str:
        display = self.app.get_key_display(binding)
        # Textual writes ctrl as ^; the word is plainer for most people.
        return "ctrl+" + display[1:] if display.startswith("^") and len(display) > 1 else display

    def key_lines(self, bindings: Iterable[BindingType]) -> Iterator[tuple[str, list[Text]]]:
        """(group, lines): one line per binding id with all of its keys; the
        number keys that switch tabs share one line."""
        keys: dict[str, list[str]] = {}
        first: dict[str, Binding] = {}
        for binding in Binding.make_bindings(bindings):
            binding_id = binding.id or binding.action
            display = self.key_display(binding)
            if display not in keys.setdefault(binding_id, []):
                keys[binding_id].append(display)
            first.setdefault(binding_id, binding)
        tab_ids = [bid for bid, b in first.items() if b.action.startswith(TAB_ACTION)]
        width = max((len(" / ".join(k)) for bid, k in keys.items() if bid not in tab_ids),
                    default=0) + 2
        explain = action_help_texts()

        def line(key_text: str, description: str) -> Text:
            text = Text("  " + key_text.ljust(width), style="bold")
            text.append(description, style="not bold")
            return text

        for group in GROUPS:
            lines = []
            for binding_id, binding in first.items():
                if _group(binding_id) != group:
                    continue
                if binding_id in tab_ids:
                    if binding_id == tab_ids[0]:
                        tabs = [(keys[bid][0], first[bid].description) for bid in tab_ids]
                        names = ", ".join(f"{key} {name}" for key, name in tabs)
                        lines.append(line(f"{tabs[0][0]}-{tabs[-1][0]}", f"Go to a tab: {names}"))
                    continue
                description = binding.description or binding.action.replace("_", " ")
                if binding_id.startswith("case.") and binding.action in explain:
                    description += f" — {explain[binding.action]}"
                lines.append(line(" / ".join(keys[binding_id]), description))
            if lines:
                yield group, lines
