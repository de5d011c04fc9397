"""The Signal text-export reader (signal-export's markdown style) over the
chat-miner sample and over variants made in tmp_path.

Hypothesis examples: 120 for arbitrary bytes, 80 for mutated fixtures.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from case_workbook.importers import signal_text, whatsapp
from case_workbook.importers.parsed import DayOrder, ExportReadError, MessageKind, ParseResult
from case_workbook.model.items import Channel


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def test_every_fixture_is_covered_here(fixtures):
    assert {p.name for p in (fixtures / "signal").iterdir()} == {
        "chatminer_signal_export.txt", "chatminer_signal_expected.json"}


def test_chatminer_export_matches_chatminers_expected_output(fixtures):
    path = fixtures / "signal" / "chatminer_signal_export.txt"
    result = signal_text.read(path)
    assert result.format == "Signal chat export (signal-export text)" and result.clean
    assert result.sha256 == hashlib.sha256(path.read_bytes()).hexdigest() and result.size == 84
    expected = json.loads((fixtures / "signal" / "chatminer_signal_expected.json")
                          .read_text(encoding="utf-8"))
    # chat-miner lists newest first and joins a message's lines with a space.
    assert [(m.stamp.local.isoformat(), m.sender, m.text.replace("\n", " "))
            for m in result.messages] == [(e["timestamp"], e["author"], e["message"])
                                          for e in reversed(expected)]
    jane, john = result.messages
    assert john.text == "Hello\nJane!" and john.locator == "line 2" and john.record == 2
    assert jane.stamp.text == "2019-12-24, 12:23" and jane.stamp.instant is None
    assert jane.recipients == ("John Doe",) and john.recipients == ("Jane Doe",)
    assert all(m.from_me is None and m.channel is Channel.MESSENGER and m.chat == ""
               and m.kind is MessageKind.MESSAGE and not m.attachments
               for m in result.messages)
    assert result.needs_zone and result.day_order is None


def test_day_order_is_accepted_and_ignored(fixtures):
    path = fixtures / "signal" / "chatminer_signal_export.txt"
    stated = signal_text.read(path, day_order=DayOrder.MONTH_FIRST)
    assert [m.stamp for m in stated.messages] == [m.stamp for m in signal_text.read(path).messages]


def test_detection(fixtures, tmp_path):
    path = fixtures / "signal" / "chatminer_signal_export.txt"
    assert signal_text.looks_like(path, path.read_bytes()) is True
    assert whatsapp.looks_like(path, path.read_bytes()) is False  # the dispatcher asks it first
    for other in (fixtures / "whatsapp").iterdir():
        assert signal_text.looks_like(other, other.read_bytes()[:65536]) is False, other.name
    newer = _write(tmp_path / "Ann" / "chat.md", "[2024-01-02 10:11:12] Me: hi  \n")
    assert signal_text.looks_like(newer, newer.read_bytes()) is True
    as_txt = _write(tmp_path / "chat.txt", "[2024-01-02 10:11:12] Me: hi  \n")
    assert signal_text.looks_like(as_txt, as_txt.read_bytes()) is False  # could be WhatsApp


NEWER = ("[2024-01-02 10:11:12] Me: Here is the photo  \n"
         "![photo one.jpg](./media/photo%20one.jpg)  \n"
         "[2024-01-02 10:12:00] Ann Smith: [report.pdf](./media/report.pdf)  \n"
         "[2024-01-02 10:13:00] Ann Smith: see [the site](https://example.org/a) and "
         "[x](../../../etc/passwd)  \n"
         "[2024-01-02 10:14:00] Me: [🙂](../exported_stickers/pack1/7.webp)  \n"
         "[2024-01-02 10:15:00] Me: Missed voice call  \n"
         "[2024-01-02 10:16:00] Ann Smith: (This message was deleted)\n"
         "[2024-01-02 10:17:00] Ann Smith: \n\n> earlier words\n\nmy answer  \n"
         "(- Me: 👍 -)\n")


def test_a_newer_export_with_media_me_calls_and_quotes(tmp_path):
    chat = _write(tmp_path / "export" / "Ann Smith" / "chat.md", NEWER)
    (tmp_path / "export" / "Ann Smith" / "media").mkdir()
    (tmp_path / "export" / "Ann Smith" / "media" / "photo one.jpg").write_bytes(b"jpeg")
    sticker = tmp_path / "export" / "exported_stickers" / "pack1" / "7.webp"
    sticker.parent.mkdir(parents=True)
    sticker.write_bytes(b"webp")
    result = signal_text.read(chat)
    assert len(result.messages) == 7 and result.clean
    photo, report, links, sticker_message, call, deleted, quote = result.messages
    assert photo.stamp.local == datetime(2024, 1, 2, 10, 11, 12)
    assert photo.stamp.text == "2024-01-02 10:11:12"
    assert photo.text == "Here is the photo  \n![photo one.jpg](./media/photo%20one.jpg)  "
    assert photo.attachments[0].name == "photo one.jpg"
    assert photo.attachments[0].path == chat.parent / "media" / "photo one.jpg"
    assert photo.attachments[0].content_type == "image/jpeg"
    assert report.attachments[0].path is None
    assert report.attachments[0].note == "not included in the export"
    (outside,) = links.attachments  # the web link is not a file
    assert outside.name == "x" and outside.path is None and "outside" in outside.note
    assert sticker_message.attachments[0].path == sticker.parent / "7.webp"
    assert call.kind is MessageKind.CALL and "call" in call.details
    assert "deleted" in deleted.details and deleted.kind is MessageKind.MESSAGE
    assert quote.text == "\n\n> earlier words\n\nmy answer  \n(- Me: 👍 -)"
    assert "quotes" in quote.details and "Reactions" in quote.details
    assert [m.from_me for m in result.messages] == [True, False, False, True, True, False,
                                                    False]
    assert {m.chat for m in result.messages} == {"Ann Smith"}
    assert photo.recipients == ("Ann Smith",) and report.recipients == ("Me",)
    assert any("“Me”" in n for n in result.notes)


def test_a_link_escaping_through_a_symlink_is_refused(tmp_path):
    secret = _write(tmp_path / "secret.txt", "private")
    chat = _write(tmp_path / "export" / "chat.md",
                  "[2024-01-02 10:11:12] Ann: [s](./media/s.txt)  \n")
    (chat.parent / "media").mkdir()
    (chat.parent / "media" / "s.txt").symlink_to(secret)
    (attachment,) = signal_text.read(chat).messages[0].attachments
    assert attachment.path is None and "outside" in attachment.note


def test_system_lines_impossible_dates_and_preamble(tmp_path):
    path = _write(tmp_path / "chat.txt", "exported by a tool\n"
                  "[2020-02-30, 10:00] Ann: leap?\n"
                  "[2020-03-01, 10:00] Group name changed\n")
    result = signal_text.read(path)
    bad, system = result.messages
    assert bad.stamp.local is None and bad.stamp.text == "2020-02-30, 10:00"
    assert "not a possible date" in bad.details
    assert system.kind is MessageKind.SYSTEM and system.sender == ""
    assert system.text == "Group name changed" and system.recipients == ("Ann",)
    assert [s.locator for s in result.skipped] == ["line 1"]


def test_a_file_cut_inside_a_stamp_is_truncated(fixtures, tmp_path):
    data = (fixtures / "signal" / "chatminer_signal_export.txt").read_bytes()
    path = tmp_path / "cut.txt"
    path.write_bytes(data + b"[2020-01-1")
    result = signal_text.read(path)
    assert result.truncated and result.messages[-1].text == "Hello\nJane!"
    assert "part way through" in result.skipped[0].reason


@pytest.mark.parametrize("text", ["", "Hello\n", "[2020/01/01, 10:00] A: b\n",
                                  "01/01/20, 10:00 - A: b\n"])
def test_a_file_with_no_stamp_is_refused_in_one_sentence(tmp_path, text):
    with pytest.raises(ExportReadError, match="does not look like a Signal chat export"):
        signal_text.read(_write(tmp_path / "x.txt", text))


def _must_not_crash(path: Path) -> None:
    try:
        result = signal_text.read(path)
    except ExportReadError as error:
        assert "\n" not in str(error)
        return
    assert isinstance(result, ParseResult)


_FUZZ = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@settings(max_examples=120, **_FUZZ)
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_never_raise_anything_else(tmp_path, data):
    path = tmp_path / "any.md"
    path.write_bytes(data)
    _must_not_crash(path)


@settings(max_examples=80, **_FUZZ)
@given(data=st.data())
def test_mutated_exports_never_raise_anything_else(tmp_path, data):
    raw = bytearray(NEWER.encode("utf-8"))
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    path = tmp_path / "chat.md"
    path.write_bytes(bytes(raw[: data.draw(st.integers(0, len(raw)))]))
    _must_not_crash(path)
