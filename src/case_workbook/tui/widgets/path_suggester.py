"""Completing a file path as it is typed, from the folder's listing.

The suggestion appears greyed after the cursor; tab or the right arrow takes it.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterable
from pathlib import Path

from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Input

MAX_ENTRIES = 2000  # a huge folder is not worth listing on every keystroke


def _expand(text: str) -> Path:
    return Path(os.path.expanduser(text))


class TypedPathError(ValueError):
    """A typed path no file can have; str() is the sentence to show."""


def typed_path(text: str) -> Path:
    """The path a person typed, with ~ expanded. Python raises for a NUL and
    for ~name of an unknown user (a typo away from ~/name); both become a
    sentence instead of ending the app."""
    if "\x00" in text:
        raise TypedPathError("A path cannot contain a NUL character; type it again.")
    try:
        return Path(text).expanduser()
    except RuntimeError:
        user = text.split(os.sep, 1)[0]
        raise TypedPathError(f"{user} is not a home folder on this computer; for your own "
                             "home folder type ~/ at the start.") from None


def required_path(text: str, missing: str) -> Path:
    """`typed_path` of a field that must not be left empty; `missing` is the
    sentence for an empty one."""
    if not text.strip():
        raise TypedPathError(missing)
    return typed_path(text.strip())


def complete_path(value: str, suffixes: Iterable[str] = ()) -> str | None:
    """`value` completed from its folder's listing, or None.

    One match gives the whole name (a folder gets a trailing slash); several give
    their common start when it is longer than what was typed, else the first in
    order. Hidden entries are offered only once a dot has been typed."""
    if not value or "\x00" in value:  # no file has a NUL in its path
        return None
    folder_text, _, prefix = value.rpartition(os.sep)
    folder = _expand(folder_text + os.sep) if folder_text or value.startswith(os.sep) else Path(".")
    wanted = tuple(s.lower() for s in suffixes)
    matches: list[tuple[str, bool]] = []
    try:
        with os.scandir(folder) as entries:
            for count, entry in enumerate(entries):
                if count >= MAX_ENTRIES:
                    break
                name = entry.name
                hidden = name.startswith(".") and not prefix.startswith(".")
                if hidden or not name.startswith(prefix):
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    continue
                if is_dir or not wanted or name.lower().endswith(wanted):
                    matches.append((name, is_dir))
    except OSError:
        return None
    if not matches:
        return None
    matches.sort()
    if len(matches) == 1:
        name, is_dir = matches[0]
        completed = name + (os.sep if is_dir else "")
    else:
        common = os.path.commonprefix([name for name, _ in matches])
        completed = common if len(common) > len(prefix) else matches[0][0]
        if completed == matches[0][0] and matches[0][1]:
            completed += os.sep
    head = value[: len(value) - len(prefix)]
    suggestion = head + completed
    return suggestion if suggestion != value else None


class PathSuggester(Suggester):
    """Suggests the typed path completed from the folder listing. Paths are
    case-sensitive and folders change, so nothing is case-folded or cached."""

    def __init__(self, suffixes: Iterable[str] = ()) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.suffixes = tuple(suffixes)

    async def get_suggestion(self, value: str) -> str | None:
        # Listing a folder can be slow (network drives): off the event loop.
        return await asyncio.to_thread(complete_path, value, self.suffixes)


class PathInput(Input):
    """An Input for a path where tab takes the suggestion (and moves on when
    there is none), as in a shell."""

    BINDINGS = [Binding("tab", "complete", "Complete", show=False, id="path.complete")]

    def __init__(self, value: str = "", *, suffixes: Iterable[str] = (), **kwargs) -> None:
        # Arriving in the field keeps the path, ready to be extended.
        kwargs.setdefault("select_on_focus", False)
        super().__init__(value, suggester=PathSuggester(suffixes), **kwargs)

    def on_focus(self) -> None:
        # Input asks for a suggestion only when the value changes (and drops it
        # on focus); a path already there deserves one too.
        self.cursor_position = len(self.value)
        if self.value and self.suggester is not None:
            self.run_worker(self.suggester._get_suggestion(self, self.value))

    def action_complete(self) -> None:
        if self._suggestion and self._suggestion != self.value:
            self.value = self._suggestion
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()
