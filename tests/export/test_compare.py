"""Comparing a returned sheet with what was sent, on rows made by hand."""

from __future__ import annotations

from datetime import datetime, timedelta

from case_workbook.export.workbook.compare import Block, compare_sheet

BLOCK = Block(("Id", "Count", "Text", "When", "Counsel notes"), ("Id",))
HEADER = BLOCK.titles
SENT = [HEADER,
        ("A-1", 1, "one", datetime(2026, 1, 2, 3, 4, 5), None),
        ("A-2", 2, "two", datetime(2026, 1, 3), "sent note")]


def test_untouched_rows_give_nothing():
    diff = compare_sheet("S", SENT, list(SENT), [BLOCK])
    assert diff.changes == [] and diff.notes == []


def test_what_looks_equal_in_python_but_not_on_a_sheet_is_listed():
    back = [HEADER,
            ("A-1", True, "one", datetime(2026, 1, 2, 3, 4, 5), None),  # 1 became TRUE
            ("A-2", 2.0, "two", datetime(2026, 1, 3) + timedelta(microseconds=300), "sent note")]
    diff = compare_sheet("S", SENT, back, [BLOCK])
    # 2 -> 2.0 and a fraction of a millisecond are how a spreadsheet stores them, not edits.
    assert [(c.cell, c.old, c.new) for c in diff.changes] == [("B2", "1", "TRUE")]


def test_a_changed_text_and_a_note_are_told_apart():
    back = [HEADER,
            ("A-2", 2, "two", datetime(2026, 1, 3), "new note"),  # sorted differently
            ("A-1", 1, "ONE", datetime(2026, 1, 2, 3, 4, 5), None)]
    diff = compare_sheet("S", SENT, back, [BLOCK])
    assert [(c.cell, c.old, c.new) for c in diff.changes] == [("C3", "one", "ONE")]
    assert [(n.cell, n.key, n.old, n.new) for n in diff.notes] == [
        ("E2", ("A-2",), "sent note", "new note")]


def test_a_moved_column_is_still_compared_by_its_header():
    order = (0, 2, 1, 3, 4)
    back = [tuple(row[i] for i in order) for row in SENT]
    back[1] = ("A-1", "one", 5, datetime(2026, 1, 2, 3, 4, 5), None)
    diff = compare_sheet("S", SENT, back, [BLOCK])
    assert [(c.cell, c.old, c.new) for c in diff.changes] == [("C2", "1", "5")]


def test_rows_outside_tables_are_compared_by_position():
    # 1 -> 1.0 is how a spreadsheet stores it; 1 -> TRUE is an edit, though True == 1.
    sent = [("Title",), (), ("Plotted at", 1, 0.5, datetime(2026, 1, 2, 3, 4))]
    same = [("Title", None, None, None), (None,) * 4, ("Plotted at", 1.0, 0.5,
                                                        datetime(2026, 1, 2, 3, 4))]
    assert compare_sheet("S", sent, same, []).changes == []
    back = [("Title", None, None, "added"), (None,) * 4, ("Plotted at", True, 0.5,
                                                         datetime(2026, 1, 2, 3, 4))]
    diff = compare_sheet("S", sent, back, [])
    assert [(c.cell, c.old, c.new) for c in diff.changes] == [("D1", "", "added"),
                                                              ("B3", "1", "TRUE")]
