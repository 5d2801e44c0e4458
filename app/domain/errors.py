"""Domain errors. Their messages are translatable and shown to the user as they are."""
from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused an operation; ``str(error)`` is the user-facing reason."""

    def __init__(self, message: object) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)
