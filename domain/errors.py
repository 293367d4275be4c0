"""Domain errors: a message key (the English text, a gettext msgid) plus parameters.

The domain never translates; the handler layer looks the key up in the user's language
and fills in the parameters (Tryton's message-key pattern, named in STYLE.md).
"""
from __future__ import annotations

from typing import Any


def N_(message: str) -> str:
    """Mark a string for extraction into the catalogs without translating it here."""
    return message


class Term(str):
    """A parameter that is itself a word to translate (a document's name), not user data."""


class DomainError(Exception):
    """A rule of the seed was broken; the message is fit to show a user."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def __str__(self) -> str:
        return self.message.format(**self.params)


class NotFound(DomainError):
    """The thing asked for does not exist, or the user may not see it."""


class InvalidInput(DomainError):
    """What the user typed cannot be understood as the value asked for."""


class TransitionNotAllowed(DomainError):
    """A document cannot move from its current status to the one asked for."""


class NotPermitted(DomainError):
    """The user's role does not allow the action."""


class ConcurrentChange(DomainError):
    """Someone else changed the same document at the same moment."""
