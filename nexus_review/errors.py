"""Errors the user can act on.

Two kinds of failure exist: problems with the user's files or environment (a malformed file, a
locked database, a full disk), which are :class:`NexusError` and are shown as one plain sentence;
and bugs, which are logged with their traceback and reported once.
"""

from __future__ import annotations


class NexusError(Exception):
    """A problem the user can understand and fix; ``str(err)`` is the sentence shown to them."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DatabaseError(NexusError):
    """The database cannot be opened, read or written."""


class DatabaseUnavailableError(DatabaseError):
    """The database cannot be read just now (busy in another program, or in a folder the
    program may not write to); it is not damaged, and nothing may replace it meanwhile."""


class FrameworkError(NexusError):
    """A judgement framework file is missing or malformed."""


class InterchangeError(NexusError):
    """A visit file or review package cannot be read."""


class NotFoundError(NexusError):
    """A record the user named does not exist."""


class ExportError(NexusError):
    """A report or file could not be written."""
