"""Every key binding the app defines has an id (so keys can be remapped)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.binding import Binding

import case_workbook.tui as tui


def _own_bindings():
    found = []
    for info in pkgutil.walk_packages(tui.__path__, "case_workbook.tui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                found += [(cls.__name__, b) for b in cls.__dict__.get("BINDINGS", [])]
    return found


def test_every_binding_of_ours_has_an_id():
    bindings = _own_bindings()
    assert len(bindings) > 40  # the walk really found the screens
    without = [(owner, b) for owner, b in bindings if not isinstance(b, Binding) or not b.id]
    assert without == []


def test_binding_ids_are_unique_within_a_class():
    per_class: dict[str, list[str]] = {}
    for owner, binding in _own_bindings():
        per_class.setdefault(owner, []).append(binding.id)
    for owner, ids in per_class.items():
        assert len(ids) == len(set(ids)), owner
