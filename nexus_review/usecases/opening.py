"""Opening the database the program works on."""

from __future__ import annotations

from nexus_review.storage.database import Database, open_database

__all__ = ["Database", "open_database"]
