"""The server's logins for the access tests: the password they share, and a plain connection
as one of them."""

from __future__ import annotations

from typing import Any

import psycopg

from tests.pg import PgServer

PASSWORD = "correct-horse-battery"


def connect(
    pg_server: PgServer, network: dict[str, Any], kind: str, password: str = PASSWORD
) -> Any:
    """A plain connection as one of the network's logins, as any other client would make."""
    return psycopg.connect(
        host="127.0.0.1", port=pg_server.port, dbname=network["database"], user=network["logins"][kind],
        password=password, autocommit=True,
    )  # fmt: skip
