"""Helpers the TUI tests share."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input


def own_home(tmp_path: Path, monkeypatch, *folders: str) -> Path:
    """A home folder of our own (with `folders` inside): the default save
    place and the file tree."""
    home = tmp_path / "home"
    home.mkdir()
    for name in folders:
        (home / name).mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    return home


async def replace_text(pilot, widget: Input, text: str) -> None:
    """Clear the field with keys, then paste (long paths key by key are slow)."""
    widget.focus()
    await pilot.pause()
    await pilot.press("home", "ctrl+k")
    widget.insert_text_at_cursor(text)
    await pilot.pause()
