"""The case header and per-case settings."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from case_workbook.model.items import DEFAULT_EXHIBIT_PREFIX

DEFAULT_COPY_LIMIT = 512 * 1024 * 1024  # larger exhibit files are kept as verified references


class CaseHeader(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    title: str = Field(min_length=1, max_length=500)
    defendant: str = ""  # a name or a pseudonym
    charges: list[str] = Field(default_factory=list)
    jurisdiction: str = ""
    court: str = ""
    case_number: str = ""
    counsel: str = ""
    prepared_by: str = ""

    @field_validator("title")
    @classmethod
    def _title_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the case needs a title")
        return value


class CaseSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    exhibit_prefix: str = Field(default=DEFAULT_EXHIBIT_PREFIX, pattern=r"^[A-Z][A-Z0-9]{0,7}$")
    copy_limit_bytes: int = Field(default=DEFAULT_COPY_LIMIT, ge=0)
    default_tz: str = "UTC"

    @field_validator("default_tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from case_workbook.model.when import get_zone

        get_zone(value)  # WhenError (a ValueError) says which zone is unknown
        return value
