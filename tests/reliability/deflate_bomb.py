"""Deflate streams that inflate to gigabytes, written in milliseconds.

Compressing gigabytes with zlib would take the test seconds to minutes. A
deflate stream can instead be written by hand: the first copy of a repeating
unit as literals, then "copy 258 bytes from `len(unit)` back" again and
again, all in one block with the fixed Huffman codes of RFC 1951. Every eight
copies take a whole number of bytes, so once the bit position is on a byte
boundary those bytes simply repeat. The hostile-file corpus uses this for zip
bombs and for a bomb inside a workbook's hidden case data.
"""

from __future__ import annotations

import zlib

MATCH = 258  # the longest copy deflate has

# (first length, extra bits) of length symbols 257..285, and of distance codes 0..29
_LENGTHS = [(3, 0), (4, 0), (5, 0), (6, 0), (7, 0), (8, 0), (9, 0), (10, 0), (11, 1), (13, 1),
            (15, 1), (17, 1), (19, 2), (23, 2), (27, 2), (31, 2), (35, 3), (43, 3), (51, 3),
            (59, 3), (67, 4), (83, 4), (99, 4), (115, 4), (131, 5), (163, 5), (195, 5),
            (227, 5), (258, 0)]
_DISTANCES = [(1, 0), (2, 0), (3, 0), (4, 0), (5, 1), (7, 1), (9, 2), (13, 2), (17, 3), (25, 3),
              (33, 4), (49, 4), (65, 5), (97, 5), (129, 6), (193, 6), (257, 7), (385, 7),
              (513, 8), (769, 8), (1025, 9), (1537, 9), (2049, 10), (3073, 10), (4097, 11),
              (6145, 11), (8193, 12), (12289, 12), (16385, 13), (24577, 13)]


class _Bits:
    """Bits packed as deflate wants: least significant first; Huffman codes
    go in most significant bit first."""

    def __init__(self) -> None:
        self.value, self.count = 0, 0

    def put(self, value: int, width: int) -> None:
        self.value |= value << self.count
        self.count += width

    def code(self, code: int, width: int) -> None:
        self.put(int(f"{code:0{width}b}"[::-1], 2), width)

    def symbol(self, symbol: int) -> None:
        if symbol < 144:
            self.code(0x30 + symbol, 8)
        elif symbol < 256:
            self.code(0x190 + symbol - 144, 9)
        elif symbol < 280:
            self.code(symbol - 256, 7)
        else:
            self.code(0xC0 + symbol - 280, 8)

    def copy(self, length: int, distance: int) -> None:
        index = max(i for i, (first, _) in enumerate(_LENGTHS) if first <= length)
        first, extra = _LENGTHS[index]
        self.symbol(257 + index)
        self.put(length - first, extra)
        index = max(i for i, (first, _) in enumerate(_DISTANCES) if first <= distance)
        first, extra = _DISTANCES[index]
        self.code(index, 5)
        self.put(distance - first, extra)

    def take_bytes(self) -> bytes:
        """The whole bytes written so far (the count must be a multiple of 8)."""
        assert self.count % 8 == 0
        out = self.value.to_bytes(self.count // 8, "little")
        self.value, self.count = 0, 0
        return out


def deflate_repeating(unit: bytes, total: int, head: bytes = b"", tail: bytes = b"") -> bytes:
    """A raw deflate stream of `head`, then `unit` repeated up to `total`
    bytes, then `tail`. The unit must be 1 to 32,768 bytes long."""
    assert 0 < len(unit) <= 32768 and total >= len(unit)
    bits = _Bits()
    bits.put(1, 1)  # the last block
    bits.put(1, 2)  # fixed Huffman codes
    for byte in head + unit:
        bits.symbol(byte)
    left = total - len(unit)
    out: list[bytes] = []
    # Copies until the position is whole bytes (at most 8 copies or none at all).
    for _ in range(8):
        if bits.count % 8 == 0 or left < MATCH:
            break
        bits.copy(MATCH, len(unit))
        left -= MATCH
    if bits.count % 8 and left > 1 << 20:
        # A copy of an even number of bits never reaches a whole byte: the unit's
        # length must be 1-4, 9-16, 33-64, 129-256, ... (its distance code then
        # has an even number of extra bits).
        raise ValueError("this unit length makes no repeating bytes; choose another")
    if bits.count % 8 == 0 and left >= 8 * MATCH:
        out.append(bits.take_bytes())
        group = _Bits()
        for _ in range(8):
            group.copy(MATCH, len(unit))
        groups = left // (8 * MATCH)
        out.append(group.take_bytes() * groups)
        left -= groups * 8 * MATCH
    while left >= MATCH:
        bits.copy(MATCH, len(unit))
        left -= MATCH
    if left >= 3:
        bits.copy(left, len(unit))
    else:  # one or two bytes: as literals, where the unit's repetition has got to
        done = total - left
        for n in range(left):
            bits.symbol(unit[(done + n) % len(unit)])
    for byte in tail:
        bits.symbol(byte)
    bits.symbol(256)  # end of block
    bits.put(0, -bits.count % 8)
    out.append(bits.take_bytes())
    return b"".join(out)


def zlib_zeros(total: int) -> bytes:
    """A zlib stream (header, deflate, Adler-32) of `total` zero bytes."""
    adler = (total % 65521) << 16 | 1  # Adler-32 of zeros: A stays 1, B counts them
    return b"\x78\x01" + deflate_repeating(b"\0", total) + adler.to_bytes(4, "big")


def crc32_repeating(unit: bytes, total: int, head: bytes = b"", tail: bytes = b"") -> int:
    """CRC-32 of what `deflate_repeating` gives, computed a block at a time."""
    crc = zlib.crc32(head)
    block = unit * max(1, (1 << 22) // len(unit))
    left = total
    while left >= len(block):
        crc = zlib.crc32(block, crc)
        left -= len(block)
    crc = zlib.crc32((unit * (left // len(unit) + 1))[:left], crc)
    return zlib.crc32(tail, crc)
