"""Instagram and Messenger message files from Meta's download: both
fixtures, and built threads for double-encoded text, media in an export
tree, calls, unsent messages and broken files. Hypothesis: 150 examples."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from case_workbook.importers import meta_json
from case_workbook.importers.parsed import ExportReadError, MessageKind, ParseResult
from case_workbook.model.items import Channel


def head(path: Path) -> bytes:
    return path.read_bytes()[:65536]


def double_encoded(text: str) -> str:
    """How Meta writes text: each UTF-8 byte as its own character."""
    return text.encode("utf-8").decode("latin-1")


def write(folder: Path, data: object, name: str = "message_1.json") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    # ensure_ascii: the \u00XX escapes exactly as Meta writes them
    path.write_text(json.dumps(data, ensure_ascii=True), encoding="utf-8")
    return path


# --- the fixtures -----------------------------------------------------------------------


def test_instagram_fixture_matches_chatminer_expected(fixtures):
    path = fixtures / "instagram" / "chatminer_instagram_export.json"
    expected = json.loads((fixtures / "instagram" / "chatminer_instagram_expected.json")
                          .read_text())
    assert meta_json.looks_like(path, head(path))
    result = meta_json.read(path)
    assert result.format == "Instagram messages (Meta download)" and result.clean
    assert len(result.messages) == len(expected) == 2
    for message, wanted in zip(result.messages, expected, strict=True):
        assert message.stamp.instant == datetime.fromisoformat(wanted["timestamp"]).replace(
            tzinfo=UTC)
        assert (message.sender, message.text) == (wanted["author"], wanted["message"])
    assert [m.stamp.text for m in result.messages] == ["1579294140000", "1577186580000"]
    assert [m.record for m in result.messages] == [1, 2]  # file order: newest first
    assert [m.locator for m in result.messages] == ["message 1", "message 2"]
    assert {m.channel for m in result.messages} == {Channel.SOCIAL_MEDIA}
    assert [m.recipients for m in result.messages] == [("Jane Doe",), ("John Doe",)]
    assert all(m.from_me is None for m in result.messages)
    assert any("names no participants" in n for n in result.notes)


def test_messenger_fixture(fixtures):
    path = fixtures / "facebook_messenger" / "langchain_facebook_chat.json"
    assert meta_json.looks_like(path, head(path))
    result = meta_json.read(path)
    assert result.format == "Facebook Messenger messages (Meta download)"
    assert result.sha256 == "e04d72af021fdc2a" + result.sha256[16:]
    assert len(result.messages) == 11 and result.clean
    first, last = result.messages[0], result.messages[-1]
    assert (first.sender, first.text) == ("User 2", "Bye!")
    assert first.stamp.instant == datetime(2023, 2, 5, 11, 46, 11, 851000, tzinfo=UTC)
    assert last.text.startswith("Hi! Im interested in your bag.")
    assert last.stamp.instant == datetime(2023, 2, 4, 22, 17, 2, 673000, tzinfo=UTC)
    assert {m.chat for m in result.messages} == {"User 1 and User 2 chat"}
    assert {m.channel for m in result.messages} == {Channel.MESSENGER}
    assert first.recipients == ("User 1",) and last.recipients == ("User 2",)
    photo_message = result.messages[6]
    assert photo_message.text == ""
    [photo] = photo_message.attachments
    assert (photo.name, photo.path, photo.note) == (
        "url_of_some_picture.jpg", None, "not found beside the export")
    assert photo.content_type == "image/jpeg"
    assert any("Not found beside the export: 1 attached file." == n for n in result.notes)


def test_detection(fixtures):
    assert not meta_json.looks_like(Path("x"), b"")
    for name in ("langchain_result.json", "chatminer_batch_export.json",
                 "langchain_telethon_channel_list.json", "langchain_messages.html"):
        path = fixtures / "telegram" / name
        assert not meta_json.looks_like(path, head(path))
    assert meta_json.looks_like(Path("m.json"), b'\xef\xbb\xbf {"participants": [], '
                                                b'"messages": [{"timestamp_ms": 1}]}')


# --- built threads --------------------------------------------------------------------------


def test_double_encoded_strings_are_read_back(tmp_path):
    thread = {
        "participants": [{"name": double_encoded("J\u00fcrgen")}, {"name": "Ann"}],
        "title": double_encoded("Caf\u00e9 \u2615"),
        "messages": [
            {"sender_name": double_encoded("J\u00fcrgen"), "timestamp_ms": 1700000000000,
             "content": double_encoded("Gr\u00fc\u00dfe \u2764\nsecond line"),
             "reactions": [{"reaction": double_encoded("\u2764"), "actor": "Ann"}]},
            # Not a valid double encoding: kept as written.
            {"sender_name": "Ann", "timestamp_ms": 1700000001000, "content": "\u00e4 alone"},
            {"sender_name": "Ann", "timestamp_ms": 1700000002000, "content": "real \u2764"},
        ]}
    result = meta_json.read(write(tmp_path / "thread", thread))
    first, second, third = result.messages
    assert first.sender == "J\u00fcrgen" and first.chat == "Caf\u00e9 \u2615"
    assert first.text == "Gr\u00fc\u00dfe \u2764\nsecond line"
    assert first.details == "reactions: \u2764 by Ann"
    assert first.recipients == ("Ann",) and second.recipients == ("J\u00fcrgen",)
    assert second.text == "\u00e4 alone" and third.text == "real \u2764"
    assert any(n.startswith("5 names and texts were stored by Meta") for n in result.notes)
    assert result.format == "Meta (Instagram or Messenger) messages"
    assert {m.channel for m in result.messages} == {Channel.MESSENGER}


def instagram_tree(root: Path) -> Path:
    thread = root / "your_instagram_activity" / "messages" / "inbox" / "alice_123"
    (thread / "photos").mkdir(parents=True)
    (thread / "photos" / "1.jpg").write_bytes(b"photo one")
    (root / "secret.txt").write_text("private")
    prefix = "your_instagram_activity/messages/inbox/alice_123"
    return write(thread, {
        "participants": [{"name": "Alice"}, {"name": "Me"}],
        "title": "Alice", "thread_path": "inbox/alice_123",
        "messages": [
            {"sender_name": "Alice", "timestamp_ms": 1700000300000,
             "photos": [{"uri": f"{prefix}/photos/1.jpg", "creation_timestamp": 1700000300},
                        {"uri": f"{prefix}/photos/2.jpg", "creation_timestamp": 1700000300}]},
            {"sender_name": "Me", "timestamp_ms": 1700000200000, "is_unsent": True},
            {"sender_name": "Alice", "timestamp_ms": 1700000100000,
             "content": "Alice started an audio call", "type": "Call", "call_duration": 75},
            {"sender_name": "Alice", "timestamp_ms": 1700000050000, "content": "",
             "share": {"link": "https://example.org/p/1", "share_text": "look"},
             "videos": [{"uri": "../../../../secret.txt"}, {"uri": "/etc/hostname"},
                        {"uri": "https://cdn.example/v.mp4"},
                        {"uri": "secret.txt"}]},
            {"sender_name": "Me", "timestamp_ms": 1700000000000, "type": "Subscribe",
             "content": "Me added Bob to the group.", "users": [{"name": "Bob"}]},
            "junk",
        ]})


def test_instagram_tree_media_unsent_calls(tmp_path):
    path = instagram_tree(tmp_path / "instagram-me-2024")
    result = meta_json.read(path)
    assert result.format == "Instagram messages (Meta download)"
    assert {m.channel for m in result.messages if m.kind != MessageKind.CALL} == {
        Channel.SOCIAL_MEDIA}
    found, missing = result.messages[0].attachments
    assert found.path is not None and found.path.read_bytes() == b"photo one"
    assert found.path.resolve() == (path.parent / "photos" / "1.jpg").resolve()
    assert (missing.name, missing.path, missing.note) == (
        "2.jpg", None, "not found beside the export")
    unsent = result.messages[1]
    assert (unsent.text, unsent.details) == ("", "unsent by the sender")
    call = result.messages[2]
    assert (call.kind, call.channel) == (MessageKind.CALL, Channel.CALL)
    assert call.details == "call, lasted 75 seconds"
    assert call.text == "Alice started an audio call"
    shared = result.messages[3]
    assert shared.details == "shared link https://example.org/p/1; shared text: look"
    escaping, absolute, web, beside_root = shared.attachments
    assert "points outside the export" in escaping.note and escaping.path is None
    assert "points outside the export" in absolute.note and absolute.path is None
    assert web.note == "a web address (https://cdn.example/v.mp4), not a file in the export"
    # secret.txt is in a folder above the export's root that is not on the JSON's path
    assert beside_root.path is None
    joined = result.messages[4]
    assert joined.kind == MessageKind.SYSTEM
    assert joined.details == "joined the conversation: Bob"
    assert [s.locator for s in result.skipped] == ["message 6"]
    assert any(n.startswith("Unsent by their sender") for n in result.notes)


def test_messenger_tree_root_is_found_above_the_thread(tmp_path):
    thread = tmp_path / "facebook-me" / "messages" / "inbox" / "bob_1"
    (thread / "gifs").mkdir(parents=True)
    (thread / "gifs" / "g.gif").write_bytes(b"GIF89a")
    (tmp_path / "facebook-me" / "messages" / "stickers_used").mkdir()
    (tmp_path / "facebook-me" / "messages" / "stickers_used" / "s.png").write_bytes(b"png")
    path = write(thread, {"participants": [{"name": "Bob"}, {"name": "Me"}], "messages": [
        {"sender_name": "Bob", "timestamp_ms": 1, "gifs": [
            {"uri": "messages/inbox/bob_1/gifs/g.gif"}],
         "sticker": {"uri": "messages/stickers_used/s.png"}}]})
    write(thread, {"messages": []}, "message_2.json")
    result = meta_json.read(path)
    assert result.format == "Facebook Messenger messages (Meta download)"
    gif, sticker = result.messages[0].attachments
    assert gif.path.read_bytes() == b"GIF89a" and gif.content_type == "image/gif"
    assert sticker.path.read_bytes() == b"png"
    assert result.messages[0].stamp.instant == datetime(1970, 1, 1, 0, 0, 0, 1000, tzinfo=UTC)
    assert any("continues in message_2.json" in n for n in result.notes)


def test_a_thread_folder_moved_out_of_its_export_still_finds_its_media(tmp_path):
    thread = tmp_path / "bob_1"
    (thread / "photos").mkdir(parents=True)
    (thread / "photos" / "p.jpg").write_bytes(b"jpg")
    path = write(thread, {"participants": [{"name": "Bob"}], "messages": [
        {"sender_name": "Bob", "timestamp_ms": 5,
         "photos": [{"uri": "messages/inbox/bob_1/photos/p.jpg"}]}]})
    [photo] = meta_json.read(path).messages[0].attachments
    assert photo.path == thread / "photos" / "p.jpg"


def test_odd_values(tmp_path):
    path = write(tmp_path / "t", {"participants": "nobody", "title": 5, "messages": [
        {"sender_name": None, "timestamp_ms": "soon", "content": ["x"], "photos": "p",
         "reactions": [{"reaction": None}], "type": "Poll"},
        {"sender_name": "A", "timestamp_ms": 10**30, "content": "ok"}]})
    result = meta_json.read(path)
    odd, big = result.messages
    assert (odd.sender, odd.text, odd.attachments, odd.chat) == ("", "", (), "5")
    assert odd.stamp == meta_json.Stamp(text="soon")
    assert odd.details == "recorded as type 'Poll'"
    assert big.stamp.instant is None and big.stamp.text == str(10**30)
    assert any("No time could be read for 2 messages." == n for n in result.notes)


def test_truncated_file_at_every_cut(fixtures, tmp_path):
    data = (fixtures / "facebook_messenger" / "langchain_facebook_chat.json").read_bytes()
    path = tmp_path / "message_1.json"
    for cut in range(1, len(data.rstrip()) - 1, 23):
        path.write_bytes(data[:cut])
        with pytest.raises(ExportReadError, match="^message_1.json ends part way through .*"
                                                  "export it again.$"):
            meta_json.read(path)


@pytest.mark.parametrize("content,words", [
    (b"[]", "has no list of messages"), (b'{"messages": {}}', "has no list of messages"),
    (b"", "is empty"), (b'{"messages": [}', "not valid JSON")])
def test_files_that_are_not_meta_messages(tmp_path, content, words):
    path = tmp_path / "message_1.json"
    path.write_bytes(content)
    with pytest.raises(ExportReadError, match=words):
        meta_json.read(path)


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "message_1.json"
    path.write_bytes(b'\xef\xbb\xbf{"messages": [{"sender_name": "A", "timestamp_ms": 1000}]}')
    assert meta_json.read(path).messages[0].stamp.instant == datetime(1970, 1, 1, 0, 0, 1,
                                                                      tzinfo=UTC)


# --- nothing but ExportReadError escapes ----------------------------------------------------


def read_or_refuse(path: Path) -> None:
    try:
        result = meta_json.read(path)
    except ExportReadError as error:
        assert str(error) and "Traceback" not in str(error)
        return
    assert isinstance(result, ParseResult)


@settings(max_examples=60)
@given(content=st.binary(max_size=300))
def test_arbitrary_bytes(tmp_path, content):
    path = tmp_path / "message_1.json"
    path.write_bytes(content)
    read_or_refuse(path)


@settings(max_examples=90)
@given(data=st.data())
def test_mutated_fixture(fixtures, tmp_path, data):
    original = bytearray((fixtures / "facebook_messenger" / "langchain_facebook_chat.json")
                         .read_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(original) - 1))
        original[at:at + data.draw(st.integers(0, 3))] = data.draw(st.binary(max_size=3))
        if not original:
            break
    path = tmp_path / "message_1.json"
    path.write_bytes(bytes(original))
    read_or_refuse(path)
