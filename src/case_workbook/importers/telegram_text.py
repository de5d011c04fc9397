"""The words of a Telegram Desktop message: its text joined from entity
parts, the facts recorded beside it (edited, forwarded, a reply, a poll...),
and a plain description of a service line built from its recorded values.
Values are shown as written; only the field names become words.
"""

from __future__ import annotations

from datetime import UTC, datetime

from case_workbook.importers.json_source import scalar

# Fields of a service line that are not part of what happened.
SERVICE_FRAME = frozenset({
    "id", "type", "date", "date_unixtime", "actor", "actor_id", "action", "text",
    "text_entities", "edited", "edited_unixtime", "from", "from_id", "photo", "file",
    "thumbnail", "width", "height", "photo_file_size", "file_size", "reactions"})


def listed(value: object) -> str:
    """A recorded list (or single value) as comma-separated values."""
    if isinstance(value, list):
        return ", ".join("(no name)" if item is None else scalar(item) for item in value
                         if item is None or scalar(item))
    return scalar(value)


def epoch_utc(value: object) -> datetime | None:
    """An epoch-seconds field (a string of digits, or a number) as UTC."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and 0 < len(value) <= 12 and value.lstrip("-").isdigit() \
            and value.isascii():
        value = int(value)
    if not isinstance(value, int):
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def joined_text(message: dict) -> str:
    """The text: a string, or parts (strings and {type, text} entities)
    joined as they are; `text_entities` when that is all there is."""
    text = message.get("text")
    if isinstance(text, str) and text:
        return text
    if isinstance(text, list) and text:
        return _join_parts(text)
    entities = message.get("text_entities")
    if isinstance(entities, list):
        return _join_parts(entities)
    return text if isinstance(text, str) else ""


def _join_parts(parts: list) -> str:
    pieces = []
    for part in parts:
        if isinstance(part, str):
            pieces.append(part)
        elif isinstance(part, dict) and isinstance(part.get("text"), str):
            pieces.append(part["text"])
    return "".join(pieces)


def _words(key: str) -> str:
    return key.replace("_", " ")


def service_description(message: dict) -> str:
    """`action: field value, field value` from the recorded fields, e.g.
    "create_group: title 'Plans', members Alice, Bob"."""
    action = scalar(message.get("action")) or "service"
    facts = []
    for key, value in message.items():
        if key in SERVICE_FRAME:
            continue
        if isinstance(value, str):
            facts.append(f"{_words(key)} '{value}'")
        elif isinstance(value, list):
            facts.append(f"{_words(key)} {listed(value)}")
        elif isinstance(value, dict):
            inner = ", ".join(f"{_words(str(k))} {scalar(v)}" for k, v in value.items()
                              if scalar(v))
            facts.append(f"{_words(key)} ({inner})")
        elif value is not None:
            facts.append(f"{_words(key)} {scalar(value)}")
    described = f"{action}: {', '.join(facts)}" if facts else action
    recorded = joined_text(message)
    return f"{described}\n{recorded}" if recorded else described


def call_details(message: dict) -> str:
    facts = ["phone call"]
    seconds = scalar(message.get("duration_seconds"))
    if seconds:
        facts.append(f"lasted {seconds} seconds")
    reason = scalar(message.get("discard_reason"))
    if reason:
        facts.append(f"ended: {reason}")
    if message.get("is_video") is True:
        facts.append("video call")
    return "; ".join(facts)


def message_details(message: dict) -> list[str]:
    """The facts Telegram records beside the text, in plain words."""
    facts: list[str] = []
    add = facts.append
    for key, words in (("forwarded_from", "forwarded from"), ("saved_from", "saved from"),
                       ("via_bot", "sent via"), ("author", "signed by")):
        if value := scalar(message.get(key)):
            add(f"{words} {value}")
    if reply := scalar(message.get("reply_to_message_id")):
        peer = scalar(message.get("reply_to_peer_id"))
        add(f"reply to message {reply}" + (f" in chat {peer}" if peer else ""))
    if edited := scalar(message.get("edited")):
        when = epoch_utc(message.get("edited_unixtime"))
        add(f"edited at {edited}" + (f" ({when:%Y-%m-%d %H:%M:%S} UTC)" if when else ""))
    elif when := epoch_utc(message.get("edited_unixtime")):
        add(f"edited at {when:%Y-%m-%d %H:%M:%S} UTC")
    if media := scalar(message.get("media_type")):
        add(_words(media))
    if emoji := scalar(message.get("sticker_emoji")):
        add(f"sticker emoji {emoji}")
    performer, title = scalar(message.get("performer")), scalar(message.get("title"))
    if performer or title:
        add("audio: " + " - ".join(p for p in (performer, title) if p))
    if seconds := scalar(message.get("duration_seconds")):
        add(f"duration {seconds} seconds")
    facts.extend(_poll(message.get("poll")))
    facts.extend(_place(message))
    facts.extend(_contact(message.get("contact_information")))
    if game := scalar(message.get("game_title")):
        add(f"game {game}")
    invoice = message.get("invoice_information")
    if isinstance(invoice, dict):
        add("invoice: " + ", ".join(f"{_words(str(k))} {scalar(v)}" for k, v in invoice.items()
                                    if scalar(v)))
    if seconds := scalar(message.get("self_destruct_period_seconds")):
        add(f"self-destructing after {seconds} seconds")
    facts.extend(_reactions(message.get("reactions")))
    return facts


def _poll(poll: object) -> list[str]:
    if not isinstance(poll, dict):
        return []
    answers = []
    for answer in poll.get("answers") if isinstance(poll.get("answers"), list) else []:
        if isinstance(answer, dict):
            voters = scalar(answer.get("voters"))
            chosen = " (chosen)" if answer.get("chosen") is True else ""
            answers.append(f"'{scalar(answer.get('text'))}'"
                           + (f" {voters} votes" if voters else "") + chosen)
    described = f"poll '{scalar(poll.get('question'))}'"
    if answers:
        described += ", answers " + ", ".join(answers)
    if total := scalar(poll.get("total_voters")):
        described += f", {total} voters"
    if poll.get("closed") is True:
        described += ", closed"
    return [described]


def _place(message: dict) -> list[str]:
    facts = []
    location = message.get("location_information")
    if isinstance(location, dict):
        facts.append(f"location: latitude {scalar(location.get('latitude'))}, "
                     f"longitude {scalar(location.get('longitude'))}")
    if period := scalar(message.get("live_location_period_seconds")):
        facts.append(f"live location for {period} seconds")
    venue = [scalar(message.get(k)) for k in ("place_name", "address")]
    if any(venue):
        facts.append("place: " + ", ".join(v for v in venue if v))
    return facts


def _contact(contact: object) -> list[str]:
    if not isinstance(contact, dict):
        return []
    name = " ".join(n for n in (scalar(contact.get("first_name")),
                                scalar(contact.get("last_name"))) if n)
    phone = scalar(contact.get("phone_number"))
    return ["contact: " + ", ".join(p for p in (name, f"phone {phone}" if phone else "") if p)]


def _reactions(reactions: object) -> list[str]:
    if not isinstance(reactions, list):
        return []
    shown = []
    for reaction in reactions:
        if not isinstance(reaction, dict):
            continue
        emoji = scalar(reaction.get("emoji")) or scalar(reaction.get("type")) or "reaction"
        count = scalar(reaction.get("count"))
        recent = reaction.get("recent") if isinstance(reaction.get("recent"), list) else []
        names = [scalar(r.get("from")) or scalar(r.get("from_id"))
                 for r in recent if isinstance(r, dict)]
        names = [n for n in names if n]
        shown.append(emoji + (f" {count}" if count else "")
                     + (f" by {', '.join(names)}" if names else ""))
    return ["reactions: " + ", ".join(shown)] if shown else []
