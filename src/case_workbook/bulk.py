"""Bulk work — reading every item of a case, writing or reading a workbook —
allocates millions of small objects that are freed in order by reference
counting. Python's cyclic garbage collector, triggered by allocations, would
meanwhile walk every live object again and again: at 50,000 items that was a
third of the time to open a case and a sixth of reading a workbook back. None
of this work makes reference cycles, so the collector is paused while it runs.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (nested blocks are
    fine: only the outermost one switches it back on)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def hold_collector() -> None:
    """Pause the collector until `settle_long_lived` (or `release_long_lived`)
    — for work that spans several steps of an event loop, such as opening a
    case on screen. What earlier work left behind (a case just closed) is
    collected first, so that it is not settled along with the new case."""
    gc.collect()
    gc.disable()


def settle_long_lived() -> None:
    """After loading what stays for the whole session (an open case's index
    and its lists): move every object alive now out of the collector's way,
    so that later collections walk only what is made afterwards, and let the
    collector run again."""
    gc.freeze()
    gc.enable()


def release_long_lived() -> None:
    """When what was settled is let go (the case is closed), or the work that
    held the collector ends before settling: the objects are the collector's
    again, so that any cycles among them can be freed, and it runs again."""
    gc.unfreeze()
    gc.enable()
