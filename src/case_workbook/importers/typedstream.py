"""The plain text inside an `attributedBody`: an NSAttributedString that
macOS Messages archives in Apple's old "typedstream" format.

Only the string is wanted, not the formatting. In the archive the string
object comes first: the class name `NSString`, then a type code `+` (raw
bytes) and a length, then that many bytes of UTF-8. This reads exactly
that and checks each step; anything else gives None, never an exception.
"""

from __future__ import annotations

import struct

HEADER = b"\x04\x0bstreamtyped"  # version 4, then the 11-byte signature
STRING_CLASS = b"NSString"
BYTES_TYPE = b"\x84\x01+"  # a new one-character type string: "+", raw bytes
CLASS_TAIL = 16  # the class's version and references between the name and the type code

# lengths: one byte below 0x80, else a tag saying a wider little-endian integer follows
INT16_TAG, INT32_TAG = 0x81, 0x82


def _length(blob: bytes, position: int) -> tuple[int, int] | None:
    """A typedstream integer at `position`: (value, where the bytes after it start)."""
    if position >= len(blob):
        return None
    tag = blob[position]
    if tag < 0x80:
        return tag, position + 1
    if tag == INT16_TAG and position + 3 <= len(blob):
        return struct.unpack_from("<h", blob, position + 1)[0], position + 3
    if tag == INT32_TAG and position + 5 <= len(blob):
        return struct.unpack_from("<i", blob, position + 1)[0], position + 5
    return None


def attributed_text(blob: object) -> str | None:
    """The text of an archived NSAttributedString, or None when `blob` is
    not one this can read (another archive format, damaged, not UTF-8)."""
    if not isinstance(blob, bytes) or not blob.startswith(HEADER):
        return None
    marker = blob.find(STRING_CLASS, len(HEADER))
    if marker < 0:
        return None
    after_name = marker + len(STRING_CLASS)
    type_code = blob.find(BYTES_TYPE, after_name, after_name + CLASS_TAIL)
    if type_code < 0:
        return None
    found = _length(blob, type_code + len(BYTES_TYPE))
    if found is None:
        return None
    length, start = found
    if length < 0 or start + length > len(blob):
        return None
    try:
        return blob[start:start + length].decode("utf-8")
    except UnicodeDecodeError:
        return None
