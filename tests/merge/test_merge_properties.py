"""Property tests of merging: random edit histories on three laptops (hypothesis).

The laptops edit the same records and the same fields (a visit's summary and strengths,
evidence notes, deletions, new evidence, a judgement per visit and area that two laptops may
each create, a drop-in's look-fors), export packages at random moments and take each other's
packages. Whatever order the packages reach the network database in, it ends with the same
records; once the administrator has settled every conflict and sent the result back, every
laptop and the network hold the same records; and no edit disappears without a conflict that
names it (unless a later edit, made knowing it, replaced it).
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from nexus_review.errors import NexusError
from nexus_review.interchange.package import read_package
from nexus_review.merge.fields import field_value
from nexus_review.storage.database import Database, open_database
from nexus_review.storage.models import (
    SYNCED_MODELS,
    Conflict,
    DropIn,
    Evidence,
    Judgement,
    Reviewer,
    School,
    Visit,
)
from nexus_review.storage.serialize import to_dict
from nexus_review.usecases.packages import (
    export_review_package,
    import_packages,
    list_conflicts,
    resolve_conflict,
)

LAPTOPS = 3
LOOK_FORS = ("Talk partners", "Vocabulary")
IGNORED = ("id", "revision", "device_id", "updated_at", "created_at")

op = st.tuples(
    st.integers(0, LAPTOPS - 1),
    st.sampled_from(
        ["summary", "strengths", "notes", "delete", "add", "grade", "look", "export", "pull"]
    ),
    st.integers(0, 5),
    st.sampled_from(["alpha", "beta", "gamma"]),
)

Key = tuple[Any, ...]


def _rkey(table: str, row: dict[str, Any]) -> Key:
    """Which record a row is, the same on every laptop: judgements by visit and area."""
    if table == "judgement":
        return (table, row["visit_id"], row["area_key"])
    return (table, row["id"])


def _state(db: Database) -> dict[Key, dict[str, Any]]:
    """Every record (live judgements by their natural key), without per-database bookkeeping."""
    out: dict[Key, dict[str, Any]] = {}
    with db.reading() as s:
        for model in SYNCED_MODELS:
            table = model.__tablename__  # type: ignore[attr-defined]
            for obj in s.scalars(select(model)):
                row = to_dict(obj, versions=True)
                if table == "judgement" and row["deleted"]:
                    continue
                out[_rkey(table, row)] = {k: v for k, v in row.items() if k not in IGNORED}
    return out


def _base(folder: Path) -> Path:
    db = open_database(folder / "base.db")
    with db.transaction() as s:
        school = School(name="Staple Hill")
        head = Reviewer(name="Mr G. Price", home_school=school)
        s.add_all([school, head])
        for i in range(2):
            visit = Visit(
                host_school=school,
                visit_date=dt.date(2026, 1, 10 + i),
                kind="evaluation-day",
                framework_key="ofsted-2025",
            )
            s.add(visit)
            for j in range(2):
                evidence = Evidence(
                    visit=visit,
                    kind="learning-walk" if j == 0 else "lesson-observation",
                    position=j,
                    notes="base",
                )
                s.add(evidence)
                if j == 0:
                    s.add(DropIn(evidence=evidence, class_name="Oak", look_for_results={}))
    export_review_package(db, folder / "base.nxr", all_visits=True)
    db.close()
    return folder / "base.nxr"


class History:
    """What each laptop has seen of each field, and which edits replaced which, knowingly."""

    def __init__(self) -> None:
        self.seen: list[dict[Key, set[str]]] = [{} for _ in range(LAPTOPS)]
        self.edits: list[tuple[str, Key, str]] = []  # (value, record, field)
        self.replaced: set[tuple[Key, str, str]] = set()  # (record, field, value) a later edit knew
        self.deleted_knowing: dict[Key, set[str]] = {}  # record -> values its deleter had seen

    def edit(self, who: int, record: Key, name: str, value: str) -> None:
        known = self.seen[who].setdefault((*record, name), set())
        self.replaced |= {(record, name, v) for v in known}
        known.add(value)
        self.edits.append((value, record, name))

    def delete(self, who: int, record: Key) -> None:
        known = set().union(*(v for k, v in self.seen[who].items() if k[: len(record)] == record))
        self.deleted_knowing.setdefault(record, set()).update(known)

    def snapshot(self, who: int, package: Path) -> dict[Key, set[str]]:
        records = read_package(package).records
        held = {_rkey(t, r) for t, rows in records.items() for r in rows}
        return {k: set(v) for k, v in self.seen[who].items() if k[:-1] in held}

    def learn(self, who: int, seen: dict[Key, set[str]]) -> None:
        for k, v in seen.items():
            self.seen[who].setdefault(k, set()).update(v)


def _do(db: Database, who: int, kind: str, target: int, value: str, history: History) -> None:
    with db.transaction() as s:
        visits = list(s.scalars(select(Visit).order_by(Visit.visit_date)))
        visit = visits[target % len(visits)]
        evidence = list(
            s.scalars(select(Evidence).where(Evidence.deleted.is_(False)).order_by(Evidence.id))
        )
        if kind in ("summary", "strengths"):
            setattr(visit, kind, value)
            history.edit(who, ("visit", visit.id), kind, value)
        elif kind == "notes" and evidence:
            chosen = evidence[target % len(evidence)]
            chosen.notes = value
            history.edit(who, ("evidence", chosen.id), "notes", value)
        elif kind == "delete" and evidence:
            chosen = evidence[target % len(evidence)]
            chosen.deleted = True
            history.delete(who, ("evidence", chosen.id))
        elif kind == "add":
            added = Evidence(visit_id=visit.id, kind="pupil-voice", position=9, notes=value)
            s.add(added)
            s.flush()
            history.edit(who, ("evidence", added.id), "notes", value)
        elif kind == "grade":
            held = s.scalars(
                select(Judgement).where(
                    Judgement.visit_id == visit.id, Judgement.deleted.is_(False)
                )
            ).first()
            if held is None:
                s.add(Judgement(visit_id=visit.id, area_key="inclusion", peer_grade=value))
            else:
                held.peer_grade = value
            history.edit(who, ("judgement", visit.id, "inclusion"), "peer_grade", value)
        elif kind == "look":
            walk = s.scalars(
                select(DropIn).join(Evidence).where(Evidence.visit_id == visit.id)
            ).first()
            if walk is not None and not walk.deleted:
                look_for = LOOK_FORS[target % 2]
                value = ("seen", "partly", "not-seen")[
                    sum(map(ord, value)) % 3
                ]  # what a reviewer can record
                walk.look_for_results = {**walk.look_for_results, look_for: value}
                history.edit(who, ("drop_in", walk.id), f"look_for_results[{look_for}]", value)


def _named(db: Database) -> set[tuple[Key, str, Any]]:
    """(record, field, value) of every version a conflict in this database keeps."""
    out: set[tuple[Key, str, Any]] = set()
    with db.reading() as s:
        for c in s.scalars(select(Conflict)):
            for side in (c.ours, c.theirs):
                name = c.field_name or ""
                out.add(
                    (
                        _rkey(c.table_name, side),
                        name,
                        field_value(c.table_name, side, name) if name else None,
                    )
                )
    return out


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ops=st.lists(op, min_size=1, max_size=16),
    order=st.permutations(range(12)),
    keep=st.lists(st.booleans(), min_size=12, max_size=12),
)
def test_three_laptops_any_history_any_order_end_identical_and_lose_nothing_unnamed(
    tmp_path_factory, ops, order, keep
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("merge")
    base = _base(folder)
    laptops = []
    for i in range(LAPTOPS):
        db = open_database(folder / f"laptop{i}.db")
        import_packages(db, [read_package(base)])
        laptops.append(db)
    history = History()
    sent: list[tuple[int, Path, dict[Key, set[str]]]] = []  # (laptop, package, what it carried)
    for n, (who, kind, target, word) in enumerate(ops):
        db = laptops[who]
        if kind == "export":
            path = folder / f"p{n}.nxr"
            try:
                export_review_package(db, path)
            except NexusError:
                continue  # nothing new on this laptop
            sent.append((who, path, history.snapshot(who, path)))
        elif kind == "pull":
            theirs = [x for x in sent if x[0] != who]
            if theirs:
                _, path, seen = theirs[target % len(theirs)]
                import_packages(db, [read_package(path)])
                history.learn(who, seen)
        else:
            _do(db, who, kind, target, f"{word}-{n}", history)
    for i, db in enumerate(laptops):  # each laptop's final package, everything in it
        path = folder / f"final{i}.nxr"
        export_review_package(db, path, all_visits=True)
        sent.append((i, path, history.snapshot(i, path)))
    packages = [read_package(p) for _, p, _ in sent]
    ordering = [i for i in order if i < len(packages)] + [
        i for i in range(len(packages)) if i not in order
    ]
    networks = []
    for k, arrival in enumerate((ordering, list(reversed(ordering)))):
        network = open_database(folder / f"network{k}.db")
        import_packages(network, [read_package(base)])
        import_packages(network, [packages[i] for i in arrival])
        networks.append(network)
    network, other = networks
    try:
        assert _state(network) == _state(other)  # the same records, whatever the order of arrival
        again = import_packages(network, packages)
        assert all(not r.applied for r in again)  # importing again changes nothing
        # The administrator settles every conflict, then sends the network's records back.
        for i, conflict in enumerate(list_conflicts(network)):
            resolve_conflict(network, conflict.id, "ours" if keep[i % len(keep)] else "theirs")
        assert list_conflicts(network) == []
        back = folder / "back.nxr"
        export_review_package(network, back, all_visits=True)
        for db in laptops:
            import_packages(db, [read_package(back)])
        final = _state(network)
        for db in laptops:
            assert _state(db) == final  # every laptop and the network end identical
        named = set().union(*(_named(db) for db in [*networks, *laptops]))
        for value, record, name in history.edits:
            row = final.get(record)
            if (record, name, value) in history.replaced or (record, name, value) in named:
                continue
            assert row is not None, (record, name, value)
            table = record[0]
            assert field_value(table, row, name) == value, (record, name, value, row)
            if row.get(
                "deleted"
            ):  # an edit to a record deleted elsewhere: the deleter saw it, or a conflict says so
                assert (
                    value in history.deleted_knowing.get(record, set())
                    or (record, "deleted", True) in named
                    or (record, "deleted", False) in named
                ), (record, value)
    finally:
        for db in [*networks, *laptops]:
            db.close()


def test_three_concurrent_versions_settle_the_same_way_in_all_six_orders(tmp_path: Path) -> None:
    base = _base(tmp_path)
    packages = []
    for i in range(3):
        db = open_database(tmp_path / f"l{i}.db")
        import_packages(db, [read_package(base)])
        with db.transaction() as s:
            visit = s.scalars(select(Visit).order_by(Visit.visit_date)).first()
            assert visit is not None
            visit.summary = f"version {i}"  # the same field on all three
            setattr(
                visit, ("strengths", "questions", "areas_for_development")[i], f"only laptop {i}"
            )  # a field of its own
        export_review_package(db, tmp_path / f"v{i}.nxr")
        packages.append(read_package(tmp_path / f"v{i}.nxr"))
        db.close()
    results = set()
    for n, ordering in enumerate(itertools.permutations(range(3))):
        admin = open_database(tmp_path / f"admin{n}.db")
        import_packages(admin, [read_package(base)])
        import_packages(admin, [packages[i] for i in ordering])
        with admin.reading() as s:
            visit = s.scalars(select(Visit).order_by(Visit.visit_date)).first()
            assert visit is not None
            results.add(
                (
                    visit.summary,
                    tuple(sorted(visit.vclock.items())),
                    repr(sorted(visit.field_versions["fields"].items())),
                )
            )
            assert (visit.strengths, visit.questions, visit.areas_for_development) == (
                "only laptop 0",
                "only laptop 1",
                "only laptop 2",
            )
            assert [c.field_name for c in s.scalars(select(Conflict))] == ["summary", "summary"]
        admin.close()
    assert len(results) == 1
