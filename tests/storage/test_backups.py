"""Data safety: backups, restore, integrity on open, one writer, retention, and fault tests."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from nexus_review.demo import demo_years
from nexus_review.errors import DatabaseError, InterchangeError
from nexus_review.storage.backups import (
    check_integrity,
    daily_backup,
    list_backups,
    make_backup,
    restore_backup,
    rotate,
)
from nexus_review.storage.database import Database, open_database
from nexus_review.storage.lock import DatabaseLock
from nexus_review.storage.models import Evidence, Visit
from nexus_review.usecases.backups import apply_retention

ROOT = Path(__file__).resolve().parents[2]

# Backups, locks and damage are about the SQLite file on a laptop; a network server is backed
# up with its own tools (docs/server.md).
pytestmark = pytest.mark.sqlite_only


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _visits(db: Database) -> int:
    with db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(Visit)) or 0)


def test_a_backup_is_a_consistent_copy_of_a_live_database(demo_db: Database) -> None:
    assert demo_db.path is not None
    with demo_db.transaction() as s:  # a change still in the write-ahead log
        s.scalars(select(Visit)).first().summary = "Only in the WAL so far"  # type: ignore[union-attr]
    backup = make_backup(demo_db.path, "manual")
    assert backup.parent == demo_db.path.parent / "backups"
    assert check_integrity(backup) is None
    copy = open_database(backup)
    try:
        assert _visits(copy) == 75
        with copy.reading() as s:
            assert s.scalar(select(func.count()).select_from(Visit).where(Visit.summary == "Only in the WAL so far")) == 1
    finally:
        copy.close()
    assert [b.reason for b in list_backups(demo_db.path)] == ["manual"]


def test_daily_backup_happens_once_a_day(demo_db: Database) -> None:
    assert demo_db.path is not None
    morning = dt.datetime(2026, 12, 1, 8, 0)
    assert daily_backup(demo_db.path, now=morning) is not None
    assert daily_backup(demo_db.path, now=morning + dt.timedelta(hours=5)) is None
    assert daily_backup(demo_db.path, now=morning + dt.timedelta(days=1)) is not None
    assert len(list_backups(demo_db.path)) == 2


def test_rotation_keeps_seven_days_four_weeks_twelve_months(tmp_path: Path) -> None:
    db_path = tmp_path / "nexus-review.db"
    db_path.write_bytes(b"")
    folder = tmp_path / "backups"
    folder.mkdir()
    now = dt.datetime(2026, 12, 1, 12, 0)
    for days in range(0, 400):  # one backup a day for more than a year, two on some days
        when = now - dt.timedelta(days=days)
        (folder / f"nexus-review-{when:%Y%m%d-%H%M%S}-daily.db").write_bytes(b"x")
        if days % 10 == 0:
            (folder / f"nexus-review-{when - dt.timedelta(hours=2):%Y%m%d-%H%M%S}-before-import.db").write_bytes(b"x")
    rotate(db_path, now=now)
    kept = list_backups(db_path)
    days = {b.made.date() for b in kept}
    assert all((now - dt.timedelta(days=d)).date() in days for d in range(7))  # each of the last 7 days
    assert len(kept) <= 7 + 4 + 12 + 1  # and the other backup of today
    months = {(b.made.year, b.made.month) for b in kept}
    assert len(months) == 12
    assert max(b.made for b in kept) == now


def test_imports_and_migrations_back_up_first(demo_db: Database, tmp_path: Path) -> None:
    from nexus_review.usecases.packages import export_review_package, import_package_files

    assert demo_db.path is not None
    laptop = open_database(tmp_path / "laptop.db")
    export_review_package(demo_db, tmp_path / "all.nxr", all_visits=True)
    import_package_files(laptop, [tmp_path / "all.nxr"])
    with laptop.transaction() as s:
        s.scalars(select(Visit)).first().summary = "changed"  # type: ignore[union-attr]
    export_review_package(laptop, tmp_path / "change.nxr")
    import_package_files(demo_db, [tmp_path / "change.nxr"])
    assert [b.reason for b in list_backups(demo_db.path)] == ["before-import"]
    laptop.close()


def test_restore_backs_up_the_current_database_first(demo_db: Database) -> None:
    assert demo_db.path is not None
    backup = make_backup(demo_db.path, "manual")
    with demo_db.transaction() as s:
        for v in s.scalars(select(Visit)).all()[:5]:
            v.summary = "after the backup"
    demo_db.close()
    safety = restore_backup(demo_db.path, backup)
    assert "before-restore" in safety.name
    restored = open_database(demo_db.path)
    try:
        with restored.reading() as s:
            assert s.scalar(select(func.count()).select_from(Visit).where(Visit.summary == "after the backup")) == 0
    finally:
        restored.close()
    kept = open_database(safety)
    try:
        with kept.reading() as s:
            assert s.scalar(select(func.count()).select_from(Visit).where(Visit.summary == "after the backup")) == 5
    finally:
        kept.close()


def test_restore_refuses_a_file_that_is_not_a_backup(db: Database, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    assert db.path is not None
    with pytest.raises(DatabaseError, match="damaged"):
        restore_backup(db.path, junk)


@pytest.mark.parametrize("where", ["header", "middle"])
def test_a_damaged_database_is_refused_untouched_and_the_backup_offered(demo_db: Database, where: str) -> None:
    assert demo_db.path is not None
    path = demo_db.path
    backup = make_backup(path, "daily")
    with demo_db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    demo_db.close()
    data = bytearray(path.read_bytes())
    rng = random.Random(where)
    if where == "header":
        data[0:100] = bytes(rng.randrange(256) for _ in range(100))
    else:
        page = 4096
        for n in range(3, min(8, len(data) // page)):
            start = n * page + 10
            data[start : start + 600] = bytes(rng.randrange(256) for _ in range(600))
    path.write_bytes(bytes(data))
    before = _sha(path)
    with pytest.raises(DatabaseError) as err:
        open_database(path)
    message = str(err.value)
    assert "damaged" in message and backup.name in message and "\n" not in message
    assert _sha(path) == before  # never written to


def test_the_program_offers_the_backup_and_restores_it(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    from ui.app import offer_restore

    assert demo_db.path is not None
    path = demo_db.path
    make_backup(path, "daily")
    demo_db.close()
    data = bytearray(path.read_bytes())
    data[0:16] = b"garbage-garbage!"
    path.write_bytes(bytes(data))
    assert offer_restore(path, "damaged", ask=False) is True
    fixed = open_database(path)
    try:
        assert _visits(fixed) == 75
    finally:
        fixed.close()


def test_a_second_copy_of_the_program_is_told_where_the_database_is_open(tmp_path: Path) -> None:
    path = tmp_path / "nexus-review.db"
    first = DatabaseLock(path)
    first.acquire()
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from pathlib import Path\n"
        "from nexus_review.storage.lock import DatabaseLock\n"
        "from nexus_review.errors import DatabaseError\n"
        f"try:\n    DatabaseLock(Path({str(path)!r})).acquire()\nexcept DatabaseError as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
    assert "is already open in Nexus Review on" in out and f"(process {os.getpid()})" in out
    first.release()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
    assert out == ""


def test_retention_deletes_old_visits_with_everything_after_a_backup(demo_db: Database) -> None:
    # 1 December of the demo's current year: its first year's autumn visits are over two years old.
    today = dt.date(int(demo_years()[-1][:4]), 12, 1)
    preview = apply_retention(demo_db, 2, dry_run=True, today=today)
    assert preview.cutoff == today.replace(year=today.year - 2) and len(preview.visits) > 0
    old_ids = [v[0] for v in preview.visits]
    assert _visits(demo_db) == 75  # a dry run deletes nothing
    with demo_db.transaction() as s:  # a tombstoned record of an old visit goes too
        s.scalars(select(Evidence).where(Evidence.visit_id == old_ids[0])).first().deleted = True  # type: ignore[union-attr]
    result = apply_retention(demo_db, 2, today=today)
    assert result.backup is not None and result.backup.exists()
    assert _visits(demo_db) == 75 - len(old_ids)
    with demo_db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Evidence).where(Evidence.visit_id.in_(old_ids))) == 0
    with pytest.raises(Exception, match="at least one year"):
        apply_retention(demo_db, 0)


def test_backup_restore_and_retention_commands(demo_db: Database, tmp_path: Path) -> None:
    assert demo_db.path is not None
    env = {**os.environ, "NEXUS_REVIEW_DATA_DIR": str(tmp_path / "data")}
    run = lambda *a: subprocess.run([sys.executable, "-m", "nexus_review", "--db", str(demo_db.path), *a], cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)  # noqa: E731
    out = tmp_path / "by-hand.db"
    made = run("backup", "--out", str(out))
    assert made.returncode == 0 and out.exists(), made.stderr
    listed = run("backups")
    assert listed.returncode == 0
    dry = run("retention", "--older-than", "1", "--dry-run")
    assert dry.returncode == 0 and "would be deleted" in dry.stdout
    demo_db.close()
    restored = run("restore", str(out))
    assert restored.returncode == 0 and "restored from" in restored.stdout, restored.stderr
    missing = run("restore", str(tmp_path / "nope.db"))
    assert missing.returncode == 1 and "There is no backup file" in missing.stderr


# ---------------------------------------------------------------------------- fault tests


WRITER = r"""
import os, sys
sys.path.insert(0, {root!r})
from nexus_review.storage.database import open_database
from nexus_review.storage.models import Evidence
db = open_database({path!r})
n = int(sys.argv[1])
while True:
    n += 1
    with db.transaction() as s:
        s.add(Evidence(id="%036d" % n, visit_id={visit!r}, kind="other", position=n, notes="note %d " % n * 20))
    os.write(1, b"%d\n" % n)
"""


@pytest.mark.slow
def test_killing_a_writer_200_times_loses_no_committed_change(db: Database, tmp_path: Path) -> None:
    """A writer process is killed with SIGKILL at random moments, 200 times; after each kill the
    database passes integrity_check and holds every change the writer saw committed."""
    from nexus_review.usecases.editing import create_visit, ensure_school

    visit = create_visit(db, host_school_id=ensure_school(db, "Kings Forest Primary"), visit_date=dt.date(2026, 3, 3), kind="evaluation-day", framework_key="ofsted-2025")
    path = db.path
    db.close()
    script = tmp_path / "writer.py"
    script.write_text(WRITER.format(root=str(ROOT), path=str(path), visit=visit), encoding="utf-8")
    rng = random.Random(2026)
    committed = 0
    kills = 0
    started = time.monotonic()
    # One interpreter stays warm; each round forks a writer from it (the fault is the kill).
    import sqlite3

    with subprocess.Popen([sys.executable, "-c", FORKER.format(script=str(script))], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1) as forker:
        assert forker.stdin is not None and forker.stdout is not None
        while kills < 200:
            forker.stdin.write(f"{committed} {rng.uniform(0.01, 0.12):.4f}\n")
            forker.stdin.flush()
            reply = forker.stdout.readline().split()
            assert reply and reply[0] == "killed", reply
            last = int(reply[1])
            kills += 1
            conn = sqlite3.connect(str(path))
            try:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                count = conn.execute("SELECT count(*) FROM evidence").fetchone()[0]
                highest = conn.execute("SELECT max(position) FROM evidence").fetchone()[0] or 0
            finally:
                conn.close()
            assert highest >= last  # every change reported committed is there
            assert count == highest  # and nothing half-written
            committed = highest
        forker.kill()
    print(f"\n{kills} kills survived, {committed} committed changes kept, {time.monotonic() - started:.0f} s")
    assert committed > 0


FORKER = r"""
import os, sys, signal, time, runpy
sys.argv = ["writer", "0"]
src = open({script!r}).read()
code = compile(src, {script!r}, "exec")
# Import the program's modules once, here, so each forked writer starts at once.
import nexus_review.storage.database, nexus_review.storage.models, sqlalchemy.orm
for line in sys.stdin:
    start, wait = line.split()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        os.dup2(w, 1)
        sys.argv = ["writer", start]
        exec(code, {{"__name__": "__main__"}})
        os._exit(0)
    os.close(w)
    time.sleep(float(wait))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    data = b""
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        data += chunk
    os.close(r)
    numbers = [int(x) for x in data.split() if x.isdigit()]
    print("killed", max(numbers) if numbers else int(start), flush=True)
"""


def test_an_export_to_a_full_disk_leaves_no_partial_file(demo_db: Database, tmp_path: Path) -> None:
    """A file-size limit stands in for a full disk: the export fails with one sentence and
    leaves nothing behind, and a good earlier file is kept."""
    with demo_db.reading() as s:
        visit = s.scalars(select(Visit.id).where(Visit.kind == "evaluation-day")).first()
    out = tmp_path / "reports"
    out.mkdir()
    (out / "report.pdf").write_bytes(b"%PDF the good one")
    code = (
        "import resource, signal, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "from nexus_review.storage.database import open_database\n"
        "from nexus_review.usecases.reports import export_visit_report\n"
        "from nexus_review.errors import ExportError\n"
        f"db = open_database({str(demo_db.path)!r})\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))\n"
        "try:\n"
        f"    export_visit_report(db, {visit!r}, 'pdf', {str(out / 'report.pdf')!r})\n"
        "except ExportError as e:\n    print('ERROR', e)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env={**os.environ, "NEXUS_REVIEW_DATA_DIR": str(tmp_path / "d")})
    assert "ERROR There is not enough disk space" in proc.stdout, proc.stdout + proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["report.pdf"]
    assert (out / "report.pdf").read_bytes() == b"%PDF the good one"


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    from nexus_review.demo import fill_demo_network

    database = open_database(tmp_path_factory.mktemp("fuzz") / "fuzz.db")
    fill_demo_network(database)
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    yield database
    database.close()


@pytest.fixture(scope="module")
def sample_visit_file(fuzz_db: Database, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from nexus_review.usecases.visit_files import export_visit_file

    with fuzz_db.reading() as s:
        visit = s.scalars(select(Visit.id)).first()
    path = tmp_path_factory.mktemp("visit") / "v.json"
    export_visit_file(fuzz_db, visit, path)  # type: ignore[arg-type]
    return path.read_bytes()


@pytest.fixture(scope="module")
def sample_package(fuzz_db: Database, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from nexus_review.usecases.packages import export_review_package

    with fuzz_db.reading() as s:
        ids = list(s.scalars(select(Visit.id).limit(2)))
    path = tmp_path_factory.mktemp("pkg") / "p.nxr"
    export_review_package(fuzz_db, path, visit_ids=ids)
    return path.read_bytes()


def _settled_sha(db: Database) -> str:
    """The database file's hash with everything committed written into it."""
    assert db.path is not None
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return _sha(db.path)


def _mutate(data: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    out = bytearray(data)
    for pos, value in edits:
        out[pos % len(out)] = value
    return bytes(out[:cut] if cut is not None else out)


FUZZ = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _json_edits(document: dict) -> st.SearchStrategy:  # type: ignore[type-arg]
    """Structured damage to a visit file: a field set to a wrong value, or removed."""
    junk = st.one_of(st.none(), st.integers(), st.text(max_size=8), st.lists(st.integers(), max_size=2), st.booleans(), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
    sections = [k for k, v in document.items() if isinstance(v, dict | list)]
    return st.tuples(st.sampled_from(sections), st.integers(0, 50), st.text(max_size=30), junk, st.booleans())


@FUZZ
@given(data=st.data())
def test_fuzzed_visit_files_give_the_programs_own_error_and_change_nothing(fuzz_db: Database, sample_visit_file: bytes, data: st.DataObject) -> None:
    import json

    from nexus_review.interchange.visit_json import parse_visit_bytes
    from nexus_review.usecases.visit_files import import_visit_document

    assert fuzz_db.path is not None
    before = _settled_sha(fuzz_db)
    if data.draw(st.booleans()):
        raw = _mutate(sample_visit_file, data.draw(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=6)), data.draw(st.none() | st.integers(0, len(sample_visit_file))))
    else:
        document = json.loads(sample_visit_file)
        section, index, key, value, remove = data.draw(_json_edits(document))
        target = document[section]
        if isinstance(target, list):
            if not target:
                target.append(value)
                raw = json.dumps(document).encode()
            else:
                record = target[index % len(target)]
                target = record
        if isinstance(target, dict):
            keys = sorted(target)
            field = keys[index % len(keys)] if keys and not key else key
            if remove:
                target.pop(field, None)
            else:
                target[field] = value
        raw = json.dumps(document).encode()
    try:
        document = parse_visit_bytes(raw, "fuzzed.json")
        import_visit_document(fuzz_db, document, "fuzzed.json")
    except InterchangeError as err:
        assert str(err) and "\n" not in str(err) and "Traceback" not in str(err)
        assert _settled_sha(fuzz_db) == before
        return
    # A mutation that happened to leave a valid visit file (a changed word, say) is imported:
    # that is the reader doing its job, and the database still passes its integrity check.
    assert check_integrity(fuzz_db.path) is None


@FUZZ
@given(edits=st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 255)), min_size=1, max_size=8), cut=st.none() | st.integers(0, 10**6), junk=st.booleans(), noise=st.binary(max_size=2000))
def test_fuzzed_packages_give_the_programs_own_error_and_change_nothing(fuzz_db: Database, sample_package: bytes, edits: list[tuple[int, int]], cut: int | None, junk: bool, noise: bytes) -> None:
    from nexus_review.interchange.package import parse_package
    from nexus_review.usecases.packages import import_packages

    assert fuzz_db.path is not None
    before = _settled_sha(fuzz_db)
    raw = (b"PK" + noise) if junk else _mutate(sample_package, edits, cut % len(sample_package) if cut is not None else None)
    try:
        package = parse_package(raw, "fuzzed.nxr")
    except InterchangeError as err:
        assert str(err) and "\n" not in str(err)
        assert _settled_sha(fuzz_db) == before
        return
    # Zip tolerates damage outside its members' data (the central directory's comments, say):
    # such a package still passed every check, and importing it into its own network changes
    # nothing, because it holds the same records.
    results = import_packages(fuzz_db, [package])
    assert all(not r.applied for r in results)


def test_a_migration_is_preceded_by_a_backup(tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    from nexus_review.storage.migrate import upgrade

    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    upgrade(engine, "base")  # a database made before the first revision
    engine.dispose()
    open_database(path).close()
    (backup,) = list_backups(path)
    assert backup.reason == "before-migration"
    assert check_integrity(backup.path) is None


def test_restore_from_backup_in_the_program(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow

    assert demo_db.path is not None
    backup = make_backup(demo_db.path, "manual")
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    with window.db.transaction() as s:
        s.scalars(select(Visit)).first().summary = "typed after the backup"  # type: ignore[union-attr]
    from tests.ui.answering import answering

    with answering(backup.parent):
        window.restore_action.trigger()
    with window.db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Visit).where(Visit.summary == "typed after the backup")) == 0
    assert any(b.reason == "before-restore" for b in list_backups(demo_db.path))
    assert window.visits.model.rowCount() == 75
    window.db.close()


def test_an_unexpected_error_is_logged_and_shown_once_a_minute(qtbot) -> None:  # type: ignore[no-untyped-def]
    from nexus_review.paths import log_path
    from ui import errors

    errors._last_shown.clear()
    try:
        raise RuntimeError("a bug the program did not expect")
    except RuntimeError as exc:
        errors.report_crash(type(exc), exc, exc.__traceback__)
        errors.report_crash(type(exc), exc, exc.__traceback__)
    log = log_path().read_text(encoding="utf-8")
    assert log.count("a bug the program did not expect") >= 2 and "Traceback" in log
    boxes = [w for w in __import__("PySide6.QtWidgets", fromlist=["QApplication"]).QApplication.topLevelWidgets() if w.windowTitle().endswith("something went wrong")]
    assert len(boxes) == 1  # the same error again within a minute is folded into the first
    assert str(log_path()) in boxes[0].informativeText()
    try:
        raise KeyError("another bug")
    except KeyError as exc:
        errors.report_crash(type(exc), exc, exc.__traceback__)
    boxes = [w for w in __import__("PySide6.QtWidgets", fromlist=["QApplication"]).QApplication.topLevelWidgets() if w.isVisible() and w.windowTitle().endswith("something went wrong")]
    assert len(boxes) == 2  # every different error is shown
    for box in boxes:
        box.close()


def test_the_program_opens_its_database_locked_checked_and_backed_up(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    from ui.app import open_for_editing

    assert demo_db.path is not None
    path = demo_db.path
    demo_db.close()
    opened = open_for_editing(path)
    try:
        assert opened.lock is not None
        assert [b.reason for b in list_backups(path)] == ["daily"]
        with pytest.raises(DatabaseError, match="already open"):
            open_for_editing(path)
    finally:
        opened.close()
    again = open_for_editing(path)  # released: it opens again, and no second backup today
    again.close()
    assert len(list_backups(path)) == 1


# ---------------------------------------------------------------------------- restore and the check


HOLDER = r"""
import sys
sys.path.insert(0, {root!r})
from pathlib import Path
from nexus_review.storage.lock import DatabaseLock
lock = DatabaseLock(Path({path!r}))
lock.acquire()
print("holding", flush=True)
sys.stdin.readline()
lock.release()
"""


def _dump(path: Path) -> str:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def _cli(*argv: str) -> tuple[int, str, str]:
    import contextlib
    import io

    from nexus_review.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def desktop_program(demo_db: Database):  # type: ignore[no-untyped-def]
    """Another program (a copy of the desktop program) holding the database open."""
    assert demo_db.path is not None
    demo_db.close()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER.format(root=str(ROOT), path=str(demo_db.path))], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    yield holder
    if holder.poll() is None:
        holder.communicate("\n", timeout=30)


def test_restore_and_retention_refuse_while_another_program_has_the_database_open(demo_db: Database, desktop_program: subprocess.Popen[str]) -> None:
    assert demo_db.path is not None
    path = demo_db.path
    backup = make_backup(path, "manual")
    before = _dump(path)
    backups_before = {b.path for b in list_backups(path)}
    for argv in (["restore", str(backup)], ["retention", "--older-than", "1"]):
        code, out, err = _cli("--db", str(path), *argv)
        assert code == 1, out + err
        assert err.count("\n") == 1 and f"(process {desktop_program.pid})" in err and "close it there" in err, err
        assert _dump(path) == before
    with pytest.raises(DatabaseError, match=f"process {desktop_program.pid}"):
        restore_backup(path, backup)
    assert {b.path for b in list_backups(path)} == backups_before  # not even a safety copy was made
    desktop_program.communicate("\n", timeout=30)
    code, out, err = _cli("--db", str(path), "restore", str(backup))
    assert code == 0, err


def test_the_program_that_holds_the_database_may_restore_it_itself(demo_db: Database) -> None:
    assert demo_db.path is not None
    path = demo_db.path
    backup = make_backup(path, "manual")
    lock = DatabaseLock(path)
    lock.acquire()
    try:
        demo_db.close()
        assert "before-restore" in restore_backup(path, backup).name
        again = open_database(path)
        try:
            assert apply_retention(again, 1, today=dt.date(2026, 12, 1)).backup is not None
        finally:
            again.close()
    finally:
        lock.release()


def test_the_desktop_program_can_tell_its_database_was_replaced(demo_db: Database) -> None:
    from nexus_review.storage.backups import file_identity

    assert demo_db.path is not None
    path = demo_db.path
    backup = make_backup(path, "manual")
    opened = file_identity(path)
    with demo_db.transaction() as s:  # its own edits do not count as a replacement
        s.scalars(select(Visit)).first().summary = "typed"  # type: ignore[union-attr]
    with demo_db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert file_identity(path) == opened
    restore_backup(path, backup)
    assert file_identity(path) != opened
    assert file_identity(path.with_name("nothing-here.db")) is None


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_a_database_held_locked_elsewhere_is_busy_not_damaged(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, journal: str) -> None:
    import sqlite3

    from nexus_review.errors import DatabaseUnavailableError
    from nexus_review.storage import backups

    monkeypatch.setattr(backups, "BUSY_WAIT_SECONDS", 0.2)
    assert db.path is not None
    path = db.path
    backup = make_backup(path, "manual")
    db.close()
    # Another connection holding an exclusive lock stands in for another program writing:
    # SQLite's locks apply between connections as between processes.
    conn = sqlite3.connect(path, timeout=0.2)
    conn.execute(f"PRAGMA journal_mode={journal}")
    before = _dump(path)
    conn.execute("PRAGMA locking_mode=EXCLUSIVE")
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("CREATE TABLE holding_it (x)")
    try:
        with pytest.raises(DatabaseUnavailableError, match="busy"):
            check_integrity(path)
        for argv in (["visits"], ["restore", str(backup)]):
            code, _out, err = _cli("--db", str(path), *argv)
            assert code == 1 and "busy" in err and "damaged" not in err and err.count("\n") == 1, err
        assert [b.reason for b in list_backups(path)] == ["manual"]  # nothing restored, nothing copied
    finally:
        conn.rollback()
        conn.close()
    assert _dump(path) == before


def _unprivileged() -> list[str]:
    """A command prefix under which file permissions apply (root ignores a read-only folder)."""
    import shutil

    if os.name == "nt":
        pytest.skip("folder permissions work differently on Windows")
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: a read-only folder cannot be made")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def test_a_sound_wal_database_in_a_read_only_folder_is_not_called_damaged(demo_db: Database, tmp_path: Path) -> None:
    assert demo_db.path is not None
    path = demo_db.path
    backup = make_backup(path, "manual", out=tmp_path / "elsewhere.db")
    demo_db.close()
    assert not Path(str(path) + "-shm").exists() and not Path(str(path) + "-wal").exists()
    assert _dump(path).count("INSERT") > 100
    before = _dump(path)
    folder = path.parent
    script = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from pathlib import Path\n"
        "from nexus_review.storage.backups import check_integrity\n"
        "from nexus_review.cli import main\n"
        f"print('CHECK', check_integrity(Path({str(path)!r})))\n"
        f"sys.exit(main(['--db', {str(path)!r}] + sys.argv[1:]))\n"
    )
    env = {**os.environ, "NEXUS_REVIEW_DATA_DIR": str(tmp_path / "data")}
    folder.chmod(0o555)
    try:
        for argv in (["restore", str(backup)], ["visits"]):
            proc = subprocess.run([*_unprivileged(), sys.executable, "-c", script, *argv], capture_output=True, text=True, timeout=120, env=env)
            assert "CHECK None" in proc.stdout, proc.stdout + proc.stderr
            assert proc.returncode == 1, proc.stdout + proc.stderr
            assert "damaged" not in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
            assert "read-only" in proc.stderr or "not allowed" in proc.stderr, proc.stderr
    finally:
        folder.chmod(0o755)
    assert _dump(path) == before
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(path.name)) == [path.name]


def test_a_restore_over_a_damaged_database_first_keeps_a_copy_of_it(demo_db: Database) -> None:
    assert demo_db.path is not None
    path = demo_db.path
    backup = make_backup(path, "manual")
    demo_db.close()
    damaged = bytearray(path.read_bytes())
    damaged[0:16] = b"garbage-garbage!"
    path.write_bytes(bytes(damaged))
    kept = restore_backup(path, backup)
    assert kept != backup and kept.read_bytes() == bytes(damaged)
    assert check_integrity(path) is None


def test_a_restored_database_writes_its_next_changes_under_a_new_device_id(db: Database) -> None:
    """Its counters went back with the backup: under the old id, its next change could carry a
    version the network already holds for another change, and be dropped as old."""
    assert db.path is not None
    path, before = db.path, db.device_id
    backup = make_backup(path, "manual")
    db.close()
    restore_backup(path, backup)
    again = open_database(path)
    try:
        assert again.device_id != before
    finally:
        again.close()
