"""Text that tries to become a formula, markup, an escape or a broken cell."""

HOSTILE = ["=SUM(A1)", " =1+1", "+1 555", "-- x", "@here", "#N/A", "\x00\x07\x1b",
           "_x001B_ literal", "a\rb\r\nc\td", "<b>&amp;</b>", "👨‍👩‍👧", "שלום",
           "=HYPERLINK(\"http://x\")", "\t=1", "-1", "1e5", "TRUE", "2026-03-14"]
LONG = ("The quick brown fox, 👨‍👩‍👧 שלום =1+1. " * 1100)[:40_000]
