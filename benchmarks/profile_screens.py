"""Where the time goes when the visit list refreshes or a visit opens (pyinstrument).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/profile_screens.py [100000] [refresh|open]

Uses the cached database of benchmarks/scale_data.py (built if missing), warms the step up
once, then prints pyinstrument's call tree of one more run.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pyinstrument import Profiler  # noqa: E402

from benchmarks.scale_data import database_for  # noqa: E402


def main() -> None:
    evidence = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    step = sys.argv[2] if len(sys.argv) > 2 else "open"
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["NEXUS_REVIEW_DATA_DIR"] = tmp
        path = Path(tmp) / "network.db"
        shutil.copy(database_for(evidence), path)
        from nexus_review.storage.database import open_database
        from nexus_review.storage.repository import visit_summaries
        from ui.app import make_application
        from ui.main_window import MainWindow

        app = make_application()
        db = open_database(path)
        with db.reading() as s:
            listed = visit_summaries(s)
        visit_id = listed[len(listed) // 2].id
        window = MainWindow(db)
        window.resize(1280, 800)
        window.show()
        app.processEvents()

        def run() -> None:
            if step == "refresh":
                window.visits.refresh()
            else:
                window.open_visit(visit_id)
            app.processEvents()
            window.repaint()
            if step != "refresh":
                window.close_visit()
                app.processEvents()

        run()
        profiler = Profiler(interval=0.0005)
        profiler.start()
        run()
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False))
        window.close()
        db.close()


if __name__ == "__main__":
    main()
