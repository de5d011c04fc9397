"""The whole case as one document: the JSON interchange format, version 1.

Everything a case holds travels: header, settings, the framework, every live
item, the id counters (so ids are never reused), the activity log and the
exhibit files (base64). `case-workbook schema` prints its JSON Schema.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from case_workbook.model.activity import ActivityEntry
from case_workbook.model.case import CaseHeader, CaseSettings
from case_workbook.model.framework import Framework
from case_workbook.model.items import Exhibit, Item, Storage

FORMAT_NAME = "case-workbook"
FORMAT_VERSION = 1

SHA256 = Field(pattern=r"^[0-9a-f]{64}$")


class CaseDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["case-workbook"] = FORMAT_NAME
    version: Literal[1] = FORMAT_VERSION
    tool_version: str = ""
    exported_at: datetime | None = None
    case_id: str = Field(pattern=r"^[0-9a-f]{32}$")
    created: datetime
    header: CaseHeader
    settings: CaseSettings = Field(default_factory=CaseSettings)
    framework: Framework
    counters: dict[str, int] = Field(default_factory=dict)
    items: list[Item] = Field(default_factory=list)
    activity: list[ActivityEntry] = Field(default_factory=list)
    # counsel's notes on themes and questions ("theme:<id>", "question:<id>:<n>")
    counsel_notes: dict[str, str] = Field(default_factory=dict)
    # sha256 -> file content in base64; copied exhibit files only
    files: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> CaseDocument:
        seen: dict[str, int] = {}
        for index, item in enumerate(self.items):
            if not item.id:
                raise ValueError(f"an item of kind {item.kind.value} has no id")
            if item.id in seen:
                # Named by place: an id in a file from elsewhere can be any text.
                raise ValueError(f"items[{seen[item.id]}] and items[{index}] have the same id")
            seen[item.id] = index
        for key in self.files:
            if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
                raise ValueError(f"'files' has a key that is not a SHA-256 hash: {key[:70]!r}")
        return self

    def missing_files(self) -> list[str]:
        """Ids of exhibits kept as a copy whose bytes are not in `files`."""
        return [item.id for item in self.items
                if isinstance(item, Exhibit) and item.file
                and item.file.storage == Storage.COPY and item.file.sha256 not in self.files]
