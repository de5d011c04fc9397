"""Text safety rules of the workbook (export/workbook/cells.py)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from case_workbook.export.workbook.cells import (
    CELL_LIMIT,
    decode_cell_text,
    encode_cell_text,
    join_cell_text,
    split_cell_text,
)

HOSTILE = ["=SUM(A1)", " =1+1", "+1 555", "-- x", "@here", "#N/A", "\x00\x07\x1b",
           "_x001B_ literal", "_x005F_", "_xabcd_x", "a\rb\r\nc", "\ufffe\uffff", "\ud800 lone",
           "👨‍👩‍👧", "שלום", "<b>&amp;</b>", "x" * 40_000]


def test_escape_examples():
    assert encode_cell_text("a\x1bb") == "a_x001B_b"
    assert encode_cell_text("_x001B_") == "_x005F_x001B_"
    assert encode_cell_text("=SUM(A1)") == "=SUM(A1)"
    assert encode_cell_text("plain_x text") == "plain_x text"


def test_hostile_strings_round_trip():
    for text in HOSTILE:
        assert decode_cell_text(encode_cell_text(text)) == text
        assert join_cell_text(split_cell_text(text)) == text


def test_no_xml_illegal_characters_remain():
    import re
    illegal = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
    for text in HOSTILE:
        assert not illegal.search(encode_cell_text(text))


def test_long_text_is_split_into_cell_sized_pieces():
    text = ("👨‍👩‍👧 \x1b" * 20_000)
    pieces = split_cell_text(text)
    assert len(pieces) > 1
    assert all(len(p.encode("utf-16-le")) // 2 <= CELL_LIMIT for p in pieces)
    assert join_cell_text(pieces) == text
    # Each piece is cut between escapes, so it decodes on its own too.
    assert "".join(decode_cell_text(p) for p in pieces) == text


@given(st.text(alphabet=st.sampled_from(list("_x0123456789aAfFgG\x1b\r\n\x00 ")) | st.characters()))
def test_encode_decode_inverse(text):
    assert decode_cell_text(encode_cell_text(text)) == text


@given(st.text(alphabet=st.sampled_from(list("_x01Bf\x1b")), max_size=60),
       st.integers(min_value=7, max_value=20))
def test_split_join_inverse(text, limit):
    pieces = split_cell_text(text, limit)
    assert all(len(p) <= limit for p in pieces)
    assert join_cell_text(pieces) == text


def _greedy_tokens(encoded: str, limit: int) -> list[str]:
    """The rule as stated: whole tokens (an escape or one character), as many
    as fit in each piece."""
    pieces, current, size = [], "", 0
    for token in re.findall("_x[0-9A-Fa-f]{4}_|.", encoded, re.DOTALL):
        units = len(token.encode("utf-16-le")) // 2
        if size + units > limit:
            pieces, current, size = pieces + [current], "", 0
        current, size = current + token, size + units
    return pieces + [current] if current else pieces


@given(st.text(alphabet=st.sampled_from(list("_x05FB1\x1b\r")) | st.characters(max_codepoint=0xFFFF),
               max_size=200),
       st.integers(min_value=7, max_value=40))
def test_split_cuts_where_the_rule_says(text, limit):
    # Long text without characters beyond U+FFFF is cut by position; same pieces.
    assert split_cell_text(text, limit) == (_greedy_tokens(encode_cell_text(text), limit)
                                            if len(encode_cell_text(text)) > limit // 2
                                            else [encode_cell_text(text)] if text else [])
    # Each piece decodes on its own: no cut falls inside an escape.
    assert "".join(decode_cell_text(p) for p in split_cell_text(text, limit)) == text
