"""Telegram Desktop JSON exports: every fixture, and built exports for what
the fixtures lack (service lines, calls, edits, replies, files, hostile
input). Hypothesis: 150 examples in all."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from case_workbook.importers import telegram
from case_workbook.importers.parsed import ExportReadError, MessageKind, ParseResult
from case_workbook.model.items import Channel


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def head(path: Path) -> bytes:
    return path.read_bytes()[:65536]


def write(tmp_path: Path, data: object, name: str = "result.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# --- the fixtures -----------------------------------------------------------------------


def test_langchain_one_chat_export(fixtures):
    path = fixtures / "telegram" / "langchain_result.json"
    result = telegram.read(path)
    assert result.format == "Telegram Desktop export (one chat)"
    assert result.clean and result.size == path.stat().st_size
    assert [m.record for m in result.messages] == [1, 2, 3, 4]
    assert [m.locator for m in result.messages][:2] == [
        "chat 'Jimmeny', message id 1", "chat 'Jimmeny', message id 2"]
    assert [m.stamp.instant for m in result.messages] == [
        utc(2023, 8, 23, 20, 11, 23), utc(2023, 8, 23, 20, 13, 20),
        utc(2023, 8, 23, 20, 15, 35), utc(2023, 8, 23, 20, 15, 53)]
    assert [m.stamp.text for m in result.messages][0] == "2023-08-23T13:11:23"
    assert not result.needs_zone
    assert [m.sender for m in result.messages] == [
        "Jimmeny Marvelton", "Batman & Robin", "Jimmeny Marvelton", "Jimmeny Marvelton"]
    assert [m.text for m in result.messages] == [
        "i refuse to converse with you", "Hi nemesis", "we meet again",
        "you will not trick me this time"]
    first, second = result.messages[:2]
    assert first.recipients == ("Batman & Robin",)
    assert second.recipients == ("Jimmeny Marvelton",)
    assert {m.chat for m in result.messages} == {"Jimmeny"}
    assert {m.channel for m in result.messages} == {Channel.MESSENGER}
    assert {m.kind for m in result.messages} == {MessageKind.MESSAGE}
    assert all(m.from_me is None for m in result.messages)
    assert any("does not say which messages" in n for n in result.notes)


@pytest.mark.parametrize("name,format_name", [
    ("chatminer_single_export.json", "Telegram Desktop export (one chat)"),
    ("chatminer_batch_export.json", "Telegram Desktop export (whole account)")])
def test_chatminer_exports_match_its_expected_times_and_authors(fixtures, name, format_name):
    expected = json.loads((fixtures / "telegram" / "chatminer_expected.json").read_text())
    result = telegram.read(fixtures / "telegram" / name)
    assert result.format == format_name and result.clean
    assert len(result.messages) == len(expected) == 2
    for message, wanted in zip(result.messages, expected, strict=True):
        assert message.stamp.instant == datetime.fromisoformat(wanted["timestamp"]).replace(
            tzinfo=UTC)
        assert message.stamp.text == str(int(message.stamp.instant.timestamp()))
        assert message.sender == wanted["author"]
    assert result.messages[0].text == "Minimal Message"
    # The entity parts are joined as written ("Link:" + the link); chat-miner puts a
    # space between them, which is not in the file.
    assert result.messages[1].text == "Link:https://telegram.org/"
    assert expected[1]["message"] == "Link: https://telegram.org/"
    assert result.messages[0].recipients == ("Author 2",)
    assert result.messages[1].recipients == ("Author 1",)
    if "batch" in name:
        assert result.messages[0].locator == "chat 'Chatname', message 1"
        assert {m.chat for m in result.messages} == {"Chatname"}
    else:
        assert result.messages[0].locator == "message 1"


def test_older_export_with_integer_ids_keeps_the_misencoded_names_verbatim(fixtures):
    result = telegram.read(fixtures / "telegram" / "langchain_personal_chat_mojibake.json")
    assert len(result.messages) == 3 and result.clean
    assert [m.stamp.local for m in result.messages] == [
        datetime(2020, 1, 1, 0, 0, 2), datetime(2020, 1, 1, 0, 0, 4), datetime(2020, 1, 1, 0, 0, 5)]
    assert all(m.stamp.instant is None for m in result.messages)
    assert result.needs_zone
    assert any("time zone" in n for n in result.notes)
    assert result.messages[2].sender == "Grace \u00f0\u0178\u00a7\u00a4 \u00f0\u0178\u008d\u2019"
    assert result.messages[0].chat == "Grace \u00f0\u0178\u00a7\u00a4"
    assert result.messages[0].recipients == (result.messages[2].sender,)
    assert result.messages[2].recipients == ("Henry",)
    assert result.messages[0].locator == "chat 'Grace \u00f0\u0178\u00a7\u00a4', message id 1980499"


def test_api_scraped_list_is_refused_in_one_sentence(fixtures):
    path = fixtures / "telegram" / "langchain_telethon_channel_list.json"
    assert telegram.looks_like(path, head(path))  # claimed, so the sentence below is shown
    with pytest.raises(ExportReadError) as caught:
        telegram.read(path)
    message = str(caught.value)
    assert "not a Telegram Desktop export" in message and "Export chat history" in message
    assert message.endswith(".") and ". " not in message and "\n" not in message


def test_html_export_is_not_taken_for_json(fixtures):
    path = fixtures / "telegram" / "langchain_messages.html"
    assert not telegram.looks_like(path, head(path))
    assert telegram.is_telegram_html(head(path))
    with pytest.raises(ExportReadError, match="HTML export.*JSON"):
        telegram.read(path)


def test_detection_over_every_fixture(fixtures):
    claimed = {p.name for p in (fixtures / "telegram").iterdir()
               if telegram.looks_like(p, head(p))}
    assert claimed == {"chatminer_batch_export.json", "chatminer_single_export.json",
                       "langchain_personal_chat_mojibake.json", "langchain_result.json",
                       "langchain_telethon_channel_list.json"}
    for other in ("instagram/chatminer_instagram_export.json",
                  "facebook_messenger/langchain_facebook_chat.json"):
        assert not telegram.looks_like(fixtures / other, head(fixtures / other))
    assert not telegram.looks_like(Path("x.json"), b"")
    assert not telegram.is_telegram_html(head(fixtures / "telegram" / "langchain_result.json"))


# --- a whole-account export built here -------------------------------------------------------


def message(ident: int, **fields: object) -> dict:
    base = {"id": ident, "type": "message", "date": "2024-03-01T10:00:00",
            "date_unixtime": str(1709287200 + ident)}
    base.update(fields)
    return base


def account_export(tmp_path: Path) -> Path:
    (tmp_path / "chats" / "chat_01" / "photos").mkdir(parents=True)
    (tmp_path / "chats" / "chat_01" / "photos" / "photo_1.jpg").write_bytes(b"jpeg")
    (tmp_path / "outside.txt").write_text("not part of the export")
    alice = [
        message(1, **{"from": "Alice", "from_id": "user42", "text": "line one\nline two",
                      "text_entities": [{"type": "plain", "text": "line one\nline two"}]}),
        message(2, **{"from": "Me Myself", "from_id": "user7", "text": [
            "see ", {"type": "link", "text": "https://x.example"}, " ok"],
            "reply_to_message_id": 1, "edited": "2024-03-01T10:05:00",
            "edited_unixtime": "1709287500"}),
        message(3, **{"from": "Alice", "from_id": "user42", "text": "",
                      "photo": "chats/chat_01/photos/photo_1.jpg", "width": 10, "height": 10}),
        message(4, **{"from": "Alice", "from_id": "user42", "text": "",
                      "file": "(File not included. Change data exporting settings to download.)",
                      "file_name": "contract.pdf", "mime_type": "application/pdf",
                      "media_type": "voice_message", "duration_seconds": 12}),
        message(5, **{"from": "Alice", "from_id": "user42", "text": "",
                      "file": "../../outside.txt"}),
        message(6, **{"from": "Alice", "from_id": "user42", "text": "", "file": "/etc/passwd"}),
        message(7, **{"from": "Alice", "from_id": "user42", "text": "",
                      "file": "chats/chat_01/files/missing.mp4"}),
        {"id": 8, "type": "service", "date": "2024-03-01T11:00:00",
         "date_unixtime": "1709290800", "actor": "Alice", "actor_id": "user42",
         "action": "phone_call", "duration_seconds": 65, "discard_reason": "hangup", "text": ""},
        {"id": 9, "type": "service", "date": "2024-03-01T11:01:00",
         "date_unixtime": "1709290860", "actor": "Me Myself", "actor_id": "user7",
         "action": "phone_call", "discard_reason": "missed", "text": ""},
        {"id": 10, "type": "unsupported", "date": "2024-03-01T11:02:00",
         "date_unixtime": "1709290920"},
    ]
    group = [
        {"id": 20, "type": "service", "date": "2024-03-02T09:00:00",
         "date_unixtime": "1709370000", "actor": "Bob", "actor_id": "user55",
         "action": "create_group", "title": "Plans", "members": ["Bob", "Carol", None],
         "text": ""},
        message(21, **{"from": None, "from_id": "user66", "text": "who am I",
                       "forwarded_from": "Dave", "via_bot": "@helper",
                       "poll": {"question": "When?", "closed": True, "total_voters": 3,
                                "answers": [{"text": "Mon", "voters": 2, "chosen": False},
                                            {"text": "Tue", "voters": 1, "chosen": True}]}}),
        message(22, **{"from": "Carol", "from_id": "user77", "text": "",
                       "location_information": {"latitude": 1.5, "longitude": -2.25},
                       "sticker_emoji": "\U0001f600",
                       "reactions": [{"type": "emoji", "count": 2, "emoji": "\u2764",
                                      "recent": [{"from": "Bob", "from_id": "user55"}]}]}),
        {"id": 23, "type": "service", "date": "2024-03-02T09:05:00",
         "date_unixtime": "1709370300", "actor": "Bob", "actor_id": "user55",
         "action": "pin_message", "message_id": 21, "text": ""},
    ]
    data = {
        "about": "Here is the data you requested.",
        "personal_information": {"user_id": 7, "first_name": "Me", "last_name": "Myself"},
        "chats": {"about": "chats", "list": [
            {"name": "Alice", "type": "personal_chat", "id": 42, "messages": alice},
            {"name": "Plans", "type": "private_group", "id": 99, "messages": group},
            {"type": "saved_messages", "id": 7, "messages": [
                message(30, **{"from": "Me Myself", "from_id": "user7", "text": "note"})]},
            "not a chat",
        ]},
        "left_chats": {"about": "left", "list": [
            {"name": "Old channel", "type": "public_channel", "id": 5, "messages": [
                message(40, **{"from": "Old channel", "from_id": "channel5", "text": "news",
                               "author": "Editor"})]}]},
    }
    return write(tmp_path, data)


@pytest.fixture
def account(tmp_path) -> ParseResult:
    path = account_export(tmp_path)
    assert telegram.looks_like(path, head(path))
    return telegram.read(path)


def by_id(result: ParseResult, ident: int):
    [found] = [m for m in result.messages if m.locator.endswith(f"message id {ident}")]
    return found


def test_whole_account_reads_every_chat_in_file_order(account):
    assert account.format == "Telegram Desktop export (whole account)"
    assert len(account.messages) == 16
    assert [m.record for m in account.messages] == list(range(1, 17))
    assert [m.chat for m in account.messages] == (
        ["Alice"] * 10 + ["Plans"] * 4 + ["Saved Messages", "Old channel"])
    assert [s.locator for s in account.skipped] == ["chats entry 4"]
    assert by_id(account, 1).text == "line one\nline two"
    assert by_id(account, 1).stamp.instant == utc(2024, 3, 1, 10, 0, 1)
    assert by_id(account, 1).stamp.text == "2024-03-01T10:00:00"


def test_owner_is_marked_from_their_user_id(account):
    assert by_id(account, 1).from_me is False
    assert by_id(account, 2).from_me is True
    assert by_id(account, 9).from_me is True  # a call the owner made, from actor_id
    assert by_id(account, 40).from_me is False  # a channel is never the owner
    assert any("user id 7" in n for n in account.notes)


def test_owner_matches_older_bare_integer_ids(tmp_path):
    path = write(tmp_path, {"personal_information": {"user_id": 4325636679},
                            "chats": {"list": [{"name": "G", "type": "personal_chat", "messages": [
                                message(1, **{"from": "Henry", "from_id": 4325636679}),
                                message(2, **{"from": "Grace", "from_id": 4720225552}),
                                message(3, **{"from": "Henry"})]}]}})
    assert [m.from_me for m in telegram.read(path).messages] == [True, False, None]


def test_recipients_are_the_other_people_of_the_chat(account):
    assert by_id(account, 1).recipients == ("Me Myself",)
    assert by_id(account, 2).recipients == ("Alice",)
    assert by_id(account, 20).recipients == ("user66", "Carol")
    assert by_id(account, 21).sender == "user66"  # `from` null: its id names them
    assert by_id(account, 30).recipients == ()
    assert by_id(account, 40).recipients == ()


def test_entities_reply_edit_forward_poll_place_reaction(account):
    reply = by_id(account, 2)
    assert reply.text == "see https://x.example ok"
    assert "reply to message 1" in reply.details
    assert "edited at 2024-03-01T10:05:00 (2024-03-01 10:05:00 UTC)" in reply.details
    poll = by_id(account, 21)
    assert "forwarded from Dave" in poll.details and "sent via @helper" in poll.details
    assert ("poll 'When?', answers 'Mon' 2 votes, 'Tue' 1 votes (chosen), 3 voters, closed"
            in poll.details)
    place = by_id(account, 22)
    assert "location: latitude 1.5, longitude -2.25" in place.details
    assert "sticker emoji \U0001f600" in place.details
    assert "reactions: \u2764 2 by Bob" in place.details
    assert by_id(account, 40).details == "signed by Editor"


def test_service_lines_calls_and_unsupported(account):
    created = by_id(account, 20)
    assert created.kind == MessageKind.SYSTEM and created.sender == "Bob"
    assert created.text == "create_group: title 'Plans', members Bob, Carol, (no name)"
    assert by_id(account, 23).text == "pin_message: message id 21"
    call = by_id(account, 8)
    assert (call.kind, call.channel, call.sender) == (MessageKind.CALL, Channel.CALL, "Alice")
    assert call.details == "phone call; lasted 65 seconds; ended: hangup"
    assert by_id(account, 9).details == "phone call; ended: missed"
    odd = by_id(account, 10)
    assert (odd.kind, odd.text, odd.sender) == (MessageKind.SYSTEM, "", "")
    assert odd.details == "a message Telegram could not export"
    assert any("Phone calls are listed as calls: 2." == n for n in account.notes)
    assert any(n.startswith("Service lines (create_group, pin_message)") for n in account.notes)


def test_attachments_found_missing_not_included_and_escaping(account, tmp_path):
    [photo] = by_id(account, 3).attachments
    assert photo.path == tmp_path / "chats" / "chat_01" / "photos" / "photo_1.jpg"
    assert photo.path.read_bytes() == b"jpeg" and photo.content_type == "image/jpeg"
    [left_out] = by_id(account, 4).attachments
    assert left_out.name == "contract.pdf" and left_out.path is None
    assert left_out.note == "(File not included. Change data exporting settings to download.)"
    assert left_out.content_type == "application/pdf"
    assert "voice message" in by_id(account, 4).details
    assert "duration 12 seconds" in by_id(account, 4).details
    for ident in (5, 6):
        [escaping] = by_id(account, ident).attachments
        assert escaping.path is None and "points outside the export" in escaping.note
    [missing] = by_id(account, 7).attachments
    assert (missing.name, missing.note) == ("missing.mp4", "not found beside the export")


def test_a_link_inside_the_export_that_leads_out_is_not_followed(tmp_path):
    (tmp_path / "export").mkdir()
    (tmp_path / "secret.txt").write_text("private")
    (tmp_path / "export" / "photos").symlink_to(tmp_path)
    path = write(tmp_path / "export", {"name": "A", "type": "personal_chat", "messages": [
        message(1, **{"from": "A", "from_id": "user1", "photo": "photos/secret.txt"})]})
    [attachment] = telegram.read(path).messages[0].attachments
    assert attachment.path is None and attachment.note == "not found beside the export"


# --- hostile and broken files ---------------------------------------------------------------


def test_hex_escapes_telegram_writes_are_read_and_noted(tmp_path):
    path = tmp_path / "result.json"
    path.write_text('{"name": "A", "type": "personal_chat", "messages": [{"id": 1, '
                    '"type": "message", "date_unixtime": "1700000000", "from": "A", '
                    '"text": "bell\\x07 and \\\\x41 kept"}]}', encoding="utf-8")
    result = telegram.read(path)
    assert result.messages[0].text == "bell\x07 and \\x41 kept"
    assert any("\\xNN" in note and note.endswith("those characters: 1.")
               for note in result.notes)


def test_truncated_export_is_one_sentence_at_every_cut(fixtures, tmp_path):
    data = (fixtures / "telegram" / "langchain_result.json").read_bytes()
    path = tmp_path / "result.json"
    for cut in range(1, len(data.rstrip()) - 1, 7):
        path.write_bytes(data[:cut])
        with pytest.raises(ExportReadError) as caught:
            telegram.read(path)
        assert str(caught.value) == (
            "result.json ends part way through (it was cut off, perhaps while copying), and "
            "JSON cannot be read in part; export it again."), cut


def test_broken_middle_names_the_place(fixtures, tmp_path):
    data = (fixtures / "telegram" / "langchain_result.json").read_text()
    path = tmp_path / "result.json"
    path.write_text(data.replace('"id": 2,', '"id": 2,,'))
    with pytest.raises(ExportReadError, match=r"not valid JSON \(it goes wrong at line 22, "
                                              r"column 12\), so it was not read\.$"):
        telegram.read(path)


@pytest.mark.parametrize("content,words", [
    (b"", "is empty"), (b"   \n", "is empty"), (b"42", "not a Telegram Desktop export"),
    (b'{"name": "x"}', "no messages or chats"), (b"\xff\xfe\x00\x00garbage", "was not read"),
    (b'[1, 2]', "not a Telegram Desktop export")])
def test_files_that_are_not_exports(tmp_path, content, words):
    path = tmp_path / "result.json"
    path.write_bytes(content)
    with pytest.raises(ExportReadError, match=words):
        telegram.read(path)


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(ExportReadError, match="is a folder"):
        telegram.read(tmp_path)


def test_ten_thousand_deep_nesting_is_refused_quickly(tmp_path):
    path = tmp_path / "result.json"
    path.write_text('{"messages": ' + "[" * 10_000 + "]" * 10_000 + "}")
    started = time.perf_counter()
    with pytest.raises(ExportReadError, match="more than 200 levels deep"):
        telegram.read(path)
    assert time.perf_counter() - started < 1


def test_huge_integers_are_kept_as_written(tmp_path):
    digits = "9" * 5000
    path = tmp_path / "result.json"
    path.write_text('{"messages": [{"id": 1, "type": "message", "date_unixtime": ' + digits
                    + ', "from": null, "from_id": ' + digits + ', "text": "x"}]}')
    [only] = telegram.read(path).messages
    assert only.sender == digits and only.text == "x"
    assert only.stamp.instant is None and only.stamp.text == digits


def test_half_surrogate_escapes_become_replacement_characters(tmp_path):
    path = tmp_path / "result.json"
    path.write_text('{"messages": [{"type": "message", "date_unixtime": "1", "from": "A", '
                    '"text": "x\\ud800y \\ud83d\\ude00"}]}')
    result = telegram.read(path)
    assert result.messages[0].text == "x\ufffdy \U0001f600"
    assert any("\ufffd" in note for note in result.notes)


def test_odd_values_where_records_belong(tmp_path):
    path = write(tmp_path, {"name": "A", "type": "private_group", "messages": [
        "text", 5, {"id": 3, "type": "message", "date": "not a date", "from": 12,
                    "from_id": True, "text": [1, None, {"text": 3}, "kept"],
                    "photo": 17, "poll": "x", "reactions": [1], "date_unixtime": "-"}]})
    result = telegram.read(path)
    assert [s.locator for s in result.skipped] == ["chat 'A', message 1", "chat 'A', message 2"]
    [only] = result.messages
    assert (only.record, only.text, only.sender, only.stamp.text) == (3, "kept", "", "not a date")
    assert only.stamp.instant is None and only.stamp.local is None


def test_fifty_thousand_messages_in_a_couple_of_seconds(tmp_path):
    messages = [message(n, **{"from": f"Person {n % 40}", "from_id": f"user{n % 40}",
                              "text": ["hello ", {"type": "bold", "text": f"number {n}"}],
                              "text_entities": [{"type": "plain", "text": "hello "},
                                                {"type": "bold", "text": f"number {n}"}]})
                for n in range(50_000)]
    path = write(tmp_path, {"name": "Big", "type": "private_supergroup", "id": 1,
                            "messages": messages})
    started = time.perf_counter()
    result = telegram.read(path)
    elapsed = time.perf_counter() - started
    print(f"50,000 Telegram messages ({path.stat().st_size:,} bytes) read in {elapsed:.2f} s")
    assert len(result.messages) == 50_000 and result.messages[-1].text == "hello number 49999"
    assert len(result.messages[0].recipients) == 39
    assert elapsed < 6


# --- nothing but ExportReadError escapes ----------------------------------------------------


def read_or_refuse(path: Path) -> None:
    try:
        result = telegram.read(path)
    except ExportReadError as error:
        assert str(error) and "Traceback" not in str(error)
        return
    assert isinstance(result, ParseResult)


@settings(max_examples=60)
@given(content=st.binary(max_size=300))
def test_arbitrary_bytes(tmp_path, content):
    path = tmp_path / "result.json"
    path.write_bytes(content)
    read_or_refuse(path)


@settings(max_examples=90)
@given(data=st.data())
def test_mutated_fixtures(fixtures, tmp_path, data):
    name = data.draw(st.sampled_from(["langchain_result.json", "chatminer_batch_export.json",
                                      "langchain_personal_chat_mojibake.json"]))
    original = bytearray((fixtures / "telegram" / name).read_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(original) - 1))
        original[at:at + data.draw(st.integers(0, 3))] = data.draw(st.binary(max_size=3))
        if not original:
            break
    path = tmp_path / name
    path.write_bytes(bytes(original))
    read_or_refuse(path)
