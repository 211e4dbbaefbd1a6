"""Small shared type shapes (domain-free)."""

from __future__ import annotations

from typing import Protocol


class Writer(Protocol):
    """Where a command or a loader reports: a text stream, or a management command's
    `self.stdout` (Django's OutputWrapper, which is not a TextIO)."""

    def write(self, text: str, /) -> object: ...
