"""Limits every reader of outside files applies before a schema looks at them.

A visit file or review package comes from a laptop the network office does not control. Before
its contents are validated against their schema, they are read only as far as a size limit
(from a regular file, a device or a pipe alike), and the parsed JSON is checked for what no
schema can say: nesting deeper than any real record has, and text that is not valid Unicode (a
lone surrogate such as ``"\\ud800"`` parses as JSON but can never be written to the database).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

from nexus_review.errors import InterchangeError

# The deepest a real file goes is about 7 levels (package, table, record, follow-up notes, note);
# anything much deeper is not one of ours, and a walk or message over it could exhaust the stack.
MAX_DEPTH = 24
# Lone surrogates can only arrive as \uD800-\uDFFF escapes (raw UTF-8 cannot hold them).
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class TooLarge(Exception):
    """The file holds more than the limit (``size`` is its size when that is known)."""

    def __init__(self, size: int | None) -> None:
        super().__init__(size)
        self.size = size


def read_at_most(path: Path, limit: int) -> bytes:
    """The bytes of a file, read only as far as the limit: a file whose size says it is too
    large is not read at all, and a device or pipe (``/dev/zero``) is read to the limit and no
    further. Raises :class:`TooLarge`, or OSError for a file that cannot be read."""
    with open(path, "rb") as fh:
        info = os.fstat(fh.fileno())
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise TooLarge(info.st_size)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = fh.read(min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    if total > limit:
        raise TooLarge(info.st_size if stat.S_ISREG(info.st_mode) else None)
    return b"".join(chunks)


def megabytes(size: int) -> str:
    return f"{size / 1_048_576:.0f} MB"


def read_outside_file(path: Path, limit: int, kind: str) -> bytes:
    """The bytes of a visit file or review package (``kind`` names which), read at most to
    the limit; every problem is one InterchangeError sentence."""
    try:
        return read_at_most(path, limit)
    except TooLarge as exc:
        size = megabytes(exc.size) if exc.size is not None else f"more than {megabytes(limit)}"
        raise InterchangeError(f"{path.name} is too large to be a {kind} ({size}).") from None
    except FileNotFoundError:
        raise InterchangeError(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise InterchangeError(f"{path} is a folder, not a {kind}.") from None
    except OSError as exc:
        raise InterchangeError(f"{path} cannot be read ({exc.strerror}).") from exc


def may_hold_surrogates(raw: bytes) -> bool:
    """False when the JSON text certainly holds no lone surrogate (the fast, common case)."""
    return _ESCAPED_SURROGATE.search(raw) is not None


def printable_key(key: str, longest: int = 40) -> str:
    """A name from a file as a message can show it: on one line, never a lone surrogate or a
    control character (escaped as in Python), and shortened when long."""
    text = (
        key
        if key.isprintable()
        else "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in key)
    )
    return text if len(text) <= longest else text[: longest - 3] + "..."


def check_tree(data: Any, name: str, what: str, *, surrogates: bool = True) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH` and (unless told there can be none) text
    that is not valid Unicode, in one sentence naming where it is. Iterative: the depth of
    the data never becomes the depth of the stack."""
    from nexus_review.interchange.visit_check import field_path

    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:
        value, where = stack.pop()
        if len(where) > MAX_DEPTH:
            raise InterchangeError(
                f"{name} is not a valid {what}: it is nested too deeply (at {field_path(where[:6])}...)."
            )
        if isinstance(value, dict):
            for key, item in value.items():
                if surrogates and isinstance(key, str) and _SURROGATE.search(key):
                    raise InterchangeError(
                        f"{name} is not a valid {what}: at {field_path(where)}, a name holds a character that is not valid Unicode."
                    )
                if isinstance(item, dict | list) or (surrogates and isinstance(item, str)):
                    stack.append((item, (*where, printable_key(str(key)))))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict | list) or (surrogates and isinstance(item, str)):
                    stack.append((item, (*where, i)))
        elif isinstance(value, str) and not value.isascii() and _SURROGATE.search(value):
            raise InterchangeError(
                f"{name} is not a valid {what}: at {field_path(where)}, the text holds a character that is not valid Unicode."
            )
