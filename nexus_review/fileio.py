"""Writing files safely: to a temporary file beside the target, then renamed over it.

A failed export (full disk, crash, bad data) leaves no half-written file and never replaces a
good one. Every export in the program goes through :func:`atomic_write`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from nexus_review.errors import ExportError


def shown_name(path: Path | str, most: int = 60) -> str:
    """A path as a message shows it: whole when short, else its start and its end."""
    text = str(path)
    return text if len(text) <= most else f"{text[: most // 2 - 1]}…{text[-(most // 2) :]}"


def _explain(exc: OSError, target: Path) -> ExportError:
    if exc.errno == errno.ENAMETOOLONG:
        return ExportError(
            f"The file name {shown_name(target)} is too long; choose a shorter name or folder."
        )
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return ExportError(
            f"There is not enough disk space to write {target}; free some space and try again."
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ExportError(
            f"{target} cannot be written here; choose a folder you are allowed to write to."
        )
    if exc.errno == errno.ENOENT:
        return ExportError(
            f"The folder {target.parent} does not exist; choose another place to save."
        )
    if exc.errno == errno.EISDIR:
        return ExportError(f"{target} is a folder; choose a file name.")
    return ExportError(f"{target} could not be written ({exc.strerror or exc}).")


@contextlib.contextmanager
def atomic_write(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces the target."""
    target = Path(target).expanduser()
    try:
        is_dir = target.is_dir()
    except OSError as exc:  # a name too long, say: nothing has been written yet
        raise _explain(exc, target) from exc
    if is_dir:
        raise ExportError(f"{target} is a folder; choose a file name.")
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise _explain(exc, target) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.filename not in (None, str(tmp), str(target)):
            raise  # about some other file (a missing template, say), not the one being written
        raise _explain(exc, target) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes_atomic(target: Path | str, data: bytes) -> Path:
    target = Path(target).expanduser()
    with atomic_write(target) as tmp:
        tmp.write_bytes(data)
    return target
