"""macOS Messages chat.db: both fixture databases in shared/fixtures/imessage
read for real (counts, instants, texts from `text` and from attributedBody,
senders, the junk handle), plus databases made here for what the fixtures
lack: attachments, a -wal file, old second-based dates, damage."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from case_workbook.importers import imessage
from case_workbook.importers.imessage_rows import NOT_HERE, UNREADABLE_TEXT, apple_instant
from case_workbook.importers.parsed import ExportReadError, MessageKind, ParseResult
from case_workbook.importers.typedstream import attributed_text
from case_workbook.model.items import Channel

FOLDER = "imessage"
PLAIN = "langchain_imessage_chat.db"
UPGRADED = "langchain_imessage_chat_upgrade_osx_11.db"
ROWS = [241480, 241481, 241485, 241486, 241487, 241488, 241489, 241615, 241616, 241617,
        241618, 241619, 241620, 241718, 251964, 251965, 251966, 251967, 251968, 252037,
        252038, 252039, 252040]
FROM_ME = {241485, 241488, 241489, 241617, 241618, 241619, 241718, 251964, 251965, 251966,
           251967, 251968, 252040}
# rows whose `text` is NULL: their text comes from attributedBody
FROM_BODY = {241485: "Woaaaaaah", 241486: "Yehh I use it occasionally ",
             241487: "Not too often", 241489: "POOOG",
             241615: "Yehh unfortunately screen is cracked so can\u2019t play games too well",
             241616: "And repair aint worth ", 241619: "shall be iphone ",
             241620: "No \U0001F480 not worth ", 241718: "Eeeeeeeh",
             251968: "aaaaabbbbb" * 12 + "aaaaabbb",
             252040: "Loved \u201cI see nothing here add\u201d"}
SCHEMA = """
CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, id TEXT NOT NULL,
                     service TEXT NOT NULL);
CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL,
                      text TEXT, handle_id INTEGER DEFAULT 0, attributedBody BLOB,
                      service TEXT, date INTEGER, is_from_me INTEGER DEFAULT 0,
                      associated_message_type INTEGER DEFAULT 0, item_type INTEGER DEFAULT 0,
                      group_title TEXT);
CREATE TABLE chat (ROWID INTEGER PRIMARY KEY, chat_identifier TEXT, display_name TEXT);
CREATE TABLE chat_message_join (chat_id INTEGER, message_id INTEGER);
CREATE TABLE chat_handle_join (chat_id INTEGER, handle_id INTEGER);
CREATE TABLE attachment (ROWID INTEGER PRIMARY KEY, filename TEXT, transfer_name TEXT,
                         mime_type TEXT);
CREATE TABLE message_attachment_join (message_id INTEGER, attachment_id INTEGER);
INSERT INTO handle VALUES (1, '+15550001111', 'SMS'), (2, 'pat@example.com', 'iMessage');
"""


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def fixture(fixtures: Path, name: str) -> Path:
    return fixtures / FOLDER / name


def make_db(path: Path, rows: list[tuple], sql: str = "") -> Path:
    """A small chat.db: rows of (text, handle_id, service, date, is_from_me)."""
    with sqlite3.connect(path) as connection:
        connection.executescript(SCHEMA)
        connection.executemany(
            "INSERT INTO message (guid, text, handle_id, service, date, is_from_me) "
            "VALUES (?, ?, ?, ?, ?, ?)", [(f"g{i}", *row) for i, row in enumerate(rows)])
        connection.executescript(sql)
    connection.close()
    return path


def snapshot(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("name", [PLAIN, UPGRADED])
def test_both_fixtures_read_every_message_in_row_order(fixtures, name):
    path = fixture(fixtures, name)
    assert imessage.looks_like(path, path.read_bytes()[:65536])
    result = imessage.read(path)
    assert result.format == "macOS Messages database (chat.db)"
    assert result.clean and len(result.messages) == 23
    assert [m.locator for m in result.messages] == [f"message row {r}" for r in ROWS]
    assert [m.record for m in result.messages] == list(range(1, 24))
    assert {int(m.locator.split()[-1]) for m in result.messages if m.from_me} == FROM_ME
    assert all(m.from_me is False for m in result.messages
               if int(m.locator.split()[-1]) not in FROM_ME)
    assert all(m.channel is Channel.MESSENGER for m in result.messages)
    first = result.messages[0]
    assert first.stamp.instant == utc(2023, 11, 5, 2, 50, 50, 393148)
    assert first.stamp.text == "720845450393148160"
    assert result.messages[-1].stamp.instant == utc(2023, 11, 17, 11, 27, 36, 509087)
    texts = {int(m.locator.split()[-1]): m.text for m in result.messages}
    for row, text in FROM_BODY.items():
        assert texts[row] == text
    # where `text` is set it is what is shown, even when the formatted copy says otherwise
    assert texts[252038] == "Leila was the tester" and texts[241488] == "\U0001F440" * 5
    assert any(note.startswith("11 texts were read from the formatted copy")
               for note in result.notes)


def test_senders_and_recipients_from_the_handle(fixtures):
    result = imessage.read(fixture(fixtures, PLAIN))
    received, sent = result.messages[0], result.messages[2]
    assert (received.sender, received.recipients) == ("testemail@gmail.com", ("Me",))
    assert (sent.sender, sent.recipients) == ("Me", ("testemail@gmail.com",))
    assert received.chat == "testemail@gmail.com"
    assert "owner's address: +16478889999" in received.details
    assert "delivered at 2023-11-05 02:51:24 UTC" in sent.details


def test_the_reaction_is_a_system_message_naming_who_reacted(fixtures):
    result = imessage.read(fixture(fixtures, PLAIN))
    reaction = result.messages[-1]
    assert reaction.kind is MessageKind.SYSTEM and reaction.sender == "Me"
    assert reaction.details.startswith("a reaction (tapback) to another message: loved")
    assert [m.kind for m in result.messages[:-1]] == [MessageKind.MESSAGE] * 22


def test_junk_and_missing_handles_keep_the_message_and_say_so(fixtures):
    result = imessage.read(fixture(fixtures, UPGRADED))
    junk, missing = result.messages[0], result.messages[1]
    assert junk.text == "Yeh" and junk.sender == "" and junk.from_me is False
    assert "(handle 'trash\\n') is not in the database" in junk.details
    assert missing.sender == "" and "(handle 67) is not in the database" in missing.details
    # chat_handle_join names the chat's other member: the recipient of what the owner sent
    sent = result.messages[2]
    assert (sent.sender, sent.recipients, sent.chat) == ("Me", ("test@gmail.com",),
                                                         "test@gmail.com")
    assert any(note.startswith("23 messages are linked to a contact") for note in result.notes)


def test_nothing_is_written_beside_the_database(fixtures, tmp_path):
    path = tmp_path / "chat.db"
    shutil.copyfile(fixture(fixtures, PLAIN), path)
    before = snapshot(tmp_path)
    assert len(imessage.read(path).messages) == 23
    assert snapshot(tmp_path) == before


def test_a_wal_beside_it_is_read_from_a_copy_and_left_alone(tmp_path):
    path = make_db(tmp_path / "chat.db", [("old", 1, "SMS", 700000000000000000, 0)])
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("INSERT INTO message (guid, text, handle_id, service, date, is_from_me) "
                   "VALUES ('new', 'only in the wal', 2, 'iMessage', 700000001000000000, 1)")
    writer.commit()
    try:
        assert (tmp_path / "chat.db-wal").stat().st_size > 0
        before = snapshot(tmp_path)
        result = imessage.read(path)
        assert snapshot(tmp_path) == before
    finally:
        writer.close()
    assert [m.text for m in result.messages] == ["old", "only in the wal"]
    assert result.messages[0].channel is Channel.TEXT
    assert "sent as SMS" in result.messages[0].details
    assert result.messages[1].recipients == ("pat@example.com",)
    assert any("chat.db-wal" in note for note in result.notes)


def test_chat_names_groups_events_and_old_second_dates(tmp_path):
    path = make_db(tmp_path / "group.db", [
        ("hi all", 1, "iMessage", 600000000, 0),  # an old database's seconds
        ("hello", 0, "iMessage", 600000060, 1),
        (None, 0, "iMessage", 600000120, 1),
    ], sql="""INSERT INTO chat VALUES (5, 'chat123', 'Family');
              INSERT INTO chat_message_join VALUES (5, 1), (5, 2), (5, 3);
              INSERT INTO chat_handle_join VALUES (5, 1), (5, 2);
              UPDATE message SET item_type = 2, group_title = 'Family' WHERE ROWID = 3;""")
    first, second, event = imessage.read(path).messages
    assert first.stamp.instant == utc(2020, 1, 6, 10, 40)
    assert (first.sender, first.recipients, first.chat) == (
        "+15550001111", ("Me", "pat@example.com"), "Family")
    assert second.recipients == ("+15550001111", "pat@example.com")
    assert event.kind is MessageKind.SYSTEM and "group name: Family" in event.details
    assert event.text == ""


def test_attachments_found_only_inside_a_messages_folder(tmp_path):
    stored = tmp_path / "Attachments" / "ab" / "12" / "IMG_1.jpeg"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"\xff\xd8\xff jpeg")
    outside = tmp_path.parent / f"{tmp_path.name}-secret.txt"
    outside.write_text("not evidence")
    row = ("\ufffc", 1, "iMessage", 700000000000000000, 0)
    path = make_db(tmp_path / "chat.db", [row], sql=f"""
        INSERT INTO attachment VALUES
          (1, '~/Library/Messages/Attachments/ab/12/IMG_1.jpeg', 'IMG_1.jpeg', 'image/jpeg'),
          (2, '~/Library/Messages/Attachments/cd/34/gone.mov', 'gone.mov', 'video/quicktime'),
          (3, '{outside}', NULL, 'text/plain'),
          (4, '~/Library/Messages/Attachments/../../../{outside.name}', 'x.txt', NULL);
        INSERT INTO message_attachment_join VALUES (1, 1), (1, 2), (1, 3), (1, 4);""")
    [message] = imessage.read(path).messages
    found, gone, absolute, climbing = message.attachments
    assert (found.name, found.path, found.content_type) == ("IMG_1.jpeg", stored.resolve(),
                                                           "image/jpeg")
    assert found.available and found.note == ""
    assert (gone.name, gone.path, gone.note) == ("gone.mov", None, NOT_HERE)
    assert absolute.name == outside.name and absolute.path is None
    assert climbing.path is None and climbing.note == NOT_HERE
    assert message.text == "\ufffc"


def test_a_blob_that_cannot_be_read_keeps_the_message_with_a_note(tmp_path):
    path = make_db(tmp_path / "chat.db", [(None, 1, "SMS", 700000000000000000, 0)],
                   sql="")
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE message SET attributedBody = X'62706C6973743030'")
    connection.close()
    result = imessage.read(path)
    [message] = result.messages
    assert message.text == "" and UNREADABLE_TEXT in message.details
    assert any("1 message has text stored in a form that could not be read" in note
               for note in result.notes)


def test_a_database_cut_short_gives_what_is_there(tmp_path):
    path = make_db(tmp_path / "big.db", [(f"message {i} " + "x" * 200, 1, "SMS",
                                          700000000000000000 + i * 10**9, i % 2)
                                         for i in range(3000)])
    data = path.read_bytes()
    cut = tmp_path / "cut.db"
    cut.write_bytes(data[:len(data) // 3 // 4096 * 4096])
    before = snapshot(tmp_path)
    result = imessage.read(cut)
    assert snapshot(tmp_path) == before
    assert result.truncated and 100 < len(result.messages) < 3000
    assert [m.text for m in result.messages[:3]] == [f"message {i} " + "x" * 200 for i in range(3)]
    [skipped] = result.skipped
    assert skipped.locator == f"after message row {len(result.messages)}"
    assert any("shorter than its own header says" in note for note in result.notes)


def test_the_fixture_cut_short_reads_as_far_as_it_goes(fixtures, tmp_path):
    data = fixture(fixtures, PLAIN).read_bytes()
    path = tmp_path / "chat.db"
    for pages in (1, 5, 7):  # the table definitions run on to page 12: nothing can be read
        path.write_bytes(data[:pages * 4096])
        with pytest.raises(ExportReadError) as refused:
            imessage.read(path)
        assert str(refused.value) == ("chat.db is damaged: SQLite cannot read its list of "
                                      "tables, so no message in it could be read.")
    for pages, count, last in ((9, 6, 241488), (10, 13, 241620), (11, 19, 251968)):
        path.write_bytes(data[:pages * 4096])
        result = imessage.read(path)
        assert len(result.messages) == count and result.truncated
        assert result.messages[-1].locator == f"message row {last}"
        assert result.skipped[0].locator == f"after message row {last}"
    assert sorted(os.listdir(tmp_path)) == ["chat.db"]


@pytest.mark.parametrize(("sql", "words"), [
    ("CREATE TABLE notes (x TEXT);", "it has no message table"),
    ("CREATE TABLE message (_id INTEGER, text_data TEXT, timestamp INTEGER, from_me INTEGER);",
     "has a table named message, but not the one macOS Messages keeps"),
])
def test_other_sqlite_files_are_refused(tmp_path, sql, words):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.executescript(sql)
    connection.close()
    assert not imessage.looks_like(path, path.read_bytes()[:65536])
    with pytest.raises(ExportReadError, match=words):
        imessage.read(path)


def test_a_file_that_is_not_sqlite_is_refused_unopened(tmp_path):
    path = tmp_path / "chat.db"
    path.write_bytes(b"just some text, not a database")
    assert not imessage.looks_like(path, path.read_bytes())
    with pytest.raises(ExportReadError) as refused:
        imessage.read(path)
    assert str(refused.value) == ("chat.db is not a Messages database (chat.db): it is not an "
                                  "SQLite file.")
    assert sorted(os.listdir(tmp_path)) == ["chat.db"]


def test_looks_like_a_messages_database(tmp_path):
    path = make_db(tmp_path / "renamed.sqlite", [])
    assert imessage.looks_like(path, path.read_bytes()[:65536])
    assert imessage.looks_like(Path("chat.db"), b"SQLite format 3\x00" + b"\x00" * 84)
    assert not imessage.looks_like(Path("x.db"), b"SQLite format 3\x00" + b"\x00" * 84)


def test_apple_times_by_magnitude():
    assert apple_instant(0) is None and apple_instant(None) is None
    assert apple_instant(1) == utc(2001, 1, 1, 0, 0, 1)
    assert apple_instant(10**11) == utc(2001, 1, 1, 0, 1, 40)  # nanoseconds from here up
    assert apple_instant("720845450393148160") == utc(2023, 11, 5, 2, 50, 50, 393148)
    assert apple_instant(float("nan")) is None and apple_instant(10**30) is None
    assert apple_instant(b"\x00") is None


def test_typedstream_text(fixtures):
    with sqlite3.connect(fixture(fixtures, PLAIN).as_uri() + "?mode=ro&immutable=1",
                         uri=True) as connection:
        blobs = dict(connection.execute("SELECT ROWID, attributedBody FROM message"))
    connection.close()
    assert attributed_text(blobs[251966]) == "aaaaabbbbb" * 20 + " "  # a 2-byte length
    assert attributed_text(blobs[241488]) == "\U0001F440" * 5
    assert attributed_text(blobs[241480][:60]) is None  # cut inside the text
    assert attributed_text(b"bplist00") is None and attributed_text("text") is None
    damaged = blobs[241480].replace(b"\x84\x01+\x03Yeh", b"\x84\x01+\x03\xff\xfe\xfd")
    assert attributed_text(damaged) is None


@settings(max_examples=150)
@given(data=st.binary(max_size=300))
def test_typedstream_never_raises(data):
    for blob in (data, b"\x04\x0bstreamtyped" + data, b"\x04\x0bstreamtypedNSString" + data):
        assert attributed_text(blob) is None or isinstance(attributed_text(blob), str)


def _read_any(path: Path) -> None:
    try:
        result = imessage.read(path)
    except ExportReadError as error:
        assert str(error).endswith(".") and "\n" not in str(error)
        return
    assert isinstance(result, ParseResult)


@settings(max_examples=60)
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_give_a_result_or_one_sentence(tmp_path, data):
    path = tmp_path / "fuzz.db"
    path.write_bytes(data)
    _read_any(path)
    path.write_bytes(b"SQLite format 3\x00" + data)
    _read_any(path)


@settings(max_examples=100)
@given(name=st.sampled_from([PLAIN, UPGRADED]), edits=st.lists(
    st.tuples(st.integers(16, 53247), st.binary(min_size=1, max_size=8)),
    min_size=1, max_size=12), cut=st.integers(100, 60000))
def test_mutated_fixtures_give_a_result_or_one_sentence(fixtures, tmp_path, name, edits, cut):
    data = bytearray(fixture(fixtures, name).read_bytes())
    for where, new in edits:
        data[where:where + len(new)] = new
    path = tmp_path / "chat.db"
    path.write_bytes(bytes(data[:cut]))
    _read_any(path)
