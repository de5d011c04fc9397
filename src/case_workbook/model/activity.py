"""One line of a case's activity log: who changed what, when, before and after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class ActivityEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int
    at: datetime
    actor: str
    action: str  # create, edit, delete, restore, header, undo, import, migrate
    entity: str  # an item id, "header", or "case"
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    undone: bool = False
