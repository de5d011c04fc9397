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
from pathlib import Path


def block(record: Path) -> None:
    def refuse(name: str):
        def refused(*args, **kwargs):
            with open(record, "a", encoding="utf-8") as out:
                out.write(f"{name} {args[1:2] if name.startswith('socket.') else args[:1]}\n")
            raise OSError(f"network use blocked by the test: {name}")
        return refused

    for name in ("connect", "connect_ex", "sendto", "sendmsg", "bind"):
        setattr(socket.socket, name, refuse(f"socket.{name}"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex",
                 "gethostbyaddr"):
        setattr(socket, name, refuse(name))


if __name__ == "__main__":
    block(Path(sys.argv[1]))
    from case_workbook.cli import main

    sys.exit(main(sys.argv[2:]))
