"""Readers for the files other programs export — phone chats, message
backups, email — and the step that turns chosen messages into items.

Core: never imports the terminal interface. Every reader returns a
`ParseResult` (see `parsed`) and touches no case; `to_case` is the only part
that writes.
"""
