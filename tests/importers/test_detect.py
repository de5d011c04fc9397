"""Every sample export in ../shared/fixtures goes to the right reader when
the person just names the file, and the files that are not exports (the
other projects' expected outputs, Telegram's HTML) get one sentence."""

from __future__ import annotations

import pytest

from case_workbook.importers.detect import read_export, reader_for
from case_workbook.importers.parsed import ExportReadError

# file -> (format as reported, messages read); every export fixture is here.
EXPORTS = {
    "email/mimekit_embedded_rfc822.eml": ("Email message (.eml)", 1),
    "email/mimekit_gmail_takeout_style.mbox": ("Mailbox (.mbox)", 4),
    "email/mimekit_iso2022jp_japanese.eml": ("Email message (.eml)", 1),
    "email/mimekit_rfc2060_nested_parts.eml": ("Email message (.eml)", 1),
    "email/mimekit_simple_nested_boundaries.mbox": ("Mailbox (.mbox)", 3),
    "email/unstructured_email-inline-content-disposition.eml": ("Email message (.eml)", 1),
    "email/unstructured_email-no-utf8-2014-03-17.111517.eml": ("Email message (.eml)", 1),
    "email/unstructured_fake-email-attachment.eml": ("Email message (.eml)", 1),
    "email/unstructured_fake-email-b64.eml": ("Email message (.eml)", 1),
    "email/unstructured_fake-email-malformed-encoding.eml": ("Email message (.eml)", 1),
    "email/unstructured_fake-email.eml": ("Email message (.eml)", 1),
    "email/unstructured_mime-multi-to-cc-bcc.eml": ("Email message (.eml)", 1),
    "email/unstructured_mime-multipart-digest.eml": ("Email message (.eml)", 1),
    "email/unstructured_mime-no-to.eml": ("Email message (.eml)", 1),
    "email/unstructured_mime-word-encoded-subject.eml": ("Email message (.eml)", 1),
    "email/unstructured_rfc822-no-date.eml": ("Email message (.eml)", 1),
    "email/unstructured_test-invalid-date.eml": ("Email message (.eml)", 1),
    "email/unstructured_test-iso-8601-date.eml": ("Email message (.eml)", 1),
    "email/unstructured_test-rfc2822-date.eml": ("Email message (.eml)", 1),
    "facebook_messenger/langchain_facebook_chat.json":
        ("Facebook Messenger messages (Meta download)", 11),
    "imessage/langchain_imessage_chat.db": ("macOS Messages database (chat.db)", 23),
    "imessage/langchain_imessage_chat_upgrade_osx_11.db":
        ("macOS Messages database (chat.db)", 23),
    "instagram/chatminer_instagram_export.json": ("Instagram messages (Meta download)", 2),
    "signal/chatminer_signal_export.txt": ("Signal chat export (signal-export text)", 2),
    "sms_backup_restore/sbr2_empty.xml": ("SMS Backup & Restore (messages)", 0),
    "sms_backup_restore/sbr2_mms_attachments_base64.xml": ("SMS Backup & Restore (messages)", 4),
    "sms_backup_restore/sbr2_mms_corrupt_base64.xml": ("SMS Backup & Restore (messages)", 2),
    "sms_backup_restore/sbr2_sms_small.xml": ("SMS Backup & Restore (messages)", 12),
    "sms_backup_restore/sbrp_malformed.xml": ("SMS Backup & Restore (messages)", 0),
    "sms_backup_restore/sbrp_minimal_calls.xml": ("SMS Backup & Restore (call log)", 1),
    "sms_backup_restore/sbrp_minimal_mms.xml": ("SMS Backup & Restore (messages)", 1),
    "sms_backup_restore/sbrp_minimal_sms.xml": ("SMS Backup & Restore (messages)", 1),
    "sms_backup_restore/sbrp_mixed.xml": ("SMS Backup & Restore (messages)", 4),
    "telegram/chatminer_batch_export.json": ("Telegram Desktop export (whole account)", 2),
    "telegram/chatminer_single_export.json": ("Telegram Desktop export (one chat)", 2),
    "telegram/langchain_personal_chat_mojibake.json": ("Telegram Desktop export (one chat)", 3),
    "telegram/langchain_result.json": ("Telegram Desktop export (one chat)", 4),
    "whatsapp/chatminer_android_ddmmyy_24h.txt": ("WhatsApp chat export (Android)", 9),
    "whatsapp/chatminer_android_mmddyy_24h.txt": ("WhatsApp chat export (Android)", 9),
    "whatsapp/chatminer_android_mmddyyyy_12h_spanish_ampm.txt":
        ("WhatsApp chat export (Android)", 9),
    "whatsapp/chatminer_android_yyyymmdd_24h.txt": ("WhatsApp chat export (Android)", 9),
    "whatsapp/chatminer_ios_bracket_mmddyy_24h.txt": ("WhatsApp chat export (iOS)", 9),
    "whatsapp/langchain_ios_12h_lrm_image_omitted.txt": ("WhatsApp chat export (iOS)", 12),
    "whatsapp/pustur_ios_example_2019_chat.txt": ("WhatsApp chat export (iOS)", 100),
    "whatsapp/pustur_ios_example_2019_export.zip": ("WhatsApp chat export (iOS)", 100),
    "whatsapp/pustur_ios_example_2024_chat.txt": ("WhatsApp chat export (iOS)", 52),
}

REFUSED = {
    "email/unstructured_empty.eml": "holds only blank space",
    "telegram/langchain_messages.html": "Telegram's HTML export",
    "telegram/langchain_telethon_channel_list.json": "not a Telegram Desktop export",
    "telegram/chatminer_expected.json": "is not a message export this tool can read",
    "whatsapp/chatminer_expected.json": "is not a message export this tool can read",
    "signal/chatminer_signal_expected.json": "is not a message export this tool can read",
    "instagram/chatminer_instagram_expected.json": "is not a message export this tool can read",
}


def test_the_tables_cover_every_fixture(fixtures):
    on_disk = {str(p.relative_to(fixtures)) for p in fixtures.rglob("*")
               if p.is_file() and p.suffix != ".md"}
    # The one not listed: MimeKit's expected summary, a text file of headers
    # that is read as a mailbox (which is what it looks like).
    assert on_disk - set(EXPORTS) - set(REFUSED) == {
        "email/mimekit_gmail_takeout_style.expected-summary.txt"}


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_each_export_is_read_by_its_reader(fixtures, name):
    result = read_export(fixtures / name)
    assert (result.format, len(result.messages)) == EXPORTS[name]
    assert result.source == fixtures / name and len(result.sha256) == 64


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_what_is_not_an_export_is_one_sentence(fixtures, name):
    with pytest.raises(ExportReadError) as caught:
        reader_for(fixtures / name).read(fixtures / name)
    message = str(caught.value)
    assert REFUSED[name] in message and "\n" not in message and "Traceback" not in message


def test_a_folder_an_empty_file_and_a_missing_one_are_one_sentence(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for path, words in ((tmp_path, "is a folder"), (empty, "is empty"),
                        (tmp_path / "gone.txt", "does not exist")):
        with pytest.raises(ExportReadError, match=words):
            read_export(path)
