"""The tree is kept as ruff formats and lints it (pyproject.toml's settings), so CI, which runs
the whole suite, refuses a change that is not."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _ruff() -> list[str]:
    beside = Path(sys.executable).with_name("ruff")
    found = str(beside) if beside.exists() else shutil.which("ruff")
    if found is None:
        pytest.fail("ruff is not installed: it is in the dev extra (pip install -e '.[dev]')")
    return [found]


@pytest.mark.parametrize("command", [["format", "--check"], ["check"]], ids=["format", "lint"])
def test_the_tree_is_as_ruff_leaves_it(command: list[str]) -> None:
    run = subprocess.run(
        [*_ruff(), *command, "."], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]


@pytest.mark.slow
def test_the_core_and_the_program_type_check(tmp_path: Path) -> None:
    """mypy over nexus_review/ and ui/ (pyproject.toml's settings): a misspelt field of the
    working copy, a wrong argument or a stale ``type: ignore`` fails here, not in a head's hands."""
    beside = Path(sys.executable).with_name("mypy")
    found = str(beside) if beside.exists() else shutil.which("mypy")
    if found is None:
        pytest.fail("mypy is not installed: it is in the dev extra (pip install -e '.[dev]')")
    run = subprocess.run(
        [found, "--cache-dir", str(tmp_path / "mypy"), "ui", "nexus_review"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
