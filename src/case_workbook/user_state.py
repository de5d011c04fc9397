"""What the app remembers between runs: the first-run notice, recent cases,
the colour theme. A small JSON file in the user's config folder, owner-only."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from pathlib import Path

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from case_workbook.fileio import atomic_write, make_private_folder

MAX_RECENT = 12


class RecentCase(BaseModel):
    model_config = ConfigDict(extra="ignore")

    path: str
    title: str = ""
    opened: datetime


class UserState(BaseModel):
    model_config = ConfigDict(extra="ignore")

    notice_dismissed: bool = False
    theme: str = ""
    recent: list[RecentCase] = Field(default_factory=list)

    def remember(self, path: Path, title: str) -> None:
        resolved = str(Path(path).resolve())
        self.recent = [r for r in self.recent if r.path != resolved]
        self.recent.insert(0, RecentCase(path=resolved, title=title, opened=datetime.now(UTC)))
        del self.recent[MAX_RECENT:]

    def forget(self, path: str) -> None:
        self.recent = [r for r in self.recent if r.path != path]


def state_path() -> Path:
    return platformdirs.user_config_path("case-workbook") / "state.json"


def load_state() -> UserState:
    """The remembered state; a missing or unreadable file starts afresh."""
    with contextlib.suppress(OSError, ValueError, ValidationError):
        return UserState.model_validate(json.loads(state_path().read_text(encoding="utf-8")))
    return UserState()


def save_state(state: UserState) -> None:
    """Best effort: failing to remember a recent case must not stop the work."""
    path = state_path()
    with contextlib.suppress(OSError):
        make_private_folder(path.parent)
        with atomic_write(path, "w") as handle:
            handle.write(state.model_dump_json(indent=2))
