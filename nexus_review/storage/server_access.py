"""Who may read and write what on a network server, enforced by PostgreSQL itself: roles,
grants and row-level security, so that a login pointed at the server with any other client
meets the same limits as the program.

Three roles per network database (named after it, so that two networks on one server stay
apart), each granted to logins:

- ``<db>_administrator``: everything;
- ``<db>_reviewer``: reads the network's reference data (schools, review groups, reviewers,
  priorities, calibration exercises, the trust's aims, figures and delivery plan); reads and
  writes only the visits whose review team includes the reviewer the login is tied to, with
  their evidence, drop-ins, judgements, own grades, actions and team; may add a new visit and
  put itself on the team of a visit that has none yet; reads every head's answers to a
  calibration exercise and writes only its own. Sync bookkeeping: may record
  what its syncs brought (imports, conflicts: write only) and its own sync receipts;
- ``<db>_reader`` (a trust board member): reads only the published outcomes, through views with
  the staff observed anonymised; no table at all.

Which reviewer a login is lives in ``nexus_login``, a table of the server only (the laptops'
schema never has it). A visit's visibility is decided by one SECURITY DEFINER function, so the
policies on the team table need not read the team table through its own policy.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

LOGINS = "nexus_login"
ROLES = ("administrator", "reviewer", "reader")
VISIT_TABLES = (
    "visit", "visit_reviewer", "evidence", "judgement", "action", "drop_in", "independent_grade",
)  # fmt: skip
# Read by every reviewer, changed only by the administrator: the network's schools, groups and
# priorities, its calibration exercises, and the trust's aims, figures and delivery plan.
REFERENCE_TABLES = (
    "school", "review_group", "review_group_member", "reviewer", "school_priority",
    "calibration_exercise", "aim", "aim_theme", "indicator", "indicator_value",
    "delivery_action", "delivery_progress",
)  # fmt: skip
# A head's own answers to a calibration exercise: everyone's read (the program shows the
# others' only after a head has given their own), only their own written.
OWN_ANSWERS = "calibration_answer"
LOGIN_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,40}\Z")
PUBLISHED_STATUS = "report-sent"


def role_names(session: Session) -> dict[str, str]:
    """The three roles of this network database, by kind."""
    database = str(session.execute(text("SELECT current_database()")).scalar())
    base = re.sub(r"[^a-z0-9_]", "_", database.lower())[:40]
    return {kind: f"{base}_{kind}" for kind in ROLES}


def _q(name: str) -> str:
    """A role or login name, already checked to be plain, as an SQL identifier."""
    if not re.fullmatch(r"[a-z0-9_]{1,63}", name):
        raise ValueError(f"not a plain name: {name!r}")
    return f'"{name}"'


def _visible(column: str) -> str:
    return f"nexus_visit_visible({column})"


def install(session: Session) -> dict[str, str]:
    """Create (or bring up to date) the roles, grants, policies and views. Idempotent."""
    roles = role_names(session)
    admin, reviewer, reader = (_q(roles[k]) for k in ROLES)
    statements: list[str] = []
    for role in roles.values():
        statements.append(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') "
            f"THEN CREATE ROLE {_q(role)} NOLOGIN; END IF; END $$"
        )
    database = str(session.execute(text("SELECT current_database()")).scalar())
    statements += [
        f'REVOKE ALL ON DATABASE "{database}" FROM PUBLIC',
        f'GRANT CONNECT ON DATABASE "{database}" TO {admin}, {reviewer}, {reader}',
        "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {admin}, {reviewer}, {reader}",
        f"CREATE TABLE IF NOT EXISTS {LOGINS} (login VARCHAR(63) PRIMARY KEY, "
        "role VARCHAR(20) NOT NULL, reviewer_id VARCHAR(36) REFERENCES reviewer(id))",
        # Which visits the current login may see: SECURITY DEFINER reads the team without the
        # team's own policy (and without the login being able to read nexus_login).
        f"""CREATE OR REPLACE FUNCTION nexus_visit_visible(visit VARCHAR) RETURNS BOOLEAN
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
              SELECT EXISTS (
                SELECT 1 FROM visit_reviewer vr JOIN {LOGINS} l ON l.reviewer_id = vr.reviewer_id
                WHERE l.login = session_user AND vr.visit_id = visit AND NOT vr.deleted)
            $$""",
        """CREATE OR REPLACE FUNCTION nexus_visit_unstaffed(visit VARCHAR) RETURNS BOOLEAN
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
              SELECT NOT EXISTS (SELECT 1 FROM visit_reviewer WHERE visit_id = visit AND NOT deleted)
            $$""",
        f"""CREATE OR REPLACE FUNCTION nexus_my_reviewer() RETURNS VARCHAR
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
              SELECT reviewer_id FROM {LOGINS} WHERE login = session_user
            $$""",
        # A visit this very transaction added (a laptop sending a visit it planned): its team
        # may be written in any order.
        """CREATE OR REPLACE FUNCTION nexus_visit_added_now(visit VARCHAR) RETURNS BOOLEAN
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
              SELECT EXISTS (SELECT 1 FROM visit v WHERE v.id = visit
                AND v.xmin::text::bigint = pg_current_xact_id()::text::bigint % 4294967296)
            $$""",
        "CREATE OR REPLACE FUNCTION nexus_evidence_visible(ev VARCHAR) RETURNS BOOLEAN "
        "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$ "
        "SELECT EXISTS (SELECT 1 FROM evidence e WHERE e.id = ev AND nexus_visit_visible(e.visit_id)) $$",
        "REVOKE ALL ON FUNCTION nexus_visit_visible(VARCHAR), nexus_visit_unstaffed(VARCHAR), "
        "nexus_visit_added_now(VARCHAR), nexus_my_reviewer(), nexus_evidence_visible(VARCHAR) FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION nexus_visit_visible(VARCHAR), nexus_visit_unstaffed(VARCHAR), "
        f"nexus_visit_added_now(VARCHAR), nexus_my_reviewer(), nexus_evidence_visible(VARCHAR) TO {admin}, {reviewer}",
        # The administrator: everything.
        f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {admin}",
        # Reviewers: reference data and the schema version to read; sync bookkeeping.
        f"GRANT SELECT ON {', '.join(REFERENCE_TABLES)}, alembic_version, database_info, record_alias TO {reviewer}",
        f"GRANT INSERT ON import_record, conflict, record_alias TO {reviewer}",
        f"GRANT INSERT, UPDATE ON database_info TO {reviewer}",
        f"GRANT SELECT, INSERT, UPDATE ON {', '.join(VISIT_TABLES)}, {OWN_ANSWERS} TO {reviewer}",
        f"GRANT SELECT ON {LOGINS} TO {admin}",
    ]
    # Row-level security on the visits and everything in them, and on the bookkeeping a
    # reviewer may write.
    visible = {
        "visit": _visible("id"),
        "visit_reviewer": _visible("visit_id"),
        "independent_grade": _visible("visit_id"),
        "evidence": _visible("visit_id"),
        "judgement": _visible("visit_id"),
        "action": _visible("visit_id"),
        "drop_in": "nexus_evidence_visible(evidence_id)",
    }
    may_add = {
        "visit": "true",  # a new visit; it is seen once its team names the login's reviewer
        "visit_reviewer": f"{_visible('visit_id')} OR nexus_visit_added_now(visit_id) "
        "OR (reviewer_id = nexus_my_reviewer() AND nexus_visit_unstaffed(visit_id))",
    }
    for table, rule in visible.items():
        statements += [
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            f"DROP POLICY IF EXISTS administrator_all ON {table}",
            f"CREATE POLICY administrator_all ON {table} TO {admin} USING (true) WITH CHECK (true)",
            f"DROP POLICY IF EXISTS reviewer_read ON {table}",
            f"CREATE POLICY reviewer_read ON {table} FOR SELECT TO {reviewer} USING ({rule})",
            f"DROP POLICY IF EXISTS reviewer_add ON {table}",
            f"CREATE POLICY reviewer_add ON {table} FOR INSERT TO {reviewer} WITH CHECK ({may_add.get(table, rule)})",
            f"DROP POLICY IF EXISTS reviewer_change ON {table}",
            f"CREATE POLICY reviewer_change ON {table} FOR UPDATE TO {reviewer} USING ({rule}) WITH CHECK ({rule})",
        ]
    statements += [
        f"ALTER TABLE {OWN_ANSWERS} ENABLE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS administrator_all ON {OWN_ANSWERS}",
        f"CREATE POLICY administrator_all ON {OWN_ANSWERS} TO {admin} USING (true) WITH CHECK (true)",
        f"DROP POLICY IF EXISTS reviewer_read ON {OWN_ANSWERS}",
        f"CREATE POLICY reviewer_read ON {OWN_ANSWERS} FOR SELECT TO {reviewer} USING (true)",
        f"DROP POLICY IF EXISTS reviewer_add ON {OWN_ANSWERS}",
        f"CREATE POLICY reviewer_add ON {OWN_ANSWERS} FOR INSERT TO {reviewer} "
        "WITH CHECK (reviewer_id = nexus_my_reviewer())",
        f"DROP POLICY IF EXISTS reviewer_change ON {OWN_ANSWERS}",
        f"CREATE POLICY reviewer_change ON {OWN_ANSWERS} FOR UPDATE TO {reviewer} "
        "USING (reviewer_id = nexus_my_reviewer()) WITH CHECK (reviewer_id = nexus_my_reviewer())",
        "ALTER TABLE database_info ENABLE ROW LEVEL SECURITY",
        "DROP POLICY IF EXISTS administrator_all ON database_info",
        f"CREATE POLICY administrator_all ON database_info TO {admin} USING (true) WITH CHECK (true)",
        "DROP POLICY IF EXISTS reviewer_read ON database_info",
        f"CREATE POLICY reviewer_read ON database_info FOR SELECT TO {reviewer} USING (true)",
        "DROP POLICY IF EXISTS reviewer_receipt ON database_info",
        f"CREATE POLICY reviewer_receipt ON database_info FOR INSERT TO {reviewer} WITH CHECK (key LIKE 'sync\\_receipt:%')",
        "DROP POLICY IF EXISTS reviewer_receipt_change ON database_info",
        f"CREATE POLICY reviewer_receipt_change ON database_info FOR UPDATE TO {reviewer} "
        "USING (key LIKE 'sync\\_receipt:%') WITH CHECK (key LIKE 'sync\\_receipt:%')",
    ]
    # Readers: the published outcomes, staff anonymised. Views run with their owner's rights,
    # so readers need no table; only visits whose report was sent are shown.
    published = f"v.status = '{PUBLISHED_STATUS}' AND NOT v.deleted"
    statements += [
        f"""CREATE OR REPLACE VIEW published_visit AS
            SELECT v.id AS visit_id, s.name AS school, v.visit_date, v.kind, v.framework_key,
                   v.summary, v.strengths, v.areas_for_development, v.questions
            FROM visit v JOIN school s ON s.id = v.host_school_id WHERE {published}""",
        f"""CREATE OR REPLACE VIEW published_judgement AS
            SELECT j.visit_id, j.area_key, j.peer_grade, j.self_grade, j.rationale
            FROM judgement j JOIN visit v ON v.id = j.visit_id WHERE {published} AND NOT j.deleted""",
        f"""CREATE OR REPLACE VIEW published_evidence AS
            SELECT e.visit_id, e.kind, e.year_group, e.subject,
                   CASE WHEN coalesce(e.staff, '') = '' THEN '' ELSE 'a member of staff' END AS staff,
                   e.strengths, e.areas_for_development
            FROM evidence e JOIN visit v ON v.id = e.visit_id WHERE {published} AND NOT e.deleted""",
        "REVOKE ALL ON published_visit, published_judgement, published_evidence FROM PUBLIC",
        f"GRANT SELECT ON published_visit, published_judgement, published_evidence TO {reader}, {admin}",
    ]
    for statement in statements:
        session.execute(text(statement))
    return roles


def is_installed(session: Session) -> bool:
    return session.execute(text(f"SELECT to_regclass('{LOGINS}')")).scalar() is not None


def login_exists(session: Session, login: str) -> bool:
    return bool(
        session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": login}).scalar()
    )


def scram_verifier(session: Session, login: str, password: str) -> str:
    """The password as the server stores it (SCRAM-SHA-256), computed here: the password
    itself never reaches the server, its logs or its statistics."""
    raw: Any = session.connection().connection.driver_connection
    verifier = raw.pgconn.encrypt_password(
        password.encode("utf-8"), login.encode("utf-8"), b"scram-sha-256"
    )
    return bytes(verifier).decode("ascii")


def add_login(
    session: Session, login: str, kind: str, password: str, reviewer_id: str | None
) -> str:
    """Create a login with a role of this network (and tie it to a reviewer). Returns the
    role granted."""
    if not LOGIN_PATTERN.match(login):
        raise ValueError(f"not a login name: {login!r}")
    roles = role_names(session)
    verifier = scram_verifier(session, login, password)
    if not re.fullmatch(r"SCRAM-SHA-256\$[A-Za-z0-9+/=:$]+", verifier):
        raise ValueError("unexpected password verifier")
    quoted = verifier.replace(":", "\\:")  # a colon would otherwise start a bound parameter
    session.execute(text(f"CREATE ROLE {_q(login)} LOGIN PASSWORD '{quoted}'"))
    session.execute(text(f"GRANT {_q(roles[kind])} TO {_q(login)}"))
    session.execute(
        text(
            f"INSERT INTO {LOGINS} (login, role, reviewer_id) VALUES (:l, :r, :v) "
            "ON CONFLICT (login) DO UPDATE SET role = excluded.role, reviewer_id = excluded.reviewer_id"
        ),  # a login of that name dropped earlier (DROP ROLE) leaves its row behind
        {"l": login, "r": kind, "v": reviewer_id},
    )
    return roles[kind]
