"""Make every way out to a network fail loudly, and say whether one was tried.

`block(record)` replaces the socket functions that reach another machine (or
name lookups that would): each call appends a line to `record` and raises.
Local plumbing — the socket pair asyncio wakes its loop with — is not a
network and stays. Run as a script, it blocks and then runs the CLI:
    python no_network.py RECORD ARG...
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable
from pathlib import Path

METHODS = ("connect", "connect_ex", "sendto", "sendmsg", "bind")
FUNCTIONS = ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex",
             "gethostbyaddr")


def block(record: Path) -> Callable[[], None]:
    """Block; returns the function that puts everything back."""
    saved = [(socket.socket, name, getattr(socket.socket, name)) for name in METHODS]
    saved += [(socket, name, getattr(socket, name)) for name in FUNCTIONS]

    def refuse(name: str):
        def refused(*args, **kwargs):
            with open(record, "a", encoding="utf-8") as out:
                out.write(f"{name} {args[1:2] if name.startswith('socket.') else args[:1]}\n")
            raise OSError(f"network use blocked by the test: {name}")
        return refused

    for name in METHODS:
        setattr(socket.socket, name, refuse(f"socket.{name}"))
    for name in FUNCTIONS:
        setattr(socket, name, refuse(name))

    def unblock() -> None:
        for owner, name, value in saved:
            setattr(owner, name, value)
    return unblock


if __name__ == "__main__":
    block(Path(sys.argv[1]))
    from case_workbook.cli import main

    sys.exit(main(sys.argv[2:]))
