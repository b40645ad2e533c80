"""The backup, restore and retention commands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nexus_review.storage.database import Database

ROOT = Path(__file__).resolve().parents[2]

# Backups, locks and damage are about the SQLite file on a laptop; a network server is backed
# up with its own tools (docs/server.md).
pytestmark = pytest.mark.sqlite_only


def test_backup_restore_and_retention_commands(demo_db: Database, tmp_path: Path) -> None:
    assert demo_db.path is not None
    env = {**os.environ, "NEXUS_REVIEW_DATA_DIR": str(tmp_path / "data")}
    run = lambda *a: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "nexus_review", "--db", str(demo_db.path), *a],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    out = tmp_path / "by-hand.db"
    made = run("backup", "--out", str(out))
    assert made.returncode == 0 and out.exists(), made.stderr
    listed = run("backups")
    assert listed.returncode == 0
    dry = run("retention", "--older-than", "1", "--dry-run")
    assert dry.returncode == 0 and "would be deleted" in dry.stdout
    demo_db.close()
    restored = run("restore", str(out))
    assert restored.returncode == 0 and "restored from" in restored.stdout, restored.stderr
    missing = run("restore", str(tmp_path / "nope.db"))
    assert missing.returncode == 1 and "There is no backup file" in missing.stderr
