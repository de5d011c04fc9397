"""Errors the store raises: each carries one plain sentence for the person."""


class CaseFileError(Exception):
    """A case file cannot be created, opened, read or changed.

    str(error) is one sentence that says what happened and what to do.
    """


class CaseLockedError(CaseFileError):
    """Another process is editing the case."""


class ItemError(CaseFileError):
    """An item refers to something that does not exist, or cannot be changed."""


class DamagedItemError(CaseFileError):
    """An item's stored data no longer reads as an item (changed outside the app)."""
