"""What the fuzz tests share: how --long multiplies the examples, the text
that tries hardest to break things, and what a one-sentence refusal is."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Each test file states its examples per target; `pytest --long` multiplies them.
LONG_FACTOR = 10


def examples(request, count: int):
    """Hypothesis settings with `count` examples, ten times as many with --long."""
    if request.config.getoption("--long"):
        count *= LONG_FACTOR
    return settings(max_examples=count, deadline=None, derandomize=False,
                    suppress_health_check=list(HealthCheck))


# Characters that break naive code: markup, formula starts, controls, NUL,
# direction marks, combining marks, emoji with joiners, a lone surrogate is
# left out (no Python str that came from a terminal or a file holds one).
NASTY_PIECES = ["[bold]", "[/]", "[/bold]", "[link=x]", "[@click=app.quit]", "[", "]", "\\[",
                "=1+1", "=HYPERLINK(\"x\")", "+1", "-1", "@x", "\x00", "\x07", "\x1b[31m", "\r",
                "\n", "\t", "\u200f", "\u202e", "\u2066", "\ufeff", "\u0301", "👨‍👩‍👧", "🙂",
                "שלום", "٣", "２０２６", "_x000D_", "&amp;", "<b>", "%s", "{0}", "{fields}",
                "\\", "'", '"', "..", "~", "NaN", "1e999", "9" * 40]

nasty_text = st.lists(
    st.one_of(st.sampled_from(NASTY_PIECES),
              st.text(st.characters(exclude_categories=("Cs",)), max_size=12)),
    max_size=8).map("".join)

# Python's own words, which a person must never be shown.
_PYTHON_WORDS = re.compile(r"Traceback|Error\b|Exception|pydantic|\bNone\b|<class|File \"|"
                           r"line \d+, in ")


def assert_one_sentence(message: str, *, typed: tuple[str, ...] = ()) -> None:
    """One line of text that ends as a sentence does, with no Python in it
    (what the person typed, echoed back, may say anything)."""
    assert message, "an empty message"
    assert "\n" not in message.strip(), f"more than one line: {message!r}"
    assert message.strip()[-1] in ".?", f"not a sentence: {message!r}"
    own = message
    for text in sorted(typed, key=len, reverse=True):
        if text:  # as typed, or with its control characters escaped
            own = own.replace(text, "").replace(repr(text)[1:-1], "")
    assert not _PYTHON_WORDS.search(own), f"Python leaks into: {message!r}"


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())
