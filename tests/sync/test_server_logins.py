"""The server's logins: no password stored and a wrong one refused, a login added only when its
name, role, reviewer and password make sense, and the server commands take the password from
a file and never show it."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest

from nexus_review.errors import NexusError
from nexus_review.usecases.server import add_user
from tests.pg import PgServer
from tests.sync.logins import PASSWORD, connect

ROOT = Path(__file__).resolve().parents[2]


def test_logins_store_no_password_and_a_wrong_one_is_refused(
    pg_server: PgServer, network: dict[str, Any]
) -> None:
    with contextlib.closing(pg_server.admin()) as admin:
        stored = admin.execute(
            "SELECT rolpassword FROM pg_authid WHERE rolname = %s", (network["logins"]["reviewer"],)
        ).fetchone()[0]
    assert stored.startswith("SCRAM-SHA-256$") and PASSWORD not in stored
    with pytest.raises(psycopg.OperationalError):
        connect(pg_server, network, "reviewer", password="not the password")


def test_add_user_refuses_plainly(network: dict[str, Any]) -> None:
    db = network["db"]
    with pytest.raises(NexusError, match="tied to a reviewer"):
        add_user(db, "someone_new", "reviewer", PASSWORD)
    with pytest.raises(NexusError, match="no reviewer called"):
        add_user(db, "someone_new", "reviewer", PASSWORD, "Nobody Atall")
    with pytest.raises(NexusError, match="already a login"):
        add_user(db, network["logins"]["reader"], "reader", PASSWORD)
    with pytest.raises(NexusError, match="too short"):
        add_user(db, "someone_new", "reader", "short")
    with pytest.raises(NexusError, match="lower-case letters"):
        add_user(db, 'x"; DROP TABLE visit; --', "reader", PASSWORD)


def test_server_commands_take_the_password_from_a_file_and_never_show_it(
    pg_server: PgServer, network: dict[str, Any], tmp_path: Path
) -> None:
    secret = tmp_path / "pw.txt"
    secret.write_text("a-long-Secret-of-the-office\n", "utf-8")
    env = {**os.environ, "NEXUS_REVIEW_DATA_DIR": str(tmp_path / "data")}
    login = f"office_{uuid.uuid4().hex[:6]}"

    def run(*args: str, stdin: Any = subprocess.DEVNULL) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "nexus_review", "--db", network["url"], "server", *args],
            capture_output=True, text=True, cwd=ROOT, env=env, timeout=60, stdin=stdin,
        )  # fmt: skip

    init = run("init")
    assert init.returncode == 0 and "is set up" in init.stdout
    added = run("add-user", login, "--role", "administrator", "--password-file", str(secret))
    assert added.returncode == 0, added.stderr
    assert (
        "a-long-Secret" not in added.stdout + added.stderr
        and pg_server.password not in added.stdout + added.stderr
    )
    asked = run("add-user", f"{login}_b", "--role", "reader")
    assert asked.returncode == 1 and "--password-file" in asked.stderr
    with contextlib.closing(
        psycopg.connect(
            host="127.0.0.1",
            port=pg_server.port,
            dbname=network["database"],
            user=login,
            password="a-long-Secret-of-the-office",
        )
    ) as conn:
        assert conn.execute("SELECT count(*) FROM visit").fetchone()[0] == 75
    with contextlib.closing(pg_server.admin()) as admin:
        admin.execute(f'DROP OWNED BY "{login}"')
        admin.execute(f'DROP ROLE "{login}"')
