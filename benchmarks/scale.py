"""Speed at network scale: every figure as a ratio to an anchor timed in the same run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/scale.py [--sizes 1000,10000,100000] [--compile]

Builds (once, then keeps in a cache folder: see benchmarks/scale_data.py) network databases of
1,000, 10,000 and 100,000 pieces of evidence, and times what a head or the network office waits
for, each beside the anchor it is read against:

- start-up to the main window painted (and the visit list usable) against a bare PySide6 window;
- the visit list's query against the same SQL run raw, and the list screen's refresh and paint;
- a note search with one hit against a bare FTS5 trigram index over the same notes;
- opening a visit in the window against the visit's own query;
- the command line's ``visits`` against ``import sqlalchemy.orm``, and the import cost of ``ui``
  and of ``nexus_review.storage.models``;
- opening the database for editing against one ``PRAGMA quick_check``;
- with ``--compile``: the network compilation of a 40-school trust's year (160 visits, 4,000
  pieces of evidence) and of five such years, against benchmarks/anchor.py.

Times are medians of a few runs (start-ups: of separate processes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scale_data import UNIQUE, cache_folder, database_for  # noqa: E402
from benchmarks.timing import (  # noqa: E402
    PY,
    first_open_time,
    import_cost,
    median_time,
    ms,
    paired_start_times,
    process_time,
    row,
)


def fts_anchor(db_path: Path) -> Callable[[], object]:
    """A bare FTS5 trigram index of the same evidence notes, kept beside the cached database."""
    anchor = db_path.with_name(db_path.stem + "-fts-anchor.sqlite")
    if not anchor.exists():
        part = anchor.with_suffix(".part")
        part.unlink(missing_ok=True)
        con = sqlite3.connect(part)
        con.execute(f"ATTACH DATABASE 'file:{db_path}?mode=ro' AS src")
        con.execute("CREATE VIRTUAL TABLE notes_fts USING fts5(notes, tokenize='trigram')")
        con.execute("INSERT INTO notes_fts(rowid, notes) SELECT rowid, notes FROM src.evidence")
        con.commit()
        con.execute("DETACH DATABASE src")
        con.close()
        part.rename(anchor)
    con = sqlite3.connect(anchor)
    return lambda: con.execute(
        "SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?", (f'"{UNIQUE}"',)
    ).fetchall()


def raw_visit_list(db_path: Path) -> Callable[[], object]:
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)

    def run() -> object:
        rows = con.execute(
            "SELECT visit.id, visit.visit_date, visit.host_school_id, school.name, visit.kind, visit.status, "
            "visit.framework_key, visit.focus_areas, visit.updated_at FROM visit JOIN school ON school.id = visit.host_school_id "
            "WHERE visit.deleted = 0 ORDER BY visit.visit_date DESC, visit.id"
        ).fetchall()
        team = con.execute(
            "SELECT visit_reviewer.visit_id, reviewer.name FROM visit_reviewer JOIN reviewer ON reviewer.id = visit_reviewer.reviewer_id "
            "WHERE visit_reviewer.deleted = 0 ORDER BY visit_reviewer.visit_id, visit_reviewer.is_lead DESC, visit_reviewer.position"
        ).fetchall()
        return rows, team

    return run


def quick_check(db_path: Path) -> None:
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    con.execute("PRAGMA quick_check").fetchall()
    con.close()


def measure_size(evidence: int, env: dict[str, str], work: Path) -> None:
    source = database_for(evidence)
    path = work / f"network-{evidence}.db"
    shutil.copy(source, path)
    print(
        f"\n### {evidence:,} pieces of evidence ({path.stat().st_size / 1e6:.0f} MB)\n", flush=True
    )
    print("| what | measured = ratio × anchor |\n|---|---|")

    bare_painted, painted, usable, opened, ratios = paired_start_times(["program", str(path)], env)
    row("start-up to the main window painted", painted, "bare window", bare_painted, "≤ 2 ×")
    row(
        "start-up to the visit list usable",
        usable,
        "bare window",
        bare_painted,
        f"≤ painted + 0.3 s = {(painted + 0.3) / bare_painted:.1f} ×",
    )
    row("start-up to the database open (whole list, filters)", opened, "bare window", bare_painted)
    print(
        f"| (start-up, each run beside a bare window started just before it) | painted "
        f"{ratios[0]:.1f} ×, usable {ratios[1]:.1f} ×, usable − painted {ms(ratios[2])} |",
        flush=True,
    )

    from nexus_review.storage.database import open_database
    from nexus_review.storage.repository import search_visit_ids, visit_detail, visit_summaries

    os.environ["NEXUS_REVIEW_DATA_DIR"] = env["NEXUS_REVIEW_DATA_DIR"]
    db = open_database(path)

    def query_list() -> object:
        with db.reading() as s:
            return visit_summaries(s)

    try:  # the list reads the ids in order, then the rows of the first screen
        from nexus_review.usecases import visit_list

        def list_query() -> object:
            ids = visit_list.ordered_ids(db, 0, True)
            return visit_list.rows(db, ids[:100])

        what = "visit list query (ids in order + the first screen's rows)"
    except ImportError:  # the list reads every row
        list_query, what = query_list, "visit list query (every row)"
    row(what, median_time(list_query), "the same raw SQL", median_time(raw_visit_list(path)))

    def search() -> object:
        with db.reading() as s:
            found = search_visit_ids(s, UNIQUE)
        assert len(found) == 1, found
        return found

    row(
        f"note search, one hit ('{UNIQUE}')",
        median_time(search, 7),
        "a bare FTS5 trigram index",
        median_time(fts_anchor(source), 7),
        "≤ 5 ms",
    )

    with db.reading() as s:
        listed = visit_summaries(s)
        some_id = listed[len(listed) // 2].id

    def detail() -> object:
        with db.reading() as s:
            return visit_detail(s, some_id)

    visit_query = median_time(detail)

    from ui.app import make_application
    from ui.main_window import MainWindow

    app = make_application()
    window = MainWindow(db)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    page = window.visits
    from ui.startup import settle

    settle()  # as the program's start does once its window is filled

    def refresh() -> None:
        page.refresh()
        app.processEvents()
        page.view.viewport().repaint()

    row(
        "visit list screen refresh + paint",
        median_time(refresh),
        "the same raw SQL",
        median_time(raw_visit_list(path)),
        "≤ 50 ms",
    )

    def gui_search() -> None:
        page.search.setText(UNIQUE)
        page.apply_search()
        while getattr(page, "searching", False):  # the search runs off the GUI thread
            app.processEvents()
        app.processEvents()
        page.view.viewport().repaint()
        page.search.setText("")
        page.apply_search()

    row(
        "note search in the window (and clearing it)",
        median_time(gui_search),
        "a bare FTS5 trigram index",
        median_time(fts_anchor(source), 7),
    )

    def open_visit() -> None:
        window.open_visit(some_id)
        app.processEvents()
        window.repaint()
        window.close_visit()
        app.processEvents()

    opened = []
    for _ in range(5):
        started = time.perf_counter()
        window.open_visit(some_id)
        app.processEvents()
        window.repaint()
        opened.append(time.perf_counter() - started)
        window.close_visit()
        app.processEvents()
    row(
        "open a visit (window, to painted)",
        statistics.median(opened),
        "its own query",
        visit_query,
        "≤ 50 ms",
    )
    row(
        "open the first visit after a start (to painted)",
        first_open_time(path, env),
        "its own query",
        visit_query,
        "≤ 50 ms",
    )
    window.close()
    db.close()

    anchor_import = process_time(["-c", "import sqlalchemy.orm"], env)
    row(
        "CLI `visits`",
        process_time(
            [
                "-c",
                f"import sys; from nexus_review.cli import main; sys.exit(main(['--db', {str(path)!r}, 'visits']))",
            ],
            env,
            3,
        ),
        "`import sqlalchemy.orm`",
        anchor_import,
    )
    if evidence == max(SIZES):
        row(
            "`import ui` (cumulative, -X importtime)",
            import_cost("ui", env),
            "`import sqlalchemy.orm`",
            anchor_import,
        )
        row(
            "`import ui.main_window`",
            import_cost("ui.main_window", env),
            "`import sqlalchemy.orm`",
            anchor_import,
        )
        row(
            "`import nexus_review.storage.models`",
            import_cost("nexus_review.storage.models", env),
            "`import sqlalchemy.orm`",
            anchor_import,
        )

    from nexus_review.usecases.opening import open_for_work as open_light
    from ui.app import open_for_editing

    def open_for_work() -> None:
        open_for_editing(path).close()

    def open_at_start() -> None:
        open_light(path, lock=True, full_check=False).close()

    one_check = median_time(lambda: quick_check(path), 3)
    row(
        "opening the database for editing",
        median_time(open_for_work, 3),
        "one PRAGMA quick_check",
        one_check,
    )
    row(
        "opening at start-up (light check; the full one follows in the background)",
        median_time(open_at_start, 3),
        "one PRAGMA quick_check",
        one_check,
    )


SIZES: list[int] = []


def compilation(env: dict[str, str], work: Path) -> None:
    """The 2025-26 compilation of a 40-school trust (160 visits, 4,000 pieces of evidence a
    year): in a database of that year alone, in one of five such years (does the rest of the
    database cost anything?), and of five years' visits in one document (how cost grows)."""
    from benchmarks.compilation import MEASURE, build

    print(
        "\n### compilation of a 40-school trust (160 visits and 4,000 pieces of evidence a year)\n"
    )
    print("| what | measured = ratio × anchor | peak memory |\n|---|---|---|")
    cases = (
        ("one year", 160, 330, dt.date(2025, 9, 1), "≤ 3 s"),
        ("one year in a database of five", 800, 5 * 365, dt.date(2021, 9, 1), "≤ 3 s"),
        ("five years' visits in one document", 800, 330, dt.date(2025, 9, 1), "≤ 10 s"),
    )
    for name, visits, days, first, goal in cases:
        path = work / f"trust-{visits}-{days}.db"
        build(path, visits=visits, evidence_per_visit=25, days=days, first=first)
        for fmt in ("pdf", "docx"):
            out = work / f"compilation-{visits}-{days}.{fmt}"
            code = MEASURE.format(root=str(ROOT), db=str(path), fmt=fmt, out=str(out))
            proc = subprocess.run(
                [PY, "-c", code], capture_output=True, text=True, env=env, check=True
            )
            status, inside, peak, anchor = proc.stdout.split()[-4:]
            print(
                f"| {name}, {fmt} | {ms(float(inside))} = {float(inside) / float(anchor):.1f} × anchor.py "
                f"({ms(float(anchor))}) | {float(peak):.0f} MB (exit {status}) |  [goal {goal}, ≤ 300 MB]",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--compile", action="store_true")
    parser.add_argument("--no-sizes", action="store_true")
    args = parser.parse_args()
    SIZES.extend(int(x) for x in args.sizes.split(","))
    print(f"cache: {cache_folder()}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = work / "data"
        data.mkdir()
        (data / "settings.ini").write_text("[program]\nfirst_run_done=true\n")
        env = {
            **os.environ,
            "NEXUS_REVIEW_DATA_DIR": str(data),
            "QT_QPA_PLATFORM": os.environ["QT_QPA_PLATFORM"],
        }
        # As installed (the installer ships compiled modules), not compiled afresh on each
        # start: the started processes keep their compiled modules in the benchmark's cache.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(cache_folder() / "bytecode")
        os.environ["NEXUS_REVIEW_DATA_DIR"] = str(data)
        if not args.no_sizes:
            for evidence in SIZES:
                measure_size(evidence, env, work)
        if args.compile:
            compilation(env, work)


if __name__ == "__main__":
    main()
