"""The email reader (.eml and .mbox) over every sample in fixtures/email, and
over variants made in tmp_path: UTF-16 and byte-order-marked files, cut and
damaged mailboxes, dates with and without zones, a 50,000-message mailbox.

Attachment bytes are checked against a decode made here, independently of
the reader (base64 of the fixture's own lines, slices of its bytes).

Hypothesis examples: 80 for arbitrary bytes, 80 for mutated fixtures.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from case_workbook.importers import email_mail
from case_workbook.importers.parsed import ExportReadError, MessageKind, ParseResult, Stamp
from case_workbook.model.items import Channel

UTC = timezone.utc
EMLS = ["mimekit_embedded_rfc822.eml", "mimekit_iso2022jp_japanese.eml",
        "mimekit_rfc2060_nested_parts.eml", "unstructured_email-inline-content-disposition.eml",
        "unstructured_email-no-utf8-2014-03-17.111517.eml", "unstructured_empty.eml",
        "unstructured_fake-email-attachment.eml", "unstructured_fake-email-b64.eml",
        "unstructured_fake-email-malformed-encoding.eml", "unstructured_fake-email.eml",
        "unstructured_mime-multi-to-cc-bcc.eml", "unstructured_mime-multipart-digest.eml",
        "unstructured_mime-no-to.eml", "unstructured_mime-word-encoded-subject.eml",
        "unstructured_rfc822-no-date.eml", "unstructured_test-invalid-date.eml",
        "unstructured_test-iso-8601-date.eml", "unstructured_test-rfc2822-date.eml"]
MBOXES = ["mimekit_gmail_takeout_style.mbox", "mimekit_simple_nested_boundaries.mbox"]
SUMMARY = "mimekit_gmail_takeout_style.expected-summary.txt"
ROSES = ("This is a test email to use for unit tests.\n\nImportant points:\n\n"
         "   - Roses are red\n   - Violets are blue\n")


def _read(fixtures: Path, name: str) -> ParseResult:
    return email_mail.read(fixtures / "email" / name)


def _one(fixtures: Path, name: str):
    result = _read(fixtures, name)
    assert result.format == email_mail.FORMAT_EML
    assert len(result.messages) == 1 and result.clean
    message = result.messages[0]
    assert (message.record, message.locator, message.chat) == (1, "message 1 at byte 0", "")
    assert message.kind is MessageKind.MESSAGE and message.channel is Channel.EMAIL
    assert message.from_me is None
    return message


def _details(message) -> list[str]:
    return message.details.split("\n")


def _sha(data: bytes | None) -> str:
    assert data is not None
    return hashlib.sha256(data).hexdigest()


def _base64_after(raw: bytes, marker: bytes) -> bytes:
    """The base64 lines after `marker`'s header block, up to the next boundary."""
    block = raw[raw.index(marker):].split(b"\n\n", 1)[1].split(b"\n--", 1)[0]
    return base64.b64decode(b"".join(block.split()))


def test_every_fixture_is_covered_here(fixtures):
    on_disk = {p.name for p in (fixtures / "email").iterdir()}
    assert on_disk == {*EMLS, *MBOXES, SUMMARY}


def test_every_fixture_is_recognised(fixtures):
    for name in [*EMLS, *MBOXES]:
        path = fixtures / "email" / name
        assert email_mail.looks_like(path, path.read_bytes()[:65536]), name


def test_sha256_and_size_are_of_the_file_as_given(fixtures):
    for name in [*EMLS, *MBOXES]:
        if name == "unstructured_empty.eml":
            continue
        data = (fixtures / "email" / name).read_bytes()
        result = _read(fixtures, name)
        assert (result.sha256, result.size) == (hashlib.sha256(data).hexdigest(), len(data))


# --- the .eml fixtures, one by one -------------------------------------------------------

def test_embedded_rfc822_is_kept_whole_as_an_attachment(fixtures):
    raw = (fixtures / "email" / "mimekit_embedded_rfc822.eml").read_bytes()
    message = _one(fixtures, "mimekit_embedded_rfc822.eml")
    assert message.stamp == Stamp(instant=datetime(2013, 11, 12, 14, 12, 42, tzinfo=UTC),
                                  text="Tue, 12 Nov 2013 09:12:42 -0500")
    assert (message.sender, message.recipients) == ("mimekit@example.com",
                                                     ("mimekit@example.com",))
    assert message.text == "This is the message body.\n"
    [embedded] = message.attachments
    expected = raw.split(b"Content-Type: message/rfc822\n\n")[1].split(
        b"\n------=_NextPart_000_003F_01CE98CE.6E826F90--")[0]
    assert (embedded.name, embedded.content_type) == ("embedded message 1.eml", "message/rfc822")
    assert embedded.data == expected and embedded.data.endswith(b"embedded message body.\n")
    assert _details(message) == [
        "Subject: test of simple embedded message/rfc822 part",
        "To: mimekit@example.com",
        "Message-ID: <54AD68C9E3B0184CAC6041320424FD1B5B81E74D@localhost.localdomain>",
        "Embedded message (attached as embedded message 1.eml): From mimekit@example.com; "
        "Date Tue, 12 Nov 2013 09:12:42 -0500; Subject embedded message."]


def test_iso_2022_jp_subject_in_two_encoded_words_and_body(fixtures):
    raw = (fixtures / "email" / "mimekit_iso2022jp_japanese.eml").read_bytes()
    message = _one(fixtures, "mimekit_iso2022jp_japanese.eml")
    assert message.stamp.instant == datetime(2015, 7, 21, 16, 2, 29, tzinfo=UTC)
    assert message.stamp.text == "Wed, 22 Jul 2015 01:02:29 +0900"
    assert message.sender == "Atsushi Eno <x@x.com>"
    assert message.recipients == ("Jeffrey Stedfast <x@x.com>",)
    assert _details(message)[0] == "Subject: 日本語メールテスト (testing Japanese emails)"
    assert message.text == raw.split(b"\n\n", 1)[1].decode("iso2022_jp")
    assert "日本語が\n正常に\n送れているか\nテスト.\n" in message.text
    assert message.attachments == ()


def test_rfc2060_nested_parts_each_part_is_kept(fixtures):
    raw = (fixtures / "email" / "mimekit_rfc2060_nested_parts.eml").read_bytes()
    result = _read(fixtures, "mimekit_rfc2060_nested_parts.eml")
    message = result.messages[0]
    assert message.stamp == Stamp(text="")  # no Date header, and no Received to mention
    assert (message.sender, message.recipients) == ("me@myself.com", ("me@myself.com",))
    assert message.text == "This part specifier should be: 1\n"
    names = [(a.name, a.content_type) for a in message.attachments]
    assert names == [("part-2.bin", "application/octet-stream"),
                     ("embedded message 1.eml", "message/rfc822"),
                     ("part-4.1.gif", "image/gif"),
                     ("embedded message 2.eml", "message/rfc822")]
    octets, first, gif, second = (a.data for a in message.attachments)
    assert octets == b"This part specifier should be: 2\n"
    assert gif == b"This part specifier should be: 4.1\n"
    start = raw.index(b"From: me@myself.com\nTo: me@myself.com\nSubject: This part specifier "
                      b"should be: 3")
    assert first == raw[start:raw.index(b"\n--x\n", start)]
    start = raw.index(b"From: me@myself.com\nTo: me@myself.com\nSubject: This part specifier "
                      b"should be: 4.2")
    assert second == raw[start:raw.index(b"\n--x--", start)]
    assert "The message has no Date header, so its time is not known." in _details(message)
    assert ("Embedded message (attached as embedded message 2.eml): From me@myself.com; "
            "Subject This part specifier should be: 4.2.") in _details(message)
    # The 4.x multipart never closes in the sample itself, but the message's own does:
    # a malformed part, not a file cut short.
    assert not result.truncated and not result.skipped
    assert any("closing boundary is missing" in note for note in result.notes)


def test_inline_text_and_unquoted_attachment_filename(fixtures):
    message = _one(fixtures, "unstructured_email-inline-content-disposition.eml")
    assert message.sender == "Test User <testuser@example.com>"
    assert message.recipients == ("recipient@example.com",)
    assert message.text == "This is a test of inline\n"
    [attachment] = message.attachments
    assert (attachment.name, attachment.data, attachment.content_type) == (
        "t.txt", b"test\n", "text/plain")
    assert message.stamp == Stamp(text="")


def test_gmail_message_with_mbox_line_latin1_text_and_two_pngs(fixtures):
    raw = (fixtures / "email" / "unstructured_email-no-utf8-2014-03-17.111517.eml").read_bytes()
    message = _one(fixtures, "unstructured_email-no-utf8-2014-03-17.111517.eml")
    assert message.stamp == Stamp(instant=datetime(2014, 3, 17, 11, 15, 4, tzinfo=UTC),
                                  text="Mon, 17 Mar 2014 11:15:04 +0000 (UTC)")
    assert (message.sender, message.recipients) == ("no-reply@accounts.google.com",
                                                    ("slatest@gmail.com",))
    plain = raw.split(b"delsp=yes\n\n", 1)[1].split(b"\n--001a11346808c1bc8204f4cb88cf")[0]
    assert message.text == plain.decode("latin-1")
    assert ("If you didn't change your password, your account might have been hijacked.  \n"
            "To get back into your account") in message.text  # flowed spaces kept
    assert [a.name for a in message.attachments] == ["google.png", "profilephoto.png"]
    for attachment in message.attachments:
        expected = _base64_after(raw, f'filename="{attachment.name}"'.encode())
        assert _sha(attachment.data) == hashlib.sha256(expected).hexdigest()
        assert attachment.data.startswith(b"\x89PNG") and attachment.content_type == "image/png"
    assert len(message.attachments[0].data) == 2357
    details = _details(message)
    assert "Subject: Google Account password changed" in details
    assert "Gmail labels: Inbox,Important,Category Updates" in details
    assert "Gmail thread: 1462821104707864209" in details
    assert ("Mailbox separator line: From 1462821104707864209@xxx Mon Mar 17 11:15:17 +0000 "
            "2014") in details
    assert not any("Received" in line for line in details)  # the Date was read


def test_a_file_of_blank_space_is_refused_in_one_sentence(fixtures, tmp_path):
    with pytest.raises(ExportReadError, match="holds only blank space") as caught:
        _read(fixtures, "unstructured_empty.eml")
    assert "\n" not in str(caught.value) and "unstructured_empty.eml" in str(caught.value)
    empty = tmp_path / "empty.eml"
    empty.write_bytes(b"")
    with pytest.raises(ExportReadError, match="empty.eml is empty"):
        email_mail.read(empty)
    with pytest.raises(ExportReadError, match="folder"):
        email_mail.read(tmp_path)


def test_multipart_with_alternative_and_base64_attachment(fixtures):
    result = _read(fixtures, "unstructured_fake-email-attachment.eml")
    message = result.messages[0]
    assert message.stamp.instant == datetime(2022, 12, 23, 18, 8, 48, tzinfo=UTC)
    assert message.sender == "Mallori Harrell <mallori@unstructured.io>"
    assert message.recipients == ("Mallori Harrell <mallori@unstructured.io>",)
    assert message.text.startswith("Hello!\n\nHere's the attachments!\n\nIt includes:\n\n"
                                   "   - Lots of whitespace\n")  # CRLF read as LF
    [attachment] = message.attachments
    assert attachment.name == "fake-attachment.txt"
    assert attachment.data == base64.b64decode("SGV5IHRoaXMgaXMgYSBmYWtlIGF0dGFjaG1lbnQh")
    assert attachment.data == b"Hey this is a fake attachment!"
    assert any("HTML or other version" in note for note in result.notes)


def test_base64_text_and_folded_message_id(fixtures):
    message = _one(fixtures, "unstructured_fake-email-b64.eml")
    assert message.stamp.instant == datetime(2022, 12, 16, 22, 4, 16, tzinfo=UTC)
    expected = base64.b64decode(
        "VGhpcyBpcyBhIHRlc3QgZW1haWwgdG8gdXNlIGZvciB1bml0IHRlc3RzLgoKSW1wb3J0YW50IHBv"
        "aW50czoKCiAgIC0gUm9zZXMgYXJlIHJlZAogICAtIFZpb2xldHMgYXJlIGJsdWUK").decode()
    assert message.text == expected == ROSES
    assert ("Message-ID: <CADc-_xaLB2FeVQ7mNsoX+NJb_7hAJhBKa_zet-rtgPGenj0uVw@mail.gmail.com>"
            in _details(message))
    assert message.attachments == ()  # the HTML version is the same text


def test_malformed_part_header_still_gives_the_text(fixtures):
    message = _one(fixtures, "unstructured_fake-email-malformed-encoding.eml")
    assert message.text == ROSES
    assert message.recipients == ("Matthew Robinson <mrobinson@unstructured.io>",)
    assert any("character set" in line and "not known" in line for line in _details(message))


def test_plain_gmail_multipart_alternative(fixtures):
    message = _one(fixtures, "unstructured_fake-email.eml")
    assert message.stamp == Stamp(instant=datetime(2022, 12, 16, 22, 4, 16, tzinfo=UTC),
                                  text="Fri, 16 Dec 2022 17:04:16 -0500")
    assert message.sender == "Matthew Robinson <mrobinson@unstructured.io>"
    assert message.recipients == ("NotMatthew <NotMatthew@notunstructured.com>",)
    assert message.text == ROSES and _details(message)[0] == "Subject: Test Email"


def test_to_cc_and_bcc_are_all_recipients(fixtures):
    message = _one(fixtures, "unstructured_mime-multi-to-cc-bcc.eml")
    assert message.recipients == ("Bob <bob@example.com>", "Sue <sue@example.com>",
                                  "Tom <tom@example.com>", "Alice <alice@example.com>",
                                  "John <john@example.com>", "Mary <mary@example.com>")
    assert _details(message)[:5] == [
        "Subject: Example Plain-Text MIME Message",
        "To: Bob <bob@example.com>, Sue <sue@example.com>",
        "Cc: Tom <tom@example.com>, Alice <alice@example.com>",
        "Bcc: John <john@example.com>, Mary <mary@example.com>",
        "Message-ID: <2143658709@example.com>"]
    assert message.text == "This is a plain-text message.\n"


def test_digest_messages_stay_inside_as_attachments(fixtures):
    raw = (fixtures / "email" / "unstructured_mime-multipart-digest.eml").read_bytes()
    message = _one(fixtures, "unstructured_mime-multipart-digest.eml")
    assert message.recipients == ("bob@example.com", "carol@example.com", "dave@example.com")
    assert message.text == ""
    assert [a.name for a in message.attachments] == [
        "embedded message 1.eml", "embedded message 2.eml", "embedded message 3.eml"]
    pieces = raw.split(b"--boundary123\nContent-Type: message/rfc822\n\n")[1:]
    for attachment, piece in zip(message.attachments, pieces, strict=True):
        assert attachment.data == (piece + b"--boundary123").split(b"\n--boundary123")[0]
    listed = [line for line in _details(message) if line.startswith("Embedded message")]
    assert listed[1] == ("Embedded message (attached as embedded message 2.eml): From "
                         "frank@example.com; Subject Second Message.")
    assert len(listed) == 3


def test_no_to_header_recipients_come_from_cc_and_bcc(fixtures):
    message = _one(fixtures, "unstructured_mime-no-to.eml")
    assert message.recipients == ("Tom <tom@example.com>", "Alice <alice@example.com>",
                                  "John <john@example.com>", "Mary <mary@example.com>")
    assert not any(line.startswith("To:") for line in _details(message))


def test_rfc2047_subject(fixtures):
    message = _one(fixtures, "unstructured_mime-word-encoded-subject.eml")
    assert _details(message)[0] == "Subject: Simple email with ☸☿ Unicode subject"
    assert message.text == ("This is a simple email message with Unicode characters in the "
                            "subject.\n")


def test_missing_date_is_unknown_not_guessed(fixtures):
    result = _read(fixtures, "unstructured_rfc822-no-date.eml")
    message = result.messages[0]
    assert message.stamp == Stamp(text="")
    assert "The message has no Date header, so its time is not known." in _details(message)
    assert any("no Date that could be read" in note for note in result.notes)
    assert message.text.startswith("This is an example email message without a Date header.")


def test_invalid_date_keeps_its_text_only(fixtures):
    message = _one(fixtures, "unstructured_test-invalid-date.eml")
    assert message.stamp == Stamp(text="INVALID-DATE-FORMAT")
    assert ("The Date header (INVALID-DATE-FORMAT) is not a date this reader can read, so its "
            "time is not known.") in _details(message)
    assert message.text == "This is a test-email with an invalid date format."


def test_iso_8601_date_with_z_is_read_and_said(fixtures):
    message = _one(fixtures, "unstructured_test-iso-8601-date.eml")
    assert message.stamp == Stamp(instant=datetime(2025, 7, 29, 12, 42, 6, tzinfo=UTC),
                                  text="2025-07-29T12:42:06.000Z")
    assert any("ISO 8601" in line for line in _details(message))


def test_rfc2822_date(fixtures):
    message = _one(fixtures, "unstructured_test-rfc2822-date.eml")
    assert message.stamp == Stamp(instant=datetime(2025, 7, 29, 12, 42, 6, tzinfo=UTC),
                                  text="Tue, 29 Jul 2025 12:42:06 +0000")
    assert (message.sender, message.recipients) == ("sender@example.com",
                                                    ("recipient@example.com",))
    assert _details(message) == ["Subject: Test a standard RFC-2822 date",
                                 "To: recipient@example.com"]


# --- the mailboxes ------------------------------------------------------------------------

def _summary_blocks(text: str) -> list[dict[str, str]]:
    blocks = []
    for block in text.strip().split("\n\n"):
        lines = block.splitlines()
        fields = dict(line.split(": ", 1) for line in lines[1:] if not line.startswith(" "))
        blocks.append({"separator": lines[0], **fields,
                       "parts": [line.strip() for line in lines if line.startswith(" ")]})
    return blocks


def test_gmail_takeout_mbox_matches_mimekits_summary(fixtures):
    raw = (fixtures / "email" / "mimekit_gmail_takeout_style.mbox").read_bytes()
    summary = _summary_blocks((fixtures / "email" / SUMMARY).read_text())
    result = _read(fixtures, "mimekit_gmail_takeout_style.mbox")
    assert result.format == email_mail.FORMAT_MBOX and result.clean
    assert len(result.messages) == len(summary) == 4
    offsets = [m.start() for m in re.finditer(rb"^From \d+@xxx$", raw, re.M)]
    ends = [*offsets[1:], len(raw)]
    for number, (message, expected) in enumerate(zip(result.messages, summary), start=1):
        offset = offsets[number - 1]
        assert message.record == number
        assert message.locator == f"message {number} at byte {offset:,}"
        assert message.chat == "mimekit_gmail_takeout_style.mbox"
        assert message.channel is Channel.EMAIL and message.from_me is None
        assert message.stamp.text == expected["Date"]
        assert message.stamp.instant == datetime.strptime(
            expected["Date"], "%a, %d %b %Y %H:%M:%S %z").astimezone(UTC)
        assert message.sender == "Sender <sender@example.com>"
        assert message.recipients == ("Recipient <recipient@example.com>",)
        assert f"Subject: {expected['Subject']}" in _details(message)
        assert f"Mailbox separator line: {expected['separator']}" in _details(message)
        digest = hashlib.sha256(raw[offset:ends[number - 1]]).hexdigest()
        assert (f"In the file: bytes {offset:,} to {ends[number - 1] - 1:,}, SHA-256 {digest}."
                in _details(message))
        assert message.text == f"Body of message {number}.\n"
        carried = [p for p in expected["parts"] if not p.startswith(("Content-Type: multipart",
                                                                      "Content-Type: text/"))]
        assert [f"Content-Type: {a.content_type}" for a in message.attachments] == carried
    [archive] = result.messages[1].attachments
    # This part has no blank line after its headers: the base64 is the very next line.
    marker = b'filename="Attachment.zip"\n'
    expected_bytes = base64.b64decode(raw[raw.index(marker) + len(marker):].split(b"\n")[0])
    assert archive.name == "Attachment.zip" and len(archive.data) == 3750
    assert _sha(archive.data) == hashlib.sha256(expected_bytes).hexdigest()
    # Named .zip, but its bytes are a 7-Zip archive (signature 7z BC AF 27 1C), not "PK".
    assert archive.data.startswith(b"7z\xbc\xaf\x27\x1c")


def test_from_dash_separators_without_blank_lines_and_odd_boundaries(fixtures):
    raw = (fixtures / "email" / "mimekit_simple_nested_boundaries.mbox").read_bytes()
    result = _read(fixtures, "mimekit_simple_nested_boundaries.mbox")
    assert result.format == email_mail.FORMAT_MBOX and not result.truncated
    offsets = [m.start() for m in re.finditer(rb"^From - $", raw, re.M)]
    assert [m.locator for m in result.messages] == [f"message {n} at byte {o:,}" for n, o in
                                                    zip((1, 2, 3), offsets, strict=True)]
    subjects = ["this'll probably break a lot of mime parsers",
                "this'll probably break even more mime parsers",
                "if a mime parser can correctly handle this, I'm impressed"]
    for message, subject in zip(result.messages, subjects, strict=True):
        assert message.stamp.instant == datetime(2002, 8, 23, 6, 32, 53, tzinfo=UTC)
        assert message.sender == "fejj@gnome.org" and message.recipients == ("fejj@gnome.org",)
        assert _details(message)[0] == f"Subject: {subject}"
        assert message.text.startswith("Hello world.\n\nmultipart/mixed; boundary=")
        assert "text/plain                         <-- You are here." in message.text


# --- variants made here -------------------------------------------------------------------

def _write(tmp_path: Path, data: bytes, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_utf16_file_is_read_whole_and_said(fixtures, tmp_path):
    text = (fixtures / "email" / "unstructured_fake-email.eml").read_bytes().decode("utf-8")
    for encoding, name in (("utf-16", "bom.eml"), ("utf-16-le", "no-bom.txt"),
                           ("utf-16-be", "big-endian.eml")):
        path = _write(tmp_path, text.encode(encoding), name)
        assert email_mail.looks_like(path, path.read_bytes()[:100])
        result = email_mail.read(path)
        [message] = result.messages
        assert message.text == ROSES and message.locator == "message 1"
        assert message.sender == "Matthew Robinson <mrobinson@unstructured.io>"
        assert message.stamp.instant == datetime(2022, 12, 16, 22, 4, 16, tzinfo=UTC)
        assert any("UTF-16" in note for note in result.notes)
        assert result.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_byte_order_mark_before_a_mailbox(fixtures, tmp_path):
    raw = (fixtures / "email" / "mimekit_gmail_takeout_style.mbox").read_bytes()
    result = email_mail.read(_write(tmp_path, b"\xef\xbb\xbf" + raw, "bom.mbox"))
    assert len(result.messages) == 4 and result.clean
    assert result.messages[0].locator == "message 1 at byte 3"
    assert result.messages[1].locator == "message 2 at byte 562"
    assert any("byte-order mark" in note for note in result.notes)


def test_unescaped_from_lines_in_a_body_do_not_split_and_gt_from_is_kept(tmp_path):
    mbox = (b"From alice@example.com Sat Jan  1 10:00:00 2000\n"
            b"From: Alice <alice@example.com>\nTo: bob@example.com\n"
            b"Date: Sat, 1 Jan 2000 10:00:00 +0100\nSubject: one\n\n"
            b"first line\n\nFrom the start I knew.\n>From an escaped line.\nlast\n\n"
            b"From bob@example.com Sat Jan  1 11:00:00 2000\n"
            b"From: bob@example.com\nDate: Sat, 1 Jan 2000 11:00:00 +0100\nSubject: two\n\n"
            b"second\n")
    result = email_mail.read(_write(tmp_path, mbox, "Inbox"))  # Thunderbird: no extension
    assert result.format == email_mail.FORMAT_MBOX and result.clean
    first, second = result.messages
    assert first.text == "first line\n\nFrom the start I knew.\n>From an escaped line.\nlast\n"
    assert first.stamp.instant == datetime(2000, 1, 1, 9, 0, tzinfo=UTC)
    assert (second.sender, second.text, second.chat) == ("bob@example.com", "second\n", "Inbox")
    assert second.locator == f"message 2 at byte {mbox.index(b'From bob@'):,}"


def test_mailbox_cut_part_way_through_its_last_message(fixtures, tmp_path):
    raw = (fixtures / "email" / "mimekit_gmail_takeout_style.mbox").read_bytes()
    whole = email_mail.read(fixtures / "email" / "mimekit_gmail_takeout_style.mbox").messages
    last = raw.index(b"From 1844347869536581428@xxx")
    headers_end = raw.index(b"\n\n", last)
    checked = 0
    # (A cut inside "From " leaves a line that cannot be told from message 3's text.)
    for cut in range(last + len(b"From ") + 1, len(raw) - 1, 23):
        if raw[cut - 1:cut] == b"\n":
            continue  # cut at a line's end: see the test below
        result = email_mail.read(_write(tmp_path, raw[:cut], "mimekit_gmail_takeout_style.mbox"))
        assert result.truncated and result.messages[:3] == whole[:3]
        assert result.skipped[-1].locator == f"message 4 at byte {last:,}"
        if cut > headers_end:
            assert len(result.messages) == 4
            assert result.messages[3].stamp == whole[3].stamp
            assert "kept as far as it goes" in result.skipped[-1].reason
        checked += 1
    assert checked > 10


def test_a_cut_at_a_line_end_inside_the_headers_is_noticed(fixtures, tmp_path):
    raw = (fixtures / "email" / "mimekit_gmail_takeout_style.mbox").read_bytes()
    subject = raw.index(b"Subject: Message 4\n") + len(b"Subject: Message 4\n")
    result = email_mail.read(_write(tmp_path, raw[:subject], "cut.mbox"))
    assert result.truncated and len(result.messages) == 4
    assert result.messages[3].text == "" and "Subject: Message 4" in result.messages[3].details


def test_eml_cut_inside_its_multipart_is_kept_and_reported(fixtures, tmp_path):
    raw = (fixtures / "email" / "unstructured_fake-email-attachment.eml").read_bytes()
    cut = raw.index(b"--0000000000005d654405f082adb7\r\nContent-Type: text/plain; charset=\"US")
    result = email_mail.read(_write(tmp_path, raw[:cut + 40], "cut.eml"))
    assert result.truncated and result.skipped[0].locator == "message 1 at byte 0"
    assert result.messages[0].text.startswith("Hello!\n\nHere's the attachments!")


def test_dates_without_offsets_or_with_minus_0000(tmp_path):
    cases = {
        "Fri, 23 Aug 2002 02:32:53 -0000": Stamp(
            instant=datetime(2002, 8, 23, 2, 32, 53, tzinfo=UTC),
            text="Fri, 23 Aug 2002 02:32:53 -0000"),
        "Fri, 23 Aug 2002 02:32:53 EST": Stamp(
            instant=datetime(2002, 8, 23, 7, 32, 53, tzinfo=UTC),
            text="Fri, 23 Aug 2002 02:32:53 EST"),
        "Fri, 23 Aug 2002 02:32:53": Stamp(local=datetime(2002, 8, 23, 2, 32, 53),
                                           text="Fri, 23 Aug 2002 02:32:53"),
        "Fri, 31 Feb 2002 02:32:53 +0000": Stamp(text="Fri, 31 Feb 2002 02:32:53 +0000"),
    }
    for date, stamp in cases.items():
        mail = (f"From: a@example.com\nDate: {date}\nReceived: from x by y; Sat, 24 Aug 2002 "
                f"01:00:00 +0200\n\nhi\n").encode()
        message = email_mail.read(_write(tmp_path, mail, "d.eml")).messages[0]
        assert message.stamp == stamp, date
        said_received = any("Received header says a server received it at Sat, 24 Aug 2002"
                            in line for line in _details(message))
        assert said_received == (stamp.instant is None)
    # Only the date with no zone at all leaves the person to say which zone it was.
    for date, needs_zone in (("Fri, 23 Aug 2002 02:32:53", True),
                             ("Fri, 23 Aug 2002 02:32:53 -0000", False)):
        mail = f"From: a@example.com\nDate: {date}\n\nhi\n".encode()
        assert email_mail.read(_write(tmp_path, mail, "z.eml")).needs_zone is needs_zone


def test_encoded_names_groups_and_damaged_words(tmp_path):
    mail = ("From: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <jm@example.com>\n"
            "To: undisclosed-recipients:;\nCc: \"Doe, Jane\" <jane@example.com>\n"
            "Subject: Gr\u00fc\u00dfe =?utf-8?b?!!!?=\nDate: Tue, 29 Jul 2025 12:42:06 +0200\n"
            "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain; "
            "charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\nCaf=E9 =\nau "
            "lait\n--b\nContent-Type: application/pdf; name=\"=?utf-8?q?r=C3=A9sum=C3=A9.pdf?=\"\n"
            "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--b\nContent-Type: text/html\n\n"
            "<p>x</p>\n--b--\n").encode("utf-8")
    message = email_mail.read(_write(tmp_path, mail, "n.eml")).messages[0]
    assert message.sender == "Jörg Müller <jm@example.com>"
    assert message.recipients == ("Doe, Jane <jane@example.com>",)
    assert _details(message)[0] == "Subject: Grüße =?utf-8?b?!!!?="  # kept, not dropped
    assert message.text == "Café au lait"  # the line break before --b is the boundary's
    assert [(a.name, a.data) for a in message.attachments] == [
        ("résumé.pdf", b"%PDF-1.4\n"), ("part-3.html", b"<p>x</p>")]


def test_html_only_message_is_shown_as_written(tmp_path):
    mail = (b"From: a@example.com\nContent-Type: text/html; charset=utf-8\n\n"
            b"<p>Meet me at <b>six</b>.</p>\n")
    message = email_mail.read(_write(tmp_path, mail, "h.eml")).messages[0]
    assert message.text == "<p>Meet me at <b>six</b>.</p>\n" and message.attachments == ()
    assert "The message has only an HTML body; shown as written." in _details(message)


def test_parts_nested_thousands_deep_keep_the_headers_and_the_whole_message(tmp_path):
    parts = b"".join(b"--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n" % (i, i + 1)
                     for i in range(3000))
    mail = (b"From: a@example.com\nSubject: deep\nDate: Tue, 29 Jul 2025 12:42:06 +0000\n"
            b"Content-Type: multipart/mixed; boundary=b0\n\n" + parts + b"--b3000\n\ntext\n")
    message = email_mail.read(_write(tmp_path, mail, "deep.eml")).messages[0]
    assert message.sender == "a@example.com" and message.stamp.instant is not None
    assert [(a.name, a.data) for a in message.attachments] == [("message.eml", mail)]


def test_text_without_headers_is_not_an_email(tmp_path):
    with pytest.raises(ExportReadError, match="not an email message"):
        email_mail.read(_write(tmp_path, b"just some words\nand more\n", "notes.eml"))


def test_looks_like_from_name_and_head():
    assert email_mail.looks_like(Path("x.MBOX"), b"")
    assert email_mail.looks_like(Path("x.mbx"), b"")
    assert email_mail.looks_like(Path("Inbox"), b"From - \nFrom: a@b\n")
    assert email_mail.looks_like(Path("m.txt"), b"Return-Path: <a@b>\nReceived: by x\n\nhi")
    assert not email_mail.looks_like(Path("m.txt"), b"Subject: only one field\n\nhi")
    assert not email_mail.looks_like(Path("chat.txt"), b"12/03/2020, 10:00 - Bob: hi\n")
    assert not email_mail.looks_like(Path("r.json"), b'{"name": "x", "messages": []}')
    assert not email_mail.looks_like(Path("m.txt"), b"From here on\nwe talk\n")
    assert not email_mail.looks_like(Path("m.txt"), b"")


def test_fifty_thousand_messages(tmp_path):
    path = tmp_path / "big.mbox"
    with open(path, "wb") as handle:
        for i in range(50_000):
            handle.write(f"From p{i}@example.com Sat Jan  1 00:00:00 2000\nFrom: Person {i} "
                         f"<p{i}@example.com>\nTo: me@example.com\nDate: Sat, 1 Jan 2000 "
                         f"00:{i % 60:02d}:00 +0100\nSubject: number {i}\n\nBody {i}.\n"
                         f"Second line.\n\n".encode())
    started = time.perf_counter()
    result = email_mail.read(path)
    seconds = time.perf_counter() - started
    print(f"50,000-message mailbox ({path.stat().st_size:,} bytes) read in {seconds:.1f} s")
    assert len(result.messages) == 50_000 and result.clean
    last = result.messages[-1]
    assert (last.record, last.sender, last.text) == (
        50_000, "Person 49999 <p49999@example.com>", "Body 49999.\nSecond line.\n")
    assert last.stamp.instant == datetime(1999, 12, 31, 23, 19, tzinfo=UTC)


# --- never anything but a report or one sentence ------------------------------------------

def _read_or_refuse(path: Path) -> None:
    try:
        result = email_mail.read(path)
    except ExportReadError as error:
        assert str(error) and "\n" not in str(error) and "Traceback" not in str(error)
        return
    assert result.messages
    for message in result.messages:
        assert isinstance(message.text, str) and isinstance(message.sender, str)
        assert message.stamp.instant is None or message.stamp.instant.tzinfo is UTC


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), name=st.sampled_from(["x.eml", "x.mbox", "x.txt"]))
def test_arbitrary_bytes(tmp_path, data, name):
    path = _write(tmp_path, data, name)
    email_mail.looks_like(path, data)
    _read_or_refuse(path)


FUZZ_TOKENS = [b"\n", b"\r\n", b"From x\n", b"--", b"=?utf-8?b?", b"?=", b"\n--x\n", b"\x00",
               b"Content-Type: multipart/mixed; boundary=x\n", b"Content-Type: message/rfc822\n\n",
               b"Content-Transfer-Encoding: base64\n", b"filename*=utf-8''%ff", b"\xff\xfe", b"<"]


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.sampled_from([*EMLS, *MBOXES]), edits=st.lists(
    st.tuples(st.floats(0, 1), st.sampled_from(FUZZ_TOKENS), st.booleans()), max_size=6))
def test_mutated_fixtures(fixtures, tmp_path, which, edits):
    data = bytearray((fixtures / "email" / which).read_bytes())
    for where, token, cut in edits:
        at = int(where * len(data))
        if cut:
            del data[at:at + len(token) * 3]
        else:
            data[at:at] = token
    _read_or_refuse(_write(tmp_path, bytes(data), which))


def test_text_parts_between_attachments_follow_one_another(tmp_path):
    mail = (b"From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n"
            b"--b\nContent-Type: text/plain\n\nBefore the photo.\n"
            b"--b\nContent-Type: image/jpeg\nContent-Transfer-Encoding: base64\n\n/9j/4AAQ\n"
            b"--b\nContent-Type: text/plain\n\nAfter the photo.\n--b--\n")
    message = email_mail.read(_write(tmp_path, mail, "p.eml")).messages[0]
    assert message.text == "Before the photo.\nAfter the photo."
    assert [(a.name, a.data) for a in message.attachments] == [
        ("part-2.jpg", base64.b64decode("/9j/4AAQ"))]
    assert any("several parts" in line for line in _details(message))
