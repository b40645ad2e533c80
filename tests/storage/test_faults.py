"""Faults: a writer killed mid-change, a full disk, fuzzed visit files and packages; nothing committed is lost and nothing half done is left."""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from nexus_review.errors import InterchangeError
from nexus_review.storage.backups import (
    check_integrity,
)
from nexus_review.storage.database import Database, open_database
from nexus_review.storage.models import Visit
from tests.storage.files import sha

ROOT = Path(__file__).resolve().parents[2]

# Backups, locks and damage are about the SQLite file on a laptop; a network server is backed
# up with its own tools (docs/server.md).
pytestmark = pytest.mark.sqlite_only


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

    visit = create_visit(
        db,
        host_school_id=ensure_school(db, "Kings Forest Primary"),
        visit_date=dt.date(2026, 3, 3),
        kind="evaluation-day",
        framework_key="ofsted-2025",
    )
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

    with subprocess.Popen(
        [sys.executable, "-c", FORKER.format(script=str(script))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
    ) as forker:
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
    print(
        f"\n{kills} kills survived, {committed} committed changes kept, {time.monotonic() - started:.0f} s"
    )
    assert committed > 0


FORKER = r"""
import os, sys, signal, time, runpy
sys.argv = ["writer", "0"]
src = open({script!r}).read()
code = compile(src, {script!r}, "exec")
# Import the program's modules once, here, so each forked writer starts at once.
import nexus_review.storage.database, nexus_review.storage.models, sqlalchemy.orm
sqlalchemy.orm.configure_mappers()  # once here too, not in every writer before its first write
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
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NEXUS_REVIEW_DATA_DIR": str(tmp_path / "d")},
    )
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
    return sha(db.path)


def _mutate(data: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    out = bytearray(data)
    for pos, value in edits:
        out[pos % len(out)] = value
    return bytes(out[:cut] if cut is not None else out)


FUZZ = settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _json_edits(document: dict) -> st.SearchStrategy:  # type: ignore[type-arg]
    """Structured damage to a visit file: a field set to a wrong value, or removed."""
    junk = st.one_of(
        st.none(),
        st.integers(),
        st.text(max_size=8),
        st.lists(st.integers(), max_size=2),
        st.booleans(),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    )
    sections = [k for k, v in document.items() if isinstance(v, dict | list)]
    return st.tuples(
        st.sampled_from(sections), st.integers(0, 50), st.text(max_size=30), junk, st.booleans()
    )


@FUZZ
@given(data=st.data())
def test_fuzzed_visit_files_give_the_programs_own_error_and_change_nothing(
    fuzz_db: Database, sample_visit_file: bytes, data: st.DataObject
) -> None:
    import json

    from nexus_review.interchange.visit_check import parse_visit_bytes
    from nexus_review.usecases.visit_files import import_visit_document

    assert fuzz_db.path is not None
    before = _settled_sha(fuzz_db)
    if data.draw(st.booleans()):
        raw = _mutate(
            sample_visit_file,
            data.draw(
                st.lists(
                    st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=6
                )
            ),
            data.draw(st.none() | st.integers(0, len(sample_visit_file))),
        )
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
@given(
    edits=st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 255)), min_size=1, max_size=8),
    cut=st.none() | st.integers(0, 10**6),
    junk=st.booleans(),
    noise=st.binary(max_size=2000),
)
def test_fuzzed_packages_give_the_programs_own_error_and_change_nothing(
    fuzz_db: Database,
    sample_package: bytes,
    edits: list[tuple[int, int]],
    cut: int | None,
    junk: bool,
    noise: bytes,
) -> None:
    from nexus_review.interchange.package import parse_package
    from nexus_review.usecases.packages import import_packages

    assert fuzz_db.path is not None
    before = _settled_sha(fuzz_db)
    raw = (
        (b"PK" + noise)
        if junk
        else _mutate(sample_package, edits, cut % len(sample_package) if cut is not None else None)
    )
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
