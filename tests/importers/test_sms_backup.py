"""SMS Backup & Restore XML: every fixture in shared/fixtures/sms_backup_restore,
read for real (counts, instants, senders, bodies, MMS bytes, calls), and the
files real phones and hostile senders make: emoji written as UTF-16 halves,
backups cut off or broken part way, entity bombs, a 50,000-record backup."""

from __future__ import annotations

import base64
import builtins
import hashlib
import io
import re
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from case_workbook.importers import sms_backup
from case_workbook.importers.parsed import ExportReadError, MessageKind, ParseResult
from case_workbook.importers.safe_xml import Break, Start, Text, XmlStream
from case_workbook.importers.sms_records import DAMAGED, NOT_INCLUDED
from case_workbook.model.items import Channel

FOLDER = "sms_backup_restore"
ALL = ["sbr2_empty.xml", "sbr2_mms_attachments_base64.xml", "sbr2_mms_corrupt_base64.xml",
       "sbr2_sms_small.xml", "sbrp_malformed.xml", "sbrp_minimal_calls.xml",
       "sbrp_minimal_mms.xml", "sbrp_minimal_sms.xml", "sbrp_mixed.xml"]
HEAD = b"<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def fixture(fixtures: Path, name: str) -> Path:
    return fixtures / FOLDER / name


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def sms(body: str, *, kind: str = "1", address: str = "+15550001111", date: int = 1609459200000,
        name: str = "(Unknown)") -> bytes:
    return (f'  <sms protocol="0" address="{address}" date="{date}" type="{kind}" subject="null" '
            f'body="{body}" date_sent="0" contact_name="{name}" />\n').encode()


def backup(*records: bytes, root: str = "smses") -> bytes:
    return HEAD + f'<{root} count="{len(records)}">\n'.encode() + b"".join(records) + \
        f"</{root}>\n".encode()


def test_the_fixture_folder_has_exactly_the_files_tested(fixtures):
    assert sorted(p.name for p in (fixtures / FOLDER).iterdir()) == ALL


@pytest.mark.parametrize("name", ALL)
def test_every_fixture_is_recognised_and_hashed_as_given(fixtures, name):
    path = fixture(fixtures, name)
    data = path.read_bytes()
    assert sms_backup.looks_like(path, data[:65536])
    result = sms_backup.read(path)
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.size == len(data)
    assert [m.record for m in result.messages] == list(range(1, len(result.messages) + 1))


def test_empty_backup(fixtures):
    result = sms_backup.read(fixture(fixtures, "sbr2_empty.xml"))
    assert result.format == "SMS Backup & Restore (messages)"
    assert result.messages == [] and result.clean
    assert not any("says it holds" in note for note in result.notes)


def test_twelve_sms_with_exact_instants_senders_and_newlines(fixtures):
    result = sms_backup.read(fixture(fixtures, "sbr2_sms_small.xml"))
    assert result.clean and len(result.messages) == 12
    first = result.messages[0]
    assert first.stamp.instant == utc(2017, 12, 2, 14, 49, 27, 463000)
    assert first.stamp.text == "Dec 2, 2017 06:49:27"  # the phone's own clock (UTC-8)
    assert (first.sender, first.recipients, first.from_me) == ("Contact A", ("Me",), False)
    assert first.text == "Body text 1" and first.channel is Channel.TEXT
    assert first.kind is MessageKind.MESSAGE and first.locator == "line 4"
    assert "sent at 2017-12-02 14:49:26 UTC" in first.details
    assert "address: +15550000001" in first.details and first.chat == "Contact A"
    sent = [m.record for m in result.messages if m.from_me]
    assert sent == [5, 7, 10, 12]
    tenth = result.messages[9]
    assert tenth.text == "Body text 10\nBody text 11\nBody text 12"
    assert (tenth.sender, tenth.recipients) == ("Me", ("Contact C",))
    assert "sent at" not in tenth.details  # date_sent="0"
    assert result.messages[11].stamp.instant == utc(2017, 12, 2, 18, 10, 45, 524000)
    assert [m.sender for m in result.messages[:4]] == ["Contact A"] * 3 + ["Contact B"]


def test_single_sms(fixtures):
    [message] = sms_backup.read(fixture(fixtures, "sbrp_minimal_sms.xml")).messages
    assert message.stamp.instant == utc(2021, 1, 1)
    assert message.text == "Happy New Year! This is a test message."
    assert message.sender == "Alice Smith" and message.from_me is False


def _base64_parts(data: bytes) -> list[bytes]:
    """The decoded `data=` attributes, found independently of the reader."""
    return [base64.b64decode(found) for found in re.findall(rb'data="([^"]*)"', data)]


def test_mms_attachments_carry_their_decoded_bytes(fixtures):
    path = fixture(fixtures, "sbr2_mms_attachments_base64.xml")
    result = sms_backup.read(path)
    assert result.clean and len(result.messages) == 4
    texts = [m.text for m in result.messages]
    assert texts == ["Here is an image attachment", "Here is a video attachment",
                     "Here is an audio attachment", "Here is a PDF attachment"]
    attachments = [m.attachments[0] for m in result.messages]
    assert [(a.name, a.content_type) for a in attachments] == [
        ("image.png", "image/png"), ("video.mp4", "video/mp4"), ("audio.mp3", "audio/mp3"),
        ("document.pdf", "application/pdf")]
    expected = [hashlib.sha256(part).hexdigest() for part in _base64_parts(path.read_bytes())]
    assert [hashlib.sha256(a.data).hexdigest() for a in attachments] == expected
    assert attachments[0].data.startswith(b"\x89PNG\r\n\x1a\n")
    assert attachments[3].data.startswith(b"%PDF-1.4")
    assert [m.stamp.instant for m in result.messages] == [
        utc(2024, 7, 16, 20, 29, second) for second in (24, 25, 26, 27)]
    assert all(m.sender == "Contact C" and m.recipients == ("Me",) for m in result.messages)


def test_corrupt_base64_keeps_the_message_and_says_the_file_is_damaged(fixtures):
    result = sms_backup.read(fixture(fixtures, "sbr2_mms_corrupt_base64.xml"))
    assert len(result.messages) == 2 and result.clean
    assert result.messages[0].text == "MMS with corrupted base64 image data"
    for message, name in zip(result.messages, ["corrupt_image.png", "corrupt.file"],
                             strict=True):
        [attachment] = message.attachments
        assert attachment.name == name and attachment.data is None
        assert attachment.note == DAMAGED and not attachment.available
    assert any(note.startswith("2 attachments could not be decoded") for note in result.notes)


def test_mms_text_skips_the_smil_layout_and_keeps_the_image(fixtures):
    [message] = sms_backup.read(fixture(fixtures, "sbrp_minimal_mms.xml")).messages
    assert message.text == "Hello from MMS!"
    assert "subject: Test MMS Subject" in message.details
    [image] = message.attachments
    assert (image.name, image.content_type) == ("image.jpg", "image/jpeg")
    assert image.data.startswith(b"\x89PNG")  # the fixture's "jpeg" is a PNG, kept as is
    # the record's From address differs from the conversation it is filed under: both are said
    assert message.sender == "+15559876543" and message.chat == "Alice Smith"
    assert "names +15559876543 as its sender" in message.details
    assert message.stamp.instant == utc(2021, 1, 2)


def test_mixed_backup_with_a_draft(fixtures):
    result = sms_backup.read(fixture(fixtures, "sbrp_mixed.xml"))
    assert [m.text for m in result.messages] == [
        "Hey, how are you?", "This is a text-only MMS from Alice.", "I'm good, thanks!",
        "Don't forget about..."]
    draft = result.messages[3]
    assert draft.details.startswith("draft, never sent")
    assert (draft.sender, draft.recipients, draft.from_me) == ("Me", ("Bob Jones",), True)
    assert result.messages[1].details.startswith("MMS")
    assert result.messages[2].from_me is True
    assert any("1 draft or unsent message is included" in note for note in result.notes)
    assert [m.locator for m in result.messages] == ["line 3", "line 4", "line 13", "line 14"]


def test_call_log(fixtures):
    result = sms_backup.read(fixture(fixtures, "sbrp_minimal_calls.xml"))
    assert result.format == "SMS Backup & Restore (call log)"
    [call] = result.messages
    assert call.kind is MessageKind.CALL and call.channel is Channel.CALL
    assert (call.sender, call.recipients, call.from_me) == ("Alice Smith", ("Me",), False)
    assert call.text == "" and call.details.startswith("Incoming call, 2 min 5 s")
    assert call.stamp.instant == utc(2021, 1, 3)


def test_malformed_backup_reports_the_broken_record(fixtures):
    result = sms_backup.read(fixture(fixtures, "sbrp_malformed.xml"))
    assert result.messages == [] and result.truncated
    [skipped] = result.skipped
    assert skipped.locator == "line 3"
    assert "breaks on line 4" in skipped.reason and "cut off" in skipped.reason
    assert any("says it holds 1 record; 0 were read" in note for note in result.notes)


def test_calls_of_every_type_and_a_call_to_911(tmp_path):
    calls = b"".join(
        f'<call number="{number}" duration="{duration}" date="1609632000000" type="{kind}" '
        f'presentation="{presentation}" contact_name="null" />\n'.encode()
        for number, duration, kind, presentation in [
            ("911", "754", "2", "1"), ("+15550002222", "0", "3", "1"), ("", "0", "1", "2"),
            ("+15550003333", "31", "4", "1"), ("+15550004444", "0", "6", "1"),
            ("+15550005555", "0", "5", "1"), ("+15550006666", "12", "9", "1")])
    result = sms_backup.read(write(tmp_path, "calls.xml", backup(calls, root="calls")))
    emergency, missed, withheld, voicemail, blocked, rejected, odd = result.messages
    assert (emergency.sender, emergency.recipients, emergency.from_me) == ("Me", ("911",), True)
    assert emergency.details == "Outgoing call, 12 min 34 s"
    assert missed.details == "Missed call" and missed.sender == "+15550002222"
    assert withheld.details == ("Incoming call, 0 s; the caller withheld their number; "
                                "no number recorded")
    assert voicemail.channel is Channel.VOICEMAIL and voicemail.details == "Voicemail, 31 s"
    assert blocked.details == "Blocked call" and rejected.details == "Rejected call"
    assert odd.from_me is None and odd.recipients == () and "'9'" in odd.details
    assert all(m.kind is MessageKind.CALL and m.text == "" for m in result.messages)


def test_emoji_written_as_utf16_halves_come_out_whole(tmp_path):
    data = backup(sms("Hi &#55357;&#56846;!&#10;&#xD83D;&#xDE06; and &#55357; alone"))
    result = sms_backup.read(write(tmp_path, "emoji.xml", data))
    assert result.clean
    assert result.messages[0].text == "Hi \U0001F60E!\n\U0001F606 and \ufffd alone"
    assert any(note.startswith("2 characters (emoji") for note in result.notes)
    assert any(note.startswith("1 unpaired UTF-16 half,") for note in result.notes)


@pytest.mark.parametrize("block", [1, 2, 3, 5, 7, 8, 9, 13, 64, 65, 100])
def test_emoji_halves_split_across_blocks_are_still_joined(block):
    data = backup(*[sms(f"{i}&#55357;&#56846;&#0055357;&#56838;") for i in range(20)])
    stream = XmlStream(io.BytesIO(data), block=block)
    bodies = [e.attrs["body"] for e in stream.events() if isinstance(e, Start) and e.name == "sms"]
    assert bodies == [f"{i}\U0001F60E\U0001F606" for i in range(20)]
    assert (stream.mender.paired, stream.mender.lone) == (40, 0)
    assert stream.sha256 == hashlib.sha256(data).hexdigest()


def test_the_stream_can_also_give_text_and_reports_breaks_with_lines():
    data = b"<notes>\n<n>one &amp; two</n>\n<n>three</x>\n<n>four</n>\n</notes>"
    events = list(XmlStream(io.BytesIO(data), text=True,
                            resume=re.compile(rb"<n>")).events())
    texts = [e.data for e in events if isinstance(e, Text) and e.data.strip()]
    assert texts == ["one & two", "four"]  # "three" is in the broken element
    [broken] = [e for e in events if isinstance(e, Break)]
    assert (broken.line, broken.resumed_line, broken.at_end) == (3, 4, False)


def _opened_paths(monkeypatch) -> list[str]:
    opened: list[str] = []
    real_open = builtins.open

    def spying_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spying_open)
    monkeypatch.setattr(io, "open", spying_open)
    return opened


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE smses [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<smses count="1"><sms address="1" date="1" type="1" body="&lol9;" /></smses>
"""


def test_billion_laughs_is_refused_at_once(tmp_path):
    path = write(tmp_path, "bomb.xml", BILLION_LAUGHS)
    started = time.perf_counter()
    with pytest.raises(ExportReadError) as refused:
        sms_backup.read(path)
    assert time.perf_counter() - started < 1.0
    assert str(refused.value) == ("bomb.xml was not read: it declares entities, which SMS "
                                  "Backup & Restore never writes.")


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE smses [<!ENTITY secret SYSTEM "{uri}">]>',
    '<!DOCTYPE smses [<!ENTITY % remote SYSTEM "{uri}"> %remote;]>',
    '<!DOCTYPE smses SYSTEM "{uri}">'])
def test_external_entities_are_refused_and_never_opened(tmp_path, monkeypatch, doctype):
    secret = write(tmp_path, "secret.txt", b"THE SECRET")
    body = "&secret;" if "ENTITY secret" in doctype else "x"
    data = (f'<?xml version="1.0"?>\n{doctype.format(uri=secret.as_uri())}\n<smses count="1">'
            f'<sms address="1" date="1" type="1" body="{body}" /></smses>').encode()
    path = write(tmp_path, "xxe.xml", data)
    opened = _opened_paths(monkeypatch)
    with pytest.raises(ExportReadError, match="declares entities"):
        sms_backup.read(path)
    assert str(secret) not in opened and opened == [str(path)]


def test_a_bare_doctype_is_refused_in_its_own_words(tmp_path):
    path = write(tmp_path, "doctype.xml", HEAD + b"<!DOCTYPE smses>\n<smses count='0'/>")
    with pytest.raises(ExportReadError, match="it declares a document type"):
        sms_backup.read(path)


@pytest.mark.parametrize(("data", "words"), [
    (b"", "doc.xml is empty; there is nothing in it to import."),
    (b"this is a letter, not a backup", "doc.xml is not an SMS Backup & Restore backup: it is "
                                         "not XML"),
    (b"PK\x03\x04\x14\x00\x01\x00", "doc.xml is a zip file, not the XML backup"),
    (HEAD + b"<html><body>hi</body></html>", "its root element is <html>"),
    (b"\xff\xfe\x00\x01garbage", "not XML"),
])
def test_files_that_are_not_backups_are_one_sentence(tmp_path, data, words):
    with pytest.raises(ExportReadError) as refused:
        sms_backup.read(write(tmp_path, "doc.xml", data))
    message = str(refused.value)
    assert words in message and message.count(". ") == 0 and message.endswith(".")
    assert "Error" not in message and "Traceback" not in message


def test_a_backup_cut_off_anywhere_keeps_every_whole_record_before_the_cut(fixtures, tmp_path):
    data = fixture(fixtures, "sbr2_sms_small.xml").read_bytes()
    whole = sms_backup.read(fixture(fixtures, "sbr2_sms_small.xml")).messages
    closing = data.rindex(b"</smses>")
    for cut in range(data.index(b">", data.index(b"<smses")) + 1, closing, 37):
        result = sms_backup.read(write(tmp_path, "cut.xml", data[:cut]))
        complete = data[:cut].count(b"/>")  # records fully written
        assert result.messages == whole[:len(result.messages)]
        assert len(result.messages) == complete, cut
        assert result.truncated and len(result.skipped) == 1, cut


def test_a_break_in_the_middle_is_skipped_and_reading_goes_on(tmp_path):
    data = backup(sms("one"), b'  <sms address="9" date="1" <oops\n', sms("three"),
                  sms("four &bogus; entity"), sms("five"))
    result = sms_backup.read(write(tmp_path, "broken.xml", data))
    assert [m.text for m in result.messages] == ["one", "three", "five"]
    assert [m.locator for m in result.messages] == ["line 3", "line 5", "line 7"]
    assert [s.locator for s in result.skipped] == ["line 4", "line 6"]
    assert "picked up again at the record on line 5" in result.skipped[0].reason
    assert "entity" in result.skipped[1].reason and not result.truncated


def test_group_mms_and_media_not_in_the_backup(tmp_path):
    received = (b'<mms date="1609545600000" msg_box="1" address="+1111~+2222" sub="null" '
                b'contact_name="Ann, Bob"><parts>'
                b'<part seq="-1" ct="application/smil" text="&lt;smil/&gt;" />'
                b'<part seq="0" ct="text/plain" text="line one&#10;line two" />'
                b'<part seq="1" ct="image/jpeg" name="null" fn="photo.jpg" /></parts>'
                b'<addrs><addr address="+1111" type="137" /><addr address="+9999" type="151" />'
                b'<addr address="+2222" type="151" /></addrs></mms>\n')
    sent = (b'<mms date="1609545700" date_sent="1609545690" msg_box="2" address="+1111~+2222" '
            b'contact_name="Ann, Bob"><parts><part seq="0" ct="text/plain" text="ok" /></parts>'
            b'<addrs><addr address="insert-address-token" type="137" />'
            b'<addr address="+1111" type="151" /><addr address="+2222" type="151" /></addrs>'
            b'</mms>\n')
    result = sms_backup.read(write(tmp_path, "group.xml", backup(received, sent)))
    first, second = result.messages
    assert (first.sender, first.recipients, first.from_me) == ("+1111", ("Me", "+2222"), False)
    assert first.text == "line one\nline two"
    [photo] = first.attachments
    assert (photo.name, photo.note, photo.data) == ("photo.jpg", NOT_INCLUDED, None)
    assert (second.sender, second.recipients, second.from_me) == ("Me", ("+1111", "+2222"), True)
    assert second.stamp.instant == utc(2021, 1, 2, 0, 1, 40)  # seconds, told by their size
    assert "sent at 2021-01-02 00:01:30 UTC" in second.details
    assert any("1 attachment is named but not included" in note for note in result.notes)


def test_mms_date_sent_in_seconds_is_read_by_its_size(tmp_path):
    record = (b'<mms date="1720997600000" date_sent="1720997593" msg_box="1" address="+1">'
              b'<parts><part seq="0" ct="text/plain" text="hi" /></parts></mms>\n')
    [message] = sms_backup.read(write(tmp_path, "s.xml", backup(record))).messages
    assert message.stamp.instant == utc(2024, 7, 14, 22, 53, 20)
    assert "sent at 2024-07-14 22:53:13 UTC" in message.details


def test_fifty_thousand_records_in_a_few_seconds(tmp_path):
    records = b"".join(
        b'  <sms protocol="0" address="+1555%07d" date="%d" type="%d" subject="null" '
        b'body="Message %d&#10;second line &amp; more" toa="null" sc_toa="null" '
        b'service_center="null" read="1" status="-1" locked="0" date_sent="0" sub_id="-1" '
        b'readable_date="Jan 1, 2021 12:00:00 AM" contact_name="Person %d" />\n'
        % (i, 1609459200000 + i * 1000, 1 + i % 2, i, i % 100) for i in range(50_000))
    path = write(tmp_path, "big.xml", HEAD + b'<smses count="50000">\n' + records + b"</smses>")
    started = time.perf_counter()
    result = sms_backup.read(path)
    elapsed = time.perf_counter() - started
    print(f"\n50,000 SMS ({path.stat().st_size / 1e6:.1f} MB) read in {elapsed:.2f} s")
    assert len(result.messages) == 50_000 and result.clean
    assert result.messages[-1].text == "Message 49999\nsecond line & more"
    assert result.messages[-1].stamp.instant == utc(2021, 1, 1, 13, 53, 19)
    assert elapsed < 10


def test_looks_like_only_backups():
    assert sms_backup.looks_like(Path("x.xml"), HEAD + b"<calls count='1'>")
    assert sms_backup.looks_like(Path("x.xml"), b"\xef\xbb\xbf<smses>")
    assert not sms_backup.looks_like(Path("x.xml"), HEAD + b"<html>")
    assert not sms_backup.looks_like(Path("x.json"), b'{"smses": 1}')
    assert not sms_backup.looks_like(Path("x"), b"")


def _read_any(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "fuzz.xml", data)
    try:
        result = sms_backup.read(path)
    except ExportReadError as error:
        assert str(error).endswith(".") and "\n" not in str(error)
        return
    assert isinstance(result, ParseResult)
    assert result.size == len(data)


@settings(max_examples=120)
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_give_a_result_or_one_sentence(tmp_path, data):
    _read_any(tmp_path, HEAD + b"<smses>" + data)
    _read_any(tmp_path, data)


@settings(max_examples=120)
@given(name=st.sampled_from(ALL), edits=st.lists(
    st.tuples(st.integers(0, 4000), st.integers(0, 3), st.binary(min_size=1, max_size=3)),
    min_size=1, max_size=6))
def test_mutated_fixtures_give_a_result_or_one_sentence(fixtures, tmp_path, name, edits):
    data = bytearray(fixture(fixtures, name).read_bytes())
    for where, kind, new in edits:
        where %= len(data) + 1
        if kind == 0:
            data[where:where + len(new)] = new
        elif kind == 1:
            del data[where:where + len(new)]
        elif kind == 2:
            data[where:where] = new
        else:
            data[where:where] = b"&#55357;"
    _read_any(tmp_path, bytes(data))
