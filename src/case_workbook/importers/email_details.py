"""One email's bytes turned into what a ParsedMessage holds: its time,
sender, recipients, text, attachments and the other headers in plain words.
Whatever the bytes, this returns facts or a reason, never an exception."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message

from case_workbook.importers.email_headers import (
    Headers,
    addresses,
    date_stamp,
    decode_words,
    first_received_time,
    sender_of,
)
from case_workbook.importers.email_parts import Body, parse_headers, parse_message, read_body
from case_workbook.importers.parsed import Attachment, Stamp

_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
_LISTED = (("To", "to"), ("Cc", "cc"), ("Bcc", "bcc"), ("Reply-To", "reply-to"),
           ("Message-ID", "message-id"), ("In-Reply-To", "in-reply-to"))
NO_HEADERS = ("This part of the file has no header lines (From:, Date:, Subject: ...), so it is "
              "not an email message; it was not read.")


@dataclass(frozen=True)
class MessageFacts:
    stamp: Stamp
    sender: str
    recipients: tuple[str, ...]
    text: str
    attachments: tuple[Attachment, ...]
    details: tuple[str, ...]
    alternatives_left_out: int
    unclosed: bool  # some multipart lacks its closing boundary
    top_unclosed: bool  # the message's own multipart does: a file cut short looks like this
    headers_unended: bool  # no blank line ends the headers: a message cut in its headers


def message_facts(data: bytes) -> tuple[MessageFacts | None, str]:
    try:
        message = parse_message(data)
        if not message.keys():
            return None, NO_HEADERS
        return _facts(message, data, read_body(message)), ""
    except MemoryError:
        raise
    except Exception:  # RecursionError on parts nested thousands deep, or a parser bug
        pass
    try:  # the headers alone, and the whole message kept as an attachment
        message = parse_headers(data)
        if not message.keys():
            return None, NO_HEADERS
        body = Body(attachments=[Attachment("message.eml", data=data,
                                            content_type="message/rfc822")])
        body.notes.append("The message's parts are too damaged or too deeply nested to take "
                          "apart; the whole message is attached as message.eml.")
        return _facts(message, data, body), ""
    except MemoryError:
        raise
    except Exception:
        return None, "This message's headers are too damaged to read; it was not read."


def _facts(message: Message, data: bytes, body: Body) -> MessageFacts:
    headers = Headers(message)
    stamp, date_note = date_stamp(headers.first("date"))
    from_value = headers.first("from")
    recipients: dict[str, None] = {}
    for name in ("to", "cc", "bcc"):
        for value in headers.all(name):
            for address in addresses(value):
                recipients.setdefault(address, None)
    text = body.final_text()

    details = []
    subject = headers.first("subject")
    if subject is not None:
        details.append(f"Subject: {decode_words(subject)}")
    for label, name in _LISTED:
        for value in headers.all(name):
            details.append(f"{label}: {decode_words(value)}")
    if from_value is None:
        details.append("The message has no From header.")
    if date_note:
        details.append(date_note)
    received = first_received_time(headers)
    if received and stamp.instant is None:
        details.append(f"The first Received header says a server received it at {received}.")
    labels = headers.first("x-gmail-labels")
    if labels:
        details.append(f"Gmail labels: {decode_words(labels)}")
    thread = headers.first("x-gm-thrid")
    if thread:
        details.append(f"Gmail thread: {thread}")
    details.extend(dict.fromkeys(body.notes))
    if not text and body.html is None:
        details.append("The message has no text of its own.")
    details.extend(body.embedded)

    headers_unended = not data.startswith((b"\n", b"\r\n")) and not _BLANK_LINE.search(data)
    return MessageFacts(
        stamp=stamp, sender=sender_of(from_value) if from_value else "",
        recipients=tuple(recipients), text=text, attachments=tuple(body.attachments),
        details=tuple(details), alternatives_left_out=body.alternatives_left_out,
        unclosed=body.unclosed, top_unclosed=body.top_unclosed, headers_unended=headers_unended)
