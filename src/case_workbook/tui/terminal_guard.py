"""Keep user text from reaching the terminal as control sequences.

A message copied from a phone can hold an ESC character; drawn as is, it would
be read by the terminal as a command (colours, title, cursor moves). Every
widget's text meets the terminal in `Strip.render`, so the guard sits there:
a strip whose text holds a control character is drawn from a copy in which
each one is replaced by its visible symbol (␛, ␇, …). Styles, which Textual
adds as its own sequences around the text, are untouched.
"""

from __future__ import annotations

import re

from rich.segment import Segment
from textual.strip import Strip

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "␡" if code == 0x7F else "�"


def install() -> None:
    original = Strip.render
    if getattr(original, "_case_workbook_guard", False):
        return

    def render(self: Strip, console) -> str:
        if self._render_cache is None and any(
                _CONTROL.search(text) for text, _, control in self._segments if not control):
            safe = Strip([segment if segment.control else
                          Segment(_CONTROL.sub(_picture, segment.text), segment.style)
                          for segment in self._segments])
            self._render_cache = original(safe, console)
        return original(self, console)

    render._case_workbook_guard = True  # type: ignore[attr-defined]
    Strip.render = render  # type: ignore[method-assign]
