"""Backups and the database lock, under the names code written before they were split
imports: backups are in :mod:`nexus_review.storage.backups`, the lock in
:mod:`nexus_review.storage.lock`."""

from __future__ import annotations

from nexus_review.storage.backups import (
    BACKUP_NAME,
    BUSY_WAIT_SECONDS,
    KEEP_RECENT,
    BackupFile,
    FileIdentity,
    backups_dir,
    check_integrity,
    daily_backup,
    damaged_message,
    file_identity,
    list_backups,
    make_backup,
    newest_good_backup,
    restore_backup,
    rotate,
    unavailable_message,
)
from nexus_review.storage.lock import DatabaseLock, exclusive_use

__all__ = [
    "BACKUP_NAME",
    "BUSY_WAIT_SECONDS",
    "KEEP_RECENT",
    "BackupFile",
    "DatabaseLock",
    "FileIdentity",
    "backups_dir",
    "check_integrity",
    "daily_backup",
    "damaged_message",
    "exclusive_use",
    "file_identity",
    "list_backups",
    "make_backup",
    "newest_good_backup",
    "restore_backup",
    "rotate",
    "unavailable_message",
]
