"""No control character in user text reaches the terminal, whatever widget
draws it: the form's input boxes included."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Input, Label, Static, TextArea

from case_workbook.tui import terminal_guard

TRICK = "a\x1b[2Jb\x1b]0;title\x07c"


def terminal_output(app: App) -> str:
    """Exactly what Textual would write to the terminal for the whole screen."""
    return app.screen._compositor.render_full_update().render_segments(app.console)


async def test_control_characters_are_drawn_as_symbols():
    terminal_guard.install()

    class Sample(App):
        def compose(self):
            yield Input(value=TRICK)
            yield TextArea(TRICK)
            yield Static(TRICK, markup=False)
            yield Label(TRICK, markup=False)

    app = Sample()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        out = terminal_output(app)
    assert "\x1b[2J" not in out and "\x1b]0;" not in out and "\x07" not in out
    assert out.count("␛[2J") >= 3  # the text is still there, visibly
    assert "\x1b[" in out  # Textual's own colour codes are untouched


async def test_the_guard_is_installed_once():
    terminal_guard.install()
    from textual.strip import Strip

    first = Strip.render
    terminal_guard.install()
    assert Strip.render is first
