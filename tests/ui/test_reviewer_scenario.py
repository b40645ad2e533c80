"""A reviewer's whole morning on a real window system (Xvfb), then a dead battery.

The program runs in its own process on a virtual screen with the xcb platform, as on a laptop;
`scenario_typist.py` clicks and types through a visit, exports its report and a review package,
types one more sentence and is killed with SIGKILL two seconds later. The test then restarts
on the database, finds the sentence, reads both reports back, and imports the package into a
second (network) database.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from nexus_review.selftest import read_document_text
from nexus_review.storage.database import Database, open_database
from nexus_review.storage.repository import visit_detail
from nexus_review.usecases.packages import import_package_files

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
LAST_SENTENCE = "Pupils in Year 4 explained their methods with precise mathematical vocabulary."


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs Xvfb (./dev test installs it)")
def test_a_reviewers_morning_under_a_real_window_system_survives_a_dead_battery(
    demo_db: Database, tmp_path: Path
) -> None:
    path = demo_db.path
    assert path is not None
    demo_db.close()
    out = tmp_path / "exports"
    out.mkdir()
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "xcb",
        "NEXUS_REVIEW_DATA_DIR": os.environ["NEXUS_REVIEW_DATA_DIR"],
    }
    env.pop("QT_LOGGING_RULES", None)
    command = [
        "xvfb-run",
        "-a",
        "-s",
        "-screen 0 1280x800x24",
        sys.executable,
        str(ROOT / "tests" / "ui" / "scenario_typist.py"),
        str(ROOT),
        str(path),
        str(out),
    ]
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    ) as proc:
        try:
            assert proc.stdout is not None and proc.stderr is not None
            visit_line = proc.stdout.readline()
            typed = proc.stdout.readline()
            if not visit_line.startswith("visit ") or typed.strip() != "typed":
                os.killpg(proc.pid, signal.SIGKILL)
                pytest.fail(
                    f"the program stopped early: {visit_line}{typed}{proc.stderr.read()[-3000:]}"
                )
            os.kill(
                int(visit_line.split()[2]), signal.SIGKILL
            )  # the program itself, as a dead battery does
            proc.wait(timeout=20)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
    visit_id = visit_line.split()[1]

    db = open_database(path)
    try:
        with db.reading() as s:
            visit = visit_detail(s, visit_id)
        assert visit.summary.endswith(LAST_SENTENCE)  # typed two seconds before the kill
        assert [e.kind for e in visit.evidence] == ["lesson-observation", "learning-walk"]
        walk = visit.evidence[1]
        assert [d.class_name for d in walk.drop_ins] == ["Class 1", "Class 2", "Class 3"]
        linked = [j for j in visit.judgements if j.evidence_ids]
        assert linked and set(linked[0].evidence_ids) == {e.id for e in visit.evidence}
        assert [a.description for a in visit.actions] == ["Share the talk look-fors with governors"]
        school = visit.host_school.name
    finally:
        db.close()

    reports = sorted(out.glob("answer-*.docx")) + sorted(out.glob("answer-*.pdf"))
    assert len(reports) == 2
    for report in reports:
        text = read_document_text(report)
        assert school in text and "Share the talk look-fors with governors" in text
    (package,) = out.glob("*.nxr")
    network = open_database(tmp_path / "network.db")
    try:
        results = import_package_files(
            network, [package], passphrase="correct horse battery staple"
        )
        assert results and results[0].visits >= 1
        with network.reading() as s:
            assert visit_detail(s, visit_id).host_school.name == school
    finally:
        network.close()
