"""The WhatsApp chat-export reader over every sample in fixtures/whatsapp,
and over variants made in tmp_path: ambiguous dates, localised markers, media
in zips and beside a .txt, cut and damaged files.

Hypothesis examples: 120 for arbitrary bytes, 120 for mutated fixtures, 60
for mutated zips.
"""

from __future__ import annotations

import hashlib
import json
import time
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from case_workbook.importers import whatsapp
from case_workbook.importers.parsed import (
    DayOrder,
    ExportReadError,
    MessageKind,
    NeedsDayOrder,
    ParseResult,
)
from case_workbook.model.items import Channel

CHATMINER = {
    "chatminer_android_ddmmyy_24h.txt": (whatsapp.FORMAT_ANDROID, DayOrder.DAY_FIRST),
    "chatminer_android_mmddyy_24h.txt": (whatsapp.FORMAT_ANDROID, DayOrder.MONTH_FIRST),
    "chatminer_android_mmddyyyy_12h_spanish_ampm.txt": (whatsapp.FORMAT_ANDROID,
                                                         DayOrder.MONTH_FIRST),
    "chatminer_android_yyyymmdd_24h.txt": (whatsapp.FORMAT_ANDROID, None),
    "chatminer_ios_bracket_mmddyy_24h.txt": (whatsapp.FORMAT_IOS, DayOrder.MONTH_FIRST),
}
ALL_FIXTURES = [*CHATMINER, "langchain_ios_12h_lrm_image_omitted.txt",
                "pustur_ios_example_2019_chat.txt", "pustur_ios_example_2019_export.zip",
                "pustur_ios_example_2024_chat.txt"]


def _write(tmp_path: Path, text: str, name: str = "chat.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def _kinds(result: ParseResult) -> list[str]:
    return [m.kind.value for m in result.messages]


def test_every_fixture_is_covered_here(fixtures):
    on_disk = {p.name for p in (fixtures / "whatsapp").iterdir()} - {"chatminer_expected.json"}
    assert on_disk == set(ALL_FIXTURES)


# --- chat-miner's five spellings of the same chat ---------------------------------------

@pytest.mark.parametrize("name", list(CHATMINER))
def test_chatminer_files_match_chatminers_expected_output(fixtures, name):
    folder = fixtures / "whatsapp"
    result = whatsapp.read(folder / name)
    expected_format, expected_order = CHATMINER[name]
    assert result.format == expected_format
    assert result.day_order == expected_order and result.day_order_stated is False
    assert result.clean and result.size == (folder / name).stat().st_size
    assert result.sha256 == hashlib.sha256((folder / name).read_bytes()).hexdigest()
    assert len(result.messages) == 9
    assert [m.record for m in result.messages] == list(range(1, 10))
    assert [m.locator for m in result.messages][:4] == ["line 1", "line 2", "line 3", "line 5"]
    # chat-miner lists authored messages newest first and joins lines with a space.
    expected = json.loads((folder / "chatminer_expected.json").read_text(encoding="utf-8"))
    ours = [m for m in result.messages if m.kind is MessageKind.MESSAGE]
    assert [(m.stamp.local.isoformat(), m.sender, m.text.replace("\n", " ")) for m in ours] \
        == [(e["timestamp"], e["author"], e["message"]) for e in reversed(expected)]
    assert ours[1].text == "Lorem ipsum dolor sit amet,\nconsectetur adipiscing elit. Duis libero."
    assert all(m.stamp.instant is None for m in result.messages) and result.needs_zone
    assert all(m.channel is Channel.MESSENGER and m.from_me is None for m in result.messages)
    assert all(m.chat == "" and not m.attachments for m in result.messages)


@pytest.mark.parametrize("name", list(CHATMINER))
def test_chatminer_system_lines_have_no_sender(fixtures, name):
    result = whatsapp.read(fixtures / "whatsapp" / name)
    system = [m for m in result.messages if m.kind is MessageKind.SYSTEM]
    # `John Doe:.` is not `Author: text`: kept whole, as a system line.
    assert [m.text for m in system] == ["John Doe:.", '+12 345 578 created group "Groupname"',
                                        "You were added"]
    assert all(m.sender == "" for m in system)
    assert system[0].stamp.local == datetime(2019, 1, 20, 11, 23)
    assert system[1].stamp.local == datetime(2020, 6, 20, 0, 8)
    assert set(system[1].recipients) == {"John Doe", "Jahn Doe", "John-John Doe",
                                         "John Doe 🤓", "🤓"}
    assert any("3 system lines" in note for note in result.notes)


def test_chatminer_recipients_are_the_other_authors(fixtures):
    result = whatsapp.read(fixtures / "whatsapp" / "chatminer_android_ddmmyy_24h.txt")
    first = result.messages[0]
    assert first.sender == "John Doe"
    assert first.recipients == ("Jahn Doe", "John-John Doe", "John Doe 🤓", "🤓")
    assert result.participants() == ["John Doe", "Jahn Doe", "John-John Doe", "John Doe 🤓", "🤓"]


def test_stamp_text_is_the_date_and_time_as_written(fixtures):
    folder = fixtures / "whatsapp"
    spanish = whatsapp.read(folder / "chatminer_android_mmddyyyy_12h_spanish_ampm.txt")
    assert [m.stamp.text for m in spanish.messages][:3] == [
        "01/01/2019, 11:25 a. m.", "01/20/2019, 11:23 a. m.", "01/30/2019, 08:49 p. m."]
    assert spanish.messages[2].stamp.local == datetime(2019, 1, 30, 20, 49)
    # The impossible-looking "00:08 a. m." is read as on a 0-11 clock: 00:08.
    assert spanish.messages[4].stamp.text == "06/20/2020, 00:08 a. m."
    assert spanish.messages[4].stamp.local == datetime(2020, 6, 20, 0, 8)
    assert spanish.messages[7].stamp.local == datetime(2021, 12, 20, 12, 10)  # 12:10 p. m.
    bracket = whatsapp.read(folder / "chatminer_ios_bracket_mmddyy_24h.txt")
    assert bracket.messages[0].stamp.text == "01/01/19 11:25"
    year_first = whatsapp.read(folder / "chatminer_android_yyyymmdd_24h.txt")
    assert year_first.messages[-1].stamp.text == "2021/12/30, 22:01"
    assert year_first.messages[-1].stamp.local == datetime(2021, 12, 30, 22, 1)


def test_day_and_month_orders_are_settled_by_the_file_and_said_so(fixtures):
    folder = fixtures / "whatsapp"
    days = whatsapp.read(folder / "chatminer_android_ddmmyy_24h.txt")
    months = whatsapp.read(folder / "chatminer_android_mmddyy_24h.txt")
    assert [m.stamp.local for m in days.messages] == [m.stamp.local for m in months.messages]
    assert days.messages[3].stamp.local == datetime(2020, 6, 10, 15, 55)
    assert any("day-first" in n and "20/01/19" in n for n in days.notes)
    assert any("month-first" in n and "01/20/19" in n for n in months.notes)


# --- the langchain and Pustur iPhone exports ---------------------------------------------

def test_langchain_ios_12_hour_clock_omitted_images_and_encryption_notice(fixtures):
    result = whatsapp.read(fixtures / "whatsapp" / "langchain_ios_12h_lrm_image_omitted.txt")
    assert result.format == whatsapp.FORMAT_IOS and result.clean
    assert len(result.messages) == 12
    notice = result.messages[0]
    assert notice.kind is MessageKind.SYSTEM and notice.sender == ""
    assert notice.text.startswith("Dr. Feather: \u200eMessages and calls are end-to-end "
                                  "encrypted. No one outside")
    assert "Dr. Feather" in notice.details
    assert notice.stamp.text == "8/15/23, 9:12:33 AM"
    assert notice.stamp.local == datetime(2023, 8, 15, 9, 12, 33)
    assert result.messages[-1].stamp.local == datetime(2023, 8, 15, 21, 25, 16)  # 9:25:16 PM
    images = [m for m in result.messages if m.attachments]
    assert [m.record for m in images] == [3, 5, 8]
    for message in images:
        assert message.text == "\u200eimage omitted"  # the mark stays in the evidence
        (attachment,) = message.attachments
        assert attachment.name == "image" and not attachment.available
        assert attachment.note == whatsapp.LEFT_OUT
    assert {m.sender for m in result.messages} == {"", "Dr. Feather", "Jungle Jane"}
    assert result.messages[1].recipients == ("Jungle Jane",)


def test_pustur_2019_multiline_crlf_and_angle_brackets_that_are_not_attachments(fixtures):
    result = whatsapp.read(fixtures / "whatsapp" / "pustur_ios_example_2019_chat.txt")
    assert result.format == whatsapp.FORMAT_IOS and result.clean
    assert result.day_order is DayOrder.DAY_FIRST
    assert len(result.messages) == 100
    assert _kinds(result)[:4] == ["system", "system", "system", "message"]
    assert result.messages[0].text == ("\u200eMessages to this group are now secured with "
                                       "end-to-end encryption.")
    assert result.messages[1].text == "Loris created group “WhatsApp Chat Parser Example”"
    assert not any("\r" in m.text for m in result.messages)
    suggestion = next(m for m in result.messages if m.text.startswith("It was just"))
    assert suggestion.text == ("It was just a suggestion\nIf you want we can change place\n"
                               "Have you ever been to <insert cool place here>?")
    assert suggestion.sender == "Emily" and suggestion.locator == "line 20"
    assert not any(m.attachments for m in result.messages)
    assert {m.sender for m in result.messages} == {"", "Loris", "John", "Emily"}


def test_pustur_2019_zip_reads_its_chat_member_and_hashes_the_zip(fixtures):
    folder = fixtures / "whatsapp"
    zipped = whatsapp.read(folder / "pustur_ios_example_2019_export.zip")
    bare = whatsapp.read(folder / "pustur_ios_example_2019_chat.txt")
    zip_bytes = (folder / "pustur_ios_example_2019_export.zip").read_bytes()
    assert zipped.sha256 == hashlib.sha256(zip_bytes).hexdigest()
    assert zipped.size == len(zip_bytes)
    member_sha = hashlib.sha256((folder / "pustur_ios_example_2019_chat.txt").read_bytes())
    assert zipped.sha256 != member_sha.hexdigest()
    assert any(member_sha.hexdigest() in n and "_chat.txt" in n for n in zipped.notes)
    assert zipped.format == whatsapp.FORMAT_IOS and zipped.clean
    assert [(m.stamp, m.sender, m.text, m.kind) for m in zipped.messages] \
        == [(m.stamp, m.sender, m.text, m.kind) for m in bare.messages]
    assert zipped.messages[3].locator == "line 4 of _chat.txt"
    with zipfile.ZipFile(folder / "pustur_ios_example_2019_export.zip") as archive:
        assert "__MACOSX/.__chat.txt" in archive.namelist()  # there, and not read


def test_pustur_2024_attachments_poll_and_multiline(fixtures):
    result = whatsapp.read(fixtures / "whatsapp" / "pustur_ios_example_2024_chat.txt")
    assert len(result.messages) == 52 and result.clean
    assert _kinds(result)[:5] == ["system"] * 4 + ["message"]
    with_files = [m for m in result.messages if m.attachments]
    assert [m.attachments[0].name for m in with_files] == [
        "00000001-PHOTO-2019-06-20-16-00-15.jpg", "00000002-VIDEO-2019-06-20-16-01-42.mp4",
        "00000003-AUDIO-2019-06-20-16-03-55.mp3", "00000004-whatsapp-chat-parser-example.zip"]
    assert with_files[0].text == "<attached: 00000001-PHOTO-2019-06-20-16-00-15.jpg>"
    assert with_files[0].attachments[0].content_type == "image/jpeg"
    assert all(m.attachments[0].note == whatsapp.NOT_IN_EXPORT
               and not m.attachments[0].available for m in with_files)
    assert any("0 of 4 attached files" in n for n in result.notes)
    poll = next(m for m in result.messages if m.text.startswith("POLL:"))
    assert poll.text == ("POLL:\nWhen can we meet?\nOPTION: Thursday 15 evening (2 votes)\n"
                         "OPTION: Friday 16 afternoon (1 vote)\nOPTION: Friday 16 evening "
                         "(2 votes)\nOPTION: Saturday 17 afternoon (3 votes)\n"
                         "OPTION: Saturday 17 evening (3 votes)")
    assert "When can we meet?" in poll.details and "Friday 16 afternoon (1 vote)" in poll.details
    assert result.messages[-1].text == ("Links:\n- https://github.com/Pustur/whatsapp-chat-parser"
                                        "\n- https://github.com/Pustur/whatsapp-chat-parser-website")


def test_a_bare_txt_finds_media_beside_it(fixtures, tmp_path):
    source = fixtures / "whatsapp" / "pustur_ios_example_2024_chat.txt"
    chat = tmp_path / "_chat.txt"
    chat.write_bytes(source.read_bytes())
    (tmp_path / "00000001-PHOTO-2019-06-20-16-00-15.jpg").write_bytes(b"\xff\xd8photo")
    result = whatsapp.read(chat)
    photo, video = [m.attachments[0] for m in result.messages if m.attachments][:2]
    assert photo.path == tmp_path / "00000001-PHOTO-2019-06-20-16-00-15.jpg"
    assert photo.data is None and photo.available
    assert video.path is None and video.note == whatsapp.NOT_IN_EXPORT
    assert any("1 of 4 attached files" in n for n in result.notes)


def test_a_zip_with_media_names_and_hashes_each_attachment(fixtures, tmp_path):
    chat = (fixtures / "whatsapp" / "pustur_ios_example_2024_chat.txt").read_bytes()
    archive = tmp_path / "WhatsApp Chat - Example.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("_chat.txt", chat)
        out.writestr("00000001-PHOTO-2019-06-20-16-00-15.jpg", b"\xff\xd8 a photo")
        out.writestr("00000003-AUDIO-2019-06-20-16-03-55.mp3", b"ID3 audio" * 100)
        out.writestr("__MACOSX/._00000002-VIDEO-2019-06-20-16-01-42.mp4", b"junk")
    result = whatsapp.read(archive)
    assert {m.chat for m in result.messages} == {"Example"}
    files = {m.attachments[0].name: m.attachments[0] for m in result.messages if m.attachments}
    photo = files["00000001-PHOTO-2019-06-20-16-00-15.jpg"]
    audio = files["00000003-AUDIO-2019-06-20-16-03-55.mp3"]
    assert photo.data is None and photo.member == "00000001-PHOTO-2019-06-20-16-00-15.jpg"
    assert (photo.sha256, photo.size) == (hashlib.sha256(b"\xff\xd8 a photo").hexdigest(), 10)
    assert audio.sha256 == hashlib.sha256(b"ID3 audio" * 100).hexdigest() and audio.available
    assert not files["00000002-VIDEO-2019-06-20-16-01-42.mp4"].available  # only Apple junk
    assert files["00000002-VIDEO-2019-06-20-16-01-42.mp4"].note == whatsapp.NOT_IN_EXPORT
    assert result.sha256 == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert any("2 of 4 attached files" in n for n in result.notes)


def test_an_android_zip_with_file_attached_and_a_caption(tmp_path):
    text = ("23/03/2022, 13:31 - Ann: IMG-20220323-WA0002.jpg (file attached)\n"
            "the caption\n"
            "23/03/2022, 13:32 - Bob: report final.pdf (file attached)\n"
            "23/03/2022, 13:33 - Ann: <Media omitted>\n"
            "23/03/2022, 13:34 - Bob: see notes.pdf (page 3)\n")
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("WhatsApp Chat with Ann.txt", text)
        out.writestr("IMG-20220323-WA0002.jpg", b"jpeg bytes")
    result = whatsapp.read(archive)
    assert result.format == whatsapp.FORMAT_ANDROID
    photo, report, omitted, notes = result.messages
    assert photo.chat == "Ann" and photo.text == ("IMG-20220323-WA0002.jpg (file attached)\n"
                                                  "the caption")
    assert photo.attachments[0].sha256 == hashlib.sha256(b"jpeg bytes").hexdigest()
    assert report.attachments[0].name == "report final.pdf"
    assert report.attachments[0].note == whatsapp.NOT_IN_EXPORT
    assert omitted.attachments[0].name == "media"
    assert omitted.attachments[0].note == whatsapp.LEFT_OUT and omitted.text == "<Media omitted>"
    assert notes.attachments == ()  # a parenthesis after a file name is not a marker


@pytest.mark.parametrize("body, name, omitted", [
    ("<Anhang: 00000035-PHOTO-2022-03-27-21-41-55.jpg>",
     "00000035-PHOTO-2022-03-27-21-41-55.jpg", False),
    ("\u200e<attached: 00000001-AUDIO.opus>", "00000001-AUDIO.opus", False),
    ("IMG-20220323-WA0002.jpg (Datei angehängt)", "IMG-20220323-WA0002.jpg", False),
    ("Bericht.pdf (Datei angehängt)", "Bericht.pdf", False),
    ("<Medien ausgeschlossen>", "media", True),
    ("\u200evideo omitted", "video", True),
    ("\u200eContact card omitted", "contact card", True),
    ("\u200eInvoice.pdf \u2022 \u200e3 pages \u200edocument omitted",
     "Invoice.pdf \u2022 \u200e3 pages", True),
])
def test_media_markers(tmp_path, body, name, omitted):
    path = _write(tmp_path, f"[27.03.22, 21:41:55] Ann: {body}\n")
    (message,) = whatsapp.read(path).messages
    assert message.text == body
    (attachment,) = message.attachments
    assert attachment.name == name
    assert attachment.note == (whatsapp.LEFT_OUT if omitted else whatsapp.NOT_IN_EXPORT)


@pytest.mark.parametrize("body", ["<insert cool event here>", "<note: call me>",
                                  "<attached: ../../etc/passwd.txt>", "image omitted later",
                                  "see notes.pdf (page 3)"])
def test_text_that_is_not_a_media_marker(tmp_path, body):
    path = _write(tmp_path, f"[27.03.22, 21:41:55] Ann: {body}\n")
    (message,) = whatsapp.read(path).messages
    assert message.text == body and message.attachments == ()


# --- dates the file cannot settle ----------------------------------------------------------

AMBIGUOUS = ("03/04/21, 10:00 - Ann: first\n"
             "05/04/21, 11:30 - Bob: second\n"
             "06/04/21, 09:15 - Ann: third\n")


def test_an_ambiguous_file_asks_and_reads_both_ways(tmp_path):
    path = _write(tmp_path, AMBIGUOUS)
    with pytest.raises(NeedsDayOrder) as asked:
        whatsapp.read(path)
    assert asked.value.examples == ["03/04/21", "05/04/21", "06/04/21"]
    assert "chat.txt" in str(asked.value) and "03/04/21" in str(asked.value)
    days = whatsapp.read(path, day_order=DayOrder.DAY_FIRST)
    assert [m.stamp.local for m in days.messages] == [
        datetime(2021, 4, 3, 10, 0), datetime(2021, 4, 5, 11, 30), datetime(2021, 4, 6, 9, 15)]
    assert days.day_order is DayOrder.DAY_FIRST and days.day_order_stated is True
    months = whatsapp.read(path, day_order=DayOrder.MONTH_FIRST)
    assert [m.stamp.local for m in months.messages] == [
        datetime(2021, 3, 4, 10, 0), datetime(2021, 5, 4, 11, 30), datetime(2021, 6, 4, 9, 15)]
    assert months.day_order is DayOrder.MONTH_FIRST and months.day_order_stated is True
    assert any("month-first, as you said" in n for n in months.notes)


def test_dates_that_read_the_same_either_way_need_no_answer(tmp_path):
    path = _write(tmp_path, "01/01/21, 10:00 - Ann: new year\n05/05/21, 11:00 - Bob: may\n")
    result = whatsapp.read(path)
    assert result.day_order is None and result.day_order_stated is False
    assert [m.stamp.local.date().isoformat() for m in result.messages] == ["2021-01-01",
                                                                           "2021-05-05"]


def test_dates_that_contradict_each_other_ask_and_mark_the_impossible_ones(tmp_path):
    path = _write(tmp_path, "20/01/21, 10:00 - Ann: a\n01/20/21, 10:00 - Bob: b\n")
    with pytest.raises(NeedsDayOrder) as asked:
        whatsapp.read(path)
    assert asked.value.examples[:2] == ["20/01/21", "01/20/21"]
    result = whatsapp.read(path, day_order=DayOrder.DAY_FIRST)
    assert result.messages[0].stamp.local == datetime(2021, 1, 20, 10, 0)
    second = result.messages[1]
    assert second.stamp.local is None and second.stamp.text == "01/20/21, 10:00"
    assert "not a possible date" in second.details and second.text == "b"
    assert any("01/20/21" in n and "cannot be read that way" in n for n in result.notes)


def test_a_stated_order_is_used_even_when_the_file_settles_it(fixtures):
    result = whatsapp.read(fixtures / "whatsapp" / "chatminer_android_ddmmyy_24h.txt",
                           day_order=DayOrder.MONTH_FIRST)
    assert result.day_order is DayOrder.MONTH_FIRST and result.day_order_stated is True
    assert result.messages[0].stamp.local == datetime(2019, 1, 1, 11, 25)
    assert result.messages[1].stamp.local is None  # 20/01/19 read month-first


@pytest.mark.parametrize("line, stamp_text, when", [
    ("[3/18/22, 2:56:01\u202fPM] Ann: hi", "3/18/22, 2:56:01\u202fPM",
     datetime(2022, 3, 18, 14, 56, 1)),
    ("[3/18/22, 12:05:00 AM] Ann: hi", "3/18/22, 12:05:00 AM", datetime(2022, 3, 18, 0, 5)),
    ("[3/18/22, 12:05:00 PM] Ann: hi", "3/18/22, 12:05:00 PM", datetime(2022, 3, 18, 12, 5)),
    ("3/18/22, 2:56 p.m. - Ann: hi", "3/18/22, 2:56 p.m.", datetime(2022, 3, 18, 14, 56)),
    ("23.03.22 13:31 - Ann: hi", "23.03.22 13:31", datetime(2022, 3, 23, 13, 31)),
    ("18.3.2022 klo 14.56 - Ann: hi", "18.3.2022 klo 14.56", datetime(2022, 3, 18, 14, 56)),
    ("2022-03-18 14:56 - Ann: hi", "2022-03-18 14:56", datetime(2022, 3, 18, 14, 56)),
    ("[2022-03-18 14:56:01] Ann: hi", "2022-03-18 14:56:01", datetime(2022, 3, 18, 14, 56, 1)),
    ("[18.03.22, 14.56.01] Ann: hi", "18.03.22, 14.56.01", datetime(2022, 3, 18, 14, 56, 1)),
    ("\ufeff\u200e18-03-2022, 14:56 - Ann: hi", "18-03-2022, 14:56",
     datetime(2022, 3, 18, 14, 56)),
])
def test_header_spellings(tmp_path, line, stamp_text, when):
    (message,) = whatsapp.read(_write(tmp_path, line + "\n")).messages
    assert message.stamp.text == stamp_text and message.stamp.local == when
    assert message.sender == "Ann" and message.text == "hi"


def test_an_hour_past_twelve_with_a_marker_is_kept_without_a_time(tmp_path):
    result = whatsapp.read(_write(tmp_path, "[3/18/22, 13:05:00 PM] Ann: hi\n"))
    (message,) = result.messages
    assert message.stamp.local is None and message.stamp.text == "3/18/22, 13:05:00 PM"
    assert any("1 message has a date or time" in n for n in result.notes)


# --- line endings, marks, stray lines --------------------------------------------------------

def test_crlf_lf_bom_and_direction_marks(tmp_path):
    raw = ("\ufeff[01.02.21, 10:00:00] Ann: one\r\n"
           "\u200e[13.02.21, 10:01:00] Bob: two\r\n"
           "still two\n"
           "\u200f[13.02.21, 10:02:00] Ann: \u200eimage omitted\r\n"
           "  indented tail \r\n")
    path = tmp_path / "mixed.txt"
    path.write_bytes(raw.encode("utf-8"))
    result = whatsapp.read(path)
    assert [m.text for m in result.messages] == ["one", "two\nstill two",
                                                 "\u200eimage omitted\n  indented tail "]
    assert [m.locator for m in result.messages] == ["line 1", "line 2", "line 4"]


def test_a_utf16_export_is_read_and_said(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_bytes("[13.02.21, 10:00:00] Ann: hé\r\n".encode("utf-16"))
    result = whatsapp.read(path)
    assert result.messages[0].text == "hé"
    assert any("UTF-16" in n for n in result.notes)


def test_lines_before_the_first_header_are_reported(tmp_path):
    path = _write(tmp_path, "some preamble\n\nmore of it\n[13.02.21, 10:00:00] Ann: hi\n")
    result = whatsapp.read(path)
    assert len(result.messages) == 1 and result.messages[0].locator == "line 4"
    (skipped,) = result.skipped
    assert skipped.locator == "lines 1–3" and "before the first message" in skipped.reason
    assert not result.truncated


def test_a_line_in_the_other_familys_shape_is_message_text(tmp_path):
    path = _write(tmp_path, "[13.02.21, 10:00:00] Ann: pasted:\n13/02/21, 09:00 - Bob: old\n")
    (message,) = whatsapp.read(path).messages
    assert message.text == "pasted:\n13/02/21, 09:00 - Bob: old"


@pytest.mark.parametrize("text", ["", "hello\nthere\n", "\n\n\n", "[not a date] x: y\n",
                                  "<?xml version='1.0'?><smses/>"])
def test_a_file_with_no_header_is_refused_in_one_sentence(tmp_path, text):
    with pytest.raises(ExportReadError) as refused:
        whatsapp.read(_write(tmp_path, text, "notes.txt"))
    assert str(refused.value) == ("notes.txt does not look like a WhatsApp chat export (no line "
                                  "starts with a date and time as WhatsApp writes them).")


def test_a_file_cut_inside_a_header_is_truncated(fixtures, tmp_path):
    data = (fixtures / "whatsapp" / "pustur_ios_example_2024_chat.txt").read_bytes()
    cut_at = data.index(b"[20.06.19, 16:44:45]") + len(b"[20.06.19, 16:4")
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:cut_at])
    result = whatsapp.read(path)
    assert result.truncated and not result.clean
    assert result.messages[-1].text == "Well I guess that's it"
    (skipped,) = result.skipped
    assert "part way through a message header" in skipped.reason and "16:4" in skipped.reason


def test_a_file_cut_inside_a_character_keeps_utf8(fixtures, tmp_path):
    data = (fixtures / "whatsapp" / "pustur_ios_example_2024_chat.txt").read_bytes()
    cut_at = data.index("👋".encode()) + 2
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:cut_at])
    result = whatsapp.read(path)
    assert result.truncated and result.messages[-1].text == "Hey "
    assert result.messages[1].text == "Loris created group “WhatsApp Chat Parser Example”"
    assert "part way through a character" in result.skipped[0].reason
    assert not any("Windows-1252" in n for n in result.notes)


def test_a_file_cut_inside_a_message_body_reads_what_is_there(fixtures, tmp_path):
    data = (fixtures / "whatsapp" / "pustur_ios_example_2019_chat.txt").read_bytes()
    path = tmp_path / "cut.txt"
    path.write_bytes(data[: len(data) // 2])
    result = whatsapp.read(path)
    assert 40 < len(result.messages) < 60
    assert all(m.stamp.local is not None for m in result.messages)


def test_damaged_and_unsuitable_zips(fixtures, tmp_path):
    data = (fixtures / "whatsapp" / "pustur_ios_example_2019_export.zip").read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ExportReadError, match="cut.zip is not a zip file that can be read"):
        whatsapp.read(cut)
    other = tmp_path / "photos.zip"
    with zipfile.ZipFile(other, "w") as out:
        out.writestr("IMG_0001.jpg", b"jpeg")
        out.writestr("__MACOSX/._chat.txt", b"junk")
    with pytest.raises(ExportReadError, match="photos.zip holds no WhatsApp chat"):
        whatsapp.read(other)
    assert whatsapp.looks_like(other, other.read_bytes()[:65536]) is False


def test_missing_paths_and_folders_are_one_sentence(tmp_path):
    with pytest.raises(ExportReadError):
        whatsapp.read(tmp_path / "absent.txt")
    with pytest.raises(ExportReadError, match="is a folder"):
        whatsapp.read(tmp_path)


# --- detection ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_looks_like_every_whatsapp_fixture(fixtures, name):
    path = fixtures / "whatsapp" / name
    assert whatsapp.looks_like(path, path.read_bytes()[:65536]) is True


def test_looks_like_refuses_other_formats(fixtures, tmp_path):
    others = [p for p in fixtures.rglob("*") if p.is_file() and p.parent.name != "whatsapp"]
    assert len(others) > 20
    for path in others:
        assert whatsapp.looks_like(path, path.read_bytes()[:65536]) is False, path.name
    assert whatsapp.looks_like(tmp_path / "absent.zip", b"PK\x03\x04junk") is False
    md = _write(tmp_path, "[2022-03-18 14:56:01] Me: hi  \n", "chat.md")
    assert whatsapp.looks_like(md, md.read_bytes()) is False


# --- robustness and speed ------------------------------------------------------------------------

def _must_not_crash(path: Path) -> None:
    try:
        result = whatsapp.read(path)
    except NeedsDayOrder:
        for order in DayOrder:
            assert isinstance(whatsapp.read(path, day_order=order), ParseResult)
        return
    except ExportReadError as error:
        assert "\n" not in str(error) and "Traceback" not in str(error)
        return
    assert isinstance(result, ParseResult)
    assert [m.record for m in result.messages] == list(range(1, len(result.messages) + 1))


_FUZZ = settings(max_examples=120, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])


@_FUZZ
@given(data=st.binary(max_size=600))
def test_arbitrary_bytes_never_raise_anything_else(tmp_path, data):
    path = tmp_path / "any.txt"
    path.write_bytes(data)
    _must_not_crash(path)


@_FUZZ
@given(choice=st.sampled_from(ALL_FIXTURES[:-2] + ALL_FIXTURES[-1:]), data=st.data())
def test_mutated_fixtures_never_raise_anything_else(fixtures, tmp_path, choice, data):
    raw = bytearray((fixtures / "whatsapp" / choice).read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    raw = raw[: data.draw(st.integers(0, len(raw)))]
    path = tmp_path / "mutated.txt"
    path.write_bytes(bytes(raw))
    _must_not_crash(path)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_zips_never_raise_anything_else(fixtures, tmp_path, data):
    raw = bytearray((fixtures / "whatsapp" / "pustur_ios_example_2019_export.zip").read_bytes())
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    path = tmp_path / "mutated.zip"
    path.write_bytes(bytes(raw))
    assert whatsapp.looks_like(path, bytes(raw[:65536])) in (True, False)
    _must_not_crash(path)


def test_fifty_thousand_messages_parse_quickly(tmp_path):
    lines = []
    for i in range(50_000):
        lines.append(f"[{1 + i % 28:02}.{1 + i // 28 % 12:02}.21, {i % 24:02}:{i % 60:02}:"
                     f"{i % 60:02}] Person {i % 9}: message {i}: with a colon and more words")
        if i % 10 == 0:
            lines.append("a continuation line, " * 4)
    path = tmp_path / "big.txt"
    path.write_text("\r\n".join(lines), encoding="utf-8")
    started = time.perf_counter()
    result = whatsapp.read(path)
    elapsed = time.perf_counter() - started
    print(f"50,000 WhatsApp messages read in {elapsed:.2f} s")
    assert len(result.messages) == 50_000 and result.clean
    assert result.messages[10].text.startswith("message 10: with") and "\n" in \
        result.messages[10].text
    assert elapsed < 10  # a sanity bound; it takes well under 2 s


def test_a_hostile_long_line_is_read_quickly(tmp_path):
    text = ("[1/1/20, 10:00:00] a: b\n" + "1" * 200_000 + "\n" + "[1/1/1/1/" * 40_000 + "\n"
            + "<a: " + "x." * 100_000 + "\n" + "1.1.1 " * 50_000 + "\n")
    started = time.perf_counter()
    result = whatsapp.read(_write(tmp_path, text))
    assert time.perf_counter() - started < 2
    assert len(result.messages) == 1 and result.messages[0].attachments == ()


def test_a_utf16_export_cut_inside_a_character(tmp_path):
    data = "[13.02.21, 10:00:00] Ann: hé\r\n[13.02.21, 10:00:01] Bob: 🙂".encode("utf-16")
    path = tmp_path / "chat.txt"
    path.write_bytes(data[:-1])
    result = whatsapp.read(path)
    assert result.truncated and [m.text for m in result.messages] == ["hé", ""]
    assert result.skipped[0].locator == "line 2"


def test_a_bad_byte_near_the_end_is_not_taken_for_a_cut(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_bytes("[13.02.21, 10:00:00] Ann: hé".encode("cp1252") + b"\xff!")
    result = whatsapp.read(path)
    assert not result.truncated and result.messages[0].text == "hé\u00ff!"
    assert any("Windows-1252" in n for n in result.notes)


def test_looks_like_wants_a_header_among_the_first_lines(tmp_path):
    late = _write(tmp_path, "From: someone\nTo: x\nSubject: y\nDate: z\n\nhi\n"
                  "[13.02.21, 10:00:00] Ann: quoted chat\n")
    assert whatsapp.looks_like(late, late.read_bytes()) is False
    early = _write(tmp_path, "\n\n\u200e[13.02.21, 10:00:00] Ann: hi\n", "early.txt")
    assert whatsapp.looks_like(early, early.read_bytes()) is True
