"""The note search index finds exactly what reading every note finds: after writing, an edit
and its undo, a deletion, an import into another database and retention's purge.

The reference is computed here in Python from the live records: a search of three or more
characters is case-insensitive for accented capitals too ("ÉCOLE" finds "école"); a shorter
one is answered by the plain scan, as before, which folds unaccented capitals only.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from nexus_review.storage import search
from nexus_review.storage.database import Database, open_database
from nexus_review.storage.models import Action, DropIn, Evidence, Judgement, School, Visit
from nexus_review.storage.repository import purge_visits, scan_visit_ids, search_visit_ids
from nexus_review.usecases.editing import save_changes
from nexus_review.usecases.packages import export_review_package, import_package_files
from nexus_review.workspace import Change

# Letters whose capitals fold the same way in Python and in SQLite's FTS5, LIKE's own
# special characters, quotes (FTS5's phrase delimiter) and spaces.
ALPHABET = "abcABCéÉèçÇ %_\\\"'-"
texts = st.text(alphabet=ALPHABET, max_size=24)

FIELDS: dict[type, tuple[str, ...]] = {
    Visit: ("summary", "strengths", "areas_for_development", "questions"),
    Evidence: (
        "notes",
        "strengths",
        "areas_for_development",
        "who_what",
        "subject",
        "class_name",
        "staff",
    ),
    DropIn: ("note",),
    Judgement: ("rationale",),
    Action: ("description", "owner"),
}


def _ascii_lower(value: str) -> str:
    return "".join(ch.lower() if ch.isascii() else ch for ch in value)


def live_texts(db: Database) -> list[tuple[str, str]]:
    """(visit id, text) for every searchable field of every live record."""
    out: list[tuple[str, str]] = []
    with db.reading() as s:
        evidence_visit = {r[0]: r[1] for r in s.execute(select(Evidence.id, Evidence.visit_id))}
        for model, fields in FIELDS.items():
            for obj in s.scalars(select(model).where(model.deleted.is_(False))):  # type: ignore[attr-defined]
                if model is Visit:
                    visit_id = obj.id
                elif model is DropIn:
                    visit_id = evidence_visit[obj.evidence_id]
                else:
                    visit_id = obj.visit_id
                out.extend((visit_id, getattr(obj, f) or "") for f in fields)
    return out


def expected(db: Database, query: str) -> set[str]:
    query = query.strip()
    if not query:
        return set()
    if len(query) >= search.SHORTEST:
        return {v for v, t in live_texts(db) if query.lower() in t.lower()}
    return {v for v, t in live_texts(db) if _ascii_lower(query) in _ascii_lower(t)}


def scanned(db: Database, query: str) -> set[str]:
    with db.reading() as s:
        return scan_visit_ids(s, query)


def found(db: Database, query: str) -> set[str]:
    with db.reading() as s:
        return search_visit_ids(s, query)


def assert_same(db: Database, queries: list[str]) -> None:
    with db.reading() as s:  # a network server has no index: the plain scan answers there
        assert search.has_index(s) == (db.engine.dialect.name == "sqlite")
    for q in queries:
        assert found(db, q) == expected(db, q), q
        # Where no accented capital is in play, the index gives exactly the plain scan's answer.
        if all(ch.isascii() for ch in q) and all(
            all(ch.isascii() or not ch.isupper() for ch in t) for _v, t in live_texts(db)
        ):
            assert found(db, q) == scanned(db, q), q


def fill(db: Database, visits: list[dict[str, Any]]) -> list[str]:
    ids = []
    with db.transaction() as s:
        school = School(name="Oak Primary", urn="100001")
        s.add(school)
        for i, v in enumerate(visits):
            visit = Visit(
                host_school=school,
                visit_date=dt.date(2015 + i, 10, 1),
                kind="learning-walk",
                framework_key="ofsted-2025",
                summary=v["summary"],
                strengths=v["strengths"],
            )
            s.add(visit)
            for pos, (notes, staff, drop) in enumerate(v["evidence"]):
                ev = Evidence(
                    visit=visit, kind="learning-walk", position=pos, notes=notes, staff=staff
                )
                s.add(ev)
                s.add(DropIn(evidence=ev, position=0, note=drop))
            s.add(Judgement(visit=visit, area_key="inclusion", rationale=v["rationale"]))
            s.add(Action(visit=visit, position=0, description=v["action"], owner="Headteacher"))
            s.flush()
            ids.append(visit.id)
    return ids


visit_st = st.fixed_dictionaries(
    {
        "summary": texts,
        "strengths": texts,
        "rationale": texts,
        "action": texts,
        "evidence": st.lists(st.tuples(texts, texts, texts), min_size=1, max_size=3),
    }
)


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[str], str]:
    visits = draw(st.lists(visit_st, min_size=1, max_size=3))
    pool = [
        t
        for v in visits
        for t in (v["summary"], v["rationale"], *(n for e in v["evidence"] for n in e))
        if t
    ]
    queries = []
    for _ in range(draw(st.integers(1, 5))):
        if pool and draw(st.booleans()):
            source = draw(st.sampled_from(pool))
            start = draw(st.integers(0, len(source) - 1))
            piece = source[start : start + draw(st.integers(1, 6))]
            queries.append(piece.swapcase() if draw(st.booleans()) else piece)
        else:
            queries.append(draw(st.text(alphabet=ALPHABET, min_size=1, max_size=5)))
    return visits, queries, draw(texts)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_the_index_finds_what_reading_every_note_finds(
    case: tuple[list[dict[str, Any]], list[str], str],
) -> None:
    visits, queries, new_note = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = open_database(folder / "laptop.db")
        try:
            visit_ids = fill(db, visits)
            assert_same(db, queries)
            with db.reading() as s:
                evidence = s.scalars(
                    select(Evidence).where(Evidence.visit_id == visit_ids[0])
                ).first()
                assert evidence is not None
                evidence_id, old_note = evidence.id, evidence.notes
            # An edit, then its undo (the window's undo writes the earlier value back).
            save_changes(db, [Change("evidence", evidence_id, {"notes": new_note})])
            assert_same(db, [*queries, new_note[:5]])
            save_changes(db, [Change("evidence", evidence_id, {"notes": old_note})])
            assert_same(db, [*queries, new_note[:5]])
            # A deletion (a tombstone) and an import of everything into another database.
            save_changes(db, [Change("evidence", evidence_id, {"deleted": True})])
            assert_same(db, queries)
            package = folder / "all.nxr"
            export_review_package(db, package, all_visits=True)
            network = open_database(folder / "network.db")
            try:
                import_package_files(network, [package])
                assert_same(network, queries)
            finally:
                network.close()
            # Retention: the oldest visit goes for good.
            with db.transaction() as s:
                purge_visits(s, visit_ids[:1])
            assert_same(db, queries)
        finally:
            db.close()


def test_accented_capitals_and_any_part_of_a_word(db: Database) -> None:
    fill(
        db,
        [
            {
                "summary": "Une ÉCOLE où les élèves lisent",
                "strengths": "",
                "rationale": "Phonics teaching",
                "action": "",
                "evidence": [("Pupils' vocabulary", "", "")],
            }
        ],
    )
    for query in ("école", "ÉLÈVES", "cabul", "PHONICS", "ls' voc"):
        assert len(found(db, query)) == 1, query
    assert found(db, "eleves") == set()  # accents count, as they always have


def test_short_searches_and_control_characters_use_the_plain_scan(db: Database) -> None:
    fill(
        db,
        [
            {
                "summary": "ab",
                "strengths": "",
                "rationale": "",
                "action": "",
                "evidence": [("x\ty", "", "")],
            }
        ],
    )
    assert len(found(db, "AB")) == 1
    assert len(found(db, "x\ty")) == 1


def test_an_older_database_gets_the_index_built_by_its_migration(tmp_path: Path) -> None:
    from nexus_review.storage.migrate import upgrade

    path = tmp_path / "older.db"
    db = open_database(path)
    fill(
        db,
        [
            {
                "summary": "kingfisher display",
                "strengths": "",
                "rationale": "",
                "action": "",
                "evidence": [("", "", "")],
            }
        ],
    )
    # The database as the program before the index left it: every later migration undone.
    from alembic import command

    from nexus_review.storage.migrate import alembic_config

    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002_field_merge")
    with db.reading() as s:
        assert not search.has_index(s)
        assert len(search_visit_ids(s, "fisher")) == 1  # the plain scan still answers
    upgrade(db.engine)
    with db.reading() as s:
        assert search.has_index(s)
        assert len(search.indexed_visit_ids(s, "fisher")) == 1
    db.close()


def test_a_database_without_fts5_searches_by_reading_the_notes(
    db: Database, monkeypatch: Any
) -> None:
    with db.engine.begin() as conn:
        search.uninstall(conn)
        monkeypatch.setattr(search, "fts5_available", lambda _conn: False)
        assert search.install(conn) is False
    fill(
        db,
        [
            {
                "summary": "Kingfisher",
                "strengths": "",
                "rationale": "",
                "action": "",
                "evidence": [("", "", "")],
            }
        ],
    )
    assert len(found(db, "kingf")) == 1


def test_every_searchable_field_is_found_and_forgotten(db: Database) -> None:
    """Each field of each table, with a word of its own: found while the record lives, not
    once it is tombstoned (a write) or purged (retention)."""
    visit_id = fill(
        db,
        [
            {
                "summary": "",
                "strengths": "",
                "rationale": "",
                "action": "",
                "evidence": [("", "", "")],
            }
        ],
    )[0]
    with db.reading() as s:
        ids = {
            model: s.scalars(select(model.id)).first()  # type: ignore[attr-defined]
            for model in FIELDS
        }
    words = {}
    for model, fields in FIELDS.items():
        table = model.__tablename__  # type: ignore[attr-defined]
        values = {f: f"word{table}{f}".replace("_", "x") for f in fields}
        words.update({w: (table, ids[model]) for w in values.values()})
        save_changes(db, [Change(table, str(ids[model]), values)])
    for word in words:
        assert found(db, word) == {visit_id}, word
        assert found(db, word.upper()[2:]) == {visit_id}, word
    for word, (table, record_id) in words.items():
        if table != "visit":
            save_changes(db, [Change(table, str(record_id), {"deleted": True})])
            assert found(db, word) == set(), word
    assert found(db, "wordvisitsummary") == {visit_id}
    with db.transaction() as s:
        purge_visits(s, [visit_id])
    assert found(db, "wordvisitsummary") == set()
    if db.engine.dialect.name == "sqlite":  # the index forgets the purged visit too
        with db.reading() as s:
            assert s.execute(text(f"SELECT count(*) FROM {search.KEY_TABLE}")).scalar() == 0
