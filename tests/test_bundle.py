"""The installer: build the PyInstaller bundle from build_installer.spec and run its self-test.

Slow (about half a minute to build), so it is marked ``bundle``; it is skipped where PyInstaller
is not installed, and CI (.ci/run) installs it, so there it always runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.bundle, pytest.mark.slow]


def _folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("PyInstaller")
    work = tmp_path_factory.mktemp("pyinstaller")
    started = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build"),
            str(ROOT / "build_installer.spec"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    folder = work / "dist" / "nexus-review"
    seconds = time.perf_counter() - started
    size = _folder_size(folder)
    print(f"\nbundle: {size / 1_048_576:.0f} MB, built in {seconds:.0f} s")
    return folder


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["NEXUS_REVIEW_DATA_DIR"] = str(tmp_path / "data")
    env.update(extra)
    return env


def test_bundle_is_lean_and_has_its_resources(bundle: Path) -> None:
    internal = bundle / "_internal"
    assert (internal / "resources" / "frameworks" / "ofsted-2025.json").is_file()
    assert (internal / "resources" / "schemas" / "visit-v1.schema.json").is_file()
    assert (internal / "resources" / "demo" / "phrases.json").is_file()
    assert (internal / "resources" / "demo" / "network.json").is_file()
    assert (
        internal / "nexus_review" / "storage" / "migrations" / "versions" / "0001_initial.py"
    ).is_file()
    assert (
        internal / "nexus_review" / "storage" / "migrations" / "versions" / "0002_field_merge.py"
    ).is_file()
    names = {p.name for p in bundle.rglob("*")}
    assert not any(
        "WebEngine" in n or "Qt6Qml" in n or "Qt6Quick" in n or "qgtk3" in n for n in names
    )
    # 166 MB before tagged PDFs: pikepdf with qpdf (11 MB) and the Chinese, Japanese, Korean and
    # Hindi fallback fonts with their shaping library (8 MB) came in with accessible reports.
    assert _folder_size(bundle) < 192 * 1_048_576


def test_frozen_selftest_passes_offscreen(bundle: Path, tmp_path: Path) -> None:
    proc = subprocess.run(
        [str(bundle / "nexus-review"), "--selftest"],
        env=_env(tmp_path, QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "selftest passed" in proc.stdout
    for check in (
        "database",
        "frameworks",
        "demo network",
        "Word report",
        "PDF report",
        "desktop program",
    ):
        assert f"ok    {check}" in proc.stdout


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="Xvfb is not installed")
def test_frozen_selftest_shows_the_main_window_under_xvfb(bundle: Path, tmp_path: Path) -> None:
    shot = tmp_path / "main-window.png"
    env = _env(tmp_path, NEXUS_SELFTEST_SCREENSHOT=str(shot))
    env.pop("QT_QPA_PLATFORM", None)
    proc = subprocess.run(
        [
            "xvfb-run",
            "-a",
            "-s",
            "-screen 0 1280x800x24",
            str(bundle / "nexus-review"),
            "--selftest",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "main window shown (xcb)" in proc.stdout
    assert shot.stat().st_size > 10_000  # a real picture of the window, not an empty one


def test_frozen_command_line_works(bundle: Path, tmp_path: Path) -> None:
    db = tmp_path / "frozen.db"
    env = _env(tmp_path, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [str(bundle / "nexus-review"), "--db", str(db), "demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run(
        [str(bundle / "nexus-review"), "--db", str(db), "visit", "export", "nope", "--out", "x"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    # The Word compilation draws its chart with renderPM, which needs reportlab's own fonts.
    out = tmp_path / "compilation.docx"
    proc = subprocess.run(
        [
            str(bundle / "nexus-review"),
            "--db",
            str(db),
            "compile",
            "--format",
            "docx",
            "--out",
            str(out),
            "--year",
            "2025-26",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_size > 50_000
    secret = tmp_path / "pass.txt"
    secret.write_text("kettle\n", encoding="utf-8")
    package = tmp_path / "all.nxr"
    proc = subprocess.run(
        [
            str(bundle / "nexus-review"),
            "--db",
            str(db),
            "package",
            "export",
            "--all",
            "--out",
            str(package),
            "--passphrase-file",
            str(secret),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run(
        [
            str(bundle / "nexus-review"),
            "--db",
            str(tmp_path / "network.db"),
            "package",
            "import",
            str(package),
            "--passphrase-file",
            str(secret),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (
        proc.returncode == 0 and "75 visits; added" in proc.stdout and "conflicts 0" in proc.stdout
    ), proc.stderr
