"""How long a feedback report takes: each format in-process, and the whole command.

    .venv/bin/python benchmarks/report_export.py

Uses a demo evaluation day (a typical visit: 5-7 pieces of evidence, judgements, next steps).
The first export in a process also loads python-docx or reportlab and the fonts; the figures
after it are what the program pays for each further export (the PDF tagged, as always). Goal:
at most 0.2 s each on the reference machine; each figure is also given as a multiple of the
anchor (benchmarks/anchor.py) timed in the same run, which holds on a busy machine too.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.anchor import anchor_seconds, goal_in_anchors, in_anchors  # noqa: E402
from nexus_review.demo import fill_demo_network  # noqa: E402
from nexus_review.reports.export import ReportOptions  # noqa: E402
from nexus_review.storage.database import open_database  # noqa: E402
from nexus_review.storage.repository import visit_summaries  # noqa: E402
from nexus_review.usecases.reports import export_visit_report  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["NEXUS_REVIEW_DATA_DIR"] = str(folder / "data")  # never the user's own folder
        db = open_database(folder / "bench.db")
        fill_demo_network(db)
        with db.reading() as s:
            visit = next(
                v
                for v in visit_summaries(s)
                if v.kind == "evaluation-day" and v.status != "planned"
            )
        for fmt in ("docx", "pdf"):
            started = time.perf_counter()
            export_visit_report(db, visit.id, fmt, folder / f"first.{fmt}", ReportOptions())
            first = time.perf_counter() - started
            runs = []
            anchors = [anchor_seconds()]
            for i in range(10):
                started = time.perf_counter()
                export_visit_report(db, visit.id, fmt, folder / f"r{i}.{fmt}", ReportOptions())
                runs.append(time.perf_counter() - started)
            anchors.append(anchor_seconds())
            anchor = statistics.mean(anchors)
            median = statistics.median(runs)
            print(
                f"{fmt:5} first export {first:.3f} s (loads the library and fonts); "
                f"then median {median:.3f} s = {in_anchors(median, anchor)}, worst {max(runs):.3f} s "
                f"(anchor {anchor:.3f} s; goal 0.2 s = {goal_in_anchors(0.2)})"
            )
        db.close()
        for fmt in ("docx", "pdf"):
            started = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "nexus_review",
                    "--db",
                    str(folder / "bench.db"),
                    "report",
                    visit.id[:8],
                    "--format",
                    fmt,
                    "--out",
                    str(folder / f"cli.{fmt}"),
                ],
                check=True,
                capture_output=True,
                cwd=ROOT,
            )
            print(
                f"{fmt:5} whole 'nexus-review report' process {time.perf_counter() - started:.3f} s"
            )


if __name__ == "__main__":
    main()
